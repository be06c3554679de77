/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPU lists as -C and sysfs write them: "0-3,8,10-11".  The one parser of
 * spedrops (-C) and spetop (-C, and a PMU's cpumask or the possible CPUs
 * in sysfs), so the two tools accept the same lists and word a bad one the
 * same way.
 *
 * A list is entries separated by commas, each a decimal CPU number N or an
 * inclusive range N-M with N <= M, every CPU below SD_MAX_CPUS.  Nothing
 * else: no blanks, signs, hex or empty entries ("1,", ",1", "1,,2").
 * Duplicates and overlapping ranges are fine; the result is a set.
 *
 * A bad list gives one phrase naming the first bad entry and what is
 * accepted, for the caller to prefix with where the list came from:
 *
 *   bad CPU list entry 'x': not a CPU number or range; want e.g. 0-3,8 (CPUs 0-4095)
 *   bad CPU list entry '3-1': the range ends before it starts; want ...
 *   bad CPU list entry '4096': beyond CPU 4095; want ...
 *   bad CPU list entry '': nothing after the last comma; want ...
 *   bad CPU list entry '': the list is empty; want ...
 *
 * The entry is quoted with control and non-ASCII bytes escaped (\n, \xNN)
 * and cut at 32 bytes, so the message stays one short line.
 */
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
 * A list the user gave (-C) into @set.  0, or -1 with the phrase in @err
 * (@set then holds nothing useful).  An empty list is an error: asking
 * for no CPU is a mistake, not a request.
 */
int sd_cpulist_parse(const char *s, struct sd_cpuset *set, char *err, size_t errlen);

/*
 * The text of a sysfs CPU list file (a PMU's cpumask, devices/system/cpu/
 * possible) into @set.  As sd_cpulist_parse() but for what the kernel
 * writes: trailing blanks and newlines are dropped (the kernel ends the
 * file with "\n"), and an empty list is an empty set (an empty mask is
 * printed as the newline alone).
 */
int sd_cpulist_parse_sysfs(const char *s, struct sd_cpuset *set, char *err, size_t errlen);

static inline bool sd_cpuset_has(const struct sd_cpuset *set, unsigned int cpu)
{
	return cpu < SD_MAX_CPUS && (set->bits[cpu / 8] >> (cpu % 8)) & 1;
}

void sd_cpuset_add(struct sd_cpuset *set, unsigned int cpu);
/* How many CPUs @set holds */
unsigned int sd_cpuset_count(const struct sd_cpuset *set);

#endif
