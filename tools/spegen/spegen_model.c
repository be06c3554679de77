// SPDX-License-Identifier: GPL-2.0-only
/*
 * spegen CPU models and SPE version features.
 *
 * MIDRs are MIDR_CPU_MODEL(implementer, part) with variant/revision 0, as in
 * Linux arch/arm64/include/asm/cputype.h.  Data Source encodings are the
 * ones the project's format notes give per vendor.  Load shares are a
 * plausible server mix, not measurements.
 */
#include <string.h>

#include "spegen_model.h"

/* cycles: median, spread (95% within median / spread .. median * spread), clamp */
static const struct spegen_lat level_lat[LVL_NR] = {
	[LVL_L1]		= {   4, 1.5,   2,   16 },
	[LVL_L2]		= {  21, 1.4,  11,   60 },
	[LVL_PEER_CORE]		= {  45, 1.4,  25,  120 },
	[LVL_CLUSTER]		= {  38, 1.4,  22,  100 },
	[LVL_SLC]		= {  58, 1.4,  32,  160 },
	[LVL_PEER_CLUSTER]	= {  85, 1.4,  45,  220 },
	[LVL_REMOTE]		= { 490, 1.6, 220, 3000 },
	[LVL_DRAM]		= { 245, 1.6, 110, 2500 },
	[LVL_REMOTE_DRAM]	= { 560, 1.6, 250, 4000 },
	[LVL_DEVICE]		= { 320, 1.8, 100, 4000 },
};

static const char *const level_names[LVL_NR] = {
	[LVL_L1]		= "L1D",
	[LVL_L2]		= "L2",
	[LVL_PEER_CORE]		= "peer-core",
	[LVL_CLUSTER]		= "local-cluster",
	[LVL_SLC]		= "LLC/SLC",
	[LVL_PEER_CLUSTER]	= "peer-cluster",
	[LVL_REMOTE]		= "remote",
	[LVL_DRAM]		= "DRAM",
	[LVL_REMOTE_DRAM]	= "remote-DRAM",
	[LVL_DEVICE]		= "device",
};

/* Neoverse N1/N2/V1/V2 and recent Cortex: one common encoding. */
#define ARM_COMMON_DSRC							\
	.nr_dsrc = 8,							\
	.dsrc = {							\
		{ LVL_L1,		0, 0x0, 88.0, "L1D" },		\
		{ LVL_L2,		0, 0x8,  6.0, "L2" },		\
		{ LVL_PEER_CORE,	0, 0x9,  0.5, "peer-core" },	\
		{ LVL_CLUSTER,		0, 0xa,  0.5, "local-cluster" }, \
		{ LVL_SLC,		0, 0xb,  2.5, "system-cache" },	\
		{ LVL_PEER_CLUSTER,	0, 0xc,  0.3, "peer-cluster" },	\
		{ LVL_REMOTE,		0, 0xd,  0.3, "remote" },	\
		{ LVL_DRAM,		0, 0xe,  1.9, "DRAM" },		\
	}

/* AmpereOne and AmpereOne A share one encoding */
#define AMPEREONE_DSRC							\
	.nr_dsrc = 6,							\
	.dsrc = {							\
		{ LVL_L1,		0, 8, 88.0, "L1D" },		\
		{ LVL_L2,		0, 9,  6.5, "L2D" },		\
		{ LVL_SLC,		0, 3,  2.8, "SLC" },		\
		{ LVL_PEER_CORE,	0, 0,  0.5, "local-chip-cache-or-device" }, \
		{ LVL_REMOTE,		0, 5,  0.3, "remote-chip-cache" }, \
		{ LVL_DRAM,		0, 7,  1.9, "DDR" },		\
	}

static const struct spegen_cpu_model models[] = {
	{
		.name = "n1", .desc = "Arm Neoverse N1",
		.midr = 0x410fd0c0, .version = SPEGEN_V1, .sve_vl = 128,
		ARM_COMMON_DSRC,
	}, {
		.name = "n2", .desc = "Arm Neoverse N2",
		.midr = 0x410fd490, .version = SPEGEN_V1P1, .sve_vl = 128,
		ARM_COMMON_DSRC,
	}, {
		.name = "v1", .desc = "Arm Neoverse V1",
		.midr = 0x410fd400, .version = SPEGEN_V1P1, .sve_vl = 256,
		ARM_COMMON_DSRC,
	}, {
		.name = "v2", .desc = "Arm Neoverse V2",
		.midr = 0x410fd4f0, .version = SPEGEN_V1P1, .sve_vl = 128,
		ARM_COMMON_DSRC,
	}, {
		.name = "ampereone", .desc = "AmpereOne (Ampere-1, part 0xac3)",
		.midr = 0xc00fac30, .version = SPEGEN_V1P1, .sve_vl = 128,
		AMPEREONE_DSRC,
	}, {
		.name = "ampereone-a", .desc = "AmpereOne A (Ampere-1A, part 0xac4)",
		.midr = 0xc00fac40, .version = SPEGEN_V1P1, .sve_vl = 128,
		AMPEREONE_DSRC,
	}, {
		.name = "hisi", .desc = "HiSilicon HIP08 (TSV110)",
		.midr = 0x480fd010, .version = SPEGEN_V1, .sve_vl = 128,
		.nr_dsrc = 14,
		.dsrc = {
			{ LVL_L1,	0, 18, 88.0, "L1" },
			{ LVL_L2,	0, 16,  5.6, "L2" },
			{ LVL_L2,	1, 17,  0.3, "L2-HITM" },
			{ LVL_SLC,	0,  2,  2.4, "L3" },
			{ LVL_SLC,	1,  3,  0.2, "L3-HITM" },
			{ LVL_PEER_CORE, 0, 0,  0.3, "peer-CPU" },
			{ LVL_PEER_CORE, 1, 1,  0.2, "peer-CPU-HITM" },
			{ LVL_PEER_CLUSTER, 0, 4, 0.2, "peer-cluster" },
			{ LVL_PEER_CLUSTER, 1, 5, 0.1, "peer-cluster-HITM" },
			{ LVL_REMOTE,	0,  6,  0.15, "remote-socket" },
			{ LVL_REMOTE,	1,  7,  0.05, "remote-socket-HITM" },
			{ LVL_DRAM,	0,  8,  1.7, "local-memory" },
			{ LVL_REMOTE_DRAM, 0, 9, 0.3, "remote-memory" },
			{ LVL_DEVICE,	0, 13,  0.05, "non-cacheable-device" },
		},
	},
};

const struct spegen_cpu_model *spegen_model_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++)
		if (!strcmp(models[i].name, name))
			return &models[i];
	return NULL;
}

const struct spegen_cpu_model *spegen_model_at(int i)
{
	if (i < 0 || (size_t)i >= sizeof(models) / sizeof(models[0]))
		return NULL;
	return &models[i];
}

const struct spegen_lat *spegen_level_lat(unsigned int level)
{
	return &level_lat[level < LVL_NR ? level : LVL_DRAM];
}

const char *spegen_level_name(unsigned int level)
{
	return level < LVL_NR ? level_names[level] : "?";
}

/* ---- versions ------------------------------------------------------------ */

static const char *const version_names[] = {
	[SPEGEN_V1] = "v1", [SPEGEN_V1P1] = "v1p1", [SPEGEN_V1P2] = "v1p2",
	[SPEGEN_V1P3] = "v1p3", [SPEGEN_V1P4] = "v1p4", [SPEGEN_V1P5] = "v1p5",
};

/*
 * First version carrying each encoding (FEAT_SPEv1pN as the Arm ARM ties
 * them; SME and alternate clock ride with v1p4, call/return and GCS with
 * v1p5 -- the closest PMSVer each optional feature can appear with).
 */
static const struct {
	unsigned int ver;
	const char *name;
} feat_tab[FEAT_NR] = {
	[FEAT_ALIGN_EVENT]	= { SPEGEN_V1P1, "misalignment event (E11)" },
	[FEAT_SVE]		= { SPEGEN_V1P1, "SVE op types, events E17/E18" },
	[FEAT_LDST_UNSPEC]	= { SPEGEN_V1P1, "unspecified load/store" },
	[FEAT_PREV_TGT]		= { SPEGEN_V1P2, "previous branch target" },
	[FEAT_MOPS]		= { SPEGEN_V1P3, "MOPS memcpy/memset op types" },
	[FEAT_MTE]		= { SPEGEN_V1P3, "MTE tag op types" },
	[FEAT_EV_V1P4]		= { SPEGEN_V1P4, "events E19-E23" },
	[FEAT_ALT_CLOCK]	= { SPEGEN_V1P4, "alternate-clock issue latency" },
	[FEAT_SME]		= { SPEGEN_V1P4, "SME op types, events E24/E25" },
	[FEAT_GCS]		= { SPEGEN_V1P5, "GCS op types" },
	[FEAT_BR_CR]		= { SPEGEN_V1P5, "branch call/return field" },
	/* Linux perf 6.1 (SPEv1p1 era) does not decode these bits */
	[FEAT_OTHER_FP_ASE]	= { SPEGEN_V1P2, "FP/ASE other-op qualifiers" },
};

int spegen_version_parse(const char *s)
{
	int v;

	if (!strcmp(s, "v1p0") || !strcmp(s, "1.0"))
		return SPEGEN_V1;
	for (v = SPEGEN_V1; v <= SPEGEN_V1P5; v++)
		if (!strcmp(s, version_names[v]))
			return v;
	return -1;
}

const char *spegen_version_name(unsigned int ver)
{
	if (ver < SPEGEN_V1 || ver > SPEGEN_V1P5)
		return "?";
	return version_names[ver];
}

bool spegen_version_has(unsigned int ver, enum spegen_feat f)
{
	return f < FEAT_NR && ver >= feat_tab[f].ver;
}

unsigned int spegen_feat_min_version(enum spegen_feat f)
{
	return f < FEAT_NR ? feat_tab[f].ver : 0;
}

const char *spegen_feat_name(enum spegen_feat f)
{
	return f < FEAT_NR ? feat_tab[f].name : "?";
}
