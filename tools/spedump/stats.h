/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SPEDUMP_STATS_H
#define SPEDUMP_STATS_H

#include <stdint.h>

#include "outbuf.h"
#include "spe.h"
#include "spe_hist.h"

#define STATS_LAT_KINDS	3	/* total, issue, translation */
#define STATS_MAX_DSRC	64	/* distinct (family, value) pairs tracked */

struct stats_dsrc {
	enum spe_dsrc_family fam;
	uint16_t value;
	uint64_t records;
	struct spe_hist lat[STATS_LAT_KINDS];
};

/* Drops reported by the container (perf.data), not by the decoder. */
struct stats_drops {
	uint64_t aux_records;
	uint64_t truncated;	/* PERF_AUX_FLAG_TRUNCATED */
	uint64_t partial;	/* PERF_AUX_FLAG_PARTIAL */
	uint64_t collision;	/* PERF_AUX_FLAG_COLLISION */
	uint64_t overwrite;	/* PERF_AUX_FLAG_OVERWRITE (snapshot) */
	uint64_t lost_events;	/* PERF_RECORD_LOST: lost count summed */
	uint64_t lost_samples;	/* PERF_RECORD_LOST_SAMPLES */
};

struct stats {
	uint64_t records;
	uint64_t by_class[SPE_OPC_NR];
	uint64_t events[64];
	uint64_t first_ts, last_ts;
	struct spe_hist lat[SPE_OPC_NR][STATS_LAT_KINDS];
	struct stats_dsrc dsrc[STATS_MAX_DSRC];
	int nr_dsrc;
	uint64_t dsrc_overflow;		/* records whose source had no slot */
	struct stats_drops drops;
};

void stats_add(struct stats *s, const struct spe_record *r,
	       enum spe_dsrc_family fam);
/* @dec: decoder totals (bytes, bad bytes, dropped records) */
void stats_print(struct outbuf *o, const struct stats *s,
		 const struct spe_stats *dec, int json);
void stats_free(struct stats *s);

#endif
