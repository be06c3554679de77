// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf.data writer.  Layout in file mode, chosen so the data offset is
 * known at open and only the header needs patching at close:
 *
 *   0    file header (104 bytes; data size 0 until close, as perf does,
 *        so a killed writer leaves a file perf recognises as unfinished)
 *   104  the attr's id (one u64)
 *   112  the attr (128-byte perf_event_attr + ids section)
 *   256  data: records
 *   ...  feature table ([VERSION,] CPUID, AUXTRACE), the VERSION and
 *        CPUID strings, AUXTRACE index
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perf_format.h"
#include "perf_write.h"

#define PW_BUF_SIZE	(256 * 1024)
#define PW_MAX_QUEUES	4096
#define PW_ATTR_OFF	(PF_FILE_HDR_SIZE + 8)
#define PW_DATA_OFF	(PW_ATTR_OFF + PF_ATTR_SIZE_VER7 + PF_SECTION_SIZE)
#define PW_SAMPLE_TYPE	(PF_SAMPLE_IP | PF_SAMPLE_TID | PF_SAMPLE_TIME | \
			 PF_SAMPLE_CPU | PF_SAMPLE_IDENTIFIER | \
			 PF_SAMPLE_DATA_SRC | PF_SAMPLE_PHYS_ADDR)
#define PW_SID_SIZE	32	/* pid/tid, time, cpu/res, identifier */

struct pw_queue {
	uint32_t cpu;
	uint64_t next_off;
};

struct pw_index_ent {
	uint64_t file_offset, size;
};

struct spe_pw {
	char *err;
	size_t errlen;
	char name[256];
	int fd;
	bool own_fd;
	bool pipe;
	bool failed;
	uint8_t *buf;
	size_t buf_len;
	uint64_t off;		/* file offset of the next byte */

	struct spe_pw_opts opts;	/* pointers in it are not kept */
	struct spe_pw_cpu *cpus;	/* copy of opts.cpus */
	uint32_t pmu_type;
	char cpuid[64];
	char version[128];	/* HEADER_VERSION text, "" for none */

	struct pw_queue *queues;
	unsigned int nr_queues;
	uint64_t reference;

	struct pw_index_ent *index;
	size_t nr_index, index_cap;

	uint32_t sid_pid, sid_tid;
	uint64_t sid_time;
};

__attribute__((format(printf, 2, 3)))
static int pw_fail(struct spe_pw *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	w->failed = true;
	if (!w->err || !w->errlen)
		return -1;
	n = snprintf(w->err, w->errlen, "%s: ", w->name);
	if (n < 0 || (size_t)n >= w->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(w->err + n, w->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static int write_all(int fd, const void *p, size_t len)
{
	while (len) {
		ssize_t r = write(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p = (const uint8_t *)p + r;
		len -= (size_t)r;
	}
	return 0;
}

static int pw_flush(struct spe_pw *w)
{
	if (w->buf_len && write_all(w->fd, w->buf, w->buf_len))
		return pw_fail(w, "write error: %s", strerror(errno));
	w->buf_len = 0;
	return 0;
}

static int pw_write(struct spe_pw *w, const void *p, size_t len)
{
	if (w->failed)
		return -1;
	w->off += len;
	if (len <= PW_BUF_SIZE - w->buf_len) {
		memcpy(w->buf + w->buf_len, p, len);
		w->buf_len += len;
		return 0;
	}
	/* big payloads bypass the buffer */
	if (pw_flush(w))
		return -1;
	if (len >= PW_BUF_SIZE / 2) {
		if (write_all(w->fd, p, len))
			return pw_fail(w, "write error: %s", strerror(errno));
		return 0;
	}
	memcpy(w->buf, p, len);
	w->buf_len = len;
	return 0;
}

static void rec_hdr(uint8_t *p, uint32_t type, uint16_t misc, size_t size)
{
	pf_put32(p, type);
	pf_put16(p + 4, misc);
	pf_put16(p + 6, (uint16_t)size);
}

/* the sample_id trailer that follows PW_SAMPLE_TYPE */
static void put_sid(const struct spe_pw *w, uint8_t *p, uint32_t cpu)
{
	pf_put32(p, w->sid_pid);
	pf_put32(p + 4, w->sid_tid);
	pf_put64(p + 8, w->sid_time);
	pf_put32(p + 16, cpu);
	pf_put32(p + 20, 0);
	pf_put64(p + 24, SPE_PW_ATTR_ID);
}

static void make_attr(const struct spe_pw *w, uint8_t *a)
{
	memset(a, 0, PF_ATTR_SIZE_VER7);
	pf_put32(a + PF_ATTR_TYPE, w->pmu_type);
	pf_put32(a + PF_ATTR_SIZE, PF_ATTR_SIZE_VER7);
	pf_put64(a + PF_ATTR_CONFIG, w->opts.config);
	pf_put64(a + PF_ATTR_PERIOD, w->opts.sample_period ? w->opts.sample_period : 4096);
	pf_put64(a + PF_ATTR_SAMPLE_TYPE, PW_SAMPLE_TYPE);
	pf_put64(a + PF_ATTR_FLAGS, PF_ATTR_FLAG_SAMPLE_ID_ALL);
}

static int pw_time_conv_rec(struct spe_pw *w, const struct spe_pw_time_conv *tc)
{
	uint8_t r[PF_TIME_CONV_SIZE] = { 0 };

	rec_hdr(r, PF_REC_TIME_CONV, 0, sizeof(r));
	pf_put64(r + 8, tc->time_shift);
	pf_put64(r + 16, tc->time_mult);
	pf_put64(r + 24, tc->time_zero);
	pf_put64(r + 32, tc->time_cycles);
	pf_put64(r + 40, tc->time_mask);
	r[48] = tc->cap_user_time_zero;
	r[49] = tc->cap_user_time_short;
	return pw_write(w, r, sizeof(r));
}

int spe_pw_time_conv(struct spe_pw *w, const struct spe_pw_time_conv *tc)
{
	return pw_time_conv_rec(w, tc);
}

static int pw_auxtrace_info(struct spe_pw *w)
{
	unsigned int i, n = w->opts.nr_cpus;
	size_t words = w->opts.meta_version == 2 ?
		       PF_SPE_V2_HDR + (size_t)n * (PF_SPE_V2_CPU_FIXED + PF_SPE_V2_CPU_PARAMS) :
		       PF_SPE_V1_PRIV;
	size_t size = PF_AUXTRACE_INFO_SIZE + words * 8;
	uint8_t *r, *q;
	int ret;

	if (size > 0xffff)
		return pw_fail(w, "%u CPUs do not fit in one AUXTRACE_INFO record (at most 1364)", n);
	r = calloc(1, size);
	if (!r)
		return pw_fail(w, "out of memory");
	rec_hdr(r, PF_REC_AUXTRACE_INFO, 0, size);
	pf_put32(r + 8, PF_AUXTRACE_ARM_SPE);
	q = r + PF_AUXTRACE_INFO_SIZE;
	if (w->opts.meta_version != 2) {
		pf_put64(q, w->pmu_type);
		pf_put64(q + 8, 1);	/* per-CPU mmaps */
	} else {
		pf_put64(q, 2);
		pf_put64(q + 8, PF_SPE_V2_HDR);
		pf_put64(q + 16, w->pmu_type);
		pf_put64(q + 24, n);
		q += PF_SPE_V2_HDR * 8;
		for (i = 0; i < n; i++, q += 48) {
			const struct spe_pw_cpu *c = &w->cpus[i];

			pf_put64(q, PF_SPE_CPU_MAGIC);
			pf_put64(q + 8, c->cpu);
			pf_put64(q + 16, PF_SPE_V2_CPU_PARAMS);
			pf_put64(q + 24, c->midr);
			pf_put64(q + 32, w->pmu_type);
			pf_put64(q + 40, c->min_interval ? c->min_interval : 256);
		}
	}
	ret = pw_write(w, r, size);
	free(r);
	return ret;
}

/* perf's feature string: u32 length (NUL and padding included), text */
static size_t str_feature(const char *s, uint8_t *out, size_t cap)
{
	size_t len = strlen(s) + 1;
	size_t olen = (len + PF_NAME_ALIGN - 1) / PF_NAME_ALIGN * PF_NAME_ALIGN;

	if (4 + olen > cap)
		return 0;
	memset(out, 0, 4 + olen);
	pf_put32(out, (uint32_t)olen);
	memcpy(out + 4, s, len);
	return 4 + olen;
}

/* Pipe format: a feature travels as a PERF_RECORD_HEADER_FEATURE */
static void pw_feature_rec(struct spe_pw *w, uint64_t feat, const char *text)
{
	uint8_t rec[16 + 4 + 128];
	size_t n = str_feature(text, rec + 16, sizeof(rec) - 16);

	rec_hdr(rec, PF_REC_HEADER_FEATURE, 0, 16 + n);
	pf_put64(rec + 8, feat);
	pw_write(w, rec, 16 + n);
}

static int pw_start(struct spe_pw *w)
{
	uint8_t hdr[PF_FILE_HDR_SIZE] = { 0 };
	uint8_t attr[PF_ATTR_SIZE_VER7 + PF_SECTION_SIZE];
	uint8_t rec[PF_REC_HDR_SIZE + PF_ATTR_SIZE_VER7 + 8];

	if (w->pipe) {
		pf_put64(hdr, PF_MAGIC);
		pf_put64(hdr + 8, PF_PIPE_HDR_SIZE);
		pw_write(w, hdr, PF_PIPE_HDR_SIZE);
		rec_hdr(rec, PF_REC_HEADER_ATTR, 0, sizeof(rec));
		make_attr(w, rec + PF_REC_HDR_SIZE);
		pf_put64(rec + PF_REC_HDR_SIZE + PF_ATTR_SIZE_VER7, SPE_PW_ATTR_ID);
		pw_write(w, rec, sizeof(rec));
		/* in feature-bit order, as perf record -o - sends them */
		if (w->version[0])
			pw_feature_rec(w, PF_FEAT_VERSION, w->version);
		pw_feature_rec(w, PF_FEAT_CPUID, w->cpuid);
	} else {
		/* header now with data size 0; patched at close */
		pf_put64(hdr, PF_MAGIC);
		pf_put64(hdr + 8, PF_FILE_HDR_SIZE);
		pf_put64(hdr + 16, sizeof(attr));
		pf_put64(hdr + 24, PW_ATTR_OFF);
		pf_put64(hdr + 32, sizeof(attr));
		pf_put64(hdr + 40, PW_DATA_OFF);
		pw_write(w, hdr, sizeof(hdr));
		pf_put64(rec, SPE_PW_ATTR_ID);
		pw_write(w, rec, 8);
		make_attr(w, attr);
		pf_put64(attr + PF_ATTR_SIZE_VER7, PF_FILE_HDR_SIZE);
		pf_put64(attr + PF_ATTR_SIZE_VER7 + 8, 8);
		pw_write(w, attr, sizeof(attr));
	}
	if (w->opts.time_conv)
		pw_time_conv_rec(w, w->opts.time_conv);
	pw_auxtrace_info(w);
	return w->failed ? -1 : 0;
}

static int pw_check_opts(struct spe_pw *w)
{
	const struct spe_pw_opts *o = &w->opts;
	unsigned int i, j;

	if (o->meta_version > 2)
		return pw_fail(w, "SPE metadata version %u unknown (use 1 or 2)", o->meta_version);
	if (o->meta_version == 2 && !o->nr_cpus)
		return pw_fail(w, "SPE metadata v2 needs the list of CPUs (with their MIDRs)");
	if (o->nr_cpus > PW_MAX_QUEUES)
		return pw_fail(w, "%u CPUs: at most %u", o->nr_cpus, PW_MAX_QUEUES);
	for (i = 0; i < o->nr_cpus; i++)
		for (j = 0; j < i; j++)
			if (o->cpus[i].cpu == o->cpus[j].cpu)
				return pw_fail(w, "CPU %u listed twice", o->cpus[i].cpu);
	if (o->cpuid && strlen(o->cpuid) >= sizeof(w->cpuid))
		return pw_fail(w, "CPUID text '%s' too long (max %zu)", o->cpuid,
			       sizeof(w->cpuid) - 1);
	if (o->perf_version && strlen(o->perf_version) >= sizeof(w->version))
		return pw_fail(w, "perf version text '%s' too long (max %zu)",
			       o->perf_version, sizeof(w->version) - 1);
	return 0;
}

int spe_pw_open_fd(int fd, const char *name, const struct spe_pw_opts *opts,
		   struct spe_pw **wp, char *err, size_t errlen)
{
	struct spe_pw *w = calloc(1, sizeof(*w));
	unsigned int i;

	*wp = NULL;
	if (err && errlen)
		err[0] = '\0';
	if (!w || !(w->buf = malloc(PW_BUF_SIZE))) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", name);
		if (w)
			free(w);
		return -1;
	}
	w->err = err;
	w->errlen = errlen;
	w->fd = fd;
	snprintf(w->name, sizeof(w->name), "%s", name ? name : "<fd>");
	if (opts)
		w->opts = *opts;
	w->pipe = w->opts.pipe;
	w->pmu_type = w->opts.pmu_type ? w->opts.pmu_type : SPE_PW_DEFAULT_PMU_TYPE;
	w->reference = 0x5be0000000000000ULL;
	if (pw_check_opts(w))
		goto fail;
	if (w->opts.cpuid)
		snprintf(w->cpuid, sizeof(w->cpuid), "%s", w->opts.cpuid);
	else
		snprintf(w->cpuid, sizeof(w->cpuid), "0x%016llx",
			 (unsigned long long)(w->opts.nr_cpus && w->opts.cpus[0].midr ?
					      w->opts.cpus[0].midr : SPE_PW_DEFAULT_MIDR));
	/* what we write is not a recording: say so unless told otherwise */
	snprintf(w->version, sizeof(w->version), "%s",
		 w->opts.perf_version ? w->opts.perf_version : PF_SPEKIT_MARK);
	if (!w->pipe && lseek(fd, 0, SEEK_CUR) != 0) {
		pw_fail(w, errno == ESPIPE ?
			"file-format perf.data needs a seekable output (not a pipe): write to a file, or use pipe format" :
			"output must be written from its start (offset 0) in file format");
		goto fail;
	}
	w->queues = calloc(w->opts.nr_cpus ? w->opts.nr_cpus : 1, sizeof(*w->queues));
	w->cpus = calloc(w->opts.nr_cpus ? w->opts.nr_cpus : 1, sizeof(*w->cpus));
	if (!w->queues || !w->cpus) {
		pw_fail(w, "out of memory");
		goto fail;
	}
	/* the queue of a listed CPU is its position, as perf's mmap index */
	for (i = 0; i < w->opts.nr_cpus; i++) {
		w->cpus[i] = w->opts.cpus[i];
		w->queues[i].cpu = w->opts.cpus[i].cpu;
	}
	w->nr_queues = w->opts.nr_cpus;
	if (pw_start(w))
		goto fail;
	/* the caller's arrays need not outlive open */
	w->opts.cpus = NULL;
	w->opts.time_conv = NULL;
	w->opts.cpuid = NULL;
	w->opts.perf_version = NULL;
	*wp = w;
	return 0;
fail:
	free(w->cpus);
	free(w->queues);
	free(w->buf);
	free(w);
	return -1;
}

int spe_pw_open(const char *path, const struct spe_pw_opts *opts,
		struct spe_pw **wp, char *err, size_t errlen)
{
	int fd, ret;

	if (!strcmp(path, "-"))
		return spe_pw_open_fd(STDOUT_FILENO, "<stdout>", opts, wp, err, errlen);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (err && errlen)
			snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		*wp = NULL;
		return -1;
	}
	ret = spe_pw_open_fd(fd, path, opts, wp, err, errlen);
	if (ret) {
		close(fd);
		unlink(path);
		return ret;
	}
	(*wp)->own_fd = true;
	return 0;
}

static int pw_queue_of(struct spe_pw *w, uint32_t cpu)
{
	struct pw_queue *nq;
	unsigned int i;

	for (i = 0; i < w->nr_queues; i++)
		if (w->queues[i].cpu == cpu)
			return (int)i;
	if (w->opts.nr_cpus)
		return pw_fail(w, "CPU %u is not among the %u CPUs given at open",
			       cpu, w->opts.nr_cpus);
	if (w->nr_queues >= PW_MAX_QUEUES)
		return pw_fail(w, "more than %u CPUs", PW_MAX_QUEUES);
	nq = realloc(w->queues, (w->nr_queues + 1) * sizeof(*nq));
	if (!nq)
		return pw_fail(w, "out of memory");
	w->queues = nq;
	nq[w->nr_queues].cpu = cpu;
	nq[w->nr_queues].next_off = 0;
	return (int)w->nr_queues++;
}

uint64_t spe_pw_next_offset(const struct spe_pw *w, uint32_t cpu)
{
	unsigned int i;

	for (i = 0; i < w->nr_queues; i++)
		if (w->queues[i].cpu == cpu)
			return w->queues[i].next_off;
	return 0;
}

int spe_pw_auxtrace_raw(struct spe_pw *w, const struct spe_pw_auxtrace *a,
			const void *data, size_t len)
{
	static const uint8_t zeros[8];
	size_t pad = (8 - (len & 7)) & 7;
	uint8_t r[PF_AUXTRACE_SIZE] = { 0 };

	if (w->failed)
		return -1;
	if (!w->pipe) {
		/* perf's index: where the record is, and its header size */
		if (w->nr_index == w->index_cap) {
			size_t cap = w->index_cap ? w->index_cap * 2 : 256;
			struct pw_index_ent *ni = realloc(w->index, cap * sizeof(*ni));

			if (!ni)
				return pw_fail(w, "out of memory for the AUXTRACE index");
			w->index = ni;
			w->index_cap = cap;
		}
		w->index[w->nr_index].file_offset = w->off;
		w->index[w->nr_index].size = PF_AUXTRACE_SIZE;
		w->nr_index++;
	}
	rec_hdr(r, PF_REC_AUXTRACE, 0, sizeof(r));
	pf_put64(r + 8, len + pad);
	pf_put64(r + 16, a->offset);
	pf_put64(r + 24, a->reference);
	pf_put32(r + 32, a->idx);
	pf_put32(r + 36, a->tid);
	pf_put32(r + 40, a->cpu);
	if (pw_write(w, r, sizeof(r)) || (len && pw_write(w, data, len)) ||
	    (pad && pw_write(w, zeros, pad)))
		return -1;
	return 0;
}

int spe_pw_auxtrace(struct spe_pw *w, uint32_t cpu, const void *data, size_t len)
{
	struct spe_pw_auxtrace a;
	int q;

	if (w->failed)
		return -1;
	q = pw_queue_of(w, cpu);
	if (q < 0)
		return -1;
	a.offset = w->queues[q].next_off;
	a.reference = w->reference++;
	a.idx = (uint32_t)q;
	a.tid = (uint32_t)-1;	/* per-CPU recording */
	a.cpu = cpu;
	if (spe_pw_auxtrace_raw(w, &a, data, len))
		return -1;
	w->queues[q].next_off += len;
	return 0;
}

void spe_pw_set_sample_id(struct spe_pw *w, uint32_t pid, uint32_t tid, uint64_t time)
{
	w->sid_pid = pid;
	w->sid_tid = tid;
	w->sid_time = time;
}

int spe_pw_aux(struct spe_pw *w, uint32_t cpu, uint64_t aux_offset,
	       uint64_t aux_size, uint64_t flags)
{
	uint8_t r[PF_AUX_SIZE + PW_SID_SIZE];

	rec_hdr(r, PF_REC_AUX, 0, sizeof(r));
	pf_put64(r + 8, aux_offset);
	pf_put64(r + 16, aux_size);
	pf_put64(r + 24, flags);
	put_sid(w, r + PF_AUX_SIZE, cpu);
	return pw_write(w, r, sizeof(r));
}

int spe_pw_lost(struct spe_pw *w, uint32_t cpu, uint64_t lost)
{
	uint8_t r[24 + PW_SID_SIZE];

	rec_hdr(r, PF_REC_LOST, 0, sizeof(r));
	pf_put64(r + 8, SPE_PW_ATTR_ID);
	pf_put64(r + 16, lost);
	put_sid(w, r + 24, cpu);
	return pw_write(w, r, sizeof(r));
}

int spe_pw_lost_samples(struct spe_pw *w, uint32_t cpu, uint64_t lost)
{
	uint8_t r[16 + PW_SID_SIZE];

	rec_hdr(r, PF_REC_LOST_SAMPLES, 0, sizeof(r));
	pf_put64(r + 8, lost);
	put_sid(w, r + 16, cpu);
	return pw_write(w, r, sizeof(r));
}

/* COMM and MMAP2: fixed part, NUL-terminated text padded to 8, trailer */
static int pw_text_rec(struct spe_pw *w, const uint8_t *fixed, size_t flen,
		       const char *text, const char *what)
{
	size_t tlen = strlen(text) + 1, plen = (tlen + 7) & ~(size_t)7;
	size_t size = flen + plen + PW_SID_SIZE;
	uint8_t *r;
	int ret;

	if (size > 0xffff)
		return pw_fail(w, "%s text of %zu bytes is too long for a record", what, tlen - 1);
	r = calloc(1, size);
	if (!r)
		return pw_fail(w, "out of memory");
	memcpy(r, fixed, flen);
	pf_put16(r + 6, (uint16_t)size);
	memcpy(r + flen, text, tlen);
	put_sid(w, r + flen + plen, (uint32_t)-1);
	ret = pw_write(w, r, size);
	free(r);
	return ret;
}

int spe_pw_comm(struct spe_pw *w, uint32_t pid, uint32_t tid, const char *comm, bool exec)
{
	uint8_t f[PF_COMM_FIXED];

	rec_hdr(f, PF_REC_COMM, exec ? PF_MISC_COMM_EXEC : 0, 0);
	pf_put32(f + 8, pid);
	pf_put32(f + 12, tid);
	return pw_text_rec(w, f, sizeof(f), comm, "COMM");
}

int spe_pw_mmap2(struct spe_pw *w, uint32_t pid, uint32_t tid, uint64_t start,
		 uint64_t len, uint64_t pgoff, const char *path)
{
	uint8_t f[PF_MMAP2_FIXED] = { 0 };
	/* PERF_RECORD_MISC_KERNEL for kernel addresses, else _USER */
	uint16_t misc = start >= 0xffff000000000000ULL ? 1 : 2;

	rec_hdr(f, PF_REC_MMAP2, misc, 0);
	pf_put32(f + 8, pid);
	pf_put32(f + 12, tid);
	pf_put64(f + 16, start);
	pf_put64(f + 24, len);
	pf_put64(f + 32, pgoff);
	pf_put32(f + 64, 5);	/* PROT_READ | PROT_EXEC */
	pf_put32(f + 68, 2);	/* MAP_PRIVATE */
	return pw_text_rec(w, f, sizeof(f), path, "MMAP2 path");
}

int spe_pw_finished_round(struct spe_pw *w)
{
	uint8_t r[PF_REC_HDR_SIZE];

	rec_hdr(r, PF_REC_FINISHED_ROUND, 0, sizeof(r));
	return pw_write(w, r, sizeof(r));
}

/* One {offset, size} entry of the feature table; returns the next offset */
static uint64_t put_section(uint8_t *tab, unsigned int i, uint64_t off, uint64_t size)
{
	pf_put64(tab + i * PF_SECTION_SIZE, off);
	pf_put64(tab + i * PF_SECTION_SIZE + 8, size);
	return off + size;
}

/* Features after the data, then the real header over the placeholder */
static int pw_finish_file(struct spe_pw *w)
{
	uint8_t hdr[PF_FILE_HDR_SIZE] = { 0 };
	uint8_t tab[3 * PF_SECTION_SIZE], ver[4 + 128], cpuid[4 + 128], ent[16];
	uint64_t data_end = w->off, off;
	size_t vlen = w->version[0] ? str_feature(w->version, ver, sizeof(ver)) : 0;
	size_t clen = str_feature(w->cpuid, cpuid, sizeof(cpuid)), i;
	unsigned int nsec = vlen ? 3 : 2, t = 0;

	/* the table lists the sections in feature-bit order */
	off = data_end + nsec * PF_SECTION_SIZE;
	if (vlen)
		off = put_section(tab, t++, off, vlen);
	off = put_section(tab, t++, off, clen);
	put_section(tab, t, off, 8 + w->nr_index * 16);
	pw_write(w, tab, nsec * PF_SECTION_SIZE);
	if (vlen)
		pw_write(w, ver, vlen);
	pw_write(w, cpuid, clen);
	pf_put64(ent, w->nr_index);
	pw_write(w, ent, 8);
	for (i = 0; i < w->nr_index; i++) {
		pf_put64(ent, w->index[i].file_offset);
		pf_put64(ent + 8, w->index[i].size);
		pw_write(w, ent, 16);
	}
	if (pw_flush(w))
		return -1;

	pf_put64(hdr, PF_MAGIC);
	pf_put64(hdr + 8, PF_FILE_HDR_SIZE);
	pf_put64(hdr + 16, PF_ATTR_SIZE_VER7 + PF_SECTION_SIZE);
	pf_put64(hdr + 24, PW_ATTR_OFF);
	pf_put64(hdr + 32, PF_ATTR_SIZE_VER7 + PF_SECTION_SIZE);
	pf_put64(hdr + 40, PW_DATA_OFF);
	pf_put64(hdr + 48, data_end - PW_DATA_OFF);
	if (vlen)
		hdr[72 + PF_FEAT_VERSION / 8] |= 1u << (PF_FEAT_VERSION % 8);
	hdr[72 + PF_FEAT_CPUID / 8] |= 1u << (PF_FEAT_CPUID % 8);
	hdr[72 + PF_FEAT_AUXTRACE / 8] |= 1u << (PF_FEAT_AUXTRACE % 8);
	if (pwrite(w->fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr))
		return pw_fail(w, "cannot patch the header: %s", strerror(errno));
	return 0;
}

int spe_pw_close(struct spe_pw *w)
{
	int ret = -1;

	if (!w)
		return -1;
	if (!w->failed)
		ret = w->pipe ? pw_flush(w) : pw_finish_file(w);
	if (w->own_fd && close(w->fd) && !ret)
		ret = pw_fail(w, "close: %s", strerror(errno));
	free(w->cpus);
	free(w->queues);
	free(w->index);
	free(w->buf);
	free(w);
	return ret;
}
