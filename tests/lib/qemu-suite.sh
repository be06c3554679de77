# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Sourced by the suites that boot Debian's arm64 kernels under QEMU
# (tests/driver/test-qemu.sh, tests/spedrops/test-qemu.sh), run from the
# repository root: the pass/fail tally, readers for the guest's marker
# lines, and the steps each suite takes per kernel before it judges what
# the guest printed:
#
#   qs_kernel VER DIR         the prepared kernel's env (KDIR, KERNELRELEASE...)
#   qs_module VER DIR OUT SRC the module built as tests/driver/test-build.sh does
#   qs_boot VER DIR WHAT ...  the suite's guest_script run in that kernel
#
# DIR is the suite's per-kernel output directory; each step leaves its
# stderr there (prepare.err, build.err, boot.err) and prints one FAIL line
# when it fails.
pass=0 fail=0
QS_SCRIPTS=driver/scripts

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
# check NAME CMD...: one test line from a command's exit status.
check() { local n=$1; shift; if "$@"; then ok "$n"; else bad "$n"; fi; }
indent() { sed 's/^/    /'; }
# section FILE NAME: the lines between ==NAME== and ==NAME-END==.
section() { sed -n "/^==$2==\$/,/^==$2-END==\$/{//!p}" "$1"; }
# value FILE KEY: what follows "==KEY " on its line (the last such line).
value() { sed -n "s/^==$2 \\(.*\\)\$/\\1/p" "$1" | tail -1; }

# Kernel log lines that fail any suite (grep -E): a warning, oops, leak, or
# a module the kernel refused.
# shellcheck disable=SC2034  # read by the suites
KLOG_BAD_RE='WARNING:|Oops|BUG:|Call trace|kmemleak|unreferenced object|section size must match|Unknown symbol|invalid module format'

# qs_kernel VER DIR: prepare Debian's VER kernel (cheap once cached) and
# set its env here: KDIR, KERNELRELEASE, IMAGE, CROSS_COMPILE...  Status 1
# after a FAIL line when it cannot be prepared.
qs_kernel() {
	local v=$1 q=$2 envtxt
	if ! envtxt=$(bash "$QS_SCRIPTS/prepare-kernel.sh" --print-env "$v" 2>"$q/prepare.err"); then
		bad "$v: kernel tree prepared"
		tail -5 "$q/prepare.err" | indent
		return 1
	fi
	eval "$envtxt"
}

# qs_module VER DIR OUT SRC: the module from SRC built in OUT against VER
# with the arguments tests/driver/test-build.sh uses, so that build is
# reused when the sources have not changed since.  Status 1 after a FAIL
# line naming $MOD.ko when it does not build.
qs_module() {
	local v=$1 q=$2 out=$3 src=$4
	bash "$QS_SCRIPTS/build-module.sh" --src "$src" --out "$out" "$v" \
		W=1 C=1 CHECK=sparse >/dev/null 2>"$q/build.err" && return 0
	bad "$v: $MOD.ko built"
	{ tail -20 "$out.log" 2>/dev/null || true; tail -3 "$q/build.err"; } | indent
	return 1
}

# qs_boot VER DIR WHAT [qemu-boot.sh options]: the suite's guest_script
# written to DIR/guest.sh and run in kernel VER (driver/scripts/qemu-boot.sh),
# console in DIR/console.log, the script's output in DIR/guest.out.  Sets
# QS_BOOT_S (seconds taken).  Status 0: it ran and the guest powered off;
# otherwise a FAIL line "VER: WHAT (qemu-boot.sh exit N; log ...)" and
# status 1 if DIR/guest.out has something to judge, 2 if not.
qs_boot() {
	local v=$1 q=$2 what=$3 t0=$SECONDS rc=0
	shift 3
	guest_script >"$q/guest.sh"
	bash "$QS_SCRIPTS/qemu-boot.sh" "$@" --log "$q/console.log" --output "$q/guest.out" \
		"$v" "$q/guest.sh" 2>"$q/boot.err" || rc=$?
	# shellcheck disable=SC2034  # read by the suite
	QS_BOOT_S=$((SECONDS - t0))
	((rc == 0)) && return 0
	bad "$v: $what (qemu-boot.sh exit $rc; log $q/console.log)"
	tail -3 "$q/boot.err" | indent
	[[ -s "$q/guest.out" ]] && return 1
	return 2
}
