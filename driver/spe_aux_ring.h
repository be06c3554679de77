/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AUX ring arithmetic for the SPE PMU driver, kept free of kernel
 * dependencies beyond <linux/types.h> so user-space tests compile this very
 * file (tests/unit/test_aux_ring.c, against tests/shim/).
 *
 * Indices (head, wakeup) are perf's free-running byte counters; offsets
 * are positions in the ring, index modulo its size.  The ring size need not
 * be a power of two (ten 4K pages broke a mask-based version: review
 * point 5), so offsets use a modulo.
 */
#ifndef SPE_AUX_RING_H
#define SPE_AUX_RING_H

#include <linux/types.h>

struct spe_aux_ring {
	u64 size;		/* nr_pages * page_size */
	u64 page_size;		/* a power of two */
	u64 align;		/* PMBIDR_EL1.Align in bytes, a power of two */
	u64 max_record_sz;	/* PMSIDR_EL1.MaxSize in bytes */
};

/* Why a limit computation found no room (struct spe_aux_pos::no_room) */
enum spe_aux_no_room {
	SPE_AUX_ROOM = 0,
	/* no free bytes, or none left once the head was aligned */
	SPE_AUX_NO_ROOM_NO_SPACE,
	/*
	 * the free space ends before the next page boundary past the head,
	 * so no page-aligned limit lies above it
	 */
	SPE_AUX_NO_ROOM_BELOW_PAGE,
};

/* The perf_output_handle fields the arithmetic reads and moves. */
struct spe_aux_pos {
	/*
	 * next byte to write: an index, or in snapshot mode (where perf
	 * does not free-run it) a ring offset
	 */
	u64 head;
	u64 size;		/* bytes free from head on */
	u64 wakeup;		/* index at which user space wants a wakeup */
	enum spe_aux_no_room no_room;	/* set when a limit of 0 is returned */
};

/*
 * Write @len padding bytes at ring offset @off (never across the ring end)
 * and consume them as perf_aux_output_skip() does: advance pos->head,
 * shrink pos->size and move pos->wakeup on once it is passed.
 */
typedef void (*spe_aux_pad_fn)(void *ctx, struct spe_aux_pos *pos, u64 off,
			       u64 len);

static inline u64 spe_aux_off(const struct spe_aux_ring *r, u64 idx)
{
	return idx % r->size;
}

/*
 * Normal mode: the limit (ring offset, page aligned, above the head's
 * offset) up to which the hardware may write in the session starting at
 * pos->head, padding the head to alignment and skipping the tail of the
 * ring when fewer than max_record_sz bytes would remain before the limit.
 * Returns 0 when there is no room (pos->no_room says why): the caller flags
 * the session truncated and ends it.
 */
u64 spe_aux_next_limit(const struct spe_aux_ring *r, struct spe_aux_pos *pos,
		       spe_aux_pad_fn pad, void *ctx);

/*
 * Snapshot mode: the ring is overwritten in halves, see the comment in
 * spe_aux_ring.c.  r->size must be an even number of pages.
 */
u64 spe_aux_next_snapshot_limit(const struct spe_aux_ring *r,
				struct spe_aux_pos *pos, spe_aux_pad_fn pad,
				void *ctx);

#endif /* SPE_AUX_RING_H */
