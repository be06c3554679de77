#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Regenerate vmlinux/<arch>/vmlinux.h, the kernel type definitions CO-RE BPF
# programs compile against, from the BTF of Debian's own kernel images:
#
#   arm64  linux-image-<ser>.*-arm64: the image prepare-kernel.sh already
#          fetched for the QEMU suites; its BTF is <cache>/<ser>/vmlinux.btf
#   x86    linux-image-<ser>.*-amd64 of the same Debian version (that of
#          linux-source-<ser>, as for arm64; if the archive has none yet,
#          the one linux-image-<ser>-amd64 points at): its bzImage is unpacked (extract-bzimage.py) and the .BTF
#          section cut out (driver/scripts/extract-btf.py)
#
# then `bpftool btf dump file BTF format c`, with a comment naming the
# package, its version and bpftool's version on top.  The headers are
# committed (as libbpf-tools does) so building the BPF programs needs no
# kernel image; rerun this after a Debian kernel or bpftool update and
# commit what changed.  Files whose content did not change are not
# rewritten.  Every generated header is then compiled once with
# clang -target bpf against a CO-RE read of the perf AUX fields spekit's
# programs use.
#
# Usage: gen-vmlinux.sh [--check] [--series X.Y] [arm64|x86]...
#   --check        write nothing; exit 1 if a committed header differs from
#                  what would be generated now
#   --series X.Y   kernel series for both arches (default 6.12, the newer of
#                  the two kernels the QEMU suites boot)
#   arm64, x86     only these arches (default both)
# Environment: SPEKIT_CACHE (default /var/cache/spekit), SPEKIT_KEEP_DEBS=1
# (keep the ~100 MB amd64 image .deb), SPEKIT_APT_REFRESH=1.
set -euo pipefail

SPK_ME=gen-vmlinux
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SCRIPTS=$ROOT/driver/scripts
# shellcheck source-path=SCRIPTDIR source=../driver/scripts/kernel-env.sh
. "$SCRIPTS/kernel-env.sh"

check=0 SER=6.12 arches=()
while [[ $# -gt 0 ]]; do
	case $1 in
	--check) check=1 ;;
	--series) SER=${2:-}; shift ;;
	-h | --help) spk_usage; exit 0 ;;
	arm64 | x86) arches+=("$1") ;;
	*) spk_usage >&2; spk_die "unknown argument '$1'" ;;
	esac
	shift
done
spk_check_series "$SER"
((${#arches[@]})) || arches=(arm64 x86)

t0=$SECONDS
spk_host_deps bpf
BPFTOOL_VER="$(bpftool version | sed -n '1{s/^bpftool //;p}') (Debian bpftool $(dpkg-query -W -f='${Version}' bpftool))"

work=$(mktemp -d "${TMPDIR:-/tmp}/spekit-vmlinux.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- arm64: the image prepare-kernel.sh prepared ------------------------------
# Sets BTF_FILE, PKG, PKG_VER, IMG_PATH for the header comment.
arm64_btf() {
	local envtxt
	envtxt=$(bash "$SCRIPTS/prepare-kernel.sh" --print-env "$SER") ||
		spk_die "the Debian arm64 $SER kernel could not be prepared (see above; run driver/scripts/prepare-kernel.sh $SER)"
	eval "$envtxt"
	BTF_FILE=$BTF PKG=$IMAGE_PACKAGE PKG_VER=$SOURCE_VERSION
	IMG_PATH=/boot/vmlinuz-$KERNELRELEASE
}

# --- x86: Debian's amd64 image, through the host's own apt -------------------
# amd64 is the host's architecture, so no private APT state is needed: the
# host's lists already describe amd64 packages.  They are only read, and
# refreshed (apt-get update) when they do not know the series at all.
amd64_pick() {
	local names meta want
	if [[ -z "$(apt-cache pkgnames "linux-image-$SER" 2>/dev/null | head -1)" ]]; then
		spk_log "host package lists do not know linux-image-$SER; running apt-get update"
		apt-get update -qq >/dev/null 2>&1 || return 1
	fi
	names=$(apt-cache pkgnames "linux-image-$SER" | grep -E "^linux-image-${SER//./\\.}[.+-][^ ]*-amd64\$" |
		grep -vE -- '-(cloud|rt|dbg)-' || true)
	[[ -n "$names" ]] || return 1
	# Prefer the version of linux-source-<ser>, which is what
	# prepare-kernel.sh picks for arm64, so both headers describe one
	# upload of the kernel.
	want=$(apt-cache policy "linux-source-$SER" 2>/dev/null | awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }')
	if [[ -n "$want" ]]; then
		# shellcheck disable=SC2086
		PKG=$(apt-cache show $names 2>/dev/null | awk -v ver="$want" '
			$1 == "Package:" { p = $2 } $1 == "Version:" && $2 == ver { print p }' | sort -V -r | head -1)
		[[ -n "$PKG" ]] && { PKG_VER=$want; return 0; }
		spk_log "warning: no amd64 image of version $want yet; using what linux-image-$SER-amd64 depends on"
	fi
	meta=$(apt-cache depends "linux-image-$SER-amd64" 2>/dev/null | awk '$1 == "Depends:" { print $2; exit }')
	[[ -n "$meta" ]] || return 1
	PKG=$meta
	PKG_VER=$(apt-cache policy "$PKG" | awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }')
	[[ -n "$PKG_VER" ]]
}

x86_btf() {
	local d=$SPK_CACHE/amd64/$SER
	mkdir -p "$d" || spk_die "cannot create $d (run as root, or set SPEKIT_CACHE to a writable dir)"
	exec 8>"$d/.lock"
	flock 8
	if ! amd64_pick; then
		# Offline with a cached BTF: use it rather than fail.
		if [[ -s "$d/vmlinux.btf" && -f "$d/stamp" ]]; then
			read -r PKG PKG_VER <"$d/stamp"
			spk_log "warning: cannot read the amd64 package lists; using the cached $PKG $PKG_VER"
		else
			spk_die "no linux-image-$SER.*-amd64 in the host's package lists: is bookworm-security in /etc/apt/sources.list.d/debian.sources and the archive reachable?"
		fi
	fi
	local abi=${PKG#linux-image-}
	BTF_FILE=$d/vmlinux.btf IMG_PATH=/boot/vmlinuz-$abi
	local key="$PKG $PKG_VER"
	if spk_stamp_ok "$d/stamp" "$key" && [[ -s "$BTF_FILE" ]]; then
		return 0
	fi
	rm -f "$d/stamp"
	local dl=$d/dl deb
	rm -rf "$dl"
	mkdir -p "$dl"
	spk_log "downloading $PKG $PKG_VER (amd64, ~100 MB)"
	# APT::Sandbox::User=root: the download dir is root's, which apt's
	# _apt sandbox user cannot write.
	if ! (cd "$dl" && apt-get -q -o APT::Sandbox::User=root download "$PKG=$PKG_VER" >"$work/dl.log" 2>&1); then
		grep -E '^(E|W):' "$work/dl.log" | head -3 >&2
		spk_die "cannot download $PKG=$PKG_VER: is Debian's archive reachable? (apt-get update may help)"
	fi
	deb=$(compgen -G "$dl/${PKG}_*.deb" | head -1 || true)
	[[ -n "$deb" ]] || spk_die "apt-get download $PKG=$PKG_VER left no .deb"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dl" ".$IMG_PATH" ||
		spk_die "$PKG has no $IMG_PATH (Debian changed its layout; update gen-vmlinux.sh)"
	python3 "$HERE/extract-bzimage.py" "$dl$IMG_PATH" "$dl/vmlinux" ||
		spk_die "cannot unpack the vmlinux inside $PKG's bzImage (see above)"
	grep -aqF "Linux version $abi " "$dl/vmlinux" ||
		spk_die "$PKG's vmlinux does not say 'Linux version $abi'"
	python3 "$SCRIPTS/extract-btf.py" "$dl/vmlinux" "$dl/vmlinux.btf"
	mv -f "$dl/vmlinux.btf" "$BTF_FILE"
	[[ "${SPEKIT_KEEP_DEBS:-0}" == 1 ]] && mv -f "$deb" "$d/"
	rm -rf "$dl"
	spk_stamp_set "$d/stamp" "$key"
}

# --- generate ----------------------------------------------------------------
# The trivial CO-RE program every header must compile: the fields the
# stock-kernel programs read from perf_aux_output_begin()'s handle.
core_check_src() {
	cat <<'EOF'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";
__u32 pmu_type;
__u64 head, size, aux_flags;

SEC("kprobe/perf_aux_output_begin")
int BPF_KPROBE(check, struct perf_output_handle *handle, struct perf_event *event)
{
	pmu_type = BPF_CORE_READ(handle, event, pmu, type);
	head = BPF_CORE_READ(handle, head);
	size = BPF_CORE_READ(handle, size);
	aux_flags = BPF_CORE_READ(handle, aux_flags);
	return 0;
}
EOF
}

stale=0
for arch in "${arches[@]}"; do
	case $arch in
	arm64) arm64_btf; debarch=arm64 ;;
	x86) x86_btf; debarch=amd64 ;;
	esac
	out=$HERE/$arch/vmlinux.h
	new=$work/$arch.h
	{
		cat <<EOF
/*
 * vmlinux.h for CO-RE BPF programs built with -D__TARGET_ARCH_$arch:
 * every type of the Linux kernel, generated from the kernel's BTF.
 * Do not edit: regenerate with vmlinux/gen-vmlinux.sh (vmlinux/README.md).
 *
 * Kernel:  Debian $debarch package $PKG, version $PKG_VER
 *          ($IMG_PATH, .BTF section, $(stat -c %s "$BTF_FILE") bytes)
 * Tool:    bpftool $BPFTOOL_VER, btf dump file BTF format c
 */
EOF
		bpftool btf dump file "$BTF_FILE" format c
	} >"$new" || spk_die "bpftool could not dump $BTF_FILE (corrupt? delete it and re-run)"
	grep -q '^struct perf_output_handle {' "$new" ||
		spk_die "$arch: the dump has no struct perf_output_handle (not a kernel's BTF?)"

	# Compile check, against the new header in place of the committed one.
	mkdir -p "$work/inc/$arch"
	cp "$HERE/vmlinux.h" "$work/inc/vmlinux.h"
	cp "$new" "$work/inc/$arch/vmlinux.h"
	core_check_src >"$work/check.bpf.c"
	clang -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_"$arch" -I "$work/inc" \
		-c "$work/check.bpf.c" -o "$work/check-$arch.bpf.o" ||
		spk_die "$arch: a trivial CO-RE program does not compile against the new vmlinux.h (see above)"

	if cmp -s "$new" "$out"; then
		spk_log "$arch: vmlinux/$arch/vmlinux.h up to date ($PKG $PKG_VER)"
	elif ((check)); then
		spk_log "$arch: vmlinux/$arch/vmlinux.h differs from $PKG $PKG_VER: run vmlinux/gen-vmlinux.sh --series $SER $arch and commit"
		stale=1
	else
		mkdir -p "$(dirname "$out")"
		mv -f "$new" "$out"
		spk_log "$arch: wrote vmlinux/$arch/vmlinux.h ($(stat -c %s "$out") bytes) from $PKG $PKG_VER"
	fi
done
spk_log "done in $((SECONDS - t0)) s"
exit "$stale"
