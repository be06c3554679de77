/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in for <linux/irq_work.h>.  irq_work_run() runs the work perf
 * queued on this CPU; the perf model (tests/driver/harness/perf_model.c)
 * implements it, including a pending event disable.
 */
#ifndef SPEKIT_SHIM_LINUX_IRQ_WORK_H
#define SPEKIT_SHIM_LINUX_IRQ_WORK_H

void irq_work_run(void);

#endif
