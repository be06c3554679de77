// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf.data reader: opening.  Finds out what the bytes are (file format,
 * pipe format, big-endian, not perf at all), sets up the source (mapping,
 * memory or stream), reads the file header, attrs and the features we use.
 * Every size and offset from the file is checked against the bytes that
 * are there before it is used: this code is fuzzed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perf_data_int.h"
#include "perf_format.h"

int pd_fail(struct spe_pd *pd, const char *fmt, ...)
{
	va_list ap;
	int n;

	pd->failed = true;
	if (!pd->err || !pd->errlen)
		return -1;
	n = snprintf(pd->err, pd->errlen, "%s: ", pd->name);
	if (n < 0 || (size_t)n >= pd->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(pd->err + n, pd->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

bool spe_pd_is_perf_data(const void *buf, size_t len)
{
	uint64_t magic;

	if (len < 8)
		return false;
	magic = pf_get64(buf);
	return magic == PF_MAGIC || magic == PF_MAGIC_SWAPPED;
}

static struct spe_pd *pd_new(const char *name, char *err, size_t errlen)
{
	struct spe_pd *pd = calloc(1, sizeof(*pd));

	if (!pd) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	pd->err = err;
	pd->errlen = errlen;
	pd->fd = -1;
	snprintf(pd->name, sizeof(pd->name), "%s", name ? name : "<memory>");
	if (err && errlen)
		err[0] = '\0';
	return pd;
}

void spe_pd_close(struct spe_pd *pd)
{
	unsigned int i;

	if (!pd)
		return;
	if (pd->map)
		munmap(pd->map, pd->map_len);
	if (pd->owned_fd)
		close(pd->fd);
	free(pd->owned);
	free(pd->rec);
	free(pd->aux);
	for (i = 0; i < pd->nr_attrs; i++)
		free((void *)pd->attrs[i].ids);
	free(pd->attrs);
	free(pd->cpus);
	free(pd->queues);
	free(pd);
}

int pd_add_attr(struct spe_pd *pd, const uint8_t *attr, size_t attr_len,
		const uint8_t *ids, uint64_t nr_ids)
{
	struct spe_pd_attr *a, *na;
	uint64_t *copy = NULL;
	uint64_t i;

	if (attr_len < PF_ATTR_SIZE_VER0)
		return pd_fail(pd, "event attr is %zu bytes, smaller than any perf_event_attr (64) (corrupt perf.data)",
			       attr_len);
	if (pd->nr_attrs >= PD_MAX_ATTRS)
		return pd_fail(pd, "more than %u event attrs (corrupt perf.data?)",
			       PD_MAX_ATTRS);
	if (nr_ids > PD_MAX_IDS - pd->nr_ids)
		return pd_fail(pd, "more than %u event ids (corrupt perf.data?)",
			       PD_MAX_IDS);
	na = realloc(pd->attrs, (pd->nr_attrs + 1) * sizeof(*na));
	if (!na)
		return pd_fail(pd, "out of memory for event attrs");
	pd->attrs = na;
	if (nr_ids) {
		copy = malloc(nr_ids * sizeof(*copy));
		if (!copy)
			return pd_fail(pd, "out of memory for event ids");
		for (i = 0; i < nr_ids; i++)
			copy[i] = pf_get64(ids + i * 8);
	}
	a = &pd->attrs[pd->nr_attrs++];
	memset(a, 0, sizeof(*a));
	a->type = pf_get32(attr + PF_ATTR_TYPE);
	a->config = pf_get64(attr + PF_ATTR_CONFIG);
	a->sample_period = pf_get64(attr + PF_ATTR_PERIOD);
	a->sample_type = pf_get64(attr + PF_ATTR_SAMPLE_TYPE);
	a->sample_id_all = !!(pf_get64(attr + PF_ATTR_FLAGS) & PF_ATTR_FLAG_SAMPLE_ID_ALL);
	a->nr_ids = (uint32_t)nr_ids;
	a->ids = copy;
	pd->nr_ids += (uint32_t)nr_ids;
	return 0;
}

static const char *auxtrace_type_name(uint32_t type)
{
	static const char *const names[] = {
		"unknown", "Intel PT", "Intel BTS", "CoreSight ETM", "Arm SPE",
		"s390 CPU-MF", "HiSilicon PTT",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "unknown";
}

int pd_parse_auxtrace_info(struct spe_pd *pd, const uint8_t *rec, size_t size)
{
	char merr[200];
	struct spe_pd_info info;
	uint32_t type;
	int n;

	if (size < PF_AUXTRACE_INFO_SIZE)
		return pd_fail(pd, "AUXTRACE_INFO record of %zu bytes is too short (corrupt perf.data)",
			       size);
	type = pf_get32(rec + 8);
	if (type != PF_AUXTRACE_ARM_SPE)
		return pd_fail(pd, "perf.data holds %s AUX trace (AUXTRACE_INFO type %u), not Arm SPE (type %u)",
			       auxtrace_type_name(type), type, PF_AUXTRACE_ARM_SPE);
	n = spe_pd_meta_parse(rec + PF_AUXTRACE_INFO_SIZE, size - PF_AUXTRACE_INFO_SIZE,
			      &info, NULL, 0, merr, sizeof(merr));
	if (n < 0)
		return pd_fail(pd, "%s", merr);
	free(pd->cpus);
	pd->cpus = NULL;
	if (n > 0) {
		pd->cpus = calloc((size_t)n, sizeof(*pd->cpus));
		if (!pd->cpus)
			return pd_fail(pd, "out of memory for %d CPUs of SPE metadata", n);
		spe_pd_meta_parse(rec + PF_AUXTRACE_INFO_SIZE,
				  size - PF_AUXTRACE_INFO_SIZE, &info, pd->cpus,
				  (unsigned int)n, NULL, 0);
	}
	pd->info = info;
	pd->have_info = true;
	if (!spe_pd_spe_attr(pd))
		snprintf(pd->open_warn, sizeof(pd->open_warn),
			 "no event attr has the SPE PMU type %u from AUXTRACE_INFO (%u attrs)",
			 info.pmu_type, pd->nr_attrs);
	return 0;
}

/*
 * perf's string: u32 length (with NUL and padding), then the text.  The
 * length is not trusted: the text ends at the first NUL, the end of the
 * section or the end of @out, whichever comes first.  Returns its length.
 */
static size_t pd_feature_str(const uint8_t *p, size_t len, char *out, size_t cap)
{
	uint32_t slen;
	size_t i;

	out[0] = '\0';
	if (len < 4)
		return 0;
	slen = pf_get32(p);
	if (slen > len - 4)
		slen = (uint32_t)(len - 4);
	for (i = 0; i < slen && i + 1 < cap && p[4 + i]; i++)
		out[i] = (char)p[4 + i];
	out[i] = '\0';
	return i;
}

void pd_parse_feature(struct spe_pd *pd, uint64_t feat, const uint8_t *p, size_t len)
{
	if (feat == PF_FEAT_CPUID)
		pd->have_cpuid = pd_feature_str(p, len, pd->cpuid, sizeof(pd->cpuid)) > 0;
	else if (feat == PF_FEAT_VERSION)
		pd->have_version = pd_feature_str(p, len, pd->version, sizeof(pd->version)) > 0;
}

/* Feature sections follow the data: a table of {offset, size}, one per
 * set bit of the header bitmap, in bit order. */
static void pd_read_feature(struct spe_pd *pd, const uint8_t *bitmap, uint64_t feat_off,
			    unsigned int feat)
{
	unsigned int bit;
	uint64_t idx = 0, off, size;

	if (!(bitmap[feat / 8] & (1u << (feat % 8))))
		return;
	for (bit = 0; bit < feat; bit++)
		if (bitmap[bit / 8] & (1u << (bit % 8)))
			idx++;
	/* a missing or cut feature table only costs us the feature */
	if (feat_off > pd->mem_len || (pd->mem_len - feat_off) / PF_SECTION_SIZE <= idx)
		return;
	off = pf_get64(pd->mem + feat_off + idx * PF_SECTION_SIZE);
	size = pf_get64(pd->mem + feat_off + idx * PF_SECTION_SIZE + 8);
	if (off > pd->mem_len || size > pd->mem_len - off)
		return;
	pd_parse_feature(pd, feat, pd->mem + off, (size_t)size);
}

/* The features of use: CPUID (MIDR) and VERSION (spekit's marker) */
static void pd_read_features(struct spe_pd *pd, const uint8_t *bitmap, uint64_t feat_off)
{
	pd_read_feature(pd, bitmap, feat_off, PF_FEAT_CPUID);
	pd_read_feature(pd, bitmap, feat_off, PF_FEAT_VERSION);
}

static int pd_open_file_fmt(struct spe_pd *pd)
{
	const uint8_t *h = pd->mem;
	uint64_t hsize = pf_get64(h + 8);
	uint64_t attr_size, attrs_off, attrs_size, data_off, data_size, n, i;

	if (pd->mem_len < hsize)
		return pd_fail(pd, "truncated perf.data: file is %zu bytes, less than its %llu-byte header (file cut short? re-record or copy it whole)",
			       pd->mem_len, (unsigned long long)hsize);
	attr_size = pf_get64(h + 16);
	attrs_off = pf_get64(h + 24);
	attrs_size = pf_get64(h + 32);
	data_off = pf_get64(h + 40);
	data_size = pf_get64(h + 48);

	if (data_off < hsize || data_off > pd->mem_len)
		return pd_fail(pd, data_off < hsize ?
			       "corrupt perf.data: data section offset 0x%llx is inside the header" :
			       "truncated perf.data: data section starts at 0x%llx but file is 0x%zx bytes (file cut short? re-record or copy it whole)",
			       (unsigned long long)data_off, pd->mem_len);
	if (data_size == 0) {
		/* perf record fills the size in at exit; a killed record left 0 */
		snprintf(pd->open_warn, sizeof(pd->open_warn),
			 "header says data size 0 (perf record did not exit cleanly?): reading records to end of file");
		data_size = pd->mem_len - data_off;
	} else if (data_size > pd->mem_len - data_off) {
		return pd_fail(pd, "truncated perf.data: data section ends at 0x%llx but file is 0x%zx bytes (file cut short? re-record or copy it whole)",
			       (unsigned long long)(data_off + data_size > data_off ?
						    data_off + data_size : ~0ULL),
			       pd->mem_len);
	} else if (hsize == PF_FILE_HDR_SIZE) {
		pd_read_features(pd, h + 72, data_off + data_size);
	}
	pd->pos = data_off;
	pd->end = data_off + data_size;

	if (attr_size < PF_ATTR_SIZE_VER0 + PF_SECTION_SIZE || attr_size > 4096)
		return pd_fail(pd, "corrupt perf.data: attr size %llu (expected %d + 16 for perf 6.1)",
			       (unsigned long long)attr_size, PF_ATTR_SIZE_VER7);
	if (attrs_off > pd->mem_len || attrs_size > pd->mem_len - attrs_off)
		return pd_fail(pd, "truncated perf.data: attr section 0x%llx+0x%llx is past the end of the 0x%zx-byte file",
			       (unsigned long long)attrs_off,
			       (unsigned long long)attrs_size, pd->mem_len);
	n = attrs_size / attr_size;
	if (n == 0)
		return pd_fail(pd, "perf.data has no event attrs (attr section is %llu bytes): not written by perf record?",
			       (unsigned long long)attrs_size);
	for (i = 0; i < n; i++) {
		const uint8_t *a = pd->mem + attrs_off + i * attr_size;
		const uint8_t *sec = a + attr_size - PF_SECTION_SIZE;
		uint64_t ids_off = pf_get64(sec), ids_size = pf_get64(sec + 8);

		if (ids_off > pd->mem_len || ids_size > pd->mem_len - ids_off)
			return pd_fail(pd, "truncated perf.data: ids of attr %llu at 0x%llx+0x%llx are past the end of the 0x%zx-byte file",
				       (unsigned long long)i,
				       (unsigned long long)ids_off,
				       (unsigned long long)ids_size, pd->mem_len);
		if (pd_add_attr(pd, a, attr_size - PF_SECTION_SIZE,
				pd->mem + ids_off, ids_size / 8))
			return -1;
	}
	return pd_scan_for_info(pd);
}

/* Decide what the first bytes are.  Returns 0 for perf.data (file or pipe
 * per *pipe), SPE_PD_NOT_PERF_DATA, or SPE_PD_ERROR. */
static int pd_sniff(struct spe_pd *pd, const uint8_t *b, size_t len, bool *pipe)
{
	uint64_t magic, hsize;

	if (len == 0)
		return pd_fail(pd, "empty file (0 bytes): nothing was recorded");
	if (len < 8) {
		pd_fail(pd, "not a perf.data file (only %zu bytes, no PERFILE2 magic)", len);
		return SPE_PD_NOT_PERF_DATA;
	}
	magic = pf_get64(b);
	if (magic == PF_MAGIC_SWAPPED)
		return pd_fail(pd, "big-endian perf.data (recorded on a big-endian host): not supported; rewrite it little-endian with 'perf inject -i IN -o OUT' on a little-endian host");
	if (!memcmp(b, "PERFFILE", 8))
		return pd_fail(pd, "perf.data version 1 (magic PERFFILE) is too old: rewrite it with 'perf inject -i IN -o OUT'");
	if (magic != PF_MAGIC) {
		pd_fail(pd, "not a perf.data file (magic %02x %02x %02x %02x %02x %02x %02x %02x, expected PERFILE2)",
			b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
		pd->failed = false;
		return SPE_PD_NOT_PERF_DATA;
	}
	if (len < PF_PIPE_HDR_SIZE)
		return pd_fail(pd, "truncated perf.data: %zu bytes, the header is cut (file cut short? re-record or copy it whole)",
			       len);
	hsize = pf_get64(b + 8);
	if (hsize == PF_PIPE_HDR_SIZE) {
		*pipe = true;
		return 0;
	}
	if (hsize == PF_FILE_HDR_SIZE || hsize == PF_FILE_HDR_OLD_SIZE) {
		*pipe = false;
		return 0;
	}
	return pd_fail(pd, "unknown perf.data header size %llu (expected 104 for file mode or 16 for pipe mode)",
		       (unsigned long long)hsize);
}

static int pd_open_memory(struct spe_pd *pd)
{
	bool pipe = false;
	int ret = pd_sniff(pd, pd->mem, pd->mem_len, &pipe);

	if (ret)
		return ret;
	if (pipe) {
		pd->fmt = SPE_PD_FMT_PIPE;
		pd->pos = PF_PIPE_HDR_SIZE;
		pd->end = pd->mem_len;
		return 0;
	}
	pd->fmt = SPE_PD_FMT_FILE;
	return pd_open_file_fmt(pd);
}

static int pd_finish(struct spe_pd *pd, int ret, struct spe_pd **pdp)
{
	if (ret) {
		spe_pd_close(pd);
		*pdp = NULL;
		return ret < 0 ? SPE_PD_ERROR : ret;
	}
	*pdp = pd;
	return SPE_PD_OK;
}

int spe_pd_open_mem(const void *buf, size_t len, const char *name,
		    struct spe_pd **pdp, char *err, size_t errlen)
{
	struct spe_pd *pd = pd_new(name, err, errlen);

	*pdp = NULL;
	if (!pd)
		return SPE_PD_ERROR;
	pd->mem = buf;
	pd->mem_len = buf ? len : 0;
	return pd_finish(pd, pd_open_memory(pd), pdp);
}

/* read() until @len bytes or end of input; returns bytes read or -1 */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = read(fd, (uint8_t *)buf + got, len - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* A file-format perf.data arriving on a pipe: it needs seeking, so read
 * it all; @head holds the bytes already taken. */
static int pd_slurp(struct spe_pd *pd, const uint8_t *head, size_t hlen)
{
	size_t cap = 1 << 20, len = hlen;
	uint8_t *buf = malloc(cap), *nb;
	ssize_t r;

	if (!buf)
		return pd_fail(pd, "out of memory reading the input");
	memcpy(buf, head, hlen);
	for (;;) {
		if (len == cap) {
			nb = cap < (SIZE_MAX / 2) ? realloc(buf, cap * 2) : NULL;
			if (!nb) {
				free(buf);
				return pd_fail(pd, "out of memory reading %zu bytes of a file-format perf.data from a pipe (use a regular file)",
					       len);
			}
			buf = nb;
			cap *= 2;
		}
		r = read_full(pd->fd, buf + len, cap - len);
		if (r < 0) {
			int e = errno;

			free(buf);
			return pd_fail(pd, "read error: %s", strerror(e));
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	pd->owned = buf;
	pd->mem = buf;
	pd->mem_len = len;
	return pd_open_memory(pd);
}

static int pd_open_stream(struct spe_pd *pd)
{
	uint8_t head[PF_PIPE_HDR_SIZE];
	ssize_t r = read_full(pd->fd, head, sizeof(head));
	bool pipe = false;
	int ret;

	if (r < 0)
		return pd_fail(pd, "read error: %s", strerror(errno));
	ret = pd_sniff(pd, head, (size_t)r, &pipe);
	if (ret)
		return ret;
	if (!pipe)
		return pd_slurp(pd, head, (size_t)r);
	pd->fmt = SPE_PD_FMT_PIPE;
	pd->stream = true;
	pd->spos = PF_PIPE_HDR_SIZE;
	pd->rec = malloc(0x10000);
	if (!pd->rec)
		return pd_fail(pd, "out of memory");
	return 0;
}

static int pd_open_regular(struct spe_pd *pd, size_t size)
{
	void *m;
	ssize_t r;

	if (size == 0)
		return pd_fail(pd, "empty file (0 bytes): nothing was recorded");
	m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, pd->fd, 0);
	if (m != MAP_FAILED) {
		pd->map = m;
		pd->map_len = size;
		pd->mem = m;
		pd->mem_len = size;
		return pd_open_memory(pd);
	}
	/* some filesystems cannot map: read it instead */
	pd->owned = malloc(size);
	if (!pd->owned)
		return pd_fail(pd, "cannot map or allocate %zu bytes", size);
	r = pread(pd->fd, pd->owned, size, 0);
	if (r < 0)
		return pd_fail(pd, "read error: %s", strerror(errno));
	pd->mem = pd->owned;
	pd->mem_len = (size_t)r;
	return pd_open_memory(pd);
}

int spe_pd_open_fd(int fd, const char *name, struct spe_pd **pdp,
		   char *err, size_t errlen)
{
	struct spe_pd *pd = pd_new(name, err, errlen);
	struct stat st;
	int ret;

	*pdp = NULL;
	if (!pd)
		return SPE_PD_ERROR;
	pd->fd = fd;
	if (fstat(fd, &st))
		ret = pd_fail(pd, "cannot stat: %s", strerror(errno));
	else if (S_ISDIR(st.st_mode))
		ret = pd_fail(pd, "is a directory, not a perf.data file (perf record --threads directories are not supported; give the file itself)");
	else if (S_ISREG(st.st_mode))
		ret = pd_open_regular(pd, (size_t)st.st_size);
	else
		ret = pd_open_stream(pd);
	return pd_finish(pd, ret, pdp);
}

int spe_pd_open(const char *path, struct spe_pd **pdp, char *err, size_t errlen)
{
	struct stat st;
	int fd, ret;

	*pdp = NULL;
	if (!strcmp(path, "-")) {
		return spe_pd_open_fd(STDIN_FILENO, "<stdin>", pdp, err, errlen);
	}
	/* say "directory" rather than whatever open() of one gives */
	if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
		if (err && errlen)
			snprintf(err, errlen, "%s: is a directory, not a perf.data file (perf record --threads directories are not supported; give the file itself)",
				 path);
		return SPE_PD_ERROR;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (err && errlen)
			snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return SPE_PD_ERROR;
	}
	ret = spe_pd_open_fd(fd, path, pdp, err, errlen);
	/* a mapped file does not need its fd; a stream does */
	if (*pdp && (*pdp)->stream) {
		(*pdp)->owned_fd = true;
	} else {
		close(fd);
	}
	return ret;
}

enum spe_pd_format spe_pd_format(const struct spe_pd *pd)
{
	return pd->fmt;
}

const struct spe_pd_info *spe_pd_info(const struct spe_pd *pd)
{
	return pd->have_info ? &pd->info : NULL;
}

const struct spe_pd_cpu_meta *spe_pd_cpu_meta(const struct spe_pd *pd, unsigned int i)
{
	return pd->have_info && pd->cpus && i < pd->info.nr_cpus ? &pd->cpus[i] : NULL;
}

int spe_pd_cpu_midr(const struct spe_pd *pd, uint32_t cpu, uint64_t *midr)
{
	unsigned int i;
	char *end;

	if (pd->have_info && pd->cpus) {
		for (i = 0; i < pd->info.nr_cpus; i++) {
			if (pd->cpus[i].cpu == cpu && pd->cpus[i].nr_params >= 1) {
				*midr = pd->cpus[i].midr;
				return 0;
			}
		}
	}
	/* arm64 perf writes CPUID as "0x%016lx" of MIDR_EL1 */
	if (pd->have_cpuid && !strncmp(pd->cpuid, "0x", 2)) {
		unsigned long long v = strtoull(pd->cpuid, &end, 16);

		if (end != pd->cpuid + 2 && *end == '\0') {
			*midr = v;
			return 1;
		}
	}
	return -1;
}

const char *spe_pd_cpuid(const struct spe_pd *pd)
{
	return pd->have_cpuid ? pd->cpuid : NULL;
}

const char *spe_pd_version(const struct spe_pd *pd)
{
	return pd->have_version ? pd->version : NULL;
}

bool spe_pd_synthetic(const struct spe_pd *pd)
{
	return pd->have_version &&
	       !strncmp(pd->version, PF_SPEKIT_MARK_PREFIX, strlen(PF_SPEKIT_MARK_PREFIX));
}

unsigned int spe_pd_nr_attrs(const struct spe_pd *pd)
{
	return pd->nr_attrs;
}

const struct spe_pd_attr *spe_pd_attr(const struct spe_pd *pd, unsigned int i)
{
	return i < pd->nr_attrs ? &pd->attrs[i] : NULL;
}

const struct spe_pd_attr *spe_pd_spe_attr(const struct spe_pd *pd)
{
	unsigned int i;

	if (!pd->have_info)
		return NULL;
	for (i = 0; i < pd->nr_attrs; i++)
		if (pd->attrs[i].type == pd->info.pmu_type)
			return &pd->attrs[i];
	return NULL;
}

const char *spe_pd_warning(const struct spe_pd *pd)
{
	return pd->open_warn[0] ? pd->open_warn : NULL;
}
