/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <linux/align.h> (the kernel's definitions). */
#ifndef SPEKIT_SHIM_LINUX_ALIGN_H
#define SPEKIT_SHIM_LINUX_ALIGN_H

#define __ALIGN_KERNEL(x, a)		__ALIGN_KERNEL_MASK(x, (typeof(x))(a) - 1)
#define __ALIGN_KERNEL_MASK(x, mask)	(((x) + (mask)) & ~(mask))

#define ALIGN(x, a)		__ALIGN_KERNEL((x), (a))
#define ALIGN_DOWN(x, a)	__ALIGN_KERNEL((x) - ((a) - 1), (a))
#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)

#endif
