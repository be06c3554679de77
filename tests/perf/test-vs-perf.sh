#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Differential test against Linux perf 6.1 (Debian linux-perf).
# Each stream is wrapped into a perf.data by spe-mkperf; perf and spedump
# then read the same file:
#   packets: `perf report -D` vs `spedump -D`        (diff_packets.py)
#   records: `perf script --itrace=fmtbai1i` vs `spedump --json --perf-compat`
#            (diff_records.py)
# Streams: every captured sample in tests/data/spe-samples, and generated
# streams (spegen) of more than 10,000 records: one restricted to the
# encodings perf 6.1 knows (must match perf exactly, no named rule, and must
# cover every such encoding), one with every SPEv1p2-v1p5 encoding (named
# rules only).
set -u
O=${SPEKIT_BUILD:-build}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
HERE=tests/perf
N1=0x410fd0c0
pass=0; fail=0
ok()  { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

command -v perf >/dev/null || { echo "FAIL perf not installed (apt-get install linux-perf)"; echo "0 passed, 1 failed"; exit 1; }
perf version | grep -q '^perf version 6\.1\.' || echo "note: reference is $(perf version), tests were written against 6.1"

# compare NAME PERFDATA [packets-flags] [records-flags]
compare() {
	local name=$1 pd=$2 pflags=$3 rflags=$4 out
	perf report -D -i "$pd" >"$T/perf-D" 2>"$T/perf-D.err"
	"$O/bin/spedump" -D "$pd" >"$T/spe-D" 2>/dev/null
	if out=$(python3 "$HERE/diff_packets.py" $pflags "$T/perf-D" "$T/spe-D"); then
		ok "$name packets: $out"
	else
		bad "$name packets" "$out"
	fi
	perf script -i "$pd" --itrace=fmtbai1i -F cpu,event,ip,addr,phys_addr,weight,data_src \
		>"$T/perf-S" 2>"$T/perf-S.err"
	"$O/bin/spedump" --json --perf-compat "$pd" >"$T/spe-J" 2>/dev/null
	if out=$(python3 "$HERE/diff_records.py" $rflags "$T/perf-S" "$T/spe-J"); then
		ok "$name records: $out"
	else
		bad "$name records" "$out"
	fi
}

# 1. captured samples (and the hand-made newer-encodings one)
for f in tests/data/spe-samples/*.bin; do
	b=$(basename "$f" .bin)
	"$O/bin/spe-mkperf" --meta v1 --midr $N1 -o "$T/$b.data" "$f"
	rflags=""
	case $b in
	hiperf_TestSpeDumpRawData2) rflags="--allow empty-samples-for-bad-packets" ;;
	synthetic_newer_encodings)  rflags="--allow multiple-op-packets" ;;
	esac
	compare "$b" "$T/$b.data" "" "$rflags"
done

# 2. generated, encodings perf 6.1 knows (SPEv1p1), four CPUs with
#    different packet-format choices, cut into several AUXTRACE buffers
G="$O/bin/spegen --elf none --version v1p1 --cpu-model n1"
MIX=load=35,store=15,branch=25,other=10,sve=5,atomic=5,nv2=2,unspec=3
$G --seed 11 -n 6000 --mix $MIX --pa --context --kernel-share 0.2 --align 64 -o "$T/c0.raw"
$G --seed 12 -n 6000 --mix $MIX --no-ts --context=el2 --events-size 8 --dsrc-size 2 \
	--ext-headers --count-size 16 -o "$T/c1.raw"
$G --seed 13 -n 2000 --mix $MIX --events-size 1 --pa -o "$T/c2.raw"
$G --seed 14 -n 2000 --mix $MIX --events-size 4 --kernel-share 0.5 -o "$T/c3.raw"
"$O/bin/spe-mkperf" --meta v1 --midr $N1 --chunk 65536 -o "$T/gen-v1p1.data" \
	--cpu 0 "$T/c0.raw" --cpu 1 "$T/c1.raw" --cpu 2 "$T/c2.raw" --cpu 3 "$T/c3.raw"
nrec=$("$O/bin/spedump" --stats --json "$T/gen-v1p1.data" | jq .records)
[[ $nrec -ge 10000 ]] && ok "generated v1p1: $nrec records" || bad "generated v1p1" "only $nrec records"
compare "generated v1p1" "$T/gen-v1p1.data" "--strict" ""

# every encoding perf 6.1 prints by name occurred (in perf's own output)
missing=""
for w in "PC " "TGT " "VA " "PA " " TOT" " ISSUE" " XLAT" "TS " "END" "PAD" "CONTEXT .* el1" \
	 "CONTEXT .* el2" "DATA-SOURCE" "EXCEPTION-GEN" "RETIRED" "L1D-ACCESS" "L1D-REFILL" \
	 "TLB-ACCESS" "TLB-REFILL" "NOT-TAKEN" "MISPRED" "LLC-ACCESS" "LLC-REFILL" \
	 "REMOTE-ACCESS" "ALIGNMENT" "SVE-PARTIAL-PRED" "SVE-EMPTY-PRED" "OTHER INSN-OTHER" \
	 "OTHER COND-SELECT" "SVE-OTHER EVLEN" "SVE-OTHER .* FP" "SVE-OTHER .* PRED" \
	 "LD GP-REG" "ST GP-REG" "SIMD-FP" "UNSPEC-REG" "NV-SYSREG" " AT" " EXCL" " AR" \
	 "[LS][DT] EVLEN" "[LS][DT] EVLEN .* PRED" " SG" " B$" "B COND" "B IND"; do
	grep -Eq -- "$w" "$T/perf-D" || missing="$missing '$w'"
done
# and every header form: event sizes, data-source sizes, extended headers
for h in 42 52 62 72 43 53 48 49 4a 64 65 b0 b1 b2 b3 98 99 9a 71 01 00 "2[0-3] b" "2[0-3] 9"; do
	grep -Eq "^\.  [0-9a-f]{8}:  $h" "$T/perf-D" || missing="$missing hdr:$h"
done
[[ -z $missing ]] && ok "generated v1p1 covers every encoding perf 6.1 knows" \
	|| bad "generated v1p1 coverage" "missing:$missing"

# 3. generated, every encoding up to SPEv1p5: named differences only
$O/bin/spegen --elf none --version v1p5 --cpu-model v2 --seed 21 -n 12000 --pa --context --alt-clock \
	--mix load=30,store=15,branch=25,other=10,sve=3,sme=3,atomic=3,mops=3,mte=3,gcs=3,nv2=1,unspec=1 \
	-o "$T/v15.raw"
"$O/bin/spe-mkperf" --meta v1 --midr 0x410fd4f0 --chunk 65536 -o "$T/gen-v1p5.data" "$T/v15.raw"
compare "generated v1p5" "$T/gen-v1p5.data" "" ""

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
