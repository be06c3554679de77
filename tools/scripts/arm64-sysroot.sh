#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Build (once) a sysroot holding Debian's arm64 libbpf, libelf and zlib, for
# linking spekit's BPF loaders as STATIC arm64 binaries: the QEMU guests
# boot a busybox initramfs with no libc, so nothing may be dynamic.
#
#   <cache>/sysroot-arm64/usr/include            bpf/, libelf.h, gelf.h, zlib.h
#   <cache>/sysroot-arm64/usr/lib/aarch64-linux-gnu   libbpf.a libelf.a libz.a
#   <cache>/sysroot-arm64/env                    CC, CFLAGS, LDFLAGS, LDLIBS
#
# The C library is the cross toolchain's own (/usr/aarch64-linux-gnu from
# libc6-dev-arm64-cross), not Debian's libc6-dev:arm64: so this is not a
# --sysroot for gcc, only extra -I/-L directories (see env).  The .debs
# come through kernel-env.sh's private arm64 APT state, at the versions
# Debian's archive has now; the stamp holds them, so an archive update
# rebuilds the sysroot and a re-run otherwise takes well under a second
# and needs no network.
#
# Usage: arm64-sysroot.sh [--print-env] [--refresh]
#   prints the sysroot directory on stdout (logs go to stderr)
#   --print-env  print the env file instead, for eval "$(arm64-sysroot.sh
#                --print-env)"
#   --refresh    re-read Debian's package lists now (SPEKIT_APT_REFRESH=1)
# Environment: SPEKIT_CACHE (default /var/cache/spekit), SPEKIT_ARM64_SYSROOT
# (the directory; default <cache>/sysroot-arm64), SPEKIT_KEEP_DEBS=1.
set -euo pipefail

SPK_ME=arm64-sysroot
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=../../driver/scripts/kernel-env.sh
. "$ROOT/driver/scripts/kernel-env.sh"

usage() { sed -n 's/^# \{0,1\}//; /^Usage:/,/^Environment/p' "$0" | sed '$d'; }

print_env=0
while [[ $# -gt 0 ]]; do
	case $1 in
	--print-env) print_env=1 ;;
	--refresh) export SPEKIT_APT_REFRESH=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; spk_die "unknown argument '$1'" ;;
	esac
	shift
done

SR=${SPEKIT_ARM64_SYSROOT:-$SPK_CACHE/sysroot-arm64}
LIBDIR=$SR/usr/lib/aarch64-linux-gnu
# The static archives come from the -dev packages; the runtime packages
# are there for their .so targets, so the -dev symlinks are not dangling
# and a dynamic link against the sysroot works too.
PKGS=(libbpf-dev libbpf1 libelf-dev libelf1 zlib1g-dev zlib1g)
# What libbpf.a needs, in link order; checked below by a real static link
# (bookworm's libelf 0.188 is built without zstd, so no -lzstd).
LDLIBS="-lbpf -lelf -lz"

t0=$SECONDS
mkdir -p "$SPK_CACHE" || spk_die "cannot create $SPK_CACHE (run as root, or set SPEKIT_CACHE to a writable dir)"
bash "$ROOT/tools/scripts/install-deps.sh" bpf-arm64 ||
	spk_die "host packages missing; run: bash tools/scripts/install-deps.sh bpf-arm64"
# Shared with prepare-kernel.sh: the package lists and the .deb dir.
exec 9>"$SPK_CACHE/.lock"
flock 9

if ! spk_apt_update; then
	compgen -G "$SPK_APT/lists/*_Packages*" >/dev/null ||
		spk_die "no arm64 package lists: Debian's archive must be reachable for the first run"
	spk_log "warning: using the package lists read earlier"
fi

key=''
for p in "${PKGS[@]}"; do
	v=$(spk_candidate "$p")
	[[ -n "$v" ]] || spk_die "$p is not in Debian's arm64 package lists ($SPK_APT/sources.list); is the archive reachable?"
	key+="$p=$v "
done
key+="cc=$("${SPK_CROSS}gcc" -dumpfullversion)"

if ! spk_stamp_ok "$SR/stamp" "$key" || [[ ! -f "$LIBDIR/libbpf.a" ]]; then
	rm -f "$SR/stamp"
	rm -rf "$SR.tmp"
	mkdir -p "$SR.tmp"
	for p in "${PKGS[@]}"; do
		v=$(spk_candidate "$p")
		deb=$(spk_fetch "$p" "$v")
		dpkg-deb -x "$deb" "$SR.tmp" || spk_die "cannot unpack $deb (corrupt? delete it and re-run)"
		[[ "${SPEKIT_KEEP_DEBS:-0}" == 1 ]] || rm -f "$deb"
	done
	for f in usr/include/bpf/libbpf.h usr/include/libelf.h usr/include/zlib.h \
		usr/lib/aarch64-linux-gnu/libbpf.a usr/lib/aarch64-linux-gnu/libelf.a usr/lib/aarch64-linux-gnu/libz.a; do
		[[ -f "$SR.tmp/$f" ]] || spk_die "the arm64 packages have no $f (Debian changed its layout; update arm64-sysroot.sh)"
	done
	# Only the headers and libraries are wanted: docs and lintian
	# overrides are dropped to keep the cache small.
	rm -rf "$SR.tmp/usr/share"

	# Prove the sysroot links: a static arm64 program calling into libbpf,
	# libelf and zlib, with the cross toolchain's own libc.
	cat >"$SR.tmp/link-check.c" <<'EOF'
#include <bpf/libbpf.h>
#include <libelf.h>
#include <zlib.h>
#include <stdio.h>
int main(void)
{
	struct bpf_object *o = bpf_object__open_mem("", 0, NULL);
	printf("libbpf %u.%u elf %u zlib %s %ld\n", libbpf_major_version(),
	       libbpf_minor_version(), elf_version(EV_CURRENT), zlibVersion(),
	       libbpf_get_error(o));
	return 0;
}
EOF
	# shellcheck disable=SC2086
	if ! "${SPK_CROSS}gcc" -static -O2 -idirafter "$SR.tmp/usr/include" "$SR.tmp/link-check.c" \
		-L"$SR.tmp/usr/lib/aarch64-linux-gnu" $LDLIBS -o "$SR.tmp/link-check" 2>"$SR.tmp/link-check.log"; then
		head -20 "$SR.tmp/link-check.log" >&2
		spk_die "a static arm64 link with $LDLIBS fails against the new sysroot (see above; is libc6-dev-arm64-cross installed?)"
	fi
	rm -f "$SR.tmp/link-check" "$SR.tmp/link-check.c" "$SR.tmp/link-check.log"

	rm -rf "$SR"
	mv "$SR.tmp" "$SR"
	spk_stamp_set "$SR/stamp" "$key"
	spk_log "sysroot ready in $((SECONDS - t0)) s: $SR ($key)"
fi

# -idirafter, not -I: the sysroot's /usr/include must not shadow the cross
# libc's headers (it holds none today, but a future libelf-dev could ship
# one the cross libc also has).
{
	echo "# generated by tools/scripts/arm64-sysroot.sh; source it"
	printf 'SYSROOT=%q\n' "$SR"
	printf 'CC=%q\n' "${SPK_CROSS}gcc"
	printf 'CFLAGS=%q\n' "-idirafter $SR/usr/include"
	printf 'LDFLAGS=%q\n' "-static -L$LIBDIR"
	printf 'LDLIBS=%q\n' "$LDLIBS"
	printf 'PACKAGES=%q\n' "${key% cc=*}"
} >"$SR/env.tmp"
# Rewritten only when it changes, so make rules depending on it stay quiet.
if cmp -s "$SR/env.tmp" "$SR/env"; then rm -f "$SR/env.tmp"; else mv -f "$SR/env.tmp" "$SR/env"; fi
if ((print_env)); then cat "$SR/env"; else echo "$SR"; fi
