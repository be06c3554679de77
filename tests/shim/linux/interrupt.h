/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <linux/interrupt.h>: what an IRQ handler returns. */
#ifndef SPEKIT_SHIM_LINUX_INTERRUPT_H
#define SPEKIT_SHIM_LINUX_INTERRUPT_H

#include <linux/types.h>

enum irqreturn {
	IRQ_NONE		= (0 << 0),
	IRQ_HANDLED		= (1 << 0),
	IRQ_WAKE_THREAD		= (1 << 1),
};
typedef enum irqreturn irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int, void *);

#endif
