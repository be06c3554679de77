// SPDX-License-Identifier: GPL-2.0-only
/*
 * Snapshot (overwrite) mode: the ring is used as two halves (review point
 * 8).  Each buffer fill ends at the end of the half the head is in, the
 * rest of the half is padded when within max_record_sz of its end, the
 * head moves on to the other half (wrapping to 0), AUX records carry
 * OVERWRITE, and whenever the event stops, the half holding the head
 * parses as whole records from its start up to the head, following on
 * from the other half.
 */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "drv_check.h"
#include "aux_check.h"
#include "test_helpers.h"

/* The seq of the written record after the one with @seq, or ~0 */
static u64 next_written_seq(u64 seq)
{
	for (int i = 0; i + 1 < spe_sim.nrecs; i++)
		if (spe_sim.recs[i].seq == seq)
			return spe_sim.recs[i + 1].seq;
	return ~0ULL;
}

/* Was anything ever written at ring offsets [from, to)? */
static bool written_in(u64 from, u64 to)
{
	for (int i = 0; i < spe_sim.nrecs; i++)
		if (spe_sim.recs[i].off >= from && spe_sim.recs[i].off < to)
			return true;
	return false;
}

/* What a snapshot reader finds once the event stopped */
static void check_halves(void)
{
	u64 size = H.buf.ring.size, half = size / 2;
	u64 head = perf_model.rb.aux_head;
	u64 cur, other;
	bool ended;
	struct snap_half c, o;

	CHECK(head <= size);
	/*
	 * The head on a half boundary: the half before it was ended (padded
	 * up to the boundary) and the next one is still empty.
	 */
	if (!head)
		head = size;
	ended = head == half || head == size;
	cur = head > half ? half : 0;
	other = cur ? 0 : half;

	snap_check_half(&c, cur, head, ended);
	CHECK_EQ_U64(c.errors, 0);
	if (c.n)
		CHECK_EQ_U64(c.last_seq, spe_sim.recs[spe_sim.nrecs - 1].seq);
	if (!written_in(other, other + half))
		return;
	snap_check_half(&o, other, other + half, true);
	CHECK_EQ_U64(o.errors, 0);
	CHECK(o.n > 0);
	/* the other half leads up to this one: no record lost between */
	if (c.n)
		CHECK_EQ_U64(next_written_seq(o.last_seq), c.first_seq);
	else
		CHECK_EQ_U64(o.last_seq, spe_sim.recs[spe_sim.nrecs - 1].seq);
}

static void snapshot_case(int nr_pages, u64 page, u64 mrs, u64 align,
			  u64 seed)
{
	struct h_cfg cfg = { .nr_pages = nr_pages, .page_size = page,
			     .max_record_sz = mrs, .align = align,
			     .snapshot = true, .seed = seed };
	const struct shim_trace_ev *ev;
	u64 size, half, limit, start, ptr;
	int m, wraps = 0, pads = 0;
	u64 rng = seed;

	CHECK_EQ_U64(arm_spe_pmu_aux_check(nr_pages, true), 0);
	h_setup(&cfg);
	size = H.buf.ring.size;
	half = size / 2;
	m = tp_mark();
	CHECK_EQ_U64(h_sched_in(), 0);
	CHECK_STR(tp_since(m), "aux_begin");
	ev = tp_after(m, "arm_spe_aux_begin", 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_HEAD, 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_SIZE, 0);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_LIMIT, half);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_BUF_SIZE, size);
	CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_SNAPSHOT, 1);

	for (int k = 0; k < 24; k++) {
		start = spe_sim_ptr_off();
		limit = h_limit_off();
		CHECK(limit == half || limit == size);
		spe_sim_run(1 << 20);
		if (!spe_sim_irq_line()) {
			CHECK(spe_sim_irq_line());
			break;
		}
		ptr = spe_sim_ptr_off();
		CHECK(ptr <= limit && limit - ptr < mrs);

		m = tp_mark();
		CHECK_EQ_U64(h_irq(), IRQ_HANDLED);
		CHECK_STR(tp_since(m), ptr == limit ? "irq,aux_end,aux_begin" :
						      "irq,aux_end,pad,aux_begin");
		ev = tp_after(m, "arm_spe_aux_end", 0);
		CHECK_ARG(ev, ARM_SPE_TP_AUX_END_SIZE, ptr - start);
		CHECK_ARG(ev, ARM_SPE_TP_AUX_END_FLAGS,
			  ARM_SPE_TP_AUX_FLAG_OVERWRITE);
		CHECK(perf_model_last_aux() != NULL);
		if (perf_model_last_aux()) {
			CHECK_EQ_U64(perf_model_last_aux()->offset, ptr);
			CHECK_EQ_U64(perf_model_last_aux()->size, ptr - start);
			CHECK_EQ_U64(perf_model_last_aux()->flags,
				     PERF_AUX_FLAG_OVERWRITE);
		}
		ev = tp_after(m, "arm_spe_pad", 0);
		if (ev) {
			pads++;
			CHECK_ARG(ev, ARM_SPE_TP_PAD_OFFSET, ptr);
			CHECK_ARG(ev, ARM_SPE_TP_PAD_LEN, limit - ptr);
		}
		ev = tp_after(m, "arm_spe_aux_begin", 0);
		CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_HEAD, ptr);
		CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_SIZE, 0);
		/* the other half */
		CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_LIMIT,
			  limit == half ? size : half);
		CHECK_ARG(ev, ARM_SPE_TP_AUX_BEGIN_SNAPSHOT, 1);
		CHECK_EQ_U64(spe_sim_ptr_off(), limit % size);
		wraps += limit == size;
		CHECK(spe_sim_profiling());
	}
	CHECK(wraps >= 10);
	CHECK(pads >= 10);
	CHECK_EQ_U64(shim_trace_count("arm_spe_truncate"), 0);

	/* Stops anywhere: the snapshot a reader takes is sound */
	for (int s = 0; s < 40; s++) {
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		h_run((int)((rng >> 33) % (2 * size / SPE_REC_MIN_LEN)));
		h_sched_out();
		CHECK_EQ_U64(spe_sim.dropped_disabled, 0);
		CHECK(H.event.hw.state & PERF_HES_STOPPED);
		check_halves();
		CHECK_EQ_U64(h_sched_in(), 0);
	}
	h_sched_out();
	check_halves();
	for (int i = 0; i < perf_model.naux; i++)
		CHECK(perf_model.aux[i].flags & PERF_AUX_FLAG_OVERWRITE);
	CHECK_EQ_U64(perf_model.disables, 0);
	CHECK_CLEAN();
	h_teardown();
}

static void test_snapshot_wrap(void)
{
	snapshot_case(4, 4096, 64, 1, 100);
	snapshot_case(2, 4096, 256, 1, 101);
	snapshot_case(8, 4096, 512, 16, 102);
	snapshot_case(2, 16384, 2048, 64, 103);
	snapshot_case(4, 65536, 2048, 1, 104);
}

/* Odd page counts cannot be halved; one page is refused too */
static void test_snapshot_setup_checks(void)
{
	CHECK_EQ_U64(arm_spe_pmu_aux_check(3, true), (u64)-EINVAL);
	CHECK_EQ_U64(arm_spe_pmu_aux_check(1, true), (u64)-EINVAL);
	CHECK_EQ_U64(arm_spe_pmu_aux_check(0, false), (u64)-EINVAL);
	CHECK_EQ_U64(arm_spe_pmu_aux_check(1, false), (u64)-EINVAL);
	CHECK_EQ_U64(arm_spe_pmu_aux_check(2, true), 0);
	CHECK_EQ_U64(arm_spe_pmu_aux_check(3, false), 0);
}

int main(void)
{
	RUN_TEST(test_snapshot_wrap);
	RUN_TEST(test_snapshot_setup_checks);
	CHECK_DONE();
}
