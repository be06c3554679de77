// SPDX-License-Identifier: GPL-2.0-only
/*
 * libspe packet and record decoder tests.  Expected values come from the
 * Arm ARM packet format (hand-encoded bytes below) and from what Linux perf
 * 6.1 printed for the bundled real streams (tests/data/spe-samples/, .txt files).
 */
#include <stdlib.h>

#include "check.h"
#include "spe.h"
#include "spe_text.h"

static uint8_t *load(const char *name, size_t *len)
{
	char path[512];
	const char *root = getenv("SPEKIT_ROOT");
	FILE *f;
	uint8_t *buf;

	snprintf(path, sizeof(path), "%s/tests/data/spe-samples/%s",
		 root ? root : ".", name);
	f = fopen(path, "rb");
	if (!f) {
		printf("  cannot open %s\n", path);
		return NULL;
	}
	buf = malloc(1 << 16);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

/* Decode a whole buffer, collecting up to @max records; returns count. */
static int decode_all(const uint8_t *buf, size_t len, struct spe_record *out,
		      int max, struct spe_stats *st)
{
	const struct spe_record *r;
	struct spe_decoder d;
	int n = 0;

	spe_decoder_init(&d);
	spe_decoder_feed(&d, buf, len);
	while ((r = spe_decoder_next(&d)))
		if (n < max)
			out[n++] = *r;
	r = spe_decoder_finish(&d);
	if (r && n < max)
		out[n++] = *r;
	if (st)
		*st = d.stats;
	return n;
}

static void test_packet_headers(void)
{
	/* One packet per type, encoded by hand from the Arm ARM tables. */
	static const struct {
		uint8_t bytes[10];
		int len, type, index;
		uint64_t payload;
	} v[] = {
		{ { 0x00 }, 1, SPE_PKT_PAD, 0, 0 },
		{ { 0x01 }, 1, SPE_PKT_END, 0, 0 },
		{ { 0x71, 1, 2, 3, 4, 5, 6, 7, 8 }, 9, SPE_PKT_TIMESTAMP, 0, 0x0807060504030201ULL },
		{ { 0x42, 0x16 }, 2, SPE_PKT_EVENTS, 1, 0x16 },
		{ { 0x52, 0x16, 0x01 }, 3, SPE_PKT_EVENTS, 2, 0x116 },
		{ { 0x62, 0, 0, 0xf8, 0x03 }, 5, SPE_PKT_EVENTS, 4, 0x03f80000 },
		{ { 0x72, 1, 0, 0, 0, 0, 0, 0, 0x80 }, 9, SPE_PKT_EVENTS, 8, 0x8000000000000001ULL },
		{ { 0x43, 0x0e }, 2, SPE_PKT_DATA_SOURCE, 1, 0xe },
		{ { 0x53, 0x34, 0x12 }, 3, SPE_PKT_DATA_SOURCE, 2, 0x1234 },
		{ { 0x64, 0xbb, 0x05, 0, 0 }, 5, SPE_PKT_CONTEXT, 0, 0x5bb },
		{ { 0x65, 1, 0, 0, 0 }, 5, SPE_PKT_CONTEXT, 1, 1 },
		{ { 0x48, 0x06 }, 2, SPE_PKT_OP_TYPE, 0, 6 },
		{ { 0x49, 0x01 }, 2, SPE_PKT_OP_TYPE, 1, 1 },
		{ { 0x4a, 0x02 }, 2, SPE_PKT_OP_TYPE, 2, 2 },
		{ { 0x4b, 0x00 }, 2, SPE_PKT_OP_TYPE, 3, 0 },
		{ { 0xb0, 1, 2, 3, 4, 5, 6, 7, 0xa0 }, 9, SPE_PKT_ADDRESS, 0, 0xa007060504030201ULL },
		{ { 0xb4, 0x10, 0x20, 0x30, 0x40, 0, 0, 0, 0x80 }, 9, SPE_PKT_ADDRESS, 4, 0x8000000040302010ULL },
		{ { 0x21, 0xb0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 }, 10, SPE_PKT_ADDRESS, 8, 0x8877665544332211ULL },
		{ { 0x98, 0x07, 0x00 }, 3, SPE_PKT_COUNTER, 0, 7 },
		{ { 0x9c, 0x05, 0x00 }, 3, SPE_PKT_COUNTER, 4, 5 },
		{ { 0x23, 0x9f, 0xff, 0xff }, 4, SPE_PKT_COUNTER, 31, 0xffff },
		{ { 0x20, 0x00 }, 2, SPE_PKT_PAD, 0, 0 },
		/* unassigned: framed by the generic rules */
		{ { 0x0a }, 1, SPE_PKT_UNKNOWN, 0, 0 },
		{ { 0x90, 0x70, 0x0a }, 3, SPE_PKT_UNKNOWN, 0, 0x0a70 },
		{ { 0x6b, 0x5a, 0, 0, 0x80 }, 5, SPE_PKT_UNKNOWN, 0, 0x8000005a },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct spe_pkt p;
		int n = spe_pkt_decode(v[i].bytes, (size_t)v[i].len, &p);

		if (n != v[i].len || p.type != v[i].type || p.index != v[i].index ||
		    p.payload != v[i].payload) {
			printf("  vector %zu (hdr 0x%02x): len %d type %d index %d payload 0x%llx\n",
			       i, v[i].bytes[0], n, p.type, p.index,
			       (unsigned long long)p.payload);
			check_cur_failed++;
		}
		/* every shorter buffer asks for more, never reads past it */
		for (int k = 0; k < v[i].len; k++) {
			uint8_t *copy = malloc((size_t)k + 1);

			memcpy(copy, v[i].bytes, (size_t)k);
			CHECK(spe_pkt_decode(copy, (size_t)k, &p) == SPE_PKT_NEED_MORE);
			free(copy);
		}
	}
}

static void test_invalid_headers(void)
{
	static const uint8_t bad[][2] = {
		{ 0x24, 0xb0 }, { 0x3f, 0x00 }, { 0x20, 0x48 }, { 0x22, 0x01 },
	};
	struct spe_pkt p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(spe_pkt_decode(bad[i], 2, &p) == SPE_PKT_INVALID);
}

/* hiperf_TestSpeDecoder.bin: values as perf 6.1 printed them. */
static void test_hiperf_records(void)
{
	struct spe_record r[16];
	struct spe_stats st;
	size_t len;
	uint8_t *buf = load("hiperf_TestSpeDecoder.bin", &len);
	int n;

	if (!buf) {
		check_cur_failed++;
		return;
	}
	n = decode_all(buf, len, r, 16, &st);
	CHECK(n == 4);
	CHECK_EQ_U64(st.bad_bytes, 0);
	CHECK_EQ_U64(st.records_dropped, 0);
	/* record 0: PC 0xffffc08420e068 el1 ns=1, LAT 6 ISSUE, 8 TOT,
	 * EV RETIRED L1D-ACCESS TLB-ACCESS, LD GP-REG, VA 0xffffe5aead80b0,
	 * LAT 1 XLAT, TS 389297091246406 */
	CHECK_EQ_U64(r[0].pc, 0xffffc08420e068ULL);
	CHECK_EQ_U64(spe_addr_canonical(SPE_ADDR_PC, r[0].pc, r[0].pc_attr.el),
		     0xffffffc08420e068ULL);
	CHECK_EQ_U64(r[0].pc_attr.el, 1);
	CHECK_EQ_U64(r[0].pc_attr.ns, 1);
	CHECK_EQ_U64(r[0].lat_issue, 6);
	CHECK_EQ_U64(r[0].lat_total, 8);
	CHECK_EQ_U64(r[0].lat_xlat, 1);
	CHECK_EQ_U64(r[0].events, (1u << 1) | (1u << 2) | (1u << 4));
	CHECK_EQ_U64(r[0].op_class, SPE_OPC_LOAD);
	CHECK_EQ_U64(r[0].ldst_sub, SPE_LDST_GP);
	CHECK_EQ_U64(r[0].va, 0xffffe5aead80b0ULL);
	CHECK_EQ_U64(r[0].ts, 389297091246406ULL);
	CHECK_EQ_U64(r[0].offset, 0);
	CHECK(r[0].flags & SPE_REC_END_TS);
	/* record 1: ST GP-REG at EL0 */
	CHECK_EQ_U64(r[1].pc, 0x59f2b9270cULL);
	CHECK_EQ_U64(r[1].pc_attr.el, 0);
	CHECK_EQ_U64(r[1].op_class, SPE_OPC_STORE);
	CHECK_EQ_U64(r[1].offset, 0x30);
	/* record 2: B COND, NOT-TAKEN, TGT 0x59f4f9546c */
	CHECK_EQ_U64(r[2].op_class, SPE_OPC_BRANCH);
	CHECK_EQ_U64(r[2].op_raw, 1);
	CHECK_EQ_U64(r[2].events, (1u << 1) | (1u << 6));
	CHECK_EQ_U64(r[2].tgt, 0x59f4f9546cULL);
	/* record 3: B IND to an EL1 target */
	CHECK_EQ_U64(r[3].op_raw, 2);
	CHECK_EQ_U64(r[3].tgt, 0xffffc084355cacULL);
	CHECK_EQ_U64(r[3].tgt_attr.el, 1);
	CHECK_EQ_U64(r[3].ts, 389297091287500ULL);
	free(buf);
}

/* ts_frame.bin: a Timestamp closes the first (cut) record; the second has
 * no terminator and is emitted flagged (perf drops it). */
static void test_ts_frame(void)
{
	struct spe_record r[4];
	struct spe_stats st;
	size_t len;
	uint8_t *buf = load("ts_frame.bin", &len);
	int n;

	if (!buf) {
		check_cur_failed++;
		return;
	}
	n = decode_all(buf, len, r, 4, &st);
	CHECK(n == 2);
	CHECK_EQ_U64(r[0].has, SPE_HAS_TS);
	CHECK_EQ_U64(r[0].ts, 13196304120239ULL);
	CHECK(r[1].flags & SPE_REC_UNTERMINATED);
	CHECK_EQ_U64(r[1].pc, 0xaaaae4a9b600ULL);
	CHECK_EQ_U64(r[1].pa, 0x8032c955a43ULL);
	CHECK_EQ_U64(r[1].pa_attr.ns, 1);
	CHECK(r[1].has & SPE_HAS_DSRC);
	CHECK_EQ_U64(r[1].dsrc, 0);
	CHECK_EQ_U64(st.unterminated, 1);
	free(buf);
}

/* The damaged stream: unassigned headers are skipped by size; the record
 * that holds them is kept and flagged. */
static void test_damaged_sample(void)
{
	struct spe_record r[8];
	struct spe_stats st;
	size_t len;
	uint8_t *buf = load("hiperf_TestSpeDumpRawData2.bin", &len);
	int n;

	if (!buf) {
		check_cur_failed++;
		return;
	}
	n = decode_all(buf, len, r, 8, &st);
	CHECK(n == 2);
	CHECK_EQ_U64(st.unknown_pkts, 2);
	CHECK_EQ_U64(st.bad_bytes, 0);
	CHECK(r[1].flags & SPE_REC_UNKNOWN_PKT);
	CHECK_EQ_U64(r[1].lat_issue, 2);
	CHECK_EQ_U64(r[1].lat_total, 3);
	CHECK_EQ_U64(r[1].tgt, 0x5a6b0a710cULL);
	CHECK_EQ_U64(r[1].ctx, 0x5bb);
	CHECK_EQ_U64(r[1].ctx_el, 1);
	CHECK_EQ_U64(r[1].ts, 9416399675937ULL);
	free(buf);
}

/* Three hand-built records; a reserved extended header (0x24) lands in
 * the middle one: it is dropped whole, its neighbours survive. */
static void test_bad_byte_resync(void)
{
	static const uint8_t s[] = {
		0xb0, 0x10, 0, 0, 0, 0, 0, 0, 0x80, 0x98, 5, 0, 0x01,	/* rec A */
		0xb0, 0x20, 0, 0, 0, 0, 0, 0, 0x80, 0x98, 6, 0, 0x24, 0x01,	/* damaged */
		0xb0, 0x30, 0, 0, 0, 0, 0, 0, 0x80, 0x98, 7, 0, 0x01,	/* rec C */
	};
	struct spe_record r[4];
	struct spe_stats st;
	int n = decode_all(s, sizeof(s), r, 4, &st);

	/* 0x24 in header position is a reserved extended header: one bad
	 * byte; END then closes the damaged record, which is dropped */
	CHECK(n == 2);
	CHECK_EQ_U64(r[0].pc, 0x10);
	CHECK_EQ_U64(r[0].lat_total, 5);
	CHECK_EQ_U64(r[1].pc, 0x30);
	CHECK_EQ_U64(r[1].lat_total, 7);
	CHECK_EQ_U64(r[1].offset, 27);
	CHECK_EQ_U64(st.bad_bytes, 1);
	CHECK_EQ_U64(st.bad_events, 1);
	CHECK_EQ_U64(st.records_dropped, 1);
}

/* A packet cut by the end of the stream: counted, record dropped. */
static void test_truncated_tail(void)
{
	static const uint8_t s[] = {
		0x98, 5, 0, 0x01,		/* complete record */
		0xb0, 0x10, 0, 0,		/* PC cut after 3 payload bytes */
	};
	struct spe_record r[4];
	struct spe_stats st;
	int n = decode_all(s, sizeof(s), r, 4, &st);

	CHECK(n == 1);
	CHECK_EQ_U64(st.truncated_bytes, 4);
	CHECK_EQ_U64(st.bad_bytes, 4);
	CHECK_EQ_U64(st.records_dropped, 1);
	CHECK_EQ_U64(st.bytes, sizeof(s));
}

/* Regression (found by fuzz_decoder): the 2-byte 0x20 0x00 pad between
 * records, where the fast path runs, is padding, not a record start. */
static void test_ext_pad_between_records(void)
{
	static const uint8_t s[] = {
		0x98, 5, 0, 0x01,
		0x20, 0x00,
		0x98, 6, 0, 0x01,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	struct spe_record r[4];
	struct spe_stats st;
	int n = decode_all(s, sizeof(s), r, 4, &st);

	CHECK(n == 2);
	CHECK_EQ_U64(r[1].offset, 6);
	CHECK_EQ_U64(r[1].lat_total, 6);
	CHECK_EQ_U64(st.pad_bytes, 14);
	CHECK_EQ_U64(st.bytes, sizeof(s));
}

static int same_record(const struct spe_record *a, const struct spe_record *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/*
 * Feeding any chunking (a wrapping AUX ring hands over two pieces, a pipe
 * arbitrary ones) must give exactly the records and counts of one feed.
 */
static void test_chunking_invariance(void)
{
	static const char *const files[] = {
		"hiperf_TestSpeDecoder.bin", "hiperf_TestSpeDumpRawData2.bin",
		"wperf_b1_ts0.bin", "ts_frame.bin", "perf-commit-2018.bin",
		"synthetic_newer_encodings.bin",
	};
	unsigned int seed = 12345;

	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		struct spe_record ref[32], got[32];
		const struct spe_record *r;
		struct spe_stats ref_st;
		size_t len;
		uint8_t *buf = load(files[f], &len);
		int nref;

		if (!buf) {
			check_cur_failed++;
			continue;
		}
		/* damage a copy too, so the carry path meets bad bytes */
		for (int pass = 0; pass < 2; pass++) {
			if (pass == 1)
				buf[len / 3] = 0x25;	/* reserved extended header */
			nref = decode_all(buf, len, ref, 32, &ref_st);
			for (int trial = 0; trial < 300; trial++) {
				struct spe_decoder d;
				size_t pos = 0;
				int n = 0;

				spe_decoder_init(&d);
				while (pos < len) {
					size_t c = 1 + rand_r(&seed) % (trial % 3 ? 4 : 23);

					if (c > len - pos)
						c = len - pos;
					spe_decoder_feed(&d, buf + pos, c);
					while ((r = spe_decoder_next(&d)))
						if (n < 32)
							got[n++] = *r;
					pos += c;
				}
				r = spe_decoder_finish(&d);
				if (r && n < 32)
					got[n++] = *r;
				if (n != nref || memcmp(&d.stats, &ref_st, sizeof(ref_st))) {
					printf("  %s pass %d trial %d: %d records vs %d, stats differ %d\n",
					       files[f], pass, trial, n, nref,
					       !!memcmp(&d.stats, &ref_st, sizeof(ref_st)));
					check_cur_failed++;
					break;
				}
				for (int i = 0; i < n; i++)
					if (!same_record(&got[i], &ref[i])) {
						printf("  %s trial %d: record %d differs\n",
						       files[f], trial, i);
						check_cur_failed++;
						break;
					}
			}
		}
		free(buf);
	}
}

static void test_desc_matches_perf_words(void)
{
	/* Strings perf 6.1 printed for these packets (spe-samples, .txt files). */
	static const struct {
		uint8_t b[10];
		int len;
		const char *text;
	} v[] = {
		{ { 0xb0, 0x68, 0xe0, 0x20, 0x84, 0xc0, 0xff, 0xff, 0xa0 }, 9, "PC 0xffffc08420e068 el1 ns=1" },
		{ { 0x99, 0x06, 0x00 }, 3, "LAT 6 ISSUE" },
		{ { 0x62, 0x16, 0, 0, 0 }, 5, "EV RETIRED L1D-ACCESS TLB-ACCESS" },
		{ { 0x49, 0x00 }, 2, "LD GP-REG" },
		{ { 0xb3, 0xc0, 0xeb, 0x24, 0xfb, 0, 0, 0, 0x80 }, 9, "PA 0xfb24ebc0 ns=1 ch=0 pat=0" },
		{ { 0xb2, 0xc0, 0x3b, 0x29, 0x0f, 0, 0, 0xff, 0xff }, 9, "VA 0xffff00000f293bc0" },
		{ { 0x4a, 0x01 }, 2, "B COND" },
		{ { 0x4a, 0x02 }, 2, "B IND" },
		{ { 0x64, 0xbb, 0x05, 0, 0 }, 5, "CONTEXT 0x5bb el1" },
		{ { 0x65, 0x01, 0, 0, 0 }, 5, "CONTEXT 0x1 el2" },
		{ { 0x53, 0x34, 0x12 }, 3, "DATA-SOURCE 4660" },
		{ { 0x21, 0xb0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 }, 10, "ADDR 0x8877665544332211 (8)" },
		{ { 0x20, 0x98, 0x07, 0x00 }, 4, "LAT 7 TOT" },
		{ { 0x71, 0x46, 0xf9, 0xd5, 0x4a, 0x10, 0x62, 0x01, 0x00 }, 9, "TS 389297091246406" },
		{ { 0x49, 0x30 }, 2, "LD NV-SYSREG" },
		{ { 0x49, 0x10 }, 2, "LD UNSPEC-REG" },
	};
	char buf[256];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct spe_pkt p;

		CHECK(spe_pkt_decode(v[i].b, (size_t)v[i].len, &p) == v[i].len);
		spe_pkt_desc(&p, buf, sizeof(buf));
		CHECK_STR(buf, v[i].text);
	}
}

static void test_op_classes(void)
{
	/* Arm ARM op type payloads, class 1 (load/store) */
	static const struct { uint8_t p; uint8_t cls, sub; } v[] = {
		{ 0x00, SPE_OPC_LOAD, SPE_LDST_GP },
		{ 0x05, SPE_OPC_STORE, SPE_LDST_SIMD_FP },
		{ 0x11, SPE_OPC_STORE, SPE_LDST_UNSPEC },
		{ 0x14, SPE_OPC_LOAD, SPE_LDST_MTE_TAG },
		{ 0x31, SPE_OPC_STORE, SPE_LDST_NV_SYSREG },
		{ 0x20, SPE_OPC_LOAD, SPE_LDST_MEMCPY },
		{ 0x25, SPE_OPC_STORE, SPE_LDST_MEMSET },
		{ 0x1e, SPE_OPC_LOAD, SPE_LDST_EXTENDED },
		{ 0x03, SPE_OPC_STORE, SPE_LDST_EXTENDED },
		{ 0xcc, SPE_OPC_LOAD, SPE_LDST_SVE_SME },
		{ 0x44, SPE_OPC_LOAD, SPE_LDST_GCS },
		{ 0x41, SPE_OPC_STORE, SPE_LDST_GCS },
	};
	uint8_t cls, sub, evl;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		spe_op_decode(1, v[i].p, &cls, &sub, &evl);
		if (cls != v[i].cls || sub != v[i].sub) {
			printf("  payload 0x%02x: class %u sub %u\n", v[i].p, cls, sub);
			check_cur_failed++;
		}
	}
	spe_op_decode(1, 0xcc, &cls, &sub, &evl);	/* 1100 1100: EVL 0b100 */
	CHECK_EQ_U64(evl, 4);
	spe_op_decode(0, 0x08, &cls, &sub, &evl);
	CHECK_EQ_U64(cls, SPE_OPC_SVE_OTHER);
	spe_op_decode(0, 0x9e, &cls, &sub, &evl);
	CHECK_EQ_U64(cls, SPE_OPC_SME_OTHER);
	spe_op_decode(0, 0x06, &cls, &sub, &evl);
	CHECK_EQ_U64(cls, SPE_OPC_OTHER);
	spe_op_decode(3, 0, &cls, &sub, &evl);
	CHECK_EQ_U64(cls, SPE_OPC_RESERVED);
	/* no such header class: reserved, not class 0 or 1 again */
	spe_op_decode(4, 0x08, &cls, &sub, &evl);
	CHECK_EQ_U64(cls, SPE_OPC_RESERVED);
	spe_op_decode(5, 0x01, &cls, &sub, &evl);
	CHECK_EQ_U64(cls, SPE_OPC_RESERVED);
}

/* Does @p match @pat, eight of '0', '1', 'x' (Arm ARM notation, bit 7 first)? */
static bool bits_match(unsigned int p, const char *pat)
{
	for (int i = 0; i < 8; i++) {
		unsigned int b = p >> (7 - i) & 1;

		if (pat[i] != 'x' && (unsigned int)(pat[i] - '0') != b)
			return false;
	}
	return true;
}

/*
 * Every (class, payload) pair against the op type table written as the
 * Arm ARM's bit patterns (not the library's masks): exactly one pattern
 * or none may match, and the decode must say which, with the EVL where
 * the encoding has one.
 */
static void test_op_all_payloads(void)
{
	static const struct { const char *pat; uint8_t sub; bool evl; } ldst[] = {
		{ "0000000x", SPE_LDST_GP, false },
		{ "0000010x", SPE_LDST_SIMD_FP, false },
		{ "0001000x", SPE_LDST_UNSPEC, false },
		{ "0001010x", SPE_LDST_MTE_TAG, false },
		{ "0011000x", SPE_LDST_NV_SYSREG, false },
		{ "0010000x", SPE_LDST_MEMCPY, false },
		{ "00100101", SPE_LDST_MEMSET, false },
		{ "000xxx1x", SPE_LDST_EXTENDED, false },
		{ "xxxx1x0x", SPE_LDST_SVE_SME, true },
		{ "01000x0x", SPE_LDST_GCS, false },
	};
	unsigned int bad = 0;

	for (unsigned int p = 0; p < 256; p++) {
		uint8_t want_cls, want_sub = 0, want_evl = 0, cls, sub, evl;
		unsigned int hits = 0;

		/* class 0: SVE and SME operations, else plain */
		want_cls = SPE_OPC_OTHER;
		if (bits_match(p, "0xxx1xx0"))
			want_cls = SPE_OPC_SVE_OTHER;
		else if (bits_match(p, "1xxx1xx0"))
			want_cls = SPE_OPC_SME_OTHER;
		if (want_cls != SPE_OPC_OTHER)
			want_evl = (uint8_t)(p >> 4 & 7);
		spe_op_decode(0, p, &cls, &sub, &evl);
		bad += cls != want_cls || sub || evl != want_evl;

		/* class 1: bit 0 is store; the patterns are disjoint */
		want_cls = p & 1 ? SPE_OPC_STORE : SPE_OPC_LOAD;
		want_sub = SPE_LDST_OTHER;
		want_evl = 0;
		for (size_t i = 0; i < sizeof(ldst) / sizeof(ldst[0]); i++) {
			if (!bits_match(p, ldst[i].pat))
				continue;
			hits++;
			want_sub = ldst[i].sub;
			want_evl = ldst[i].evl ? (uint8_t)(p >> 4 & 7) : 0;
		}
		CHECK(hits <= 1);
		spe_op_decode(1, p, &cls, &sub, &evl);
		if (cls != want_cls || sub != want_sub || evl != want_evl) {
			if (bad++ < 8)
				printf("  ldst 0x%02x: class %u sub %u evl %u, want %u %u %u\n",
				       p, cls, sub, evl, want_cls, want_sub, want_evl);
		}

		spe_op_decode(2, p, &cls, &sub, &evl);
		bad += cls != SPE_OPC_BRANCH || sub || evl;
		spe_op_decode(3, p, &cls, &sub, &evl);
		bad += cls != SPE_OPC_RESERVED || sub || evl;
	}
	CHECK_EQ_U64(bad, 0);
}

static void test_dsrc(void)
{
	CHECK(spe_dsrc_family_for_midr(0x410fd0c0) == SPE_DSRC_ARM_COMMON);	/* N1 r0p0 */
	CHECK(spe_dsrc_family_for_midr(0x413fd0c1) == SPE_DSRC_ARM_COMMON);	/* N1 r3p1 */
	CHECK(spe_dsrc_family_for_midr(0x410fd4f0) == SPE_DSRC_ARM_COMMON);	/* V2 */
	CHECK(spe_dsrc_family_for_midr(0xc00fac30) == SPE_DSRC_AMPEREONE);
	CHECK(spe_dsrc_family_for_midr(0x480fd010) == SPE_DSRC_HISI_HIP);
	CHECK(spe_dsrc_family_for_midr(0x410fd030) == SPE_DSRC_UNKNOWN);	/* A53 */
	CHECK_STR(spe_dsrc_name(SPE_DSRC_ARM_COMMON, 0xe), "DRAM");
	CHECK_STR(spe_dsrc_name(SPE_DSRC_AMPEREONE, 7), "DDR");
	CHECK_STR(spe_dsrc_name(SPE_DSRC_HISI_HIP, 18), "L1");
	CHECK(spe_dsrc_name(SPE_DSRC_ARM_COMMON, 0x1) == NULL);
	CHECK(spe_dsrc_name(SPE_DSRC_UNKNOWN, 0) == NULL);
	{
		char nb[8];

		CHECK_STR(spe_event_label(SPE_EV_MISPRED, nb), "MISPRED");
		CHECK_STR(spe_event_label(13, nb), "E13");
		CHECK_STR(spe_event_label(63, nb), "E63");
		CHECK_STR(spe_event_label(5 + 2, nb), "MISPRED");
	}
	CHECK(spe_dsrc_is_remote(SPE_DSRC_ARM_COMMON, 0xd));
	CHECK(!spe_dsrc_is_remote(SPE_DSRC_ARM_COMMON, 0xe));
	/* every family's remote values, as the families' tables name them,
	 * and nothing else (values past the mask's 32 bits included) */
	{
		static const struct { enum spe_dsrc_family fam; unsigned int v[4]; } rem[] = {
			{ SPE_DSRC_ARM_COMMON, { 0xd } },
			{ SPE_DSRC_AMPEREONE, { 5 } },
			{ SPE_DSRC_HISI_HIP, { 6, 7, 9 } },
			{ SPE_DSRC_UNKNOWN, { 0 } },
		};
		unsigned int wrong = 0;

		for (size_t f = 0; f < sizeof(rem) / sizeof(rem[0]); f++) {
			for (unsigned int v = 0; v < 0x10000; v += v < 64 ? 1 : 97) {
				bool want = false;

				for (int i = 0; i < 4; i++)
					want |= rem[f].fam != SPE_DSRC_UNKNOWN && rem[f].v[i] == v &&
						(v || i == 0);
				wrong += spe_dsrc_is_remote(rem[f].fam, v) != want;
			}
		}
		CHECK_EQ_U64(wrong, 0);
	}
}

/* The PC rule (README): bits [55:0] kept, the top byte 0xff at EL1/EL2
 * when bit 55 is set, else 0; at every EL, both halves of the address
 * space, stray top-byte bits; both entry points */
static void test_pc_canonical(void)
{
	static const uint64_t pcs[] = {
		0, 0x400000, 0x0000ffffffffffffull, 0x0080000000000000ull,
		0x00ffff8000081234ull, 0xff7f000000001000ull, 0xffffffffffffffffull,
	};
	unsigned int wrong = 0;

	for (size_t i = 0; i < sizeof(pcs) / sizeof(pcs[0]); i++)
		for (unsigned int el = 0; el < 4; el++) {
			uint64_t low = pcs[i] & 0x00ffffffffffffffull;
			uint64_t want = (el == 1 || el == 2) && (pcs[i] >> 55 & 1) ?
					low | 0xff00000000000000ull : low;

			wrong += spe_pc_canonical(pcs[i], el) != want;
			wrong += spe_addr_canonical(SPE_ADDR_PC, pcs[i], el) != want;
		}
	CHECK_EQ_U64(wrong, 0);
	/* the rule itself: EL1/EL2 with bit 55 set are kernel addresses */
	CHECK_EQ_U64(spe_pc_canonical(0x00ffff8000081234ull, 1), 0xffffff8000081234ull);
	CHECK_EQ_U64(spe_pc_canonical(0x00ffff8000081234ull, 2), 0xffffff8000081234ull);
	CHECK_EQ_U64(spe_pc_canonical(0x00ffff8000081234ull, 0), 0x00ffff8000081234ull);
	CHECK_EQ_U64(spe_pc_canonical(0xff7f000000001000ull, 1), 0x007f000000001000ull);
}

/* The text layer's numbers against printf: every digit-count boundary in
 * decimal and hex, and a spread of random 64-bit values */
static void test_text_numbers(void)
{
	uint64_t v[200], x = 0x9e3779b97f4a7c15ull;
	size_t n = 0, bad = 0;

	for (uint64_t p = 1; n < 40; p *= 10) {
		v[n++] = p - 1;
		v[n++] = p;
		if (p > UINT64_MAX / 10)
			break;
	}
	v[n++] = UINT64_MAX;
	v[n++] = 0xffffffffffull;
	v[n++] = 0x100000000ull;
	while (n < sizeof(v) / sizeof(v[0])) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v[n++] = x >> (x & 63);
	}
	for (size_t i = 0; i < n; i++) {
		char got[64], want[64];
		struct spe_text t;

		spe_text_init(&t, got, sizeof(got));
		spe_text_u64(&t, v[i]);
		spe_text_chr(&t, ' ');
		spe_text_hex0x(&t, v[i]);
		snprintf(want, sizeof(want), "%llu 0x%llx", (unsigned long long)v[i],
			 (unsigned long long)v[i]);
		if (strcmp(got, want)) {
			fprintf(stderr, "  %s != %s\n", got, want);
			bad++;
		}
	}
	CHECK_EQ_U64(bad, 0);
}

int main(void)
{
	RUN_TEST(test_packet_headers);
	RUN_TEST(test_invalid_headers);
	RUN_TEST(test_hiperf_records);
	RUN_TEST(test_ts_frame);
	RUN_TEST(test_damaged_sample);
	RUN_TEST(test_bad_byte_resync);
	RUN_TEST(test_truncated_tail);
	RUN_TEST(test_ext_pad_between_records);
	RUN_TEST(test_chunking_invariance);
	RUN_TEST(test_desc_matches_perf_words);
	RUN_TEST(test_op_classes);
	RUN_TEST(test_op_all_payloads);
	RUN_TEST(test_dsrc);
	RUN_TEST(test_pc_canonical);
	RUN_TEST(test_text_numbers);
	CHECK_DONE();
}
