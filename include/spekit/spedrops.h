/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * spedrops: the layout of the BPF maps and ring-buffer events that
 * bpf/spedrops.bpf.c fills and tools/spedrops reads (and that
 * `bpftool map dump pinned /sys/fs/bpf/spekit/<map>` prints by field name).
 * One definition for the BPF programs, the loader and the tests.
 *
 * Include after vmlinux.h (BPF) or <linux/types.h> (user space).
 *
 * Maps (names as pinned under /sys/fs/bpf/spekit/):
 *   spe_stats	PERCPU_ARRAY, 1 entry: struct spe_cpu_stats per CPU
 *   spe_hists	PERCPU_ARRAY, SPE_HIST_NR entries: struct spe_log2_hist
 *   spe_faults	PERCPU_HASH, struct spe_fault_key -> __u64 count
 *   spe_events	RINGBUF of struct spe_drop_event
 * The CPU is the one the program ran on: the CPU whose SPE unit and AUX
 * session the event belongs to (SPE interrupts and sessions are per CPU).
 */
#ifndef SPEKIT_SPEDROPS_H
#define SPEKIT_SPEDROPS_H

#include "arm_spe_tp.h"

#define SPE_PIN_DIR		"/sys/fs/bpf/spekit"

/* log2 histograms: slot i counts values v with 2^i <= v < 2^(i+1); slot 0
 * also counts 0 */
#define SPE_LOG2_SLOTS		64

enum spe_hist_id {
	SPE_HIST_SESSION_BYTES,	/* bytes handed to perf per AUX session */
	SPE_HIST_IRQ_GAP_NS,	/* time between buffer IRQs on a CPU */
	SPE_HIST_BLIND_NS,	/* truncation (or fault) to next session */
	SPE_HIST_NR
};

struct spe_log2_hist {
	__u64 slots[SPE_LOG2_SLOTS];
};

/*
 * truncations[] index: the driver's enum arm_spe_tp_trunc_reason (1..5),
 * or SPE_TRUNC_FLAGGED for a TRUNCATED flag seen through the stock
 * kernel's perf_aux_output_flag(), which carries no reason, and for a
 * driver reason outside 1..5 (0, or one appended later): no known reason.
 */
#define SPE_TRUNC_FLAGGED	0

struct spe_cpu_stats {
	__u64 sessions;		/* AUX sessions begun (with room) */
	__u64 no_room;		/* session begins that found no room */
	__u64 irqs;		/* buffer IRQs with PMBSR_EL1.S set */
	__u64 spurious_irqs;	/* buffer IRQs with S clear */
	__u64 bytes;		/* bytes handed to perf */
	__u64 aux_records;	/* sessions ended (PERF_RECORD_AUX) */
	__u64 aux_truncated;	/* ... flagged TRUNCATED */
	__u64 aux_partial;	/* ... flagged PARTIAL */
	__u64 aux_collision;	/* ... flagged COLLISION */
	__u64 truncations[ARM_SPE_TRUNC_NR_REASONS];
	__u64 collisions;	/* arm_spe_collision, or COLLISION flags */
	__u64 faults;		/* arm_spe_fault */
	__u64 pad_bytes;	/* padding written by the driver */
	__u64 blind_ns;		/* total time blind: truncation to session */
	__u64 blind_since_ns;	/* state: when blindness began, 0 if not */
	__u64 last_irq_ns;	/* state: previous buffer IRQ */
};

struct spe_fault_key {
	__u32 ec;		/* PMBSR_EL1.EC */
	__u32 fsc;		/* FSC (data aborts) or raw MSS */
};

enum spe_event_kind {
	SPE_EV_TRUNCATE = 1,	/* reason, aux_head, size */
	SPE_EV_FAULT = 2,	/* ec, fsc, pmbsr, pmbptr, pmblimitr */
};

struct spe_drop_event {
	__u64 ts_ns;		/* bpf_ktime_get_ns() */
	__u32 cpu;
	__u32 kind;		/* enum spe_event_kind */
	__u32 reason;		/* SPE_EV_TRUNCATE: truncations[] index */
	__u32 ec;		/* SPE_EV_FAULT */
	__u32 fsc;		/* SPE_EV_FAULT */
	__u32 pad;
	__u64 pmbsr;		/* SPE_EV_FAULT */
	__u64 pmbptr;		/* SPE_EV_FAULT */
	__u64 pmblimitr;	/* SPE_EV_FAULT */
	__u64 aux_head;		/* SPE_EV_TRUNCATE */
	__u64 size;		/* SPE_EV_TRUNCATE */
};

/* PERF_AUX_FLAG_* (uapi), for the stock-kernel programs */
#define SPE_AUX_FLAG_TRUNCATED	ARM_SPE_TP_AUX_FLAG_TRUNCATED
#define SPE_AUX_FLAG_PARTIAL	ARM_SPE_TP_AUX_FLAG_PARTIAL
#define SPE_AUX_FLAG_COLLISION	ARM_SPE_TP_AUX_FLAG_COLLISION

/*
 * The stock-kernel programs' filter: is this perf event's PMU the SPE PMU
 * the loader found in sysfs?  0 means none was found; then nothing
 * matches (the loader refuses to run that way unless told the type).
 * Shared so the decision is unit-tested on the host, where the programs
 * that use it (fentry/kprobe) cannot run.
 */
static inline int spe_drops_pmu_match(__u32 event_pmu_type, __u32 spe_pmu_type)
{
	return spe_pmu_type != 0 && event_pmu_type == spe_pmu_type;
}

/* The log2 slot of @v (0 and 1 share slot 0), without loops for BPF */
static inline __u32 spe_log2_slot(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) r += 1;
	return r;
}

#endif /* SPEKIT_SPEDROPS_H */
