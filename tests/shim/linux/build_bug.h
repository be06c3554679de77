/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <linux/build_bug.h>: static_assert() with one argument. */
#ifndef SPEKIT_SHIM_LINUX_BUILD_BUG_H
#define SPEKIT_SHIM_LINUX_BUILD_BUG_H

/* glibc's <assert.h> defines a two-argument one; the kernel's wins here */
#undef static_assert
#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)

#define BUILD_BUG_ON_ZERO(e) ((int)(sizeof(struct { int:(-!!(e)); })))
#define BUILD_BUG_ON(cond) ((void)sizeof(char[1 - 2 * !!(cond)]))

#endif
