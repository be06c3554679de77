/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space stand-in for <linux/types.h>, for driver code under test.
 * u64 is unsigned long long as in the kernel (int-ll64.h), so "%llx"
 * formats in driver code are checked as the kernel checks them.
 */
#ifndef SPEKIT_SHIM_LINUX_TYPES_H
#define SPEKIT_SHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef signed char s8;
typedef unsigned char u8;
typedef short s16;
typedef unsigned short u16;
typedef int s32;
typedef unsigned int u32;
typedef long long s64;
typedef unsigned long long u64;

/* The list types live here in the kernel too. */
struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

#endif
