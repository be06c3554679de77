// SPDX-License-Identifier: GPL-2.0-only
/*
 * Record assembly: a streaming decoder from SPE bytes to records.
 * Freestanding: no libc calls, no allocation.
 *
 * A record is the run of packets up to and including END or Timestamp.
 * Damage policy: a byte that cannot be framed is counted as bad and
 * skipped; the record it falls in is discarded at the next record boundary
 * (END or Timestamp), so every record emitted was decoded from intact
 * packets.  Packets of unassigned type are framed by their header's size,
 * skipped, and flagged on the record, which is kept.
 */
#include "spe_op_inline.h"
#include "spe_pkt_inline.h"

#define HOT static inline __attribute__((always_inline))

typedef uint64_t spe_v16 __attribute__((vector_size(16), may_alias, aligned(8)));

HOT void rec_clear(struct spe_record *r)
{
	/*
	 * Straight-line 16-byte stores.  __builtin_memset() of this size
	 * becomes `rep stosq` on x86-64, whose start-up cost (tens of
	 * cycles) was a third of the decoder's time per record.
	 */
	spe_v16 *w = (spe_v16 *)r;

	_Static_assert(sizeof(*r) % 16 == 0, "record size: a multiple of 16");
#pragma GCC unroll 16
	for (unsigned int i = 0; i < sizeof(*r) / 16; i++)
		w[i] = (spe_v16){ 0, 0 };
}

HOT void addr_attr_pc(struct spe_addr_attr *a, uint64_t payload)
{
	a->ns = (uint8_t)(payload >> SPE_ADDR_NS_SHIFT & 1);
	a->el = (uint8_t)(payload >> SPE_ADDR_EL_SHIFT & SPE_ADDR_EL_MASK);
	a->nse = (uint8_t)(payload >> SPE_ADDR_NSE_SHIFT & 1);
}

/*
 * The record layer's core: one packet's payload into the record.  Presence
 * bits and flags go to *@has and *@flags: the packet-at-a-time path passes
 * the record's own, fast_loop() registers it folds in when the record
 * closes (an `r->has |= bit` per packet is a load-modify-store chained
 * through memory, a store-forwarding delay on every packet).
 */
HOT void rec_add_addr(struct spe_record *r, unsigned int index, uint64_t payload,
		      uint32_t *has, uint32_t *flags)
{
	uint64_t addr = payload & SPE_ADDR_VALUE_MASK;

	switch (index) {
	case SPE_ADDR_PC:
		r->pc = addr;
		addr_attr_pc(&r->pc_attr, payload);
		*has |= SPE_HAS_PC;
		break;
	case SPE_ADDR_BRANCH_TARGET:
		r->tgt = addr;
		addr_attr_pc(&r->tgt_attr, payload);
		*has |= SPE_HAS_TGT;
		break;
	case SPE_ADDR_PREV_BRANCH_TARGET:
		r->prev_tgt = addr;
		addr_attr_pc(&r->prev_tgt_attr, payload);
		*has |= SPE_HAS_PREV_TGT;
		break;
	case SPE_ADDR_DATA_VA:
		r->va = addr;
		r->va_attr.tag = (uint8_t)(payload >> SPE_ADDR_TAG_SHIFT);
		*has |= SPE_HAS_VA;
		break;
	case SPE_ADDR_DATA_PA:
		r->pa = addr;
		r->pa_attr.ns = (uint8_t)(payload >> SPE_ADDR_NS_SHIFT & 1);
		r->pa_attr.ch = (uint8_t)(payload >> SPE_ADDR_CH_SHIFT & 1);
		r->pa_attr.nse = (uint8_t)(payload >> SPE_ADDR_NSE_SHIFT & 1);
		r->pa_attr.pat = (uint8_t)(payload >> SPE_ADDR_PAT_SHIFT &
					   SPE_ADDR_PAT_MASK);
		*has |= SPE_HAS_PA;
		break;
	default:
		*flags |= SPE_REC_IMPDEF;
		break;
	}
}

HOT void rec_add_counter(struct spe_record *r, unsigned int index, uint64_t payload,
			 uint32_t *has, uint32_t *flags)
{
	uint16_t v = (uint16_t)payload;

	switch (index) {
	case SPE_CNT_TOTAL_LAT:
		r->lat_total = v;
		*has |= SPE_HAS_LAT_TOTAL;
		break;
	case SPE_CNT_ISSUE_LAT:
		r->lat_issue = v;
		*has |= SPE_HAS_LAT_ISSUE;
		break;
	case SPE_CNT_XLAT_LAT:
		r->lat_xlat = v;
		*has |= SPE_HAS_LAT_XLAT;
		break;
	case SPE_CNT_ALT_ISSUE_LAT:
		r->lat_alt_issue = v;
		*has |= SPE_HAS_LAT_ALT_ISSUE;
		break;
	default:
		*flags |= SPE_REC_IMPDEF;
		break;
	}
}

HOT void rec_add(struct spe_record *r, unsigned int type, unsigned int index,
		 uint64_t payload, uint32_t *has, uint32_t *flags)
{
	switch (type) {
	case SPE_PKT_ADDRESS:
		rec_add_addr(r, index, payload, has, flags);
		break;
	case SPE_PKT_COUNTER:
		rec_add_counter(r, index, payload, has, flags);
		break;
	case SPE_PKT_EVENTS:
		r->events |= payload;
		*has |= SPE_HAS_EVENTS;
		break;
	case SPE_PKT_OP_TYPE:
		r->op_raw = (uint8_t)payload;
		r->op_class_raw = (uint8_t)index;
		spe_op_decode_inline(index, r->op_raw, &r->op_class,
				     &r->ldst_sub, &r->evl);
		*has |= SPE_HAS_OP;
		break;
	case SPE_PKT_DATA_SOURCE:
		r->dsrc = (uint16_t)payload;
		*has |= SPE_HAS_DSRC;
		break;
	case SPE_PKT_CONTEXT:
		r->ctx = (uint32_t)payload;
		r->ctx_el = (uint8_t)(index + 1);
		*has |= SPE_HAS_CTX;
		break;
	case SPE_PKT_TIMESTAMP:
		r->ts = payload;
		*has |= SPE_HAS_TS;
		*flags |= SPE_REC_END_TS;
		break;
	case SPE_PKT_END:
		*flags |= SPE_REC_END_PKT;
		break;
	case SPE_PKT_UNKNOWN:
		*flags |= SPE_REC_UNKNOWN_PKT;
		break;
	default:
		break;
	}
}

HOT void rec_add_pkt(struct spe_record *r, const struct spe_pkt *pkt)
{
	rec_add(r, pkt->type, pkt->index, pkt->payload, &r->has, &r->flags);
}

void spe_record_add_pkt(struct spe_record *r, const struct spe_pkt *pkt)
{
	rec_add_pkt(r, pkt);
}

void spe_decoder_init(struct spe_decoder *d)
{
	__builtin_memset(d, 0, sizeof(*d));
}

/*
 * @n bytes could not be decoded: count them, a new run of damage once, and
 * mark the record they fall in (opening one if needed) to be dropped.
 */
HOT void mark_damage(struct spe_decoder *d, uint64_t n)
{
	if (!d->damaged)
		d->stats.bad_events++;
	d->stats.bad_bytes += n;
	d->damaged = true;
	d->in_record = true;
}

/* The record starting at stream offset @off begins: a clean slate. */
HOT void begin_record(struct spe_record *r, uint64_t off)
{
	rec_clear(r);
	r->offset = off;
}

void spe_decoder_reset(struct spe_decoder *d, uint64_t stream_off)
{
	if (d->in_record || d->carry_len) {
		d->stats.records_dropped += d->in_record;
		d->stats.truncated_bytes += d->carry_len;
		d->stats.bad_bytes += d->carry_len;
		d->stats.bad_events += d->carry_len != 0;
	}
	d->buf = NULL;
	d->len = d->pos = 0;
	d->carry_len = 0;
	d->damaged = false;
	d->in_record = false;
	d->stream_off = stream_off;
}

void spe_decoder_feed(struct spe_decoder *d, const uint8_t *buf, size_t len)
{
	d->buf = buf;
	d->len = len;
	d->pos = 0;
}

static void note_bad_byte(struct spe_decoder *d)
{
	mark_damage(d, 1);
	d->stats.bytes++;
	d->stream_off++;
}

/* Close the record in progress; 1 when it is intact (then d->cur is it). */
HOT int close_record(struct spe_decoder *d)
{
	d->in_record = false;
	if (d->damaged) {
		d->damaged = false;
		d->stats.records_dropped++;
		return 0;
	}
	d->stats.records++;
	return 1;
}

/*
 * Account one decoded packet starting at stream offset d->stream_off.
 * Returns 1 when it closed an intact record (then d->cur is it).
 */
static inline int take_pkt(struct spe_decoder *d, const struct spe_pkt *pkt)
{
	d->stats.bytes += pkt->len;
	d->stats.packets++;
	if (pkt->type == SPE_PKT_PAD) {
		d->stats.pad_bytes += pkt->len;
		d->stream_off += pkt->len;
		return 0;
	}
	if (!d->in_record) {
		begin_record(&d->cur, d->stream_off);
		d->in_record = true;
	}
	d->stream_off += pkt->len;
	if (pkt->type == SPE_PKT_UNKNOWN)
		d->stats.unknown_pkts++;
	rec_add_pkt(&d->cur, pkt);
	if (pkt->type != SPE_PKT_END && pkt->type != SPE_PKT_TIMESTAMP)
		return 0;

	return close_record(d);
}

/* Decode the packet that straddles the previous chunk and this one. */
static int next_from_carry(struct spe_decoder *d, int *done)
{
	uint8_t tmp[2 * SPE_PKT_MAX_LEN];
	size_t left = d->len - d->pos, take, k = d->carry_len;
	struct spe_pkt pkt;
	int n;

	take = left < SPE_PKT_MAX_LEN ? left : SPE_PKT_MAX_LEN;
	for (size_t i = 0; i < k; i++)
		tmp[i] = d->carry[i];
	for (size_t i = 0; i < take; i++)
		tmp[k + i] = d->buf[d->pos + i];

	n = spe_pkt_decode(tmp, k + take, &pkt);
	if (n == SPE_PKT_NEED_MORE) {
		/* Still short: everything left joins the carry. */
		for (size_t i = 0; i < take; i++)
			d->carry[k + i] = d->buf[d->pos + i];
		d->carry_len = (uint8_t)(k + take);
		d->pos += take;
		*done = 1;
		return 0;
	}
	if (n < 0) {
		note_bad_byte(d);
		for (size_t i = 1; i < k; i++)
			d->carry[i - 1] = d->carry[i];
		d->carry_len--;
		return 0;
	}
	if ((size_t)n <= k) {
		/* After a bad byte the carry may itself hold a packet. */
		for (size_t i = (size_t)n; i < k; i++)
			d->carry[i - n] = d->carry[i];
		d->carry_len = (uint8_t)(k - n);
	} else {
		d->pos += (size_t)n - k;
		d->carry_len = 0;
	}
	return take_pkt(d, &pkt);
}

/* A short header's payload bytes as a mask, by its size field */
static const uint64_t payload_mask[4] = {
	0xff, 0xffff, 0xffffffff, ~0ULL,
};

/*
 * One packet with a short header (h >= 0x40) and payload @v (masked to its
 * size), for fast_loop(): the header picks rec_add()'s type and index.
 * The hot headers get cases of their own with a constant index, so the
 * inlined rec_add_addr()/rec_add_counter() fold to their one branch and
 * the jump table on @h is the only dispatch.  False for an unassigned
 * header (flagged; the caller counts it).  A Timestamp fills the record's
 * end; closing it is the caller's business.
 */
HOT bool rec_add_short(struct spe_record *r, unsigned int h, uint64_t v,
		       uint32_t *has, uint32_t *flags)
{
	switch (h) {
#define ADDR(i)	case SPE_HDR_ADDR | (i): rec_add_addr(r, (i), v, has, flags); break
#define CNT(i)	case SPE_HDR_COUNTER | (i): rec_add_counter(r, (i), v, has, flags); break
	ADDR(SPE_ADDR_PC);
	ADDR(SPE_ADDR_BRANCH_TARGET);
	ADDR(SPE_ADDR_DATA_VA);
	ADDR(SPE_ADDR_DATA_PA);
	ADDR(SPE_ADDR_PREV_BRANCH_TARGET);
	CNT(SPE_CNT_TOTAL_LAT);
	CNT(SPE_CNT_ISSUE_LAT);
	CNT(SPE_CNT_XLAT_LAT);
	CNT(SPE_CNT_ALT_ISSUE_LAT);
#undef ADDR
#undef CNT
	case SPE_HDR_ADDR + 5 ... SPE_HDR_ADDR + 7:
		rec_add_addr(r, h & SPE_HDR_INDEX_MASK, v, has, flags);
		break;
	case SPE_HDR_COUNTER + 3:
	case SPE_HDR_COUNTER + 5 ... SPE_HDR_COUNTER + 7:
		rec_add_counter(r, h & SPE_HDR_INDEX_MASK, v, has, flags);
		break;
	case 0x42: case 0x52: case 0x62: case 0x72:	/* Events */
		rec_add(r, SPE_PKT_EVENTS, 0, v, has, flags);
		break;
	case 0x43: case 0x53: case 0x63: case 0x73:	/* Data Source */
		rec_add(r, SPE_PKT_DATA_SOURCE, 0, v, has, flags);
		break;
	case SPE_HDR_OP ... SPE_HDR_OP + 3:
		rec_add(r, SPE_PKT_OP_TYPE, h & 3, v, has, flags);
		break;
	case SPE_HDR_CONTEXT ... SPE_HDR_CONTEXT + 3:
		rec_add(r, SPE_PKT_CONTEXT, h & 3, v, has, flags);
		break;
	case SPE_HDR_TIMESTAMP:
		rec_add(r, SPE_PKT_TIMESTAMP, 0, v, has, flags);
		break;
	default:
		*flags |= SPE_REC_UNKNOWN_PKT;
		return false;
	}
	return true;
}

/* ---- record shapes --------------------------------------------------- */

/*
 * The bytes a shape lookup reads at a record start: the SPE_TMPL_BYTES it
 * compares, plus the 8-byte payload load of a packet at its end.
 */
#define TMPL_READ	(SPE_TMPL_BYTES + 8)
/* Lookups per window; a window with fewer than a quarter hits turns
 * lookups off for TMPL_BACKOFF record starts (shapes that never repeat
 * should not pay SPE_TMPL_N compares per record). */
#define TMPL_WINDOW	256
#define TMPL_BACKOFF	4096
/* With every slot taken, one miss in this many learns its shape. */
#define TMPL_LEARN_EVERY	8

typedef uint8_t spe_v16b __attribute__((vector_size(16), may_alias, aligned(1)));
typedef uint64_t spe_v16q __attribute__((vector_size(16)));

/* Does the record at @p have shape @t?  (x & mask) ^ hdr is zero exactly
 * where the bytes match: one OR over four vectors. */
HOT bool tmpl_is(const struct spe_tmpl *t, spe_v16b b0, spe_v16b b1, spe_v16b b2,
		 spe_v16b b3)
{
	const spe_v16b *m = (const spe_v16b *)t->mask;
	const spe_v16b *h = (const spe_v16b *)t->hdr;
	spe_v16q x = (spe_v16q)(((b0 & m[0]) ^ h[0]) | ((b1 & m[1]) ^ h[1]) |
				((b2 & m[2]) ^ h[2]) | ((b3 & m[3]) ^ h[3]));

	return !(x[0] | x[1]);
}

/* The predictor's key: the two bytes at t_kp, an Op Type header and its
 * payload when the record is of the usual prefix.  The op type is what
 * decides which packets follow (branches have targets, loads a data
 * source...), so the key picks the shape before any framing. */
HOT unsigned int tmpl_key(const struct spe_decoder *d, const uint8_t *p)
{
	unsigned int k = (unsigned int)p[d->t_kp] << 8 | p[d->t_kp + 1];

	return (k * 0x9e37u >> 10) % SPE_TMPL_PRED;
}

/*
 * The shape of the record at @p, or NULL: the predicted slot first, then
 * the others in order (a search mispredicts; the predictor is there so
 * that a stream of mixed shapes does not pay that on every record).
 */
HOT const struct spe_tmpl *tmpl_find(struct spe_decoder *d, const uint8_t *p, unsigned int *at)
{
	const spe_v16b *in = (const spe_v16b *)p;
	spe_v16b b0 = in[0], b1 = in[1], b2 = in[2], b3 = in[3];
	unsigned int key = tmpl_key(d, p), g = d->t_pred[key];

	_Static_assert(SPE_TMPL_BYTES == 64, "four 16-byte compares");
	_Static_assert(SPE_TMPL_N < 255, "slot + 1 in a byte");
	if (__builtin_expect(g && tmpl_is(&d->tmpl[g - 1], b0, b1, b2, b3), 1)) {
		*at = g - 1;
		return &d->tmpl[g - 1];
	}
	for (unsigned int i = 0; i < d->ntmpl; i++) {
		if (tmpl_is(&d->tmpl[i], b0, b1, b2, b3)) {
			d->t_pred[key] = (uint8_t)(i + 1);
			*at = i;
			return &d->tmpl[i];
		}
	}
	return NULL;
}

_Static_assert(SPE_HAS_TS == 1u << (SPE_TMPL_FIELDS - 1), "a field per SPE_HAS_* bit");

/* Field @f of the record at @p with shape @t (see struct spe_tmpl) */
HOT uint64_t tmpl_field(const struct spe_tmpl *t, const uint8_t *p, unsigned int f)
{
	return spe_load_le64(p + t->foff[f]) & t->fmask[f];
}

/*
 * The record at @p (stream offset @off) by its shape: each field read
 * straight from the input at its known offset, independently of the
 * others and with no branch (an absent field's mask makes it zero, as
 * it must be).  No loop over the shape's packets: its count differs
 * from shape to shape, and on a stream of mixed shapes the loop's exit
 * mispredicted on most records.
 */
HOT void tmpl_decode(struct spe_record *r, const struct spe_tmpl *t, const uint8_t *p,
		     uint64_t off)
{
	uint32_t unused = 0, op;
	uint64_t op_raw = tmpl_field(t, p, __builtin_ctz(SPE_HAS_OP));

	/* No rec_clear(): every field a record can set is set below, and
	 * the bytes none sets (attribute bits an address kind does not
	 * have, padding) were zeroed with d->cur, which only this file
	 * writes.  test_shapes compares whole records, those bytes too. */
	r->offset = off;
	/* the packet path's own field writers, with constant indexes (each
	 * folds to its one case); their presence bits are the shape's */
	rec_add_addr(r, SPE_ADDR_PC, tmpl_field(t, p, 0), &unused, &unused);
	rec_add_addr(r, SPE_ADDR_BRANCH_TARGET, tmpl_field(t, p, 1), &unused, &unused);
	rec_add_addr(r, SPE_ADDR_DATA_VA, tmpl_field(t, p, 2), &unused, &unused);
	rec_add_addr(r, SPE_ADDR_DATA_PA, tmpl_field(t, p, 3), &unused, &unused);
	rec_add_addr(r, SPE_ADDR_PREV_BRANCH_TARGET, tmpl_field(t, p, 4), &unused, &unused);
	rec_add_counter(r, SPE_CNT_TOTAL_LAT, tmpl_field(t, p, 5), &unused, &unused);
	rec_add_counter(r, SPE_CNT_ISSUE_LAT, tmpl_field(t, p, 6), &unused, &unused);
	rec_add_counter(r, SPE_CNT_XLAT_LAT, tmpl_field(t, p, 7), &unused, &unused);
	rec_add_counter(r, SPE_CNT_ALT_ISSUE_LAT, tmpl_field(t, p, 8), &unused, &unused);
	/* not rec_add(): it ors, and r holds the last record */
	r->events = tmpl_field(t, p, 9);
	r->op_raw = (uint8_t)op_raw;
	r->dsrc = (uint16_t)tmpl_field(t, p, 11);
	r->ctx = (uint32_t)tmpl_field(t, p, 12);
	r->ts = tmpl_field(t, p, 13);
	r->has = t->has;
	r->flags = t->flags;
	r->ctx_el = t->ctx_el;
	r->op_class_raw = t->op_class_raw;
	/* the class's entry, or zeros with no Op Type packet: no branch */
	op = spe_op_tab[t->op_class_raw & 3][(uint8_t)op_raw] &
	     -(uint32_t)!!(t->has & SPE_HAS_OP);
	spe_op_unpack(op, &r->op_class, &r->ldst_sub, &r->evl);
}

/* A hit on slot @i (counts decide which slot a new shape replaces) */
static inline void tmpl_hit(struct spe_decoder *d, unsigned int i)
{
	d->t_hits++;
	if (++d->tmpl[i].hits == UINT16_MAX)
		for (unsigned int j = 0; j < d->ntmpl; j++)
			d->tmpl[j].hits >>= 1;
}

/* One lookup done: close the window when it is full. */
static inline void tmpl_tried(struct spe_decoder *d)
{
	if (++d->t_tries < TMPL_WINDOW)
		return;
	if (d->t_hits < TMPL_WINDOW / 4)
		d->t_skip = TMPL_BACKOFF;
	d->t_tries = d->t_hits = 0;
}

/*
 * The intact record [@p, @end) just decoded the long way: keep its shape
 * if every packet is a known short one (an END may close it), it fits, and
 * no slot has it.  A full table replaces its least used slot, on one miss
 * in TMPL_LEARN_EVERY.
 */
static void tmpl_learn(struct spe_decoder *d, const uint8_t *p, const uint8_t *end)
{
	struct spe_tmpl t;
	struct spe_record scratch;
	unsigned int slot;
	size_t len = (size_t)(end - p);

	if (len > SPE_TMPL_BYTES)
		return;
	if (d->ntmpl == SPE_TMPL_N && ++d->t_learn % TMPL_LEARN_EVERY)
		return;
	__builtin_memset(&t, 0, sizeof(t));
	rec_clear(&scratch);
	for (const uint8_t *q = p; q < end;) {
		unsigned int h = *q;
		uint32_t has = 0, flags = 0;

		if (h == SPE_HDR_END && q + 1 == end) {
			t.mask[q - p] = 0xff;
			t.hdr[q - p] = SPE_HDR_END;
			t.end_pkt = 1;
			t.flags |= SPE_REC_END_PKT;
			break;
		}
		/* rec_add_short() knows the header: a packet it flags as
		 * unknown, PAD, extended headers are left to the long way;
		 * so is a field given twice (Events would be or'ed) */
		if (h < 0x40 || !rec_add_short(&scratch, h, 0, &has, &flags) || (has & t.has))
			return;
		t.mask[q - p] = 0xff;
		t.hdr[q - p] = (uint8_t)h;
		t.npk++;
		if (has) {
			/* an IMPDEF address or counter has no field: the
			 * shape's flags say it was there */
			unsigned int f = (unsigned int)__builtin_ctz(has);

			t.foff[f] = (uint8_t)(q - p + 1);
			t.fmask[f] = payload_mask[h >> SPE_HDR_SZ_SHIFT & 3];
		}
		t.has |= has;
		t.flags |= flags;
		q += 1 + spe_short_payload_len((uint8_t)h);
	}
	t.ctx_el = scratch.ctx_el;
	t.op_class_raw = scratch.op_class_raw;
	t.len = (uint8_t)len;
	for (unsigned int i = 0; i < d->ntmpl; i++)
		if (!__builtin_memcmp(d->tmpl[i].mask, t.mask, sizeof(t.mask)) &&
		    !__builtin_memcmp(d->tmpl[i].hdr, t.hdr, sizeof(t.hdr)))
			return;
	if (d->ntmpl < SPE_TMPL_N) {
		slot = d->ntmpl++;
	} else {
		slot = 0;
		for (unsigned int i = 1; i < SPE_TMPL_N; i++)
			if (d->tmpl[i].hits < d->tmpl[slot].hits)
				slot = i;
	}
	d->tmpl[slot] = t;
	d->t_learn = 0;
	/* predictions of the old shape in this slot fail their check and
	 * are learned again; the key's offset comes from the first shape
	 * with an Op Type packet */
	if (!d->t_kp && (t.has & SPE_HAS_OP))
		d->t_kp = (uint8_t)(t.foff[__builtin_ctz(SPE_HAS_OP)] - 1);
}

/*
 * The hot loop, for as long as a whole packet is always readable: decoding
 * and record filling fused into one switch on the header byte, which
 * compiles to a jump table.  Headers below 0x40 (PAD, END, the rare 1-byte
 * and extended packets) take the general path.  Position and counters live
 * in locals and are written back on every exit.  Must agree exactly with
 * spe_pkt_decode_inline() + rec_add_pkt(): the fuzzer checks it against
 * the byte-at-a-time path.
 */
/* Bytes ahead of the decoder that fast_loop() prefetches: 512-1024
 * measured alike, 2048 no better than none (spetop -g symbol replay). */
#define PREFETCH_AHEAD	1024

/*
 * At a record start @p, @left bytes readable (at least TMPL_READ): the
 * shape of the record there, or NULL (none known, or lookups backing
 * off).  Counts the lookup, and the hit.
 */
HOT const struct spe_tmpl *tmpl_lookup(struct spe_decoder *d, const uint8_t *p, size_t left)
{
	const struct spe_tmpl *t;
	unsigned int at;

	/* The input is read once: fetch it ahead without letting it push
	 * the caller's tables (symbols, histograms) out of the caches
	 * (x86: prefetchnta). */
	if (left > PREFETCH_AHEAD)
		__builtin_prefetch(p + PREFETCH_AHEAD, 0, 0);
	if (d->t_skip) {
		d->t_skip--;
		return NULL;
	}
	t = tmpl_find(d, p, &at);
	tmpl_tried(d);
	if (t)
		tmpl_hit(d, at);
	return t;
}

static int fast_loop(struct spe_decoder *d, bool tried)
{
	const uint8_t *base = d->buf, *p = base + d->pos;
	const uint8_t *end = base + d->len;
	uint64_t off0 = d->stream_off - d->pos;	/* stream offset of base[0] */
	uint64_t packets = 0, pad = 0;
	struct spe_record *r = &d->cur;
	struct spe_pkt pkt;
	bool in_rec = d->in_record;	/* kept in a register; d->in_record
					 * is written back on exit */
	uint32_t has = 0, flags = 0;	/* likewise, or'ed into the record
					 * when it closes and on exit */
	const uint8_t *rec_start = NULL;	/* the record's first byte, when
						 * it began in this call */
	int ret = 0;

	if (d->len - d->pos < SPE_PKT_MAX_LEN)
		return 0;
	while (p <= end - SPE_PKT_MAX_LEN) {
		unsigned int h = p[0], szc;
		uint64_t v;
		int n;

		/* a record start: a shape seen before decodes in one go
		 * (unless tmpl_next() just looked at the first one) */
		if (!in_rec && h && end - p >= TMPL_READ && !tried) {
			const struct spe_tmpl *t = tmpl_lookup(d, p, (size_t)(end - p));

			if (t) {
				tmpl_decode(r, t, p, off0 + (uint64_t)(p - base));
				packets += t->npk + t->end_pkt;
				p += t->len;
				d->stats.records++;
				ret = 1;
				break;
			}
		}

		tried = false;
		if (h < 0x40) {
			if (!h) {
				/* PAD runs (record alignment) skipped in bulk */
				const uint8_t *q = p + 1;

				while (q < end && !*q)
					q++;
				packets += (uint64_t)(q - p);
				pad += (uint64_t)(q - p);
				p = q;
				continue;
			}
			n = spe_pkt_decode_inline(p, SPE_PKT_MAX_LEN, &pkt);
			if (n < 0) {
				/* bytes and stream_off are settled on exit */
				mark_damage(d, 1);
				in_rec = true;
				p++;
				continue;
			}
			packets++;
			if (pkt.type == SPE_PKT_PAD) {
				/* the 2-byte 0x20 0x00 alignment pad */
				pad += (uint64_t)n;
				p += n;
				continue;
			}
			if (!in_rec) {
				begin_record(r, off0 + (uint64_t)(p - base));
				in_rec = true;
				rec_start = p;
			}
			p += n;
			if (pkt.type == SPE_PKT_UNKNOWN)
				d->stats.unknown_pkts++;
			rec_add_pkt(r, &pkt);
			if (pkt.type == SPE_PKT_END) {
				r->has |= has;
				r->flags |= flags;
				has = flags = 0;
				in_rec = false;
				if (close_record(d)) {
					if (rec_start)
						tmpl_learn(d, rec_start, p);
					ret = 1;
					break;
				}
				rec_start = NULL;
			}
			continue;
		}

		szc = h >> SPE_HDR_SZ_SHIFT & 3;
		v = spe_load_le64(p + 1) & payload_mask[szc];
		packets++;
		if (!in_rec) {
			begin_record(r, off0 + (uint64_t)(p - base));
			in_rec = true;
			rec_start = p;
		}
		p += 1 + (1u << szc);

		if (__builtin_expect(!rec_add_short(r, h, v, &has, &flags), 0))
			d->stats.unknown_pkts++;
		if (h == SPE_HDR_TIMESTAMP) {
			r->has |= has;
			r->flags |= flags;
			has = flags = 0;
			in_rec = false;
			if (close_record(d)) {
				if (rec_start)
					tmpl_learn(d, rec_start, p);
				ret = 1;
				break;
			}
			rec_start = NULL;
		}
	}
	r->has |= has;
	r->flags |= flags;
	d->in_record = in_rec;
	d->stats.packets += packets;
	d->stats.pad_bytes += pad;
	d->stats.bytes += (uint64_t)(p - (base + d->pos));
	d->pos = (size_t)(p - base);
	d->stream_off = off0 + d->pos;
	return ret;
}

/*
 * The common case first: a record of a known shape starts at d->pos.
 * Decoded here it costs none of fast_loop()'s set-up and write-back
 * (locals for a packet loop that a hit never runs).  *@tried: a lookup
 * was made (or skipped, backing off) and found nothing, so fast_loop()
 * must not count a second one at the same place.
 */
static inline bool tmpl_next(struct spe_decoder *d, bool *tried)
{
	const uint8_t *p = d->buf + d->pos;
	const struct spe_tmpl *t;
	size_t left = d->len - d->pos;

	if (d->carry_len || d->in_record || left < TMPL_READ || !*p)
		return false;
	t = tmpl_lookup(d, p, left);
	if (!t) {
		*tried = true;
		return false;
	}
	tmpl_decode(&d->cur, t, p, d->stream_off);
	d->pos += t->len;
	d->stream_off += t->len;
	d->stats.bytes += t->len;
	d->stats.packets += t->npk + t->end_pkt;
	d->stats.records++;
	return true;
}

const struct spe_record *spe_decoder_next(struct spe_decoder *d)
{
	struct spe_pkt pkt;
	int n, done = 0;
	bool tried = false;

	if (tmpl_next(d, &tried))
		return &d->cur;
	while (d->carry_len) {
		if (d->pos == d->len)
			return NULL;
		if (next_from_carry(d, &done))
			return &d->cur;
		if (done)
			return NULL;
	}

	if (fast_loop(d, tried))
		return &d->cur;

	while (d->pos < d->len) {
		const uint8_t *p = d->buf + d->pos;
		size_t left = d->len - d->pos;

		n = spe_pkt_decode_inline(p, left, &pkt);
		if (n > 0) {
			d->pos += (size_t)n;
			if (take_pkt(d, &pkt))
				return &d->cur;
			continue;
		}
		if (n == SPE_PKT_NEED_MORE) {
			for (size_t i = 0; i < left; i++)
				d->carry[i] = p[i];
			d->carry_len = (uint8_t)left;
			d->pos = d->len;
			return NULL;
		}
		d->pos++;
		note_bad_byte(d);
	}
	return NULL;
}

const struct spe_record *spe_decoder_finish(struct spe_decoder *d)
{
	const struct spe_record *ret = NULL;

	if (d->carry_len) {
		/* A packet cut short by the end of the stream. */
		mark_damage(d, d->carry_len);
		d->stats.truncated_bytes += d->carry_len;
		d->stats.bytes += d->carry_len;
		d->stream_off += d->carry_len;
		d->carry_len = 0;
	}
	if (d->in_record) {
		if (d->damaged) {
			d->stats.records_dropped++;
		} else {
			d->cur.flags |= SPE_REC_UNTERMINATED;
			d->stats.records++;
			d->stats.unterminated++;
			ret = &d->cur;
		}
	}
	d->in_record = false;
	d->damaged = false;
	return ret;
}
