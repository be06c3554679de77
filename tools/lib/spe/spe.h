/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libspe: a streaming decoder for Arm SPE sample records.
 *
 * Layers, each usable alone:
 *   spe_pkt_decode()   bytes -> one packet           (spe_pkt.c)
 *   struct spe_decoder packets -> records, streaming (spe_record.c)
 *   spe_*_name()       names for events, op types    (spe_names.c)
 *   spe_dsrc_*()       data source meaning by MIDR   (spe_dsrc.c)
 *   spe_pkt_desc()     perf-style packet text        (spe_pkt_desc.c)
 *
 * The first four use no libc beyond <stdint.h>/<stddef.h>: no allocation,
 * no I/O, so they build into the driver tests, fuzzers and BPF-adjacent
 * code unchanged.
 */
#ifndef SPEKIT_LIBSPE_H
#define SPEKIT_LIBSPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spekit/spe_format.h"

/* ---- packets ---------------------------------------------------------- */

enum spe_pkt_type {
	SPE_PKT_BAD = 0,	/* cannot be framed: header reserved */
	SPE_PKT_PAD,		/* 0x00, or the 2-byte 0x20 0x00 alignment pad */
	SPE_PKT_END,
	SPE_PKT_TIMESTAMP,
	SPE_PKT_ADDRESS,
	SPE_PKT_COUNTER,
	SPE_PKT_CONTEXT,
	SPE_PKT_OP_TYPE,
	SPE_PKT_EVENTS,
	SPE_PKT_DATA_SOURCE,
	SPE_PKT_UNKNOWN,	/* framed by the generic rules, type unassigned */
	SPE_PKT_NR_TYPES
};

struct spe_pkt {
	uint64_t payload;	/* little-endian payload, zero-extended */
	uint8_t type;		/* enum spe_pkt_type */
	uint8_t index;		/* address/counter index (0-31), context
				 * index, op class, or events payload size */
	uint8_t len;		/* header + payload bytes */
	uint8_t hdr_len;	/* 1 or 2 */
};

/* spe_pkt_decode() results other than a positive length */
#define SPE_PKT_NEED_MORE	0	/* buffer ends inside the packet */
#define SPE_PKT_INVALID		(-1)	/* header cannot be framed */

/*
 * Decode one packet at @buf.  Returns its length (> 0), SPE_PKT_NEED_MORE
 * when @len stops short of the whole packet, or SPE_PKT_INVALID.  Never
 * reads @buf beyond @len.  A single PAD byte is returned as length 1:
 * grouping runs of padding is the printer's business.
 */
int spe_pkt_decode(const uint8_t *buf, size_t len, struct spe_pkt *pkt);

/* ---- records ---------------------------------------------------------- */

/* Which fields of struct spe_record were present in the stream. */
enum spe_rec_has {
	SPE_HAS_PC		= 1u << 0,
	SPE_HAS_TGT		= 1u << 1,
	SPE_HAS_VA		= 1u << 2,
	SPE_HAS_PA		= 1u << 3,
	SPE_HAS_PREV_TGT	= 1u << 4,
	SPE_HAS_LAT_TOTAL	= 1u << 5,
	SPE_HAS_LAT_ISSUE	= 1u << 6,
	SPE_HAS_LAT_XLAT	= 1u << 7,
	SPE_HAS_LAT_ALT_ISSUE	= 1u << 8,
	SPE_HAS_EVENTS		= 1u << 9,
	SPE_HAS_OP		= 1u << 10,
	SPE_HAS_DSRC		= 1u << 11,
	SPE_HAS_CTX		= 1u << 12,
	SPE_HAS_TS		= 1u << 13,
};

/* Record flags: how the record ended or what it contained. */
enum spe_rec_flags {
	SPE_REC_END_TS		= 1u << 0,	/* closed by a Timestamp */
	SPE_REC_END_PKT		= 1u << 1,	/* closed by END */
	SPE_REC_UNTERMINATED	= 1u << 2,	/* stream ended first */
	SPE_REC_UNKNOWN_PKT	= 1u << 3,	/* held an unassigned packet */
	SPE_REC_IMPDEF		= 1u << 4,	/* held an IMPDEF addr/counter */
};

/* Operation classes, decoded from the Operation Type packet. */
enum spe_op_class {
	SPE_OPC_NONE = 0,	/* no Operation Type packet */
	SPE_OPC_OTHER,		/* class 0 plain */
	SPE_OPC_SVE_OTHER,	/* class 0 SVE */
	SPE_OPC_SME_OTHER,	/* class 0 SME */
	SPE_OPC_LOAD,
	SPE_OPC_STORE,
	SPE_OPC_BRANCH,
	SPE_OPC_RESERVED,	/* class 3 */
	SPE_OPC_NR
};

/* Load/store subclass, for class 1. */
enum spe_ldst_sub {
	SPE_LDST_GP = 0,
	SPE_LDST_SIMD_FP,
	SPE_LDST_UNSPEC,
	SPE_LDST_MTE_TAG,
	SPE_LDST_NV_SYSREG,
	SPE_LDST_EXTENDED,	/* atomic, exclusive, acquire/release */
	SPE_LDST_SVE_SME,
	SPE_LDST_MEMCPY,
	SPE_LDST_MEMSET,
	SPE_LDST_GCS,
	SPE_LDST_OTHER,		/* reserved pattern */
	SPE_LDST_NR
};

/* Address attributes, for PC/targets (el, ns, nse) and PA (ns, ch, pat). */
struct spe_addr_attr {
	uint8_t el;
	uint8_t ns;
	uint8_t nse;
	uint8_t ch;
	uint8_t pat;
	uint8_t tag;	/* VA top byte */
};

/*
 * One sample record.  Plain data: copy it, keep it, no pointers.
 * Addresses hold bits [55:0] as written; spe_addr_canonical() applies the
 * project's sign-extension rule for display and symbolisation.
 */
struct spe_record {
	uint64_t offset;	/* stream offset of the record's first byte */
	uint64_t pc, tgt, prev_tgt, va, pa;
	uint64_t events;	/* Events payload, bit n = event En */
	uint64_t ts;
	uint32_t has;		/* enum spe_rec_has */
	uint32_t flags;		/* enum spe_rec_flags */
	uint32_t ctx;
	uint16_t lat_total, lat_issue, lat_xlat, lat_alt_issue;
	uint16_t dsrc;
	uint8_t ctx_el;		/* 1 or 2 */
	uint8_t op_raw;		/* Operation Type payload */
	uint8_t op_class_raw;	/* Operation Type header class, 0-3 */
	uint8_t op_class;	/* enum spe_op_class */
	uint8_t ldst_sub;	/* enum spe_ldst_sub, loads and stores */
	uint8_t evl;		/* SVE/SME effective vector length in bytes
				 * / 8 (EVL field; 0 when not SVE) */
	struct spe_addr_attr pc_attr, tgt_attr, prev_tgt_attr, va_attr, pa_attr;
};

/* Counts kept by the decoder; they only grow. */
struct spe_stats {
	uint64_t bytes;			/* bytes consumed */
	uint64_t packets;		/* packets decoded (PAD runs count 1 each byte) */
	uint64_t pad_bytes;
	uint64_t records;		/* records emitted */
	uint64_t unterminated;		/* records emitted by spe_decoder_finish() */
	uint64_t unknown_pkts;		/* unassigned packets skipped by size */
	uint64_t bad_bytes;		/* bytes that could not be framed */
	uint64_t bad_events;		/* distinct runs of bad bytes */
	uint64_t records_dropped;	/* records discarded for damage */
	uint64_t truncated_bytes;	/* partial packet at end of stream */
};

/*
 * A record shape the decoder has seen (spe_record.c's business): where
 * each packet header sits in the record and what it is.  A record whose
 * bytes have those headers at those offsets frames exactly the same way,
 * so its payloads are read at known offsets, with no packet-to-packet
 * dependency (the per-packet decode is bound by header -> size -> next
 * header, about 9 cycles a packet).
 */
#define SPE_TMPL_N	8	/* shapes kept per decoder */
#define SPE_TMPL_BYTES	64	/* longest record kept as a shape */
#define SPE_TMPL_FIELDS	14	/* payload fields: one per SPE_HAS_* bit */
#define SPE_TMPL_PRED	64	/* shape predictor entries */

struct spe_tmpl {
	uint8_t mask[SPE_TMPL_BYTES];	/* 0xff on header bytes, else 0 */
	uint8_t hdr[SPE_TMPL_BYTES];	/* the header bytes, else 0 */
	/* field f (the SPE_HAS_* bit 1 << f) is the 8 bytes at foff[f]
	 * masked by fmask[f]: its packet's payload, or 0 when absent */
	uint64_t fmask[SPE_TMPL_FIELDS];
	uint8_t foff[SPE_TMPL_FIELDS];
	uint8_t npk;			/* short packets (headers >= 0x40) */
	uint8_t len;			/* record bytes */
	uint8_t end_pkt;		/* then one END packet */
	uint8_t ctx_el, op_class_raw;	/* what the headers say */
	uint16_t hits;
	uint32_t has, flags;
} __attribute__((aligned(16)));

/*
 * Streaming decoder.  Feed bytes in any chunking (a live AUX ring that
 * wraps gives two chunks); packets split across chunks are carried in a
 * small internal buffer.  Records come back one at a time.
 */
struct spe_decoder {
	/* current input chunk */
	const uint8_t *buf;
	size_t len;
	size_t pos;
	/* bytes of a packet split across chunks */
	uint8_t carry[SPE_PKT_MAX_LEN];
	uint8_t carry_len;
	bool damaged;		/* bad bytes seen since the record began */
	bool in_record;		/* a packet other than PAD seen */
	uint64_t stream_off;	/* stream offset of the next byte to decode
				 * (the carry's first byte, if any) */
	struct spe_record cur;
	struct spe_stats stats;
	/* record shapes (a cache: results never depend on it, see
	 * spe_record.c) */
	uint8_t ntmpl;
	uint8_t t_learn;	/* misses since a shape was last learned */
	uint8_t t_kp;		/* key bytes' offset (an Op Type packet's) */
	uint16_t t_tries, t_hits;	/* this window's lookups */
	uint32_t t_skip;	/* record starts left without lookups */
	uint8_t t_pred[SPE_TMPL_PRED];	/* key -> slot + 1, 0: none */
	struct spe_tmpl tmpl[SPE_TMPL_N];
};

void spe_decoder_init(struct spe_decoder *d);
/* Start a new stream (e.g. a new AUX buffer after data loss): drops any
 * partial record, counting it as dropped.  Stats are kept. */
void spe_decoder_reset(struct spe_decoder *d, uint64_t stream_off);
/* Hand the decoder the next chunk.  The previous chunk must be used up
 * (spe_decoder_next() returned NULL). */
void spe_decoder_feed(struct spe_decoder *d, const uint8_t *buf, size_t len);
/*
 * Decode until a record completes and return it, or NULL when the chunk is
 * used up (feed more, or finish).  The record lives in the decoder: it is
 * valid until the next call (copy it to keep it).  Handing out a pointer
 * instead of copying into the caller's struct saves the copy, which costs
 * a store-forwarding stall per record on the hot path.
 */
const struct spe_record *spe_decoder_next(struct spe_decoder *d);
/* End of stream: the trailing unterminated record, if one holds any
 * packet, else NULL.  Leftover partial packet bytes are counted as
 * truncated_bytes and bad_bytes. */
const struct spe_record *spe_decoder_finish(struct spe_decoder *d);

/* Fill the record fields for one packet (the record layer's core, public
 * for the packet dumper and tests). */
void spe_record_add_pkt(struct spe_record *rec, const struct spe_pkt *pkt);

/* ---- interpretation --------------------------------------------------- */

/*
 * Canonical 64-bit address.  Rule (documented in README): PC and branch
 * targets at EL1/EL2 get the top byte 0xff when bit 55 is set (the TTBR1
 * half), other PCs are zero-extended; data VAs get 0xff when bits [55:52]
 * are 0xf, as Linux's kernel VA layout implies.  PAs are never extended.
 */
uint64_t spe_addr_canonical(unsigned int index, uint64_t addr, unsigned int el);

/* That rule for a PC (or branch target), inline and without a branch:
 * for hot loops that canonicalise every record's PC */
static inline uint64_t spe_pc_canonical(uint64_t addr, unsigned int el)
{
	uint64_t upper = (el - 1u < 2u) & (addr >> 55 & 1);

	return (addr & SPE_ADDR_VALUE_MASK) | (-upper & 0xff00000000000000ULL);
}

const char *spe_event_name(unsigned int bit);	/* NULL if unnamed */
/* The event's name, or "E<bit>" written into @buf for an unnamed one. */
const char *spe_event_label(unsigned int bit, char buf[8]);
const char *spe_op_class_name(unsigned int op_class);
const char *spe_ldst_sub_name(unsigned int sub);
const char *spe_pkt_type_name(unsigned int type);

/* Decode the op type payload (a byte: its low 8 bits) of header class
 * @cls (0-3; above 3 is reserved) into class/subclass. */
void spe_op_decode(unsigned int cls, unsigned int payload,
		   uint8_t *op_class, uint8_t *ldst_sub, uint8_t *evl);

/* ---- data source ------------------------------------------------------ */

enum spe_dsrc_family {
	SPE_DSRC_UNKNOWN = 0,	/* raw value only */
	SPE_DSRC_ARM_COMMON,	/* Neoverse N1/N2/V1/V2, recent Cortex */
	SPE_DSRC_AMPEREONE,
	SPE_DSRC_HISI_HIP,
};

enum spe_dsrc_family spe_dsrc_family_for_midr(uint64_t midr);
const char *spe_dsrc_family_name(enum spe_dsrc_family fam);
/* Name of a data source value, or NULL when the family does not define it. */
const char *spe_dsrc_name(enum spe_dsrc_family fam, unsigned int value);
/* True when the value means the data came from another socket/chip. */
bool spe_dsrc_is_remote(enum spe_dsrc_family fam, unsigned int value);
/* The same as a mask: bit v set when value v (< 32; none above) is
 * remote, for tests without a branch in a hot loop */
uint32_t spe_dsrc_remote_mask(enum spe_dsrc_family fam);
/* Is @value remote by @mask (spe_dsrc_remote_mask())?  No branch. */
static inline bool spe_dsrc_mask_remote(uint32_t mask, unsigned int value)
{
	return (value < 32) & (mask >> (value & 31) & 1);
}

/* ---- text ------------------------------------------------------------- */

/*
 * Describe a packet in the words of `perf report -D` where perf 6.1 knows
 * the encoding; newer encodings get their Arm ARM names.  Returns the
 * length written (snprintf semantics).
 */
int spe_pkt_desc(const struct spe_pkt *pkt, char *buf, size_t size);

#endif /* SPEKIT_LIBSPE_H */
