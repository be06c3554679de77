#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# End-to-end check of the BPF toolchain spekit's CO-RE programs use, and of
# which attach types Debian's arm64 kernels accept:
#
#   1. bpfcheck.bpf.c (tools/scripts/bpf-toolchain/) compiles for both
#      arches against the committed vmlinux/vmlinux.h (clang -target bpf
#      -D__TARGET_ARCH_<arch>), and bpftool makes its skeleton
#   2. the loader bpfcheck.c links natively (host libbpf, dynamic) and as a
#      STATIC arm64 binary against tools/scripts/arm64-sysroot.sh's libbpf
#      with the cross toolchain's own libc
#   3. natively, raw_tp loads and fires when this host allows bpf() at all
#      (other attach types depend on the host kernel: reported, not judged)
#   4. in each Debian arm64 kernel under QEMU (driver/scripts/qemu-boot.sh):
#      kernel BTF, kprobe PMU and tracefs are there, perf_aux_output_begin
#      is traceable, and each attach type does what EXPECT below says:
#      raw_tp/kprobe/fentry must count getpid() calls, the *-aux programs
#      load their CO-RE reads of perf_aux_output_begin's arguments and
#      attach.  On 6.1 fentry fails at attach with -524 (ENOTSUPP): arm64
#      has DYNAMIC_FTRACE_WITH_DIRECT_CALLS only from 6.4, so
#      register_fentry() finds no ftrace ops for the traced function.
#
# Prints one ok/FAIL line per check and "N passed, N failed".  Outputs go to
# $SPEKIT_BUILD/bpf-toolchain (default build/).  Takes ~15 s once the
# kernels (prepare-kernel.sh) and the sysroot are cached.
#
# Usage: bpf-toolchain.sh [--no-qemu]
# Environment: SPEKIT_BUILD, SPEKIT_KERNELS (default "6.12 6.1"),
# SPEKIT_CACHE, SPEKIT_QEMU_TIMEOUT.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SRC=$HERE/bpf-toolchain
O=${SPEKIT_BUILD:-$ROOT/build}/bpf-toolchain
KERNELS=${SPEKIT_KERNELS:-6.12 6.1}
TESTS="raw_tp kprobe fentry kprobe-aux fentry-aux"
qemu=1
case ${1:-} in
--no-qemu) qemu=0 ;;
'') ;;
*) echo "usage: bpf-toolchain.sh [--no-qemu]" >&2; exit 2 ;;
esac

# What each kernel must do per test: "ok", or the exact failure
# "fail <stage> <-errno>" (bpfcheck's RESULT line).  Anything else, an
# unexpected success included, fails the check so the table and
# vmlinux/README.md get updated.
declare -A EXPECT=(
	[6.1:fentry]="fail attach -524"
	[6.1:fentry-aux]="fail attach -524"
)

pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
indent() { sed 's/^/    /'; }
# value FILE KEY: what follows "==KEY " on its line.
value() { sed -n "s/^==$2 \\(.*\\)\$/\\1/p" "$1" | tail -1; }

t0=$SECONDS
bash "$ROOT/tools/scripts/install-deps.sh" bpf bpf-arm64 ||
	{ echo "bpf-toolchain: host packages missing; run: bash tools/scripts/install-deps.sh bpf bpf-arm64" >&2; exit 1; }
mkdir -p "$O/x86" "$O/arm64"

# --- 1. BPF objects and skeletons --------------------------------------------
for a in x86 arm64; do
	if clang -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_"$a" -I "$ROOT/vmlinux" \
		-c "$SRC/bpfcheck.bpf.c" -o "$O/$a/bpfcheck.bpf.o" 2>"$O/$a/bpf.err" &&
		# DWARF off, BTF kept: libbpf needs .BTF and .BTF.ext for CO-RE.
		llvm-strip -g "$O/$a/bpfcheck.bpf.o" &&
		bpftool gen skeleton "$O/$a/bpfcheck.bpf.o" >"$O/$a/bpfcheck.skel.h.tmp" 2>>"$O/$a/bpf.err"; then
		mv -f "$O/$a/bpfcheck.skel.h.tmp" "$O/$a/bpfcheck.skel.h"
		ok "$a: bpfcheck.bpf.o built against vmlinux/$a/vmlinux.h, skeleton generated"
	else
		bad "$a: bpfcheck.bpf.o built against vmlinux/$a/vmlinux.h, skeleton generated"
		head -20 "$O/$a/bpf.err" | indent
	fi
done

# --- 2. loaders ----------------------------------------------------------------
native=$O/x86/bpfcheck
rm -f "$native"
# shellcheck disable=SC2046
if gcc -O2 -Wall -Wextra -Werror -I "$O/x86" "$SRC/bpfcheck.c" $(pkg-config --cflags --libs libbpf) \
	-o "$native" 2>"$O/x86/cc.err"; then
	ok "native: bpfcheck linked against libbpf $(pkg-config --modversion libbpf)"
else
	bad "native: bpfcheck linked against the host libbpf"
	head -20 "$O/x86/cc.err" | indent
fi

cross=$O/arm64/bpfcheck
rm -f "$cross"
if envtxt=$(bash "$HERE/arm64-sysroot.sh" --print-env 2>"$O/arm64/sysroot.err"); then
	eval "$envtxt"
	# The env's flags are word lists.
	# shellcheck disable=SC2206
	link=("$CC" $CFLAGS -O2 -Wall -Wextra -Werror -I "$O/arm64" "$SRC/bpfcheck.c" $LDFLAGS $LDLIBS -o "$cross")
	echo "${link[*]}" >"$O/arm64/link-line"
	if "${link[@]}" 2>"$O/arm64/cc.err"; then
		if aarch64-linux-gnu-readelf -lh "$cross" | grep -q 'Requesting program interpreter'; then
			bad "arm64: bpfcheck is static (it has a program interpreter)"
		else
			ok "arm64: bpfcheck linked static ($(stat -c %s "$cross") bytes): $LDLIBS"
		fi
	else
		bad "arm64: static link of bpfcheck ($LDLIBS)"
		head -20 "$O/arm64/cc.err" | indent
	fi
else
	bad "arm64: sysroot prepared (tools/scripts/arm64-sysroot.sh)"
	tail -5 "$O/arm64/sysroot.err" | indent
fi

# --- 3. native run -------------------------------------------------------------
if [[ -x "$native" ]]; then
	# shellcheck disable=SC2086
	"$native" $TESTS >"$O/x86/run.out" 2>&1 || true
	r=$(sed -n 's/^RESULT raw_tp //p' "$O/x86/run.out")
	case $r in
	ok*) ok "native: raw_tp loads, attaches and fires ($r)" ;;
	"fail load -1 "* | "fail load -13 "*) echo "skip native: this host does not allow bpf() ($r)" ;;
	*) bad "native: raw_tp loads, attaches and fires (${r:-no RESULT line})"; indent <"$O/x86/run.out" | head -20 ;;
	esac
	# The host kernel is not ours: the other results are information.
	grep '^RESULT' "$O/x86/run.out" | grep -v '^RESULT raw_tp ' | sed "s/^RESULT /info native $(uname -r): /" || true
fi

# --- 4. Debian's arm64 kernels under QEMU ----------------------------------------
guest_script() {
	cat <<EOF
tests="$TESTS"
EOF
	cat <<'EOF'
echo "==UNAME $(uname -r)"
if [ -r /sys/kernel/btf/vmlinux ]; then echo "==BTF yes"; else echo "==BTF no"; fi
if [ -r /sys/bus/event_source/devices/kprobe/type ]; then echo "==KPROBE-PMU yes"; else echo "==KPROBE-PMU no"; fi
if [ -w /sys/kernel/tracing/kprobe_events ]; then echo "==TRACEFS yes"; else echo "==TRACEFS no"; fi
if grep -qx perf_aux_output_begin /sys/kernel/tracing/available_filter_functions; then
	echo "==TRACEABLE yes"
else
	echo "==TRACEABLE no"
fi
/bpfcheck $tests
echo "==BPFCHECK $?"
echo "==DMESG=="
dmesg
echo "==DMESG-END=="
exit 0
EOF
}

if ((qemu)) && [[ -x "$cross" ]]; then
	for v in $KERNELS; do
		q=$O/qemu-$v
		mkdir -p "$q"
		guest_script >"$q/guest.sh"
		s0=$SECONDS
		rc=0
		bash "$ROOT/driver/scripts/qemu-boot.sh" --file "$cross:/bpfcheck" --log "$q/console.log" \
			--output "$q/guest.out" "$v" "$q/guest.sh" 2>"$q/boot.err" || rc=$?
		if ((rc != 0)); then
			bad "$v: boot, run bpfcheck, power off (qemu-boot.sh exit $rc; log $q/console.log)"
			tail -3 "$q/boot.err" | indent
			continue
		fi
		g=$q/guest.out
		ok "$v: booted $(value "$g" UNAME), ran bpfcheck ($((SECONDS - s0)) s)"
		for f in BTF:/sys/kernel/btf/vmlinux KPROBE-PMU:"kprobe PMU" TRACEFS:"tracefs kprobe_events" \
			TRACEABLE:"perf_aux_output_begin in available_filter_functions"; do
			k=${f%%:*}
			if [[ $(value "$g" "$k") == yes ]]; then ok "$v: ${f#*:}"; else bad "$v: ${f#*:}"; fi
		done
		for t in $TESTS; do
			want=${EXPECT[$v:$t]:-ok}
			got=$(sed -n "s/^RESULT $t //p" "$g")
			if [[ "$got" == "$want" || "$got" == "$want "* ]]; then
				ok "$v: $t: $got"
			else
				bad "$v: $t: expected '$want', got '${got:-no RESULT line}'"
				grep -E '^    libbpf:' "$g" | head -10 | indent
			fi
		done
		badlines=$(sed -n '/^==DMESG==$/,/^==DMESG-END==$/p' "$g" | grep -E 'WARNING:|Oops|BUG:|Call trace' || true)
		if [[ -z "$badlines" ]]; then ok "$v: kernel log clean"; else bad "$v: kernel log clean"; indent <<<"$badlines" | head -10; fi
	done
fi

echo "bpf-toolchain: $((SECONDS - t0)) s; outputs in $O" >&2
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
