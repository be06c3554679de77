/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SPEDUMP_INPUT_H
#define SPEDUMP_INPUT_H

#include <stdbool.h>

#include "dump.h"

struct input_opts {
	const char *path;	/* "-" for standard input */
	bool force_raw;
};

/*
 * Read the input and push its AUX data into @d.  Returns 0, or 1 after
 * printing a one-line error naming the problem (and the fix, where there
 * is one) on stderr.
 */
int input_run(const struct input_opts *in, struct dump *d);

/* perf.data input (input_perf.c); @buf holds the whole file or stream. */
int input_perf_data(const char *path, const void *buf, size_t len,
		    struct dump *d);

#endif
