#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Make a device tree for QEMU's arm64 virt machine with an SPE node added.
#
# Usage: spe-dtb.sh [--machine M] [--cpu C] [--smp N] [--mem SIZE] [--ppi N] OUT.dtb
#   defaults: --machine virt --cpu max --smp 2 --mem 1G; --ppi: 5 if free
#
# QEMU's virt board describes no SPE (QEMU does not emulate it), so the SPE
# driver would never probe.  This dumps the board's own DTB with the same
# machine/cpu/smp/memory options the boot will use (they shape the DTB: CPU
# nodes, memory, GIC flags), adds
#     spe-pmu { compatible = "arm,statistical-profiling-extension-v1";
#               interrupts = <GIC_PPI n FLAGS>; };
# and compiles it back.  The PPI must not be one the board already uses
# (timer 13,14,11,10; PMU 7); FLAGS are copied from the board's PMU (or
# timer) interrupt: level-high plus, on GICv2, the CPU mask.  The driver's
# probe then runs and, on a CPU without SPE such as -cpu max, fails.
set -euo pipefail

SPK_ME=spe-dtb
die() { echo "$SPK_ME: error: $*" >&2; exit 1; }

machine=virt cpu=max smp=2 mem=1G ppi=
while [[ $# -gt 0 ]]; do
	case $1 in
	--machine) machine=$2; shift ;;
	--cpu) cpu=$2; shift ;;
	--smp) smp=$2; shift ;;
	--mem) mem=$2; shift ;;
	--ppi) ppi=$2; shift ;;
	-h | --help) sed -n 's/^# \{0,1\}//; /^Usage:/,/^$/p' "$0"; exit 0 ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
	shift
done
[[ $# -eq 1 ]] || die "usage: spe-dtb.sh [options] OUT.dtb"
out=$1
if ! command -v qemu-system-aarch64 >/dev/null || ! command -v dtc >/dev/null; then
	die "qemu-system-aarch64 or dtc missing; run: bash tools/scripts/install-deps.sh driver"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
qemu-system-aarch64 -M "$machine,dumpdtb=$tmp/board.dtb" -cpu "$cpu" -smp "$smp" -m "$mem" \
	-display none -nic none >"$tmp/qemu.log" 2>&1 || { cat "$tmp/qemu.log" >&2; die "qemu could not dump the $machine DTB"; }
dtc -q -I dtb -O dts -o "$tmp/board.dts" "$tmp/board.dtb" || die "dtc cannot decompile QEMU's DTB"
grep -q 'arm,statistical-profiling-extension' "$tmp/board.dts" && die "QEMU's DTB already has an SPE node"

# PPIs in use: every "interrupts = <type num flags ...>" triple of type 1.
declare -A used=()
flags=
while read -r t n f; do
	[[ "$t" == 0x01 ]] || continue
	used[$((n))]=1
	[[ -n "$flags" ]] || flags=$f
done < <(grep -E '^\s*interrupts = <' "$tmp/board.dts" | sed -E 's/.*<(.*)>;.*/\1/' | xargs -n3)
# Prefer the PMU's flags: the SPE interrupt is the same kind (per-CPU,
# level-high).
pmu_irq=$(awk '/^\s*pmu \{/ { p = 1 } p && /interrupts = </ { print; exit }' "$tmp/board.dts" | sed -E 's/.*<(.*)>;.*/\1/')
[[ -n "$pmu_irq" ]] && flags=$(awk '{ print $3 }' <<<"$pmu_irq")
[[ -n "$flags" ]] || flags=0x04
if [[ -z "$ppi" ]]; then
	for ppi in 5 {0..15}; do
		[[ -z "${used[$ppi]:-}" ]] && break
	done
fi
[[ -z "${used[$ppi]:-}" ]] || die "PPI $ppi is already used by the $machine board"

# The dump carries the board's random seeds for /chosen; drop them so the
# guest is not handed the same "random" seed on every boot.
sed -E '/^\s*(rng-seed|kaslr-seed) = /d' "$tmp/board.dts" >"$tmp/spe.dts"
cat >>"$tmp/spe.dts" <<EOF

/ {
	spe-pmu {
		compatible = "arm,statistical-profiling-extension-v1";
		interrupts = <0x01 $ppi $flags>;
	};
};
EOF
dtc -q -I dts -O dtb -o "$tmp/spe.dtb" "$tmp/spe.dts" || die "dtc cannot compile the SPE DTB"
mkdir -p "$(dirname "$out")"
mv -f "$tmp/spe.dtb" "$out"
echo "$SPK_ME: $out: $machine -cpu $cpu -smp $smp -m $mem, SPE on PPI $ppi flags $flags" >&2
