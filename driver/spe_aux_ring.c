// SPDX-License-Identifier: GPL-2.0-only
/*
 * AUX ring arithmetic for the SPE PMU driver: see spe_aux_ring.h.
 * Settles review points 5 (modulo offsets), 6 (an empty buffer with a far
 * wakeup gets the buffer end, not a truncation; no division in the
 * generation test; no pad when there is no space), 7 (pad within
 * max_record_sz of the limit, move head, recompute) and 8 (snapshot halves).
 */
#include "spe_aux_ring.h"

/* page_size and align are powers of two */
static u64 rdown(u64 x, u64 p2)
{
	return x & ~(p2 - 1);
}

static u64 rup(u64 x, u64 p2)
{
	return (x + p2 - 1) & ~(p2 - 1);
}

static u64 min_u64(u64 a, u64 b)
{
	return a < b ? a : b;
}

/* Pad @len bytes from the head, splitting at the ring end. */
static void pad_from_head(const struct spe_aux_ring *r, struct spe_aux_pos *pos,
			  u64 len, spe_aux_pad_fn pad, void *ctx)
{
	while (len) {
		u64 off = spe_aux_off(r, pos->head);
		u64 n = min_u64(len, r->size - off);

		pad(ctx, pos, off, n);
		len -= n;
	}
}

static u64 next_limit_once(const struct spe_aux_ring *r,
			   struct spe_aux_pos *pos, spe_aux_pad_fn pad,
			   void *ctx)
{
	u64 limit = r->size, head, tail, wakeup, ahead;

	/*
	 * The head can be misaligned: the hardware leaves PMBPTR after the
	 * last record written, and a skip may end anywhere.  Pad to the
	 * alignment; with too little space this uses it all and the session
	 * is truncated below.
	 */
	head = spe_aux_off(r, pos->head);
	if (head & (r->align - 1))
		pad_from_head(r, pos, min_u64(rup(head, r->align) - head,
					      pos->size), pad, ctx);
	if (!pos->size) {
		pos->no_room = SPE_AUX_NO_ROOM_NO_SPACE;
		return 0;	/* nothing to pad: review point 6 */
	}

	head = spe_aux_off(r, pos->head);
	tail = spe_aux_off(r, pos->head + pos->size);

	/*
	 * Do not clobber unconsumed data.  There is space, so head == tail
	 * means an empty ring; head > tail means nothing to clobber before
	 * the ring end.
	 */
	if (head < tail)
		limit = rdown(tail, r->page_size);

	/*
	 * The wakeup matters only when it lies ahead within the free space:
	 * one further away is reached after a wrap (a later session sees
	 * it), one behind has been signalled.  The review's generation test
	 * (wakeup < head + size) without division; here as a distance, so it
	 * stays right when the indices wrap the u64 space and when a stale
	 * wakeup lies a whole ring behind.  A wakeup that does not wrap the
	 * ring stops us at the page boundary after it.
	 */
	ahead = pos->wakeup - pos->head;
	wakeup = spe_aux_off(r, pos->wakeup);
	if (ahead && ahead < pos->size && head <= wakeup)
		limit = min_u64(limit, rup(wakeup, r->page_size));

	if (limit > head)
		return limit;

	/* The free space ends within this page: no room, hand it back. */
	pad_from_head(r, pos, pos->size, pad, ctx);
	pos->no_room = SPE_AUX_NO_ROOM_BELOW_PAGE;
	return 0;
}

u64 spe_aux_next_limit(const struct spe_aux_ring *r, struct spe_aux_pos *pos,
		       spe_aux_pad_fn pad, void *ctx)
{
	u64 limit, head;

	pos->no_room = SPE_AUX_ROOM;
	limit = next_limit_once(r, pos, pad, ctx);
	head = spe_aux_off(r, pos->head);

	/*
	 * Too close to the limit for a whole record: pad up to it (the
	 * hardware would stop at once otherwise), which moves the head, and
	 * compute again.  The head is then page aligned and the next limit
	 * at least a page beyond it, or 0.
	 */
	if (limit && limit - head < r->max_record_sz) {
		pad_from_head(r, pos, limit - head, pad, ctx);
		limit = next_limit_once(r, pos, pad, ctx);
	}
	return limit;
}

/*
 * Snapshot mode.  The records are not parseable backwards, so a snapshot
 * must start at a known record boundary.  The ring is used as two halves:
 * the limit is the end of the half the head is in, so a snapshot holds at
 * worst half a ring of records (instead of a single one, had the hardware
 * wrapped freely).  Within max_record_sz of the limit the rest of the half
 * is padded and the head moves to the start of the next half.
 *
 * In snapshot mode perf does not advance the head as an index: the head is
 * a ring offset, set here (and in the IRQ handler from PMBPTR).
 */
u64 spe_aux_next_snapshot_limit(const struct spe_aux_ring *r,
				struct spe_aux_pos *pos, spe_aux_pad_fn pad,
				void *ctx)
{
	u64 head = spe_aux_off(r, pos->head);
	u64 half = r->size >> 1;
	u64 limit = head < half ? half : r->size;

	if (limit - head < r->max_record_sz) {
		pad(ctx, pos, head, limit - head);
		/* the head is an offset here: set it, do not free-run it */
		pos->head = spe_aux_off(r, limit);
		limit = pos->head + half;
	}
	return limit;
}
