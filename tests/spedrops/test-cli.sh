#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# spedrops' command line on this host.  Each failure must be one line on
# stderr naming the problem, with the documented exit status (0 ok,
# 1 runtime, 2 usage, 3 environment), never a crash.  On a host without
# SPE and without spekit's tracepoints (this x86 one) the honest outcome
# of a real run is exit 3 with one line; --load-only then loads the raw_tp
# programs without attaching them, which lets this suite pin the real maps,
# dump them with bpftool, write counters into them and watch spedrops read
# them back (intervals, summary, advice) - the path every live run takes.
# Last, the static arm64 build (preparing the arm64 sysroot first).
set -u
O=${SPEKIT_BUILD:-build}
SD=$O/bin/spedrops
T=$(mktemp -d)
MOUNTED=()
cleanup() {
	for m in "${MOUNTED[@]}"; do umount "$m" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
skip() { echo "skip $1"; }
EXPECT_BIN=$SD
. "$(dirname "$0")/../lib/cli.sh"
. "$(dirname "$0")/../lib/cpulist.sh"

[[ -x $SD ]] || { echo "FAIL $SD not built"; echo "0 passed, 1 failed"; exit 1; }

# --- options ------------------------------------------------------------------
expect "--help" 0 "" -- --help
check "--help: usage on stdout" 'grep -q "^Usage: spedrops \[OPTIONS\] \[DURATION_SECONDS\]" "$T/out"'
expect "--version" 0 "" -- --version
check "--version names libbpf" 'grep -Eq "^spedrops [0-9.]+ \(libbpf v?[0-9.]+\)$" "$T/out"' "$(cat "$T/out")"
HINT='\(see spedrops --help\)$'
expect "bad option"         2 "^spedrops: unknown option or missing argument: --bogus $HINT" -- --bogus
expect "bad short option"   2 "^spedrops: unknown option -x $HINT" -- -x
expect "missing argument"   2 "^spedrops: -i needs an argument $HINT" -- -i
expect "bad interval"       2 "^spedrops: -i wants seconds between 0.01 and 86400, not '0' $HINT" -- -i 0
# CPU lists: the cases and lines spetop's suite checks too
expect_cpulists spedrops "$HINT" 1
expect "bad duration"       2 "^spedrops: DURATION wants seconds > 0, not 'soon' $HINT" -- soon
expect "two durations"      2 "^spedrops: one DURATION only; extra argument '2' $HINT" -- 1 2
expect "--pin and --unpin"  2 "^spedrops: --pin and --unpin: choose one $HINT" -- --pin --unpin
expect "bad --pmu-type"     2 "^spedrops: --pmu-type wants a PMU type number > 0, not 'x' $HINT" -- --pmu-type x
expect "bad --record-size"  2 "^spedrops: --record-size wants bytes from 1 to 65536, not '0' $HINT" -- --record-size 0
expect "bad --mode"         2 "^spedrops: --mode wants auto, driver, stock, tp_btf, raw_tp, fentry or kprobe, not 'all' $HINT" -- --mode all

# --- --unpin with nothing pinned ----------------------------------------------
ENVV=(SPEKIT_PIN_DIR="$T/nopins/spekit")
expect "--unpin, nothing pinned" 0 "" -- --unpin
check "--unpin says so" 'grep -qx "spedrops: nothing pinned under $T/nopins/spekit" "$T/out"' "$(cat "$T/out")"
ENVV=()

# --- no SPE PMU -----------------------------------------------------------------
NOPMU="no arm_spe PMU in %s: this machine has no SPE, or the driver is not loaded \(modprobe arm_spe_pmu; on cloud instances SPE needs bare metal; with KPTI boot with kpti=off\)$"
if compgen -G '/sys/bus/event_source/devices/arm_spe*' >/dev/null; then
	skip "default run without an SPE PMU: this host has one"
else
	# shellcheck disable=SC2059
	expect "default run on this host: no SPE PMU" 3 "^spedrops: $(printf "$NOPMU" /sys/bus/event_source/devices)" --
	check "nothing on stdout" '[[ ! -s $T/out ]]'
fi
mkdir -p "$T/sys-none"
ENVV=(SPEKIT_SYSFS_ROOT="$T/sys-none")
# shellcheck disable=SC2059
expect "fake sysfs without PMUs" 3 "^spedrops: $(printf "$NOPMU" "$T/sys-none/bus/event_source/devices")" --
mkdir -p "$T/sys-bad/bus/event_source/devices/arm_spe_0/type"
ENVV=(SPEKIT_SYSFS_ROOT="$T/sys-bad")
expect "fake sysfs, unreadable type" 3 "^spedrops: no arm_spe PMU in .*devices \(arm_spe_0/type: Is a directory\): this machine has no SPE" --
ENVV=()

# --- privilege --------------------------------------------------------------------
if [[ $(id -u) -eq 0 ]] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	chmod 755 "$T"
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$SD" --pmu-type 12345 1 >"$T/out" 2>"$T/err"
	rc=$?
	check "not root: exit 3, one line" '[[ $rc -eq 3 && $(wc -l <"$T/err") -eq 1 ]]' "rc $rc: $(cat "$T/err")"
	check "not root: says what to do" 'grep -q "^spedrops: not enough privilege to load BPF programs (missing CAP_BPF and CAP_PERFMON): run as root (sudo spedrops ...), or grant them: sudo setcap cap_bpf,cap_perfmon+ep" "$T/err"' "$(cat "$T/err")"
	# CAP_BPF and CAP_PERFMON are enough (the documented setcap)
	setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=+bpf,+perfmon --ambient-caps=+bpf,+perfmon \
		"$SD" --pmu-type 12345 --load-only 0.3 >"$T/out" 2>"$T/err"
	rc=$?
	check "not root, CAP_BPF+CAP_PERFMON only: loads (exit 0, summary)" \
		'[[ $rc -eq 0 && ! -s $T/err ]] && grep -q "^summary: " "$T/out"' "rc $rc: $(head -c 300 "$T/err")"
	setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=+bpf --ambient-caps=+bpf \
		"$SD" --pmu-type 12345 --load-only 0.3 >"$T/out" 2>"$T/err"
	rc=$?
	check "not root, CAP_BPF alone: exit 3 naming CAP_PERFMON" \
		'[[ $rc -eq 3 && $(wc -l <"$T/err") -eq 1 ]] && grep -q "(missing CAP_PERFMON): run as root" "$T/err"' "rc $rc: $(cat "$T/err")"
else
	skip "not-root check (needs root, user nobody and setpriv)"
fi

if [[ $(id -u) -ne 0 ]]; then
	skip "BPF runs: not root"
	echo "$pass passed, $fail failed"
	[[ $fail -eq 0 ]]; exit
fi

# --- real runs: nothing to attach to on this host -----------------------------
NCPU=$(python3 -c 'import os; s=open("/sys/devices/system/cpu/possible").read().strip(); print(sum(int(b)-int(a)+1 for a,b in ((r.split("-")+[r])[:2] for r in s.split(","))))')
expect "-C beyond the possible CPUs" 2 "^spedrops: -C: CPU 4095 does not exist here \(CPUs 0-$((NCPU - 1))\) $HINT" -- -C 4095 --pmu-type 12345 1
if [[ -d /sys/kernel/tracing/events/arm_spe || -d /sys/kernel/debug/tracing/events/arm_spe ]]; then
	skip "--pmu-type 12345 without a usable attach point: this host has arm_spe tracepoints"
else
	"$SD" --pmu-type 12345 1 >"$T/out" 2>"$T/err"
	rc=$?
	if [[ $rc -eq 3 ]]; then
		check "--pmu-type 12345: exit 3 with one line: no usable program here" \
			'[[ $(wc -l <"$T/err") -eq 1 ]] && grep -q "^spedrops: no way to observe SPE here: .*raw_tp failed: .*arm_spe_aux_begin.*; stock kernel: " "$T/err"' \
			"$(cat "$T/err")"
		echo "    ($(cut -c1-400 "$T/err"))"
	elif [[ $rc -eq 0 ]] && grep -Eq "^spedrops: (fentry|kprobe) programs on perf_aux_output" "$T/out"; then
		ok "--pmu-type 12345: this host's kernel attaches the stock-kernel programs ($(head -1 "$T/out" | cut -c1-120))"
	else
		bad "--pmu-type 12345" "exit $rc: $(head -c 400 "$T/err")"
	fi
fi
# --mode stock: only the stock path is tried, and the line says so
"$SD" --pmu-type 12345 --mode stock 1 >"$T/out" 2>"$T/err"
rc=$?
if [[ $rc -eq 3 ]]; then
	check "--mode stock: exit 3, driver not tried, fentry failure named" \
		'[[ $(wc -l <"$T/err") -eq 1 ]] && grep -q "^spedrops: no way to observe SPE here: driver tracepoints not tried (--mode); stock kernel: fentry failed" "$T/err"' \
		"$(cat "$T/err")"
elif [[ $rc -eq 0 ]]; then
	check "--mode stock: the stock programs attach on this host" 'grep -Eq "^spedrops: (fentry|kprobe) programs on perf_aux_output" "$T/out"' "$(head -c 300 "$T/out")"
else
	bad "--mode stock" "exit $rc: $(head -c 400 "$T/err")"
fi
# a fake SPE PMU and no kernel BTF: the driver path is tried for real (the
# kernel has no arm_spe tracepoints), the stock path needs BTF
mkdir -p "$T/sys-pmu/bus/event_source/devices/arm_spe_0"
echo 12345 >"$T/sys-pmu/bus/event_source/devices/arm_spe_0/type"
if [[ ! -d /sys/kernel/tracing/events/arm_spe ]]; then
	ENVV=(SPEKIT_SYSFS_ROOT="$T/sys-pmu")
	expect "fake PMU, no kernel BTF: exit 3, one line" 3 \
		"^spedrops: no way to observe SPE here: raw_tp failed: prog 'spe_rtp_aux_begin': failed to attach to raw tracepoint 'arm_spe_aux_begin': .*\(no tracefs mounted to look for the arm_spe tracepoints\); stock kernel: no kernel BTF" -- 1
	# ... and module BTF: tp_btf is tried first, fails to load (this
	# kernel's BTF has no arm_spe tracepoint), then raw_tp
	mkdir -p "$T/sys-pmu/kernel/btf"
	: >"$T/sys-pmu/kernel/btf/arm_spe_pmu"
	expect "fake PMU and module BTF: tp_btf, then raw_tp, exit 3" 3 \
		"^spedrops: no way to observe SPE here: tp_btf failed: prog 'spe_btf_aux_begin': .*arm_spe_aux_begin.*; raw_tp failed: prog 'spe_rtp_aux_begin'.*; stock kernel: no kernel BTF" -- 1
	ENVV=()
fi

# --- --load-only --pin in a private bpffs: bpftool, and spedrops reading -------
if ! command -v bpftool >/dev/null || ! command -v jq >/dev/null; then
	skip "pinning checks: bpftool or jq missing"
elif ! mkdir -p "$T/bpffs" || ! mount -t bpf bpf "$T/bpffs" 2>"$T/err"; then
	skip "pinning checks: cannot mount a BPF file system ($(cat "$T/err"))"
else
	MOUNTED+=("$T/bpffs")
	P=$T/bpffs/spekit
	ENVV=(SPEKIT_PIN_DIR="$P")
	expect "--load-only --pin" 0 "" -- --load-only --pin --pmu-type 12345 0.3
	check "--load-only: says loaded, not attached, and where the pins are" \
		'grep -q "^spedrops: raw_tp programs on the arm_spe tracepoints.*; loaded only, not attached (--load-only): nothing will count; maps pinned under $P$" "$T/out"' "$(head -1 "$T/out")"
	check "--load-only: summary printed" 'grep -q "^summary: " "$T/out" && grep -q "^  \[idle\] no SPE activity" "$T/out"'
	check "the 4 maps stay pinned after exit" '[[ -e $P/spe_stats && -e $P/spe_hists && -e $P/spe_faults && -e $P/spe_events ]]' "$(ls "$P" 2>&1)"
	bpftool map dump pinned "$P/spe_stats" >"$T/dump" 2>&1
	check "bpftool map dump pinned spe_stats: field names" \
		'grep -q "\"sessions\": 0" "$T/dump" && grep -q "\"truncations\": \[0,0,0,0,0,0" "$T/dump" && grep -q "\"blind_ns\": 0" "$T/dump"' "$(head -c 300 "$T/dump")"
	n=$(bpftool -j map dump pinned "$P/spe_stats" | jq '[.[0].formatted.values[] | select(.value.sessions == 0 and (.value.truncations | length) == 6)] | length')
	check "bpftool -j | jq: $NCPU per-CPU values with named fields" '[[ $n == "$NCPU" ]]' "got '$n'"
	check "bpftool: spe_hists has its slots" 'bpftool -j map dump pinned "$P/spe_hists" | jq -e "length == 3 and (.[0].formatted.values[0].value.slots | length) == 64" >/dev/null'
	check "bpftool: spe_faults is empty" '[[ $(bpftool -j map dump pinned "$P/spe_faults" | jq length) == 0 ]]'

	# spedrops reads what is written into the maps: counters appear as
	# deltas, blindness runs on, faults are named, advice follows
	env "${ENVV[@]}" "$SD" --load-only --pin --pmu-type 12345 --json -i 0.3 2 >"$T/json" 2>"$T/jerr" &
	pid=$!
	for _ in $(seq 50); do [[ -s $T/json ]] && break; sleep 0.1; done
	val=$(python3 -c '
import struct, time
v = [20, 0, 0, 0, 50000000, 20, 3, 0, 0,  0, 3, 0, 0, 0, 2,  0, 2, 0, 0, time.monotonic_ns(), 0]
print(" ".join("%02x" % b for b in struct.pack("<21Q", *v)))')
	# shellcheck disable=SC2086
	bpftool map update pinned "$P/spe_stats" key 0 0 0 0 value hex $val &&
		bpftool map update pinned "$P/spe_faults" key hex 24 00 00 00 07 00 00 00 value hex 02 00 00 00 00 00 00 00
	urc=$?
	wait $pid
	rc=$?
	check "fed run: exit 0, maps written with bpftool" '[[ $rc -eq 0 && $urc -eq 0 && ! -s $T/jerr ]]' "rc $rc urc $urc: $(cat "$T/jerr")"
	check "fed run: every line is JSON, intervals then one summary" \
		'jq -e -s "(.[:-1] | all(.type == \"interval\")) and .[-1].type == \"summary\" and length >= 4" "$T/json" >/dev/null' "$(head -c 300 "$T/json")"
	S=$(tail -1 "$T/json")
	check "fed run: mode raw_tp, load_only, pin_dir, programs" \
		'jq -e ".mode == \"raw_tp\" and .load_only and .pin_dir == \"$P\" and (.programs | length) == 7" <<<"$S" >/dev/null'
	check "fed run: totals are the deltas written ($NCPU CPUs)" \
		'jq -e ".total.sessions == 20 * $NCPU and .total.bytes == 50000000 * $NCPU and .total.truncations_by_reason.no_space == 3 * $NCPU and .total.truncations_by_reason.fault == 2 * $NCPU and .total.faults == 2 * $NCPU and .active_cpus == $NCPU" <<<"$S" >/dev/null' \
		"$(jq -c .total <<<"$S")"
	check "fed run: blind time runs on, samples lost estimated" \
		'jq -e ".total.blind_pct > 20 and .total.blind_pct < 100 and .total.est_samples_lost > 0 and .hists.blind_ns.count == 0" <<<"$S" >/dev/null' "$(jq -c .total <<<"$S")"
	check "fed run: faults named per CPU" \
		'jq -e "(.faults | length) == $NCPU and all(.faults[]; .desc == \"stage1 fault (EC 0x24), FSC 0x07: level 3 translation fault\" and .count == 2)" <<<"$S" >/dev/null' "$(jq -c .faults <<<"$S")"
	check "fed run: advice aux_buffer and faults, with their numbers" \
		'jq -e "[.advice[].id] == [\"aux_buffer\", \"faults\"] and (.advice[0].text | startswith(\"$((3 * NCPU)) truncations on a full AUX buffer (no_space $((3 * NCPU))\"))" <<<"$S" >/dev/null' "$(jq -c .advice <<<"$S")"
	check "fed run: an interval shows the change" \
		'jq -e -s "[.[] | select(.type == \"interval\" and .total.sessions == 20 * $NCPU)] | length == 1" "$T/json" >/dev/null'

	# The guide's own lines (tools/spedrops/README.md), run as written on
	# these maps and this output: the pinned-map bpftool/jq block, then
	# the --json jq examples on the fed run's output
	guide_lines() {	# SECTION-HEADING-REGEX LINE-REGEX
		awk -v h="$1" -v l="$2" '/^## / { in_s = ($0 ~ h) } in_s && $0 ~ l { print }' tools/spedrops/README.md
	}
	mapfile -t G < <(guide_lines '^## Pinned maps' '^sudo bpftool ' | sed -e 's/^sudo //' -e "s|/sys/fs/bpf/spekit|$P|g")
	want_g=(
		'"sessions": 20,'
		"^(\\{ \"cpu\": [0-9]+, \"sessions\": 20 \\} ){$NCPU}\$"
		"^$((20 * NCPU)) \$"
		"^\\[ 0, $((3 * NCPU)), 0, 0, 0, $((2 * NCPU)) \\] \$"
		'"ec": 36,.*"fsc": 7'
	)
	check "guide: ${#want_g[@]} bpftool lines in 'Pinned maps'" '[[ ${#G[@]} -eq ${#want_g[@]} ]]' "found ${#G[@]}"
	# (outputs with their newlines and runs of blanks as one space)
	for i in "${!G[@]}"; do
		out=$(bash -c "${G[$i]}" 2>&1 | tr -s ' \n' ' ')
		check "guide: ${G[$i]:0:90}" '[[ $out =~ ${want_g[$i]:-no expectation} ]]' "output '${out:0:300}' !~ /${want_g[$i]:-}/"
	done
	mapfile -t G < <(guide_lines '^## JSON Lines' '^spedrops --json' | sed -E "s/^spedrops --json( [0-9]+)? \|/cat \"\$T\/json\" |/")
	NI=$(grep -c '"type":"interval"' "$T/json")
	want_g=(
		"^(\\{\"t\":[0-9.]+,\"blind\":[0-9.]+,\"lost\":[0-9]+\\} ){$NI}\$"
		'^$'
		'^aux_buffer faults $'
	)
	check "guide: ${#want_g[@]} jq lines in 'JSON Lines'" '[[ ${#G[@]} -eq ${#want_g[@]} ]]' "found ${#G[@]}"
	for i in "${!G[@]}"; do
		out=$(T=$T bash -c "${G[$i]}" 2>&1 | tr -s ' \n' ' ')
		check "guide: ${G[$i]:0:90}" '[[ $out =~ ${want_g[$i]:-no expectation} ]]' "output '${out:0:300}' !~ /${want_g[$i]:-}/"
	done

	# text, one CPU: the table and the summary
	expect "text run, -C 0" 0 "" -- --load-only --pin --pmu-type 12345 -C 0 -i 0.2 0.5
	check "text run: header, cpu 0 row, all row" \
		'grep -q "^  time_s   cpu   sess/s" "$T/out" && grep -Eq "^ +[0-9.]+ +0 +0.0 " "$T/out" && grep -Eq "^ +[0-9.]+ +all " "$T/out"'
	check "text run: summary, no faults since start on CPU 0" \
		'grep -q "^summary: " "$T/out" && grep -q "^  faults         none" "$T/out" && grep -q "^advice:" "$T/out"'

	# SIGINT ends a run with the summary
	"$SD" --load-only --pmu-type 12345 -i 0.2 >"$T/sig" 2>&1 &
	pid=$!
	sleep 0.6
	kill -INT $pid
	wait $pid
	rc=$?
	check "SIGINT: exit 0 with a summary" '[[ $rc -eq 0 ]] && grep -q "^summary: " "$T/sig"' "rc $rc: $(tail -3 "$T/sig")"

	expect "--unpin" 0 "" -- --unpin
	check "--unpin removed the maps and the directory" 'grep -qx "spedrops: removed 4 pinned maps and $P" "$T/out" && [[ ! -e $P ]]' "$(cat "$T/out")"
	ENVV=()
fi

# --- the documented place: /sys/fs/bpf/spekit ----------------------------------
D=/sys/fs/bpf/spekit
if [[ -e $D ]]; then
	skip "$D: already exists here (not touching someone's pins)"
elif ! command -v bpftool >/dev/null; then
	skip "$D: no bpftool"
else
	was=$(stat -f -c %T /sys/fs/bpf 2>/dev/null)
	expect "--pin to $D" 0 "" -- --load-only --pin --pmu-type 12345 0.2
	check "/sys/fs/bpf is a BPF file system now" '[[ $(stat -f -c %T /sys/fs/bpf) == bpf_fs ]]'
	bpftool map dump pinned $D/spe_stats >"$T/dump" 2>&1
	check "bpftool map dump pinned $D/spe_stats prints field names" \
		'grep -q "\"sessions\": 0" "$T/dump" && grep -q "\"truncations\": " "$T/dump"' "$(head -c 300 "$T/dump")"
	expect "--unpin $D" 0 "" -- --unpin
	check "--unpin removed $D" '[[ ! -e $D ]]'
	# leave /sys/fs/bpf as found
	# (bpffs shows maps.debug and progs.debug by itself)
	if [[ $was != bpf_fs && -z $(ls -A /sys/fs/bpf 2>/dev/null | grep -v '\.debug$') ]]; then
		umount /sys/fs/bpf 2>/dev/null
	fi
fi

# --- static arm64 build ---------------------------------------------------------------
# The sysroot script is idempotent and installs what it needs, so a fresh
# machine builds it here rather than skipping the check.
if ! bash tools/scripts/arm64-sysroot.sh >"$T/sysroot" 2>&1; then
	bad "arm64 static build: arm64 sysroot (tools/scripts/arm64-sysroot.sh)" "$(tail -5 "$T/sysroot")"
elif make -s --no-print-directory O="$O" spedrops-arm64 >"$T/make" 2>&1; then
	A=$O/arm64/bin/spedrops
	check "arm64: spedrops is a static aarch64 executable ($(stat -c %s "$A" 2>/dev/null) bytes)" \
		'aarch64-linux-gnu-readelf -h "$A" | grep -q AArch64 && ! aarch64-linux-gnu-readelf -l "$A" | grep -q "program interpreter"'
else
	bad "arm64 static build (make spedrops-arm64)" "$(tail -5 "$T/make")"
fi

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
