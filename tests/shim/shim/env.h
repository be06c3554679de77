/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The environment the shim's kernel API reports, set by the tests: the
 * current CPU, the caller's privilege, the clock ratelimiting reads.
 */
#ifndef SPEKIT_SHIM_ENV_H
#define SPEKIT_SHIM_ENV_H

#include <linux/types.h>

struct shim_env {
	int cpu;			/* smp_processor_id() */
	bool perfmon_capable;		/* perfmon_capable() */
	unsigned long jiffies;		/* for the ratelimited printks */
};

extern struct shim_env shim_env;

#define HZ 100

/* Back to CPU 0, unprivileged, clock at 0. */
void shim_env_reset(void);

#endif
