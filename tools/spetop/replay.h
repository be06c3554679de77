/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Replay: a perf.data (file format, mapped; pipe format, streamed) or a
 * raw dump of SPE AUX bytes, fed into the pipeline piece by piece, so the
 * caller can pace it and render between pieces.  Side-band records (COMM,
 * MMAP2) go to the symboliser, AUX flags and LOST records to the drop
 * counters, per-CPU MIDRs pick the data-source meaning.
 */
#ifndef SPETOP_REPLAY_H
#define SPETOP_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pipe;
struct sym_ctx;
struct spe_pd;

struct replay {
	const char *path;
	struct spe_pd *pd;	/* perf.data, or NULL for raw bytes */
	int fd;
	bool raw;		/* raw SPE bytes, read() in chunks: memory stays
				 * flat however long the file */
	uint64_t raw_pos;
	uint8_t *chunk;
	uint64_t midr;		/* --midr, 0: the file's */
	double timer_hz;	/* SPE timestamp ticks per second */
	bool timer_user;	/* --timer-hz given: the file's is ignored */
	unsigned int ncpus;	/* distinct CPUs seen */
	uint64_t cpu_seen[16];	/* bitmap of CPUs 0..1023 */
	char err[512];		/* perf.data reader's messages land here */
};

/* 0, or -1 with one line in @err */
int replay_open(struct replay *r, const char *path, uint64_t midr, double timer_hz,
		char *err, size_t errlen);
/*
 * Feed the next piece (one perf.data event, or up to 1 MiB of raw bytes)
 * into @p, side-band into @sym (may be NULL).  1: more to come, 0: end of
 * input (the pipe is finished), -1: error with one line in @err.
 */
int replay_step(struct replay *r, struct pipe *p, struct sym_ctx *sym, char *err, size_t errlen);
void replay_close(struct replay *r);

#endif
