// SPDX-License-Identifier: GPL-2.0-only
/* Numeric option arguments (see argnum.h) */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "argnum.h"

int sd_arg_num(const char *s, double lo, double hi, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(*v) || *v < lo || *v > hi)
		return -1;
	return 0;
}

int sd_arg_u64(const char *s, int base, uint64_t lo, uint64_t hi, uint64_t *v)
{
	unsigned long long u;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	u = strtoull(s, &end, base);
	if (*end || errno || u < lo || u > hi)
		return -1;
	*v = u;
	return 0;
}
