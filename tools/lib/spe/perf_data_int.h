/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * perf.data reader internals, shared by perf_data.c (opening: sources,
 * file header, attrs, features) and perf_data_next.c (walking records).
 */
#ifndef SPEKIT_PERF_DATA_INT_H
#define SPEKIT_PERF_DATA_INT_H

#include "perf_data.h"

/* Bounds that keep a corrupt header from making us allocate the world */
#define PD_MAX_ATTRS		4096
#define PD_MAX_IDS		(1u << 20)	/* over all attrs */
#define PD_MAX_QUEUES		65536
#define PD_MAX_STREAM_AUX	(1ULL << 30)	/* one pipe-mode AUXTRACE buffer */

struct pd_queue {
	bool seen;
	uint32_t cpu, tid;
	uint64_t off, size;	/* the last buffer */
};

struct spe_pd {
	char *err;
	size_t errlen;
	char name[256];
	enum spe_pd_format fmt;

	/* memory source: the whole file (mapped, copied or the caller's) */
	const uint8_t *mem;
	size_t mem_len;
	void *map;		/* munmap on close */
	size_t map_len;
	void *owned;		/* free on close */
	uint64_t pos, end;	/* cursor and end of the data section */

	/* stream source: pipe format read as it comes */
	bool stream;
	int fd;
	bool owned_fd;		/* opened by spe_pd_open(): close it */
	uint64_t spos;		/* bytes consumed */
	uint8_t *rec;		/* current record, up to 64 KiB */
	uint8_t *aux;		/* current AUXTRACE payload */
	size_t aux_cap;

	struct spe_pd_attr *attrs;
	unsigned int nr_attrs;
	unsigned int nr_ids;	/* over all attrs */

	bool have_info;
	uint64_t info_pos;	/* record already parsed by the open-time scan */
	struct spe_pd_info info;
	struct spe_pd_cpu_meta *cpus;

	bool have_cpuid;
	char cpuid[128];
	bool have_version;
	char version[128];	/* HEADER_VERSION, cut to fit */

	struct pd_queue *queues;
	unsigned int nr_queues;

	bool failed;
	char warn[320];		/* per-event remark */
	char open_warn[320];
};

__attribute__((format(printf, 2, 3)))
int pd_fail(struct spe_pd *pd, const char *fmt, ...);

/* Add an attr (file header or PERF_RECORD_HEADER_ATTR); ids are copied. */
int pd_add_attr(struct spe_pd *pd, const uint8_t *attr, size_t attr_len,
		const uint8_t *ids, uint64_t nr_ids);
/* Parse an AUXTRACE_INFO record of @size bytes. */
int pd_parse_auxtrace_info(struct spe_pd *pd, const uint8_t *rec, size_t size);
/* Take the features we use (CPUID, VERSION: u32 len, then text) from a
 * feature section or HEADER_FEATURE record body of @len bytes; others
 * are ignored. */
void pd_parse_feature(struct spe_pd *pd, uint64_t feat, const uint8_t *p, size_t len);
/* Check the data section for an SPE AUXTRACE_INFO (file mode). */
int pd_scan_for_info(struct spe_pd *pd);

#endif /* SPEKIT_PERF_DATA_INT_H */
