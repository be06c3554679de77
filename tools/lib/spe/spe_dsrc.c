// SPDX-License-Identifier: GPL-2.0-only
/*
 * Data Source packet meaning.  The Arm ARM leaves the encoding
 * IMPLEMENTATION DEFINED, so the meaning is chosen by the CPU's MIDR
 * (implementer and part number; variant and revision do not change it).
 * Freestanding: constant tables.
 */
#include "spe.h"

#define MIDR_IMPL(m)	((unsigned int)((m) >> 24 & 0xff))
#define MIDR_PART(m)	((unsigned int)((m) >> 4 & 0xfff))

struct midr_family {
	uint8_t impl;
	uint16_t part;
	uint8_t family;
};

/* Cores documented (TRMs) to use the common Arm encoding. */
static const struct midr_family midr_families[] = {
	{ 0x41, 0xd0c, SPE_DSRC_ARM_COMMON },	/* Neoverse N1 */
	{ 0x41, 0xd49, SPE_DSRC_ARM_COMMON },	/* Neoverse N2 */
	{ 0x41, 0xd8e, SPE_DSRC_ARM_COMMON },	/* Neoverse N3 */
	{ 0x41, 0xd40, SPE_DSRC_ARM_COMMON },	/* Neoverse V1 */
	{ 0x41, 0xd4f, SPE_DSRC_ARM_COMMON },	/* Neoverse V2 */
	{ 0x41, 0xd84, SPE_DSRC_ARM_COMMON },	/* Neoverse V3 */
	{ 0x41, 0xd83, SPE_DSRC_ARM_COMMON },	/* Neoverse V3AE */
	{ 0x41, 0xd4e, SPE_DSRC_ARM_COMMON },	/* Cortex-X3 */
	{ 0x41, 0xd82, SPE_DSRC_ARM_COMMON },	/* Cortex-X4 */
	{ 0x41, 0xd85, SPE_DSRC_ARM_COMMON },	/* Cortex-X925 */
	{ 0x41, 0xd4c, SPE_DSRC_ARM_COMMON },	/* Cortex-X1C */
	{ 0x41, 0xd81, SPE_DSRC_ARM_COMMON },	/* Cortex-A720 */
	{ 0x41, 0xd87, SPE_DSRC_ARM_COMMON },	/* Cortex-A725 */
	{ 0xc0, 0xac3, SPE_DSRC_AMPEREONE },	/* AmpereOne */
	{ 0xc0, 0xac4, SPE_DSRC_AMPEREONE },	/* AmpereOne A (perf keys on this) */
	{ 0x48, 0xd01, SPE_DSRC_HISI_HIP },	/* HiSilicon HIP08 (TSV110) */
	{ 0x48, 0xd02, SPE_DSRC_HISI_HIP },	/* HiSilicon HIP09 */
};

enum spe_dsrc_family spe_dsrc_family_for_midr(uint64_t midr)
{
	for (size_t i = 0; i < sizeof(midr_families) / sizeof(midr_families[0]); i++)
		if (midr_families[i].impl == MIDR_IMPL(midr) &&
		    midr_families[i].part == MIDR_PART(midr))
			return (enum spe_dsrc_family)midr_families[i].family;
	return SPE_DSRC_UNKNOWN;
}

const char *spe_dsrc_family_name(enum spe_dsrc_family fam)
{
	switch (fam) {
	case SPE_DSRC_ARM_COMMON:	return "arm-common";
	case SPE_DSRC_AMPEREONE:	return "ampereone";
	case SPE_DSRC_HISI_HIP:		return "hisi-hip";
	default:			return "unknown";
	}
}

static const char *const arm_common[16] = {
	[0x0] = "L1D",
	[0x8] = "L2",
	[0x9] = "peer-core",
	[0xa] = "local-cluster",
	[0xb] = "system-cache",
	[0xc] = "peer-cluster",
	[0xd] = "remote",
	[0xe] = "DRAM",
};

static const char *const ampereone[16] = {
	[0] = "local-chip-cache-or-device",
	[3] = "SLC",
	[5] = "remote-chip-cache",
	[7] = "DDR",
	[8] = "L1D",
	[9] = "L2D",
};

static const char *const hisi_hip[32] = {
	[0]  = "peer-cpu",
	[1]  = "peer-cpu-hitm",
	[2]  = "L3",
	[3]  = "L3-hitm",
	[4]  = "peer-cluster",
	[5]  = "peer-cluster-hitm",
	[6]  = "remote-socket",
	[7]  = "remote-socket-hitm",
	[8]  = "local-memory",
	[9]  = "remote-memory",
	[13] = "non-cacheable-device",
	[16] = "L2",
	[17] = "L2-hitm",
	[18] = "L1",
};

const char *spe_dsrc_name(enum spe_dsrc_family fam, unsigned int v)
{
	switch (fam) {
	case SPE_DSRC_ARM_COMMON:
		return v < 16 ? arm_common[v] : NULL;
	case SPE_DSRC_AMPEREONE:
		return v < 16 ? ampereone[v] : NULL;
	case SPE_DSRC_HISI_HIP:
		return v < 32 ? hisi_hip[v] : NULL;
	default:
		return NULL;
	}
}

uint32_t spe_dsrc_remote_mask(enum spe_dsrc_family fam)
{
	switch (fam) {
	case SPE_DSRC_ARM_COMMON:
		return 1u << 0xd;
	case SPE_DSRC_AMPEREONE:
		return 1u << 5;
	case SPE_DSRC_HISI_HIP:
		return 1u << 6 | 1u << 7 | 1u << 9;
	default:
		return 0;
	}
}

bool spe_dsrc_is_remote(enum spe_dsrc_family fam, unsigned int v)
{
	return spe_dsrc_mask_remote(spe_dsrc_remote_mask(fam), v);
}
