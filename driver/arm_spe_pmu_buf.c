// SPDX-License-Identifier: GPL-2.0-only
/*
 * The profiling buffer: AUX sessions, the buffer-management interrupt,
 * and pmu start/stop.  Review points 9-13 and 20 are settled here; the
 * ring arithmetic itself (points 5-8) is in spe_aux_ring.c.
 *
 * Also built in user space against tests/shim/, where a simulated SPE unit
 * and a model of perf's AUX handle drive it (tests/driver/harness).
 */
#define pr_fmt(fmt)	KBUILD_MODNAME ": " fmt

#include <linux/align.h>
#include <linux/bitfield.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/irq_work.h>
#include <linux/interrupt.h>
#include <linux/perf_event.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/string.h>

#include <asm/barrier.h>
#include <asm/sysreg.h>

#include <spekit/spe_format.h>

#include "arm_spe_pmu.h"
#include "arm_spe_trace.h"

enum arm_spe_buf_act {
	ARM_SPE_BUF_SPURIOUS,	/* nothing to service */
	ARM_SPE_BUF_RESTART,	/* buffer full: begin the next session */
	ARM_SPE_BUF_PARK,	/* data lost or a fault: stay disabled */
};

static_assert(ARM_SPE_TP_AUX_FLAG_TRUNCATED == PERF_AUX_FLAG_TRUNCATED);
static_assert(ARM_SPE_TP_AUX_FLAG_OVERWRITE == PERF_AUX_FLAG_OVERWRITE);
static_assert(ARM_SPE_TP_AUX_FLAG_PARTIAL == PERF_AUX_FLAG_PARTIAL);
static_assert(ARM_SPE_TP_AUX_FLAG_COLLISION == PERF_AUX_FLAG_COLLISION);

static void arm_spe_pos_from_handle(struct spe_aux_pos *pos,
				    const struct perf_output_handle *handle)
{
	pos->head = handle->head;
	pos->size = handle->size;
	pos->wakeup = handle->wakeup;
}

/*
 * The one padding helper (review point 7): the SPE padding packet is a
 * single zero byte, so padding is a run of them.  In normal mode the
 * bytes are handed to perf at once (perf_aux_output_skip() moves head,
 * size and a passed wakeup); in snapshot mode perf does not track a head
 * and spe_aux_next_snapshot_limit() moves it.
 */
static void arm_spe_pmu_pad(void *ctx, struct spe_aux_pos *pos, u64 off,
			    u64 len)
{
	struct perf_output_handle *handle = ctx;
	struct arm_spe_pmu_buf *buf = perf_get_aux(handle);

	memset(buf->base + off, SPE_HDR_PAD, len);
	trace_arm_spe_pad(off, len);
	if (buf->snapshot)
		return;
	perf_aux_output_skip(handle, len);
	arm_spe_pos_from_handle(pos, handle);
}

/* End the session, handing @size bytes to perf. */
static void arm_spe_aux_end(struct perf_output_handle *handle, u64 size)
{
	struct arm_spe_pmu_buf *buf = perf_get_aux(handle);
	u64 flags = handle->aux_flags;

	/* perf_aux_output_end() adds OVERWRITE: trace the record's flags */
	if (buf->snapshot)
		flags |= PERF_AUX_FLAG_OVERWRITE;
	trace_arm_spe_aux_end(size, flags);
	perf_aux_output_end(handle, size);
}

/*
 * Start an AUX session and point the buffer at it.  Called with the
 * profiler stopped by some other control (PMSCR_EL1 clear, or the service
 * bit set in the IRQ), so no ISB is needed between PMBPTR and PMBLIMITR.
 * Returns false, with the buffer disabled, when no session could start;
 * @no_session names that case for the truncate tracepoint.
 */
static bool arm_spe_aux_begin(struct perf_output_handle *handle,
			      struct perf_event *event,
			      enum arm_spe_tp_trunc_reason no_session)
{
	struct arm_spe_pmu_buf *buf;
	struct spe_aux_pos pos;
	u64 head, size, wakeup, limit;

	buf = perf_aux_output_begin(handle, event);
	if (!buf) {
		/*
		 * No room, or the event is going away.  Nothing to program:
		 * at start the buffer is already disabled, and the IRQ
		 * handler disables it before clearing PMBSR.
		 */
		event->hw.state |= PERF_HES_STOPPED;
		trace_arm_spe_truncate(no_session, 0, 0);
		return false;
	}

	head = handle->head;
	size = handle->size;
	wakeup = handle->wakeup;
	arm_spe_pos_from_handle(&pos, handle);
	if (buf->snapshot) {
		limit = spe_aux_next_snapshot_limit(&buf->ring, &pos,
						    arm_spe_pmu_pad, handle);
		/* snapshot mode: the head is ours to set (see the limit) */
		handle->head = pos.head;
	} else {
		limit = spe_aux_next_limit(&buf->ring, &pos, arm_spe_pmu_pad,
					   handle);
	}
	trace_arm_spe_aux_begin(head, size, wakeup, limit, buf->ring.size,
				buf->snapshot);

	if (!limit) {
		trace_arm_spe_truncate(pos.no_room == SPE_AUX_NO_ROOM_BELOW_PAGE ?
				       ARM_SPE_TRUNC_LIMIT_LE_HEAD :
				       ARM_SPE_TRUNC_NO_SPACE,
				       handle->head, size);
		perf_aux_output_flag(handle, PERF_AUX_FLAG_TRUNCATED);
		arm_spe_aux_end(handle, 0);
		spe_write(0, PMBLIMITR_EL1);
		return false;
	}

	spe_write((u64)buf->base + spe_aux_off(&buf->ring, handle->head),
		  PMBPTR_EL1);
	spe_write(((u64)buf->base + limit) | arm_spe_event_to_fm(event) |
		  SPE_PMBLIMITR_EL1_E, PMBLIMITR_EL1);
	return true;
}

/*
 * End the session at PMBPTR_EL1.  After data loss the last record may be
 * partial: round the pointer down to max_record_sz (review point 9) so
 * the partial record does not reach perf where alignment allows; the
 * PARTIAL flag tells user space about the rest.
 */
static void arm_spe_aux_end_at_ptr(struct perf_output_handle *handle,
				   bool data_lost)
{
	struct arm_spe_pmu_buf *buf = perf_get_aux(handle);
	struct arm_spe_pmu *spe_pmu = to_spe_pmu(handle->event->pmu);
	u64 head = spe_aux_off(&buf->ring, handle->head);
	u64 off = spe_read(PMBPTR_EL1) - (u64)buf->base;

	if (data_lost)
		off = ALIGN_DOWN(off, spe_pmu->max_record_sz);
	/*
	 * A pointer outside the session (a fault, or lost data before
	 * head) gives perf nothing rather than someone else's bytes.
	 */
	if (off < head || off > buf->ring.size)
		off = head;

	/*
	 * Snapshot mode: perf's head is the offset we reached; the next
	 * limit is computed from it (spe_aux_next_snapshot_limit()).
	 */
	if (buf->snapshot)
		handle->head = off;
	arm_spe_aux_end(handle, off - head);
}

/*
 * Make the profiler's writes visible before anything reads them:
 * PSB CSYNC pushes out buffered records, DSB NSH completes those writes
 * as seen from this CPU, and the ISB makes its indirect writes to PMBPTR
 * and PMBSR visible to our reads.  perf_aux_output_end() publishes
 * aux_head after an smp_wmb(), which orders these (now complete) writes
 * before it for other CPUs (review point 12).
 */
static void arm_spe_pmu_sync_buffer(void)
{
	psb_csync();
	dsb(nsh);
	isb();
}

/*
 * Service a set PMBSR_EL1.S: flag the session, end it at PMBPTR, say what
 * comes next.  Faults park the profiler and are reported once per burst
 * (review point 10); data loss stops it (point 11); collisions and loss
 * reach the AUX record as flags (point 13).
 */
static enum arm_spe_buf_act arm_spe_pmu_service(struct perf_output_handle *handle,
						u64 pmbsr)
{
	enum arm_spe_buf_act act = ARM_SPE_BUF_RESTART;
	u32 ec = FIELD_GET(SPE_PMBSR_EL1_EC, pmbsr);
	bool data_lost = pmbsr & SPE_PMBSR_EL1_DL;
	const char *what;
	u32 fsc;

	if (pmbsr & SPE_PMBSR_EL1_COLL) {
		perf_aux_output_flag(handle, PERF_AUX_FLAG_COLLISION);
		trace_arm_spe_collision(pmbsr, handle->head);
	}
	if (data_lost) {
		perf_aux_output_flag(handle, PERF_AUX_FLAG_TRUNCATED |
					     PERF_AUX_FLAG_PARTIAL);
		trace_arm_spe_truncate(ARM_SPE_TRUNC_DATA_LOST, handle->head,
				       handle->size);
		act = ARM_SPE_BUF_PARK;
	}

	switch (ec) {
	case SPE_PMBSR_EC_BUF:
		switch (FIELD_GET(SPE_PMBSR_EL1_BUF_BSC, pmbsr)) {
		case SPE_PMBSR_BSC_FULL:
			goto out_end;
		case SPE_PMBSR_BSC_NOT_FULL:
			if (data_lost)
				goto out_end;
			fallthrough;
		default:
			what = "unknown buffer status";
		}
		break;
	case SPE_PMBSR_EC_FAULT_S1:
		what = "stage 1 buffer fault";
		break;
	case SPE_PMBSR_EC_FAULT_S2:
		what = "stage 2 buffer fault";
		break;
	default:
		what = "unknown buffer syndrome";
	}

	/*
	 * A fault: park the profiler and say so; never restart silently.
	 * The tracepoint's fsc is the FSC of a data abort, else the raw MSS
	 * (arm_spe_tp.h).
	 */
	if (ec == SPE_PMBSR_EC_FAULT_S1 || ec == SPE_PMBSR_EC_FAULT_S2)
		fsc = FIELD_GET(SPE_PMBSR_EL1_FAULT_FSC, pmbsr);
	else
		fsc = FIELD_GET(SPE_PMBSR_EL1_MSS, pmbsr);
	trace_arm_spe_fault(ec, fsc, pmbsr, spe_read(PMBPTR_EL1),
			    spe_read(PMBLIMITR_EL1));
	pr_err_ratelimited("%s on CPU %d [PMBSR=0x%016llx PMBPTR=0x%016llx PMBLIMITR=0x%016llx]: profiling parked until the event is re-enabled\n",
			   what, smp_processor_id(), pmbsr,
			   spe_read(PMBPTR_EL1), spe_read(PMBLIMITR_EL1));
	if (!data_lost)
		trace_arm_spe_truncate(ARM_SPE_TRUNC_FAULT, handle->head,
				       handle->size);
	perf_aux_output_flag(handle, PERF_AUX_FLAG_TRUNCATED);
	act = ARM_SPE_BUF_PARK;

out_end:
	arm_spe_aux_end_at_ptr(handle, data_lost);
	return act;
}

void arm_spe_pmu_disable_and_drain_local(void)
{
	/* Stop sampling at EL0 and EL1 ... */
	spe_write(0, PMSCR_EL1);
	isb();

	/*
	 * ... drain what the profiler holds into the buffer (disabling the
	 * buffer first could drop it), and complete those writes ...
	 */
	psb_csync();
	dsb(nsh);

	/* ... then disable the buffer, and let the PE see it is. */
	spe_write(0, PMBLIMITR_EL1);
	isb();
}

/* Keep the interval counter for the next start with PERF_EF_RELOAD */
static void arm_spe_pmu_save_period(struct perf_event *event)
{
	/*
	 * PMSICR_EL1 may hold ECOUNT as well; nobody else reads
	 * period_left, as frequency mode is refused.
	 */
	local64_set(&event->hw.period_left, spe_read(PMSICR_EL1));
	event->hw.state |= PERF_HES_UPTODATE;
}

irqreturn_t arm_spe_pmu_irq_handler(int irq, void *dev)
{
	struct perf_output_handle *handle = dev;
	struct perf_event *event = handle->event;
	struct arm_spe_pmu_buf *buf = perf_get_aux(handle);
	enum arm_spe_buf_act act;
	u64 pmbsr, ptr_off, head_off;

	if (!buf)
		return IRQ_NONE;

	arm_spe_pmu_sync_buffer();
	pmbsr = spe_read(PMBSR_EL1);
	ptr_off = spe_read(PMBPTR_EL1) - (u64)buf->base;
	head_off = spe_aux_off(&buf->ring, handle->head);
	trace_arm_spe_irq(pmbsr, ptr_off >= head_off ? ptr_off - head_off : 0,
			  ptr_off);
	if (!(pmbsr & SPE_PMBSR_EL1_S))
		return IRQ_NONE;

	act = arm_spe_pmu_service(handle, pmbsr);

	/*
	 * Let perf's callbacks run now: a truncated session asked for the
	 * event to be disabled, which stops it here (arm_spe_pmu_stop()).
	 */
	irq_work_run();

	switch (act) {
	case ARM_SPE_BUF_RESTART:
		/* perf may have stopped the event just now: leave it so */
		if (event->hw.state & PERF_HES_STOPPED)
			break;
		/*
		 * Buffer full and nothing lost: next session.  PMBPTR may
		 * be misaligned; the arithmetic pads it.
		 */
		if (arm_spe_aux_begin(handle, event,
				      ARM_SPE_TRUNC_RESTART_FAILED))
			break;
		/*
		 * perf refused the session and the event is now marked
		 * stopped, so arm_spe_pmu_stop() will return early: do its
		 * work here, which also disables the buffer before PMBSR is
		 * cleared (the old limit still has E set).
		 */
		if (event->hw.state & PERF_HES_STOPPED) {
			arm_spe_pmu_disable_and_drain_local();
			arm_spe_pmu_save_period(event);
		}
		break;
	default:
		/*
		 * Data lost or a fault.  Clearing PMBSR below would resume
		 * profiling, so make sure the buffer is disabled first, even
		 * if perf has not stopped the event (review point 11).
		 */
		arm_spe_pmu_disable_and_drain_local();
	}

	/*
	 * The pointers are consistent: clear the syndrome.  PMBLIMITR_EL1.E
	 * alone now decides whether profiling resumes.
	 */
	spe_write(0, PMBSR_EL1);
	isb();
	return IRQ_HANDLED;
}

void arm_spe_pmu_start(struct perf_event *event, int flags)
{
	struct arm_spe_pmu *spe_pmu = to_spe_pmu(event->pmu);
	struct hw_perf_event *hwc = &event->hw;
	struct perf_output_handle *handle = this_cpu_ptr(spe_pmu->handle);
	u64 reg;

	hwc->state = 0;
	if (ARM_SPE_ATTR_GET(&event->attr, discard)) {
		/* Discard mode writes nothing: no AUX session to begin */
		spe_write(arm_spe_event_to_fm(event) | SPE_PMBLIMITR_EL1_E,
			  PMBLIMITR_EL1);
	} else {
		/*
		 * The session first (review point 20: fail fast): when perf
		 * refuses one the event stays stopped and nothing is
		 * programmed.  A session without a usable window leaves the
		 * buffer disabled, so sampling writes nothing until perf's
		 * pending disable (the session ended truncated) stops it.
		 */
		arm_spe_aux_begin(handle, event, ARM_SPE_TRUNC_NO_SPACE);
		if (hwc->state)
			return;
	}

	spe_write(arm_spe_event_to_pmsfcr(event), PMSFCR_EL1);
	spe_write(arm_spe_event_to_pmsevfr(event), PMSEVFR_EL1);
	if (spe_pmu->features & SPE_PMU_FEAT_INV_FILT_EVT)
		spe_write(arm_spe_event_to_pmsnevfr(event), PMSNEVFR_EL1);
	spe_write(arm_spe_event_to_pmslatfr(event), PMSLATFR_EL1);

	if (flags & PERF_EF_RELOAD) {
		spe_write(arm_spe_event_to_pmsirr(event), PMSIRR_EL1);
		isb();
		spe_write(local64_read(&hwc->period_left), PMSICR_EL1);
	}

	/* Sampling last, once the filters and interval are in place */
	reg = arm_spe_event_to_pmscr(event);
	isb();
	spe_write(reg, PMSCR_EL1);
}

void arm_spe_pmu_stop(struct perf_event *event, int flags)
{
	struct arm_spe_pmu *spe_pmu = to_spe_pmu(event->pmu);
	struct hw_perf_event *hwc = &event->hw;
	struct perf_output_handle *handle = this_cpu_ptr(spe_pmu->handle);
	u64 pmbsr;

	if (hwc->state & PERF_HES_STOPPED)
		return;

	/* Drained and disabled; PMBSR and PMBPTR are now current */
	arm_spe_pmu_disable_and_drain_local();

	if (flags & PERF_EF_UPDATE) {
		if (perf_get_aux(handle)) {
			/*
			 * A management event may be pending: service it
			 * within this session (we may be switching tasks),
			 * but never restart; the next start begins anew.
			 */
			pmbsr = spe_read(PMBSR_EL1);
			if (pmbsr & SPE_PMBSR_EL1_S) {
				arm_spe_pmu_service(handle, pmbsr);
				spe_write(0, PMBSR_EL1);
			} else {
				arm_spe_aux_end_at_ptr(handle, false);
			}
		}

		arm_spe_pmu_save_period(event);
	}

	hwc->state |= PERF_HES_STOPPED;
}

int arm_spe_pmu_add(struct perf_event *event, int flags)
{
	struct arm_spe_pmu *spe_pmu = to_spe_pmu(event->pmu);
	struct hw_perf_event *hwc = &event->hw;
	int cpu = event->cpu == -1 ? smp_processor_id() : event->cpu;

	/* A per-task event can land on a CPU without this SPE */
	if (!cpumask_test_cpu(cpu, &spe_pmu->supported_cpus))
		return -ENOENT;

	hwc->state = PERF_HES_UPTODATE | PERF_HES_STOPPED;
	if (flags & PERF_EF_START) {
		arm_spe_pmu_start(event, PERF_EF_RELOAD);
		if (hwc->state & PERF_HES_STOPPED)
			return -EINVAL;
	}

	return 0;
}

void arm_spe_pmu_del(struct perf_event *event, int flags)
{
	arm_spe_pmu_stop(event, PERF_EF_UPDATE);
}
