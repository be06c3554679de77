/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The dump core: per-queue decoders and the chosen output.  Inputs (raw
 * files, pipes, perf.data) push AUX bytes and sideband into it.
 */
#ifndef SPEDUMP_DUMP_H
#define SPEDUMP_DUMP_H

#include <stdbool.h>
#include <stdint.h>

#include "outbuf.h"
#include "pktdump.h"
#include "recfmt.h"
#include "spe.h"
#include "stats.h"

enum dump_mode { DUMP_RECORDS, DUMP_PACKETS, DUMP_STATS };

struct dump_opts {
	enum dump_mode mode;
	enum recfmt_kind fmt;	/* records; and JSON for stats */
	bool perf_compat;	/* drop unterminated trailing records */
	int only_cpu;		/* -1: all */
	bool have_midr;
	uint64_t midr;		/* --midr: overrides the file's */
};

struct dump_queue {
	struct spe_decoder dec;
	int cpu;
	enum spe_dsrc_family fam;
	bool used;
};

#define DUMP_MAX_QUEUES 4096

struct dump {
	struct dump_opts opts;
	struct outbuf out;
	struct dump_queue *q;
	unsigned int nr_q;
	enum spe_dsrc_family cpu_fam[DUMP_MAX_QUEUES];	/* from metadata */
	struct stats stats;
	struct spe_stats dec_total;	/* filled by dump_finish() */
	struct pktdump_damage pkt_damage;	/* --packets mode */
};

int dump_init(struct dump *d, const struct dump_opts *opts, int out_fd);
/* Data-source family for a CPU, from perf.data v2 metadata. */
void dump_set_cpu_midr(struct dump *d, int cpu, uint64_t midr);
/*
 * AUX bytes for queue @queue (perf's per-CPU or per-thread queue) from
 * @cpu (-1: unknown).  Consecutive calls for one queue continue one stream.
 * Returns -1 if the queue number is out of range.
 */
int dump_aux(struct dump *d, unsigned int queue, int cpu,
	     const uint8_t *buf, size_t len);
/* The stream of @queue broke (data lost between buffers): end the record
 * in progress as damaged and start afresh. */
void dump_aux_break(struct dump *d, unsigned int queue);
void dump_finish(struct dump *d);
void dump_free(struct dump *d);

#endif
