/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <linux/platform_device.h>: only the type is named. */
#ifndef SPEKIT_SHIM_LINUX_PLATFORM_DEVICE_H
#define SPEKIT_SHIM_LINUX_PLATFORM_DEVICE_H

struct device {
	const char *init_name;
};

struct platform_device {
	const char *name;
	int id;
	struct device dev;
};

#endif
