// SPDX-License-Identifier: GPL-2.0-only
/*
 * The header's BPF line (see bpfline.h).  Everything BPF goes through
 * spedrops' own code: its loader picks the mode (driver tracepoints, else
 * the stock kernel's perf_aux_output_*), its reader takes snapshots of the
 * per-CPU maps and its delta function copes with maps reset under us.
 * What is spetop's here is which counters make one header line.
 *
 * The spe_events ring buffer is not read: the counters are what the line
 * needs, and a full ring only loses per-event detail (the programs count
 * before they reserve a ring record).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpfline.h"
#include "names.h"
#include "pin.h"
#include "pmu.h"
#include "read.h"

_Static_assert(VIEW_BPF_REASONS == ARM_SPE_TRUNC_NR_REASONS,
	       "view_bpf.trunc_reason[] is spe_cpu_stats.truncations[]");

struct bpfline {
	bool loaded;
	bool cut;			/* line holds a cut reason */
	enum sd_mode mode;
	struct sd_loaded l;
	struct sd_snap *start, *prev, *cur;
	struct sd_cpuset only;
	bool have_only;
	char why[1200];			/* why not loaded (sd_load's words) */
	char line[200];			/* the line while not loaded */
};

const char *bpfline_caps_problem(const struct sd_caps *c)
{
	if (c->sys_admin || (c->bpf && c->perfmon))
		return NULL;
	return "no permission (run as root, or give spetop CAP_BPF and CAP_PERFMON)";
}

bool bpfline_not_loaded(const char *why, char *line, size_t len)
{
	static const char pre[] = "not loaded: ", dots[] = "...";
	static const char none[] = "no way to observe SPE here: ";
	size_t n;
	bool cut;

	if (!len)
		return false;
	/* spedrops' lead-in says what "not loaded" says: the header has no
	 * room for it */
	if (!strncmp(why, none, sizeof(none) - 1))
		why += sizeof(none) - 1;
	n = (size_t)snprintf(line, len, "%s%s", pre, why);
	cut = n >= len;
	/* a cut reason says so, rather than ending mid-word unannounced */
	if (cut && len > sizeof(pre) + sizeof(dots))
		memcpy(line + len - sizeof(dots), dots, sizeof(dots));
	/* the header has one line for it */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return cut;
}

/* Not loaded: @why (printf) becomes the reason and the line */
__attribute__((format(printf, 2, 3)))
static void not_loaded(struct bpfline *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->why, sizeof(b->why), fmt, ap);
	va_end(ap);
	b->cut = bpfline_not_loaded(b->why, b->line, sizeof(b->line));
}

struct bpfline *bpfline_open(const struct bpfline_opts *o)
{
	struct bpfline *b = calloc(1, sizeof(*b));
	struct sd_loader_opts lo;
	struct sd_caps caps;
	const char *why;
	char err[1200];
	int ncpus, e;

	if (!b)
		return NULL;
	if (o->off) {
		snprintf(b->line, sizeof(b->line), "off (--no-bpf)");
		return b;
	}
	/* asked first: without privilege every mode would fail, each with its
	 * own EPERM, and the line would name the wrong problem */
	e = sd_caps_read(&caps);
	if (e) {
		not_loaded(b, "cannot read spetop's capabilities: %s", strerror(-e));
		return b;
	}
	why = bpfline_caps_problem(&caps);
	if (why) {
		not_loaded(b, "%s", why);
		return b;
	}
	ncpus = sd_possible_cpus();
	if (ncpus <= 0) {
		not_loaded(b, "cannot tell the possible CPUs: %s", strerror(ncpus ? -ncpus : EINVAL));
		return b;
	}
	b->start = sd_snap_new((unsigned int)ncpus);
	b->prev = sd_snap_new((unsigned int)ncpus);
	b->cur = sd_snap_new((unsigned int)ncpus);
	if (!b->start || !b->prev || !b->cur) {
		not_loaded(b, "out of memory");
		return b;
	}
	/* -C: the counters of the CPUs spetop watches.  spetop's options
	 * checked the list with this same parser; should it still fail, every
	 * CPU rather than no line. */
	if (o->cpus && !sd_cpulist_parse(o->cpus, &b->only, err, sizeof(err)))
		b->have_only = true;

	memset(&lo, 0, sizeof(lo));
	lo.pmu_type = o->pmu_type;
	lo.load_only = o->load_only;
	lo.modes = o->modes;
	lo.pin = false;			/* private maps: see bpfline.h */
	lo.pin_dir = sd_pin_dir();	/* only looked at, never written */
	lo.sysfs_root = o->sysfs_root ? o->sysfs_root : sd_sysfs_root();
	/* libbpf would write to the terminal under the TUI; its first error
	 * of each attempt still reaches sd_load()'s reason */
	sd_libbpf_logging(false);
	if (sd_load(&lo, &b->l, err, sizeof(err))) {
		not_loaded(b, "%s", err);
		return b;
	}
	b->mode = b->l.mode;
	e = sd_read_snap(&b->l.fds, b->start);
	if (e || sd_snap_copy(b->prev, b->start)) {
		sd_unload(&b->l);
		not_loaded(b, "reading the maps: %s", strerror(e ? -e : ENOMEM));
		return b;
	}
	b->loaded = true;
	return b;
}

bool bpfline_loaded(const struct bpfline *b)
{
	return b && b->loaded;
}

struct sd_loaded *bpfline_sd(struct bpfline *b)
{
	return bpfline_loaded(b) ? &b->l : NULL;
}

const char *bpfline_why(const struct bpfline *b)
{
	return b && b->why[0] ? b->why : NULL;
}

bool bpfline_cut(const struct bpfline *b)
{
	return b && b->cut;
}

void bpfline_stats(const struct sd_snap *start, const struct sd_snap *prev,
		   const struct sd_snap *cur, const struct sd_cpuset *only,
		   enum sd_mode mode, struct view_bpf *st)
{
	__u64 dt = cur->t_ns > prev->t_ns ? cur->t_ns - prev->t_ns : 0;
	struct spe_cpu_stats t;
	unsigned int nactive = 0;

	memset(st, 0, sizeof(*st));
	memset(&t, 0, sizeof(t));
	for (unsigned int c = 0; c < cur->ncpus; c++) {
		struct spe_cpu_stats d, since;

		if (only && !sd_cpuset_has(only, c))
			continue;
		/* spedrops' deltas: counters that went backwards (maps
		 * reset) give 0, blind time is clipped to the interval */
		sd_stats_delta(&prev->cpu[c].s, prev->t_ns, &cur->cpu[c].s, cur->t_ns, &d);
		sd_stats_delta(&start->cpu[c].s, start->t_ns, &cur->cpu[c].s, cur->t_ns, &since);
		sd_stats_add(&t, &d);
		nactive += sd_stats_active(&since);
	}
	st->valid = true;
	st->driver = sd_mode_is_driver(mode);
	snprintf(st->mode, sizeof(st->mode), "%s", sd_mode_name(mode));
	st->span_s = (double)dt / 1e9;
	st->active_cpus = nactive;
	st->sessions = t.sessions;
	st->no_room = t.no_room;
	st->irqs = t.irqs;
	st->spurious_irqs = t.spurious_irqs;
	st->bytes = t.bytes;
	st->aux_records = t.aux_records;
	st->aux_truncated = t.aux_truncated;
	st->aux_partial = t.aux_partial;
	st->aux_collision = t.aux_collision;
	st->truncations = sd_trunc_total(&t);
	memcpy(st->trunc_reason, t.truncations, sizeof(st->trunc_reason));
	st->collisions = t.collisions;
	st->faults = t.faults;
	st->pad_bytes = t.pad_bytes;
	st->blind_ns = t.blind_ns;
	/* as spedrops' "all" row: blind share of the time of the CPUs that
	 * ran SPE at all, so idle CPUs do not dilute it */
	if (dt && nactive)
		st->blind_pct = 100.0 * (double)t.blind_ns / ((double)dt * nactive);
}

/* "no_space=3,fault=2,flagged=1" in spedrops' order (flagged last), "" if none */
static void reasons(const struct view_bpf *st, char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (unsigned int i = 1; i <= VIEW_BPF_REASONS && pos < len; i++) {
		unsigned int idx = i % VIEW_BPF_REASONS;

		if (!st->trunc_reason[idx])
			continue;
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s=%llu", pos ? "," : "",
					sd_reason_name(idx),
					(unsigned long long)st->trunc_reason[idx]);
	}
}

char *bpfline_format(const struct view_bpf *st, char *line, size_t len)
{
	char irqs[24] = "-", faults[24] = "-", rs[200] = "", paren[208] = "";
	size_t n;

	/* the stock programs see AUX sessions only: no IRQs, no faults, and
	 * truncations without a reason; "-" says "not observed", not "none" */
	if (st->driver) {
		snprintf(irqs, sizeof(irqs), "%llu", (unsigned long long)st->irqs);
		snprintf(faults, sizeof(faults), "%llu", (unsigned long long)st->faults);
		reasons(st, rs, sizeof(rs));
		if (rs[0])
			snprintf(paren, sizeof(paren), " (%s)", rs);
	}
	for (;;) {
		n = (size_t)snprintf(line, len, "%s  sessions %llu  irqs %s  truncations %llu%s  "
				     "collisions %llu  faults %s  blind %.1f%%", st->mode,
				     (unsigned long long)st->sessions, irqs,
				     (unsigned long long)st->truncations, paren,
				     (unsigned long long)st->collisions, faults, st->blind_pct);
		/* the breakdown is the first thing to go: the totals stay */
		if (n < len || !paren[0])
			break;
		paren[0] = '\0';
	}
	return line;
}

void bpfline_update(struct bpfline *b, bool cum, char *line, size_t len, struct view_bpf *st)
{
	struct sd_snap *t;
	int e;

	memset(st, 0, sizeof(*st));
	if (!b || !b->loaded) {
		snprintf(line, len, "%s", b ? b->line : "-");
		return;
	}
	e = sd_read_snap(&b->l.fds, b->cur);
	if (e) {
		/* kept loaded: the next interval tries again */
		snprintf(line, len, "%s  reading the maps failed: %s", sd_mode_name(b->mode),
			 strerror(-e));
		return;
	}
	bpfline_stats(b->start, cum ? b->start : b->prev, b->cur, b->have_only ? &b->only : NULL,
		      b->mode, st);
	bpfline_format(st, line, len);
	/* the last-interval view always starts from the previous read, even
	 * after cumulative ones (the view can change between intervals) */
	t = b->prev;
	b->prev = b->cur;
	b->cur = t;
}

void bpfline_close(struct bpfline *b)
{
	if (!b)
		return;
	if (b->loaded)
		sd_unload(&b->l);
	sd_snap_free(b->start);
	sd_snap_free(b->prev);
	sd_snap_free(b->cur);
	free(b);
}
