// SPDX-License-Identifier: GPL-2.0-only
/*
 * spegen damage.  Log lines, one per change (offsets are stream offsets
 * after all earlier changes, i.e. positions in the written file):
 *
 *   damage offset=N kind=flip old=0xXX new=0xXX in=hdr|payload|pad record=R
 *   damage offset=N kind=insert new=0xXX in=hdr|payload|pad|end record=R
 *   damage offset=N kind=delete old=0xXX in=hdr|payload|pad record=R
 *   damage offset=N kind=truncate pkt_offset=P pkt_len=L cut=C record=R
 *
 * "in" names the part of the original packet hit (for insert: the packet
 * the new byte was put in front of).  For truncate the stream ends at
 * offset N, inside the packet starting at P; C bytes of it are missing.
 */
#include <stdlib.h>
#include <string.h>

#include "spegen_damage.h"

enum { K_FLIP, K_INSERT, K_DELETE };

void spegen_damage_init(struct spegen_damage *dm, uint64_t seed, double rate,
			FILE *log)
{
	memset(dm, 0, sizeof(*dm));
	spegen_rng_seed(&dm->rng, seed ^ 0xda3a9e5eedULL);
	dm->rate = rate;
	dm->log = log;
}

/* Which packet holds byte @pos of the record, and which part of it. */
static const char *where(const struct spegen_rec_info *info, size_t pos,
			 int *pkt)
{
	unsigned int i;

	for (i = 0; i < info->nr_pkts; i++) {
		size_t o = info->pkt_off[i];

		if (pos < o || pos >= o + info->pkt_len[i])
			continue;
		if (pkt)
			*pkt = (int)i;
		if (!info->pkt_hdr_len[i])
			return "pad";
		return pos < o + info->pkt_hdr_len[i] ? "hdr" : "payload";
	}
	return "end";
}

static int pos_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

size_t spegen_damage_record(struct spegen_damage *dm, uint8_t *buf, size_t len,
			    const struct spegen_rec_info *info, uint64_t off,
			    uint64_t rec_no)
{
	struct spegen_rng *r = &dm->rng;
	size_t pos[SPEGEN_DAMAGE_MAX_PER_REC];
	int kind[SPEGEN_DAMAGE_MAX_PER_REC];
	unsigned int k, nr;
	long shift = 0;

	if (dm->rate <= 0 || !len)
		return len;
	nr = (unsigned int)dm->rate;
	if (spegen_rng_chance(r, dm->rate - nr))
		nr++;
	if (nr > SPEGEN_DAMAGE_MAX_PER_REC)
		nr = SPEGEN_DAMAGE_MAX_PER_REC;
	if (!nr)
		return len;
	for (k = 0; k < nr; k++)
		pos[k] = spegen_rng_below(r, len);
	qsort(pos, nr, sizeof(pos[0]), pos_cmp);
	for (k = 0; k < nr; k++) {
		uint64_t x = spegen_rng_below(r, 4);

		kind[k] = x < 2 ? K_FLIP : x == 2 ? K_INSERT : K_DELETE;
	}
	/* apply in ascending order of original position, tracking the shift */
	for (k = 0; k < nr; k++) {
		size_t p = (size_t)((long)pos[k] + shift);
		const char *in = where(info, pos[k], NULL);
		uint8_t old = buf[p], nb;

		/* two changes to the same original byte: only the first */
		if (k && pos[k] == pos[k - 1])
			continue;
		switch (kind[k]) {
		case K_FLIP:
			nb = old ^ (uint8_t)(1u << spegen_rng_below(r, 8));
			buf[p] = nb;
			dm->flips++;
			if (dm->log)
				fprintf(dm->log, "damage offset=%llu kind=flip old=0x%02x new=0x%02x in=%s record=%llu\n",
					(unsigned long long)(off + p), old, nb,
					in, (unsigned long long)rec_no);
			break;
		case K_INSERT:
			nb = (uint8_t)spegen_rng_below(r, 256);
			memmove(buf + p + 1, buf + p, len - p);
			buf[p] = nb;
			len++;
			shift++;
			dm->inserts++;
			if (dm->log)
				fprintf(dm->log, "damage offset=%llu kind=insert new=0x%02x in=%s record=%llu\n",
					(unsigned long long)(off + p), nb, in,
					(unsigned long long)rec_no);
			break;
		default:
			memmove(buf + p, buf + p + 1, len - p - 1);
			len--;
			shift--;
			dm->deletes++;
			if (dm->log)
				fprintf(dm->log, "damage offset=%llu kind=delete old=0x%02x in=%s record=%llu\n",
					(unsigned long long)(off + p), old, in,
					(unsigned long long)rec_no);
			break;
		}
	}
	return len;
}

size_t spegen_truncate_record(struct spegen_damage *dm, size_t len,
			      const struct spegen_rec_info *info, uint64_t off,
			      uint64_t rec_no)
{
	unsigned int cand[SPEGEN_REC_MAX_PKTS], nr = 0, i;
	unsigned int pkt;
	size_t cut_at, po, pl;

	/* packets longer than one byte (PAD runs are not packets to cut) */
	for (i = 0; i < info->nr_pkts; i++)
		if (info->pkt_hdr_len[i] && info->pkt_len[i] > 1)
			cand[nr++] = i;
	if (!nr)
		return len;
	pkt = cand[spegen_rng_below(&dm->rng, nr)];
	po = info->pkt_off[pkt];
	pl = info->pkt_len[pkt];
	cut_at = po + 1 + spegen_rng_below(&dm->rng, pl - 1);	/* (po, po+pl) */
	dm->truncated++;
	if (dm->log)
		fprintf(dm->log, "damage offset=%llu kind=truncate pkt_offset=%llu pkt_len=%zu cut=%zu record=%llu\n",
			(unsigned long long)(off + cut_at),
			(unsigned long long)(off + po), pl, po + pl - cut_at,
			(unsigned long long)rec_no);
	return cut_at;
}
