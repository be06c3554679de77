/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which BPF programs to load: a pure function of what was probed (and of
 * which attempts already failed), so every combination is tested on any
 * host.  The loader calls sd_select(), tries the mode it names, records a
 * failure in the facts, and asks again until a mode works or SD_MODE_NONE
 * says nothing is left.
 */
#ifndef SPEDROPS_SELECT_H
#define SPEDROPS_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

enum sd_mode {
	SD_MODE_NONE,
	SD_MODE_TP_BTF,		/* tp_btf on arm_spe_* (driver, module BTF) */
	SD_MODE_RAW_TP,		/* raw_tp on arm_spe_* (driver) */
	SD_MODE_FENTRY,		/* fentry on perf_aux_output_* (stock) */
	SD_MODE_KPROBE,		/* kprobe on perf_aux_output_* (stock) */
	SD_MODE_NR
};

#define SD_ERRMSG_LEN	200
#define SD_MODE_BIT(m)	(1u << (m))
#define SD_MODES_DRIVER	(SD_MODE_BIT(SD_MODE_TP_BTF) | SD_MODE_BIT(SD_MODE_RAW_TP))
#define SD_MODES_STOCK	(SD_MODE_BIT(SD_MODE_FENTRY) | SD_MODE_BIT(SD_MODE_KPROBE))

struct sd_facts {
	/* probed from the file system */
	bool tracefs;		/* a tracefs events/ directory was found */
	bool spe_tracepoints;	/* ... holding arm_spe/ (spekit's driver) */
	bool module_btf;	/* /sys/kernel/btf/arm_spe_pmu */
	bool vmlinux_btf;	/* /sys/kernel/btf/vmlinux */
	bool kprobes;		/* kprobe PMU, or tracefs kprobe_events */
	__u32 pmu_type;		/* SPE PMU type for the stock filter, 0: none */
	/* what the user asked */
	bool load_only;		/* --load-only: loading is all that is tried */
	unsigned int modes;	/* --mode: SD_MODE_BIT()s allowed, 0: all */
	/* filled in by the loader as attempts fail: 0 untried, else -errno */
	int err[SD_MODE_NR];
	char errmsg[SD_MODE_NR][SD_ERRMSG_LEN];	/* libbpf's words, or "" */
};

/* "raw_tp", "tp_btf", "fentry", "kprobe", "none" */
const char *sd_mode_name(enum sd_mode m);
/* Program name prefix of a mode's programs: "spe_rtp_", ... ; NULL for none */
const char *sd_mode_prog_prefix(enum sd_mode m);
/* Programs a mode needs (7 driver tracepoints, 3 perf_aux_output_*) */
unsigned int sd_mode_nprogs(enum sd_mode m);
/* The driver's tracepoints (true) or the stock kernel's perf functions */
bool sd_mode_is_driver(enum sd_mode m);
/*
 * --mode's argument: "auto" (0: every mode, in order of preference),
 * "driver" (tp_btf, raw_tp), "stock" (fentry, kprobe) or one mode's name.
 * 0 with *@modes set, or -1.
 */
int sd_modes_parse(const char *s, unsigned int *modes);

/*
 * The next mode to try, and in @why one line saying why it (or, with
 * SD_MODE_NONE, why nothing) is the choice, naming the failures that led
 * there.
 */
enum sd_mode sd_select(const struct sd_facts *f, char *why, size_t len);

#endif
