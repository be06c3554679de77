/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xorshift64*: reproducible random test data, one generator for every
 * suite.  A suite seeds rng_state (never 0) before its first draw.
 */
#ifndef SPEKIT_TEST_RNG_H
#define SPEKIT_TEST_RNG_H

#include <stdint.h>

static uint64_t rng_state;

static inline uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, 1), 53 bits */
static inline double rnd_unit(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

#endif
