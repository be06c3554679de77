// SPDX-License-Identifier: GPL-2.0-only
/*
 * The capture path's acceptance test: ring.c against a producer that
 * behaves like the kernel.
 *
 * The producer lays out a perf_event_mmap_page, a data ring and an AUX
 * area in malloc'd memory of exactly their sizes (so ASan catches any
 * read outside them), writes real SPE records (spegen's encoder) into the
 * AUX area in sessions that wrap it, advances aux_head only after the
 * PERF_RECORD_AUX of the session, and follows the kernel's non-overwrite
 * rules: a session only gets the space the consumer released, and when it
 * runs out the session ends with TRUNCATED and the event stops until the
 * consumer re-enables it; data lost by the hardware ends a session with
 * TRUNCATED|PARTIAL after a cut record; a data record that does not fit
 * the data ring is dropped and counted, and the next one that fits is
 * preceded by a PERF_RECORD_LOST with the count.  Side-band records
 * (COMM, MMAP, MMAP2, ITRACE_START, SWITCH_CPU_WIDE, LOST_SAMPLES, unknown
 * types) of random sizes wrap the data ring's end.
 *
 * Consumer calls are interleaved at random (seeded).  The consumer checks
 * that every AUX byte arrives once, in order, equal to what was written;
 * decodes the delivered chunks with libspe and compares every record with
 * the one encoded (offset and fields), resetting the decoder at the gaps
 * ring.c reports; compares every data record with the one written; and at
 * the end that every drop the producer injected was counted.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ring.h"
#include "rng.h"
#include "spe.h"
#include "spe_encode.h"

#define ST_MAIN (PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | \
		 PERF_SAMPLE_IDENTIFIER)

/* ---- random numbers ------------------------------------------------------ */

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned int percent)
{
	return rnd_below(100) < percent;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return p;
}

#define PUSH(arr, n, cap, val) do {					\
	if ((n) == (cap)) {						\
		(cap) = (cap) ? 2 * (cap) : 64;				\
		(arr) = xrealloc((arr), (cap) * sizeof(*(arr)));	\
	}								\
	(arr)[(n)++] = (val);						\
} while (0)

/* ---- what the producer wrote --------------------------------------------- */

/* An SPE record, as encoded */
struct exp_rec {
	uint64_t off;		/* stream offset of its first (non-PAD) byte */
	uint64_t pc, va, ts, events;
	uint16_t lat;
	bool has_va, has_ts;
};

/* A data record, as written (the consumer checks them in order) */
struct exp_ev {
	uint32_t rec_type;
	bool parsed;		/* ring.c hands it to ops->event */
	uint64_t a, b, c;	/* type-specific */
	uint32_t pid, tid;
	char str[72];
	struct ring_sample_id sid;
};

struct prod {
	/* the "mmap'd" memory */
	struct perf_event_mmap_page *pg;
	uint8_t *data, *aux;
	uint64_t data_size, aux_size;
	uint64_t sample_type;
	bool sid_all;
	uint32_t sid_size;

	/* kernel state */
	uint64_t data_head;		/* written, maybe not yet published */
	uint64_t aux_head;		/* rb->aux_head: published per session */
	uint64_t aux_base;		/* where the AUX stream starts */
	uint64_t pending_lost;		/* records dropped since the last LOST */
	bool enabled;
	bool in_session;
	uint64_t sess_start, sess_pos, sess_limit;
	uint64_t sess_flags;
	bool deferred;			/* an AUX record not yet written */
	uint64_t def_start, def_size, def_flags;
	uint64_t seq;			/* sample_id.time of the next record */

	/* the truth */
	uint8_t *stream;		/* every AUX byte ever written */
	size_t stream_cap;
	struct exp_rec *recs;
	size_t nrecs, recs_cap;
	struct exp_ev *evs;
	size_t nevs, evs_cap;
	uint64_t *gaps;			/* gap offsets the consumer must see */
	size_t ngaps, gaps_cap;

	/* what was injected */
	uint64_t truncated, partial, collision;	/* in AUX records written */
	uint64_t truncated_unseen;	/* TRUNCATED records that were dropped */
	uint64_t aux_records;
	uint64_t dropped;		/* data records dropped (data ring full) */
	uint64_t lost_samples;
	uint64_t unknown;
	uint64_t not_sampled;		/* SPE records while stopped */
	uint64_t stops;			/* sessions that could not begin */
	uint64_t wraps;			/* data records written across the end */
	uint64_t aux_wraps;		/* sessions across the AUX area's end */
	uint64_t racy;			/* aux_head published before the record */
};

/* ---- the data ring, kernel side ------------------------------------------ */

static void put_sid(struct prod *p, uint8_t *buf, size_t at, struct ring_sample_id *sid)
{
	uint32_t has = ring_sid_fields(p->sample_type, p->sid_all, NULL);
	uint8_t *q = buf + at;

	memset(sid, 0, sizeof(*sid));
	sid->has = has;
	if (has & RING_SID_TID) {
		sid->pid = 1000 + (uint32_t)(p->seq % 7);
		sid->tid = sid->pid + 1;
	}
	if (has & RING_SID_TIME)
		sid->time = p->seq;
	if (has & RING_SID_CPU)
		sid->cpu = 3;
	if (has & (RING_SID_ID | RING_SID_IDENTIFIER))
		sid->id = 0xabc1;
	if (has & RING_SID_STREAM_ID)
		sid->stream_id = 0x5150;
	if (has & RING_SID_TID) {
		memcpy(q, &sid->pid, 4);
		memcpy(q + 4, &sid->tid, 4);
		q += 8;
	}
	if (has & RING_SID_TIME) {
		memcpy(q, &sid->time, 8);
		q += 8;
	}
	if (has & RING_SID_ID) {
		memcpy(q, &sid->id, 8);
		q += 8;
	}
	if (has & RING_SID_STREAM_ID) {
		memcpy(q, &sid->stream_id, 8);
		q += 8;
	}
	if (has & RING_SID_CPU) {
		uint32_t res = 0;

		memcpy(q, &sid->cpu, 4);
		memcpy(q + 4, &res, 4);
		q += 8;
	}
	if (has & RING_SID_IDENTIFIER)
		memcpy(q, &sid->id, 8);
}

static void put_hdr(uint8_t *buf, uint32_t type, uint16_t misc, uint16_t size)
{
	memcpy(buf, &type, 4);
	memcpy(buf + 4, &misc, 2);
	memcpy(buf + 6, &size, 2);
}

static void ring_write(struct prod *p, const uint8_t *buf, size_t len)
{
	uint64_t off = p->data_head & (p->data_size - 1);
	size_t first = len;

	if (off + len > p->data_size) {
		first = p->data_size - off;
		p->wraps++;
	}
	memcpy(p->data + off, buf, first);
	memcpy(p->data, buf + first, len - first);
	p->data_head += len;
}

static void publish_data(struct prod *p)
{
	__atomic_store_n(&p->pg->data_head, p->data_head, __ATOMIC_RELEASE);
}

/*
 * perf_output_begin(): room is what the consumer released; a record that
 * does not fit is dropped and counted, and the next one that fits comes
 * after a PERF_RECORD_LOST.  @body is the record without its trailer;
 * returns whether it was written.
 */
static bool emit(struct prod *p, uint8_t *rec, size_t body, struct exp_ev *e)
{
	uint64_t tail = __atomic_load_n(&p->pg->data_tail, __ATOMIC_ACQUIRE);
	uint64_t room = p->data_size - (p->data_head - tail);
	size_t size = body + p->sid_size;
	size_t lost_size = 24 + p->sid_size;
	size_t need = size + (p->pending_lost ? lost_size : 0);

	if (need > room) {
		p->pending_lost++;
		p->dropped++;
		return false;
	}
	if (p->pending_lost) {
		uint8_t lrec[128];
		struct exp_ev le = { .rec_type = PERF_RECORD_LOST, .parsed = true };
		uint64_t id = 0xabc1;

		put_hdr(lrec, PERF_RECORD_LOST, 0, (uint16_t)lost_size);
		memcpy(lrec + 8, &id, 8);
		memcpy(lrec + 16, &p->pending_lost, 8);
		put_sid(p, lrec, 24, &le.sid);
		le.a = id;
		le.b = p->pending_lost;
		p->seq++;
		ring_write(p, lrec, lost_size);
		PUSH(p->evs, p->nevs, p->evs_cap, le);
		p->pending_lost = 0;
	}
	put_hdr(rec, e->rec_type, (uint16_t)e->c, (uint16_t)size);
	put_sid(p, rec, body, &e->sid);
	p->seq++;
	ring_write(p, rec, size);
	PUSH(p->evs, p->nevs, p->evs_cap, *e);
	return true;
}

/* ---- side-band records ---------------------------------------------------- */

static void rand_name(char *s, size_t max)
{
	size_t n = 1 + rnd_below(max - 1), i;

	for (i = 0; i < n; i++)
		s[i] = (char)('a' + rnd_below(26));
	s[n] = '\0';
}

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static void emit_sideband(struct prod *p)
{
	uint8_t rec[512];
	struct exp_ev e;
	size_t body, slen;
	uint32_t pid = (uint32_t)rnd_below(100000), tid = pid + 1;
	uint64_t start = rnd() & 0xfffffffff000ULL, len = 4096 * (1 + rnd_below(64));

	memset(&e, 0, sizeof(e));
	memset(rec, 0, sizeof(rec));
	e.parsed = true;
	e.pid = pid;
	e.tid = tid;
	memcpy(rec + 8, &pid, 4);
	memcpy(rec + 12, &tid, 4);
	switch (rnd_below(8)) {
	case 0:		/* COMM, maybe exec */
		e.rec_type = PERF_RECORD_COMM;
		e.c = chance(50) ? PERF_RECORD_MISC_COMM_EXEC : 0;
		rand_name(e.str, 16);
		slen = strlen(e.str) + 1;
		memcpy(rec + 16, e.str, slen);
		body = 16 + pad8(slen);
		break;
	case 1:		/* MMAP */
		e.rec_type = PERF_RECORD_MMAP;
		e.a = start;
		e.b = len;
		rand_name(e.str, 64);
		memcpy(rec + 16, &start, 8);
		memcpy(rec + 24, &len, 8);
		slen = strlen(e.str) + 1;
		memcpy(rec + 40, e.str, slen);
		body = 40 + pad8(slen);
		break;
	case 2:
	case 3: {	/* MMAP2 */
		uint32_t prot = 5, flags = 2;
		uint64_t ino = rnd();

		e.rec_type = PERF_RECORD_MMAP2;
		e.a = start;
		e.b = len;
		rand_name(e.str, 64);
		memcpy(rec + 16, &start, 8);
		memcpy(rec + 24, &len, 8);
		memcpy(rec + 48, &ino, 8);
		memcpy(rec + 64, &prot, 4);
		memcpy(rec + 68, &flags, 4);
		slen = strlen(e.str) + 1;
		memcpy(rec + 72, e.str, slen);
		body = 72 + pad8(slen);
		e.pid = pid;
		break;
	}
	case 4:		/* ITRACE_START */
		e.rec_type = PERF_RECORD_ITRACE_START;
		body = 16;
		break;
	case 5:		/* SWITCH_CPU_WIDE, in or out */
		e.rec_type = PERF_RECORD_SWITCH_CPU_WIDE;
		e.c = chance(50) ? PERF_RECORD_MISC_SWITCH_OUT : 0;
		body = 16;
		break;
	case 6:		/* LOST_SAMPLES */
		e.rec_type = PERF_RECORD_LOST_SAMPLES;
		e.a = 1 + rnd_below(50);
		memcpy(rec + 8, &e.a, 8);
		body = 16;
		if (emit(p, rec, body, &e))
			p->lost_samples += e.a;
		return;
	default:	/* a type ring.c does not parse: skipped by size */
		e.rec_type = 0x7000 + (uint32_t)rnd_below(0x100);
		e.parsed = false;
		body = 8 + 8 * rnd_below(20);
		if (emit(p, rec, body, &e))
			p->unknown++;
		return;
	}
	emit(p, rec, body, &e);
}

/* ---- the AUX area, kernel and SPE side ----------------------------------- */

static void stream_put(struct prod *p, uint64_t pos, const uint8_t *buf, size_t len)
{
	uint64_t off = pos & (p->aux_size - 1);
	size_t first = len;

	uint64_t at = pos - p->aux_base;

	while (at + len > p->stream_cap) {
		size_t ncap = p->stream_cap ? 2 * p->stream_cap : 65536;

		p->stream = xrealloc(p->stream, ncap);
		p->stream_cap = ncap;
	}
	memcpy(p->stream + at, buf, len);
	if (off + len > p->aux_size)
		first = p->aux_size - off;
	memcpy(p->aux + off, buf, first);
	memcpy(p->aux, buf + first, len - first);
}

/* One SPE record from spegen's encoder; *first: its first packet's length */
static size_t enc_record(uint8_t *buf, struct exp_rec *e, size_t *first)
{
	unsigned int el = (unsigned int)rnd_below(3);
	unsigned int kind = (unsigned int)rnd_below(3);
	size_t n = 0;

	memset(e, 0, sizeof(*e));
	e->pc = rnd() & 0x0000ffffffffffffULL;
	n += spe_enc_address(buf + n, SPE_ADDR_PC,
			     spe_addr_payload_pc(e->pc, el, true, false), false);
	*first = n;
	if (kind == 0) {
		n += spe_enc_op(buf + n, SPE_OP_CLASS_LDST, spe_op_ldst_gp(chance(50)));
	} else if (kind == 1) {
		n += spe_enc_op(buf + n, SPE_OP_CLASS_BRANCH,
				spe_op_branch(chance(50), false, false, 0));
	} else {
		n += spe_enc_op(buf + n, SPE_OP_CLASS_OTHER,
				spe_op_other(false, chance(50), false));
	}
	e->events = (rnd() & 0xffff) | 0x2;	/* retired */
	n += spe_enc_events(buf + n, e->events, 0);
	e->lat = (uint16_t)rnd_below(4096);
	n += spe_enc_counter(buf + n, SPE_CNT_TOTAL_LAT, e->lat, 12, false);
	if (kind == 0) {
		e->has_va = true;
		e->va = rnd() & 0x0000ffffffffffffULL;
		n += spe_enc_address(buf + n, SPE_ADDR_DATA_VA,
				     spe_addr_payload_va(e->va, 0), false);
		n += spe_enc_dsrc(buf + n, (uint16_t)rnd_below(16), 0);
	}
	if (chance(80)) {
		e->has_ts = true;
		e->ts = rnd() >> 1;
		n += spe_enc_timestamp(buf + n, e->ts);
	} else {
		n += spe_enc_end(buf + n);
	}
	return n;
}

static void flush_deferred(struct prod *p);

/* perf_aux_output_begin(): the room the consumer released, or stop */
static bool session_begin(struct prod *p)
{
	uint64_t tail = __atomic_load_n(&p->pg->aux_tail, __ATOMIC_ACQUIRE);
	uint64_t room = p->aux_size - (p->aux_head - tail);

	flush_deferred(p);

	if (!room) {
		/* the perf core disables the event, no record */
		p->enabled = false;
		p->stops++;
		return false;
	}
	p->in_session = true;
	p->sess_start = p->sess_pos = p->aux_head;
	/* the driver may stop short of the room (wakeup, page limit) */
	p->sess_limit = p->aux_head + (chance(30) ? 1 + rnd_below(room) : room);
	p->sess_flags = 0;
	return true;
}

/* The PERF_RECORD_AUX of a session */
static void aux_record(struct prod *p, uint64_t start, uint64_t size, uint64_t flags)
{
	uint8_t rec[128];
	struct exp_ev e;

	memset(&e, 0, sizeof(e));
	e.rec_type = PERF_RECORD_AUX;
	e.parsed = true;
	e.a = start;
	e.b = size;
	e.pid = (uint32_t)flags;	/* flags, compared by the consumer */
	memcpy(rec + 8, &start, 8);
	memcpy(rec + 16, &size, 8);
	memcpy(rec + 24, &flags, 8);
	if (emit(p, rec, 32, &e)) {
		p->aux_records++;
		if (flags & RING_AUX_TRUNCATED)
			p->truncated++;
		if (flags & RING_AUX_PARTIAL)
			p->partial++;
		if (flags & RING_AUX_COLLISION)
			p->collision++;
		if (flags & (RING_AUX_TRUNCATED | RING_AUX_PARTIAL))
			PUSH(p->gaps, p->ngaps, p->gaps_cap, start + size);
	} else if (flags & RING_AUX_TRUNCATED) {
		p->truncated_unseen++;
	}
	publish_data(p);
}

/* A record held back by session_end(): written before anything else */
static void flush_deferred(struct prod *p)
{
	if (!p->deferred)
		return;
	p->deferred = false;
	aux_record(p, p->def_start, p->def_size, p->def_flags);
}

/*
 * perf_aux_output_end(): the PERF_RECORD_AUX, then aux_head, in that
 * order as the kernel writes them.  With @racy, aux_head becomes visible
 * first (a weakly ordered CPU may show the two stores the other way
 * round) and the record follows at the producer's next action.
 */
static void session_end(struct prod *p, uint64_t flags)
{
	uint64_t size = p->sess_pos - p->sess_start;
	bool racy = chance(10);

	flags |= p->sess_flags;
	if ((p->sess_start & ~(p->aux_size - 1)) !=
	    ((p->sess_pos - (size ? 1 : 0)) & ~(p->aux_size - 1)))
		p->aux_wraps++;
	if ((size || flags) && !racy)
		aux_record(p, p->sess_start, size, flags);
	p->aux_head = p->sess_pos;
	__atomic_store_n(&p->pg->aux_head, p->aux_head, __ATOMIC_RELEASE);
	if ((size || flags) && racy) {
		p->deferred = true;
		p->def_start = p->sess_start;
		p->def_size = size;
		p->def_flags = flags;
		p->racy++;
	}
	p->in_session = false;
	if (flags & RING_AUX_TRUNCATED)
		p->enabled = false;	/* perf_event_disable_inatomic() */
}

static bool data_room_for_aux(struct prod *p)
{
	uint64_t tail = __atomic_load_n(&p->pg->data_tail, __ATOMIC_ACQUIRE);

	return !p->pending_lost &&
	       p->data_size - (p->data_head - tail) >= 32 + p->sid_size;
}

/* The SPE unit samples @n operations */
static void spe_sample(struct prod *p, unsigned int n)
{
	while (n--) {
		uint8_t buf[64];
		struct exp_rec e;
		size_t len, first, pad = chance(20) ? rnd_below(8) : 0;

		if (!p->enabled) {
			p->not_sampled++;
			continue;
		}
		if (!p->in_session && !session_begin(p)) {
			p->not_sampled++;
			continue;
		}
		memset(buf, 0, pad);
		len = enc_record(buf + pad, &e, &first);
		if ((int64_t)(p->sess_pos + pad + len - p->sess_limit) > 0) {
			uint64_t tail = __atomic_load_n(&p->pg->aux_tail, __ATOMIC_ACQUIRE);

			if (p->sess_limit - tail < p->aux_size) {
				/* buffer-full IRQ with room left: restart */
				session_end(p, 0);
				n++;
				continue;
			}
			/* the consumer is too slow: truncate, stop */
			session_end(p, RING_AUX_TRUNCATED);
			p->not_sampled++;
			continue;
		}
		if (chance(2) && data_room_for_aux(p)) {
			/* data lost: a cut record ends the session */
			size_t cut = first + 1 + rnd_below(len - first - 1);

			stream_put(p, p->sess_pos, buf, pad + cut);
			p->sess_pos += pad + cut;
			session_end(p, RING_AUX_TRUNCATED | RING_AUX_PARTIAL);
			continue;
		}
		e.off = p->sess_pos + pad;
		stream_put(p, p->sess_pos, buf, pad + len);
		p->sess_pos += pad + len;
		PUSH(p->recs, p->nrecs, p->recs_cap, e);
	}
}

/* ---- the consumer ------------------------------------------------------- */

struct cons {
	struct prod *p;
	struct ring_view *v;
	struct ring_drops drops;
	struct spe_decoder dec;
	uint64_t next_off;		/* next AUX byte expected */
	size_t rec_idx, ev_idx, gap_idx;
	uint64_t cut;			/* partial records at gaps */
	uint64_t late;
	unsigned int calls, reenables;
	int errors;
};

static void check_rec(struct cons *c, const struct spe_record *r)
{
	const struct exp_rec *e;

	if (c->rec_idx >= c->p->nrecs) {
		CHECK(!"decoded more records than written");
		c->errors++;
		return;
	}
	e = &c->p->recs[c->rec_idx++];
	if (r->offset != e->off || r->pc != e->pc || r->lat_total != e->lat ||
	    r->events != e->events || !(r->has & SPE_HAS_PC) ||
	    (r->flags & SPE_REC_UNTERMINATED) ||
	    (e->has_va && (!(r->has & SPE_HAS_VA) || r->va != e->va)) ||
	    (e->has_ts && (!(r->has & SPE_HAS_TS) || r->ts != e->ts))) {
		if (c->errors++ < 5)
			printf("  record %zu: off %" PRIu64 "/%" PRIu64 " pc %" PRIx64 "/%" PRIx64
			       " flags %x\n", c->rec_idx - 1, r->offset, e->off, r->pc, e->pc,
			       r->flags);
		CHECK(!"decoded record differs from the one encoded");
	}
}

static void c_aux(void *ctx, const uint8_t *buf, size_t len, uint64_t off)
{
	struct cons *c = ctx;
	const struct spe_record *r;
	uint64_t head = __atomic_load_n(&c->p->pg->aux_head, __ATOMIC_ACQUIRE);

	if (off != c->next_off || !len || (int64_t)(head - (off + len)) < 0 ||
	    memcmp(buf, c->p->stream + (off - c->p->aux_base), len)) {
		if (c->errors++ < 5)
			printf("  aux chunk at %" PRIu64 " (+%zu), expected %" PRIu64 ", head %" PRIu64 "\n",
			       off, len, c->next_off, head);
		CHECK(!"AUX bytes not delivered once, in order, as written");
	}
	c->next_off = off + len;
	spe_decoder_feed(&c->dec, buf, len);
	while ((r = spe_decoder_next(&c->dec)))
		check_rec(c, r);
}

static void c_gap(void *ctx, uint64_t off, uint64_t flags)
{
	struct cons *c = ctx;
	uint64_t dropped = c->dec.stats.records_dropped;

	if (flags & RING_GAP_LATE)
		c->late++;
	if (off != c->next_off || c->gap_idx >= c->p->ngaps ||
	    c->p->gaps[c->gap_idx] != off) {
		if (c->errors++ < 5)
			printf("  gap at %" PRIu64 " flags %" PRIx64 ", delivered to %" PRIu64 "\n",
			       off, flags, c->next_off);
		CHECK(!"gap not where the producer cut the stream");
	}
	c->gap_idx++;
	if (spe_decoder_finish(&c->dec))
		c->cut++;
	c->cut += c->dec.stats.records_dropped - dropped;
	spe_decoder_reset(&c->dec, off);
}

static void c_event(void *ctx, const struct ring_event *ev)
{
	struct cons *c = ctx;
	const struct exp_ev *e;
	bool ok;

	while (c->ev_idx < c->p->nevs && !c->p->evs[c->ev_idx].parsed)
		c->ev_idx++;
	if (c->ev_idx >= c->p->nevs) {
		CHECK(!"more records than written");
		c->errors++;
		return;
	}
	e = &c->p->evs[c->ev_idx++];
	ok = ev->rec_type == e->rec_type && ev->sid.has == e->sid.has &&
	     ev->sid.time == e->sid.time && ev->sid.pid == e->sid.pid &&
	     ev->sid.tid == e->sid.tid && ev->sid.cpu == e->sid.cpu &&
	     ev->sid.id == e->sid.id && ev->sid.stream_id == e->sid.stream_id;
	switch (e->rec_type) {
	case PERF_RECORD_AUX:
		ok = ok && ev->type == RING_EV_AUX && ev->aux.offset == e->a &&
		     ev->aux.size == e->b && ev->aux.flags == e->pid;
		break;
	case PERF_RECORD_LOST:
		ok = ok && ev->type == RING_EV_LOST && ev->lost.id == e->a &&
		     ev->lost.lost == e->b;
		break;
	case PERF_RECORD_LOST_SAMPLES:
		ok = ok && ev->type == RING_EV_LOST_SAMPLES && ev->lost_samples.lost == e->a;
		break;
	case PERF_RECORD_COMM:
		ok = ok && ev->type == RING_EV_COMM && ev->comm.pid == e->pid &&
		     ev->comm.tid == e->tid && ev->comm.exec == !!e->c &&
		     !strcmp(ev->comm.comm, e->str);
		break;
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
		ok = ok && ev->type == RING_EV_MMAP && ev->mmap.pid == e->pid &&
		     ev->mmap.start == e->a && ev->mmap.len == e->b &&
		     ev->mmap.mmap2 == (e->rec_type == PERF_RECORD_MMAP2) &&
		     (!ev->mmap.mmap2 || (ev->mmap.prot == 5 && ev->mmap.flags == 2)) &&
		     !strcmp(ev->mmap.filename, e->str);
		break;
	case PERF_RECORD_ITRACE_START:
		ok = ok && ev->type == RING_EV_ITRACE_START && ev->itrace.pid == e->pid &&
		     ev->itrace.tid == e->tid;
		break;
	case PERF_RECORD_SWITCH_CPU_WIDE:
		ok = ok && ev->type == RING_EV_SWITCH && ev->sw.cpu_wide &&
		     ev->sw.out == !!e->c && ev->sw.next_prev_pid == e->pid &&
		     ev->sw.next_prev_tid == e->tid;
		break;
	default:
		ok = false;
	}
	if (!ok) {
		if (c->errors++ < 5)
			printf("  event %zu: type %u, expected %u (seq %" PRIu64 ")\n",
			       c->ev_idx - 1, ev->rec_type, e->rec_type, e->sid.time);
		CHECK(!"data record differs from the one written");
	}
}

static const struct ring_ops cons_ops = {
	.aux = c_aux,
	.aux_gap = c_gap,
	.event = c_event,
};

/* One drain, and what spetop's live loop does after it */
static void consume(struct cons *c)
{
	struct prod *p = c->p;
	uint64_t trunc = c->drops.truncated, lost = c->drops.lost_events;
	int r = ring_consume(c->v, &cons_ops, c, &c->drops);

	c->calls++;
	CHECK(r >= 0);
	/* drained: tails at the heads, never past them */
	CHECK_EQ_U64(p->pg->data_tail, p->pg->data_head);
	CHECK_EQ_U64(p->pg->aux_tail, p->pg->aux_head);
	CHECK_EQ_U64(c->next_off, p->pg->aux_head);
	/*
	 * Re-enable after a truncation, after lost records (a TRUNCATED may
	 * be among them) or when the AUX area was full (the perf core stops
	 * the event without a record when a session cannot begin).
	 */
	if (!p->enabled && (c->drops.truncated != trunc || c->drops.lost_events != lost ||
			    c->v->last_aux_fill == p->aux_size)) {
		p->enabled = true;
		c->reenables++;
	}
}

struct sched {
	uint64_t data_size, aux_size;
	uint64_t sample_type;
	bool sid_all;
	unsigned int consumer_pct;	/* chance of a consumer call per step */
	unsigned int steps;
};

struct totals {
	uint64_t recs, bytes, truncated, partial, collision, lost, wraps, aux_wraps;
	uint64_t gaps, stops, reenables, late, racy;
};

static void run_schedule(uint64_t seed, const struct sched *s, struct totals *t)
{
	struct prod p;
	struct cons c;
	struct ring_view *v = calloc(1, sizeof(*v));
	unsigned int step;
	uint8_t flush[64] = { 0 };
	struct exp_ev fe;

	memset(&p, 0, sizeof(p));
	memset(&c, 0, sizeof(c));
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	p.pg = calloc(1, sizeof(*p.pg));
	p.data = malloc(s->data_size);
	p.aux = malloc(s->aux_size);
	p.data_size = s->data_size;
	p.aux_size = s->aux_size;
	p.sample_type = s->sample_type;
	p.sid_all = s->sid_all;
	ring_sid_fields(p.sample_type, p.sid_all, &p.sid_size);
	p.enabled = true;
	memset(p.data, 0xee, s->data_size);
	memset(p.aux, 0xee, s->aux_size);
	if (!v || !p.pg || !p.data || !p.aux) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	/* start near the u64 wrap sometimes: offsets are free-running */
	if (seed % 5 == 4) {
		p.data_head = 0 - s->data_size * 3 + 8 * rnd_below(8);
		p.pg->data_head = p.pg->data_tail = p.data_head;
		p.aux_base = 0 - s->aux_size * 5 + rnd_below(s->aux_size);
		p.aux_head = p.pg->aux_head = p.pg->aux_tail = p.aux_base;
	}
	CHECK_EQ_U64(ring_view_init(v, p.pg, p.data, p.data_size, p.aux, p.aux_size,
				    p.sample_type, p.sid_all), 0);
	c.p = &p;
	c.v = v;
	c.next_off = p.aux_base;
	spe_decoder_init(&c.dec);
	spe_decoder_reset(&c.dec, p.aux_base);

	for (step = 0; step < s->steps && c.errors < 5; step++) {
		unsigned int what = (unsigned int)rnd_below(100);

		if (chance(s->consumer_pct)) {
			consume(&c);
			continue;
		}
		flush_deferred(&p);
		if (what < 60) {
			spe_sample(&p, 1 + (unsigned int)rnd_below(6));
		} else if (what < 70) {
			if (p.in_session)
				session_end(&p, 0);	/* wakeup, sched out */
		} else if (what < 75) {
			if (p.in_session)
				p.sess_flags |= RING_AUX_COLLISION;
		} else {
			emit_sideband(&p);
			publish_data(&p);
		}
	}
	/* end: close the session, flush a pending LOST, drain */
	flush_deferred(&p);
	if (p.in_session)
		session_end(&p, 0);
	consume(&c);
	flush_deferred(&p);
	memset(&fe, 0, sizeof(fe));
	fe.rec_type = PERF_RECORD_ITRACE_START;
	fe.parsed = true;
	CHECK(emit(&p, flush, 16, &fe));
	publish_data(&p);
	consume(&c);
	CHECK_EQ_U64(ring_consume(v, &cons_ops, &c, &c.drops), 0);

	/* every byte once, every record once, every record decoded */
	CHECK_EQ_U64(c.next_off, p.aux_head);
	CHECK_EQ_U64(c.drops.aux_bytes, p.aux_head - p.aux_base);
	CHECK_EQ_U64(c.drops.aux_lost_bytes, 0);
	CHECK_EQ_U64(c.rec_idx, p.nrecs);
	while (c.ev_idx < p.nevs && !p.evs[c.ev_idx].parsed)
		c.ev_idx++;
	CHECK_EQ_U64(c.ev_idx, p.nevs);
	CHECK_EQ_U64(c.drops.records, p.nevs);
	/* every drop counted */
	CHECK_EQ_U64(c.drops.aux_records, p.aux_records);
	CHECK_EQ_U64(c.drops.truncated, p.truncated);
	CHECK_EQ_U64(c.drops.partial, p.partial);
	CHECK_EQ_U64(c.drops.collision, p.collision);
	CHECK_EQ_U64(c.drops.lost_events, p.dropped);
	CHECK_EQ_U64(c.drops.lost_samples, p.lost_samples);
	CHECK_EQ_U64(c.drops.unknown, p.unknown);
	CHECK_EQ_U64(c.drops.malformed, 0);
	CHECK_EQ_U64(c.drops.corrupt, 0);
	CHECK_EQ_U64(c.drops.gaps_dropped, 0);
	/* a gap for each TRUNCATED/PARTIAL record, each cut record accounted */
	CHECK_EQ_U64(c.gap_idx, p.ngaps);
	CHECK_EQ_U64(c.drops.gaps, p.ngaps);
	CHECK_EQ_U64(c.cut, p.partial);
	CHECK_EQ_U64(c.late, 0);
	if (c.errors)
		printf("  seed %" PRIu64 ": data %" PRIu64 " aux %" PRIu64 " consumer %u%%\n",
		       seed, s->data_size, s->aux_size, s->consumer_pct);

	t->recs += p.nrecs;
	t->bytes += p.aux_head - p.aux_base;
	t->truncated += p.truncated + p.truncated_unseen;
	t->partial += p.partial;
	t->collision += p.collision;
	t->lost += p.dropped;
	t->wraps += p.wraps;
	t->aux_wraps += p.aux_wraps;
	t->gaps += p.ngaps;
	t->stops += p.stops;
	t->reenables += c.reenables;
	t->late += c.late;
	t->racy += p.racy;

	free(p.stream);
	free(p.recs);
	free(p.evs);
	free(p.gaps);
	free(p.pg);
	free(p.data);
	free(p.aux);
	free(v);
}

static void test_random_schedules(void)
{
	static const uint64_t data_sizes[] = { 256, 512, 1024, 4096 };
	static const uint64_t aux_sizes[] = { 256, 512, 1024, 2048, 8192 };
	static const unsigned int cons_pct[] = { 3, 10, 30, 60 };
	struct totals t = { 0 };
	uint64_t seed;
	unsigned int nseeds = 400;

	for (seed = 1; seed <= nseeds; seed++) {
		struct sched s;

		rng_state = seed;
		s.data_size = data_sizes[rnd_below(4)];
		s.aux_size = aux_sizes[rnd_below(5)];
		s.consumer_pct = cons_pct[rnd_below(4)];
		s.steps = 3000;
		switch (seed % 4) {
		case 0:
			s.sample_type = 0;
			s.sid_all = false;
			break;
		case 1:
			s.sample_type = ST_MAIN | PERF_SAMPLE_ID | PERF_SAMPLE_STREAM_ID;
			s.sid_all = true;
			break;
		default:
			s.sample_type = ST_MAIN;
			s.sid_all = true;
		}
		run_schedule(seed, &s, &t);
	}
	printf("  %u schedules: %" PRIu64 " SPE records, %" PRIu64 " AUX bytes, "
	       "%" PRIu64 " truncated (%" PRIu64 " partial), %" PRIu64 " collisions, "
	       "%" PRIu64 " records lost, %" PRIu64 " gaps, %" PRIu64 " stops, "
	       "%" PRIu64 " re-enables, %" PRIu64 " data wraps, %" PRIu64 " AUX wraps, "
	       "%" PRIu64 " aux_head before its record\n",
	       nseeds, t.recs, t.bytes, t.truncated, t.partial, t.collision, t.lost,
	       t.gaps, t.stops, t.reenables, t.wraps, t.aux_wraps, t.racy);
	/* the schedules exercised what they are meant to */
	CHECK(t.truncated > 100 && t.partial > 100 && t.collision > 100);
	CHECK(t.lost > 100 && t.wraps > 1000 && t.aux_wraps > 1000 && t.stops > 0);
	CHECK(t.racy > 1000);
}

/* ---- hand-made rings ---------------------------------------------------- */

struct fixture {
	struct perf_event_mmap_page *pg;
	uint8_t *data, *aux;
	struct ring_view *v;
	uint64_t head;
	/* what the callbacks saw */
	struct ring_event evs[16];
	unsigned int nev;
	uint8_t auxbuf[4096];
	size_t auxlen;
	uint64_t aux_offs[8];
	size_t aux_lens[8];
	unsigned int nchunks;
	uint64_t gap_off[8], gap_flags[8];
	size_t gap_at[8];	/* auxlen when the gap came */
	unsigned int ngap;
	char strs[16][80];
};

static void f_event(void *ctx, const struct ring_event *ev)
{
	struct fixture *f = ctx;

	if (f->nev < 16) {
		const char *s = ev->type == RING_EV_COMM ? ev->comm.comm :
				ev->type == RING_EV_MMAP ? ev->mmap.filename : "";

		snprintf(f->strs[f->nev], sizeof(f->strs[0]), "%s", s);
		f->evs[f->nev++] = *ev;
	}
}

static void f_aux(void *ctx, const uint8_t *buf, size_t len, uint64_t off)
{
	struct fixture *f = ctx;

	if (f->nchunks < 8) {
		f->aux_offs[f->nchunks] = off;
		f->aux_lens[f->nchunks++] = len;
	}
	if (f->auxlen + len <= sizeof(f->auxbuf)) {
		memcpy(f->auxbuf + f->auxlen, buf, len);
		f->auxlen += len;
	}
}

static void f_gap(void *ctx, uint64_t off, uint64_t flags)
{
	struct fixture *f = ctx;

	if (f->ngap < 8) {
		f->gap_off[f->ngap] = off;
		f->gap_flags[f->ngap] = flags;
		f->gap_at[f->ngap++] = f->auxlen;
	}
}

static const struct ring_ops f_ops = { .aux = f_aux, .aux_gap = f_gap, .event = f_event };

static struct fixture *fx_new(uint64_t data_size, uint64_t aux_size,
			      uint64_t sample_type, bool sid_all)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->pg = calloc(1, sizeof(*f->pg));
	f->data = calloc(1, data_size);
	f->aux = aux_size ? calloc(1, aux_size) : NULL;
	f->v = calloc(1, sizeof(*f->v));
	CHECK_EQ_U64(ring_view_init(f->v, f->pg, f->data, data_size, f->aux, aux_size,
				    sample_type, sid_all), 0);
	return f;
}

static void fx_free(struct fixture *f)
{
	free(f->pg);
	free(f->data);
	free(f->aux);
	free(f->v);
	free(f);
}

static void fx_clear(struct fixture *f)
{
	f->nev = 0;
	f->auxlen = 0;
	f->nchunks = 0;
	f->ngap = 0;
}

/* Write raw bytes at the producer head (wrapping) */
static void fx_put(struct fixture *f, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	size_t i;

	for (i = 0; i < len; i++)
		f->data[(f->head + i) & (f->v->data_size - 1)] = b[i];
	f->head += len;
}

static void fx_publish(struct fixture *f)
{
	f->pg->data_head = f->head;
}

/* A record: header, @body, and a trailer of @sid_size zero bytes */
static void fx_rec(struct fixture *f, uint32_t type, uint16_t misc,
		   const void *body, size_t blen, size_t sid_size)
{
	uint8_t buf[512] = { 0 };
	size_t size = 8 + blen + sid_size;

	put_hdr(buf, type, misc, (uint16_t)size);
	memcpy(buf + 8, body, blen);
	fx_put(f, buf, size);
}

static void fx_aux_rec(struct fixture *f, uint64_t off, uint64_t size, uint64_t flags)
{
	uint64_t b[3] = { off, size, flags };

	fx_rec(f, PERF_RECORD_AUX, 0, b, sizeof(b), 0);
}

static void test_init_checks(void)
{
	struct ring_view *v = calloc(1, sizeof(*v));
	struct perf_event_mmap_page pg = { 0 };
	uint8_t data[64] = { 0 }, aux[64] = { 0 };

	CHECK_EQ_U64(ring_view_init(v, &pg, data, 64, aux, 64, 0, false), 0);
	CHECK(ring_view_init(v, &pg, data, 48, aux, 64, 0, false) == RING_ERR_INVAL);
	CHECK(ring_view_init(v, &pg, data, 64, aux, 48, 0, false) == RING_ERR_INVAL);
	CHECK(ring_view_init(v, &pg, data, 4, NULL, 0, 0, false) == RING_ERR_INVAL);
	CHECK(ring_view_init(v, &pg, data, 64, NULL, 64, 0, false) == RING_ERR_INVAL);
	CHECK(ring_view_init(v, &pg, data, 64, aux, 0, 0, false) == RING_ERR_INVAL);
	CHECK(ring_view_init(v, NULL, data, 64, aux, 64, 0, false) == RING_ERR_INVAL);
	CHECK_EQ_U64(ring_view_init(v, &pg, data, 64, NULL, 0, 0, false), 0);
	/* an empty ring: nothing, no callback */
	CHECK_EQ_U64(ring_consume(v, NULL, NULL, NULL), 0);
	free(v);
}

/* Each record type parsed, with the trailer in every field order */
static void test_parse_types(void)
{
	uint8_t rec[256];
	struct ring_event ev;
	uint64_t st = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ID |
		      PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU | PERF_SAMPLE_IDENTIFIER;
	uint32_t sz;
	uint64_t u;
	uint32_t w;

	CHECK_EQ_U64(ring_sid_fields(st, true, &sz), 0x3f);
	CHECK_EQ_U64(sz, 48);
	CHECK_EQ_U64(ring_sid_fields(st, false, &sz), 0);
	CHECK_EQ_U64(sz, 0);
	CHECK_EQ_U64(ring_sid_fields(PERF_SAMPLE_CPU | PERF_SAMPLE_IP, true, &sz), RING_SID_CPU);
	CHECK_EQ_U64(sz, 8);

	/* AUX with the full trailer: pid tid | time | id | stream | cpu res | ident */
	memset(rec, 0, sizeof(rec));
	put_hdr(rec, PERF_RECORD_AUX, 0, 8 + 24 + 48);
	u = 0x1000; memcpy(rec + 8, &u, 8);
	u = 0x230; memcpy(rec + 16, &u, 8);
	u = RING_AUX_TRUNCATED | RING_AUX_COLLISION; memcpy(rec + 24, &u, 8);
	w = 11; memcpy(rec + 32, &w, 4);
	w = 12; memcpy(rec + 36, &w, 4);
	u = 123456789; memcpy(rec + 40, &u, 8);
	u = 77; memcpy(rec + 48, &u, 8);
	u = 88; memcpy(rec + 56, &u, 8);
	w = 5; memcpy(rec + 64, &w, 4);
	u = 77; memcpy(rec + 72, &u, 8);
	CHECK_EQ_U64(ring_parse_record(rec, 80, st, true, &ev), 1);
	CHECK_EQ_U64(ev.type, RING_EV_AUX);
	CHECK_EQ_U64(ev.aux.offset, 0x1000);
	CHECK_EQ_U64(ev.aux.size, 0x230);
	CHECK_EQ_U64(ev.aux.flags, 9);
	CHECK_EQ_U64(ev.sid.pid, 11);
	CHECK_EQ_U64(ev.sid.tid, 12);
	CHECK_EQ_U64(ev.sid.time, 123456789);
	CHECK_EQ_U64(ev.sid.id, 77);
	CHECK_EQ_U64(ev.sid.stream_id, 88);
	CHECK_EQ_U64(ev.sid.cpu, 5);
	/* too short for the trailer, or for the body: malformed */
	CHECK_EQ_U64(ring_parse_record(rec, 40, st, true, &ev), (uint64_t)-1);
	put_hdr(rec, PERF_RECORD_AUX, 0, 8 + 16);
	CHECK_EQ_U64(ring_parse_record(rec, 24, 0, false, &ev), (uint64_t)-1);

	/* LOST, LOST_SAMPLES, ITRACE_START: no trailer */
	memset(rec, 0, sizeof(rec));
	put_hdr(rec, PERF_RECORD_LOST, 0, 24);
	u = 4; memcpy(rec + 8, &u, 8);
	u = 99; memcpy(rec + 16, &u, 8);
	CHECK_EQ_U64(ring_parse_record(rec, 24, st, false, &ev), 1);
	CHECK_EQ_U64(ev.type, RING_EV_LOST);
	CHECK_EQ_U64(ev.lost.id, 4);
	CHECK_EQ_U64(ev.lost.lost, 99);
	CHECK_EQ_U64(ev.sid.has, 0);
	put_hdr(rec, PERF_RECORD_LOST_SAMPLES, 0, 16);
	CHECK_EQ_U64(ring_parse_record(rec, 16, 0, false, &ev), 1);
	CHECK_EQ_U64(ev.type, RING_EV_LOST_SAMPLES);
	CHECK_EQ_U64(ev.lost_samples.lost, 4);
	put_hdr(rec, PERF_RECORD_ITRACE_START, 0, 16);
	w = 42; memcpy(rec + 8, &w, 4);
	w = 43; memcpy(rec + 12, &w, 4);
	CHECK_EQ_U64(ring_parse_record(rec, 16, 0, false, &ev), 1);
	CHECK_EQ_U64(ev.type, RING_EV_ITRACE_START);
	CHECK_EQ_U64(ev.itrace.pid, 42);
	CHECK_EQ_U64(ev.itrace.tid, 43);

	/* COMM with exec, then TID|CPU trailer after the padded string */
	memset(rec, 0, sizeof(rec));
	put_hdr(rec, PERF_RECORD_COMM, PERF_RECORD_MISC_COMM_EXEC, 8 + 8 + 8 + 16);
	w = 7; memcpy(rec + 8, &w, 4);
	memcpy(rec + 16, "bash", 5);
	w = 7; memcpy(rec + 24, &w, 4);
	w = 2; memcpy(rec + 32, &w, 4);
	CHECK_EQ_U64(ring_parse_record(rec, 40, PERF_SAMPLE_TID | PERF_SAMPLE_CPU, true, &ev), 1);
	CHECK_EQ_U64(ev.type, RING_EV_COMM);
	CHECK(ev.comm.exec);
	CHECK_STR(ev.comm.comm, "bash");
	CHECK_EQ_U64(ev.sid.cpu, 2);
	/* no NUL before the trailer: malformed, never read past it */
	memcpy(rec + 16, "abcdefgh", 8);
	CHECK_EQ_U64(ring_parse_record(rec, 40, PERF_SAMPLE_TID | PERF_SAMPLE_CPU, true, &ev),
		     (uint64_t)-1);

	/* MMAP and MMAP2 (inode and build-id forms) */
	memset(rec, 0, sizeof(rec));
	put_hdr(rec, PERF_RECORD_MMAP, 0, 8 + 32 + 16);
	u = 0x400000; memcpy(rec + 16, &u, 8);
	u = 0x1000; memcpy(rec + 24, &u, 8);
	u = 0x2000; memcpy(rec + 32, &u, 8);
	memcpy(rec + 40, "/bin/true", 10);
	CHECK_EQ_U64(ring_parse_record(rec, 56, 0, false, &ev), 1);
	CHECK_EQ_U64(ev.type, RING_EV_MMAP);
	CHECK(!ev.mmap.mmap2);
	CHECK_EQ_U64(ev.mmap.start, 0x400000);
	CHECK_EQ_U64(ev.mmap.pgoff, 0x2000);
	CHECK_STR(ev.mmap.filename, "/bin/true");
	memset(rec, 0, sizeof(rec));
	put_hdr(rec, PERF_RECORD_MMAP2, 0, 8 + 64 + 8);
	u = 0x7f0000; memcpy(rec + 16, &u, 8);
	w = 8; memcpy(rec + 40, &w, 4);
	w = 1; memcpy(rec + 44, &w, 4);
	u = 1234; memcpy(rec + 48, &u, 8);
	w = 5; memcpy(rec + 64, &w, 4);
	w = 2; memcpy(rec + 68, &w, 4);
	memcpy(rec + 72, "/x", 3);
	CHECK_EQ_U64(ring_parse_record(rec, 80, 0, false, &ev), 1);
	CHECK(ev.mmap.mmap2 && !ev.mmap.has_build_id);
	CHECK_EQ_U64(ev.mmap.maj, 8);
	CHECK_EQ_U64(ev.mmap.min, 1);
	CHECK_EQ_U64(ev.mmap.ino, 1234);
	CHECK_EQ_U64(ev.mmap.prot, 5);
	CHECK_EQ_U64(ev.mmap.flags, 2);
	CHECK_STR(ev.mmap.filename, "/x");
	put_hdr(rec, PERF_RECORD_MMAP2, PERF_RECORD_MISC_MMAP_BUILD_ID, 8 + 64 + 8);
	rec[40] = 20;
	rec[44] = 0xbe;
	CHECK_EQ_U64(ring_parse_record(rec, 80, 0, false, &ev), 1);
	CHECK(ev.mmap.has_build_id);
	CHECK_EQ_U64(ev.mmap.build_id_size, 20);
	CHECK_EQ_U64(ev.mmap.build_id[0], 0xbe);

	/* SWITCH and SWITCH_CPU_WIDE */
	memset(rec, 0, sizeof(rec));
	put_hdr(rec, PERF_RECORD_SWITCH_CPU_WIDE,
		PERF_RECORD_MISC_SWITCH_OUT | PERF_RECORD_MISC_SWITCH_OUT_PREEMPT, 16);
	w = 300; memcpy(rec + 8, &w, 4);
	w = 301; memcpy(rec + 12, &w, 4);
	CHECK_EQ_U64(ring_parse_record(rec, 16, 0, false, &ev), 1);
	CHECK(ev.type == RING_EV_SWITCH && ev.sw.cpu_wide && ev.sw.out && ev.sw.preempt);
	CHECK_EQ_U64(ev.sw.next_prev_pid, 300);
	CHECK_EQ_U64(ev.sw.next_prev_tid, 301);
	put_hdr(rec, PERF_RECORD_SWITCH, 0, 8);
	CHECK_EQ_U64(ring_parse_record(rec, 8, 0, false, &ev), 1);
	CHECK(ev.type == RING_EV_SWITCH && !ev.sw.cpu_wide && !ev.sw.out);

	/* unknown: skipped; names */
	put_hdr(rec, PERF_RECORD_SAMPLE, 0, 16);
	CHECK_EQ_U64(ring_parse_record(rec, 16, 0, false, &ev), 0);
	CHECK_STR(ring_ev_name(RING_EV_AUX), "AUX");
	CHECK_STR(ring_ev_name(99), "?");
}

/* A record across the data ring's end (the header too) arrives whole */
static void test_wrap_record(void)
{
	struct fixture *f = fx_new(64, 0, PERF_SAMPLE_TID, true);
	char name[] = "a-long-process-name";	/* 20 bytes with the NUL */
	uint8_t body[8 + 24] = { 0 };
	uint32_t pid = 9;
	int r;

	memcpy(body, &pid, 4);
	memcpy(body + 8, name, sizeof(name));
	/* start at 60: the header itself straddles the end (unaligned) */
	f->head = f->pg->data_tail = f->pg->data_head = 60;
	fx_rec(f, PERF_RECORD_COMM, 0, body, sizeof(body), 8);
	fx_publish(f);
	r = ring_consume(f->v, &f_ops, f, NULL);
	CHECK_EQ_U64(r, 1);
	CHECK_EQ_U64(f->nev, 1);
	CHECK_EQ_U64(f->evs[0].comm.pid, 9);
	CHECK_STR(f->strs[0], name);
	CHECK_EQ_U64(f->evs[0].pos, 60);
	CHECK_EQ_U64(f->pg->data_tail, 60 + 48);
	/* a second across the end again (108..156: 44..63, 0..27) */
	fx_clear(f);
	fx_rec(f, PERF_RECORD_COMM, 0, body, sizeof(body), 8);
	fx_publish(f);
	CHECK_EQ_U64(ring_consume(f->v, &f_ops, f, NULL), 1);
	CHECK_STR(f->strs[0], name);
	fx_free(f);
}

/* AUX bytes across the area's end: two chunks, stream offsets */
static void test_aux_wrap(void)
{
	struct fixture *f = fx_new(256, 64, 0, false);
	uint8_t want[48];
	unsigned int i;

	for (i = 0; i < 48; i++) {
		want[i] = (uint8_t)(i + 1);
		f->aux[(40 + i) & 63] = want[i];
	}
	f->pg->aux_tail = 64 * 5 + 40;
	f->pg->aux_head = 64 * 5 + 40 + 48;
	CHECK_EQ_U64(ring_consume(f->v, &f_ops, f, NULL), 2);
	CHECK_EQ_U64(f->nchunks, 2);
	CHECK_EQ_U64(f->aux_offs[0], 64 * 5 + 40);
	CHECK_EQ_U64(f->aux_lens[0], 24);
	CHECK_EQ_U64(f->aux_offs[1], 64 * 6);
	CHECK_EQ_U64(f->aux_lens[1], 24);
	CHECK(f->auxlen == 48 && !memcmp(f->auxbuf, want, 48));
	CHECK_EQ_U64(f->pg->aux_tail, 64 * 5 + 88);
	CHECK_EQ_U64(f->v->last_aux_fill, 48);
	/* the full area: 64 bytes, one lap */
	fx_clear(f);
	f->pg->aux_head += 64;
	CHECK_EQ_U64(ring_consume(f->v, &f_ops, f, NULL), 2);
	CHECK_EQ_U64(f->auxlen, 64);
	CHECK_EQ_U64(f->v->last_aux_fill, 64);
	fx_free(f);
}

/* Gaps land exactly between the bytes before and after */
static void test_gap_placement(void)
{
	struct fixture *f = fx_new(256, 256, 0, false);
	struct ring_drops d = { 0 };

	/* session 1: [0, 100) TRUNCATED; session 2 (after re-enable): [100, 150) */
	fx_aux_rec(f, 0, 100, RING_AUX_TRUNCATED);
	fx_aux_rec(f, 100, 50, RING_AUX_COLLISION);
	fx_publish(f);
	f->pg->aux_head = 150;
	CHECK_EQ_U64(ring_consume(f->v, &f_ops, f, &d), 2 + 2);
	CHECK_EQ_U64(f->ngap, 1);
	CHECK_EQ_U64(f->gap_off[0], 100);
	CHECK_EQ_U64(f->gap_flags[0], RING_AUX_TRUNCATED);
	CHECK_EQ_U64(f->gap_at[0], 100);
	CHECK_EQ_U64(d.truncated, 1);
	CHECK_EQ_U64(d.collision, 1);
	CHECK_EQ_U64(d.gaps, 1);

	/* a record seen before its bytes: the gap waits for them */
	fx_clear(f);
	fx_aux_rec(f, 150, 30, RING_AUX_TRUNCATED | RING_AUX_PARTIAL);
	fx_publish(f);
	f->pg->aux_head = 170;	/* 20 of the 30 bytes visible so far */
	ring_consume(f->v, &f_ops, f, &d);
	CHECK_EQ_U64(f->ngap, 0);
	CHECK_EQ_U64(f->auxlen, 20);
	f->pg->aux_head = 200;	/* the rest, and the next session's */
	ring_consume(f->v, &f_ops, f, &d);
	CHECK_EQ_U64(f->ngap, 1);
	CHECK_EQ_U64(f->gap_off[0], 180);
	CHECK_EQ_U64(f->gap_at[0], 30);
	CHECK_EQ_U64(f->gap_flags[0], RING_AUX_TRUNCATED | RING_AUX_PARTIAL);
	CHECK_EQ_U64(d.partial, 1);

	/* a truncated empty session: gap at its offset, reported at once */
	fx_clear(f);
	fx_aux_rec(f, 200, 0, RING_AUX_TRUNCATED);
	fx_publish(f);
	ring_consume(f->v, &f_ops, f, &d);
	CHECK_EQ_U64(f->ngap, 1);
	CHECK_EQ_U64(f->gap_off[0], 200);
	CHECK_EQ_U64(f->gap_flags[0] & RING_GAP_LATE, 0);

	/* bytes published before the record: the gap comes late, flagged */
	fx_clear(f);
	f->pg->aux_head = 260;
	ring_consume(f->v, &f_ops, f, &d);
	fx_aux_rec(f, 200, 40, RING_AUX_TRUNCATED);
	fx_publish(f);
	ring_consume(f->v, &f_ops, f, &d);
	CHECK_EQ_U64(f->ngap, 1);
	CHECK_EQ_U64(f->gap_off[0], 240);
	CHECK(f->gap_flags[0] & RING_GAP_LATE);
	fx_free(f);
}

/* Zero size, size below a header, size beyond the ring or the head */
static void test_corrupt_data(void)
{
	static const uint16_t sizes[] = { 0, 4, 7, 0xffff, 72 };
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct fixture *f = fx_new(64, 64, 0, false);
		struct ring_drops d = { 0 };
		uint8_t hdr[8];
		uint64_t lost[2] = { 1, 5 };

		/* a good record, the bad one, and AUX bytes */
		fx_rec(f, PERF_RECORD_LOST, 0, lost, sizeof(lost), 0);
		put_hdr(hdr, PERF_RECORD_COMM, 0, sizes[i]);
		fx_put(f, hdr, 8);
		f->head += 8;
		fx_publish(f);
		f->pg->aux_head = 10;
		CHECK(ring_consume(f->v, &f_ops, f, &d) == RING_ERR_CORRUPT);
		CHECK_EQ_U64(f->nev, 1);		/* the good one came first */
		CHECK_EQ_U64(d.lost_events, 5);
		CHECK_EQ_U64(d.corrupt, 1);
		CHECK_EQ_U64(f->pg->data_tail, f->head);	/* reset rule */
		CHECK_EQ_U64(f->auxlen, 10);		/* AUX still drained */
		/* framing is sound again from the head */
		fx_clear(f);
		fx_rec(f, PERF_RECORD_LOST, 0, lost, sizeof(lost), 0);
		fx_publish(f);
		CHECK_EQ_U64(ring_consume(f->v, &f_ops, f, &d), 1);
		CHECK_EQ_U64(f->nev, 1);
		CHECK_EQ_U64(d.lost_events, 10);
		fx_free(f);
	}
}

/* Heads that cannot be: too far ahead, behind the tail */
static void test_corrupt_heads(void)
{
	struct fixture *f = fx_new(64, 64, 0, false);
	struct ring_drops d = { 0 };
	unsigned int i;

	f->pg->data_head = 65;
	CHECK(ring_consume(f->v, &f_ops, f, &d) == RING_ERR_CORRUPT);
	CHECK_EQ_U64(f->pg->data_tail, 65);
	CHECK_EQ_U64(f->nev, 0);
	f->pg->data_head = 8;	/* behind the tail */
	CHECK(ring_consume(f->v, &f_ops, f, &d) == RING_ERR_CORRUPT);
	CHECK_EQ_U64(f->pg->data_tail, 8);
	/* fewer bytes than a header */
	f->pg->data_head = 12;
	CHECK(ring_consume(f->v, &f_ops, f, &d) == RING_ERR_CORRUPT);
	CHECK_EQ_U64(f->pg->data_tail, 12);
	CHECK_EQ_U64(d.corrupt, 3);

	/* aux_head behind aux_tail: reset, a gap, nothing delivered */
	f->pg->data_head = f->pg->data_tail;
	f->pg->aux_tail = 100;
	f->pg->aux_head = 90;
	fx_clear(f);
	CHECK(ring_consume(f->v, &f_ops, f, &d) == RING_ERR_CORRUPT);
	CHECK_EQ_U64(f->pg->aux_tail, 90);
	CHECK_EQ_U64(f->auxlen, 0);
	CHECK_EQ_U64(f->ngap, 1);
	CHECK_EQ_U64(f->gap_flags[0], RING_GAP_RESET);

	/* aux_head more than a lap ahead: the oldest bytes counted as never seen */
	for (i = 0; i < 64; i++)
		f->aux[i] = (uint8_t)i;
	fx_clear(f);
	f->pg->aux_head = 90 + 64 + 30;
	CHECK_EQ_U64(ring_consume(f->v, &f_ops, f, &d), 2);
	CHECK_EQ_U64(d.aux_lost_bytes, 30);
	CHECK_EQ_U64(f->auxlen, 64);
	CHECK_EQ_U64(f->aux_offs[0], 120);
	CHECK_EQ_U64(f->ngap, 1);
	CHECK_EQ_U64(f->gap_off[0], 120);
	CHECK_EQ_U64(f->gap_flags[0], RING_GAP_OVERRUN);
	CHECK_EQ_U64(f->pg->aux_tail, 184);
	fx_free(f);
}

/* Too short for its type: skipped and counted; unknown: skipped */
static void test_malformed_unknown(void)
{
	struct fixture *f = fx_new(256, 0, PERF_SAMPLE_TID | PERF_SAMPLE_TIME, true);
	struct ring_drops d = { 0 };
	uint64_t b[4] = { 0, 0, 0, 0 };

	fx_rec(f, PERF_RECORD_AUX, 0, b, 8, 16);	/* body 8 < 24 */
	fx_rec(f, 0x4242, 0, b, 24, 0);			/* unknown */
	fx_rec(f, PERF_RECORD_ITRACE_START, 0, b, 8, 16);
	fx_rec(f, PERF_RECORD_SAMPLE, 0, b, 32, 0);	/* not parsed */
	fx_publish(f);
	CHECK_EQ_U64(ring_consume(f->v, &f_ops, f, &d), 4);
	CHECK_EQ_U64(f->nev, 1);
	CHECK_EQ_U64(f->evs[0].type, RING_EV_ITRACE_START);
	CHECK_EQ_U64(d.malformed, 1);
	CHECK_EQ_U64(d.unknown, 2);
	CHECK_EQ_U64(d.records, 4);
	CHECK_EQ_U64(d.aux_records, 0);
	CHECK_EQ_U64(d.corrupt, 0);
	CHECK_EQ_U64(f->pg->data_tail, f->head);
	fx_free(f);
}

/* Consuming with no callbacks still releases and counts */
static void test_null_ops(void)
{
	struct fixture *f = fx_new(256, 256, 0, false);
	struct ring_drops d = { 0 };

	fx_aux_rec(f, 0, 64, RING_AUX_TRUNCATED);
	fx_publish(f);
	f->pg->aux_head = 64;
	CHECK_EQ_U64(ring_consume(f->v, NULL, NULL, &d), 2);
	CHECK_EQ_U64(d.aux_bytes, 64);
	CHECK_EQ_U64(d.gaps, 1);
	CHECK_EQ_U64(f->pg->aux_tail, 64);
	CHECK_EQ_U64(f->pg->data_tail, f->head);
	fx_free(f);
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "test_ring: timed out (a consumer loop did not end)\n";

	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

int main(void)
{
	/* a hang is a failure, not a stuck suite */
	signal(SIGALRM, on_alarm);
	alarm(600);

	RUN_TEST(test_init_checks);
	RUN_TEST(test_parse_types);
	RUN_TEST(test_wrap_record);
	RUN_TEST(test_aux_wrap);
	RUN_TEST(test_gap_placement);
	RUN_TEST(test_corrupt_data);
	RUN_TEST(test_corrupt_heads);
	RUN_TEST(test_malformed_unknown);
	RUN_TEST(test_null_ops);
	RUN_TEST(test_random_schedules);
	CHECK_DONE();
}
