/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Arm SPE sample record packet format: header encodings and payload fields.
 *
 * One definition for the decoder (tools/lib/spe), the stream generator, the
 * driver's padding code and the tests.  Source: Arm ARM (DDI0487), chapter
 * "Statistical Profiling Extension", "Statistical Profiling Extension sample
 * record specification".  Plain integer constants only, so the header is
 * usable from kernel, BPF and freestanding user code alike.
 */
#ifndef SPEKIT_SPE_FORMAT_H
#define SPEKIT_SPE_FORMAT_H

/* Header byte 0 values and the masks that identify each packet type. */
#define SPE_HDR_PAD			0x00
#define SPE_HDR_END			0x01
#define SPE_HDR_TIMESTAMP		0x71
/* 0b01xx0010: Events, size in bits [5:4] */
#define SPE_HDR_EVENTS_MASK		0xcf
#define SPE_HDR_EVENTS			0x42
/* 0b01xx0011: Data Source, size in bits [5:4] */
#define SPE_HDR_DSRC_MASK		0xcf
#define SPE_HDR_DSRC			0x43
/* 0b011001xx: Context, index in bits [1:0], 4-byte payload */
#define SPE_HDR_CONTEXT_MASK		0xfc
#define SPE_HDR_CONTEXT			0x64
/* 0b010010xx: Operation Type, class in bits [1:0], 1-byte payload */
#define SPE_HDR_OP_MASK			0xfc
#define SPE_HDR_OP			0x48
/* 0b10110xxx: Address, index[2:0] in bits [2:0], 8-byte payload */
#define SPE_HDR_ADDR_MASK		0xf8
#define SPE_HDR_ADDR			0xb0
/* 0b10011xxx: Counter, index[2:0] in bits [2:0], 2-byte payload */
#define SPE_HDR_COUNTER_MASK		0xf8
#define SPE_HDR_COUNTER			0x98
/* 0b001000xx: extended header, index[4:3] in bits [1:0] */
#define SPE_HDR_EXT_MASK		0xfc
#define SPE_HDR_EXT			0x20
/* Bytes below this value (other than PAD, END) are 1-byte packets. */
#define SPE_HDR_SHORT_NOPAYLOAD_END	0x20
/* Bytes 0x20-0x3f all start a 2-byte header. */
#define SPE_HDR_EXT_RANGE_MASK		0xe0
#define SPE_HDR_EXT_RANGE		0x20

#define SPE_HDR_SZ_SHIFT		4
#define SPE_HDR_SZ_MASK			0x30
#define SPE_HDR_INDEX_MASK		0x07
#define SPE_HDR_EXT_INDEX_MASK		0x03

/* Longest packet: 2-byte header plus 8-byte payload. */
#define SPE_PKT_MAX_LEN			10

/* Address packet indices */
#define SPE_ADDR_PC			0
#define SPE_ADDR_BRANCH_TARGET		1
#define SPE_ADDR_DATA_VA		2
#define SPE_ADDR_DATA_PA		3
#define SPE_ADDR_PREV_BRANCH_TARGET	4	/* FEAT_SPEv1p2 */

/* Address payload: bits [55:0] address, byte 7 attributes. */
#define SPE_ADDR_VALUE_MASK		0x00ffffffffffffffULL
#define SPE_ADDR_NS_SHIFT		63	/* PC, targets, PA */
#define SPE_ADDR_EL_SHIFT		61	/* PC, targets: 2 bits */
#define SPE_ADDR_EL_MASK		0x3
#define SPE_ADDR_NSE_SHIFT		60	/* PC, targets, PA (FEAT_RME) */
#define SPE_ADDR_CH_SHIFT		62	/* PA: MTE checked access */
#define SPE_ADDR_PAT_SHIFT		56	/* PA: physical address tag, 4 bits */
#define SPE_ADDR_PAT_MASK		0xf
#define SPE_ADDR_TAG_SHIFT		56	/* VA: top-byte tag, 8 bits */

/* Counter packet indices */
#define SPE_CNT_TOTAL_LAT		0
#define SPE_CNT_ISSUE_LAT		1
#define SPE_CNT_XLAT_LAT		2
#define SPE_CNT_ALT_ISSUE_LAT		4	/* FEAT_SPE_ALTCLK */

/* Context packet indices */
#define SPE_CTX_EL1			0	/* CONTEXTIDR_EL1 */
#define SPE_CTX_EL2			1	/* CONTEXTIDR_EL2 */

/* Operation Type classes (header bits [1:0]) */
#define SPE_OP_CLASS_OTHER		0
#define SPE_OP_CLASS_LDST		1
#define SPE_OP_CLASS_BRANCH		2

/* Class 0 (other) payload */
#define SPE_OP_OTHER_COND		0x01
#define SPE_OP_OTHER_FP			0x02
#define SPE_OP_OTHER_ASE		0x04
#define SPE_OP_OTHER_SVE_MASK		0x89	/* 0xxx1xx0: SVE other */
#define SPE_OP_OTHER_SVE		0x08
#define SPE_OP_OTHER_SME_MASK		0x89	/* 1xxx1xx0: SME */
#define SPE_OP_OTHER_SME		0x88
#define SPE_OP_OTHER_SVE_PRED		0x04
#define SPE_OP_OTHER_SVE_FP		0x02
#define SPE_OP_EVL_SHIFT		4
#define SPE_OP_EVL_MASK			0x7

/* Class 1 (load/store/atomic) payload */
#define SPE_OP_LDST_ST			0x01
#define SPE_OP_LDST_SUB_MASK		0xfe	/* fixed-pattern subclasses */
#define SPE_OP_LDST_GP			0x00
#define SPE_OP_LDST_SIMD_FP		0x04
#define SPE_OP_LDST_UNSPEC		0x10
#define SPE_OP_LDST_MTE_TAG		0x14
#define SPE_OP_LDST_NV_SYSREG		0x30
#define SPE_OP_LDST_MEMCPY		0x20
#define SPE_OP_LDST_MEMSET		0x25	/* whole payload */
#define SPE_OP_LDST_EXT_MASK		0xe2	/* 000xxx1x: extended */
#define SPE_OP_LDST_EXT			0x02
#define SPE_OP_LDST_AR			0x10
#define SPE_OP_LDST_EXCL		0x08
#define SPE_OP_LDST_AT			0x04
#define SPE_OP_LDST_SVE_MASK		0x0a	/* xxxx1x0x: SVE/SME */
#define SPE_OP_LDST_SVE			0x08
#define SPE_OP_LDST_SVE_SG		0x80
#define SPE_OP_LDST_SVE_PRED		0x04
#define SPE_OP_LDST_GCS_MASK		0xfa	/* 01000x0x: GCS */
#define SPE_OP_LDST_GCS			0x40
#define SPE_OP_LDST_GCS_COMM		0x04

/* Class 2 (branch / exception return) payload: 000xxxxx */
#define SPE_OP_BR_RES_MASK		0xe0
#define SPE_OP_BR_COND			0x01
#define SPE_OP_BR_IND			0x02
#define SPE_OP_BR_GCS			0x04
#define SPE_OP_BR_CR_SHIFT		3
#define SPE_OP_BR_CR_MASK		0x3
#define SPE_OP_BR_CR_NONE		0
#define SPE_OP_BR_CR_CALL		1
#define SPE_OP_BR_CR_RETURN		2
#define SPE_OP_BR_CR_OTHER		3

/* Events packet bits */
#define SPE_EV_EXCEPTION_GEN		0
#define SPE_EV_RETIRED			1
#define SPE_EV_L1D_ACCESS		2
#define SPE_EV_L1D_REFILL		3
#define SPE_EV_TLB_ACCESS		4
#define SPE_EV_TLB_WALK			5
#define SPE_EV_NOT_TAKEN		6
#define SPE_EV_MISPRED			7
#define SPE_EV_LLC_ACCESS		8
#define SPE_EV_LLC_MISS			9
#define SPE_EV_REMOTE_ACCESS		10
#define SPE_EV_ALIGNMENT		11
#define SPE_EV_IMPDEF12			12
#define SPE_EV_TRANSACTIONAL		16
#define SPE_EV_PARTIAL_PRED		17
#define SPE_EV_EMPTY_PRED		18
#define SPE_EV_L2D_ACCESS		19
#define SPE_EV_L2D_MISS			20
#define SPE_EV_CACHE_DATA_MODIFIED	21
#define SPE_EV_RECENTLY_FETCHED		22
#define SPE_EV_DATA_SNOOPED		23
#define SPE_EV_STREAMING_SVE		24
#define SPE_EV_SMCU			25

#endif /* SPEKIT_SPE_FORMAT_H */
