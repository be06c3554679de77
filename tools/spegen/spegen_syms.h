/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spegen PC source: function symbols of a real ELF file (libelf), or a
 * synthetic text layout, picked with probability proportional to size.
 */
#ifndef SPEGEN_SYMS_H
#define SPEGEN_SYMS_H

#include <stddef.h>
#include <stdint.h>

#include "spegen_rand.h"

struct spegen_syms {
	uint64_t *start;	/* runtime start address, sorted */
	uint64_t *cum;		/* cum[i] = total size of functions < i */
	size_t nr;
	uint64_t total;		/* sum of sizes */
	/* --zipf: functions drawn by rank, not by size (NULL: by size) */
	uint32_t *rank_fn;	/* rank -> function index, a seeded shuffle */
	double *zcum;		/* zcum[r] = sum of (k + 1)^-S for k < r */
};

/*
 * Load STT_FUNC symbols with non-zero size from @path (.symtab, else
 * .dynsym), dropping aliases (same start).  @load_base is added to every
 * st_value.  Returns 0, or -1 with a message in @err.
 */
int spegen_syms_load_elf(struct spegen_syms *s, const char *path,
			 uint64_t load_base, char *err, size_t errlen);
/* A synthetic text of @nr functions at @base with lognormal sizes. */
int spegen_syms_synthetic(struct spegen_syms *s, uint64_t base, size_t nr,
			  uint64_t seed);
/*
 * Draw functions by a Zipf law of exponent @s over a shuffle of them
 * (seeded by @seed) instead of by size: the function of rank r (from 1) is
 * picked with probability proportional to r^-s, so a few functions take
 * most samples, as in a real profile.  0, or -1 when out of memory.
 */
int spegen_syms_zipf(struct spegen_syms *s, double exponent, uint64_t seed);
/*
 * A PC: a uniformly random address inside the text covered by the
 * functions (so functions are weighted by size), at a 4-byte multiple from
 * its function's start; with spegen_syms_zipf(), a uniformly random
 * address in a function drawn by rank.  *@fn gets the function index.
 */
uint64_t spegen_syms_pick(const struct spegen_syms *s, struct spegen_rng *r,
			  size_t *fn);
/* Start and size of function @fn. */
uint64_t spegen_syms_fn_start(const struct spegen_syms *s, size_t fn);
uint64_t spegen_syms_fn_size(const struct spegen_syms *s, size_t fn);
void spegen_syms_free(struct spegen_syms *s);

#endif /* SPEGEN_SYMS_H */
