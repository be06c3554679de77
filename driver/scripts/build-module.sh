#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Cross-build the driver out of tree against a prepared Debian arm64 kernel
# tree (prepare-kernel.sh, run first and cheap when already done).
#
# Usage: build-module.sh [--force] [--src DIR] [--out DIR] VER [MAKE-ARG...]
#   VER       6.1 or 6.12
#   --src     module source dir (default $SPEKIT_DRIVER_SRC, else driver/)
#   --out     build dir (default $SPEKIT_BUILD/driver/VER/build, SPEKIT_BUILD
#             defaulting to build/ in the repo)
#   --force   rebuild even if an earlier build of the same input is there
#   MAKE-ARG  extra make arguments, e.g. W=1 C=1 CHECK=sparse
#
# The sources are copied into the build dir and built there with
#   make -C OUT KDIR=<tree> ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- ...
# so the source dir gets no objects and the two kernel versions share none.
# Every build starts from an empty dir, so C=1 checks every file.  make's
# output goes to stdout and to OUT.log; the exit status is make's.  A build
# whose sources, tree and arguments match the last successful one is reused
# (it prints "up to date").
set -euo pipefail

SPK_ME=build-module
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=kernel-env.sh
. "$HERE/kernel-env.sh"

force=0
src=${SPEKIT_DRIVER_SRC:-$ROOT/driver}
out=
while [[ $# -gt 0 ]]; do
	case $1 in
	--force) force=1 ;;
	--src) src=$2; shift ;;
	--out) out=$2; shift ;;
	-h | --help) sed -n 's/^# \{0,1\}//; /^Usage:/,/^$/p' "$0"; exit 0 ;;
	-*) spk_die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
	shift
done
[[ $# -ge 1 ]] || spk_die "usage: build-module.sh [--force] [--src DIR] [--out DIR] VER [MAKE-ARG...]"
SER=$1
shift
spk_check_series "$SER"
[[ -d "$src" ]] || spk_die "module source dir $src does not exist (set SPEKIT_DRIVER_SRC)"
src=$(cd "$src" && pwd)
bld=${SPEKIT_BUILD:-$ROOT/build}
[[ -n "$out" ]] || out=$bld/driver/$SER/build
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

envtxt=$("$HERE/prepare-kernel.sh" --print-env "$SER") || spk_die "kernel $SER could not be prepared (see above)"
eval "$envtxt"

# Shared headers: the driver's Kbuild looks for include/ in its own dir
# (the DKMS layout) and then beside it (the repo: driver/ next to
# include/).  A copy of the sources loses "beside", so the repo's include/
# is copied in as OUT/include when the source dir has none of its own.
inc=
[[ ! -d "$src/include" && -d "$src/../include" ]] && inc=$(cd "$src/../include" && pwd)

# The source files: everything but the scripts/ dir and build products.
files() {
	(cd "$1" && find . -path ./scripts -prune -o -type f \
		! -name '*.o' ! -name '*.ko' ! -name '*.mod' ! -name '*.mod.c' ! -name '.*.cmd' \
		! -name '*.a' ! -name modules.order ! -name Module.symvers ! -name '*.d' \
		-print | LC_ALL=C sort)
}
key=$({
	echo "$KERNELRELEASE $SOURCE_VERSION $KDIR $*"
	for d in "$src" ${inc:+"$inc"}; do
		files "$d" | while read -r f; do sha256sum "$d/$f" | cut -d' ' -f1; echo "$d/$f"; done
	done
} | sha256sum | cut -d' ' -f1)

if ((!force)) && spk_stamp_ok "$out.stamp" "$key" && compgen -G "$out/*.ko" >/dev/null; then
	spk_log "$SER: up to date: $(echo "$out"/*.ko)"
	exit 0
fi

rm -rf "$out" "$out.stamp"
mkdir -p "$out"
files "$src" | (cd "$src" && cpio -pdm --quiet "$out")
[[ -z "$inc" ]] || { mkdir -p "$out/include"; files "$inc" | (cd "$inc" && cpio -pdm --quiet "$out/include"); }
spk_log "$SER: make -C $out KDIR=$KDIR ARCH=arm64 CROSS_COMPILE=$CROSS_COMPILE $*"
set +e
make -C "$out" KDIR="$KDIR" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" -j"$(nproc)" "$@" 2>&1 | tee "$out.log"
rc=${PIPESTATUS[0]}
set -e
if ((rc == 0)); then
	compgen -G "$out/*.ko" >/dev/null || { spk_log "$SER: make succeeded but produced no .ko in $out"; exit 1; }
	spk_stamp_set "$out.stamp" "$key"
	spk_log "$SER: built $(echo "$out"/*.ko)"
fi
exit "$rc"
