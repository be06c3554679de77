// SPDX-License-Identifier: GPL-2.0-only
/* Exact histogram percentiles against brute force (sort + nearest rank). */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "spe_hist.h"

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static uint16_t brute(const uint16_t *sorted, size_t n, double p)
{
	double r = ceil(p / 100.0 * (double)n);
	size_t k = r < 1 ? 1 : (size_t)r;

	return sorted[(k > n ? n : k) - 1];
}

static void test_random_sets(void)
{
	static const double ps[] = { 0.1, 1, 25, 50, 90, 99, 99.9, 100 };
	unsigned int seed = 7;

	for (int trial = 0; trial < 200; trial++) {
		size_t n = 1 + (size_t)(rand_r(&seed) % 5000);
		uint16_t *v = malloc(n * sizeof(*v)), out[8];
		struct spe_hist h = { 0 };

		for (size_t i = 0; i < n; i++) {
			/* mixes: narrow, wide, heavy-tailed */
			unsigned int r = (unsigned int)rand_r(&seed);

			v[i] = trial % 3 == 0 ? (uint16_t)(r % 8) :
			       trial % 3 == 1 ? (uint16_t)r :
			       (uint16_t)(r % 100 == 0 ? 60000 + r % 5000 : r % 300);
			spe_hist_add(&h, v[i]);
		}
		qsort(v, n, sizeof(*v), cmp_u16);
		spe_hist_percentiles(&h, ps, out, 8);
		for (int k = 0; k < 8; k++)
			if (out[k] != brute(v, n, ps[k])) {
				printf("  trial %d n %zu p%.1f: %u vs %u\n", trial, n,
				       ps[k], out[k], brute(v, n, ps[k]));
				check_cur_failed++;
			}
		CHECK_EQ_U64(h.max, v[n - 1]);
		CHECK_EQ_U64(h.min, v[0]);
		CHECK_EQ_U64(spe_hist_percentile(&h, 50), brute(v, n, 50));
		spe_hist_free(&h);
		free(v);
	}
}

static void test_empty(void)
{
	struct spe_hist h = { 0 };

	CHECK_EQ_U64(spe_hist_percentile(&h, 50), 0);
	spe_hist_add(&h, 65535);
	CHECK_EQ_U64(spe_hist_percentile(&h, 1), 65535);
	spe_hist_free(&h);
}

int main(void)
{
	RUN_TEST(test_random_sets);
	RUN_TEST(test_empty);
	CHECK_DONE();
}
