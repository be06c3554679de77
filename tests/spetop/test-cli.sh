#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# spetop's command line on replays: its numbers against spedump --stats and
# against Linux perf on the same perf.data (tests/spetop/vs_refs.py), the
# same intervals at any replay speed, drops from PERF_RECORD_AUX flags and
# LOST records, several CPUs, symbols from MMAP2/COMM records; and every
# failure one line on stderr with the documented exit status (1 input,
# 2 options, 3 no SPE or no permission); the SYNTHETIC label from the
# data (spe-mkperf's mark), the file name only for raw streams.  Inputs are
# SYNTHETIC (spegen).
set -u
O=${SPEKIT_BUILD:-build}
B=$(cd "$O/bin" && pwd)
ST=$B/spetop
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# spetop's runs read no terminal
EXPECT_BIN=$ST EXPECT_STDIN=/dev/null
. "$(dirname "$0")/../lib/cli.sh"
. "$(dirname "$0")/../lib/cpulist.sh"

[[ -x $ST ]] || { echo "FAIL $ST not built"; echo "0 passed, 1 failed"; exit 1; }

# --- inputs ---------------------------------------------------------------------
N1=$("$B/spegen" --cpu-model n1 --print-midr)
"$B/spegen" --elf "$B/spedump" --load-base 0xaaaa00000000 --seed 7 --cpu-model n1 --pa --context \
	--pids 3 --kernel-share 0.1 -n 120000 -o "$T/a.raw"
"$B/spegen" --elf none --seed 8 --cpu-model n1 --context -n 50000 -o "$T/b.raw"
SZ=$(stat -c %s "$B/spedump")
SB=()
for p in 1000 1001 1002; do SB+=(--comm "$p:$p:work-$p" --mmap2 "$p:0xaaaa00000000:$SZ:0:$B/spedump"); done
# file-format perf.data, v1 metadata (what perf 6.1 reads), one CPU
"$B/spe-mkperf" --meta v1 --midr "$N1" --chunk 262144 "${SB[@]}" -o "$T/one.data" "$T/a.raw"
# two CPUs, drops: a truncated and a collided session, lost records
"$B/spe-mkperf" --midr "$N1" --chunk 65536 --cpu 0 "$T/a.raw" --cpu 1 "$T/b.raw" \
	--aux-flags 0/65536:truncated --aux-flags 1/0:collision,partial --lost 5 --lost-samples 7 \
	-o "$T/two.data"

# --- options ----------------------------------------------------------------------
HINT='\(see spetop --help\)$'
expect "--help" 0 "" -- --help
check "--help on stdout" 'grep -q "^Usage: spetop \[OPTIONS\]" "$T/out"'
expect "--version" 0 "" -- --version
expect "unknown option" 2 "^spetop: unknown option --bogus $HINT" -- --bogus
expect "bad grouping" 2 "^spetop: -g wants symbol, pc, dso, pid, dsrc or op, not 'func' $HINT" -- -g func
expect "bad sort" 2 "^spetop: -s wants samples, .* not 'p95' $HINT" -- -s p95
expect "speed without replay" 2 "^spetop: --speed, --fast and --timer-hz need --replay FILE $HINT" -- --speed 2
expect "capture option on a replay" 2 "^spetop: capture options .* do not apply to --replay $HINT" -- --replay "$T/one.data" -C 0
# CPU lists: spedrops' parser and words, the cases spedrops' suite checks too
expect_cpulists spetop "$HINT" -b -n 1
expect "stray argument" 2 "^spetop: unexpected argument 'x.data' \(a file to replay goes after --replay\) $HINT" -- x.data

# --- bad input ----------------------------------------------------------------------
expect "missing file" 1 "^spetop: $T/nope: No such file or directory \(give a perf.data" -- --replay "$T/nope" -b
expect "a directory" 1 "^spetop: $T: is a directory" -- --replay "$T" -b
: >"$T/empty"
expect "empty file" 1 "^spetop: $T/empty: empty file \(nothing to replay\)$" -- --replay "$T/empty" -b
head -c 5000 "$T/one.data" >"$T/cut.data"
expect "perf.data cut short" 1 "^spetop: $T/cut.data: truncated perf.data: .*\(file cut short\? re-record or copy it whole\)$" -- --replay "$T/cut.data" -b
# a raw stream with garbage in the middle: replayed, the damage counted
{ head -c 40000 "$T/b.raw"; head -c 3000 /dev/urandom; tail -c +40001 "$T/b.raw"; } >"$T/damaged.raw"
expect "damaged raw stream: replayed" 0 "" -- --replay "$T/damaged.raw" --fast --json -n 1000
check "damaged raw stream: damage in the drop counters" \
	'tail -1 "$T/out" | python3 -c "import json,sys; d=json.load(sys.stdin)[\"drops\"]; sys.exit(not (d[\"damaged_bytes\"] > 0))"' "$(tail -1 "$T/out" | head -c 400)"

# --- live capture on this host: no SPE ----------------------------------------------
if compgen -G '/sys/bus/event_source/devices/arm_spe*' >/dev/null; then
	echo "skip live without SPE: this host has an SPE PMU"
else
	expect "live, no SPE PMU: exit 3, one line" 3 "^spetop: no arm_spe PMU in /sys/bus/event_source/devices: " -- -b -n 1
fi
# a fake sysfs whose only arm_spe entry has no type number: the line says so
mkdir -p "$T/sysbad/bus/event_source/devices/arm_spe_0"
echo junk >"$T/sysbad/bus/event_source/devices/arm_spe_0/type"
ENVV=(SPEKIT_SYSFS_ROOT="$T/sysbad")
expect "live, unusable PMU entry: exit 3, the entry's problem named" 3 \
	"^spetop: no arm_spe PMU in $T/sysbad/bus/event_source/devices \(arm_spe_0/type: not a PMU type number \(\"junk\"\)\): " -- -b -n 1
ENVV=()
# a cpumask that is not a CPU list: the file and the bad entry named, in
# the words -C gets
mkdir -p "$T/sysmask/bus/event_source/devices/arm_spe_0"
echo 4242 >"$T/sysmask/bus/event_source/devices/arm_spe_0/type"
echo 0-3,x >"$T/sysmask/bus/event_source/devices/arm_spe_0/cpumask"
ENVV=(SPEKIT_SYSFS_ROOT="$T/sysmask")
expect "live, bad cpumask: exit 3, the entry named" 3 \
	"^spetop: no arm_spe PMU in $T/sysmask/bus/event_source/devices \(arm_spe_0/cpumask: bad CPU list entry 'x': not a CPU number or range; want e\.g\. 0-3,8 \(CPUs 0-4095\)\): " -- -b -n 1
ENVV=()
# a fake sysfs PMU: discovery works, the kernel refuses the type
F=$T/sys/bus/event_source/devices/arm_spe_0
mkdir -p "$F/format" "$F/caps"
echo 4242 >"$F/type"
echo 0 >"$F/cpumask"
echo config:0 >"$F/format/ts_enable"
echo config:1 >"$F/format/pa_enable"
echo config:32 >"$F/format/load_filter"
echo config:33 >"$F/format/store_filter"
echo config:34 >"$F/format/branch_filter"
echo config2:0-11 >"$F/format/min_latency"
echo 256 >"$F/caps/min_interval"
ENVV=(SPEKIT_SYSFS_ROOT="$T/sys")
expect "live, fake PMU the kernel does not know: exit 3, one line" 3 "^spetop: .*arm_spe_0.*" -- -b -n 1 -C 0
expect "live, --loads on a PMU without jitter: fine until the kernel" 3 "^spetop: " -- -b -n 1 -C 0 --loads
expect "live, --jitter without format/jitter: names the missing bit" 3 "jitter" -- -b -n 1 -C 0 --jitter
ENVV=()

# --- against spedump --stats and perf ----------------------------------------------
"$ST" --replay "$T/one.data" --json --fast --rows 0 -g op >"$T/op.json" 2>"$T/op.err"
"$ST" --replay "$T/one.data" --json --fast --rows 0 -g dsrc >"$T/dsrc.json" 2>/dev/null
"$B/spedump" --stats --json "$T/one.data" >"$T/stats.json"
python3 tests/spetop/vs_refs.py spedump "$T/op.json" "$T/dsrc.json" "$T/stats.json" >"$T/vs" 2>&1
r=$?
while read -r l; do
	case $l in ok*) ok "vs spedump --stats: ${l#ok   }" ;; FAIL*) bad "vs spedump --stats" "${l#FAIL }" ;; esac
done <"$T/vs"
[[ $r -eq 0 || $(grep -c '^FAIL' "$T/vs") -gt 0 ]] || bad "vs_refs.py spedump" "$(tail -3 "$T/vs")"
if command -v perf >/dev/null; then
	perf script -i "$T/one.data" --itrace=fmtbai1i -F cpu,event,ip,addr,phys_addr,weight,data_src \
		>"$T/perf.txt" 2>"$T/perf.err"
	python3 tests/spetop/vs_refs.py perf "$T/op.json" "$T/perf.txt" >"$T/vs" 2>&1
	r=$?
	while read -r l; do
		case $l in ok*) ok "vs perf: ${l#ok   }" ;; FAIL*) bad "vs perf" "${l#FAIL }" ;; esac
	done <"$T/vs"
	[[ $r -eq 0 || $(grep -c '^FAIL' "$T/vs") -gt 0 ]] || bad "vs_refs.py perf" "$(tail -3 "$T/vs")"
else
	bad "perf" "linux-perf missing (tools/scripts/install-deps.sh test)"
fi

# --- intervals are recorded time: any speed, the same numbers ----------------------
strip() { sed -E -e 's/spetop CPU [0-9.]+%//' -e 's/  (fast|x[0-9.]+)  /  /' "$1"; }
"$ST" --replay "$T/one.data" -b --fast -d 0.02 --rows 5 >"$T/fast.txt" 2>/dev/null
"$ST" --replay "$T/one.data" -b --speed 200 -d 0.02 --rows 5 >"$T/slow.txt" 2>/dev/null
check "same intervals at --fast and --speed 200" 'diff <(strip "$T/fast.txt") <(strip "$T/slow.txt") >/dev/null' \
	"$(diff <(strip "$T/fast.txt") <(strip "$T/slow.txt") | head -5)"
NI=$(grep -c "^spetop .* last interval" "$T/fast.txt")
check "several intervals of 0.02 s ($NI)" '[[ $NI -ge 3 ]]'
t0=$(date +%s.%N)
"$ST" --replay "$T/one.data" -b --speed 1 -d 0.1 -n 3 >/dev/null 2>&1
t1=$(date +%s.%N)
check "--speed 1 -d 0.1 -n 3 paces: 3 intervals take 0.2-2 s ($(echo "$t1 - $t0" | bc) s)" \
	'(( $(echo "$t1 - $t0 >= 0.2 && $t1 - $t0 < 2" | bc) ))'
"$ST" --replay "$T/one.data" --json --fast -d 0.05 -n 2 >"$T/n2.json" 2>/dev/null
check "-n 2: two intervals and a summary" \
	'python3 -c "import json,sys; t=[json.loads(l)[\"type\"] for l in open(sys.argv[1])]; sys.exit(t != [\"interval\",\"interval\",\"summary\"])" "$T/n2.json"'
python3 - "$T/fast.txt" "$T/op.json" >"$T/sum" <<'PY'
import json, re, sys
# the last-interval tables add up to the cumulative total
blocks = re.split(r"^(?=spetop  )", open(sys.argv[1]).read(), flags=re.M)
total = 0
for b in blocks:
    if b.startswith("spetop") and b.split("\n", 1)[0].endswith("last interval"):
        total += int(re.search(r"^\s+(\d+)\s+\S+.*\[total\]$", b, re.M).group(1))
print(total, [json.loads(l) for l in open(sys.argv[2])][-1]["total"]["samples"])
PY
read -r a b <"$T/sum"
check "the intervals' totals add up to the summary's ($a = $b)" '[[ $a -eq $b && $a -gt 0 ]]'

# --- symbols, processes, several CPUs, drops -------------------------------------------
"$ST" --replay "$T/one.data" --json --fast --rows 0 >"$T/sym.json" 2>/dev/null
python3 - "$T/sym.json" "$B/spedump" >"$T/symchk" <<'PY'
import json, subprocess, sys
s = [json.loads(l) for l in open(sys.argv[1])][-1]
nm = {l.split()[-1] for l in subprocess.run(["nm", "--defined-only", sys.argv[2]], capture_output=True,
      text=True).stdout.splitlines() if l.split()[-2:-1] and l.split()[-2] in "tTwW"}
user = [r for r in s["rows"] if r["where"] == "spedump"]
bad = [r["label"] for r in user if r["label"] not in nm and r["label"] != "[unknown]"]
share = sum(r["samples"] for r in user if r["label"] in nm) / s["total"]["samples"]
print(len(user), len(bad), "%.2f" % share, " ".join(bad[:5]))
PY
read -r nuser nbad share rest <"$T/symchk"
check "symbols: $nuser spedump functions, all in nm's text symbols ($share of samples)" \
	'[[ $nuser -gt 50 && $nbad -eq 0 ]] && (( $(echo "$share > 0.8" | bc) ))' "$(cat "$T/symchk")"
"$ST" --replay "$T/one.data" -b --fast --rows 0 -g pid --cum -n 1 >"$T/pid.txt" 2>/dev/null
check "pid grouping: the three processes with their COMM names" \
	'[[ $(grep -cE " 100[012] work-100[012]$" "$T/pid.txt") -eq 6 ]]' "$(grep -E "100[012]" "$T/pid.txt" | head)"
"$ST" --replay "$T/two.data" --json --fast --rows 0 -g op >"$T/two.json" 2>/dev/null
"$B/spedump" --stats --json "$T/two.data" >"$T/two-stats.json"
check "two CPUs: cpus 2, total = spedump's records" \
	'python3 -c "import json,sys; s=[json.loads(l) for l in open(sys.argv[1])][-1]; st=json.load(open(sys.argv[2])); sys.exit(not (s[\"cpus\"]==2 and s[\"total\"][\"samples\"]==st[\"records\"]))" "$T/two.json" "$T/two-stats.json"'
check "drops: truncated 1, collision 1, partial 1, lost 5, lost samples 7" \
	'python3 -c "import json,sys; d=[json.loads(l) for l in open(sys.argv[1])][-1][\"drops\"]; sys.exit(not (d[\"truncated\"],d[\"collision\"],d[\"partial\"],d[\"lost\"],d[\"lost_samples\"])==(1,1,1,5,7))" "$T/two.json"' \
	"$(tail -1 "$T/two.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["drops"])')"
"$ST" --replay "$T/one.data" -b --fast --filter recfmt --rows 0 --cum -n 1 >"$T/filt.txt" 2>/dev/null
check "--filter recfmt: only matching rows" \
	'[[ $(sed -n "/^  *SAMPLES/,/\[total\]/p" "$T/filt.txt" | grep -vcE "SAMPLES|\[total\]|recfmt") -eq 0 && $(grep -c recfmt "$T/filt.txt") -ge 2 ]]'
# --- SYNTHETIC from the data, not the file name ------------------------------------
# every JSON line's "synthetic" is $2 (true/false), and the text header agrees
label_is() {
	local name=$1 want=$2 f=$3
	shift 3
	"$ST" --replay "$f" --json --fast -n 1 "$@" >"$T/lab.json" 2>/dev/null
	"$ST" --replay "$f" -b --fast -n 1 --rows 1 "$@" >"$T/lab.txt" 2>/dev/null
	check "$name: synthetic $want in JSON and text" \
		'python3 -c "import json,sys; s={json.loads(l)[\"synthetic\"] for l in open(sys.argv[1])}; sys.exit(s != {sys.argv[2] == \"true\"})" "$T/lab.json" "$want" &&
		 if [[ $want == true ]]; then grep -q "^spetop  replay .*(SYNTHETIC)" "$T/lab.txt"; else ! grep -q SYNTHETIC "$T/lab.txt"; fi' \
		"$(head -c 300 "$T/lab.json"; head -1 "$T/lab.txt")"
}
# spe-mkperf's mark, no "synthetic" in the name
label_is "spe-mkperf perf.data named one.data" true "$T/one.data"
"$B/spe-mkperf" --pipe --midr "$N1" "$T/b.raw" -o "$T/pipe.data"
label_is "spe-mkperf pipe-format perf.data" true "$T/pipe.data"
"$ST" --replay - --json --fast -n 1 <"$T/pipe.data" >"$T/lab.json" 2>/dev/null
check "spe-mkperf pipe-format perf.data on stdin: synthetic true" \
	'python3 -c "import json,sys; sys.exit({json.loads(l)[\"synthetic\"] for l in open(sys.argv[1])} != {True})" "$T/lab.json"'
# a perf.data without the mark, as perf record writes it (its version in
# HEADER_VERSION), is not synthetic even when named so
"$B/spe-mkperf" --midr "$N1" --perf-version 6.1.76 "$T/b.raw" -o "$T/synthetic-capture.data"
label_is "unmarked perf.data named synthetic-capture.data" false "$T/synthetic-capture.data"
"$B/spe-mkperf" --midr "$N1" --perf-version '' "$T/b.raw" -o "$T/synthetic-nover.data"
label_is "perf.data without HEADER_VERSION, named synthetic-*" false "$T/synthetic-nover.data"
# raw streams have no header: only there the file name decides
label_is "raw stream b.raw" false "$T/b.raw"
cp "$T/b.raw" "$T/synthetic-b.raw"
label_is "raw stream synthetic-b.raw" true "$T/synthetic-b.raw"
mkdir -p "$T/synthetic"
cp "$T/b.raw" "$T/synthetic/b.raw"
label_is "raw stream b.raw in a directory named synthetic" false "$T/synthetic/b.raw"

# not a terminal: plain text, said once on stderr
"$ST" --replay "$T/one.data" --fast -n 1 >"$T/notty" 2>"$T/notty.err" </dev/null
check "no terminal: batch text, one stderr line saying so" \
	'grep -q "^spetop  replay" "$T/notty" && [[ $(cat "$T/notty.err") == "spetop: not a terminal: plain text per interval (-b); --json for JSON Lines" ]]'

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
