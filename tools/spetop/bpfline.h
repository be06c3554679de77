/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The header's "bpf:" line: spedrops' BPF programs (bpf/spedrops.bpf.c),
 * loaded by spetop itself through spedrops' loader, read every interval.
 * SPE loses data in the kernel (truncated AUX sessions, collisions, buffer
 * faults) before spetop sees a byte; these counters say how much, and why,
 * next to the samples that did arrive.
 *
 * spetop loads its own copy with private maps, never the pinned ones of
 * spedrops --pin: two loaded copies counting into shared maps would count
 * every event twice.
 */
#ifndef SPETOP_BPFLINE_H
#define SPETOP_BPFLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "caps.h"
#include "cpulist.h"
#include "loader.h"
#include "stats.h"
#include "view.h"

struct bpfline_opts {
	bool off;		/* --no-bpf: load nothing, say so */
	__u32 pmu_type;		/* the SPE PMU the stock-kernel programs count, 0: none */
	const char *cpus;	/* spetop's -C list: count only these CPUs; NULL: all */
	const char *sysfs_root;	/* for the mode probes; NULL: $SPEKIT_SYSFS_ROOT or /sys */
	/* tests: narrow the modes (0: auto), load without attaching */
	unsigned int modes;
	bool load_only;
};

struct bpfline;

/*
 * Check privilege, load and attach (sd_load(), mode chosen as spedrops
 * chooses it), take the first snapshot.  Never fails for want of BPF: the
 * result then only says why there are no statistics.  NULL only without
 * memory.
 */
struct bpfline *bpfline_open(const struct bpfline_opts *o);

/* Loaded and attached (or loaded, with load_only) */
bool bpfline_loaded(const struct bpfline *b);
/* spedrops' loader state, for tests that feed the programs; NULL if not loaded */
struct sd_loaded *bpfline_sd(struct bpfline *b);
/* The whole reason when it did not load (the header line may be cut), or NULL */
const char *bpfline_why(const struct bpfline *b);
/* The header line was cut to fit: the full reason is bpfline_why() */
bool bpfline_cut(const struct bpfline *b);

/*
 * An interval ended: read the maps and fill @line (the header's "bpf:"
 * text) and @st with the deltas since the previous call, or with @cum
 * since loading.  When not loaded, @line is why and @st is not valid.
 */
void bpfline_update(struct bpfline *b, bool cum, char *line, size_t len, struct view_bpf *st);

/* Detach and unload (NULL is fine) */
void bpfline_close(struct bpfline *b);

/* ---- pure parts (unit tested) ------------------------------------------- */

/*
 * @st from the snapshots: deltas @prev -> @cur, summed over @only's CPUs
 * (all if NULL), blind share over the CPUs active since @start.
 */
void bpfline_stats(const struct sd_snap *start, const struct sd_snap *prev,
		   const struct sd_snap *cur, const struct sd_cpuset *only,
		   enum sd_mode mode, struct view_bpf *st);

/*
 * The line for @st, always shorter than @len (at least 64):
 *   "raw_tp  sessions 40  irqs 599  truncations 6 (no_space=3,fault=2,flagged=1)
 *    collisions 5  faults 2  blind 24.8%"
 * (one line).  "-" for what the mode cannot see (irqs, faults on stock
 * kernels); the reasons in parentheses only when there are truncations and
 * the line has room.  Returns @line.
 */
char *bpfline_format(const struct view_bpf *st, char *line, size_t len);

/*
 * The line when nothing loaded: "not loaded: " and @why (less spedrops'
 * "no way to observe SPE here: "), on one line, cut with "..." to fit
 * @len.  Returns true when it had to cut.
 */
bool bpfline_not_loaded(const char *why, char *line, size_t len);

/* NULL when @c may load BPF programs, else the short reason */
const char *bpfline_caps_problem(const struct sd_caps *c);

#endif
