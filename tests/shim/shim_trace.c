// SPDX-License-Identifier: GPL-2.0-only
/* The tracepoint log behind the shim's TRACE_EVENT (shim/trace_log.h). */
#include <string.h>

#include <shim/trace_log.h>

struct shim_trace_log shim_trace_log;
static u64 shim_seq;

u64 shim_seq_next(void)
{
	return ++shim_seq;
}

void shim_trace_record(const char *name, const u64 *args, int nargs)
{
	struct shim_trace_ev *ev;

	if (shim_trace_log.n >= SHIM_TRACE_MAX_EVENTS) {
		shim_trace_log.overflow++;
		return;
	}
	ev = &shim_trace_log.ev[shim_trace_log.n++];
	ev->name = name;
	ev->nargs = nargs < SHIM_TRACE_MAX_ARGS ? nargs : SHIM_TRACE_MAX_ARGS;
	memcpy(ev->args, args, sizeof(*args) * ev->nargs);
	ev->seq = shim_seq_next();
}

void shim_trace_reset(void)
{
	shim_trace_log.n = 0;
	shim_trace_log.overflow = 0;
}

int shim_trace_count(const char *name)
{
	int n = 0;

	for (int i = 0; i < shim_trace_log.n; i++)
		n += !strcmp(shim_trace_log.ev[i].name, name);
	return n;
}

const struct shim_trace_ev *shim_trace_find(const char *name, int nth)
{
	int n = shim_trace_count(name);

	if (nth < 0)
		nth += n;
	if (nth < 0 || nth >= n)
		return NULL;
	for (int i = 0; i < shim_trace_log.n; i++)
		if (!strcmp(shim_trace_log.ev[i].name, name) && !nth--)
			return &shim_trace_log.ev[i];
	return NULL;
}
