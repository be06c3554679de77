// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mode selection.  Order of preference:
 *   1. spekit's driver tracepoints: they say why data is lost.  tp_btf
 *      when the module has BTF (typed arguments), else (or when tp_btf
 *      fails to load or attach) raw_tp.  Tried when tracefs shows
 *      events/arm_spe, and also when no tracefs is mounted to tell (an
 *      attach by name is then the test).
 *   2. the stock kernel's perf_aux_output_begin/flag/end, filtered on the
 *      SPE PMU type: fentry, else (arm64 before 6.4 has no ftrace direct
 *      calls: attach fails) kprobe.  Both read struct fields through
 *      CO-RE, so both need the kernel's BTF; kprobes also need the kprobe
 *      PMU or tracefs' kprobe_events.
 *   3. nothing: say what was missing or failed.
 * With --load-only nothing is attached, so the driver path is always
 * possible (raw_tp programs load without their tracepoints).  --mode
 * narrows the list (to compare the paths on one kernel, or to prove each
 * one works); the order and the fallbacks within it stay.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "select.h"

const char *sd_mode_name(enum sd_mode m)
{
	switch (m) {
	case SD_MODE_TP_BTF:	return "tp_btf";
	case SD_MODE_RAW_TP:	return "raw_tp";
	case SD_MODE_FENTRY:	return "fentry";
	case SD_MODE_KPROBE:	return "kprobe";
	default:		return "none";
	}
}

const char *sd_mode_prog_prefix(enum sd_mode m)
{
	switch (m) {
	case SD_MODE_TP_BTF:	return "spe_btf_";
	case SD_MODE_RAW_TP:	return "spe_rtp_";
	case SD_MODE_FENTRY:	return "spe_fentry_";
	case SD_MODE_KPROBE:	return "spe_kprobe_";
	default:		return NULL;
	}
}

bool sd_mode_is_driver(enum sd_mode m)
{
	return m == SD_MODE_TP_BTF || m == SD_MODE_RAW_TP;
}

unsigned int sd_mode_nprogs(enum sd_mode m)
{
	if (sd_mode_is_driver(m))
		return 7;
	return m == SD_MODE_NONE ? 0 : 3;
}

int sd_modes_parse(const char *s, unsigned int *modes)
{
	if (!strcmp(s, "auto")) {
		*modes = 0;
		return 0;
	}
	if (!strcmp(s, "driver")) {
		*modes = SD_MODES_DRIVER;
		return 0;
	}
	if (!strcmp(s, "stock")) {
		*modes = SD_MODES_STOCK;
		return 0;
	}
	for (enum sd_mode m = SD_MODE_TP_BTF; m < SD_MODE_NR; m++)
		if (!strcmp(s, sd_mode_name(m))) {
			*modes = SD_MODE_BIT(m);
			return 0;
		}
	return -1;
}

static bool allowed(const struct sd_facts *f, enum sd_mode m)
{
	return !f->modes || (f->modes & SD_MODE_BIT(m));
}

/* appending writer for one line */
struct line {
	char *buf;
	size_t len, pos;
};

__attribute__((format(printf, 2, 3)))
static void add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!l->len || l->pos >= l->len - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->pos, l->len - l->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->pos += (size_t)n < l->len - l->pos ? (size_t)n : l->len - l->pos - 1;
}

static void add_failure(struct line *l, const struct sd_facts *f, enum sd_mode m)
{
	if (f->errmsg[m][0])
		add(l, "%s failed: %s", sd_mode_name(m), f->errmsg[m]);
	else
		add(l, "%s failed (%s)", sd_mode_name(m), strerror(-f->err[m]));
}

/* The driver's tracepoints may be there */
static bool driver_possible(const struct sd_facts *f)
{
	return f->load_only || f->spe_tracepoints || !f->tracefs;
}

static void why_no_driver(struct line *l, const struct sd_facts *f)
{
	if (!allowed(f, SD_MODE_TP_BTF) && !allowed(f, SD_MODE_RAW_TP)) {
		add(l, "driver tracepoints not tried (--mode)");
		return;
	}
	if (!driver_possible(f)) {
		add(l, "no arm_spe tracepoints in tracefs (spekit's arm_spe_pmu driver is not loaded)");
		return;
	}
	if (f->err[SD_MODE_TP_BTF]) {
		add_failure(l, f, SD_MODE_TP_BTF);
		if (allowed(f, SD_MODE_RAW_TP))
			add(l, "; ");
	} else if (!allowed(f, SD_MODE_RAW_TP)) {
		/* only tp_btf was allowed, and it was not tried */
		add(l, "tp_btf: arm_spe_pmu has no BTF (/sys/kernel/btf/arm_spe_pmu)");
	}
	if (allowed(f, SD_MODE_RAW_TP))
		add_failure(l, f, SD_MODE_RAW_TP);
	if (!f->tracefs)
		add(l, " (no tracefs mounted to look for the arm_spe tracepoints)");
}

enum sd_mode sd_select(const struct sd_facts *f, char *why, size_t len)
{
	struct line l = { why, len, 0 };
	bool drv = driver_possible(f);

	if (len)
		why[0] = '\0';
	/* 1. the driver's tracepoints */
	if (drv && allowed(f, SD_MODE_TP_BTF) && f->module_btf && !f->err[SD_MODE_TP_BTF]) {
		add(&l, "tp_btf programs on the arm_spe tracepoints (arm_spe_pmu has BTF)");
		return SD_MODE_TP_BTF;
	}
	if (drv && allowed(f, SD_MODE_RAW_TP) && !f->err[SD_MODE_RAW_TP]) {
		add(&l, "raw_tp programs on the arm_spe tracepoints");
		if (!allowed(f, SD_MODE_TP_BTF)) {
			add(&l, " (--mode)");
		} else if (f->err[SD_MODE_TP_BTF]) {
			add(&l, " (");
			add_failure(&l, f, SD_MODE_TP_BTF);
			add(&l, ")");
		} else if (!f->module_btf) {
			add(&l, " (arm_spe_pmu has no BTF for tp_btf)");
		}
		if (!f->spe_tracepoints && !f->load_only)
			add(&l, "; no tracefs to check for them first");
		return SD_MODE_RAW_TP;
	}

	/* 2. the stock kernel's perf AUX functions */
	if (f->pmu_type && f->vmlinux_btf) {
		if (allowed(f, SD_MODE_FENTRY) && !f->err[SD_MODE_FENTRY]) {
			add(&l, "fentry programs on perf_aux_output_begin/flag/end, counting PMU type %u (", f->pmu_type);
			why_no_driver(&l, f);
			add(&l, ")");
			return SD_MODE_FENTRY;
		}
		if (allowed(f, SD_MODE_KPROBE) && (f->kprobes || f->load_only) &&
		    !f->err[SD_MODE_KPROBE]) {
			add(&l, "kprobe programs on perf_aux_output_begin/flag/end, counting PMU type %u (", f->pmu_type);
			why_no_driver(&l, f);
			add(&l, "; ");
			if (allowed(f, SD_MODE_FENTRY))
				add_failure(&l, f, SD_MODE_FENTRY);
			else
				add(&l, "fentry not tried (--mode)");
			add(&l, ")");
			return SD_MODE_KPROBE;
		}
	}

	/* 3. nothing */
	add(&l, "no way to observe SPE here: ");
	why_no_driver(&l, f);
	add(&l, "; stock kernel: ");
	if (!allowed(f, SD_MODE_FENTRY) && !allowed(f, SD_MODE_KPROBE)) {
		add(&l, "not tried (--mode)");
	} else if (!f->pmu_type) {
		add(&l, "no SPE PMU type to filter perf_aux_output_* on");
	} else if (!f->vmlinux_btf) {
		add(&l, "no kernel BTF (/sys/kernel/btf/vmlinux; needs CONFIG_DEBUG_INFO_BTF)");
	} else {
		if (allowed(f, SD_MODE_FENTRY))
			add_failure(&l, f, SD_MODE_FENTRY);
		if (allowed(f, SD_MODE_FENTRY) && allowed(f, SD_MODE_KPROBE))
			add(&l, "; ");
		if (allowed(f, SD_MODE_KPROBE) && f->err[SD_MODE_KPROBE])
			add_failure(&l, f, SD_MODE_KPROBE);
		else if (allowed(f, SD_MODE_KPROBE))
			add(&l, "kprobe: no kprobe PMU and no tracefs kprobe_events");
	}
	return SD_MODE_NONE;
}
