/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Statistical Profiling Extension system registers: encodings and fields.
 *
 * One definition for the driver, the BPF programs (which decode PMBSR and
 * friends out of tracepoint arguments), the tools and the tests (the
 * simulated SPE unit).  Review point 1 asked for the architected
 * definitions in one shared header with one prefix.  The prefix is SPE_
 * rather than the kernel's SYS_: an out-of-tree module builds against
 * kernels whose <asm/sysreg.h> spells these differently (6.1 hand-written
 * SYS_PMSCR_EL1_TS_SHIFT, 6.12 generated PMSCR_EL1_TS masks), so owning
 * the names here is what keeps one definition.
 *
 * Fields are masks (GENMASK style, in the polarity of the field: review
 * point 2); SPE_FIELD_GET()/SPE_FIELD_PREP() work anywhere, the driver
 * may equally use the kernel's FIELD_GET()/FIELD_PREP() on them.
 * Source: Arm ARM (DDI0487), D24 "AArch64 System Register Descriptions"
 * and D10 "Statistical Profiling Extension".
 */
#ifndef SPEKIT_SPE_REGS_H
#define SPEKIT_SPE_REGS_H

#define SPE_BIT(n)		(1ULL << (n))
#define SPE_GENMASK(h, l)	((~0ULL >> (63 - (h))) & (~0ULL << (l)))
#define SPE_FIELD_GET(mask, reg) \
	(((reg) & (mask)) >> __builtin_ctzll(mask))
#define SPE_FIELD_PREP(mask, val) \
	(((unsigned long long)(val) << __builtin_ctzll(mask)) & (mask))

/*
 * Encodings as op0, op1, CRn, CRm, op2 lists, for the kernel's sys_reg():
 * the driver expands them through a variadic macro (arm_spe_pmu.h).
 */
#define SPE_REG_PMSCR_EL1		3, 0, 9, 9, 0
#define SPE_REG_PMSNEVFR_EL1		3, 0, 9, 9, 1	/* FEAT_SPE_FnE */
#define SPE_REG_PMSICR_EL1		3, 0, 9, 9, 2
#define SPE_REG_PMSIRR_EL1		3, 0, 9, 9, 3
#define SPE_REG_PMSFCR_EL1		3, 0, 9, 9, 4
#define SPE_REG_PMSEVFR_EL1		3, 0, 9, 9, 5
#define SPE_REG_PMSLATFR_EL1		3, 0, 9, 9, 6
#define SPE_REG_PMSIDR_EL1		3, 0, 9, 9, 7
#define SPE_REG_PMBLIMITR_EL1		3, 0, 9, 10, 0
#define SPE_REG_PMBPTR_EL1		3, 0, 9, 10, 1
#define SPE_REG_PMBSR_EL1		3, 0, 9, 10, 3
#define SPE_REG_PMBIDR_EL1		3, 0, 9, 10, 7

/* ID_AA64DFR0_EL1.PMSVer: which SPE the PE implements */
#define SPE_ID_AA64DFR0_EL1_PMSVER	SPE_GENMASK(35, 32)
#define SPE_PMSVER_NI			0x0	/* no SPE */
#define SPE_PMSVER_V1			0x1	/* FEAT_SPE, Armv8.2 */
#define SPE_PMSVER_V1P1			0x2	/* FEAT_SPEv1p1, Armv8.3 */
#define SPE_PMSVER_V1P2			0x3	/* FEAT_SPEv1p2, Armv8.7 */
#define SPE_PMSVER_V1P3			0x4	/* FEAT_SPEv1p3, Armv8.8 */
#define SPE_PMSVER_V1P4			0x5	/* FEAT_SPEv1p4, Armv8.9 */
#define SPE_PMSVER_V1P5			0x6	/* FEAT_SPEv1p5, Armv9.5 */
#define SPE_PMSVER_MAX_KNOWN		SPE_PMSVER_V1P5

/* PMSCR_EL1: sampling control */
#define SPE_PMSCR_EL1_E0SPE		SPE_BIT(0)
#define SPE_PMSCR_EL1_E1SPE		SPE_BIT(1)
#define SPE_PMSCR_EL1_CX		SPE_BIT(3)
#define SPE_PMSCR_EL1_PA		SPE_BIT(4)
#define SPE_PMSCR_EL1_TS		SPE_BIT(5)
#define SPE_PMSCR_EL1_PCT		SPE_GENMASK(7, 6)
#define SPE_PMSCR_EL1_PCT_VIRT		0x0
#define SPE_PMSCR_EL1_PCT_PHYS		0x1

/* PMSICR_EL1: the sampling interval counter */
#define SPE_PMSICR_EL1_COUNT		SPE_GENMASK(31, 0)
#define SPE_PMSICR_EL1_ECOUNT		SPE_GENMASK(63, 56)

/* PMSIRR_EL1: sampling interval reload */
#define SPE_PMSIRR_EL1_RND		SPE_BIT(0)
#define SPE_PMSIRR_EL1_INTERVAL		SPE_GENMASK(31, 8)

/* PMSFCR_EL1: sampling filter control */
#define SPE_PMSFCR_EL1_FE		SPE_BIT(0)
#define SPE_PMSFCR_EL1_FT		SPE_BIT(1)
#define SPE_PMSFCR_EL1_FL		SPE_BIT(2)
#define SPE_PMSFCR_EL1_FNE		SPE_BIT(3)	/* FEAT_SPE_FnE */
#define SPE_PMSFCR_EL1_B		SPE_BIT(16)
#define SPE_PMSFCR_EL1_LD		SPE_BIT(17)
#define SPE_PMSFCR_EL1_ST		SPE_BIT(18)

/*
 * PMSEVFR_EL1 / PMSNEVFR_EL1: the event bits each version lets software
 * filter on; everything else is RES0 and rejected (review point 16).
 * v1: retired (1), L1D refill (3), TLB walk (5), mispredicted (7), the
 * IMPLEMENTATION DEFINED 12-15, 24-31 and 48-63.  v1p1 adds misaligned (11)
 * and the SVE partial/empty predicate events (17, 18).  v1p2 adds not taken
 * (6).  Later versions add no filterable events the driver knows of, so
 * they use the v1p2 set (the conservative choice: an unknown bit is
 * refused, never silently ignored by hardware that treats it as RES0).
 */
#define SPE_PMSEVFR_V1_ALLOWED	(SPE_BIT(1) | SPE_BIT(3) | SPE_BIT(5) | \
				 SPE_BIT(7) | SPE_GENMASK(15, 12) | \
				 SPE_GENMASK(31, 24) | SPE_GENMASK(63, 48))
#define SPE_PMSEVFR_V1P1_ALLOWED (SPE_PMSEVFR_V1_ALLOWED | SPE_BIT(11) | \
				  SPE_BIT(17) | SPE_BIT(18))
#define SPE_PMSEVFR_V1P2_ALLOWED (SPE_PMSEVFR_V1P1_ALLOWED | SPE_BIT(6))

/* PMSLATFR_EL1: minimum latency filter */
#define SPE_PMSLATFR_EL1_MINLAT		SPE_GENMASK(15, 0)

/* PMSIDR_EL1: what the sampling unit implements */
#define SPE_PMSIDR_EL1_FE		SPE_BIT(0)
#define SPE_PMSIDR_EL1_FT		SPE_BIT(1)
#define SPE_PMSIDR_EL1_FL		SPE_BIT(2)
#define SPE_PMSIDR_EL1_ARCHINST		SPE_BIT(3)
#define SPE_PMSIDR_EL1_LDS		SPE_BIT(4)
#define SPE_PMSIDR_EL1_ERND		SPE_BIT(5)
#define SPE_PMSIDR_EL1_FNE		SPE_BIT(6)
#define SPE_PMSIDR_EL1_INTERVAL		SPE_GENMASK(11, 8)
#define SPE_PMSIDR_EL1_MAXSIZE		SPE_GENMASK(15, 12)
#define SPE_PMSIDR_EL1_COUNTSIZE	SPE_GENMASK(19, 16)
#define SPE_PMSIDR_EL1_FORMAT		SPE_GENMASK(23, 20)
#define SPE_PMSIDR_EL1_PBT		SPE_BIT(24)
/* CountSize encodings: 12-bit and 16-bit saturating counters */
#define SPE_PMSIDR_COUNTSIZE_12_SAT	0x2
#define SPE_PMSIDR_COUNTSIZE_16_SAT	0x3

/* PMBIDR_EL1: what the profiling buffer implements */
#define SPE_PMBIDR_EL1_ALIGN		SPE_GENMASK(3, 0)
#define SPE_PMBIDR_EL1_P		SPE_BIT(4)	/* owned by a higher EL */
#define SPE_PMBIDR_EL1_F		SPE_BIT(5)

/* PMBLIMITR_EL1: buffer limit and enable */
#define SPE_PMBLIMITR_EL1_E		SPE_BIT(0)
#define SPE_PMBLIMITR_EL1_FM		SPE_GENMASK(2, 1)
#define SPE_PMBLIMITR_EL1_FM_FILL	0x0
#define SPE_PMBLIMITR_EL1_FM_DISCARD	0x2	/* FEAT_SPEv1p2 */
#define SPE_PMBLIMITR_EL1_LIMIT		SPE_GENMASK(63, 12)

/* PMBSR_EL1: buffer status/syndrome (review point 3 names EC and FSC) */
#define SPE_PMBSR_EL1_EC		SPE_GENMASK(31, 26)
#define SPE_PMBSR_EL1_DL		SPE_BIT(19)	/* data lost */
#define SPE_PMBSR_EL1_EA		SPE_BIT(18)	/* external abort */
#define SPE_PMBSR_EL1_S			SPE_BIT(17)	/* service required */
#define SPE_PMBSR_EL1_COLL		SPE_BIT(16)	/* collision */
#define SPE_PMBSR_EL1_MSS		SPE_GENMASK(15, 0)
/* MSS for EC == BUF: buffer status code */
#define SPE_PMBSR_EL1_BUF_BSC		SPE_GENMASK(5, 0)
#define SPE_PMBSR_BSC_NOT_FULL		0x0
#define SPE_PMBSR_BSC_FULL		0x1
/* MSS for EC == FAULT_S1/S2: fault status code */
#define SPE_PMBSR_EL1_FAULT_FSC		SPE_GENMASK(5, 0)

/* PMBSR_EL1.EC values */
#define SPE_PMBSR_EC_BUF		0x00	/* buffer management event */
#define SPE_PMBSR_EC_GPC		0x1e	/* granule protection check */
#define SPE_PMBSR_EC_IMPDEF		0x1f
#define SPE_PMBSR_EC_FAULT_S1		0x24	/* stage 1 data abort */
#define SPE_PMBSR_EC_FAULT_S2		0x25	/* stage 2 data abort */

#endif /* SPEKIT_SPE_REGS_H */
