/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's types for CO-RE BPF programs: includes the header of the
 * architecture the program is built for, named the way libbpf's
 * bpf_tracing.h expects it (clang -target bpf -D__TARGET_ARCH_arm64 or
 * -D__TARGET_ARCH_x86).  The per-arch headers are generated from Debian's
 * kernel BTF by vmlinux/gen-vmlinux.sh; CO-RE relocates every field access
 * at load time, so one header serves every kernel of that architecture.
 */
#if defined(__TARGET_ARCH_arm64)
#include "arm64/vmlinux.h"
#elif defined(__TARGET_ARCH_x86)
#include "x86/vmlinux.h"
#else
#error "vmlinux.h: build with -D__TARGET_ARCH_arm64 or -D__TARGET_ARCH_x86 (libbpf's bpf_tracing.h needs it too)"
#endif
