#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install the Debian packages a spekit job needs, only those missing, quietly.
# Usage: install-deps.sh GROUP...   (groups: build test fuzz driver bpf bpf-arm64)
# Idempotent: with everything present it runs no apt command at all.
set -euo pipefail

declare -A GROUP
GROUP[build]="gcc make libc6-dev libelf-dev zlib1g-dev pkg-config libncurses-dev"
GROUP[test]="linux-perf jq python3 tmux"
GROUP[fuzz]="clang libclang-rt-14-dev llvm"
# driver: cross-build the kernel module against Debian's arm64 kernels
# (driver/scripts/prepare-kernel.sh) and boot them under QEMU.  dwarves
# (pahole) must be present before the kernel tree is configured, or kconfig
# drops DEBUG_INFO_BTF_MODULES and the module's struct module mismatches.
GROUP[driver]="gcc make libc6-dev gcc-aarch64-linux-gnu bc bison flex libssl-dev libelf-dev dwarves kmod cpio xz-utils python3 perl sparse qemu-system-arm device-tree-compiler"
# bpf: compile CO-RE BPF programs (clang -target bpf, llvm-strip), generate
# skeletons and vmlinux.h (bpftool), and link their loaders on the host
# against Debian's libbpf 1.1.  zstd unpacks Debian's amd64 bzImage payload
# for vmlinux/gen-vmlinux.sh.  bpftrace compiles the guide's one-liners
# (tests/spedrops/test-bpftrace.sh).
GROUP[bpf]="clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config zstd python3 bpftrace"
# bpf-arm64: link those loaders statically for arm64 (the busybox guests
# have no libc).  The cross libc (libc.a) is only a Recommends of
# gcc-aarch64-linux-gnu, which --no-install-recommends skips; the arm64
# libbpf/libelf/zlib archives come from tools/scripts/arm64-sysroot.sh.
GROUP[bpf-arm64]="gcc-aarch64-linux-gnu libc6-dev-arm64-cross"

want=()
for g in "$@"; do
	[[ -n "${GROUP[$g]+x}" ]] || { echo "install-deps: unknown group '$g' (known: ${!GROUP[*]})" >&2; exit 2; }
	for p in ${GROUP[$g]}; do
		st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[[ "$st" == installed ]] || want+=("$p")
	done
done
[[ ${#want[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
	echo "install-deps: missing packages: ${want[*]}; run as root or: sudo apt-get install ${want[*]}" >&2
	exit 1
fi
echo "install-deps: installing ${want[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${want[@]}"; } >"$log" 2>&1; then
	tail -20 "$log" >&2
	echo "install-deps: apt-get failed for: ${want[*]}" >&2
	rm -f "$log"; exit 1
fi
rm -f "$log"
