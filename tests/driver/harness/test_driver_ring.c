// SPDX-License-Identifier: GPL-2.0-only
/*
 * Driver sequences in normal (non-snapshot) mode: buffer full and restart,
 * truncation with the profiler parked (no room at the restart, perf
 * refusing the restart, data lost), the collision flag, and a randomised
 * soak over ring, page, record and alignment sizes with a consumer that
 * falls behind.  Review points 9, 11, 13 and the AUX ring guarantees.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/irq_work.h>

#include "check.h"
#include "drv_check.h"
#include "aux_check.h"
#include "test_helpers.h"

#define FULL_PMBSR	(SPE_PMBSR_EL1_S |					\
			 SPE_FIELD_PREP(SPE_PMBSR_EL1_EC, SPE_PMBSR_EC_BUF) |	\
			 SPE_FIELD_PREP(SPE_PMBSR_EL1_BUF_BSC, SPE_PMBSR_BSC_FULL))

/* Consume everything and check what perf record would have got */
static void check_delivered(int want_missing, int want_cut)
{
	struct aux_check c;

	h_consume();
	aux_check_stream(&c);
	CHECK_EQ_U64(c.errors, 0);
	CHECK_EQ_U64(c.missing, want_missing);
	CHECK_EQ_U64(c.cut, want_cut);
	aux_check_free(&c);
}

/* (a) A full buffer ends the session at PMBPTR and starts the next one */
static void test_full_then_restart(void)
{
	struct h_cfg cfg = { .nr_pages = 4, .seed = 1 };
	const struct shim_trace_ev *ev;
	u64 ptr, start;
	int m, r0;

	h_setup(&cfg);
	m = tp_mark();
	CHECK_EQ_U64(h_sched_in(), 0);
	CHECK_STR(tp_since(m), "aux_begin");
	/* 16K ring, watermark 8K: the first session stops at the wakeup */
	ev = tp("arm_spe_aux_begin", 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_HEAD, 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_SIZE, 16383);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_WAKEUP, 8192);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_LIMIT, 8192);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_BUF_SIZE, 16384);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_SNAPSHOT, 0);
	CHECK_EQ_U64(spe_sim_ptr_off(), 0);
	CHECK_EQ_U64(h_limit_off(), 8192);
	CHECK(spe_sim_profiling());

	spe_sim_run(100000);
	CHECK(spe_sim_irq_line());
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBSR), FULL_PMBSR);
	ptr = spe_sim_ptr_off();
	CHECK(ptr <= 8192 && 8192 - ptr < 64);
	CHECK_EQ_U64(h_rec_bytes(0), ptr);

	m = tp_mark();
	CHECK_EQ_U64(h_irq(), IRQ_HANDLED);
	/* records up to PMBPTR handed over; padded to the limit; next page */
	CHECK_STR(tp_since(m), "irq,aux_end,pad,aux_begin");
	ev = tp_after(m, "arm_spe_irq", 0);
	CHECK_ARG(ev, ARM_SPE_TP_IRQ_PMBSR, FULL_PMBSR);
	CHECK_ARG(ev, ARM_SPE_TP_IRQ_WRITTEN, ptr);
	CHECK_ARG(ev, ARM_SPE_TP_IRQ_PMBPTR_OFF, ptr);
	ev = tp_after(m, "arm_spe_aux_end", 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_SIZE, ptr);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_FLAGS, 0);
	ev = tp_after(m, "arm_spe_pad", 0);
	CHECK_ARG(ev, ARM_SPE_TP_PAD_OFFSET, ptr);
	CHECK_ARG(ev, ARM_SPE_TP_PAD_LEN, 8192 - ptr);
	ev = tp_after(m, "arm_spe_aux_begin", 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_HEAD, ptr);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_SIZE, 16383 - ptr);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_WAKEUP, 8192);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_LIMIT, 12288);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_BUF_SIZE, 16384);
	CHECK_EQ_U64(perf_model.naux, 1);
	CHECK_EQ_U64(perf_model.aux[0].offset, 0);
	CHECK_EQ_U64(perf_model.aux[0].size, ptr);
	CHECK_EQ_U64(perf_model.aux[0].flags, 0);
	/* the pad crossed the watermark: user space was woken */
	CHECK(perf_model.wakeups >= 1);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBSR), 0);
	CHECK_EQ_U64(spe_sim_ptr_off(), 8192);
	CHECK_EQ_U64(h_limit_off(), 12288);
	CHECK(spe_sim_profiling());
	CHECK_EQ_U64(H.event.hw.state, 0);

	/* A consumer that keeps up: every fill restarts, nothing truncates */
	for (int round = 0; round < 300; round++) {
		h_consume();
		start = spe_sim_ptr_off();
		r0 = spe_sim.nrecs;
		spe_sim_run(100000);
		if (!spe_sim_irq_line()) {
			CHECK(spe_sim_irq_line());
			break;
		}
		ptr = spe_sim_ptr_off();
		m = tp_mark();
		CHECK_EQ_U64(h_irq(), IRQ_HANDLED);
		ev = tp_after(m, "arm_spe_aux_end", 0);
		CHECK_ARG(ev, ARM_SPE_TP_AUX_END_SIZE, ptr - start);
		CHECK_ARG(ev, ARM_SPE_TP_AUX_END_SIZE, h_rec_bytes(r0));
		CHECK_ARG(tp_after(m, "arm_spe_irq", 0), ARM_SPE_TP_IRQ_WRITTEN,
			  ptr - start);
		CHECK(tp_after(m, "arm_spe_aux_begin", 0) != NULL);
		CHECK(spe_sim_profiling());
	}
	CHECK_EQ_U64(shim_trace_count("arm_spe_truncate"), 0);

	/* The held record reaches the buffer before it is disabled */
	spe_sim_run(3);
	h_sched_out();
	CHECK_EQ_U64(spe_sim.dropped_disabled, 0);
	check_delivered(0, 0);
	CHECK_CLEAN();
	h_teardown();
}

/*
 * (b) The consumer does not read.  The second restart finds less than a
 * page past the head: the rest of the ring is handed back as padding, the
 * session is truncated, the buffer stays disabled once PMBSR is cleared,
 * and perf's pending disable stops the event.  A later start with no
 * space at all fails at once.
 */
static void test_truncate_no_room(void)
{
	struct h_cfg cfg = { .nr_pages = 4, .seed = 2 };
	const struct shim_trace_ev *ev;
	u64 ptr;
	int m;

	h_setup(&cfg);
	CHECK_EQ_U64(h_sched_in(), 0);
	spe_sim_run(100000);
	CHECK_EQ_U64(h_irq(), IRQ_HANDLED);		/* 8K: restart to 12K */
	CHECK_EQ_U64(h_limit_off(), 12288);
	spe_sim_run(100000);
	CHECK(spe_sim_irq_line());
	ptr = spe_sim_ptr_off();
	CHECK(ptr <= 12288 && 12288 - ptr < 64);

	m = tp_mark();
	CHECK_EQ_U64(h_irq(), IRQ_HANDLED);
	CHECK_STR(tp_since(m), "irq,aux_end,pad,pad,aux_begin,truncate,aux_end");
	ev = tp_after(m, "arm_spe_aux_end", 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_SIZE, ptr - 8192);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_FLAGS, 0);
	ev = tp_after(m, "arm_spe_pad", 1);
	CHECK_ARG(ev, ARM_SPE_TP_PAD_OFFSET, 12288);
	CHECK_ARG(ev, ARM_SPE_TP_PAD_LEN, 4095);	/* CIRC_SPACE keeps one */
	ev = tp_after(m, "arm_spe_aux_begin", 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_HEAD, ptr);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_SIZE, 16383 - ptr);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_WAKEUP, 16384);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_LIMIT, 0);
	ev = tp_after(m, "arm_spe_truncate", 0);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_REASON, ARM_SPE_TRUNC_LIMIT_LE_HEAD);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_HEAD, 16383);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_SIZE, 16383 - ptr);
	ev = tp_after(m, "arm_spe_aux_end", 1);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_SIZE, 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_FLAGS, ARM_SPE_TP_AUX_FLAG_TRUNCATED);
	CHECK(perf_model_last_aux() != NULL);
	if (perf_model_last_aux()) {
		CHECK_EQ_U64(perf_model_last_aux()->offset, 16383);
		CHECK_EQ_U64(perf_model_last_aux()->size, 0);
		CHECK_EQ_U64(perf_model_last_aux()->flags,
			     PERF_AUX_FLAG_TRUNCATED);
	}

	/* parked: disabled with PMBSR clear, nothing more is written */
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBSR), 0);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR) & SPE_PMBLIMITR_EL1_E, 0);
	CHECK_EQ_U64(spe_sim_run(10), 0);
	/* perf's pending disable ran and stopped the event */
	CHECK_EQ_U64(perf_model.disables, 1);
	CHECK_EQ_U64(H.stops, 1);
	CHECK(H.event.hw.state & PERF_HES_STOPPED);
	CHECK_EQ_U64(H.event.state, PERF_EVENT_STATE_OFF);
	CHECK_EQ_U64(perf_model.rb.aux_head, 16383);

	/* Enabled again without reading: no space at all, start fails */
	m = tp_mark();
	spe_sim_log_clear();
	CHECK_EQ_U64(h_sched_in(), (u64)-EINVAL);
	CHECK_STR(tp_since(m), "truncate");
	ev = tp_after(m, "arm_spe_truncate", 0);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_REASON, ARM_SPE_TRUNC_NO_SPACE);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_HEAD, 0);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_SIZE, 0);
	CHECK_EQ_U64(spe_sim_find_op(0, SPE_OP_WRITE, SPE_SIM_PMSCR), (u64)-1);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR) & SPE_PMBLIMITR_EL1_E, 0);
	CHECK(H.event.hw.state & PERF_HES_STOPPED);

	/*
	 * Read, and it runs again.  (perf core keeps the disable the failed
	 * begin asked for while the event was not running, and acts on it
	 * at the next irq_work: here the wakeup of the restart's padding.)
	 */
	check_delivered(0, 0);
	CHECK_EQ_U64(perf_model_sched_in(&H.event), 0);
	CHECK(spe_sim_profiling());
	CHECK(tp("arm_spe_aux_begin", -1) != NULL);
	irq_work_run();
	CHECK_EQ_U64(H.event.state, PERF_EVENT_STATE_OFF);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR) & SPE_PMBLIMITR_EL1_E, 0);
	check_delivered(0, 0);
	CHECK_CLEAN();
	h_teardown();
}

/*
 * (b) The restart after a buffer-full interrupt is refused by perf: the
 * hardware filled the window exactly up to one byte short of the
 * consumer, which leaves perf no space (CIRC_SPACE keeps one byte).
 */
static void test_truncate_restart_failed(void)
{
	struct h_cfg cfg = { .nr_pages = 4, .seed = 3 };
	const struct shim_trace_ev *ev;
	int m;

	h_setup(&cfg);
	CHECK_EQ_U64(h_sched_in(), 0);
	/* a session ending at 4097, read: the consumer is at 4097 */
	CHECK(h_records_to(4097));
	h_sched_out();
	CHECK_EQ_U64(perf_model.rb.aux_head, 4097);
	h_consume();
	CHECK_EQ_U64(h_sched_in(), 0);
	CHECK_EQ_U64(h_limit_off(), 8192);
	/* [4097, 8K), [8K, 16K), then [0, 4K) up to the consumer's page */
	spe_sim_run(100000);
	CHECK_EQ_U64(h_irq(), IRQ_HANDLED);
	CHECK_EQ_U64(h_limit_off(), 16384);
	spe_sim_run(100000);
	CHECK_EQ_U64(h_irq(), IRQ_HANDLED);
	CHECK_EQ_U64(spe_sim_ptr_off(), 0);
	CHECK_EQ_U64(h_limit_off(), 4096);
	CHECK(h_fill_exactly(4096));

	m = tp_mark();
	CHECK_EQ_U64(h_irq(), IRQ_HANDLED);
	CHECK_STR(tp_since(m), "irq,aux_end,truncate");
	ev = tp_after(m, "arm_spe_aux_end", 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_SIZE, 4096);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_FLAGS, 0);
	ev = tp_after(m, "arm_spe_truncate", 0);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_REASON, ARM_SPE_TRUNC_RESTART_FAILED);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_HEAD, 0);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_SIZE, 0);
	CHECK_EQ_U64(perf_model.rb.aux_head, 16384 + 4096);

	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBSR), 0);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR) & SPE_PMBLIMITR_EL1_E, 0);
	CHECK_EQ_U64(spe_sim_run(10), 0);
	CHECK(H.event.hw.state & PERF_HES_STOPPED);
	CHECK_EQ_U64(perf_model.disables, 1);
	CHECK_EQ_U64(H.event.state, PERF_EVENT_STATE_OFF);
	/*
	 * perf's stop returns early for a stopped event, so the handler did
	 * its work: sampling off, the interval counter kept for the next
	 * start.
	 */
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMSCR), 0);
	CHECK(H.event.hw.state & PERF_HES_UPTODATE);
	CHECK_EQ_U64(local64_read(&H.event.hw.period_left),
		     spe_sim_peek(SPE_SIM_PMSICR));
	check_delivered(0, 0);
	CHECK_CLEAN();
	h_teardown();
}

/*
 * (b) Data lost: the session ends with TRUNCATED|PARTIAL at PMBPTR
 * rounded down to max_record_sz (review point 9), and the buffer stays
 * disabled when PMBSR is cleared (point 11), whether or not perf's pending
 * disable runs (on 6.1 it never does on CPU 0).
 */
static void dl_case(u32 bsc, bool v61, u64 seed)
{
	struct h_cfg cfg = { .nr_pages = 4, .seed = seed,
			     .max_record_sz = 256 };
	const struct shim_trace_ev *ev;
	u64 ptr, pmbsr;
	int m;

	h_setup(&cfg);
	perf_model.disable_as_6_1 = v61;
	CHECK_EQ_U64(h_sched_in(), 0);
	spe_sim_run(7);
	spe_sim_inject_dl(20, bsc);
	CHECK(spe_sim_irq_line());
	ptr = spe_sim_ptr_off();
	pmbsr = spe_sim_peek(SPE_SIM_PMBSR);
	CHECK(pmbsr & SPE_PMBSR_EL1_DL);
	/* the cut must not fall on a max_record_sz boundary by chance */
	CHECK(ptr % 256 != 0);

	m = tp_mark();
	CHECK_EQ_U64(h_irq_handler(), IRQ_HANDLED);
	/* the handler ran perf's pending disable itself, before returning */
	CHECK_EQ_U64(H.stops, v61 ? 0 : 1);
	irq_work_run();
	CHECK_STR(tp_since(m), "irq,truncate,aux_end");
	ev = tp_after(m, "arm_spe_irq", 0);
	CHECK_ARG(ev, ARM_SPE_TP_IRQ_PMBSR, pmbsr);
	CHECK_ARG(ev, ARM_SPE_TP_IRQ_WRITTEN, ptr);
	ev = tp_after(m, "arm_spe_truncate", 0);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_REASON, ARM_SPE_TRUNC_DATA_LOST);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_HEAD, 0);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_SIZE, 16383);
	ev = tp_after(m, "arm_spe_aux_end", 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_SIZE, ptr & ~255ULL);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_FLAGS,
		  ARM_SPE_TP_AUX_FLAG_TRUNCATED | ARM_SPE_TP_AUX_FLAG_PARTIAL);
	CHECK(perf_model_last_aux() != NULL);
	if (perf_model_last_aux()) {
		CHECK_EQ_U64(perf_model_last_aux()->size, ptr & ~255ULL);
		CHECK_EQ_U64(perf_model_last_aux()->flags,
			     PERF_AUX_FLAG_TRUNCATED | PERF_AUX_FLAG_PARTIAL);
	}
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBSR), 0);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR) & SPE_PMBLIMITR_EL1_E, 0);
	CHECK_EQ_U64(spe_sim_run(10), 0);
	if (v61) {
		CHECK_EQ_U64(perf_model.disables, 0);
	} else {
		CHECK_EQ_U64(perf_model.disables, 1);
		CHECK(H.event.hw.state & PERF_HES_STOPPED);
		CHECK_EQ_U64(H.event.state, PERF_EVENT_STATE_OFF);
	}
	/* nothing restarts it, even with the buffer read */
	h_consume();
	CHECK_EQ_U64(h_irq_handler(), IRQ_NONE);
	CHECK_EQ_U64(spe_sim_run(10), 0);
	{
		struct aux_check c;
		u64 kept = ptr & ~255ULL, whole = 0;
		int want_missing = 0, want_cut = 0;

		/* records past the rounded pointer do not reach perf */
		for (int i = 0; i < spe_sim.nrecs; i++) {
			const struct spe_sim_rec *r = &spe_sim.recs[i];

			if (r->partial)
				continue;
			if (r->off + r->len <= kept)
				whole++;
			else
				want_missing++;
			if (r->off < kept && r->off + r->len > kept)
				want_cut++;
		}
		aux_check_stream(&c);
		CHECK_EQ_U64(c.errors, 0);
		CHECK_EQ_U64(c.whole, whole);
		CHECK_EQ_U64(c.missing, want_missing);
		CHECK_EQ_U64(c.cut, want_cut);
		aux_check_free(&c);
	}
	CHECK_CLEAN();
	h_teardown();
}

static void test_data_lost(void)
{
	dl_case(SPE_PMBSR_BSC_NOT_FULL, false, 4);
	dl_case(SPE_PMBSR_BSC_FULL, false, 5);
	dl_case(SPE_PMBSR_BSC_NOT_FULL, true, 6);
}

/* (c) COLL reaches the AUX record; profiling goes on (review point 13) */
static void test_collision(void)
{
	struct h_cfg cfg = { .nr_pages = 4, .seed = 7 };
	const struct shim_trace_ev *ev;
	u64 ptr, pmbsr;
	int m;

	h_setup(&cfg);
	CHECK_EQ_U64(h_sched_in(), 0);
	spe_sim_inject_coll();
	spe_sim_run(100000);
	pmbsr = spe_sim_peek(SPE_SIM_PMBSR);
	CHECK_EQ_U64(pmbsr, FULL_PMBSR | SPE_PMBSR_EL1_COLL);
	ptr = spe_sim_ptr_off();

	m = tp_mark();
	CHECK_EQ_U64(h_irq(), IRQ_HANDLED);
	CHECK_STR(tp_since(m), "irq,collision,aux_end,pad,aux_begin");
	ev = tp_after(m, "arm_spe_collision", 0);
	CHECK_ARG(ev, ARM_SPE_TP_COLLISION_PMBSR, pmbsr);
	CHECK_ARG(ev, ARM_SPE_TP_COLLISION_HEAD, 0);
	ev = tp_after(m, "arm_spe_aux_end", 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_SIZE, ptr);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_FLAGS, ARM_SPE_TP_AUX_FLAG_COLLISION);
	CHECK_EQ_U64(perf_model.naux, 1);
	CHECK_EQ_U64(perf_model.aux[0].flags, PERF_AUX_FLAG_COLLISION);
	CHECK_EQ_U64(perf_model.aux[0].size, ptr);
	CHECK(spe_sim_profiling());
	CHECK_EQ_U64(perf_model.disables, 0);
	CHECK_EQ_U64(H.event.hw.state, 0);

	/* the next session's record is clean again */
	h_consume();
	spe_sim_run(100000);
	CHECK_EQ_U64(h_irq(), IRQ_HANDLED);
	CHECK_EQ_U64(perf_model.naux, 2);
	CHECK_EQ_U64(perf_model.aux[1].flags, 0);
	h_sched_out();
	check_delivered(0, 0);
	CHECK_CLEAN();
	h_teardown();
}

/*
 * Randomised: ring/page/record/alignment sizes, a consumer that reads
 * some, all or nothing, context switches.  Whatever happens, the unit
 * never writes over unconsumed data (checked by spe_sim on every enable
 * and every record), every record written reaches perf exactly once and
 * in order, and truncations leave the event stopped and the buffer off.
 */
static void test_soak(void)
{
	static const u64 pages[] = { 4096, 16384, 65536 };
	static const u64 mrs[] = { 64, 256, 2048 };
	static const u64 aligns[] = { 1, 16, 64 };
	u64 rng = 12345;

	for (int iter = 0; iter < 54; iter++) {
		struct h_cfg cfg = {
			.nr_pages = 1 << (iter % 3 + 1),
			.page_size = pages[iter / 3 % 3],
			.max_record_sz = mrs[iter / 9 % 3],
			.align = aligns[iter / 27 % 2 ? 2 : iter % 2],
			.seed = 1000 + iter,
		};
		struct aux_check c;
		int truncs = 0, restarts = 0;

		h_setup(&cfg);
		CHECK_EQ_U64(h_sched_in(), 0);
		for (int step = 0; step < 400; step++) {
			rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
			switch (rng >> 61) {
			case 0:
				h_consume();
				break;
			case 1:
				perf_model_consume((rng >> 20) % (H.buf.ring.size / 2));
				break;
			case 2:
				h_sched_out();
				if (H.event.state == PERF_EVENT_STATE_INACTIVE)
					CHECK_EQ_U64(h_sched_in() + 1, 1);
				break;
			default:
				/* up to about three buffer fills */
				h_run((int)((rng >> 32) %
					    (3 * H.buf.ring.size /
					     cfg.max_record_sz)));
				break;
			}
			if (H.event.state == PERF_EVENT_STATE_OFF) {
				/* truncated: the buffer must be off */
				truncs++;
				CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR) &
					     SPE_PMBLIMITR_EL1_E, 0);
				CHECK(!spe_sim_irq_line());
				h_consume();
				H.event.state = PERF_EVENT_STATE_INACTIVE;
				restarts += h_sched_in() == 0;
			}
			if (H.irq_storm)
				break;
		}
		h_sched_out();
		h_consume();
		aux_check_stream(&c);
		CHECK_EQ_U64(c.errors, 0);
		CHECK_EQ_U64(c.missing, 0);
		CHECK_EQ_U64(c.cut, 0);
		CHECK_EQ_U64(c.whole, spe_sim.nrecs);
		CHECK(truncs == 0 || restarts > 0);
		CHECK_EQ_U64(spe_sim.dropped_disabled, 0);
		aux_check_free(&c);
		if (h_problems())
			printf("  soak %d: %d pages of %llu, record %llu, align %llu\n",
			       iter, cfg.nr_pages, cfg.page_size,
			       cfg.max_record_sz, cfg.align);
		CHECK_CLEAN();
		h_teardown();
	}
}

int main(void)
{
	RUN_TEST(test_full_then_restart);
	RUN_TEST(test_truncate_no_room);
	RUN_TEST(test_truncate_restart_failed);
	RUN_TEST(test_data_lost);
	RUN_TEST(test_collision);
	RUN_TEST(test_soak);
	CHECK_DONE();
}
