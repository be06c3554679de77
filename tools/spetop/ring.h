/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ring: the consumer side of one perf event's mmap'd memory, as pure logic.
 *
 * A perf event mapped for AUX tracing is three pieces of memory:
 *   - the control page, struct perf_event_mmap_page (data_head/data_tail,
 *     aux_head/aux_tail, written by the kernel and by us);
 *   - the data ring, 2^n bytes of perf records (PERF_RECORD_AUX, LOST,
 *     COMM, MMAP2, ...); a record may wrap around the ring's end;
 *   - the AUX area, 2^m bytes of SPE trace, a byte stream whose offsets
 *     are aux_head/aux_tail (free-running u64 counters, never masked).
 *
 * ring_consume() drains both: it hands every data record, parsed into a
 * struct ring_event, to ops->event and every new AUX byte, in stream
 * order and exactly once, to ops->aux, then gives the space back to the
 * kernel by storing the tails.  No syscalls, no allocation, no libc I/O:
 * the three pieces are plain pointers, so tests lay them out in malloc'd
 * memory and play the kernel.
 *
 * Memory ordering (the rules of <linux/perf_event.h>): the heads are read
 * with acquire loads, so the bytes they cover are visible; the tails are
 * written with release stores after the callbacks return, so the kernel
 * cannot reuse bytes the callbacks still read.  aux_head is read before
 * data_head: the kernel writes a PERF_RECORD_AUX before it publishes the
 * aux_head that covers its bytes, so reading in the opposite order of
 * the writes sees the record whenever it sees the bytes.
 *
 * Non-overwrite mode only (the AUX area mapped PROT_READ|PROT_WRITE): the
 * kernel never writes over bytes we have not released.  When we fall
 * behind it stops, ends the AUX session with PERF_AUX_FLAG_TRUNCATED and
 * disables the event; the caller re-enables it (PERF_EVENT_IOC_ENABLE)
 * after draining.  The bytes after such a record come from a later
 * session: the SPE decoder must restart there.  ring_consume() says where
 * with ops->aux_gap, placed exactly in the byte stream (see below).
 *
 * Errors.  A data record whose size is below 8 (a header), beyond what
 * data_head says was written, or a data_head more than the ring's size
 * ahead of data_tail (or behind it), cannot be framed: ring_consume()
 * reports RING_ERR_CORRUPT after delivering the records before it.
 * Reset rule: data_tail is set to the data_head it read, discarding the
 * rest of what was written; the kernel writes its next record at that
 * head, so framing is sound again from there.  An aux_head behind
 * aux_tail is reset the same way (aux_tail = aux_head).  An aux_head more
 * than the AUX size ahead of aux_tail means bytes were overwritten before
 * we saw them (an overwrite-mode mapping, or a misbehaving producer): the
 * oldest ones are skipped, counted in aux_lost_bytes, and a gap is
 * reported where delivery resumes.  No case loops or reads outside the
 * given memory.  A record that frames fine but is too short for its type
 * (or its string has no NUL) is skipped and counted as malformed; unknown
 * record types are skipped by header.size and counted.
 */
#ifndef SPETOP_RING_H
#define SPETOP_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/perf_event.h>

/* PERF_RECORD_AUX flags (uapi values, named here for the callers) */
#define RING_AUX_TRUNCATED	0x1	/* session cut: the stream has a gap after it */
#define RING_AUX_OVERWRITE	0x2	/* snapshot mode (not used by spetop) */
#define RING_AUX_PARTIAL	0x4	/* the session's last SPE record may be cut */
#define RING_AUX_COLLISION	0x8	/* samples collided: some were not recorded */

/* aux_gap flags: why the stream is discontinuous (AUX flags, plus:) */
#define RING_GAP_OVERRUN	0x100	/* bytes overwritten before delivery */
#define RING_GAP_RESET		0x200	/* aux_head went backwards: reset */
#define RING_GAP_LATE		0x400	/* the record came after bytes past the
					 * gap were delivered (see aux_gap) */

/* ring_consume() and ring_view_init() errors */
#define RING_ERR_INVAL		(-1)	/* bad view: sizes not powers of 2, NULLs */
#define RING_ERR_CORRUPT	(-2)	/* data or AUX ring cannot be framed */

/* Longest perf record: header.size is 16 bits */
#define RING_REC_MAX		65536
/* Gaps waiting for their stream offset to be delivered */
#define RING_MAX_GAPS		32

/* sample_id trailer fields present (sample_id_all and sample_type) */
#define RING_SID_TID		0x01
#define RING_SID_TIME		0x02
#define RING_SID_ID		0x04
#define RING_SID_STREAM_ID	0x08
#define RING_SID_CPU		0x10
#define RING_SID_IDENTIFIER	0x20

struct ring_sample_id {
	uint32_t has;		/* RING_SID_* */
	uint32_t pid, tid;
	uint32_t cpu;
	uint64_t time;
	uint64_t id;		/* from ID or IDENTIFIER */
	uint64_t stream_id;
};

enum ring_ev_type {
	RING_EV_AUX = 1,	/* PERF_RECORD_AUX */
	RING_EV_LOST,		/* PERF_RECORD_LOST: data records dropped */
	RING_EV_LOST_SAMPLES,	/* PERF_RECORD_LOST_SAMPLES */
	RING_EV_ITRACE_START,	/* PERF_RECORD_ITRACE_START */
	RING_EV_COMM,		/* PERF_RECORD_COMM */
	RING_EV_MMAP,		/* PERF_RECORD_MMAP and MMAP2 */
	RING_EV_SWITCH,		/* PERF_RECORD_SWITCH and SWITCH_CPU_WIDE */
};

/*
 * One data record, parsed.  Strings point into the ring or the bounce
 * buffer: valid during the callback only (copy to keep).
 */
struct ring_event {
	uint32_t type;		/* enum ring_ev_type */
	uint32_t rec_type;	/* PERF_RECORD_* */
	uint16_t misc;		/* header.misc */
	uint16_t size;		/* header.size */
	uint64_t pos;		/* data stream offset of the record (data_tail) */
	struct ring_sample_id sid;	/* has == 0 without sample_id_all */
	union {
		struct {
			uint64_t offset;	/* AUX stream offset of the session */
			uint64_t size;		/* bytes written in it */
			uint64_t flags;		/* RING_AUX_* (and PMU format bits) */
		} aux;
		struct {
			uint64_t id, lost;
		} lost;
		struct {
			uint64_t lost;
		} lost_samples;
		struct {
			uint32_t pid, tid;
		} itrace;
		struct {
			uint32_t pid, tid;
			bool exec;		/* PERF_RECORD_MISC_COMM_EXEC */
			const char *comm;
		} comm;
		struct {
			uint32_t pid, tid;
			uint64_t start, len, pgoff;
			bool mmap2;
			bool has_build_id;	/* MMAP2 with MISC_MMAP_BUILD_ID */
			uint8_t build_id_size;
			uint8_t build_id[20];
			uint32_t maj, min;	/* MMAP2 without build id */
			uint64_t ino, ino_generation;
			uint32_t prot, flags;	/* MMAP2 */
			const char *filename;
		} mmap;
		struct {
			bool out;		/* PERF_RECORD_MISC_SWITCH_OUT */
			bool preempt;		/* ..._SWITCH_OUT_PREEMPT */
			bool cpu_wide;		/* SWITCH_CPU_WIDE: next_prev valid */
			uint32_t next_prev_pid, next_prev_tid;
		} sw;
	};
};

/*
 * Counters.  They only grow; ring_consume() adds to them, so one struct
 * may total several rings.
 */
struct ring_drops {
	uint64_t aux_records;		/* PERF_RECORD_AUX seen */
	uint64_t truncated;		/* ... with TRUNCATED */
	uint64_t partial;		/* ... with PARTIAL */
	uint64_t collision;		/* ... with COLLISION */
	uint64_t overwrite;		/* ... with OVERWRITE */
	uint64_t aux_record_bytes;	/* sum of their aux_size */
	uint64_t lost_records;		/* PERF_RECORD_LOST seen */
	uint64_t lost_events;		/* sum of their lost counts */
	uint64_t lost_samples;		/* sum of LOST_SAMPLES counts */
	uint64_t aux_bytes;		/* AUX bytes delivered to ops->aux */
	uint64_t aux_lost_bytes;	/* AUX bytes overwritten before delivery:
					 * the consumer never saw them */
	uint64_t gaps;			/* ops->aux_gap calls */
	uint64_t gaps_dropped;		/* gaps not queued: queue full */
	uint64_t records;		/* data records consumed (all types) */
	uint64_t data_bytes;		/* data ring bytes consumed */
	uint64_t unknown;		/* records of types not parsed, skipped */
	uint64_t malformed;		/* records too short for their type */
	uint64_t corrupt;		/* RING_ERR_CORRUPT resets */
};

struct ring_ops {
	/*
	 * New AUX bytes, @len > 0, starting at AUX stream offset
	 * @stream_off.  Successive calls continue the stream (the next one
	 * starts at @stream_off + @len) unless an aux_gap call comes
	 * between.  A wrap of the AUX area gives two calls.  NULL: the
	 * bytes are released unseen (still counted in aux_bytes).
	 */
	void (*aux)(void *ctx, const uint8_t *buf, size_t len, uint64_t stream_off);
	/*
	 * The AUX stream is discontinuous at @stream_off: bytes from it on
	 * belong to a later session than the bytes before (@flags: the
	 * RING_AUX_* of the record that ended the earlier session, or
	 * RING_GAP_*).  Called after every byte below @stream_off has been
	 * delivered and before any byte at or above it.  For SPE: finish
	 * the decoder (its trailing record, if any, was cut) and reset it
	 * at @stream_off (spe_decoder_finish(), spe_decoder_reset()).
	 * RING_GAP_LATE: the kernel published the bytes before the record,
	 * and bytes past @stream_off were already delivered (not seen with
	 * SPE, whose event stays stopped after TRUNCATED until re-enabled).
	 * NULL: not reported (still counted).
	 */
	void (*aux_gap)(void *ctx, uint64_t stream_off, uint64_t flags);
	/* A parsed data record (NULL: records are consumed and counted). */
	void (*event)(void *ctx, const struct ring_event *ev);
};

/*
 * One mapped event: its memory, the attr bits that shape its records, and
 * the consumer's state.  About 66 KiB (the bounce buffer): allocate it.
 */
struct ring_view {
	volatile struct perf_event_mmap_page *pg;
	const uint8_t *data;	/* the data ring */
	uint64_t data_size;	/* bytes, a power of 2 */
	const uint8_t *aux;	/* the AUX area, or NULL */
	uint64_t aux_size;	/* bytes, a power of 2 (0 without AUX) */
	uint64_t sample_type;	/* attr.sample_type */
	bool sample_id_all;	/* attr.sample_id_all */

	/* consumer state (ring_view_init() clears it) */
	uint32_t sid_has;		/* RING_SID_* the trailer holds */
	uint32_t sid_size;		/* trailer bytes */
	uint64_t last_aux_fill;		/* aux_head - aux_tail at the last call */
	unsigned int ngaps;
	struct {
		uint64_t off, flags;
	} gaps[RING_MAX_GAPS];		/* ascending offsets */
	uint64_t bounce[RING_REC_MAX / 8];	/* a record that wraps */
};

/*
 * Set up @v.  @pg the control page, @data/@data_size the data ring (the
 * kernel's pg->data_offset/data_size), @aux/@aux_size the AUX area (NULL/0
 * for none).  Returns 0 or RING_ERR_INVAL (a size not a power of 2, a
 * data ring below 8 bytes, a NULL).
 */
int ring_view_init(struct ring_view *v, volatile struct perf_event_mmap_page *pg,
		   const uint8_t *data, uint64_t data_size,
		   const uint8_t *aux, uint64_t aux_size,
		   uint64_t sample_type, bool sample_id_all);

/* RING_SID_* and trailer size for a sample_type (0 without sample_id_all) */
uint32_t ring_sid_fields(uint64_t sample_type, bool sample_id_all, uint32_t *size);

/*
 * Drain @v once: the data records in [data_tail, data_head) to ops->event
 * (gaps queued from PERF_RECORD_AUX flags), then the AUX bytes in
 * [aux_tail, aux_head) to ops->aux with ops->aux_gap at the gaps; then
 * the tails are stored.  Counters are added to @drops (may be NULL).
 * Returns the number of data records plus AUX chunks handed over (0:
 * nothing new), or RING_ERR_CORRUPT (see the reset rule above; the AUX
 * area is still drained when only the data ring was corrupt), or
 * RING_ERR_INVAL.
 */
int ring_consume(struct ring_view *v, const struct ring_ops *ops, void *ctx,
		 struct ring_drops *drops);

/*
 * Parse one whole record (@rec, @len == header.size bytes) as
 * ring_consume() does.  Returns 1 with @ev filled, 0 for a type not
 * parsed (skipped), -1 when too short for its type (malformed).
 */
int ring_parse_record(const uint8_t *rec, size_t len, uint64_t sample_type,
		      bool sample_id_all, struct ring_event *ev);

/* "AUX", "LOST", ...; "?" for others */
const char *ring_ev_name(unsigned int type);

#endif /* SPETOP_RING_H */
