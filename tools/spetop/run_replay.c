// SPDX-License-Identifier: GPL-2.0-only
/*
 * The replay clock.  Intervals are cut by the records' own timestamps
 * (-d seconds of recorded time each), so a replay prints the same
 * intervals at any speed; --speed only decides how long spetop waits
 * between them.  A recording without timestamps is one interval.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "perf_data.h"
#include "replay.h"
#include "run.h"

struct clock {
	struct run *r;
	struct replay *rp;
	uint64_t ts0;		/* first timestamp */
	uint64_t ticks;		/* per interval */
	uint64_t iv_start;	/* timestamp where this interval began */
	double wall0;		/* when ts0 was replayed */
	uint64_t bytes_mark;
	bool started;
};

static double secs(const struct clock *c, uint64_t ticks)
{
	return (double)ticks / c->rp->timer_hz;
}

/* End the interval [iv_start, end) and show it, after pacing */
static void close_interval(struct clock *c, uint64_t end, bool finished)
{
	struct run *r = c->r;
	struct pipe *p = &r->pipe;
	double mb, iv;

	if (r->o->speed > 0 && !finished)
		c->wall0 += st_wait(r, c->wall0 + secs(c, end - c->ts0) / r->o->speed);
	else
		c->wall0 += st_wait(r, 0);
	pipe_end_interval(p);
	mb = (double)p->bytes_last / 1e6;
	iv = secs(c, end - c->iv_start);
	st_show_interval(r, secs(c, end - c->ts0), iv, mb, finished);
	c->iv_start = end;
	if (r->o->iterations && r->intervals >= r->o->iterations)
		r->ui.quit = true;
}

/* pipe->boundary: a record at or past the interval's end */
static void on_boundary(void *ctx, const struct spe_record *rec)
{
	struct clock *c = ctx;
	struct pipe *p = &c->r->pipe;

	if (!c->started) {
		c->started = true;
		c->ts0 = c->iv_start = rec->ts;
		c->wall0 = st_now();
		p->ts_next = rec->ts + c->ticks;
		return;
	}
	close_interval(c, p->ts_next, false);
	/* skip idle stretches: the next interval holds this record */
	if (rec->ts >= p->ts_next + c->ticks) {
		uint64_t n = (rec->ts - c->ts0) / c->ticks;

		c->iv_start = c->ts0 + n * c->ticks;
	}
	p->ts_next = c->iv_start + c->ticks;
	/* timestamps that run backwards (another CPU's older buffer) stay in
	 * the current interval: ts_next only moves forward */
}

/*
 * SYNTHETIC comes from the data, not the name: spe-mkperf marks every
 * perf.data it writes (HEADER_VERSION, see perf_write.h), so a perf.data
 * is synthetic when it says so, and a real capture never is, whatever
 * either is called.  A raw AUX dump has no header to carry a mark, so
 * for raw input, and only there, the file's name (not its directory)
 * decides: a raw spegen stream is synthetic when named so, as make run's
 * synthetic-n1.raw is.  A pipe-format perf.data brings its features at
 * the start of the stream, hence the call after each step.
 */
static bool replay_synthetic(const struct replay *rp, const char *path)
{
	const char *base = strrchr(path, '/');

	if (rp->pd)
		return spe_pd_synthetic(rp->pd);
	return strstr(base ? base + 1 : path, "synthetic") != NULL;
}

int run_replay(struct run *r, char *err, size_t errlen)
{
	struct replay rp;
	struct clock c;
	int n;

	if (replay_open(&rp, r->o->replay, r->o->midr, r->o->timer_hz, err, errlen))
		return ST_EXIT_RUNTIME;
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.rp = &rp;
	r->live = false;
	{
		/* the name, not the path: the header line has little room */
		const char *base = strrchr(r->o->replay, '/');

		snprintf(r->source, sizeof(r->source), "replay %s%s", base ? base + 1 : r->o->replay,
			 rp.pd ? "" : " (raw)");
	}
	r->synthetic = replay_synthetic(&rp, r->o->replay);
	r->pipe.boundary = on_boundary;
	r->pipe.boundary_ctx = &c;
	r->pipe.ts_next = 0;	/* the first timestamp starts the clock */
	st_show_start(r);

	while (!r->ui.quit && !st_stop) {
		/* TIME_CONV comes early in the file: the tick rate is final by
		 * the time the first record is counted */
		c.ticks = (uint64_t)fmax(1.0, r->o->delay_s * rp.timer_hz);
		n = replay_step(&rp, &r->pipe, r->sym, err, errlen);
		if (n < 0) {
			replay_close(&rp);
			return ST_EXIT_RUNTIME;
		}
		r->m.h.ncpus = rp.ncpus;
		r->synthetic = replay_synthetic(&rp, r->o->replay);
		if (n == 0)
			break;
	}
	if (!r->ui.quit && !st_stop) {
		/* the last, partial interval */
		uint64_t end = c.started ? r->pipe.ts_last + 1 : 0;

		if (!c.started) {
			/* no timestamps at all: everything is one interval */
			c.ts0 = c.iv_start = 0;
			c.ticks = 1;
		}
		close_interval(&c, end > c.iv_start ? end : c.iv_start, true);
	}
	replay_close(&rp);
	return 0;
}
