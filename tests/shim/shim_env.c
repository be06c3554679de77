// SPDX-License-Identifier: GPL-2.0-only
/* The environment the shim reports to driver code (shim/env.h). */
#include <shim/env.h>

struct shim_env shim_env;

void shim_env_reset(void)
{
	shim_env.cpu = 0;
	shim_env.perfmon_capable = false;
	shim_env.jiffies = 0;
}
