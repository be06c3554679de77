/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A model of perf's side of an AUX event on one CPU, following
 * kernel/events/ring_buffer.c and core.c of Linux 6.1:
 *   - the ring buffer's AUX state (aux_head, aux_wakeup, aux_watermark,
 *     overwrite mode, the user page's aux_head/aux_tail) and its pages;
 *   - perf_aux_output_begin/end/skip/flag and perf_get_aux;
 *   - PERF_RECORD_AUX records, wakeups and the pending disable, run by
 *     irq_work_run() through pmu->del as perf_event_disable_local() does;
 *   - event scheduling (pmu->add/del) and a consumer that reads the AUX
 *     area as perf record does, moving aux_tail.
 */
#ifndef SPEKIT_DRVH_PERF_MODEL_H
#define SPEKIT_DRVH_PERF_MODEL_H

#include <linux/perf_event.h>
#include <linux/types.h>

/* The user page's AUX fields */
struct perf_model_user_page {
	u64 aux_head;
	u64 aux_tail;
};

/* kernel/events/internal.h's struct perf_buffer, AUX part */
struct perf_buffer {
	unsigned long aux_head;
	unsigned long aux_wakeup;
	unsigned long aux_watermark;
	bool aux_overwrite;
	int aux_nest;
	int aux_nr_pages;
	void *aux_priv;			/* setup_aux()'s result */
	bool aux_mmapped;		/* aux_mmap_count != 0 */
	struct perf_model_user_page user_page;

	u8 *aux_mem;			/* the AUX pages, contiguous here */
	u64 aux_size;
	u64 page_size;
};

/* A PERF_RECORD_AUX */
struct perf_model_aux_rec {
	u64 offset;
	u64 size;
	u64 flags;
};

struct perf_model {
	struct perf_buffer rb;
	struct perf_event *irq_work_event;	/* event->pending_irq queued */
	int wakeups;				/* perf_output_wakeup() calls */
	int disables;				/* pending disables run */
	int api_misuse;			/* API misuse seen */
	bool disable_as_6_1;			/* see pending_disable_value() */

	struct perf_model_aux_rec *aux;		/* records, in order */
	int naux, aux_cap;

	/* the consumer's copy of the AUX data, by index from 0 */
	u8 *stream;
	u64 stream_cap;
};

extern struct perf_model perf_model;

/*
 * mmap of the AUX area (rb_alloc_aux): @nr_pages a power of two; the
 * watermark defaults to half the buffer, as perf's does; none in overwrite
 * mode.
 */
void perf_model_init(int nr_pages, u64 page_size, bool overwrite,
		     u64 watermark);
void perf_model_free(void);

/* event_sched_in()/event_sched_out() around pmu->add/del */
int perf_model_sched_in(struct perf_event *event);
void perf_model_sched_out(struct perf_event *event);

/*
 * The consumer: copy up to @max bytes (all with ~0) from aux_tail to the
 * user page's aux_head into the stream and move aux_tail.  Returns bytes.
 */
u64 perf_model_consume(u64 max);
/* Unconsumed bytes */
u64 perf_model_unconsumed(void);
/* spe_sim's may_write: nothing between aux_tail and aux_head is touched */
bool perf_model_may_write(void *ctx, u64 off, u64 len);

/* The last PERF_RECORD_AUX, or NULL */
const struct perf_model_aux_rec *perf_model_last_aux(void);

#endif
