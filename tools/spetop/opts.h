/* SPDX-License-Identifier: GPL-2.0-only */
/* spetop's command line (no side effects: errors come back as text) */
#ifndef SPETOP_OPTS_H
#define SPETOP_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "view.h"

#define ST_EXIT_OK	0
#define ST_EXIT_RUNTIME	1	/* input unreadable, capture failed */
#define ST_EXIT_USAGE	2
#define ST_EXIT_ENV	3	/* no SPE PMU, no permission */

enum st_out { ST_OUT_TUI, ST_OUT_BATCH, ST_OUT_JSON };

struct st_opts {
	/* what to read */
	const char *replay;	/* --replay FILE: perf.data or raw AUX bytes */
	double speed;		/* --speed X (1: recorded speed); 0: --fast */
	uint64_t midr;		/* --midr, 0: from the file */
	double timer_hz;	/* --timer-hz: SPE timestamp rate, 0: from the file or 1 GHz */
	/* live capture */
	const char *cpus;	/* -C LIST, valid for sd_cpulist_parse() */
	int pid;		/* -p PID, -1: every CPU */
	uint64_t period;	/* -c N: operations between samples, 0: caps/min_interval */
	bool loads, stores, branches;	/* filters; none given: all */
	unsigned int min_latency;	/* --min-latency N cycles */
	bool pa, jitter, user_only, kernel_only;
	unsigned int aux_pages;	/* --aux-pages N (power of two) */
	bool no_bpf;		/* --no-bpf: no drop statistics from BPF */
	/* view */
	enum st_group group;	/* -g */
	enum agg_sort sort;	/* -s */
	bool cum;		/* --cum: cumulative instead of the last interval */
	double delay_s;		/* -d: seconds per interval (recorded time in replay) */
	long iterations;	/* -n: stop after N intervals, 0: no limit */
	unsigned int rows;	/* --rows: table rows in batch/JSON (0: all) */
	const char *filter;	/* --filter TEXT: rows whose label contains TEXT */
	enum st_out out;
	bool help, version;
};

extern const char st_usage[];

/* 0, or -1 with one phrase in @err (the caller adds the usage hint) */
int st_opts_parse(int argc, char **argv, struct st_opts *o, char *err, size_t errlen);

#endif
