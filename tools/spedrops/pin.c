// SPDX-License-Identifier: GPL-2.0-only
/* bpffs handling for --pin/--unpin (see pin.h) */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/types.h>
#include <spekit/spedrops.h>

#include "pin.h"

#define BPFFS_DEFAULT	"/sys/fs/bpf"

const char *const sd_map_names[SD_NMAPS] = { "spe_stats", "spe_hists", "spe_faults", "spe_events" };

const char *sd_pin_dir(void)
{
	const char *d = getenv("SPEKIT_PIN_DIR");

	return d && *d ? d : SPE_PIN_DIR;
}

static int is_bpffs(const char *path)
{
	struct statfs st;

	if (statfs(path, &st))
		return -errno;
	return st.f_type == BPF_FS_MAGIC;
}

int sd_pin_prepare(const char *dir, char *err, size_t len)
{
	char parent[PATH_MAX], *slash;
	int r;

	snprintf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (!slash || slash == parent) {
		snprintf(err, len, "pin directory %s must be inside a BPF file system", dir);
		return -EINVAL;
	}
	*slash = '\0';
	r = is_bpffs(parent);
	if (r < 0) {
		snprintf(err, len, "cannot use %s for pinning: %s", parent, strerror(-r));
		return r;
	}
	if (!r) {
		if (strcmp(parent, BPFFS_DEFAULT)) {
			snprintf(err, len, "%s is not a BPF file system (mount -t bpf bpf %s)",
				 parent, parent);
			return -ENOTDIR;
		}
		if (mount("bpf", parent, "bpf", 0, "mode=0700")) {
			r = -errno;
			snprintf(err, len, "cannot mount the BPF file system at %s: %s%s", parent,
				 strerror(-r), r == -EPERM ? " (needs CAP_SYS_ADMIN: run as root)" : "");
			return r;
		}
	}
	if (mkdir(dir, 0700) && errno != EEXIST) {
		r = -errno;
		snprintf(err, len, "cannot create %s: %s", dir, strerror(-r));
		return r;
	}
	return 0;
}

int sd_unpin(const char *dir, char *msg, size_t len)
{
	char path[PATH_MAX];
	int removed = 0;

	for (int i = 0; i < SD_NMAPS; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, sd_map_names[i]);
		if (!unlink(path)) {
			removed++;
		} else if (errno != ENOENT && errno != ENOTDIR) {
			int e = errno;

			snprintf(msg, len, "cannot remove %s: %s%s", path, strerror(e),
				 e == EPERM || e == EACCES ? " (run as root)" : "");
			return -e;
		}
	}
	if (!rmdir(dir)) {
		snprintf(msg, len, "removed %d pinned map%s and %s", removed,
			 removed == 1 ? "" : "s", dir);
		return 0;
	}
	if (errno == ENOENT || errno == ENOTDIR) {
		if (removed)
			snprintf(msg, len, "removed %d pinned map%s from %s", removed,
				 removed == 1 ? "" : "s", dir);
		else
			snprintf(msg, len, "nothing pinned under %s", dir);
		return 0;
	}
	if (errno == ENOTEMPTY || errno == EEXIST) {
		snprintf(msg, len, "removed %d pinned map%s; kept %s: it holds other files",
			 removed, removed == 1 ? "" : "s", dir);
		return 0;
	}
	{
		int e = errno;

		snprintf(msg, len, "cannot remove %s: %s", dir, strerror(e));
		return -e;
	}
}
