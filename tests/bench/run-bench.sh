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
t_spe=$(tsec "$O/bin/spedump" -D "$PD")
t_perf=$(tsec perf report -D -i "$PD")
ratio=$(echo "$t_perf / $t_spe" | bc -l)
mbps() { echo "$bytes / $1 / 1000000" | bc -l; }

{
	printf 'spekit bench, %s, %d MiB generated (SYNTHETIC) stream, %s\n' \
		"$(date -u +%Y-%m-%d)" "$MB" "$(uname -m)"
	printf '%-44s %12s %14s\n' "what" "MB/s" "records/s"
	printf '%-44s %12d %14d\n' "libspe decode (1 core, best of 3)" "$dec_mbps" "$dec_recps"
	printf '%-44s %12d %14s\n' "  reference: plain read pass, same bytes" "$dec_ref" "-"
	printf '%-44s %12.1f %14s\n' "spedump -D perf.data > /dev/null" "$(mbps "$t_spe")" "-"
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
