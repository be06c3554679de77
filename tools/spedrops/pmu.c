// SPDX-License-Identifier: GPL-2.0-only
/* SPE PMU discovery in sysfs (see pmu.h) */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmu.h"

#define DEVICES	"bus/event_source/devices"

const char *sd_sysfs_root(void)
{
	const char *r = getenv("SPEKIT_SYSFS_ROOT");

	return r && *r ? r : "/sys";
}

int sd_read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	if (ferror(f)) {
		int e = errno ? errno : EIO;

		fclose(f);
		return -e;
	}
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		buf[--n] = '\0';
	return 0;
}

int sd_pmu_read_type(const char *sysfs_root, const char *name, __u32 *type,
		     char *text, size_t textlen)
{
	/* the whole file: a long one must not pass for its first digits */
	char path[8192], buf[4096], *end;
	unsigned long v;
	int r;

	snprintf(path, sizeof(path), "%s/" DEVICES "/%s/type", sysfs_root, name);
	r = sd_read_text(path, buf, sizeof(buf));
	if (r)
		return r;
	if (text && textlen)
		snprintf(text, textlen, "%s", buf);
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (end == buf || *end || errno || !v || v > 0xffffffffUL)
		return SD_PMU_TYPE_BAD;
	*type = (__u32)v;
	return 0;
}

void sd_pmu_each(const char *sysfs_root,
		 void (*fn)(void *ctx, const char *sysfs_root, const char *name), void *ctx)
{
	char dir[4096];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/" DEVICES, sysfs_root);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "arm_spe", 7))
			fn(ctx, sysfs_root, de->d_name);
	closedir(d);
}

void sd_pmu_none_line(const char *sysfs_root, const char *why, const char *advice,
		      char *buf, size_t len)
{
	snprintf(buf, len, "no arm_spe PMU in %s/" DEVICES "%s%s%s: %s", sysfs_root,
		 why ? " (" : "", why ? why : "", why ? ")" : "", advice);
}

static void add_pmu(void *ctx, const char *sysfs_root, const char *name)
{
	struct sd_pmus *out = ctx;
	__u32 type = 0;
	int err = sd_pmu_read_type(sysfs_root, name, &type, NULL, 0);

	if (err) {
		if (!out->nbad++)
			snprintf(out->bad, sizeof(out->bad), "%.64s/type: %.80s", name,
				 err == SD_PMU_TYPE_BAD ? "not a PMU type number" : strerror(-err));
		return;
	}
	/* checked after the type: nbad counts every unusable entry, even past it */
	if (out->n == SD_MAX_PMUS)
		return;
	snprintf(out->pmu[out->n].name, sizeof(out->pmu[0].name), "%.63s", name);
	out->pmu[out->n++].type = type;
}

static int by_type(const void *a, const void *b)
{
	const struct sd_pmu *x = a, *y = b;

	return x->type < y->type ? -1 : x->type > y->type;
}

void sd_pmu_discover(const char *sysfs_root, struct sd_pmus *out)
{
	memset(out, 0, sizeof(*out));
	sd_pmu_each(sysfs_root, add_pmu, out);
	qsort(out->pmu, out->n, sizeof(out->pmu[0]), by_type);
}

void sd_pmu_none_msg(const char *sysfs_root, const struct sd_pmus *p, char *buf, size_t len)
{
	sd_pmu_none_line(sysfs_root, p->nbad ? p->bad : NULL,
			 "this machine has no SPE, or the driver is not loaded (modprobe "
			 "arm_spe_pmu; on cloud instances SPE needs bare metal; with KPTI boot "
			 "with kpti=off)", buf, len);
}
