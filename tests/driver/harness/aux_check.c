// SPDX-License-Identifier: GPL-2.0-only
/* The consumer-side checks (aux_check.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "aux_check.h"
#include "perf_model.h"
#include "spe_records.h"
#include "spe_sim.h"

#define ERR(c, ...) do {						\
	if ((c)->errors++ < 10)						\
		printf("  aux_check: " __VA_ARGS__);			\
} while (0)

static void add_seq(struct aux_check *c, u64 seq)
{
	if (!(c->whole & (c->whole - 1)) || !c->seqs) {
		c->seqs = realloc(c->seqs, sizeof(*c->seqs) *
				  (c->whole ? 2 * (u64)c->whole : 1));
		if (!c->seqs)
			abort();
	}
	c->seqs[c->whole++] = seq;
}

/* Padding only in [from, to) */
static void check_pad(struct aux_check *c, const u8 *s, u64 from, u64 to)
{
	for (u64 i = from; i < to; i++)
		if (s[i]) {
			ERR(c, "index %llu: byte 0x%02x where only padding may be\n",
			    i, s[i]);
			return;
		}
}

/* Records (and alignment padding) in [from, to); cut allowed at the end */
static void check_chunk(struct aux_check *c, const u8 *s, u64 from, u64 to,
			bool partial_ok)
{
	u64 i = from, seq;
	u32 len;

	while (i < to) {
		if (!s[i]) {
			i++;
			continue;
		}
		switch (spe_rec_parse(s + i, to - i, &seq, &len)) {
		case SPE_REC_OK:
			add_seq(c, seq);
			i += len;
			break;
		case SPE_REC_SHORT:
			if (!partial_ok)
				ERR(c, "index %llu: record cut at %llu without PARTIAL\n",
				    i, to);
			c->cut++;
			return;
		default:
			ERR(c, "index %llu: not a record (0x%02x)\n", i, s[i]);
			return;
		}
	}
}

void aux_check_stream(struct aux_check *c)
{
	const u8 *s = perf_model.stream;
	u64 end = perf_model.rb.user_page.aux_tail, pos = 0;
	int w = 0;

	memset(c, 0, sizeof(*c));
	for (int k = 0; k < perf_model.naux; k++) {
		const struct perf_model_aux_rec *r = &perf_model.aux[k];
		u64 to = r->offset + r->size;

		if (r->offset < pos) {
			ERR(c, "AUX record %d at %llu overlaps the previous (ends %llu)\n",
			    k, r->offset, pos);
			continue;
		}
		/* perf_aux_output_skip()ped padding between records */
		check_pad(c, s, pos, r->offset < end ? r->offset : end);
		check_chunk(c, s, r->offset < end ? r->offset : end,
			    to < end ? to : end,
			    r->flags & PERF_AUX_FLAG_PARTIAL);
		pos = to;
	}
	if (pos < end)
		check_pad(c, s, pos, end);

	/* Delivered: the written whole records in order, each once */
	for (int i = 0; i < c->whole; i++) {
		while (w < spe_sim.nrecs &&
		       (spe_sim.recs[w].partial ||
			spe_sim.recs[w].seq != c->seqs[i])) {
			if (!spe_sim.recs[w].partial)
				c->missing++;
			w++;
		}
		if (w == spe_sim.nrecs) {
			ERR(c, "record %llu delivered twice, out of order, or never written\n",
			    c->seqs[i]);
			break;
		}
		w++;
	}
	for (; w < spe_sim.nrecs; w++)
		c->missing += !spe_sim.recs[w].partial;
}

void aux_check_free(struct aux_check *c)
{
	free(c->seqs);
	c->seqs = NULL;
}

void snap_check_half(struct snap_half *h, u64 from, u64 to, bool pad_to_end)
{
	const u8 *s = perf_model.rb.aux_mem;
	u64 i = from, seq;
	u32 len;

	memset(h, 0, sizeof(*h));
	while (i < to && s[i]) {
		if (spe_rec_parse(s + i, to - i, &seq, &len) != SPE_REC_OK) {
			printf("  snap_check: offset %llu: no whole record\n", i);
			h->errors++;
			return;
		}
		if (h->n && seq != h->last_seq + 1) {
			printf("  snap_check: offset %llu: seq %llu after %llu\n",
			       i, seq, h->last_seq);
			h->errors++;
		}
		if (!h->n)
			h->first_seq = seq;
		h->last_seq = seq;
		h->n++;
		i += len;
		/* the unit's alignment padding */
		while (i < to && !s[i] && (i & (spe_sim.cfg.align - 1)))
			i++;
	}
	h->end = i;
	if (!pad_to_end) {
		if (i != to) {
			printf("  snap_check: records end at %llu, not %llu\n",
			       i, to);
			h->errors++;
		}
		return;
	}
	for (; i < to; i++)
		if (s[i]) {
			printf("  snap_check: offset %llu: 0x%02x after the last record (padding expected)\n",
			       i, s[i]);
			h->errors++;
			return;
		}
}
