/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The arm_spe tracepoints of spekit's SPE PMU driver: their argument ABI.
 *
 * Every tracepoint takes scalar arguments only, so a raw_tp BPF program (or
 * BPF_PROG_TEST_RUN) sees ctx[i] as the i-th argument, widened to u64, in
 * the order listed here.  The ARM_SPE_TP_<EVENT>_<ARG> enumerators are those
 * indices; ARM_SPE_TP_<EVENT>_NR_ARGS is the count.  This order is ABI:
 * append, never reorder.  The tracefs format files carry the same fields
 * under the same names (tests/driver checks them against this header).
 *
 * All offsets are byte offsets into the AUX ring (0 .. buf_size); indices
 * (aux_head, wakeup) are perf's free-running AUX byte counters.
 *
 *   arm_spe_aux_begin	an AUX session begins (pmu start or IRQ restart)
 *	0 aux_head	AUX index where the session starts, as perf gave it
 *	1 size		free bytes from head, as perf gave it (0 in snapshot)
 *	2 wakeup	AUX index of the next wakeup watermark
 *	3 limit		ring offset the hardware may write up to (exclusive),
 *			0 when there is no room (a truncate event follows)
 *	4 buf_size	AUX ring size in bytes
 *	5 snapshot	1 in snapshot (overwrite) mode
 *
 *   arm_spe_irq		the profiling buffer interrupt, before it is serviced
 *	0 pmbsr		PMBSR_EL1 (S clear: spurious)
 *	1 written	bytes the hardware wrote in this session
 *	2 pmbptr_off	PMBPTR_EL1 as a ring offset
 *
 *   arm_spe_aux_end	an AUX session ends; perf emits PERF_RECORD_AUX
 *	0 size		bytes handed to perf
 *	1 flags		PERF_AUX_FLAG_* of the record (ARM_SPE_TP_AUX_FLAG_*)
 *
 *   arm_spe_truncate	the session ended without a successor: SPE is blind
 *			until perf restarts the event
 *	0 reason	enum arm_spe_tp_trunc_reason
 *	1 aux_head	AUX index at the point of truncation (0 with
 *			no_space and restart_failed when perf refused the
 *			session outright: there is no handle to read)
 *	2 size		free bytes perf reported at that point (0 then too)
 *
 *   arm_spe_pad	padding (zero bytes, the SPE PAD packet) written
 *	0 offset	ring offset of the first padding byte
 *	1 len		padding bytes
 *
 *   arm_spe_fault	a buffer fault: the profiler is parked
 *	0 ec		PMBSR_EL1.EC (ARM_SPE_TP_EC_*)
 *	1 fsc		PMBSR_EL1.MSS.FSC for data aborts, else the raw MSS
 *	2 pmbsr		PMBSR_EL1
 *	3 pmbptr	PMBPTR_EL1 (a kernel virtual address)
 *	4 pmblimitr	PMBLIMITR_EL1
 *
 *   arm_spe_collision	PMBSR_EL1.COLL: samples were dropped because a
 *			sample was taken before the previous one was written
 *	0 pmbsr		PMBSR_EL1
 *	1 aux_head	AUX index of the session that saw it
 */
#ifndef SPEKIT_ARM_SPE_TP_H
#define SPEKIT_ARM_SPE_TP_H

#define ARM_SPE_TP_SYSTEM	"arm_spe"

enum arm_spe_tp_aux_begin_arg {
	ARM_SPE_TP_AUX_BEGIN_HEAD,
	ARM_SPE_TP_AUX_BEGIN_SIZE,
	ARM_SPE_TP_AUX_BEGIN_WAKEUP,
	ARM_SPE_TP_AUX_BEGIN_LIMIT,
	ARM_SPE_TP_AUX_BEGIN_BUF_SIZE,
	ARM_SPE_TP_AUX_BEGIN_SNAPSHOT,
	ARM_SPE_TP_AUX_BEGIN_NR_ARGS
};

enum arm_spe_tp_irq_arg {
	ARM_SPE_TP_IRQ_PMBSR,
	ARM_SPE_TP_IRQ_WRITTEN,
	ARM_SPE_TP_IRQ_PMBPTR_OFF,
	ARM_SPE_TP_IRQ_NR_ARGS
};

enum arm_spe_tp_aux_end_arg {
	ARM_SPE_TP_AUX_END_SIZE,
	ARM_SPE_TP_AUX_END_FLAGS,
	ARM_SPE_TP_AUX_END_NR_ARGS
};

enum arm_spe_tp_truncate_arg {
	ARM_SPE_TP_TRUNCATE_REASON,
	ARM_SPE_TP_TRUNCATE_HEAD,
	ARM_SPE_TP_TRUNCATE_SIZE,
	ARM_SPE_TP_TRUNCATE_NR_ARGS
};

enum arm_spe_tp_pad_arg {
	ARM_SPE_TP_PAD_OFFSET,
	ARM_SPE_TP_PAD_LEN,
	ARM_SPE_TP_PAD_NR_ARGS
};

enum arm_spe_tp_fault_arg {
	ARM_SPE_TP_FAULT_EC,
	ARM_SPE_TP_FAULT_FSC,
	ARM_SPE_TP_FAULT_PMBSR,
	ARM_SPE_TP_FAULT_PMBPTR,
	ARM_SPE_TP_FAULT_PMBLIMITR,
	ARM_SPE_TP_FAULT_NR_ARGS
};

enum arm_spe_tp_collision_arg {
	ARM_SPE_TP_COLLISION_PMBSR,
	ARM_SPE_TP_COLLISION_HEAD,
	ARM_SPE_TP_COLLISION_NR_ARGS
};

/* arm_spe_truncate reason */
enum arm_spe_tp_trunc_reason {
	/* a session could not begin: perf had no free space (buffer full,
	 * user space behind) or, after aligning the head, none was left */
	ARM_SPE_TRUNC_NO_SPACE = 1,
	/* the hardware lost data (PMBSR_EL1.DL): last record partial */
	ARM_SPE_TRUNC_DATA_LOST = 2,
	/* the free space ends before the next page boundary past the head,
	 * so no page-aligned limit lies above it */
	ARM_SPE_TRUNC_LIMIT_LE_HEAD = 3,
	/* restarting after a buffer-full interrupt found no session */
	ARM_SPE_TRUNC_RESTART_FAILED = 4,
	/* a buffer fault parked the profiler (see arm_spe_fault) */
	ARM_SPE_TRUNC_FAULT = 5,
};
#define ARM_SPE_TRUNC_NR_REASONS	6	/* reasons index 1..5 */

/* PERF_AUX_FLAG_* values carried by arm_spe_aux_end (uapi perf_event.h) */
#define ARM_SPE_TP_AUX_FLAG_TRUNCATED	0x01
#define ARM_SPE_TP_AUX_FLAG_OVERWRITE	0x02
#define ARM_SPE_TP_AUX_FLAG_PARTIAL	0x04
#define ARM_SPE_TP_AUX_FLAG_COLLISION	0x08

/* arm_spe_fault ec values (PMBSR_EL1.EC), as in spe_regs.h */
#define ARM_SPE_TP_EC_BUF		0x00	/* unknown buffer status */
#define ARM_SPE_TP_EC_GPC		0x1e
#define ARM_SPE_TP_EC_IMPDEF		0x1f
#define ARM_SPE_TP_EC_FAULT_S1		0x24
#define ARM_SPE_TP_EC_FAULT_S2		0x25

#endif /* SPEKIT_ARM_SPE_TP_H */
