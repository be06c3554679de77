/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Advice from what spedrops saw: a pure function of the run's totals, so
 * each rule is tested with synthetic numbers.  Every line states the
 * numbers that triggered it, then what to do.
 */
#ifndef SPEDROPS_ADVICE_H
#define SPEDROPS_ADVICE_H

#include <stdbool.h>
#include <linux/types.h>
#include <spekit/spedrops.h>

#include "stats.h"

/* AUX-full truncations at or above this many MB/s per CPU (while SPE ran)
 * mean the buffer is too small for the rate; below, that the reader is
 * not draining it */
#define SD_ADV_HIGH_RATE_MBPS	4.0
/* IRQ gaps whose median lies in a slot at or below this (< 2^20 ns, about
 * 1 ms) are frequent interrupts, once there are this many */
#define SD_ADV_IRQ_GAP_SLOT	19
#define SD_ADV_IRQ_MIN		20

struct sd_advice_in {
	bool driver;			/* the driver's tracepoints (reasons known) */
	double dt_s;			/* seconds observed */
	struct spe_cpu_stats tot;	/* since start, over the selected CPUs */
	unsigned int active_cpus;	/* CPUs with any SPE activity */
	double blind_pct;		/* of the active CPUs' time */
	double rate_mbps;		/* MB/s per active CPU while SPE ran */
	double est_lost;		/* samples (estimate) */
	bool est_known;
	struct spe_log2_hist irq_gap;	/* SPE_HIST_IRQ_GAP_NS, summed */
	const struct sd_fault_cnt *faults;	/* merged over CPUs */
	unsigned int nfaults;
};

struct sd_advice {
	char id[24];		/* aux_buffer, drain, data_lost, irq_rate,
				 * collisions, faults, stock_reasons, idle,
				 * blind, truncations, ok */
	char text[640];
};

#define SD_ADVICE_MAX	12

/* Fill @out (room for SD_ADVICE_MAX); returns how many */
unsigned int sd_advise(const struct sd_advice_in *in, struct sd_advice *out);

#endif
