/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spegen record generator: one SYNTHETIC Arm SPE sample record at a time,
 * laid out the way Neoverse hardware writes them.
 */
#ifndef SPEGEN_GEN_H
#define SPEGEN_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spegen_model.h"
#include "spegen_rand.h"
#include "spegen_syms.h"

/* Operation mixes (--mix keys). */
enum spegen_op {
	SPEGEN_OP_LOAD = 0,
	SPEGEN_OP_STORE,
	SPEGEN_OP_BRANCH,
	SPEGEN_OP_OTHER,
	SPEGEN_OP_SVE,
	SPEGEN_OP_SME,
	SPEGEN_OP_ATOMIC,
	SPEGEN_OP_MOPS,
	SPEGEN_OP_MTE,
	SPEGEN_OP_GCS,
	SPEGEN_OP_NV2,
	SPEGEN_OP_UNSPEC,
	SPEGEN_OP_NR
};

const char *spegen_op_name(unsigned int op);
int spegen_op_parse(const char *name);		/* -1 if unknown */
/* Feature an op kind needs, or -1 when every version has it. */
int spegen_op_feat(unsigned int op);

struct spegen_cfg {
	uint64_t seed;
	const struct spegen_cpu_model *model;
	unsigned int version;		/* enum spegen_version */
	double mix[SPEGEN_OP_NR];	/* relative weights */
	const struct spegen_syms *user_syms;
	const struct spegen_syms *kernel_syms;
	double kernel_share;		/* share of records with EL1 PCs */
	bool ts;			/* close records with a Timestamp */
	double ts_hz;			/* timestamp counter frequency */
	double rate;			/* samples per second */
	uint64_t ts_start;
	bool pa;			/* emit data PA */
	int context;			/* -1 off, SPE_CTX_EL1 or SPE_CTX_EL2 */
	uint32_t pids;			/* context ids from 1000..1000+pids-1; 0: any */
	unsigned int count_size;	/* 12 or 16 */
	unsigned int align;		/* record alignment, 0/1 = none */
	unsigned int ev_size;		/* 0 = smallest, else 1/2/4/8 */
	unsigned int dsrc_size;		/* 0 = smallest, else 1/2 */
	bool alt_clock;			/* counter 4 (v1p4+) */
	bool prev_tgt;			/* address 4 on branches (v1p2+) */
	bool ext_hdr;			/* extended headers for addr/counter */
	unsigned int sve_vl;		/* bits */
};

/* Packets of the last record, for damage and truncation. */
#define SPEGEN_REC_MAX_PKTS	32
#define SPEGEN_MAX_ALIGN	4096
#define SPEGEN_REC_MAX		(SPEGEN_MAX_ALIGN + 256)

struct spegen_rec_info {
	unsigned int nr_pkts;
	uint16_t pkt_off[SPEGEN_REC_MAX_PKTS];
	uint16_t pkt_len[SPEGEN_REC_MAX_PKTS];
	uint8_t pkt_hdr_len[SPEGEN_REC_MAX_PKTS];	/* 0: run of PAD bytes */
	uint8_t op;		/* enum spegen_op */
	int8_t dsrc;		/* model dsrc index, -1 if none */
	bool kernel;
};

struct spegen_stats {
	uint64_t records, bytes, pad_bytes;
	uint64_t op[SPEGEN_OP_NR];
	uint64_t loads, stores;
	uint64_t dsrc[SPEGEN_MAX_DSRC];		/* loads by data source */
	uint64_t level[LVL_NR];			/* loads and stores by level */
	uint64_t kernel, not_retired, tlb_walk, mispred, not_taken;
	uint64_t saturated;			/* counter values clipped */
	uint64_t lat_sum[LVL_NR];		/* total latency of loads */
};

struct spegen {
	struct spegen_cfg cfg;
	struct spegen_rng rng;
	uint64_t ts;
	uint32_t pid;
	uint64_t hot_va[4];
	double ld_w[SPEGEN_MAX_DSRC];	/* load data source weights */
	double st_w[SPEGEN_MAX_DSRC];	/* store level weights */
	double at_w[SPEGEN_MAX_DSRC];	/* atomic weights */
	struct spegen_stats st;
};

void spegen_cfg_defaults(struct spegen_cfg *cfg);
/*
 * Clear the settings and mix entries @cfg->version cannot encode.  Returns
 * a bit mask of the enum spegen_feat features that were dropped.
 */
unsigned int spegen_cfg_restrict(struct spegen_cfg *cfg);
/* Needs cfg->model and cfg->user_syms set. */
void spegen_init(struct spegen *g, const struct spegen_cfg *cfg);
/* Write the next record at @buf (SPEGEN_REC_MAX bytes); returns its length. */
size_t spegen_record(struct spegen *g, uint8_t *buf, struct spegen_rec_info *info);

#endif /* SPEGEN_GEN_H */
