/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * live: SPE capture from the running kernel, the syscall side of spetop.
 *
 *   1. Discovery, done once by the caller, who hands the result to
 *      live_open(): the arm_spe* PMUs of <sysfs>/bus/event_source/devices
 *      (<sysfs> is sd_sysfs_root(): $SPEKIT_SYSFS_ROOT when set, else
 *      /sys), each with its perf type, cpumask, format/ fields ("config:0",
 *      "config1:0-15", "config:0-3,8-11", ...) and caps/ values.  The scan,
 *      the type files and the no-PMU line are spedrops' (tools/spedrops/
 *      pmu.h): the two tools must not disagree on what an SPE PMU is.
 *   2. perf_event_attr from the user's filters, placed through format/
 *      (never hard-coded bit numbers): a filter whose field the PMU does
 *      not list is an error naming it; the interval is checked against
 *      caps/min_interval.
 *   3. One event per CPU of the PMU's cpumask (or, with a PID, one per
 *      PMU on any CPU: cpu = -1), sample_id_all with TID|TIME|CPU|
 *      IDENTIFIER, the data ring (1 + 2^n pages) and the AUX area mapped
 *      read-write (non-overwrite mode), enabled.
 *   4. live_poll(): poll the fds, drain every ring with ring.c, tell the
 *      callbacks which stream (CPU) the bytes and records came from, and
 *      re-enable an event the kernel stopped (AUX area full).
 *
 * Every failure is one line in the caller's buffer naming the problem and
 * the fix; the caller prints it and exits non-zero.  The errno-to-message
 * mapping (live_strerror()) and everything before perf_event_open() are
 * pure functions, unit-tested without SPE hardware.
 */
#ifndef SPETOP_LIVE_H
#define SPETOP_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/perf_event.h>

#include "cpulist.h"
#include "ring.h"

#define LIVE_MAX_PMUS		8
#define LIVE_MAX_FIELDS		24
#define LIVE_MAX_CAPS		16
#define LIVE_MAX_CPUS		SD_MAX_CPUS

/* sample_type of every event: the sample_id trailer ring.c parses */
#define LIVE_SAMPLE_TYPE	(PERF_SAMPLE_TID | PERF_SAMPLE_TIME | \
				 PERF_SAMPLE_CPU | PERF_SAMPLE_IDENTIFIER)

/* The default interval when caps/min_interval is missing (perf's too) */
#define LIVE_DEFAULT_INTERVAL	4096
/* PMSIRR_EL1.INTERVAL is bits [31:8]: the largest interval */
#define LIVE_MAX_INTERVAL	0xffffff00ULL

/* One format/ entry: which config word, which bits (value bits fill the
 * mask's bits from the lowest up, as perf does) */
struct live_field {
	char name[32];
	uint8_t word;		/* 0: config, 1: config1, 2: config2, 3: config3 */
	uint64_t mask;
};

/* One caps/ entry, as text and, when it parses, as a number */
struct live_cap {
	char name[32];
	char text[32];
	uint64_t value;
	bool is_num;
};

struct live_pmu {
	char name[64];
	uint32_t type;
	struct sd_cpuset cpus;		/* from cpumask */
	unsigned int ncpus;
	struct live_field fields[LIVE_MAX_FIELDS];
	unsigned int nfields;
	struct live_cap caps[LIVE_MAX_CAPS];
	unsigned int ncaps;
};

/* What the user asked for */
struct live_opts {
	const char *pmu;		/* one PMU by name; NULL: every arm_spe* */
	int pid;			/* > 0: that task (cpu -1); else all CPUs */
	const char *cpus;		/* -C: CPUs to keep ("0-3,8"); NULL: all */
	uint64_t interval;		/* sample_period; 0: caps/min_interval */
	bool loads, stores, branches;	/* any set: sample only these types */
	uint32_t min_latency;		/* 0: no latency filter */
	uint64_t event_filter;		/* PMSEVFR_EL1 bits required; 0: none */
	bool ts;			/* timestamps (ts_enable) */
	bool pa;			/* physical addresses (pa_enable) */
	bool pct;			/* physical timestamps (pct_enable) */
	bool jitter;			/* randomise the interval (jitter) */
	bool exclude_user, exclude_kernel;
	bool comm, mmap, context_switch;	/* side-band records */
	unsigned int data_pages;	/* power of 2; 0: 16 */
	unsigned int aux_pages;		/* power of 2, >= 2; 0: 128 */
	bool no_aux;			/* data ring only (tests: a PMU without AUX) */
};

/* perf_event_attr plus config3, which older uapi headers lack */
struct live_attr {
	struct perf_event_attr attr;
	uint64_t config3;
};

/* ---- pure parts ----------------------------------------------------------- */

/*
 * Parse a format/ file's text ("config:0", "config:16-17\n",
 * "config1:0-15", "config:0-3,8-11", "config3:0-63") into @f (name left
 * alone).  Returns 0, or -1 when it is not configN:bits with N in 0-3
 * (empty N meaning 0) and bits a comma list of lo or lo-hi within 0-63.
 */
int live_field_parse(const char *text, struct live_field *f);
/* Largest value the field holds */
uint64_t live_field_max(const struct live_field *f);
/* Place @value in the field's bits of @config[4]; -1 if it does not fit */
int live_field_put(const struct live_field *f, uint64_t value, uint64_t config[4]);
/* The field's place written as sysfs has it ("config2:0-11") */
void live_field_str(const struct live_field *f, char *buf, size_t len);

const struct live_field *live_pmu_field(const struct live_pmu *p, const char *name);
const struct live_cap *live_pmu_cap(const struct live_pmu *p, const char *name);
/* caps/min_interval, or 0 when the PMU does not say */
uint64_t live_pmu_min_interval(const struct live_pmu *p);

/*
 * Read one PMU directory (<root>/bus/event_source/devices/@name): type,
 * cpumask (else <root>/devices/system/cpu/possible; either parsed by
 * spedrops' sd_cpulist_parse_sysfs()), every format/ and caps/ file.  0,
 * or -1 with a message.
 */
int live_pmu_load(const char *root, const char *name, struct live_pmu *p,
		  char *err, size_t errlen);
/*
 * Every arm_spe* PMU under @root, sorted by name.  Returns how many (0 to
 * @max); with none, @err holds the no-PMU message (live_no_pmu_msg(), with
 * the first unreadable entry's problem if any).
 */
int live_pmu_discover(const char *root, struct live_pmu *pmus, unsigned int max,
		      char *err, size_t errlen);
/*
 * The one line for "no SPE PMU": where it looked, and the fixes (module,
 * bare-metal instances, KPTI).  @machine: uname -m, or NULL; when it is
 * not aarch64 the line says SPE needs an Arm64 machine.
 */
void live_no_pmu_msg(const char *root, const char *machine, const char *why,
		     char *buf, size_t len);

/*
 * perf_event_attr for @o on @pmu: type, config words through format/,
 * sample_period (checked against caps/min_interval), sample_type
 * LIVE_SAMPLE_TYPE, sample_id_all, disabled, exclusions, side-band bits.
 * 0, or -1 with a one-line message naming the problem and the fix.
 */
int live_build_attr(const struct live_pmu *pmu, const struct live_opts *o,
		    struct live_attr *out, char *err, size_t errlen);

/* What was being done when a syscall failed */
enum live_stage {
	LIVE_ST_OPEN = 1,	/* perf_event_open */
	LIVE_ST_MMAP,		/* the data ring */
	LIVE_ST_MMAP_AUX,	/* the AUX area */
	LIVE_ST_ENABLE,		/* PERF_EVENT_IOC_ENABLE */
};

#define LIVE_UNKNOWN	(-1000)	/* a sysctl or limit that could not be read */

/* Everything the message needs: filled by live.c, or by tests */
struct live_errctx {
	int stage;		/* enum live_stage */
	int err;		/* errno */
	const char *pmu;
	int cpu;		/* -1: per task */
	int pid;		/* > 0 in per-task mode */
	int paranoid;		/* kernel.perf_event_paranoid, or LIVE_UNKNOWN */
	long mlock_kb;		/* kernel.perf_event_mlock_kb, or LIVE_UNKNOWN */
	long nofile;		/* RLIMIT_NOFILE soft limit, or LIVE_UNKNOWN */
	unsigned int nevents;	/* events to open in all */
	unsigned int opened;	/* opened before this one */
	bool kernel;		/* kernel code sampled (!exclude_kernel) */
	bool pa, pct;		/* privileged bits asked */
	uint64_t interval, min_interval;
	uint64_t config[4];
	uint64_t data_kb, aux_kb;	/* per event */
};

/* "EACCES", "EBUSY", ...; NULL for one not named */
const char *live_errno_name(int err);
/* The one-line message for a failed syscall; returns @buf */
const char *live_strerror(const struct live_errctx *c, char *buf, size_t len);

/* ---- the capture ---------------------------------------------------------- */

struct live;

/* One event: a CPU (or a task) on one PMU.  The AUX stream of each is its
 * own: keep one SPE decoder per stream (idx). */
struct live_stream {
	unsigned int idx;		/* 0 .. live_nstreams() - 1 */
	int cpu;			/* -1 in per-task mode */
	int pid;			/* -1 in per-CPU mode */
	const struct live_pmu *pmu;
	struct ring_drops drops;	/* this stream's counters */
	uint64_t reenables;		/* times the kernel stopped it and we restarted it */
	uint64_t corrupt_errors;	/* ring_consume() errors */
	bool hup;			/* the task exited: drained, closed */

	/* private to live.c */
	int fd;
	void *base;			/* control page + data ring */
	size_t base_len;
	void *aux;
	size_t aux_len;
	struct ring_view *ring;
	struct live *live;
};

struct live_ops {
	/* AUX bytes of @s, in stream order (see ring_ops.aux) */
	void (*aux)(void *ctx, const struct live_stream *s, const uint8_t *buf,
		    size_t len, uint64_t stream_off);
	/* @s's AUX stream is discontinuous at @stream_off: finish and reset
	 * its decoder there (see ring_ops.aux_gap) */
	void (*aux_gap)(void *ctx, const struct live_stream *s, uint64_t stream_off,
			uint64_t flags);
	/* A data record of @s (AUX, LOST, COMM, MMAP, SWITCH, ...) */
	void (*event)(void *ctx, const struct live_stream *s, const struct ring_event *ev);
};

/*
 * Build, open, map, enable on @pmus (@npmus of them, as live_pmu_discover()
 * found them; o->pmu picks one by name).  Discovery is the caller's: it
 * needs the PMUs before the capture (checks, the header, the BPF line's
 * PMU type), and reading sysfs twice could see two different machines.
 * None is the no-PMU line.  0 with *lp set, or -1 with one line in @err
 * (nothing left open).
 */
int live_open(struct live **lp, const struct live_pmu *pmus, unsigned int npmus,
	      const struct live_opts *o, char *err, size_t errlen);

#define LIVE_DONE	(-10000)	/* every traced task has exited */

/*
 * Wait up to @timeout_ms (-1: forever, 0: no wait) for data, then drain
 * every stream.  Returns records plus AUX chunks handed to @ops (0: none,
 * e.g. the timeout or a signal), LIVE_DONE when every stream has hung up
 * and been drained, or -errno when poll() fails.
 */
int live_poll(struct live *l, int timeout_ms, const struct live_ops *ops, void *ctx);

unsigned int live_nstreams(const struct live *l);
const struct live_stream *live_stream(const struct live *l, unsigned int idx);
unsigned int live_npmus(const struct live *l);
const struct live_pmu *live_pmu(const struct live *l, unsigned int i);
/* The counters of every stream added up */
void live_drops(const struct live *l, struct ring_drops *sum);

/* Disable, unmap, close, free (NULL is fine) */
void live_close(struct live *l);

#endif /* SPETOP_LIVE_H */
