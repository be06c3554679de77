/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The packet decoder as static inline functions, so the record decoder's
 * hot loop gets it inlined; spe_pkt.c exports the same code as
 * spe_pkt_decode().  Freestanding.
 *
 * Framing follows the Arm ARM's generic header rules so that packets this
 * code does not know are still skipped by their size:
 *   0x00 PAD, 0x01 END, other 0x02-0x1f: 1-byte packets, no payload;
 *   0x20-0x23: 2-byte extended header, byte 1 a short Address or Counter
 *              header (0x20-0x23 followed by 0x00 is perf's 2-byte
 *              alignment pad, kept for compatibility);
 *   0x24-0x3f: reserved extended headers: cannot be framed;
 *   0x40-0xff: payload of 1 << bits[5:4] bytes.
 */
#ifndef SPEKIT_SPE_PKT_INLINE_H
#define SPEKIT_SPE_PKT_INLINE_H

#include "spe.h"

/* Little-endian 8-byte load from any alignment. */
static inline uint64_t spe_load_le64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline uint64_t spe_load_le(const uint8_t *p, unsigned int n)
{
	/* Byte loop: unaligned-safe and endian-independent; compilers turn
	 * the fixed sizes below into single loads. */
	switch (n) {
	case 1:
		return p[0];
	case 2:
		return (uint64_t)p[0] | (uint64_t)p[1] << 8;
	case 4:
		return (uint64_t)p[0] | (uint64_t)p[1] << 8 |
		       (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
	default:
		return spe_load_le64(p);
	}
}

static inline unsigned int spe_short_payload_len(uint8_t h)
{
	return 1u << ((h & SPE_HDR_SZ_MASK) >> SPE_HDR_SZ_SHIFT);
}

static inline int spe_pkt_decode_ext(const uint8_t *buf, size_t len, struct spe_pkt *pkt)
{
	uint8_t h0 = buf[0], h1;
	unsigned int plen;

	if ((h0 & SPE_HDR_EXT_MASK) != SPE_HDR_EXT)
		return SPE_PKT_INVALID;
	if (len < 2)
		return SPE_PKT_NEED_MORE;
	h1 = buf[1];
	pkt->hdr_len = 2;
	if (h1 == SPE_HDR_PAD) {
		pkt->type = SPE_PKT_PAD;
		pkt->len = 2;
		return 2;
	}
	if ((h1 & SPE_HDR_ADDR_MASK) == SPE_HDR_ADDR)
		pkt->type = SPE_PKT_ADDRESS;
	else if ((h1 & SPE_HDR_COUNTER_MASK) == SPE_HDR_COUNTER)
		pkt->type = SPE_PKT_COUNTER;
	else
		return SPE_PKT_INVALID;
	pkt->index = (uint8_t)((h0 & SPE_HDR_EXT_INDEX_MASK) << 3 |
			       (h1 & SPE_HDR_INDEX_MASK));
	plen = spe_short_payload_len(h1);
	if (len < 2 + plen)
		return SPE_PKT_NEED_MORE;
	pkt->payload = spe_load_le(buf + 2, plen);
	pkt->len = (uint8_t)(2 + plen);
	return pkt->len;
}

static inline int spe_pkt_decode_inline(const uint8_t *buf, size_t len,
					struct spe_pkt *pkt)
{
	uint8_t h;
	unsigned int plen;

	pkt->payload = 0;
	pkt->index = 0;
	pkt->hdr_len = 1;
	if (!len)
		return SPE_PKT_NEED_MORE;
	h = buf[0];

	if (h < SPE_HDR_SHORT_NOPAYLOAD_END) {
		pkt->type = h == SPE_HDR_PAD ? SPE_PKT_PAD :
			    h == SPE_HDR_END ? SPE_PKT_END : SPE_PKT_UNKNOWN;
		pkt->len = 1;
		return 1;
	}
	if ((h & SPE_HDR_EXT_RANGE_MASK) == SPE_HDR_EXT_RANGE)
		return spe_pkt_decode_ext(buf, len, pkt);

	plen = spe_short_payload_len(h);
	if (len < 1 + plen)
		return SPE_PKT_NEED_MORE;
	pkt->payload = spe_load_le(buf + 1, plen);
	pkt->len = (uint8_t)(1 + plen);

	if (h == SPE_HDR_TIMESTAMP) {
		pkt->type = SPE_PKT_TIMESTAMP;
	} else if ((h & SPE_HDR_ADDR_MASK) == SPE_HDR_ADDR) {
		pkt->type = SPE_PKT_ADDRESS;
		pkt->index = h & SPE_HDR_INDEX_MASK;
	} else if ((h & SPE_HDR_COUNTER_MASK) == SPE_HDR_COUNTER) {
		pkt->type = SPE_PKT_COUNTER;
		pkt->index = h & SPE_HDR_INDEX_MASK;
	} else if ((h & SPE_HDR_EVENTS_MASK) == SPE_HDR_EVENTS) {
		pkt->type = SPE_PKT_EVENTS;
		pkt->index = (uint8_t)plen;
	} else if ((h & SPE_HDR_DSRC_MASK) == SPE_HDR_DSRC) {
		pkt->type = SPE_PKT_DATA_SOURCE;
		pkt->index = (uint8_t)plen;
	} else if ((h & SPE_HDR_OP_MASK) == SPE_HDR_OP) {
		pkt->type = SPE_PKT_OP_TYPE;
		pkt->index = h & 0x3;
	} else if ((h & SPE_HDR_CONTEXT_MASK) == SPE_HDR_CONTEXT) {
		pkt->type = SPE_PKT_CONTEXT;
		pkt->index = h & 0x3;
	} else {
		pkt->type = SPE_PKT_UNKNOWN;
	}
	return pkt->len;
}

/*
 * Fast path: the caller guarantees SPE_PKT_MAX_LEN readable bytes at
 * @buf, so the payload is one unaligned load masked to its size and no
 * length checks are needed.  Same results as spe_pkt_decode_inline().
 */
static inline __attribute__((always_inline)) int spe_pkt_decode_fast(const uint8_t *buf, struct spe_pkt *pkt)
{
	uint8_t h = buf[0];
	unsigned int plen;

	pkt->index = 0;
	pkt->hdr_len = 1;
	if (h < SPE_HDR_SHORT_NOPAYLOAD_END || (h & SPE_HDR_EXT_RANGE_MASK) == SPE_HDR_EXT_RANGE)
		return spe_pkt_decode_inline(buf, SPE_PKT_MAX_LEN, pkt);

	plen = spe_short_payload_len(h);
	pkt->payload = spe_load_le64(buf + 1);
	if (plen < 8)
		pkt->payload &= (1ULL << (8 * plen)) - 1;
	pkt->len = (uint8_t)(1 + plen);

	switch (h >> 6) {
	case 2:	/* 0b10xxxxxx: Address, Counter */
		if ((h & SPE_HDR_ADDR_MASK) == SPE_HDR_ADDR) {
			pkt->type = SPE_PKT_ADDRESS;
			pkt->index = h & SPE_HDR_INDEX_MASK;
			return pkt->len;
		}
		if ((h & SPE_HDR_COUNTER_MASK) == SPE_HDR_COUNTER) {
			pkt->type = SPE_PKT_COUNTER;
			pkt->index = h & SPE_HDR_INDEX_MASK;
			return pkt->len;
		}
		break;
	case 1:	/* 0b01xxxxxx: Timestamp, Events, Data Source, Op, Context */
		if (h == SPE_HDR_TIMESTAMP) {
			pkt->type = SPE_PKT_TIMESTAMP;
			return pkt->len;
		}
		if ((h & SPE_HDR_EVENTS_MASK) == SPE_HDR_EVENTS) {
			pkt->type = SPE_PKT_EVENTS;
			pkt->index = (uint8_t)plen;
			return pkt->len;
		}
		if ((h & SPE_HDR_DSRC_MASK) == SPE_HDR_DSRC) {
			pkt->type = SPE_PKT_DATA_SOURCE;
			pkt->index = (uint8_t)plen;
			return pkt->len;
		}
		if ((h & SPE_HDR_OP_MASK) == SPE_HDR_OP) {
			pkt->type = SPE_PKT_OP_TYPE;
			pkt->index = h & 0x3;
			return pkt->len;
		}
		if ((h & SPE_HDR_CONTEXT_MASK) == SPE_HDR_CONTEXT) {
			pkt->type = SPE_PKT_CONTEXT;
			pkt->index = h & 0x3;
			return pkt->len;
		}
		break;
	default:
		break;
	}
	pkt->type = SPE_PKT_UNKNOWN;
	return pkt->len;
}

#endif
