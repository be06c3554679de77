// SPDX-License-Identifier: GPL-2.0-only
/* Ring buffer consumer (see events.h) */
#include <errno.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "events.h"
#include "out.h"

static int on_event(void *ctx, void *data, size_t size)
{
	struct sd_events *e = ctx;
	struct spe_drop_event ev;

	memset(&ev, 0, sizeof(ev));
	memcpy(&ev, data, size < sizeof(ev) ? size : sizeof(ev));
	if (e->only && !sd_cpuset_has(e->only, ev.cpu))
		return 0;
	e->total++;
	if (e->json) {
		if (e->nqueue < SD_EVENTS_JSON_MAX)
			e->queue[e->nqueue++] = ev;
		else
			e->more++;
	} else if (e->shown < SD_EVENTS_SHOWN) {
		sd_text_event(e->out, &ev, e->t0_ns);
		e->shown++;
	} else {
		e->more++;
	}
	return 0;
}

int sd_events_open(struct sd_events *e, int map_fd)
{
	e->rb = ring_buffer__new(map_fd, on_event, e, NULL);
	return e->rb ? 0 : -errno;
}

int sd_events_poll(struct sd_events *e, int timeout_ms)
{
	int n = ring_buffer__poll(e->rb, timeout_ms);

	if (!e->json)
		fflush(e->out);
	return n;
}

void sd_events_next_interval(struct sd_events *e)
{
	e->nqueue = 0;
	e->shown = 0;
	e->more = 0;
}

void sd_events_close(struct sd_events *e)
{
	ring_buffer__free(e->rb);
	e->rb = NULL;
}
