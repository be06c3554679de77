// SPDX-License-Identifier: GPL-2.0-only
/*
 * spetop: top for Arm SPE.  The sequence: options, source (live capture
 * or replay), symboliser, pipeline; then per interval a view model shown
 * by the TUI, as batch text or as JSON Lines.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "out.h"
#include "run.h"
#include "sym.h"
#include "tui.h"

volatile sig_atomic_t st_stop;

static void on_signal(int sig)
{
	(void)sig;
	st_stop = 1;
}

double st_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

double st_self_cpu(struct run *r)
{
	double cpu = cpu_seconds(), wall = st_now(), pct = 0;

	if (r->wall_prev && wall > r->wall_prev)
		pct = 100.0 * (cpu - r->cpu_prev) / (wall - r->wall_prev);
	r->cpu_prev = cpu;
	r->wall_prev = wall;
	return pct;
}

static void build(struct run *r)
{
	size_t max = r->out == ST_OUT_TUI ? 0 : r->o->rows;

	view_build(&r->m, &r->pipe, r->ui.sort, r->ui.cum, r->ui.filter, max);
	if (r->out == ST_OUT_TUI) {
		ui_clamp(&r->ui, r->m.nrows, tui_page());
		view_select(&r->m, r->ui.sel);
	}
}

void st_redraw(struct run *r, bool rebuild)
{
	if (r->out != ST_OUT_TUI)
		return;
	if (rebuild)
		build(r);
	else
		view_select(&r->m, r->ui.sel);
	tui_draw(&r->m, &r->ui);
	r->last_draw = st_now();
}

static void header_source(struct run *r)
{
	struct view_header *h = &r->m.h;

	snprintf(h->source, sizeof(h->source), "%s", r->source);
	h->live = r->live;
	h->synthetic = r->synthetic;
	h->speed = r->o->speed;
}

void st_show_start(struct run *r)
{
	if (r->out != ST_OUT_TUI)
		return;
	build(r);
	header_source(r);
	snprintf(r->m.h.note, sizeof(r->m.h.note), "the first interval (%g s%s) is under way",
		 r->o->delay_s, r->live ? "" : " of recorded time");
	tui_draw(&r->m, &r->ui);
	r->m.h.note[0] = '\0';
}

void st_show_interval(struct run *r, double t_s, double interval_s, double mb, bool finished)
{
	struct view_header *h = &r->m.h;

	build(r);
	header_source(r);
	h->t_s = t_s;
	h->interval_s = interval_s;
	h->finished = finished;
	h->paused = r->ui.paused;
	h->samples_per_s = r->ui.cum ? (t_s > 0 ? (double)h->samples / t_s : 0)
				     : (interval_s > 0 ? (double)h->samples / interval_s : 0);
	h->mb_per_s = interval_s > 0 ? mb / interval_s : 0;
	h->self_cpu_pct = st_self_cpu(r);
	r->intervals++;
	if (r->tty_note) {
		/* said once the source works, so a failure stays one line */
		fprintf(stderr, "spetop: not a terminal: plain text per interval (-b); --json for JSON Lines\n");
		r->tty_note = false;
	}
	switch (r->out) {
	case ST_OUT_BATCH:
		out_batch(r->f, &r->m);
		break;
	case ST_OUT_JSON:
		out_json(r->f, &r->m, "interval");
		break;
	case ST_OUT_TUI:
		/* paused: the screen holds still (live keeps counting) */
		if (r->ui.paused && !finished)
			break;
		/* at full speed, draw at most 20 times a second */
		if (finished || r->o->speed > 0 || r->live || st_now() - r->last_draw >= 0.05) {
			tui_draw(&r->m, &r->ui);
			r->last_draw = st_now();
		}
		break;
	}
	h->note[0] = '\0';
}

static void apply_key(struct run *r, int key)
{
	unsigned int what = ui_key(&r->ui, key, r->m.nrows, tui_page());

	if (what & UI_REGROUP) {
		pipe_set_group(&r->pipe, r->ui.group);
		snprintf(r->m.h.note, sizeof(r->m.h.note),
			 "grouping %s: counts start again from the next interval", st_group_name(r->ui.group));
	}
	if (what & UI_PAUSE)
		r->m.h.paused = r->ui.paused;
	if (what)
		st_redraw(r, what & UI_REBUILD);
}

double st_wait(struct run *r, double deadline)
{
	double paused = 0;

	if (r->out != ST_OUT_TUI) {
		double left = deadline - st_now();

		if (left > 0 && !st_stop) {
			struct timespec ts = { (time_t)left, (long)((left - (double)(time_t)left) * 1e9) };

			nanosleep(&ts, NULL);
		}
		return 0;
	}
	for (;;) {
		double now = st_now(), t0;
		int key, ms;

		if (st_stop)
			r->ui.quit = true;
		if (r->ui.quit)
			return paused;
		if (r->ui.paused) {
			t0 = now;
			key = tui_getkey(200);
			paused += st_now() - t0;
			deadline += st_now() - t0;
			if (key != UI_KEY_NONE)
				apply_key(r, key);
			continue;
		}
		if (now >= deadline) {
			/* still look at the keyboard between intervals */
			key = tui_getkey(0);
			if (key == UI_KEY_NONE)
				return paused;
			apply_key(r, key);
			continue;
		}
		ms = (int)((deadline - now) * 1000) + 1;
		key = tui_getkey(ms > 200 ? 200 : ms);
		if (key != UI_KEY_NONE)
			apply_key(r, key);
	}
}

void st_keys(struct run *r)
{
	int key;

	if (r->out != ST_OUT_TUI)
		return;
	while ((key = tui_getkey(0)) != UI_KEY_NONE)
		apply_key(r, key);
	if (st_stop)
		r->ui.quit = true;
}

void st_finish(struct run *r)
{
	/* the summary's rate is over the whole run */
	if (r->m.h.t_s > 0)
		r->m.h.mb_per_s = (double)r->pipe.bytes_cum / 1e6 / r->m.h.t_s;
	if (r->out == ST_OUT_JSON) {
		r->ui.cum = true;
		build(r);
		out_json(r->f, &r->m, "summary");
	} else if (r->out == ST_OUT_BATCH) {
		r->ui.cum = true;
		build(r);
		snprintf(r->m.h.note, sizeof(r->m.h.note), "summary: cumulative over %.2fs", r->m.h.t_s);
		out_batch(r->f, &r->m);
	} else {
		snprintf(r->m.h.note, sizeof(r->m.h.note), "end of input: q quits");
		st_redraw(r, false);
		while (!r->ui.quit && !st_stop) {
			int key = tui_getkey(200);

			if (key != UI_KEY_NONE)
				apply_key(r, key);
		}
	}
}

static void fail(const char *msg)
{
	tui_stop();
	fprintf(stderr, "spetop: %s\n", msg);
}

int main(int argc, char **argv)
{
	struct st_opts o;
	struct run r;
	struct sym_opts so;
	struct sigaction sa;
	char err[1024];
	int rc;

	if (st_opts_parse(argc, argv, &o, err, sizeof(err))) {
		fprintf(stderr, "spetop: %s (see spetop --help)\n", err);
		return ST_EXIT_USAGE;
	}
	if (o.help) {
		fputs(st_usage, stdout);
		return ST_EXIT_OK;
	}
	if (o.version) {
		printf("spetop %s\n", SPEKIT_VERSION);
		return ST_EXIT_OK;
	}
	memset(&r, 0, sizeof(r));
	r.o = &o;
	r.f = stdout;
	r.out = o.out;
	r.ui.group = o.group;
	r.ui.sort = o.sort;
	r.ui.cum = o.cum;
	snprintf(r.ui.filter, sizeof(r.ui.filter), "%s", o.filter ? o.filter : "");
	if (r.out == ST_OUT_TUI && (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO))) {
		r.out = ST_OUT_BATCH;
		r.tty_note = true;
	}

	memset(&so, 0, sizeof(so));
	so.proc_root = "/proc";
	so.live = !o.replay;
	so.kallsyms = o.replay ? NULL : "/proc/kallsyms";
	r.sym = sym_new(&so);
	if (!r.sym || pipe_init(&r.pipe, o.group, r.sym, 0, 0)) {
		fail("out of memory");
		return ST_EXIT_RUNTIME;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (r.out == ST_OUT_TUI) {
		if (tui_start(err, sizeof(err))) {
			fail(err);
			return ST_EXIT_RUNTIME;
		}
		atexit(tui_stop);
	}
	st_self_cpu(&r);
	rc = o.replay ? run_replay(&r, err, sizeof(err)) : run_live(&r, err, sizeof(err));
	if (rc == 0)
		st_finish(&r);
	tui_stop();
	if (rc)
		fprintf(stderr, "spetop: %s\n", err);
	view_free(&r.m);
	pipe_free(&r.pipe);
	sym_free(r.sym);
	return rc < 0 ? -rc : rc;
}
