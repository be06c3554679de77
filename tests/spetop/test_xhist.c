// SPDX-License-Identifier: GPL-2.0-only
/*
 * xhist against two references: a sorted copy of the raw values with the
 * nearest rank picked by hand, and libspe's spe_hist.  Per-value counts
 * are compared against a plain count array, memory against glibc's own
 * accounting, and out-of-memory handling through xhist_fail_hook.
 */
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "heap_exact.h"
#include "rng.h"
#include "spe_hist.h"
#include "xhist.h"

/* ---- helpers ---------------------------------------------------------- */

enum shape {
	SH_ONE, SH_FEW, SH_UNIFORM, SH_TAIL, SH_EDGES, SH_NARROW, SH_SCATTER,
	SH_NR
};

static const char *const shape_name[SH_NR] = {
	"one", "few", "uniform", "tail", "edges", "narrow", "scatter"
};

static void gen(enum shape sh, uint16_t *v, size_t n)
{
	uint16_t pick[8];

	for (int i = 0; i < 8; i++)
		pick[i] = (uint16_t)rnd();
	for (size_t i = 0; i < n; i++) {
		uint64_t r = rnd();

		switch (sh) {
		case SH_ONE:
			v[i] = pick[0];
			break;
		case SH_FEW:
			v[i] = pick[r % 6];
			break;
		case SH_UNIFORM:
			v[i] = (uint16_t)r;
			break;
		case SH_TAIL: {
			/* cache-hit bulk, then an exponential tail */
			double x = 5 + 40 * rnd_unit();

			if (r % 10 == 0)
				x = 50 - 400 * log(1 - rnd_unit());
			if (r % 1000 == 0)
				x = 65535 * rnd_unit();
			v[i] = x > 65535 ? 65535 : (uint16_t)x;
			break;
		}
		case SH_EDGES:
			v[i] = r % 3 == 0 ? 0 : r % 3 == 1 ? 65535 :
			       (uint16_t)(r >> 32) % 3 + 32767;
			break;
		case SH_NARROW:
			v[i] = (uint16_t)(r % 700);
			break;
		default:
			/* one value in many pages */
			v[i] = (uint16_t)((r % 200) * 321);
			break;
		}
	}
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/*
 * The definition, written out again: the k-th smallest value where k is
 * the least integer not below p/100*n (evaluated in double, as the
 * definition is), at least 1 and at most n.
 */
static uint16_t ref_pct(const uint16_t *sorted, size_t n, double p)
{
	double x = p / 100.0 * (double)n;
	size_t k;

	if (!(x > 0))
		return sorted[0];
	if (x >= (double)n)
		return sorted[n - 1];
	k = (size_t)x;
	if ((double)k < x)
		k++;
	if (k < 1)
		k = 1;
	return sorted[k - 1];
}

static void fill_ps(double *ps, size_t *np, size_t n)
{
	static const double fixed[] = {
		1e-12, 1e-9, 1e-6, 0.001, 0.01, 0.1, 1, 5, 10, 25, 33.3,
		50, 66.7, 75, 90, 95, 99, 99.5, 99.9, 99.99, 99.999, 100
	};
	size_t k = 0;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		ps[k++] = fixed[i];
	/* p landing exactly on a rank and just beside it */
	for (int i = 0; i < 100; i++) {
		double p = 100.0 * (double)(1 + rnd() % n) / (double)n;

		ps[k++] = p;
		ps[k++] = nextafter(p, 0);
		ps[k++] = nextafter(p, 200) > 100 ? 100 : nextafter(p, 200);
	}
	for (int i = 0; i < 300; i++)
		ps[k++] = 100.0 * (1 - rnd_unit());	/* (0, 100] */
	*np = k;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Everything xhist says about h, against the raw values v[0..n). */
static int compare_to_ref(const struct xhist *h, const uint16_t *v, size_t n,
			  const char *what)
{
	static uint32_t cnt[65536];
	static double ps[3000];
	static uint16_t outs[3000];
	uint16_t *s = malloc((n ? n : 1) * sizeof(*s));
	struct spe_hist sh = { 0 };
	uint64_t sum = 0;
	size_t np, bad = 0;

	memset(cnt, 0, sizeof(cnt));
	for (size_t i = 0; i < n; i++) {
		s[i] = v[i];
		cnt[v[i]]++;
		sum += v[i];
		spe_hist_add(&sh, v[i]);
	}
	qsort(s, n, sizeof(*s), cmp_u16);
	if (h->n != n || h->sum != sum) {
		printf("  %s: n %" PRIu64 "/%zu sum %" PRIu64 "/%" PRIu64 "\n",
		       what, h->n, n, h->sum, sum);
		bad++;
	}
	if (n && (h->min != s[0] || h->max != s[n - 1])) {
		printf("  %s: min/max %u %u vs %u %u\n", what, h->min, h->max,
		       s[0], s[n - 1]);
		bad++;
	}
	for (uint32_t x = 0; x < 65536; x++) {
		if (xhist_count(h, (uint16_t)x) != cnt[x]) {
			if (bad++ < 5)
				printf("  %s: count(%u) %" PRIu64 " vs %u\n", what,
				       x, xhist_count(h, (uint16_t)x), cnt[x]);
		}
	}
	if (n) {
		fill_ps(ps, &np, n);
		for (size_t i = 0; i < np; i++) {
			uint16_t got = xhist_percentile(h, ps[i]);
			uint16_t want = ref_pct(s, n, ps[i]);
			uint16_t lib = spe_hist_percentile(&sh, ps[i]);

			if (got != want || got != lib) {
				if (bad++ < 5)
					printf("  %s n %zu p %.17g: %u ref %u spe_hist %u\n",
					       what, n, ps[i], got, want, lib);
			}
		}
		/* the one-pass form agrees with single calls */
		qsort(ps, np, sizeof(ps[0]), cmp_double);
		xhist_percentiles(h, ps, outs, (int)np);
		for (size_t i = 0; i < np; i++)
			if (outs[i] != ref_pct(s, n, ps[i]) && bad++ < 5)
				printf("  %s: percentiles[%zu] p %.17g: %u vs %u\n",
				       what, i, ps[i], outs[i], ref_pct(s, n, ps[i]));
	}
	spe_hist_free(&sh);
	free(s);
	return bad == 0;
}

static void build(struct xhist *h, const uint16_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (xhist_add(h, v[i]))
			check_cur_failed++;
}

/* ---- tests ------------------------------------------------------------ */

static void test_empty(void)
{
	struct xhist h;
	double ps[3] = { 1, 50, 100 };
	uint16_t out[3] = { 1, 1, 1 };

	xhist_init(&h);
	CHECK_EQ_U64(h.n, 0);
	CHECK_EQ_U64(xhist_percentile(&h, 50), 0);
	CHECK_EQ_U64(xhist_percentile(&h, 100), 0);
	xhist_percentiles(&h, ps, out, 3);
	CHECK(!out[0] && !out[1] && !out[2]);
	CHECK_EQ_U64(xhist_count(&h, 0), 0);
	CHECK_EQ_U64(xhist_mem(&h), 0);
	CHECK(xhist_mean(&h) == 0);
	CHECK_EQ_U64(xhist_add_n(&h, 7, 0), 0);
	CHECK_EQ_U64(h.n, 0);
	xhist_clear(&h);
	xhist_free(&h);
	CHECK_EQ_U64(h.n, 0);
}

static void test_shapes(void)
{
	static const size_t sizes[] = { 1, 2, 3, 5, 17, 100, 1000, 20000, 200000 };
	uint16_t *v = malloc(200000 * sizeof(*v));

	for (int sh = 0; sh < SH_NR; sh++) {
		for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
			struct xhist h;
			char what[64];

			xhist_init(&h);
			gen(sh, v, sizes[si]);
			build(&h, v, sizes[si]);
			snprintf(what, sizeof(what), "%s/%zu", shape_name[sh], sizes[si]);
			if (!compare_to_ref(&h, v, sizes[si], what))
				check_cur_failed++;
			xhist_free(&h);
			CHECK_EQ_U64(xhist_mem(&h), 0);
		}
	}
	free(v);
}

static void test_random_sizes(void)
{
	uint16_t *v = malloc(50000 * sizeof(*v));

	for (int trial = 0; trial < 60; trial++) {
		size_t n = 1 + rnd() % 50000;
		struct xhist h;

		xhist_init(&h);
		gen((enum shape)(rnd() % SH_NR), v, n);
		build(&h, v, n);
		if (!compare_to_ref(&h, v, n, "random"))
			check_cur_failed++;
		xhist_free(&h);
	}
	free(v);
}

static void test_percentiles_order(void)
{
	/* Descending and mixed p[] must still be right, just slower. */
	static const double ps[] = { 99, 50, 100, 1, 50, 0.5, 90 };
	uint16_t v[1000], s[1000], out[7];
	struct xhist h;

	xhist_init(&h);
	gen(SH_TAIL, v, 1000);
	build(&h, v, 1000);
	memcpy(s, v, sizeof(v));
	qsort(s, 1000, sizeof(s[0]), cmp_u16);
	xhist_percentiles(&h, ps, out, 7);
	for (int i = 0; i < 7; i++)
		CHECK_EQ_U64(out[i], ref_pct(s, 1000, ps[i]));
	/* outside (0, 100]: clamps, NaN as the minimum */
	CHECK_EQ_U64(xhist_percentile(&h, 0), s[0]);
	CHECK_EQ_U64(xhist_percentile(&h, -5), s[0]);
	CHECK_EQ_U64(xhist_percentile(&h, NAN), s[0]);
	CHECK_EQ_U64(xhist_percentile(&h, 250), s[999]);
	xhist_free(&h);
}

static void test_merge(void)
{
	static uint16_t a[30000], b[30000], ab[60000];

	for (int trial = 0; trial < 80; trial++) {
		size_t na = rnd() % 4 == 0 ? rnd() % 6 : rnd() % 30000;
		size_t nb = rnd() % 4 == 0 ? rnd() % 6 : rnd() % 30000;
		struct xhist ha, hb, hab;

		xhist_init(&ha);
		xhist_init(&hb);
		xhist_init(&hab);
		gen((enum shape)(rnd() % SH_NR), a, na);
		gen((enum shape)(rnd() % SH_NR), b, nb);
		/* a cleared, reused destination: the ndir == 0 state */
		if (trial % 5 == 0) {
			build(&ha, b, nb);
			xhist_clear(&ha);
		}
		build(&ha, a, na);
		build(&hb, b, nb);
		memcpy(ab, a, na * sizeof(a[0]));
		memcpy(ab + na, b, nb * sizeof(b[0]));
		build(&hab, ab, na + nb);
		CHECK_EQ_U64(xhist_merge(&ha, &hb), 0);
		if (!compare_to_ref(&ha, ab, na + nb, "merge"))
			check_cur_failed++;
		/* src untouched */
		if (!compare_to_ref(&hb, b, nb, "merge src"))
			check_cur_failed++;
		/* adding more after a merge takes the fast path correctly */
		for (int i = 0; i < 100; i++) {
			uint16_t x = (uint16_t)(rnd() % 2000);

			xhist_add(&ha, x);
			xhist_add(&hab, x);
		}
		for (uint32_t x = 0; x < 65536; x++)
			if (xhist_count(&ha, (uint16_t)x) != xhist_count(&hab, (uint16_t)x))
				check_cur_failed++;
		CHECK_EQ_U64(ha.n, hab.n);
		CHECK_EQ_U64(ha.sum, hab.sum);
		CHECK_EQ_U64(ha.min, hab.min);
		CHECK_EQ_U64(ha.max, hab.max);
		xhist_free(&ha);
		xhist_free(&hb);
		xhist_free(&hab);
	}
	/* merging into itself is refused, not doubled silently */
	{
		struct xhist h;

		xhist_init(&h);
		xhist_add(&h, 3);
		CHECK(xhist_merge(&h, &h) == -1);
		CHECK_EQ_U64(h.n, 1);
		xhist_free(&h);
	}
}

static void test_clear_reuse(void)
{
	static uint16_t v[40000];

	for (int sh = 0; sh < SH_NR; sh++) {
		struct xhist h;
		size_t mem;

		xhist_init(&h);
		gen(sh, v, 40000);
		build(&h, v, 40000);
		mem = xhist_mem(&h);
		xhist_clear(&h);
		CHECK_EQ_U64(h.n, 0);
		CHECK_EQ_U64(h.sum, 0);
		CHECK_EQ_U64(h.min, 0);
		CHECK_EQ_U64(h.max, 0);
		CHECK_EQ_U64(xhist_percentile(&h, 50), 0);
		CHECK_EQ_U64(xhist_count(&h, v[0]), 0);
		CHECK_EQ_U64(xhist_mem(&h), mem);	/* kept for reuse */
		/* reuse with a different shape, twice */
		for (int round = 0; round < 2; round++) {
			size_t n = 1 + rnd() % 40000;

			gen((enum shape)((sh + 1 + round) % SH_NR), v, n);
			build(&h, v, n);
			if (!compare_to_ref(&h, v, n, "reuse"))
				check_cur_failed++;
			xhist_clear(&h);
		}
		xhist_free(&h);
		CHECK_EQ_U64(xhist_mem(&h), 0);
	}
}

static void test_add_n(void)
{
	static uint16_t v[20000];
	struct xhist h, r;
	size_t n = 0;

	xhist_init(&h);
	xhist_init(&r);
	for (int i = 0; i < 3000; i++) {
		uint16_t x = (uint16_t)(rnd() % 3 ? rnd() % 500 : rnd());
		uint32_t k = (uint32_t)(rnd() % 7);

		CHECK_EQ_U64(xhist_add_n(&h, x, k), 0);
		for (uint32_t j = 0; j < k && n < 20000; j++) {
			v[n++] = x;
			xhist_add(&r, x);
		}
	}
	if (n < 20000 && !compare_to_ref(&h, v, n, "add_n"))
		check_cur_failed++;
	for (uint32_t x = 0; x < 65536; x++)
		if (xhist_count(&h, (uint16_t)x) != xhist_count(&r, (uint16_t)x))
			check_cur_failed++;
	xhist_free(&h);
	xhist_free(&r);
}

/* Counts past 32 bits promote (inline, sparse and dense alike). */
static void test_big_counts(void)
{
	const uint64_t big = UINT32_MAX;

	for (int mode = 0; mode < 3; mode++) {
		struct xhist h, h2;
		uint64_t n = 0, sum = 0;

		xhist_init(&h);
		/* mode 0 inline, 1 sparse pages, 2 a dense page */
		if (mode >= 1)
			for (unsigned int i = 0; i < (mode == 2 ? 200u : 10u); i++) {
				xhist_add(&h, (uint16_t)(1024 + i));
				n++;
				sum += 1024 + i;
			}
		CHECK_EQ_U64(xhist_add_n(&h, 1029, UINT32_MAX), 0);
		CHECK_EQ_U64(xhist_add_n(&h, 1029, UINT32_MAX), 0);
		CHECK_EQ_U64(xhist_add(&h, 1029), 0);
		CHECK_EQ_U64(xhist_add(&h, 7), 0);
		n += 2 * big + 2;
		sum += (2 * big + 1) * 1029 + 7;
		CHECK_EQ_U64(h.n, n);
		CHECK_EQ_U64(h.sum, sum);
		CHECK_EQ_U64(xhist_count(&h, 1029), 2 * big + 1 + (mode >= 1));
		CHECK_EQ_U64(xhist_count(&h, 7), 1);
		CHECK_EQ_U64(h.min, 7);
		CHECK_EQ_U64(xhist_percentile(&h, 50), 1029);
		CHECK_EQ_U64(xhist_percentile(&h, 1e-12), 7);
		CHECK_EQ_U64(xhist_percentile(&h, 100), mode == 2 ? 1223 : mode ? 1033 : 1029);
		/* merging two of them adds past 2^33 */
		xhist_init(&h2);
		CHECK_EQ_U64(xhist_merge(&h2, &h), 0);
		CHECK_EQ_U64(xhist_merge(&h2, &h), 0);
		CHECK_EQ_U64(h2.n, 2 * n);
		CHECK_EQ_U64(xhist_count(&h2, 1029), 2 * xhist_count(&h, 1029));
		CHECK_EQ_U64(xhist_percentile(&h2, 50), 1029);
		xhist_clear(&h2);
		CHECK_EQ_U64(xhist_count(&h2, 1029), 0);
		xhist_free(&h);
		xhist_free(&h2);
	}
	/* dense + dense past 2^32 in one page takes the widening path */
	{
		struct xhist a, b;

		xhist_init(&a);
		xhist_init(&b);
		for (unsigned int i = 0; i < 256; i++) {
			xhist_add_n(&a, (uint16_t)i, 3000000000u);
			xhist_add_n(&b, (uint16_t)i, 3000000000u);
		}
		CHECK_EQ_U64(xhist_merge(&a, &b), 0);
		for (unsigned int i = 0; i < 256; i++)
			CHECK_EQ_U64(xhist_count(&a, (uint16_t)i), 6000000000ull);
		CHECK_EQ_U64(a.n, 256 * 6000000000ull);
		CHECK_EQ_U64(xhist_percentile(&a, 50), 127);
		xhist_free(&a);
		xhist_free(&b);
	}
}

/* heap_in_use(), heap_exact: heap_exact.h */

static void test_memory(void)
{
	struct xhist h;
	size_t before;

	/* one value, or up to XHIST_INLINE values: no heap */
	xhist_init(&h);
	for (int i = 0; i < 100000; i++)
		xhist_add(&h, (uint16_t)(40000 + i % XHIST_INLINE));
	CHECK_EQ_U64(xhist_mem(&h), 0);
	CHECK(sizeof(struct xhist) <= 64);

	/* a scattered tail: tens of bytes per value, not a KiB per page */
	xhist_free(&h);
	for (unsigned int i = 0; i < 100; i++)
		xhist_add(&h, (uint16_t)(i * 650));
	printf("  info: 100 values in 100 pages: %zu bytes\n", xhist_mem(&h));
	CHECK(xhist_mem(&h) <= 100 * 32 + 2200);

	/* every value: bounded by ~258 KiB */
	xhist_free(&h);
	before = heap_in_use();
	for (uint32_t x = 0; x < 65536; x++)
		xhist_add(&h, (uint16_t)x);
	for (uint32_t x = 0; x < 65536; x += 3)
		xhist_add(&h, (uint16_t)x);
	printf("  info: all 65536 values: %zu bytes\n", xhist_mem(&h));
	CHECK(xhist_mem(&h) <= 256 * 1040 + 2100);
	CHECK(xhist_mem(&h) >= 256 * 1024);
	/* the estimate is glibc's own count of the chunks */
	if (heap_exact)
		CHECK_EQ_U64(heap_in_use() - before, xhist_mem(&h));

	/* a hot sparse page goes dense */
	xhist_free(&h);
	for (int i = 0; i < 2000; i++)
		xhist_add(&h, (uint16_t)(300 + i % 10));
	CHECK(xhist_mem(&h) >= 1024);
	CHECK(xhist_mem(&h) < 2 * 1024);

	/* mixed shapes: the accounting follows every reshaping */
	for (int sh = 0; sh < SH_NR; sh++) {
		static uint16_t v[30000];
		struct xhist a, b;

		xhist_init(&a);
		xhist_init(&b);
		before = heap_in_use();
		gen(sh, v, 30000);
		build(&a, v, 15000);
		build(&b, v + 15000, 15000);
		xhist_merge(&a, &b);
		if (heap_exact)
			CHECK_EQ_U64(heap_in_use() - before, xhist_mem(&a) + xhist_mem(&b));
		xhist_free(&a);
		xhist_free(&b);
		if (heap_exact)
			CHECK_EQ_U64(heap_in_use(), before);
	}
	xhist_free(&h);
	CHECK_EQ_U64(xhist_mem(&h), 0);
}

/* ---- out of memory ---------------------------------------------------- */

static int fail_mode;		/* 0 never, 1 always, 2 at random */
static unsigned int fail_pct;
static uint64_t fails;

static bool fail_hook(size_t bytes)
{
	bool f = fail_mode == 1 || (fail_mode == 2 && rnd() % 100 < fail_pct);

	fails += f;
	return f;
}

static void snapshot(const struct xhist *h, uint64_t *cnt)
{
	for (uint32_t x = 0; x < 65536; x++)
		cnt[x] = xhist_count(h, (uint16_t)x);
}

static void test_enomem_add(void)
{
	static uint16_t v[20000];
	static uint16_t ok[20000];
	struct xhist h;
	uint64_t f0 = fails;

	xhist_fail_hook = fail_hook;

	/* everything fails: the inline values still count, the 5th is lost */
	fail_mode = 1;
	xhist_init(&h);
	for (int i = 0; i < XHIST_INLINE; i++)
		CHECK_EQ_U64(xhist_add(&h, (uint16_t)(10 * i)), 0);
	CHECK(xhist_add(&h, 999) == -1);
	CHECK(xhist_add_n(&h, 999, 5) == -1);
	CHECK_EQ_U64(h.n, XHIST_INLINE);
	CHECK_EQ_U64(h.max, 10 * (XHIST_INLINE - 1));
	CHECK_EQ_U64(xhist_count(&h, 999), 0);
	CHECK_EQ_U64(xhist_mem(&h), 0);
	CHECK_EQ_U64(xhist_percentile(&h, 100), 10 * (XHIST_INLINE - 1));
	CHECK_EQ_U64(xhist_add(&h, 0), 0);	/* known values still count */
	fail_mode = 0;
	CHECK_EQ_U64(xhist_add(&h, 999), 0);
	CHECK_EQ_U64(h.n, XHIST_INLINE + 2);
	xhist_free(&h);

	/* failures at random: what was accepted is exactly what is there */
	for (int trial = 0; trial < 30; trial++) {
		size_t n = 1 + rnd() % 20000, nok = 0;

		fail_mode = 2;
		fail_pct = 5 + (unsigned int)(rnd() % 60);
		xhist_init(&h);
		gen((enum shape)(trial % SH_NR), v, n);
		for (size_t i = 0; i < n; i++)
			if (!xhist_add(&h, v[i]))
				ok[nok++] = v[i];
		fail_mode = 0;
		if (!compare_to_ref(&h, ok, nok, "enomem add"))
			check_cur_failed++;
		xhist_free(&h);
		CHECK_EQ_U64(xhist_mem(&h), 0);
	}
	CHECK(fails > f0);
	xhist_fail_hook = NULL;
}

/*
 * xhist_add_many() is n xhist_add() calls: the same histogram for every
 * shape, in chunks of any length, across clears, past 2^32 counts (the
 * run stops and the value takes the promoting slow path), and under
 * allocation failure it reports exactly the values it did not count.
 */
static void test_add_many(void)
{
	static uint16_t v[20000];
	struct xhist h;
	uint64_t f0;

	xhist_init(&h);
	for (int trial = 0; trial < 3 * SH_NR; trial++) {
		size_t n = 1 + rnd() % 20000;

		gen((enum shape)(trial % SH_NR), v, n);
		xhist_clear(&h);	/* reused: pages stay, dense or not */
		for (size_t i = 0; i < n;) {
			/* short runs, and runs long enough to be batched */
			size_t k = trial % 3 ? 1 + rnd() % 600 : 1 + rnd() % 12000;

			if (k > n - i)
				k = n - i;
			CHECK_EQ_U64(xhist_add_many(&h, v + i, k), 0);
			i += k;
		}
		if (!compare_to_ref(&h, v, n, shape_name[trial % SH_NR]))
			check_cur_failed++;
	}
	xhist_free(&h);

	/* a dense count at 2^32 - 2: the third add promotes the page */
	xhist_init(&h);
	for (int i = 0; i < 300; i++)
		v[i] = (uint16_t)i;
	CHECK_EQ_U64(xhist_add_many(&h, v, 300), 0);
	CHECK_EQ_U64(xhist_add_n(&h, 7, UINT32_MAX - 3), 0);
	for (int i = 0; i < 5; i++)
		v[i] = 7;
	CHECK_EQ_U64(xhist_add_many(&h, v, 5), 0);
	CHECK_EQ_U64(xhist_count(&h, 7), (uint64_t)UINT32_MAX + 3);
	CHECK_EQ_U64(h.n, 300 + (uint64_t)UINT32_MAX - 3 + 5);
	xhist_free(&h);

	/* failures: the return says how many were not counted */
	xhist_fail_hook = fail_hook;
	f0 = fails;
	for (int trial = 0; trial < 20; trial++) {
		size_t n = 1 + rnd() % 20000, failed;

		fail_mode = 2;
		fail_pct = 5 + (unsigned int)(rnd() % 60);
		xhist_init(&h);
		gen((enum shape)(trial % SH_NR), v, n);
		failed = xhist_add_many(&h, v, n);
		fail_mode = 0;
		CHECK_EQ_U64(h.n + failed, n);
		xhist_free(&h);
	}
	CHECK(fails > f0);
	xhist_fail_hook = NULL;
}

static void test_enomem_merge(void)
{
	static uint64_t c0[65536];
	static uint16_t a[20000], b[20000];
	int failed = 0, merged = 0;

	xhist_fail_hook = fail_hook;
	for (int trial = 0; trial < 120; trial++) {
		size_t na = rnd() % 20000, nb = 1 + rnd() % 20000;
		struct xhist ha, hb;
		uint64_t n, sum;
		uint16_t mn, mx;
		int r;

		fail_mode = 0;
		xhist_init(&ha);
		xhist_init(&hb);
		gen((enum shape)(rnd() % SH_NR), a, na);
		gen((enum shape)(rnd() % SH_NR), b, nb);
		build(&ha, a, na);
		build(&hb, b, nb);
		snapshot(&ha, c0);
		n = ha.n;
		sum = ha.sum;
		mn = ha.min;
		mx = ha.max;
		fail_mode = 2;
		fail_pct = 1 + (unsigned int)(rnd() % 30);
		r = xhist_merge(&ha, &hb);
		fail_mode = 0;
		if (r) {
			/* all or nothing */
			failed++;
			CHECK_EQ_U64(ha.n, n);
			CHECK_EQ_U64(ha.sum, sum);
			CHECK_EQ_U64(ha.min, mn);
			CHECK_EQ_U64(ha.max, mx);
			for (uint32_t x = 0; x < 65536; x++)
				if (xhist_count(&ha, (uint16_t)x) != c0[x]) {
					check_cur_failed++;
					break;
				}
			if (!compare_to_ref(&ha, a, na, "failed merge"))
				check_cur_failed++;
			/* and it still works afterwards */
			CHECK_EQ_U64(xhist_merge(&ha, &hb), 0);
		} else {
			merged++;
		}
		{
			static uint16_t ab[40000];

			memcpy(ab, a, na * sizeof(a[0]));
			memcpy(ab + na, b, nb * sizeof(b[0]));
			if (!compare_to_ref(&ha, ab, na + nb, "merge after enomem"))
				check_cur_failed++;
		}
		xhist_free(&ha);
		xhist_free(&hb);
	}
	printf("  info: %d merges failed and were undone, %d went through\n",
	       failed, merged);
	CHECK(failed > 10);
	xhist_fail_hook = NULL;
}

/* ---- speed (information only) ----------------------------------------- */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void bench_one(const char *what, enum shape sh)
{
	enum { N = 1 << 20, ROUNDS = 40 };
	uint16_t *v = malloc(N * sizeof(*v));
	struct xhist h;
	double t;

	gen(sh, v, N);
	xhist_init(&h);
	build(&h, v, N);	/* warm: pages exist, as in steady state */
	t = now_ns();
	for (int r = 0; r < ROUNDS; r++)
		for (size_t i = 0; i < N; i++)
			xhist_add(&h, v[i]);
	t = now_ns() - t;
	printf("  info: xhist_add %-8s %.2f ns/add (%" PRIu64 " samples, %zu bytes)\n",
	       what, t / ((double)N * ROUNDS), h.n, xhist_mem(&h));
	xhist_free(&h);
	free(v);
}

static void bench_add(void)
{
	bench_one("few", SH_FEW);
	bench_one("narrow", SH_NARROW);
	bench_one("tail", SH_TAIL);
	bench_one("uniform", SH_UNIFORM);
}

int main(int argc, char **argv)
{
	heap_exact_init(argv);
	rng_state = 0x9e3779b97f4a7c15ull;
	RUN_TEST(test_empty);
	RUN_TEST(test_shapes);
	RUN_TEST(test_random_sizes);
	RUN_TEST(test_percentiles_order);
	RUN_TEST(test_merge);
	RUN_TEST(test_clear_reuse);
	RUN_TEST(test_add_n);
	RUN_TEST(test_big_counts);
	RUN_TEST(test_memory);
	RUN_TEST(test_enomem_add);
	RUN_TEST(test_enomem_merge);
	RUN_TEST(test_add_many);
	RUN_TEST(bench_add);
	CHECK_DONE();
}
