/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The view model: what spetop shows, as plain data, built once per
 * interval from the aggregation table, the symboliser and the drop
 * counters.  The TUI (ncursesw), batch text and JSON Lines all render
 * this same model, so the tests of one hold for the others' numbers.
 */
#ifndef SPETOP_VIEW_H
#define SPETOP_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agg.h"

enum st_group { ST_G_SYMBOL, ST_G_PC, ST_G_DSO, ST_G_PID, ST_G_DSRC, ST_G_OP, ST_G_NR };

const char *st_group_name(enum st_group g);	/* "symbol", "pc", ... */
int st_group_parse(const char *s, enum st_group *g);

#define VIEW_LABEL	96
#define VIEW_HIST_BUCKETS 17	/* log2 buckets of 16-bit latencies: 0, 1, 2-3, ... 32768-65535 */

struct view_row {
	char label[VIEW_LABEL];		/* symbol, 0xPC, DSO, "pid comm", source, op */
	char where[VIEW_LABEL];		/* DSO (symbol, pc), family (dsrc), "" */
	uint64_t samples;
	double share;			/* of all samples in the view, 0..1 */
	uint16_t p50, p90, p99;		/* total latency, cycles */
	uint16_t iss50, xlat50;		/* issue and translation latency p50 */
	double mean;			/* total latency mean, -1 none */
	double l1d, llc, tlb, remote;	/* 0..1, -1 when not applicable */
	bool lat;			/* any sample had a total latency */
	bool other;			/* the overflow row */
	struct agg_counts c;		/* the raw counts behind the rates */
	const struct agg_row *row;
};

/* Header: where the data comes from, rates, drops */
struct view_drops {
	uint64_t truncated, collision, partial, lost, lost_samples, gaps;
	uint64_t bad_bytes, records_dropped;
	uint64_t evicted_rows, evicted_samples, overflow_samples;
};

/*
 * The BPF drop statistics (spedrops' programs, bpfline.c) over the view:
 * the last interval or, cumulative, since spetop loaded them.  Counters
 * are machine-wide for the CPUs watched, whoever drives SPE.  Only what
 * the mode observes is meaningful: the stock-kernel modes see no IRQs,
 * faults or truncation reasons (@driver false).
 */
#define VIEW_BPF_REASONS	6	/* spedrops' truncation reasons, by index */

struct view_bpf {
	bool valid;		/* loaded and read: the numbers below hold */
	bool driver;		/* driver tracepoints (tp_btf, raw_tp) */
	char mode[8];		/* "tp_btf", "raw_tp", "fentry", "kprobe" */
	double span_s;		/* time the deltas cover */
	unsigned int active_cpus;	/* CPUs with SPE activity since loading */
	uint64_t sessions, no_room, irqs, spurious_irqs, bytes;
	uint64_t aux_records, aux_truncated, aux_partial, aux_collision;
	uint64_t truncations;	/* all reasons */
	uint64_t trunc_reason[VIEW_BPF_REASONS];
	uint64_t collisions, faults, pad_bytes, blind_ns;
	double blind_pct;	/* of the active CPUs' time */
};

struct view_header {
	char source[256];	/* "live: arm_spe_0, CPUs 0-63" or "replay: FILE" */
	bool live, synthetic, paused, finished;
	double speed;		/* replay: x recorded speed, 0 fast */
	double t_s;		/* time covered since start (recorded time in replay) */
	double interval_s;
	uint64_t interval_no;
	uint64_t samples;	/* in the view (last interval or cumulative) */
	double samples_per_s, mb_per_s;
	unsigned int ncpus;
	uint64_t records_total;
	struct view_drops drops;	/* in the view */
	char bpf[200];		/* the BPF drop statistics line, or why there is none */
	struct view_bpf bpf_stats;	/* the numbers behind it (JSON) */
	double self_cpu_pct;	/* spetop's own CPU use over the interval */
	enum st_group group;
	enum agg_sort sort;
	bool cum;
	char filter[64];
	char note[200];		/* one-off message (e.g. "grouping changed: counts restart") */
};

struct view_hist {
	char label[VIEW_LABEL];
	uint64_t n;
	uint64_t bucket[VIEW_HIST_BUCKETS];
};

struct view_model {
	struct view_header h;
	struct view_row *rows;
	size_t nrows, cap;
	struct view_hist hist;	/* of the selected row */
	struct view_row total;	/* every sample in the view */
	struct agg *agg;	/* the table the rows are from (view_select) */
};

struct pipe;

/*
 * Fill @m from the pipe's table: rows sorted by @sort from the last
 * interval or cumulative (@cum), those whose label contains @filter (NULL
 * or "": all), at most @max (0: all).  The header's source/live/speed/
 * self_cpu/bpf fields are the caller's; this sets the rest.
 */
int view_build(struct view_model *m, struct pipe *p, enum agg_sort sort, bool cum,
	       const char *filter, size_t max);
/* Log2 histogram of row @i's total latency into m->hist (i out of range: cleared) */
void view_select(struct view_model *m, size_t i);
void view_free(struct view_model *m);
/* The bucket's range as text: "0", "1", "2-3", ..., "32768-65535" */
const char *view_bucket_label(unsigned int b, char buf[16]);

/* "12.3%", "-" for a rate of -1 */
const char *view_pct(double rate, char buf[16]);

#endif
