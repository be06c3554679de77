// SPDX-License-Identifier: GPL-2.0-only
/*
 * The aggregation table (see agg.h).
 *
 * Rows are allocated one by one (callers hold pointers to them) and found
 * through an open-addressing hash of (key, row pointer) slots, linear
 * probing, at most half full, so a lookup compares keys without touching
 * the row and usually ends at the first slot.  Eviction happens only at
 * interval end and rebuilds the slots, so there are no tombstones.
 *
 * Keys that are small integers with b == 0 (symbol and DSO ids, pids,
 * op classes) are also found through a direct index, key -> position: a
 * symbol table's worth of rows spreads the hash slots over a few hundred
 * KiB, and that slot load was a cache miss on most samples.
 *
 * The hot path, agg_add(), touches one slot and appends the sample, 12
 * bytes, to a queue; it does not touch the row.  With thousands of rows
 * (a symbol table's worth) each row and its histograms would be a cache
 * miss per sample.  The queue holds the whole interval, and at its end is
 * sorted by row (a counting sort) and applied a row at a time, the row's
 * counters and histogram pages hot:
 *
 *   - the values go straight into cum's histograms, and are kept, row
 *     by row, in the log;
 *   - last's histograms are built from the log only when someone reads
 *     them (agg_stats(): the rows on screen, or all rows for a latency
 *     sort), so most rows never have interval histograms at all;
 *   - the totals' last is built from the whole log, and merged into the
 *     totals' cum.
 *
 * So a value is added once, to cum, and nothing is merged per row: with
 * thousands of mostly small rows the per-row merges (cur into cum and
 * into the totals) and clears cost more than the adds themselves.
 *
 * An interval that outgrows the queue, and tables of at most DIRECT_ROWS
 * rows (whose samples are counted into the row at once, all rows being
 * hot), go the other way: values into cur's histograms as they come, cur
 * merged into cum and the totals at the interval's end, last = cur.
 *
 * Everything that walks rows (merges, eviction, sorting) waits for
 * agg_end_interval() or agg_top(), once per refresh.
 */
#include <ctype.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "spe.h"

#define AGG_MIN_SLOTS	64

/* The queue: first size, default largest size (entries: 2^18 take 9
 * MiB with the sorted copy, the scratch and the log, and hold a
 * quarter-million-sample interval), and the most of max_bytes it may
 * hold. */
#define Q_MIN		1024u
#define Q_MAX		(1u << 18)
#define Q_SHARE		8
/* Bytes per queue entry: the entry, its sorted copy, its values in the
 * scratch and in the log. */
#define Q_ENT_BYTES	(2 * sizeof(struct q_ent) + 2 * AGG_LAT_NR * sizeof(uint16_t))

/* A row's position in rows[]; the overflow row's stands for nrows. */
#define POS_OTHER	UINT32_MAX

/* The direct index covers keys {a, 0} with a below this (1 MiB of
 * uint32_t at most), and grows only while it stays within DENSE_PER_ROW
 * entries per row (ids that mostly have rows, not sparse keys) and a
 * DENSE_SHARE part of max_bytes.  Other keys, or all of them when it
 * cannot grow, go through the hash alone. */
#define DENSE_LIMIT	(1u << 18)
#define DENSE_PER_ROW	4
#define DENSE_SHARE	16

/* Up to this many rows all of them stay in cache: agg_add() counts into
 * the row at once, and queueing would only add work. */
#define DIRECT_ROWS	64

struct agg_slot {
	struct agg_key key;
	struct agg_row *row;	/* NULL: empty */
	uint32_t pos;		/* the row's index in rows[] */
};

/* One queued sample (agg_add() to the row's apply). */
struct q_ent {
	uint32_t pos;
	uint16_t lat[AGG_LAT_NR];
	uint16_t bits;		/* agg_item.bits */
};


struct top_ent {
	double v;
	uint64_t samples;
	const struct agg_row *r;
};

struct agg {
	/* The last key's row position: groupings by symbol, DSO or pid
	 * see long runs of one key, which then skip the hash.  Never the
	 * overflow row; last_ok cleared whenever rows are freed or move. */
	uint64_t last_a, last_b;
	uint32_t last_pos;
	bool last_ok;
	/* the queue, and the apply's scratch (sized with it) */
	struct q_ent *q;
	uint32_t nq, q_cap, q_max;
	struct q_ent *sorted;		/* the queue sorted by row */
	uint16_t *vals;			/* one row's values, per latency */
	/* The last interval's values, latency k's at logv[k * q_cap], row
	 * by row (see agg_row.log_off); the totals' slice is all of them. */
	uint16_t *logv;
	/* This interval has samples in rows' cur: counted at once, or
	 * applied from a full queue.  It then closes the cur way. */
	bool cur_used;
	uint32_t *bkt;			/* counting sort: rows_cap + 2 counts,
					 * one per row, the overflow row and
					 * an end (grown with rows[]) */
	struct agg_slot *slot;
	size_t cap;			/* slots, a power of two */
	uint32_t *dense;		/* key a -> position + 1, 0: none */
	uint32_t ndense;		/* entries, 0 or a power of two */
	unsigned int shift;		/* 64 - log2(cap): hash top bits */
	struct agg_row **rows;		/* keyed rows, no order */
	size_t nrows, rows_cap;
	size_t max_rows, max_bytes;
	size_t mem;
	uint64_t interval;
	struct agg_row *other;
	struct agg_row totals;
	struct agg_evicted ev;
	void (*drop)(struct agg_row *row, void *arg);
	void *drop_arg;
	struct top_ent *top;		/* agg_top() scratch */
	size_t top_cap;
};

/* The allocator's real size for a block, as xhist counts its own. */
static size_t block_bytes(const void *p)
{
	return p ? malloc_usable_size((void *)p) + sizeof(size_t) : 0;
}

/* Row @i of rows[], or the overflow row for i == nrows (the position
 * the walks over all rows give it) */
static inline struct agg_row *row_at(const struct agg *a, size_t i)
{
	return i < a->nrows ? a->rows[i] : a->other;
}

/* ---- hashing ---------------------------------------------------------- */

/*
 * Keys are often PCs or addresses with the low bits zero and b == 0, so
 * fold b in, then multiply-xorshift twice: every input bit reaches the
 * top bits, which pick the slot.
 */
static inline uint64_t key_hash(uint64_t a, uint64_t b)
{
	uint64_t x = a ^ ((b << 32 | b >> 32) * 0x9e3779b97f4a7c15ull);

	x ^= x >> 31;
	x *= 0xd6e8feb86659fd93ull;
	x ^= x >> 32;
	x *= 0xd6e8feb86659fd93ull;
	x ^= x >> 32;
	return x;
}

/*
 * The slot holding (ka, kb), or the empty slot where it would go.  The
 * key travels as two scalars throughout, see agg_add_kv() in agg.h.
 */
static inline struct agg_slot *slot_find(const struct agg *a, uint64_t ka,
					 uint64_t kb)
{
	size_t mask = a->cap - 1;
	size_t i = key_hash(ka, kb) >> a->shift;

	for (;;) {
		struct agg_slot *s = &a->slot[i];

		if (!s->row || (s->key.a == ka && s->key.b == kb))
			return s;
		i = (i + 1) & mask;
	}
}

static unsigned int log2_of(size_t pow2)
{
	unsigned int l = 0;

	while ((size_t)1 << l < pow2)
		l++;
	return l;
}

static inline bool dense_key(const struct agg *a, uint64_t ka, uint64_t kb)
{
	return !kb && ka < a->ndense;
}

/* Slots (all empty) and the direct index filled from rows[], each with
 * its position. */
static void slots_fill(struct agg *a)
{
	if (a->dense)
		memset(a->dense, 0, a->ndense * sizeof(a->dense[0]));
	for (size_t i = 0; i < a->nrows; i++) {
		const struct agg_key *k = &a->rows[i]->key;
		struct agg_slot *s = slot_find(a, k->a, k->b);

		s->key = *k;
		s->row = a->rows[i];
		s->pos = (uint32_t)i;
		if (dense_key(a, k->a, k->b))
			a->dense[k->a] = (uint32_t)i + 1;
	}
}

/* Slots and direct index again from rows[] (rows went or moved), in
 * place. */
static void index_refill(struct agg *a)
{
	memset(a->slot, 0, a->cap * sizeof(a->slot[0]));
	slots_fill(a);
}

/* New slot array of @cap, filled from the rows.  Old one kept on -1. */
static int slots_rebuild(struct agg *a, size_t cap)
{
	struct agg_slot *ns = calloc(cap, sizeof(*ns));

	if (!ns)
		return -1;
	a->mem -= block_bytes(a->slot);
	free(a->slot);
	a->slot = ns;
	a->cap = cap;
	a->shift = 64 - log2_of(cap);
	a->mem += block_bytes(ns);
	slots_fill(a);
	return 0;
}

/* ---- memory ----------------------------------------------------------- */

static size_t stats_mem(const struct agg_stats *st)
{
	size_t m = 0;

	for (int k = 0; k < AGG_LAT_NR; k++)
		m += xhist_mem(&st->lat[k]);
	return m;
}

static size_t row_hist_mem(const struct agg_row *r)
{
	return stats_mem(&r->cur) + stats_mem(&r->last) + stats_mem(&r->cum);
}

static size_t row_mem(const struct agg_row *r)
{
	return block_bytes(r) + row_hist_mem(r);
}

/* The queue and its scratch. */
static size_t queue_mem(const struct agg *a)
{
	return block_bytes(a->q) + block_bytes(a->sorted) + block_bytes(a->vals) +
	       block_bytes(a->logv);
}

/* From scratch, at agg_new() and agg_reset(); every later change is
 * tracked as a delta where it happens. */
static void mem_recount(struct agg *a)
{
	size_t m = block_bytes(a) + block_bytes(a->slot) + block_bytes(a->dense) +
		   block_bytes(a->rows) +
		   block_bytes(a->bkt) + block_bytes(a->top) + row_mem(a->other) +
		   row_hist_mem(&a->totals) + queue_mem(a);

	for (size_t i = 0; i < a->nrows; i++)
		m += row_mem(a->rows[i]);
	a->mem = m;
}

/* x * num / den without overflow, for the 90% / 75% marks. */
static size_t frac(size_t x, size_t num, size_t den)
{
	return x / den * num + x % den * num / den;
}

/* ---- rows ------------------------------------------------------------- */

/* Cover key @ka in the direct index; false when it may not or cannot. */
static bool dense_cover(struct agg *a, uint64_t ka)
{
	uint32_t n = a->ndense ? a->ndense : 1024;
	size_t old = block_bytes(a->dense);
	uint32_t *d;

	if (ka < a->ndense)
		return true;
	if (ka >= DENSE_LIMIT)
		return false;
	while (n <= ka)
		n *= 2;
	if (n > DENSE_PER_ROW * (a->nrows + 1024) ||
	    (size_t)n * sizeof(*d) > a->max_bytes / DENSE_SHARE)
		return false;
	d = realloc(a->dense, n * sizeof(*d));
	if (!d)
		return false;
	memset(d + a->ndense, 0, (n - a->ndense) * sizeof(*d));
	a->dense = d;
	a->ndense = n;
	a->mem += block_bytes(d) - old;
	return true;
}

static void stats_free(struct agg_stats *st)
{
	memset(&st->c, 0, sizeof(st->c));
	for (int k = 0; k < AGG_LAT_NR; k++)
		xhist_free(&st->lat[k]);
}

static void stats_clear(struct agg_stats *st)
{
	memset(&st->c, 0, sizeof(st->c));
	for (int k = 0; k < AGG_LAT_NR; k++)
		xhist_clear(&st->lat[k]);
}

static void row_free_stats(struct agg_row *r)
{
	stats_free(&r->cur);
	stats_free(&r->last);
	stats_free(&r->cum);
}

static void row_drop(struct agg *a, struct agg_row *r)
{
	if (a->drop)
		a->drop(r, a->drop_arg);
	row_free_stats(r);
}

/* rows[] and the sort's counts for @cap rows; -1 (capacity unchanged,
 * whatever moved accounted) when out of memory. */
static int rows_grow(struct agg *a, size_t cap)
{
	size_t old = block_bytes(a->rows) + block_bytes(a->bkt);
	struct agg_row **nr = realloc(a->rows, cap * sizeof(*nr));
	uint32_t *nb = nr ? realloc(a->bkt, (cap + 2) * sizeof(*nb)) : NULL;

	if (nr)
		a->rows = nr;
	if (nb) {
		a->bkt = nb;
		a->rows_cap = cap;
	}
	a->mem += block_bytes(a->rows) + block_bytes(a->bkt) - old;
	return nb ? 0 : -1;
}

/* A new key's row, or the overflow row when there is no room.  Out of
 * line: the hot path should not carry its registers. */
static __attribute__((noinline)) struct agg_row *row_insert(struct agg *a, struct agg_slot *s,
				  uint64_t ka, uint64_t kb)
{
	const struct agg_key key = { ka, kb };
	struct agg_row *r;

	if (a->nrows >= a->max_rows || a->mem >= a->max_bytes)
		goto other;
	if (a->nrows == a->rows_cap && rows_grow(a, a->rows_cap * 2))
		goto other;
	if ((a->nrows + 1) * 2 > a->cap) {
		if (slots_rebuild(a, a->cap * 2))
			goto other;
		s = slot_find(a, ka, kb);
	}
	/* calloc: an all-zero xhist is an empty one */
	r = calloc(1, sizeof(*r));
	if (!r)
		goto other;
	a->mem += block_bytes(r);
	r->key = key;
	s->key = key;
	s->row = r;
	s->pos = (uint32_t)a->nrows;
	if (!kb && dense_cover(a, ka))
		a->dense[ka] = (uint32_t)a->nrows + 1;
	a->rows[a->nrows++] = r;
	return r;
other:
	a->ev.overflow_samples++;
	return a->other;
}

/* ---- the queue -------------------------------------------------------- */

static void counts_add(struct agg_counts *d, const struct agg_counts *s)
{
	d->samples += s->samples;
	d->mem_ops += s->mem_ops;
	d->l1d_access += s->l1d_access;
	d->l1d_refill += s->l1d_refill;
	d->tlb_access += s->tlb_access;
	d->tlb_walk += s->tlb_walk;
	d->llc_access += s->llc_access;
	d->llc_miss += s->llc_miss;
	d->remote += s->remote;
	for (int k = 0; k < AGG_LAT_NR; k++)
		d->lat_missing[k] += s->lat_missing[k];
}

static void queue_apply(struct agg *a, uint32_t *off, struct agg_counts *tot);

/* Queue (and scratch, and log, which is kept) of @cap entries; all kept
 * as they were on -1. */
static int queue_grow(struct agg *a, uint32_t cap)
{
	size_t old = queue_mem(a);
	struct q_ent *q = realloc(a->q, cap * sizeof(*q));
	struct q_ent *sorted;
	uint16_t *vals, *logv;

	if (!q)
		return -1;
	a->q = q;
	sorted = malloc(cap * sizeof(*sorted));
	vals = malloc((size_t)cap * AGG_LAT_NR * sizeof(*vals));
	logv = malloc((size_t)cap * AGG_LAT_NR * sizeof(*logv));
	if (sorted && vals && logv) {
		for (int k = 0; k < AGG_LAT_NR && a->logv; k++)
			memcpy(logv + (size_t)k * cap, a->logv + (size_t)k * a->q_cap,
			       a->totals.log_n[k] * sizeof(*logv));
		free(a->sorted);
		free(a->vals);
		free(a->logv);
		a->sorted = sorted;
		a->vals = vals;
		a->logv = logv;
		a->q_cap = cap;
	} else {
		free(sorted);
		free(vals);
		free(logv);
	}
	/* the queue block may have moved or grown either way */
	a->mem += queue_mem(a) - old;
	return a->q_cap == cap ? 0 : -1;
}

/* The queue is full: grow it (up to q_max entries and a Q_SHARE part of
 * max_bytes), or else apply what it holds to cur: the interval closes
 * the cur way. */
static __attribute__((noinline)) void queue_full(struct agg *a)
{
	uint32_t cap = a->q_cap * 2;

	if (cap <= a->q_max && cap * Q_ENT_BYTES <= a->max_bytes / Q_SHARE &&
	    !queue_grow(a, cap))
		return;
	queue_apply(a, NULL, NULL);
	a->cur_used = true;
}

static inline void enqueue(struct agg *a, uint32_t pos, const uint16_t *lat, uint16_t bits)
{
	struct q_ent *e;

	if (__builtin_expect(a->nq == a->q_cap, 0))
		queue_full(a);		/* leaves room: q_cap >= Q_MIN */
	e = &a->q[a->nq++];
	e->pos = pos;
	e->lat[0] = lat[0];
	e->lat[1] = lat[1];
	e->lat[2] = lat[2];
	e->bits = bits;
}

/* Values that failed to go into a histogram are tallied, and the
 * memory it took is kept in a->mem. */
static size_t hist_add(struct agg *a, struct xhist *h, const uint16_t *v, size_t n)
{
	uint32_t m = h->mem;
	size_t failed = xhist_add_many(h, v, n);

	a->mem += h->mem - m;
	return failed;
}

/*
 * The eight counter bits of a q_ent (AGG_B_MEM_OP..AGG_B_REMOTE) spread one per
 * byte, so a run of samples counts all eight with one add each: a byte
 * holds 255 samples, and gather() empties the lanes that often.
 */
#define SPREAD1(x)	((uint64_t)((x) & 1) | (uint64_t)((x) >> 1 & 1) << 8 | \
			 (uint64_t)((x) >> 2 & 1) << 16 | (uint64_t)((x) >> 3 & 1) << 24 | \
			 (uint64_t)((x) >> 4 & 1) << 32 | (uint64_t)((x) >> 5 & 1) << 40 | \
			 (uint64_t)((x) >> 6 & 1) << 48 | (uint64_t)((x) >> 7 & 1) << 56)
#define SPREAD4(x)	SPREAD1(x), SPREAD1((x) + 1), SPREAD1((x) + 2), SPREAD1((x) + 3)
#define SPREAD16(x)	SPREAD4(x), SPREAD4((x) + 4), SPREAD4((x) + 8), SPREAD4((x) + 12)
#define SPREAD64(x)	SPREAD16(x), SPREAD16((x) + 16), SPREAD16((x) + 32), SPREAD16((x) + 48)
static const uint64_t bit_lanes[256] = {
	SPREAD64(0), SPREAD64(64), SPREAD64(128), SPREAD64(192)
};
#define LANE_MAX	255

/* The byte lanes of bit_lanes[] sums (of one sample, or of up to
 * LANE_MAX) into the counters */
static inline void lanes_count(struct agg_counts *c, uint64_t l)
{
	c->mem_ops += l >> 8 * (AGG_B_MEM_OP - AGG_B_MEM_OP) & 255;
	c->l1d_access += l >> 8 * (AGG_B_L1D_ACCESS - AGG_B_MEM_OP) & 255;
	c->l1d_refill += l >> 8 * (AGG_B_L1D_REFILL - AGG_B_MEM_OP) & 255;
	c->tlb_access += l >> 8 * (AGG_B_TLB_ACCESS - AGG_B_MEM_OP) & 255;
	c->tlb_walk += l >> 8 * (AGG_B_TLB_WALK - AGG_B_MEM_OP) & 255;
	c->llc_access += l >> 8 * (AGG_B_LLC_ACCESS - AGG_B_MEM_OP) & 255;
	c->llc_miss += l >> 8 * (AGG_B_LLC_MISS - AGG_B_MEM_OP) & 255;
	c->remote += l >> 8 * (AGG_B_REMOTE - AGG_B_MEM_OP) & 255;
}

/*
 * One row's queued samples, e[0..n): their counts into @c (zeroed
 * first), the values of latency k present into v[k][0..nv[k]).  Each
 * value is written always (at v[k][nv[k]], nv[k] <= i < n) and kept only
 * when present, so there is no branch; v[k] needs room for n values.
 */
static void gather(const struct q_ent *e, uint32_t n, uint16_t *const *v,
		   uint32_t *nv, struct agg_counts *c)
{
	uint16_t *v0 = v[0], *v1 = v[1], *v2 = v[2];
	uint32_t n0 = 0, n1 = 0, n2 = 0, i = 0;

	_Static_assert(AGG_LAT_NR == 3 && AGG_B_REMOTE - AGG_B_MEM_OP == 7,
		       "three latencies, eight counter bits");
	memset(c, 0, sizeof(*c));
	while (i < n) {
		uint32_t stop = n - i > LANE_MAX ? i + LANE_MAX : n;
		uint64_t lanes = 0;

		for (; i < stop; i++) {
			unsigned int b = e[i].bits;

			lanes += bit_lanes[b >> AGG_B_MEM_OP & 255];
			v0[n0] = e[i].lat[0];
			n0 += b & 1;
			v1[n1] = e[i].lat[1];
			n1 += b >> 1 & 1;
			v2[n2] = e[i].lat[2];
			n2 += b >> 2 & 1;
		}
		lanes_count(c, lanes);
	}
	nv[0] = n0;
	nv[1] = n1;
	nv[2] = n2;
	c->samples = n;
	for (int k = 0; k < AGG_LAT_NR; k++)
		c->lat_missing[k] = n - nv[k];
}

/* One row's queued samples, e[0..n), into its cur. */
static void apply_row(struct agg *a, struct agg_row *r, const struct q_ent *e, uint32_t n)
{
	struct agg_counts c;
	uint16_t *v[AGG_LAT_NR];
	uint32_t nv[AGG_LAT_NR];

	for (int k = 0; k < AGG_LAT_NR; k++)
		v[k] = a->vals + (size_t)k * a->q_cap;
	gather(e, n, v, nv, &c);
	for (int k = 0; k < AGG_LAT_NR; k++)
		a->ev.lat_nomem += hist_add(a, &r->cur.lat[k], v[k], nv[k]);
	counts_add(&r->cur.c, &c);
	r->last_seen = a->interval;
}

/* A queued position's sort bucket: the row's index, nrows for the
 * overflow row. */
static inline uint32_t bucket(const struct agg *a, uint32_t pos)
{
	return pos < a->nrows ? pos : (uint32_t)a->nrows;
}

/* Counting sort of the queue by row into sorted[] (the entries copied,
 * so that each row's are then read in sequence), and bkt[b] is where
 * bucket b's run ends.  Returns the buckets. */
static uint32_t queue_sort(struct agg *a)
{
	uint32_t n = a->nq, nb = (uint32_t)a->nrows + 1;
	uint32_t *bkt = a->bkt;

	/* bkt[b] becomes the start of bucket b's run */
	memset(bkt, 0, ((size_t)nb + 1) * sizeof(*bkt));
	for (uint32_t i = 0; i < n; i++)
		bkt[bucket(a, a->q[i].pos) + 1]++;
	for (uint32_t b = 0; b < nb; b++)
		bkt[b + 1] += bkt[b];
	for (uint32_t i = 0; i < n; i++)
		a->sorted[bkt[bucket(a, a->q[i].pos)]++] = a->q[i];
	return nb;
}

static void log_row(struct agg *a, struct agg_row *r, const struct q_ent *e, uint32_t n,
		    uint32_t *off, struct agg_counts *tot);

/*
 * The rows are applied in turn, each to its own histograms: thousands of
 * rows' histograms do not stay in the caches from one interval to the
 * next, so the first counter each row touches would be a miss.  The row
 * PF_ROW ahead gets its histogram headers fetched, the one PF_PAGE ahead
 * the first lines of its first page (the low latencies, where most
 * values fall).  -g symbol on the bench trace: 0.62 -> 0.59 s.
 */
#define PF_ROW	8
#define PF_PAGE	4


/* always_inline: a function of prefetches alone has no effects that GCC
 * must keep, and its calls were dropped */
static inline __attribute__((always_inline)) void prefetch_rows(const struct agg *a, uint32_t b,
								uint32_t nb, bool cum)
{
	if (b + PF_ROW < nb) {
		const struct agg_row *f = row_at(a, b + PF_ROW);
		const struct agg_stats *st = cum ? &f->cum : &f->cur;

		for (int k = 0; k < AGG_LAT_NR; k++)
			__builtin_prefetch(&st->lat[k]);
		__builtin_prefetch(&st->c);
	}
	if (b + PF_PAGE < nb) {
		const struct agg_row *f = row_at(a, b + PF_PAGE);
		const struct agg_stats *st = cum ? &f->cum : &f->cur;

		for (int k = 0; k < AGG_LAT_NR; k++) {
			uintptr_t p = st->lat[k].paged ? st->lat[k].near[0] : XHIST_PG_TAG;

			if (!(p & XHIST_PG_TAG)) {
				__builtin_prefetch((const void *)p);
				__builtin_prefetch((const char *)p + 64);
			}
		}
	}
}

/*
 * Apply the queue a row at a time and empty it: with @off NULL into the
 * rows' cur (apply_row()), else into cum and the log (log_row(), @off
 * and @tot its running offsets and totals).
 */
static void queue_apply(struct agg *a, uint32_t *off, struct agg_counts *tot)
{
	uint32_t nb, at = 0;

	if (!a->nq)
		return;
	nb = queue_sort(a);
	for (uint32_t b = 0; b < nb; b++) {
		struct agg_row *r = row_at(a, b);
		uint32_t n = a->bkt[b] - at;

		prefetch_rows(a, b, nb, off != NULL);
		if (!n)
			continue;
		if (off)
			log_row(a, r, a->sorted + at, n, off, tot);
		else
			apply_row(a, r, a->sorted + at, n);
		at = a->bkt[b];
	}
	a->nq = 0;
}

/* A sample counted into the row at once (few rows: all hot). */
static inline __attribute__((always_inline)) void count_direct(struct agg *a, struct agg_row *r,
								const uint16_t *lat, uint16_t b)
{
	struct agg_counts *c = &r->cur.c;

	c->samples++;
	lanes_count(c, bit_lanes[b >> AGG_B_MEM_OP & 255]);
	for (int k = 0; k < AGG_LAT_NR; k++) {
		struct xhist *h = &r->cur.lat[k];
		uint32_t m;

		if (!(b & 1u << k)) {
			c->lat_missing[k]++;
			continue;
		}
		if (xhist_add_fast(h, lat[k]))
			continue;
		/* memory only changes here: keep a->mem off the fast path */
		m = h->mem;
		if (xhist_add_slow(h, lat[k], 1))
			a->ev.lat_nomem++;
		a->mem += h->mem - m;
	}
	r->last_seen = a->interval;
	a->cur_used = true;
}

static inline struct agg_row *pos_row(const struct agg *a, uint32_t pos)
{
	return pos == POS_OTHER ? a->other : a->rows[pos];
}

/* The sample counted or queued; returns its row's position.  The queue
 * needs only the position, so the row itself is not loaded (with
 * thousands of rows, rows[] is one more cache miss per sample). */
static inline uint32_t add_pos(struct agg *a, uint64_t ka, uint64_t kb,
			       const uint16_t *lat, uint16_t bits)
{
	uint32_t pos = a->last_pos;

	if (!a->last_ok || ka != a->last_a || kb != a->last_b) {
		if (dense_key(a, ka, kb) && a->dense[ka]) {
			pos = a->dense[ka] - 1;
		} else {
			struct agg_slot *sl = slot_find(a, ka, kb);

			pos = sl->pos;
			if (__builtin_expect(!sl->row, 0)) {
				struct agg_row *r = row_insert(a, sl, ka, kb);

				pos = r == a->other ? POS_OTHER : (uint32_t)a->nrows - 1;
			}
		}
		/* never the overflow row: a key sent there may get a row later */
		if (pos != POS_OTHER) {
			a->last_ok = true;
			a->last_pos = pos;
			a->last_a = ka;
			a->last_b = kb;
		}
	}
	if (a->nrows <= DIRECT_ROWS)
		count_direct(a, pos_row(a, pos), lat, bits);
	else
		enqueue(a, pos, lat, bits);
	return pos;
}

void agg_add_many(struct agg *a, const struct agg_item *it, size_t n)
{
	for (const struct agg_item *end = it + n; it < end; it++)
		add_pos(a, it->ka, it->kb, it->lat, it->bits);
}

struct agg_row *agg_add(struct agg *a, struct agg_key key, const struct agg_sample *s)
{
	uint16_t bits = agg_bits(s->has_lat, s->events, s->op_class, s->remote);

	return pos_row(a, add_pos(a, key.a, key.b, s->lat, bits));
}

struct agg_row *agg_find(struct agg *a, struct agg_key key)
{
	return slot_find(a, key.a, key.b)->row;
}

/* ---- intervals -------------------------------------------------------- */

/* dst += src for the histograms; what cannot be merged is tallied, what
 * dst grows by is kept in a->mem. */
static void stats_merge_hist(struct agg *a, struct agg_stats *dst,
			     const struct agg_stats *src)
{
	for (int k = 0; k < AGG_LAT_NR; k++) {
		size_t m = xhist_mem(&dst->lat[k]);

		if (xhist_merge(&dst->lat[k], &src->lat[k]))
			a->ev.lat_nomem += src->lat[k].n;
		a->mem += xhist_mem(&dst->lat[k]) - m;
	}
}

/* Idle: last becomes empty, and the interval histograms give their
 * memory back (cold rows keep only cum). */
static void stats_idle(struct agg *a, struct agg_row *r)
{
	a->mem -= stats_mem(&r->last) + stats_mem(&r->cur);
	stats_free(&r->last);
	stats_free(&r->cur);
	r->last_log = false;
}

/* cum += cur, last = cur, cur cleared: swap, so no histogram is copied. */
static void stats_close(struct agg *a, struct agg_row *r)
{
	struct agg_stats t;

	if (!r->cur.c.samples) {
		/* An empty last was freed by an earlier idle close (cur
		 * holds memory only once it has samples): nothing to do. */
		if (r->last.c.samples)
			stats_idle(a, r);
		return;
	}
	counts_add(&r->cum.c, &r->cur.c);
	stats_merge_hist(a, &r->cum, &r->cur);
	t = r->last;
	r->last = r->cur;
	r->cur = t;
	stats_clear(&r->cur);
	r->last_log = false;
}

static void row_close(struct agg *a, struct agg_row *r)
{
	if (r->cur.c.samples) {
		/* the totals are folded here rather than on every add */
		counts_add(&a->totals.cur.c, &r->cur.c);
		stats_merge_hist(a, &a->totals.cur, &r->cur);
	}
	stats_close(a, r);
}

/* ---- closing from the log --------------------------------------------- */

static inline uint16_t *log_at(const struct agg *a, int k, uint32_t off)
{
	return a->logv + (size_t)k * a->q_cap + off;
}

/*
 * One row's queued samples, e[0..n): their values into the log at
 * off[k] (advanced past them) and into cum's histograms; the counts into
 * last and cum, and into @tot.
 */
static void log_row(struct agg *a, struct agg_row *r, const struct q_ent *e, uint32_t n,
		    uint32_t *off, struct agg_counts *tot)
{
	struct agg_counts c;
	uint16_t *v[AGG_LAT_NR];
	uint32_t nv[AGG_LAT_NR];

	/* gather() may write a value it does not keep at off[k] + nv[k],
	 * still below off[k] + n <= nq: a later row's slot, written again */
	for (int k = 0; k < AGG_LAT_NR; k++)
		v[k] = log_at(a, k, off[k]);
	gather(e, n, v, nv, &c);
	for (int k = 0; k < AGG_LAT_NR; k++) {
		a->ev.lat_nomem += hist_add(a, &r->cum.lat[k], v[k], nv[k]);
		r->log_off[k] = off[k];
		r->log_n[k] = nv[k];
		off[k] += nv[k];
	}
	r->last.c = c;
	counts_add(&r->cum.c, &c);
	counts_add(tot, &c);
	r->last_log = true;
	r->last_seen = a->interval;
}

/* last's histograms from the log, if they are not built yet */
static void last_fill(struct agg *a, struct agg_row *r)
{
	if (!r->last_log)
		return;
	for (int k = 0; k < AGG_LAT_NR; k++) {
		xhist_clear(&r->last.lat[k]);
		a->ev.lat_nomem += hist_add(a, &r->last.lat[k], log_at(a, k, r->log_off[k]),
					    r->log_n[k]);
	}
	r->last_log = false;
}

/* The interval's end when all of it is in the queue. */
static void close_log(struct agg *a)
{
	struct agg_row *t = &a->totals;
	struct agg_counts tot = { 0 };
	uint32_t off[AGG_LAT_NR] = { 0 };

	queue_apply(a, off, &tot);
	/* the totals' slice: the whole log (queue_grow() keeps that much) */
	for (int k = 0; k < AGG_LAT_NR; k++) {
		t->log_off[k] = 0;
		t->log_n[k] = off[k];
	}
	/* rows without samples this time: an empty last */
	for (size_t i = 0; i <= a->nrows; i++) {
		struct agg_row *r = row_at(a, i);

		if (r->last_seen != a->interval && r->last.c.samples)
			stats_idle(a, r);
	}
	/* the totals: last from the whole log, merged into cum */
	if (!tot.samples) {
		if (t->last.c.samples)
			stats_idle(a, t);
		return;
	}
	t->last.c = tot;
	counts_add(&t->cum.c, &tot);
	/* built now: cum needs it (agg_totals() readers see it as is) */
	t->last_log = true;
	last_fill(a, t);
	stats_merge_hist(a, &t->cum, &t->last);
}

/* What eviction orders rows by, copied out of the rows so that the sort
 * does not chase a row pointer per comparison. */
struct cold_ent {
	uint64_t last_seen, samples;
	struct agg_key key;
	struct agg_row *r;
};

/* Coldest first: oldest last_seen, then fewest cum samples, then key. */
static int cmp_cold(const void *x, const void *y)
{
	const struct cold_ent *p = x, *q = y;

	if (p->last_seen != q->last_seen)
		return p->last_seen < q->last_seen ? -1 : 1;
	if (p->samples != q->samples)
		return p->samples < q->samples ? -1 : 1;
	if (p->key.a != q->key.a)
		return p->key.a < q->key.a ? -1 : 1;
	if (p->key.b != q->key.b)
		return p->key.b < q->key.b ? -1 : 1;
	return 0;
}

static bool over(const struct agg *a, size_t num, size_t den)
{
	return a->nrows > frac(a->max_rows, num, den) ||
	       a->mem > frac(a->max_bytes, num, den);
}

/* rows[] coldest first.  -1 when out of memory (for the sort's copy). */
static int sort_cold(struct agg *a)
{
	struct cold_ent *e = malloc(a->nrows * sizeof(*e));

	if (!e)
		return -1;
	for (size_t i = 0; i < a->nrows; i++) {
		struct agg_row *r = a->rows[i];

		e[i] = (struct cold_ent){ r->last_seen, r->cum.c.samples, r->key, r };
	}
	qsort(e, a->nrows, sizeof(*e), cmp_cold);
	for (size_t i = 0; i < a->nrows; i++)
		a->rows[i] = e[i].r;
	free(e);
	return 0;
}

static void evict(struct agg *a)
{
	size_t n = 0;

	if (!over(a, 9, 10) || !a->nrows)
		return;
	/* no memory to sort with: evict next time */
	if (sort_cold(a))
		return;
	a->last_ok = false;
	/* a->nrows counts what is left (rows[n..]) for over() */
	while (a->nrows && over(a, 3, 4)) {
		struct agg_row *r = a->rows[n++];

		a->ev.rows++;
		a->ev.samples += r->cum.c.samples;
		a->mem -= row_mem(r);
		a->nrows--;
		row_drop(a, r);
		free(r);
	}
	memmove(a->rows, a->rows + n, a->nrows * sizeof(a->rows[0]));
	/* Same size: no allocation can fail here. */
	index_refill(a);
}

void agg_end_interval(struct agg *a)
{
	if (a->cur_used) {
		queue_apply(a, NULL, NULL);
		for (size_t i = 0; i < a->nrows; i++)
			row_close(a, a->rows[i]);
		row_close(a, a->other);
		stats_close(a, &a->totals);
		/* what the log held was last's: last is cur's now */
		memset(a->totals.log_n, 0, sizeof(a->totals.log_n));
		a->cur_used = false;
	} else {
		close_log(a);
	}
	a->interval++;
	/* a->mem followed every change: no recount, which would visit
	 * every histogram of every row */
	evict(a);
}

/* ---- lifetime --------------------------------------------------------- */

static void init_empty(struct agg *a)
{
	a->last_ok = false;
	a->nq = 0;
	a->cur_used = false;
	a->nrows = 0;
	a->interval = 0;
	memset(&a->ev, 0, sizeof(a->ev));
	memset(&a->totals, 0, sizeof(a->totals));
	a->totals.flags = AGG_ROW_TOTALS;
	memset(a->other, 0, sizeof(*a->other));
	a->other->flags = AGG_ROW_OTHER;
}

struct agg *agg_new(size_t max_rows, size_t max_bytes)
{
	struct agg *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->max_rows = max_rows ? max_rows : AGG_DEFAULT_MAX_ROWS;
	a->max_bytes = max_bytes ? max_bytes : AGG_DEFAULT_MAX_BYTES;
	a->q_max = Q_MAX;
	a->other = calloc(1, sizeof(*a->other));
	if (!a->other || rows_grow(a, AGG_MIN_SLOTS / 2) || slots_rebuild(a, AGG_MIN_SLOTS) ||
	    queue_grow(a, Q_MIN)) {
		free(a->rows);
		free(a->bkt);
		free(a->other);
		free(a->slot);
		free(a->q);
		free(a->sorted);
		free(a->vals);
		free(a->logv);
		free(a);
		return NULL;
	}
	init_empty(a);
	mem_recount(a);
	return a;
}

static void drop_all(struct agg *a)
{
	for (size_t i = 0; i < a->nrows; i++) {
		row_drop(a, a->rows[i]);
		free(a->rows[i]);
	}
	row_drop(a, a->other);
	row_free_stats(&a->totals);
}

void agg_reset(struct agg *a)
{
	drop_all(a);
	init_empty(a);
	index_refill(a);
	mem_recount(a);
}

void agg_free(struct agg *a)
{
	if (!a)
		return;
	drop_all(a);
	free(a->other);
	free(a->rows);
	free(a->slot);
	free(a->dense);
	free(a->top);
	free(a->q);
	free(a->sorted);
	free(a->vals);
	free(a->logv);
	free(a->bkt);
	free(a);
}

void agg_set_queue_max(struct agg *a, uint32_t entries)
{
	uint32_t m = Q_MIN;

	if (!entries) {
		a->q_max = Q_MAX;
		return;
	}
	while (m <= entries / 2)
		m *= 2;
	a->q_max = m;
}

void agg_set_drop(struct agg *a, void (*drop)(struct agg_row *row, void *arg),
		  void *arg)
{
	a->drop = drop;
	a->drop_arg = arg;
}

/* ---- reading ---------------------------------------------------------- */

const struct agg_row *agg_totals(const struct agg *a)
{
	return &a->totals;
}

const struct agg_evicted *agg_evicted(const struct agg *a)
{
	return &a->ev;
}

const struct agg_stats *agg_stats(struct agg *a, const struct agg_row *r,
				  enum agg_view view)
{
	/* the row is the table's own: building last changes no key */
	struct agg_row *w = (struct agg_row *)r;

	if (view == AGG_VIEW_CUM)
		return &w->cum;
	last_fill(a, w);
	return &w->last;
}

size_t agg_nrows(const struct agg *a)
{
	return a->nrows;
}

size_t agg_mem(const struct agg *a)
{
	return a->mem;
}

uint64_t agg_interval(const struct agg *a)
{
	return a->interval;
}

double agg_sort_value(const struct agg_stats *st, enum agg_sort sort)
{
	const struct xhist *lat = &st->lat[AGG_LAT_TOTAL];
	const struct agg_counts *c = &st->c;

	switch (sort) {
	case AGG_SORT_SAMPLES:
		return (double)c->samples;
	case AGG_SORT_P50:
		return lat->n ? xhist_percentile(lat, 50) : -1;
	case AGG_SORT_P90:
		return lat->n ? xhist_percentile(lat, 90) : -1;
	case AGG_SORT_P99:
		return lat->n ? xhist_percentile(lat, 99) : -1;
	case AGG_SORT_MEAN:
		return lat->n ? xhist_mean(lat) : -1;
	case AGG_SORT_L1D_MISS:
		return (double)c->l1d_refill;
	case AGG_SORT_LLC_MISS:
		return (double)c->llc_miss;
	case AGG_SORT_TLB_MISS:
		return (double)c->tlb_walk;
	case AGG_SORT_REMOTE:
		return (double)c->remote;
	default:
		return -1;
	}
}

static int cmp_top(const void *x, const void *y)
{
	const struct top_ent *p = x, *q = y;
	bool po = p->r->flags & AGG_ROW_OTHER, qo = q->r->flags & AGG_ROW_OTHER;

	if (p->v != q->v)
		return p->v > q->v ? -1 : 1;
	if (p->samples != q->samples)
		return p->samples > q->samples ? -1 : 1;
	if (po != qo)
		return po ? 1 : -1;
	if (p->r->key.a != q->r->key.a)
		return p->r->key.a < q->r->key.a ? -1 : 1;
	if (p->r->key.b != q->r->key.b)
		return p->r->key.b < q->r->key.b ? -1 : 1;
	return 0;
}

/* Heap of the best entries seen, the worst of them at e[0]. */
static void worst_down(struct top_ent *e, size_t n, size_t i)
{
	for (;;) {
		size_t c = 2 * i + 1;
		struct top_ent t;

		if (c >= n)
			return;
		if (c + 1 < n && cmp_top(&e[c + 1], &e[c]) > 0)
			c++;
		if (cmp_top(&e[c], &e[i]) <= 0)
			return;
		t = e[i];
		e[i] = e[c];
		e[c] = t;
		i = c;
	}
}

/*
 * The best @max of e[0..n) into e[0..max), in order: the same as sorting
 * all n and keeping the head (cmp_top is a total order), but O(n log max),
 * which matters when a table of 30000 PCs feeds a screen of 20 rows.
 */
static size_t top_select(struct top_ent *e, size_t n, size_t max)
{
	if (max < n) {
		for (size_t i = max / 2; i-- > 0;)
			worst_down(e, max, i);
		for (size_t i = max; max && i < n; i++) {
			if (cmp_top(&e[i], &e[0]) < 0) {
				e[0] = e[i];
				worst_down(e, max, 0);
			}
		}
		n = max;
	}
	qsort(e, n, sizeof(e[0]), cmp_top);
	return n;
}

static void top_put(struct top_ent *e, const struct agg_row *r,
		    enum agg_sort sort, enum agg_view view)
{
	const struct agg_stats *st = view == AGG_VIEW_CUM ? &r->cum : &r->last;

	e->v = agg_sort_value(st, sort);
	e->samples = st->c.samples;
	e->r = r;
}

size_t agg_top(struct agg *a, enum agg_sort sort, enum agg_view view,
	       const struct agg_row **out, size_t max)
{
	size_t n = 0, need = a->nrows + 1;

	if (a->top_cap < need) {
		struct top_ent *t = malloc(need * sizeof(*t));

		if (!t)
			return 0;
		a->mem -= block_bytes(a->top);
		free(a->top);
		a->top = t;
		a->top_cap = need;
		a->mem += block_bytes(t);
	}
	for (size_t i = 0; i <= a->nrows; i++) {
		struct agg_row *r = row_at(a, i);
		const struct agg_stats *st = view == AGG_VIEW_CUM ? &r->cum : &r->last;

		if (!st->c.samples)
			continue;
		/* a latency sort needs every row's last histograms */
		if (view == AGG_VIEW_LAST && sort >= AGG_SORT_P50 && sort <= AGG_SORT_MEAN)
			last_fill(a, r);
		top_put(&a->top[n++], r, sort, view);
	}
	n = top_select(a->top, n, max);
	for (size_t i = 0; i < n; i++)
		out[i] = a->top[i].r;
	return n;
}

double agg_rate(const struct agg_counts *c, enum agg_sort which)
{
	uint64_t num, den;
	double r;

	switch (which) {
	case AGG_SORT_L1D_MISS:
		num = c->l1d_refill;
		den = c->l1d_access;
		break;
	case AGG_SORT_LLC_MISS:
		num = c->llc_miss;
		den = c->llc_access;
		break;
	case AGG_SORT_TLB_MISS:
		num = c->tlb_walk;
		den = c->tlb_access;
		break;
	case AGG_SORT_REMOTE:
		num = c->remote;
		den = c->mem_ops;
		break;
	default:
		return -1;
	}
	if (!den)
		return -1;
	/* Events can disagree (a refill without an access bit): cap at 1. */
	r = (double)num / (double)den;
	return r > 1 ? 1 : r;
}

static const char *const sort_names[AGG_SORT_NR] = {
	[AGG_SORT_SAMPLES]	= "samples",
	[AGG_SORT_P50]		= "p50",
	[AGG_SORT_P90]		= "p90",
	[AGG_SORT_P99]		= "p99",
	[AGG_SORT_MEAN]		= "mean",
	[AGG_SORT_L1D_MISS]	= "l1d-miss",
	[AGG_SORT_LLC_MISS]	= "llc-miss",
	[AGG_SORT_TLB_MISS]	= "tlb-miss",
	[AGG_SORT_REMOTE]	= "remote",
};

const char *agg_sort_name(enum agg_sort s)
{
	return (unsigned int)s < AGG_SORT_NR ? sort_names[s] : NULL;
}

static bool name_eq(const char *want, const char *s)
{
	for (; *want; want++, s++) {
		char c = (char)tolower((unsigned char)*s);

		if (c == '_')
			c = '-';
		if (c != *want)
			return false;
	}
	return !*s;
}

int agg_sort_parse(const char *s, enum agg_sort *out)
{
	if (!s)
		return -1;
	for (int i = 0; i < AGG_SORT_NR; i++) {
		if (name_eq(sort_names[i], s)) {
			*out = (enum agg_sort)i;
			return 0;
		}
	}
	return -1;
}
