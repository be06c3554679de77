// SPDX-License-Identifier: GPL-2.0-only
/*
 * Live capture: one SPE event per CPU (or one per task with -p), drained
 * into the pipeline; intervals by the wall clock.  Keys are read between
 * drains without blocking: pausing freezes the screen, not the capture,
 * because a stopped consumer makes the kernel truncate SPE's AUX data.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bpfline.h"
#include "live.h"
#include "pmu.h"
#include "run.h"
#include "spe.h"
#include "sym.h"

static void on_aux(void *ctx, const struct live_stream *s, const uint8_t *buf, size_t len,
		   uint64_t stream_off)
{
	struct run *r = ctx;

	(void)stream_off;
	pipe_aux(&r->pipe, s->idx, buf, len);
}

static void on_gap(void *ctx, const struct live_stream *s, uint64_t stream_off, uint64_t flags)
{
	struct run *r = ctx;

	(void)stream_off;
	(void)flags;
	pipe_aux_gap(&r->pipe, s->idx);
}

static void on_event(void *ctx, const struct live_stream *s, const struct ring_event *ev)
{
	struct run *r = ctx;

	(void)s;
	switch (ev->type) {
	case RING_EV_AUX:
		pipe_aux_flags(&r->pipe, ev->aux.flags);
		break;
	case RING_EV_LOST:
		pipe_lost(&r->pipe, ev->lost.lost);
		break;
	case RING_EV_LOST_SAMPLES:
		pipe_lost_samples(&r->pipe, ev->lost_samples.lost);
		break;
	case RING_EV_COMM:
		sym_comm_event(r->sym, ev->comm.pid, ev->comm.tid, ev->comm.comm);
		break;
	case RING_EV_MMAP:
		sym_add_mmap(r->sym, ev->mmap.pid, ev->mmap.start, ev->mmap.len, ev->mmap.pgoff,
			     ev->mmap.filename);
		break;
	default:
		break;
	}
}

/* The CPU's MIDR_EL1 from sysfs: which data-source encoding it writes */
static enum spe_dsrc_family cpu_family(const char *root, int cpu)
{
	char path[512];
	unsigned long long midr;
	FILE *f;
	int n;

	if (cpu < 0)
		cpu = 0;
	snprintf(path, sizeof(path), "%s/devices/system/cpu/cpu%d/regs/identification/midr_el1",
		 root, cpu);
	f = fopen(path, "r");
	if (!f)
		return SPE_DSRC_UNKNOWN;
	n = fscanf(f, "%llx", &midr);
	fclose(f);
	return n == 1 ? spe_dsrc_family_for_midr(midr) : SPE_DSRC_UNKNOWN;
}

static void opts_for_live(const struct st_opts *o, struct live_opts *lo)
{
	memset(lo, 0, sizeof(*lo));
	lo->pid = o->pid > 0 ? o->pid : -1;
	lo->cpus = o->cpus;
	lo->interval = o->period;
	/* all three asked (the default) means no filter at all */
	if (!(o->loads && o->stores && o->branches)) {
		lo->loads = o->loads;
		lo->stores = o->stores;
		lo->branches = o->branches;
	}
	lo->min_latency = o->min_latency;
	lo->ts = true;
	lo->pa = o->pa;
	lo->jitter = o->jitter;
	lo->exclude_user = o->kernel_only;
	lo->exclude_kernel = o->user_only;
	lo->comm = lo->mmap = true;
	lo->aux_pages = o->aux_pages;
}

/*
 * spedrops' programs for the header's bpf line.  The stock-kernel programs
 * count one PMU type: the lowest, as spedrops picks.  Loaded before the
 * capture starts: the verifier takes a while, and an AUX area nobody
 * drains meanwhile would truncate spetop's own first sessions.
 */
static struct bpfline *bpf_open(struct run *r, const struct live_pmu *pmus, int npmus,
				const char *root)
{
	struct bpfline_opts bo;
	struct bpfline *b;

	memset(&bo, 0, sizeof(bo));
	bo.off = r->o->no_bpf;
	bo.cpus = r->o->cpus;
	bo.sysfs_root = root;
	for (int i = 0; i < npmus; i++)
		if (!bo.pmu_type || pmus[i].type < bo.pmu_type)
			bo.pmu_type = pmus[i].type;
	b = bpfline_open(&bo);
	if (!b)
		snprintf(r->m.h.bpf, sizeof(r->m.h.bpf), "not loaded: out of memory");
	return b;
}

int run_live(struct run *r, char *err, size_t errlen)
{
	const struct live_ops ops = { on_aux, on_gap, on_event };
	struct live_pmu pmus[LIVE_MAX_PMUS];
	const char *root = sd_sysfs_root();
	struct live_opts lo;
	struct bpfline *b;
	struct live *l;
	double t0, iv0, next;
	int n;

	/* none: @err already says where it looked, why an entry was no
	 * use, and the fixes.  The one discovery: the BPF line and the
	 * capture both take these PMUs. */
	n = live_pmu_discover(root, pmus, LIVE_MAX_PMUS, err, errlen);
	if (n <= 0)
		return ST_EXIT_ENV;
	b = bpf_open(r, pmus, n, root);
	opts_for_live(r->o, &lo);
	if (live_open(&l, pmus, (unsigned int)n, &lo, err, errlen)) {
		bpfline_close(b);
		return ST_EXIT_ENV;
	}
	/* the header had to cut the reason: the whole of it once on stderr
	 * (not under the TUI: it would tear the screen), said only now that
	 * the capture works, so a failure stays one line */
	if (bpfline_cut(b) && r->out != ST_OUT_TUI)
		fprintf(stderr, "spetop: BPF drop statistics not loaded: %s\n", bpfline_why(b));
	if (b)
		bpfline_update(b, r->ui.cum, r->m.h.bpf, sizeof(r->m.h.bpf), &r->m.h.bpf_stats);
	r->live = true;
	snprintf(r->source, sizeof(r->source), "live %s, %u event%s", live_pmu(l, 0)->name,
		 live_nstreams(l), live_nstreams(l) == 1 ? "" : "s");
	for (unsigned int i = 0; i < live_nstreams(l); i++) {
		const struct live_stream *s = live_stream(l, i);

		pipe_set_queue(&r->pipe, s->idx, s->cpu, cpu_family(root, s->cpu));
	}
	r->m.h.ncpus = live_nstreams(l);
	st_show_start(r);
	t0 = iv0 = st_now();
	next = t0 + r->o->delay_s;
	for (;;) {
		double now = st_now();
		int ms = (int)((next - now) * 1000);

		if (ms > 50)
			ms = 50;	/* keys stay responsive */
		if (ms < 0)
			ms = 0;
		n = live_poll(l, ms, &ops, r);
		if (n < 0 && n != LIVE_DONE && n != -EINTR) {
			snprintf(err, errlen, "waiting for SPE data: %s", strerror(-n));
			bpfline_close(b);
			live_close(l);
			return ST_EXIT_RUNTIME;
		}
		st_keys(r);
		now = st_now();
		if (now >= next || n == LIVE_DONE || r->ui.quit || st_stop) {
			pipe_end_interval(&r->pipe);
			if (b)
				bpfline_update(b, r->ui.cum, r->m.h.bpf, sizeof(r->m.h.bpf),
					       &r->m.h.bpf_stats);
			st_show_interval(r, now - t0, now - iv0, (double)r->pipe.bytes_last / 1e6,
					 n == LIVE_DONE);
			iv0 = now;
			next += r->o->delay_s;
			if (next < now)
				next = now + r->o->delay_s;
			if (r->o->iterations && r->intervals >= r->o->iterations)
				break;
		}
		if (n == LIVE_DONE || r->ui.quit || st_stop)
			break;
	}
	/* batch and JSON end with a cumulative summary: so does its bpf line
	 * (the TUI stays on its view) */
	if (b && r->out != ST_OUT_TUI)
		bpfline_update(b, true, r->m.h.bpf, sizeof(r->m.h.bpf), &r->m.h.bpf_stats);
	bpfline_close(b);
	live_close(l);
	return 0;
}
