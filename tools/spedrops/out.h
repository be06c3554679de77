/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Output: the per-interval table, the event log and the final summary, as
 * text (out_text.c) or JSON Lines (out_json.c).  Both print a struct
 * sd_report and nothing else, so tests feed them synthetic reports.
 */
#ifndef SPEDROPS_OUT_H
#define SPEDROPS_OUT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include <spekit/spedrops.h>

#include "advice.h"
#include "stats.h"

struct sd_report {
	bool final;			/* the summary */
	double t_s;			/* seconds since spedrops started */
	double dt_s;			/* the interval (summary: the run) */
	const char *mode;		/* "raw_tp", ... */
	const char *why;		/* why that mode (one line) */
	bool load_only;
	const char *pin_dir;		/* maps pinned there, or NULL */
	unsigned int record_size;
	const char *const *programs;	/* loaded program names */
	unsigned int nprogs;
	const struct sd_row *rows;	/* CPUs shown */
	unsigned int nrows;
	const struct sd_row *total;
	unsigned int active_cpus;	/* CPUs with activity since start */
	/* JSON: this interval's ring events (text prints them as they come) */
	const struct spe_drop_event *events;
	unsigned int nevents;
	__u64 events_more;		/* received but not shown (cap) */
	__u64 t0_ns;			/* start, for event times */
	/* summary only */
	__u64 events_total;		/* ring events received in the run */
	const struct spe_log2_hist *hists;	/* [SPE_HIST_NR], or NULL */
	const struct sd_fault_cnt *faults;	/* per CPU */
	unsigned int nfaults;
	const struct sd_advice *advice;
	unsigned int nadvice;
};

/* Event lines per interval before the rest are only counted */
#define SD_EVENTS_SHOWN		20

/* Text */
/* The line saying which programs run and why */
void sd_text_start(FILE *f, const char *why, bool load_only, const char *pin_dir);
void sd_text_event(FILE *f, const struct spe_drop_event *e, __u64 t0_ns);
void sd_text_interval(FILE *f, const struct sd_report *r);
void sd_text_summary(FILE *f, const struct sd_report *r);

/* JSON Lines: one object for an interval or the summary */
void sd_json_report(FILE *f, const struct sd_report *r);

#endif
