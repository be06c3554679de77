/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where spe-mkperf may cut a raw SPE stream into AUXTRACE buffers.
 *
 * A real AUX buffer never splits an SPE record, so neither do we: a cut
 * goes right after an END or Timestamp packet, the two packets that close
 * a record.  Packets are framed by the generic header rules alone (payload
 * size from header bits [5:4], extended 0b001000xx prefix), independent of
 * libspe's decoder, so that the wrapper does not depend on what it wraps.
 */
#ifndef SPEKIT_MKPERF_CHUNK_H
#define SPEKIT_MKPERF_CHUNK_H

#include <stddef.h>
#include <stdint.h>

/* Bytes in the packet at @buf (may exceed @left when cut short) */
size_t mkperf_pkt_len(const uint8_t *buf, size_t left);

/*
 * End of the chunk that starts at @start: the first record boundary at
 * least @min bytes on, or @len when there is none.
 */
size_t mkperf_chunk_end(const uint8_t *buf, size_t len, size_t start, size_t min);

#endif /* SPEKIT_MKPERF_CHUNK_H */
