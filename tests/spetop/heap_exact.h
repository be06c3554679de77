/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exact heap figures for the memory tests of xhist and agg: glibc's
 * bytes-in-use (mallinfo2) matches what they count only with no tcache
 * (freed chunks parked there still count as in use), so heap_exact_init()
 * re-runs the test once with the tcache off.  Under ASan, or when the
 * re-run cannot happen, heap_exact stays false and the tests skip the
 * exact comparisons.
 */
#ifndef SPETOP_TEST_HEAP_EXACT_H
#define SPETOP_TEST_HEAP_EXACT_H

#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#define HEAP_NO_TCACHE	"glibc.malloc.tcache_count=0"

static bool heap_exact;

static size_t heap_in_use(void)
{
	return mallinfo2().uordblks;
}

static void heap_exact_init(char **argv)
{
	const char *tun = getenv("GLIBC_TUNABLES");

	if (!UNDER_ASAN && !(tun && strstr(tun, HEAP_NO_TCACHE)) &&
	    !getenv("SPETOP_TEST_REEXEC")) {
		char buf[512];

		snprintf(buf, sizeof(buf), "%s%s" HEAP_NO_TCACHE, tun ? tun : "", tun ? ":" : "");
		setenv("GLIBC_TUNABLES", buf, 1);
		setenv("SPETOP_TEST_REEXEC", "1", 1);
		execv("/proc/self/exe", argv);
		/* no exec: run anyway, without the exact heap checks */
	}
	tun = getenv("GLIBC_TUNABLES");
	heap_exact = !UNDER_ASAN && tun && strstr(tun, HEAP_NO_TCACHE);
	if (!heap_exact)
		printf("  info: tcache on, heap cross-checks skipped\n");
}

#endif /* SPETOP_TEST_HEAP_EXACT_H */
