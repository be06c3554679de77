/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in for <linux/percpu.h>.  The harness simulates one CPU, so a
 * per-CPU pointer is the pointer to that CPU's instance.
 */
#ifndef SPEKIT_SHIM_LINUX_PERCPU_H
#define SPEKIT_SHIM_LINUX_PERCPU_H

#define this_cpu_ptr(ptr)		(ptr)
#define raw_cpu_ptr(ptr)		(ptr)
#define per_cpu_ptr(ptr, cpu)		((void)(cpu), (ptr))

#endif
