/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tracepoint log: each trace_<event>() call of driver code records the
 * event name and its arguments, widened to u64 in TP_ARGS order, which is
 * what a raw_tp BPF program sees as ctx[i].  Tests look events up by name
 * and read arguments by the indices of include/spekit/arm_spe_tp.h.
 */
#ifndef SPEKIT_SHIM_TRACE_LOG_H
#define SPEKIT_SHIM_TRACE_LOG_H

#include <linux/types.h>

#define SHIM_TRACE_MAX_ARGS	12
#define SHIM_TRACE_MAX_EVENTS	65536

struct shim_trace_ev {
	const char *name;
	int nargs;
	u64 args[SHIM_TRACE_MAX_ARGS];
	u64 seq;		/* shim_seq value: orders against hw ops */
};

struct shim_trace_log {
	int n;
	int overflow;		/* events not kept */
	struct shim_trace_ev ev[SHIM_TRACE_MAX_EVENTS];
};

extern struct shim_trace_log shim_trace_log;

/*
 * One counter for every logged action (tracepoints here, register
 * accesses and barriers in the simulated SPE), so logs can be merged in
 * program order.
 */
u64 shim_seq_next(void);

void shim_trace_record(const char *name, const u64 *args, int nargs);
void shim_trace_reset(void);
/* How many @name events were logged */
int shim_trace_count(const char *name);
/* The @nth (from 0) @name event, or NULL; nth < 0 counts from the end */
const struct shim_trace_ev *shim_trace_find(const char *name, int nth);

#endif
