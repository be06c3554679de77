/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loading: open the skeleton, keep the programs of one mode (select.h),
 * load, attach; on failure record why in the facts and try the next mode.
 */
#ifndef SPEDROPS_LOADER_H
#define SPEDROPS_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "read.h"
#include "select.h"

struct spedrops_bpf;

struct sd_loader_opts {
	__u32 pmu_type;
	bool load_only;
	unsigned int modes;	/* --mode (select.h), 0: all */
	bool pin;
	const char *pin_dir;
	const char *sysfs_root;
};

struct sd_loaded {
	struct spedrops_bpf *skel;
	enum sd_mode mode;
	char why[1024];
	const char *progs[8];		/* names of the loaded programs */
	unsigned int nprogs;
	struct sd_map_fds fds;
	int events_fd;
};

/* libbpf's messages: all of them to stderr with @verbose, else only the
 * first failure line of each attempt is kept for the error message */
void sd_libbpf_logging(bool verbose);

/*
 * Probe, select, load and attach.  0 with @out filled, or -1 with one line
 * in @err (an environment problem: exit 3).
 */
int sd_load(const struct sd_loader_opts *o, struct sd_loaded *out, char *err, size_t errlen);
void sd_unload(struct sd_loaded *l);

#endif
