// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pipeline: SPE bytes -> records -> keys -> the aggregation table.
 * One decoder per AUX queue, because a queue is one CPU's (or one
 * thread's) stream and records never span queues.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pipe.h"
#include "sym.h"

int pipe_init(struct pipe *p, enum st_group group, struct sym_ctx *sym,
	      size_t max_rows, size_t max_bytes)
{
	memset(p, 0, sizeof(*p));
	p->agg = agg_new(max_rows, max_bytes);
	if (!p->agg)
		return -ENOMEM;
	p->group = group;
	p->sym = sym;
	p->ts_next = UINT64_MAX;
	return 0;
}

void pipe_free(struct pipe *p)
{
	for (unsigned int i = 0; i < PIPE_MAX_QUEUES; i++)
		free(p->q[i]);
	agg_free(p->agg);
	memset(p, 0, sizeof(*p));
}

static struct pipe_queue *queue(struct pipe *p, unsigned int idx)
{
	struct pipe_queue *q;

	if (idx >= PIPE_MAX_QUEUES)
		return NULL;
	q = p->q[idx];
	if (!q) {
		q = calloc(1, sizeof(*q));
		if (!q)
			return NULL;
		spe_decoder_init(&q->dec);
		q->cpu = -1;
		q->fam = p->default_fam;
		q->remote_mask = spe_dsrc_remote_mask(q->fam);
		p->q[idx] = q;
	}
	return q;
}

void pipe_set_queue(struct pipe *p, unsigned int idx, int cpu, enum spe_dsrc_family fam)
{
	struct pipe_queue *q = queue(p, idx);

	if (q) {
		q->cpu = cpu;
		q->fam = fam;
		q->remote_mask = spe_dsrc_remote_mask(fam);
	}
}

/* Records with no PC (or no context) share one key per grouping */
#define KEY_NONE	UINT64_MAX

/* The record's pid: the Context packet, if it has one */
static uint32_t rec_pid(const struct spe_record *r)
{
	return r->has & SPE_HAS_CTX ? r->ctx : UINT32_MAX;
}

static uint64_t rec_pc(const struct spe_record *r)
{
	return spe_pc_canonical(r->pc, r->pc_attr.el);
}

/* A symbol or DSO id as a key */
static inline uint64_t id_key(uint32_t id)
{
	return id == SYM_ID_NONE ? KEY_NONE : id;
}

/*
 * The key of a record that is counted at once: each grouping computes
 * only what its key needs.  Written as two scalars: returned as a
 * struct, GCC stores it and reloads it as one 16-byte value, a store
 * forwarding stall per record.
 */
static inline __attribute__((always_inline)) void key_of(struct pipe *p, const struct spe_record *r,
							 enum spe_dsrc_family fam, uint64_t *ka,
							 uint64_t *kb)
{
	bool kernel = r->pc_attr.el >= 1;
	uint64_t a = 0, b = 0;

	switch (p->group) {
	case ST_G_SYMBOL:
		/* a PC to look up waits in the batch (count()): here are
		 * the records with none, or with no symbol tables */
		a = KEY_NONE;
		break;
	case ST_G_DSO:
		if (!(r->has & SPE_HAS_PC) || !p->sym)
			a = KEY_NONE;
		else
			a = id_key(sym_resolve_dso(p->sym, rec_pid(r), rec_pc(r), kernel));
		break;
	case ST_G_PC:
		/* user PCs mean different code in different processes */
		a = r->has & SPE_HAS_PC ? rec_pc(r) : KEY_NONE;
		b = kernel ? 0 : (uint64_t)rec_pid(r) + 1;
		break;
	case ST_G_PID:
		a = r->has & SPE_HAS_CTX ? r->ctx : KEY_NONE;
		break;
	case ST_G_DSRC:
		a = r->has & SPE_HAS_DSRC ? r->dsrc : KEY_NONE;
		b = fam;
		break;
	case ST_G_OP:
		/* the class, as spedump --stats and perf's data_src OP count */
		a = r->op_class;
		break;
	default:
		break;
	}
	*ka = a;
	*kb = b;
}

/*
 * The batch's keys that need the symbol tables, then the batch into the
 * table.  Kept apart from decoding so that each loop stays small and the
 * lookups of consecutive records (chains of dependent loads) overlap.
 */
static void drain(struct pipe *p)
{
	if (p->nreq) {
		sym_resolve_many(p->sym, p->req, p->nreq);
		for (uint32_t i = 0; i < p->nreq; i++)
			p->item[p->req_item[i]].ka = id_key(p->req[i].id);
	}
	agg_add_many(p->agg, p->item, p->nitem);
	p->nitem = p->nreq = 0;
}

static inline __attribute__((always_inline)) void count(struct pipe *p, const struct spe_record *r,
						      const struct pipe_queue *q)
{
	struct agg_item *it;
	bool remote = !!(r->has & SPE_HAS_DSRC) & spe_dsrc_mask_remote(q->remote_mask, r->dsrc);

	if (r->has & SPE_HAS_TS) {
		if (r->ts >= p->ts_next && p->boundary) {
			/* the interval ends before this record: the batch
			 * belongs to it (and the grouping may change) */
			drain(p);
			p->boundary(p->boundary_ctx, r);
		}
		if (!p->ts_first)
			p->ts_first = r->ts;
		if (r->ts > p->ts_last)
			p->ts_last = r->ts;
	}
	p->records_cum++;
	it = &p->item[p->nitem];
	agg_item_from_record(it, r, remote);
	if (p->group == ST_G_SYMBOL && (r->has & SPE_HAS_PC) && p->sym) {
		struct sym_req *rq = &p->req[p->nreq];

		rq->pc = rec_pc(r);
		rq->kernel = r->pc_attr.el >= 1;
		rq->pid = rec_pid(r);
		p->req_item[p->nreq++] = (uint8_t)p->nitem;
		it->kb = 0;
	} else {
		key_of(p, r, q->fam, &it->ka, &it->kb);
		if (!p->nitem) {
			/* no key to look up before it: nothing to wait for */
			agg_add_many(p->agg, it, 1);
			return;
		}
	}
	if (++p->nitem == PIPE_BATCH)
		drain(p);
}

/* Decoder damage counted since the last look, into the drop counters */
static void take_decoder_stats(struct pipe *p, const struct spe_stats *st_before,
			       const struct spe_stats *st_after)
{
	uint64_t bad = st_after->bad_bytes - st_before->bad_bytes;
	uint64_t dropped = st_after->records_dropped - st_before->records_dropped;

	p->drops_cur.bad_bytes += bad;
	p->drops_cur.records_dropped += dropped;
}

int pipe_aux(struct pipe *p, unsigned int idx, const uint8_t *buf, size_t len)
{
	struct pipe_queue *q = queue(p, idx);
	const struct spe_record *r;
	struct spe_stats before;

	if (!q)
		return -1;
	q->used = true;
	before = q->dec.stats;
	spe_decoder_feed(&q->dec, buf, len);
	while ((r = spe_decoder_next(&q->dec)))
		count(p, r, q);
	drain(p);
	take_decoder_stats(p, &before, &q->dec.stats);
	p->bytes_cur += len;
	return 0;
}

void pipe_aux_gap(struct pipe *p, unsigned int idx)
{
	struct pipe_queue *q = queue(p, idx);
	struct spe_stats before;

	if (!q)
		return;
	before = q->dec.stats;
	/* a record cut by the gap is lost, not glued to the next bytes */
	spe_decoder_reset(&q->dec, q->dec.stream_off);
	take_decoder_stats(p, &before, &q->dec.stats);
	p->drops_cur.gaps++;
}

void pipe_aux_flags(struct pipe *p, uint64_t flags)
{
	p->drops_cur.aux_records++;
	p->drops_cur.truncated += !!(flags & 0x1);
	p->drops_cur.partial += !!(flags & 0x4);
	p->drops_cur.collision += !!(flags & 0x8);
}

void pipe_lost(struct pipe *p, uint64_t lost)
{
	p->drops_cur.lost += lost;
}

void pipe_lost_samples(struct pipe *p, uint64_t lost)
{
	p->drops_cur.lost_samples += lost;
}

void pipe_finish(struct pipe *p)
{
	for (unsigned int i = 0; i < PIPE_MAX_QUEUES; i++) {
		struct pipe_queue *q = p->q[i];
		const struct spe_record *r;
		struct spe_stats before;

		if (!q || !q->used)
			continue;
		before = q->dec.stats;
		r = spe_decoder_finish(&q->dec);
		if (r)
			count(p, r, q);
		drain(p);
		take_decoder_stats(p, &before, &q->dec.stats);
	}
}

static void drops_add(struct pipe_drops *d, const struct pipe_drops *s)
{
	d->aux_records += s->aux_records;
	d->truncated += s->truncated;
	d->collision += s->collision;
	d->partial += s->partial;
	d->lost += s->lost;
	d->lost_samples += s->lost_samples;
	d->gaps += s->gaps;
	d->bad_bytes += s->bad_bytes;
	d->records_dropped += s->records_dropped;
}

void pipe_end_interval(struct pipe *p)
{
	agg_end_interval(p->agg);
	drops_add(&p->drops_cum, &p->drops_cur);
	p->drops_last = p->drops_cur;
	memset(&p->drops_cur, 0, sizeof(p->drops_cur));
	p->bytes_cum += p->bytes_cur;
	p->bytes_last = p->bytes_cur;
	p->bytes_cur = 0;
}

void pipe_set_group(struct pipe *p, enum st_group group)
{
	if (group == p->group)
		return;
	p->group = group;
	agg_reset(p->agg);
}
