/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xhist: a compact, exact histogram of 16-bit values (SPE latency
 * counters).  spe_hist spends 256 KiB per histogram; spetop keeps nine
 * per table row, so xhist pays only for the spread of values it has seen:
 *
 *   inline   up to XHIST_INLINE distinct values live in the struct itself
 *            (no heap at all: most rows of a long-tailed table stay here)
 *   pages    then 256-value pages: pages 0..2 (values below 768, where
 *            most latencies fall) straight from the struct, the rest
 *            through a directory grown to cover the highest page seen
 *            (allocated only when a value reaches 768).  Each page is
 *              absent  nothing counted in it
 *              sparse  up to 32 (low byte, count) pairs, 24..164 bytes:
 *                      a tail value costs tens of bytes, not a KiB
 *              dense   256 uint32 counts (1 KiB): the fast path,
 *                      pages[v >> 8][v & 255]++
 *              wide    256 uint64 counts (2 KiB): a dense page one of
 *                      whose counts reached 2^32 (promotion, no
 *                      saturation: counts are exact up to 2^64)
 *            A sparse page becomes dense when it fills up or gets hot
 *            (XHIST_SPARSE_HOT adds), so hot values always take the fast
 *            path.
 *
 * Memory is at most about 258 KiB (dense pages everywhere plus the
 * directory), plus 1 KiB per page holding a value counted 2^32 times.
 *
 * Percentiles are spe_hist's: nearest rank, the smallest v with at least
 * ceil(p/100 * n) samples <= v, computed with the same double expression
 * so the two agree bit for bit.
 *
 * Not thread-safe; a histogram belongs to one thread at a time.
 */
#ifndef SPETOP_XHIST_H
#define SPETOP_XHIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XHIST_INLINE		4	/* distinct values kept in the struct */
#define XHIST_NEAR		3	/* pages 0..2 (values < 768) point from
					 * the struct: no directory load */
#define XHIST_PAGES		256	/* 256 pages of 256 values */
#define XHIST_SPARSE_MAX	32	/* pairs in a sparse page */
/* Adds to present values after which sparse goes dense.  Low: a table of
 * thousands of small rows (-g symbol on a long tail) otherwise spends its
 * time searching sparse pages; 512 -> 32 took -g symbol 0.675 -> 0.63 s
 * on the bench trace, with -g pc's peak RSS on 100 M records unchanged
 * (43 MiB: a row only pays for a page it keeps hitting). */
#define XHIST_SPARSE_HOT	32

/* Page pointer tags (low two bits; pages are 4-aligned). */
#define XHIST_PG_DENSE		0u	/* uint32_t[256] */
#define XHIST_PG_SPARSE		1u	/* struct xhist_sparse, or absent */
#define XHIST_PG_WIDE		2u	/* uint64_t[256] */
#define XHIST_PG_TAG		3u
#define XHIST_PG_ABSENT		((uintptr_t)XHIST_PG_SPARSE)	/* NULL sparse */

/* Pages XHIST_NEAR and up; page[0..XHIST_NEAR) are unused. */
struct xhist_dir {
	uint32_t npages;		/* entries in page[] */
	uint32_t pad;
	uintptr_t page[];		/* tagged pointers, XHIST_PG_* */
};

struct xhist {
	uint64_t n;		/* samples counted */
	uint64_t sum;		/* of their values (mean = sum / n) */
	uint16_t min, max;	/* both 0 while n == 0 */
	/* Pages the inline fast path may index: while n > 0 and paged,
	 * XHIST_NEAR or dir->npages; 0 otherwise (so the first sample after
	 * a clear goes through the slow path, which sets min and max). */
	uint16_t npg;
	uint8_t paged;		/* values live in pages, not in_v/in_c */
	uint8_t nin;		/* inline values in use (not paged) */
	uint32_t mem;		/* heap bytes held, see xhist_mem() */
	struct xhist_dir *dir;	/* pages >= XHIST_NEAR, NULL until needed */
	union {
		struct {
			uint16_t in_v[XHIST_INLINE];	/* ascending */
			uint32_t in_c[XHIST_INLINE];
		};
		uintptr_t near[XHIST_NEAR];	/* paged: pages 0..2 */
	};
};

void xhist_init(struct xhist *h);
/* 0, or -1 when memory ran out (the sample is then not counted). */
static inline int xhist_add(struct xhist *h, uint16_t v);
static inline bool xhist_add_fast(struct xhist *h, uint16_t v);
/* Any add (count 0 is a no-op); xhist_add() without the inline part. */
int xhist_add_slow(struct xhist *h, uint16_t v, uint32_t count);
int xhist_add_n(struct xhist *h, uint16_t v, uint32_t count);
/*
 * Add @n values, as n xhist_add() calls but with the count, sum, minimum
 * and maximum kept in registers across the run of values whose pages are
 * dense (no chain through h->n and h->sum per value); long runs count
 * their values below 256 locally first and add each such value once.
 * Returns how many values could not be counted for lack of memory.
 */
size_t xhist_add_many(struct xhist *h, const uint16_t *v, size_t n);
/*
 * dst += src.  All or nothing: on -1 (out of memory) dst holds exactly
 * what it held before (it may keep memory it allocated on the way).
 */
int xhist_merge(struct xhist *dst, const struct xhist *src);
/* Counts to zero; keeps the memory, so a histogram reused every interval
 * does not go back to malloc. */
void xhist_clear(struct xhist *h);
/* Release everything: back to the xhist_init() state. */
void xhist_free(struct xhist *h);
/* Nearest rank, as spe_hist_percentile(); p <= 0 (or NaN) gives the
 * minimum, p >= 100 the maximum, an empty histogram 0. */
uint16_t xhist_percentile(const struct xhist *h, double p);
/* Several at once, one pass when p[] is ascending (any order works). */
void xhist_percentiles(const struct xhist *h, const double *p,
		       uint16_t *out, int n);
/* Samples counted with value v. */
uint64_t xhist_count(const struct xhist *h, uint16_t v);
/* Mean value, 0 when empty. */
double xhist_mean(const struct xhist *h);
/*
 * Heap bytes held, each block counted as malloc_usable_size() plus the
 * allocator's header word (glibc's chunk size), so the number tracks what
 * the heap really holds rather than what was asked for.  O(1).
 */
size_t xhist_mem(const struct xhist *h);
/* Visit the counted values in ascending order; stop when fn returns
 * non-zero (and return that). */
int xhist_foreach(const struct xhist *h,
		  int (*fn)(uint16_t v, uint64_t count, void *arg), void *arg);

/*
 * Test hook: when set, called before every allocation xhist makes; a
 * true return makes that allocation fail as if malloc returned NULL.
 */
extern bool (*xhist_fail_hook)(size_t bytes);

/*
 * The common cases inline: a value already in the inline table, or one
 * whose page is dense.  Returns false, having changed nothing, when the
 * value needs xhist_add_slow() (new values, sparse pages, growth, counts
 * about to pass 2^32).  Split out so a caller that tracks memory can
 * look at h->mem only around the slow call.
 */
static inline bool xhist_add_fast(struct xhist *h, uint16_t v)
{
	unsigned int hi = v >> 8;

	if (hi < h->npg) {
		uintptr_t p = hi < XHIST_NEAR ? h->near[hi] : h->dir->page[hi];

		if (!(p & XHIST_PG_TAG)) {
			uint32_t *c = (uint32_t *)p + (v & 255);

			if (*c != UINT32_MAX) {
				(*c)++;
				h->n++;
				h->sum += v;
				if (v < h->min)
					h->min = v;
				if (v > h->max)
					h->max = v;
				return true;
			}
		}
	} else if (!h->paged) {
		/* A value already present cannot move min or max. */
		for (unsigned int i = 0; i < h->nin; i++) {
			if (h->in_v[i] == v && h->in_c[i] != UINT32_MAX) {
				h->in_c[i]++;
				h->n++;
				h->sum += v;
				return true;
			}
		}
	}
	return false;
}

static inline int xhist_add(struct xhist *h, uint16_t v)
{
	return xhist_add_fast(h, v) ? 0 : xhist_add_slow(h, v, 1);
}

#endif /* SPETOP_XHIST_H */
