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

/*
 * The hot loop, for as long as a whole packet is always readable: decoding
 * and record filling fused into one switch on the header byte, which
 * compiles to a jump table.  Headers below 0x40 (PAD, END, the rare 1-byte
 * and extended packets) take the general path.  Position and counters live
 * in locals and are written back on every exit.  Must agree exactly with
 * spe_pkt_decode_inline() + rec_add_pkt(): the fuzzer checks it against
 * the byte-at-a-time path.
 */
static int fast_loop(struct spe_decoder *d)
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
	int ret = 0;

	if (d->len - d->pos < SPE_PKT_MAX_LEN)
		return 0;
	while (p <= end - SPE_PKT_MAX_LEN) {
		unsigned int h = p[0], szc;
		uint64_t v;
		int n;

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
					ret = 1;
					break;
				}
			}
			continue;
		}

		szc = h >> SPE_HDR_SZ_SHIFT & 3;
		v = spe_load_le64(p + 1) & payload_mask[szc];
		packets++;
		if (!in_rec) {
			begin_record(r, off0 + (uint64_t)(p - base));
			in_rec = true;
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
				ret = 1;
				break;
			}
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

const struct spe_record *spe_decoder_next(struct spe_decoder *d)
{
	struct spe_pkt pkt;
	int n, done = 0;

	while (d->carry_len) {
		if (d->pos == d->len)
			return NULL;
		if (next_from_carry(d, &done))
			return &d->cur;
		if (done)
			return NULL;
	}

	if (fast_loop(d))
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
