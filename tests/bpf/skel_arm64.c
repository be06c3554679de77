// SPDX-License-Identifier: GPL-2.0-only
#include <bpf/libbpf.h>
#include "arm64/spedrops.skel.h"
#include "skel_arm64.h"

const void *sd_arm64_elf_bytes(size_t *sz)
{
	return spedrops_bpf__elf_bytes(sz);
}
