// SPDX-License-Identifier: GPL-2.0-only
/*
 * Property test of the driver's AUX ring arithmetic (driver/spe_aux_ring.c,
 * compiled from the driver tree against tests/shim).  Random states over
 * ring sizes of 1..64 pages (not only powers of two), page sizes 4K-64K,
 * any alignment and record size, indices anywhere in the u64 space,
 * wakeups both as perf computes them and arbitrary, in normal and snapshot
 * mode.  States that cross the u64 wrap are drawn only for power-of-two
 * rings: offset = index % size is continuous across 2^64 only when the size
 * divides 2^64 (perf's PERF_IDX2OFF has the same property; real indices
 * never wrap, it would take 2^64 bytes).  After each limit computation:
 *   - nothing unconsumed is written: pads plus the hardware's window fit in
 *     the free space, and no pad crosses the ring end;
 *   - the limit is page aligned, above the head, inside the ring, and the
 *     window up to it holds a whole record;
 *   - a ring with room never ends the session;
 *   - a wakeup ahead is reached: the window stops within a page after it;
 *   - padding (other than head alignment and a no-room hand-back) happens
 *     only within max_record_sz of the limit and ends on it.
 */
#include <stdlib.h>

#include "check.h"
#include "../../driver/spe_aux_ring.h"

#define STATES 1000000

/* A model of perf's AUX ring buffer and output handle (ring_buffer.c). */
struct perf_model {
	u64 aux_head, aux_tail, aux_wakeup, watermark;
	u64 wakeups;		/* perf_output_wakeup() calls */
	/* pads seen */
	int npads;
	u64 pad_off[8], pad_len[8], pad_head[8];
	u64 padded;
	int bad_pad;		/* a pad not at the head, or across the end */
	u64 ring;
	bool snapshot;
};

static void model_pad(void *ctx, struct spe_aux_pos *pos, u64 off, u64 len)
{
	struct perf_model *m = ctx;

	if (off + len > m->ring || (!m->snapshot && off != pos->head % m->ring))
		m->bad_pad = 1;
	if (m->npads < 8) {
		m->pad_off[m->npads] = off;
		m->pad_len[m->npads] = len;
		m->pad_head[m->npads] = pos->head;
	}
	m->npads++;
	m->padded += len;
	/* perf_aux_output_skip() */
	if (len > pos->size) {
		m->bad_pad = 1;
		return;
	}
	m->aux_head += len;
	pos->size -= len;
	if (m->aux_head - m->aux_wakeup >= m->watermark) {
		m->aux_wakeup = m->aux_head - m->aux_head % m->watermark;
		m->wakeups++;
	}
	pos->wakeup = m->aux_wakeup + m->watermark;
	pos->head = m->aux_head;
}

static u64 rnd64(void)
{
	return (u64)random() << 42 ^ (u64)random() << 21 ^ (u64)random();
}

static u64 pick_index(void)
{
	switch (random() % 4) {
	case 0: return rnd64();
	case 1: return (u64)0 - 1 - (u64)(random() % 200000);	/* near 2^64 */
	case 2: return (u64)(random() % 200000);
	default: return rnd64() & ~0xfffULL;
	}
}

struct geom {
	struct spe_aux_ring r;
	u64 nr_pages;
};

static void pick_geom(struct geom *g, bool snapshot)
{
	static const u64 pages[] = { 4096, 16384, 65536 };

	g->r.page_size = pages[random() % 3];
	g->nr_pages = 1 + (u64)(random() % 64);
	if (snapshot && (g->nr_pages & 1))
		g->nr_pages++;
	g->r.size = g->nr_pages * g->r.page_size;
	g->r.max_record_sz = 64ULL << (random() % 6);		/* 64..2048 */
	g->r.align = 1ULL << (random() % 12);			/* 1..2048 */
	if (g->r.align > g->r.max_record_sz)
		g->r.align = g->r.max_record_sz;
}

static bool is_pow2(u64 x)
{
	return !(x & (x - 1));
}

/* Keep [idx - 4 rings, idx + 8 rings) clear of the u64 wrap unless the
 * ring size divides 2^64. */
static u64 fit_index(u64 idx, u64 ring)
{
	if (is_pow2(ring))
		return idx;
	if (idx < 4 * ring)
		idx += 4 * ring;
	if (idx > (u64)0 - 1 - 8 * ring)
		idx -= 9 * ring;
	return idx;
}

static int failures;

#define PROP(cond, what) do {						\
	if (!(cond)) {							\
		if (failures++ < 10)					\
			printf("  %s: ring %llu (page %llu, align %llu, maxrec %llu) head %llx used %llu wakeup %llx watermark %llu -> limit %llu\n", \
			       what, (unsigned long long)g.r.size,	\
			       (unsigned long long)g.r.page_size,	\
			       (unsigned long long)g.r.align,		\
			       (unsigned long long)g.r.max_record_sz,	\
			       (unsigned long long)head0,		\
			       (unsigned long long)used,		\
			       (unsigned long long)wake0,		\
			       (unsigned long long)m.watermark,		\
			       (unsigned long long)limit);		\
		check_cur_failed++;					\
	}								\
} while (0)

/* mode 0: wakeups as perf computes them; 1: arbitrary wakeups */
static void run_normal(int mode)
{
	for (long i = 0; i < STATES; i++) {
		struct perf_model m = { 0 };
		struct spe_aux_pos pos;
		struct geom g;
		u64 used, head0, wake0, size0, limit, hoff, window, fr_end;

		pick_geom(&g, false);
		m.ring = g.r.size;
		m.aux_tail = fit_index(pick_index(), g.r.size);
		switch (random() % 4) {
		case 0: used = 0; break;
		case 1: used = g.r.size; break;
		default: used = (u64)random() % (g.r.size + 1); break;
		}
		m.aux_head = m.aux_tail + used;
		m.watermark = 1 + (u64)random() % g.r.size;
		if (random() % 4 == 0)
			m.watermark = g.r.size / 2 ? g.r.size / 2 : 1;	/* perf's default */
		m.aux_wakeup = m.aux_head - (u64)random() % m.watermark;
		pos.head = m.aux_head;
		pos.size = g.r.size - used;
		pos.wakeup = m.aux_wakeup + m.watermark;
		if (mode == 1) {
			switch (random() % 4) {
			case 0: pos.wakeup = rnd64(); break;
			case 1: pos.wakeup = pos.head + g.r.size * (1 + (u64)random() % 5); break;
			case 2: pos.wakeup = pos.head - g.r.size * (u64)(random() % 3); break;
			default: pos.wakeup = pos.head + (u64)random() % (2 * g.r.size); break;
			}
			m.aux_wakeup = pos.wakeup - m.watermark;
		}
		head0 = pos.head;
		wake0 = pos.wakeup;
		size0 = pos.size;

		limit = spe_aux_next_limit(&g.r, &pos, model_pad, &m);
		hoff = spe_aux_off(&g.r, pos.head);
		window = limit ? limit - hoff : 0;

		PROP(!m.bad_pad, "pad not at head, across the ring end or past free space");
		PROP(m.padded + window <= size0, "writes over unconsumed data");
		PROP(pos.head - head0 == m.padded, "head moved by other than the padding");
		if (limit) {
			PROP(limit % g.r.page_size == 0, "limit not page aligned");
			PROP(limit > hoff && limit <= g.r.size, "limit outside (head, ring end]");
			PROP(hoff % g.r.align == 0, "head not aligned for the hardware");
			PROP(window >= g.r.max_record_sz, "window smaller than a record");
			PROP(pos.no_room == SPE_AUX_ROOM, "room reported as no room");
		} else {
			PROP(pos.size == 0, "session ended with space left unreturned");
			PROP(pos.no_room == SPE_AUX_NO_ROOM_NO_SPACE ||
			     pos.no_room == SPE_AUX_NO_ROOM_BELOW_PAGE,
			     "no room without a reason");
			if (size0 == 0)
				PROP(pos.no_room == SPE_AUX_NO_ROOM_NO_SPACE,
				     "full ring not reported as no space");
		}
		/* room: after aligning, a page boundary with a whole record
		 * before it is always within 2 pages + a record */
		if (size0 >= 2 * g.r.page_size + g.r.max_record_sz + g.r.align)
			PROP(limit != 0, "ring with room ended the session");
		/* the window stops within a page after a wakeup it covers */
		fr_end = pos.head + window;
		if (limit && pos.wakeup - pos.head > 0 &&
		    pos.wakeup - pos.head <= window)
			PROP(fr_end - pos.wakeup < g.r.page_size, "wakeup overshot by a page or more");
		/* a wakeup passed by padding was signalled (consistent mode) */
		if (mode == 0 && m.padded && wake0 - head0 <= m.padded)
			PROP(m.wakeups > 0, "padding passed the wakeup without signalling it");
		/* pads: alignment (< align, first), or within max_record_sz of
		 * the limit and ending on a page, or the no-room hand-back */
		for (int k = 0; k < m.npads && k < 8; k++) {
			u64 end = m.pad_off[k] + m.pad_len[k];
			bool align_pad = k == 0 && m.pad_len[k] < g.r.align &&
					 end % g.r.align == 0;
			bool limit_pad = m.pad_len[k] < g.r.max_record_sz &&
					 end % g.r.page_size == 0;
			bool handback = !limit && pos.size == 0;

			PROP(align_pad || limit_pad || handback,
			     "padding away from the limit");
		}
	}
}

static void run_snapshot(void)
{
	for (long i = 0; i < STATES; i++) {
		struct perf_model m = { .snapshot = true };
		struct spe_aux_pos pos;
		struct geom g;
		u64 limit, half, used = 0, head0, wake0 = 0, hoff;

		pick_geom(&g, true);
		m.ring = g.r.size;
		m.watermark = g.r.size;
		half = g.r.size / 2;
		/* snapshot heads are ring offsets, set from PMBPTR: any byte */
		pos.head = (u64)random() % g.r.size;
		pos.size = g.r.size;
		pos.wakeup = 0;
		m.aux_head = pos.head;
		head0 = pos.head;

		limit = spe_aux_next_snapshot_limit(&g.r, &pos, model_pad, &m);
		hoff = pos.head;
		PROP(!m.bad_pad, "snapshot pad across the ring end");
		PROP(hoff < g.r.size, "snapshot head not a ring offset");
		PROP(limit % g.r.page_size == 0, "snapshot limit not page aligned");
		PROP(limit > hoff && limit <= g.r.size, "snapshot limit outside (head, ring end]");
		PROP(limit == half || limit == g.r.size, "snapshot limit not a half boundary");
		if (half >= g.r.max_record_sz)
			PROP(limit - hoff >= g.r.max_record_sz, "snapshot window smaller than a record");
		if (m.npads) {
			PROP(m.pad_len[0] < g.r.max_record_sz, "snapshot padding away from the limit");
			PROP(hoff == half || hoff == 0, "snapshot head not moved to the next half");
		} else {
			PROP(hoff == head0, "snapshot head moved without padding");
		}
	}
}

static void test_consistent_wakeups(void)
{
	run_normal(0);
}

static void test_arbitrary_wakeups(void)
{
	run_normal(1);
}

static void test_snapshot(void)
{
	run_snapshot();
}

/* A counting pad for the named cases. */
static void count_pad(void *ctx, struct spe_aux_pos *pos, u64 off, u64 len)
{
	(void)off;
	(*(u64 *)ctx) += len;
	pos->head += len;
	pos->size -= len;
}

/*
 * The seed review's bug (point 6): an empty buffer whose wakeup lies more
 * than a buffer ahead got limit <= head and a truncation.  It must get the
 * buffer end, at the start of the ring and in the middle of it.
 */
static void test_regression_empty_far_wakeup(void)
{
	struct spe_aux_ring r = { 10 * 4096, 4096, 64, 1024 };	/* ten pages */
	u64 padded = 0;

	for (u64 start = 0; start < r.size; start += 4096) {
		struct spe_aux_pos pos = {
			.head = 7 * r.size + start,
			.size = r.size,
			.wakeup = 7 * r.size + start + 3 * r.size,
		};

		CHECK_EQ_U64(spe_aux_next_limit(&r, &pos, count_pad, &padded), r.size);
	}
	CHECK_EQ_U64(padded, 0);
}

/* Ten 4K pages: offsets by modulo, not by mask (review point 5). */
static void test_regression_ten_pages(void)
{
	struct spe_aux_ring r = { 10 * 4096, 4096, 64, 1024 };
	struct spe_aux_pos pos = { .head = 11 * 4096 + 128, .size = 4096 * 4,
				   .wakeup = 0 };
	u64 padded = 0;

	/* head offset is 4096 + 128 (mask would say 4096*3 + 128) */
	CHECK_EQ_U64(spe_aux_off(&r, pos.head), 4096 + 128);
	/* free space to offset 5*4096+128: limit is the page below */
	CHECK_EQ_U64(spe_aux_next_limit(&r, &pos, count_pad, &padded), 5 * 4096);
	CHECK_EQ_U64(padded, 0);
}

/* No room at all: no padding, no skip, just the end (review point 6). */
static void test_zero_size_no_pad(void)
{
	struct spe_aux_ring r = { 4 * 4096, 4096, 64, 1024 };
	struct spe_aux_pos pos = { .head = 4096, .size = 0, .wakeup = 8192 };
	u64 padded = 0;

	CHECK_EQ_U64(spe_aux_next_limit(&r, &pos, count_pad, &padded), 0);
	CHECK_EQ_U64(padded, 0);
	CHECK_EQ_U64(pos.no_room, SPE_AUX_NO_ROOM_NO_SPACE);
}

/*
 * Free space that ends inside the head's page: no page-aligned limit
 * above the head, so the space is handed back and the reason says so
 * (the driver's truncate tracepoint reports it as limit_le_head).
 */
static void test_no_room_below_page(void)
{
	struct spe_aux_ring r = { 4 * 4096, 4096, 64, 1024 };
	struct spe_aux_pos pos = { .head = 4096 + 256, .size = 2048,
				   .wakeup = 0 };
	u64 padded = 0;

	CHECK_EQ_U64(spe_aux_next_limit(&r, &pos, count_pad, &padded), 0);
	CHECK_EQ_U64(padded, 2048);
	CHECK_EQ_U64(pos.no_room, SPE_AUX_NO_ROOM_BELOW_PAGE);
}

int main(void)
{
	srandom(20261124);
	RUN_TEST(test_regression_empty_far_wakeup);
	RUN_TEST(test_regression_ten_pages);
	RUN_TEST(test_zero_size_no_pad);
	RUN_TEST(test_no_room_below_page);
	RUN_TEST(test_consistent_wakeups);
	RUN_TEST(test_arbitrary_wakeups);
	RUN_TEST(test_snapshot);
	printf("  %d random states per property run\n", STATES);
	CHECK_DONE();
}
