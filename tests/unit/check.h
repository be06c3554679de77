/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal test harness for the C unit suites: one line per failed check,
 * one line per test, and the closing "N passed, N failed" that
 * tests/run-suites.sh totals.
 */
#ifndef SPEKIT_TEST_CHECK_H
#define SPEKIT_TEST_CHECK_H

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed, check_cur_failed;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("  check failed %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		check_cur_failed++;					\
	}								\
} while (0)

#define CHECK_EQ_U64(a, b) do {						\
	uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);		\
	if (_a != _b) {							\
		printf("  check failed %s:%d: %s == %s (0x%" PRIx64 " != 0x%" PRIx64 ")\n", \
		       __FILE__, __LINE__, #a, #b, _a, _b);		\
		check_cur_failed++;					\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (!_a || !_b || strcmp(_a, _b)) {				\
		printf("  check failed %s:%d: %s == %s (\"%s\" != \"%s\")\n", \
		       __FILE__, __LINE__, #a, #b, _a ? _a : "(null)", _b ? _b : "(null)"); \
		check_cur_failed++;					\
	}								\
} while (0)

/* s (which may be NULL: a failure, not a crash) contains sub */
#define CHECK_HAS(s, sub) do {						\
	const char *_s = (s), *_sub = (sub);				\
	if (!_s || !strstr(_s, _sub)) {					\
		printf("  check failed %s:%d: \"%s\" contains \"%s\"\n",	\
		       __FILE__, __LINE__, _s ? _s : "(null)", _sub);	\
		check_cur_failed++;					\
	}								\
} while (0)

/* xorshift64: the tests' reproducible pseudo-random numbers (*x != 0) */
static inline uint64_t check_xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Open fds of this process, -1 if unknown: a failure path leaks none
 * when the count is the same before and after. */
static inline int open_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

#define RUN_TEST(fn) do {						\
	check_cur_failed = 0;						\
	fn();								\
	if (check_cur_failed) {						\
		printf("FAIL %s\n", #fn);				\
		check_failed++;						\
	} else {							\
		printf("ok   %s\n", #fn);				\
		check_passed++;						\
	}								\
} while (0)

#define CHECK_DONE() do {						\
	printf("%d passed, %d failed\n", check_passed, check_failed);	\
	return check_failed ? 1 : 0;					\
} while (0)

#endif
