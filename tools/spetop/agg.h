/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * agg: spetop's aggregation table.  One table per grouping; the caller
 * turns each sample into a 128-bit key (symbol, PC, DSO, pid, data
 * source, ...) and an agg_sample, and agg keeps, per key, the counts and
 * exact latency histograms of three windows:
 *
 *   cur   the interval being accumulated: agg_add() queues samples,
 *         and none of them is visible before agg_end_interval()
 *   last  the last finished interval
 *   cum   everything since agg_new()/agg_reset(), up to the last
 *         agg_end_interval()
 *
 * Read a row's windows through agg_stats(): last's latency histograms
 * are built from the interval's kept values when first asked for (see
 * agg.c), so r->last.lat read directly may be stale.  The counts
 * (r->last.c, r->cum.c) and all of cum may be read directly.
 *
 * Bounded: at max_rows rows (or max_bytes of memory) new keys go to one
 * overflow row, and agg_end_interval() evicts the coldest rows when the
 * table is over 90% of either bound, tallying what they held, so that
 * after every agg_end_interval():
 *
 *   sum(rows cum.samples) + other.cum.samples + evicted.samples
 *	== totals.cum.samples
 *
 * Pointers to rows stay valid until the next agg_end_interval() (which
 * may evict), agg_reset() or agg_free().  Not thread-safe.
 */
#ifndef SPETOP_AGG_H
#define SPETOP_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spe.h"
#include "xhist.h"

enum agg_lat { AGG_LAT_TOTAL, AGG_LAT_ISSUE, AGG_LAT_XLAT, AGG_LAT_NR };

struct agg_counts {
	uint64_t samples;
	uint64_t mem_ops;		/* op class LOAD or STORE */
	uint64_t l1d_access, l1d_refill;	/* SPE events E2, E3 */
	uint64_t tlb_access, tlb_walk;		/* E4, E5 */
	uint64_t llc_access, llc_miss;		/* E8, E9 */
	uint64_t remote;		/* E10, or a data source the caller
					 * called remote */
	uint64_t lat_missing[AGG_LAT_NR];	/* samples without that
						 * latency counter */
};

struct agg_stats {
	struct agg_counts c;
	struct xhist lat[AGG_LAT_NR];
};

enum agg_view { AGG_VIEW_LAST, AGG_VIEW_CUM };

struct agg_key {
	uint64_t a, b;
};

#define AGG_ROW_OTHER	(1u << 0)	/* the overflow row */
#define AGG_ROW_TOTALS	(1u << 1)	/* agg_totals() */

struct agg_row {
	struct agg_key key;	/* {0, 0} for the overflow row and totals */
	struct agg_stats cur;	/* agg's: samples counted at once (few
				 * rows) or spilled from a full queue */
	struct agg_stats last;	/* the last finished interval */
	struct agg_stats cum;	/* since start (or agg_reset) */
	uint64_t last_seen;	/* interval number of the last sample */
	uint32_t flags;		/* AGG_ROW_* */
	/* agg's: while last_log is set, last.lat is stale and the row's
	 * values of the last interval are in agg's log, latency k's at
	 * log_off[k], log_n[k] of them */
	bool last_log;
	uint32_t log_off[AGG_LAT_NR], log_n[AGG_LAT_NR];
	void *user;		/* the caller's, untouched by agg (see
				 * agg_set_drop() to free it) */
};

/* What agg needs of one sample. */
struct agg_sample {
	uint64_t events;		/* Events payload, bit n = En */
	uint16_t lat[AGG_LAT_NR];
	uint8_t has_lat;		/* bit (1 << AGG_LAT_*) per counter */
	uint8_t op_class;		/* enum spe_op_class */
	bool remote;			/* data source says remote */
};

/*
 * A sample as the table keeps it, with its key: agg_add_many()'s input.
 * bits holds which latencies are present (bit k for lat[k], as
 * agg_sample.has_lat) and one bit per counter, AGG_B_*; the counters
 * E2..E5 and E8, E9 keep their order, so the Events payload moves in
 * with two shifts.
 */
enum {
	AGG_B_MEM_OP = 3,	/* op class LOAD or STORE */
	AGG_B_L1D_ACCESS,	/* E2 */
	AGG_B_L1D_REFILL,	/* E3 */
	AGG_B_TLB_ACCESS,	/* E4 */
	AGG_B_TLB_WALK,		/* E5 */
	AGG_B_LLC_ACCESS,	/* E8 */
	AGG_B_LLC_MISS,		/* E9 */
	AGG_B_REMOTE,		/* E10, or a data source the caller calls
				 * remote */
};

struct agg_item {
	uint64_t ka, kb;		/* the key */
	uint16_t lat[AGG_LAT_NR];	/* any value where absent */
	uint16_t bits;			/* see above */
};

/* An item's bits from a sample's fields (has_lat as agg_sample's) */
static inline uint16_t agg_bits(unsigned int has_lat, uint64_t events, unsigned int op_class,
				bool remote)
{
	_Static_assert(SPE_EV_L1D_REFILL == SPE_EV_L1D_ACCESS + 1 &&
		       SPE_EV_TLB_ACCESS == SPE_EV_L1D_ACCESS + 2 &&
		       SPE_EV_TLB_WALK == SPE_EV_L1D_ACCESS + 3 &&
		       SPE_EV_LLC_MISS == SPE_EV_LLC_ACCESS + 1, "event bit order");
	return (uint16_t)((has_lat & 7) |
			  (op_class == SPE_OPC_LOAD || op_class == SPE_OPC_STORE) << AGG_B_MEM_OP |
			  (events >> SPE_EV_L1D_ACCESS & 15) << AGG_B_L1D_ACCESS |
			  (events >> SPE_EV_LLC_ACCESS & 3) << AGG_B_LLC_ACCESS |
			  ((events >> SPE_EV_REMOTE_ACCESS & 1) | remote) << AGG_B_REMOTE);
}

/*
 * @it's sample from a decoded record (the key is the caller's);
 * @dsrc_remote is the caller's reading of the data source
 * (spe_dsrc_is_remote() for the CPU's family).  Straight-line: a branch
 * per counter would mispredict as op types mix.
 */
static inline void agg_item_from_record(struct agg_item *it, const struct spe_record *r,
					bool dsrc_remote)
{
	uint32_t has = r->has;

	_Static_assert(SPE_HAS_LAT_ISSUE == SPE_HAS_LAT_TOTAL << AGG_LAT_ISSUE &&
		       SPE_HAS_LAT_XLAT == SPE_HAS_LAT_TOTAL << AGG_LAT_XLAT,
		       "latency presence bits in AGG_LAT_* order");
	/* an absent latency's value is never read (bits say absent) */
	it->lat[AGG_LAT_TOTAL] = r->lat_total;
	it->lat[AGG_LAT_ISSUE] = r->lat_issue;
	it->lat[AGG_LAT_XLAT] = r->lat_xlat;
	it->bits = agg_bits(has / SPE_HAS_LAT_TOTAL, r->events & -(uint64_t)!!(has & SPE_HAS_EVENTS),
			    r->op_class, dsrc_remote);
}

#define AGG_DEFAULT_MAX_ROWS	32768
#define AGG_DEFAULT_MAX_BYTES	(256u << 20)

/* Bounds: 0 picks AGG_DEFAULT_*.  NULL when out of memory. */
struct agg *agg_new(size_t max_rows, size_t max_bytes);
void agg_free(struct agg *a);

/*
 * Called for each keyed row (and the overflow row) just before agg
 * forgets it: eviction, agg_reset(), agg_free().  For the caller's
 * row->user.
 */
void agg_set_drop(struct agg *a, void (*drop)(struct agg_row *row, void *arg),
		  void *arg);

/*
 * Count one sample for @key into its row's cur (creating the row; the
 * sample itself may wait in the queue, see cur above), and return the
 * row.  A new key when the table is full (max_rows rows, or max_bytes of
 * memory), or when the row cannot be allocated, goes to the overflow row
 * (AGG_ROW_OTHER).  Never NULL.
 */
struct agg_row *agg_add(struct agg *a, struct agg_key key, const struct agg_sample *s);
/* agg_add() for a batch of samples in the kept form, keys included:
 * the hot path (no row returned: loading it would be a cache miss per
 * sample, and no call per sample). */
void agg_add_many(struct agg *a, const struct agg_item *it, size_t n);

/* The row for @key, NULL when it has none (never the overflow row). */
struct agg_row *agg_find(struct agg *a, struct agg_key key);

/*
 * A row's window: &r->cum, or &r->last with its latency histograms built
 * first when they are not yet (hence the table).  Valid until the next
 * agg_end_interval(), agg_reset() or agg_free().
 */
const struct agg_stats *agg_stats(struct agg *a, const struct agg_row *r,
				  enum agg_view view);

/*
 * Close the interval: for every row cum += cur, last = cur, cur cleared;
 * the totals likewise; then evict the coldest rows (oldest last_seen,
 * then fewest cum samples, then key) while over 90% of a bound, down to
 * 75%.  Their cum samples go to the evicted tally.
 */
void agg_end_interval(struct agg *a);

/*
 * The most samples the queue may hold (a power of two from 1024 down to
 * @entries; 0: the default).  An interval that outgrows the queue is
 * counted the slower way, interval histograms filled as it goes and
 * merged at its end, instead of from its kept values: same results.  For
 * tests and tuning.
 */
void agg_set_queue_max(struct agg *a, uint32_t entries);

/* Forget all rows, totals and tallies (the grouping changed); the bounds
 * and the drop callback stay. */
void agg_reset(struct agg *a);

/*
 * All samples.  The totals are folded from the rows at agg_end_interval()
 * (so agg_add pays for one row, not two): totals->last and ->cum are
 * exact after each interval; totals->cur is always empty.
 */
const struct agg_row *agg_totals(const struct agg *a);

struct agg_evicted {
	uint64_t rows;			/* rows evicted */
	uint64_t samples;		/* their cum samples */
	uint64_t overflow_samples;	/* samples sent to the overflow row */
	uint64_t lat_nomem;		/* latency values not counted for lack
					 * of memory (the samples are) */
};
const struct agg_evicted *agg_evicted(const struct agg *a);

/* Keyed rows (the overflow row not included). */
size_t agg_nrows(const struct agg *a);
/* Heap bytes held (rows, histograms, hash table, scratch). */
size_t agg_mem(const struct agg *a);
/* Finished intervals. */
uint64_t agg_interval(const struct agg *a);

enum agg_sort {
	AGG_SORT_SAMPLES,
	AGG_SORT_P50, AGG_SORT_P90, AGG_SORT_P99,	/* total latency */
	AGG_SORT_MEAN,					/* total latency */
	AGG_SORT_L1D_MISS,	/* l1d_refill count */
	AGG_SORT_LLC_MISS,	/* llc_miss count */
	AGG_SORT_TLB_MISS,	/* tlb_walk count */
	AGG_SORT_REMOTE,	/* remote count */
	AGG_SORT_NR
};

/*
 * Up to @max rows with samples in @view, best first: descending by the
 * sort key, ties by more samples, then ascending key (the overflow row
 * after keyed rows), so the order is deterministic.  Miss sorts rank by
 * count (who causes the misses), not by rate, which a one-sample row
 * would top; rows without any total latency sort last for the latency
 * sorts.  The overflow row takes part like any row.  Returns the count.
 */
size_t agg_top(struct agg *a, enum agg_sort sort, enum agg_view view,
	       const struct agg_row **out, size_t max);

/* The sort key's value for one row (what agg_top ranks by); -1 for a
 * latency key with no latency samples. */
double agg_sort_value(const struct agg_stats *st, enum agg_sort sort);

/*
 * Miss rates as 0..1: L1D refill/access, LLC miss/access, TLB walk/access,
 * remote/mem_ops (clamped to 1).  -1 when the denominator is 0 or @which
 * has no rate.
 */
double agg_rate(const struct agg_counts *c, enum agg_sort which);

/* "samples", "p50", "p90", "p99", "mean", "l1d-miss", "llc-miss",
 * "tlb-miss", "remote"; NULL out of range. */
const char *agg_sort_name(enum agg_sort s);
/* The names above, case-insensitive, '_' for '-' accepted.  0 or -1. */
int agg_sort_parse(const char *s, enum agg_sort *out);

#endif /* SPETOP_AGG_H */
