/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * perf.data reader for Arm SPE recordings (`perf record -e arm_spe//`).
 *
 * Reads the file format (magic PERFILE2, header size 104) from a regular
 * file by mmap, and the pipe format (header size 16, attrs as records) as
 * a stream from any fd; both also from memory, which is what the fuzzer
 * drives.  Only little-endian files: a big-endian one is refused by name.
 *
 * spe_pd_next() walks the data section in file order and hands back typed
 * events without allocating per event.  AUXTRACE events point at the SPE
 * bytes in the mapping or in a reused buffer: valid until the next call.
 *
 * Decoding order: SPE bytes form one stream per AUX queue (idx; one per CPU
 * when recorded per-CPU).  perf writes each queue's buffers in increasing
 * offset order, so a caller that keeps one decoder per idx and feeds buffers
 * as they come sees each stream in order.  The reader checks this and flags
 * a buffer whose offset skips ahead (data lost), overlaps the previous one
 * or goes backwards (see enum spe_pd_order).  Buffers are padded to 8 bytes
 * by perf, so the next buffer may start up to 7 bytes before the previous
 * padded end; that is not flagged.
 *
 * Every failure writes one line into the caller's err buffer: the file
 * name, the problem, and what to do or what was found.  The buffer must
 * stay valid until spe_pd_close(), since later calls report through it.
 */
#ifndef SPEKIT_PERF_DATA_H
#define SPEKIT_PERF_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct spe_pd;

/* spe_pd_open*() results */
#define SPE_PD_OK		0
#define SPE_PD_ERROR		(-1)
#define SPE_PD_NOT_PERF_DATA	1	/* no perf.data magic: a raw AUX dump? */

enum spe_pd_format {
	SPE_PD_FMT_FILE = 1,
	SPE_PD_FMT_PIPE,
};

enum spe_pd_ev_type {
	SPE_PD_EV_AUXTRACE_INFO = 1,	/* spe_pd_info() holds it */
	SPE_PD_EV_AUXTRACE,		/* a buffer of SPE bytes */
	SPE_PD_EV_AUX,			/* kernel wrote AUX data, with flags */
	SPE_PD_EV_LOST,
	SPE_PD_EV_LOST_SAMPLES,
	SPE_PD_EV_COMM,
	SPE_PD_EV_MMAP,			/* PERF_RECORD_MMAP and MMAP2 */
	SPE_PD_EV_TIME_CONV,
};

/* PERF_RECORD_AUX flags */
#define SPE_PD_AUX_TRUNCATED	0x1	/* AUX buffer filled: data lost after */
#define SPE_PD_AUX_OVERWRITE	0x2	/* snapshot mode ring */
#define SPE_PD_AUX_PARTIAL	0x4	/* record cut at a non-boundary */
#define SPE_PD_AUX_COLLISION	0x8	/* sample collision */

/* Where an AUXTRACE buffer sits relative to the previous one in its queue */
enum spe_pd_order {
	SPE_PD_ORDER_FIRST = 0,		/* first buffer of the queue */
	SPE_PD_ORDER_OK,		/* follows on (allowing perf's padding) */
	SPE_PD_ORDER_GAP,		/* starts after the previous end: bytes lost */
	SPE_PD_ORDER_OVERLAP,		/* starts inside the previous buffer */
	SPE_PD_ORDER_BACKWARDS,		/* starts before the previous buffer */
};

/* sample_id trailer fields present (sample_id_all and the attr's sample_type) */
#define SPE_PD_SID_TID		0x1
#define SPE_PD_SID_TIME		0x2
#define SPE_PD_SID_ID		0x4
#define SPE_PD_SID_CPU		0x8

struct spe_pd_sample_id {
	uint32_t has;		/* SPE_PD_SID_* */
	uint32_t pid, tid;
	uint32_t cpu;
	uint64_t time;
	uint64_t id;
};

struct spe_pd_event {
	uint32_t type;		/* enum spe_pd_ev_type */
	uint32_t rec_type;	/* PERF_RECORD_* number */
	uint16_t misc;
	uint64_t pos;		/* offset of the record in the file/stream */
	struct spe_pd_sample_id sid;
	/* Non-NULL when something about this event is odd but readable
	 * (e.g. an AUXTRACE buffer out of order); valid until next call. */
	const char *warn;
	union {
		struct {
			uint64_t size;		/* bytes at data (perf pads to 8) */
			uint64_t offset;	/* position in the queue's stream */
			uint64_t reference;
			uint32_t idx;		/* queue (mmap index) */
			uint32_t tid;
			uint32_t cpu;		/* (uint32_t)-1 in per-thread mode */
			uint32_t order;		/* enum spe_pd_order */
			const uint8_t *data;
		} auxtrace;
		struct {
			uint64_t aux_offset, aux_size, flags;
		} aux;
		struct {
			uint64_t id, lost;
		} lost;
		struct {
			uint64_t lost;
		} lost_samples;
		struct {
			uint32_t pid, tid;
			const char *comm;	/* NUL-terminated, in the record */
			bool exec;		/* the process exec'd (its
						 * mappings are new) */
		} comm;
		struct {
			uint32_t pid, tid;
			uint64_t start, len, pgoff;
			uint32_t maj, min;	/* MMAP2 only, else 0 */
			uint64_t ino, ino_generation;
			uint32_t prot, flags;
			const char *filename;	/* NUL-terminated, in the record */
		} mmap;
		struct {
			uint64_t time_shift, time_mult, time_zero;
			uint64_t time_cycles, time_mask;	/* when has_cycles */
			uint8_t cap_user_time_zero, cap_user_time_short;
			bool has_cycles;
		} time_conv;
	};
};

/* The SPE AUXTRACE_INFO metadata */
struct spe_pd_info {
	uint32_t version;	/* 1: [pmu_type, per_cpu_mmaps]; 2+: per-CPU */
	uint32_t pmu_type;	/* perf_event_attr.type of the SPE PMU */
	uint64_t per_cpu_mmaps;	/* v1 only */
	uint32_t nr_cpus;	/* v2: per-CPU entries */
};

struct spe_pd_cpu_meta {
	uint32_t cpu;
	uint32_t nr_params;
	uint64_t midr;
	uint64_t pmu_type;	/* ~0 when the CPU has no SPE */
	uint64_t min_interval;
};

/* One perf_event_attr, the fields that matter here */
struct spe_pd_attr {
	uint32_t type;
	uint64_t config;
	uint64_t sample_period;
	uint64_t sample_type;
	bool sample_id_all;
	uint32_t nr_ids;
	const uint64_t *ids;
};

/*
 * Open @path ("-" is stdin).  Returns SPE_PD_OK with *pdp set,
 * SPE_PD_NOT_PERF_DATA when the magic is not perf's (message in @err; the
 * caller may treat the bytes as a raw AUX dump), or SPE_PD_ERROR.
 * A file-format perf.data must hold an Arm SPE AUXTRACE_INFO, else the
 * open fails; a pipe-format stream reports that at its first AUXTRACE.
 */
int spe_pd_open(const char *path, struct spe_pd **pdp, char *err, size_t errlen);
/* The same on an open fd; regular files are mapped, others streamed (a
 * file-format stream is read whole into memory, since it needs seeking).
 * Not-perf on a non-seekable fd has consumed up to 16 bytes.  The fd stays
 * the caller's. */
int spe_pd_open_fd(int fd, const char *name, struct spe_pd **pdp,
		   char *err, size_t errlen);
/* The same on memory, which must outlive the reader (no copy is made). */
int spe_pd_open_mem(const void *buf, size_t len, const char *name,
		    struct spe_pd **pdp, char *err, size_t errlen);
void spe_pd_close(struct spe_pd *pd);

/* True when @buf (at least 8 bytes) starts with the perf.data magic. */
bool spe_pd_is_perf_data(const void *buf, size_t len);

/*
 * Next event in file order: 1 with *ev filled, 0 at the end, -1 on error
 * (message in err; further calls return -1).  Records of other types
 * (FINISHED_ROUND, SAMPLE, ...) are skipped.
 */
int spe_pd_next(struct spe_pd *pd, struct spe_pd_event *ev);

enum spe_pd_format spe_pd_format(const struct spe_pd *pd);
/* NULL until AUXTRACE_INFO has been read (file mode: always set). */
const struct spe_pd_info *spe_pd_info(const struct spe_pd *pd);
/* v2 per-CPU metadata, i < info->nr_cpus; NULL otherwise. */
const struct spe_pd_cpu_meta *spe_pd_cpu_meta(const struct spe_pd *pd, unsigned int i);
/*
 * MIDR of @cpu: returns 0 from the v2 per-CPU metadata; 1 from the
 * HEADER_CPUID feature (the recording host's MIDR, right for every CPU of
 * a homogeneous machine); -1 when neither says.
 */
int spe_pd_cpu_midr(const struct spe_pd *pd, uint32_t cpu, uint64_t *midr);
/* HEADER_CPUID text ("0x00000000410fd0c0" on arm64) or NULL. */
const char *spe_pd_cpuid(const struct spe_pd *pd);
/* HEADER_VERSION text (perf record's version, "6.1.76"), at most 127
 * bytes of it, or NULL. */
const char *spe_pd_version(const struct spe_pd *pd);
/*
 * True when the file says it is synthetic: spekit's perf.data writer
 * (spe-mkperf) puts "spekit spe-mkperf: SYNTHETIC data, not recorded by
 * perf" in HEADER_VERSION (see perf_write.h); a file whose VERSION starts
 * "spekit spe-mkperf" is one.  File format: known at open.  Pipe format:
 * the features travel as records at the start of the stream, so it is
 * known after the first spe_pd_next().
 */
bool spe_pd_synthetic(const struct spe_pd *pd);

unsigned int spe_pd_nr_attrs(const struct spe_pd *pd);
const struct spe_pd_attr *spe_pd_attr(const struct spe_pd *pd, unsigned int i);
/* First attr whose type is the SPE PMU type; NULL if none or no info yet. */
const struct spe_pd_attr *spe_pd_spe_attr(const struct spe_pd *pd);
/* A remark from opening (e.g. data size 0 in the header), or NULL. */
const char *spe_pd_warning(const struct spe_pd *pd);

/*
 * The AUX queue a PERF_RECORD_AUX event belongs to.  The CPU comes from
 * the record's sample_id trailer (PERF_SAMPLE_CPU, set by perf for per-CPU
 * recording).  The queue is the idx of AUXTRACE buffers seen so far with
 * that CPU, or in per-thread mode with that tid.  Returns 0 when matched,
 * 1 when guessed (no such buffer yet: idx = position of the CPU in the v2
 * metadata, else idx = cpu), -1 when the record carries no CPU or tid to
 * go by (*cpu = -1).
 */
int spe_pd_aux_queue(const struct spe_pd *pd, const struct spe_pd_event *ev,
		     uint32_t *idx, uint32_t *cpu);

/*
 * Parse Arm SPE AUXTRACE_INFO metadata (priv[], @len bytes).  Fills *info
 * and up to @max_cpus entries of @cpus (may be NULL); returns the number of
 * per-CPU entries in the metadata, or -1 with a message.
 */
int spe_pd_meta_parse(const void *priv, size_t len, struct spe_pd_info *info,
		      struct spe_pd_cpu_meta *cpus, unsigned int max_cpus,
		      char *err, size_t errlen);

/* "AUXTRACE", "AUX", ...: for messages and dumps. */
const char *spe_pd_ev_name(unsigned int type);

#endif /* SPEKIT_PERF_DATA_H */
