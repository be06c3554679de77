// SPDX-License-Identifier: GPL-2.0-only
/*
 * spe-mkperf: wrap raw Arm SPE AUX bytes into a perf.data that perf and
 * libspe read as if `perf record -e arm_spe//` had written it.  Used to
 * turn captured or generated streams into test inputs for perf itself.
 * The file says it is synthetic (HEADER_VERSION, see perf_write.h), so
 * that spetop labels it SYNTHETIC whatever its name.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "argnum.h"
#include "chunk.h"
#include "perf_write.h"

#define MAX_ITEMS	4096

static const char usage[] =
"usage: spe-mkperf [options] RAW... -o OUT\n"
"Wrap raw SPE AUX-buffer bytes into a perf.data file (perf record -e arm_spe//).\n"
"\n"
"  -o, --output FILE     output perf.data ('-' is stdout, with --pipe)\n"
"      --cpu N           CPU of the next RAW file; a RAW file without --cpu\n"
"                        takes the CPU after the previous one's (first: 0);\n"
"                        files on the same CPU are one stream, in order\n"
"      --chunk BYTES     split each stream into AUXTRACE buffers of at least\n"
"                        BYTES, cut after the next END or Timestamp packet\n"
"      --cut OFF[,OFF]   cut each stream at these offsets (repeatable)\n"
"      --meta v1|v2      SPE metadata version (default v1; v2 has per-CPU\n"
"                        MIDRs and is read wrongly by perf before 6.12)\n"
"      --midr [CPU:]HEX  MIDR of CPU, or of all CPUs; implies --meta v2\n"
"                        unless --meta v1 is given (repeatable)\n"
"      --cpuid TEXT      HEADER_CPUID text (default 0x%%016llx of the MIDR)\n"
"      --perf-version TEXT\n"
"                        HEADER_VERSION text; default \"spekit spe-mkperf:\n"
"                        SYNTHETIC data, not recorded by perf\", the mark\n"
"                        spetop goes by; other TEXT (e.g. 6.1.76, as perf\n"
"                        record writes) or '' makes an unmarked file\n"
"      --aux-flags [CPU/]OFF:FLAGS\n"
"                        PERF_RECORD_AUX flags for the buffer at OFF; FLAGS a\n"
"                        number or names: truncated,overwrite,partial,collision\n"
"      --no-aux          no PERF_RECORD_AUX per buffer (only --aux-flags ones)\n"
"      --lost N          add PERF_RECORD_LOST of N events\n"
"      --lost-samples N  add PERF_RECORD_LOST_SAMPLES of N samples\n"
"      --comm PID:TID:NAME            add PERF_RECORD_COMM (repeatable)\n"
"      --mmap2 PID:START:LEN:PGOFF:PATH add PERF_RECORD_MMAP2 (repeatable)\n"
"      --time-conv SHIFT:MULT:ZERO    add PERF_RECORD_TIME_CONV\n"
"      --pipe            pipe format (perf record -o -)\n"
"      --pmu-type N      SPE PMU type (default 8)\n"
"      --config N        attr.config (SPE filter bits, default 0)\n"
"  -h, --help            this text\n"
"\n"
"Numbers are decimal, 0x hex or 0-prefixed octal (HEX: hex, 0x optional),\n"
"with no sign or spaces.  Any refusal, a bad number included, is exit\n"
"status 2 with one line on stderr.\n";

struct input {
	const char *path;
	uint32_t cpu;
};

struct aux_flag {
	uint32_t cpu;
	bool has_cpu;
	uint64_t off, flags;
	bool used;
};

struct midr_opt {
	uint32_t cpu;
	bool has_cpu;
	uint64_t midr;
};

struct cfg {
	const char *out;
	struct input in[MAX_ITEMS];
	unsigned int nr_in;
	uint64_t chunk;
	uint64_t cuts[MAX_ITEMS];
	unsigned int nr_cuts;
	int meta;			/* 0: not given */
	struct midr_opt midr[MAX_ITEMS];
	unsigned int nr_midr;
	const char *cpuid;
	const char *perf_version;	/* NULL: the writer's marker */
	struct aux_flag af[MAX_ITEMS];
	unsigned int nr_af;
	bool no_aux;
	bool lost_set, lost_samples_set;
	uint64_t lost, lost_samples;
	char *comm[MAX_ITEMS];
	unsigned int nr_comm;
	char *mmap2[MAX_ITEMS];
	unsigned int nr_mmap2;
	bool time_conv_set;
	struct spe_pw_time_conv tc;
	bool pipe;
	uint32_t pmu_type;
	uint64_t config;
};

/* set once the output exists, so that a failure does not leave half a file */
static const char *remove_on_error;

__attribute__((format(printf, 1, 2), noreturn))
static void die(const char *fmt, ...)
{
	va_list ap;

	if (remove_on_error)
		unlink(remove_on_error);

	fputs("spe-mkperf: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/*
 * A number of option @opt (or of one of its fields, "--comm PID") in
 * [lo, hi], through spedrops' argnum.c as in the other tools: the whole
 * string, starting with a digit (strtoull alone took " -1" as 2^64-1),
 * no overflow.  Anything else is one line naming the option, the value
 * and what it takes.
 */
static uint64_t num_in(const char *opt, const char *s, int base, uint64_t lo, uint64_t hi)
{
	char top[24];
	uint64_t v;

	if (!sd_arg_u64(s, base, lo, hi, &v))
		return v;
	if (hi == UINT64_MAX)
		snprintf(top, sizeof(top), "2^64-1");
	else if (hi == UINT32_MAX)
		snprintf(top, sizeof(top), "2^32-1");
	else
		snprintf(top, sizeof(top), "%llu", (unsigned long long)hi);
	die("%s wants %s from %llu to %s%s, not '%s'", opt,
	    base == 16 ? "a hex number" : "a number", (unsigned long long)lo, top,
	    base == 16 ? " (0x optional)" : " (decimal or 0x hex)", s);
}

static uint64_t num(const char *opt, const char *s, int base)
{
	return num_in(opt, s, base, 0, UINT64_MAX);
}

/* CPUs, pids, tids and PMU types are 32 bits in perf's records and attr */
static uint32_t num32(const char *opt, const char *s)
{
	return (uint32_t)num_in(opt, s, 0, 0, UINT32_MAX);
}

/* Split @s at @sep into exactly @n fields (the last keeps any more seps) */
static void split(const char *opt, char *s, char sep, char **f, int n, const char *form)
{
	int i;

	for (i = 0; i < n - 1; i++) {
		char *p = strchr(s, sep);

		if (!p)
			die("%s: '%s' should look like %s", opt, s, form);
		*p = '\0';
		f[i] = s;
		s = p + 1;
	}
	f[n - 1] = s;
}

static uint64_t aux_flags(const char *s)
{
	static const struct { const char *name; uint64_t bit; } names[] = {
		{ "truncated", 0x1 }, { "overwrite", 0x2 },
		{ "partial", 0x4 }, { "collision", 0x8 },
	};
	char buf[256], *tok, *save = NULL;
	uint64_t v = 0;
	size_t i;

	if (s[0] >= '0' && s[0] <= '9')
		return num("--aux-flags FLAGS", s, 0);
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",|+", &save); tok; tok = strtok_r(NULL, ",|+", &save)) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strcmp(tok, names[i].name))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			die("--aux-flags: unknown flag '%s' (truncated, overwrite, partial, collision, or a number)",
			    tok);
		v |= names[i].bit;
	}
	return v;
}

enum {
	OPT_CPU = 256, OPT_CHUNK, OPT_CUT, OPT_META, OPT_MIDR, OPT_CPUID,
	OPT_AUX_FLAGS, OPT_NO_AUX, OPT_LOST, OPT_LOST_SAMPLES, OPT_COMM,
	OPT_MMAP2, OPT_TIME_CONV, OPT_PIPE, OPT_PMU_TYPE, OPT_CONFIG,
	OPT_PERF_VERSION,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "chunk", required_argument, NULL, OPT_CHUNK },
	{ "cut", required_argument, NULL, OPT_CUT },
	{ "meta", required_argument, NULL, OPT_META },
	{ "midr", required_argument, NULL, OPT_MIDR },
	{ "cpuid", required_argument, NULL, OPT_CPUID },
	{ "perf-version", required_argument, NULL, OPT_PERF_VERSION },
	{ "aux-flags", required_argument, NULL, OPT_AUX_FLAGS },
	{ "no-aux", no_argument, NULL, OPT_NO_AUX },
	{ "lost", required_argument, NULL, OPT_LOST },
	{ "lost-samples", required_argument, NULL, OPT_LOST_SAMPLES },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "mmap2", required_argument, NULL, OPT_MMAP2 },
	{ "time-conv", required_argument, NULL, OPT_TIME_CONV },
	{ "pipe", no_argument, NULL, OPT_PIPE },
	{ "pmu-type", required_argument, NULL, OPT_PMU_TYPE },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ NULL, 0, NULL, 0 },
};

static void too_many(const char *what)
{
	die("too many %s (max %d)", what, MAX_ITEMS);
}

static void parse_args(struct cfg *c, int argc, char **argv)
{
	bool next_cpu_set = false;
	uint32_t next_cpu = 0;
	char *f[5], *tok, *save;
	uint64_t zero;
	int opt;

	opterr = 0;
	/* '-' first: RAW files come back in order, so --cpu binds to the next */
	while ((opt = getopt_long(argc, argv, "-:o:h", long_opts, NULL)) != -1) {
		switch (opt) {
		case 1:
			if (c->nr_in == MAX_ITEMS)
				too_many("RAW files");
			if (!next_cpu_set && c->nr_in)
				next_cpu = c->in[c->nr_in - 1].cpu + 1;
			c->in[c->nr_in].path = optarg;
			c->in[c->nr_in++].cpu = next_cpu;
			next_cpu_set = false;
			break;
		case 'o':
			c->out = optarg;
			break;
		case 'h':
			printf(usage);
			exit(0);
		case OPT_CPU:
			next_cpu = num32("--cpu", optarg);
			next_cpu_set = true;
			break;
		case OPT_CHUNK:
			c->chunk = num_in("--chunk", optarg, 0, 1, UINT64_MAX);
			break;
		case OPT_CUT:
			for (tok = strtok_r(optarg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				if (c->nr_cuts == MAX_ITEMS)
					too_many("--cut offsets");
				c->cuts[c->nr_cuts++] = num("--cut", tok, 0);
			}
			break;
		case OPT_META:
			if (!strcmp(optarg, "v1") || !strcmp(optarg, "1"))
				c->meta = 1;
			else if (!strcmp(optarg, "v2") || !strcmp(optarg, "2"))
				c->meta = 2;
			else
				die("--meta: '%s' is not v1 or v2", optarg);
			break;
		case OPT_MIDR: {
			struct midr_opt *m;
			char *colon = strchr(optarg, ':');

			if (c->nr_midr == MAX_ITEMS)
				too_many("--midr");
			m = &c->midr[c->nr_midr++];
			if (colon) {
				*colon = '\0';
				m->cpu = num32("--midr CPU", optarg);
				m->has_cpu = true;
				m->midr = num("--midr", colon + 1, 16);
			} else {
				m->midr = num("--midr", optarg, 16);
			}
			break;
		}
		case OPT_CPUID:
			c->cpuid = optarg;
			break;
		case OPT_PERF_VERSION:
			c->perf_version = optarg;
			break;
		case OPT_AUX_FLAGS: {
			struct aux_flag *a;
			char *slash = strchr(optarg, '/');

			if (c->nr_af == MAX_ITEMS)
				too_many("--aux-flags");
			a = &c->af[c->nr_af++];
			if (slash) {
				*slash = '\0';
				a->cpu = num32("--aux-flags CPU", optarg);
				a->has_cpu = true;
				optarg = slash + 1;
			}
			split("--aux-flags", optarg, ':', f, 2, "[CPU/]OFFSET:FLAGS");
			a->off = num("--aux-flags OFFSET", f[0], 0);
			a->flags = aux_flags(f[1]);
			break;
		}
		case OPT_NO_AUX:
			c->no_aux = true;
			break;
		case OPT_LOST:
			c->lost = num("--lost", optarg, 0);
			c->lost_set = true;
			break;
		case OPT_LOST_SAMPLES:
			c->lost_samples = num("--lost-samples", optarg, 0);
			c->lost_samples_set = true;
			break;
		case OPT_COMM:
			if (c->nr_comm == MAX_ITEMS)
				too_many("--comm");
			c->comm[c->nr_comm++] = optarg;
			split("--comm", strdupa(optarg), ':', f, 3, "PID:TID:NAME");
			num32("--comm PID", f[0]);
			num32("--comm TID", f[1]);
			break;
		case OPT_MMAP2:
			if (c->nr_mmap2 == MAX_ITEMS)
				too_many("--mmap2");
			c->mmap2[c->nr_mmap2++] = optarg;
			split("--mmap2", strdupa(optarg), ':', f, 5, "PID:START:LEN:PGOFF:PATH");
			num32("--mmap2 PID", f[0]);
			num("--mmap2 START", f[1], 0);
			num("--mmap2 LEN", f[2], 0);
			num("--mmap2 PGOFF", f[3], 0);
			if (!*f[4])
				die("--mmap2: empty PATH");
			break;
		case OPT_TIME_CONV:
			split("--time-conv", optarg, ':', f, 3, "SHIFT:MULT:ZERO");
			c->tc.time_shift = num("--time-conv SHIFT", f[0], 0);
			c->tc.time_mult = num("--time-conv MULT", f[1], 0);
			c->tc.time_zero = num("--time-conv ZERO", f[2], 0);
			c->time_conv_set = true;
			break;
		case OPT_PIPE:
			c->pipe = true;
			break;
		case OPT_PMU_TYPE:
			/* 0 (in any spelling) has its own reason; the range
			 * line then says what else is refused */
			if (!sd_arg_u64(optarg, 0, 0, 0, &zero))
				die("--pmu-type: 0 is PERF_TYPE_HARDWARE, not an SPE PMU");
			c->pmu_type = (uint32_t)num_in("--pmu-type", optarg, 0, 1, UINT32_MAX);
			break;
		case OPT_CONFIG:
			c->config = num("--config", optarg, 0);
			break;
		case ':':
			die("%s needs an argument (see --help)", argv[optind - 1]);
		default:
			die("unknown option '%s' (see --help)", argv[optind - 1]);
		}
	}
	if (next_cpu_set)
		die("--cpu %u is not followed by a RAW file", next_cpu);
	if (!c->nr_in)
		die("no RAW input files (see --help)");
	if (!c->out)
		die("no output: give -o OUT");
	if (c->chunk && c->nr_cuts)
		die("--chunk and --cut do not mix: pick one way to cut");
}

/* The distinct CPUs, in order of first use: their queue numbers */
static unsigned int cpu_list(const struct cfg *c, struct spe_pw_cpu *cpus)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < c->nr_in; i++) {
		for (j = 0; j < n; j++)
			if (cpus[j].cpu == c->in[i].cpu)
				break;
		if (j == n) {
			memset(&cpus[n], 0, sizeof(cpus[n]));
			cpus[n++].cpu = c->in[i].cpu;
		}
	}
	return n;
}

static void set_midrs(const struct cfg *c, struct spe_pw_cpu *cpus, unsigned int n)
{
	uint64_t all = SPE_PW_DEFAULT_MIDR;
	unsigned int i, j;

	for (i = 0; i < c->nr_midr; i++)
		if (!c->midr[i].has_cpu)
			all = c->midr[i].midr;
	for (j = 0; j < n; j++)
		cpus[j].midr = all;
	for (i = 0; i < c->nr_midr; i++) {
		if (!c->midr[i].has_cpu)
			continue;
		for (j = 0; j < n; j++)
			if (cpus[j].cpu == c->midr[i].cpu)
				break;
		if (j == n)
			die("--midr %u:%llx: no RAW input is on CPU %u", c->midr[i].cpu,
			    (unsigned long long)c->midr[i].midr, c->midr[i].cpu);
		cpus[j].midr = c->midr[i].midr;
	}
}

struct raw {
	const uint8_t *p;
	size_t len;
	void *map;
};

static void raw_open(const char *path, struct raw *r)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st))
		die("%s: cannot stat: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		die("%s: is a directory, expected a raw SPE byte file", path);
	if (!S_ISREG(st.st_mode))
		die("%s: not a regular file (raw input must be a file)", path);
	if (st.st_size == 0)
		die("%s: empty file: no SPE bytes to wrap", path);
	r->len = (size_t)st.st_size;
	r->map = mmap(NULL, r->len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (r->map == MAP_FAILED)
		die("%s: cannot map: %s", path, strerror(errno));
	r->p = r->map;
	close(fd);
	if (r->len >= 8 && !memcmp(r->p, "PERFILE2", 8))
		die("%s: is already a perf.data file, not raw SPE bytes", path);
}

static void check(int ret, const char *err)
{
	if (ret)
		die("%s", err);
}

/* The AUX record before the buffer at @off of @cpu's stream */
static void emit_aux(struct cfg *c, struct spe_pw *w, const char *err, uint32_t cpu,
		     uint32_t first_cpu, uint64_t off, uint64_t size)
{
	uint64_t flags = 0;
	bool flagged = false;
	unsigned int i;

	for (i = 0; i < c->nr_af; i++) {
		struct aux_flag *a = &c->af[i];

		if ((a->has_cpu ? a->cpu : first_cpu) == cpu && a->off == off) {
			flags |= a->flags;
			flagged = true;
			a->used = true;
		}
	}
	if (flagged || !c->no_aux)
		check(spe_pw_aux(w, cpu, off, size, flags), err);
}

/* Cut one input into buffers; @base is the stream offset of its start */
static void emit_input(struct cfg *c, struct spe_pw *w, const char *err,
		       const struct input *in, uint32_t first_cpu)
{
	uint64_t base = spe_pw_next_offset(w, in->cpu);
	size_t pos = 0, end, dropped = 0;
	unsigned int i;
	struct raw r;

	raw_open(in->path, &r);
	while (pos < r.len) {
		end = r.len;
		if (c->chunk) {
			end = mkperf_chunk_end(r.p, r.len, pos, c->chunk);
		} else {
			/* the nearest cut beyond pos, in this input's range */
			for (i = 0; i < c->nr_cuts; i++)
				if (c->cuts[i] > base + pos && c->cuts[i] < base + end)
					end = (size_t)(c->cuts[i] - base);
		}
		emit_aux(c, w, err, in->cpu, first_cpu, base + pos, end - pos);
		check(spe_pw_auxtrace(w, in->cpu, r.p + pos, end - pos), err);
		pos = end;
		/* written: drop those pages, so big inputs do not pile up */
		if (pos - dropped >= (1u << 24)) {
			size_t to = pos & ~(size_t)0xfffff;

			madvise((uint8_t *)r.map + dropped, to - dropped, MADV_DONTNEED);
			dropped = to;
		}
	}
	munmap(r.map, r.len);
}

int main(int argc, char **argv)
{
	static struct cfg c;
	static struct spe_pw_cpu cpus[MAX_ITEMS];
	struct spe_pw_opts o = { 0 };
	char err[512], *f[5];
	struct spe_pw *w;
	unsigned int n, i;

	parse_args(&c, argc, argv);
	n = cpu_list(&c, cpus);
	set_midrs(&c, cpus, n);
	for (i = 0; i < c.nr_cuts; i++)
		if (!c.cuts[i])
			die("--cut 0: a stream already starts at 0");
	o.pmu_type = c.pmu_type;
	o.meta_version = c.meta ? (unsigned int)c.meta : (c.nr_midr ? 2 : 1);
	o.pipe = c.pipe;
	o.cpus = cpus;
	o.nr_cpus = n;
	o.config = c.config;
	o.time_conv = c.time_conv_set ? &c.tc : NULL;
	o.cpuid = c.cpuid;
	o.perf_version = c.perf_version;
	if (!c.pipe && !strcmp(c.out, "-"))
		die("-o -: a file-format perf.data cannot go to stdout; add --pipe");
	if (c.pipe && !strcmp(c.out, "-") && isatty(STDOUT_FILENO))
		die("refusing to write binary perf.data to a terminal");

	if (spe_pw_open(c.out, &o, &w, err, sizeof(err)))
		die("%s", err);
	if (strcmp(c.out, "-"))
		remove_on_error = c.out;
	/* what perf synthesizes at the start of a recording */
	for (i = 0; i < c.nr_comm; i++) {
		split("--comm", c.comm[i], ':', f, 3, "PID:TID:NAME");
		check(spe_pw_comm(w, num32("", f[0]), num32("", f[1]), f[2], false), err);
	}
	for (i = 0; i < c.nr_mmap2; i++) {
		split("--mmap2", c.mmap2[i], ':', f, 5, "PID:START:LEN:PGOFF:PATH");
		check(spe_pw_mmap2(w, num32("", f[0]), num32("", f[0]), num("", f[1], 0),
				   num("", f[2], 0), num("", f[3], 0), f[4]), err);
	}
	for (i = 0; i < c.nr_in; i++)
		emit_input(&c, w, err, &c.in[i], c.in[0].cpu);
	for (i = 0; i < c.nr_af; i++)
		if (!c.af[i].used)
			die("--aux-flags: no buffer starts at offset %llu on CPU %u (buffers start at 0 and where --chunk/--cut cut)",
			    (unsigned long long)c.af[i].off,
			    c.af[i].has_cpu ? c.af[i].cpu : c.in[0].cpu);
	if (c.lost_set)
		check(spe_pw_lost(w, cpus[0].cpu, c.lost), err);
	if (c.lost_samples_set)
		check(spe_pw_lost_samples(w, cpus[0].cpu, c.lost_samples), err);
	check(spe_pw_finished_round(w), err);
	if (spe_pw_close(w))
		die("%s", err);
	return 0;
}
