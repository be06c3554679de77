// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packet descriptions for the packet dump.  For every encoding Linux perf
 * 6.1 knows, the text is exactly what `perf report -D` prints, so the two
 * dumps can be compared line by line; encodings perf 6.1 predates
 * (SPEv1p2 and later) add their Arm ARM names after perf's words, or, where
 * perf prints only raw values, replace them.
 */
#include "spe.h"
#include "spe_text.h"

const char spe_hex_pairs[512] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
	"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

const char spe_dec_pairs[200] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static void desc_events(struct spe_text *o, uint64_t ev)
{
	spe_text_mem(o, "EV", 2);
	while (ev) {
		unsigned int bit = (unsigned int)__builtin_ctzll(ev);
		const char *name = spe_event_name(bit);

		ev &= ev - 1;
		spe_text_chr(o, ' ');
		if (name) {
			spe_text_str(o, name);
		} else {
			spe_text_chr(o, 'E');
			spe_text_u64(o, bit);
		}
	}
}

static void desc_evlen(struct spe_text *o, unsigned int evl)
{
	spe_text_str(o, " EVLEN ");
	spe_text_u64(o, 32u << evl);
}

static void desc_op_other(struct spe_text *o, unsigned int p)
{
	if ((p & SPE_OP_OTHER_SVE_MASK) == SPE_OP_OTHER_SVE) {
		spe_text_str(o, "SVE-OTHER");
		desc_evlen(o, p >> SPE_OP_EVL_SHIFT & SPE_OP_EVL_MASK);
		if (p & SPE_OP_OTHER_SVE_FP)
			spe_text_str(o, " FP");
		if (p & SPE_OP_OTHER_SVE_PRED)
			spe_text_str(o, " PRED");
		return;
	}
	if ((p & SPE_OP_OTHER_SME_MASK) == SPE_OP_OTHER_SME) {
		spe_text_str(o, "SME-OTHER");
		return;
	}
	spe_text_str(o, "OTHER");
	/* ASE and FP qualifiers (Arm ARM, class 0 "other"; perf 6.1 omits) */
	if (p & SPE_OP_OTHER_ASE)
		spe_text_str(o, " ASE");
	if (p & SPE_OP_OTHER_FP)
		spe_text_str(o, " FP");
	spe_text_str(o, p & SPE_OP_OTHER_COND ? " COND-SELECT" : " INSN-OTHER");
}

static void desc_op_ldst(struct spe_text *o, unsigned int p)
{
	uint8_t cls, sub, evl;

	spe_op_decode(SPE_OP_CLASS_LDST, p, &cls, &sub, &evl);
	spe_text_str(o, p & SPE_OP_LDST_ST ? "ST" : "LD");
	switch (sub) {
	case SPE_LDST_EXTENDED:
		if (p & SPE_OP_LDST_AT)
			spe_text_str(o, " AT");
		if (p & SPE_OP_LDST_EXCL)
			spe_text_str(o, " EXCL");
		if (p & SPE_OP_LDST_AR)
			spe_text_str(o, " AR");
		break;
	case SPE_LDST_GP:
		spe_text_str(o, " GP-REG");
		break;
	case SPE_LDST_SIMD_FP:
		spe_text_str(o, " SIMD-FP");
		break;
	case SPE_LDST_UNSPEC:
		spe_text_str(o, " UNSPEC-REG");
		break;
	case SPE_LDST_NV_SYSREG:
		spe_text_str(o, " NV-SYSREG");
		break;
	case SPE_LDST_SVE_SME:
		desc_evlen(o, evl);
		if (p & SPE_OP_LDST_SVE_PRED)
			spe_text_str(o, " PRED");
		if (p & SPE_OP_LDST_SVE_SG)
			spe_text_str(o, " SG");
		break;
	case SPE_LDST_MTE_TAG:
		spe_text_str(o, " MTE-TAG");
		break;
	case SPE_LDST_MEMCPY:
		spe_text_str(o, " MEMCPY");
		break;
	case SPE_LDST_MEMSET:
		spe_text_str(o, " MEMSET");
		break;
	case SPE_LDST_GCS:
		spe_text_str(o, p & SPE_OP_LDST_GCS_COMM ? " GCS COMM" : " GCS");
		break;
	default:
		spe_text_str(o, " RESERVED-");
		spe_text_hex0x(o, p);
		break;
	}
}

static void desc_op_branch(struct spe_text *o, unsigned int p)
{
	static const char *const cr[4] = { "", " CALL", " RET", " CR-OTHER" };

	spe_text_chr(o, 'B');
	if (p & SPE_OP_BR_COND)
		spe_text_str(o, " COND");
	if (p & SPE_OP_BR_IND)
		spe_text_str(o, " IND");
	if (p & SPE_OP_BR_GCS)
		spe_text_str(o, " GCS");
	spe_text_str(o, cr[p >> SPE_OP_BR_CR_SHIFT & SPE_OP_BR_CR_MASK]);
	if (p & SPE_OP_BR_RES_MASK) {
		spe_text_str(o, " RESERVED-");
		spe_text_hex0x(o, p);
	}
}

static void desc_addr(struct spe_text *o, const struct spe_pkt *pkt)
{
	uint64_t p = pkt->payload, a = p & SPE_ADDR_VALUE_MASK;
	unsigned int ns = (unsigned int)(p >> SPE_ADDR_NS_SHIFT & 1);
	unsigned int nse = (unsigned int)(p >> SPE_ADDR_NSE_SHIFT & 1);

	switch (pkt->index) {
	case SPE_ADDR_PC:
	case SPE_ADDR_BRANCH_TARGET:
	case SPE_ADDR_PREV_BRANCH_TARGET:
		spe_text_str(o, pkt->index == SPE_ADDR_PC ? "PC " :
			     pkt->index == SPE_ADDR_BRANCH_TARGET ? "TGT " :
			     "PREV-TGT ");
		spe_text_hex0x(o, a);
		spe_text_str(o, " el");
		spe_text_u64(o, p >> SPE_ADDR_EL_SHIFT & SPE_ADDR_EL_MASK);
		spe_text_str(o, ns ? " ns=1" : " ns=0");
		if (nse)
			spe_text_str(o, " nse=1");
		break;
	case SPE_ADDR_DATA_VA:
		/* perf prints the tag byte as part of the address */
		spe_text_str(o, "VA ");
		spe_text_hex0x(o, p);
		break;
	case SPE_ADDR_DATA_PA:
		spe_text_str(o, "PA ");
		spe_text_hex0x(o, a);
		spe_text_str(o, ns ? " ns=1" : " ns=0");
		spe_text_str(o, p >> SPE_ADDR_CH_SHIFT & 1 ? " ch=1" : " ch=0");
		spe_text_str(o, " pat=");
		spe_text_hex(o, p >> SPE_ADDR_PAT_SHIFT & SPE_ADDR_PAT_MASK);
		if (nse)
			spe_text_str(o, " nse=1");
		break;
	default:
		spe_text_str(o, "ADDR ");
		spe_text_hex0x(o, p);
		spe_text_str(o, " (");
		spe_text_u64(o, pkt->index);
		spe_text_chr(o, ')');
		break;
	}
}

static void desc_counter(struct spe_text *o, const struct spe_pkt *pkt)
{
	static const char *const names[8] = {
		[SPE_CNT_TOTAL_LAT] = "TOT",
		[SPE_CNT_ISSUE_LAT] = "ISSUE",
		[SPE_CNT_XLAT_LAT] = "XLAT",
		[SPE_CNT_ALT_ISSUE_LAT] = "ALT-ISSUE",
	};

	spe_text_str(o, "LAT ");
	spe_text_u64(o, (uint16_t)pkt->payload);
	/* IMPLEMENTATION DEFINED counters keep perf's trailing space */
	spe_text_chr(o, ' ');
	if (pkt->index < 8 && names[pkt->index])
		spe_text_str(o, names[pkt->index]);
}

int spe_pkt_desc(const struct spe_pkt *pkt, char *buf, size_t size)
{
	struct spe_text o;

	spe_text_init(&o, buf, size);
	switch (pkt->type) {
	case SPE_PKT_PAD:
		spe_text_str(&o, "PAD");
		break;
	case SPE_PKT_END:
		spe_text_str(&o, "END");
		break;
	case SPE_PKT_TIMESTAMP:
		spe_text_str(&o, "TS ");
		spe_text_u64(&o, pkt->payload);
		break;
	case SPE_PKT_DATA_SOURCE:
		spe_text_str(&o, "DATA-SOURCE ");
		spe_text_u64(&o, pkt->payload);
		break;
	case SPE_PKT_EVENTS:
		desc_events(&o, pkt->payload);
		break;
	case SPE_PKT_CONTEXT:
		spe_text_str(&o, "CONTEXT ");
		spe_text_hex0x(&o, pkt->payload);
		spe_text_str(&o, " el");
		spe_text_u64(&o, pkt->index + 1u);
		break;
	case SPE_PKT_OP_TYPE:
		if (pkt->index == SPE_OP_CLASS_OTHER) {
			desc_op_other(&o, (unsigned int)pkt->payload);
		} else if (pkt->index == SPE_OP_CLASS_LDST) {
			desc_op_ldst(&o, (unsigned int)pkt->payload);
		} else if (pkt->index == SPE_OP_CLASS_BRANCH) {
			desc_op_branch(&o, (unsigned int)pkt->payload);
		} else {
			spe_text_str(&o, "OP-TYPE ");
			spe_text_hex0x(&o, pkt->payload);
			spe_text_str(&o, " (3)");
		}
		break;
	case SPE_PKT_ADDRESS:
		desc_addr(&o, pkt);
		break;
	case SPE_PKT_COUNTER:
		desc_counter(&o, pkt);
		break;
	case SPE_PKT_UNKNOWN:
		spe_text_str(&o, "UNKNOWN ");
		spe_text_hex0x(&o, pkt->payload);
		spe_text_str(&o, " (skipped by size)");
		break;
	default:
		spe_text_str(&o, "Bad packet!");
		break;
	}
	return (int)o.len;
}
