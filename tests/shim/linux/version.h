/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in for <linux/version.h>.  The kernel version the driver is built
 * for: 6.12 unless the build passes -DSHIM_LINUX_VERSION_CODE=... (the
 * harness also builds the cfg tests as 6.1, where perf_event_attr has no
 * config3).
 */
#ifndef SPEKIT_SHIM_LINUX_VERSION_H
#define SPEKIT_SHIM_LINUX_VERSION_H

#define KERNEL_VERSION(a, b, c) \
	(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))

#ifdef SHIM_LINUX_VERSION_CODE
#define LINUX_VERSION_CODE	SHIM_LINUX_VERSION_CODE
#else
#define LINUX_VERSION_CODE	KERNEL_VERSION(6, 12, 0)
#endif

#endif
