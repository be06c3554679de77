// SPDX-License-Identifier: GPL-2.0-only
/*
 * spegen unit tests: the encoder's bytes against hand-computed Arm SPE
 * encodings (several taken from captured streams in tests/data/spe-samples),
 * counter saturation, determinism for a seed, record layout, event/data
 * source consistency, --version restrictions and damage bookkeeping.
 *
 * Packets in generated streams are walked with a few lines of framing
 * written here from spe_format.h, not with libspe.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../tools/spegen/spe_encode.h"
#include "../../tools/spegen/spegen_damage.h"
#include "../../tools/spegen/spegen_gen.h"
#include "../../tools/spegen/spegen_model.h"
#include "../../tools/spegen/spegen_syms.h"

static bool bytes_eq(const uint8_t *got, size_t got_len, const uint8_t *want,
		     size_t want_len)
{
	size_t i;

	if (got_len == want_len && !memcmp(got, want, want_len))
		return true;
	printf("  got ");
	for (i = 0; i < got_len; i++)
		printf(" %02x", got[i]);
	printf("\n  want");
	for (i = 0; i < want_len; i++)
		printf(" %02x", want[i]);
	printf("\n");
	return false;
}

#define CHECK_BYTES(expr, ...) do {					\
	uint8_t _b[SPE_PKT_MAX_LEN + 6];				\
	static const uint8_t _w[] = { __VA_ARGS__ };			\
	size_t _n;							\
	memset(_b, 0xee, sizeof(_b));					\
	_n = (expr);							\
	CHECK(bytes_eq(_b, _n, _w, sizeof(_w)));			\
	CHECK(_b[_n] == 0xee);	/* nothing written past the packet */	\
} while (0)

/* ---- encoder -------------------------------------------------------------- */

static void test_enc_framing(void)
{
	CHECK_BYTES(spe_enc_pad(_b), 0x00);
	CHECK_BYTES(spe_enc_end(_b), 0x01);
	/* hiperf_TestSpeDecoder.bin: TS 389297091246406 */
	CHECK_BYTES(spe_enc_timestamp(_b, 389297091246406ULL),
		    0x71, 0x46, 0xf9, 0xd5, 0x4a, 0x10, 0x62, 0x01, 0x00);
	CHECK_BYTES(spe_enc_timestamp(_b, 0x0102030405060708ULL),
		    0x71, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01);
}

static void test_enc_address(void)
{
	/* captured: PC 0xffffc08420e068 el1 ns=1 */
	CHECK_BYTES(spe_enc_address(_b, SPE_ADDR_PC,
				    spe_addr_payload_pc(0xffffc08420e068ULL, 1,
							true, false), false),
		    0xb0, 0x68, 0xe0, 0x20, 0x84, 0xc0, 0xff, 0xff, 0xa0);
	/* a full 64-bit kernel PC: bits 63:56 are replaced by attributes */
	CHECK_BYTES(spe_enc_address(_b, SPE_ADDR_PC,
				    spe_addr_payload_pc(0xffff800008123454ULL, 1,
							true, false), false),
		    0xb0, 0x54, 0x34, 0x12, 0x08, 0x00, 0x80, 0xff, 0xa0);
	/* captured: PC 0x59f2b9270c el0 ns=1 */
	CHECK_BYTES(spe_enc_address(_b, SPE_ADDR_PC,
				    spe_addr_payload_pc(0x59f2b9270cULL, 0,
							true, false), false),
		    0xb0, 0x0c, 0x27, 0xb9, 0xf2, 0x59, 0x00, 0x00, 0x80);
	/* EL2, secure (NS=0), NSE=1: byte 7 = EL 10b << 5 | NSE << 4 */
	CHECK_BYTES(spe_enc_address(_b, SPE_ADDR_PC,
				    spe_addr_payload_pc(0x1000, 2, false, true),
				    false),
		    0xb0, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x50);
	/* EL3 NS: 0x80 | 0x60 */
	CHECK_EQ_U64(spe_addr_payload_pc(0, 3, true, false) >> 56, 0xe0);
	/* captured: TGT 0x59f4f9546c el0 ns=1 */
	CHECK_BYTES(spe_enc_address(_b, SPE_ADDR_BRANCH_TARGET,
				    spe_addr_payload_pc(0x59f4f9546cULL, 0,
							true, false), false),
		    0xb1, 0x6c, 0x54, 0xf9, 0xf4, 0x59, 0x00, 0x00, 0x80);
	/* captured (perf commit): VA 0xffff00000f293bc0, tag 0xff */
	CHECK_BYTES(spe_enc_address(_b, SPE_ADDR_DATA_VA,
				    spe_addr_payload_va(0xffff00000f293bc0ULL,
							0xff), false),
		    0xb2, 0xc0, 0x3b, 0x29, 0x0f, 0x00, 0x00, 0xff, 0xff);
	/* user VA with an MTE logical tag 0x5 in the top byte */
	CHECK_BYTES(spe_enc_address(_b, SPE_ADDR_DATA_VA,
				    spe_addr_payload_va(0xaaaac0001230ULL, 0x05),
				    false),
		    0xb2, 0x30, 0x12, 0x00, 0xc0, 0xaa, 0xaa, 0x00, 0x05);
	/* captured (perf commit): PA 0xfb24ebc0 ns=1 ch=0 pat=0 */
	CHECK_BYTES(spe_enc_address(_b, SPE_ADDR_DATA_PA,
				    spe_addr_payload_pa(0xfb24ebc0ULL, true,
							false, false, 0), false),
		    0xb3, 0xc0, 0xeb, 0x24, 0xfb, 0x00, 0x00, 0x00, 0x80);
	/* PA NS=1 CH=1 NSE=1 PAT=0xa: 0x80 | 0x40 | 0x10 | 0x0a */
	CHECK_BYTES(spe_enc_address(_b, SPE_ADDR_DATA_PA,
				    spe_addr_payload_pa(0x880001000ULL, true,
							true, true, 0xa), false),
		    0xb3, 0x00, 0x10, 0x00, 0x80, 0x08, 0x00, 0x00, 0xda);
	/* previous branch target (v1p2), as in synthetic_newer_encodings */
	CHECK_BYTES(spe_enc_address(_b, SPE_ADDR_PREV_BRANCH_TARGET,
				    spe_addr_payload_pc(0x40302010ULL, 0, true,
							false), false),
		    0xb4, 0x10, 0x20, 0x30, 0x40, 0x00, 0x00, 0x00, 0x80);
	/* extended header: index 8 = 0b01000: 0x20 | 1, then 0xb0 | 0 */
	CHECK_BYTES(spe_enc_address(_b, 8, 0x8877665544332211ULL, false),
		    0x21, 0xb0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88);
	/* index 31 = 0b11111: 0x23, 0xb7 */
	CHECK_BYTES(spe_enc_address(_b, 31, 0, false),
		    0x23, 0xb7, 0, 0, 0, 0, 0, 0, 0, 0);
	/* extended form forced for a low index */
	CHECK_BYTES(spe_enc_address(_b, SPE_ADDR_DATA_VA, 0x1122, true),
		    0x20, 0xb2, 0x22, 0x11, 0, 0, 0, 0, 0, 0);
}

static void test_enc_counter(void)
{
	/* captured: LAT 6 ISSUE, LAT 8 TOT, LAT 1 XLAT */
	CHECK_BYTES(spe_enc_counter(_b, SPE_CNT_ISSUE_LAT, 6, 12, false),
		    0x99, 0x06, 0x00);
	CHECK_BYTES(spe_enc_counter(_b, SPE_CNT_TOTAL_LAT, 8, 12, false),
		    0x98, 0x08, 0x00);
	CHECK_BYTES(spe_enc_counter(_b, SPE_CNT_XLAT_LAT, 1, 12, false),
		    0x9a, 0x01, 0x00);
	CHECK_BYTES(spe_enc_counter(_b, SPE_CNT_ALT_ISSUE_LAT, 5, 12, false),
		    0x9c, 0x05, 0x00);
	/* extended form of index 0 */
	CHECK_BYTES(spe_enc_counter(_b, SPE_CNT_TOTAL_LAT, 7, 12, true),
		    0x20, 0x98, 0x07, 0x00);
	/* index 17 = 0b10001: 0x22, 0x99 */
	CHECK_BYTES(spe_enc_counter(_b, 17, 0x1234, 16, false),
		    0x22, 0x99, 0x34, 0x12);
	/* 16-bit little endian */
	CHECK_BYTES(spe_enc_counter(_b, SPE_CNT_TOTAL_LAT, 0x1234, 16, false),
		    0x98, 0x34, 0x12);
}

static void test_counter_saturation(void)
{
	CHECK_EQ_U64(spe_counter_saturate(0xffe, 12), 0xffe);
	CHECK_EQ_U64(spe_counter_saturate(0xfff, 12), 0xfff);
	CHECK_EQ_U64(spe_counter_saturate(0x1000, 12), 0xfff);
	CHECK_EQ_U64(spe_counter_saturate(0x1234, 12), 0xfff);
	CHECK_EQ_U64(spe_counter_saturate(0x1234, 16), 0x1234);
	CHECK_EQ_U64(spe_counter_saturate(0xffff, 16), 0xffff);
	CHECK_EQ_U64(spe_counter_saturate(0x10000, 16), 0xffff);
	CHECK_EQ_U64(spe_counter_saturate(~0ULL, 16), 0xffff);
	CHECK_BYTES(spe_enc_counter(_b, SPE_CNT_TOTAL_LAT, 5000, 12, false),
		    0x98, 0xff, 0x0f);
	CHECK_BYTES(spe_enc_counter(_b, SPE_CNT_TOTAL_LAT, 70000, 16, false),
		    0x98, 0xff, 0xff);
}

static void test_enc_events(void)
{
	/* RETIRED | L1D-ACCESS | TLB-ACCESS */
	CHECK_BYTES(spe_enc_events(_b, 0x16, 0), 0x42, 0x16);
	/* captured: 4-byte form of the same */
	CHECK_BYTES(spe_enc_events(_b, 0x16, 4), 0x62, 0x16, 0x00, 0x00, 0x00);
	/* captured (wperf): 2-byte RETIRED */
	CHECK_BYTES(spe_enc_events(_b, 0x02, 2), 0x52, 0x02, 0x00);
	/* LLC-MISS (E9) needs 2 bytes */
	CHECK_BYTES(spe_enc_events(_b, 1u << SPE_EV_LLC_MISS, 0),
		    0x52, 0x00, 0x02);
	/* E19-E25: 4 bytes, as in synthetic_newer_encodings */
	CHECK_BYTES(spe_enc_events(_b, 0x03f80000, 0),
		    0x62, 0x00, 0x00, 0xf8, 0x03);
	/* an IMPDEF bit 48: 8 bytes */
	CHECK_BYTES(spe_enc_events(_b, 1ULL << 48, 0),
		    0x72, 0, 0, 0, 0, 0, 0, 0x01, 0);
	/* forced 1 byte drops bits above it */
	CHECK_BYTES(spe_enc_events(_b, 0x302, 1), 0x42, 0x02);
	CHECK_EQ_U64(spe_events_min_size(0), 1);
	CHECK_EQ_U64(spe_events_min_size(0xff), 1);
	CHECK_EQ_U64(spe_events_min_size(0x100), 2);
	CHECK_EQ_U64(spe_events_min_size(0x10000), 4);
	CHECK_EQ_U64(spe_events_min_size(0x100000000ULL), 8);
}

static void test_enc_dsrc_context(void)
{
	CHECK_BYTES(spe_enc_dsrc(_b, 0x0, 0), 0x43, 0x00);
	CHECK_BYTES(spe_enc_dsrc(_b, 0xe, 0), 0x43, 0x0e);
	CHECK_BYTES(spe_enc_dsrc(_b, 0xe, 2), 0x53, 0x0e, 0x00);
	CHECK_BYTES(spe_enc_dsrc(_b, 0x1234, 0), 0x53, 0x34, 0x12);
	CHECK_BYTES(spe_enc_context(_b, SPE_CTX_EL1, 1234),
		    0x64, 0xd2, 0x04, 0x00, 0x00);
	CHECK_BYTES(spe_enc_context(_b, SPE_CTX_EL2, 1),
		    0x65, 0x01, 0x00, 0x00, 0x00);
}

static void test_enc_op(void)
{
	/* class 0 */
	CHECK_BYTES(spe_enc_op(_b, SPE_OP_CLASS_OTHER, spe_op_other(0, 0, 0)),
		    0x48, 0x00);
	CHECK_BYTES(spe_enc_op(_b, SPE_OP_CLASS_OTHER, spe_op_other(1, 1, 1)),
		    0x48, 0x07);
	CHECK_BYTES(spe_enc_op(_b, SPE_OP_CLASS_OTHER, spe_op_other(0, 1, 1)),
		    0x48, 0x06);
	/* SVE other 128-bit (EVL 2), pred, fp: 0 010 1 1 1 0 */
	CHECK_EQ_U64(spe_op_sve_other(128, true, true), 0x2e);
	CHECK_EQ_U64(spe_op_sve_other(2048, false, false), 0x68);
	CHECK_EQ_U64(spe_op_sve_other(32, false, false), 0x08);
	/* SME 512-bit (EVL 4), fp: 1 100 1 0 1 0 */
	CHECK_EQ_U64(spe_op_sme_other(512, true), 0xca);
	CHECK((spe_op_sve_other(256, true, false) & SPE_OP_OTHER_SVE_MASK) ==
	      SPE_OP_OTHER_SVE);
	CHECK((spe_op_sme_other(256, false) & SPE_OP_OTHER_SME_MASK) ==
	      SPE_OP_OTHER_SME);
	CHECK_EQ_U64(spe_op_evl(128), 2);
	CHECK_EQ_U64(spe_op_evl(100), (uint64_t)-1);

	/* class 1, captured: LD GP-REG, ST GP-REG */
	CHECK_BYTES(spe_enc_op(_b, SPE_OP_CLASS_LDST, spe_op_ldst_gp(false)),
		    0x49, 0x00);
	CHECK_BYTES(spe_enc_op(_b, SPE_OP_CLASS_LDST, spe_op_ldst_gp(true)),
		    0x49, 0x01);
	CHECK_EQ_U64(spe_op_ldst_simd_fp(false), 0x04);
	CHECK_EQ_U64(spe_op_ldst_simd_fp(true), 0x05);
	CHECK_EQ_U64(spe_op_ldst_unspec(false), 0x10);
	CHECK_EQ_U64(spe_op_ldst_mte_tag(false), 0x14);
	CHECK_EQ_U64(spe_op_ldst_mte_tag(true), 0x15);
	CHECK_EQ_U64(spe_op_ldst_nv_sysreg(false), 0x30);
	CHECK_EQ_U64(spe_op_ldst_nv_sysreg(true), 0x31);
	/* extended: 000 AR EXCL AT 1 ST */
	CHECK_EQ_U64(spe_op_ldst_ext(false, false, false, true), 0x06);
	CHECK_EQ_U64(spe_op_ldst_ext(true, true, true, true), 0x1f);
	CHECK_EQ_U64(spe_op_ldst_ext(false, true, true, false), 0x1a);
	CHECK_EQ_U64(spe_op_ldst_ext(true, true, false, false), 0x13);
	/* SVE/SME: SG EVL(3) 1 PRED 0 ST; 256-bit = EVL 3 */
	CHECK_EQ_U64(spe_op_ldst_sve(true, 256, true, true), 0xbd);
	CHECK_EQ_U64(spe_op_ldst_sve(false, 128, false, false), 0x28);
	CHECK((spe_op_ldst_sve(false, 32, true, false) & SPE_OP_LDST_SVE_MASK) ==
	      SPE_OP_LDST_SVE);
	/* MOPS */
	CHECK_EQ_U64(spe_op_ldst_memcpy(false), 0x20);
	CHECK_EQ_U64(spe_op_ldst_memcpy(true), 0x21);
	CHECK_EQ_U64(spe_op_ldst_memset(), 0x25);
	/* GCS: 01000 COMM 0 ST */
	CHECK_EQ_U64(spe_op_ldst_gcs(false, true), 0x44);
	CHECK_EQ_U64(spe_op_ldst_gcs(true, false), 0x41);

	/* class 2, captured: B COND, B IND */
	CHECK_BYTES(spe_enc_op(_b, SPE_OP_CLASS_BRANCH,
			       spe_op_branch(true, false, false, 0)),
		    0x4a, 0x01);
	CHECK_BYTES(spe_enc_op(_b, SPE_OP_CLASS_BRANCH,
			       spe_op_branch(false, true, false, 0)),
		    0x4a, 0x02);
	CHECK_EQ_U64(spe_op_branch(false, false, false, SPE_OP_BR_CR_CALL), 0x08);
	CHECK_EQ_U64(spe_op_branch(false, false, false, SPE_OP_BR_CR_RETURN), 0x10);
	CHECK_EQ_U64(spe_op_branch(false, false, false, SPE_OP_BR_CR_OTHER), 0x18);
	CHECK_EQ_U64(spe_op_branch(false, false, true, 0), 0x04);
	CHECK_EQ_U64(spe_op_branch(false, true, true, SPE_OP_BR_CR_RETURN), 0x16);
}

/* ---- generated streams ------------------------------------------------------- */

struct pkt {
	size_t off, len;
	uint8_t hdr;		/* last header byte */
	unsigned int index;	/* addr/counter index, op class, ctx index */
	uint64_t payload;
};

/* Frame one packet by the generic rules; 0 if @n is too short. */
static size_t frame(const uint8_t *b, size_t n, struct pkt *p)
{
	size_t h = 1, plen, i;
	uint8_t hdr;

	if (!n)
		return 0;
	hdr = b[0];
	p->index = 0;
	if ((hdr & SPE_HDR_EXT_RANGE_MASK) == SPE_HDR_EXT_RANGE) {
		if (n < 2)
			return 0;
		p->index = (hdr & SPE_HDR_EXT_INDEX_MASK) << 3;
		hdr = b[1];
		h = 2;
	}
	if (h == 1 && hdr < SPE_HDR_SHORT_NOPAYLOAD_END)
		plen = 0;
	else
		plen = 1u << ((hdr & SPE_HDR_SZ_MASK) >> SPE_HDR_SZ_SHIFT);
	if (n < h + plen)
		return 0;
	p->hdr = hdr;
	p->len = h + plen;
	p->payload = 0;
	for (i = 0; i < plen; i++)
		p->payload |= (uint64_t)b[h + i] << (8 * i);
	if ((hdr & SPE_HDR_ADDR_MASK) == SPE_HDR_ADDR ||
	    (hdr & SPE_HDR_COUNTER_MASK) == SPE_HDR_COUNTER)
		p->index |= hdr & SPE_HDR_INDEX_MASK;
	else if ((hdr & SPE_HDR_OP_MASK) == SPE_HDR_OP)
		p->index = hdr & 3;
	else if ((hdr & SPE_HDR_CONTEXT_MASK) == SPE_HDR_CONTEXT)
		p->index = hdr & 3;
	return p->len;
}

static struct spegen_syms user_syms, kern_syms;

static void setup_syms(void)
{
	if (!user_syms.nr) {
		spegen_syms_synthetic(&user_syms, 0xaaaaaaaa0000ULL, 500, 1);
		spegen_syms_synthetic(&kern_syms, 0xffff800008010000ULL, 500, 2);
	}
}

static void cfg_all_ops(struct spegen_cfg *cfg, unsigned int ver)
{
	int i;

	spegen_cfg_defaults(cfg);
	setup_syms();
	cfg->user_syms = &user_syms;
	cfg->kernel_syms = &kern_syms;
	cfg->kernel_share = 0.2;
	cfg->version = ver;
	for (i = 0; i < SPEGEN_OP_NR; i++)
		cfg->mix[i] = 10;
	cfg->alt_clock = true;
	cfg->pa = true;
	cfg->context = SPE_CTX_EL1;
}

/* Generate @nr records into a fresh buffer; *len gets the size. */
static uint8_t *gen_stream(const struct spegen_cfg *cfg, unsigned int nr,
			   size_t *len, struct spegen_stats *st)
{
	struct spegen *g = malloc(sizeof(*g));
	uint8_t *buf = malloc((size_t)nr * SPEGEN_REC_MAX);
	struct spegen_rec_info info;
	size_t n = 0;
	unsigned int i;

	spegen_init(g, cfg);
	for (i = 0; i < nr; i++)
		n += spegen_record(g, buf + n, &info);
	if (st)
		*st = g->st;
	free(g);
	*len = n;
	return buf;
}

static void test_determinism(void)
{
	struct spegen_cfg cfg;
	size_t la, lb, lc;
	uint8_t *a, *b, *c;

	cfg_all_ops(&cfg, SPEGEN_V1P5);
	spegen_cfg_restrict(&cfg);
	cfg.seed = 42;
	a = gen_stream(&cfg, 3000, &la, NULL);
	b = gen_stream(&cfg, 3000, &lb, NULL);
	cfg.seed = 43;
	c = gen_stream(&cfg, 3000, &lc, NULL);
	CHECK(la == lb && !memcmp(a, b, la));
	CHECK(la != lc || memcmp(a, c, la));
	free(a);
	free(b);
	free(c);
}

struct walk {
	unsigned int records, bad, not_first_pc, pad_inside;
	unsigned int addr_idx[32], cnt_idx[32];
	uint64_t ev_or;
	unsigned int ops[4][256];
	unsigned int lat_order_bad;
	unsigned int dsrc_ev_bad;
	unsigned int misaligned;	/* record length not a multiple of align */
	uint64_t last_ts;
	unsigned int ts_not_increasing;
	uint64_t max_count;
};

/* Walk a stream of records; checks layout, collects what was encoded. */
static void walk(const uint8_t *b, size_t n, struct walk *w, bool ts,
		 unsigned int align, const struct spegen_cpu_model *m)
{
	size_t off = 0, rec_start = 0;
	bool first = true, seen_pad = false;
	uint64_t issue = 0, total = 0, ev = 0;
	int dsrc = -1;

	memset(w, 0, sizeof(*w));
	while (off < n) {
		struct pkt p;
		size_t l = frame(b + off, n - off, &p);

		if (!l) {
			w->bad++;
			break;
		}
		if (first && !(p.hdr == SPE_HDR_ADDR && p.index == SPE_ADDR_PC))
			w->not_first_pc++;
		first = false;
		if (p.hdr == SPE_HDR_PAD) {
			seen_pad = true;
		} else if (p.hdr == SPE_HDR_END || p.hdr == SPE_HDR_TIMESTAMP) {
			if ((p.hdr == SPE_HDR_TIMESTAMP) != ts)
				w->bad++;
			if (p.hdr == SPE_HDR_TIMESTAMP) {
				if (p.payload <= w->last_ts)
					w->ts_not_increasing++;
				w->last_ts = p.payload;
			}
			if (issue >= total && total < 0xfff)
				w->lat_order_bad++;
			if (dsrc >= 0) {
				unsigned int lvl = LVL_NR;
				int i;

				for (i = 0; i < m->nr_dsrc; i++)
					if (m->dsrc[i].code == dsrc)
						lvl = m->dsrc[i].level;
				if (lvl == LVL_NR ||
				    (lvl == LVL_L1) != !(ev & (1u << SPE_EV_L1D_REFILL)) ||
				    ((lvl == LVL_DRAM) && !(ev & (1u << SPE_EV_LLC_MISS))) ||
				    ((lvl == LVL_REMOTE || lvl == LVL_REMOTE_DRAM) !=
				     !!(ev & (1u << SPE_EV_REMOTE_ACCESS))))
					w->dsrc_ev_bad++;
			}
			if (align > 1 && (off + l - rec_start) % align)
				w->misaligned++;
			w->records++;
			first = true;
			seen_pad = false;
			issue = total = ev = 0;
			dsrc = -1;
			rec_start = off + l;
		} else {
			if (seen_pad)
				w->pad_inside++;	/* PAD only right before the end */
			if ((p.hdr & SPE_HDR_ADDR_MASK) == SPE_HDR_ADDR) {
				w->addr_idx[p.index]++;
			} else if ((p.hdr & SPE_HDR_COUNTER_MASK) == SPE_HDR_COUNTER) {
				w->cnt_idx[p.index]++;
				if (p.payload > w->max_count)
					w->max_count = p.payload;
				if (p.index == SPE_CNT_ISSUE_LAT)
					issue = p.payload;
				if (p.index == SPE_CNT_TOTAL_LAT)
					total = p.payload;
			} else if ((p.hdr & SPE_HDR_EVENTS_MASK) == SPE_HDR_EVENTS) {
				ev = p.payload;
				w->ev_or |= p.payload;
			} else if ((p.hdr & SPE_HDR_OP_MASK) == SPE_HDR_OP) {
				w->ops[p.index][p.payload & 0xff]++;
			} else if ((p.hdr & SPE_HDR_DSRC_MASK) == SPE_HDR_DSRC) {
				dsrc = (int)p.payload;
			} else if ((p.hdr & SPE_HDR_CONTEXT_MASK) != SPE_HDR_CONTEXT) {
				w->bad++;
			}
		}
		off += l;
	}
	if (!first)
		w->bad++;	/* unterminated record */
}

static void test_record_layout(void)
{
	struct spegen_cfg cfg;
	struct spegen_stats st;
	struct walk w;
	uint8_t *b;
	size_t n;

	cfg_all_ops(&cfg, SPEGEN_V1P5);
	spegen_cfg_restrict(&cfg);
	b = gen_stream(&cfg, 20000, &n, &st);
	walk(b, n, &w, true, 0, cfg.model);
	CHECK_EQ_U64(w.records, 20000);
	CHECK_EQ_U64(st.records, 20000);
	CHECK_EQ_U64(st.bytes, n);
	CHECK_EQ_U64(w.bad, 0);
	CHECK_EQ_U64(w.not_first_pc, 0);
	CHECK_EQ_U64(w.lat_order_bad, 0);
	CHECK_EQ_U64(w.dsrc_ev_bad, 0);
	CHECK_EQ_U64(w.ts_not_increasing, 0);
	CHECK_EQ_U64(w.addr_idx[SPE_ADDR_PC], 20000);
	CHECK(w.addr_idx[SPE_ADDR_DATA_PA] == w.addr_idx[SPE_ADDR_DATA_VA]);
	free(b);

	/* END-terminated, aligned to 64, other model */
	cfg.ts = false;
	cfg.align = 64;
	cfg.model = spegen_model_find("hisi");
	b = gen_stream(&cfg, 5000, &n, &st);
	walk(b, n, &w, false, 64, cfg.model);
	CHECK_EQ_U64(w.records, 5000);
	CHECK_EQ_U64(w.bad, 0);
	CHECK_EQ_U64(w.misaligned, 0);
	CHECK_EQ_U64(w.pad_inside, 0);
	CHECK_EQ_U64(w.dsrc_ev_bad, 0);
	CHECK_EQ_U64(n % 64, 0);
	free(b);
}

/* Count op payloads of class 1 that match a subclass pattern. */
static unsigned int count_ldst(const struct walk *w, uint8_t mask, uint8_t val)
{
	unsigned int i, n = 0;

	for (i = 0; i < 256; i++)
		if ((i & mask) == val)
			n += w->ops[SPE_OP_CLASS_LDST][i];
	return n;
}

static void test_version_restrict(void)
{
	struct spegen_cfg cfg;
	struct walk w;
	unsigned int dropped, i, n_sve0 = 0, n_br_new = 0;
	uint64_t newer_ev = (1ULL << SPE_EV_ALIGNMENT) | (0x7fULL << 17);
	uint8_t *b;
	size_t n;

	/* v1: nothing newer than SPEv1 */
	cfg_all_ops(&cfg, SPEGEN_V1);
	dropped = spegen_cfg_restrict(&cfg);
	CHECK(dropped & (1u << FEAT_SVE));
	CHECK(dropped & (1u << FEAT_MOPS));
	CHECK(dropped & (1u << FEAT_GCS));
	CHECK(dropped & (1u << FEAT_ALT_CLOCK));
	CHECK(!cfg.prev_tgt && !cfg.alt_clock);
	CHECK(cfg.mix[SPEGEN_OP_LOAD] > 0 && cfg.mix[SPEGEN_OP_SVE] == 0);
	b = gen_stream(&cfg, 30000, &n, NULL);
	walk(b, n, &w, true, 0, cfg.model);
	CHECK_EQ_U64(w.bad, 0);
	CHECK_EQ_U64(w.addr_idx[SPE_ADDR_PREV_BRANCH_TARGET], 0);
	CHECK_EQ_U64(w.cnt_idx[SPE_CNT_ALT_ISSUE_LAT], 0);
	CHECK_EQ_U64(w.ev_or & newer_ev, 0);
	CHECK_EQ_U64(count_ldst(&w, SPE_OP_LDST_SVE_MASK, SPE_OP_LDST_SVE), 0);
	CHECK_EQ_U64(count_ldst(&w, 0xfe, SPE_OP_LDST_MEMCPY), 0);
	CHECK_EQ_U64(count_ldst(&w, 0xff, SPE_OP_LDST_MEMSET), 0);
	CHECK_EQ_U64(count_ldst(&w, 0xfe, SPE_OP_LDST_MTE_TAG), 0);
	CHECK_EQ_U64(count_ldst(&w, 0xfe, SPE_OP_LDST_UNSPEC), 0);
	CHECK_EQ_U64(count_ldst(&w, SPE_OP_LDST_GCS_MASK, SPE_OP_LDST_GCS), 0);
	CHECK(count_ldst(&w, 0xfe, SPE_OP_LDST_NV_SYSREG) > 0);
	CHECK(count_ldst(&w, SPE_OP_LDST_EXT_MASK, SPE_OP_LDST_EXT) > 0);
	for (i = 0; i < 256; i++) {
		if (i & SPE_OP_OTHER_SVE)	/* SVE or SME other */
			n_sve0 += w.ops[SPE_OP_CLASS_OTHER][i];
		if (i & ((SPE_OP_BR_CR_MASK << SPE_OP_BR_CR_SHIFT) | SPE_OP_BR_GCS))
			n_br_new += w.ops[SPE_OP_CLASS_BRANCH][i];
	}
	CHECK_EQ_U64(n_sve0, 0);
	CHECK_EQ_U64(n_br_new, 0);
	CHECK(w.ops[SPE_OP_CLASS_BRANCH][SPE_OP_BR_COND] > 0);
	free(b);

	/* v1p5: the newer encodings do appear */
	cfg_all_ops(&cfg, SPEGEN_V1P5);
	CHECK_EQ_U64(spegen_cfg_restrict(&cfg), 0);
	b = gen_stream(&cfg, 30000, &n, NULL);
	walk(b, n, &w, true, 0, cfg.model);
	CHECK_EQ_U64(w.bad, 0);
	CHECK(w.addr_idx[SPE_ADDR_PREV_BRANCH_TARGET] > 0);
	CHECK(w.cnt_idx[SPE_CNT_ALT_ISSUE_LAT] > 0);
	CHECK(w.ev_or & (1ULL << SPE_EV_L2D_ACCESS));
	CHECK(w.ev_or & (1ULL << SPE_EV_STREAMING_SVE));
	CHECK(w.ev_or & (1ULL << SPE_EV_SMCU));
	CHECK(count_ldst(&w, SPE_OP_LDST_SVE_MASK, SPE_OP_LDST_SVE) > 0);
	CHECK(count_ldst(&w, 0xfe, SPE_OP_LDST_MEMCPY) > 0);
	CHECK(count_ldst(&w, 0xff, SPE_OP_LDST_MEMSET) > 0);
	CHECK(count_ldst(&w, 0xfe, SPE_OP_LDST_MTE_TAG) > 0);
	CHECK(count_ldst(&w, SPE_OP_LDST_GCS_MASK, SPE_OP_LDST_GCS) > 0);
	CHECK(w.ops[SPE_OP_CLASS_BRANCH][spe_op_branch(0, 0, 0, SPE_OP_BR_CR_CALL)] +
	      w.ops[SPE_OP_CLASS_BRANCH][spe_op_branch(0, 0, 1, SPE_OP_BR_CR_CALL)] > 0);
	free(b);

	/* v1p2: prev target yes, MOPS no */
	cfg_all_ops(&cfg, SPEGEN_V1P2);
	spegen_cfg_restrict(&cfg);
	b = gen_stream(&cfg, 10000, &n, NULL);
	walk(b, n, &w, true, 0, cfg.model);
	CHECK(w.addr_idx[SPE_ADDR_PREV_BRANCH_TARGET] > 0);
	CHECK_EQ_U64(count_ldst(&w, 0xfe, SPE_OP_LDST_MEMCPY), 0);
	CHECK_EQ_U64(w.ev_or & (0x7fULL << 19), 0);
	free(b);
}

static void test_count_size(void)
{
	struct spegen_cfg cfg;
	struct spegen_stats st12, st16;
	struct walk w;
	uint8_t *b;
	size_t n;

	/* the rare long stalls push some total latencies past 0xfff */
	cfg_all_ops(&cfg, SPEGEN_V1P5);
	cfg.count_size = 12;
	b = gen_stream(&cfg, 50000, &n, &st12);
	walk(b, n, &w, true, 0, cfg.model);
	CHECK_EQ_U64(w.bad, 0);
	CHECK_EQ_U64(w.max_count, 0xfff);
	free(b);
	cfg.count_size = 16;
	b = gen_stream(&cfg, 50000, &n, &st16);
	walk(b, n, &w, true, 0, cfg.model);
	CHECK(w.max_count > 0xfff && w.max_count <= 0xffff);
	free(b);
	CHECK(st12.saturated > 0);
	CHECK(st16.saturated < st12.saturated);
}

static void test_damage(void)
{
	struct spegen_cfg cfg;
	struct spegen_damage dm;
	struct spegen_rec_info info;
	struct spegen *g = malloc(sizeof(*g));
	uint8_t clean[SPEGEN_REC_MAX + 16], buf[SPEGEN_REC_MAX + 16];
	size_t len, dlen, cut;
	uint64_t sum_len = 0, sum_dlen = 0;
	unsigned int i;
	FILE *log = tmpfile();
	char line[256];
	unsigned int lines = 0;

	cfg_all_ops(&cfg, SPEGEN_V1P5);
	spegen_init(g, &cfg);
	spegen_damage_init(&dm, 7, 2.0, log);
	for (i = 0; i < 200; i++) {
		len = spegen_record(g, clean, &info);
		memcpy(buf, clean, len);
		dlen = spegen_damage_record(&dm, buf, len, &info, 1000, i);
		sum_len += len;
		sum_dlen += dlen;
	}
	CHECK(dm.flips + dm.inserts + dm.deletes >= 300);
	CHECK_EQ_U64(sum_dlen, sum_len + dm.inserts - dm.deletes);
	rewind(log);
	while (fgets(line, sizeof(line), log))
		lines += !strncmp(line, "damage offset=", 14);
	CHECK_EQ_U64(lines, dm.flips + dm.inserts + dm.deletes);

	/* one flip on a known record: exactly one byte differs */
	spegen_damage_init(&dm, 9, 1.0, NULL);
	len = spegen_record(g, clean, &info);
	memcpy(buf, clean, len);
	dlen = spegen_damage_record(&dm, buf, len, &info, 0, 0);
	CHECK_EQ_U64(dm.flips + dm.inserts + dm.deletes, 1);
	CHECK_EQ_U64(dlen, len + dm.inserts - dm.deletes);
	if (dm.flips) {
		unsigned int diff = 0;

		for (i = 0; i < len; i++)
			diff += clean[i] != buf[i];
		CHECK_EQ_U64(diff, 1);
	}

	/* truncation always lands strictly inside a packet */
	for (i = 0; i < 200; i++) {
		struct pkt p;
		size_t off = 0;
		bool inside = false;

		len = spegen_record(g, clean, &info);
		cut = spegen_truncate_record(&dm, len, &info, 0, i);
		CHECK(cut > 0 && cut < len);
		while (off < len) {
			size_t l = frame(clean + off, len - off, &p);

			if (!l)
				break;
			if (cut > off && cut < off + l)
				inside = true;
			off += l;
		}
		CHECK(inside);
	}
	fclose(log);
	free(g);
}

static void test_models(void)
{
	const struct spegen_cpu_model *m;

	m = spegen_model_find("n1");
	CHECK(m && m->midr == 0x410fd0c0);
	m = spegen_model_find("n2");
	CHECK(m && m->midr == 0x410fd490);
	m = spegen_model_find("v1");
	CHECK(m && m->midr == 0x410fd400);
	m = spegen_model_find("v2");
	CHECK(m && m->midr == 0x410fd4f0);
	m = spegen_model_find("ampereone");
	CHECK(m && m->midr == 0xc00fac30);
	m = spegen_model_find("hisi");
	CHECK(m && m->midr == 0x480fd010);
	CHECK(!spegen_model_find("zen4"));
	CHECK_EQ_U64(spegen_version_parse("v1p3"), SPEGEN_V1P3);
	CHECK_EQ_U64(spegen_version_parse("v2"), (uint64_t)-1);
}


/*
 * --zipf: the function of rank r is drawn with probability r^-S / H(N, S),
 * computed here from the formula (not from the generator's table), within
 * 4.5 standard deviations of a binomial count; every PC lies inside the
 * function it names; the shuffle is a permutation fixed by the seed.
 */
static void test_zipf(void)
{
	const size_t draws = 400000;
	const double expo[] = { 1.0, 1.5 };
	struct spegen_syms s;
	struct spegen_rng rng;
	uint64_t *count;
	uint32_t *first;

	CHECK(spegen_syms_synthetic(&s, 0xaaaaaaaa0000ULL, 500, 5) == 0);
	count = calloc(s.nr, sizeof(*count));
	first = malloc(s.nr * sizeof(*first));
	CHECK(count && first);
	if (!count || !first)
		return;
	for (size_t e = 0; e < sizeof(expo) / sizeof(expo[0]); e++) {
		double h = 0;
		size_t bad_pc = 0, off_rank = 0, unseen = 0, moved = 0;

		CHECK(spegen_syms_zipf(&s, expo[e], 11) == 0);
		if (!e)
			memcpy(first, s.rank_fn, s.nr * sizeof(*first));
		memset(count, 0, s.nr * sizeof(*count));
		spegen_rng_seed(&rng, 99);
		for (size_t i = 0; i < draws; i++) {
			size_t fn = SIZE_MAX;
			uint64_t pc = spegen_syms_pick(&s, &rng, &fn);

			if (fn >= s.nr || pc < spegen_syms_fn_start(&s, fn) ||
			    pc - spegen_syms_fn_start(&s, fn) >= spegen_syms_fn_size(&s, fn) ||
			    (pc - spegen_syms_fn_start(&s, fn)) % 4) {
				bad_pc++;
				continue;
			}
			count[fn]++;
		}
		for (size_t r = 1; r <= s.nr; r++)
			h += pow((double)r, -expo[e]);
		for (size_t r = 1; r <= s.nr; r++) {
			double p = pow((double)r, -expo[e]) / h;
			double mean = p * (double)draws, sd = sqrt(mean * (1 - p));
			uint64_t c = count[s.rank_fn[r - 1]];

			if (fabs((double)c - mean) > 4.5 * sd + 1)
				off_rank++;
			unseen += c == 0 && mean > 30;
		}
		CHECK_EQ_U64(bad_pc, 0);
		CHECK_EQ_U64(off_rank, 0);
		CHECK_EQ_U64(unseen, 0);
		/* the same seed gives the same shuffle, whatever the exponent */
		for (size_t i = 0; i < s.nr; i++)
			moved += s.rank_fn[i] != first[i];
		CHECK_EQ_U64(moved, 0);
	}
	/* a permutation: every function has exactly one rank */
	memset(count, 0, s.nr * sizeof(*count));
	for (size_t i = 0; i < s.nr; i++)
		count[s.rank_fn[i]]++;
	{
		size_t not_once = 0;

		for (size_t i = 0; i < s.nr; i++)
			not_once += count[i] != 1;
		CHECK_EQ_U64(not_once, 0);
	}
	/* another seed, another order of hot functions */
	CHECK(spegen_syms_zipf(&s, 1.0, 12) == 0);
	CHECK(memcmp(first, s.rank_fn, 8 * sizeof(*first)) != 0);
	free(count);
	free(first);
	spegen_syms_free(&s);
}

int main(void)
{
	RUN_TEST(test_enc_framing);
	RUN_TEST(test_enc_address);
	RUN_TEST(test_enc_counter);
	RUN_TEST(test_counter_saturation);
	RUN_TEST(test_enc_events);
	RUN_TEST(test_enc_dsrc_context);
	RUN_TEST(test_enc_op);
	RUN_TEST(test_models);
	RUN_TEST(test_determinism);
	RUN_TEST(test_record_layout);
	RUN_TEST(test_version_restrict);
	RUN_TEST(test_count_size);
	RUN_TEST(test_damage);
	RUN_TEST(test_zipf);
	spegen_syms_free(&user_syms);
	spegen_syms_free(&kern_syms);
	CHECK_DONE();
}
