/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The spe_events ring buffer: truncation and fault events, printed as they
 * come (text) or collected for the interval's JSON object, capped per
 * interval (the rest are counted).
 */
#ifndef SPEDROPS_EVENTS_H
#define SPEDROPS_EVENTS_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include <spekit/spedrops.h>

#include "cpulist.h"

#define SD_EVENTS_JSON_MAX	100

struct ring_buffer;

struct sd_events {
	struct ring_buffer *rb;
	const struct sd_cpuset *only;	/* NULL: all CPUs */
	bool json;
	FILE *out;
	__u64 t0_ns;
	struct spe_drop_event queue[SD_EVENTS_JSON_MAX];	/* JSON */
	unsigned int nqueue;
	unsigned int shown;		/* this interval */
	__u64 more;			/* this interval, not shown */
	__u64 total;			/* the run */
};

/* 0 or -errno */
int sd_events_open(struct sd_events *e, int map_fd);
/* Wait up to @timeout_ms for events; >= 0 events handled, or -errno
 * (-EINTR on a signal) */
int sd_events_poll(struct sd_events *e, int timeout_ms);
/* Start a new interval (forget the queue and the counts) */
void sd_events_next_interval(struct sd_events *e);
void sd_events_close(struct sd_events *e);

#endif
