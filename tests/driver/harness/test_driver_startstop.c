// SPDX-License-Identifier: GPL-2.0-only
/*
 * pmu start/stop and the interrupt's edges: the order of register writes
 * and barriers (review points 12 and 20), PMSIRR/PMSICR only on reload,
 * the period kept across stop/start, spurious interrupts, a management
 * event pending when perf stops the event (a context switch), parking
 * before PMBSR is cleared (point 11), a start that finds no room, and
 * discard mode.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/irq_work.h>

#include "check.h"
#include "drv_check.h"
#include "aux_check.h"
#include "test_helpers.h"

/* The register writes and barriers since op @from, reads left out */
static const char *ops_since(int from)
{
	static char buf[8192];
	size_t n = 0;

	buf[0] = 0;
	for (int i = from; i < spe_sim.nops && n < sizeof(buf) - 64; i++) {
		const struct spe_sim_op *op = &spe_sim.ops[i];
		const char *sep = n ? "," : "";

		switch (op->kind) {
		case SPE_OP_READ:
			break;
		case SPE_OP_WRITE:
			n += snprintf(buf + n, sizeof(buf) - n, "%s%s", sep,
				      spe_sim_reg_name(op->reg));
			if (op->reg == SPE_SIM_PMSCR || op->reg == SPE_SIM_PMBSR ||
			    (op->reg == SPE_SIM_PMBLIMITR && !op->val))
				n += snprintf(buf + n, sizeof(buf) - n, "=%llx",
					      op->val);
			break;
		case SPE_OP_ISB:
			n += snprintf(buf + n, sizeof(buf) - n, "%sisb", sep);
			break;
		case SPE_OP_DSB:
			n += snprintf(buf + n, sizeof(buf) - n, "%sdsb %s", sep,
				      op->opt);
			break;
		case SPE_OP_PSB_CSYNC:
			n += snprintf(buf + n, sizeof(buf) - n, "%spsb csync",
				      sep);
			break;
		}
	}
	return buf;
}

#define DRAIN "PMSCR_EL1=0,isb,psb csync,dsb nsh,PMBLIMITR_EL1=0,isb"

static void check_clean_delivery(void)
{
	struct aux_check c;

	h_consume();
	aux_check_stream(&c);
	CHECK_EQ_U64(c.errors, 0);
	CHECK_EQ_U64(c.missing, 0);
	aux_check_free(&c);
}

/* The op index of the last write of @reg, or -1 */
static int last_write(enum spe_sim_reg reg)
{
	for (int i = spe_sim.nops - 1; i >= 0; i--)
		if (spe_sim.ops[i].kind == SPE_OP_WRITE &&
		    spe_sim.ops[i].reg == reg)
			return i;
	return -1;
}

/*
 * Point 20: the AUX session begins first (nothing is programmed when it
 * cannot), then the filters, PMSIRR, an ISB, PMSICR (on PERF_EF_RELOAD),
 * and PMSCR last, after an ISB.
 */
static void test_start_order(void)
{
	struct h_cfg cfg = {
		.seed = 60,
		.config = (1ULL << 0) |			/* ts_enable */
			  (1ULL << 16) |		/* jitter */
			  (1ULL << 33),			/* load_filter */
	};
	const struct shim_trace_ev *ev;
	int m, ptr_w, pmscr_w, irr_w, icr_w;

	h_setup(&cfg);
	H.event.attr.config1 = 1ULL << 1;		/* retired */
	H.event.attr.config2 = 100;			/* min latency */
	spe_sim_log_clear();
	m = tp_mark();
	CHECK_EQ_U64(h_sched_in(), 0);
	CHECK_STR(ops_since(0),
		  "PMBPTR_EL1,PMBLIMITR_EL1,PMSFCR_EL1,PMSEVFR_EL1,"
		  "PMSNEVFR_EL1,PMSLATFR_EL1,PMSIRR_EL1,isb,PMSICR_EL1,isb,"
		  "PMSCR_EL1=23");
	ev = tp_after(m, "arm_spe_aux_begin", 0);
	ptr_w = spe_sim_find_op(0, SPE_OP_WRITE, SPE_SIM_PMBPTR);
	pmscr_w = last_write(SPE_SIM_PMSCR);
	irr_w = last_write(SPE_SIM_PMSIRR);
	icr_w = last_write(SPE_SIM_PMSICR);
	CHECK(ev && ptr_w >= 0 && ev->seq < spe_sim.ops[ptr_w].seq);
	/* PMSCR is the last thing written, once, after an ISB */
	CHECK_EQ_U64(pmscr_w, spe_sim.nops - 1);
	CHECK_EQ_U64(spe_sim_find_op(0, SPE_OP_WRITE, SPE_SIM_PMSCR), pmscr_w);
	CHECK(pmscr_w > 0 && spe_sim.ops[pmscr_w - 1].kind == SPE_OP_ISB);
	CHECK(irr_w >= 0 && icr_w > irr_w &&
	      spe_sim_find_op(irr_w, SPE_OP_ISB, 0) < icr_w);
	/* the values */
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMSCR),
		     SPE_PMSCR_EL1_E0SPE | SPE_PMSCR_EL1_E1SPE |
		     SPE_PMSCR_EL1_TS);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMSIRR), 4096 | SPE_PMSIRR_EL1_RND);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMSICR), 4096);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMSFCR),
		     SPE_PMSFCR_EL1_FT | SPE_PMSFCR_EL1_LD | SPE_PMSFCR_EL1_FE |
		     SPE_PMSFCR_EL1_FL);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMSEVFR), 1ULL << 1);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMSLATFR), 100);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR),
		     ((u64)H.buf.base + 8192) | SPE_PMBLIMITR_EL1_E);
	h_sched_out();
	CHECK_CLEAN();
	h_teardown();
}

/* Without PERF_EF_RELOAD the interval is left alone; a stop saves it */
static void test_start_no_reload(void)
{
	struct h_cfg cfg = { .seed = 61 };
	u64 icr;

	h_setup(&cfg);
	CHECK_EQ_U64(h_sched_in(), 0);
	spe_sim_run(5);
	icr = spe_sim_peek(SPE_SIM_PMSICR);
	CHECK_EQ_U64(icr, 4096 + 5);
	H.event.pmu->stop(&H.event, PERF_EF_UPDATE);
	CHECK_EQ_U64(H.event.hw.state, PERF_HES_STOPPED | PERF_HES_UPTODATE);
	CHECK_EQ_U64(local64_read(&H.event.hw.period_left), icr);

	/* as perf unthrottling does */
	spe_sim_log_clear();
	H.event.pmu->start(&H.event, 0);
	CHECK_EQ_U64(spe_sim_find_op(0, SPE_OP_WRITE, SPE_SIM_PMSIRR), (u64)-1);
	CHECK_EQ_U64(spe_sim_find_op(0, SPE_OP_WRITE, SPE_SIM_PMSICR), (u64)-1);
	CHECK_EQ_U64(last_write(SPE_SIM_PMSCR), spe_sim.nops - 1);
	CHECK(spe_sim_profiling());
	CHECK_EQ_U64(H.event.hw.state, 0);

	/* a reload restores what the stop saved */
	spe_sim_run(2);
	H.event.pmu->stop(&H.event, PERF_EF_UPDATE);
	spe_sim_log_clear();
	H.event.pmu->start(&H.event, PERF_EF_RELOAD);
	CHECK(spe_sim_find_op(0, SPE_OP_WRITE, SPE_SIM_PMSIRR) >= 0);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMSICR), icr + 2);
	h_sched_out();
	check_clean_delivery();
	CHECK_CLEAN();
	h_teardown();
}

/* Point 12: stop drains before it disables; the held record survives */
static void test_stop_drain_order(void)
{
	struct h_cfg cfg = { .seed = 62 };
	const struct shim_trace_ev *ev;
	int m;

	h_setup(&cfg);
	CHECK_EQ_U64(h_sched_in(), 0);
	spe_sim_run(3);
	CHECK(spe_sim.pending);
	spe_sim_log_clear();
	m = tp_mark();
	h_sched_out();
	CHECK(!strncmp(ops_since(0), DRAIN, strlen(DRAIN)));
	if (strncmp(ops_since(0), DRAIN, strlen(DRAIN)))
		printf("  stop: %s\n", ops_since(0));
	CHECK_EQ_U64(spe_sim.dropped_disabled, 0);
	CHECK_EQ_U64(spe_sim.nrecs, 3);
	CHECK_STR(tp_since(m), "aux_end");
	ev = tp_after(m, "arm_spe_aux_end", 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_SIZE, h_rec_bytes(0));
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_FLAGS, 0);
	/* nothing left running */
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMSCR), 0);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR), 0);
	CHECK_EQ_U64(H.event.hw.state, PERF_HES_STOPPED | PERF_HES_UPTODATE);
	check_clean_delivery();
	CHECK_CLEAN();
	h_teardown();
}

/* Point 11: after data loss the buffer is disabled before PMBSR clears */
static void test_park_order(void)
{
	struct h_cfg cfg = { .seed = 63 };
	int from;

	h_setup(&cfg);
	perf_model.disable_as_6_1 = true;	/* the driver alone parks */
	CHECK_EQ_U64(h_sched_in(), 0);
	spe_sim_run(4);
	spe_sim_inject_dl(10, SPE_PMBSR_BSC_NOT_FULL);
	spe_sim_log_clear();
	CHECK_EQ_U64(h_irq(), IRQ_HANDLED);
	from = last_write(SPE_SIM_PMBSR);
	CHECK(from >= 0);
	CHECK_EQ_U64(spe_sim.ops[from].val, 0);
	/* the last thing before PMBSR is cleared is the drain and disable */
	CHECK(strstr(ops_since(0), DRAIN ",PMBSR_EL1=0,isb") != NULL);
	if (!strstr(ops_since(0), DRAIN ",PMBSR_EL1=0,isb"))
		printf("  irq: %s\n", ops_since(0));
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR) & SPE_PMBLIMITR_EL1_E, 0);
	CHECK_EQ_U64(spe_sim_run(5), 0);
	CHECK_CLEAN();
	h_teardown();
}

/* S clear: IRQ_NONE, only the irq tracepoint, no register written */
static void test_spurious_irq(void)
{
	struct h_cfg cfg = { .seed = 64 };
	const struct shim_trace_ev *ev;
	u64 ptr;
	int m;

	h_setup(&cfg);
	CHECK_EQ_U64(h_sched_in(), 0);
	spe_sim_run(5);
	spe_sim_log_clear();
	m = tp_mark();
	CHECK_EQ_U64(h_irq_handler(), IRQ_NONE);
	ptr = spe_sim_ptr_off();
	CHECK_STR(tp_since(m), "irq");
	ev = tp_after(m, "arm_spe_irq", 0);
	CHECK_ARG(ev, ARM_SPE_TP_IRQ_PMBSR, 0);
	CHECK_ARG(ev, ARM_SPE_TP_IRQ_WRITTEN, ptr);
	CHECK_ARG(ev, ARM_SPE_TP_IRQ_PMBPTR_OFF, ptr);
	CHECK_EQ_U64(spe_sim_find_op(0, SPE_OP_WRITE, SPE_SIM_PMBSR), (u64)-1);
	CHECK_EQ_U64(spe_sim_find_op(0, SPE_OP_WRITE, SPE_SIM_PMBLIMITR),
		     (u64)-1);
	CHECK_EQ_U64(spe_sim_find_op(0, SPE_OP_WRITE, SPE_SIM_PMSCR), (u64)-1);
	CHECK(spe_sim_profiling());
	CHECK_EQ_U64(perf_model.naux, 0);

	/* no session at all: not ours, nothing traced */
	h_sched_out();
	m = tp_mark();
	CHECK_EQ_U64(h_irq_handler(), IRQ_NONE);
	CHECK_STR(tp_since(m), "");
	check_clean_delivery();
	CHECK_CLEAN();
	h_teardown();
}

/*
 * A buffer-full event pending when perf stops the event (context switch):
 * serviced within this session, PMBSR cleared, no new session; also when
 * the event arises from the stop's own drain.
 */
static void test_stop_with_pending_full(void)
{
	struct h_cfg cfg = { .seed = 65 };
	const struct shim_trace_ev *ev;
	u64 ptr;
	int m;

	h_setup(&cfg);
	CHECK_EQ_U64(h_sched_in(), 0);
	spe_sim_run(100000);
	CHECK(spe_sim_irq_line());
	ptr = spe_sim_ptr_off();
	m = tp_mark();
	h_sched_out();
	CHECK_STR(tp_since(m), "aux_end");
	ev = tp_after(m, "arm_spe_aux_end", 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_SIZE, ptr);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_FLAGS, 0);
	CHECK_EQ_U64(H.irqs, 0);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBSR), 0);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR), 0);
	CHECK_EQ_U64(H.event.hw.state, PERF_HES_STOPPED | PERF_HES_UPTODATE);
	CHECK_EQ_U64(H.event.state, PERF_EVENT_STATE_INACTIVE);
	check_clean_delivery();

	/* back in: the held record will not fit when the stop drains it */
	CHECK_EQ_U64(h_sched_in(), 0);
	CHECK(h_records_to(h_limit_off() - 20));
	spe_sim_sample_len(32);
	CHECK(!spe_sim_irq_line());
	m = tp_mark();
	h_sched_out();
	CHECK_EQ_U64(spe_sim.dropped_full, 2);
	CHECK_STR(tp_since(m), "aux_end");
	CHECK_EQ_U64(H.irqs, 0);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBSR), 0);
	check_clean_delivery();
	CHECK_CLEAN();
	h_teardown();
}

/*
 * A start with some space but not a record's worth below a page boundary:
 * the space is handed back as padding, the session truncated, and nothing
 * is written; perf's pending disable then stops the event.
 */
static void test_start_without_room(void)
{
	struct h_cfg cfg = { .seed = 66 };
	const struct shim_trace_ev *ev;
	int m;

	h_setup(&cfg);
	CHECK_EQ_U64(h_sched_in(), 0);
	for (int i = 0; i < 10 && H.event.state == PERF_EVENT_STATE_ACTIVE; i++)
		h_run(100000);
	CHECK_EQ_U64(H.event.state, PERF_EVENT_STATE_OFF);
	CHECK_EQ_U64(perf_model.rb.aux_head, 16383);
	CHECK_EQ_U64(perf_model_consume(40), 40);

	H.event.state = PERF_EVENT_STATE_INACTIVE;
	m = tp_mark();
	h_sched_in();
	CHECK_STR(tp_since(m), "pad,pad,aux_begin,truncate,aux_end");
	ev = tp_after(m, "arm_spe_truncate", 0);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_REASON, ARM_SPE_TRUNC_LIMIT_LE_HEAD);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_HEAD, 16383 + 40);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_SIZE, 40);
	ev = tp_after(m, "arm_spe_aux_end", 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_SIZE, 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_FLAGS, ARM_SPE_TP_AUX_FLAG_TRUNCATED);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR) & SPE_PMBLIMITR_EL1_E, 0);
	CHECK_EQ_U64(spe_sim_run(10), 0);
	CHECK_EQ_U64(H.event.state, PERF_EVENT_STATE_OFF);
	CHECK(H.event.hw.state & PERF_HES_STOPPED);
	check_clean_delivery();
	CHECK_CLEAN();
	h_teardown();
}

/* Discard mode: the buffer enabled with FM=discard, no AUX session */
static void test_discard_mode(void)
{
	struct h_cfg cfg = { .seed = 67, .config = 1ULL << 35 };
	int m;

	h_setup(&cfg);
	spe_sim_log_clear();
	m = tp_mark();
	CHECK_EQ_U64(h_sched_in(), 0);
	CHECK_STR(tp_since(m), "");
	CHECK_EQ_U64(spe_sim_find_op(0, SPE_OP_WRITE, SPE_SIM_PMBPTR), (u64)-1);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR),
		     SPE_FIELD_PREP(SPE_PMBLIMITR_EL1_FM,
				    SPE_PMBLIMITR_EL1_FM_DISCARD) |
		     SPE_PMBLIMITR_EL1_E);
	CHECK_EQ_U64(spe_sim_run(50), 50);
	CHECK_EQ_U64(spe_sim.nrecs, 0);
	h_sched_out();
	CHECK_STR(tp_since(m), "");
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR), 0);
	CHECK_EQ_U64(perf_model.naux, 0);
	CHECK_CLEAN();
	h_teardown();
}

int main(void)
{
	RUN_TEST(test_start_order);
	RUN_TEST(test_start_no_reload);
	RUN_TEST(test_stop_drain_order);
	RUN_TEST(test_park_order);
	RUN_TEST(test_spurious_irq);
	RUN_TEST(test_stop_with_pending_full);
	RUN_TEST(test_start_without_room);
	RUN_TEST(test_discard_mode);
	CHECK_DONE();
}
