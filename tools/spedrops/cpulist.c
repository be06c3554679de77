// SPDX-License-Identifier: GPL-2.0-only
/* CPU list parsing for -C and sysfs: comma-separated CPUs and inclusive ranges */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cpulist.h"

/* The longest part of a bad entry a message quotes */
#define QUOTE_MAX	32

void sd_cpuset_add(struct sd_cpuset *set, unsigned int cpu)
{
	if (cpu >= SD_MAX_CPUS)
		return;
	set->bits[cpu / 8] |= 1u << (cpu % 8);
	if (cpu + 1 > set->max)
		set->max = cpu + 1;
}

unsigned int sd_cpuset_count(const struct sd_cpuset *set)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < (set->max + 7) / 8; i++)
		n += (unsigned int)__builtin_popcount(set->bits[i]);
	return n;
}

/*
 * @len bytes of @s for a message: printable ASCII as is, the rest escaped,
 * so a newline in a sysfs file or a shell argument cannot split the line
 */
static void quote(const char *s, size_t len, char *buf, size_t buflen)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < len && i < QUOTE_MAX && o < buflen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			o += (size_t)snprintf(buf + o, buflen - o, "\\n");
		else if (c == '\t')
			o += (size_t)snprintf(buf + o, buflen - o, "\\t");
		else if (c < 0x20 || c >= 0x7f || c == '\\' || c == '\'')
			o += (size_t)snprintf(buf + o, buflen - o, "\\x%02x", c);
		else
			o += (size_t)snprintf(buf + o, buflen - o, "%c", c);
	}
	if (len > QUOTE_MAX && o < buflen)
		snprintf(buf + o, buflen - o, "...");
}

static int bad_entry(const char *item, size_t len, const char *why, char *err, size_t errlen)
{
	char q[QUOTE_MAX * 4 + 4];

	quote(item, len, q, sizeof(q));
	snprintf(err, errlen, "bad CPU list entry '%s': %s; want e.g. 0-3,8 (CPUs 0-%d)",
		 q, why, SD_MAX_CPUS - 1);
	return -1;
}

/*
 * Decimal digits at *p (before @end) into @v; advances *p.  The value
 * saturates past 2^32: beyond SD_MAX_CPUS only "too big" matters, and
 * comparing two such numbers stays right up to there.  -1: no digit.
 */
static int cpu_num(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;
	uint64_t n = 0;

	if (s == end || *s < '0' || *s > '9')
		return -1;
	for (; s < end && *s >= '0' && *s <= '9'; s++)
		if (n <= UINT32_MAX)
			n = n * 10 + (uint64_t)(*s - '0');
	*p = s;
	*v = n;
	return 0;
}

/* One entry, [@p, @end): N or N-M.  0, or -1 when it is neither */
static int entry(const char *p, const char *end, uint64_t *lo, uint64_t *hi)
{
	if (cpu_num(&p, end, lo))
		return -1;
	*hi = *lo;
	if (p < end && *p == '-') {
		p++;
		if (cpu_num(&p, end, hi))
			return -1;
	}
	return p == end ? 0 : -1;
}

static int parse(const char *s, bool sysfs, struct sd_cpuset *set, char *err, size_t errlen)
{
	size_t len = strlen(s);
	const char *p = s, *end;
	char why[32];

	memset(set, 0, sizeof(*set));
	if (sysfs)
		while (len && (s[len - 1] == '\n' || s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
	if (!len)
		return sysfs ? 0 : bad_entry(s, 0, "the list is empty", err, errlen);
	end = s + len;
	for (;;) {
		const char *next = memchr(p, ',', (size_t)(end - p));
		const char *stop = next ? next : end;
		size_t n = (size_t)(stop - p);
		uint64_t lo, hi;

		if (!n)
			return bad_entry(p, 0, p == s ? "nothing before the first comma" :
					       !next ? "nothing after the last comma" :
					       "nothing between two commas", err, errlen);
		if (entry(p, stop, &lo, &hi))
			return bad_entry(p, n, "not a CPU number or range", err, errlen);
		if (hi < lo)
			return bad_entry(p, n, "the range ends before it starts", err, errlen);
		if (hi >= SD_MAX_CPUS) {
			snprintf(why, sizeof(why), "beyond CPU %d", SD_MAX_CPUS - 1);
			return bad_entry(p, n, why, err, errlen);
		}
		for (uint64_t c = lo; c <= hi; c++)
			sd_cpuset_add(set, (unsigned int)c);
		if (!next)
			return 0;
		p = next + 1;
	}
}

int sd_cpulist_parse(const char *s, struct sd_cpuset *set, char *err, size_t errlen)
{
	return parse(s, false, set, err, errlen);
}

int sd_cpulist_parse_sysfs(const char *s, struct sd_cpuset *set, char *err, size_t errlen)
{
	return parse(s, true, set, err, errlen);
}
