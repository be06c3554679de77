#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# spedrops in Debian's real arm64 kernels (6.12, 6.1) under QEMU, the only
# place here where fentry, kprobes, tp_btf and module tracepoints exist
# (this x86 host's kernel offers raw_tp alone).  The static arm64 spedrops
# (make spedrops-arm64) and the driver module built against the same
# kernel (tests/driver/test-build.sh's build) go into the initramfs; the
# guest has no SPE (-cpu max), so --pmu-type stands in for the PMU the
# driver's probe cannot register.
#
# Per kernel:
#   stock kernel (module not loaded): spedrops' own choice, with nothing
#     forced: fentry on 6.12; on 6.1 fentry fails to attach (-524, arm64
#     has ftrace direct calls only from 6.4) and it falls back to kprobes,
#     saying so.  Then each stock mode by --mode: fentry (6.1: one line,
#     exit 3) and kprobe.
#   module loaded: auto (tp_btf: the module has BTF), --mode raw_tp.
#   --load-only in each of the four modes: the verifier accepts them all.
# Each live run lasts 2 s with -i 0.5 and --json; the suite checks the exit
# status, the mode and reason in the summary, that the programs listed are
# that mode's, no SPE activity, the "idle" advice, and - read by the guest
# while spedrops runs - that the attachment is real on the kernel's side:
# the module's reference count rises for tp_btf/raw_tp (a raw tracepoint
# link holds the module), perf_aux_output_begin shows in
# tracing/enabled_functions for fentry, in debugfs kprobes/list for kprobes;
# and all of that is gone after spedrops exits.  rmmod must then work and
# the kernel log stay clean.
#
# Run from the repo root.  Environment: SPEKIT_BUILD (default build),
# SPEKIT_KERNELS (default "6.12 6.1"), SPEKIT_CACHE, SPEKIT_QEMU_TIMEOUT.
# Takes ~35 s per kernel once the trees are prepared.
set -euo pipefail

O=${SPEKIT_BUILD:-build}
KERNELS=${SPEKIT_KERNELS:-6.12 6.1}
MOD=arm_spe_pmu
PMU_TYPE=4242	# any number: no PMU has it, so nothing is counted
# ok/bad/indent/section/value, KLOG_BAD_RE, qs_kernel/qs_module/qs_boot
# shellcheck source-path=SCRIPTDIR source=../lib/qemu-suite.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/qemu-suite.sh"

# The runs: LABEL and spedrops' arguments beyond --pmu-type/--json/-i.
# "stock-" runs come before insmod, the others after.
RUNS=(
	"stock-auto|2"
	"stock-fentry|--mode fentry 2"
	"stock-kprobe|--mode kprobe 2"
	"drv-auto|2"
	"drv-raw_tp|--mode raw_tp 2"
	"load-tp_btf|--mode tp_btf --load-only 0.5"
	"load-raw_tp|--mode raw_tp --load-only 0.5"
	"load-fentry|--mode fentry --load-only 0.5"
	"load-kprobe|--mode kprobe --load-only 0.5"
)

# The tables are read through want()'s nameref.
# shellcheck disable=SC2034
# What each run must report per kernel: the mode, or "exit3" for a run
# that must fail with one line naming the reason (REASON_RE).
declare -A WANT=(
	[6.12:stock-auto]=fentry [6.1:stock-auto]=kprobe
	[6.12:stock-fentry]=fentry [6.1:stock-fentry]=exit3
	[stock-kprobe]=kprobe [drv-auto]=tp_btf [drv-raw_tp]=raw_tp
	[load-tp_btf]=tp_btf [load-raw_tp]=raw_tp [load-fentry]=fentry [load-kprobe]=kprobe
)
# shellcheck disable=SC2034
declare -A WHY_RE=(
	[6.12:stock-auto]="^fentry programs on perf_aux_output_begin/flag/end, counting PMU type $PMU_TYPE \\(no arm_spe tracepoints in tracefs"
	[6.1:stock-auto]="^kprobe programs on perf_aux_output_begin/flag/end, counting PMU type $PMU_TYPE \\(no arm_spe tracepoints in tracefs .*; fentry failed: prog .spe_fentry_aux_begin.: failed to attach: ENOTSUPP \\(-524: not supported by this kernel\\)"
	[drv-auto]="^tp_btf programs on the arm_spe tracepoints \\(arm_spe_pmu has BTF\\)"
	[drv-raw_tp]="^raw_tp programs on the arm_spe tracepoints \\(--mode\\)"
)
# shellcheck disable=SC2034
declare -A ERR_RE=(
	[6.1:stock-fentry]="^spedrops: no way to observe SPE here: driver tracepoints not tried \\(--mode\\); stock kernel: fentry failed: prog .spe_fentry_aux_begin.: failed to attach: ENOTSUPP \\(-524: not supported by this kernel\\)"
)
# want VER LABEL TABLE: the kernel's own entry, else the common one
want() { local -n a=$3; echo "${a[$1:$2]:-${a[$2]:-}}"; }

guest_script() {
	cat <<EOF
m=$MOD
pmu=$PMU_TYPE
EOF
	cat <<'EOF'
T=/sys/kernel/tracing
# What holds perf_aux_output_begin or the module, on the kernel's side
evidence() {
	rc=$(cat /sys/module/$m/refcnt 2>/dev/null || echo -)
	ft=$(grep -c '^perf_aux_output_begin' $T/enabled_functions 2>/dev/null)
	kp=$(grep -c 'perf_aux_output_begin' /sys/kernel/debug/kprobes/list 2>/dev/null)
	echo "refcnt=$rc ftrace=${ft:-0} kprobes=${kp:-0}"
}
# run LABEL ARGS...: spedrops in the background; evidence once its first
# interval is out (it has loaded and attached by then); then its status
run() {
	l=$1; shift
	echo "==BEFORE-$l $(evidence)"
	/spedrops --pmu-type $pmu --json -i 0.5 "$@" >/tmp/$l.out 2>/tmp/$l.err &
	pid=$!
	n=0
	while [ ! -s /tmp/$l.out ] && [ $n -lt 100 ] && kill -0 $pid 2>/dev/null; do
		sleep 0.1
		n=$((n + 1))
	done
	echo "==DURING-$l $(evidence)"
	wait $pid
	echo "==RC-$l $?"
	echo "==AFTER-$l $(evidence)"
	echo "==ERRLINES-$l $(wc -l </tmp/$l.err)"
	echo "==STDERR-$l $(head -c 1500 /tmp/$l.err | tr '\n' ' ')"
	echo "==SUMMARY-$l $(grep '"type":"summary"' /tmp/$l.out)"
	echo "==INTERVALS-$l $(grep -c '"type":"interval"' /tmp/$l.out)"
}
echo "==UNAME $(uname -r)"
EOF
	local r label args
	for r in "${RUNS[@]}"; do
		label=${r%%|*}
		args=${r#*|}
		if [[ $label == drv-auto ]]; then
			cat <<'EOF'
insmod /$m.ko
echo "==INSMOD $?"
EOF
		fi
		echo "run $label $args"
	done
	cat <<'EOF'
rmmod $m
echo "==RMMOD $?"
echo "==DMESG=="
dmesg
echo "==DMESG-END=="
exit 0
EOF
}

# check_run VER LABEL GUEST-OUT
check_run() {
	local v=$1 l=$2 g=$3 w rc during after sum errl why_re err_re res
	w=$(want "$v" "$l" WANT)
	rc=$(value "$g" "RC-$l")
	during=$(value "$g" "DURING-$l")
	after=$(value "$g" "AFTER-$l")
	if [[ $w == exit3 ]]; then
		err_re=$(want "$v" "$l" ERR_RE)
		errl=$(value "$g" "ERRLINES-$l")
		if [[ $rc == 3 && $errl == 1 ]] && value "$g" "STDERR-$l" | grep -Eq -- "$err_re"; then
			ok "$v: $l: exit 3, one line: $(value "$g" "STDERR-$l" | cut -c1-160)"
		else
			bad "$v: $l: want exit 3 and one line matching /$err_re/; got exit ${rc:-none}, ${errl:-?} line(s): $(value "$g" "STDERR-$l" | cut -c1-300)"
		fi
		return
	fi
	sum=$(value "$g" "SUMMARY-$l")
	why_re=$(want "$v" "$l" WHY_RE)
	# The summary, judged by python's json module
	if res=$(SUM=$sum python3 - "$w" "$why_re" "$l" 2>&1 <<'PY'
import json, os, re, sys
want, why_re, label = sys.argv[1], sys.argv[2], sys.argv[3]
s = json.loads(os.environ["SUM"])
prefix = {"tp_btf": "spe_btf_", "raw_tp": "spe_rtp_", "fentry": "spe_fentry_", "kprobe": "spe_kprobe_"}[want]
n = 7 if want in ("tp_btf", "raw_tp") else 3
problems = []
if s.get("mode") != want: problems.append("mode %r" % s.get("mode"))
if why_re and not re.search(why_re, s.get("why", "")): problems.append("why %r !~ /%s/" % (s.get("why"), why_re))
progs = s.get("programs", [])
if len(progs) != n or any(not p.startswith(prefix) for p in progs): problems.append("programs %r" % progs)
if s.get("load_only") != label.startswith("load-"): problems.append("load_only %r" % s.get("load_only"))
t = s.get("total", {})
busy = {k: t[k] for k in ("sessions", "irqs", "bytes", "truncations", "collisions", "faults") if t.get(k)}
if busy: problems.append("SPE activity %r" % busy)
if s.get("events_total"): problems.append("events %r" % s.get("events_total"))
if [a.get("id") for a in s.get("advice", [])] != ["idle"]: problems.append("advice %r" % s.get("advice"))
print("; ".join(problems) or "mode %s, %d programs, %.1f s, nothing counted, advice idle" % (want, n, s["duration_s"]))
sys.exit(1 if problems else 0)
PY
	) && [[ $rc == 0 && $(value "$g" "ERRLINES-$l") == 0 ]]; then
		ok "$v: $l: exit 0, $res"
	else
		bad "$v: $l: exit ${rc:-none}; ${res:-no summary}; stderr: $(value "$g" "STDERR-$l" | cut -c1-300)"
		return
	fi
	local ni
	ni=$(value "$g" "INTERVALS-$l")
	if [[ $l == load-* ]]; then
		if [[ $ni -ge 1 ]]; then ok "$v: $l: reported an interval"; else bad "$v: $l: no interval reported"; fi
		return
	fi
	if [[ $ni -ge 3 ]]; then ok "$v: $l: $ni intervals in 2 s"; else bad "$v: $l: want >= 3 intervals in 2 s at -i 0.5, got $ni"; fi

	# The kernel's side: attached while running, released after
	local key
	case $w in
	tp_btf | raw_tp)
		# the module is held by the links (refcnt 0 before, >0 during)
		local r0 r1 r2
		r0=$(sed -n 's/.*refcnt=\([^ ]*\).*/\1/p' <<<"$(value "$g" "BEFORE-$l")")
		r1=$(sed -n 's/.*refcnt=\([^ ]*\).*/\1/p' <<<"$during")
		r2=$(sed -n 's/.*refcnt=\([^ ]*\).*/\1/p' <<<"$after")
		if [[ $r1 =~ ^[0-9]+$ && $r0 =~ ^[0-9]+$ && $r1 -gt $r0 && $r2 == "$r0" ]]; then
			ok "$v: $l: $MOD held by the links while attached (refcnt $r0 -> $r1 -> $r2)"
		else
			bad "$v: $l: $MOD refcnt before/during/after: ${r0:-?} ${r1:-?} ${r2:-?}"
		fi
		return ;;
	fentry) key=ftrace where="tracing/enabled_functions" ;;
	kprobe) key=kprobes where="debugfs kprobes/list" ;;
	esac
	local c1 c2
	c1=$(sed -n "s/.*$key=\\([0-9]*\\).*/\\1/p" <<<"$during")
	c2=$(sed -n "s/.*$key=\\([0-9]*\\).*/\\1/p" <<<"$after")
	if [[ ${c1:-0} -ge 1 && ${c2:-1} -eq 0 ]]; then
		ok "$v: $l: perf_aux_output_begin in $where while attached, gone after"
	else
		bad "$v: $l: perf_aux_output_begin in $where: during '$during', after '$after'"
	fi
}

t0=$SECONDS
if ! make -s --no-print-directory O="$O" spedrops-arm64 >"$O/spedrops-arm64.log" 2>&1; then
	bad "make spedrops-arm64"
	tail -5 "$O/spedrops-arm64.log" | indent
	echo "$pass passed, $fail failed"
	exit 1
fi
SD=$O/arm64/bin/spedrops
for v in $KERNELS; do
	q=$O/spedrops/qemu-$v
	mkdir -p "$q"
	qs_kernel "$v" "$q" || continue
	# test-build.sh's build of the module, reused
	out=$O/driver/$v/build
	qs_module "$v" "$q" "$out" driver || continue
	rc=0
	qs_boot "$v" "$q" "boot, run spedrops, power off" --file "$SD:/spedrops" \
		--file "$out/$MOD.ko:/$MOD.ko" || rc=$?
	g=$q/guest.out
	case $rc in
	0) ok "$v: booted $(value "$g" UNAME), ran spedrops ${#RUNS[@]} times ($QS_BOOT_S s)" ;;
	2) continue ;;
	esac
	for r in "${RUNS[@]}"; do
		check_run "$v" "${r%%|*}" "$g"
	done
	if [[ $(value "$g" INSMOD) == 0 ]]; then ok "$v: insmod $MOD"; else bad "$v: insmod $MOD: $(value "$g" INSMOD)"; fi
	if [[ $(value "$g" RMMOD) == 0 ]]; then
		ok "$v: rmmod $MOD after the runs (no reference left)"
	else
		bad "$v: rmmod $MOD after the runs: $(value "$g" RMMOD)"
	fi
	badlines=$(section "$g" DMESG | grep -E "$KLOG_BAD_RE" || true)
	if [[ -z $badlines ]]; then ok "$v: kernel log clean"; else bad "$v: kernel log clean"; indent <<<"$badlines" | head -10; fi
done
echo "spedrops qemu: $((SECONDS - t0)) s; outputs in $O/spedrops" >&2
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
