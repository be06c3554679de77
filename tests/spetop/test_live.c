// SPDX-License-Identifier: GPL-2.0-only
/*
 * live.c without SPE hardware: format/ parsing, attrs built from filters
 * against fake sysfs trees (SPEKIT_SYSFS_ROOT), the errno messages, and
 * opening with no SPE PMU (this host) or with a fake one the kernel does
 * not know, on the PMUs discovered once beforehand.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "check.h"
#include "live.h"
#include "pmu.h"

static char tmp_root[256];

/* ---- a fake sysfs tree ----------------------------------------------------- */

static void mkdirs(const char *path)
{
	char buf[1024], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	}
	mkdir(buf, 0755);
}

static void put_file(const char *root, const char *rel, const char *text)
{
	char path[1024], dir[1024], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	*slash = '\0';
	mkdirs(dir);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static void rm_tree(const char *path)
{
	struct dirent *de;
	DIR *d = opendir(path);
	char sub[1024];

	if (!d) {
		unlink(path);
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		rm_tree(sub);
	}
	closedir(d);
	rmdir(path);
}

#define DEV "bus/event_source/devices/"

/*
 * The driver's format/ and caps/ (driver/arm_spe_pmu_main.c, the same as
 * mainline's) for arm_spe_0 on CPUs 0-3; arm_spe_1 an older, smaller one
 * (no min_latency, no pct_enable) on CPUs 4-5 with a larger min_interval;
 * a PMU of another kind to ignore.
 */
static void make_tree(const char *root, const char *type0)
{
	static const char *const fmt0[][2] = {
		{ "ts_enable", "config:0\n" }, { "pa_enable", "config:1\n" },
		{ "pct_enable", "config:2\n" }, { "jitter", "config:16\n" },
		{ "branch_filter", "config:32\n" }, { "load_filter", "config:33\n" },
		{ "store_filter", "config:34\n" }, { "discard", "config:35\n" },
		{ "event_filter", "config1:0-63\n" }, { "min_latency", "config2:0-11\n" },
	};
	char rel[256];
	unsigned int i;

	rm_tree(root);
	for (i = 0; i < sizeof(fmt0) / sizeof(fmt0[0]); i++) {
		snprintf(rel, sizeof(rel), DEV "arm_spe_0/format/%s", fmt0[i][0]);
		put_file(root, rel, fmt0[i][1]);
		if (strcmp(fmt0[i][0], "min_latency") && strcmp(fmt0[i][0], "pct_enable") &&
		    strcmp(fmt0[i][0], "discard")) {
			snprintf(rel, sizeof(rel), DEV "arm_spe_1/format/%s", fmt0[i][0]);
			put_file(root, rel, fmt0[i][1]);
		}
	}
	put_file(root, DEV "arm_spe_0/type", type0);
	put_file(root, DEV "arm_spe_0/cpumask", "0-3\n");
	put_file(root, DEV "arm_spe_0/caps/arch_inst", "1\n");
	put_file(root, DEV "arm_spe_0/caps/ernd", "0\n");
	put_file(root, DEV "arm_spe_0/caps/count_size", "12\n");
	put_file(root, DEV "arm_spe_0/caps/min_interval", "256\n");
	put_file(root, DEV "arm_spe_0/caps/event_filter", "0x3f00000000fe0aaa\n");
	put_file(root, DEV "arm_spe_1/type", "11\n");
	put_file(root, DEV "arm_spe_1/cpumask", "4-5\n");
	put_file(root, DEV "arm_spe_1/caps/min_interval", "1024\n");
	put_file(root, DEV "arm_spe_1/caps/count_size", "12\n");
	put_file(root, DEV "cpu/type", "4\n");
	put_file(root, DEV "cpu/format/event", "config:0-7\n");
}

static bool one_line(const char *s)
{
	return s && *s && !strchr(s, '\n') && strlen(s) < 1000;
}

/* ---- format/ --------------------------------------------------------------- */

static void test_field_parse(void)
{
	static const struct {
		const char *text;
		unsigned int word;
		uint64_t mask;
	} ok[] = {
		{ "config:0", 0, 0x1 },
		{ "config:0\n", 0, 0x1 },
		{ "config:16-17", 0, 0x30000 },
		{ "config:32", 0, 1ULL << 32 },
		{ "config1:0-15", 1, 0xffff },
		{ "config1:0-63\n", 1, ~0ULL },
		{ "config2:0-11", 2, 0xfff },
		{ "config3:0-63", 3, ~0ULL },
		{ "config:0-3,8-11", 0, 0xf0f },
		{ "config:63", 0, 1ULL << 63 },
		{ "config:5,7,9\n", 0, 0x2a0 },
	};
	static const char *const bad[] = {
		"", "config", "config:", "conf:0", "config4:0", "config0:1", "config:64",
		"config:5-3", "config:1-", "config:-1", "config:1x", "config 0", "config:0,,1",
		"config:0,", "config:0-64", "config1:", "config:99999999999",
		"config:0 junk",
	};
	struct live_field f;
	unsigned int i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(&f, 0, sizeof(f));
		CHECK_EQ_U64(live_field_parse(ok[i].text, &f), 0);
		CHECK_EQ_U64(f.word, ok[i].word);
		CHECK_EQ_U64(f.mask, ok[i].mask);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (live_field_parse(bad[i], &f) != -1) {
			printf("  accepted \"%s\"\n", bad[i]);
			CHECK(!"a malformed format/ entry was accepted");
		}
	}
}

static void test_field_put(void)
{
	struct live_field f;
	uint64_t cfg[4] = { 0, 0, 0, 0 };
	char buf[64];

	/* split fields: value bits fill the mask from its lowest bit */
	CHECK_EQ_U64(live_field_parse("config:0-3,8-11", &f), 0);
	CHECK_EQ_U64(live_field_max(&f), 0xff);
	CHECK_EQ_U64(live_field_put(&f, 0xab, cfg), 0);
	CHECK_EQ_U64(cfg[0], 0xa0b);
	CHECK_EQ_U64(live_field_put(&f, 0x100, cfg), (uint64_t)-1);
	live_field_str(&f, buf, sizeof(buf));
	CHECK_STR(buf, "config:0-3,8-11");
	/* a new value replaces the old one, other bits kept */
	cfg[0] |= 1ULL << 40;
	CHECK_EQ_U64(live_field_put(&f, 0x01, cfg), 0);
	CHECK_EQ_U64(cfg[0], (1ULL << 40) | 0x1);

	CHECK_EQ_U64(live_field_parse("config2:0-11", &f), 0);
	CHECK_EQ_U64(live_field_max(&f), 4095);
	CHECK_EQ_U64(live_field_put(&f, 4095, cfg), 0);
	CHECK_EQ_U64(cfg[2], 0xfff);
	CHECK_EQ_U64(live_field_put(&f, 4096, cfg), (uint64_t)-1);
	live_field_str(&f, buf, sizeof(buf));
	CHECK_STR(buf, "config2:0-11");

	CHECK_EQ_U64(live_field_parse("config3:0-63", &f), 0);
	CHECK_EQ_U64(live_field_max(&f), ~0ULL);
	CHECK_EQ_U64(live_field_put(&f, ~0ULL, cfg), 0);
	CHECK_EQ_U64(cfg[3], ~0ULL);
	CHECK_EQ_U64(live_field_parse("config:34", &f), 0);
	CHECK_EQ_U64(live_field_put(&f, 1, cfg), 0);
	CHECK(cfg[0] & (1ULL << 34));
	CHECK_EQ_U64(live_field_put(&f, 2, cfg), (uint64_t)-1);
	live_field_str(&f, buf, sizeof(buf));
	CHECK_STR(buf, "config:34");
}

/*
 * A PMU's cpumask through spedrops' cpulist.c (its own rules and phrases
 * are tests/spedrops/test_logic's): the kernel's trailing newline, an
 * empty mask, and a bad one refusing the PMU with the file and the entry
 * named.
 */
static void test_cpulist(void)
{
	struct live_pmu *p = calloc(1, sizeof(*p));
	char err[512] = "";

	make_tree(tmp_root, "10\n");
	put_file(tmp_root, DEV "arm_spe_0/cpumask", "0-3,8\n");
	CHECK_EQ_U64(live_pmu_load(tmp_root, "arm_spe_0", p, err, sizeof(err)), 0);
	CHECK_EQ_U64(p->ncpus, 5);
	CHECK(sd_cpuset_has(&p->cpus, 0) && sd_cpuset_has(&p->cpus, 3) && sd_cpuset_has(&p->cpus, 8));
	CHECK(!sd_cpuset_has(&p->cpus, 4) && !sd_cpuset_has(&p->cpus, 9));
	put_file(tmp_root, DEV "arm_spe_0/cpumask", "0-1,1-2,4095\n");
	CHECK_EQ_U64(live_pmu_load(tmp_root, "arm_spe_0", p, err, sizeof(err)), 0);
	CHECK_EQ_U64(p->ncpus, 4);
	put_file(tmp_root, DEV "arm_spe_0/cpumask", "\n");
	CHECK_EQ_U64(live_pmu_load(tmp_root, "arm_spe_0", p, err, sizeof(err)), 0);
	CHECK_EQ_U64(p->ncpus, 0);

	put_file(tmp_root, DEV "arm_spe_0/cpumask", "0-3,x\n");
	CHECK_EQ_U64(live_pmu_load(tmp_root, "arm_spe_0", p, err, sizeof(err)), (uint64_t)-1);
	CHECK_STR(err, "arm_spe_0/cpumask: bad CPU list entry 'x': not a CPU number or range; "
		  "want e.g. 0-3,8 (CPUs 0-4095)");
	put_file(tmp_root, DEV "arm_spe_0/cpumask", "4096\n");
	CHECK_EQ_U64(live_pmu_load(tmp_root, "arm_spe_0", p, err, sizeof(err)), (uint64_t)-1);
	CHECK_HAS(err, "arm_spe_0/cpumask: bad CPU list entry '4096': beyond CPU 4095");
	put_file(tmp_root, DEV "arm_spe_0/cpumask", "3-1\n");
	CHECK_EQ_U64(live_pmu_load(tmp_root, "arm_spe_0", p, err, sizeof(err)), (uint64_t)-1);
	CHECK_HAS(err, "arm_spe_0/cpumask: bad CPU list entry '3-1': the range ends before it starts");
	/* no cpumask: the possible CPUs, named when they are what is bad */
	{
		char path[512];

		snprintf(path, sizeof(path), "%s/" DEV "arm_spe_0/cpumask", tmp_root);
		unlink(path);
	}
	put_file(tmp_root, "devices/system/cpu/possible", "0-7,\n");
	CHECK_EQ_U64(live_pmu_load(tmp_root, "arm_spe_0", p, err, sizeof(err)), (uint64_t)-1);
	CHECK_STR(err, "arm_spe_0: no cpumask; devices/system/cpu/possible: bad CPU list entry '': "
		  "nothing after the last comma; want e.g. 0-3,8 (CPUs 0-4095)");
	CHECK(one_line(err));
	rm_tree(tmp_root);
	free(p);
}

/* ---- discovery ----------------------------------------------------------------- */

static void test_discover(void)
{
	struct live_pmu *p = calloc(LIVE_MAX_PMUS, sizeof(*p));
	const struct live_field *f;
	const struct live_cap *c;
	char err[512] = "";
	int n;

	make_tree(tmp_root, "10\n");
	n = live_pmu_discover(tmp_root, p, LIVE_MAX_PMUS, err, sizeof(err));
	CHECK_EQ_U64(n, 2);
	CHECK_STR(p[0].name, "arm_spe_0");
	CHECK_STR(p[1].name, "arm_spe_1");
	CHECK_EQ_U64(p[0].type, 10);
	CHECK_EQ_U64(p[1].type, 11);
	CHECK_EQ_U64(p[0].ncpus, 4);
	CHECK(sd_cpuset_has(&p[0].cpus, 3) && !sd_cpuset_has(&p[0].cpus, 4));
	CHECK_EQ_U64(p[1].ncpus, 2);
	CHECK_EQ_U64(p[0].nfields, 10);
	f = live_pmu_field(&p[0], "load_filter");
	CHECK(f && f->word == 0 && f->mask == 1ULL << 33);
	f = live_pmu_field(&p[0], "min_latency");
	CHECK(f && f->word == 2 && f->mask == 0xfff);
	CHECK(!live_pmu_field(&p[1], "min_latency"));
	CHECK_EQ_U64(live_pmu_min_interval(&p[0]), 256);
	CHECK_EQ_U64(live_pmu_min_interval(&p[1]), 1024);
	c = live_pmu_cap(&p[0], "event_filter");
	CHECK(c && c->is_num && c->value == 0x3f00000000fe0aaaULL);
	c = live_pmu_cap(&p[0], "count_size");
	CHECK(c && c->is_num && c->value == 12);
	CHECK_STR(c->text, "12");

	/* a malformed format/ entry: the PMU is refused with its name */
	put_file(tmp_root, DEV "arm_spe_1/format/jitter", "bits:16\n");
	CHECK_EQ_U64(live_pmu_load(tmp_root, "arm_spe_1", &p[1], err, sizeof(err)), (uint64_t)-1);
	CHECK(strstr(err, "arm_spe_1/jitter") && strstr(err, "bits:16"));
	/* only unusable entries: the no-PMU line says why */
	rm_tree(tmp_root);
	put_file(tmp_root, DEV "arm_spe_0/type", "spe\n");
	n = live_pmu_discover(tmp_root, p, LIVE_MAX_PMUS, err, sizeof(err));
	CHECK_EQ_U64(n, 0);
	CHECK(one_line(err));
	CHECK(strstr(err, "arm_spe_0/type: not a PMU type number"));
	/* no cpumask: the possible CPUs */
	make_tree(tmp_root, "10\n");
	{
		char path[512];

		snprintf(path, sizeof(path), "%s/" DEV "arm_spe_1/cpumask", tmp_root);
		unlink(path);
	}
	put_file(tmp_root, "devices/system/cpu/possible", "0-7\n");
	CHECK_EQ_U64(live_pmu_load(tmp_root, "arm_spe_1", &p[1], err, sizeof(err)), 0);
	CHECK_EQ_U64(p[1].ncpus, 8);
	free(p);
}

/* ---- attrs ----------------------------------------------------------------------- */

static void test_build_attr(void)
{
	struct live_pmu *p = calloc(LIVE_MAX_PMUS, sizeof(*p));
	struct live_opts o;
	struct live_attr a;
	char err[512];

	make_tree(tmp_root, "10\n");
	CHECK_EQ_U64(live_pmu_discover(tmp_root, p, LIVE_MAX_PMUS, err, sizeof(err)), 2);

	/* loads and stores, timestamps, jitter, latency, an interval */
	memset(&o, 0, sizeof(o));
	o.loads = o.stores = o.ts = o.jitter = true;
	o.min_latency = 20;
	o.interval = 1000;
	o.exclude_kernel = true;
	CHECK_EQ_U64(live_build_attr(&p[0], &o, &a, err, sizeof(err)), 0);
	CHECK_EQ_U64(a.attr.type, 10);
	CHECK_EQ_U64(a.attr.config, (1ULL << 0) | (1ULL << 16) | (1ULL << 33) | (1ULL << 34));
	CHECK_EQ_U64(a.attr.config1, 0);
	CHECK_EQ_U64(a.attr.config2, 20);
	CHECK_EQ_U64(a.config3, 0);
	CHECK_EQ_U64(a.attr.sample_period, 1000);
	CHECK_EQ_U64(a.attr.sample_type, PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
		     PERF_SAMPLE_CPU | PERF_SAMPLE_IDENTIFIER);
	CHECK(a.attr.sample_id_all && a.attr.disabled && !a.attr.freq);
	CHECK(a.attr.exclude_kernel && !a.attr.exclude_user && !a.attr.exclude_idle);
	CHECK_EQ_U64(a.attr.size, sizeof(a.attr));

	/* branches, physical addresses, an event filter, side-band */
	memset(&o, 0, sizeof(o));
	o.branches = o.pa = o.comm = o.mmap = o.context_switch = true;
	o.event_filter = 0x2 | 0x20;
	CHECK_EQ_U64(live_build_attr(&p[0], &o, &a, err, sizeof(err)), 0);
	CHECK_EQ_U64(a.attr.config, (1ULL << 1) | (1ULL << 32));
	CHECK_EQ_U64(a.attr.config1, 0x22);
	CHECK(a.attr.comm && a.attr.mmap2 && a.attr.context_switch);
	/* the default interval is the PMU's minimum */
	CHECK_EQ_U64(a.attr.sample_period, 256);
	CHECK_EQ_U64(live_build_attr(&p[1], &o, &a, err, sizeof(err)), 0);
	CHECK_EQ_U64(a.attr.sample_period, 1024);
	CHECK_EQ_U64(a.attr.type, 11);

	/* a filter arm_spe_1's driver does not list */
	memset(&o, 0, sizeof(o));
	o.min_latency = 64;
	CHECK_EQ_U64(live_build_attr(&p[1], &o, &a, err, sizeof(err)), (uint64_t)-1);
	CHECK(one_line(err));
	CHECK(strstr(err, "arm_spe_1 has no format/min_latency"));
	CHECK(strstr(err, "minimum latency"));
	o.min_latency = 0;
	o.pct = true;
	CHECK_EQ_U64(live_build_attr(&p[1], &o, &a, err, sizeof(err)), (uint64_t)-1);
	CHECK(strstr(err, "format/pct_enable"));

	/* a latency the field cannot hold */
	memset(&o, 0, sizeof(o));
	o.min_latency = 5000;
	CHECK_EQ_U64(live_build_attr(&p[0], &o, &a, err, sizeof(err)), (uint64_t)-1);
	CHECK(one_line(err));
	CHECK(strstr(err, "5000") && strstr(err, "config2:0-11") && strstr(err, "4095"));

	/* intervals: below caps/min_interval, above the register's field */
	memset(&o, 0, sizeof(o));
	o.interval = 255;
	CHECK_EQ_U64(live_build_attr(&p[0], &o, &a, err, sizeof(err)), (uint64_t)-1);
	CHECK(one_line(err));
	CHECK(strstr(err, "255") && strstr(err, "caps/min_interval") &&
	      strstr(err, "at least 256"));
	o.interval = 1000;
	CHECK_EQ_U64(live_build_attr(&p[1], &o, &a, err, sizeof(err)), (uint64_t)-1);
	CHECK(strstr(err, "arm_spe_1's minimum 1024"));
	o.interval = 256;
	CHECK_EQ_U64(live_build_attr(&p[0], &o, &a, err, sizeof(err)), 0);
	o.interval = 1ULL << 32;
	CHECK_EQ_U64(live_build_attr(&p[0], &o, &a, err, sizeof(err)), (uint64_t)-1);
	CHECK(strstr(err, "maximum"));

	/* event filter bits the hardware cannot filter on */
	memset(&o, 0, sizeof(o));
	o.event_filter = 0x4;
	CHECK_EQ_U64(live_build_attr(&p[0], &o, &a, err, sizeof(err)), (uint64_t)-1);
	CHECK(one_line(err));
	CHECK(strstr(err, "caps/event_filter") && strstr(err, "0x4"));

	/* nothing left to sample */
	memset(&o, 0, sizeof(o));
	o.exclude_user = o.exclude_kernel = true;
	CHECK_EQ_U64(live_build_attr(&p[0], &o, &a, err, sizeof(err)), (uint64_t)-1);
	CHECK(one_line(err) && strstr(err, "nothing"));

	/* a config3 field is carried beside the attr */
	put_file(tmp_root, DEV "arm_spe_0/format/event_filter", "config3:0-63\n");
	CHECK_EQ_U64(live_pmu_load(tmp_root, "arm_spe_0", &p[0], err, sizeof(err)), 0);
	memset(&o, 0, sizeof(o));
	o.event_filter = 0x2;
	CHECK_EQ_U64(live_build_attr(&p[0], &o, &a, err, sizeof(err)), 0);
	CHECK_EQ_U64(a.config3, 0x2);
	CHECK_EQ_U64(a.attr.config1, 0);
	free(p);
}

/* ---- errno messages ------------------------------------------------------------ */

/* The line names the errno and says what to do */
static bool names_fix(const char *s)
{
	static const char *const verbs[] = {
		"run as", "sysctl", "raise", "drop", "use ", "modprobe", "stop", "check",
		"bring", "free", "restart", "update", "report", "allow", "pick", "leave",
		"ulimit",
	};
	unsigned int i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strstr(s, verbs[i]))
			return true;
	return false;
}

static void test_errno_table(void)
{
	static const int errs[] = {
		EACCES, EPERM, ENOENT, ENODEV, EOPNOTSUPP, EINVAL, EBUSY, EMFILE, ENFILE,
		ESRCH, E2BIG, ENOSYS, ENOMEM, EXDEV,
	};
	static const int stages[] = { LIVE_ST_OPEN, LIVE_ST_MMAP, LIVE_ST_MMAP_AUX,
				      LIVE_ST_ENABLE };
	struct live_errctx c;
	char buf[1024], name[32];
	unsigned int i, k;

	for (k = 0; k < 4; k++) {
		for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
			const char *en = live_errno_name(errs[i]);

			memset(&c, 0, sizeof(c));
			c.stage = stages[k];
			c.err = errs[i];
			c.pmu = "arm_spe_0";
			c.cpu = 3;
			c.pid = -1;
			c.paranoid = LIVE_UNKNOWN;
			c.mlock_kb = LIVE_UNKNOWN;
			c.nofile = LIVE_UNKNOWN;
			c.nevents = 64;
			c.aux_kb = 512;
			c.data_kb = 64;
			live_strerror(&c, buf, sizeof(buf));
			if (!en) {
				snprintf(name, sizeof(name), "errno %d", errs[i]);
				en = name;
			}
			if (!one_line(buf) || !strstr(buf, en) || !names_fix(buf)) {
				printf("  stage %d %s: %s\n", stages[k], en, buf);
				CHECK(!"not one line naming the errno and a fix");
			}
		}
	}

	/* permission: what paranoid allows, and what to set */
	memset(&c, 0, sizeof(c));
	c.stage = LIVE_ST_OPEN;
	c.err = EACCES;
	c.pmu = "arm_spe_0";
	c.cpu = 0;
	c.pid = -1;
	c.paranoid = 2;
	c.mlock_kb = c.nofile = LIVE_UNKNOWN;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "perf_event_paranoid is 2") && strstr(buf, "needs 0 or less") &&
	      strstr(buf, "sysctl -w kernel.perf_event_paranoid=0") &&
	      strstr(buf, "CAP_PERFMON") && strstr(buf, "system-wide"));
	c.cpu = -1;
	c.pid = 42;
	c.paranoid = 3;
	c.kernel = false;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "for PID 42") && strstr(buf, "perf_event_paranoid=2"));
	c.kernel = true;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "perf_event_paranoid=1") && strstr(buf, "kernel code"));
	c.paranoid = 1;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "may not trace") && strstr(buf, "CAP_SYS_PTRACE"));
	/* allowed by paranoid: physical addresses are what was refused */
	c.cpu = 0;
	c.pid = -1;
	c.paranoid = -1;
	c.pa = true;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "physical addresses") && strstr(buf, "privileged"));
	/* EPERM with paranoid fine: a security policy */
	c.pa = false;
	c.err = EPERM;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "EPERM") && strstr(buf, "seccomp"));

	/* file descriptors: the limit and a value to set */
	memset(&c, 0, sizeof(c));
	c.stage = LIVE_ST_OPEN;
	c.err = EMFILE;
	c.cpu = 100;
	c.nofile = 64;
	c.nevents = 256;
	c.opened = 60;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "after 60 of 256") && strstr(buf, "limit is 64") &&
	      strstr(buf, "ulimit -n 576"));

	/* AUX mapping: the mlock sysctl, with a value */
	memset(&c, 0, sizeof(c));
	c.stage = LIVE_ST_MMAP_AUX;
	c.err = EPERM;
	c.pmu = "arm_spe_0";
	c.cpu = 1;
	c.mlock_kb = 516;
	c.aux_kb = 512;
	c.data_kb = 64;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "AUX buffer (512 KiB)") && strstr(buf, "perf_event_mlock_kb is 516") &&
	      strstr(buf, "perf_event_mlock_kb=580") && strstr(buf, "CAP_IPC_LOCK"));
	c.err = ENOMEM;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "ENOMEM") && strstr(buf, "perf_event_mlock_kb"));
	c.err = EINVAL;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "power of 2") && strstr(buf, "at least 2"));

	/* the rest, by what they must say */
	memset(&c, 0, sizeof(c));
	c.stage = LIVE_ST_OPEN;
	c.pmu = "arm_spe_0";
	c.cpu = 2;
	c.interval = 100;
	c.min_interval = 256;
	c.err = EBUSY;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "on CPU 2") && strstr(buf, "another SPE session"));
	c.err = EOPNOTSUPP;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "caps/min_interval (256; asked 100)"));
	c.err = EINVAL;
	c.config[0] = 0x600000001ULL;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "config 0x600000001") && strstr(buf, "filter combination"));
	c.err = ENOENT;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "cpumask") && strstr(buf, "modprobe arm_spe_pmu"));
	c.err = EXDEV;
	live_strerror(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "errno 18"));
	CHECK_STR(live_errno_name(EOPNOTSUPP), "EOPNOTSUPP");
	CHECK(!live_errno_name(EXDEV));
}

static void test_no_pmu_msg(void)
{
	char buf[1024];

	live_no_pmu_msg("/sys", "aarch64", NULL, buf, sizeof(buf));
	CHECK(one_line(buf));
	CHECK(!strncmp(buf, "no arm_spe PMU in /sys/bus/event_source/devices: ", 49));
	CHECK(strstr(buf, "modprobe arm_spe_pmu") && strstr(buf, "bare-metal") &&
	      strstr(buf, "kpti=off"));
	live_no_pmu_msg("/sys", "x86_64", NULL, buf, sizeof(buf));
	CHECK(one_line(buf) && strstr(buf, "Arm64"));
	live_no_pmu_msg("/tmp/x", NULL, "arm_spe_0/type: not a PMU type number", buf, sizeof(buf));
	CHECK(strstr(buf, "/tmp/x/bus/event_source/devices (arm_spe_0/type: not a PMU type "
		      "number): "));
}

/* ---- opening ---------------------------------------------------------------------- */

/* What run_live() does: discover once under sd_sysfs_root(), open on that */
static int open_here(struct live **l, const struct live_opts *o, char *err, size_t len)
{
	static struct live_pmu pmus[LIVE_MAX_PMUS];
	int n = live_pmu_discover(sd_sysfs_root(), pmus, LIVE_MAX_PMUS, err, len);

	*l = NULL;
	if (n <= 0)
		return -1;
	return live_open(l, pmus, (unsigned int)n, o, err, len);
}

/* No SPE PMU: a fake empty tree, and this host's own /sys; live_open()
 * handed none says the same line */
static void test_open_no_pmu(void)
{
	struct live_opts o;
	struct live *l = (struct live *)1;
	char err[1024], err2[1024], want[512];
	int fds = open_fd_count();

	memset(&o, 0, sizeof(o));
	rm_tree(tmp_root);
	mkdirs(tmp_root);
	setenv("SPEKIT_SYSFS_ROOT", tmp_root, 1);
	CHECK_EQ_U64(open_here(&l, &o, err, sizeof(err)), (uint64_t)-1);
	CHECK(l == NULL);
	CHECK(one_line(err));
	snprintf(want, sizeof(want), "no arm_spe PMU in %s/bus/event_source/devices: ", tmp_root);
	CHECK(!strncmp(err, want, strlen(want)));
	l = (struct live *)1;
	CHECK_EQ_U64(live_open(&l, NULL, 0, &o, err2, sizeof(err2)), (uint64_t)-1);
	CHECK(l == NULL);
	CHECK_STR(err2, err);

	unsetenv("SPEKIT_SYSFS_ROOT");
	CHECK_STR(sd_sysfs_root(), "/sys");
	if (access("/sys/bus/event_source/devices/arm_spe_0", F_OK) == 0) {
		printf("  (this host has arm_spe_0: /sys case skipped)\n");
	} else {
		CHECK_EQ_U64(open_here(&l, &o, err, sizeof(err)), (uint64_t)-1);
		CHECK(one_line(err));
		CHECK(!strncmp(err, "no arm_spe PMU in /sys/bus/event_source/devices: ", 49));
		printf("  %s\n", err);
	}
	CHECK_EQ_U64(open_fd_count(), fds);
}

/*
 * live_open() opens what it is handed and does not look at sysfs again:
 * with the tree gone after discovery, it still gets as far as
 * perf_event_open on the discovered PMU (the fake type fails there).
 */
static void test_open_no_rediscovery(void)
{
	struct live_pmu *p = calloc(LIVE_MAX_PMUS, sizeof(*p));
	struct live_opts o;
	struct live *l;
	char err[1024];
	int n, fds = open_fd_count();

	make_tree(tmp_root, "2147483632\n");
	setenv("SPEKIT_SYSFS_ROOT", tmp_root, 1);
	n = live_pmu_discover(tmp_root, p, LIVE_MAX_PMUS, err, sizeof(err));
	CHECK_EQ_U64(n, 2);
	rm_tree(tmp_root);
	memset(&o, 0, sizeof(o));
	o.pmu = "arm_spe_0";
	CHECK_EQ_U64(live_open(&l, p, (unsigned int)n, &o, err, sizeof(err)), (uint64_t)-1);
	CHECK(l == NULL);
	CHECK(one_line(err));
	CHECK(!strstr(err, "no arm_spe PMU"));
	CHECK(strstr(err, "arm_spe_0") && strstr(err, "on CPU 0"));
	printf("  %s\n", err);
	CHECK_EQ_U64(open_fd_count(), fds);
	unsetenv("SPEKIT_SYSFS_ROOT");
	free(p);
}

/*
 * A fake PMU whose type the kernel does not know: the open reaches
 * perf_event_open and fails there (ENOENT, or EACCES/EPERM where perf is
 * forbidden), as one line naming the PMU and CPU; nothing is left open.
 */
static void test_open_fake_pmu(void)
{
	struct live_opts o;
	struct live *l;
	char err[1024];
	int fds = open_fd_count();

	make_tree(tmp_root, "2147483632\n");
	setenv("SPEKIT_SYSFS_ROOT", tmp_root, 1);
	memset(&o, 0, sizeof(o));
	o.pmu = "arm_spe_0";
	o.ts = true;
	CHECK_EQ_U64(open_here(&l, &o, err, sizeof(err)), (uint64_t)-1);
	CHECK(l == NULL);
	CHECK(one_line(err));
	CHECK(strstr(err, "arm_spe_0") && strstr(err, "on CPU 0"));
	CHECK(strstr(err, "(ENOENT)") || strstr(err, "(EACCES)") || strstr(err, "(EPERM)") ||
	      strstr(err, "(ENOSYS)"));
	printf("  %s\n", err);

	/* per task: cpu -1, named by PID */
	o.pid = (int)getpid();
	CHECK_EQ_U64(open_here(&l, &o, err, sizeof(err)), (uint64_t)-1);
	CHECK(one_line(err) && strstr(err, "for PID"));
	CHECK_EQ_U64(open_fd_count(), fds);

	/* errors before any syscall */
	memset(&o, 0, sizeof(o));
	o.pmu = "arm_spe_7";
	CHECK_EQ_U64(open_here(&l, &o, err, sizeof(err)), (uint64_t)-1);
	CHECK_STR(err, "no PMU named arm_spe_7: this machine has arm_spe_0 arm_spe_1");
	o.pmu = NULL;
	o.cpus = "100-101";
	CHECK_EQ_U64(open_here(&l, &o, err, sizeof(err)), (uint64_t)-1);
	CHECK(one_line(err) && strstr(err, "no CPU left"));
	o.cpus = "1-x";
	CHECK_EQ_U64(open_here(&l, &o, err, sizeof(err)), (uint64_t)-1);
	CHECK_STR(err, "-C: bad CPU list entry '1-x': not a CPU number or range; "
		  "want e.g. 0-3,8 (CPUs 0-4095)");
	o.cpus = NULL;
	o.aux_pages = 3;
	CHECK_EQ_U64(open_here(&l, &o, err, sizeof(err)), (uint64_t)-1);
	CHECK(one_line(err) && strstr(err, "powers of 2"));
	o.aux_pages = 0;
	o.min_latency = 10;	/* arm_spe_1 lacks it: named before opening */
	CHECK_EQ_U64(open_here(&l, &o, err, sizeof(err)), (uint64_t)-1);
	CHECK(one_line(err) && strstr(err, "arm_spe_1 has no format/min_latency"));
	o.min_latency = 0;
	o.interval = 100;
	CHECK_EQ_U64(open_here(&l, &o, err, sizeof(err)), (uint64_t)-1);
	CHECK(strstr(err, "caps/min_interval"));
	CHECK_EQ_U64(open_fd_count(), fds);
	unsetenv("SPEKIT_SYSFS_ROOT");
	live_close(NULL);
}

/*
 * The software PMU posing as arm_spe_0 (type 1, config 0: cpu-clock) lets
 * the real kernel drive everything but SPE itself: perf_event_open, the
 * data ring's mmap, the AUX mmap's refusal, and live_poll() draining real
 * COMM/MMAP2/SWITCH_CPU_WIDE records with their sample_id trailers.
 */
static void make_sw_tree(const char *root)
{
	rm_tree(root);
	put_file(root, DEV "arm_spe_0/type", "1\n");
	put_file(root, DEV "arm_spe_0/cpumask", "0\n");
	put_file(root, DEV "arm_spe_0/caps/min_interval", "1000\n");
	put_file(root, DEV "arm_spe_0/format/ts_enable", "config:0\n");
}

static void test_open_aux_refused(void)
{
	struct live_opts o;
	struct live *l;
	char err[1024];
	int fds = open_fd_count();

	make_sw_tree(tmp_root);
	setenv("SPEKIT_SYSFS_ROOT", tmp_root, 1);
	memset(&o, 0, sizeof(o));
	o.interval = 10000000;
	CHECK_EQ_U64(open_here(&l, &o, err, sizeof(err)), (uint64_t)-1);
	CHECK(l == NULL);
	CHECK(one_line(err));
	printf("  %s\n", err);
	/* where perf is allowed, the open and the data ring worked and the
	 * AUX area was refused: cpu-clock has none */
	CHECK(strstr(err, "has no AUX area on CPU 0 (EOPNOTSUPP)") || strstr(err, "(EACCES)") ||
	      strstr(err, "(EPERM)"));
	CHECK_EQ_U64(open_fd_count(), fds);
	unsetenv("SPEKIT_SYSFS_ROOT");
}

struct seen {
	int pid;
	const char *comm;
	unsigned int comm_ok, mmap_ok, switch_ok, events, bad_sid, bad_stream;
};

static void seen_event(void *ctx, const struct live_stream *s, const struct ring_event *ev)
{
	struct seen *z = ctx;
	uint32_t want = RING_SID_TID | RING_SID_TIME | RING_SID_CPU | RING_SID_IDENTIFIER;

	z->events++;
	if (ev->sid.has != want || !ev->sid.time || !ev->sid.id)
		z->bad_sid++;
	if (s->cpu >= 0 && ev->sid.cpu != (uint32_t)s->cpu)
		z->bad_sid++;
	if (!s->pmu || strcmp(s->pmu->name, "arm_spe_0"))
		z->bad_stream++;
	if (ev->type == RING_EV_COMM && !strcmp(ev->comm.comm, z->comm) &&
	    ev->comm.pid == (uint32_t)z->pid && ev->sid.pid == (uint32_t)z->pid)
		z->comm_ok++;
	if (ev->type == RING_EV_MMAP && ev->mmap.mmap2 && strstr(ev->mmap.filename, "test_live") &&
	    ev->mmap.pid == (uint32_t)z->pid && ev->mmap.len)
		z->mmap_ok++;
	if (ev->type == RING_EV_SWITCH && ev->sw.cpu_wide)
		z->switch_ok++;
}

static const struct live_ops seen_ops = { .event = seen_event };

/* Per CPU: side-band records of this process on CPU 0 */
static void test_poll_cpu(void)
{
	struct live_opts o;
	struct live *l;
	struct seen z = { .comm = "spetop-probe" };
	struct ring_drops d;
	char err[1024], oldname[32] = "";
	cpu_set_t set, old;
	int fds = open_fd_count(), i, fd;
	void *map;

	make_sw_tree(tmp_root);
	setenv("SPEKIT_SYSFS_ROOT", tmp_root, 1);
	memset(&o, 0, sizeof(o));
	o.interval = 1000000;	/* 1 ms of cpu-clock: PERF_RECORD_SAMPLEs, skipped */
	o.comm = o.mmap = o.context_switch = o.no_aux = true;
	if (open_here(&l, &o, err, sizeof(err))) {
		printf("  skipped, perf is not available here: %s\n", err);
		CHECK(one_line(err));
		unsetenv("SPEKIT_SYSFS_ROOT");
		return;
	}
	CHECK_EQ_U64(live_nstreams(l), 1);
	CHECK_EQ_U64(live_stream(l, 0)->cpu, 0);
	CHECK(live_stream(l, 1) == NULL);
	CHECK_EQ_U64(live_npmus(l), 1);
	CHECK_STR(live_pmu(l, 0)->name, "arm_spe_0");

	/* run on CPU 0: rename, map ourselves executable, sleep (switches) */
	z.pid = (int)getpid();
	sched_getaffinity(0, sizeof(old), &old);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	prctl(PR_GET_NAME, oldname);
	prctl(PR_SET_NAME, z.comm);
	fd = open("/proc/self/exe", O_RDONLY);
	map = fd >= 0 ? mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0) : MAP_FAILED;
	for (i = 0; i < 5; i++) {
		usleep(2000);
		for (volatile int spin = 0; spin < 1000000; spin++)
			;
	}
	for (i = 0; i < 20 && !(z.comm_ok && z.mmap_ok && z.switch_ok); i++)
		CHECK(live_poll(l, 50, &seen_ops, &z) >= 0);
	prctl(PR_SET_NAME, oldname);
	sched_setaffinity(0, sizeof(old), &old);
	if (map != MAP_FAILED)
		munmap(map, 4096);
	if (fd >= 0)
		close(fd);

	live_drops(l, &d);
	printf("  %u records parsed, %" PRIu64 " skipped (samples), %u COMM, %u MMAP2, "
	       "%u SWITCH_CPU_WIDE\n", z.events, d.unknown, z.comm_ok, z.mmap_ok, z.switch_ok);
	CHECK(z.comm_ok >= 1);
	CHECK(z.mmap_ok >= 1);
	CHECK(z.switch_ok >= 1);
	CHECK_EQ_U64(z.bad_sid, 0);
	CHECK_EQ_U64(z.bad_stream, 0);
	CHECK(d.unknown > 0);
	CHECK_EQ_U64(d.malformed, 0);
	CHECK_EQ_U64(d.corrupt, 0);
	CHECK_EQ_U64(d.records, d.unknown + z.events);
	live_close(l);
	CHECK_EQ_U64(open_fd_count(), fds);
	unsetenv("SPEKIT_SYSFS_ROOT");
}

/* Per task: the task's records, then LIVE_DONE when it has exited */
static void test_poll_task_exit(void)
{
	struct live_opts o;
	struct live *l;
	struct seen z = { .comm = "spetop-child" };
	char err[1024];
	int fds = open_fd_count(), p[2], i, r = 0, st;
	pid_t child;

	make_sw_tree(tmp_root);
	setenv("SPEKIT_SYSFS_ROOT", tmp_root, 1);
	if (pipe(p))
		return;
	child = fork();
	if (!child) {
		char b;

		close(p[1]);
		if (read(p[0], &b, 1) != 1)
			_exit(1);
		prctl(PR_SET_NAME, "spetop-child");
		_exit(0);
	}
	close(p[0]);
	memset(&o, 0, sizeof(o));
	o.pid = child;
	o.interval = 1000000;
	o.comm = o.no_aux = true;
	if (open_here(&l, &o, err, sizeof(err))) {
		printf("  skipped, perf is not available here: %s\n", err);
		CHECK(one_line(err));
		close(p[1]);
		waitpid(child, &st, 0);
		unsetenv("SPEKIT_SYSFS_ROOT");
		return;
	}
	CHECK_EQ_U64(live_stream(l, 0)->cpu, (uint64_t)-1);
	CHECK_EQ_U64(live_stream(l, 0)->pid, child);
	z.pid = child;
	CHECK_EQ_U64(write(p[1], "x", 1), 1);
	close(p[1]);
	for (i = 0; i < 100 && r != LIVE_DONE; i++)
		r = live_poll(l, 50, &seen_ops, &z);
	CHECK_EQ_U64(r, LIVE_DONE);
	CHECK(live_stream(l, 0)->hup);
	CHECK_EQ_U64(z.comm_ok, 1);
	CHECK_EQ_U64(z.bad_sid, 0);
	waitpid(child, &st, 0);
	live_close(l);
	CHECK_EQ_U64(open_fd_count(), fds);
	unsetenv("SPEKIT_SYSFS_ROOT");
}

int main(void)
{
	snprintf(tmp_root, sizeof(tmp_root), "/tmp/spetop-test-live.XXXXXX");
	if (!mkdtemp(tmp_root)) {
		perror("mkdtemp");
		return 2;
	}
	RUN_TEST(test_field_parse);
	RUN_TEST(test_field_put);
	RUN_TEST(test_cpulist);
	RUN_TEST(test_discover);
	RUN_TEST(test_build_attr);
	RUN_TEST(test_errno_table);
	RUN_TEST(test_no_pmu_msg);
	RUN_TEST(test_open_no_pmu);
	RUN_TEST(test_open_fake_pmu);
	RUN_TEST(test_open_no_rediscovery);
	RUN_TEST(test_open_aux_refused);
	RUN_TEST(test_poll_cpu);
	RUN_TEST(test_poll_task_exit);
	rm_tree(tmp_root);
	CHECK_DONE();
}
