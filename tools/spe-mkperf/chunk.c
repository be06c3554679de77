// SPDX-License-Identifier: GPL-2.0-only
/*
 * Minimal SPE packet framing for choosing cut points; see chunk.h.
 */
#include "chunk.h"

#define HDR_END		0x01
#define HDR_TIMESTAMP	0x71

size_t mkperf_pkt_len(const uint8_t *buf, size_t left)
{
	uint8_t h = buf[0];

	/* 0b001000xx: a second header byte carries the size */
	if ((h & 0xfc) == 0x20) {
		if (left < 2)
			return 2;
		return 2 + ((buf[1] >> 6) ? (1u << ((buf[1] >> 4) & 3)) : 0);
	}
	/* 0b00xxxxxx: PAD, END and reserved one-byte headers */
	if (!(h >> 6))
		return 1;
	return 1 + (1u << ((h >> 4) & 3));
}

size_t mkperf_chunk_end(const uint8_t *buf, size_t len, size_t start, size_t min)
{
	size_t pos = start;

	while (pos < len) {
		uint8_t h = buf[pos];
		size_t n = mkperf_pkt_len(buf + pos, len - pos);

		if (n > len - pos)
			return len;
		pos += n;
		if ((h == HDR_END || h == HDR_TIMESTAMP) && pos - start >= min)
			return pos;
	}
	return len;
}
