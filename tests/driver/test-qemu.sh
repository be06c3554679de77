#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver boot suite: for each of Debian's arm64 kernels (6.1, 6.12) boot the
# real Debian kernel under QEMU (-M virt -cpu max, TCG) with an SPE node in
# the device tree, insmod the module, and check: it loads, its probe fails
# naming the missing SPE (-cpu max has none), its tracepoints appear under
# /sys/kernel/tracing/events/arm_spe, rmmod works, and the kernel log has no
# warning, oops, leak or unexpected taint.  The tracepoint format files are
# saved to $SPEKIT_BUILD/driver/<ver>/formats/<event>; if
# tests/driver/check-formats.sh is executable it is run on them as one more
# test: check-formats.sh VER FORMATS-DIR.
#
# Run from the repo root.  Environment: as tests/driver/test-build.sh, and
#   SPEKIT_PROBE_RE       regex the probe's failure line must match
#   SPEKIT_QEMU_TIMEOUT   seconds per boot (default 120)
# Takes ~10 s per kernel once the trees are prepared and the module built
# (it reuses test-build.sh's build when the sources have not changed).
set -euo pipefail

O=${SPEKIT_BUILD:-build}
SRC=${SPEKIT_DRIVER_SRC:-driver}
MOD=${SPEKIT_MODULE:-arm_spe_pmu}
KERNELS=${SPEKIT_KERNELS:-6.1 6.12}
# The real driver's message on a CPU without SPE (upstream arm_spe_pmu).
PROBE_RE=${SPEKIT_PROBE_RE:-'unsupported ID_AA64DFR0_EL1\.PMSVer'}
# ok/bad/check/indent/section/value, qs_kernel/qs_module/qs_boot
# shellcheck source-path=SCRIPTDIR source=../lib/qemu-suite.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/qemu-suite.sh"

# The guest side: every result goes out as a marker line for the host to
# parse; the script itself always exits 0 so the boot's status only says
# whether the guest got through.
guest_script() {
	cat <<EOF
m=$MOD
EOF
	cat <<'EOF'
echo "==UNAME $(uname -r)"
insmod /$m.ko
echo "==INSMOD $?"
echo "==DMESG1=="
dmesg
echo "==DMESG1-END=="
ev=/sys/kernel/tracing/events/arm_spe
if [ -d $ev ]; then
	echo "==EVENTS-DIR yes"
	for e in $ev/*; do
		[ -f $e/format ] || continue
		n=${e##*/}
		echo "==FORMAT-$n=="
		cat $e/format
		echo "==FORMAT-$n-END=="
		echo "==EVENT $n"
	done
else
	echo "==EVENTS-DIR no"
fi
rmmod $m
echo "==RMMOD $?"
# kmemleak only exists on debug kernels; scan so a leak on unload shows.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	sleep 1
	echo scan >/sys/kernel/debug/kmemleak
	echo "==KMEMLEAK=="
	cat /sys/kernel/debug/kmemleak
	echo "==KMEMLEAK-END=="
fi
echo "==DMESG2=="
dmesg
echo "==DMESG2-END=="
if grep -q "^$m " /proc/modules; then echo "==MODULE-GONE no"; else echo "==MODULE-GONE yes"; fi
exit 0
EOF
}

# Kernel log lines that fail the suite: the shared ones and the module
# loader's complaints.  Unsigned out-of-tree modules taint Debian's kernels
# (O and E flags) with exactly two expected lines; any other taint is
# reported.
BAD_RE="$KLOG_BAD_RE|disagrees about version|failed to validate module|taint"
ALLOWED_RE=': loading out-of-tree module taints kernel\.$|: module verification failed: signature and/or required key missing - tainting kernel$'

mkdir -p "$O/driver"
for v in $KERNELS; do
	d=$O/driver/$v
	q=$d/qemu
	mkdir -p "$q"
	qs_kernel "$v" "$q" || continue
	out=$d/build
	qs_module "$v" "$q" "$out" "$SRC" || continue

	rc=0
	qs_boot "$v" "$q" "boot, guest script ran, powered off" --file "$out/$MOD.ko:/$MOD.ko" || rc=$?
	case $rc in
	0) ok "$v: boot, guest script ran, powered off ($QS_BOOT_S s)" ;;
	2) continue ;;
	esac
	g=$q/guest.out

	u=$(value "$g" UNAME)
	check "$v: uname -r is $KERNELRELEASE${u:+ (got $u)}" test "$u" == "$KERNELRELEASE"
	r=$(value "$g" INSMOD)
	check "$v: insmod $MOD.ko exits 0${r:+ (got $r)}" test "$r" == 0
	if section "$g" DMESG1 | grep -qE "$PROBE_RE"; then
		ok "$v: probe fails naming the missing SPE"
	else
		bad "$v: probe fails naming the missing SPE (no dmesg line matching '$PROBE_RE')"
		section "$g" DMESG1 | grep -E "$MOD|spe-pmu|arm_spe|SPE" | tail -10 | indent
	fi

	evs=$(sed -n 's/^==EVENT \(.*\)$/\1/p' "$g")
	if [[ $(value "$g" EVENTS-DIR) == yes && -n "$evs" ]]; then
		ok "$v: events/arm_spe has $(wc -w <<<"$evs") event(s): ${evs//$'\n'/ }"
	else
		bad "$v: events/arm_spe exists with at least one event"
	fi
	fd=$d/formats
	rm -rf "$fd"
	mkdir -p "$fd"
	for e in $evs; do
		section "$g" "FORMAT-$e" >"$fd/$e"
	done

	r=$(value "$g" RMMOD)
	check "$v: rmmod $MOD exits 0${r:+ (got $r)}" test "$r" == 0
	check "$v: $MOD gone from /proc/modules" test "$(value "$g" MODULE-GONE)" == yes

	bad_lines=$({ section "$g" DMESG2; section "$g" KMEMLEAK; } | grep -iE "$BAD_RE" | grep -vE "$ALLOWED_RE" || true)
	if [[ -z "$bad_lines" && -n "$(section "$g" DMESG2)" ]]; then
		ok "$v: kernel log clean (no warning, oops, leak, version or unexpected taint line)"
	else
		bad "$v: kernel log clean"
		if [[ -n "$bad_lines" ]]; then indent <<<"$bad_lines" | head -30; else echo "    (no dmesg captured)"; fi
	fi

	hook=tests/driver/check-formats.sh
	if [[ -x "$hook" ]]; then
		if "$hook" "$v" "$fd" >"$q/check-formats.out" 2>&1; then
			ok "$v: check-formats.sh"
		else
			bad "$v: check-formats.sh"
			tail -20 "$q/check-formats.out" | indent
		fi
	fi
done

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
