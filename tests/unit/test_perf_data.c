// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf.data reader and writer: round trips through files, pipes and
 * memory; every broken input gives its message and never a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "check.h"
#include "perf_data.h"
#include "perf_format.h"
#include "perf_write.h"

/* libspe's copies of the kernel's ABI numbers, against the kernel's header */
_Static_assert(PF_MISC_COMM_EXEC == PERF_RECORD_MISC_COMM_EXEC, "COMM exec flag");
_Static_assert(PF_REC_COMM == PERF_RECORD_COMM, "COMM record type");

static char tmpdir[] = "/tmp/spekit-pd-XXXXXX";
static char err[512];

static const char *tmp_path(const char *name)
{
	static char p[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", tmpdir, name);
	return p[i];
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? (size_t)n : 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void spit(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fwrite(buf, 1, len, f);
		fclose(f);
	}
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static const uint8_t spe0[] = {		/* a record closed by a Timestamp */
	0xb0, 0x00, 0xb6, 0xa9, 0xe4, 0xaa, 0xaa, 0x00, 0x80,
	0x49, 0x00, 0x52, 0x16, 0x00,
	0x71, 0xaf, 0xf9, 0x04, 0x81, 0x00, 0x0c, 0x00, 0x00,
};
static const uint8_t spe1[] = { 0x49, 0x01, 0x01, 0x00, 0x00 };

static struct spe_pw_time_conv tc = {
	.time_shift = 31, .time_mult = 1000, .time_zero = 77,
	.time_cycles = 5, .time_mask = 0xffff,
	.cap_user_time_zero = 1, .cap_user_time_short = 1,
};

/* A file with one of everything; returns 0 on success */
static int write_sample(const char *path, bool pipe, unsigned int meta)
{
	struct spe_pw_cpu cpus[2] = {
		{ .cpu = 2, .midr = 0x413fd0c1 },
		{ .cpu = 5, .midr = 0x410fd490, .min_interval = 1024 },
	};
	struct spe_pw_opts o = {
		.pipe = pipe, .meta_version = meta, .cpus = cpus, .nr_cpus = 2,
		.time_conv = &tc,
	};
	struct spe_pw *w;

	if (spe_pw_open(path, &o, &w, err, sizeof(err))) {
		printf("  open: %s\n", err);
		return -1;
	}
	spe_pw_set_sample_id(w, 100, 101, 5000);
	if (spe_pw_comm(w, 100, 101, "spe-test", false) ||
	    spe_pw_mmap2(w, 100, 101, 0x400000, 0x1000, 0, "/usr/bin/true") ||
	    spe_pw_aux(w, 2, 0, sizeof(spe0), 0) ||
	    spe_pw_auxtrace(w, 2, spe0, sizeof(spe0)) ||
	    spe_pw_aux(w, 5, 0, sizeof(spe1), 0x1 | 0x4) ||
	    spe_pw_auxtrace(w, 5, spe1, sizeof(spe1)) ||
	    spe_pw_aux(w, 2, sizeof(spe0), sizeof(spe1), 0) ||
	    spe_pw_auxtrace(w, 2, spe1, sizeof(spe1)) ||
	    spe_pw_lost(w, 2, 3) ||
	    spe_pw_lost_samples(w, 5, 4) ||
	    spe_pw_finished_round(w) ||
	    spe_pw_comm(w, 100, 100, "exec-test", true)) {
		printf("  write: %s\n", err);
		spe_pw_close(w);
		return -1;
	}
	if (spe_pw_close(w)) {
		printf("  close: %s\n", err);
		return -1;
	}
	return 0;
}

/* Read everything the sample file holds and check it */
static void check_sample(struct spe_pd *pd, unsigned int meta)
{
	struct spe_pd_event ev;
	const struct spe_pd_info *info;
	uint64_t midr = 0;
	uint32_t idx, cpu;
	int n = 0, naux = 0, nat = 0, ret;

	while ((ret = spe_pd_next(pd, &ev)) == 1) {
		switch (n++) {
		case 0:
			CHECK_EQ_U64(ev.type, SPE_PD_EV_TIME_CONV);
			CHECK(ev.time_conv.has_cycles);
			CHECK_EQ_U64(ev.time_conv.time_shift, 31);
			CHECK_EQ_U64(ev.time_conv.time_zero, 77);
			CHECK_EQ_U64(ev.time_conv.time_mask, 0xffff);
			CHECK_EQ_U64(ev.time_conv.cap_user_time_short, 1);
			break;
		case 1:
			CHECK_EQ_U64(ev.type, SPE_PD_EV_AUXTRACE_INFO);
			break;
		case 2:
			CHECK_EQ_U64(ev.type, SPE_PD_EV_COMM);
			CHECK_STR(ev.comm.comm, "spe-test");
			CHECK_EQ_U64(ev.comm.tid, 101);
			CHECK(!ev.comm.exec);
			CHECK_EQ_U64(ev.sid.has & SPE_PD_SID_TIME, SPE_PD_SID_TIME);
			CHECK_EQ_U64(ev.sid.time, 5000);
			CHECK_EQ_U64(ev.sid.pid, 100);
			break;
		case 3:
			CHECK_EQ_U64(ev.type, SPE_PD_EV_MMAP);
			CHECK_STR(ev.mmap.filename, "/usr/bin/true");
			CHECK_EQ_U64(ev.mmap.start, 0x400000);
			CHECK_EQ_U64(ev.mmap.len, 0x1000);
			CHECK_EQ_U64(ev.mmap.prot, 5);
			break;
		case 10:
			CHECK_EQ_U64(ev.type, SPE_PD_EV_LOST);
			CHECK_EQ_U64(ev.lost.lost, 3);
			CHECK_EQ_U64(ev.lost.id, SPE_PW_ATTR_ID);
			CHECK_EQ_U64(ev.sid.cpu, 2);
			break;
		case 11:
			CHECK_EQ_U64(ev.type, SPE_PD_EV_LOST_SAMPLES);
			CHECK_EQ_U64(ev.lost_samples.lost, 4);
			CHECK_EQ_U64(ev.sid.cpu, 5);
			break;
		case 12:
			/* after the round marker (which is no event) */
			CHECK_EQ_U64(ev.type, SPE_PD_EV_COMM);
			CHECK_STR(ev.comm.comm, "exec-test");
			CHECK(ev.comm.exec);
			break;
		}
		if (ev.type == SPE_PD_EV_AUX) {
			CHECK(ev.sid.has & SPE_PD_SID_CPU);
			CHECK_EQ_U64(ev.sid.id, SPE_PW_ATTR_ID);
			/* the first two come before their CPU's buffer: v2
			 * gives the queue by CPU position, v1 only guesses */
			CHECK_EQ_U64(spe_pd_aux_queue(pd, &ev, &idx, &cpu), naux < 2 ? 1 : 0);
			CHECK_EQ_U64(cpu, naux == 1 ? 5 : 2);
			if (naux < 2 && meta == 1)
				CHECK_EQ_U64(idx, cpu);
			else
				CHECK_EQ_U64(idx, naux == 1 ? 1 : 0);
			CHECK_EQ_U64(ev.aux.flags, naux == 1 ? 5 : 0);
			naux++;
		}
		if (ev.type == SPE_PD_EV_AUXTRACE) {
			const uint8_t *want = nat == 0 ? spe0 : spe1;
			size_t wlen = nat == 0 ? sizeof(spe0) : sizeof(spe1);

			CHECK_EQ_U64(ev.auxtrace.size, (wlen + 7) & ~7u);
			CHECK(!memcmp(ev.auxtrace.data, want, wlen));
			CHECK(ev.auxtrace.data[ev.auxtrace.size - 1] == 0);
			CHECK_EQ_U64(ev.auxtrace.cpu, nat == 1 ? 5 : 2);
			CHECK_EQ_U64(ev.auxtrace.idx, nat == 1 ? 1 : 0);
			CHECK_EQ_U64(ev.auxtrace.offset, nat == 2 ? sizeof(spe0) : 0);
			CHECK_EQ_U64(ev.auxtrace.order,
				     nat == 2 ? SPE_PD_ORDER_OK : SPE_PD_ORDER_FIRST);
			CHECK(!ev.warn);
			nat++;
		}
	}
	CHECK_EQ_U64(n, 13);
	CHECK_EQ_U64(naux, 3);
	CHECK_EQ_U64(nat, 3);
	CHECK_EQ_U64(ret, 0);
	if (ret)
		printf("  %s\n", err);
	info = spe_pd_info(pd);
	CHECK(info != NULL);
	if (!info)
		return;
	CHECK_EQ_U64(info->version, meta);
	CHECK_EQ_U64(info->pmu_type, 8);
	CHECK(spe_pd_spe_attr(pd) != NULL);
	CHECK_STR(spe_pd_cpuid(pd), "0x00000000413fd0c1");
	/* the writer marks what it makes; in pipe format too, by now */
	CHECK_STR(spe_pd_version(pd), "spekit spe-mkperf: SYNTHETIC data, not recorded by perf");
	CHECK(spe_pd_synthetic(pd));
	if (meta == 2) {
		CHECK_EQ_U64(info->nr_cpus, 2);
		CHECK_EQ_U64(spe_pd_cpu_midr(pd, 5, &midr), 0);
		CHECK_EQ_U64(midr, 0x410fd490);
		CHECK(spe_pd_cpu_meta(pd, 1) && spe_pd_cpu_meta(pd, 1)->min_interval == 1024);
		CHECK(spe_pd_cpu_meta(pd, 2) == NULL);
	} else {
		CHECK_EQ_U64(info->per_cpu_mmaps, 1);
		CHECK_EQ_U64(spe_pd_cpu_midr(pd, 5, &midr), 1);
		CHECK_EQ_U64(midr, 0x413fd0c1);
	}
}

static void test_roundtrip_file_v1(void)
{
	const char *p = tmp_path("v1.data");
	struct spe_pd *pd;

	CHECK(!write_sample(p, false, 1));
	CHECK_EQ_U64(spe_pd_open(p, &pd, err, sizeof(err)), SPE_PD_OK);
	if (!pd)
		return;
	CHECK_EQ_U64(spe_pd_format(pd), SPE_PD_FMT_FILE);
	CHECK_EQ_U64(spe_pd_nr_attrs(pd), 1);
	CHECK(spe_pd_attr(pd, 0)->sample_id_all);
	CHECK_EQ_U64(spe_pd_attr(pd, 0)->nr_ids, 1);
	CHECK(!spe_pd_warning(pd));
	check_sample(pd, 1);
	spe_pd_close(pd);
}

static void test_roundtrip_file_v2(void)
{
	const char *p = tmp_path("v2.data");
	struct spe_pd *pd;

	CHECK(!write_sample(p, false, 2));
	CHECK_EQ_U64(spe_pd_open(p, &pd, err, sizeof(err)), SPE_PD_OK);
	if (!pd)
		return;
	check_sample(pd, 2);
	spe_pd_close(pd);
}

static void test_roundtrip_pipe_mem(void)
{
	const char *p = tmp_path("pipe.data");
	struct spe_pd *pd;
	uint8_t *buf;
	size_t len;

	CHECK(!write_sample(p, true, 2));
	buf = slurp(p, &len);
	CHECK(buf != NULL);
	if (!buf)
		return;
	CHECK_EQ_U64(spe_pd_open_mem(buf, len, "mem", &pd, err, sizeof(err)), SPE_PD_OK);
	if (pd) {
		CHECK_EQ_U64(spe_pd_format(pd), SPE_PD_FMT_PIPE);
		check_sample(pd, 2);
		CHECK_EQ_U64(spe_pd_nr_attrs(pd), 1);
		spe_pd_close(pd);
	}
	/* the same bytes in a regular file, opened by path */
	CHECK_EQ_U64(spe_pd_open(p, &pd, err, sizeof(err)), SPE_PD_OK);
	if (pd) {
		check_sample(pd, 2);
		spe_pd_close(pd);
	}
	free(buf);
}

/* Feed @path through a real pipe and read it as a stream */
static void read_through_pipe(const char *path, unsigned int meta)
{
	struct spe_pd *pd;
	uint8_t *buf;
	size_t len;
	int fds[2];
	pid_t pid;

	buf = slurp(path, &len);
	if (!buf || pipe(fds)) {
		CHECK(0);
		free(buf);
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		/* dribble it, so records straddle reads */
		for (size_t i = 0; i < len; i += 7)
			if (write(fds[1], buf + i, len - i < 7 ? len - i : 7) < 0)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	CHECK_EQ_U64(spe_pd_open_fd(fds[0], "pipe", &pd, err, sizeof(err)), SPE_PD_OK);
	if (pd) {
		check_sample(pd, meta);
		spe_pd_close(pd);
	} else {
		printf("  %s\n", err);
	}
	close(fds[0]);
	waitpid(pid, NULL, 0);
	free(buf);
}

static void test_pipe_stream(void)
{
	const char *p = tmp_path("pipe2.data");

	CHECK(!write_sample(p, true, 1));
	read_through_pipe(p, 1);
	/* a file-format perf.data on a pipe is read whole */
	p = tmp_path("file2.data");
	CHECK(!write_sample(p, false, 2));
	read_through_pipe(p, 2);
}

static void test_order_flags(void)
{
	const char *p = tmp_path("order.data");
	static const uint8_t d[16];
	struct spe_pw_auxtrace a = { .idx = 0, .cpu = 0, .tid = (uint32_t)-1 };
	static const uint64_t offs[] = { 0x100, 0x110, 0x200, 0x208, 0x180, 0x218 };
	static const uint32_t want[] = {
		SPE_PD_ORDER_FIRST, SPE_PD_ORDER_OK, SPE_PD_ORDER_GAP,
		SPE_PD_ORDER_OVERLAP, SPE_PD_ORDER_BACKWARDS, SPE_PD_ORDER_GAP,
	};
	struct spe_pd_event ev;
	struct spe_pd *pd;
	struct spe_pw *w;
	unsigned int i = 0;

	CHECK(!spe_pw_open(p, NULL, &w, err, sizeof(err)));
	if (!w)
		return;
	for (i = 0; i < 6; i++) {
		a.offset = offs[i];
		CHECK(!spe_pw_auxtrace_raw(w, &a, d, 16));
	}
	CHECK(!spe_pw_close(w));
	CHECK_EQ_U64(spe_pd_open(p, &pd, err, sizeof(err)), SPE_PD_OK);
	if (!pd)
		return;
	i = 0;
	while (spe_pd_next(pd, &ev) == 1) {
		if (ev.type != SPE_PD_EV_AUXTRACE)
			continue;
		CHECK_EQ_U64(ev.auxtrace.order, want[i]);
		CHECK(!ev.warn == (want[i] <= SPE_PD_ORDER_OK));
		if (i == 4)
			CHECK(ev.warn && strstr(ev.warn, "goes back before"));
		i++;
	}
	CHECK_EQ_U64(i, 6);
	spe_pd_close(pd);
}

/* Open @buf from memory; expect @want and a message holding @msg */
static void expect_mem(const void *buf, size_t len, int want, const char *msg)
{
	struct spe_pd *pd;
	int ret = spe_pd_open_mem(buf, len, "x.data", &pd, err, sizeof(err));

	CHECK_EQ_U64(ret, want);
	if (ret != want || (msg && !strstr(err, msg)))
		printf("  got %d: %s (wanted '%s')\n", ret, err, msg ? msg : "");
	if (msg)
		CHECK(strstr(err, msg) != NULL);
	if (ret != SPE_PD_OK)
		CHECK(!strncmp(err, "x.data: ", 8));
	CHECK(!strchr(err, '\n'));
	spe_pd_close(pd);
}

static void test_bad_inputs(void)
{
	const char *p = tmp_path("v1b.data");
	uint8_t raw[64] = { 0x71, 0xaf, 0xf9 }, *buf, *b2;
	struct spe_pd *pd;
	size_t len;

	expect_mem("", 0, SPE_PD_ERROR, "empty file");
	expect_mem(raw, sizeof(raw), SPE_PD_NOT_PERF_DATA, "not a perf.data file (magic 71 af f9");
	expect_mem(raw, 3, SPE_PD_NOT_PERF_DATA, "not a perf.data file");
	expect_mem("2ELIFREP\0\0\0\0\0\0\0\x68", 16, SPE_PD_ERROR, "big-endian");
	expect_mem("PERFILE2\x10\0\0\0\0\0", 12, SPE_PD_ERROR, "truncated");
	expect_mem("PERFILE2\x11\0\0\0\0\0\0\0", 16, SPE_PD_ERROR, "header size 17");
	/* a pipe header and nothing else: no SPE info at the first next() */
	CHECK_EQ_U64(spe_pd_open_mem("PERFILE2\x10\0\0\0\0\0\0\0", 16, "p", &pd, err, sizeof(err)),
		     SPE_PD_OK);
	if (pd) {
		struct spe_pd_event ev;

		CHECK_EQ_U64(spe_pd_next(pd, &ev), -1);
		CHECK(strstr(err, "no SPE AUXTRACE_INFO (recorded without -e arm_spe//?)"));
		CHECK_EQ_U64(spe_pd_next(pd, &ev), -1);
		spe_pd_close(pd);
	}
	CHECK(spe_pd_is_perf_data("PERFILE2", 8));
	CHECK(!spe_pd_is_perf_data("PERFILE", 7));

	CHECK_EQ_U64(spe_pd_open(tmpdir, &pd, err, sizeof(err)), SPE_PD_ERROR);
	CHECK(strstr(err, "is a directory"));
	CHECK_EQ_U64(spe_pd_open(tmp_path("missing"), &pd, err, sizeof(err)), SPE_PD_ERROR);
	CHECK(strstr(err, "cannot open: No such file or directory"));
	spit(tmp_path("empty"), "", 0);
	CHECK_EQ_U64(spe_pd_open(tmp_path("empty"), &pd, err, sizeof(err)), SPE_PD_ERROR);
	CHECK(strstr(err, "empty file"));

	CHECK(!write_sample(p, false, 1));
	buf = slurp(p, &len);
	if (!buf)
		return;
	b2 = malloc(len);
	/* cut short: the header's data size points past the end */
	expect_mem(buf, get64(buf + 40) + get64(buf + 48) - 8, SPE_PD_ERROR,
		   "truncated perf.data: data section ends at 0x");
	/* data size 0, as a killed perf record leaves it: read to the end */
	memcpy(b2, buf, len);
	memset(b2 + 48, 0, 8);
	CHECK_EQ_U64(spe_pd_open_mem(b2, len, "z", &pd, err, sizeof(err)), SPE_PD_OK);
	if (pd) {
		struct spe_pd_event ev;
		int r;

		CHECK(spe_pd_warning(pd) && strstr(spe_pd_warning(pd), "data size 0"));
		/* the feature sections now read as records: an error, not a crash */
		while ((r = spe_pd_next(pd, &ev)) == 1)
			;
		CHECK(r <= 0);
		spe_pd_close(pd);
	}
	/* AUXTRACE_INFO of another tracer; then none at all */
	memcpy(b2, buf, len);
	for (size_t i = 256; i + 8 <= len; ) {
		uint32_t type;
		uint16_t size;

		memcpy(&type, b2 + i, 4);
		memcpy(&size, b2 + i + 6, 2);
		if (type == 70) {
			b2[i + 8] = 1;
			expect_mem(b2, len, SPE_PD_ERROR, "Intel PT AUX trace");
			b2[i] = 200;
			expect_mem(b2, len, SPE_PD_ERROR,
				   "perf.data has no SPE AUXTRACE_INFO (recorded without -e arm_spe//?)");
			b2[i] = 81;
			expect_mem(b2, len, SPE_PD_ERROR, "compressed");
			break;
		}
		if (size < 8)
			break;
		i += size;
	}
	free(b2);
	free(buf);
}

/* Every prefix and every single-byte corruption of valid files */
static void test_truncations(void)
{
	const char *names[2] = { tmp_path("tf.data"), tmp_path("tp.data") };
	struct spe_pd_event ev;
	struct spe_pd *pd;
	uint32_t idx, cpu;
	size_t len, cut;
	uint8_t *buf, *b;
	int f, r, nerr = 0;

	CHECK(!write_sample(names[0], false, 2));
	CHECK(!write_sample(names[1], true, 2));
	for (f = 0; f < 2; f++) {
		buf = slurp(names[f], &len);
		if (!buf)
			continue;
		for (cut = 0; cut < len; cut++) {
			/* a fresh allocation of the exact size, for ASan */
			b = malloc(cut ? cut : 1);
			memcpy(b, buf, cut);
			r = spe_pd_open_mem(b, cut, "t", &pd, err, sizeof(err));
			if (r == SPE_PD_OK) {
				while ((r = spe_pd_next(pd, &ev)) == 1)
					if (ev.type == SPE_PD_EV_AUX)
						spe_pd_aux_queue(pd, &ev, &idx, &cpu);
				spe_pd_close(pd);
			}
			if (r < 0)
				nerr++;
			if (r < 0 && !err[0])
				CHECK(0);
			free(b);
		}
		free(buf);
	}
	CHECK(nerr > 0);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	return check_xorshift(&rng);
}

static volatile size_t sink;

static void test_mutations(void)
{
	const char *names[2] = { tmp_path("mf.data"), tmp_path("mp.data") };
	struct spe_pd_event ev;
	struct spe_pd *pd;
	uint32_t idx, cpu;
	size_t len, i, k;
	uint8_t *buf, *b;
	int f, r, n, opened = 0;

	CHECK(!write_sample(names[0], false, 2));
	CHECK(!write_sample(names[1], true, 1));
	for (f = 0; f < 2; f++) {
		buf = slurp(names[f], &len);
		if (!buf)
			continue;
		b = malloc(len);
		for (i = 0; i < 20000; i++) {
			memcpy(b, buf, len);
			n = 1 + (int)(rnd() % 6);
			for (k = 0; k < (size_t)n; k++) {
				size_t at = rnd() % len;

				/* bias to small and extreme values in fields */
				b[at] = (rnd() & 1) ? (uint8_t)rnd() : (rnd() & 1 ? 0xff : 0);
			}
			r = spe_pd_open_mem(b, len, "m", &pd, err, sizeof(err));
			if (r != SPE_PD_OK)
				continue;
			opened++;
			while ((r = spe_pd_next(pd, &ev)) == 1) {
				if (ev.type == SPE_PD_EV_AUX)
					spe_pd_aux_queue(pd, &ev, &idx, &cpu);
				/* touch the bytes handed out, for ASan */
				if (ev.type == SPE_PD_EV_AUXTRACE && ev.auxtrace.size)
					sink += ev.auxtrace.data[ev.auxtrace.size - 1];
				if (ev.type == SPE_PD_EV_COMM)
					sink += strlen(ev.comm.comm);
			}
			if (spe_pd_version(pd))
				sink += strlen(spe_pd_version(pd)) + spe_pd_synthetic(pd);
			spe_pd_close(pd);
		}
		free(b);
		free(buf);
	}
	CHECK(opened > 0);
}

/* One AUXTRACE buffer, HEADER_VERSION @version (NULL: the writer's mark) */
static int write_small(const char *path, bool pipe, const char *version)
{
	struct spe_pw_opts o = { .pipe = pipe, .perf_version = version };
	struct spe_pw *w;

	if (spe_pw_open(path, &o, &w, err, sizeof(err)))
		return -1;
	spe_pw_auxtrace(w, 0, spe0, sizeof(spe0));
	return spe_pw_close(w);
}

/* Open @buf, read it through; 1 if synthetic, 0 if not, -1 on error */
static int synthetic_of(const uint8_t *buf, size_t len, char *version, size_t vcap)
{
	struct spe_pd_event ev;
	struct spe_pd *pd;
	int r;

	if (spe_pd_open_mem(buf, len, "s", &pd, err, sizeof(err)) != SPE_PD_OK)
		return -1;
	while ((r = spe_pd_next(pd, &ev)) == 1)
		;
	snprintf(version, vcap, "%s", spe_pd_version(pd) ? spe_pd_version(pd) : "(none)");
	r = r < 0 ? -1 : spe_pd_synthetic(pd);
	spe_pd_close(pd);
	return r;
}

static int synthetic_file(const char *path, char *version, size_t vcap)
{
	uint8_t *buf;
	size_t len;
	int r;

	buf = slurp(path, &len);
	if (!buf)
		return -1;
	r = synthetic_of(buf, len, version, vcap);
	free(buf);
	return r;
}

/*
 * The synthetic mark: set by the writer, found by the reader in file and
 * pipe format; other versions or none are not synthetic, whatever the
 * file name; a corrupt VERSION section costs the mark, never a crash, and
 * leaves the other features readable.
 */
static void test_synthetic_mark(void)
{
	const char *p = tmp_path("synthetic.data"), *q = tmp_path("capture.data");
	char v[256];
	struct spe_pd *pd;
	uint64_t feat, off, size;
	uint8_t *buf;
	size_t len;

	CHECK(!write_small(q, false, NULL));
	CHECK_EQ_U64(synthetic_file(q, v, sizeof(v)), 1);
	CHECK_STR(v, "spekit spe-mkperf: SYNTHETIC data, not recorded by perf");
	CHECK(!write_small(q, true, NULL));
	CHECK_EQ_U64(synthetic_file(q, v, sizeof(v)), 1);

	/* as perf record writes it, or without VERSION: not synthetic */
	CHECK(!write_small(p, false, "6.1.76"));
	CHECK_EQ_U64(synthetic_file(p, v, sizeof(v)), 0);
	CHECK_STR(v, "6.1.76");
	CHECK(!write_small(p, true, "6.1.76"));
	CHECK_EQ_U64(synthetic_file(p, v, sizeof(v)), 0);
	CHECK_STR(v, "6.1.76");
	CHECK(!write_small(p, false, ""));
	CHECK_EQ_U64(synthetic_file(p, v, sizeof(v)), 0);
	CHECK_STR(v, "(none)");
	/* the CPUID section after the missing VERSION one is still found */
	CHECK_EQ_U64(spe_pd_open(p, &pd, err, sizeof(err)), SPE_PD_OK);
	if (pd) {
		CHECK_STR(spe_pd_cpuid(pd), "0x00000000410fd0c0");
		spe_pd_close(pd);
	}
	CHECK(!write_small(p, true, ""));
	CHECK_EQ_U64(synthetic_file(p, v, sizeof(v)), 0);

	/* corrupt VERSION sections of a marked file */
	CHECK(!write_small(q, false, NULL));
	buf = slurp(q, &len);
	if (!buf)
		return;
	feat = get64(buf + 40) + get64(buf + 48);
	off = get64(buf + feat);	/* VERSION: the lowest bit set, first */
	size = get64(buf + feat + 8);
	CHECK(off + size <= len && size == 4 + 64);
	if (off + size > len || size != 4 + 64) {
		free(buf);
		return;
	}
	/* a length past the section: the text still ends in it */
	memset(buf + off, 0xff, 4);
	CHECK_EQ_U64(synthetic_of(buf, len, v, sizeof(v)), 1);
	/* no NUL anywhere: cut at the section's end, not read beyond */
	memset(buf + off + 4, 'A', size - 4);
	CHECK_EQ_U64(synthetic_of(buf, len, v, sizeof(v)), 0);
	CHECK_EQ_U64(strlen(v), size - 4);
	/* section past the end of the file, then too short for a length */
	put64(buf + feat, len);
	put64(buf + feat + 8, 1);
	CHECK_EQ_U64(synthetic_of(buf, len, v, sizeof(v)), 0);
	CHECK_STR(v, "(none)");
	put64(buf + feat, off);
	put64(buf + feat + 8, 3);
	CHECK_EQ_U64(synthetic_of(buf, len, v, sizeof(v)), 0);
	put64(buf + feat + 8, ~0ULL);
	CHECK_EQ_U64(synthetic_of(buf, len, v, sizeof(v)), 0);
	CHECK_EQ_U64(spe_pd_open_mem(buf, len, "s", &pd, err, sizeof(err)), SPE_PD_OK);
	if (pd) {
		CHECK_STR(spe_pd_cpuid(pd), "0x00000000410fd0c0");
		spe_pd_close(pd);
	}
	/* the feature table cut off by the end of the file */
	CHECK_EQ_U64(synthetic_of(buf, (size_t)feat + 8, v, sizeof(v)), 0);
	free(buf);
}

static void test_meta_parse(void)
{
	uint64_t m[32];
	struct spe_pd_info info;
	struct spe_pd_cpu_meta cpus[4];
	char e[200];

	m[0] = 9;
	m[1] = 1;
	CHECK_EQ_U64(spe_pd_meta_parse(m, 16, &info, NULL, 0, e, sizeof(e)), 0);
	CHECK_EQ_U64(info.version, 1);
	CHECK_EQ_U64(info.pmu_type, 9);

	/* v2 as perf 6.12 writes it, one CPU with an extra param */
	m[0] = 2; m[1] = 4; m[2] = 10; m[3] = 2;
	m[4] = 0x1010101010101010ULL; m[5] = 3; m[6] = 3; m[7] = 0x410fd0c0; m[8] = 10; m[9] = 256;
	m[10] = 0x1010101010101010ULL; m[11] = 7; m[12] = 4; m[13] = 0x410fd490; m[14] = 10; m[15] = 512; m[16] = 1;
	CHECK_EQ_U64(spe_pd_meta_parse(m, 17 * 8, &info, cpus, 4, e, sizeof(e)), 2);
	CHECK_EQ_U64(info.pmu_type, 10);
	CHECK_EQ_U64(cpus[1].cpu, 7);
	CHECK_EQ_U64(cpus[1].midr, 0x410fd490);
	CHECK_EQ_U64(cpus[1].min_interval, 512);
	CHECK_EQ_U64(cpus[1].nr_params, 4);

	CHECK_EQ_U64(spe_pd_meta_parse(m, 16 * 8, &info, cpus, 4, e, sizeof(e)), -1);
	CHECK(strstr(e, "params"));
	CHECK_EQ_U64(spe_pd_meta_parse(m, 18 * 8, &info, cpus, 4, e, sizeof(e)), -1);
	CHECK(strstr(e, "after the last CPU"));
	CHECK_EQ_U64(spe_pd_meta_parse(m, 17 * 8 - 1, &info, cpus, 4, e, sizeof(e)), -1);
	m[3] = 1ULL << 62;
	CHECK_EQ_U64(spe_pd_meta_parse(m, 17 * 8, &info, cpus, 4, e, sizeof(e)), -1);
	CHECK(strstr(e, "claims"));
	m[3] = 2;
	m[10] = 5;
	CHECK_EQ_U64(spe_pd_meta_parse(m, 17 * 8, &info, cpus, 4, e, sizeof(e)), -1);
	CHECK(strstr(e, "magic"));
	m[1] = 99;
	CHECK_EQ_U64(spe_pd_meta_parse(m, 17 * 8, &info, cpus, 4, e, sizeof(e)), -1);
	m[0] = 1;
	CHECK_EQ_U64(spe_pd_meta_parse(m, 24, &info, cpus, 4, e, sizeof(e)), -1);
	CHECK(strstr(e, "too short"));
}

static void test_writer_errors(void)
{
	struct spe_pw_cpu cpu = { .cpu = 1 };
	struct spe_pw_opts o = { .meta_version = 2 };
	struct spe_pw *w;
	int fds[2];

	CHECK_EQ_U64(spe_pw_open(tmp_path("we.data"), &o, &w, err, sizeof(err)), -1);
	CHECK(strstr(err, "needs the list of CPUs"));
	CHECK(access(tmp_path("we.data"), F_OK) != 0);
	o.cpus = &cpu;
	o.nr_cpus = 1;
	CHECK_EQ_U64(spe_pw_open(tmp_path("we.data"), &o, &w, err, sizeof(err)), 0);
	if (w) {
		CHECK_EQ_U64(spe_pw_auxtrace(w, 2, "x", 1), -1);
		CHECK(strstr(err, "CPU 2 is not among"));
		CHECK_EQ_U64(spe_pw_close(w), -1);
	}
	CHECK_EQ_U64(spe_pw_open(tmp_path("nodir/x.data"), NULL, &w, err, sizeof(err)), -1);
	CHECK(strstr(err, "cannot create"));
	if (!pipe(fds)) {
		CHECK_EQ_U64(spe_pw_open_fd(fds[1], "pipe", NULL, &w, err, sizeof(err)), -1);
		CHECK(strstr(err, "seekable"));
		close(fds[0]);
		close(fds[1]);
	}
}

/* Many buffers, written and read back in order without holding them */
static void test_large_stream(void)
{
	const char *p = tmp_path("big.data");
	enum { CHUNK = 65536 + 3, N = 256 };
	struct spe_pd_event ev;
	struct spe_pd *pd;
	struct spe_pw *w;
	uint8_t *d = malloc(CHUNK);
	uint64_t total = 0, off = 0;
	int i, n = 0;

	if (!d)
		return;
	for (i = 0; i < CHUNK; i++)
		d[i] = (uint8_t)(i * 7);
	CHECK(!spe_pw_open(p, NULL, &w, err, sizeof(err)));
	for (i = 0; w && i < N; i++)
		CHECK(!spe_pw_auxtrace(w, 0, d, CHUNK));
	CHECK(w && !spe_pw_close(w));
	CHECK_EQ_U64(spe_pd_open(p, &pd, err, sizeof(err)), SPE_PD_OK);
	while (pd && spe_pd_next(pd, &ev) == 1) {
		if (ev.type != SPE_PD_EV_AUXTRACE)
			continue;
		CHECK_EQ_U64(ev.auxtrace.offset, off);
		CHECK(!ev.warn);
		if (memcmp(ev.auxtrace.data, d, CHUNK))
			CHECK(0);
		off += CHUNK;
		total += ev.auxtrace.size;
		n++;
	}
	CHECK_EQ_U64(n, N);
	CHECK_EQ_U64(total, (uint64_t)N * ((CHUNK + 7) & ~7));
	spe_pd_close(pd);
	free(d);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(tmpdir)) {
		printf("mkdtemp: %s\n0 passed, 1 failed\n", strerror(errno));
		return 1;
	}
	RUN_TEST(test_roundtrip_file_v1);
	RUN_TEST(test_roundtrip_file_v2);
	RUN_TEST(test_roundtrip_pipe_mem);
	RUN_TEST(test_pipe_stream);
	RUN_TEST(test_order_flags);
	RUN_TEST(test_bad_inputs);
	RUN_TEST(test_truncations);
	RUN_TEST(test_mutations);
	RUN_TEST(test_synthetic_mark);
	RUN_TEST(test_meta_parse);
	RUN_TEST(test_writer_errors);
	RUN_TEST(test_large_stream);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd))
			printf("  could not remove %s\n", tmpdir);
	}
	CHECK_DONE();
}
