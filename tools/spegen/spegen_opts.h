/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spegen command line.
 */
#ifndef SPEGEN_OPTS_H
#define SPEGEN_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "spegen_gen.h"

struct spegen_opts {
	struct spegen_cfg cfg;
	uint64_t records;		/* 0: not given */
	uint64_t bytes;			/* 0: not given */
	const char *output;		/* NULL or "-": stdout */
	const char *elf;		/* NULL: default, "none": synthetic */
	uint64_t load_base;
	const char *kernel_elf;		/* NULL: synthetic kernel text */
	uint64_t kernel_load_base;
	double zipf;			/* 0: functions by size */
	double damage;
	const char *damage_log;
	bool truncate;
	bool summary;
	bool print_midr;
	bool list_models;
	bool help;
	bool force_tty;
};

/* Returns 0, or -1 after printing the problem to stderr. */
int spegen_opts_parse(struct spegen_opts *o, int argc, char **argv);
void spegen_usage(FILE *f);

#endif /* SPEGEN_OPTS_H */
