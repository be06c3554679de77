/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in for arm64's <asm/barrier.h>.  The barriers that matter to the
 * SPE unit are routed to the simulated one (shim/hw.h), which logs them
 * so tests can assert their order against the register writes.
 */
#ifndef SPEKIT_SHIM_ASM_BARRIER_H
#define SPEKIT_SHIM_ASM_BARRIER_H

#include <shim/hw.h>

#define isb()		shim_hw_isb()
#define dsb(opt)	shim_hw_dsb(#opt)
#define dmb(opt)	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define psb_csync()	shim_hw_psb_csync()

#define mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)

#endif
