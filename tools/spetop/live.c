// SPDX-License-Identifier: GPL-2.0-only
/*
 * live: SPE PMU discovery, perf_event_attr from filters, per-CPU events,
 * their rings, and the poll loop (see live.h).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "live.h"
#include "pmu.h"

/* ---- sysfs text ---------------------------------------------------------- */

/* @a/@b into @out; false when it does not fit */
static bool join(char *out, size_t len, const char *a, const char *b)
{
	int n = snprintf(out, len, "%s/%s", a, b);

	return n > 0 && (size_t)n < len;
}

/* Copy a string, cut to fit */
static void copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static long read_long(const char *path)
{
	char buf[64], *end;
	long v;

	if (sd_read_text(path, buf, sizeof(buf)))
		return LIVE_UNKNOWN;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (end == buf || errno)
		return LIVE_UNKNOWN;
	return v;
}

/* ---- format/ fields ---------------------------------------------------------- */

static int parse_uint(const char **sp, unsigned int *v)
{
	const char *s = *sp;
	unsigned int n = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		n = n * 10 + (unsigned int)(*s - '0');
		if (n > 1000000)	/* bit numbers are small */
			return -1;
		s++;
	}
	*sp = s;
	*v = n;
	return 0;
}

int live_field_parse(const char *text, struct live_field *f)
{
	const char *s = text;
	uint64_t mask = 0;
	unsigned int word = 0;

	if (strncmp(s, "config", 6))
		return -1;
	s += 6;
	if (*s >= '0' && *s <= '9') {
		word = (unsigned int)(*s - '0');
		s++;
		if (word > 3 || word == 0)	/* "config0" is not sysfs's spelling */
			return -1;
	}
	if (*s++ != ':')
		return -1;
	for (;;) {
		unsigned int lo, hi;

		if (parse_uint(&s, &lo))
			return -1;
		hi = lo;
		if (*s == '-') {
			s++;
			if (parse_uint(&s, &hi))
				return -1;
		}
		if (lo > hi || hi > 63)
			return -1;
		mask |= (hi == 63 ? ~0ULL : (1ULL << (hi + 1)) - 1) & ~((1ULL << lo) - 1);
		if (*s != ',')
			break;
		s++;
	}
	while (*s == '\n' || *s == ' ' || *s == '\t')
		s++;
	if (*s)
		return -1;
	f->word = (uint8_t)word;
	f->mask = mask;
	return 0;
}

uint64_t live_field_max(const struct live_field *f)
{
	unsigned int n = (unsigned int)__builtin_popcountll(f->mask);

	return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

int live_field_put(const struct live_field *f, uint64_t value, uint64_t config[4])
{
	uint64_t m = f->mask, out = 0;
	unsigned int i = 0;

	if (value > live_field_max(f) || f->word > 3)
		return -1;
	while (m) {
		uint64_t bit = m & -m;

		if (value & (1ULL << i))
			out |= bit;
		m &= m - 1;
		i++;
	}
	config[f->word] = (config[f->word] & ~f->mask) | out;
	return 0;
}

void live_field_str(const struct live_field *f, char *buf, size_t len)
{
	size_t n;
	int lo = -1, b;

	if (f->word)
		n = (size_t)snprintf(buf, len, "config%u:", (unsigned int)f->word);
	else
		n = (size_t)snprintf(buf, len, "config:");
	for (b = 0; b <= 64 && n < len; b++) {
		bool set = b < 64 && (f->mask >> b) & 1;

		if (set && lo < 0)
			lo = b;
		if (!set && lo >= 0) {
			const char *sep = buf[n - 1] == ':' ? "" : ",";

			if (lo == b - 1)
				n += (size_t)snprintf(buf + n, len - n, "%s%d", sep, lo);
			else
				n += (size_t)snprintf(buf + n, len - n, "%s%d-%d", sep, lo, b - 1);
			lo = -1;
		}
	}
}

const struct live_field *live_pmu_field(const struct live_pmu *p, const char *name)
{
	unsigned int i;

	for (i = 0; i < p->nfields; i++)
		if (!strcmp(p->fields[i].name, name))
			return &p->fields[i];
	return NULL;
}

const struct live_cap *live_pmu_cap(const struct live_pmu *p, const char *name)
{
	unsigned int i;

	for (i = 0; i < p->ncaps; i++)
		if (!strcmp(p->caps[i].name, name))
			return &p->caps[i];
	return NULL;
}

uint64_t live_pmu_min_interval(const struct live_pmu *p)
{
	const struct live_cap *c = live_pmu_cap(p, "min_interval");

	return c && c->is_num ? c->value : 0;
}

/* ---- PMU discovery -------------------------------------------------------- */

static int load_fields(const char *dir, struct live_pmu *p, char *err, size_t errlen)
{
	char path[4096], text[256];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return 0;	/* no format/: no fields */
	while ((de = readdir(d))) {
		struct live_field f;

		if (de->d_name[0] == '.')
			continue;
		if (!join(path, sizeof(path), dir, de->d_name) ||
		    sd_read_text(path, text, sizeof(text)))
			continue;
		memset(&f, 0, sizeof(f));
		if (live_field_parse(text, &f)) {
			snprintf(err, errlen, "%s/%s: cannot parse \"%.60s\" (expected configN:lo-hi)",
				 p->name, de->d_name, text);
			closedir(d);
			return -1;
		}
		if (p->nfields == LIVE_MAX_FIELDS || strlen(de->d_name) >= sizeof(f.name))
			continue;
		copy_str(f.name, sizeof(f.name), de->d_name);
		p->fields[p->nfields++] = f;
	}
	closedir(d);
	return 0;
}

static void load_caps(const char *dir, struct live_pmu *p)
{
	char path[4096], text[64], *end;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct live_cap *c;

		if (de->d_name[0] == '.' || p->ncaps == LIVE_MAX_CAPS ||
		    strlen(de->d_name) >= sizeof(c->name))
			continue;
		if (!join(path, sizeof(path), dir, de->d_name) ||
		    sd_read_text(path, text, sizeof(text)))
			continue;
		c = &p->caps[p->ncaps++];
		memset(c, 0, sizeof(*c));
		copy_str(c->name, sizeof(c->name), de->d_name);
		copy_str(c->text, sizeof(c->text), text);
		errno = 0;
		c->value = strtoull(text, &end, 0);
		c->is_num = end != text && !*end && !errno;
	}
	closedir(d);
}

int live_pmu_load(const char *root, const char *name, struct live_pmu *p,
		  char *err, size_t errlen)
{
	char dir[4096], path[4200], text[4096], cerr[256];
	bool possible = false;
	__u32 type = 0;
	int r;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(dir, sizeof(dir), "%s/bus/event_source/devices/%s", root, name);

	r = sd_pmu_read_type(root, name, &type, text, sizeof(text));
	if (r == SD_PMU_TYPE_BAD) {
		snprintf(err, errlen, "%s/type: not a PMU type number (\"%.20s\")", name, text);
		return -1;
	}
	if (r) {
		snprintf(err, errlen, "%s/type: %s", name, strerror(-r));
		return -1;
	}
	p->type = type;

	/* cpumask, else every possible CPU (the driver always has one) */
	snprintf(path, sizeof(path), "%s/cpumask", dir);
	if (sd_read_text(path, text, sizeof(text))) {
		possible = true;
		snprintf(path, sizeof(path), "%s/devices/system/cpu/possible", root);
		if (sd_read_text(path, text, sizeof(text)))
			snprintf(text, sizeof(text), "0");
	}
	/* the file it came from, then the parser's phrase (the bad entry) */
	if (sd_cpulist_parse_sysfs(text, &p->cpus, cerr, sizeof(cerr))) {
		if (possible)
			snprintf(err, errlen, "%s: no cpumask; devices/system/cpu/possible: %s",
				 name, cerr);
		else
			snprintf(err, errlen, "%s/cpumask: %s", name, cerr);
		return -1;
	}
	p->ncpus = sd_cpuset_count(&p->cpus);

	snprintf(path, sizeof(path), "%s/format", dir);
	if (load_fields(path, p, err, errlen))
		return -1;
	snprintf(path, sizeof(path), "%s/caps", dir);
	load_caps(path, p);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	const struct live_pmu *x = a, *y = b;

	return strcmp(x->name, y->name);
}

void live_no_pmu_msg(const char *root, const char *machine, const char *why,
		     char *buf, size_t len)
{
	bool arm64 = !machine || !strcmp(machine, "aarch64") || !strcmp(machine, "arm64");

	sd_pmu_none_line(root, why,
			 !arm64 ? "SPE is an Arm64 feature (Armv8.2+ CPUs); run spetop on an "
				  "arm64 machine with SPE" :
			 "this CPU has no SPE, or the driver is not loaded: modprobe arm_spe_pmu; "
			 "on cloud instances SPE needs a bare-metal instance type; if dmesg says "
			 "\"profiling buffer inaccessible\", KPTI is on: boot with kpti=off",
			 buf, len);
}

struct discovery {
	struct live_pmu *pmus;
	unsigned int max, n;
	char bad[384];		/* the first unusable entry's problem: room for a
				 * PMU name, a file and a cpulist.h phrase */
};

static void add_pmu(void *ctx, const char *root, const char *name)
{
	struct discovery *d = ctx;
	char e[384];

	if (d->n == d->max)
		return;
	if (live_pmu_load(root, name, &d->pmus[d->n], e, sizeof(e))) {
		if (!d->bad[0])
			snprintf(d->bad, sizeof(d->bad), "%s", e);
		return;
	}
	d->n++;
}

/* The no-PMU line for this machine (uname says whether it is arm64) */
static void no_pmu(const char *root, const char *why, char *err, size_t errlen)
{
	struct utsname u;

	live_no_pmu_msg(root, uname(&u) ? NULL : u.machine, why, err, errlen);
}

int live_pmu_discover(const char *root, struct live_pmu *pmus, unsigned int max,
		      char *err, size_t errlen)
{
	struct discovery d = { .pmus = pmus, .max = max };

	sd_pmu_each(root, add_pmu, &d);
	if (d.n) {
		qsort(pmus, d.n, sizeof(pmus[0]), by_name);
		return (int)d.n;
	}
	no_pmu(root, d.bad[0] ? d.bad : NULL, err, errlen);
	return 0;
}

/* ---- attrs -------------------------------------------------------------------- */

/* Set a named field; a missing one is an error naming it and what needs it */
static int put_field(const struct live_pmu *pmu, uint64_t config[4], const char *field,
		     uint64_t value, const char *what, char *err, size_t errlen)
{
	const struct live_field *f = live_pmu_field(pmu, field);
	char where[64];

	if (!f) {
		snprintf(err, errlen, "%s has no format/%s, needed for %s: this SPE driver "
			 "(or CPU) does not offer it; drop that option or update the kernel",
			 pmu->name, field, what);
		return -1;
	}
	if (live_field_put(f, value, config)) {
		live_field_str(f, where, sizeof(where));
		snprintf(err, errlen, "%s %" PRIu64 " does not fit %s's format/%s (%s, at most "
			 "%" PRIu64 "): use a smaller value",
			 what, value, pmu->name, field, where, live_field_max(f));
		return -1;
	}
	return 0;
}

int live_build_attr(const struct live_pmu *pmu, const struct live_opts *o,
		    struct live_attr *out, char *err, size_t errlen)
{
	uint64_t config[4] = { 0, 0, 0, 0 };
	uint64_t min = live_pmu_min_interval(pmu), interval = o->interval;
	struct perf_event_attr *a = &out->attr;
	const struct live_cap *evcap;

	memset(out, 0, sizeof(*out));
	if (o->exclude_user && o->exclude_kernel) {
		snprintf(err, errlen, "excluding both user and kernel code leaves nothing to "
			 "sample: drop one of the two exclusions");
		return -1;
	}
	if (!interval)
		interval = min ? min : LIVE_DEFAULT_INTERVAL;
	if (interval < min) {
		snprintf(err, errlen, "sampling interval %" PRIu64 " is below %s's minimum "
			 "%" PRIu64 " (caps/min_interval): use an interval of at least %" PRIu64,
			 interval, pmu->name, min, min);
		return -1;
	}
	if (interval > LIVE_MAX_INTERVAL) {
		snprintf(err, errlen, "sampling interval %" PRIu64 " is above SPE's maximum "
			 "%llu (PMSIRR_EL1.INTERVAL): use a smaller interval",
			 interval, LIVE_MAX_INTERVAL);
		return -1;
	}
	if (o->ts && put_field(pmu, config, "ts_enable", 1, "timestamps", err, errlen))
		return -1;
	if (o->pa && put_field(pmu, config, "pa_enable", 1, "physical addresses", err, errlen))
		return -1;
	if (o->pct && put_field(pmu, config, "pct_enable", 1, "physical timestamps",
				err, errlen))
		return -1;
	if (o->jitter && put_field(pmu, config, "jitter", 1, "interval jitter", err, errlen))
		return -1;
	if (o->loads && put_field(pmu, config, "load_filter", 1, "the load filter",
				  err, errlen))
		return -1;
	if (o->stores && put_field(pmu, config, "store_filter", 1, "the store filter",
				   err, errlen))
		return -1;
	if (o->branches && put_field(pmu, config, "branch_filter", 1, "the branch filter",
				     err, errlen))
		return -1;
	if (o->min_latency && put_field(pmu, config, "min_latency", o->min_latency,
					"minimum latency", err, errlen))
		return -1;
	if (o->event_filter) {
		evcap = live_pmu_cap(pmu, "event_filter");
		if (evcap && evcap->is_num && (o->event_filter & ~evcap->value)) {
			snprintf(err, errlen, "event filter 0x%" PRIx64 " asks for events %s cannot "
				 "filter on (0x%" PRIx64 "; caps/event_filter is 0x%" PRIx64 "): "
				 "drop those bits", o->event_filter, pmu->name,
				 o->event_filter & ~evcap->value, evcap->value);
			return -1;
		}
		if (put_field(pmu, config, "event_filter", o->event_filter, "the event filter",
			      err, errlen))
			return -1;
	}

	a->type = pmu->type;
	a->size = sizeof(*a);
	a->config = config[0];
	a->config1 = config[1];
	a->config2 = config[2];
	out->config3 = config[3];
	a->sample_period = interval;
	a->sample_type = LIVE_SAMPLE_TYPE;
	a->sample_id_all = 1;
	a->disabled = 1;
	a->exclude_user = o->exclude_user;
	a->exclude_kernel = o->exclude_kernel;
	a->exclude_hv = o->exclude_kernel;
	a->comm = o->comm;
	a->comm_exec = o->comm;
	a->mmap = o->mmap;
	a->mmap2 = o->mmap;
	a->context_switch = o->context_switch;
	return 0;
}

/* ---- errno messages (pure) ------------------------------------------------------ */

const char *live_errno_name(int err)
{
	switch (err) {
	case EPERM:	return "EPERM";
	case ENOENT:	return "ENOENT";
	case ESRCH:	return "ESRCH";
	case EINTR:	return "EINTR";
	case E2BIG:	return "E2BIG";
	case EBADF:	return "EBADF";
	case ENOMEM:	return "ENOMEM";
	case EACCES:	return "EACCES";
	case EFAULT:	return "EFAULT";
	case EBUSY:	return "EBUSY";
	case ENODEV:	return "ENODEV";
	case EINVAL:	return "EINVAL";
	case ENFILE:	return "ENFILE";
	case EMFILE:	return "EMFILE";
	case ENOSPC:	return "ENOSPC";
	case ENOSYS:	return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EOVERFLOW:	return "EOVERFLOW";
	default:	return NULL;
	}
}

/* " on CPU 3" / " for PID 42" */
static void where_str(const struct live_errctx *c, char *buf, size_t len)
{
	if (c->cpu >= 0)
		snprintf(buf, len, " on CPU %d", c->cpu);
	else if (c->pid > 0)
		snprintf(buf, len, " for PID %d", c->pid);
	else
		buf[0] = '\0';
}

static void msg_denied(const struct live_errctx *c, const char *pmu, const char *at,
		       const char *en, char *buf, size_t len)
{
	bool cpu_wide = c->cpu >= 0 && c->pid <= 0;
	int need = cpu_wide ? 0 : c->kernel ? 1 : 2;
	const char *what = cpu_wide ? "system-wide sampling" :
			   c->kernel ? "sampling kernel code" : "sampling user code";

	if (c->paranoid != LIVE_UNKNOWN && c->paranoid > need) {
		snprintf(buf, len, "perf_event_open of %s%s denied (%s): "
			 "kernel.perf_event_paranoid is %d and %s needs %d or less: run as root "
			 "or with CAP_PERFMON, or sysctl -w kernel.perf_event_paranoid=%d",
			 pmu, at, en, c->paranoid, what, need, need);
	} else if (c->pa || c->pct) {
		snprintf(buf, len, "perf_event_open of %s%s denied (%s): the SPE driver gives "
			 "%s only to privileged users: run as root or with CAP_PERFMON, or "
			 "drop that option", pmu, at, en,
			 c->pa && c->pct ? "physical addresses and physical timestamps" :
			 c->pa ? "physical addresses" : "physical timestamps");
	} else if (c->pid > 0) {
		snprintf(buf, len, "perf_event_open of %s%s denied (%s): you may not trace "
			 "that process: run as its owner, as root, or with CAP_PERFMON and "
			 "CAP_SYS_PTRACE", pmu, at, en);
	} else if (c->err == EPERM) {
		snprintf(buf, len, "perf_event_open of %s%s not permitted (EPERM): a security "
			 "policy forbids perf (kernel lockdown, SELinux, or a container's "
			 "seccomp filter): run on the host as root, or allow perf_event_open",
			 pmu, at);
	} else {
		char p[32] = "unknown";

		if (c->paranoid != LIVE_UNKNOWN)
			snprintf(p, sizeof(p), "%d", c->paranoid);
		snprintf(buf, len, "perf_event_open of %s%s denied (%s): run as root or with "
			 "CAP_PERFMON (kernel.perf_event_paranoid is %s); a security module "
			 "(lockdown, SELinux) may also forbid perf", pmu, at, en, p);
	}
}

static void msg_open(const struct live_errctx *c, const char *pmu, const char *at,
		     const char *en, char *buf, size_t len)
{
	switch (c->err) {
	case EACCES:
	case EPERM:
		msg_denied(c, pmu, at, en, buf, len);
		break;
	case ENOENT:
		snprintf(buf, len, "%s does not accept events%s (ENOENT): the CPU is outside "
			 "the PMU's cpumask, or the PMU went away (driver reloaded): check "
			 "/sys/bus/event_source/devices/%s/cpumask, modprobe arm_spe_pmu and "
			 "restart", pmu, at, pmu);
		break;
	case ENODEV:
		snprintf(buf, len, "%s%s: the CPU is offline or has no SPE (ENODEV): bring it "
			 "online or leave it out of the CPU list", pmu, at);
		break;
	case EOPNOTSUPP:
		snprintf(buf, len, "%s cannot sample with these settings%s (EOPNOTSUPP): a "
			 "filter this CPU's SPE lacks (see caps/), or an interval below "
			 "caps/min_interval (%" PRIu64 "; asked %" PRIu64 "): drop the filter or "
			 "raise the interval", pmu, at, c->min_interval, c->interval);
		break;
	case EINVAL:
		snprintf(buf, len, "%s rejected the event%s (EINVAL): an invalid filter "
			 "combination or interval (config 0x%" PRIx64 ", config1 0x%" PRIx64
			 ", config2 0x%" PRIx64 ", interval %" PRIu64 ", caps/min_interval "
			 "%" PRIu64 "): check the values against the PMU's format/ and caps/",
			 pmu, at, c->config[0], c->config[1], c->config[2], c->interval,
			 c->min_interval);
		break;
	case EBUSY:
		snprintf(buf, len, "%s is busy%s (EBUSY): another SPE session holds it (perf "
			 "record -e arm_spe, another spetop): stop it and retry", pmu, at);
		break;
	case EMFILE:
		if (c->nofile != LIVE_UNKNOWN)
			snprintf(buf, len, "out of file descriptors (EMFILE) after %u of %u "
				 "events: the limit is %ld; raise it, e.g. ulimit -n %ld",
				 c->opened, c->nevents, c->nofile,
				 (long)c->nevents * 2 + 64 > c->nofile * 2 ?
				 (long)c->nevents * 2 + 64 : c->nofile * 2);
		else
			snprintf(buf, len, "out of file descriptors (EMFILE) after %u of %u "
				 "events: raise the limit, e.g. ulimit -n %u",
				 c->opened, c->nevents, c->nevents * 2 + 64);
		break;
	case ENFILE:
		snprintf(buf, len, "the system is out of file descriptors (ENFILE): raise "
			 "fs.file-max (sysctl -w fs.file-max=...) or close files");
		break;
	case ESRCH:
		snprintf(buf, len, "process %d does not exist (ESRCH): check the PID", c->pid);
		break;
	case E2BIG:
		snprintf(buf, len, "the kernel does not know this perf_event_attr (E2BIG): it "
			 "predates a field asked for (config3 needs Linux 6.3): drop the inverted "
			 "event filter or update the kernel");
		break;
	case ENOSYS:
		snprintf(buf, len, "perf_event_open is not available (ENOSYS): the kernel is "
			 "built without CONFIG_PERF_EVENTS: use a kernel with perf events");
		break;
	case ENOMEM:
		snprintf(buf, len, "the kernel is out of memory opening %s%s (ENOMEM): free "
			 "memory and retry", pmu, at);
		break;
	default:
		snprintf(buf, len, "perf_event_open of %s%s failed: %s (%s): unexpected; "
			 "report it with uname -r", pmu, at, strerror(c->err), en);
	}
}

static void msg_mmap(const struct live_errctx *c, const char *pmu, const char *at,
		     const char *en, char *buf, size_t len)
{
	bool aux = c->stage == LIVE_ST_MMAP_AUX;
	const char *what = aux ? "the AUX buffer" : "the perf data ring";
	uint64_t kb = aux ? c->aux_kb : c->data_kb;
	uint64_t want = c->aux_kb + c->data_kb + 4;	/* per event, the control page too */
	char lim[48] = "";

	if (c->mlock_kb != LIVE_UNKNOWN)
		snprintf(lim, sizeof(lim), " is %ld KiB", c->mlock_kb);
	switch (c->err) {
	case EPERM:
		snprintf(buf, len, "mapping %s (%" PRIu64 " KiB)%s exceeds the locked-memory "
			 "limit (EPERM): kernel.perf_event_mlock_kb%s per CPU (plus ulimit -l): "
			 "raise it (sysctl -w kernel.perf_event_mlock_kb=%" PRIu64 "), use a "
			 "smaller buffer, or run as root (CAP_IPC_LOCK)",
			 what, kb, at, lim, want);
		break;
	case ENOMEM:
		snprintf(buf, len, "no memory for %s (%" PRIu64 " KiB)%s (ENOMEM): use a "
			 "smaller buffer, or raise kernel.perf_event_mlock_kb%s (to %" PRIu64 ") "
			 "and ulimit -l if they cap it", what, kb, at, lim, want);
		break;
	case EINVAL:
		snprintf(buf, len, "the kernel refused the size of %s (%" PRIu64 " KiB)%s "
			 "(EINVAL): use a power of 2 number of pages%s",
			 what, kb, at, aux ? ", at least 2 (the SPE driver refuses one)" : "");
		break;
	case EBUSY:
		snprintf(buf, len, "%s of %s%s is already mapped (EBUSY): another mapping of "
			 "the event exists; restart", what, pmu, at);
		break;
	case EOPNOTSUPP:
		snprintf(buf, len, "%s has no AUX area%s (EOPNOTSUPP): it is not an SPE PMU; "
			 "check the type in /sys/bus/event_source/devices/%s", pmu, at, pmu);
		break;
	default:
		snprintf(buf, len, "mapping %s of %s%s failed: %s (%s): unexpected; report it "
			 "with uname -r", what, pmu, at, strerror(c->err), en);
	}
}

const char *live_strerror(const struct live_errctx *c, char *buf, size_t len)
{
	const char *pmu = c->pmu ? c->pmu : "arm_spe";
	const char *en = live_errno_name(c->err);
	char at[32], enbuf[16];

	if (!en) {
		snprintf(enbuf, sizeof(enbuf), "errno %d", c->err);
		en = enbuf;
	}
	where_str(c, at, sizeof(at));
	switch (c->stage) {
	case LIVE_ST_OPEN:
		msg_open(c, pmu, at, en, buf, len);
		break;
	case LIVE_ST_MMAP:
	case LIVE_ST_MMAP_AUX:
		msg_mmap(c, pmu, at, en, buf, len);
		break;
	default:
		snprintf(buf, len, "enabling %s%s failed: %s (%s): the event could not start; "
			 "check dmesg for arm_spe_pmu messages", pmu, at, strerror(c->err), en);
	}
	return buf;
}

/* ---- the capture ------------------------------------------------------------------ */

struct live {
	struct live_pmu pmus[LIVE_MAX_PMUS];
	unsigned int npmus;
	struct live_stream *st;
	unsigned int nst;
	struct pollfd *pfd;
	long page;
	/* the callbacks of the live_poll() in progress */
	const struct live_ops *ops;
	void *ctx;
};

unsigned int live_nstreams(const struct live *l)
{
	return l->nst;
}

const struct live_stream *live_stream(const struct live *l, unsigned int idx)
{
	return idx < l->nst ? &l->st[idx] : NULL;
}

unsigned int live_npmus(const struct live *l)
{
	return l->npmus;
}

const struct live_pmu *live_pmu(const struct live *l, unsigned int i)
{
	return i < l->npmus ? &l->pmus[i] : NULL;
}

void live_drops(const struct live *l, struct ring_drops *sum)
{
	unsigned int i, k;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < l->nst; i++) {
		const uint64_t *src = (const uint64_t *)&l->st[i].drops;
		uint64_t *dst = (uint64_t *)sum;

		for (k = 0; k < sizeof(*sum) / sizeof(uint64_t); k++)
			dst[k] += src[k];
	}
}

static void stream_unmap(struct live_stream *s)
{
	if (s->aux)
		munmap(s->aux, s->aux_len);
	if (s->base)
		munmap(s->base, s->base_len);
	if (s->fd >= 0)
		close(s->fd);
	free(s->ring);
	s->aux = s->base = NULL;
	s->ring = NULL;
	s->fd = -1;
}

void live_close(struct live *l)
{
	unsigned int i;

	if (!l)
		return;
	for (i = 0; i < l->nst; i++) {
		if (l->st[i].fd >= 0)
			ioctl(l->st[i].fd, PERF_EVENT_IOC_DISABLE, 0);
		stream_unmap(&l->st[i]);
	}
	free(l->st);
	free(l->pfd);
	free(l);
}

static bool is_pow2(unsigned int x)
{
	return x && !(x & (x - 1));
}

static int sys_perf_event_open(void *attr, int pid, int cpu)
{
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

/* Fill the parts of the error context only the running system knows */
static void errctx_sys(struct live_errctx *c)
{
	struct rlimit rl;

	c->paranoid = (int)read_long("/proc/sys/kernel/perf_event_paranoid");
	c->mlock_kb = read_long("/proc/sys/kernel/perf_event_mlock_kb");
	c->nofile = LIVE_UNKNOWN;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur != RLIM_INFINITY)
		c->nofile = (long)rl.rlim_cur;
}

/* The CPUs to open on for @pmu: its cpumask, within -C when given */
static int stream_cpus(const struct live_pmu *pmu, const struct sd_cpuset *keep, int *cpus)
{
	unsigned int c;
	int n = 0;

	for (c = 0; c < pmu->cpus.max; c++)
		if (sd_cpuset_has(&pmu->cpus, c) && (!keep || sd_cpuset_has(keep, c)))
			cpus[n++] = (int)c;
	return n;
}

static int open_stream(struct live *l, struct live_stream *s, const struct live_attr *la,
		       const struct live_opts *o, struct live_errctx *ec)
{
	unsigned int data_pages = o->data_pages ? o->data_pages : 16;
	unsigned int aux_pages = o->aux_pages ? o->aux_pages : 128;
	volatile struct perf_event_mmap_page *pg;
	union {
		struct perf_event_attr attr;
		uint8_t raw[256];
	} a;
	uint64_t data_off, data_size;

	memset(&a, 0, sizeof(a));
	memcpy(&a.attr, &la->attr, sizeof(la->attr));
	if (la->config3) {
		/* PERF_ATTR_SIZE_VER8: config3 follows sig_data */
		memcpy(a.raw + 128, &la->config3, 8);
		a.attr.size = 136;
	}
	ec->data_kb = (uint64_t)data_pages * (uint64_t)l->page / 1024;
	ec->aux_kb = (uint64_t)aux_pages * (uint64_t)l->page / 1024;

	ec->stage = LIVE_ST_OPEN;
	s->fd = sys_perf_event_open(&a, s->pid > 0 ? s->pid : -1, s->cpu);
	if (s->fd < 0)
		return -errno;

	ec->stage = LIVE_ST_MMAP;
	s->base_len = (size_t)(1 + data_pages) * (size_t)l->page;
	s->base = mmap(NULL, s->base_len, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (s->base == MAP_FAILED) {
		s->base = NULL;
		return -errno;
	}
	pg = s->base;
	data_off = pg->data_offset ? pg->data_offset : (uint64_t)l->page;
	data_size = pg->data_size ? pg->data_size : (uint64_t)data_pages * (uint64_t)l->page;
	if (data_off + data_size > s->base_len)
		return -EINVAL;

	ec->stage = LIVE_ST_MMAP_AUX;
	if (o->no_aux)
		goto ring;
	s->aux_len = (size_t)aux_pages * (size_t)l->page;
	pg->aux_offset = s->base_len;
	pg->aux_size = s->aux_len;
	s->aux = mmap(NULL, s->aux_len, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd,
		      (off_t)s->base_len);
	if (s->aux == MAP_FAILED) {
		s->aux = NULL;
		return -errno;
	}
ring:
	s->ring = calloc(1, sizeof(*s->ring));
	if (!s->ring)
		return -ENOMEM;
	if (ring_view_init(s->ring, pg, (const uint8_t *)s->base + data_off, data_size,
			   s->aux, s->aux_len, la->attr.sample_type,
			   la->attr.sample_id_all))
		return -EINVAL;
	return 0;
}

/*
 * Keep the PMUs of @pmus that @o names (all when it names none) in @l.
 * The caller discovered them; a copy, so the streams' pmu pointers stay
 * valid however long the caller keeps its list.
 */
static int pick_pmus(struct live *l, const struct live_pmu *pmus, unsigned int npmus,
		     const struct live_opts *o, char *err, size_t errlen)
{
	unsigned int i;
	size_t m;

	if (!npmus) {
		/* what live_pmu_discover() said when it found none */
		no_pmu(sd_sysfs_root(), NULL, err, errlen);
		return -1;
	}
	for (i = 0; i < npmus && l->npmus < LIVE_MAX_PMUS; i++)
		if (!o->pmu || !strcmp(o->pmu, pmus[i].name))
			l->pmus[l->npmus++] = pmus[i];
	if (l->npmus)
		return 0;
	m = (size_t)snprintf(err, errlen, "no PMU named %s: this machine has", o->pmu);
	for (i = 0; i < npmus && m < errlen; i++)
		m += (size_t)snprintf(err + m, errlen - m, " %s", pmus[i].name);
	return -1;
}

int live_open(struct live **lp, const struct live_pmu *pmus, unsigned int npmus,
	      const struct live_opts *o, char *err, size_t errlen)
{
	struct live_attr attrs[LIVE_MAX_PMUS];
	struct sd_cpuset *keep = NULL;
	unsigned int i, k, nst = 0;
	struct live *l;
	int *cpus = NULL;
	struct live_errctx ec;
	char cerr[256];

	*lp = NULL;
	if ((o->data_pages && !is_pow2(o->data_pages)) ||
	    (o->aux_pages && (!is_pow2(o->aux_pages) || o->aux_pages < 2))) {
		snprintf(err, errlen, "buffer sizes must be powers of 2 pages (data %u, AUX %u; "
			 "AUX at least 2): pick e.g. 16 and 128", o->data_pages, o->aux_pages);
		return -1;
	}
	l = calloc(1, sizeof(*l));
	cpus = calloc(LIVE_MAX_CPUS, sizeof(*cpus));
	keep = calloc(1, sizeof(*keep));
	if (!l || !cpus || !keep) {
		snprintf(err, errlen, "out of memory setting up the capture: free memory");
		goto fail;
	}
	l->page = sysconf(_SC_PAGESIZE);

	if (pick_pmus(l, pmus, npmus, o, err, errlen))
		goto fail;
	/* spetop's options checked the list already; other callers get the
	 * same words */
	if (o->cpus && sd_cpulist_parse(o->cpus, keep, cerr, sizeof(cerr))) {
		snprintf(err, errlen, "-C: %s", cerr);
		goto fail;
	}
	for (i = 0; i < l->npmus; i++)
		if (live_build_attr(&l->pmus[i], o, &attrs[i], err, errlen))
			goto fail;

	/* the streams: one per CPU per PMU, or one per PMU for a task */
	for (i = 0; i < l->npmus; i++)
		nst += o->pid > 0 ? 1 : (unsigned int)stream_cpus(&l->pmus[i],
								o->cpus ? keep : NULL, cpus);
	if (!nst) {
		snprintf(err, errlen, "no CPU left to sample: the CPU list \"%s\" has none of "
			 "the SPE PMUs' CPUs (see their cpumask): pick CPUs from it",
			 o->cpus ? o->cpus : "");
		goto fail;
	}
	l->st = calloc(nst, sizeof(*l->st));
	l->pfd = calloc(nst, sizeof(*l->pfd));
	if (!l->st || !l->pfd) {
		snprintf(err, errlen, "out of memory setting up the capture: free memory");
		goto fail;
	}
	for (i = 0; i < nst; i++)
		l->st[i].fd = -1;
	for (i = 0; i < l->npmus; i++) {
		int nc = o->pid > 0 ? 1 : stream_cpus(&l->pmus[i], o->cpus ? keep : NULL, cpus);

		for (k = 0; k < (unsigned int)nc; k++) {
			struct live_stream *s = &l->st[l->nst];
			int r;

			s->idx = l->nst;
			s->cpu = o->pid > 0 ? -1 : cpus[k];
			s->pid = o->pid > 0 ? o->pid : -1;
			s->pmu = &l->pmus[i];
			s->live = l;
			l->nst++;
			memset(&ec, 0, sizeof(ec));
			r = open_stream(l, s, &attrs[i], o, &ec);
			if (r) {
				ec.err = -r;
				ec.pmu = l->pmus[i].name;
				ec.cpu = s->cpu;
				ec.pid = s->pid;
				ec.nevents = nst;
				ec.opened = l->nst - 1;
				ec.kernel = !o->exclude_kernel;
				ec.pa = o->pa;
				ec.pct = o->pct;
				ec.interval = attrs[i].attr.sample_period;
				ec.min_interval = live_pmu_min_interval(&l->pmus[i]);
				ec.config[0] = attrs[i].attr.config;
				ec.config[1] = attrs[i].attr.config1;
				ec.config[2] = attrs[i].attr.config2;
				ec.config[3] = attrs[i].config3;
				errctx_sys(&ec);
				live_strerror(&ec, err, errlen);
				goto fail;
			}
			l->pfd[s->idx].fd = s->fd;
			l->pfd[s->idx].events = POLLIN;
		}
	}
	for (i = 0; i < l->nst; i++) {
		if (ioctl(l->st[i].fd, PERF_EVENT_IOC_ENABLE, 0)) {
			memset(&ec, 0, sizeof(ec));
			ec.stage = LIVE_ST_ENABLE;
			ec.err = errno;
			ec.pmu = l->st[i].pmu->name;
			ec.cpu = l->st[i].cpu;
			ec.pid = l->st[i].pid;
			live_strerror(&ec, err, errlen);
			goto fail;
		}
	}
	free(cpus);
	free(keep);
	*lp = l;
	return 0;
fail:
	free(cpus);
	free(keep);
	live_close(l);
	return -1;
}

/* ring.c callbacks to the caller's, with the stream */
static void tr_aux(void *ctx, const uint8_t *buf, size_t len, uint64_t off)
{
	struct live_stream *s = ctx;

	if (s->live->ops->aux)
		s->live->ops->aux(s->live->ctx, s, buf, len, off);
}

static void tr_gap(void *ctx, uint64_t off, uint64_t flags)
{
	struct live_stream *s = ctx;

	if (s->live->ops->aux_gap)
		s->live->ops->aux_gap(s->live->ctx, s, off, flags);
}

static void tr_event(void *ctx, const struct ring_event *ev)
{
	struct live_stream *s = ctx;

	if (s->live->ops->event)
		s->live->ops->event(s->live->ctx, s, ev);
}

static const struct ring_ops tr_ops = {
	.aux = tr_aux,
	.aux_gap = tr_gap,
	.event = tr_event,
};

int live_poll(struct live *l, int timeout_ms, const struct live_ops *ops, void *ctx)
{
	static const struct live_ops none;
	unsigned int i, alive = 0;
	int total = 0;

	if (poll(l->pfd, l->nst, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	l->ops = ops ? ops : &none;
	l->ctx = ctx;
	for (i = 0; i < l->nst; i++) {
		struct live_stream *s = &l->st[i];
		uint64_t trunc = s->drops.truncated, lost = s->drops.lost_events;
		bool hup = l->pfd[i].revents & (POLLHUP | POLLERR);
		int r;

		if (s->hup)
			continue;
		r = ring_consume(s->ring, &tr_ops, s, &s->drops);
		if (r < 0)
			s->corrupt_errors++;
		else
			total += r;
		if (hup) {
			/* the task is gone and its last bytes are drained */
			s->hup = true;
			l->pfd[i].fd = -1;
			stream_unmap(s);
			continue;
		}
		alive++;
		/*
		 * The kernel stops the event when a session ends TRUNCATED
		 * (non-overwrite mode: the area was full) or when none can
		 * begin (full again: no record at all); the record may also
		 * be among lost ones.  Now that the area is drained, restart.
		 */
		if (s->aux && (s->drops.truncated != trunc || s->drops.lost_events != lost ||
			       s->ring->last_aux_fill + (uint64_t)l->page > s->aux_len)) {
			if (!ioctl(s->fd, PERF_EVENT_IOC_ENABLE, 0))
				s->reenables++;
		}
	}
	l->ops = NULL;
	return alive ? total : LIVE_DONE;
}
