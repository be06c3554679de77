/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * arm_spe tracepoints: when and why SPE data is lost.  The argument order
 * of every TP_PROTO is the raw_tp ABI documented in
 * include/spekit/arm_spe_tp.h; keep the two in step.  Arguments are
 * scalars so raw_tp programs and BPF test runs see plain values.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM arm_spe

#if !defined(_ARM_SPE_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _ARM_SPE_TRACE_H

#include <linux/tracepoint.h>
#include <spekit/arm_spe_tp.h>

TRACE_DEFINE_ENUM(ARM_SPE_TRUNC_NO_SPACE);
TRACE_DEFINE_ENUM(ARM_SPE_TRUNC_DATA_LOST);
TRACE_DEFINE_ENUM(ARM_SPE_TRUNC_LIMIT_LE_HEAD);
TRACE_DEFINE_ENUM(ARM_SPE_TRUNC_RESTART_FAILED);
TRACE_DEFINE_ENUM(ARM_SPE_TRUNC_FAULT);

#define show_arm_spe_trunc_reason(r)					\
	__print_symbolic(r,						\
		{ ARM_SPE_TRUNC_NO_SPACE,	"no_space" },		\
		{ ARM_SPE_TRUNC_DATA_LOST,	"data_lost" },		\
		{ ARM_SPE_TRUNC_LIMIT_LE_HEAD,	"limit_le_head" },	\
		{ ARM_SPE_TRUNC_RESTART_FAILED,	"restart_failed" },	\
		{ ARM_SPE_TRUNC_FAULT,		"fault" })

#define show_arm_spe_aux_flags(f)					\
	__print_flags(f, "|",						\
		{ ARM_SPE_TP_AUX_FLAG_TRUNCATED,	"TRUNCATED" },	\
		{ ARM_SPE_TP_AUX_FLAG_OVERWRITE,	"OVERWRITE" },	\
		{ ARM_SPE_TP_AUX_FLAG_PARTIAL,		"PARTIAL" },	\
		{ ARM_SPE_TP_AUX_FLAG_COLLISION,	"COLLISION" })

#define show_arm_spe_ec(ec)						\
	__print_symbolic(ec,						\
		{ ARM_SPE_TP_EC_BUF,		"buffer" },		\
		{ ARM_SPE_TP_EC_GPC,		"gpc" },		\
		{ ARM_SPE_TP_EC_IMPDEF,		"impdef" },		\
		{ ARM_SPE_TP_EC_FAULT_S1,	"stage1" },		\
		{ ARM_SPE_TP_EC_FAULT_S2,	"stage2" })

TRACE_EVENT(arm_spe_aux_begin,
	    TP_PROTO(u64 aux_head, u64 size, u64 wakeup, u64 limit,
		     u64 buf_size, bool snapshot),
	    TP_ARGS(aux_head, size, wakeup, limit, buf_size, snapshot),
	    TP_STRUCT__entry(__field(u64, aux_head)
			     __field(u64, size)
			     __field(u64, wakeup)
			     __field(u64, limit)
			     __field(u64, buf_size)
			     __field(bool, snapshot)),
	    TP_fast_assign(__entry->aux_head = aux_head;
			   __entry->size = size;
			   __entry->wakeup = wakeup;
			   __entry->limit = limit;
			   __entry->buf_size = buf_size;
			   __entry->snapshot = snapshot;),
	    TP_printk("aux_head=%llu size=%llu wakeup=%llu limit=%llu buf_size=%llu%s",
		      __entry->aux_head, __entry->size, __entry->wakeup,
		      __entry->limit, __entry->buf_size,
		      __entry->snapshot ? " snapshot" : "")
);

TRACE_EVENT(arm_spe_irq,
	    TP_PROTO(u64 pmbsr, u64 written, u64 pmbptr_off),
	    TP_ARGS(pmbsr, written, pmbptr_off),
	    TP_STRUCT__entry(__field(u64, pmbsr)
			     __field(u64, written)
			     __field(u64, pmbptr_off)),
	    TP_fast_assign(__entry->pmbsr = pmbsr;
			   __entry->written = written;
			   __entry->pmbptr_off = pmbptr_off;),
	    TP_printk("pmbsr=0x%016llx written=%llu pmbptr_off=%llu",
		      __entry->pmbsr, __entry->written, __entry->pmbptr_off)
);

TRACE_EVENT(arm_spe_aux_end,
	    TP_PROTO(u64 size, u32 flags),
	    TP_ARGS(size, flags),
	    TP_STRUCT__entry(__field(u64, size)
			     __field(u32, flags)),
	    TP_fast_assign(__entry->size = size;
			   __entry->flags = flags;),
	    TP_printk("size=%llu flags=%s", __entry->size,
		      show_arm_spe_aux_flags(__entry->flags))
);

TRACE_EVENT(arm_spe_truncate,
	    TP_PROTO(u32 reason, u64 aux_head, u64 size),
	    TP_ARGS(reason, aux_head, size),
	    TP_STRUCT__entry(__field(u32, reason)
			     __field(u64, aux_head)
			     __field(u64, size)),
	    TP_fast_assign(__entry->reason = reason;
			   __entry->aux_head = aux_head;
			   __entry->size = size;),
	    TP_printk("reason=%s aux_head=%llu size=%llu",
		      show_arm_spe_trunc_reason(__entry->reason),
		      __entry->aux_head, __entry->size)
);

TRACE_EVENT(arm_spe_pad,
	    TP_PROTO(u64 offset, u64 len),
	    TP_ARGS(offset, len),
	    TP_STRUCT__entry(__field(u64, offset)
			     __field(u64, len)),
	    TP_fast_assign(__entry->offset = offset;
			   __entry->len = len;),
	    TP_printk("offset=%llu len=%llu", __entry->offset, __entry->len)
);

TRACE_EVENT(arm_spe_fault,
	    TP_PROTO(u32 ec, u32 fsc, u64 pmbsr, u64 pmbptr, u64 pmblimitr),
	    TP_ARGS(ec, fsc, pmbsr, pmbptr, pmblimitr),
	    TP_STRUCT__entry(__field(u32, ec)
			     __field(u32, fsc)
			     __field(u64, pmbsr)
			     __field(u64, pmbptr)
			     __field(u64, pmblimitr)),
	    TP_fast_assign(__entry->ec = ec;
			   __entry->fsc = fsc;
			   __entry->pmbsr = pmbsr;
			   __entry->pmbptr = pmbptr;
			   __entry->pmblimitr = pmblimitr;),
	    TP_printk("ec=%s fsc=0x%02x pmbsr=0x%016llx pmbptr=0x%016llx pmblimitr=0x%016llx",
		      show_arm_spe_ec(__entry->ec), __entry->fsc, __entry->pmbsr,
		      __entry->pmbptr, __entry->pmblimitr)
);

TRACE_EVENT(arm_spe_collision,
	    TP_PROTO(u64 pmbsr, u64 aux_head),
	    TP_ARGS(pmbsr, aux_head),
	    TP_STRUCT__entry(__field(u64, pmbsr)
			     __field(u64, aux_head)),
	    TP_fast_assign(__entry->pmbsr = pmbsr;
			   __entry->aux_head = aux_head;),
	    TP_printk("pmbsr=0x%016llx aux_head=%llu", __entry->pmbsr, __entry->aux_head)
);

#endif /* _ARM_SPE_TRACE_H */

/* This part must be outside the include guard */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE arm_spe_trace
#include <trace/define_trace.h>
