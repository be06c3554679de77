// SPDX-License-Identifier: GPL-2.0-only
/*
 * The perf model (perf_model.h).  Function bodies follow Linux 6.1's
 * kernel/events/ring_buffer.c line by line where the AUX handle is
 * concerned; refcounting, nesting across NMIs and the ring buffer's data
 * part are left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/irq_work.h>
#include <linux/smp.h>

#include "perf_model.h"

struct perf_model perf_model;

/* include/linux/circ_buf.h */
#define CIRC_SPACE(head, tail, size) (((tail) - ((head) + 1)) & ((size) - 1))

static u64 perf_aux_size(struct perf_buffer *rb)
{
	return (u64)rb->aux_nr_pages * rb->page_size;
}

void perf_model_init(int nr_pages, u64 page_size, bool overwrite,
		     u64 watermark)
{
	struct perf_buffer *rb = &perf_model.rb;

	perf_model_free();
	if (nr_pages <= 0 || (nr_pages & (nr_pages - 1))) {
		/* perf_mmap() refuses these */
		fprintf(stderr, "perf_model: %d AUX pages: not a power of two\n",
			nr_pages);
		abort();
	}
	memset(&perf_model, 0, sizeof(perf_model));
	rb->aux_nr_pages = nr_pages;
	rb->page_size = page_size;
	rb->aux_size = (u64)nr_pages * page_size;
	rb->aux_overwrite = overwrite;
	rb->aux_mmapped = true;
	if (!overwrite && !watermark)
		watermark = rb->aux_size / 2;	/* nr_pages << (PAGE_SHIFT - 1) */
	rb->aux_watermark = overwrite ? 0 : watermark;
	rb->aux_mem = aligned_alloc(page_size, rb->aux_size);
	if (!rb->aux_mem)
		abort();
	/* not zero: padding the driver forgets to write shows */
	memset(rb->aux_mem, 0xa5, rb->aux_size);
}

void perf_model_free(void)
{
	free(perf_model.rb.aux_mem);
	free(perf_model.aux);
	free(perf_model.stream);
	memset(&perf_model, 0, sizeof(perf_model));
}

/*
 * What ring_buffer.c stores in event->pending_disable.  6.1 stores
 * smp_processor_id() while core.c tests it for non-zero, so on CPU 0 the
 * disable never happens; later kernels call perf_event_disable_inatomic(),
 * which stores 1.  perf_model.disable_as_6_1 picks the former.
 */
static unsigned int pending_disable_value(void)
{
	return perf_model.disable_as_6_1 ? (unsigned int)smp_processor_id() : 1;
}

/* perf_output_wakeup(): poll state, and event->pending_irq queued */
static void perf_output_wakeup(struct perf_output_handle *handle)
{
	perf_model.wakeups++;
	handle->event->pending_wakeup = 1;
	perf_model.irq_work_event = handle->event;
}

static void perf_event_aux_event(struct perf_event *event, u64 head,
				 u64 size, u64 flags)
{
	struct perf_model_aux_rec *r;

	if (perf_model.naux == perf_model.aux_cap) {
		perf_model.aux_cap = perf_model.aux_cap ? 2 * perf_model.aux_cap : 64;
		perf_model.aux = realloc(perf_model.aux, perf_model.aux_cap *
					 sizeof(*perf_model.aux));
		if (!perf_model.aux)
			abort();
	}
	r = &perf_model.aux[perf_model.naux++];
	r->offset = head;
	r->size = size;
	r->flags = flags;
}

void *perf_aux_output_begin(struct perf_output_handle *handle,
			    struct perf_event *event)
{
	struct perf_event *output_event = event;
	unsigned long aux_head, aux_tail;
	struct perf_buffer *rb;

	if (output_event->parent)
		output_event = output_event->parent;

	rb = output_event->rb;
	if (!rb || !rb->aux_mmapped)
		goto err;

	/* Nesting is not supported for AUX area */
	if (rb->aux_nest) {
		perf_model.api_misuse++;
		goto err;
	}
	rb->aux_nest = 1;

	aux_head = rb->aux_head;

	handle->rb = rb;
	handle->event = event;
	handle->head = aux_head;
	handle->size = 0;
	handle->aux_flags = 0;

	/* In overwrite mode the stores do not depend on aux_tail */
	if (!rb->aux_overwrite) {
		aux_tail = rb->user_page.aux_tail;
		handle->wakeup = rb->aux_wakeup + rb->aux_watermark;
		if (aux_head - aux_tail < perf_aux_size(rb))
			handle->size = CIRC_SPACE(aux_head, aux_tail,
						  perf_aux_size(rb));

		if (!handle->size) {
			event->pending_disable = pending_disable_value();
			perf_output_wakeup(handle);
			rb->aux_nest = 0;
			goto err;
		}
	}

	return handle->rb->aux_priv;

err:
	handle->event = NULL;
	return NULL;
}

static bool rb_need_aux_wakeup(struct perf_buffer *rb)
{
	if (rb->aux_overwrite)
		return false;

	if (rb->aux_head - rb->aux_wakeup >= rb->aux_watermark) {
		rb->aux_wakeup = rb->aux_head - rb->aux_head % rb->aux_watermark;
		return true;
	}

	return false;
}

void perf_aux_output_end(struct perf_output_handle *handle,
			 unsigned long size)
{
	bool wakeup = !!(handle->aux_flags & PERF_AUX_FLAG_TRUNCATED);
	struct perf_buffer *rb = handle->rb;
	unsigned long aux_head;

	if (!handle->event) {
		/* the kernel would oops on a NULL rb: count it as a bug */
		fprintf(stderr, "perf_model: perf_aux_output_end() without a session\n");
		perf_model.api_misuse++;
		return;
	}

	/* in overwrite mode, driver provides aux_head via handle */
	if (rb->aux_overwrite) {
		handle->aux_flags |= PERF_AUX_FLAG_OVERWRITE;

		aux_head = handle->head;
		rb->aux_head = aux_head;
	} else {
		handle->aux_flags &= ~PERF_AUX_FLAG_OVERWRITE;

		aux_head = rb->aux_head;
		rb->aux_head += size;
	}

	/* Only send RECORD_AUX if there is something to communicate */
	if (size ||
	    (handle->aux_flags & ~(u64)(PERF_AUX_FLAG_PMU_FORMAT_TYPE_MASK |
					PERF_AUX_FLAG_OVERWRITE)))
		perf_event_aux_event(handle->event, aux_head, size,
				     handle->aux_flags);

	rb->user_page.aux_head = rb->aux_head;
	if (rb_need_aux_wakeup(rb))
		wakeup = true;

	if (wakeup) {
		if (handle->aux_flags & PERF_AUX_FLAG_TRUNCATED)
			handle->event->pending_disable = pending_disable_value();
		perf_output_wakeup(handle);
	}

	handle->event = NULL;
	rb->aux_nest = 0;
}

int perf_aux_output_skip(struct perf_output_handle *handle,
			 unsigned long size)
{
	struct perf_buffer *rb = handle->rb;

	if (size > handle->size) {
		/* -ENOSPC, which the caller may well ignore: count it */
		fprintf(stderr, "perf_model: perf_aux_output_skip(%lu) with %lu free\n",
			size, handle->size);
		perf_model.api_misuse++;
		return -28;
	}

	rb->aux_head += size;

	rb->user_page.aux_head = rb->aux_head;
	if (rb_need_aux_wakeup(rb)) {
		perf_output_wakeup(handle);
		handle->wakeup = rb->aux_wakeup + rb->aux_watermark;
	}

	handle->head = rb->aux_head;
	handle->size -= size;

	return 0;
}

void *perf_get_aux(struct perf_output_handle *handle)
{
	/* this is only valid between perf_aux_output_begin and *_end */
	if (!handle->event)
		return NULL;

	return handle->rb->aux_priv;
}

void perf_aux_output_flag(struct perf_output_handle *handle, u64 flags)
{
	/* OVERWRITE is determined by perf_aux_output_end() */
	if (flags & PERF_AUX_FLAG_OVERWRITE) {
		fprintf(stderr, "perf_model: WARN: OVERWRITE passed to perf_aux_output_flag()\n");
		perf_model.api_misuse++;
		return;
	}

	handle->aux_flags |= flags;
}

/*
 * perf_pending_irq(): the wakeup, then a pending disable if the event runs
 * here: perf_event_disable_local() -> event_sched_out() -> pmu->del().
 */
void irq_work_run(void)
{
	struct perf_event *event = perf_model.irq_work_event;

	if (!event)
		return;
	perf_model.irq_work_event = NULL;
	event->pending_wakeup = 0;
	if (event->oncpu < 0)
		return;
	if (event->pending_disable) {
		event->pending_disable = 0;
		perf_model.disables++;
		event->pmu->del(event, 0);
		event->oncpu = -1;
		event->state = PERF_EVENT_STATE_OFF;
	}
}

int perf_model_sched_in(struct perf_event *event)
{
	int ret;

	event->state = PERF_EVENT_STATE_ACTIVE;
	event->oncpu = smp_processor_id();
	ret = event->pmu->add(event, PERF_EF_START);
	if (ret) {
		event->state = PERF_EVENT_STATE_INACTIVE;
		event->oncpu = -1;
	}
	return ret;
}

void perf_model_sched_out(struct perf_event *event)
{
	if (event->state != PERF_EVENT_STATE_ACTIVE)
		return;
	event->pmu->del(event, 0);
	event->oncpu = -1;
	if (event->pending_disable) {
		event->pending_disable = 0;
		event->state = PERF_EVENT_STATE_OFF;
	} else {
		event->state = PERF_EVENT_STATE_INACTIVE;
	}
}

u64 perf_model_unconsumed(void)
{
	struct perf_buffer *rb = &perf_model.rb;

	return rb->user_page.aux_head - rb->user_page.aux_tail;
}

u64 perf_model_consume(u64 max)
{
	struct perf_buffer *rb = &perf_model.rb;
	u64 tail = rb->user_page.aux_tail, head = rb->user_page.aux_head;
	u64 n = head - tail;

	if (n > max)
		n = max;
	if (head > perf_model.stream_cap) {
		u64 cap = perf_model.stream_cap ? perf_model.stream_cap : 65536;

		while (cap < head)
			cap *= 2;
		perf_model.stream = realloc(perf_model.stream, cap);
		if (!perf_model.stream)
			abort();
		perf_model.stream_cap = cap;
	}
	/* copy out as perf record does, in two runs at the ring's end */
	for (u64 done = 0, chunk; done < n; done += chunk) {
		u64 off = (tail + done) % rb->aux_size;

		chunk = n - done < rb->aux_size - off ? n - done :
							 rb->aux_size - off;
		memcpy(perf_model.stream + tail + done, rb->aux_mem + off, chunk);
	}
	rb->user_page.aux_tail = tail + n;
	return n;
}

bool perf_model_may_write(void *ctx, u64 off, u64 len)
{
	struct perf_buffer *rb = &perf_model.rb;
	u64 size = rb->aux_size;
	u64 t = rb->user_page.aux_tail % size;
	u64 used = rb->aux_head - rb->user_page.aux_tail;

	(void)ctx;
	if (rb->aux_overwrite || !used)
		return true;
	/* do [off, off + len) and the circular [t, t + used) intersect? */
	for (int k = -1; k <= 1; k++) {
		s64 a = (s64)t + k * (s64)size;

		if ((s64)off < a + (s64)used && a < (s64)(off + len))
			return false;
	}
	return true;
}

const struct perf_model_aux_rec *perf_model_last_aux(void)
{
	return perf_model.naux ? &perf_model.aux[perf_model.naux - 1] : NULL;
}
