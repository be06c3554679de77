/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in for <trace/define_trace.h>.  In the kernel this re-reads the
 * trace header to generate the event code; here <linux/tracepoint.h>
 * already made each TRACE_EVENT a recording function, so nothing is left.
 */
