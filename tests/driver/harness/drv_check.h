/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Checks shared by the driver sequences, on top of tests/unit/check.h
 * (include that first: its counters are per test program).
 */
#ifndef SPEKIT_DRVH_DRV_CHECK_H
#define SPEKIT_DRVH_DRV_CHECK_H

#include <stdio.h>
#include <string.h>

#include <shim/trace_log.h>
#include <spekit/arm_spe_tp.h>

#include "harness.h"

/* Argument @idx of a tracepoint event (which must exist) */
#define CHECK_ARG(ev, idx, val) do {					\
	const struct shim_trace_ev *_ev = (ev);				\
	CHECK(_ev != NULL);						\
	if (_ev)							\
		CHECK_EQ_U64(_ev->args[idx], (val));			\
} while (0)

/* No rule broken anywhere in the fixture */
#define CHECK_CLEAN() CHECK(h_problems() == 0)

static inline const struct shim_trace_ev *tp(const char *name, int nth)
{
	return shim_trace_find(name, nth);
}

/* Trace log position, to look at what happened after it */
static inline int tp_mark(void)
{
	return shim_trace_log.n;
}

/*
 * The tracepoints fired since @mark as "irq,aux_end,pad,aux_begin" (the
 * arm_spe_ prefix dropped), to assert exactly which fired, in order.
 */
static inline const char *tp_since(int mark)
{
	static char buf[4096];
	size_t n = 0;

	buf[0] = 0;
	for (int i = mark; i < shim_trace_log.n && n < sizeof(buf) - 64; i++) {
		const char *name = shim_trace_log.ev[i].name;

		if (!strncmp(name, "arm_spe_", 8))
			name += 8;
		n += snprintf(buf + n, sizeof(buf) - n, "%s%s",
			      i > mark ? "," : "", name);
	}
	return buf;
}

/* The @nth @name event at or after @mark */
static inline const struct shim_trace_ev *tp_after(int mark,
						   const char *name, int nth)
{
	for (int i = mark; i < shim_trace_log.n; i++)
		if (!strcmp(shim_trace_log.ev[i].name, name) && !nth--)
			return &shim_trace_log.ev[i];
	return NULL;
}

#endif
