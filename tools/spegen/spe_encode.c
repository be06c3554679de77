// SPDX-License-Identifier: GPL-2.0-only
/*
 * spegen packet encoder.  See spe_encode.h.
 *
 * Header layouts (Arm ARM, SPE sample record packets):
 *   short header      1 byte, payload size 1 << bits [5:4]
 *   extended header   0b001000ii then a short Address/Counter header whose
 *                     bits [2:0] are INDEX[2:0]; ii = INDEX[4:3]
 * Payloads are little-endian.
 */
#include "spe_encode.h"

static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* log2 of a payload size 1/2/4/8 */
static unsigned int sz_code(unsigned int size)
{
	switch (size) {
	case 1: return 0;
	case 2: return 1;
	case 4: return 2;
	default: return 3;
	}
}

size_t spe_enc_pad(uint8_t *buf)
{
	buf[0] = SPE_HDR_PAD;
	return 1;
}

size_t spe_enc_end(uint8_t *buf)
{
	buf[0] = SPE_HDR_END;
	return 1;
}

size_t spe_enc_timestamp(uint8_t *buf, uint64_t ts)
{
	buf[0] = SPE_HDR_TIMESTAMP;
	put_le(buf + 1, ts, 8);
	return 9;
}

/* Address and Counter share the indexed (optionally extended) header. */
static size_t put_indexed_hdr(uint8_t *buf, uint8_t base, unsigned int index,
			      bool ext)
{
	index &= 0x1f;
	if (index >= 8 || ext) {
		buf[0] = SPE_HDR_EXT | ((index >> 3) & SPE_HDR_EXT_INDEX_MASK);
		buf[1] = base | (index & SPE_HDR_INDEX_MASK);
		return 2;
	}
	buf[0] = base | (index & SPE_HDR_INDEX_MASK);
	return 1;
}

size_t spe_enc_address(uint8_t *buf, unsigned int index, uint64_t payload,
		       bool ext)
{
	size_t n = put_indexed_hdr(buf, SPE_HDR_ADDR, index, ext);

	put_le(buf + n, payload, 8);
	return n + 8;
}

uint64_t spe_addr_payload_pc(uint64_t addr, unsigned int el, bool ns, bool nse)
{
	return (addr & SPE_ADDR_VALUE_MASK) |
	       ((uint64_t)(el & SPE_ADDR_EL_MASK) << SPE_ADDR_EL_SHIFT) |
	       ((uint64_t)ns << SPE_ADDR_NS_SHIFT) |
	       ((uint64_t)nse << SPE_ADDR_NSE_SHIFT);
}

uint64_t spe_addr_payload_va(uint64_t addr, uint8_t tag)
{
	return (addr & SPE_ADDR_VALUE_MASK) |
	       ((uint64_t)tag << SPE_ADDR_TAG_SHIFT);
}

uint64_t spe_addr_payload_pa(uint64_t addr, bool ns, bool ch, bool nse,
			     unsigned int pat)
{
	return (addr & SPE_ADDR_VALUE_MASK) |
	       ((uint64_t)ns << SPE_ADDR_NS_SHIFT) |
	       ((uint64_t)ch << SPE_ADDR_CH_SHIFT) |
	       ((uint64_t)nse << SPE_ADDR_NSE_SHIFT) |
	       ((uint64_t)(pat & SPE_ADDR_PAT_MASK) << SPE_ADDR_PAT_SHIFT);
}

uint16_t spe_counter_saturate(uint64_t count, unsigned int count_bits)
{
	uint64_t max = count_bits == 12 ? 0xfff : 0xffff;

	return (uint16_t)(count > max ? max : count);
}

size_t spe_enc_counter(uint8_t *buf, unsigned int index, uint64_t count,
		       unsigned int count_bits, bool ext)
{
	size_t n = put_indexed_hdr(buf, SPE_HDR_COUNTER, index, ext);

	put_le(buf + n, spe_counter_saturate(count, count_bits), 2);
	return n + 2;
}

unsigned int spe_events_min_size(uint64_t events)
{
	if (events <= 0xff)
		return 1;
	if (events <= 0xffff)
		return 2;
	if (events <= 0xffffffffULL)
		return 4;
	return 8;
}

size_t spe_enc_events(uint8_t *buf, uint64_t events, unsigned int size)
{
	if (size != 1 && size != 2 && size != 4 && size != 8)
		size = spe_events_min_size(events);
	buf[0] = SPE_HDR_EVENTS | (sz_code(size) << SPE_HDR_SZ_SHIFT);
	put_le(buf + 1, events, size);
	return 1 + size;
}

size_t spe_enc_dsrc(uint8_t *buf, uint16_t value, unsigned int size)
{
	if (size != 1 && size != 2)
		size = value <= 0xff ? 1 : 2;
	buf[0] = SPE_HDR_DSRC | (sz_code(size) << SPE_HDR_SZ_SHIFT);
	put_le(buf + 1, value, size);
	return 1 + size;
}

size_t spe_enc_context(uint8_t *buf, unsigned int index, uint32_t ctx)
{
	buf[0] = SPE_HDR_CONTEXT | (index & ~SPE_HDR_CONTEXT_MASK & 0xff);
	put_le(buf + 1, ctx, 4);
	return 5;
}

size_t spe_enc_op(uint8_t *buf, unsigned int cls, uint8_t payload)
{
	buf[0] = SPE_HDR_OP | (cls & ~SPE_HDR_OP_MASK & 0xff);
	buf[1] = payload;
	return 2;
}

/* ---- Operation Type payloads ------------------------------------------- */

int spe_op_evl(unsigned int vl_bits)
{
	int evl;

	for (evl = 0; evl <= 6; evl++)
		if ((32u << evl) == vl_bits)
			return evl;
	return -1;
}

static uint8_t evl_field(unsigned int vl_bits)
{
	int evl = spe_op_evl(vl_bits);

	if (evl < 0)
		evl = 2;	/* 128 bits */
	return (uint8_t)((evl & SPE_OP_EVL_MASK) << SPE_OP_EVL_SHIFT);
}

uint8_t spe_op_other(bool cond, bool fp, bool ase)
{
	return (cond ? SPE_OP_OTHER_COND : 0) | (fp ? SPE_OP_OTHER_FP : 0) |
	       (ase ? SPE_OP_OTHER_ASE : 0);
}

uint8_t spe_op_sve_other(unsigned int vl_bits, bool pred, bool fp)
{
	return SPE_OP_OTHER_SVE | evl_field(vl_bits) |
	       (pred ? SPE_OP_OTHER_SVE_PRED : 0) |
	       (fp ? SPE_OP_OTHER_SVE_FP : 0);
}

uint8_t spe_op_sme_other(unsigned int vl_bits, bool fp)
{
	return SPE_OP_OTHER_SME | evl_field(vl_bits) |
	       (fp ? SPE_OP_OTHER_SVE_FP : 0);
}

uint8_t spe_op_ldst_gp(bool st)
{
	return SPE_OP_LDST_GP | (st ? SPE_OP_LDST_ST : 0);
}

uint8_t spe_op_ldst_simd_fp(bool st)
{
	return SPE_OP_LDST_SIMD_FP | (st ? SPE_OP_LDST_ST : 0);
}

uint8_t spe_op_ldst_unspec(bool st)
{
	return SPE_OP_LDST_UNSPEC | (st ? SPE_OP_LDST_ST : 0);
}

uint8_t spe_op_ldst_mte_tag(bool st)
{
	return SPE_OP_LDST_MTE_TAG | (st ? SPE_OP_LDST_ST : 0);
}

uint8_t spe_op_ldst_nv_sysreg(bool st)
{
	return SPE_OP_LDST_NV_SYSREG | (st ? SPE_OP_LDST_ST : 0);
}

uint8_t spe_op_ldst_ext(bool st, bool ar, bool excl, bool at)
{
	return SPE_OP_LDST_EXT | (ar ? SPE_OP_LDST_AR : 0) |
	       (excl ? SPE_OP_LDST_EXCL : 0) | (at ? SPE_OP_LDST_AT : 0) |
	       (st ? SPE_OP_LDST_ST : 0);
}

uint8_t spe_op_ldst_sve(bool st, unsigned int vl_bits, bool pred, bool sg)
{
	return SPE_OP_LDST_SVE | evl_field(vl_bits) |
	       (sg ? SPE_OP_LDST_SVE_SG : 0) |
	       (pred ? SPE_OP_LDST_SVE_PRED : 0) | (st ? SPE_OP_LDST_ST : 0);
}

uint8_t spe_op_ldst_memcpy(bool st)
{
	return SPE_OP_LDST_MEMCPY | (st ? SPE_OP_LDST_ST : 0);
}

uint8_t spe_op_ldst_memset(void)
{
	return SPE_OP_LDST_MEMSET;
}

uint8_t spe_op_ldst_gcs(bool st, bool comm)
{
	return SPE_OP_LDST_GCS | (comm ? SPE_OP_LDST_GCS_COMM : 0) |
	       (st ? SPE_OP_LDST_ST : 0);
}

uint8_t spe_op_branch(bool cond, bool ind, bool gcs, unsigned int cr)
{
	return (cond ? SPE_OP_BR_COND : 0) | (ind ? SPE_OP_BR_IND : 0) |
	       (gcs ? SPE_OP_BR_GCS : 0) |
	       ((cr & SPE_OP_BR_CR_MASK) << SPE_OP_BR_CR_SHIFT);
}
