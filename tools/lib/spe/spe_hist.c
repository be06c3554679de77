// SPDX-License-Identifier: GPL-2.0-only
#include <math.h>
#include <stdlib.h>

#include "spe_hist.h"

int spe_hist_add(struct spe_hist *h, uint16_t v)
{
	if (!h->count) {
		h->count = calloc(SPE_HIST_VALUES, sizeof(*h->count));
		if (!h->count)
			return -1;
		h->min = UINT16_MAX;
	}
	/* A 32-bit bucket would wrap after 4G samples of one value; saturate
	 * the bucket instead and keep n consistent with the buckets. */
	if (h->count[v] == UINT32_MAX)
		return 0;
	h->count[v]++;
	h->n++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
	if (v < h->min)
		h->min = v;
	return 0;
}

static uint64_t rank_for(uint64_t n, double p)
{
	double r = ceil(p / 100.0 * (double)n);

	if (r < 1)
		r = 1;
	if (r > (double)n)
		r = (double)n;
	return (uint64_t)r;
}

void spe_hist_percentiles(const struct spe_hist *h, const double *p,
			  uint16_t *out, int n)
{
	uint64_t seen = 0;
	uint32_t v = h->n ? h->min : 0;
	int i = 0;

	if (!h->n) {
		for (; i < n; i++)
			out[i] = 0;
		return;
	}
	for (; i < n; i++) {
		uint64_t want = rank_for(h->n, p[i]);

		while (seen + h->count[v] < want)
			seen += h->count[v++];
		out[i] = (uint16_t)v;
	}
}

uint16_t spe_hist_percentile(const struct spe_hist *h, double p)
{
	uint16_t v;

	spe_hist_percentiles(h, &p, &v, 1);
	return v;
}

void spe_hist_free(struct spe_hist *h)
{
	free(h->count);
	h->count = NULL;
	h->n = h->sum = 0;
	h->max = 0;
}
