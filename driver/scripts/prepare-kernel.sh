#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Prepare everything needed to cross-build an out-of-tree module for one of
# Debian's arm64 kernels and to boot that same kernel under QEMU:
#
#   <cache>/<ver>/linux        kernel tree (KDIR): Debian's source, Debian's
#                              arm64 .config and Module.symvers, KERNELRELEASE
#                              set to Debian's ABI name, `modules_prepare` done
#   <cache>/<ver>/Image        the real Debian kernel image (linux-image-*)
#   <cache>/<ver>/vmlinux.btf  its raw BTF (also as <KDIR>/vmlinux, so kbuild
#                              gives modules a .BTF section)
#   <cache>/busybox/busybox    static arm64 busybox for the initramfs
#   <cache>/<ver>/env          shell-sourceable summary of the above
#
# <cache> is $SPEKIT_CACHE, default /var/cache/spekit.  Versions are picked
# from Debian's archive at run time (the candidate linux-source-<ver>, and
# the plain arm64 image/headers packages of exactly that version), so
# security updates move them.  Every step leaves a stamp holding the
# versions it used; a re-run with everything in place takes seconds and
# needs no network (package lists are re-read at most every 6 hours).
#
# Usage: prepare-kernel.sh [--print-env] [--refresh] 6.1|6.12
#   --print-env  print the env file on stdout when done (all logs go to
#                stderr), for: env=$(prepare-kernel.sh --print-env 6.1) &&
#                eval "$env"
#   --refresh    re-read Debian's package lists now (same as
#                SPEKIT_APT_REFRESH=1)
# Environment: SPEKIT_CACHE, SPEKIT_KEEP_DEBS=1 (keep downloaded .debs),
# SPEKIT_FULL_TREE=1 (do not prune the source tree; see prune_tree).
set -euo pipefail

SPK_ME=prepare-kernel
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=kernel-env.sh
. "$HERE/kernel-env.sh"

print_env=0
while [[ $# -gt 0 ]]; do
	case $1 in
	--print-env) print_env=1 ;;
	--refresh) export SPEKIT_APT_REFRESH=1 ;;
	-h | --help) spk_usage; exit 0 ;;
	-*) spk_usage >&2; spk_die "unknown option $1" ;;
	*) break ;;
	esac
	shift
done
[[ $# -eq 1 ]] || { spk_usage >&2; exit 2; }
SER=$1
spk_check_series "$SER"

t0=$SECONDS
VD=$(spk_verdir "$SER")
ST=$VD/stamps
KDIR=$VD/linux
spk_make_cache_dir "$ST"
spk_lock_cache
spk_host_deps driver
spk_apt_lists

# --- pick versions -----------------------------------------------------------
SRC_PKG=linux-source-$SER
SRC_VER=$(spk_candidate "$SRC_PKG")
[[ -n "$SRC_VER" ]] ||
	spk_die "$SRC_PKG is not in Debian's package lists ($SPK_APT/sources.list); is the archive reachable and bookworm-security in /etc/apt/sources.list.d/debian.sources?"
IMG_PKG=$(spk_pick_pkg linux-image "$SER" "$SRC_VER") ||
	IMG_PKG=$(spk_pick_pkg linux-image "$SER" "$SRC_VER" -unsigned) ||
	spk_die "no linux-image-*-arm64 package of version $SRC_VER (the archive may be mid-update; retry later with --refresh)"
HDR_PKG=$(spk_pick_pkg linux-headers "$SER" "$SRC_VER") ||
	spk_die "no linux-headers-*-arm64 package of version $SRC_VER (the archive may be mid-update; retry later with --refresh)"
ABI=${HDR_PKG#linux-headers-}
BB_VER=$(spk_candidate busybox-static)
[[ -n "$BB_VER" ]] || spk_die "busybox-static is not in Debian's arm64 package lists"
spk_log "$SER: $SRC_PKG $SRC_VER, $HDR_PKG, $IMG_PKG, busybox-static $BB_VER"

# --- headers: Debian's .config, Module.symvers and release name ------------
# All are in the arch package linux-headers-<abi>; its -common dependency
# holds only the shared include/ and is not needed.  The release name is
# UTS_RELEASE in include/generated/utsrelease.h: Debian's
# include/config/kernel.release holds the upstream version (6.1.192), and
# the real name comes from a KERNELRELEASE override in .kernelvariables.
HD=$VD/headers
HSRC=$HD/usr/src/linux-headers-$ABI
key="$HDR_PKG=$SRC_VER"
if ! spk_stamp_ok "$ST/headers" "$key" || [[ ! -f "$HSRC/.config" ]]; then
	deb=$(spk_fetch "$HDR_PKG" "$SRC_VER")
	rm -f "$ST/headers" "$ST/prepare"
	spk_unpack_deb "$deb" "$HD"
	for f in .config Module.symvers include/generated/utsrelease.h; do
		[[ -s "$HSRC/$f" ]] || spk_die "$HDR_PKG has no $f (Debian changed its layout; update prepare-kernel.sh)"
	done
	spk_stamp_set "$ST/headers" "$key"
	spk_drop_deb "$deb"
fi
KR=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$HSRC/include/generated/utsrelease.h")
[[ "$KR" == "$ABI" ]] || spk_die "$HDR_PKG says UTS_RELEASE '$KR', expected '$ABI' from its name"

# --- source tree -------------------------------------------------------------
# Pruning (SPEKIT_FULL_TREE=1 turns it off) takes the tree from ~1.5 GB to
# ~0.3 GB: drivers' C and headers (except drivers/perf, the upstream SPE
# driver), sound/net/fs C files, other architectures and most of
# Documentation.  Every Kconfig and Makefile stays, so olddefconfig,
# modules_prepare, out-of-tree builds and checkpatch work unchanged.
prune_tree() {
	local t=$1
	find "$t/drivers" -type f \( -name '*.c' -o -name '*.h' \) ! -path "$t/drivers/perf/*" -delete
	find "$t/sound" "$t/net" "$t/fs" -type f -name '*.c' -delete
	# Other architectures: Kconfig files stay (drivers/ras/Kconfig sources
	# arch/x86/ras/Kconfig, whatever ARCH is).
	find "$t/arch" -mindepth 2 -type f ! -path "$t/arch/arm64/*" ! -name 'Kconfig*' -delete
	find "$t/Documentation" -type f ! -name Kconfig ! -name checkpatch.rst -delete
	rm -rf "$t/tools/testing" "$t/tools/perf"
}
# prune is the revision of prune_tree's rules (0: off): changing the rules
# must bump it so cached trees are extracted again.
prune=2
[[ "${SPEKIT_FULL_TREE:-0}" == 1 ]] && prune=0
key="$SRC_PKG=$SRC_VER prune=$prune"
if ! spk_stamp_ok "$ST/source" "$key" || [[ ! -f "$KDIR/Makefile" ]]; then
	deb=$(spk_fetch "$SRC_PKG" "$SRC_VER")
	rm -f "$ST/source" "$ST/prepare"
	spk_log "$SER: extracting $SRC_PKG"
	spk_tmp_dir "$KDIR"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/linux-source-$SER.tar.xz" |
		tar -xJ -C "$KDIR.tmp" --strip-components=1 ||
		spk_die "cannot extract $deb (disk full? delete it and re-run)"
	[[ -f "$KDIR.tmp/Makefile" ]] || spk_die "$deb holds no kernel tree"
	((prune)) && prune_tree "$KDIR.tmp"
	spk_commit_dir "$KDIR"
	spk_stamp_set "$ST/source" "$key"
	spk_drop_deb "$deb"
fi

# --- configure and modules_prepare ------------------------------------------
KMAKE=(make -C "$KDIR" ARCH=arm64 CROSS_COMPILE="$SPK_CROSS" KERNELRELEASE="$KR")
key="$SRC_VER $HDR_PKG kr=$KR $(spk_toolchain_key)"
if ! spk_stamp_ok "$ST/prepare" "$key" || [[ ! -f "$KDIR/include/generated/utsrelease.h" ]]; then
	rm -f "$ST/prepare"
	# pahole must exist before olddefconfig: without it kconfig silently
	# drops DEBUG_INFO_BTF(_MODULES), struct module shrinks, and Debian's
	# kernel rejects the module ("section size must match").
	command -v pahole >/dev/null || spk_die "pahole missing; run: bash tools/scripts/install-deps.sh driver"
	command -v "${SPK_CROSS}gcc" >/dev/null || spk_die "${SPK_CROSS}gcc missing; run: bash tools/scripts/install-deps.sh driver"
	cp "$HSRC/.config" "$KDIR/.config"
	cp "$HSRC/Module.symvers" "$KDIR/Module.symvers"
	log=$VD/prepare.log
	spk_log "$SER: olddefconfig + modules_prepare (KERNELRELEASE=$KR), log in $log"
	if ! "${KMAKE[@]}" olddefconfig >"$log" 2>&1; then
		tail -20 "$log" >&2
		spk_die "make olddefconfig failed for $SER (log: $log)"
	fi
	grep -qx 'CONFIG_DEBUG_INFO_BTF_MODULES=y' "$KDIR/.config" ||
		spk_die "CONFIG_DEBUG_INFO_BTF_MODULES dropped from Debian's config (pahole $(pahole --version 2>/dev/null) too old or missing?); modules would not load in Debian's kernel"
	# Options whose value changed against Debian's config, for the log:
	# the compiler/pahole version symbols are expected to differ.
	# Options whose value changed against Debian's config go to
	# config-diff.txt.  Expected: the compiler's version and abilities
	# (Debian's builder has gcc-12 for arm32 and an arm64 libc, this host
	# has neither: the compat vDSO and CC_CAN_LINK go, which no module
	# sees).  Anything else is reported, since it may change the ABI.
	diff <(grep '^CONFIG_' "$HSRC/.config" | sort) <(grep '^CONFIG_' "$KDIR/.config" | sort) \
		>"$VD/config-diff.txt" || true
	odd=$(grep -E '^[<>] CONFIG_' "$VD/config-diff.txt" | sed -E 's/^[<>] (CONFIG_[A-Za-z0-9_]+)=.*/\1/' | sort -u |
		grep -vE '^CONFIG_((CC|GCC|AS|LD|PAHOLE|CLANG|RUSTC|BINDGEN)_VERSION(_TEXT)?|RUSTC_.*|RUST_IS_AVAILABLE|CC_CAN_LINK(_STATIC)?|(GENERIC_|THUMB2_)?COMPAT_VDSO|(CC|AS|LD)_HAS_.*|TOOLS_SUPPORT_.*)$' || true)
	[[ -z "$odd" ]] || spk_log "warning: options differing from Debian's config: ${odd//$'\n'/ } (see $VD/config-diff.txt)"
	if ! "${KMAKE[@]}" -j"$(nproc)" modules_prepare >>"$log" 2>&1; then
		tail -20 "$log" >&2
		spk_die "make modules_prepare failed for $SER (log: $log)"
	fi
	# vermagic comes from UTS_RELEASE; check it.  6.1's kbuild writes the
	# upstream version into include/config/kernel.release even with
	# KERNELRELEASE given; set it too, so `make kernelrelease` and any
	# tool reading it agree with the kernel.
	grep -qF "\"$KR\"" "$KDIR/include/generated/utsrelease.h" ||
		spk_die "include/generated/utsrelease.h does not carry $KR"
	echo "$KR" >"$KDIR/include/config/kernel.release"
	spk_stamp_set "$ST/prepare" "$key"
fi

# --- kernel image and its BTF ------------------------------------------------
# Only /boot/vmlinuz-<abi> is taken from the image package (its modules are
# not needed: the module under test is the only one the guest loads).
key="$IMG_PKG=$SRC_VER"
if ! spk_stamp_ok "$ST/image" "$key" || [[ ! -f "$VD/Image" || ! -f "$VD/vmlinux.btf" ]]; then
	deb=$(spk_fetch "$IMG_PKG" "$SRC_VER")
	rm -f "$ST/image"
	spk_tmp_dir "$VD/image"
	tmp=$VD/image.tmp
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "./boot/vmlinuz-$ABI" ||
		spk_die "$IMG_PKG has no /boot/vmlinuz-$ABI"
	vz=$tmp/boot/vmlinuz-$ABI
	# arm64 Image: "ARM\x64" at offset 0x38.  Debian ships it plain (it is
	# EFI-signed) or gzip'd; QEMU's -kernel takes the plain Image.
	if [[ $(head -c2 "$vz" | od -An -tx1 | tr -d ' ') == 1f8b ]]; then
		gzip -dc "$vz" >"$tmp/Image"
	else
		mv "$vz" "$tmp/Image"
	fi
	[[ $(od -An -c -j56 -N4 "$tmp/Image" | tr -d ' ') == 'ARMd' ]] ||
		spk_die "vmlinuz-$ABI is not an arm64 Image (EFI zboot? prepare-kernel.sh must learn to unpack it)"
	# The image must be the kernel the tree was prepared for.
	grep -aqF "Linux version $KR " "$tmp/Image" ||
		spk_die "$IMG_PKG's Image does not say 'Linux version $KR'"
	python3 "$HERE/extract-btf.py" "$tmp/Image" "$tmp/vmlinux.btf"
	mv -f "$tmp/Image" "$VD/Image"
	mv -f "$tmp/vmlinux.btf" "$VD/vmlinux.btf"
	rm -rf "$tmp"
	spk_stamp_set "$ST/image" "$key"
	spk_drop_deb "$deb"
fi
# kbuild's modfinal step runs pahole --btf_base $KDIR/vmlinux on each module;
# raw BTF is enough there, and without the file modules get no .BTF.
cmp -s "$VD/vmlinux.btf" "$KDIR/vmlinux" || cp "$VD/vmlinux.btf" "$KDIR/vmlinux"

# --- busybox (shared by all versions) ----------------------------------------
BBD=$SPK_CACHE/busybox
key="busybox-static=$BB_VER"
if ! spk_stamp_ok "$BBD/stamp" "$key" || [[ ! -x "$BBD/busybox" ]]; then
	deb=$(spk_fetch busybox-static "$BB_VER")
	spk_unpack_deb "$deb" "$BBD.tmp"
	bb=$BBD.tmp/bin/busybox
	# ELF e_machine 0xb7 = EM_AARCH64.
	[[ -f "$bb" && $(od -An -tx1 -j18 -N2 "$bb" | tr -d ' ') == b700 ]] ||
		spk_die "busybox-static ($deb) has no arm64 bin/busybox"
	mkdir -p "$BBD"
	mv -f "$bb" "$BBD/busybox"
	rm -rf "$BBD.tmp"
	spk_stamp_set "$BBD/stamp" "$key"
	spk_drop_deb "$deb"
fi

# Each step drops its .deb once done; this also clears those of an older
# Debian version or of a run that died before its step was done.
spk_drop_deb

# --- env ---------------------------------------------------------------------
{
	echo "# generated by driver/scripts/prepare-kernel.sh $SER; source it"
	for v in SERIES KDIR KERNELRELEASE IMAGE BTF BUSYBOX ARCH CROSS_COMPILE \
		SOURCE_PACKAGE SOURCE_VERSION HEADERS_PACKAGE IMAGE_PACKAGE BUSYBOX_VERSION; do
		case $v in
		SERIES) val=$SER ;; KDIR) val=$KDIR ;; KERNELRELEASE) val=$KR ;;
		IMAGE) val=$VD/Image ;; BTF) val=$VD/vmlinux.btf ;; BUSYBOX) val=$BBD/busybox ;;
		ARCH) val=arm64 ;; CROSS_COMPILE) val=$SPK_CROSS ;;
		SOURCE_PACKAGE) val=$SRC_PKG ;; SOURCE_VERSION) val=$SRC_VER ;;
		HEADERS_PACKAGE) val=$HDR_PKG ;; IMAGE_PACKAGE) val=$IMG_PKG ;;
		BUSYBOX_VERSION) val=$BB_VER ;;
		esac
		printf '%s=%q\n' "$v" "$val"
	done
} | spk_write_file "$VD/env"
spk_log "$SER ready in $((SECONDS - t0)) s: KERNELRELEASE=$KR KDIR=$KDIR (env: $VD/env)"
((print_env)) && cat "$VD/env"
exit 0
