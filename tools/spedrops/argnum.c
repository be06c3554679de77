// SPDX-License-Identifier: GPL-2.0-only
/* Numeric option arguments (see argnum.h) */
#include <ctype.h>
#include <stdbool.h>
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

/*
 * strtoull skips white space and takes a sign, so "-1" would come back as
 * 2^64-1: the first character must already be a digit.  Base 16 digits
 * include letters (a MIDR such as c00fac30); strtoull stops at once on a
 * letter that is not a digit of @base, which the *end test then refuses.
 */
static bool digits_start(const char *s, int base)
{
	unsigned char c = (unsigned char)*s;

	return isdigit(c) || (base == 16 && isxdigit(c));
}

/* strtoull in @base, all of it up to *end; 0 or -1 on overflow or none */
static int u64_prefix(const char *s, int base, unsigned long long *u, char **end)
{
	if (!digits_start(s, base))
		return -1;
	errno = 0;
	*u = strtoull(s, end, base);
	return errno || *end == s ? -1 : 0;
}

int sd_arg_u64(const char *s, int base, uint64_t lo, uint64_t hi, uint64_t *v)
{
	unsigned long long u;
	char *end;

	if (u64_prefix(s, base, &u, &end) || *end || u < lo || u > hi)
		return -1;
	*v = u;
	return 0;
}

int sd_arg_size(const char *s, uint64_t lo, uint64_t hi, uint64_t *v)
{
	unsigned long long u;
	unsigned int sh;
	char *end;

	if (u64_prefix(s, 0, &u, &end))
		return -1;
	switch (*end) {
	case '\0':
		sh = 0;
		break;
	case 'k': case 'K':
		sh = 10;
		break;
	case 'm': case 'M':
		sh = 20;
		break;
	case 'g': case 'G':
		sh = 30;
		break;
	default:
		return -1;
	}
	if (sh) {
		end++;
		if (*end == 'i' || *end == 'I')
			end++;
		if (*end == 'b' || *end == 'B')
			end++;
		if (*end || u > (~0ULL >> sh))
			return -1;
		u <<= sh;
	}
	if (u < lo || u > hi)
		return -1;
	*v = u;
	return 0;
}
