/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spegen CPU models (MIDR, data-source encodings, latency by memory level)
 * and SPE version features.
 */
#ifndef SPEGEN_MODEL_H
#define SPEGEN_MODEL_H

#include <stdbool.h>
#include <stdint.h>

/* Where a load's data came from, model-independent. */
enum spegen_level {
	LVL_L1 = 0,
	LVL_L2,
	LVL_PEER_CORE,		/* another core's private cache */
	LVL_CLUSTER,		/* local cluster cache */
	LVL_SLC,		/* last-level / system cache */
	LVL_PEER_CLUSTER,
	LVL_REMOTE,		/* other socket/chip, cache */
	LVL_DRAM,
	LVL_REMOTE_DRAM,
	LVL_DEVICE,
	LVL_NR
};

/* Latency of the memory level, in cycles: lognormal parameters. */
struct spegen_lat {
	double median, spread, lo, hi;
};

struct spegen_dsrc {
	uint8_t level;		/* enum spegen_level */
	uint8_t hitm;		/* line was modified in the peer cache */
	uint16_t code;		/* Data Source payload */
	double weight;		/* share of loads */
	const char *name;
};

#define SPEGEN_MAX_DSRC	16

struct spegen_cpu_model {
	const char *name;
	const char *desc;
	uint32_t midr;
	unsigned int version;		/* default PMSVer */
	unsigned int sve_vl;		/* default SVE vector length, bits */
	int nr_dsrc;
	struct spegen_dsrc dsrc[SPEGEN_MAX_DSRC];
};

const struct spegen_cpu_model *spegen_model_find(const char *name);
const struct spegen_cpu_model *spegen_model_at(int i);	/* NULL past end */
const struct spegen_lat *spegen_level_lat(unsigned int level);
const char *spegen_level_name(unsigned int level);

/* SPE versions, as ID_AA64DFR0_EL1.PMSVer encodes them. */
enum spegen_version {
	SPEGEN_V1 = 1,
	SPEGEN_V1P1,
	SPEGEN_V1P2,
	SPEGEN_V1P3,
	SPEGEN_V1P4,
	SPEGEN_V1P5,
};

/* Encodings a version may carry. */
enum spegen_feat {
	FEAT_ALIGN_EVENT,	/* E11 */
	FEAT_SVE,		/* SVE op types, E17/E18 */
	FEAT_LDST_UNSPEC,	/* ld/st "unspecified" subclass */
	FEAT_PREV_TGT,		/* Address index 4 */
	FEAT_MOPS,		/* memcpy/memset op types */
	FEAT_MTE,		/* MTE tag op type */
	FEAT_EV_V1P4,		/* E19-E23 */
	FEAT_ALT_CLOCK,		/* Counter index 4 */
	FEAT_SME,		/* SME op type, E24/E25 */
	FEAT_GCS,		/* GCS op types, branch GCS bit */
	FEAT_BR_CR,		/* branch call/return field */
	FEAT_OTHER_FP_ASE,	/* FP/ASE qualifiers on "other" ops */
	FEAT_NR
};

int spegen_version_parse(const char *s);	/* -1 if unknown */
const char *spegen_version_name(unsigned int ver);
bool spegen_version_has(unsigned int ver, enum spegen_feat f);
unsigned int spegen_feat_min_version(enum spegen_feat f);
const char *spegen_feat_name(enum spegen_feat f);

#endif /* SPEGEN_MODEL_H */
