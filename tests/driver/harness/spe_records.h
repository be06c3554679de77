/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sample records the simulated SPE unit writes: valid SPE packets that
 * carry a sequence number and their own length, ending with an END packet,
 * so a reader can tell a whole record from a partial one, recognise
 * padding (0x00 bytes, the PAD packet), and check each record reached it
 * exactly once and in order.
 *
 *   b0 <8 bytes>	Address packet, PC: seq in bits [47:0]
 *   65 <4 bytes>	Context packet: the record's length in bytes
 *   42 xx | 52 xx xx	Events packets filling up to the length
 *   01			END
 */
#ifndef SPEKIT_DRVH_SPE_RECORDS_H
#define SPEKIT_DRVH_SPE_RECORDS_H

#include <linux/types.h>

#define SPE_REC_MIN_LEN		32
#define SPE_REC_MAX_LEN		65536
#define SPE_REC_HDR_LEN		14	/* PC + Context packets */

/* Write the record @seq of @len bytes (SPE_REC_MIN_LEN..MAX_LEN) at @dst */
void spe_rec_build(u8 *dst, u64 seq, u32 len);

enum spe_rec_parse {
	SPE_REC_OK,		/* a whole, correct record */
	SPE_REC_SHORT,		/* correct as far as it goes, but cut off */
	SPE_REC_BAD,		/* not a record, or corrupt */
};

/*
 * Parse the record at @p, @avail bytes available.  On SPE_REC_OK and
 * SPE_REC_SHORT *seq is the record's sequence number (SHORT: when at least
 * the header is there, else ~0) and *len its full length.
 */
enum spe_rec_parse spe_rec_parse(const u8 *p, u64 avail, u64 *seq, u32 *len);

#endif
