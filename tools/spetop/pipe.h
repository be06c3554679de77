/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The pipeline every source feeds: SPE bytes per AUX queue -> one libspe
 * decoder per queue -> the current grouping's key (symbolised when the
 * grouping needs it) -> the aggregation table.  Drops reported by the
 * source (PERF_RECORD_AUX flags, LOST) and found by the decoder (damaged
 * bytes, dropped records) are counted here too, per interval and in total,
 * so live capture and replay show the same panel.
 */
#ifndef SPETOP_PIPE_H
#define SPETOP_PIPE_H

#include <stdbool.h>
#include <stdint.h>

#include "agg.h"
#include "spe.h"
#include "sym.h"
#include "view.h"

#define PIPE_MAX_QUEUES	1024

/* Drops, in one interval or since start */
struct pipe_drops {
	uint64_t aux_records;	/* PERF_RECORD_AUX seen */
	uint64_t truncated;	/* ... with TRUNCATED: the AUX buffer was full */
	uint64_t collision;	/* ... with COLLISION */
	uint64_t partial;	/* ... with PARTIAL */
	uint64_t lost;		/* PERF_RECORD_LOST: side-band records lost */
	uint64_t lost_samples;	/* PERF_RECORD_LOST_SAMPLES */
	uint64_t gaps;		/* AUX streams that broke (data missing) */
	uint64_t bad_bytes;	/* decoder: bytes that could not be framed */
	uint64_t records_dropped;	/* decoder: records discarded for damage */
};

struct pipe_queue {
	struct spe_decoder dec;
	enum spe_dsrc_family fam;
	uint32_t remote_mask;	/* spe_dsrc_remote_mask(fam) */
	int cpu;		/* -1: unknown (per-thread recording) */
	bool used;
};

/*
 * Under -g symbol, decoded records wait in a batch for their symbols,
 * looked up together (sym_resolve_many()), then counted together
 * (agg_add_many()); a batch never spans an interval's end.  Other
 * groupings count each record at once: a batch only cost them time.
 */
#define PIPE_BATCH	32

struct pipe {
	struct agg *agg;
	struct sym_ctx *sym;	/* NULL: no symbolisation (label by address) */
	enum st_group group;
	enum spe_dsrc_family default_fam;
	struct pipe_queue *q[PIPE_MAX_QUEUES];
	/* per interval (cur) and since start (cum) */
	struct pipe_drops drops_cur, drops_last, drops_cum;
	uint64_t bytes_cur, bytes_last, bytes_cum;
	uint64_t records_cum;
	/*
	 * Replay's clock: before a record with a timestamp at or past
	 * ts_next is counted, boundary() runs (it ends the interval, paces,
	 * renders, and moves ts_next on).  UINT64_MAX: off (live capture
	 * ends intervals by the wall clock).
	 */
	uint64_t ts_next;
	void (*boundary)(void *ctx, const struct spe_record *r);
	void *boundary_ctx;
	uint64_t ts_first, ts_last;	/* seen so far, 0: none */
	/* the batch */
	uint32_t nitem, nreq;
	struct agg_item item[PIPE_BATCH];
	struct sym_req req[PIPE_BATCH];	/* keys to look up */
	uint8_t req_item[PIPE_BATCH];	/* ... for item[req_item[i]] */
};

int pipe_init(struct pipe *p, enum st_group group, struct sym_ctx *sym,
	      size_t max_rows, size_t max_bytes);
void pipe_free(struct pipe *p);
/* The queue's CPU and data-source meaning (from perf.data metadata) */
void pipe_set_queue(struct pipe *p, unsigned int idx, int cpu, enum spe_dsrc_family fam);
/* SPE bytes of queue @idx, next in its stream; -1 for an idx out of range */
int pipe_aux(struct pipe *p, unsigned int idx, const uint8_t *buf, size_t len);
/* The queue's stream broke (bytes lost before what comes next) */
void pipe_aux_gap(struct pipe *p, unsigned int idx);
void pipe_aux_flags(struct pipe *p, uint64_t flags);
void pipe_lost(struct pipe *p, uint64_t lost);
void pipe_lost_samples(struct pipe *p, uint64_t lost);
/* End of input: trailing records of every queue */
void pipe_finish(struct pipe *p);
/* Close the interval: agg_end_interval and the drop counters */
void pipe_end_interval(struct pipe *p);
/* Change grouping: the table starts again (drop counters are kept) */
void pipe_set_group(struct pipe *p, enum st_group group);

#endif
