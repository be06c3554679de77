// SPDX-License-Identifier: GPL-2.0-only
/* Placeholder until the perf.data reader is wired in. */
#include <stdio.h>

#include "input.h"

int input_perf_data(const char *path, const void *buf, size_t len, int fd,
		    struct dump *d)
{
	fprintf(stderr, "spedump: %s: perf.data input not built in this version (use --raw)\n", path);
	return 1;
}
