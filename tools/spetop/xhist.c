// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compact exact histograms of 16-bit values (see xhist.h for the layout).
 *
 * Internally the work splits in two: bucket_add()/bucket_sub() change the
 * count of one value and may reshape the storage (inline -> pages, sparse
 * -> dense -> wide), while the public functions keep n, sum, min, max and
 * the fast path's npg in step.  Every reshaping allocates first and
 * changes nothing when the allocation fails, so an out-of-memory error
 * always leaves the histogram as it was.
 */
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xhist.h"

bool (*xhist_fail_hook)(size_t bytes);

/*
 * Sparse page: n (low byte, count) pairs sorted by low byte, room for cap.
 * The counts follow the cap low bytes; cap is a multiple of 4 so they are
 * aligned.  hits counts adds (saturating) to find hot pages.
 */
struct xhist_sparse {
	uint8_t n, cap;
	uint16_t hits;
	uint8_t lo[];
};

#define SPARSE_MIN_CAP	4
#define DENSE_BYTES	(256 * sizeof(uint32_t))
#define WIDE_BYTES	(256 * sizeof(uint64_t))

static size_t sparse_bytes(unsigned int cap)
{
	return sizeof(struct xhist_sparse) + cap + cap * sizeof(uint32_t);
}

static uint32_t *sparse_cnt(struct xhist_sparse *s)
{
	return (uint32_t *)(void *)(s->lo + s->cap);
}

static unsigned int pg_tag(uintptr_t p)
{
	return p & XHIST_PG_TAG;
}

static void *pg_ptr(uintptr_t p)
{
	return (void *)(p & ~(uintptr_t)XHIST_PG_TAG);
}

static uintptr_t pg_make(void *ptr, unsigned int tag)
{
	return (uintptr_t)ptr | tag;
}

/* ---- memory ----------------------------------------------------------- */

/*
 * What a block really costs: malloc's usable size plus its header word.
 * This is glibc's chunk size, which can exceed the request (a remainder
 * too small to split stays with the chunk), so ask rather than estimate.
 */
static size_t block_bytes(void *p)
{
	return malloc_usable_size(p) + sizeof(size_t);
}

static void *xh_alloc(struct xhist *h, size_t size, bool zero)
{
	void *p;

	if (xhist_fail_hook && xhist_fail_hook(size))
		return NULL;
	p = zero ? calloc(1, size) : malloc(size);
	if (p)
		h->mem += block_bytes(p);
	return p;
}

static void *xh_realloc(struct xhist *h, void *old, size_t size)
{
	size_t old_bytes = block_bytes(old);
	void *p;

	if (xhist_fail_hook && xhist_fail_hook(size))
		return NULL;
	p = realloc(old, size);
	if (p)
		h->mem += block_bytes(p) - old_bytes;
	return p;
}

static void xh_free(struct xhist *h, void *p)
{
	if (!p)
		return;
	h->mem -= block_bytes(p);
	free(p);
}

static size_t page_bytes(uintptr_t p)
{
	switch (pg_tag(p)) {
	case XHIST_PG_DENSE:
		return DENSE_BYTES;
	case XHIST_PG_WIDE:
		return WIDE_BYTES;
	default:
		return pg_ptr(p) ? sparse_bytes(((struct xhist_sparse *)pg_ptr(p))->cap) : 0;
	}
}

static size_t dir_bytes(unsigned int npages)
{
	return sizeof(struct xhist_dir) + npages * sizeof(uintptr_t);
}

static void page_free(struct xhist *h, uintptr_t p)
{
	xh_free(h, pg_ptr(p));
}

/* Where page hi's pointer lives; the page must be covered (see cover()). */
static uintptr_t *page_slot(struct xhist *h, unsigned int hi)
{
	return hi < XHIST_NEAR ? &h->near[hi] : &h->dir->page[hi];
}

/* Page hi of a paged histogram, XHIST_PG_ABSENT beyond what is covered. */
static uintptr_t page_get(const struct xhist *h, unsigned int hi)
{
	if (hi < XHIST_NEAR)
		return h->near[hi];
	if (h->dir && hi < h->dir->npages)
		return h->dir->page[hi];
	return XHIST_PG_ABSENT;
}

/* Pages of a paged histogram to absent, everything freed. */
static void pages_free(struct xhist *h)
{
	struct xhist_dir *d = h->dir;

	for (unsigned int i = 0; i < XHIST_NEAR; i++) {
		page_free(h, h->near[i]);
		h->near[i] = XHIST_PG_ABSENT;
	}
	if (d) {
		for (unsigned int i = XHIST_NEAR; i < d->npages; i++)
			page_free(h, d->page[i]);
		xh_free(h, d);
		h->dir = NULL;
	}
}

/* Directory sizes go in steps of 4 pages: few reallocs, little slack. */
static unsigned int dir_pages_for(unsigned int hi)
{
	unsigned int n = (hi + 4) & ~3u;

	return n > XHIST_PAGES ? XHIST_PAGES : n;
}

/* Make page_slot(h, hi) valid: grow the directory if needed. */
static int cover(struct xhist *h, unsigned int hi)
{
	struct xhist_dir *d = h->dir;
	unsigned int old = d ? d->npages : 0, n;

	if (hi < XHIST_NEAR || hi < old)
		return 0;
	n = dir_pages_for(hi);
	d = d ? xh_realloc(h, d, dir_bytes(n)) : xh_alloc(h, dir_bytes(n), false);
	if (!d)
		return -1;
	for (unsigned int i = old; i < n; i++)
		d->page[i] = XHIST_PG_ABSENT;
	d->npages = n;
	d->pad = 0;
	h->dir = d;
	return 0;
}

/* ---- page reshaping --------------------------------------------------- */

static int sparse_find(const struct xhist_sparse *s, unsigned int lo)
{
	for (unsigned int i = 0; i < s->n; i++)
		if (s->lo[i] >= lo)
			return s->lo[i] == lo ? (int)i : -1 - (int)i;
	return -1 - (int)s->n;
}

/* Sparse (or absent) or dense page -> dense or wide, counts copied. */
static int page_widen(struct xhist *h, unsigned int hi, unsigned int tag)
{
	uintptr_t *slot = page_slot(h, hi), old = *slot;
	size_t size = tag == XHIST_PG_WIDE ? WIDE_BYTES : DENSE_BYTES;
	void *np = xh_alloc(h, size, true);

	if (!np)
		return -1;
	if (pg_tag(old) == XHIST_PG_SPARSE && pg_ptr(old)) {
		struct xhist_sparse *s = pg_ptr(old);

		for (unsigned int i = 0; i < s->n; i++) {
			if (tag == XHIST_PG_WIDE)
				((uint64_t *)np)[s->lo[i]] = sparse_cnt(s)[i];
			else
				((uint32_t *)np)[s->lo[i]] = sparse_cnt(s)[i];
		}
	} else if (pg_tag(old) == XHIST_PG_DENSE) {
		for (unsigned int i = 0; i < 256; i++)
			((uint64_t *)np)[i] = ((uint32_t *)pg_ptr(old))[i];
	}
	page_free(h, old);
	*slot = pg_make(np, tag);
	return 0;
}

/* Make room for one more pair in a sparse page (absent: a new one). */
static struct xhist_sparse *sparse_grow(struct xhist *h, unsigned int hi)
{
	uintptr_t *slot = page_slot(h, hi);
	struct xhist_sparse *s = pg_ptr(*slot), *ns;
	unsigned int cap = s ? 2u * s->cap : SPARSE_MIN_CAP;

	ns = xh_alloc(h, sparse_bytes(cap), false);
	if (!ns)
		return NULL;
	ns->cap = (uint8_t)cap;
	ns->n = 0;
	ns->hits = 0;
	if (s) {
		ns->n = s->n;
		ns->hits = s->hits;
		memcpy(ns->lo, s->lo, s->n);
		memcpy(sparse_cnt(ns), sparse_cnt(s), s->n * sizeof(uint32_t));
		xh_free(h, s);
	}
	*slot = pg_make(ns, XHIST_PG_SPARSE);
	return ns;
}

static int sparse_add(struct xhist *h, unsigned int hi, unsigned int lo,
		      uint64_t c)
{
	struct xhist_sparse *s = pg_ptr(*page_slot(h, hi));
	int i = s ? sparse_find(s, lo) : -1;

	if (s && i >= 0) {
		uint32_t *cnt = &sparse_cnt(s)[i];

		if (c > UINT32_MAX - *cnt)
			return page_widen(h, hi, XHIST_PG_WIDE) ? -1 : 1;
		*cnt += (uint32_t)c;
		if (s->hits < UINT16_MAX)
			s->hits++;
		/* A hot page earns its KiB: the fast path is worth more
		 * than the memory.  Failing to promote is no error, the
		 * count is already in. */
		if (s->hits >= XHIST_SPARSE_HOT)
			page_widen(h, hi, XHIST_PG_DENSE);
		return 0;
	}
	if (c > UINT32_MAX || (s && s->n == XHIST_SPARSE_MAX))
		return page_widen(h, hi, c > UINT32_MAX ?
				  XHIST_PG_WIDE : XHIST_PG_DENSE) ? -1 : 1;
	if (!s || s->n == s->cap) {
		s = sparse_grow(h, hi);
		if (!s)
			return -1;
	}
	i = -1 - i;
	memmove(s->lo + i + 1, s->lo + i, s->n - i);
	memmove(sparse_cnt(s) + i + 1, sparse_cnt(s) + i,
		(s->n - i) * sizeof(uint32_t));
	s->lo[i] = (uint8_t)lo;
	sparse_cnt(s)[i] = (uint32_t)c;
	s->n++;
	if (s->hits < UINT16_MAX)
		s->hits++;
	return 0;
}

/*
 * Count c more of value (hi, lo) in a paged histogram whose page hi is
 * covered.  A page that must change shape first does so and the add is
 * retried (at most twice: sparse -> dense -> wide).
 */
static int page_add(struct xhist *h, unsigned int hi, unsigned int lo,
		    uint64_t c)
{
	for (;;) {
		uintptr_t p = *page_slot(h, hi);
		int r;

		if (pg_tag(p) == XHIST_PG_WIDE) {
			((uint64_t *)pg_ptr(p))[lo] += c;
			return 0;
		}
		if (pg_tag(p) == XHIST_PG_DENSE) {
			uint32_t *cnt = (uint32_t *)pg_ptr(p) + lo;

			if (c <= UINT32_MAX - *cnt) {
				*cnt += (uint32_t)c;
				return 0;
			}
			/* Promote rather than saturate: n must stay the sum
			 * of the buckets and percentiles exact. */
			r = page_widen(h, hi, XHIST_PG_WIDE) ? -1 : 1;
		} else {
			r = sparse_add(h, hi, lo, c);
		}
		if (r <= 0)
			return r;
	}
}

/* Inline values -> pages.  Built aside, so nothing changes on -1. */
static int spill(struct xhist *h)
{
	struct xhist t;

	memset(&t, 0, sizeof(t));
	t.paged = 1;
	for (unsigned int i = 0; i < XHIST_NEAR; i++)
		t.near[i] = XHIST_PG_ABSENT;
	for (unsigned int i = 0; i < h->nin; i++) {
		unsigned int hi = h->in_v[i] >> 8;

		if (cover(&t, hi) || page_add(&t, hi, h->in_v[i] & 255, h->in_c[i])) {
			pages_free(&t);
			return -1;
		}
	}
	/* near[] overlays in_v/in_c: both were read above */
	memcpy(h->near, t.near, sizeof(h->near));
	h->dir = t.dir;
	h->paged = 1;
	h->nin = 0;
	h->mem += t.mem;
	return 0;
}

static int inline_add(struct xhist *h, uint16_t v, uint64_t c)
{
	unsigned int i;

	for (i = 0; i < h->nin && h->in_v[i] < v; i++)
		;
	if (i < h->nin && h->in_v[i] == v) {
		if (c > UINT32_MAX - h->in_c[i])
			return 1;
		h->in_c[i] += (uint32_t)c;
		return 0;
	}
	if (h->nin == XHIST_INLINE || c > UINT32_MAX)
		return 1;
	memmove(h->in_v + i + 1, h->in_v + i, (h->nin - i) * sizeof(h->in_v[0]));
	memmove(h->in_c + i + 1, h->in_c + i, (h->nin - i) * sizeof(h->in_c[0]));
	h->in_v[i] = v;
	h->in_c[i] = (uint32_t)c;
	h->nin++;
	return 0;
}

/* Count c more of v, reshaping as needed; n/sum/min/max untouched. */
static int bucket_add(struct xhist *h, uint16_t v, uint64_t c)
{
	if (!h->paged) {
		int r = inline_add(h, v, c);

		if (r <= 0)
			return r;
		/* Inline table full, or a count past 32 bits. */
		if (spill(h))
			return -1;
	}
	if (cover(h, v >> 8))
		return -1;
	return page_add(h, v >> 8, v & 255, c);
}

static void inline_sub(struct xhist *h, uint16_t v, uint64_t c)
{
	for (unsigned int i = 0; i < h->nin; i++) {
		if (h->in_v[i] != v)
			continue;
		h->in_c[i] -= (uint32_t)c;
		if (!h->in_c[i]) {
			h->nin--;
			memmove(h->in_v + i, h->in_v + i + 1,
				(h->nin - i) * sizeof(h->in_v[0]));
			memmove(h->in_c + i, h->in_c + i + 1,
				(h->nin - i) * sizeof(h->in_c[0]));
		}
		return;
	}
}

static void sparse_sub(struct xhist_sparse *s, unsigned int lo, uint64_t c)
{
	int i = sparse_find(s, lo);

	if (i < 0)
		return;
	sparse_cnt(s)[i] -= (uint32_t)c;
	if (!sparse_cnt(s)[i]) {
		/* Keep the invariant: sparse pairs have counts. */
		s->n--;
		memmove(s->lo + i, s->lo + i + 1, s->n - i);
		memmove(sparse_cnt(s) + i, sparse_cnt(s) + i + 1,
			(s->n - i) * sizeof(uint32_t));
	}
}

/* Undo part of a bucket_add(): the count is known to be there. */
static void bucket_sub(struct xhist *h, uint16_t v, uint64_t c)
{
	uintptr_t p;

	if (!h->paged) {
		inline_sub(h, v, c);
		return;
	}
	p = page_get(h, v >> 8);
	if (pg_tag(p) == XHIST_PG_DENSE)
		((uint32_t *)pg_ptr(p))[v & 255] -= (uint32_t)c;
	else if (pg_tag(p) == XHIST_PG_WIDE)
		((uint64_t *)pg_ptr(p))[v & 255] -= c;
	else if (pg_ptr(p))
		sparse_sub(pg_ptr(p), v & 255, c);
}

/* The fast path may index pages only while n > 0, see xhist.h. */
static void sync_npg(struct xhist *h)
{
	if (!h->paged || !h->n)
		h->npg = 0;
	else
		h->npg = (uint16_t)(h->dir ? h->dir->npages : XHIST_NEAR);
	if (!h->n)
		h->min = h->max = 0;
}

/* ---- public: counting ------------------------------------------------- */

void xhist_init(struct xhist *h)
{
	memset(h, 0, sizeof(*h));
}

int xhist_add_slow(struct xhist *h, uint16_t v, uint32_t count)
{
	if (!count)
		return 0;
	if (bucket_add(h, v, count)) {
		errno = ENOMEM;
		return -1;
	}
	if (!h->n) {
		h->min = h->max = v;
	} else {
		if (v < h->min)
			h->min = v;
		if (v > h->max)
			h->max = v;
	}
	h->n += count;
	h->sum += (uint64_t)v * count;
	sync_npg(h);
	return 0;
}

int xhist_add_n(struct xhist *h, uint16_t v, uint32_t count)
{
	if (count == 1)
		return xhist_add(h, v);
	return xhist_add_slow(h, v, count);
}

/*
 * Long runs: values below 256 (most latencies) are counted into four
 * lanes of local counters, taken in turn, then added a bucket at a time.
 * Counting straight into the page chains every add of a common value
 * through the store of the one before (store forwarding, ~5 cycles);
 * four lanes break the chain, and the page is touched 256 times, not n.
 */
#define BATCH_MIN	2048
#define BATCH_MAX	((size_t)1 << 30)	/* lanes stay below 2^32 */

/*
 * Values one after another: runs whose pages are dense are counted with
 * n, sum, min and max kept in registers (no chain through h->n and
 * h->sum per value); a value that is not goes through xhist_add().
 */
static size_t add_run(struct xhist *h, const uint16_t *v, size_t n)
{
	size_t failed = 0, i = 0;

	while (i < n) {
		/* the dense-page run: n, sum, min, max in registers */
		unsigned int npg = h->npg;
		const uintptr_t *far = npg > XHIST_NEAR ? h->dir->page : NULL;
		uint64_t cnt = 0, sum = 0;
		uint16_t lo = h->min, hi = h->max;

		for (; i < n; i++) {
			unsigned int pg = v[i] >> 8;
			uintptr_t p;
			uint32_t *c;

			if (pg >= npg)
				break;
			p = pg < XHIST_NEAR ? h->near[pg] : far[pg];
			if (p & XHIST_PG_TAG)
				break;
			c = (uint32_t *)p + (v[i] & 255);
			if (*c == UINT32_MAX)
				break;
			(*c)++;
			cnt++;
			sum += v[i];
			lo = v[i] < lo ? v[i] : lo;
			hi = v[i] > hi ? v[i] : hi;
		}
		if (cnt) {
			h->n += cnt;
			h->sum += sum;
			h->min = lo;
			h->max = hi;
		}
		/* then one value the slow way (it may page, widen, grow) */
		if (i < n && xhist_add(h, v[i++]))
			failed++;
	}
	return failed;
}

/*
 * Values of 256 and up are collected (up to HI_BLOCK) and added as a run
 * by add_run().  The run is taken in blocks of SPLIT_BLOCK values, each
 * split by the value in one of two ways: with a branch while the values
 * are nearly all low or nearly all high (the branch is then predicted),
 * or by arithmetic when more than 1/16 of the block before were each
 * (latencies of a few hundred cycles straddle 256, and the branch would
 * mispredict on many of them: 3.8 -> 1.5 ns a value on values 100-399;
 * the arithmetic way would cost 0.5 -> 1.0 ns on values 0-199).
 */
#define SPLIT_BLOCK	256
#define HI_BLOCK	1024

static size_t add_low_batched(struct xhist *h, const uint16_t *v, size_t n)
{
	uint32_t lane[4][256];
	uint16_t hi[HI_BLOCK];
	size_t failed = 0, nhi = 0;
	bool mixed = false;

	memset(lane, 0, sizeof(lane));
	for (size_t i = 0; i < n;) {
		size_t end = n - i > SPLIT_BLOCK ? i + SPLIT_BLOCK : n, len = end - i, from = nhi;

		if (mixed) {
			for (; i < end; i++) {
				unsigned int x = v[i], low = x < 256;

				lane[i & 3][x & 255] += low;
				hi[nhi] = (uint16_t)x;
				nhi += !low;
			}
		} else {
			for (; i < end; i++) {
				if (v[i] < 256)
					lane[i & 3][v[i]]++;
				else
					hi[nhi++] = v[i];
			}
		}
		mixed = (nhi - from) * 16 > len && (nhi - from) * 16 < len * 15;
		/* room for the next block's */
		if (nhi > HI_BLOCK - SPLIT_BLOCK) {
			failed += add_run(h, hi, nhi);
			nhi = 0;
		}
	}
	failed += add_run(h, hi, nhi);
	for (unsigned int lo = 0; lo < 256; lo++) {
		uint32_t c = lane[0][lo] + lane[1][lo] + lane[2][lo] + lane[3][lo];

		if (c && xhist_add_slow(h, (uint16_t)lo, c))
			failed += c;
	}
	return failed;
}

size_t xhist_add_many(struct xhist *h, const uint16_t *v, size_t n)
{
	size_t failed = 0;

	if (n < BATCH_MIN)
		return add_run(h, v, n);
	for (size_t i = 0; i < n; i += BATCH_MAX)
		failed += add_low_batched(h, v + i, n - i < BATCH_MAX ? n - i : BATCH_MAX);
	return failed;
}

static void page_clear(uintptr_t p)
{
	if (pg_tag(p) != XHIST_PG_SPARSE)
		memset(pg_ptr(p), 0, page_bytes(p));
	else if (pg_ptr(p))
		((struct xhist_sparse *)pg_ptr(p))->n = 0;
}

void xhist_clear(struct xhist *h)
{
	h->n = h->sum = 0;
	if (h->paged) {
		for (unsigned int i = 0; i < XHIST_NEAR; i++)
			page_clear(h->near[i]);
		for (unsigned int i = XHIST_NEAR; h->dir && i < h->dir->npages; i++)
			page_clear(h->dir->page[i]);
	} else {
		h->nin = 0;
	}
	sync_npg(h);
}

void xhist_free(struct xhist *h)
{
	if (h->paged)
		pages_free(h);
	xhist_init(h);
}

/* ---- public: reading -------------------------------------------------- */

typedef int (*walk_fn)(uint16_t v, uint64_t count, void *arg);

/* The counted values of one page, ascending. */
static int page_walk(uintptr_t p, unsigned int hi, walk_fn fn, void *arg)
{
	unsigned int base = hi << 8;
	int r;

	if (pg_tag(p) == XHIST_PG_DENSE) {
		const uint32_t *c = pg_ptr(p);

		for (unsigned int i = 0; i < 256; i++)
			if (c[i] && (r = fn((uint16_t)(base + i), c[i], arg)))
				return r;
	} else if (pg_tag(p) == XHIST_PG_WIDE) {
		const uint64_t *c = pg_ptr(p);

		for (unsigned int i = 0; i < 256; i++)
			if (c[i] && (r = fn((uint16_t)(base + i), c[i], arg)))
				return r;
	} else if (pg_ptr(p)) {
		struct xhist_sparse *s = pg_ptr(p);

		for (unsigned int i = 0; i < s->n; i++)
			if ((r = fn((uint16_t)(base + s->lo[i]),
				    sparse_cnt(s)[i], arg)))
				return r;
	}
	return 0;
}

int xhist_foreach(const struct xhist *h, walk_fn fn, void *arg)
{
	int r;

	if (!h->n)
		return 0;
	if (!h->paged) {
		for (unsigned int i = 0; i < h->nin; i++)
			if ((r = fn(h->in_v[i], h->in_c[i], arg)))
				return r;
		return 0;
	}
	/* Nothing lies outside [min, max]: walk only those pages. */
	for (unsigned int hi = h->min >> 8; hi <= (unsigned int)(h->max >> 8); hi++)
		if ((r = page_walk(page_get(h, hi), hi, fn, arg)))
			return r;
	return 0;
}

uint64_t xhist_count(const struct xhist *h, uint16_t v)
{
	uintptr_t p;

	if (!h->n)
		return 0;
	if (!h->paged) {
		for (unsigned int i = 0; i < h->nin; i++)
			if (h->in_v[i] == v)
				return h->in_c[i];
		return 0;
	}
	p = page_get(h, v >> 8);
	switch (pg_tag(p)) {
	case XHIST_PG_DENSE:
		return ((const uint32_t *)pg_ptr(p))[v & 255];
	case XHIST_PG_WIDE:
		return ((const uint64_t *)pg_ptr(p))[v & 255];
	default:
		if (pg_ptr(p)) {
			struct xhist_sparse *s = pg_ptr(p);
			int i = sparse_find(s, v & 255);

			return i >= 0 ? sparse_cnt(s)[i] : 0;
		}
		return 0;
	}
}

double xhist_mean(const struct xhist *h)
{
	return h->n ? (double)h->sum / (double)h->n : 0;
}

size_t xhist_mem(const struct xhist *h)
{
	return h->mem;
}

/* spe_hist's rank, same double expression; NaN and p <= 0 give rank 1. */
static uint64_t rank_for(uint64_t n, double p)
{
	double r = ceil(p / 100.0 * (double)n);

	if (!(r >= 1))
		r = 1;
	if (r > (double)n)
		r = (double)n;
	return (uint64_t)r;
}

struct pct_walk {
	const uint64_t *rank;
	uint16_t *out;
	int i, n;
	uint64_t seen;
};

static int pct_step(uint16_t v, uint64_t count, void *arg)
{
	struct pct_walk *w = arg;

	w->seen += count;
	while (w->i < w->n && w->seen >= w->rank[w->i])
		w->out[w->i++] = v;
	return w->i == w->n;
}

/* One pass for a run of ascending percentiles. */
static void pct_run(const struct xhist *h, const double *p, uint16_t *out,
		    int n)
{
	uint64_t rank[16];
	struct pct_walk w = { .rank = rank, .out = out };

	while (n > 0) {
		int k = n < 16 ? n : 16;

		for (int i = 0; i < k; i++) {
			rank[i] = rank_for(h->n, p[i]);
			out[i] = h->max;	/* what the last rank reaches */
		}
		w.out = out;
		w.i = 0;
		w.n = k;
		w.seen = 0;
		xhist_foreach(h, pct_step, &w);
		p += k;
		out += k;
		n -= k;
	}
}

void xhist_percentiles(const struct xhist *h, const double *p,
		       uint16_t *out, int n)
{
	int start = 0;

	if (!h->n) {
		for (int i = 0; i < n; i++)
			out[i] = 0;
		return;
	}
	/* Split into ascending runs; each takes one walk. */
	for (int i = 1; i <= n; i++) {
		if (i == n || !(p[i] >= p[i - 1])) {
			pct_run(h, p + start, out + start, i - start);
			start = i;
		}
	}
}

uint16_t xhist_percentile(const struct xhist *h, double p)
{
	uint16_t v;

	xhist_percentiles(h, &p, &v, 1);
	return v;
}

/* ---- public: merging -------------------------------------------------- */

struct merge_walk {
	struct xhist *dst;
	uint32_t stop;		/* undo: values below this were added */
	uint32_t failed;	/* add: the first value not added */
};

static int merge_step(uint16_t v, uint64_t count, void *arg)
{
	struct merge_walk *w = arg;

	if (bucket_add(w->dst, v, count)) {
		w->failed = v;
		return 1;
	}
	return 0;
}

static int undo_step(uint16_t v, uint64_t count, void *arg)
{
	struct merge_walk *w = arg;

	if (v >= w->stop)
		return 1;
	bucket_sub(w->dst, v, count);
	return 0;
}

/* Dense src page into a dense dst page; -1 if a count would pass 2^32. */
static int dense_add(uint32_t *d, const uint32_t *s)
{
	uint32_t over = 0;

	for (unsigned int i = 0; i < 256; i++)
		over |= d[i] > UINT32_MAX - s[i];
	if (over)
		return -1;
	for (unsigned int i = 0; i < 256; i++)
		d[i] += s[i];
	return 0;
}

/*
 * Page by page when src has pages: dense pages add as vectors into a
 * dense destination page (made dense first, the src page being hot), the
 * rest value by value.  Returns the first value not added, or 65536.
 */
static uint32_t merge_pages(struct xhist *dst, const struct xhist *src)
{
	struct merge_walk w = { .dst = dst, .failed = 65536 };

	for (unsigned int hi = src->min >> 8; hi <= (unsigned int)(src->max >> 8); hi++) {
		uintptr_t sp = page_get(src, hi);

		if (pg_tag(sp) == XHIST_PG_DENSE) {
			if (!dst->paged && spill(dst))
				return hi << 8;
			if (cover(dst, hi))
				return hi << 8;
			if (pg_tag(*page_slot(dst, hi)) == XHIST_PG_SPARSE &&
			    page_widen(dst, hi, XHIST_PG_DENSE))
				return hi << 8;
			if (pg_tag(*page_slot(dst, hi)) == XHIST_PG_DENSE &&
			    !dense_add(pg_ptr(*page_slot(dst, hi)), pg_ptr(sp)))
				continue;
		}
		if (page_walk(sp, hi, merge_step, &w))
			return w.failed;
	}
	return 65536;
}

int xhist_merge(struct xhist *dst, const struct xhist *src)
{
	uint64_t n0 = dst->n;
	uint32_t failed;

	if (dst == src) {
		errno = EINVAL;
		return -1;
	}
	if (!src->n)
		return 0;
	if (src->paged) {
		failed = merge_pages(dst, src);
	} else {
		struct merge_walk w = { .dst = dst, .failed = 65536 };

		xhist_foreach(src, merge_step, &w);
		failed = w.failed;
	}
	if (failed < 65536) {
		struct merge_walk u = { .dst = dst, .stop = failed };

		xhist_foreach(src, undo_step, &u);
		sync_npg(dst);
		errno = ENOMEM;
		return -1;
	}
	if (!n0) {
		dst->min = src->min;
		dst->max = src->max;
	} else {
		if (src->min < dst->min)
			dst->min = src->min;
		if (src->max > dst->max)
			dst->max = src->max;
	}
	dst->n += src->n;
	dst->sum += src->sum;
	sync_npg(dst);
	return 0;
}
