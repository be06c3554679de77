/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Operation Type payload classification, inline for the record decoder's
 * hot loop; spe_op_decode() exports it.  Freestanding.
 *
 * The rules are written once, as constant expressions, and the compiler
 * evaluates them into spe_op_tab[] (spe_op_tab.c): a lookup is one load
 * where the rules as code were a switch on the class and a chain of
 * pattern tests, which mispredicted on streams that mix operations.
 */
#ifndef SPEKIT_SPE_OP_INLINE_H
#define SPEKIT_SPE_OP_INLINE_H

#include "spe.h"

/* Class 1 subclass of payload @p: fixed patterns first, then the
 * field-carrying ones, whose patterns the fixed values never match (Arm
 * ARM op type table). */
#define SPE_OP_LDST_SUB_OF(p)							\
	(((p) & SPE_OP_LDST_SUB_MASK) == SPE_OP_LDST_GP ? SPE_LDST_GP :		\
	 ((p) & SPE_OP_LDST_SUB_MASK) == SPE_OP_LDST_SIMD_FP ? SPE_LDST_SIMD_FP : \
	 ((p) & SPE_OP_LDST_SUB_MASK) == SPE_OP_LDST_UNSPEC ? SPE_LDST_UNSPEC :	\
	 ((p) & SPE_OP_LDST_SUB_MASK) == SPE_OP_LDST_MTE_TAG ? SPE_LDST_MTE_TAG : \
	 ((p) & SPE_OP_LDST_SUB_MASK) == SPE_OP_LDST_NV_SYSREG ? SPE_LDST_NV_SYSREG : \
	 ((p) & SPE_OP_LDST_SUB_MASK) == SPE_OP_LDST_MEMCPY ? SPE_LDST_MEMCPY :	\
	 (p) == SPE_OP_LDST_MEMSET ? SPE_LDST_MEMSET :				\
	 ((p) & SPE_OP_LDST_EXT_MASK) == SPE_OP_LDST_EXT ? SPE_LDST_EXTENDED :	\
	 ((p) & SPE_OP_LDST_SVE_MASK) == SPE_OP_LDST_SVE ? SPE_LDST_SVE_SME :	\
	 ((p) & SPE_OP_LDST_GCS_MASK) == SPE_OP_LDST_GCS ? SPE_LDST_GCS :	\
	 SPE_LDST_OTHER)

/* The effective vector length field, where a payload has one */
#define SPE_OP_EVL_OF(p)	((p) >> SPE_OP_EVL_SHIFT & SPE_OP_EVL_MASK)

/* Class 0: SVE and SME operations carry an EVL, plain ones nothing */
#define SPE_OP_OTHER_OF(p)							\
	(((p) & SPE_OP_OTHER_SVE_MASK) == SPE_OP_OTHER_SVE ?			\
		SPE_OP_ENT(SPE_OPC_SVE_OTHER, 0, SPE_OP_EVL_OF(p)) :		\
	 ((p) & SPE_OP_OTHER_SME_MASK) == SPE_OP_OTHER_SME ?			\
		SPE_OP_ENT(SPE_OPC_SME_OTHER, 0, SPE_OP_EVL_OF(p)) :		\
	 SPE_OP_ENT(SPE_OPC_OTHER, 0, 0))

/* Class 1: loads and stores; SVE/SME ones carry an EVL */
#define SPE_OP_LDST_OF(p)							\
	SPE_OP_ENT((p) & SPE_OP_LDST_ST ? SPE_OPC_STORE : SPE_OPC_LOAD,		\
		   SPE_OP_LDST_SUB_OF(p),					\
		   SPE_OP_LDST_SUB_OF(p) == SPE_LDST_SVE_SME ? SPE_OP_EVL_OF(p) : 0)

/* A table entry: op_class, ldst_sub and evl, a byte each */
#define SPE_OP_ENT(cls, sub, evl)	((uint32_t)(cls) | (uint32_t)(sub) << 8 | \
					 (uint32_t)(evl) << 16)

/* The entry for header class @cls (0-3) and payload @p (0-255) */
#define SPE_OP_ENTRY(cls, p)							\
	((cls) == SPE_OP_CLASS_OTHER ? SPE_OP_OTHER_OF(p) :			\
	 (cls) == SPE_OP_CLASS_LDST ? SPE_OP_LDST_OF(p) :			\
	 (cls) == SPE_OP_CLASS_BRANCH ? SPE_OP_ENT(SPE_OPC_BRANCH, 0, 0) :	\
	 SPE_OP_ENT(SPE_OPC_RESERVED, 0, 0))

/* SPE_OP_ENTRY(cls, p) for every class and payload */
extern const uint32_t spe_op_tab[4][256];

/* A table entry (SPE_OP_ENT()) into its three fields */
static inline void spe_op_unpack(uint32_t e, uint8_t *op_class, uint8_t *ldst_sub, uint8_t *evl)
{
	*op_class = (uint8_t)e;
	*ldst_sub = (uint8_t)(e >> 8);
	*evl = (uint8_t)(e >> 16);
}

static inline void spe_op_decode_inline(unsigned int cls, unsigned int p,
					uint8_t *op_class, uint8_t *ldst_sub,
					uint8_t *evl)
{
	spe_op_unpack(spe_op_tab[cls & 3][p & 255], op_class, ldst_sub, evl);
}

#endif
