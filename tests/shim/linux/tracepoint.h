/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in for <linux/tracepoint.h>.  TRACE_EVENT(name, proto, args, ...)
 * becomes a static inline trace_<name>(proto) recording the event and its
 * arguments (converted to u64 as C converts them: raw_tp's ctx[] ABI) in
 * the shim trace log.  The struct, assign and print parts are dropped:
 * the tests assert on what BPF programs see, not on the ftrace text.
 */
#ifndef SPEKIT_SHIM_LINUX_TRACEPOINT_H
#define SPEKIT_SHIM_LINUX_TRACEPOINT_H

#include <linux/types.h>
#include <shim/trace_log.h>

#define TP_PROTO(args...)	args
#define TP_ARGS(args...)	args

/* absorbs the ';' after the macro at file scope */
#define TRACE_DEFINE_ENUM(a)	extern int __shim_trace_enum_##a

#define TRACE_EVENT(name, proto, args, tstruct, assign, print)		\
	static inline void trace_##name(proto)				\
	{								\
		const u64 __args[] = { args };				\
									\
		shim_trace_record(#name, __args,			\
				  (int)(sizeof(__args) / sizeof(__args[0]))); \
	}								\
	extern int __shim_trace_event_##name

#endif
