/* SPDX-License-Identifier: GPL-2.0-only */
/* The arm64 skeleton's embedded object, for host-side checks (its
 * spedrops_bpf__* functions share names with the host skeleton's, so it
 * gets a translation unit of its own) */
#ifndef SPEKIT_TESTS_SKEL_ARM64_H
#define SPEKIT_TESTS_SKEL_ARM64_H
#include <stddef.h>
const void *sd_arm64_elf_bytes(size_t *sz);
#endif
