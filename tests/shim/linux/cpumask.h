/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <linux/cpumask.h>: a fixed 64-CPU mask. */
#ifndef SPEKIT_SHIM_LINUX_CPUMASK_H
#define SPEKIT_SHIM_LINUX_CPUMASK_H

#include <linux/bits.h>
#include <linux/types.h>

#define NR_CPUS 64

typedef struct cpumask {
	unsigned long bits[1];
} cpumask_t;

static inline bool cpumask_test_cpu(int cpu, const struct cpumask *mask)
{
	return cpu >= 0 && cpu < NR_CPUS && (mask->bits[0] & BIT(cpu));
}

static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *mask)
{
	if (cpu < NR_CPUS)
		mask->bits[0] |= BIT(cpu);
}

static inline void cpumask_clear(struct cpumask *mask)
{
	mask->bits[0] = 0;
}

#endif
