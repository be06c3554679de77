/* SPDX-License-Identifier: GPL-2.0-only */
/* CPU lists as -C and sysfs write them: "0-3,8,10-11" */
#ifndef SPEDROPS_CPULIST_H
#define SPEDROPS_CPULIST_H

#include <stdbool.h>
#include <stddef.h>

#define SD_MAX_CPUS	4096

struct sd_cpuset {
	unsigned char bits[SD_MAX_CPUS / 8];
	unsigned int max;	/* highest CPU set + 1, 0 when empty */
};

/*
 * Parse @s into @set.  0, or -1 with a reason in @err (one phrase, e.g.
 * "bad range 3-1").  CPUs must be < SD_MAX_CPUS; the list must not be
 * empty.
 */
int sd_cpulist_parse(const char *s, struct sd_cpuset *set, char *err, size_t errlen);

static inline bool sd_cpuset_has(const struct sd_cpuset *set, unsigned int cpu)
{
	return cpu < SD_MAX_CPUS && (set->bits[cpu / 8] >> (cpu % 8)) & 1;
}

void sd_cpuset_add(struct sd_cpuset *set, unsigned int cpu);

#endif
