#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install spekit's arm_spe_pmu through DKMS, so it is rebuilt for every
# kernel and replaces the distribution's module (see driver/README.md).
#
# Usage: dkms-install.sh [--stage DIR] [--uninstall]
#   (none)       stage into /usr/src/NAME-VERSION, then dkms add, build,
#                install for the running kernel
#   --stage DIR  only lay the DKMS source tree out in DIR (tests use this)
#   --uninstall  dkms remove NAME/VERSION --all
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DRV=$(cd "$HERE/.." && pwd)
ROOT=$(cd "$DRV/.." && pwd)

die() { echo "dkms-install: $*" >&2; exit 1; }

conf() { sed -n "s/^$1=\"\(.*\)\"$/\1/p" "$DRV/dkms.conf"; }
NAME=$(conf PACKAGE_NAME)
VERSION=$(conf PACKAGE_VERSION)
[[ -n $NAME && -n $VERSION ]] || die "cannot read PACKAGE_NAME/PACKAGE_VERSION from $DRV/dkms.conf"

# The DKMS source tree: the driver's sources and build files, and the
# shared headers under include/spekit/ (Kbuild looks there first).
stage() {
	local dst=$1
	mkdir -p "$dst/include/spekit"
	cp "$DRV"/*.c "$DRV"/*.h "$DRV/Kbuild" "$DRV/Makefile" \
		"$DRV/dkms.conf" "$dst/"
	cp "$ROOT"/include/spekit/*.h "$dst/include/spekit/"
}

case ${1:-} in
--stage)
	[[ -n ${2:-} ]] || die "--stage needs a directory"
	stage "$2"
	exit 0
	;;
--uninstall)
	command -v dkms >/dev/null || die "dkms is not installed (apt-get install dkms)"
	dkms remove "$NAME/$VERSION" --all
	rm -rf "/usr/src/$NAME-$VERSION"
	exit 0
	;;
"") ;;
*) die "unknown option $1 (see the usage at the top of $0)" ;;
esac

[[ $(id -u) -eq 0 ]] || die "run as root (DKMS installs into /usr/src and /lib/modules)"
command -v dkms >/dev/null || die "dkms is not installed: apt-get install dkms linux-headers-$(uname -r)"
[[ -d /lib/modules/$(uname -r)/build ]] ||
	die "no headers for the running kernel: apt-get install linux-headers-$(uname -r)"

src=/usr/src/$NAME-$VERSION
rm -rf "$src"
stage "$src"
dkms add "$NAME/$VERSION" 2>/dev/null || true	# already added: fine
dkms build "$NAME/$VERSION"
dkms install --force "$NAME/$VERSION"
echo "installed: $(modinfo -n arm_spe_pmu)"
echo "load it:   modprobe -r arm_spe_pmu; modprobe arm_spe_pmu"
