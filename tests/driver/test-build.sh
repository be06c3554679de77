#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Driver build suite: for each of Debian's arm64 kernels (6.1, 6.12) the
# module cross-builds out of tree with W=1 and sparse (C=1) without a single
# warning, its vermagic names the Debian kernel, it carries BTF; and every
# driver C file and header passes that kernel's checkpatch --strict.
#
# Run from the repo root.  Environment:
#   SPEKIT_BUILD       build dir (default build); the module is built in
#                      $SPEKIT_BUILD/driver/<ver>/build
#   SPEKIT_DRIVER_SRC  module source dir (default driver)
#   SPEKIT_MODULE      module name (default arm_spe_pmu)
#   SPEKIT_KERNELS     kernel versions (default "6.1 6.12")
#   SPEKIT_CACHE       kernel cache (default /var/cache/spekit)
# First run: ~40 s per kernel (download, extract, modules_prepare); then
# seconds.  Needs root for the first run (it installs the driver group of
# tools/scripts/install-deps.sh).
set -euo pipefail

O=${SPEKIT_BUILD:-build}
SRC=${SPEKIT_DRIVER_SRC:-driver}
MOD=${SPEKIT_MODULE:-arm_spe_pmu}
KERNELS=${SPEKIT_KERNELS:-6.1 6.12}
SCRIPTS=driver/scripts
pass=0 fail=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
# check NAME CMD...: one test line from a command's exit status.
check() { local n=$1; shift; if "$@"; then ok "$n"; else bad "$n"; fi; }
indent() { sed 's/^/    /'; }
has_btf() { "${CROSS_COMPILE}readelf" -SW "$1" 2>/dev/null | grep -qE '\] \.BTF +PROGBITS'; }

mkdir -p "$O/driver"
for v in $KERNELS; do
	d=$O/driver/$v
	mkdir -p "$d"
	t0=$SECONDS
	if envtxt=$(bash "$SCRIPTS/prepare-kernel.sh" --print-env "$v" 2>"$d/prepare.err"); then
		ok "$v: kernel tree prepared ($((SECONDS - t0)) s)"
	else
		bad "$v: kernel tree prepared"
		tail -5 "$d/prepare.err" | indent
		continue
	fi
	# Each eval gives this version's KDIR, KERNELRELEASE, CROSS_COMPILE...
	eval "$envtxt"

	# --force: a reused build would print no warnings and prove nothing.
	t0=$SECONDS
	out=$d/build
	rc=0
	bash "$SCRIPTS/build-module.sh" --force --src "$SRC" --out "$out" "$v" \
		W=1 C=1 CHECK=sparse >/dev/null 2>"$d/build.err" || rc=$?
	if ((rc == 0)); then
		ok "$v: make W=1 C=1 CHECK=sparse ($((SECONDS - t0)) s)"
	else
		bad "$v: make W=1 C=1 CHECK=sparse (exit $rc)"
		{ tail -20 "$out.log" 2>/dev/null || true; tail -3 "$d/build.err"; } | indent
	fi
	ko=$out/$MOD.ko
	check "$v: $MOD.ko built" test -f "$ko"

	# make's own output only (build-module.sh tees it to $out.log):
	# compiler, sparse and modpost ("WARNING: modpost: ...") findings.
	found=$(grep -iE 'warning:|error:' "$out.log" 2>/dev/null || true)
	if [[ -f "$out.log" && -z "$found" ]]; then
		ok "$v: no warning or error lines"
	else
		bad "$v: no warning or error lines"
		[[ -n "$found" ]] && indent <<<"$found"
	fi

	vm=$(modinfo -F vermagic "$ko" 2>/dev/null || true)
	if [[ "$vm" == "$KERNELRELEASE "* ]]; then
		ok "$v: vermagic starts with $KERNELRELEASE"
	else
		bad "$v: vermagic starts with $KERNELRELEASE (got '$vm')"
	fi
	check "$v: $MOD.ko has a .BTF section" has_btf "$ko"

	# checkpatch finds spelling.txt and const_structs.checkpatch next to
	# itself; --no-tree as the files are not in a kernel tree.
	srcs=()
	for f in "$SRC"/*.c "$SRC"/*.h; do
		[[ -f "$f" ]] && srcs+=("$f")
	done
	[[ ${#srcs[@]} -gt 0 ]] || bad "$v: checkpatch: no C files or headers in $SRC"
	for f in "${srcs[@]}"; do
		cp_out=$(perl "$KDIR/scripts/checkpatch.pl" --strict --no-tree --no-summary-file \
			--show-types -f "$f" 2>&1 || true)
		if grep -q '^total: 0 errors, 0 warnings, 0 checks' <<<"$cp_out"; then
			ok "$v: checkpatch --strict $(basename "$f")"
		else
			bad "$v: checkpatch --strict $(basename "$f")"
			grep -E '^(ERROR|WARNING|CHECK)|^#|^total' <<<"$cp_out" | head -40 | indent
		fi
	done
done

# Review point 18: a boolean capability added to the enum without its
# feature bit in arm_spe_pmu_feat_caps[] must break the build.  Build a copy
# with exactly that mistake against the last kernel and expect the
# static_assert to stop it.
if [[ -f "$SRC/arm_spe_pmu_main.c" && -n "${v:-}" ]]; then
	mut=$O/driver/cap-mutant
	rm -rf "$mut" && mkdir -p "$mut" && cp "$SRC"/* "$mut/" 2>/dev/null || true
	cp -r include "$mut/include"
	sed -i 's/^\tSPE_PMU_CAP_ERND,$/&\n\tSPE_PMU_CAP_NEW_BOOL,/' "$mut/arm_spe_pmu_main.c"
	if ! grep -q SPE_PMU_CAP_NEW_BOOL "$mut/arm_spe_pmu_main.c"; then
		bad "capability guard: could not inject the mistake"
	elif bash "$SCRIPTS/build-module.sh" --force --src "$mut" --out "$mut-build" "$v" \
		>/dev/null 2>&1; then
		bad "capability guard: a capability without its feature bit still builds"
	elif grep -q 'static assertion failed' "$mut-build.log"; then
		ok "capability guard: a capability without its feature bit fails to build"
	else
		bad "capability guard: build failed, but not on the static_assert"
		tail -5 "$mut-build.log" | indent
	fi
fi

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
