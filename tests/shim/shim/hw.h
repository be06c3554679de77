/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hooks the shim's <asm/sysreg.h> and <asm/barrier.h> call: the simulated
 * hardware implements them (tests/driver/harness/spe_sim.c).
 */
#ifndef SPEKIT_SHIM_HW_H
#define SPEKIT_SHIM_HW_H

#include <linux/types.h>

u64 shim_hw_read_sysreg(u32 enc);
void shim_hw_write_sysreg(u64 val, u32 enc);
void shim_hw_isb(void);
void shim_hw_dsb(const char *opt);
void shim_hw_psb_csync(void);

#endif
