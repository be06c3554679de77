// SPDX-License-Identifier: GPL-2.0-only
/*
 * spegen PRNG: xoshiro256** 1.0 (Blackman and Vigna, public domain
 * algorithm) seeded through splitmix64, and the few distributions the
 * generator needs.
 */
#include <math.h>

#include "spegen_rand.h"

uint64_t spegen_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void spegen_rng_seed(struct spegen_rng *r, uint64_t seed)
{
	uint64_t st = seed;
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = spegen_splitmix64(&st);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t spegen_rng_next(struct spegen_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t spegen_rng_below(struct spegen_rng *r, uint64_t n)
{
	if (n <= 1)
		return 0;
	if (n <= 0xffffffffULL)
		return ((spegen_rng_next(r) >> 32) * n) >> 32;
	return spegen_rng_next(r) % n;
}

double spegen_rng_unit(struct spegen_rng *r)
{
	return (double)(spegen_rng_next(r) >> 11) * 0x1.0p-53;
}

bool spegen_rng_chance(struct spegen_rng *r, double p)
{
	if (p <= 0)
		return false;
	return spegen_rng_unit(r) < p;
}

double spegen_rng_normal(struct spegen_rng *r)
{
	double u1 = 1.0 - spegen_rng_unit(r);	/* (0, 1] */
	double u2 = spegen_rng_unit(r);

	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

double spegen_rng_lognormal(struct spegen_rng *r, double median,
			    double spread, double lo, double hi)
{
	double sigma = spread > 1.0 ? log(spread) / 2.0 : 0.0;
	double v = median * exp(sigma * spegen_rng_normal(r));

	if (v < lo)
		v = lo;
	if (v > hi)
		v = hi;
	return v;
}

double spegen_rng_exp(struct spegen_rng *r, double mean)
{
	return -mean * log(1.0 - spegen_rng_unit(r));
}

int spegen_rng_weighted(struct spegen_rng *r, const double *weights, int n)
{
	double sum = 0, x;
	int i, last = -1;

	for (i = 0; i < n; i++) {
		if (weights[i] > 0) {
			sum += weights[i];
			last = i;
		}
	}
	if (last < 0)
		return -1;
	x = spegen_rng_unit(r) * sum;
	for (i = 0; i < n; i++) {
		if (weights[i] <= 0)
			continue;
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return last;
}
