/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in for arm64's <asm/sysreg.h>: the kernel's sys_reg() packing,
 * and read_sysreg_s()/write_sysreg_s() routed to the simulated SPE unit's
 * register file (shim/hw.h).
 */
#ifndef SPEKIT_SHIM_ASM_SYSREG_H
#define SPEKIT_SHIM_ASM_SYSREG_H

#include <linux/types.h>
#include <shim/hw.h>

#define Op0_shift	19
#define Op0_mask	0x3
#define Op1_shift	16
#define Op1_mask	0x7
#define CRn_shift	12
#define CRn_mask	0xf
#define CRm_shift	8
#define CRm_mask	0xf
#define Op2_shift	5
#define Op2_mask	0x7

#define sys_reg(op0, op1, crn, crm, op2) \
	(((op0) << Op0_shift) | ((op1) << Op1_shift) | \
	 ((crn) << CRn_shift) | ((crm) << CRm_shift) | \
	 ((op2) << Op2_shift))

#define sys_reg_Op0(id)	(((id) >> Op0_shift) & Op0_mask)
#define sys_reg_Op1(id)	(((id) >> Op1_shift) & Op1_mask)
#define sys_reg_CRn(id)	(((id) >> CRn_shift) & CRn_mask)
#define sys_reg_CRm(id)	(((id) >> CRm_shift) & CRm_mask)
#define sys_reg_Op2(id)	(((id) >> Op2_shift) & Op2_mask)

#define read_sysreg_s(r)	shim_hw_read_sysreg(r)
#define write_sysreg_s(v, r) do {					\
	u64 __val = (u64)(v);						\
	shim_hw_write_sysreg(__val, r);					\
} while (0)

#endif
