// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "pktdump.h"
#include "spe.h"
#include "spe_pkt_inline.h"

/* One line: ".  %08x:  xx xx ...<pad to 16 columns> desc\n" */
static void dump_line(struct outbuf *o, size_t off, const uint8_t *p,
		      size_t n, const struct spe_pkt *pkt, const char *fixed)
{
	/* ".  " + 8 hex digits + ": " + 16 * " xx" + " " */
	static const char blank[64] = "                                                                ";
	struct spe_text t;
	char *s;
	size_t i;

	outbuf_begin(o, &t, 512);
	s = t.buf;
	memcpy(s, ".  ", 3);
	for (i = 0; i < 4; i++)
		spe_hex_byte(s + 3 + 2 * i, (unsigned int)(off >> (24 - 8 * i)));
	memcpy(s + 11, ": ", 2);
	s += 13;
	if (n > 16)
		n = 16;
	for (i = 0; i < n; i++) {
		s[0] = ' ';
		spe_hex_byte(s + 1, p[i]);
		s += 3;
	}
	memcpy(s, blank, 3 * (16 - n) + 1);
	s += 3 * (16 - n) + 1;
	t.len = (size_t)(s - t.buf);
	if (fixed)
		spe_text_str(&t, fixed);
	else
		t.len += (size_t)spe_pkt_desc(pkt, t.buf + t.len, t.size - t.len - 1);
	spe_text_chr(&t, '\n');
	outbuf_commit(o, &t);
}

void pktdump_buffer(struct outbuf *o, const uint8_t *buf, size_t len,
		    struct pktdump_damage *dmg)
{
	struct spe_text t;
	size_t pos = 0;

	outbuf_begin(o, &t, 64);
	spe_text_str(&t, ". ... ARM SPE data: size ");
	spe_text_hex0x(&t, len);
	spe_text_str(&t, " bytes\n");
	outbuf_commit(o, &t);

	while (pos < len) {
		struct spe_pkt pkt;
		int n = len - pos >= SPE_PKT_MAX_LEN ?
			spe_pkt_decode_fast(buf + pos, &pkt) :
			spe_pkt_decode_inline(buf + pos, len - pos, &pkt);

		/* test the byte, not pkt.type: reading back the fields just
		 * stored costs a store-forwarding stall per packet */
		if (n == 1 && !buf[pos]) {
			size_t run = 1;

			while (run < 16 && pos + run < len && !buf[pos + run])
				run++;
			n = (int)run;
		}
		if (n > 0)
			dump_line(o, pos, buf + pos, (size_t)n, &pkt, NULL);
		else if (n == SPE_PKT_NEED_MORE) {
			dump_line(o, pos, buf + pos, n = (int)(len - pos), NULL,
				  "Truncated packet");
			dmg->truncated_bytes += (uint64_t)n;
			dmg->bad_bytes += (uint64_t)n;
			dmg->bad_events++;
		} else {
			dump_line(o, pos, buf + pos, n = 1, NULL, "Bad packet!");
			dmg->bad_bytes++;
			dmg->bad_events++;
		}
		pos += (size_t)n;
	}
}
