/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * perf.data on-disk layout: the numbers the reader and the writer share.
 *
 * Written from the perf.data format as perf 6.1 reads it (file header,
 * attribute sections, records, feature sections).  Internal to libspe:
 * callers use perf_data.h and perf_write.h.  Only little-endian files are
 * handled, so every field is read with memcpy from possibly misaligned
 * bytes and used as is on a little-endian host.
 */
#ifndef SPEKIT_PERF_FORMAT_H
#define SPEKIT_PERF_FORMAT_H

#include <stdint.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "perf.data support assumes a little-endian host"
#endif

/* "PERFILE2" read as a little-endian u64; its byte-swap marks a BE file */
#define PF_MAGIC		0x32454c4946524550ULL
#define PF_MAGIC_SWAPPED	0x50455246494c4532ULL

#define PF_PIPE_HDR_SIZE	16	/* magic, size */
#define PF_FILE_HDR_SIZE	104	/* magic, size, attr_size, 3 sections, features */
#define PF_FILE_HDR_OLD_SIZE	72	/* before the feature bitmap existed */
#define PF_FEAT_BITS		256

/* struct perf_event_attr: the sizes perf has used, and offsets we need */
#define PF_ATTR_SIZE_VER0	64
#define PF_ATTR_SIZE_VER7	128	/* what perf 6.1 writes */
#define PF_ATTR_TYPE		0	/* u32 */
#define PF_ATTR_SIZE		4	/* u32 */
#define PF_ATTR_CONFIG		8	/* u64 */
#define PF_ATTR_PERIOD		16	/* u64 */
#define PF_ATTR_SAMPLE_TYPE	24	/* u64 */
#define PF_ATTR_READ_FORMAT	32	/* u64 */
#define PF_ATTR_FLAGS		40	/* u64 bitfield */
#define PF_ATTR_FLAG_SAMPLE_ID_ALL	(1ULL << 18)

/* perf_file_attr on disk: the attr, then a section {offset, size} of ids */
#define PF_SECTION_SIZE		16

/* sample_type bits */
#define PF_SAMPLE_IP		(1ULL << 0)
#define PF_SAMPLE_TID		(1ULL << 1)
#define PF_SAMPLE_TIME		(1ULL << 2)
#define PF_SAMPLE_ADDR		(1ULL << 3)
#define PF_SAMPLE_ID		(1ULL << 6)
#define PF_SAMPLE_CPU		(1ULL << 7)
#define PF_SAMPLE_PERIOD	(1ULL << 8)
#define PF_SAMPLE_STREAM_ID	(1ULL << 9)
#define PF_SAMPLE_DATA_SRC	(1ULL << 15)
#define PF_SAMPLE_IDENTIFIER	(1ULL << 16)
#define PF_SAMPLE_PHYS_ADDR	(1ULL << 19)

/* record types (kernel ones below 64, perf's own from 64) */
#define PF_REC_MMAP		1
#define PF_REC_LOST		2
#define PF_REC_COMM		3
#define PF_REC_MMAP2		10
#define PF_REC_AUX		11
#define PF_REC_LOST_SAMPLES	13
#define PF_REC_USER_START	64
#define PF_REC_HEADER_ATTR	64
#define PF_REC_FINISHED_ROUND	68
#define PF_REC_AUXTRACE_INFO	70
#define PF_REC_AUXTRACE		71
#define PF_REC_TIME_CONV	79
#define PF_REC_HEADER_FEATURE	80
#define PF_REC_COMPRESSED	81

#define PF_REC_HDR_SIZE		8	/* u32 type, u16 misc, u16 size */
#define PF_AUXTRACE_SIZE	48	/* header + size, offset, ref, idx, tid, cpu, pad */
#define PF_AUXTRACE_INFO_SIZE	16	/* header + u32 type + pad, then priv[] */
#define PF_AUX_SIZE		32	/* header + offset, size, flags */
#define PF_TIME_CONV_OLD_SIZE	32	/* header + shift, mult, zero */
#define PF_TIME_CONV_SIZE	56	/* + cycles, mask, 2 caps, 6 pad */
#define PF_MMAP2_FIXED		72	/* up to and including prot, flags */
#define PF_MMAP_FIXED		40
#define PF_COMM_FIXED		16
#define PF_MISC_COMM_EXEC	(1u << 13)	/* COMM: the process exec'd */

/* PERF_RECORD_AUXTRACE_INFO type for Arm SPE */
#define PF_AUXTRACE_ARM_SPE	4

/* Arm SPE metadata (priv[]) */
#define PF_SPE_V1_PRIV		2	/* pmu_type, per_cpu_mmaps */
#define PF_SPE_V2_HDR		4	/* version, hdr size, pmu_type, nr_cpus */
#define PF_SPE_V2_CPU_FIXED	3	/* magic, cpu, nr_params */
#define PF_SPE_V2_CPU_PARAMS	3	/* midr, pmu_type, min_interval */
#define PF_SPE_CPU_MAGIC	0x1010101010101010ULL

/* feature bits */
#define PF_FEAT_VERSION		5	/* "# perf version :" in perf report */
#define PF_FEAT_CPUID		9
#define PF_FEAT_AUXTRACE	18

/* perf pads feature strings to this */
#define PF_NAME_ALIGN		64

/*
 * spekit's synthetic-data marker.  perf.data has no field for "not
 * recorded", so the writer puts this in HEADER_VERSION, where perf record
 * puts its own version: perf reads and prints any text there
 * (`perf report --header-only`: "# perf version : spekit spe-mkperf: ...")
 * and uses it for nothing else.  The reader goes by the prefix alone, so
 * the wording after it may change.
 */
#define PF_SPEKIT_MARK_PREFIX	"spekit spe-mkperf"
#define PF_SPEKIT_MARK		PF_SPEKIT_MARK_PREFIX \
				": SYNTHETIC data, not recorded by perf"

static inline uint64_t pf_get64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t pf_get32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint16_t pf_get16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void pf_put64(void *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void pf_put32(void *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void pf_put16(void *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

#endif /* SPEKIT_PERF_FORMAT_H */
