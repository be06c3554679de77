#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: throughput figures, each beside a reference measured in the
# same run on the same input.  Usage: run-bench.sh BUILD_DIR
#   BENCH_MB   size of the generated stream in MiB (default 256)
#   BENCH_BPF_RUNS  test runs per spedrops BPF program (default 100000)
# Writes the table to stdout and to BUILD_DIR/bench/results.txt.
set -euo pipefail
O=$1
MB=${BENCH_MB:-256}
W=$O/bench
mkdir -p "$W"
RAW=$W/gen-${MB}M.raw
PD=$W/gen-${MB}M.perf.data
ELF=/usr/lib/x86_64-linux-gnu/libc.so.6
[[ -r $ELF ]] || ELF=none

if [[ ! -s $RAW ]]; then
	echo "bench: generating a SYNTHETIC ${MB} MiB SPE stream (spegen, Neoverse N1 model)" >&2
	"$O/bin/spegen" --elf "$ELF" --seed 1 --cpu-model n1 --pa --context \
		-b "${MB}M" -o "$RAW"
fi
if [[ ! -s $PD ]]; then
	# 4 MiB AUXTRACE buffers, cut at record boundaries, like perf record
	"$O/bin/spe-mkperf" --midr "$("$O/bin/spegen" --cpu-model n1 --print-midr)" \
		--chunk 4194304 -o "$PD" "$RAW"
fi
bytes=$(stat -c %s "$RAW")

# 1. libspe decode, one core, best of 3; reference: a plain read pass
dec=$("$O/tests/bench_decode" "$RAW" 3)
dec_mbps=$(sed -E 's/.*decode MBps=([0-9]+).*/\1/' <<<"$dec")
dec_recps=$(sed -E 's/.* recps=([0-9]+).*/\1/' <<<"$dec")
dec_ref=$(sed -E 's/.*reference_MBps=([0-9]+).*/\1/' <<<"$dec")

# 2. spedump's packet dump against perf report -D, same perf.data, to /dev/null
tsec() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
# spedump: best of 3, so its first run is not the one that reads the file
# into the page cache (perf, run next, finds it there); perf: one run (30 s)
t_spe=$(for _ in 1 2 3; do tsec "$O/bin/spedump" -D "$PD"; done | sort -n | head -1)
t_perf=$(tsec perf report -D -i "$PD")
ratio=$(echo "$t_perf / $t_spe" | bc -l)
mbps() { echo "$bytes / $1 / 1000000" | bc -l; }

{
	printf 'spekit bench, %s, %d MiB generated (SYNTHETIC) stream, %s\n' \
		"$(date -u +%Y-%m-%d)" "$MB" "$(uname -m)"
	printf '%-44s %12s %14s\n' "what" "MB/s" "records/s"
	printf '%-44s %12d %14d\n' "libspe decode (1 core, best of 3)" "$dec_mbps" "$dec_recps"
	printf '%-44s %12d %14s\n' "  reference: plain read pass, same bytes" "$dec_ref" "-"
	printf '%-44s %12.1f %14s\n' "spedump -D perf.data >/dev/null, best of 3" "$(mbps "$t_spe")" "-"
	printf '%-44s %12.1f %14s\n' "perf report -D perf.data > /dev/null" "$(mbps "$t_perf")" "-"
	printf 'spedump -D is %.1fx perf report -D (target 20x); decode %d MB/s (target 1000)\n' \
		"$ratio" "$dec_mbps"
} | tee "$W/results.txt"

# 3. spedrops' raw_tp programs: ns/event from the kernel's BPF run-time
# stats, beside an empty raw_tp program run the same way (needs root)
if [[ $(id -u) -eq 0 ]]; then
	"$O/tests/bench_spedrops" "${BENCH_BPF_RUNS:-100000}" | tee -a "$W/results.txt"
else
	echo "spedrops BPF programs: not measured (BPF_PROG_TEST_RUN needs root)" | tee -a "$W/results.txt"
fi

# 4. spetop: replay as fast as possible (decode plus aggregate, one core)
# on >= 10 M-record traces, beside libspe's decode-only rate on the same
# bytes; then peak resident memory replaying 100 M records.  The traces
# are SYNTHETIC (spegen: 8 processes running libc, kernel share 10%) and
# cached under $W.  Two PC distributions:
#   uniform  PCs spread evenly over libc's text (functions by size): the
#            worst case for symbol lookup and for the table, every one of
#            libc's ~2,200 functions busy
#   zipf     functions drawn by a Zipf law of exponent 1 (spegen --zipf 1),
#            a few hot functions taking most samples, as real profiles do
# The 10 M ones are perf.data files with the processes' COMM and MMAP2
# records, so -g symbol resolves every user PC through libc's symbol table;
# the 100 M one is raw (read in chunks, so the file's pages do not count as
# spetop's memory).
NREC=${BENCH_SPETOP_RECORDS:-10000000}
NBIG=${BENCH_SPETOP_BIG_RECORDS:-100000000}
gen() {
	local n=$1 out=$2
	shift 2
	[[ -s $out ]] && return
	echo "bench: generating a SYNTHETIC $n-record SPE stream for spetop $*" >&2
	"$O/bin/spegen" --elf "$ELF" --load-base 0x7f0000000000 --seed 3 --cpu-model n1 --pa \
		--context --pids 8 --kernel-share 0.1 "$@" -n "$n" -o "$out.tmp" && mv -f "$out.tmp" "$out"
}
# a perf.data for raw trace $1 at $2: the 8 processes' COMM and MMAP2 of libc
mkperf() {
	local sb=()
	[[ -s $2 ]] && return
	for p in $(seq 1000 1007); do
		sb+=(--comm "$p:$p:bench-$p" --mmap2 "$p:0x7f0000000000:$(stat -c %s "$ELF"):0:$ELF")
	done
	"$O/bin/spe-mkperf" --midr "$("$O/bin/spegen" --cpu-model n1 --print-midr)" --chunk 4194304 \
		"${sb[@]}" -o "$2.tmp" "$1" && mv -f "$2.tmp" "$2"
}
R10=$W/spetop-${NREC}.raw
P10=$W/spetop-${NREC}.perf.data
Z10=$W/spetop-zipf-${NREC}.raw
PZ10=$W/spetop-zipf-${NREC}.perf.data
gen "$NREC" "$R10"
gen "$NREC" "$Z10" --zipf 1
mkperf "$R10" "$P10"
mkperf "$Z10" "$PZ10"
# best wall time of 3, and peak RSS, of a command (python: no time(1) needed)
run3() {
	python3 - "$@" <<'PY'
import resource, subprocess, sys, time
best = None
for _ in range(3):
    t0 = time.monotonic()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    t = time.monotonic() - t0
    best = t if best is None or t < best else best
print("%.4f %d" % (best, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
PY
}
# records/s of spetop -g $1 on perf.data $2 with $3 records
rate() {
	local t rss
	read -r t rss < <(run3 "$O/bin/spetop" --replay "$2" --fast --json --rows 20 -g "$1")
	echo "$3 / $t" | bc
}
d10=$("$O/tests/bench_decode" "$R10" 3)
d10_recps=$(sed -E 's/.* recps=([0-9]+).*/\1/' <<<"$d10")
d10_n=$(sed -E 's/.* records=([0-9]+).*/\1/' <<<"$d10")
dz=$("$O/tests/bench_decode" "$Z10" 3)
dz_recps=$(sed -E 's/.* recps=([0-9]+).*/\1/' <<<"$dz")
dz_n=$(sed -E 's/.* records=([0-9]+).*/\1/' <<<"$dz")
{
	printf 'spetop --replay --fast, %d records (SYNTHETIC), one core, best of 3\n' "$d10_n"
	printf '%-36s %14s %8s %14s %8s\n' "" "uniform PCs" "" "zipf PCs" ""
	printf '%-36s %14s %8s %14s %8s\n' "what" "records/s" "x dec" "records/s" "x dec"
	printf '%-36s %14d %8s %14d %8s\n' "libspe decode only (reference)" "$d10_recps" "1.00" \
		"$dz_recps" "1.00"
	for g in op dsrc pid symbol dso pc; do
		u=$(rate "$g" "$P10" "$d10_n")
		z=$(rate "$g" "$PZ10" "$dz_n")
		printf '%-36s %14d %8.2f %14d %8.2f\n' "spetop -g $g" "$u" \
			"$(echo "$u / $d10_recps" | bc -l)" "$z" "$(echo "$z / $dz_recps" | bc -l)"
	done
	echo "target: >= 20000000 records/s (issue 5)"
} | tee -a "$W/results.txt"

if [[ ${BENCH_SPETOP_BIG:-1} == 1 ]]; then
	RBIG=$W/spetop-${NBIG}.raw
	gen "$NBIG" "$RBIG"
	{
		printf 'spetop peak resident memory, %d-record replay (SYNTHETIC, %d MB raw)\n' \
			"$NBIG" "$(($(stat -c %s "$RBIG") / 1000000))"
		for g in symbol pc; do
			read -r t rss < <(python3 - "$O/bin/spetop" --replay "$RBIG" --fast --json --rows 20 -g "$g" <<'PY'
import resource, subprocess, sys, time
t0 = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print("%.2f %d" % (time.monotonic() - t0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
PY
			)
			printf '  -g %-8s peak RSS %6d KiB in %.1f s (bound in README: 262144 KiB)\n' "$g" "$rss" "$t"
		done
	} | tee -a "$W/results.txt"
else
	echo "spetop 100 M-record memory run skipped (BENCH_SPETOP_BIG=0)" | tee -a "$W/results.txt"
fi
