/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SPEDUMP_PKTDUMP_H
#define SPEDUMP_PKTDUMP_H

#include <stddef.h>
#include <stdint.h>

#include "outbuf.h"

/*
 * Dump one AUX buffer packet by packet in the layout of `perf report -D`:
 * a ". ... ARM SPE data: size 0x.. bytes" header, then per packet the
 * buffer offset, up to 16 bytes in hex and the description.  Runs of PAD
 * bytes share a line (16 at most), as perf prints them.  Differences from
 * perf 6.1 (named in README and tests/perf): packets of unassigned type are
 * shown whole ("UNKNOWN ... (skipped by size)") where perf steps one byte
 * at a time, and a packet cut short by the buffer end is shown whole as
 * "Truncated packet" where perf prints "Bad packet!" per byte.
 */
struct pktdump_damage {
	uint64_t bad_bytes;		/* bytes shown as bad or truncated */
	uint64_t bad_events;		/* bad packets and cut packets */
	uint64_t truncated_bytes;	/* of a packet cut by the buffer end */
};

/* @dmg accumulates what could not be decoded (for the exit status). */
void pktdump_buffer(struct outbuf *o, const uint8_t *buf, size_t len,
		    struct pktdump_damage *dmg);

#endif
