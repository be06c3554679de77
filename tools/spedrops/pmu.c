// SPDX-License-Identifier: GPL-2.0-only
/* SPE PMU discovery in sysfs (see pmu.h) */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmu.h"

const char *sd_sysfs_root(void)
{
	const char *r = getenv("SPEKIT_SYSFS_ROOT");

	return r && *r ? r : "/sys";
}

/* The PMU's type file as a number; 0 or -errno (-EINVAL: not a number) */
static int read_type(const char *dir, const char *name, __u32 *type)
{
	char path[8192], buf[32], *end;
	unsigned long v;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s/type", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	if (ferror(f)) {
		int e = errno ? errno : EIO;

		fclose(f);
		return -e;
	}
	fclose(f);
	buf[n] = '\0';
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (end == buf || errno || (*end && *end != '\n') || v == 0 || v > 0xffffffffUL)
		return -EINVAL;
	*type = (__u32)v;
	return 0;
}

static int by_type(const void *a, const void *b)
{
	const struct sd_pmu *x = a, *y = b;

	return x->type < y->type ? -1 : x->type > y->type;
}

void sd_pmu_discover(const char *sysfs_root, struct sd_pmus *out)
{
	char dir[4096];
	struct dirent *de;
	DIR *d;

	memset(out, 0, sizeof(*out));
	snprintf(dir, sizeof(dir), "%s/bus/event_source/devices", sysfs_root);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		__u32 type = 0;
		int err;

		if (strncmp(de->d_name, "arm_spe", 7))
			continue;
		err = read_type(dir, de->d_name, &type);
		if (err) {
			if (!out->nbad++)
				snprintf(out->bad, sizeof(out->bad), "%.64s/type: %.80s", de->d_name,
					 err == -EINVAL ? "not a PMU type number" : strerror(-err));
			continue;
		}
		if (out->n == SD_MAX_PMUS)
			continue;
		snprintf(out->pmu[out->n].name, sizeof(out->pmu[0].name), "%.63s", de->d_name);
		out->pmu[out->n++].type = type;
	}
	closedir(d);
	qsort(out->pmu, out->n, sizeof(out->pmu[0]), by_type);
}

void sd_pmu_none_msg(const char *sysfs_root, const struct sd_pmus *p, char *buf, size_t len)
{
	int n = snprintf(buf, len, "no arm_spe PMU in %s/bus/event_source/devices", sysfs_root);

	if (p->nbad && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " (%s)", p->bad);
	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, ": this machine has no SPE, or the driver is not loaded "
			 "(modprobe arm_spe_pmu; on cloud instances SPE needs bare metal; "
			 "with KPTI boot with kpti=off)");
}
