// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the packet and record decoders.
 * Beyond "no crash" under ASan/UBSan it checks an invariant: decoding the
 * input in one piece and in chunks derived from the input itself (as a
 * wrapping AUX ring or a pipe delivers it) yields identical records and
 * counts, and every byte is accounted for.
 */
#include <stdlib.h>
#include <string.h>

#include "spe.h"

#define MAX_RECS 4096

static struct spe_record whole[MAX_RECS], chunked[MAX_RECS];

/* Records decoded (all of them; the first MAX_RECS are kept in @out) */
static size_t run(const uint8_t *data, size_t size, const uint8_t *cuts,
		  size_t ncuts, struct spe_record *out, struct spe_stats *st)
{
	const struct spe_record *r;
	struct spe_decoder d;
	size_t n = 0, pos = 0, c = 0;

	spe_decoder_init(&d);
	while (pos < size) {
		size_t len = ncuts ? 1 + cuts[c++ % ncuts] % 17 : size;

		if (len > size - pos)
			len = size - pos;
		spe_decoder_feed(&d, data + pos, len);
		while ((r = spe_decoder_next(&d)))
			if (n++ < MAX_RECS)
				out[n - 1] = *r;
		pos += len;
	}
	r = spe_decoder_finish(&d);
	if (r && n++ < MAX_RECS)
		out[n - 1] = *r;
	*st = d.stats;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spe_stats a, b;
	size_t na, nb, pos = 0;
	char text[256];

	na = run(data, size, NULL, 0, whole, &a);
	nb = run(data, size, data, size < 64 ? size : 64, chunked, &b);
	/* a long input (a big seed: libFuzzer runs seeds of any size)
	 * has more records than are kept; the kept ones are compared */
	if (na != nb || memcmp(&a, &b, sizeof(a)) ||
	    memcmp(whole, chunked, (na < MAX_RECS ? na : MAX_RECS) * sizeof(whole[0])))
		abort();
	if (a.bytes != size || a.records != na)
		abort();

	/* every packet described, never past its buffer */
	while (pos < size) {
		struct spe_pkt p;
		int n = spe_pkt_decode(data + pos, size - pos, &p);

		if (n > 0) {
			if ((size_t)n > size - pos)
				abort();
			spe_pkt_desc(&p, text, sizeof(text));
			pos += (size_t)n;
		} else {
			pos++;
		}
	}
	return 0;
}
