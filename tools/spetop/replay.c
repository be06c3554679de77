// SPDX-License-Identifier: GPL-2.0-only
/*
 * Replay of a recording through the same pipeline as live capture.
 * perf.data goes through libspe's reader; anything without perf's magic
 * is taken as raw AUX bytes of one CPU (what `spegen` writes, or an AUX
 * area dumped by hand).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perf_data.h"
#include "pipe.h"
#include "replay.h"
#include "spe.h"
#include "sym.h"

#define RAW_CHUNK	(1u << 20)

int replay_open(struct replay *r, const char *path, uint64_t midr, double timer_hz,
		char *err, size_t errlen)
{
	struct stat st;
	int ret;

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->midr = midr;
	r->timer_hz = timer_hz > 0 ? timer_hz : 1e9;
	r->timer_user = timer_hz > 0;
	r->fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : dup(STDIN_FILENO);
	if (r->fd < 0) {
		snprintf(err, errlen, "%s: %s%s", path, strerror(errno),
			 errno == ENOENT ? " (give a perf.data from `perf record -e arm_spe//` or a raw SPE dump)" : "");
		return -1;
	}
	if (fstat(r->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory (give a perf.data or raw SPE file)", path);
		close(r->fd);
		return -1;
	}
	if (S_ISREG(st.st_mode) && st.st_size == 0) {
		snprintf(err, errlen, "%s: empty file (nothing to replay)", path);
		close(r->fd);
		return -1;
	}
	ret = spe_pd_open_fd(r->fd, path, &r->pd, r->err, sizeof(r->err));
	if (ret == SPE_PD_OK)
		return 0;
	if (ret == SPE_PD_ERROR) {
		snprintf(err, errlen, "%s", r->err);
		close(r->fd);
		return -1;
	}
	/* no perf.data magic: raw SPE bytes */
	r->pd = NULL;
	if (S_ISREG(st.st_mode)) {
		r->chunk = malloc(RAW_CHUNK);
		if (!r->chunk) {
			snprintf(err, errlen, "%s: out of memory", path);
			close(r->fd);
			return -1;
		}
		r->raw = true;
		return 0;
	}
	/* a pipe: the reader consumed up to 16 bytes, which are lost to us */
	snprintf(err, errlen, "%s: raw SPE data from a pipe is not supported (save it to a file, or pipe a perf.data)",
		 path);
	close(r->fd);
	return -1;
}

void replay_close(struct replay *r)
{
	if (r->pd)
		spe_pd_close(r->pd);
	if (r->fd >= 0)
		close(r->fd);
	free(r->chunk);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

static void note_cpu(struct replay *r, uint32_t cpu)
{
	if (cpu < 1024 && !(r->cpu_seen[cpu / 64] >> (cpu % 64) & 1)) {
		r->cpu_seen[cpu / 64] |= 1ULL << (cpu % 64);
		r->ncpus++;
	}
}

static enum spe_dsrc_family family(struct replay *r, uint32_t cpu)
{
	uint64_t midr;

	if (r->midr)
		return spe_dsrc_family_for_midr(r->midr);
	if (cpu != UINT32_MAX && spe_pd_cpu_midr(r->pd, cpu, &midr) >= 0)
		return spe_dsrc_family_for_midr(midr);
	return SPE_DSRC_UNKNOWN;
}

static int step_raw(struct replay *r, struct pipe *p, char *err, size_t errlen)
{
	ssize_t n;

	if (!r->raw_pos) {
		note_cpu(r, 0);
		pipe_set_queue(p, 0, -1, r->midr ? spe_dsrc_family_for_midr(r->midr) : SPE_DSRC_UNKNOWN);
	}
	do
		n = pread(r->fd, r->chunk, RAW_CHUNK, (off_t)r->raw_pos);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		snprintf(err, errlen, "%s: read at offset %llu: %s", r->path,
			 (unsigned long long)r->raw_pos, strerror(errno));
		return -1;
	}
	if (!n) {
		pipe_finish(p);
		return 0;
	}
	pipe_aux(p, 0, r->chunk, (size_t)n);
	r->raw_pos += (uint64_t)n;
	return 1;
}

/* ticks per second from TIME_CONV: ns = ticks * mult >> shift */
static void time_conv(struct replay *r, const struct spe_pd_event *ev)
{
	if (!r->timer_user && ev->time_conv.time_mult && ev->time_conv.time_shift < 64)
		r->timer_hz = 1e9 * (double)(1ULL << ev->time_conv.time_shift) /
			      (double)ev->time_conv.time_mult;
}

int replay_step(struct replay *r, struct pipe *p, struct sym_ctx *sym, char *err, size_t errlen)
{
	struct spe_pd_event ev;
	int n;

	if (!r->pd)
		return step_raw(r, p, err, errlen);
	n = spe_pd_next(r->pd, &ev);
	if (n < 0) {
		snprintf(err, errlen, "%s", r->err);
		return -1;
	}
	if (n == 0) {
		pipe_finish(p);
		return 0;
	}
	switch (ev.type) {
	case SPE_PD_EV_AUXTRACE: {
		uint32_t idx = ev.auxtrace.idx, cpu = ev.auxtrace.cpu;

		if (idx >= PIPE_MAX_QUEUES) {
			snprintf(err, errlen, "%s: AUX queue %u out of range (at most %d queues)",
				 r->path, idx, PIPE_MAX_QUEUES);
			return -1;
		}
		if (cpu != UINT32_MAX)
			note_cpu(r, cpu);
		pipe_set_queue(p, idx, cpu == UINT32_MAX ? -1 : (int)cpu, family(r, cpu));
		if (ev.auxtrace.order >= SPE_PD_ORDER_GAP)
			pipe_aux_gap(p, idx);
		pipe_aux(p, idx, ev.auxtrace.data, (size_t)ev.auxtrace.size);
		break;
	}
	case SPE_PD_EV_AUX:
		pipe_aux_flags(p, ev.aux.flags);
		break;
	case SPE_PD_EV_LOST:
		pipe_lost(p, ev.lost.lost);
		break;
	case SPE_PD_EV_LOST_SAMPLES:
		pipe_lost_samples(p, ev.lost_samples.lost);
		break;
	case SPE_PD_EV_COMM:
		/* SPE's context is the thread id; maps are per process */
		if (sym)
			sym_comm_event(sym, ev.comm.pid, ev.comm.tid, ev.comm.comm);
		break;
	case SPE_PD_EV_MMAP:
		if (sym)
			sym_add_mmap(sym, ev.mmap.pid, ev.mmap.start, ev.mmap.len, ev.mmap.pgoff,
				     ev.mmap.filename);
		break;
	case SPE_PD_EV_TIME_CONV:
		time_conv(r, &ev);
		break;
	default:
		break;
	}
	return 1;
}
