/* SPDX-License-Identifier: GPL-2.0-only */
/* Command line: spedrops [options] [duration_seconds] */
#ifndef SPEDROPS_OPTS_H
#define SPEDROPS_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "cpulist.h"

#define SD_EXIT_OK	0
#define SD_EXIT_RUNTIME	1
#define SD_EXIT_USAGE	2
#define SD_EXIT_ENV	3	/* no SPE, no privilege, no usable BPF */

struct sd_opts {
	bool json, pin, unpin, load_only, verbose, help, version;
	bool have_cpus;
	struct sd_cpuset cpus;
	double interval_s;	/* -i, default 1 */
	double duration_s;	/* 0: until SIGINT/SIGTERM */
	__u32 pmu_type;		/* --pmu-type, 0: discover */
	unsigned int record_size;	/* --record-size, default 64 */
	unsigned int modes;	/* --mode: SD_MODE_BIT()s, 0: auto */
};

extern const char sd_usage[];

/* 0, or -1 with one phrase in @err (the caller adds the usage hint) */
int sd_opts_parse(int argc, char **argv, struct sd_opts *o, char *err, size_t errlen);

#endif
