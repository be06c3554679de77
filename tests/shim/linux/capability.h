/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <linux/capability.h>: the test decides the answer. */
#ifndef SPEKIT_SHIM_LINUX_CAPABILITY_H
#define SPEKIT_SHIM_LINUX_CAPABILITY_H

#include <linux/types.h>
#include <shim/env.h>

static inline bool perfmon_capable(void)
{
	return shim_env.perfmon_capable;
}

#endif
