// SPDX-License-Identifier: GPL-2.0-only
/*
 * SPE packet framing and decoding.  Freestanding: no libc calls.
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
#include "spe.h"

static inline uint64_t load_le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

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
		for (unsigned int i = 0; i < 8; i++)
			v |= (uint64_t)p[i] << (8 * i);
		return v;
	}
}

static inline unsigned int short_payload_len(uint8_t h)
{
	return 1u << ((h & SPE_HDR_SZ_MASK) >> SPE_HDR_SZ_SHIFT);
}

static int decode_ext(const uint8_t *buf, size_t len, struct spe_pkt *pkt)
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
	plen = short_payload_len(h1);
	if (len < 2 + plen)
		return SPE_PKT_NEED_MORE;
	pkt->payload = load_le(buf + 2, plen);
	pkt->len = (uint8_t)(2 + plen);
	return pkt->len;
}

int spe_pkt_decode(const uint8_t *buf, size_t len, struct spe_pkt *pkt)
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
		return decode_ext(buf, len, pkt);

	plen = short_payload_len(h);
	if (len < 1 + plen)
		return SPE_PKT_NEED_MORE;
	pkt->payload = load_le(buf + 1, plen);
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
