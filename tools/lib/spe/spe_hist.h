/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exact latency histograms.  SPE counters are at most 16 bits, so one
 * bucket per value gives exact percentiles in bounded memory (256 KiB per
 * histogram, allocated on first use).
 */
#ifndef SPEKIT_SPE_HIST_H
#define SPEKIT_SPE_HIST_H

#include <stdint.h>

#define SPE_HIST_VALUES 65536

struct spe_hist {
	uint32_t *count;	/* SPE_HIST_VALUES buckets, NULL until used */
	uint64_t n;
	uint64_t sum;
	uint16_t max;
	uint16_t min;
};

/* Returns -1 on allocation failure (the sample is then not counted). */
int spe_hist_add(struct spe_hist *h, uint16_t v);
/*
 * Nearest-rank percentile: the smallest value v with at least
 * ceil(p/100 * n) samples <= v.  p in (0, 100]; 0 for an empty histogram.
 */
uint16_t spe_hist_percentile(const struct spe_hist *h, double p);
/* Several percentiles (ascending p[]) in one pass. */
void spe_hist_percentiles(const struct spe_hist *h, const double *p,
			  uint16_t *out, int n);
void spe_hist_free(struct spe_hist *h);

#endif
