// SPDX-License-Identifier: GPL-2.0-only
/* CPU list parsing for -C: comma-separated CPUs and inclusive ranges */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpulist.h"

void sd_cpuset_add(struct sd_cpuset *set, unsigned int cpu)
{
	if (cpu >= SD_MAX_CPUS)
		return;
	set->bits[cpu / 8] |= 1u << (cpu % 8);
	if (cpu + 1 > set->max)
		set->max = cpu + 1;
}

/* a decimal CPU number at *p (digits only); advances *p */
static int parse_cpu(const char **p, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)**p))
		return -1;
	errno = 0;
	*v = strtoul(*p, &end, 10);
	if (errno)
		return -1;
	*p = end;
	return 0;
}

int sd_cpulist_parse(const char *s, struct sd_cpuset *set, char *err, size_t errlen)
{
	const char *p = s;

	memset(set, 0, sizeof(*set));
	if (!*s) {
		snprintf(err, errlen, "empty CPU list");
		return -1;
	}
	for (;;) {
		const char *item = p;
		unsigned long lo, hi;

		if (parse_cpu(&p, &lo)) {
			snprintf(err, errlen, "bad CPU list '%s' (want e.g. 0-3,8)", s);
			return -1;
		}
		hi = lo;
		if (*p == '-') {
			p++;
			if (parse_cpu(&p, &hi)) {
				snprintf(err, errlen, "bad CPU list '%s' (want e.g. 0-3,8)", s);
				return -1;
			}
			if (hi < lo) {
				snprintf(err, errlen, "bad CPU range %.*s (end before start)",
					 (int)(p - item), item);
				return -1;
			}
		}
		if (hi >= SD_MAX_CPUS) {
			snprintf(err, errlen, "CPU %lu out of range (max %d)", hi, SD_MAX_CPUS - 1);
			return -1;
		}
		for (unsigned long c = lo; c <= hi; c++)
			sd_cpuset_add(set, (unsigned int)c);
		if (!*p)
			return 0;
		if (*p != ',' || !p[1]) {
			snprintf(err, errlen, "bad CPU list '%s' (want e.g. 0-3,8)", s);
			return -1;
		}
		p++;
	}
}
