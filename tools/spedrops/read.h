/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading the per-CPU maps into a snapshot (stats.h) */
#ifndef SPEDROPS_READ_H
#define SPEDROPS_READ_H

#include "stats.h"

struct sd_map_fds {
	int stats, hists, faults;
};

/* Possible CPUs, as the per-CPU maps size their values; -errno */
int sd_possible_cpus(void);

/* CLOCK_MONOTONIC in ns: the clock of bpf_ktime_get_ns() */
__u64 sd_now_ns(void);

/* Read all three maps into @s (sized for the possible CPUs) and stamp it
 * with the time.  0 or -errno. */
int sd_read_snap(const struct sd_map_fds *fds, struct sd_snap *s);

#endif
