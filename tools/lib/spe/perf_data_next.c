// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf.data reader: walking the data section.  One record at a time from
 * the mapping or the stream, each checked against the bytes left before a
 * field is read, then turned into a struct spe_pd_event.
 *
 * Kernel records (types below 64) may end in a sample_id trailer when the
 * attr has sample_id_all.  We read their fixed fields from the front and
 * the trailer from the back, never assuming the middle's size.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perf_data_int.h"
#include "perf_format.h"

struct pd_rec {
	const uint8_t *p;	/* the record */
	uint32_t type;
	uint16_t misc, size;
	uint64_t pos;
	const uint8_t *aux;	/* AUXTRACE payload */
	uint64_t aux_len;
};

static int pd_fetch_mem(struct spe_pd *pd, struct pd_rec *r)
{
	uint64_t left = pd->end - pd->pos;
	const uint8_t *p;

	if (!left)
		return 0;
	p = pd->mem + pd->pos;
	r->pos = pd->pos;
	if (left < PF_REC_HDR_SIZE)
		return pd_fail(pd, "truncated perf.data: %llu stray bytes at 0x%llx, the end of the data section (file cut short? re-record or copy it whole)",
			       (unsigned long long)left, (unsigned long long)pd->pos);
	r->p = p;
	r->type = pf_get32(p);
	r->misc = pf_get16(p + 4);
	r->size = pf_get16(p + 6);
	if (r->size < PF_REC_HDR_SIZE)
		return pd_fail(pd, "corrupt perf.data: record at 0x%llx (type %u) has size %u, less than its 8-byte header",
			       (unsigned long long)r->pos, r->type, r->size);
	if (r->size > left)
		return pd_fail(pd, "truncated perf.data: record at 0x%llx (type %u, %u bytes) runs past the data section end 0x%llx (file cut short? re-record or copy it whole)",
			       (unsigned long long)r->pos, r->type, r->size,
			       (unsigned long long)pd->end);
	pd->pos += r->size;
	r->aux = NULL;
	r->aux_len = 0;
	if (r->type != PF_REC_AUXTRACE)
		return 1;
	if (r->size < PF_AUXTRACE_SIZE)
		return pd_fail(pd, "corrupt perf.data: AUXTRACE record at 0x%llx is %u bytes, expected 48",
			       (unsigned long long)r->pos, r->size);
	r->aux_len = pf_get64(p + 8);
	if (r->aux_len > pd->end - pd->pos)
		return pd_fail(pd, "truncated perf.data: AUXTRACE buffer at 0x%llx holds 0x%llx bytes but only 0x%llx remain in the data section (file cut short? re-record or copy it whole)",
			       (unsigned long long)r->pos,
			       (unsigned long long)r->aux_len,
			       (unsigned long long)(pd->end - pd->pos));
	r->aux = pd->mem + pd->pos;
	pd->pos += r->aux_len;
	return 1;
}

/* Read exactly @len bytes of the stream; 0 on a clean end before any */
static int pd_stream_read(struct spe_pd *pd, void *buf, size_t len, const char *what)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(pd->fd, (uint8_t *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pd_fail(pd, "read error at stream offset 0x%llx: %s",
				       (unsigned long long)(pd->spos + got), strerror(errno));
		if (n == 0)
			break;
		got += (size_t)n;
	}
	pd->spos += got;
	if (got == len)
		return 1;
	if (got == 0 && !strcmp(what, "header"))
		return 0;
	return pd_fail(pd, "truncated perf.data stream: %s cut after %zu of %zu bytes at offset 0x%llx (writer killed?)",
		       what, got, len, (unsigned long long)(pd->spos - got));
}

static int pd_fetch_stream(struct spe_pd *pd, struct pd_rec *r)
{
	int ret;

	r->pos = pd->spos;
	ret = pd_stream_read(pd, pd->rec, PF_REC_HDR_SIZE, "header");
	if (ret <= 0)
		return ret;
	r->p = pd->rec;
	r->type = pf_get32(pd->rec);
	r->misc = pf_get16(pd->rec + 4);
	r->size = pf_get16(pd->rec + 6);
	r->aux = NULL;
	r->aux_len = 0;
	if (r->size < PF_REC_HDR_SIZE)
		return pd_fail(pd, "corrupt perf.data stream: record at 0x%llx (type %u) has size %u, less than its 8-byte header",
			       (unsigned long long)r->pos, r->type, r->size);
	if (pd_stream_read(pd, pd->rec + PF_REC_HDR_SIZE, r->size - PF_REC_HDR_SIZE, "record") < 0)
		return -1;
	if (r->type != PF_REC_AUXTRACE)
		return 1;
	if (r->size < PF_AUXTRACE_SIZE)
		return pd_fail(pd, "corrupt perf.data stream: AUXTRACE record at 0x%llx is %u bytes, expected 48",
			       (unsigned long long)r->pos, r->size);
	r->aux_len = pf_get64(pd->rec + 8);
	if (r->aux_len > PD_MAX_STREAM_AUX)
		return pd_fail(pd, "AUXTRACE buffer at 0x%llx claims 0x%llx bytes, over the %llu MiB a stream buffer may take (corrupt? or save to a file first)",
			       (unsigned long long)r->pos, (unsigned long long)r->aux_len,
			       PD_MAX_STREAM_AUX >> 20);
	if (r->aux_len > pd->aux_cap) {
		size_t cap = pd->aux_cap ? pd->aux_cap : 65536;
		uint8_t *nb;

		while (cap < r->aux_len)
			cap *= 2;
		nb = realloc(pd->aux, cap);
		if (!nb)
			return pd_fail(pd, "out of memory for a 0x%llx-byte AUXTRACE buffer",
				       (unsigned long long)r->aux_len);
		pd->aux = nb;
		pd->aux_cap = cap;
	}
	if (r->aux_len && pd_stream_read(pd, pd->aux, (size_t)r->aux_len, "AUXTRACE buffer") < 0)
		return -1;
	r->aux = pd->aux;
	return 1;
}

static int pd_fetch(struct spe_pd *pd, struct pd_rec *r)
{
	return pd->stream ? pd_fetch_stream(pd, r) : pd_fetch_mem(pd, r);
}

static const char *no_info_msg =
	"perf.data has no SPE AUXTRACE_INFO (recorded without -e arm_spe//?)";

int pd_scan_for_info(struct spe_pd *pd)
{
	uint64_t start = pd->pos;
	struct pd_rec r = { 0 };	/* set when a fetch returns 1; zeroed for -O3 -Wmaybe-uninitialized */
	int ret;

	/* perf writes AUXTRACE_INFO among its first records: look for it
	 * now so that a file without SPE data is refused at open */
	while ((ret = pd_fetch_mem(pd, &r)) > 0) {
		if (r.type == PF_REC_AUXTRACE_INFO) {
			if (pd_parse_auxtrace_info(pd, r.p, r.size))
				return -1;
			pd->info_pos = r.pos;
			break;
		}
		if (r.type == PF_REC_COMPRESSED)
			return pd_fail(pd, "perf.data is compressed (perf record -z): not supported; write an uncompressed copy with 'perf inject -i IN -o OUT'");
		if (r.type == PF_REC_AUXTRACE)
			break;
	}
	if (ret < 0)
		return -1;
	pd->pos = start;
	if (!pd->have_info)
		return pd_fail(pd, "%s", no_info_msg);
	return 0;
}

/* The attr a kernel record's sample_id belongs to, or NULL */
static const struct spe_pd_attr *pd_rec_attr(const struct spe_pd *pd,
					     const uint8_t *p, size_t size)
{
	const struct spe_pd_attr *a0;
	uint64_t id;
	unsigned int i, j;
	bool uniform = true;

	if (!pd->nr_attrs)
		return NULL;
	a0 = &pd->attrs[0];
	for (i = 1; i < pd->nr_attrs; i++)
		if (pd->attrs[i].sample_type != a0->sample_type ||
		    pd->attrs[i].sample_id_all != a0->sample_id_all)
			uniform = false;
	if (uniform)
		return a0;
	/* mixed sample types: perf requires IDENTIFIER, the trailer's last u64 */
	if (!(a0->sample_type & PF_SAMPLE_IDENTIFIER) || size < PF_REC_HDR_SIZE + 8)
		return NULL;
	id = pf_get64(p + size - 8);
	for (i = 0; i < pd->nr_attrs; i++)
		for (j = 0; j < pd->attrs[i].nr_ids; j++)
			if (pd->attrs[i].ids[j] == id)
				return &pd->attrs[i];
	return NULL;
}

/*
 * Fill *sid from the trailer of a kernel record whose fixed fields take
 * @fixed bytes.  Returns the bytes the trailer takes (0 when none).
 */
static size_t pd_sample_id(const struct spe_pd *pd, const uint8_t *p, size_t size,
			   size_t fixed, struct spe_pd_sample_id *sid)
{
	const struct spe_pd_attr *a = pd_rec_attr(pd, p, size);
	static const uint64_t bits[] = {
		PF_SAMPLE_TID, PF_SAMPLE_TIME, PF_SAMPLE_ID, PF_SAMPLE_STREAM_ID,
		PF_SAMPLE_CPU, PF_SAMPLE_IDENTIFIER,
	};
	size_t tsize = 0, i;
	const uint8_t *t;

	memset(sid, 0, sizeof(*sid));
	if (!a || !a->sample_id_all)
		return 0;
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (a->sample_type & bits[i])
			tsize += 8;
	if (!tsize || size < fixed || size - fixed < tsize)
		return 0;
	t = p + size - tsize;
	if (a->sample_type & PF_SAMPLE_TID) {
		sid->pid = pf_get32(t);
		sid->tid = pf_get32(t + 4);
		sid->has |= SPE_PD_SID_TID;
		t += 8;
	}
	if (a->sample_type & PF_SAMPLE_TIME) {
		sid->time = pf_get64(t);
		sid->has |= SPE_PD_SID_TIME;
		t += 8;
	}
	if (a->sample_type & PF_SAMPLE_ID) {
		sid->id = pf_get64(t);
		sid->has |= SPE_PD_SID_ID;
		t += 8;
	}
	if (a->sample_type & PF_SAMPLE_STREAM_ID)
		t += 8;
	if (a->sample_type & PF_SAMPLE_CPU) {
		sid->cpu = pf_get32(t);
		sid->has |= SPE_PD_SID_CPU;
		t += 8;
	}
	if (a->sample_type & PF_SAMPLE_IDENTIFIER) {
		sid->id = pf_get64(t);
		sid->has |= SPE_PD_SID_ID;
	}
	return tsize;
}

/* A NUL-terminated string at @off of the record, or NULL */
static const char *pd_rec_str(const struct pd_rec *r, size_t off)
{
	if (off >= r->size || !memchr(r->p + off, '\0', r->size - off))
		return NULL;
	return (const char *)r->p + off;
}

static int pd_too_short(struct spe_pd *pd, const struct pd_rec *r, const char *what)
{
	return pd_fail(pd, "corrupt perf.data: %s record at 0x%llx is only %u bytes",
		       what, (unsigned long long)r->pos, r->size);
}

static void pd_check_order(struct spe_pd *pd, struct spe_pd_event *ev, struct pd_queue *q)
{
	uint64_t off = ev->auxtrace.offset, end = q->off + q->size;
	const char *what = NULL;

	if (!q->seen) {
		ev->auxtrace.order = SPE_PD_ORDER_FIRST;
		return;
	}
	/* perf pads each buffer to 8 bytes but advances the offset by the
	 * unpadded size: up to 7 bytes of overlap are the padding */
	if (off <= end && (end - off) < 8 && off >= q->off) {
		ev->auxtrace.order = SPE_PD_ORDER_OK;
		return;
	}
	if (off > end) {
		ev->auxtrace.order = SPE_PD_ORDER_GAP;
		what = "skips ahead of";
	} else if (off >= q->off) {
		ev->auxtrace.order = SPE_PD_ORDER_OVERLAP;
		what = "overlaps";
	} else {
		ev->auxtrace.order = SPE_PD_ORDER_BACKWARDS;
		what = "goes back before";
	}
	snprintf(pd->warn, sizeof(pd->warn),
		 "AUXTRACE buffer at 0x%llx (queue %u, cpu %d) offset 0x%llx %s the previous buffer 0x%llx..0x%llx",
		 (unsigned long long)ev->pos, ev->auxtrace.idx, (int)ev->auxtrace.cpu,
		 (unsigned long long)off, what, (unsigned long long)q->off,
		 (unsigned long long)end);
	ev->warn = pd->warn;
}

static int pd_auxtrace(struct spe_pd *pd, const struct pd_rec *r, struct spe_pd_event *ev)
{
	struct pd_queue *q;

	if (!pd->have_info)
		return pd_fail(pd, "%s: an AUXTRACE buffer at 0x%llx comes before any",
			       no_info_msg, (unsigned long long)r->pos);
	ev->type = SPE_PD_EV_AUXTRACE;
	ev->auxtrace.size = r->aux_len;
	ev->auxtrace.offset = pf_get64(r->p + 16);
	ev->auxtrace.reference = pf_get64(r->p + 24);
	ev->auxtrace.idx = pf_get32(r->p + 32);
	ev->auxtrace.tid = pf_get32(r->p + 36);
	ev->auxtrace.cpu = pf_get32(r->p + 40);
	ev->auxtrace.data = r->aux;

	if (ev->auxtrace.idx >= PD_MAX_QUEUES)
		return pd_fail(pd, "corrupt perf.data: AUXTRACE buffer at 0x%llx has queue index %u (more than %u queues)",
			       (unsigned long long)r->pos, ev->auxtrace.idx, PD_MAX_QUEUES);
	if (ev->auxtrace.idx >= pd->nr_queues) {
		unsigned int n = ev->auxtrace.idx + 1;
		struct pd_queue *nq = realloc(pd->queues, n * sizeof(*nq));

		if (!nq)
			return pd_fail(pd, "out of memory for AUX queues");
		memset(nq + pd->nr_queues, 0, (n - pd->nr_queues) * sizeof(*nq));
		pd->queues = nq;
		pd->nr_queues = n;
	}
	q = &pd->queues[ev->auxtrace.idx];
	pd_check_order(pd, ev, q);
	q->seen = true;
	q->cpu = ev->auxtrace.cpu;
	q->tid = ev->auxtrace.tid;
	q->off = ev->auxtrace.offset;
	q->size = ev->auxtrace.size;
	return 1;
}

static int pd_header_attr(struct spe_pd *pd, const struct pd_rec *r)
{
	uint32_t asz;

	if (r->size < PF_REC_HDR_SIZE + PF_ATTR_SIZE_VER0)
		return pd_too_short(pd, r, "HEADER_ATTR");
	asz = pf_get32(r->p + PF_REC_HDR_SIZE + PF_ATTR_SIZE);
	if (!asz)
		asz = PF_ATTR_SIZE_VER0;
	if (asz < PF_ATTR_SIZE_VER0 || asz > (uint32_t)r->size - PF_REC_HDR_SIZE)
		return pd_fail(pd, "corrupt perf.data: HEADER_ATTR record at 0x%llx has attr size %u in %u bytes",
			       (unsigned long long)r->pos, asz, r->size);
	return pd_add_attr(pd, r->p + PF_REC_HDR_SIZE, asz,
			   r->p + PF_REC_HDR_SIZE + asz,
			   (r->size - PF_REC_HDR_SIZE - asz) / 8);
}

/* Turn a record into an event: 1 yielded, 0 skipped, -1 error */
static int pd_convert(struct spe_pd *pd, const struct pd_rec *r, struct spe_pd_event *ev)
{
	const uint8_t *p = r->p;
	size_t tsz;

	memset(ev, 0, sizeof(*ev));
	ev->rec_type = r->type;
	ev->misc = r->misc;
	ev->pos = r->pos;

	switch (r->type) {
	case PF_REC_AUXTRACE_INFO:
		/* the open-time scan already parsed this one */
		if (!(pd->have_info && pd->info_pos == r->pos && !pd->stream) &&
		    pd_parse_auxtrace_info(pd, p, r->size))
			return -1;
		ev->type = SPE_PD_EV_AUXTRACE_INFO;
		if (pd->open_warn[0])
			ev->warn = pd->open_warn;
		return 1;
	case PF_REC_AUXTRACE:
		return pd_auxtrace(pd, r, ev);
	case PF_REC_AUX:
		if (r->size < PF_AUX_SIZE)
			return pd_too_short(pd, r, "AUX");
		ev->type = SPE_PD_EV_AUX;
		ev->aux.aux_offset = pf_get64(p + 8);
		ev->aux.aux_size = pf_get64(p + 16);
		ev->aux.flags = pf_get64(p + 24);
		pd_sample_id(pd, p, r->size, PF_AUX_SIZE, &ev->sid);
		return 1;
	case PF_REC_LOST:
		if (r->size < 24)
			return pd_too_short(pd, r, "LOST");
		ev->type = SPE_PD_EV_LOST;
		ev->lost.id = pf_get64(p + 8);
		ev->lost.lost = pf_get64(p + 16);
		pd_sample_id(pd, p, r->size, 24, &ev->sid);
		return 1;
	case PF_REC_LOST_SAMPLES:
		if (r->size < 16)
			return pd_too_short(pd, r, "LOST_SAMPLES");
		ev->type = SPE_PD_EV_LOST_SAMPLES;
		ev->lost_samples.lost = pf_get64(p + 8);
		pd_sample_id(pd, p, r->size, 16, &ev->sid);
		return 1;
	case PF_REC_COMM:
		if (r->size <= PF_COMM_FIXED)
			return pd_too_short(pd, r, "COMM");
		ev->type = SPE_PD_EV_COMM;
		ev->comm.pid = pf_get32(p + 8);
		ev->comm.tid = pf_get32(p + 12);
		ev->comm.comm = pd_rec_str(r, PF_COMM_FIXED);
		ev->comm.exec = !!(r->misc & PF_MISC_COMM_EXEC);
		if (!ev->comm.comm)
			return pd_fail(pd, "corrupt perf.data: COMM record at 0x%llx has no NUL-terminated name",
				       (unsigned long long)r->pos);
		tsz = pd_sample_id(pd, p, r->size, PF_COMM_FIXED + 1, &ev->sid);
		(void)tsz;
		return 1;
	case PF_REC_MMAP:
	case PF_REC_MMAP2: {
		size_t fixed = r->type == PF_REC_MMAP2 ? PF_MMAP2_FIXED : PF_MMAP_FIXED;

		if (r->size <= fixed)
			return pd_too_short(pd, r, r->type == PF_REC_MMAP2 ? "MMAP2" : "MMAP");
		ev->type = SPE_PD_EV_MMAP;
		ev->mmap.pid = pf_get32(p + 8);
		ev->mmap.tid = pf_get32(p + 12);
		ev->mmap.start = pf_get64(p + 16);
		ev->mmap.len = pf_get64(p + 24);
		ev->mmap.pgoff = pf_get64(p + 32);
		/* with PERF_RECORD_MISC_MMAP_BUILD_ID the device/inode
		 * fields hold a build id instead: leave them 0 */
		if (r->type == PF_REC_MMAP2 && !(r->misc & (1u << 14))) {
			ev->mmap.maj = pf_get32(p + 40);
			ev->mmap.min = pf_get32(p + 44);
			ev->mmap.ino = pf_get64(p + 48);
			ev->mmap.ino_generation = pf_get64(p + 56);
		}
		if (r->type == PF_REC_MMAP2) {
			ev->mmap.prot = pf_get32(p + 64);
			ev->mmap.flags = pf_get32(p + 68);
		}
		ev->mmap.filename = pd_rec_str(r, fixed);
		if (!ev->mmap.filename)
			return pd_fail(pd, "corrupt perf.data: MMAP record at 0x%llx has no NUL-terminated file name",
				       (unsigned long long)r->pos);
		pd_sample_id(pd, p, r->size, fixed + 1, &ev->sid);
		return 1;
	}
	case PF_REC_TIME_CONV:
		if (r->size < PF_TIME_CONV_OLD_SIZE)
			return pd_too_short(pd, r, "TIME_CONV");
		ev->type = SPE_PD_EV_TIME_CONV;
		ev->time_conv.time_shift = pf_get64(p + 8);
		ev->time_conv.time_mult = pf_get64(p + 16);
		ev->time_conv.time_zero = pf_get64(p + 24);
		/* perf before 5.12 wrote only the first three */
		if (r->size >= PF_TIME_CONV_SIZE) {
			ev->time_conv.has_cycles = true;
			ev->time_conv.time_cycles = pf_get64(p + 32);
			ev->time_conv.time_mask = pf_get64(p + 40);
			ev->time_conv.cap_user_time_zero = p[48];
			ev->time_conv.cap_user_time_short = p[49];
		}
		return 1;
	case PF_REC_HEADER_ATTR:
		return pd_header_attr(pd, r) ? -1 : 0;
	case PF_REC_HEADER_FEATURE:
		if (r->size >= 16)
			pd_parse_feature(pd, pf_get64(p + 8), p + 16, r->size - 16u);
		return 0;
	case PF_REC_COMPRESSED:
		return pd_fail(pd, "perf.data is compressed (perf record -z): not supported; write an uncompressed copy with 'perf inject -i IN -o OUT'");
	default:
		return 0;
	}
}

int spe_pd_next(struct spe_pd *pd, struct spe_pd_event *ev)
{
	struct pd_rec r = { 0 };	/* set when a fetch returns 1; zeroed for -O3 -Wmaybe-uninitialized */
	int ret;

	if (pd->failed)
		return -1;
	for (;;) {
		ret = pd_fetch(pd, &r);
		if (ret <= 0)
			break;
		ret = pd_convert(pd, &r, ev);
		if (ret)
			return ret;
	}
	if (ret == 0 && !pd->have_info)
		return pd_fail(pd, "%s", no_info_msg);
	return ret;
}

int spe_pd_aux_queue(const struct spe_pd *pd, const struct spe_pd_event *ev,
		     uint32_t *idx, uint32_t *cpu)
{
	unsigned int i;

	*cpu = (uint32_t)-1;
	*idx = (uint32_t)-1;
	if (ev->sid.has & SPE_PD_SID_CPU) {
		*cpu = ev->sid.cpu;
		for (i = 0; i < pd->nr_queues; i++) {
			if (pd->queues[i].seen && pd->queues[i].cpu == *cpu) {
				*idx = i;
				return 0;
			}
		}
		/* perf numbers mmaps in CPU-map order, which v2 lists */
		if (pd->have_info && pd->cpus) {
			for (i = 0; i < pd->info.nr_cpus; i++) {
				if (pd->cpus[i].cpu == *cpu) {
					*idx = i;
					return 1;
				}
			}
		}
		*idx = *cpu;
		return 1;
	}
	if (ev->sid.has & SPE_PD_SID_TID) {
		for (i = 0; i < pd->nr_queues; i++) {
			if (pd->queues[i].seen && pd->queues[i].tid == ev->sid.tid) {
				*idx = i;
				return 0;
			}
		}
	}
	return -1;
}

const char *spe_pd_ev_name(unsigned int type)
{
	switch (type) {
	case SPE_PD_EV_AUXTRACE_INFO:	return "AUXTRACE_INFO";
	case SPE_PD_EV_AUXTRACE:	return "AUXTRACE";
	case SPE_PD_EV_AUX:		return "AUX";
	case SPE_PD_EV_LOST:		return "LOST";
	case SPE_PD_EV_LOST_SAMPLES:	return "LOST_SAMPLES";
	case SPE_PD_EV_COMM:		return "COMM";
	case SPE_PD_EV_MMAP:		return "MMAP";
	case SPE_PD_EV_TIME_CONV:	return "TIME_CONV";
	default:			return "?";
	}
}
