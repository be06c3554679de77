// SPDX-License-Identifier: GPL-2.0-only
#include "pktdump.h"
#include "spe.h"

/* One line: ".  %08x:  xx xx ...<pad to 16 columns> desc\n" */
static void dump_line(struct outbuf *o, size_t off, const uint8_t *p,
		      size_t n, const struct spe_pkt *pkt, const char *fixed)
{
	static const char hex[] = "0123456789abcdef";
	struct spe_text t;
	char *s;
	size_t i;

	outbuf_begin(o, &t, 512);
	s = t.buf;
	s[0] = '.';
	s[1] = ' ';
	s[2] = ' ';
	for (i = 0; i < 8; i++)
		s[3 + i] = hex[off >> (28 - 4 * i) & 0xf];
	s[11] = ':';
	s[12] = ' ';
	s += 13;
	for (i = 0; i < n && i < 16; i++) {
		s[0] = ' ';
		s[1] = hex[p[i] >> 4];
		s[2] = hex[p[i] & 0xf];
		s += 3;
	}
	for (; i < 16; i++) {
		s[0] = s[1] = s[2] = ' ';
		s += 3;
	}
	*s++ = ' ';
	t.len = (size_t)(s - t.buf);
	if (fixed)
		spe_text_str(&t, fixed);
	else
		t.len += (size_t)spe_pkt_desc(pkt, t.buf + t.len, t.size - t.len - 1);
	spe_text_chr(&t, '\n');
	outbuf_commit(o, &t);
}

void pktdump_buffer(struct outbuf *o, const uint8_t *buf, size_t len)
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
		int n = spe_pkt_decode(buf + pos, len - pos, &pkt);

		if (n > 0 && pkt.type == SPE_PKT_PAD && pkt.len == 1) {
			size_t run = 1;

			while (run < 16 && pos + run < len && !buf[pos + run])
				run++;
			n = (int)run;
		}
		if (n > 0)
			dump_line(o, pos, buf + pos, (size_t)n, &pkt, NULL);
		else if (n == SPE_PKT_NEED_MORE)
			dump_line(o, pos, buf + pos, n = (int)(len - pos), NULL,
				  "Truncated packet");
		else
			dump_line(o, pos, buf + pos, n = 1, NULL, "Bad packet!");
		pos += (size_t)n;
	}
}
