#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The DKMS recipe, run the way DKMS runs it: stage the source tree with
# driver/scripts/dkms-install.sh --stage, source dkms.conf with
# kernel_source_dir set, and run its MAKE[0] line in the staged tree against
# a prepared Debian arm64 kernel (cross: DKMS itself would run natively).
set -u
O=${SPEKIT_BUILD:-build}
SER=${SPEKIT_DKMS_KERNEL:-6.12}
pass=0; fail=0
check() { if eval "$2"; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi; }

env_txt=$(driver/scripts/prepare-kernel.sh --print-env "$SER") || {
	echo "FAIL kernel $SER prepared (see above)"; echo "0 passed, 1 failed"; exit 1; }
eval "$env_txt"

stage=$O/driver/dkms-stage
rm -rf "$stage"
check "stage the DKMS tree" 'driver/scripts/dkms-install.sh --stage "$stage"'
check "shared headers staged" '[[ -f $stage/include/spekit/spe_regs.h && -f $stage/include/spekit/arm_spe_tp.h && -f $stage/include/spekit/spe_format.h ]]'

# What DKMS reads from dkms.conf
conf=$(cd "$stage" && kernel_source_dir=$KDIR bash -c '. ./dkms.conf; printf "%s\n" "$PACKAGE_VERSION" "${BUILT_MODULE_NAME[0]}" "${DEST_MODULE_LOCATION[0]}" "${MAKE[0]}"')
mapfile -t c <<<"$conf"
mkver=$(sed -n 's/^VERSION *:= *//p' Makefile)
check "PACKAGE_VERSION matches the project version ($mkver)" '[[ ${c[0]} == "$mkver" ]]'
check "module name arm_spe_pmu" '[[ ${c[1]} == arm_spe_pmu ]]'
check "installed under updates/" '[[ ${c[2]} == /updates/* ]]'

log=$O/driver/dkms-stage.log
(cd "$stage" && eval "${c[3]} ARCH=$ARCH CROSS_COMPILE=$CROSS_COMPILE" >"$PWD/../dkms-stage.log" 2>&1)
rc=$?
check "MAKE[0] builds in the staged tree" '[[ $rc -eq 0 && -f $stage/arm_spe_pmu.ko ]]'
check "no warnings" '! grep -E "warning:|error:" "$log"'
check "vermagic is $KERNELRELEASE" '[[ $(modinfo -F vermagic "$stage/arm_spe_pmu.ko" 2>/dev/null) == "$KERNELRELEASE "* ]]'
[[ $fail -eq 0 ]] || tail -20 "$log"
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
