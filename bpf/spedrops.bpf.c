// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * spedrops: count, per CPU, where Arm SPE data is lost and for how long SPE
 * is blind, into the maps include/spekit/spedrops.h documents.
 *
 * Three ways in, one implementation per event:
 *   raw_tp/arm_spe_*	spekit's driver tracepoints (any kernel)
 *   tp_btf/arm_spe_*	the same, when the module has BTF (cheaper args)
 *   fentry|kprobe/perf_aux_output_{begin,flag,end}
 *			stock kernels without those tracepoints; filtered
 *			on the SPE PMU's type (spe_pmu_type, set by the
 *			loader) since every AUX PMU calls these
 * The loader picks one set by program name (bpf_program__set_autoload).
 *
 * Counters are plain increments on per-CPU values: the driver fires its
 * tracepoints, and perf calls perf_aux_output_*(), from the PMU callbacks
 * and the buffer IRQ, all with interrupts off on the CPU that owns the SPE
 * unit, so two of these programs never interleave on one CPU's values.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <spekit/spedrops.h>
#include <spekit/spe_regs.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* The SPE PMU's perf type (sysfs), for the stock-kernel programs only */
const volatile __u32 spe_pmu_type = 0;

/* Distinct (ec, fsc) pairs are few (a handful of FSCs per EC); a full map
 * loses only the breakdown, never spe_cpu_stats.faults. */
#define SPE_FAULTS_MAX		256
/* 80 bytes a record with its header: ~3000 events before user space must
 * have read, enough for a truncation storm between two polls */
#define SPE_EVENTS_BYTES	(256 * 1024)

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct spe_cpu_stats);
} spe_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SPE_HIST_NR);
	__type(key, __u32);
	__type(value, struct spe_log2_hist);
} spe_hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, SPE_FAULTS_MAX);
	__type(key, struct spe_fault_key);
	__type(value, __u64);
} spe_faults SEC(".maps");

/* A ring buffer takes no key/value types (the kernel wants sizes 0) */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, SPE_EVENTS_BYTES);
} spe_events SEC(".maps");

/* ---- shared pieces ------------------------------------------------------ */

static __always_inline struct spe_cpu_stats *cpu_stats(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&spe_stats, &zero);
}

static __always_inline void hist_add(__u32 id, __u64 v)
{
	struct spe_log2_hist *h = bpf_map_lookup_elem(&spe_hists, &id);
	__u32 slot = spe_log2_slot(v);

	/* spe_log2_slot() is < 64 by construction; the verifier wants it
	 * shown before the slot indexes the value */
	if (!h || slot >= SPE_LOG2_SLOTS)
		return;
	h->slots[slot]++;
}

/* SPE stops seeing samples: a truncation, a fault, a TRUNCATED record.
 * The first cause starts the clock; later ones change nothing. */
static __always_inline void blind_begin(struct spe_cpu_stats *s, __u64 now)
{
	if (!s->blind_since_ns)
		s->blind_since_ns = now;
}

/* A session begins: SPE sees again.  The clock is read only when there
 * was blindness: most sessions follow a session, and this is their path. */
static __always_inline void blind_end(struct spe_cpu_stats *s)
{
	__u64 since = s->blind_since_ns, d;

	if (!since)
		return;
	d = bpf_ktime_get_ns() - since;
	s->blind_ns += d;
	s->blind_since_ns = 0;
	hist_add(SPE_HIST_BLIND_NS, d);
}

static __always_inline void session_begin(struct spe_cpu_stats *s)
{
	s->sessions++;
	blind_end(s);
}

static __always_inline void session_end(struct spe_cpu_stats *s, __u64 size,
					__u64 flags)
{
	s->aux_records++;
	s->bytes += size;
	hist_add(SPE_HIST_SESSION_BYTES, size);
	if (flags & SPE_AUX_FLAG_TRUNCATED)
		s->aux_truncated++;
	if (flags & SPE_AUX_FLAG_PARTIAL)
		s->aux_partial++;
	if (flags & SPE_AUX_FLAG_COLLISION)
		s->aux_collision++;
}

/* A zeroed ring record (no stale kernel bytes reach user space), or NULL
 * when the ring is full: the caller has counted already, only the
 * per-event detail is lost. */
static __always_inline struct spe_drop_event *event_new(__u32 kind, __u64 now)
{
	struct spe_drop_event *e;

	e = bpf_ringbuf_reserve(&spe_events, sizeof(*e), 0);
	if (!e)
		return NULL;
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = now;
	e->cpu = bpf_get_smp_processor_id();
	e->kind = kind;
	return e;
}

static __always_inline void event_truncate(__u32 idx, __u64 aux_head,
					   __u64 size, __u64 now)
{
	struct spe_drop_event *e = event_new(SPE_EV_TRUNCATE, now);

	if (!e)
		return;
	e->reason = idx;
	e->aux_head = aux_head;
	e->size = size;
	bpf_ringbuf_submit(e, 0);
}

static __always_inline void truncation(struct spe_cpu_stats *s, __u64 idx,
				       __u64 aux_head, __u64 size)
{
	__u64 now = bpf_ktime_get_ns();

	/* idx < ARM_SPE_TRUNC_NR_REASONS: checked by every caller */
	s->truncations[idx]++;
	blind_begin(s, now);
	event_truncate(idx, aux_head, size, now);
}

/* ---- one implementation per driver tracepoint --------------------------- */

static __always_inline int on_aux_begin(__u64 limit)
{
	struct spe_cpu_stats *s = cpu_stats();

	if (!s)
		return 0;
	if (limit)
		session_begin(s);
	else
		s->no_room++;	/* the driver's truncate event follows */
	return 0;
}

static __always_inline int on_irq(__u64 pmbsr)
{
	struct spe_cpu_stats *s = cpu_stats();
	__u64 now;

	if (!s)
		return 0;
	if (!(pmbsr & SPE_PMBSR_EL1_S)) {
		s->spurious_irqs++;
		return 0;
	}
	now = bpf_ktime_get_ns();
	s->irqs++;
	if (s->last_irq_ns)
		hist_add(SPE_HIST_IRQ_GAP_NS, now - s->last_irq_ns);
	s->last_irq_ns = now;
	return 0;
}

static __always_inline int on_aux_end(__u64 size, __u32 flags)
{
	struct spe_cpu_stats *s = cpu_stats();

	if (s)
		session_end(s, size, flags);
	return 0;
}

/*
 * A reason this program does not know (0, or one a newer driver appended)
 * is still a truncation: it is counted, and reported, under
 * SPE_TRUNC_FLAGGED, the "reason unknown" slot, rather than dropped.
 */
static __always_inline int on_truncate(__u32 reason, __u64 aux_head, __u64 size)
{
	struct spe_cpu_stats *s = cpu_stats();
	__u64 idx = reason;

	if (!s)
		return 0;
	/* Materialise the widened index once: clang would otherwise check
	 * one zero-extended copy of reason and index with another, whose
	 * bound the verifier never saw */
	barrier_var(idx);
	if (idx >= ARM_SPE_TRUNC_NR_REASONS)
		idx = SPE_TRUNC_FLAGGED;
	truncation(s, idx, aux_head, size);
	return 0;
}

static __always_inline int on_pad(__u64 len)
{
	struct spe_cpu_stats *s = cpu_stats();

	if (s)
		s->pad_bytes += len;
	return 0;
}

static __always_inline void fault_count(__u32 ec, __u32 fsc)
{
	struct spe_fault_key key = { .ec = ec, .fsc = fsc };
	__u64 one = 1, *n;

	n = bpf_map_lookup_elem(&spe_faults, &key);
	if (n)
		(*n)++;
	else
		bpf_map_update_elem(&spe_faults, &key, &one, BPF_NOEXIST);
}

static __always_inline int on_fault(__u32 ec, __u32 fsc, __u64 pmbsr,
				    __u64 pmbptr, __u64 pmblimitr)
{
	struct spe_cpu_stats *s = cpu_stats();
	struct spe_drop_event *e;
	__u64 now = bpf_ktime_get_ns();

	if (!s)
		return 0;
	s->faults++;
	fault_count(ec, fsc);
	blind_begin(s, now);
	e = event_new(SPE_EV_FAULT, now);
	if (!e)
		return 0;
	e->ec = ec;
	e->fsc = fsc;
	e->pmbsr = pmbsr;
	e->pmbptr = pmbptr;
	e->pmblimitr = pmblimitr;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline int on_collision(void)
{
	struct spe_cpu_stats *s = cpu_stats();

	if (s)
		s->collisions++;
	return 0;
}

/* ---- driver tracepoints: raw_tp, and tp_btf twins ----------------------- */
/* Argument lists are TP_PROTO's (driver/arm_spe_trace.h), in the order of
 * include/spekit/arm_spe_tp.h; BPF_PROG narrows each ctx[i] to its type. */

SEC("raw_tp/arm_spe_aux_begin")
int BPF_PROG(spe_rtp_aux_begin, u64 aux_head, u64 size, u64 wakeup, u64 limit,
	     u64 buf_size, bool snapshot)
{
	return on_aux_begin(limit);
}

SEC("tp_btf/arm_spe_aux_begin")
int BPF_PROG(spe_btf_aux_begin, u64 aux_head, u64 size, u64 wakeup, u64 limit,
	     u64 buf_size, bool snapshot)
{
	return on_aux_begin(limit);
}

SEC("raw_tp/arm_spe_irq")
int BPF_PROG(spe_rtp_irq, u64 pmbsr, u64 written, u64 pmbptr_off)
{
	return on_irq(pmbsr);
}

SEC("tp_btf/arm_spe_irq")
int BPF_PROG(spe_btf_irq, u64 pmbsr, u64 written, u64 pmbptr_off)
{
	return on_irq(pmbsr);
}

SEC("raw_tp/arm_spe_aux_end")
int BPF_PROG(spe_rtp_aux_end, u64 size, u32 flags)
{
	return on_aux_end(size, flags);
}

SEC("tp_btf/arm_spe_aux_end")
int BPF_PROG(spe_btf_aux_end, u64 size, u32 flags)
{
	return on_aux_end(size, flags);
}

SEC("raw_tp/arm_spe_truncate")
int BPF_PROG(spe_rtp_truncate, u32 reason, u64 aux_head, u64 size)
{
	return on_truncate(reason, aux_head, size);
}

SEC("tp_btf/arm_spe_truncate")
int BPF_PROG(spe_btf_truncate, u32 reason, u64 aux_head, u64 size)
{
	return on_truncate(reason, aux_head, size);
}

SEC("raw_tp/arm_spe_pad")
int BPF_PROG(spe_rtp_pad, u64 offset, u64 len)
{
	return on_pad(len);
}

SEC("tp_btf/arm_spe_pad")
int BPF_PROG(spe_btf_pad, u64 offset, u64 len)
{
	return on_pad(len);
}

SEC("raw_tp/arm_spe_fault")
int BPF_PROG(spe_rtp_fault, u32 ec, u32 fsc, u64 pmbsr, u64 pmbptr,
	     u64 pmblimitr)
{
	return on_fault(ec, fsc, pmbsr, pmbptr, pmblimitr);
}

SEC("tp_btf/arm_spe_fault")
int BPF_PROG(spe_btf_fault, u32 ec, u32 fsc, u64 pmbsr, u64 pmbptr,
	     u64 pmblimitr)
{
	return on_fault(ec, fsc, pmbsr, pmbptr, pmblimitr);
}

SEC("raw_tp/arm_spe_collision")
int BPF_PROG(spe_rtp_collision, u64 pmbsr, u64 aux_head)
{
	return on_collision();
}

SEC("tp_btf/arm_spe_collision")
int BPF_PROG(spe_btf_collision, u64 pmbsr, u64 aux_head)
{
	return on_collision();
}

/* ---- stock kernels: perf's AUX output API ------------------------------- */

static __always_inline int spe_event(struct perf_event *event)
{
	return spe_drops_pmu_match((__u32)BPF_CORE_READ(event, pmu, type),
				   spe_pmu_type);
}

/* perf_aux_output_begin() on entry: a session is asked for.  Whether perf
 * grants it is not known yet; SPE counts it as begun, as the driver would
 * restart sampling right after. */
static __always_inline int stock_aux_begin(struct perf_event *event)
{
	struct spe_cpu_stats *s;

	if (!spe_event(event))
		return 0;
	s = cpu_stats();
	if (s)
		session_begin(s);
	return 0;
}

/* perf_aux_output_flag(): TRUNCATED carries no reason on stock kernels */
static __always_inline int stock_aux_flag(struct perf_output_handle *handle,
					  __u64 flags)
{
	struct spe_cpu_stats *s;

	if (!spe_event(BPF_CORE_READ(handle, event)))
		return 0;
	s = cpu_stats();
	if (!s)
		return 0;
	if (flags & SPE_AUX_FLAG_TRUNCATED)
		truncation(s, SPE_TRUNC_FLAGGED, BPF_CORE_READ(handle, head),
			   BPF_CORE_READ(handle, size));
	if (flags & SPE_AUX_FLAG_COLLISION)
		s->collisions++;
	return 0;
}

/* perf_aux_output_end() on entry: handle->event and aux_flags still hold
 * the session's values.  A TRUNCATED record means SPE stays off until the
 * next begin. */
static __always_inline int stock_aux_end(struct perf_output_handle *handle,
					 __u64 size)
{
	struct spe_cpu_stats *s;
	__u64 flags;

	if (!spe_event(BPF_CORE_READ(handle, event)))
		return 0;
	s = cpu_stats();
	if (!s)
		return 0;
	flags = BPF_CORE_READ(handle, aux_flags);
	session_end(s, size, flags);
	if (flags & SPE_AUX_FLAG_TRUNCATED)
		blind_begin(s, bpf_ktime_get_ns());
	return 0;
}

SEC("fentry/perf_aux_output_begin")
int BPF_PROG(spe_fentry_aux_begin, struct perf_output_handle *handle,
	     struct perf_event *event)
{
	return stock_aux_begin(event);
}

SEC("fentry/perf_aux_output_flag")
int BPF_PROG(spe_fentry_aux_flag, struct perf_output_handle *handle, u64 flags)
{
	return stock_aux_flag(handle, flags);
}

SEC("fentry/perf_aux_output_end")
int BPF_PROG(spe_fentry_aux_end, struct perf_output_handle *handle,
	     unsigned long size)
{
	return stock_aux_end(handle, size);
}

/* kprobe twins, for kernels whose arm64 BPF trampoline cannot attach
 * fentry (6.1: no DYNAMIC_FTRACE_WITH_DIRECT_CALLS, see vmlinux/README.md) */
SEC("kprobe/perf_aux_output_begin")
int BPF_KPROBE(spe_kprobe_aux_begin, struct perf_output_handle *handle,
	       struct perf_event *event)
{
	return stock_aux_begin(event);
}

SEC("kprobe/perf_aux_output_flag")
int BPF_KPROBE(spe_kprobe_aux_flag, struct perf_output_handle *handle, u64 flags)
{
	return stock_aux_flag(handle, flags);
}

SEC("kprobe/perf_aux_output_end")
int BPF_KPROBE(spe_kprobe_aux_end, struct perf_output_handle *handle,
	       unsigned long size)
{
	return stock_aux_end(handle, size);
}
