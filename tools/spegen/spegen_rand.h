/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spegen PRNG and distributions: xoshiro256** seeded by splitmix64, so a
 * seed gives the same stream on every host and libc.
 */
#ifndef SPEGEN_RAND_H
#define SPEGEN_RAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct spegen_rng {
	uint64_t s[4];
};

uint64_t spegen_splitmix64(uint64_t *state);
void spegen_rng_seed(struct spegen_rng *r, uint64_t seed);
uint64_t spegen_rng_next(struct spegen_rng *r);

/* Uniform in [0, n); n > 0 (Lemire's multiply-shift, bias below 2^-32). */
uint64_t spegen_rng_below(struct spegen_rng *r, uint64_t n);
/* Uniform double in [0, 1). */
double spegen_rng_unit(struct spegen_rng *r);
/* True with probability p. */
bool spegen_rng_chance(struct spegen_rng *r, double p);
/* Standard normal (Box-Muller, one value per call). */
double spegen_rng_normal(struct spegen_rng *r);
/*
 * Lognormal with median @median whose central ~95% falls in
 * [median / spread, median * spread], clamped to [lo, hi].
 */
double spegen_rng_lognormal(struct spegen_rng *r, double median,
			    double spread, double lo, double hi);
/* Exponential with mean @mean. */
double spegen_rng_exp(struct spegen_rng *r, double mean);
/* Index chosen with probability weights[i] / sum; -1 if all zero. */
int spegen_rng_weighted(struct spegen_rng *r, const double *weights, int n);

#endif /* SPEGEN_RAND_H */
