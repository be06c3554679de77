/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spegen damage: flip, insert or delete bytes of records, or cut the final
 * record mid-packet, logging each change so tests can check a decoder's
 * error accounting.  Uses its own PRNG so the undamaged bytes are the same
 * as without damage.
 */
#ifndef SPEGEN_DAMAGE_H
#define SPEGEN_DAMAGE_H

#include <stdint.h>
#include <stdio.h>

#include "spegen_gen.h"
#include "spegen_rand.h"

/* Most damages applied to one record (the buffer must have room for as
 * many inserted bytes). */
#define SPEGEN_DAMAGE_MAX_PER_REC	8
#define SPEGEN_DAMAGE_MAX_RATE		SPEGEN_DAMAGE_MAX_PER_REC

struct spegen_damage {
	struct spegen_rng rng;
	double rate;		/* expected damages per record */
	FILE *log;
	uint64_t flips, inserts, deletes, truncated;
};

void spegen_damage_init(struct spegen_damage *dm, uint64_t seed, double rate,
			FILE *log);
/*
 * Damage the record at @buf (@len bytes, packets in @info, first byte at
 * stream offset @off) at the configured rate.  Returns the new length.
 */
size_t spegen_damage_record(struct spegen_damage *dm, uint8_t *buf, size_t len,
			    const struct spegen_rec_info *info, uint64_t off,
			    uint64_t rec_no);
/*
 * Cut the record inside one of its packets (never at a packet boundary).
 * Returns the new, shorter length.
 */
size_t spegen_truncate_record(struct spegen_damage *dm, size_t len,
			      const struct spegen_rec_info *info, uint64_t off,
			      uint64_t rec_no);

#endif /* SPEGEN_DAMAGE_H */
