/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One spetop run: the pipeline, the view and how it is shown, shared by
 * the replay clock (run_replay.c) and live capture (run_live.c).
 */
#ifndef SPETOP_RUN_H
#define SPETOP_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "opts.h"
#include "pipe.h"
#include "ui.h"
#include "view.h"

struct sym_ctx;

struct run {
	struct st_opts *o;
	struct pipe pipe;
	struct sym_ctx *sym;
	struct view_model m;
	struct ui_state ui;
	enum st_out out;	/* TUI only on a terminal */
	FILE *f;		/* batch/JSON output */
	long intervals;		/* shown so far */
	double last_draw;	/* monotonic s of the last TUI draw */
	double cpu_prev, wall_prev;	/* for spetop's own CPU share */
	char source[256];
	bool live, synthetic;
	bool tty_note;		/* -b chosen for want of a terminal: say so */
};

extern volatile sig_atomic_t st_stop;	/* SIGINT/SIGTERM seen */

double st_now(void);		/* CLOCK_MONOTONIC, seconds */
/* spetop's CPU use since the last call, in % of one core */
double st_self_cpu(struct run *r);
/*
 * An interval ended (pipe_end_interval already done): build the model
 * and show it.  @t_s and @interval_s: time covered.
 */
void st_show_interval(struct run *r, double t_s, double interval_s, double mb, bool finished);
/* The TUI's first screen, before the first interval ends */
void st_show_start(struct run *r);
/* Rebuild and redraw after a key (TUI) */
void st_redraw(struct run *r, bool rebuild);
/*
 * Let the person at the terminal act until @deadline (monotonic s; 0:
 * just look), staying there while paused.  Returns the seconds spent
 * paused.  Batch/JSON: sleeps until the deadline.
 */
double st_wait(struct run *r, double deadline);
/* Apply the keys waiting at the terminal, without blocking (live capture) */
void st_keys(struct run *r);
/* The end: final output (JSON summary, batch cumulative table); TUI waits for q */
void st_finish(struct run *r);

int run_replay(struct run *r, char *err, size_t errlen);
int run_live(struct run *r, char *err, size_t errlen);

#endif
