/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SPE PMU discovery: arm_spe* entries of <sysfs>/bus/event_source/devices
 * and their perf type numbers (the stock-kernel programs' filter).
 * <sysfs> is /sys, or $SPEKIT_SYSFS_ROOT (tests use fake trees).
 *
 * The one implementation for spedrops and spetop: spetop's live.c builds
 * its fuller PMU description (cpumask, format/, caps/) on the pieces below.
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

/*
 * Read a small file (sysfs, procfs) into @buf, NUL-terminated, with
 * trailing newlines, spaces and tabs stripped.  0 or -errno.
 */
int sd_read_text(const char *path, char *buf, size_t len);

/* sd_pmu_read_type()'s answer for a type file that holds no type number */
#define SD_PMU_TYPE_BAD	1

/*
 * <@sysfs_root>/bus/event_source/devices/@name/type as a perf type number
 * (1 to 2^32-1).  0; -errno when it cannot be read; SD_PMU_TYPE_BAD when
 * it is not such a number.  @text (@textlen bytes; NULL for none) gets
 * what the file held, for messages.
 */
int sd_pmu_read_type(const char *sysfs_root, const char *name, __u32 *type,
		     char *text, size_t textlen);

/*
 * Call @fn for each arm_spe* entry of <@sysfs_root>/bus/event_source/devices,
 * in directory order.  A missing directory is no entry.
 */
void sd_pmu_each(const char *sysfs_root,
		 void (*fn)(void *ctx, const char *sysfs_root, const char *name), void *ctx);

/*
 * "no arm_spe PMU in <@sysfs_root>/bus/event_source/devices (@why): @advice",
 * without " (@why)" when @why is NULL.  Each tool words its own @advice.
 */
void sd_pmu_none_line(const char *sysfs_root, const char *why, const char *advice,
		      char *buf, size_t len);

/* Fill @out from <@sysfs_root>/bus/event_source/devices.  A missing
 * directory is no PMU. */
void sd_pmu_discover(const char *sysfs_root, struct sd_pmus *out);

/* The one line to print when none was found (no newline) */
void sd_pmu_none_msg(const char *sysfs_root, const struct sd_pmus *p, char *buf, size_t len);

#endif
