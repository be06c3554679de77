// SPDX-License-Identifier: GPL-2.0-only
/*
 * The decoder's record shapes (spe_record.c): a record whose header bytes
 * sit where a shape seen before had them is decoded from the shape, not
 * packet by packet.  The reference is the same bytes fed one at a time,
 * which never reaches the shape path (it needs 72 readable bytes): every
 * record and every count must come out identical, on streams that mix the
 * shapes spe_record.c keeps with the ones it must refuse (END, IMPDEF and
 * unknown packets, PAD and extended headers inside a record, a field given
 * twice, records over 64 bytes) and with damage planted in repeated
 * shapes.  And the shape path must have been taken, or nothing was tested.
 */
#include <stdlib.h>

#include "check.h"
#include "rng.h"
#include "spe.h"

/* Header lists, 0 ends one.  0x100 stands for the 0x00 PAD byte. */
static const unsigned int shapes[][16] = {
	/* load: PC, LATs, EV, LD, VA, XLAT, PA, DSRC, CTX, TS (56 bytes) */
	{ 0xb0, 0x99, 0x98, 0x42, 0x49, 0xb2, 0x9a, 0xb3, 0x43, 0x64, 0x71 },
	/* branch with target */
	{ 0xb0, 0x99, 0x98, 0x42, 0x4a, 0xb1, 0x64, 0x71 },
	/* store, no data source */
	{ 0xb0, 0x99, 0x98, 0x42, 0x49, 0xb2, 0x9a, 0xb3, 0x64, 0x71 },
	/* other, 2-byte events, closed by END */
	{ 0xb0, 0x98, 0x52, 0x48, 0x01 },
	/* 4-byte events, previous branch target, alternate issue latency */
	{ 0xb0, 0x62, 0x4a, 0xb4, 0x9c, 0x65, 0x71 },
	/* IMPDEF address and counter indexes (flagged, kept) */
	{ 0xb0, 0xb5, 0x9d, 0x42, 0x48, 0x71 },
	/* over 64 bytes: five addresses, three counters, TS */
	{ 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0x99, 0x98, 0x9a, 0x42, 0x71 },
	/* Events twice (or'ed) */
	{ 0xb0, 0x42, 0x42, 0x71 },
	/* an unassigned 1-byte-payload header */
	{ 0xb0, 0x44, 0x98, 0x71 },
	/* PAD inside the record */
	{ 0xb0, 0x100, 0x98, 0x71 },
	/* extended header: address index 8 */
	{ 0xb0, 0x21, 0x98, 0x71 },
	/* a lone END */
	{ 0x01 },
};
#define NSHAPES	(sizeof(shapes) / sizeof(shapes[0]))

/* Appends one record of shape @s with random payloads; returns bytes. */
static size_t put_record(uint8_t *p, unsigned int s)
{
	size_t n = 0;

	for (const unsigned int *h = shapes[s]; *h; h++) {
		unsigned int plen;

		if (*h == 0x100) {
			p[n++] = 0;
			continue;
		}
		if (*h == 0x21) {
			p[n++] = 0x21;
			p[n++] = 0xb0;	/* index 1 << 3 | 0: address 8 */
			plen = 8;
		} else {
			p[n++] = (uint8_t)*h;
			plen = *h < 0x40 ? 0 : 1u << (*h >> 4 & 3);
		}
		for (unsigned int i = 0; i < plen; i++)
			p[n++] = (uint8_t)rnd();
	}
	return n;
}

struct run {
	struct spe_record *rec;
	size_t n;
	struct spe_stats st;
	uint64_t shape_hits;
};

/* Decode @buf fed in pieces of @piece bytes (0: one feed). */
static void decode(const uint8_t *buf, size_t len, size_t piece, struct run *out, size_t max)
{
	struct spe_decoder *d = malloc(sizeof(*d));
	const struct spe_record *r;
	size_t pos = 0;

	spe_decoder_init(d);
	out->n = 0;
	while (pos < len) {
		size_t c = piece && piece < len - pos ? piece : len - pos;

		spe_decoder_feed(d, buf + pos, c);
		while ((r = spe_decoder_next(d)))
			if (out->n < max)
				out->rec[out->n++] = *r;
		pos += c;
	}
	r = spe_decoder_finish(d);
	if (r && out->n < max)
		out->rec[out->n++] = *r;
	out->st = d->stats;
	out->shape_hits = 0;
	for (unsigned int i = 0; i < d->ntmpl; i++)
		out->shape_hits += d->tmpl[i].hits;
	free(d);
}

/* One stream: @nrec records of random shapes (the first @common shapes
 * weighted up, so they repeat), a byte of one record in @mutate replaced
 * at random; at least @min_hits records must come from shapes. */
static void one_stream(size_t nrec, unsigned int common, unsigned int mutate,
		       size_t min_hits)
{
	size_t cap = nrec * 80, len = 0;
	uint8_t *buf = malloc(cap);
	struct run whole = { .rec = calloc(nrec + 1, sizeof(struct spe_record)) };
	struct run bytes = { .rec = calloc(nrec + 1, sizeof(struct spe_record)) };
	size_t diff = 0;

	for (size_t i = 0; i < nrec; i++) {
		unsigned int s = rnd() % 4 ? (unsigned int)(rnd() % common)
					   : (unsigned int)(rnd() % NSHAPES);
		size_t at = len;

		len += put_record(buf + len, s);
		if (mutate && rnd() % mutate == 0) {
			/* a random byte of the record: often a header, so a
			 * shape's check must fail or the framing moves */
			buf[at + rnd() % (len - at)] = (uint8_t)rnd();
		}
	}
	decode(buf, len, 0, &whole, nrec + 1);
	decode(buf, len, 1, &bytes, nrec + 1);
	CHECK_EQ_U64(whole.n, bytes.n);
	CHECK(!memcmp(&whole.st, &bytes.st, sizeof(whole.st)));
	for (size_t i = 0; i < whole.n && i < bytes.n; i++)
		diff += !!memcmp(&whole.rec[i], &bytes.rec[i], sizeof(whole.rec[i]));
	CHECK_EQ_U64(diff, 0);
	/* byte-at-a-time never looks shapes up; one feed mostly should */
	CHECK_EQ_U64(bytes.shape_hits, 0);
	CHECK(whole.shape_hits >= min_hits);
	free(buf);
	free(whole.rec);
	free(bytes.rec);
}

static void test_shapes_clean(void)
{
	rng_state = 0x5eed5a9e;
	one_stream(20000, 3, 0, 15000);
	one_stream(20000, 6, 0, 15000);
}

static void test_shapes_every_kind(void)
{
	/* all shapes equally: the refused ones as often as the kept */
	rng_state = 0x6b1d;
	one_stream(20000, NSHAPES, 0, 10000);
}

static void test_shapes_damaged(void)
{
	rng_state = 0xdead5a9e;
	one_stream(20000, 3, 50, 14000);
	one_stream(20000, 6, 7, 10000);
}

/* More shapes than slots: the least used are replaced, and a stream whose
 * shapes never repeat turns lookups off without changing a record. */
static void test_shapes_churn(void)
{
	enum { N = 4000 };
	uint8_t *buf = malloc(N * 80);
	struct run whole = { .rec = calloc(N + 1, sizeof(struct spe_record)) };
	struct run bytes = { .rec = calloc(N + 1, sizeof(struct spe_record)) };
	size_t len = 0, diff = 0;

	rng_state = 0xc4a2;
	for (size_t i = 0; i < N; i++) {
		/* PC, then k 2-byte counters of rotating indexes, then TS:
		 * 3 * 7 shapes */
		unsigned int k = 1 + (unsigned int)(rnd() % 3), c = (unsigned int)(rnd() % 7);

		buf[len++] = 0xb0;
		for (int b = 0; b < 8; b++)
			buf[len++] = (uint8_t)rnd();
		for (unsigned int j = 0; j < k; j++) {
			buf[len++] = (uint8_t)(0x98 | ((c + j) & 7));
			buf[len++] = (uint8_t)rnd();
			buf[len++] = (uint8_t)rnd();
		}
		buf[len++] = 0x71;
		for (int b = 0; b < 8; b++)
			buf[len++] = (uint8_t)rnd();
	}
	decode(buf, len, 0, &whole, N + 1);
	decode(buf, len, 1, &bytes, N + 1);
	CHECK_EQ_U64(whole.n, N);
	CHECK_EQ_U64(bytes.n, N);
	CHECK(!memcmp(&whole.st, &bytes.st, sizeof(whole.st)));
	for (size_t i = 0; i < N; i++)
		diff += !!memcmp(&whole.rec[i], &bytes.rec[i], sizeof(whole.rec[i]));
	CHECK_EQ_U64(diff, 0);
	CHECK(whole.shape_hits > 0);
	free(buf);
	free(whole.rec);
	free(bytes.rec);
}

int main(void)
{
	RUN_TEST(test_shapes_clean);
	RUN_TEST(test_shapes_every_kind);
	RUN_TEST(test_shapes_damaged);
	RUN_TEST(test_shapes_churn);
	CHECK_DONE();
}
