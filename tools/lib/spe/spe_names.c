// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names and classification of SPE fields.  Freestanding: constant tables.
 * Event names follow `perf report -D` where perf 6.1 prints them, so that
 * spekit's output reads the same as the tool users already know; events
 * perf 6.1 does not name use the Arm ARM's terms.
 */
#include "spe_op_inline.h"

static const char *const event_names[64] = {
	[SPE_EV_EXCEPTION_GEN]		= "EXCEPTION-GEN",
	[SPE_EV_RETIRED]		= "RETIRED",
	[SPE_EV_L1D_ACCESS]		= "L1D-ACCESS",
	[SPE_EV_L1D_REFILL]		= "L1D-REFILL",
	[SPE_EV_TLB_ACCESS]		= "TLB-ACCESS",
	[SPE_EV_TLB_WALK]		= "TLB-REFILL",
	[SPE_EV_NOT_TAKEN]		= "NOT-TAKEN",
	[SPE_EV_MISPRED]		= "MISPRED",
	[SPE_EV_LLC_ACCESS]		= "LLC-ACCESS",
	[SPE_EV_LLC_MISS]		= "LLC-REFILL",
	[SPE_EV_REMOTE_ACCESS]		= "REMOTE-ACCESS",
	[SPE_EV_ALIGNMENT]		= "ALIGNMENT",
	[SPE_EV_TRANSACTIONAL]		= "TME-TRANSACTION",
	[SPE_EV_PARTIAL_PRED]		= "SVE-PARTIAL-PRED",
	[SPE_EV_EMPTY_PRED]		= "SVE-EMPTY-PRED",
	[SPE_EV_L2D_ACCESS]		= "L2D-ACCESS",
	[SPE_EV_L2D_MISS]		= "L2D-MISS",
	[SPE_EV_CACHE_DATA_MODIFIED]	= "CACHE-DATA-MODIFIED",
	[SPE_EV_RECENTLY_FETCHED]	= "RECENTLY-FETCHED",
	[SPE_EV_DATA_SNOOPED]		= "DATA-SNOOPED",
	[SPE_EV_STREAMING_SVE]		= "STREAMING-SVE-MODE",
	[SPE_EV_SMCU]			= "SMCU",
};

const char *spe_event_name(unsigned int bit)
{
	return bit < 64 ? event_names[bit] : NULL;
}

const char *spe_event_label(unsigned int bit, char buf[8])
{
	const char *name = spe_event_name(bit);

	if (name)
		return name;
	/* freestanding: no snprintf */
	buf[0] = 'E';
	if (bit >= 10) {
		buf[1] = (char)('0' + bit / 10 % 10);
		buf[2] = (char)('0' + bit % 10);
		buf[3] = 0;
	} else {
		buf[1] = (char)('0' + bit);
		buf[2] = 0;
	}
	return buf;
}

static const char *const op_class_names[SPE_OPC_NR] = {
	[SPE_OPC_NONE]		= "none",
	[SPE_OPC_OTHER]		= "other",
	[SPE_OPC_SVE_OTHER]	= "sve-other",
	[SPE_OPC_SME_OTHER]	= "sme-other",
	[SPE_OPC_LOAD]		= "load",
	[SPE_OPC_STORE]		= "store",
	[SPE_OPC_BRANCH]	= "branch",
	[SPE_OPC_RESERVED]	= "reserved",
};

const char *spe_op_class_name(unsigned int op_class)
{
	return op_class < SPE_OPC_NR ? op_class_names[op_class] : "?";
}

static const char *const ldst_names[SPE_LDST_NR] = {
	[SPE_LDST_GP]		= "gp",
	[SPE_LDST_SIMD_FP]	= "simd-fp",
	[SPE_LDST_UNSPEC]	= "unspec",
	[SPE_LDST_MTE_TAG]	= "mte-tag",
	[SPE_LDST_NV_SYSREG]	= "nv-sysreg",
	[SPE_LDST_EXTENDED]	= "extended",
	[SPE_LDST_SVE_SME]	= "sve-sme",
	[SPE_LDST_MEMCPY]	= "memcpy",
	[SPE_LDST_MEMSET]	= "memset",
	[SPE_LDST_GCS]		= "gcs",
	[SPE_LDST_OTHER]	= "reserved",
};

const char *spe_ldst_sub_name(unsigned int sub)
{
	return sub < SPE_LDST_NR ? ldst_names[sub] : "?";
}

static const char *const pkt_type_names[SPE_PKT_NR_TYPES] = {
	[SPE_PKT_BAD]		= "BAD",
	[SPE_PKT_PAD]		= "PAD",
	[SPE_PKT_END]		= "END",
	[SPE_PKT_TIMESTAMP]	= "TS",
	[SPE_PKT_ADDRESS]	= "ADDR",
	[SPE_PKT_COUNTER]	= "LAT",
	[SPE_PKT_CONTEXT]	= "CONTEXT",
	[SPE_PKT_OP_TYPE]	= "OP-TYPE",
	[SPE_PKT_EVENTS]	= "EV",
	[SPE_PKT_DATA_SOURCE]	= "DATA-SOURCE",
	[SPE_PKT_UNKNOWN]	= "UNKNOWN",
};

const char *spe_pkt_type_name(unsigned int type)
{
	return type < SPE_PKT_NR_TYPES ? pkt_type_names[type] : "?";
}

void spe_op_decode(unsigned int cls, unsigned int p, uint8_t *op_class,
		   uint8_t *ldst_sub, uint8_t *evl)
{
	/* the table has classes 0-3 (a header's two bits): any other is
	 * reserved too, not folded onto one of them */
	if (cls > 3)
		cls = 3;
	spe_op_decode_inline(cls, p, op_class, ldst_sub, evl);
}

uint64_t spe_addr_canonical(unsigned int index, uint64_t addr, unsigned int el)
{
	const uint64_t top = 0xff00000000000000ULL;

	addr &= SPE_ADDR_VALUE_MASK;
	switch (index) {
	case SPE_ADDR_PC:
	case SPE_ADDR_BRANCH_TARGET:
	case SPE_ADDR_PREV_BRANCH_TARGET:
		/* Bit 55 selects the upper (TTBR1) VA range; EL0 never
		 * executes there. */
		return spe_pc_canonical(addr, el);
	case SPE_ADDR_DATA_VA:
		if ((addr >> 52 & 0xf) == 0xf)
			addr |= top;
		return addr;
	default:
		return addr;
	}
}
