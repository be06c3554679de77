// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring: the perf data ring and AUX area consumer (see ring.h).  Pure: no
 * syscalls, no allocation, no libc I/O.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ring.h"

/* Older uapi headers lack some of these */
#ifndef PERF_RECORD_MISC_MMAP_BUILD_ID
#define PERF_RECORD_MISC_MMAP_BUILD_ID		(1 << 14)
#endif
#ifndef PERF_RECORD_MISC_SWITCH_OUT_PREEMPT
#define PERF_RECORD_MISC_SWITCH_OUT_PREEMPT	(1 << 14)
#endif

#define HDR_SIZE	8u

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* The heads are the kernel's: acquire.  The tails are ours: release. */
#define load_acquire(p)		((uint64_t)__atomic_load_n((p), __ATOMIC_ACQUIRE))
#define store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

static uint64_t get_u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t get_u16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

uint32_t ring_sid_fields(uint64_t sample_type, bool sample_id_all, uint32_t *size)
{
	uint32_t has = 0, n = 0;

	if (sample_id_all) {
		if (sample_type & PERF_SAMPLE_TID) {
			has |= RING_SID_TID;
			n += 8;
		}
		if (sample_type & PERF_SAMPLE_TIME) {
			has |= RING_SID_TIME;
			n += 8;
		}
		if (sample_type & PERF_SAMPLE_ID) {
			has |= RING_SID_ID;
			n += 8;
		}
		if (sample_type & PERF_SAMPLE_STREAM_ID) {
			has |= RING_SID_STREAM_ID;
			n += 8;
		}
		if (sample_type & PERF_SAMPLE_CPU) {
			has |= RING_SID_CPU;
			n += 8;
		}
		if (sample_type & PERF_SAMPLE_IDENTIFIER) {
			has |= RING_SID_IDENTIFIER;
			n += 8;
		}
	}
	if (size)
		*size = n;
	return has;
}

int ring_view_init(struct ring_view *v, volatile struct perf_event_mmap_page *pg,
		   const uint8_t *data, uint64_t data_size,
		   const uint8_t *aux, uint64_t aux_size,
		   uint64_t sample_type, bool sample_id_all)
{
	if (!v || !pg || !data || !is_pow2(data_size) || data_size < HDR_SIZE)
		return RING_ERR_INVAL;
	if ((aux && !is_pow2(aux_size)) || (!aux && aux_size))
		return RING_ERR_INVAL;
	v->pg = pg;
	v->data = data;
	v->data_size = data_size;
	v->aux = aux;
	v->aux_size = aux_size;
	v->sample_type = sample_type;
	v->sample_id_all = sample_id_all;
	v->sid_has = ring_sid_fields(sample_type, sample_id_all, &v->sid_size);
	v->last_aux_fill = 0;
	v->ngaps = 0;
	return 0;
}

const char *ring_ev_name(unsigned int type)
{
	switch (type) {
	case RING_EV_AUX:		return "AUX";
	case RING_EV_LOST:		return "LOST";
	case RING_EV_LOST_SAMPLES:	return "LOST_SAMPLES";
	case RING_EV_ITRACE_START:	return "ITRACE_START";
	case RING_EV_COMM:		return "COMM";
	case RING_EV_MMAP:		return "MMAP";
	case RING_EV_SWITCH:		return "SWITCH";
	default:			return "?";
	}
}

/*
 * The sample_id trailer sits at the end of the record, fields in the
 * uapi order: TID, TIME, ID, STREAM_ID, CPU, IDENTIFIER.
 */
static void parse_sid(const uint8_t *p, uint32_t has, struct ring_sample_id *sid)
{
	sid->has = has;
	if (has & RING_SID_TID) {
		sid->pid = get_u32(p);
		sid->tid = get_u32(p + 4);
		p += 8;
	}
	if (has & RING_SID_TIME) {
		sid->time = get_u64(p);
		p += 8;
	}
	if (has & RING_SID_ID) {
		sid->id = get_u64(p);
		p += 8;
	}
	if (has & RING_SID_STREAM_ID) {
		sid->stream_id = get_u64(p);
		p += 8;
	}
	if (has & RING_SID_CPU) {
		sid->cpu = get_u32(p);
		p += 8;
	}
	if (has & RING_SID_IDENTIFIER)
		sid->id = get_u64(p);
}

/* A NUL-terminated string within [p, p + n), or NULL */
static const char *bounded_str(const uint8_t *p, size_t n)
{
	return n && memchr(p, '\0', n) ? (const char *)p : NULL;
}

int ring_parse_record(const uint8_t *rec, size_t len, uint64_t sample_type,
		      bool sample_id_all, struct ring_event *ev)
{
	uint32_t sid_size, has;
	const uint8_t *b;
	size_t blen;
	uint32_t type;

	if (len < HDR_SIZE)
		return -1;
	memset(ev, 0, sizeof(*ev));
	type = get_u32(rec);
	ev->rec_type = type;
	ev->misc = get_u16(rec + 4);
	ev->size = get_u16(rec + 6);

	switch (type) {
	case PERF_RECORD_AUX:
	case PERF_RECORD_LOST:
	case PERF_RECORD_LOST_SAMPLES:
	case PERF_RECORD_ITRACE_START:
	case PERF_RECORD_COMM:
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
	case PERF_RECORD_SWITCH:
	case PERF_RECORD_SWITCH_CPU_WIDE:
		break;
	default:
		return 0;
	}

	/*
	 * The kernel appends the trailer to every non-sample record of an
	 * event with sample_id_all, PERF_RECORD_LOST included.
	 */
	has = ring_sid_fields(sample_type, sample_id_all, &sid_size);
	if (len - HDR_SIZE < sid_size)
		return -1;
	b = rec + HDR_SIZE;
	blen = len - HDR_SIZE - sid_size;
	if (has)
		parse_sid(rec + len - sid_size, has, &ev->sid);

	switch (type) {
	case PERF_RECORD_AUX:
		if (blen < 24)
			return -1;
		ev->type = RING_EV_AUX;
		ev->aux.offset = get_u64(b);
		ev->aux.size = get_u64(b + 8);
		ev->aux.flags = get_u64(b + 16);
		return 1;
	case PERF_RECORD_LOST:
		if (blen < 16)
			return -1;
		ev->type = RING_EV_LOST;
		ev->lost.id = get_u64(b);
		ev->lost.lost = get_u64(b + 8);
		return 1;
	case PERF_RECORD_LOST_SAMPLES:
		if (blen < 8)
			return -1;
		ev->type = RING_EV_LOST_SAMPLES;
		ev->lost_samples.lost = get_u64(b);
		return 1;
	case PERF_RECORD_ITRACE_START:
		if (blen < 8)
			return -1;
		ev->type = RING_EV_ITRACE_START;
		ev->itrace.pid = get_u32(b);
		ev->itrace.tid = get_u32(b + 4);
		return 1;
	case PERF_RECORD_COMM:
		if (blen < 8)
			return -1;
		ev->type = RING_EV_COMM;
		ev->comm.pid = get_u32(b);
		ev->comm.tid = get_u32(b + 4);
		ev->comm.exec = ev->misc & PERF_RECORD_MISC_COMM_EXEC;
		ev->comm.comm = bounded_str(b + 8, blen - 8);
		return ev->comm.comm ? 1 : -1;
	case PERF_RECORD_MMAP:
		if (blen < 32)
			return -1;
		ev->type = RING_EV_MMAP;
		ev->mmap.pid = get_u32(b);
		ev->mmap.tid = get_u32(b + 4);
		ev->mmap.start = get_u64(b + 8);
		ev->mmap.len = get_u64(b + 16);
		ev->mmap.pgoff = get_u64(b + 24);
		ev->mmap.filename = bounded_str(b + 32, blen - 32);
		return ev->mmap.filename ? 1 : -1;
	case PERF_RECORD_MMAP2:
		if (blen < 64)
			return -1;
		ev->type = RING_EV_MMAP;
		ev->mmap.mmap2 = true;
		ev->mmap.pid = get_u32(b);
		ev->mmap.tid = get_u32(b + 4);
		ev->mmap.start = get_u64(b + 8);
		ev->mmap.len = get_u64(b + 16);
		ev->mmap.pgoff = get_u64(b + 24);
		if (ev->misc & PERF_RECORD_MISC_MMAP_BUILD_ID) {
			ev->mmap.has_build_id = true;
			ev->mmap.build_id_size = b[32];
			if (ev->mmap.build_id_size > 20)
				ev->mmap.build_id_size = 20;
			memcpy(ev->mmap.build_id, b + 36, 20);
		} else {
			ev->mmap.maj = get_u32(b + 32);
			ev->mmap.min = get_u32(b + 36);
			ev->mmap.ino = get_u64(b + 40);
			ev->mmap.ino_generation = get_u64(b + 48);
		}
		ev->mmap.prot = get_u32(b + 56);
		ev->mmap.flags = get_u32(b + 60);
		ev->mmap.filename = bounded_str(b + 64, blen - 64);
		return ev->mmap.filename ? 1 : -1;
	case PERF_RECORD_SWITCH:
		ev->type = RING_EV_SWITCH;
		ev->sw.out = ev->misc & PERF_RECORD_MISC_SWITCH_OUT;
		ev->sw.preempt = ev->misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT;
		return 1;
	case PERF_RECORD_SWITCH_CPU_WIDE:
		if (blen < 8)
			return -1;
		ev->type = RING_EV_SWITCH;
		ev->sw.out = ev->misc & PERF_RECORD_MISC_SWITCH_OUT;
		ev->sw.preempt = ev->misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT;
		ev->sw.cpu_wide = true;
		ev->sw.next_prev_pid = get_u32(b);
		ev->sw.next_prev_tid = get_u32(b + 4);
		return 1;
	}
	return 0;
}

/* Copy @len bytes at data stream offset @pos out of the data ring */
static void data_copy(const struct ring_view *v, uint64_t pos, void *dst, size_t len)
{
	uint64_t off = pos & (v->data_size - 1);
	size_t first = len;

	if (off + len > v->data_size)
		first = (size_t)(v->data_size - off);
	memcpy(dst, v->data + off, first);
	if (first < len)
		memcpy((uint8_t *)dst + first, v->data, len - first);
}

/* Queue a gap at AUX stream offset @off (ascending; same offset merges) */
static void gap_add(struct ring_view *v, uint64_t off, uint64_t flags,
		    struct ring_drops *d)
{
	unsigned int i, j;

	for (i = 0; i < v->ngaps; i++) {
		if (v->gaps[i].off == off) {
			v->gaps[i].flags |= flags;
			return;
		}
		if ((int64_t)(off - v->gaps[i].off) < 0)
			break;
	}
	if (v->ngaps == RING_MAX_GAPS) {
		d->gaps_dropped++;
		return;
	}
	for (j = v->ngaps; j > i; j--)
		v->gaps[j] = v->gaps[j - 1];
	v->gaps[i].off = off;
	v->gaps[i].flags = flags;
	v->ngaps++;
}

static void gap_fire(struct ring_view *v, const struct ring_ops *ops, void *ctx,
		     uint64_t off, uint64_t flags, struct ring_drops *d)
{
	d->gaps++;
	if (ops && ops->aux_gap)
		ops->aux_gap(ctx, off, flags);
}

/*
 * Report every queued gap at or below stream position @pos (all bytes
 * below @pos delivered, none at or above it).  A gap below @pos came late.
 */
static void gaps_due(struct ring_view *v, const struct ring_ops *ops, void *ctx,
		     uint64_t pos, struct ring_drops *d)
{
	unsigned int n = 0, i;

	while (n < v->ngaps && (int64_t)(pos - v->gaps[n].off) >= 0) {
		uint64_t flags = v->gaps[n].flags;

		if (v->gaps[n].off != pos)
			flags |= RING_GAP_LATE;
		gap_fire(v, ops, ctx, v->gaps[n].off, flags, d);
		n++;
	}
	if (!n)
		return;
	for (i = n; i < v->ngaps; i++)
		v->gaps[i - n] = v->gaps[i];
	v->ngaps -= n;
}

static void count_event(const struct ring_event *ev, struct ring_view *v,
			struct ring_drops *d)
{
	switch (ev->type) {
	case RING_EV_AUX:
		d->aux_records++;
		d->aux_record_bytes += ev->aux.size;
		if (ev->aux.flags & RING_AUX_TRUNCATED)
			d->truncated++;
		if (ev->aux.flags & RING_AUX_PARTIAL)
			d->partial++;
		if (ev->aux.flags & RING_AUX_COLLISION)
			d->collision++;
		if (ev->aux.flags & RING_AUX_OVERWRITE)
			d->overwrite++;
		/* the next session's bytes start where this one's end */
		if (v->aux && (ev->aux.flags & (RING_AUX_TRUNCATED | RING_AUX_PARTIAL)) &&
		    !(ev->aux.flags & RING_AUX_OVERWRITE))
			gap_add(v, ev->aux.offset + ev->aux.size,
				ev->aux.flags & 0xff, d);
		break;
	case RING_EV_LOST:
		d->lost_records++;
		d->lost_events += ev->lost.lost;
		break;
	case RING_EV_LOST_SAMPLES:
		d->lost_samples += ev->lost_samples.lost;
		break;
	}
}

/* The data ring: returns records handled, or RING_ERR_CORRUPT */
static int consume_data(struct ring_view *v, const struct ring_ops *ops, void *ctx,
			struct ring_drops *d)
{
	volatile struct perf_event_mmap_page *pg = v->pg;
	uint64_t head = load_acquire(&pg->data_head);
	uint64_t tail = pg->data_tail;
	int n = 0, ret = 0;

	if ((int64_t)(head - tail) < 0 || head - tail > v->data_size) {
		ret = RING_ERR_CORRUPT;
		goto out;
	}
	while (tail != head) {
		uint64_t avail = head - tail, off = tail & (v->data_size - 1);
		uint8_t hdr[HDR_SIZE];
		struct ring_event ev;
		const uint8_t *rec;
		uint16_t size;
		int r;

		if (avail < HDR_SIZE) {
			ret = RING_ERR_CORRUPT;
			break;
		}
		data_copy(v, tail, hdr, sizeof(hdr));
		size = get_u16(hdr + 6);
		if (size < HDR_SIZE || size > avail) {
			ret = RING_ERR_CORRUPT;
			break;
		}
		if (off + size <= v->data_size) {
			rec = v->data + off;
		} else {
			data_copy(v, tail, v->bounce, size);
			rec = (const uint8_t *)v->bounce;
		}
		r = ring_parse_record(rec, size, v->sample_type, v->sample_id_all, &ev);
		d->records++;
		d->data_bytes += size;
		if (r > 0) {
			ev.pos = tail;
			count_event(&ev, v, d);
			if (ops && ops->event)
				ops->event(ctx, &ev);
		} else if (r == 0) {
			d->unknown++;
		} else {
			d->malformed++;
		}
		tail += size;
		n++;
	}
out:
	if (ret) {
		/* reset rule: skip to the head, where the kernel writes next */
		d->corrupt++;
		tail = head;
	}
	store_release(&pg->data_tail, tail);
	return ret ? ret : n;
}

/* Deliver AUX bytes [pos, end) (end - pos <= aux_size), split at the area's end */
static int aux_deliver(struct ring_view *v, const struct ring_ops *ops, void *ctx,
		       uint64_t pos, uint64_t end, struct ring_drops *d)
{
	int n = 0;

	while (pos != end) {
		uint64_t off = pos & (v->aux_size - 1);
		uint64_t len = end - pos;

		if (len > v->aux_size - off)
			len = v->aux_size - off;
		if (ops && ops->aux)
			ops->aux(ctx, v->aux + off, (size_t)len, pos);
		d->aux_bytes += len;
		pos += len;
		n++;
	}
	return n;
}

/* The AUX area: returns chunks handed over, or RING_ERR_CORRUPT */
static int consume_aux(struct ring_view *v, const struct ring_ops *ops, void *ctx,
		       uint64_t head, struct ring_drops *d)
{
	volatile struct perf_event_mmap_page *pg = v->pg;
	uint64_t tail = pg->aux_tail;
	int n = 0;

	if ((int64_t)(head - tail) < 0) {
		/* head went backwards: nothing to deliver, resync */
		d->corrupt++;
		v->ngaps = 0;
		gap_fire(v, ops, ctx, head, RING_GAP_RESET, d);
		store_release(&pg->aux_tail, head);
		v->last_aux_fill = 0;
		return RING_ERR_CORRUPT;
	}
	v->last_aux_fill = head - tail;
	if (head - tail > v->aux_size) {
		/* the oldest bytes were overwritten before we saw them */
		uint64_t skip = head - tail - v->aux_size;

		d->aux_lost_bytes += skip;
		tail += skip;
		gaps_due(v, ops, ctx, tail, d);
		gap_fire(v, ops, ctx, tail, RING_GAP_OVERRUN, d);
	}
	/* the bytes, cut at each gap */
	gaps_due(v, ops, ctx, tail, d);
	while (tail != head) {
		uint64_t end = head;

		if (v->ngaps && (int64_t)(v->gaps[0].off - tail) > 0 &&
		    (int64_t)(v->gaps[0].off - head) < 0)
			end = v->gaps[0].off;
		n += aux_deliver(v, ops, ctx, tail, end, d);
		tail = end;
		gaps_due(v, ops, ctx, tail, d);
	}
	store_release(&pg->aux_tail, tail);
	return n;
}

int ring_consume(struct ring_view *v, const struct ring_ops *ops, void *ctx,
		 struct ring_drops *drops)
{
	struct ring_drops scratch;
	uint64_t aux_head = 0;
	int nd, na = 0;

	if (!v || !v->pg || !v->data)
		return RING_ERR_INVAL;
	if (!drops) {
		memset(&scratch, 0, sizeof(scratch));
		drops = &scratch;
	}
	/* aux_head first: its records were written before it (ring.h) */
	if (v->aux)
		aux_head = load_acquire(&v->pg->aux_head);
	nd = consume_data(v, ops, ctx, drops);
	if (v->aux)
		na = consume_aux(v, ops, ctx, aux_head, drops);
	if (nd < 0)
		return nd;
	if (na < 0)
		return na;
	return nd + na;
}
