// SPDX-License-Identifier: GPL-2.0-only
/* SPE packet decoding: see spe_pkt_inline.h for the framing rules. */
#include "spe_pkt_inline.h"

int spe_pkt_decode(const uint8_t *buf, size_t len, struct spe_pkt *pkt)
{
	return spe_pkt_decode_inline(buf, len, pkt);
}
