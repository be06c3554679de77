/* SPDX-License-Identifier: GPL-2.0-only */
/* Operation Type payload classification, inline for the record decoder's
 * hot loop; spe_op_decode() exports it.  Freestanding. */
#ifndef SPEKIT_SPE_OP_INLINE_H
#define SPEKIT_SPE_OP_INLINE_H

#include "spe.h"

/* Class 1 subclass: fixed patterns first, then the field-carrying ones,
 * whose patterns the fixed values never match (Arm ARM op type table). */
static inline uint8_t spe_ldst_subclass(unsigned int p)
{
	switch (p & SPE_OP_LDST_SUB_MASK) {
	case SPE_OP_LDST_GP:		return SPE_LDST_GP;
	case SPE_OP_LDST_SIMD_FP:	return SPE_LDST_SIMD_FP;
	case SPE_OP_LDST_UNSPEC:	return SPE_LDST_UNSPEC;
	case SPE_OP_LDST_MTE_TAG:	return SPE_LDST_MTE_TAG;
	case SPE_OP_LDST_NV_SYSREG:	return SPE_LDST_NV_SYSREG;
	case SPE_OP_LDST_MEMCPY:	return SPE_LDST_MEMCPY;
	default:			break;
	}
	if (p == SPE_OP_LDST_MEMSET)
		return SPE_LDST_MEMSET;
	if ((p & SPE_OP_LDST_EXT_MASK) == SPE_OP_LDST_EXT)
		return SPE_LDST_EXTENDED;
	if ((p & SPE_OP_LDST_SVE_MASK) == SPE_OP_LDST_SVE)
		return SPE_LDST_SVE_SME;
	if ((p & SPE_OP_LDST_GCS_MASK) == SPE_OP_LDST_GCS)
		return SPE_LDST_GCS;
	return SPE_LDST_OTHER;
}

static inline void spe_op_decode_inline(unsigned int cls, unsigned int p,
					uint8_t *op_class, uint8_t *ldst_sub,
					uint8_t *evl)
{
	*ldst_sub = 0;
	*evl = 0;
	switch (cls) {
	case SPE_OP_CLASS_OTHER:
		if ((p & SPE_OP_OTHER_SVE_MASK) == SPE_OP_OTHER_SVE) {
			*op_class = SPE_OPC_SVE_OTHER;
			*evl = (uint8_t)(p >> SPE_OP_EVL_SHIFT & SPE_OP_EVL_MASK);
		} else if ((p & SPE_OP_OTHER_SME_MASK) == SPE_OP_OTHER_SME) {
			*op_class = SPE_OPC_SME_OTHER;
			*evl = (uint8_t)(p >> SPE_OP_EVL_SHIFT & SPE_OP_EVL_MASK);
		} else {
			*op_class = SPE_OPC_OTHER;
		}
		break;
	case SPE_OP_CLASS_LDST:
		*op_class = p & SPE_OP_LDST_ST ? SPE_OPC_STORE : SPE_OPC_LOAD;
		*ldst_sub = spe_ldst_subclass(p);
		if (*ldst_sub == SPE_LDST_SVE_SME)
			*evl = (uint8_t)(p >> SPE_OP_EVL_SHIFT & SPE_OP_EVL_MASK);
		break;
	case SPE_OP_CLASS_BRANCH:
		*op_class = SPE_OPC_BRANCH;
		break;
	default:
		*op_class = SPE_OPC_RESERVED;
		break;
	}
}

#endif
