/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in for <linux/compiler_types.h> (force-included, as kernel builds
 * do): the annotations and attribute macros driver code uses.
 */
#ifndef SPEKIT_SHIM_LINUX_COMPILER_TYPES_H
#define SPEKIT_SHIM_LINUX_COMPILER_TYPES_H

#define __percpu
#define __iomem
#define __user
#define __must_check	__attribute__((__warn_unused_result__))
#define __maybe_unused	__attribute__((__unused__))
#define __printf(a, b)	__attribute__((__format__(printf, a, b)))
#define fallthrough	__attribute__((__fallthrough__))
#define __same_type(a, b) __builtin_types_compatible_p(typeof(a), typeof(b))

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define READ_ONCE(x)	(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, val) do { *(volatile typeof(x) *)&(x) = (val); } while (0)

#endif
