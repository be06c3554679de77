/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in for <linux/errno.h>.  The uapi values are the kernel's; glibc's
 * <errno.h> also reaches them through this name, so chain to the system
 * header rather than to <errno.h>.
 */
#ifndef SPEKIT_SHIM_LINUX_ERRNO_H
#define SPEKIT_SHIM_LINUX_ERRNO_H

#include_next <linux/errno.h>

/* kernel-internal codes */
#define ERESTARTSYS	512
#define ENOTSUPP	524

#endif
