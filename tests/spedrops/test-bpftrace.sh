#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The bpftrace one-liners of tools/spedrops/README.md ("bpftrace on the
# driver's tracepoints"), compiled by bpftrace itself (--emit-elf: parse,
# semantic checks, LLVM codegen, no attach) against the tracepoint format
# files that Debian's real arm64 6.1 and 6.12 kernels printed for the
# module under QEMU (saved by tests/driver/test-qemu.sh; run here first if
# missing).  This host has no arm_spe tracepoints, so each compile runs in
# a private mount namespace whose tracefs holds just those formats.  A
# misspelt field and an unknown event must fail the same way, or the check
# proves nothing.
#
# Run from the repo root as root.  Environment: SPEKIT_BUILD (default
# build), SPEKIT_KERNELS (default "6.12 6.1").
set -uo pipefail

O=${SPEKIT_BUILD:-build}
KERNELS=${SPEKIT_KERNELS:-6.12 6.1}
GUIDE=tools/spedrops/README.md
NLINES=7	# one-liners in the guide: a count, so a lost line shows
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
indent() { sed 's/^/    /'; }
finish() { echo "$pass passed, $fail failed"; [[ $fail -eq 0 ]]; exit; }

if [[ $(id -u) -ne 0 ]]; then
	bad "root needed (a private tracefs mount for bpftrace)"
	finish
fi
if ! bash tools/scripts/install-deps.sh bpf >"$T/deps" 2>&1 || ! command -v bpftrace >/dev/null; then
	bad "bpftrace installed (tools/scripts/install-deps.sh bpf): $(tail -1 "$T/deps")"
	finish
fi

# The programs: what is between the quotes of each `sudo bpftrace -e '...'`
# line of the section
awk '/^## bpftrace on the driver.s tracepoints/ { in_s = 1; next }
     /^## / { in_s = 0 }
     in_s && /^sudo bpftrace -e '\''/ { print }' "$GUIDE" |
	sed -e "s/^sudo bpftrace -e '//" -e "s/'\$//" >"$T/progs"
n=$(wc -l <"$T/progs")
if [[ $n -eq $NLINES ]]; then ok "$GUIDE: $n bpftrace one-liners"; else bad "$GUIDE: want $NLINES bpftrace one-liners, found $n"; fi

# compile FORMATS-DIR PROGRAM: bpftrace's dry run in a namespace whose
# tracefs has exactly the module's events
cat >"$T/compile.sh" <<'SH'
set -e
F=$1 P=$2 OUT=$3
TR=/sys/kernel/tracing
mount -t tmpfs spekit-tracefs $TR
mount -t tmpfs spekit-debugfs /sys/kernel/debug	# no second tracefs there
: >$TR/available_events
for f in "$F"/*; do
	e=${f##*/}
	mkdir -p $TR/events/arm_spe/$e
	cp "$f" $TR/events/arm_spe/$e/format
	echo "arm_spe:$e" >>$TR/available_events
done
ulimit -l unlimited 2>/dev/null || true	# bpftrace only warns without it
exec bpftrace --emit-elf "$OUT" -e "$P"
SH
compile() { unshare -m --propagation private bash "$T/compile.sh" "$1" "$2" "$T/out.elf" >"$T/log" 2>&1; }

for v in $KERNELS; do
	F=$O/driver/$v/formats
	if [[ ! -s $F/arm_spe_truncate ]]; then
		SPEKIT_KERNELS=$v bash tests/driver/test-qemu.sh >"$T/qemu-$v" 2>&1
	fi
	if [[ ! -s $F/arm_spe_truncate ]]; then
		bad "$v: tracepoint formats from QEMU ($F; tests/driver/test-qemu.sh: $(tail -1 "$T/qemu-$v"))"
		continue
	fi
	i=0
	while IFS= read -r p; do
		i=$((i + 1))
		rm -f "$T/out.elf"
		if compile "$F" "$p" && [[ -s $T/out.elf ]]; then
			ok "$v: one-liner $i compiles ($(stat -c %s "$T/out.elf") bytes of BPF ELF): ${p:0:70}..."
		else
			bad "$v: one-liner $i: ${p:0:100}"
			grep -v "^WARNING" "$T/log" | head -8 | indent
		fi
	done <"$T/progs"
	# the controls
	if compile "$F" 'tracepoint:arm_spe:arm_spe_truncate { @[args->reasons] = count(); }'; then
		bad "$v: control: a misspelt field (reasons) must not compile"
	elif grep -q "does not contain a field named 'reasons'" "$T/log"; then
		ok "$v: control: a misspelt field is refused by name"
	else
		bad "$v: control: misspelt field refused for another reason"
		head -5 "$T/log" | indent
	fi
	if compile "$F" 'tracepoint:arm_spe:arm_spe_overflow { @ = count(); }'; then
		bad "$v: control: an event the module does not have must not compile"
	elif grep -q "tracepoint not found: arm_spe:arm_spe_overflow" "$T/log"; then
		ok "$v: control: an unknown arm_spe event is refused by name"
	else
		bad "$v: control: unknown event refused for another reason"
		head -5 "$T/log" | indent
	fi
done
finish
