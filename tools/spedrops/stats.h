/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Snapshots of the maps and what is computed from them: per-CPU deltas
 * between two snapshots, rates, blind time and the estimate of samples
 * lost.  Pure: the map reading is read.c's.
 */
#ifndef SPEDROPS_STATS_H
#define SPEDROPS_STATS_H

#include <stdbool.h>
#include <linux/types.h>
#include <spekit/spedrops.h>

#include "cpulist.h"

struct sd_cpu_snap {
	struct spe_cpu_stats s;
	struct spe_log2_hist h[SPE_HIST_NR];
};

/* spe_faults: one (cpu, ec, fsc) count */
struct sd_fault_cnt {
	__u32 cpu, ec, fsc;
	__u64 count;
};

struct sd_snap {
	__u64 t_ns;			/* CLOCK_MONOTONIC when read */
	unsigned int ncpus;		/* possible CPUs: cpu[] entries */
	struct sd_cpu_snap *cpu;
	struct sd_fault_cnt *faults;
	unsigned int nfaults, cap_faults;
};

/* A snapshot for @ncpus CPUs, zeroed; NULL without memory */
struct sd_snap *sd_snap_new(unsigned int ncpus);
void sd_snap_free(struct sd_snap *s);
/* @dst = @src (same ncpus); -1 without memory */
int sd_snap_copy(struct sd_snap *dst, const struct sd_snap *src);
/* Add a fault count (grows the array); -1 without memory */
int sd_snap_add_fault(struct sd_snap *s, __u32 cpu, __u32 ec, __u32 fsc, __u64 count);

/* Time blind up to @t: blind_ns plus the blindness still running */
__u64 sd_blind_at(const struct spe_cpu_stats *s, __u64 t);

/*
 * @d = @b - @a per counter (0 where a counter went backwards: maps reset
 * under us); d->blind_ns is the blind time within [ta, tb]; the state
 * members (blind_since_ns, last_irq_ns) are 0.
 */
void sd_stats_delta(const struct spe_cpu_stats *a, __u64 ta,
		    const struct spe_cpu_stats *b, __u64 tb, struct spe_cpu_stats *d);
void sd_stats_add(struct spe_cpu_stats *acc, const struct spe_cpu_stats *d);
void sd_hist_delta(const struct spe_log2_hist *a, const struct spe_log2_hist *b,
		   struct spe_log2_hist *d);
void sd_hist_add(struct spe_log2_hist *acc, const struct spe_log2_hist *d);
__u64 sd_hist_count(const struct spe_log2_hist *h);
/* The slot holding the median (lowest slot with half the count at or
 * below it); -1 when empty */
int sd_hist_median_slot(const struct spe_log2_hist *h);
/* Highest non-empty slot; -1 when empty */
int sd_hist_max_slot(const struct spe_log2_hist *h);
/* Slot @i covers [lo, hi] (slot 0: 0..1) */
__u64 sd_slot_lo(int i);
__u64 sd_slot_hi(int i);

__u64 sd_trunc_total(const struct spe_cpu_stats *d);
/* Anything happened (in a delta) */
bool sd_stats_active(const struct spe_cpu_stats *d);

struct sd_metrics {
	double sessions_per_s, mb_per_s, irqs_per_s;
	__u64 truncations;	/* all reasons */
	double blind_pct;	/* of the interval (total: of active CPUs' time) */
	double est_lost;	/* samples lost while blind: an estimate */
	bool est_known;		/* false: blind, but no data rate known yet */
	double rate_bps;	/* bytes/s while not blind: the estimate's rate */
};

/*
 * One CPU's metrics over an interval: @d the delta over @dt_ns, @cum the
 * delta since spedrops started over @cum_dt_ns (the fallback rate when the
 * interval had too little time with SPE running to measure one).
 * Estimated samples lost = blind time x rate / @record_size.
 */
void sd_metrics(const struct spe_cpu_stats *d, __u64 dt_ns,
		const struct spe_cpu_stats *cum, __u64 cum_dt_ns,
		unsigned int record_size, struct sd_metrics *m);

struct sd_row {
	int cpu;			/* -1: the total */
	struct spe_cpu_stats d;		/* delta over the interval */
	struct sd_metrics m;
};

/*
 * The rows for the interval @prev -> @cur (for the summary, @prev is
 * @start): the CPUs of @only if given, else the CPUs with activity in the
 * interval; @total sums the CPUs of @only (all if NULL), its blind_pct
 * over the CPUs active since @start.  @rows has room for cur->ncpus.
 * Returns the row count.
 */
unsigned int sd_build_rows(const struct sd_snap *start, const struct sd_snap *prev,
			   const struct sd_snap *cur, const struct sd_cpuset *only,
			   unsigned int record_size, struct sd_row *rows,
			   struct sd_row *total, unsigned int *active_cpus);

/* Histograms summed over @only's CPUs (all if NULL), @cur - @start */
void sd_hists_total(const struct sd_snap *start, const struct sd_snap *cur,
		    const struct sd_cpuset *only, struct spe_log2_hist out[SPE_HIST_NR]);

/*
 * Faults since @start (@cur - @start per (cpu, ec, fsc)), for @only's CPUs,
 * into @out (room for cur->nfaults); returns the count.  With @by_cpu
 * false, CPUs are merged (cpu = -1U).
 */
unsigned int sd_faults_since(const struct sd_snap *start, const struct sd_snap *cur,
			     const struct sd_cpuset *only, bool by_cpu,
			     struct sd_fault_cnt *out);

#endif
