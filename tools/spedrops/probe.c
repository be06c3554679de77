// SPDX-License-Identifier: GPL-2.0-only
/*
 * Probing the facts of struct sd_facts.  tracefs is looked for where it is
 * normally mounted, /sys/kernel/tracing and /sys/kernel/debug/tracing;
 * when neither is mounted nothing is mounted here: the loader then tries
 * an attach by name instead.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe.h"

static const char *const tracefs_dirs[] = { "kernel/tracing", "kernel/debug/tracing" };

static bool exists(const char *root, const char *a, const char *b, bool want_dir)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s%s%s", root, a, b ? "/" : "", b ? b : "");
	if (stat(path, &st))
		return false;
	return want_dir ? S_ISDIR(st.st_mode) : true;
}

void sd_probe(const char *root, struct sd_facts *f)
{
	f->tracefs = f->spe_tracepoints = f->kprobes = false;
	for (unsigned int i = 0; i < sizeof(tracefs_dirs) / sizeof(tracefs_dirs[0]); i++) {
		if (!exists(root, tracefs_dirs[i], "events", true))
			continue;
		f->tracefs = true;
		if (exists(root, tracefs_dirs[i], "events/arm_spe", true))
			f->spe_tracepoints = true;
		if (exists(root, tracefs_dirs[i], "kprobe_events", false))
			f->kprobes = true;
	}
	if (exists(root, "bus/event_source/devices/kprobe", "type", false))
		f->kprobes = true;
	f->module_btf = exists(root, "kernel/btf/arm_spe_pmu", NULL, false);
	f->vmlinux_btf = exists(root, "kernel/btf/vmlinux", NULL, false);
}
