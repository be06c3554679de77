// SPDX-License-Identifier: GPL-2.0-only
/*
 * Buffer faults park the profiler and are reported (review point 10):
 * stage-1 and stage-2 data aborts, syndromes the driver does not know,
 * and buffer statuses other than FULL.  The arm_spe_fault arguments, the
 * truncation, the AUX record, the rate-limited message; no restart, not
 * even once the consumer has read everything, whether or not perf's
 * pending disable runs.
 */
#include <stdlib.h>

#include <linux/irq_work.h>
#include <shim/env.h>
#include <shim/printk_log.h>

#include "check.h"
#include "drv_check.h"
#include "aux_check.h"
#include "test_helpers.h"

struct fault_case {
	const char *name;
	u32 ec, mss;
	u32 fsc;		/* what arm_spe_fault reports (arm_spe_tp.h) */
	const char *what;	/* in the message */
};

static const struct fault_case cases[] = {
	{ "stage 1 translation fault", SPE_PMBSR_EC_FAULT_S1, 0x07, 0x07,
	  "stage 1 buffer fault" },
	{ "stage 1 fault, WnR", SPE_PMBSR_EC_FAULT_S1, 0x0040 | 0x0d, 0x0d,
	  "stage 1 buffer fault" },
	{ "stage 2 access flag fault", SPE_PMBSR_EC_FAULT_S2, 0x0b, 0x0b,
	  "stage 2 buffer fault" },
	/* not a data abort: fsc is the raw MSS */
	{ "IMPLEMENTATION DEFINED syndrome", SPE_PMBSR_EC_IMPDEF, 0x1234,
	  0x1234, "unknown buffer syndrome" },
	{ "granule protection check", SPE_PMBSR_EC_GPC, 0x0101, 0x0101,
	  "unknown buffer syndrome" },
	{ "unallocated EC", 0x3, 0x0005, 0x0005, "unknown buffer syndrome" },
	{ "unknown buffer status", SPE_PMBSR_EC_BUF, 0x2, 0x2,
	  "unknown buffer status" },
	{ "not full, nothing lost", SPE_PMBSR_EC_BUF, SPE_PMBSR_BSC_NOT_FULL,
	  SPE_PMBSR_BSC_NOT_FULL, "unknown buffer status" },
};

static void fault_case(const struct fault_case *fc, bool v61, u64 seed)
{
	struct h_cfg cfg = { .nr_pages = 4, .seed = seed };
	const struct shim_trace_ev *ev;
	struct aux_check c;
	u64 ptr, limitr, pmbsr;
	char want[64];
	const char *msg;
	int m;

	h_setup(&cfg);
	perf_model.disable_as_6_1 = v61;
	CHECK_EQ_U64(h_sched_in(), 0);
	spe_sim_run(9);
	limitr = spe_sim_peek(SPE_SIM_PMBLIMITR);
	spe_sim_inject_fault(fc->ec, fc->mss);
	spe_sim_sample();		/* the held record's write faults */
	CHECK(spe_sim_irq_line());
	ptr = spe_sim_ptr_off();
	CHECK_EQ_U64(ptr, h_rec_bytes(0));
	pmbsr = SPE_PMBSR_EL1_S | SPE_FIELD_PREP(SPE_PMBSR_EL1_EC, fc->ec) |
		fc->mss;
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBSR), pmbsr);

	m = tp_mark();
	CHECK_EQ_U64(h_irq(), IRQ_HANDLED);
	CHECK_STR(tp_since(m), "irq,fault,truncate,aux_end");
	ev = tp_after(m, "arm_spe_fault", 0);
	CHECK_ARG(ev, ARM_SPE_TP_FAULT_EC, fc->ec);
	CHECK_ARG(ev, ARM_SPE_TP_FAULT_FSC, fc->fsc);
	CHECK_ARG(ev, ARM_SPE_TP_FAULT_PMBSR, pmbsr);
	CHECK_ARG(ev, ARM_SPE_TP_FAULT_PMBPTR, (u64)H.buf.base + ptr);
	CHECK_ARG(ev, ARM_SPE_TP_FAULT_PMBLIMITR, limitr);
	ev = tp_after(m, "arm_spe_truncate", 0);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_REASON, ARM_SPE_TRUNC_FAULT);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_HEAD, 0);
	CHECK_ARG(ev, ARM_SPE_TP_TRUNCATE_SIZE, 16383);
	ev = tp_after(m, "arm_spe_aux_end", 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_SIZE, ptr);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_FLAGS, ARM_SPE_TP_AUX_FLAG_TRUNCATED);
	CHECK(perf_model_last_aux() != NULL);
	if (perf_model_last_aux()) {
		CHECK_EQ_U64(perf_model_last_aux()->size, ptr);
		CHECK_EQ_U64(perf_model_last_aux()->flags,
			     PERF_AUX_FLAG_TRUNCATED);
	}

	/* reported once, at KERN_ERR, PMBSR in full */
	CHECK_EQ_U64(shim_printk_log.n, 1);
	snprintf(want, sizeof(want), "PMBSR=0x%016llx", pmbsr);
	msg = shim_printk_find(want);
	CHECK(msg != NULL);
	if (msg) {
		CHECK(strstr(msg, fc->what) != NULL);
		CHECK(strstr(msg, "on CPU 0") != NULL);
		CHECK_EQ_U64(shim_printk_log.msg[0].level, '3');
	} else {
		printf("  want \"%s\" in \"%s\"\n", want,
		       shim_printk_log.n ? shim_printk_log.msg[0].text : "");
	}

	/* parked: the buffer is off with PMBSR clear */
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBSR), 0);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR) & SPE_PMBLIMITR_EL1_E, 0);
	CHECK_EQ_U64(spe_sim_run(10), 0);
	if (v61) {
		/* 6.1 on CPU 0: perf never disables; the driver alone parks */
		CHECK_EQ_U64(perf_model.disables, 0);
	} else {
		CHECK_EQ_U64(perf_model.disables, 1);
		CHECK(H.event.hw.state & PERF_HES_STOPPED);
		CHECK_EQ_U64(H.event.state, PERF_EVENT_STATE_OFF);
	}
	/* all read: still parked, a stray interrupt changes nothing */
	h_consume();
	CHECK_EQ_U64(h_irq_handler(), IRQ_NONE);
	CHECK_EQ_U64(spe_sim_run(10), 0);
	CHECK_EQ_U64(shim_trace_count("arm_spe_aux_begin"), 1);

	aux_check_stream(&c);
	CHECK_EQ_U64(c.errors, 0);
	CHECK_EQ_U64(c.missing, 0);
	CHECK_EQ_U64(c.whole, spe_sim.nrecs);
	aux_check_free(&c);

	/* re-enabled by perf: a new session, profiling again */
	h_sched_out();
	H.event.state = PERF_EVENT_STATE_INACTIVE;
	CHECK_EQ_U64(h_sched_in(), 0);
	CHECK(spe_sim_profiling());
	h_sched_out();
	CHECK_CLEAN();
	h_teardown();
}

static void test_faults(void)
{
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int before = check_cur_failed;

		fault_case(&cases[i], false, 10 + i);
		fault_case(&cases[i], true, 30 + i);
		if (check_cur_failed != before)
			printf("  (case: %s)\n", cases[i].name);
	}
}

/* pr_err_ratelimited: a burst of 10, then quiet until the interval ends */
static void test_fault_ratelimit(void)
{
	struct h_cfg cfg = { .nr_pages = 4, .seed = 50 };

	h_setup(&cfg);
	for (int i = 0; i < 13; i++) {
		if (i == 12)
			shim_env.jiffies += 5 * HZ;
		H.event.state = PERF_EVENT_STATE_INACTIVE;
		CHECK_EQ_U64(h_sched_in(), 0);
		spe_sim_run(3);
		spe_sim_inject_fault(SPE_PMBSR_EC_FAULT_S1, 0x07);
		spe_sim_sample();
		CHECK_EQ_U64(h_irq(), IRQ_HANDLED);
		CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR) &
			     SPE_PMBLIMITR_EL1_E, 0);
		h_consume();
	}
	CHECK_EQ_U64(shim_trace_count("arm_spe_fault"), 13);
	CHECK_EQ_U64(shim_printk_log.total, 11);
	CHECK_EQ_U64(shim_printk_log.suppressed, 2);
	CHECK_CLEAN();
	h_teardown();
}

/*
 * A fault pending when perf stops the event (a context switch): serviced
 * and reported within this session, PMBSR cleared, no new session.
 */
static void test_fault_pending_at_stop(void)
{
	struct h_cfg cfg = { .nr_pages = 4, .seed = 51 };
	const struct shim_trace_ev *ev;
	u64 ptr;
	int m;

	h_setup(&cfg);
	CHECK_EQ_U64(h_sched_in(), 0);
	spe_sim_run(5);
	spe_sim_inject_fault(SPE_PMBSR_EC_FAULT_S2, 0x0a);
	spe_sim_sample();
	CHECK(spe_sim_irq_line());
	ptr = spe_sim_ptr_off();

	m = tp_mark();
	h_sched_out();
	CHECK_STR(tp_since(m), "fault,truncate,aux_end");
	CHECK_EQ_U64(H.irqs, 0);	/* serviced before it was taken */
	ev = tp_after(m, "arm_spe_fault", 0);
	CHECK_ARG(ev, ARM_SPE_TP_FAULT_EC, SPE_PMBSR_EC_FAULT_S2);
	CHECK_ARG(ev, ARM_SPE_TP_FAULT_FSC, 0x0a);
	/* PMBLIMITR as the fault left it is gone: stop disabled it first */
	CHECK_ARG(ev, ARM_SPE_TP_FAULT_PMBLIMITR, 0);
	ev = tp_after(m, "arm_spe_aux_end", 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_SIZE, ptr);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_END_FLAGS, ARM_SPE_TP_AUX_FLAG_TRUNCATED);
	CHECK(shim_printk_find("stage 2 buffer fault") != NULL);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBSR), 0);
	CHECK_EQ_U64(spe_sim_peek(SPE_SIM_PMBLIMITR) & SPE_PMBLIMITR_EL1_E, 0);
	CHECK(H.event.hw.state & PERF_HES_STOPPED);
	/* perf's pending disable finds the event already off */
	irq_work_run();
	CHECK_EQ_U64(perf_model.disables, 0);
	CHECK_CLEAN();
	h_teardown();
}

int main(void)
{
	RUN_TEST(test_faults);
	RUN_TEST(test_fault_ratelimit);
	RUN_TEST(test_fault_pending_at_stop);
	CHECK_DONE();
}
