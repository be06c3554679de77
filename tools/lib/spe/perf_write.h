/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * perf.data writer for Arm SPE data: wraps AUX bytes so that perf 6.1
 * (`perf report -D`, `perf script --itrace=...`) and the libspe reader
 * accept them as if `perf record -e arm_spe//` had written them.
 *
 * Streams: AUXTRACE payloads go straight to the file, so outputs of any
 * size need only a small buffer plus 16 bytes per AUXTRACE buffer for
 * perf's AUXTRACE index.  The file format needs a seekable output (the
 * header is patched at close); the pipe format does not.
 *
 * What goes in (file mode): header; one attr (the SPE PMU, sample_type
 * IP|TID|TIME|CPU|IDENTIFIER|DATA_SRC|PHYS_ADDR, sample_id_all, one id);
 * records: [TIME_CONV], AUXTRACE_INFO, then the caller's events; features
 * VERSION (spekit's synthetic-data marker, below), CPUID (the MIDR as
 * arm64 perf writes it, "0x%016llx") and AUXTRACE (the index perf uses to
 * queue buffers without a pass over the file).  Pipe mode sends the attr
 * as HEADER_ATTR and VERSION and CPUID as HEADER_FEATURE records.
 *
 * The marker: a file made here is not a recording, and tools that show
 * its data (spetop's SYNTHETIC label) must be able to tell.  HEADER_VERSION,
 * where perf record writes its version, says
 * "spekit spe-mkperf: SYNTHETIC data, not recorded by perf"; perf prints it
 * as "# perf version : ..." in `perf report --header-only` and otherwise
 * ignores it.  The reader's spe_pd_synthetic() goes by its first words.
 *
 * What perf 6.1 needs, found by trying it: the attr whose type is the
 * AUXTRACE_INFO PMU type (else "No selected events with SPE trace data"
 * and no samples); PHYS_ADDR in its sample_type for the synthesized
 * samples to carry phys_addr; the AUXTRACE feature, without which
 * `perf script -F addr,phys_addr,weight` refuses ("do not have ADDR
 * attribute set"), since only that feature lets perf accept fields the
 * SPE event itself lacks; AUXTRACE payloads padded to 8 with the size
 * field counting the padding (perf dumps the zeros as PAD).  CPUID is not
 * required (perf falls back to the host's, useless on x86) but gives the
 * MIDR that perf 6.1 uses for data-source decoding.
 *
 * Metadata v1 (default) is what perf 6.1 understands.  v2 (perf 6.12+,
 * per-CPU MIDR) is read by perf 6.1 as v1: it takes the version number 2
 * as the PMU type, so `perf report -D` still dumps the data (printing
 * "PMU Type :2") but `perf script --itrace` finds no SPE event and
 * synthesizes nothing.
 */
#ifndef SPEKIT_PERF_WRITE_H
#define SPEKIT_PERF_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct spe_pw;

#define SPE_PW_DEFAULT_PMU_TYPE	8
#define SPE_PW_DEFAULT_MIDR	0x410fd0c0ULL	/* Neoverse N1 r0p0 */
#define SPE_PW_ATTR_ID		1		/* the one event id */

struct spe_pw_cpu {
	uint32_t cpu;
	uint64_t midr;		/* v2 metadata */
	uint64_t min_interval;	/* v2 metadata; 0: 256 */
};

struct spe_pw_time_conv {
	uint64_t time_shift, time_mult, time_zero;
	uint64_t time_cycles, time_mask;
	uint8_t cap_user_time_zero, cap_user_time_short;
};

struct spe_pw_opts {
	uint32_t pmu_type;		/* 0: SPE_PW_DEFAULT_PMU_TYPE */
	unsigned int meta_version;	/* 0 or 1: v1; 2: v2 (needs cpus) */
	bool pipe;			/* pipe format */
	/* The recorded CPUs; buffer queue idx = index in this list.  May be
	 * empty for v1: queues are then numbered in first-use order. */
	const struct spe_pw_cpu *cpus;
	unsigned int nr_cpus;
	const char *cpuid;		/* HEADER_CPUID text; NULL: from the
					 * first CPU's MIDR or the default */
	uint64_t config;		/* attr.config: SPE filter bits */
	uint64_t sample_period;		/* 0: 4096 */
	/* written before AUXTRACE_INFO, where perf 6.1 picks it up */
	const struct spe_pw_time_conv *time_conv;
	/* HEADER_VERSION text; NULL: the synthetic-data marker (above);
	 * other text (e.g. "6.1.76", as perf record writes) or "" (no VERSION
	 * feature) makes a file without the marker, for tests */
	const char *perf_version;
};

/* Explicit AUXTRACE header fields, for tests and odd cases */
struct spe_pw_auxtrace {
	uint64_t offset;
	uint64_t reference;
	uint32_t idx, tid, cpu;
};

/*
 * Open @path ("-" is stdout) for writing.  Returns 0, or -1 with a
 * one-line message in @err; the buffer must stay valid until
 * spe_pw_close(), which reports through it too.
 */
int spe_pw_open(const char *path, const struct spe_pw_opts *opts,
		struct spe_pw **wp, char *err, size_t errlen);
/* The same on an fd the caller keeps (file mode needs it seekable). */
int spe_pw_open_fd(int fd, const char *name, const struct spe_pw_opts *opts,
		   struct spe_pw **wp, char *err, size_t errlen);

/*
 * The next AUXTRACE buffer of @cpu's stream.  The offset continues from
 * the previous buffer of that CPU; the payload is padded with zeros to 8
 * bytes, as perf does (the padding does not advance the offset).
 */
int spe_pw_auxtrace(struct spe_pw *w, uint32_t cpu, const void *data, size_t len);
/* An AUXTRACE buffer with every header field given. */
int spe_pw_auxtrace_raw(struct spe_pw *w, const struct spe_pw_auxtrace *a,
			const void *data, size_t len);
/* Stream offset the next spe_pw_auxtrace() of @cpu gets (0 if unused). */
uint64_t spe_pw_next_offset(const struct spe_pw *w, uint32_t cpu);

/* Values for the sample_id trailer of the records below (default 0). */
void spe_pw_set_sample_id(struct spe_pw *w, uint32_t pid, uint32_t tid, uint64_t time);

int spe_pw_aux(struct spe_pw *w, uint32_t cpu, uint64_t aux_offset,
	       uint64_t aux_size, uint64_t flags);
int spe_pw_lost(struct spe_pw *w, uint32_t cpu, uint64_t lost);
int spe_pw_lost_samples(struct spe_pw *w, uint32_t cpu, uint64_t lost);
/* @exec: the process exec'd (PERF_RECORD_MISC_COMM_EXEC), as perf writes
 * the COMM that follows an execve() */
int spe_pw_comm(struct spe_pw *w, uint32_t pid, uint32_t tid, const char *comm, bool exec);
int spe_pw_mmap2(struct spe_pw *w, uint32_t pid, uint32_t tid, uint64_t start,
		 uint64_t len, uint64_t pgoff, const char *path);
int spe_pw_time_conv(struct spe_pw *w, const struct spe_pw_time_conv *tc);
int spe_pw_finished_round(struct spe_pw *w);

/*
 * Finish: flush, write the features and patch the header (file mode).
 * Frees @w whatever happens; returns 0, or -1 with a message.
 */
int spe_pw_close(struct spe_pw *w);

#endif /* SPEKIT_PERF_WRITE_H */
