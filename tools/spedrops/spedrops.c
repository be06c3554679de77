// SPDX-License-Identifier: GPL-2.0-only
/*
 * spedrops: why does my SPE data have holes?  Loads spekit's BPF programs
 * (bpf/spedrops.bpf.c) on the SPE driver's tracepoints or the stock
 * kernel's perf AUX functions, and reports per CPU, every interval, where
 * SPE data was lost; at the end a summary with advice.
 *
 * This file is the sequence only: options, checks, load, the report loop.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "advice.h"
#include "caps.h"
#include "events.h"
#include "loader.h"
#include "opts.h"
#include "out.h"
#include "pin.h"
#include "pmu.h"
#include "read.h"
#include "stats.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

__attribute__((format(printf, 1, 2)))
static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("spedrops: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct run {
	const struct sd_opts *o;
	struct sd_loaded *l;
	struct sd_events ev;
	struct sd_snap *start, *prev, *cur;
	struct sd_row *rows;
	const struct sd_cpuset *only;
};

static void base_report(const struct run *r, struct sd_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->mode = sd_mode_name(r->l->mode);
	rep->why = r->l->why;
	rep->load_only = r->o->load_only;
	rep->record_size = r->o->record_size;
	rep->programs = r->l->progs;
	rep->nprogs = r->l->nprogs;
	rep->t0_ns = r->start->t_ns;
	rep->pin_dir = r->o->pin ? sd_pin_dir() : NULL;
}

static void interval(struct run *r)
{
	struct sd_report rep;
	struct sd_row total;

	base_report(r, &rep);
	rep.nrows = sd_build_rows(r->start, r->prev, r->cur, r->only, r->o->record_size,
				  r->rows, &total, &rep.active_cpus);
	rep.rows = r->rows;
	rep.total = &total;
	rep.t_s = (double)(r->cur->t_ns - r->start->t_ns) / 1e9;
	rep.dt_s = (double)(r->cur->t_ns - r->prev->t_ns) / 1e9;
	rep.events = r->ev.queue;
	rep.nevents = r->ev.nqueue;
	rep.events_more = r->ev.more;
	if (r->o->json)
		sd_json_report(stdout, &rep);
	else
		sd_text_interval(stdout, &rep);
	sd_events_next_interval(&r->ev);
}

static int summary(struct run *r)
{
	struct spe_log2_hist hists[SPE_HIST_NR];
	struct sd_advice advice[SD_ADVICE_MAX];
	struct sd_fault_cnt *faults, *merged;
	struct sd_advice_in in;
	struct sd_report rep;
	struct sd_row total;
	unsigned int nmerged;

	faults = calloc(r->cur->nfaults + 1, sizeof(*faults));
	merged = calloc(r->cur->nfaults + 1, sizeof(*merged));
	if (!faults || !merged) {
		free(faults);
		free(merged);
		return -ENOMEM;
	}
	base_report(r, &rep);
	rep.final = true;
	rep.nrows = sd_build_rows(r->start, r->start, r->cur, r->only, r->o->record_size,
				  r->rows, &total, &rep.active_cpus);
	rep.rows = r->rows;
	rep.total = &total;
	rep.t_s = rep.dt_s = (double)(r->cur->t_ns - r->start->t_ns) / 1e9;
	sd_hists_total(r->start, r->cur, r->only, hists);
	rep.hists = hists;
	rep.nfaults = sd_faults_since(r->start, r->cur, r->only, true, faults);
	rep.faults = faults;
	nmerged = sd_faults_since(r->start, r->cur, r->only, false, merged);
	rep.events_total = r->ev.total;

	memset(&in, 0, sizeof(in));
	in.driver = sd_mode_is_driver(r->l->mode);
	in.dt_s = rep.dt_s;
	in.tot = total.d;
	in.active_cpus = rep.active_cpus;
	in.blind_pct = total.m.blind_pct;
	in.rate_mbps = total.m.rate_bps / 1e6;
	in.est_lost = total.m.est_lost;
	in.est_known = total.m.est_known;
	in.irq_gap = hists[SPE_HIST_IRQ_GAP_NS];
	in.faults = merged;
	in.nfaults = nmerged;
	rep.nadvice = sd_advise(&in, advice);
	rep.advice = advice;
	if (r->o->json)
		sd_json_report(stdout, &rep);
	else
		sd_text_summary(stdout, &rep);
	free(faults);
	free(merged);
	return 0;
}

static int loop(struct run *r)
{
	__u64 step = (__u64)(r->o->interval_s * 1e9);
	__u64 t0 = r->start->t_ns, next = t0 + step;
	__u64 end = r->o->duration_s > 0 ? t0 + (__u64)(r->o->duration_s * 1e9) : 0;
	int err;

	while (!stop) {
		__u64 now = sd_now_ns(), deadline = end && end < next ? end : next;

		if (now < deadline) {
			__u64 ms = (deadline - now + 999999) / 1000000;

			err = sd_events_poll(&r->ev, ms > 1000000 ? 1000000 : (int)ms);
			if (err < 0 && err != -EINTR) {
				fail("reading the spe_events ring buffer: %s", strerror(-err));
				return err;
			}
			continue;
		}
		if (now >= next) {
			struct sd_snap *t;

			err = sd_read_snap(&r->l->fds, r->cur);
			if (err) {
				fail("reading the maps: %s", strerror(-err));
				return err;
			}
			interval(r);
			t = r->prev;
			r->prev = r->cur;
			r->cur = t;
			while (next <= now)
				next += step;
		}
		if (end && now >= end)
			break;
	}
	/* what is left in the ring, then the summary */
	sd_events_poll(&r->ev, 0);
	err = sd_read_snap(&r->l->fds, r->cur);
	if (err) {
		fail("reading the maps: %s", strerror(-err));
		return err;
	}
	return summary(r);
}

int main(int argc, char **argv)
{
	char err[1200], msg[512];
	struct sd_loader_opts lo;
	struct sd_loaded l;
	struct sd_opts o;
	struct sd_pmus pmus;
	struct sd_caps caps;
	struct run r;
	struct sigaction sa;
	const char *root;
	int ncpus, rc;

	if (sd_opts_parse(argc, argv, &o, err, sizeof(err))) {
		fail("%s (see spedrops --help)", err);
		return SD_EXIT_USAGE;
	}
	if (o.help) {
		fputs(sd_usage, stdout);
		return SD_EXIT_OK;
	}
	if (o.version) {
		printf("spedrops %s (libbpf %s)\n", SPEKIT_VERSION, libbpf_version_string());
		return SD_EXIT_OK;
	}
	if (o.unpin) {
		rc = sd_unpin(sd_pin_dir(), msg, sizeof(msg));
		if (rc) {
			fail("%s", msg);
			return rc == -EPERM || rc == -EACCES ? SD_EXIT_ENV : SD_EXIT_RUNTIME;
		}
		printf("spedrops: %s\n", msg);
		return SD_EXIT_OK;
	}

	root = sd_sysfs_root();
	memset(&pmus, 0, sizeof(pmus));
	if (!o.pmu_type) {
		sd_pmu_discover(root, &pmus);
		if (!pmus.n) {
			sd_pmu_none_msg(root, &pmus, err, sizeof(err));
			fail("%s", err);
			return SD_EXIT_ENV;
		}
		o.pmu_type = pmus.pmu[0].type;
	}
	if (sd_caps_read(&caps)) {
		fail("cannot read this process's capabilities: %s", strerror(errno));
		return SD_EXIT_ENV;
	}
	if (sd_caps_problem(&caps, err, sizeof(err))) {
		fail("%s", err);
		return SD_EXIT_ENV;
	}
	ncpus = sd_possible_cpus();
	if (ncpus <= 0) {
		fail("cannot tell the possible CPUs (/sys/devices/system/cpu/possible): %s",
		     strerror(ncpus ? -ncpus : EINVAL));
		return SD_EXIT_RUNTIME;
	}
	if (o.have_cpus && o.cpus.max > (unsigned int)ncpus) {
		fail("-C: CPU %u does not exist here (CPUs 0-%d) (see spedrops --help)",
		     o.cpus.max - 1, ncpus - 1);
		return SD_EXIT_USAGE;
	}
	memset(&lo, 0, sizeof(lo));
	lo.pmu_type = o.pmu_type;
	lo.load_only = o.load_only;
	lo.modes = o.modes;
	lo.pin = o.pin;
	lo.pin_dir = sd_pin_dir();
	lo.sysfs_root = root;
	if (o.pin && (rc = sd_pin_prepare(lo.pin_dir, err, sizeof(err)))) {
		fail("%s", err);
		return rc == -EPERM || rc == -EACCES ? SD_EXIT_ENV : SD_EXIT_RUNTIME;
	}
	sd_libbpf_logging(o.verbose);
	if (sd_load(&lo, &l, err, sizeof(err))) {
		fail("%s%s", err, strstr(err, "pinned") ? " (spedrops --unpin removes old pins)" : "");
		return SD_EXIT_ENV;
	}
	if (pmus.n > 1 && !sd_mode_is_driver(l.mode))
		fail("note: %u arm_spe PMUs; the stock-kernel programs count only %s (type %u): "
		     "--pmu-type N picks another", pmus.n, pmus.pmu[0].name, pmus.pmu[0].type);

	memset(&r, 0, sizeof(r));
	r.o = &o;
	r.l = &l;
	r.only = o.have_cpus ? &o.cpus : NULL;
	r.start = sd_snap_new((unsigned int)ncpus);
	r.prev = sd_snap_new((unsigned int)ncpus);
	r.cur = sd_snap_new((unsigned int)ncpus);
	r.rows = calloc((size_t)ncpus, sizeof(*r.rows));
	rc = SD_EXIT_RUNTIME;
	if (!r.start || !r.prev || !r.cur || !r.rows) {
		fail("out of memory");
		goto out;
	}
	r.ev.only = r.only;
	r.ev.json = o.json;
	r.ev.out = stdout;
	if ((errno = -sd_events_open(&r.ev, l.events_fd))) {
		fail("cannot read the spe_events ring buffer: %s", strerror(errno));
		goto out;
	}
	if ((errno = -sd_read_snap(&l.fds, r.start))) {
		fail("reading the maps: %s", strerror(errno));
		goto out;
	}
	if (sd_snap_copy(r.prev, r.start)) {
		fail("out of memory");
		goto out;
	}
	r.ev.t0_ns = r.start->t_ns;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!o.json)
		sd_text_start(stdout, l.why, o.load_only, o.pin ? lo.pin_dir : NULL);
	if (!loop(&r))
		rc = SD_EXIT_OK;
out:
	if (r.ev.rb)
		sd_events_close(&r.ev);
	sd_snap_free(r.start);
	sd_snap_free(r.prev);
	sd_snap_free(r.cur);
	free(r.rows);
	sd_unload(&l);
	return rc;
}
