/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SPE PMU discovery: arm_spe* entries of <sysfs>/bus/event_source/devices
 * and their perf type numbers (the stock-kernel programs' filter).
 * <sysfs> is /sys, or $SPEKIT_SYSFS_ROOT (tests use fake trees).
 */
#ifndef SPEDROPS_PMU_H
#define SPEDROPS_PMU_H

#include <stddef.h>
#include <linux/types.h>

#define SD_MAX_PMUS	16

struct sd_pmu {
	char name[64];
	__u32 type;
};

struct sd_pmus {
	struct sd_pmu pmu[SD_MAX_PMUS];	/* sorted by type */
	unsigned int n;
	unsigned int nbad;		/* arm_spe* entries with no usable type */
	char bad[160];			/* the first of those: "name: why" */
};

/* The sysfs root: $SPEKIT_SYSFS_ROOT if set and not empty, else "/sys" */
const char *sd_sysfs_root(void);

/* Fill @out from <@sysfs_root>/bus/event_source/devices.  A missing
 * directory is no PMU. */
void sd_pmu_discover(const char *sysfs_root, struct sd_pmus *out);

/* The one line to print when none was found (no newline) */
void sd_pmu_none_msg(const char *sysfs_root, const struct sd_pmus *p, char *buf, size_t len);

#endif
