// SPDX-License-Identifier: GPL-2.0-only
/*
 * spedrops' decisions without BPF: mode selection over every combination
 * of probed facts and attempt outcomes, SPE PMU discovery and probing on
 * fake sysfs trees, CPU lists, names, deltas and estimates, advice, options,
 * the numeric argument parsers every tool shares, the privilege check and
 * unpinning.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "advice.h"
#include "argnum.h"
#include "caps.h"
#include "cpulist.h"
#include "names.h"
#include "opts.h"
#include "pin.h"
#include "pmu.h"
#include "probe.h"
#include "select.h"
#include "stats.h"

/* ---- mode selection ------------------------------------------------------ */

/* The specification, written independently of select.c: may @m be tried? */
static bool applicable(const struct sd_facts *f, enum sd_mode m)
{
	bool drv = f->load_only || f->spe_tracepoints || !f->tracefs;
	bool stock = f->pmu_type && f->vmlinux_btf;

	if (f->modes && !(f->modes >> m & 1))
		return false;	/* --mode left it out */
	switch (m) {
	case SD_MODE_TP_BTF: return drv && f->module_btf;
	case SD_MODE_RAW_TP: return drv;
	case SD_MODE_FENTRY: return stock;
	case SD_MODE_KPROBE: return stock && (f->kprobes || f->load_only);
	default: return false;
	}
}

static void test_select_all_combinations(void)
{
	/* --mode: auto, driver, stock, then each mode alone (bit m) */
	static const unsigned int mode_sets[] = { 0, 0x6, 0x18, 0x2, 0x4, 0x8, 0x10 };
	unsigned int runs = 0, bad = 0;

	for (unsigned int facts = 0; facts < 128 * 7; facts++) {
		for (unsigned int works = 0; works < 16; works++) {
			struct sd_facts f;
			enum sd_mode m, want = SD_MODE_NONE, got = SD_MODE_NONE;
			char why[1024];
			int steps = 0;
			bool ok = true;

			memset(&f, 0, sizeof(f));
			f.tracefs = facts & 1;
			f.spe_tracepoints = facts & 2;
			f.module_btf = facts & 4;
			f.vmlinux_btf = facts & 8;
			f.kprobes = facts & 16;
			f.pmu_type = facts & 32 ? 8 : 0;
			f.load_only = facts & 64;
			f.modes = mode_sets[facts / 128];
			if (f.spe_tracepoints && !f.tracefs)
				continue;	/* cannot be seen without tracefs */
			/* the spec: the first applicable mode, in order, that works */
			for (m = SD_MODE_TP_BTF; m < SD_MODE_NR; m++)
				if (applicable(&f, m) && (works >> (m - 1) & 1)) {
					want = m;
					break;
				}
			/* the loader's loop */
			while ((m = sd_select(&f, why, sizeof(why))) != SD_MODE_NONE) {
				if (++steps > SD_MODE_NR || f.err[m] || !applicable(&f, m))
					ok = false;
				/* every more preferred applicable mode has failed */
				for (enum sd_mode p = SD_MODE_TP_BTF; p < m; p++)
					if (applicable(&f, p) && !f.err[p])
						ok = false;
				if (!why[0] || strstr(why, "(Success)"))
					ok = false;
				if (!ok)
					break;
				if (works >> (m - 1) & 1) {
					got = m;
					break;
				}
				f.err[m] = -ENOENT;
				snprintf(f.errmsg[m], sizeof(f.errmsg[m]), "fail-%s", sd_mode_name(m));
			}
			if (got == SD_MODE_NONE && ok && strncmp(why, "no way to observe SPE here: ", 28))
				ok = false;
			/* a failure message never names an untried mode as failed */
			for (m = SD_MODE_TP_BTF; m < SD_MODE_NR && ok; m++) {
				char name[32];

				snprintf(name, sizeof(name), "%s failed", sd_mode_name(m));
				if (!f.err[m] && strstr(why, name))
					ok = false;
			}
			runs++;
			if (!ok || got != want) {
				if (bad++ < 5)
					printf("  facts 0x%03x works 0x%x: got %s, want %s (%s)\n", facts,
					       works, sd_mode_name(got), sd_mode_name(want), why);
			}
		}
	}
	CHECK_EQ_U64(bad, 0);
	CHECK(runs > 7000);
}

/* Run the loader's loop with the outcome of each mode: 0 works, else errno */
static enum sd_mode run_select(struct sd_facts *f, const int outcome[SD_MODE_NR],
			       const char *msgs[SD_MODE_NR], char *why, size_t len)
{
	enum sd_mode m;

	while ((m = sd_select(f, why, len)) != SD_MODE_NONE) {
		if (!outcome[m])
			return m;
		f->err[m] = -outcome[m];
		snprintf(f->errmsg[m], sizeof(f->errmsg[m]), "%s", msgs && msgs[m] ? msgs[m] : "");
	}
	return m;
}

static void test_select_scenarios(void)
{
	struct sd_facts f;
	char why[1024];
	int all_fail[SD_MODE_NR] = { 0, ESRCH, ENOENT, EPERM, ENOENT };
	const char *msgs[SD_MODE_NR] = { NULL, "tp_btf-msg",
		"prog 'spe_rtp_aux_begin': failed to attach to raw tracepoint 'arm_spe_aux_begin': No such file or directory",
		"prog 'spe_fentry_aux_begin': BPF program load failed: Operation not permitted", NULL };

	/* this x86 host: no tracefs mounted, kernel BTF, no kprobes, --pmu-type */
	memset(&f, 0, sizeof(f));
	f.vmlinux_btf = true;
	f.pmu_type = 12345;
	CHECK_EQ_U64(run_select(&f, all_fail, msgs, why, sizeof(why)), SD_MODE_NONE);
	CHECK_HAS(why, "no way to observe SPE here: raw_tp failed: prog 'spe_rtp_aux_begin'");
	CHECK_HAS(why, "no tracefs mounted");
	CHECK_HAS(why, "fentry failed: prog 'spe_fentry_aux_begin': BPF program load failed");
	CHECK_HAS(why, "kprobe: no kprobe PMU and no tracefs kprobe_events");
	CHECK(!strchr(why, '\n'));

	/* spekit's driver with module BTF: tp_btf first */
	memset(&f, 0, sizeof(f));
	f.tracefs = f.spe_tracepoints = f.module_btf = f.vmlinux_btf = f.kprobes = true;
	f.pmu_type = 8;
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_TP_BTF);
	CHECK_HAS(why, "tp_btf programs on the arm_spe tracepoints");
	/* tp_btf fails to load: raw_tp, saying why */
	f.err[SD_MODE_TP_BTF] = -ESRCH;
	snprintf(f.errmsg[SD_MODE_TP_BTF], SD_ERRMSG_LEN, "no BTF for arm_spe_aux_begin");
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_RAW_TP);
	CHECK_HAS(why, "raw_tp programs on the arm_spe tracepoints (tp_btf failed: no BTF for arm_spe_aux_begin)");

	/* driver without module BTF */
	memset(&f, 0, sizeof(f));
	f.tracefs = f.spe_tracepoints = true;
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_RAW_TP);
	CHECK_HAS(why, "arm_spe_pmu has no BTF");

	/* stock Debian arm64 6.12: tracefs, no arm_spe, BTF: fentry */
	memset(&f, 0, sizeof(f));
	f.tracefs = f.vmlinux_btf = f.kprobes = f.module_btf = true;
	f.pmu_type = 8;
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_FENTRY);
	CHECK_HAS(why, "fentry programs on perf_aux_output_begin/flag/end, counting PMU type 8");
	CHECK_HAS(why, "no arm_spe tracepoints in tracefs");
	/* 6.1: fentry attach fails with -524: kprobe */
	f.err[SD_MODE_FENTRY] = -524;
	snprintf(f.errmsg[SD_MODE_FENTRY], SD_ERRMSG_LEN, "prog 'spe_fentry_aux_begin': failed to attach: -524");
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_KPROBE);
	CHECK_HAS(why, "kprobe programs on perf_aux_output_begin/flag/end");
	CHECK_HAS(why, "fentry failed: prog 'spe_fentry_aux_begin': failed to attach: -524");

	/* stock kernel without BTF */
	memset(&f, 0, sizeof(f));
	f.tracefs = f.kprobes = true;
	f.pmu_type = 8;
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_NONE);
	CHECK_HAS(why, "no kernel BTF");
	/* no PMU type: the stock path is out */
	memset(&f, 0, sizeof(f));
	f.tracefs = f.vmlinux_btf = f.kprobes = true;
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_NONE);
	CHECK_HAS(why, "no SPE PMU type");

	/* --load-only: raw_tp even with tracefs and no tracepoints */
	memset(&f, 0, sizeof(f));
	f.tracefs = true;
	f.load_only = true;
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_RAW_TP);
	CHECK(!strstr(why, "no tracefs"));

	/* --mode stock on a kernel with the driver: fentry, saying why */
	memset(&f, 0, sizeof(f));
	f.tracefs = f.spe_tracepoints = f.module_btf = f.vmlinux_btf = f.kprobes = true;
	f.pmu_type = 8;
	CHECK(!sd_modes_parse("stock", &f.modes));
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_FENTRY);
	CHECK_HAS(why, "(driver tracepoints not tried (--mode))");
	f.err[SD_MODE_FENTRY] = -524;
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_KPROBE);
	f.err[SD_MODE_KPROBE] = -EPERM;
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_NONE);
	CHECK_HAS(why, "no way to observe SPE here: driver tracepoints not tried (--mode); stock kernel: fentry failed");
	CHECK_HAS(why, "; kprobe failed (Operation not permitted)");
	/* --mode raw_tp with module BTF: raw_tp, never tp_btf */
	memset(&f, 0, sizeof(f));
	f.tracefs = f.spe_tracepoints = f.module_btf = true;
	CHECK(!sd_modes_parse("raw_tp", &f.modes));
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_RAW_TP);
	CHECK_HAS(why, "raw_tp programs on the arm_spe tracepoints (--mode)");
	f.err[SD_MODE_RAW_TP] = -ENOENT;
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_NONE);
	CHECK(!strstr(why, "tp_btf"));
	CHECK_HAS(why, "stock kernel: not tried (--mode)");
	/* --mode tp_btf without module BTF: nothing, naming the missing BTF */
	memset(&f, 0, sizeof(f));
	f.tracefs = f.spe_tracepoints = f.vmlinux_btf = true;
	f.pmu_type = 8;
	CHECK(!sd_modes_parse("tp_btf", &f.modes));
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_NONE);
	CHECK_HAS(why, "tp_btf: arm_spe_pmu has no BTF");
	/* --mode kprobe on a kernel with kprobes: kprobe, fentry untried */
	memset(&f, 0, sizeof(f));
	f.tracefs = f.vmlinux_btf = f.kprobes = true;
	f.pmu_type = 8;
	CHECK(!sd_modes_parse("kprobe", &f.modes));
	CHECK_EQ_U64(sd_select(&f, why, sizeof(why)), SD_MODE_KPROBE);
	CHECK_HAS(why, "fentry not tried (--mode)");

	/* the --mode names */
	unsigned int ms = 99;
	CHECK(!sd_modes_parse("auto", &ms) && ms == 0);
	CHECK(!sd_modes_parse("driver", &ms) && ms == (SD_MODE_BIT(SD_MODE_TP_BTF) | SD_MODE_BIT(SD_MODE_RAW_TP)));
	CHECK(!sd_modes_parse("stock", &ms) && ms == (SD_MODE_BIT(SD_MODE_FENTRY) | SD_MODE_BIT(SD_MODE_KPROBE)));
	CHECK(!sd_modes_parse("fentry", &ms) && ms == SD_MODE_BIT(SD_MODE_FENTRY));
	CHECK(sd_modes_parse("none", &ms) && sd_modes_parse("", &ms) && sd_modes_parse("RAW_TP", &ms));

	/* a short buffer is cut, not overrun */
	memset(&f, 0, sizeof(f));
	f.vmlinux_btf = true;
	f.pmu_type = 1;
	char tiny[16];
	memset(tiny, 'x', sizeof(tiny));
	CHECK_EQ_U64(sd_select(&f, tiny, 10), SD_MODE_RAW_TP);
	CHECK_EQ_U64(strlen(tiny), 9);
	CHECK(tiny[10] == 'x');
}

static void test_mode_names(void)
{
	CHECK_STR(sd_mode_name(SD_MODE_RAW_TP), "raw_tp");
	CHECK_STR(sd_mode_name(SD_MODE_TP_BTF), "tp_btf");
	CHECK_STR(sd_mode_name(SD_MODE_FENTRY), "fentry");
	CHECK_STR(sd_mode_name(SD_MODE_KPROBE), "kprobe");
	CHECK_STR(sd_mode_name(SD_MODE_NONE), "none");
	CHECK_STR(sd_mode_prog_prefix(SD_MODE_RAW_TP), "spe_rtp_");
	CHECK_STR(sd_mode_prog_prefix(SD_MODE_TP_BTF), "spe_btf_");
	CHECK_STR(sd_mode_prog_prefix(SD_MODE_FENTRY), "spe_fentry_");
	CHECK_STR(sd_mode_prog_prefix(SD_MODE_KPROBE), "spe_kprobe_");
	CHECK(!sd_mode_prog_prefix(SD_MODE_NONE));
	CHECK_EQ_U64(sd_mode_nprogs(SD_MODE_RAW_TP), 7);
	CHECK_EQ_U64(sd_mode_nprogs(SD_MODE_TP_BTF), 7);
	CHECK_EQ_U64(sd_mode_nprogs(SD_MODE_FENTRY), 3);
	CHECK_EQ_U64(sd_mode_nprogs(SD_MODE_KPROBE), 3);
	CHECK(sd_mode_is_driver(SD_MODE_RAW_TP) && !sd_mode_is_driver(SD_MODE_KPROBE));
}

/* ---- fake sysfs trees ------------------------------------------------------ */

static char tmproot[600];

__attribute__((format(printf, 2, 3)))
static void mkfile(const char *content, const char *fmt, ...)
{
	char path[1024], dir[1024], *p;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	snprintf(dir, sizeof(dir), "%s", path);
	for (p = dir + strlen(tmproot) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	if (!content) {
		mkdir(path, 0755);
		return;
	}
	f = fopen(path, "w");
	if (f) {
		fputs(content, f);
		fclose(f);
	}
}

static void new_root(const char *name)
{
	snprintf(tmproot, sizeof(tmproot), "%s/%s", getenv("SD_TMP"), name);
	mkdir(tmproot, 0755);
}

static void test_pmu_discovery(void)
{
	struct sd_pmus p;
	char msg[1024];

	/* no such directory */
	new_root("none");
	sd_pmu_discover(tmproot, &p);
	CHECK_EQ_U64(p.n, 0);
	sd_pmu_none_msg(tmproot, &p, msg, sizeof(msg));
	CHECK_HAS(msg, "no arm_spe PMU in ");
	CHECK_HAS(msg, "/none/bus/event_source/devices: this machine has no SPE, or the driver is "
		  "not loaded (modprobe arm_spe_pmu; on cloud instances SPE needs bare metal; with "
		  "KPTI boot with kpti=off)");

	/* other PMUs only */
	new_root("others");
	mkfile("4\n", "%s/bus/event_source/devices/cpu/type", tmproot);
	mkfile("7\n", "%s/bus/event_source/devices/armv8_pmuv3_0/type", tmproot);
	mkfile("9\n", "%s/bus/event_source/devices/cs_etm/type", tmproot);
	sd_pmu_discover(tmproot, &p);
	CHECK_EQ_U64(p.n, 0);
	CHECK_EQ_U64(p.nbad, 0);

	/* one, as a symlink to its device directory like real sysfs */
	new_root("one");
	mkfile("8\n", "%s/devices/platform/arm,spe-v1/arm_spe_0/type", tmproot);
	mkfile(NULL, "%s/bus/event_source/devices", tmproot);
	{
		char link[1024], target[1024];

		snprintf(target, sizeof(target), "%s/devices/platform/arm,spe-v1/arm_spe_0", tmproot);
		snprintf(link, sizeof(link), "%s/bus/event_source/devices/arm_spe_0", tmproot);
		CHECK(!symlink(target, link));
	}
	mkfile("7\n", "%s/bus/event_source/devices/armv8_pmuv3_0/type", tmproot);
	sd_pmu_discover(tmproot, &p);
	CHECK_EQ_U64(p.n, 1);
	CHECK_STR(p.pmu[0].name, "arm_spe_0");
	CHECK_EQ_U64(p.pmu[0].type, 8);

	/* two, sorted by type */
	new_root("two");
	mkfile("11\n", "%s/bus/event_source/devices/arm_spe_0/type", tmproot);
	mkfile("10", "%s/bus/event_source/devices/arm_spe_1/type", tmproot);
	sd_pmu_discover(tmproot, &p);
	CHECK_EQ_U64(p.n, 2);
	CHECK_STR(p.pmu[0].name, "arm_spe_1");
	CHECK_EQ_U64(p.pmu[0].type, 10);
	CHECK_STR(p.pmu[1].name, "arm_spe_0");
	CHECK_EQ_U64(p.pmu[1].type, 11);

	/* unreadable type (a directory: root reads any file), garbage, none */
	new_root("bad");
	mkfile(NULL, "%s/bus/event_source/devices/arm_spe_0/type", tmproot);
	sd_pmu_discover(tmproot, &p);
	CHECK_EQ_U64(p.n, 0);
	CHECK_EQ_U64(p.nbad, 1);
	CHECK_HAS(p.bad, "arm_spe_0/type: Is a directory");
	sd_pmu_none_msg(tmproot, &p, msg, sizeof(msg));
	CHECK_HAS(msg, "devices (arm_spe_0/type: Is a directory): this machine has no SPE");
	new_root("garbage");
	mkfile("eight\n", "%s/bus/event_source/devices/arm_spe_0/type", tmproot);
	mkfile("0\n", "%s/bus/event_source/devices/arm_spe_1/type", tmproot);
	mkfile(NULL, "%s/bus/event_source/devices/arm_spe_2", tmproot);
	mkfile("12\n", "%s/bus/event_source/devices/arm_spe_3/type", tmproot);
	sd_pmu_discover(tmproot, &p);
	CHECK_EQ_U64(p.n, 1);
	CHECK_EQ_U64(p.pmu[0].type, 12);
	CHECK_EQ_U64(p.nbad, 3);
	/* the type-file rule spetop's live.c shares: trailing blanks are
	 * fine, anything after the number is not */
	new_root("blanks");
	mkfile("13 \n\n", "%s/bus/event_source/devices/arm_spe_0/type", tmproot);
	mkfile("14\nx\n", "%s/bus/event_source/devices/arm_spe_1/type", tmproot);
	sd_pmu_discover(tmproot, &p);
	CHECK_EQ_U64(p.n, 1);
	CHECK_EQ_U64(p.pmu[0].type, 13);
	CHECK_EQ_U64(p.nbad, 1);
	CHECK_HAS(p.bad, "arm_spe_1/type: not a PMU type number");

	/* the root: env override or /sys */
	setenv("SPEKIT_SYSFS_ROOT", "/x/y", 1);
	CHECK_STR(sd_sysfs_root(), "/x/y");
	setenv("SPEKIT_SYSFS_ROOT", "", 1);
	CHECK_STR(sd_sysfs_root(), "/sys");
	unsetenv("SPEKIT_SYSFS_ROOT");
	CHECK_STR(sd_sysfs_root(), "/sys");
}

static void test_probe(void)
{
	struct sd_facts f;

	new_root("probe-empty");
	memset(&f, 0, sizeof(f));
	f.pmu_type = 5;
	sd_probe(tmproot, &f);
	CHECK(!f.tracefs && !f.spe_tracepoints && !f.module_btf && !f.vmlinux_btf && !f.kprobes);
	CHECK_EQ_U64(f.pmu_type, 5);	/* left alone */

	/* tracefs at the debugfs path, with the driver's events */
	new_root("probe-driver");
	mkfile(NULL, "%s/kernel/debug/tracing/events/arm_spe", tmproot);
	mkfile("", "%s/kernel/btf/vmlinux", tmproot);
	mkfile("", "%s/kernel/btf/arm_spe_pmu", tmproot);
	sd_probe(tmproot, &f);
	CHECK(f.tracefs && f.spe_tracepoints && f.module_btf && f.vmlinux_btf && !f.kprobes);

	/* stock: tracefs without arm_spe, kprobe_events; kprobe PMU alone */
	new_root("probe-stock");
	mkfile(NULL, "%s/kernel/tracing/events/sched", tmproot);
	mkfile("", "%s/kernel/tracing/kprobe_events", tmproot);
	sd_probe(tmproot, &f);
	CHECK(f.tracefs && !f.spe_tracepoints && !f.module_btf && !f.vmlinux_btf && f.kprobes);
	new_root("probe-kprobe-pmu");
	mkfile("6\n", "%s/bus/event_source/devices/kprobe/type", tmproot);
	sd_probe(tmproot, &f);
	CHECK(!f.tracefs && f.kprobes);
}

/* ---- CPU lists ----------------------------------------------------------- */

/*
 * The one CPU list parser of spedrops and spetop (-C, sysfs cpumask): the
 * sets it gives, and the exact phrase for each kind of bad list, which
 * both tools print after "-C: " (their CLI suites pin the full lines).
 */
#define WANT "; want e.g. 0-3,8 (CPUs 0-4095)"

static void cpulist_bad(const char *list, bool sysfs, const char *want)
{
	struct sd_cpuset s;
	char err[256] = "";
	int r = sysfs ? sd_cpulist_parse_sysfs(list, &s, err, sizeof(err)) :
			sd_cpulist_parse(list, &s, err, sizeof(err));

	CHECK_EQ_U64(r, (uint64_t)-1);
	CHECK_STR(err, want);
}

static void test_cpulist(void)
{
	struct sd_cpuset s;
	char err[256];
	static const char *const bad[] = { "", "a", "3-1", "1,", ",1", "1-", "-1", "1;2", " 1",
					   "1 ", "1\n", "4096", "0-4096", "1,,2", "0x1", "1-2-3",
					   "+1", "1--2", "," };

	CHECK(!sd_cpulist_parse("0", &s, err, sizeof(err)));
	CHECK(sd_cpuset_has(&s, 0) && !sd_cpuset_has(&s, 1));
	CHECK_EQ_U64(s.max, 1);
	CHECK_EQ_U64(sd_cpuset_count(&s), 1);
	CHECK(!sd_cpulist_parse("0-3,8,10-11", &s, err, sizeof(err)));
	for (unsigned int c = 0; c < 16; c++)
		CHECK(sd_cpuset_has(&s, c) == (c <= 3 || c == 8 || c == 10 || c == 11));
	CHECK_EQ_U64(s.max, 12);
	CHECK_EQ_U64(sd_cpuset_count(&s), 7);
	/* duplicates and overlaps: a set, counted once */
	CHECK(!sd_cpulist_parse("5,5,2-2", &s, err, sizeof(err)));
	CHECK(sd_cpuset_has(&s, 5) && sd_cpuset_has(&s, 2) && !sd_cpuset_has(&s, 3));
	CHECK_EQ_U64(sd_cpuset_count(&s), 2);
	CHECK(!sd_cpulist_parse("0-1,1-2", &s, err, sizeof(err)));
	CHECK_EQ_U64(sd_cpuset_count(&s), 3);
	/* leading zeros are decimal, not octal */
	CHECK(!sd_cpulist_parse("010", &s, err, sizeof(err)));
	CHECK(sd_cpuset_has(&s, 10) && sd_cpuset_count(&s) == 1);
	CHECK(!sd_cpulist_parse("4095", &s, err, sizeof(err)));
	CHECK(sd_cpuset_has(&s, 4095) && !sd_cpuset_has(&s, 4096));
	CHECK(!sd_cpulist_parse("0-4095", &s, err, sizeof(err)));
	CHECK_EQ_U64(sd_cpuset_count(&s), 4096);
	CHECK_EQ_U64(s.max, 4096);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (!sd_cpulist_parse(bad[i], &s, err, sizeof(err)))
			printf("  accepted bad CPU list '%s'\n", bad[i]), check_cur_failed++;
		CHECK(err[0] && !strchr(err, '\n'));
	}

	/* the phrases: the bad entry, why, what is accepted */
	cpulist_bad("0-3,x", false, "bad CPU list entry 'x': not a CPU number or range" WANT);
	cpulist_bad("1-x", false, "bad CPU list entry '1-x': not a CPU number or range" WANT);
	cpulist_bad("0, 1", false, "bad CPU list entry ' 1': not a CPU number or range" WANT);
	cpulist_bad("3-1", false, "bad CPU list entry '3-1': the range ends before it starts" WANT);
	cpulist_bad("8,4096", false, "bad CPU list entry '4096': beyond CPU 4095" WANT);
	cpulist_bad("0-4096", false, "bad CPU list entry '0-4096': beyond CPU 4095" WANT);
	/* saturated, not wrapped: 2^64 + 1 is not CPU 1 */
	cpulist_bad("18446744073709551617", false,
		    "bad CPU list entry '18446744073709551617': beyond CPU 4095" WANT);
	cpulist_bad("", false, "bad CPU list entry '': the list is empty" WANT);
	cpulist_bad("1,", false, "bad CPU list entry '': nothing after the last comma" WANT);
	cpulist_bad(",1", false, "bad CPU list entry '': nothing before the first comma" WANT);
	cpulist_bad("1,,2", false, "bad CPU list entry '': nothing between two commas" WANT);
	/* one line whatever the entry holds; long entries cut */
	cpulist_bad("1\n2", false, "bad CPU list entry '1\\n2': not a CPU number or range" WANT);
	cpulist_bad("1\x1b'\\", false,
		    "bad CPU list entry '1\\x1b\\x27\\x5c': not a CPU number or range" WANT);
	cpulist_bad("0123456789012345678901234567890123456789x", false,
		    "bad CPU list entry '01234567890123456789012345678901...': not a CPU number or range"
		    WANT);

	/* sysfs text: the kernel's trailing newline, an empty mask */
	CHECK(!sd_cpulist_parse_sysfs("0-3,8\n", &s, err, sizeof(err)));
	CHECK_EQ_U64(sd_cpuset_count(&s), 5);
	CHECK(sd_cpuset_has(&s, 8) && !sd_cpuset_has(&s, 4));
	CHECK(!sd_cpulist_parse_sysfs("0-1 \t\n\n", &s, err, sizeof(err)));
	CHECK_EQ_U64(sd_cpuset_count(&s), 2);
	CHECK(!sd_cpulist_parse_sysfs("\n", &s, err, sizeof(err)));
	CHECK(!sd_cpuset_count(&s) && !s.max);
	CHECK(!sd_cpulist_parse_sysfs("", &s, err, sizeof(err)));
	CHECK(!sd_cpuset_count(&s));
	/* otherwise the same rules and words */
	cpulist_bad(" 0-3\n", true, "bad CPU list entry ' 0-3': not a CPU number or range" WANT);
	cpulist_bad("0-3\n4\n", true, "bad CPU list entry '0-3\\n4': not a CPU number or range" WANT);
	cpulist_bad("0-3,\n", true, "bad CPU list entry '': nothing after the last comma" WANT);
	cpulist_bad("3-1\n", true, "bad CPU list entry '3-1': the range ends before it starts" WANT);
	cpulist_bad("0-4096\n", true, "bad CPU list entry '0-4096': beyond CPU 4095" WANT);
}

/* ---- names --------------------------------------------------------------- */

static void test_names(void)
{
	char d[200];

	CHECK_STR(sd_reason_name(0), "flagged");
	CHECK_STR(sd_reason_name(ARM_SPE_TRUNC_NO_SPACE), "no_space");
	CHECK_STR(sd_reason_name(ARM_SPE_TRUNC_DATA_LOST), "data_lost");
	CHECK_STR(sd_reason_name(ARM_SPE_TRUNC_LIMIT_LE_HEAD), "limit_le_head");
	CHECK_STR(sd_reason_name(ARM_SPE_TRUNC_RESTART_FAILED), "restart_failed");
	CHECK_STR(sd_reason_name(ARM_SPE_TRUNC_FAULT), "fault");
	CHECK(!sd_reason_name(6));
	CHECK_STR(sd_ec_name(0x24), "stage1");
	CHECK_STR(sd_ec_name(0x25), "stage2");
	CHECK_STR(sd_ec_name(0x1e), "gpc");
	CHECK_STR(sd_ec_name(0x1f), "impdef");
	CHECK_STR(sd_ec_name(0x00), "buffer");
	CHECK(!sd_ec_name(0x21));
	for (unsigned int l = 0; l < 4; l++) {
		char want[64];

		snprintf(want, sizeof(want), "level %u translation fault", l);
		CHECK_STR(sd_fsc_name(0x04 + l), want);
		snprintf(want, sizeof(want), "level %u address size fault", l);
		CHECK_STR(sd_fsc_name(0x00 + l), want);
		snprintf(want, sizeof(want), "level %u access flag fault", l);
		CHECK_STR(sd_fsc_name(0x08 + l), want);
		snprintf(want, sizeof(want), "level %u permission fault", l);
		CHECK_STR(sd_fsc_name(0x0c + l), want);
	}
	CHECK_STR(sd_fsc_name(0x10), "synchronous external abort");
	CHECK_STR(sd_fsc_name(0x21), "alignment fault");
	CHECK_STR(sd_fsc_name(0x28), "granule protection fault");
	CHECK_STR(sd_fsc_name(0x30), "TLB conflict abort");
	CHECK_STR(sd_fsc_name(0x2b), "level -1 translation fault");
	CHECK(!sd_fsc_name(0x12));
	CHECK(!sd_fsc_name(0x3f));
	CHECK(!sd_fsc_name(0x40));
	CHECK_STR(sd_fault_desc(0x24, 0x07, d, sizeof(d)),
		  "stage1 fault (EC 0x24), FSC 0x07: level 3 translation fault");
	CHECK_STR(sd_fault_desc(0x25, 0x0d, d, sizeof(d)),
		  "stage2 fault (EC 0x25), FSC 0x0d: level 1 permission fault");
	CHECK_STR(sd_fault_desc(0x24, 0x3f, d, sizeof(d)),
		  "stage1 fault (EC 0x24), FSC 0x3f: reserved fault status code");
	CHECK_STR(sd_fault_desc(0x00, 0x01, d, sizeof(d)), "buffer (EC 0x00), BSC 0x01: buffer filled");
	CHECK_STR(sd_fault_desc(0x1e, 0x1234, d, sizeof(d)), "gpc (EC 0x1e), MSS 0x1234");
	CHECK_STR(sd_fault_desc(0x33, 0x5, d, sizeof(d)), "unknown EC 0x33, MSS 0x0005");

	/* libbpf's words for kernel-internal errnos */
	char m1[128] = "prog 'spe_fentry_aux_begin': failed to attach: ERROR: strerror_r(-524)=22";
	CHECK_STR(sd_tidy_libbpf_msg(m1, sizeof(m1)),
		  "prog 'spe_fentry_aux_begin': failed to attach: ENOTSUPP (-524: not supported by this kernel)");
	char m2[128] = "x: ERROR: strerror_r(-517)=22 (more)";
	CHECK_STR(sd_tidy_libbpf_msg(m2, sizeof(m2)), "x: EPROBE_DEFER (-517) (more)");
	char m3[128] = "failed to attach: ERROR: strerror_r(-2)=22";	/* not ours to rename */
	CHECK_STR(sd_tidy_libbpf_msg(m3, sizeof(m3)), "failed to attach: ERROR: strerror_r(-2)=22");
	char m4[128] = "x: ERROR: strerror_r(-520)=22";	/* 520 has no name */
	CHECK_STR(sd_tidy_libbpf_msg(m4, sizeof(m4)), "x: ERROR: strerror_r(-520)=22");
	char m5[40] = "long prefix: ERROR: strerror_r(-524)=22";	/* cut, terminated */
	sd_tidy_libbpf_msg(m5, sizeof(m5));
	CHECK(strlen(m5) == sizeof(m5) - 1 && !strncmp(m5, "long prefix: ENOTSUPP (-524", 27));
}

/* ---- stats ---------------------------------------------------------------- */

#define S	1000000000ull

static void test_deltas(void)
{
	struct spe_cpu_stats a, b, d;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.sessions = 10;
	b.sessions = 15;
	a.bytes = 100;
	b.bytes = 50;		/* went backwards (maps reset): 0 */
	b.truncations[ARM_SPE_TRUNC_NO_SPACE] = 2;
	b.last_irq_ns = 77;
	sd_stats_delta(&a, 1 * S, &b, 2 * S, &d);
	CHECK_EQ_U64(d.sessions, 5);
	CHECK_EQ_U64(d.bytes, 0);
	CHECK_EQ_U64(d.truncations[ARM_SPE_TRUNC_NO_SPACE], 2);
	CHECK_EQ_U64(d.last_irq_ns, 0);
	CHECK_EQ_U64(sd_trunc_total(&d), 2);

	/* blindness running at both ends: counted up to each time */
	a.blind_ns = 100;
	a.blind_since_ns = 0;
	b.blind_ns = 100 + S / 4;	/* a quarter second ended inside */
	b.blind_since_ns = 2 * S - S / 2;	/* and half a second running */
	CHECK_EQ_U64(sd_blind_at(&b, 2 * S), 100 + S / 4 + S / 2);
	sd_stats_delta(&a, 1 * S, &b, 2 * S, &d);
	CHECK_EQ_U64(d.blind_ns, S / 4 + S / 2);
	CHECK_EQ_U64(d.blind_since_ns, 0);
	/* never more than the interval */
	a.blind_since_ns = 0;
	b.blind_since_ns = 1;	/* stale: blind since boot */
	sd_stats_delta(&a, 1 * S, &b, 2 * S, &d);
	CHECK_EQ_U64(d.blind_ns, S);
	/* and blindness that began before a and continues */
	a.blind_since_ns = S / 2;
	a.blind_ns = b.blind_ns = 0;
	b.blind_since_ns = S / 2;
	sd_stats_delta(&a, 1 * S, &b, 3 * S, &d);
	CHECK_EQ_U64(d.blind_ns, 2 * S);
}

static void test_metrics(void)
{
	struct spe_cpu_stats d, cum;
	struct sd_metrics m;

	memset(&d, 0, sizeof(d));
	d.sessions = 20;
	d.bytes = 50000000;	/* 50 MB in 2 s, 1 s of it blind */
	d.irqs = 40;
	d.blind_ns = 1 * S;
	d.truncations[ARM_SPE_TRUNC_NO_SPACE] = 3;
	d.truncations[ARM_SPE_TRUNC_DATA_LOST] = 1;
	sd_metrics(&d, 2 * S, NULL, 0, 64, &m);
	CHECK(m.sessions_per_s == 10.0);
	CHECK(m.mb_per_s == 25.0);
	CHECK(m.irqs_per_s == 20.0);
	CHECK(m.blind_pct == 50.0);
	CHECK_EQ_U64(m.truncations, 4);
	CHECK(m.est_known);
	/* 50 MB/s while running, 1 s blind, 64-byte records */
	CHECK(m.rate_bps == 50e6);
	CHECK(m.est_lost > 781249.0 && m.est_lost < 781251.0);
	sd_metrics(&d, 2 * S, NULL, 0, 128, &m);
	CHECK(m.est_lost > 390624.0 && m.est_lost < 390626.0);

	/* blind all interval: the rate since start */
	memset(&d, 0, sizeof(d));
	d.blind_ns = 1 * S;
	memset(&cum, 0, sizeof(cum));
	cum.bytes = 6400;
	cum.blind_ns = 1 * S;
	sd_metrics(&d, 1 * S, &cum, 2 * S, 64, &m);	/* 6400 B/s -> 100 records/s */
	CHECK(m.est_known);
	CHECK(m.est_lost > 99.9 && m.est_lost < 100.1);
	/* no rate known at all */
	memset(&cum, 0, sizeof(cum));
	sd_metrics(&d, 1 * S, &cum, 2 * S, 64, &m);
	CHECK(!m.est_known);
	/* not blind: nothing lost, known */
	memset(&d, 0, sizeof(d));
	sd_metrics(&d, 1 * S, NULL, 0, 64, &m);
	CHECK(m.est_known && m.est_lost == 0 && m.blind_pct == 0);
	/* a zero-length interval divides by nothing */
	d.sessions = 5;
	sd_metrics(&d, 0, NULL, 0, 64, &m);
	CHECK(m.sessions_per_s == 0 && m.mb_per_s == 0);
}

static void test_rows(void)
{
	struct sd_snap *s0 = sd_snap_new(4), *s1 = sd_snap_new(4), *s2 = sd_snap_new(4);
	struct sd_row rows[4], total;
	struct sd_cpuset only;
	struct sd_fault_cnt fc[8];
	struct spe_log2_hist h[SPE_HIST_NR];
	unsigned int n, active;
	char err[64];

	if (!s0 || !s1 || !s2) {
		CHECK(0);
		return;
	}
	s0->t_ns = 10 * S;
	s1->t_ns = 11 * S;
	s2->t_ns = 12 * S;
	/* cpu1 active in both intervals, cpu3 only in the second */
	s1->cpu[1].s.sessions = 5;
	s1->cpu[1].s.bytes = 1000;
	s2->cpu[1].s.sessions = 9;
	s2->cpu[1].s.bytes = 3000;
	s2->cpu[1].s.blind_ns = S / 2;
	s2->cpu[3].s.truncations[ARM_SPE_TRUNC_NO_SPACE] = 1;
	s2->cpu[3].s.blind_since_ns = 11 * S + S / 2;
	s1->cpu[1].h[SPE_HIST_IRQ_GAP_NS].slots[10] = 2;
	s2->cpu[1].h[SPE_HIST_IRQ_GAP_NS].slots[10] = 5;
	s2->cpu[3].h[SPE_HIST_IRQ_GAP_NS].slots[12] = 1;

	n = sd_build_rows(s0, s0, s1, NULL, 64, rows, &total, &active);
	CHECK_EQ_U64(n, 1);
	CHECK_EQ_U64(rows[0].cpu, 1);
	CHECK_EQ_U64(total.d.sessions, 5);
	CHECK_EQ_U64(total.cpu, -1);
	CHECK_EQ_U64(active, 1);

	n = sd_build_rows(s0, s1, s2, NULL, 64, rows, &total, &active);
	CHECK_EQ_U64(n, 2);
	CHECK_EQ_U64(rows[0].cpu, 1);
	CHECK_EQ_U64(rows[0].d.sessions, 4);
	CHECK_EQ_U64(rows[1].cpu, 3);
	CHECK_EQ_U64(rows[1].d.blind_ns, S / 2);
	CHECK_EQ_U64(active, 2);
	CHECK_EQ_U64(total.d.blind_ns, S);
	/* blind 1 s of 2 active CPU-seconds */
	CHECK(total.m.blind_pct == 50.0);
	CHECK_EQ_U64(total.m.truncations, 1);
	/* cpu1: 2000 B over 0.5 s running = 4000 B/s -> 62.5 records/s x 0.5 s;
	 * cpu3: no bytes in the interval nor since start: unknown */
	CHECK(rows[0].m.est_known);
	CHECK(rows[0].m.est_lost > 31.2 && rows[0].m.est_lost < 31.3);
	CHECK(!rows[1].m.est_known);
	CHECK(!total.m.est_known);

	/* -C 3: that row only (even when idle), total over it */
	CHECK(!sd_cpulist_parse("0,3", &only, err, sizeof(err)));
	n = sd_build_rows(s0, s0, s1, &only, 64, rows, &total, &active);
	CHECK_EQ_U64(n, 2);
	CHECK_EQ_U64(rows[0].cpu, 0);
	CHECK_EQ_U64(rows[1].cpu, 3);
	CHECK_EQ_U64(total.d.sessions, 0);
	CHECK_EQ_U64(active, 0);
	CHECK(total.m.blind_pct == 0);

	/* the summary: start to end */
	n = sd_build_rows(s0, s0, s2, NULL, 64, rows, &total, &active);
	CHECK_EQ_U64(n, 2);
	CHECK_EQ_U64(total.d.sessions, 9);
	CHECK_EQ_U64(total.d.bytes, 3000);

	sd_hists_total(s0, s2, NULL, h);
	CHECK_EQ_U64(sd_hist_count(&h[SPE_HIST_IRQ_GAP_NS]), 6);
	CHECK_EQ_U64(sd_hist_median_slot(&h[SPE_HIST_IRQ_GAP_NS]), 10);
	CHECK_EQ_U64(sd_hist_max_slot(&h[SPE_HIST_IRQ_GAP_NS]), 12);
	CHECK_EQ_U64(sd_hist_median_slot(&h[SPE_HIST_BLIND_NS]), -1);
	sd_hists_total(s1, s2, &only, h);
	CHECK_EQ_U64(sd_hist_count(&h[SPE_HIST_IRQ_GAP_NS]), 1);
	CHECK_EQ_U64(sd_slot_lo(0), 0);
	CHECK_EQ_U64(sd_slot_hi(0), 1);
	CHECK_EQ_U64(sd_slot_lo(10), 1024);
	CHECK_EQ_U64(sd_slot_hi(10), 2047);
	CHECK_EQ_U64(sd_slot_hi(63), ~0ull);

	/* faults since start, per CPU and merged */
	CHECK(!sd_snap_add_fault(s0, 1, 0x24, 7, 2));
	CHECK(!sd_snap_add_fault(s2, 1, 0x24, 7, 5));
	CHECK(!sd_snap_add_fault(s2, 3, 0x24, 7, 1));
	CHECK(!sd_snap_add_fault(s2, 3, 0x25, 4, 4));
	n = sd_faults_since(s0, s2, NULL, true, fc);
	CHECK_EQ_U64(n, 3);
	CHECK_EQ_U64(fc[0].count, 3);
	n = sd_faults_since(s0, s2, NULL, false, fc);
	CHECK_EQ_U64(n, 2);
	CHECK_EQ_U64(fc[0].cpu, ~0u);
	CHECK_EQ_U64(fc[0].count, 4);
	CHECK_EQ_U64(fc[1].ec, 0x25);
	CHECK_EQ_U64(fc[1].count, 4);
	n = sd_faults_since(s0, s2, &only, true, fc);
	CHECK_EQ_U64(n, 2);
	CHECK(!sd_snap_copy(s1, s2));
	CHECK_EQ_U64(s1->nfaults, 3);
	CHECK_EQ_U64(s1->cpu[1].s.sessions, 9);
	CHECK_EQ_U64(s1->t_ns, 12 * S);
	sd_snap_free(s0);
	sd_snap_free(s1);
	sd_snap_free(s2);
}

/* ---- advice ---------------------------------------------------------------- */

static unsigned int nadv;
static struct sd_advice adv[SD_ADVICE_MAX];

static const char *advice_text(const char *id)
{
	for (unsigned int i = 0; i < nadv; i++)
		if (!strcmp(adv[i].id, id))
			return adv[i].text;
	return NULL;
}

/* a healthy driver-mode run: 2 CPUs, 10 s, 20 MB/s each, nothing lost */
static void healthy(struct sd_advice_in *in)
{
	memset(in, 0, sizeof(*in));
	in->driver = true;
	in->dt_s = 10;
	in->active_cpus = 2;
	in->tot.sessions = 400;
	in->tot.aux_records = 400;
	in->tot.bytes = 400000000;
	in->tot.irqs = 400;
	in->irq_gap.slots[25] = 398;	/* ~50 ms apart */
	in->rate_mbps = 20;
	in->est_known = true;
}

static void advise(const struct sd_advice_in *in)
{
	nadv = sd_advise(in, adv);
}

static void test_advice_ok_idle(void)
{
	struct sd_advice_in in;

	healthy(&in);
	advise(&in);
	CHECK_EQ_U64(nadv, 1);
	CHECK_HAS(advice_text("ok"), "no SPE data lost: 400 sessions, 400.0 MB in 10.0 s on 2 CPU(s)");

	memset(&in, 0, sizeof(in));
	in.dt_s = 3;
	advise(&in);
	CHECK_EQ_U64(nadv, 1);
	CHECK_HAS(advice_text("idle"), "no SPE activity in 3.0 s");
	CHECK_HAS(advice_text("idle"), "perf record -e arm_spe//");

	/* blind without a truncation seen */
	healthy(&in);
	in.tot.blind_ns = S;
	in.blind_pct = 5;
	in.est_lost = 1234;
	advise(&in);
	CHECK_EQ_U64(nadv, 1);
	CHECK_HAS(advice_text("blind"), "blind 5.0% of the time (~1234 samples lost)");
	CHECK(!advice_text("ok"));
}

static void test_advice_buffer(void)
{
	struct sd_advice_in in;

	/* full buffer at a high rate */
	healthy(&in);
	in.tot.truncations[ARM_SPE_TRUNC_NO_SPACE] = 5;
	in.tot.truncations[ARM_SPE_TRUNC_LIMIT_LE_HEAD] = 2;
	in.tot.blind_ns = 2 * S;
	in.blind_pct = 10;
	in.rate_mbps = 85.25;
	in.est_lost = 98765;
	advise(&in);
	CHECK_EQ_U64(nadv, 1);
	CHECK_HAS(advice_text("aux_buffer"), "7 truncations on a full AUX buffer (no_space 5, "
		  "limit_le_head 2, restart_failed 0) at 85.2 MB/s per CPU, blind 10.0% of the time "
		  "(~98765 samples lost) -> use a bigger AUX buffer (perf record -m,<pages>");
	CHECK(!advice_text("drain") && !advice_text("ok"));
	/* restart_failed alone counts too */
	healthy(&in);
	in.tot.truncations[ARM_SPE_TRUNC_RESTART_FAILED] = 1;
	advise(&in);
	CHECK(advice_text("aux_buffer") != NULL);
	/* at the threshold: still high */
	in.rate_mbps = SD_ADV_HIGH_RATE_MBPS;
	advise(&in);
	CHECK(advice_text("aux_buffer") && !advice_text("drain"));

	/* full buffer at a trickle: the reader is stuck */
	healthy(&in);
	in.tot.truncations[ARM_SPE_TRUNC_NO_SPACE] = 3;
	in.rate_mbps = 0.5;
	in.blind_pct = 80;
	in.est_known = false;
	advise(&in);
	CHECK_EQ_U64(nadv, 1);
	CHECK_HAS(advice_text("drain"), "3 truncations on a full AUX buffer (no_space 3, "
		  "limit_le_head 0, restart_failed 0) although SPE wrote only 0.50 MB/s per CPU "
		  "(blind 80.0%, samples lost unknown");
	CHECK_HAS(advice_text("drain"), "is perf record stopped");
	CHECK(!advice_text("aux_buffer"));

	/* data_lost and fault truncations are not "buffer full" */
	healthy(&in);
	in.tot.truncations[ARM_SPE_TRUNC_DATA_LOST] = 2;
	in.tot.aux_partial = 2;
	advise(&in);
	CHECK_EQ_U64(nadv, 1);
	CHECK_HAS(advice_text("data_lost"), "2 truncations with data lost (PMBSR_EL1.DL");
	CHECK_HAS(advice_text("data_lost"), "2 AUX records flagged PARTIAL");
	CHECK(!strstr(advice_text("data_lost"), "fault advice"));
	CHECK(!advice_text("aux_buffer") && !advice_text("drain"));
}

static void test_advice_irq_collisions(void)
{
	struct sd_advice_in in;

	/* IRQs ~48 us apart (slot 15: 32..64 us) */
	healthy(&in);
	memset(&in.irq_gap, 0, sizeof(in.irq_gap));
	in.irq_gap.slots[15] = 90;
	in.irq_gap.slots[25] = 10;
	in.tot.irqs = 100;
	advise(&in);
	CHECK_EQ_U64(nadv, 1);
	CHECK_HAS(advice_text("irq_rate"), "buffer interrupts every ~49 us (median gap over 100 IRQs, 5 IRQs/s per CPU)");
	CHECK_HAS(advice_text("irq_rate"), "wakeup watermark is half the AUX buffer");
	/* at the edge slot (~0.5..1 ms) it still fires, one slot up it does not */
	memset(&in.irq_gap, 0, sizeof(in.irq_gap));
	in.irq_gap.slots[SD_ADV_IRQ_GAP_SLOT] = 100;
	advise(&in);
	CHECK(advice_text("irq_rate") != NULL);
	memset(&in.irq_gap, 0, sizeof(in.irq_gap));
	in.irq_gap.slots[SD_ADV_IRQ_GAP_SLOT + 1] = 100;
	advise(&in);
	CHECK(!advice_text("irq_rate") && advice_text("ok"));
	/* too few IRQs to judge */
	memset(&in.irq_gap, 0, sizeof(in.irq_gap));
	in.irq_gap.slots[15] = 10;
	in.tot.irqs = SD_ADV_IRQ_MIN - 1;
	advise(&in);
	CHECK(!advice_text("irq_rate"));

	healthy(&in);
	in.tot.collisions = 25;
	in.tot.aux_collision = 20;
	advise(&in);
	CHECK_EQ_U64(nadv, 1);
	CHECK_HAS(advice_text("collisions"), "25 collisions (2.5/s; 20 AUX records flagged COLLISION)");
	CHECK_HAS(advice_text("collisions"), "raise the sampling interval (perf record -c N");
}

static void test_advice_faults(void)
{
	struct sd_advice_in in;
	struct sd_fault_cnt f[4] = {
		{ ~0u, 0x24, 0x07, 3 }, { ~0u, 0x24, 0x06, 1 }, { ~0u, 0x25, 0x07, 1 },
	};

	healthy(&in);
	in.tot.faults = 5;
	in.tot.truncations[ARM_SPE_TRUNC_FAULT] = 5;
	in.faults = f;
	in.nfaults = 3;
	advise(&in);
	CHECK_EQ_U64(nadv, 1);
	CHECK_HAS(advice_text("faults"), "5 buffer faults (stage1 fault (EC 0x24), FSC 0x07: level 3 "
		  "translation fault x3; stage1 fault (EC 0x24), FSC 0x06: level 2 translation fault x1; "
		  "stage2 fault (EC 0x25), FSC 0x07: level 3 translation fault x1)");
	CHECK_HAS(advice_text("faults"), "kpti=off");
	/* stage 2 commonest: the hypervisor */
	f[2].count = 9;
	advise(&in);
	CHECK_HAS(advice_text("faults"), "hypervisor");
	CHECK(!strstr(advice_text("faults"), "kpti"));
	/* external abort */
	f[0] = (struct sd_fault_cnt){ ~0u, 0x24, 0x10, 20 };
	advise(&in);
	CHECK_HAS(advice_text("faults"), "external abort");
	/* GPC */
	f[0] = (struct sd_fault_cnt){ ~0u, 0x1e, 0x0, 20 };
	advise(&in);
	CHECK_HAS(advice_text("faults"), "granule protection");
	/* with DL too: data_lost points at the faults */
	in.tot.truncations[ARM_SPE_TRUNC_DATA_LOST] = 1;
	advise(&in);
	CHECK_EQ_U64(nadv, 2);
	CHECK_HAS(advice_text("data_lost"), "see the fault advice");
	/* no faults: no fault advice */
	healthy(&in);
	in.faults = f;
	in.nfaults = 3;
	advise(&in);
	CHECK(!advice_text("faults"));
}

static void test_advice_stock(void)
{
	struct sd_advice_in in;

	healthy(&in);
	in.driver = false;
	in.tot.truncations[SPE_TRUNC_FLAGGED] = 4;
	in.blind_pct = 3;
	in.est_lost = 10;
	advise(&in);
	CHECK_EQ_U64(nadv, 1);
	CHECK_HAS(advice_text("stock_reasons"), "4 AUX records flagged TRUNCATED by the stock kernel");
	CHECK_HAS(advice_text("stock_reasons"), "load spekit's arm_spe_pmu driver");
	/* the driver's own "reason unknown": no stock advice, a plain note */
	in.driver = true;
	advise(&in);
	CHECK(!advice_text("stock_reasons"));
	CHECK_HAS(advice_text("truncations"), "4 truncations (blind 3.0%, ~10 samples lost)");
	CHECK(!advice_text("ok"));
}

/* ---- options, privileges, unpin -------------------------------------------- */

static int parse(struct sd_opts *o, char *err, ...)
{
	char *argv[16] = { "spedrops" };
	int argc = 1;
	va_list ap;
	char *a;

	va_start(ap, err);
	while ((a = va_arg(ap, char *)) && argc < 15)
		argv[argc++] = a;
	va_end(ap);
	err[0] = '\0';
	return sd_opts_parse(argc, argv, o, err, 256);
}

static void test_opts(void)
{
	struct sd_opts o;
	char err[256];

	CHECK(!parse(&o, err, NULL));
	CHECK(o.interval_s == 1.0 && o.duration_s == 0 && o.record_size == 64 && !o.json &&
	      !o.have_cpus && !o.pmu_type);
	CHECK(!parse(&o, err, "-i", "0.5", "-C", "0-1", "--json", "--pin", "--pmu-type", "12345",
		     "--record-size", "32", "-v", "10", NULL));
	CHECK(o.interval_s == 0.5 && o.have_cpus && sd_cpuset_has(&o.cpus, 1) && o.json && o.pin &&
	      o.pmu_type == 12345 && o.record_size == 32 && o.verbose && o.duration_s == 10);
	CHECK(!parse(&o, err, "3", "--json", NULL));	/* options after DURATION */
	CHECK(o.json && o.duration_s == 3);
	CHECK(!parse(&o, err, "--interval=2", "--cpu=3", "--load-only", "--unpin", NULL));
	CHECK(o.interval_s == 2 && sd_cpuset_has(&o.cpus, 3) && o.load_only && o.unpin);
	/* unknown options are errors even beside --help */
	CHECK(parse(&o, err, "--help", "--bogus", NULL));
	CHECK(!parse(&o, err, "-h", NULL) && o.help);
	CHECK(!parse(&o, err, "--version", NULL) && o.version);

	CHECK(parse(&o, err, "-i", "0", NULL));
	CHECK_HAS(err, "-i wants seconds between 0.01 and 86400, not '0'");
	CHECK(parse(&o, err, "-i", "abc", NULL));
	CHECK(parse(&o, err, "-i", "nan", NULL));
	CHECK(parse(&o, err, "-i", NULL));
	CHECK_HAS(err, "-i needs an argument");
	CHECK(parse(&o, err, "-C", "3-1", NULL));
	CHECK_STR(err, "-C: bad CPU list entry '3-1': the range ends before it starts" WANT);
	CHECK(parse(&o, err, "--pmu-type", "0", NULL));
	CHECK_HAS(err, "--pmu-type wants a PMU type number > 0, not '0'");
	CHECK(parse(&o, err, "--pmu-type", "-3", NULL));
	CHECK(parse(&o, err, "--pmu-type", "4294967296", NULL));
	CHECK(parse(&o, err, "--pmu-type", NULL));
	CHECK_HAS(err, "unknown option or missing argument: --pmu-type");
	CHECK(parse(&o, err, "--record-size", "0", NULL));
	CHECK(parse(&o, err, "--record-size", "65537", NULL));
	CHECK(parse(&o, err, "--bogus", NULL));
	CHECK_HAS(err, "unknown option or missing argument: --bogus");
	CHECK(parse(&o, err, "-x", NULL));
	CHECK_HAS(err, "unknown option -x");
	CHECK(parse(&o, err, "--json=1", NULL));
	CHECK(parse(&o, err, "abc", NULL));
	CHECK_HAS(err, "DURATION wants seconds > 0, not 'abc'");
	CHECK(parse(&o, err, "0", NULL));
	CHECK(parse(&o, err, "1", "2", NULL));
	CHECK_HAS(err, "one DURATION only; extra argument '2'");
	CHECK(parse(&o, err, "--pin", "--unpin", NULL));
	CHECK_HAS(err, "--pin and --unpin: choose one");
	CHECK(!parse(&o, err, NULL) && o.modes == 0);
	CHECK(!parse(&o, err, "-m", "kprobe", NULL) && o.modes == SD_MODE_BIT(SD_MODE_KPROBE));
	CHECK(!parse(&o, err, "--mode=driver", NULL) && o.modes == SD_MODES_DRIVER);
	CHECK(parse(&o, err, "--mode", "bogus", NULL));
	CHECK_HAS(err, "--mode wants auto, driver, stock, tp_btf, raw_tp, fentry or kprobe, not 'bogus'");
	CHECK(parse(&o, err, "-m", NULL));
	CHECK_HAS(err, "-m needs an argument");
	CHECK(strstr(sd_usage, "Usage: spedrops [OPTIONS] [DURATION_SECONDS]") == sd_usage);
}

/*
 * argnum.c, which spedrops, spetop, spegen and spe-mkperf parse numbers
 * with: the whole string or nothing, no sign or space before an integer
 * (strtoull's "-1" is 2^64-1), overflow refused, *v untouched on failure.
 */
static void test_argnum(void)
{
	uint64_t u = 77;
	double d;

	CHECK(!sd_arg_u64("0", 0, 0, UINT64_MAX, &u) && u == 0);
	CHECK(!sd_arg_u64("0x1f", 0, 0, UINT64_MAX, &u) && u == 31);
	CHECK(!sd_arg_u64("010", 0, 0, UINT64_MAX, &u) && u == 8);
	CHECK(!sd_arg_u64("18446744073709551615", 0, 0, UINT64_MAX, &u) && u == UINT64_MAX);
	/* base 16: a leading letter is a digit (an Ampere MIDR), 0x optional */
	CHECK(!sd_arg_u64("c00fac30", 16, 1, UINT64_MAX, &u) && u == 0xc00fac30);
	CHECK(!sd_arg_u64("0x410fd0c0", 16, 1, UINT64_MAX, &u) && u == 0x410fd0c0);
	CHECK(!sd_arg_u64("410fd0c0", 16, 1, UINT64_MAX, &u) && u == 0x410fd0c0);
	u = 77;
	CHECK(sd_arg_u64("c0", 10, 0, UINT64_MAX, &u));
	CHECK(sd_arg_u64("c0", 0, 0, UINT64_MAX, &u));
	CHECK(sd_arg_u64("zz", 16, 0, UINT64_MAX, &u));
	CHECK(sd_arg_u64("x5", 16, 0, UINT64_MAX, &u));
	CHECK(sd_arg_u64("", 0, 0, UINT64_MAX, &u));
	CHECK(sd_arg_u64("-1", 0, 0, UINT64_MAX, &u));
	CHECK(sd_arg_u64(" -1", 0, 0, UINT64_MAX, &u));
	CHECK(sd_arg_u64(" 5", 0, 0, UINT64_MAX, &u));
	CHECK(sd_arg_u64("+5", 0, 0, UINT64_MAX, &u));
	CHECK(sd_arg_u64("5 ", 0, 0, UINT64_MAX, &u));
	CHECK(sd_arg_u64("5x", 0, 0, UINT64_MAX, &u));
	CHECK(sd_arg_u64("0x", 0, 0, UINT64_MAX, &u));
	CHECK(sd_arg_u64("18446744073709551616", 0, 0, UINT64_MAX, &u));
	CHECK(sd_arg_u64("4294967296", 0, 0, UINT32_MAX, &u));
	CHECK(sd_arg_u64("0", 0, 1, 10, &u));
	CHECK(sd_arg_u64("11", 0, 1, 10, &u));
	CHECK(sd_arg_u64("4K", 0, 0, UINT64_MAX, &u));	/* sizes: sd_arg_size */
	CHECK_EQ_U64(u, 77);

	CHECK(!sd_arg_size("4096", 1, UINT64_MAX, &u) && u == 4096);
	CHECK(!sd_arg_size("4K", 1, UINT64_MAX, &u) && u == 4096);
	CHECK(!sd_arg_size("4k", 1, UINT64_MAX, &u) && u == 4096);
	CHECK(!sd_arg_size("4KiB", 1, UINT64_MAX, &u) && u == 4096);
	CHECK(!sd_arg_size("4kb", 1, UINT64_MAX, &u) && u == 4096);
	CHECK(!sd_arg_size("3M", 1, UINT64_MAX, &u) && u == 3ULL << 20);
	CHECK(!sd_arg_size("1Gi", 1, UINT64_MAX, &u) && u == 1ULL << 30);
	CHECK(!sd_arg_size("0x10K", 1, UINT64_MAX, &u) && u == 16 << 10);
	CHECK(!sd_arg_size("17179869183G", 1, UINT64_MAX, &u) && u == 17179869183ULL << 30);
	u = 77;
	CHECK(sd_arg_size("17179869184G", 1, UINT64_MAX, &u));	/* 2^64 */
	CHECK(sd_arg_size("4T", 1, UINT64_MAX, &u));
	CHECK(sd_arg_size("4B", 1, UINT64_MAX, &u));
	CHECK(sd_arg_size("4KBi", 1, UINT64_MAX, &u));
	CHECK(sd_arg_size("4K ", 1, UINT64_MAX, &u));
	CHECK(sd_arg_size("K", 1, UINT64_MAX, &u));
	CHECK(sd_arg_size("", 1, UINT64_MAX, &u));
	CHECK(sd_arg_size("-4K", 1, UINT64_MAX, &u));
	CHECK(sd_arg_size(" 4K", 1, UINT64_MAX, &u));
	CHECK(sd_arg_size("0", 1, UINT64_MAX, &u));
	CHECK(sd_arg_size("8K", 1, 4096, &u));		/* the range is after scaling */
	CHECK_EQ_U64(u, 77);

	CHECK(!sd_arg_num("0.5", 0, 1, &d) && d == 0.5);
	CHECK(!sd_arg_num("1e3", 0, 1e6, &d) && d == 1000);
	CHECK(!sd_arg_num("0x1p4", 0, 1e6, &d) && d == 16);
	CHECK(sd_arg_num("nan", 0, 1, &d));
	CHECK(sd_arg_num("inf", 0, INFINITY, &d));
	CHECK(sd_arg_num("1e400", 0, INFINITY, &d));
	CHECK(sd_arg_num("1.5", 0, 1, &d));
	CHECK(sd_arg_num("-0.1", 0, 1, &d));
	CHECK(sd_arg_num("0.5x", 0, 1, &d));
	CHECK(sd_arg_num("", 0, 1, &d));
}

static void test_caps(void)
{
	struct sd_caps c = { false, false, false };
	char buf[512];

	CHECK_HAS(sd_caps_problem(&c, buf, sizeof(buf)), "missing CAP_BPF and CAP_PERFMON");
	CHECK_HAS(buf, "run as root");
	CHECK_HAS(buf, "setcap cap_bpf,cap_perfmon+ep");
	c.bpf = true;
	CHECK_HAS(sd_caps_problem(&c, buf, sizeof(buf)), "(missing CAP_PERFMON)");
	c.bpf = false;
	c.perfmon = true;
	CHECK_HAS(sd_caps_problem(&c, buf, sizeof(buf)), "(missing CAP_BPF)");
	c.bpf = true;
	CHECK(!sd_caps_problem(&c, buf, sizeof(buf)));
	c = (struct sd_caps){ true, false, false };
	CHECK(!sd_caps_problem(&c, buf, sizeof(buf)));
	CHECK(!sd_caps_read(&c));
}

static void test_unpin(void)
{
	char dir[512], msg[512];

	/* plain directories stand in for bpffs: unlink/rmdir are the same */
	snprintf(dir, sizeof(dir), "%s/pins", getenv("SD_TMP"));
	CHECK(!sd_unpin(dir, msg, sizeof(msg)));
	CHECK_HAS(msg, "nothing pinned under ");
	mkdir(dir, 0700);
	snprintf(tmproot, sizeof(tmproot), "%s", dir);
	for (int i = 0; i < SD_NMAPS; i++)
		mkfile("", "%s/%s", dir, sd_map_names[i]);
	CHECK(!sd_unpin(dir, msg, sizeof(msg)));
	CHECK_HAS(msg, "removed 4 pinned maps and ");
	CHECK(access(dir, F_OK));
	mkdir(dir, 0700);
	mkfile("", "%s/spe_stats", dir);
	mkfile("", "%s/someone_else", dir);
	CHECK(!sd_unpin(dir, msg, sizeof(msg)));
	CHECK_HAS(msg, "removed 1 pinned map; kept ");
	CHECK_HAS(msg, "it holds other files");

	setenv("SPEKIT_PIN_DIR", "/tmp/x", 1);
	CHECK_STR(sd_pin_dir(), "/tmp/x");
	unsetenv("SPEKIT_PIN_DIR");
	CHECK_STR(sd_pin_dir(), "/sys/fs/bpf/spekit");
	/* a parent that is not bpffs (and not /sys/fs/bpf): refused */
	snprintf(dir, sizeof(dir), "%s/notbpf", getenv("SD_TMP"));
	CHECK(sd_pin_prepare(dir, msg, sizeof(msg)) == -ENOTDIR);
	CHECK_HAS(msg, "is not a BPF file system (mount -t bpf bpf ");
}

int main(void)
{
	char tmpl[] = "/tmp/spedrops-test.XXXXXX", cmd[300];

	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return 1;
	}
	setenv("SD_TMP", tmpl, 1);
	RUN_TEST(test_select_all_combinations);
	RUN_TEST(test_select_scenarios);
	RUN_TEST(test_mode_names);
	RUN_TEST(test_pmu_discovery);
	RUN_TEST(test_probe);
	RUN_TEST(test_cpulist);
	RUN_TEST(test_names);
	RUN_TEST(test_deltas);
	RUN_TEST(test_metrics);
	RUN_TEST(test_rows);
	RUN_TEST(test_advice_ok_idle);
	RUN_TEST(test_advice_buffer);
	RUN_TEST(test_advice_irq_collisions);
	RUN_TEST(test_advice_faults);
	RUN_TEST(test_advice_stock);
	RUN_TEST(test_opts);
	RUN_TEST(test_argnum);
	RUN_TEST(test_caps);
	RUN_TEST(test_unpin);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	if (system(cmd))
		printf("  could not remove %s\n", tmpl);
	CHECK_DONE();
}
