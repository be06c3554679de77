// SPDX-License-Identifier: GPL-2.0-only
/* Building and checking the simulated sample records (spe_records.h). */
#include <string.h>

#include <spekit/spe_format.h>

#include "spe_records.h"

/* Payload bytes are a function of seq and position: corruption shows */
static u8 fill_byte(u64 seq, u32 i)
{
	return (u8)(seq * 31 + i * 7 + 1);
}

void spe_rec_build(u8 *dst, u64 seq, u32 len)
{
	u32 i = 0, rem;

	dst[i++] = SPE_HDR_ADDR | SPE_ADDR_PC;
	for (int b = 0; b < 8; b++)
		dst[i++] = b < 6 ? (u8)(seq >> (8 * b)) : (b == 7 ? 0x80 : 0);
	dst[i++] = SPE_HDR_CONTEXT | 1;
	for (int b = 0; b < 4; b++)
		dst[i++] = (u8)(len >> (8 * b));

	/* Events packets: 2 bytes (one-byte payload) or 3 (two-byte) */
	rem = len - i - 1;
	while (rem) {
		if (rem & 1) {
			dst[i] = SPE_HDR_EVENTS | (1 << SPE_HDR_SZ_SHIFT);
			dst[i + 1] = fill_byte(seq, i + 1);
			dst[i + 2] = fill_byte(seq, i + 2);
			i += 3;
			rem -= 3;
		} else {
			dst[i] = SPE_HDR_EVENTS;
			dst[i + 1] = fill_byte(seq, i + 1);
			i += 2;
			rem -= 2;
		}
	}
	dst[i] = SPE_HDR_END;
}

enum spe_rec_parse spe_rec_parse(const u8 *p, u64 avail, u64 *seq, u32 *len)
{
	static u8 want[SPE_REC_MAX_LEN];
	u64 s = 0;
	u32 l = 0;

	*seq = ~0ULL;
	*len = 0;
	if (!avail || p[0] != (SPE_HDR_ADDR | SPE_ADDR_PC))
		return SPE_REC_BAD;
	if (avail < SPE_REC_HDR_LEN)
		return SPE_REC_SHORT;
	for (int b = 0; b < 6; b++)
		s |= (u64)p[1 + b] << (8 * b);
	for (int b = 0; b < 4; b++)
		l |= (u32)p[10 + b] << (8 * b);
	if (p[9] != (SPE_HDR_CONTEXT | 1) || l < SPE_REC_MIN_LEN ||
	    l > SPE_REC_MAX_LEN)
		return SPE_REC_BAD;

	spe_rec_build(want, s, l);
	if (memcmp(p, want, avail < l ? avail : l))
		return SPE_REC_BAD;
	*seq = s;
	*len = l;
	return avail < l ? SPE_REC_SHORT : SPE_REC_OK;
}
