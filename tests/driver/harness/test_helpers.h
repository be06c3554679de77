/* SPDX-License-Identifier: GPL-2.0-only */
/* Small helpers the driver sequences share (no checks of their own). */
#ifndef SPEKIT_DRVH_TEST_HELPERS_H
#define SPEKIT_DRVH_TEST_HELPERS_H

#include "harness.h"
#include "spe_records.h"
#include "spe_sim.h"

static inline u64 h_rup(u64 x, u64 p2)
{
	return (x + p2 - 1) & ~(p2 - 1);
}

/* Where the unit's data ends once the record it holds is written */
static inline u64 h_data_end(void)
{
	return spe_sim_ptr_off() +
	       (spe_sim.pending ? h_rup(spe_sim.pending_body, spe_sim.cfg.align) : 0);
}

/*
 * Make records so the unit's data (written and held) ends exactly at ring
 * offset @off.  The last one stays held.  Needs Align 1.
 */
static inline bool h_records_to(u64 off)
{
	u64 at = h_data_end(), mrs = spe_sim.cfg.max_record_sz, len, r;

	while (at < off) {
		r = off - at;
		if (r <= mrs)
			len = r;
		else if (r - mrs >= SPE_REC_MIN_LEN)
			len = mrs;
		else
			len = r - SPE_REC_MIN_LEN;
		if (len < SPE_REC_MIN_LEN || !spe_sim_sample_len((u32)len))
			return false;
		at += len;
	}
	return at == off;
}

/* Fill the buffer exactly up to @off, then let the next record not fit */
static inline bool h_fill_exactly(u64 off)
{
	if (!h_records_to(off))
		return false;
	spe_sim_sample();	/* writes the held one: PMBPTR == off */
	spe_sim_sample();	/* does not fit: buffer full */
	return spe_sim_irq_line() && spe_sim_ptr_off() == off;
}

/* Bytes of the records spe_sim wrote from record index @from on */
static inline u64 h_rec_bytes(int from)
{
	u64 n = 0;

	for (int i = from; i < spe_sim.nrecs; i++)
		n += spe_sim.recs[i].len;
	return n;
}

#endif
