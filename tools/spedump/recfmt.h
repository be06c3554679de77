/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SPEDUMP_RECFMT_H
#define SPEDUMP_RECFMT_H

#include "outbuf.h"
#include "spe.h"

enum recfmt_kind { RECFMT_TEXT, RECFMT_JSON, RECFMT_CSV };

/* Where a record came from, beside the record itself. */
struct rec_ctx {
	int cpu;			/* -1 when unknown (raw dumps) */
	enum spe_dsrc_family dsrc_fam;	/* from the CPU's MIDR */
};

void recfmt_header(struct outbuf *o, enum recfmt_kind kind);
void recfmt_record(struct outbuf *o, enum recfmt_kind kind,
		   const struct spe_record *r, const struct rec_ctx *ctx);

#endif
