// SPDX-License-Identifier: GPL-2.0-only
/*
 * The header's bpf line (tools/spetop/bpfline.c):
 *  - the line and the numbers behind it from two known snapshots: deltas,
 *    not totals; cumulative; a zero-length interval; maps reset; the CPUs
 *    of -C; what stock-kernel modes cannot see; cutting to fit; the JSON
 *    object out_json.c writes from them;
 *  - opening where nothing can load: --no-bpf, no privilege (capabilities
 *    dropped in a child), the driver modes on this host (no arm_spe
 *    tracepoints), a fake sysfs tree: one line each, nothing leaked, and
 *    later intervals keep saying why;
 *  - the real thing: spedrops' raw_tp programs loaded through bpfline
 *    (load_only: this host has no tracepoints to attach to), driven with
 *    BPF_PROG_TEST_RUN on one CPU as the driver's tracepoints would drive
 *    them, and bpfline's line and numbers checked against what was fed,
 *    interval by interval.
 * The last two need root (BPF, capset); without it they say so and pass,
 * as test_live does for what this host cannot run.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "bpfline.h"
#include "out.h"
#include "spedrops.skel.h"
#include "spedrops_run.h"

#define CHECK_PREFIX(s, pre) do {					\
	if (strncmp((s), (pre), strlen(pre))) {				\
		printf("  check failed %s:%d: '%s' starts with '%s'\n", __FILE__, __LINE__, \
		       (s), (pre));					\
		check_cur_failed++;					\
	}								\
} while (0)

#define NS	1000000000ull

static bool one_line(const char *s, size_t max)
{
	return s && *s && !strchr(s, '\n') && strlen(s) < max;
}

static const char *not_root(void)
{
	return geteuid() ? "not root: loading BPF programs needs root (make check runs as root)" : NULL;
}

/* ---- the line from known snapshots ------------------------------------------ */

/* Known totals on CPU @c of @s: every counter a multiple of @k, so a
 * delta taken as a total (or the other way round) shows */
static void fill(struct sd_snap *s, unsigned int c, __u64 k)
{
	struct spe_cpu_stats *x = &s->cpu[c].s;

	x->sessions = 10 * k;
	x->no_room = 1 * k;
	x->irqs = 20 * k;
	x->spurious_irqs = 2 * k;
	x->bytes = 4096 * k;
	x->aux_records = 9 * k;
	x->aux_truncated = 3 * k;
	x->aux_partial = 1 * k;
	x->aux_collision = 2 * k;
	x->truncations[SPE_TRUNC_FLAGGED] = 1 * k;
	x->truncations[ARM_SPE_TRUNC_NO_SPACE] = 2 * k;
	x->truncations[ARM_SPE_TRUNC_FAULT] = 1 * k;
	x->collisions = 3 * k;
	x->faults = 1 * k;
	x->pad_bytes = 64 * k;
	x->blind_ns = k * (NS / 8);
}

static void test_format_deltas(void)
{
	struct sd_snap *a = sd_snap_new(4), *b = sd_snap_new(4), *c = sd_snap_new(4);
	struct view_bpf st;
	char line[200];

	CHECK(a && b && c);
	if (!a || !b || !c)
		goto out;
	/* start: nothing; prev: 100x the unit on CPUs 1 and 3; cur: 101x */
	a->t_ns = 10 * NS;
	b->t_ns = 20 * NS;
	c->t_ns = 21 * NS;
	fill(b, 1, 100);
	fill(b, 3, 100);
	fill(c, 1, 101);
	fill(c, 3, 101);

	/* the interval b -> c: one unit on each of two CPUs */
	bpfline_stats(a, b, c, NULL, SD_MODE_RAW_TP, &st);
	CHECK(st.valid && st.driver);
	CHECK_STR(st.mode, "raw_tp");
	CHECK(st.span_s == 1.0);
	CHECK_EQ_U64(st.active_cpus, 2);
	CHECK_EQ_U64(st.sessions, 20);
	CHECK_EQ_U64(st.no_room, 2);
	CHECK_EQ_U64(st.irqs, 40);
	CHECK_EQ_U64(st.spurious_irqs, 4);
	CHECK_EQ_U64(st.bytes, 8192);
	CHECK_EQ_U64(st.aux_records, 18);
	CHECK_EQ_U64(st.aux_truncated, 6);
	CHECK_EQ_U64(st.aux_partial, 2);
	CHECK_EQ_U64(st.aux_collision, 4);
	CHECK_EQ_U64(st.truncations, 8);
	CHECK_EQ_U64(st.trunc_reason[SPE_TRUNC_FLAGGED], 2);
	CHECK_EQ_U64(st.trunc_reason[ARM_SPE_TRUNC_NO_SPACE], 4);
	CHECK_EQ_U64(st.trunc_reason[ARM_SPE_TRUNC_DATA_LOST], 0);
	CHECK_EQ_U64(st.trunc_reason[ARM_SPE_TRUNC_FAULT], 2);
	CHECK_EQ_U64(st.collisions, 6);
	CHECK_EQ_U64(st.faults, 2);
	CHECK_EQ_U64(st.pad_bytes, 128);
	CHECK_EQ_U64(st.blind_ns, NS / 4);
	/* 0.25 s blind over 2 active CPUs x 1 s */
	CHECK(st.blind_pct == 12.5);
	CHECK_STR(bpfline_format(&st, line, sizeof(line)),
		  "raw_tp  sessions 20  irqs 40  truncations 8 (no_space=4,fault=2,flagged=2)  "
		  "collisions 6  faults 2  blind 12.5%");

	/* cumulative: start -> cur, the totals */
	bpfline_stats(a, a, c, NULL, SD_MODE_TP_BTF, &st);
	CHECK(st.span_s == 11.0);
	CHECK_STR(bpfline_format(&st, line, sizeof(line)),
		  "tp_btf  sessions 2020  irqs 4040  truncations 808 (no_space=404,fault=202,flagged=202)  "
		  "collisions 606  faults 202  blind 100.0%");

	/* a zero-length interval: zeros, and no division by zero */
	bpfline_stats(a, c, c, NULL, SD_MODE_RAW_TP, &st);
	CHECK(st.span_s == 0 && st.blind_pct == 0);
	CHECK_EQ_U64(st.active_cpus, 2);
	CHECK_STR(bpfline_format(&st, line, sizeof(line)),
		  "raw_tp  sessions 0  irqs 0  truncations 0  collisions 0  faults 0  blind 0.0%");

	/* maps reset under us (counters went backwards): 0, not a wrap */
	bpfline_stats(a, c, b, NULL, SD_MODE_RAW_TP, &st);
	CHECK_EQ_U64(st.sessions, 0);
	CHECK_EQ_U64(st.truncations, 0);
	CHECK_EQ_U64(st.blind_ns, 0);

	/* blindness still running when read counts up to the read */
	c->cpu[1].s.blind_since_ns = c->t_ns - NS / 2;
	bpfline_stats(a, b, c, NULL, SD_MODE_RAW_TP, &st);
	CHECK_EQ_U64(st.blind_ns, NS / 4 + NS / 2);
	CHECK(st.blind_pct == 37.5);
	c->cpu[1].s.blind_since_ns = 0;
out:
	sd_snap_free(a);
	sd_snap_free(b);
	sd_snap_free(c);
}

static void test_format_cpus_and_modes(void)
{
	struct sd_snap *a = sd_snap_new(4), *b = sd_snap_new(4);
	struct sd_cpuset only;
	struct view_bpf st;
	char line[200], err[100];

	CHECK(a && b);
	if (!a || !b)
		goto out;
	a->t_ns = 0;
	b->t_ns = 2 * NS;
	fill(b, 0, 1);
	fill(b, 2, 5);

	/* -C 2: CPU 0's counts stay out */
	CHECK(!sd_cpulist_parse("2", &only, err, sizeof(err)));
	bpfline_stats(a, a, b, &only, SD_MODE_RAW_TP, &st);
	CHECK_EQ_U64(st.active_cpus, 1);
	CHECK_EQ_U64(st.sessions, 50);
	CHECK_EQ_U64(st.irqs, 100);
	/* 5/8 s blind of 2 s on one CPU */
	CHECK(st.blind_pct == 31.25);
	CHECK_STR(bpfline_format(&st, line, sizeof(line)),
		  "raw_tp  sessions 50  irqs 100  truncations 20 (no_space=10,fault=5,flagged=5)  "
		  "collisions 15  faults 5  blind 31.2%");
	/* a CPU list with no activity: zeros, no blind share */
	CHECK(!sd_cpulist_parse("1,3", &only, err, sizeof(err)));
	bpfline_stats(a, a, b, &only, SD_MODE_RAW_TP, &st);
	CHECK_EQ_U64(st.active_cpus, 0);
	CHECK_EQ_U64(st.sessions, 0);
	CHECK(st.blind_pct == 0);

	/* stock kernels: IRQs and faults are not observed ("-"), truncations
	 * have no reasons to list */
	bpfline_stats(a, a, b, NULL, SD_MODE_FENTRY, &st);
	CHECK(st.valid && !st.driver);
	CHECK_STR(bpfline_format(&st, line, sizeof(line)),
		  "fentry  sessions 60  irqs -  truncations 24  collisions 18  faults -  blind 18.8%");
	bpfline_stats(a, a, b, NULL, SD_MODE_KPROBE, &st);
	CHECK_PREFIX(bpfline_format(&st, line, sizeof(line)), "kprobe  sessions 60  irqs -  ");
out:
	sd_snap_free(a);
	sd_snap_free(b);
}

static void test_format_fits(void)
{
	struct view_bpf st;
	char line[200], small[80];

	/* every reason, every counter at 2^64-1: the reasons go, the totals stay */
	memset(&st, 0xff, sizeof(st));
	st.driver = true;
	st.blind_pct = 100;
	snprintf(st.mode, sizeof(st.mode), "raw_tp");
	bpfline_format(&st, line, sizeof(line));
	CHECK(one_line(line, sizeof(line)));
	CHECK(!strchr(line, '('));
	CHECK_STR(line, "raw_tp  sessions 18446744073709551615  irqs 18446744073709551615  "
		  "truncations 18446744073709551615  collisions 18446744073709551615  "
		  "faults 18446744073709551615  blind 100.0%");
	/* realistic counts keep all six reasons */
	memset(&st, 0, sizeof(st));
	st.driver = true;
	snprintf(st.mode, sizeof(st.mode), "tp_btf");
	st.sessions = 123456;
	st.irqs = 1234567;
	for (int i = 0; i < VIEW_BPF_REASONS; i++) {
		st.trunc_reason[i] = 1000 + (unsigned int)i;
		st.truncations += st.trunc_reason[i];
	}
	bpfline_format(&st, line, sizeof(line));
	CHECK(one_line(line, sizeof(line)));
	CHECK_HAS(line, " (no_space=1001,data_lost=1002,limit_le_head=1003,restart_failed=1004,"
		  "fault=1005,flagged=1000)  ");
	/* a short buffer is never overrun */
	bpfline_format(&st, small, sizeof(small));
	CHECK_EQ_U64(strlen(small), sizeof(small) - 1);
	CHECK_PREFIX(small, "tp_btf  sessions 123456  irqs 1234567  truncations 6015  ");
}

static void test_not_loaded_lines(void)
{
	struct sd_caps c;
	char line[200], why[400];

	CHECK(!bpfline_not_loaded("no permission", line, sizeof(line)));
	CHECK_STR(line, "not loaded: no permission");
	/* spedrops' lead-in is dropped: "not loaded" says it */
	CHECK(!bpfline_not_loaded("no way to observe SPE here: tp_btf failed: x; stock kernel: y",
				  line, sizeof(line)));
	CHECK_STR(line, "not loaded: tp_btf failed: x; stock kernel: y");
	/* a long reason is cut to one header line, and says it was */
	memset(why, 'x', sizeof(why));
	why[sizeof(why) - 1] = '\0';
	memcpy(why, "first\nsecond", 12);
	CHECK(bpfline_not_loaded(why, line, sizeof(line)));
	CHECK_EQ_U64(strlen(line), sizeof(line) - 1);
	CHECK(one_line(line, sizeof(line)));
	CHECK_PREFIX(line, "not loaded: first second");
	CHECK(!strcmp(line + sizeof(line) - 4, "..."));

	memset(&c, 0, sizeof(c));
	CHECK_STR(bpfline_caps_problem(&c),
		  "no permission (run as root, or give spetop CAP_BPF and CAP_PERFMON)");
	c.bpf = true;
	CHECK(bpfline_caps_problem(&c) != NULL);	/* CAP_BPF alone cannot attach */
	c.perfmon = true;
	CHECK(bpfline_caps_problem(&c) == NULL);
	memset(&c, 0, sizeof(c));
	c.sys_admin = true;
	CHECK(bpfline_caps_problem(&c) == NULL);
}

/* ---- JSON ----------------------------------------------------------------- */

static char *json_of(const struct view_model *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	out_json(f, m, "interval");
	fclose(f);
	return buf;
}

static void test_json(void)
{
	struct view_model m;
	char *j;

	memset(&m, 0, sizeof(m));
	/* replay: no line, no numbers */
	j = json_of(&m);
	CHECK(j != NULL);
	if (j) {
		CHECK_HAS(j, "\"bpf\":null,\"bpf_stats\":null,\"self_cpu_pct\":");
		/* the keys before it are unchanged */
		CHECK_HAS(j, "\"overflow_samples\":0},\"bpf\":null");
	}
	free(j);

	/* not loaded: the reason, no numbers */
	snprintf(m.h.bpf, sizeof(m.h.bpf), "not loaded: no permission");
	j = json_of(&m);
	if (j)
		CHECK_HAS(j, "\"bpf\":\"not loaded: no permission\",\"bpf_stats\":null,");
	free(j);

	/* driver mode: every counter */
	memset(&m.h.bpf_stats, 0, sizeof(m.h.bpf_stats));
	m.h.bpf_stats = (struct view_bpf){
		.valid = true, .driver = true, .mode = "raw_tp", .span_s = 1.5, .active_cpus = 2,
		.sessions = 1, .no_room = 2, .irqs = 3, .spurious_irqs = 4, .bytes = 5,
		.aux_records = 6, .aux_truncated = 7, .aux_partial = 8, .aux_collision = 9,
		.truncations = 21, .trunc_reason = { 0, 1, 2, 3, 4, 11 },
		.collisions = 12, .faults = 13, .pad_bytes = 14, .blind_ns = 15, .blind_pct = 0.25,
	};
	snprintf(m.h.bpf, sizeof(m.h.bpf), "raw_tp  sessions 1");
	j = json_of(&m);
	if (j)
		CHECK_HAS(j, "\"bpf\":\"raw_tp  sessions 1\",\"bpf_stats\":{\"mode\":\"raw_tp\","
			  "\"span_s\":1.500,\"active_cpus\":2,\"sessions\":1,\"no_room\":2,\"irqs\":3,"
			  "\"spurious_irqs\":4,\"bytes\":5,\"aux_records\":6,\"aux_truncated\":7,"
			  "\"aux_partial\":8,\"aux_collision\":9,\"truncations\":21,"
			  "\"truncations_by_reason\":{\"flagged\":0,\"no_space\":1,\"data_lost\":2,"
			  "\"limit_le_head\":3,\"restart_failed\":4,\"fault\":11},\"collisions\":12,"
			  "\"faults\":13,\"pad_bytes\":14,\"blind_ns\":15,\"blind_pct\":0.250},"
			  "\"self_cpu_pct\":");
	free(j);

	/* stock: what it cannot see is null, not 0 */
	m.h.bpf_stats.driver = false;
	snprintf(m.h.bpf_stats.mode, sizeof(m.h.bpf_stats.mode), "kprobe");
	j = json_of(&m);
	if (j) {
		CHECK_HAS(j, "\"mode\":\"kprobe\"");
		CHECK_HAS(j, "\"sessions\":1,\"no_room\":null,\"irqs\":null,\"spurious_irqs\":null,");
		CHECK_HAS(j, "\"faults\":null,\"pad_bytes\":null,\"blind_ns\":15,");
	}
	free(j);
}

/* ---- opening where nothing loads ------------------------------------------ */

static void check_stays_unloaded(struct bpfline *b, const char *want)
{
	struct view_bpf st;
	char line[200];

	for (int i = 0; i < 3; i++) {
		memset(&st, 0x5a, sizeof(st));
		bpfline_update(b, i == 2, line, sizeof(line), &st);
		CHECK_STR(line, want);
		CHECK(!st.valid);
	}
}

static void test_open_off(void)
{
	struct bpfline_opts o = { .off = true };
	struct bpfline *b = bpfline_open(&o);

	CHECK(b != NULL);
	CHECK(!bpfline_loaded(b));
	CHECK(bpfline_sd(b) == NULL);
	CHECK(bpfline_why(b) == NULL);
	if (b)
		check_stays_unloaded(b, "off (--no-bpf)");
	bpfline_close(b);
	bpfline_close(NULL);
}

/* Driver modes on this host: no arm_spe tracepoints (x86, no spekit
 * driver), so raw_tp loads and fails to attach, tp_btf finds no BTF */
static void test_open_driver_modes_fail(void)
{
	const unsigned int modes[] = { SD_MODES_DRIVER, SD_MODE_BIT(SD_MODE_RAW_TP),
				       SD_MODE_BIT(SD_MODE_TP_BTF) };
	const char *why = not_root();
	int fds = open_fd_count();

	if (why) {
		printf("  skipped: %s\n", why);
		return;
	}
	if (!access("/sys/kernel/btf/arm_spe_pmu", F_OK) ||
	    !access("/sys/kernel/tracing/events/arm_spe", F_OK)) {
		printf("  skipped: this host has spekit's arm_spe tracepoints\n");
		return;
	}
	for (unsigned int i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct bpfline_opts o = { .pmu_type = 8, .sysfs_root = "/sys", .modes = modes[i] };
		struct bpfline *b = bpfline_open(&o);
		char want[200];

		CHECK(b != NULL);
		if (!b)
			continue;
		CHECK(!bpfline_loaded(b));
		CHECK(bpfline_why(b) != NULL);
		bpfline_not_loaded(bpfline_why(b), want, sizeof(want));
		printf("  modes 0x%x: %s\n", modes[i], want);
		CHECK(one_line(want, 200));
		CHECK_PREFIX(want, modes[i] & SD_MODE_BIT(SD_MODE_RAW_TP) ?
			     "not loaded: raw_tp failed: " : "not loaded: tp_btf: arm_spe_pmu has no BTF");
		CHECK_PREFIX(bpfline_why(b), "no way to observe SPE here: ");
		if (modes[i] & SD_MODE_BIT(SD_MODE_RAW_TP))
			CHECK_HAS(bpfline_why(b), "raw_tp failed: ");
		else
			CHECK_HAS(bpfline_why(b), "tp_btf: arm_spe_pmu has no BTF");
		/* the stock modes were not asked */
		CHECK_HAS(bpfline_why(b), "stock kernel: not tried (--mode)");
		CHECK(bpfline_cut(b) == (strlen(bpfline_why(b)) - strlen("no way to observe SPE here: ") +
					 strlen("not loaded: ") >= 200));
		/* spetop carries on: every interval says the same */
		check_stays_unloaded(b, want);
		bpfline_close(b);
	}
	/* every skeleton of the failed attempts was destroyed */
	CHECK_EQ_U64(open_fd_count(), fds);
}

static int mkdirs(const char *root, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

/* A tree where tracefs shows no arm_spe and there is no kernel BTF: auto
 * selection gives up without loading anything, with spedrops' words */
static void test_open_fake_sysfs(void)
{
	char root[] = "/tmp/spetop-bpfline-XXXXXX";
	const char *why = not_root();
	struct bpfline_opts o = { .pmu_type = 8 };
	struct bpfline *b;

	if (why) {
		printf("  skipped: %s\n", why);
		return;
	}
	CHECK(mkdtemp(root) != NULL);
	CHECK(!mkdirs(root, "kernel/tracing/events/sched"));
	o.sysfs_root = root;
	b = bpfline_open(&o);
	CHECK(b && !bpfline_loaded(b));
	if (b) {
		CHECK_STR(bpfline_why(b), "no way to observe SPE here: no arm_spe tracepoints in "
			  "tracefs (spekit's arm_spe_pmu driver is not loaded); stock kernel: no "
			  "kernel BTF (/sys/kernel/btf/vmlinux; needs CONFIG_DEBUG_INFO_BTF)");
		CHECK(!bpfline_cut(b));
		check_stays_unloaded(b, "not loaded: no arm_spe tracepoints in tracefs (spekit's "
				     "arm_spe_pmu driver is not loaded); stock kernel: no kernel "
				     "BTF (/sys/kernel/btf/vmlinux; needs CONFIG_DEBUG_INFO_BTF)");
	}
	bpfline_close(b);
	for (int i = 0; i < 5; i++) {
		static const char *const dirs[] = { "/kernel/tracing/events/sched",
						    "/kernel/tracing/events", "/kernel/tracing",
						    "/kernel", "" };
		char path[600];

		snprintf(path, sizeof(path), "%s%s", root, dirs[i]);
		rmdir(path);
	}
}

#define NO_PERMISSION \
	"not loaded: no permission (run as root, or give spetop CAP_BPF and CAP_PERFMON)"

/* Without CAP_SYS_ADMIN, CAP_BPF and CAP_PERFMON (dropped in a child, as
 * root; as another user, this process): the privilege line, nothing tried */
static void test_open_no_permission(void)
{
	int pfd[2], status = 0;
	char got[256] = "";
	ssize_t n;
	pid_t pid;

	if (not_root()) {
		struct bpfline_opts o = { .pmu_type = 8, .sysfs_root = "/sys" };
		struct bpfline *b = bpfline_open(&o);
		struct sd_caps c;

		CHECK(!sd_caps_read(&c));
		if (!bpfline_caps_problem(&c)) {
			printf("  skipped: not root, but with CAP_BPF and CAP_PERFMON\n");
			bpfline_close(b);
			return;
		}
		CHECK(b && !bpfline_loaded(b));
		if (b)
			check_stays_unloaded(b, NO_PERMISSION);
		bpfline_close(b);
		return;
	}
	CHECK(!pipe(pfd));
	pid = fork();
	if (pid == 0) {
		struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
		struct bpfline_opts o = { .pmu_type = 8, .sysfs_root = "/sys" };
		struct view_bpf st;
		struct bpfline *b;
		char line[200];

		close(pfd[0]);
		memset(d, 0, sizeof(d));
		if (syscall(SYS_capget, &h, d))
			_exit(2);
		d[CAP_SYS_ADMIN / 32].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
		d[38 / 32].effective &= ~(1u << (38 % 32));	/* CAP_PERFMON */
		d[39 / 32].effective &= ~(1u << (39 % 32));	/* CAP_BPF */
		if (syscall(SYS_capset, &h, d))
			_exit(3);
		b = bpfline_open(&o);
		if (!b)
			_exit(4);
		bpfline_update(b, false, line, sizeof(line), &st);
		if (write(pfd[1], line, strlen(line)) < 0 || st.valid || bpfline_loaded(b))
			_exit(5);
		bpfline_close(b);
		_exit(0);
	}
	close(pfd[1]);
	CHECK(pid > 0);
	n = read(pfd[0], got, sizeof(got) - 1);
	got[n > 0 ? n : 0] = '\0';
	close(pfd[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_STR(got, NO_PERMISSION);
}

/* ---- spedrops' raw_tp programs fed, bpfline's line read ---------------------- */

struct feed {
	struct spedrops_bpf *skel;
	int cpu;
};

/* One BPF_PROG_TEST_RUN: the tracepoint's arguments as ctx, on the CPU */
static void run(const struct feed *f, struct bpf_program *prog, const __u64 *a, unsigned int n)
{
	__u32 ret = 0;
	int err = sd_run(bpf_program__fd(prog), f->cpu, a, n, &ret);

	if (err)
		printf("  test run of %s: %s\n", bpf_program__name(prog), strerror(-err));
	CHECK_EQ_U64(err, 0);
	CHECK_EQ_U64(ret, 0);
}

static void aux_begin(const struct feed *f, __u64 limit)
{
	__u64 a[ARM_SPE_TP_AUX_BEGIN_NR_ARGS] = { 0 };

	a[ARM_SPE_TP_AUX_BEGIN_HEAD] = 4096;
	a[ARM_SPE_TP_AUX_BEGIN_SIZE] = limit ? 65536 : 0;
	a[ARM_SPE_TP_AUX_BEGIN_LIMIT] = limit;
	a[ARM_SPE_TP_AUX_BEGIN_BUF_SIZE] = 1 << 20;
	run(f, f->skel->progs.spe_rtp_aux_begin, a, ARM_SPE_TP_AUX_BEGIN_NR_ARGS);
}

static void irq(const struct feed *f, bool service)
{
	__u64 a[ARM_SPE_TP_IRQ_NR_ARGS] = { 0 };

	a[ARM_SPE_TP_IRQ_PMBSR] = service ? 1ull << 17 : 0;	/* PMBSR_EL1.S */
	a[ARM_SPE_TP_IRQ_WRITTEN] = 8192;
	run(f, f->skel->progs.spe_rtp_irq, a, ARM_SPE_TP_IRQ_NR_ARGS);
}

static void aux_end(const struct feed *f, __u64 size, __u32 flags)
{
	__u64 a[ARM_SPE_TP_AUX_END_NR_ARGS];

	a[ARM_SPE_TP_AUX_END_SIZE] = size;
	a[ARM_SPE_TP_AUX_END_FLAGS] = flags;
	run(f, f->skel->progs.spe_rtp_aux_end, a, ARM_SPE_TP_AUX_END_NR_ARGS);
}

static void truncate_(const struct feed *f, __u32 reason)
{
	__u64 a[ARM_SPE_TP_TRUNCATE_NR_ARGS] = { 0 };

	a[ARM_SPE_TP_TRUNCATE_REASON] = reason;
	run(f, f->skel->progs.spe_rtp_truncate, a, ARM_SPE_TP_TRUNCATE_NR_ARGS);
}

static void fault(const struct feed *f)
{
	__u64 a[ARM_SPE_TP_FAULT_NR_ARGS] = { 0 };

	a[ARM_SPE_TP_FAULT_EC] = ARM_SPE_TP_EC_FAULT_S1;
	a[ARM_SPE_TP_FAULT_FSC] = 0x07;
	run(f, f->skel->progs.spe_rtp_fault, a, ARM_SPE_TP_FAULT_NR_ARGS);
}

static void collision(const struct feed *f)
{
	__u64 a[ARM_SPE_TP_COLLISION_NR_ARGS] = { 0 };

	run(f, f->skel->progs.spe_rtp_collision, a, ARM_SPE_TP_COLLISION_NR_ARGS);
}

static void pad(const struct feed *f, __u64 len)
{
	__u64 a[ARM_SPE_TP_PAD_NR_ARGS] = { 0 };

	a[ARM_SPE_TP_PAD_LEN] = len;
	run(f, f->skel->progs.spe_rtp_pad, a, ARM_SPE_TP_PAD_NR_ARGS);
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * NS + (__u64)ts.tv_nsec;
}

static struct bpfline *open_raw_tp(const char *cpus, struct feed *f)
{
	struct bpfline_opts o = { .sysfs_root = "/sys", .cpus = cpus,
				  .modes = SD_MODE_BIT(SD_MODE_RAW_TP), .load_only = true };
	struct bpfline *b = bpfline_open(&o);
	struct sd_loaded *l = bpfline_sd(b);

	CHECK(b && bpfline_loaded(b));
	if (!l) {
		printf("  not loaded: %s\n", b ? bpfline_why(b) : "out of memory");
		bpfline_close(b);
		return NULL;
	}
	CHECK_EQ_U64(l->mode, SD_MODE_RAW_TP);
	f->skel = l->skel;
	return b;
}

static void test_fed_programs(void)
{
	const char *why = not_root();
	struct view_bpf st;
	struct bpfline *b;
	struct feed f;
	char line[200], want[200];
	__u64 t0, t1;
	int fds;

	if (why) {
		printf("  skipped: %s\n", why);
		return;
	}
	fds = open_fd_count();
	f.cpu = sd_last_online_cpu();
	printf("  feeding CPU %d\n", f.cpu);
	b = open_raw_tp(NULL, &f);
	if (!b)
		return;
	/* spetop's first read, before the first interval: nothing yet */
	bpfline_update(b, false, line, sizeof(line), &st);
	CHECK_STR(line, "raw_tp  sessions 0  irqs 0  truncations 0  collisions 0  faults 0  blind 0.0%");
	CHECK(st.valid && st.driver);
	CHECK_EQ_U64(st.active_cpus, 0);

	/* interval 1: three sessions, five buffer IRQs and a spurious one, a
	 * session begun without room, truncations (no_space, fault, and an
	 * unknown reason counted as flagged), two collisions, a stage 1
	 * fault; SPE sees again at the last session begin */
	t0 = now_ns();
	aux_begin(&f, 1 << 16);
	for (int i = 0; i < 5; i++)
		irq(&f, true);
	irq(&f, false);
	aux_end(&f, 32768, ARM_SPE_TP_AUX_FLAG_TRUNCATED | ARM_SPE_TP_AUX_FLAG_COLLISION);
	aux_begin(&f, 0);
	truncate_(&f, ARM_SPE_TRUNC_NO_SPACE);
	aux_begin(&f, 1 << 16);
	collision(&f);
	collision(&f);
	fault(&f);
	truncate_(&f, ARM_SPE_TRUNC_FAULT);
	truncate_(&f, 0);
	pad(&f, 24);
	aux_begin(&f, 1 << 16);
	t1 = now_ns();
	bpfline_update(b, false, line, sizeof(line), &st);
	printf("  interval 1: %s\n", line);
	CHECK_EQ_U64(st.sessions, 3);
	CHECK_EQ_U64(st.no_room, 1);
	CHECK_EQ_U64(st.irqs, 5);
	CHECK_EQ_U64(st.spurious_irqs, 1);
	CHECK_EQ_U64(st.bytes, 32768);
	CHECK_EQ_U64(st.aux_records, 1);
	CHECK_EQ_U64(st.aux_truncated, 1);
	CHECK_EQ_U64(st.aux_collision, 1);
	CHECK_EQ_U64(st.aux_partial, 0);
	CHECK_EQ_U64(st.truncations, 3);
	CHECK_EQ_U64(st.trunc_reason[ARM_SPE_TRUNC_NO_SPACE], 1);
	CHECK_EQ_U64(st.trunc_reason[ARM_SPE_TRUNC_FAULT], 1);
	CHECK_EQ_U64(st.trunc_reason[SPE_TRUNC_FLAGGED], 1);
	CHECK_EQ_U64(st.collisions, 2);
	CHECK_EQ_U64(st.faults, 1);
	CHECK_EQ_U64(st.pad_bytes, 24);
	CHECK_EQ_U64(st.active_cpus, 1);
	/* blind from the first truncation to the next session, twice: in
	 * the kernel's clock, within the feeding */
	CHECK(st.blind_ns > 0 && st.blind_ns <= t1 - t0);
	CHECK(st.span_s > 0);
	/* one CPU: the blind share is of the interval itself */
	CHECK(fabs(st.blind_pct - 100.0 * (double)st.blind_ns / (st.span_s * 1e9)) < 1e-6);
	snprintf(want, sizeof(want), "raw_tp  sessions 3  irqs 5  truncations 3 "
		 "(no_space=1,fault=1,flagged=1)  collisions 2  faults 1  blind %.1f%%", st.blind_pct);
	CHECK_STR(line, want);

	/* interval 2: two IRQs only; the line has this interval's, not the totals */
	irq(&f, true);
	irq(&f, true);
	bpfline_update(b, false, line, sizeof(line), &st);
	CHECK_STR(line, "raw_tp  sessions 0  irqs 2  truncations 0  collisions 0  faults 0  blind 0.0%");
	CHECK_EQ_U64(st.blind_ns, 0);

	/* cumulative: since loading */
	bpfline_update(b, true, line, sizeof(line), &st);
	CHECK_PREFIX(line, "raw_tp  sessions 3  irqs 7  truncations 3 (no_space=1,fault=1,flagged=1)  "
		     "collisions 2  faults 1  blind ");
	CHECK_EQ_U64(st.irqs, 7);

	/* a zero-length interval right after: nothing new */
	bpfline_update(b, false, line, sizeof(line), &st);
	CHECK_STR(line, "raw_tp  sessions 0  irqs 0  truncations 0  collisions 0  faults 0  blind 0.0%");

	/* blind and not seeing again yet: the blindness counts up to the read */
	truncate_(&f, ARM_SPE_TRUNC_DATA_LOST);
	usleep(20000);
	bpfline_update(b, false, line, sizeof(line), &st);
	CHECK_EQ_U64(st.trunc_reason[ARM_SPE_TRUNC_DATA_LOST], 1);
	CHECK(st.blind_ns >= 20000000ull);
	CHECK(st.blind_pct > 50 && st.blind_pct <= 100);
	CHECK_PREFIX(line, "raw_tp  sessions 0  irqs 0  truncations 1 (data_lost=1)  collisions 0  "
		     "faults 0  blind ");
	bpfline_close(b);
	/* unloaded: programs, maps and links gone with their fds */
	CHECK_EQ_U64(open_fd_count(), fds);
}

/* -C: the counters of other CPUs stay out of the line */
static void test_fed_cpus(void)
{
	const char *why = not_root();
	struct view_bpf st;
	struct bpfline *b;
	struct feed f;
	char line[200], list[16];

	if (why) {
		printf("  skipped: %s\n", why);
		return;
	}
	f.cpu = sd_last_online_cpu();
	snprintf(list, sizeof(list), "%d", f.cpu + 1);	/* not the fed CPU */
	b = open_raw_tp(list, &f);
	if (b) {
		irq(&f, true);
		bpfline_update(b, false, line, sizeof(line), &st);
		CHECK_EQ_U64(st.irqs, 0);
		CHECK_STR(line, "raw_tp  sessions 0  irqs 0  truncations 0  collisions 0  faults 0  "
			  "blind 0.0%");
		bpfline_close(b);
	}
	snprintf(list, sizeof(list), "%d", f.cpu);
	b = open_raw_tp(list, &f);
	if (b) {
		irq(&f, true);
		bpfline_update(b, false, line, sizeof(line), &st);
		CHECK_EQ_U64(st.irqs, 1);
		CHECK_STR(line, "raw_tp  sessions 0  irqs 1  truncations 0  collisions 0  faults 0  "
			  "blind 0.0%");
		bpfline_close(b);
	}
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN_TEST(test_format_deltas);
	RUN_TEST(test_format_cpus_and_modes);
	RUN_TEST(test_format_fits);
	RUN_TEST(test_not_loaded_lines);
	RUN_TEST(test_json);
	RUN_TEST(test_open_off);
	RUN_TEST(test_open_driver_modes_fail);
	RUN_TEST(test_open_fake_sysfs);
	RUN_TEST(test_open_no_permission);
	RUN_TEST(test_fed_programs);
	RUN_TEST(test_fed_cpus);
	CHECK_DONE();
}
