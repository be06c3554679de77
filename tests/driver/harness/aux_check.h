/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the consumer got, checked as perf record's reader would need it:
 * every byte handed over is padding (0x00) or part of a whole simulated
 * record; a record may be cut only where the AUX record says PARTIAL; each
 * record arrives at most once and in the order the unit wrote it.
 */
#ifndef SPEKIT_DRVH_AUX_CHECK_H
#define SPEKIT_DRVH_AUX_CHECK_H

#include <linux/types.h>

struct aux_check {
	int errors;		/* each one printed */
	int whole;		/* whole records delivered */
	int cut;		/* records cut at a PARTIAL record's end */
	int missing;		/* whole records written but not delivered */
	u64 *seqs;		/* the whole records' seqs, in stream order */
};

/*
 * Normal mode: walk the consumed stream against the PERF_RECORD_AUX list,
 * then compare the delivered records with the ones spe_sim wrote.
 */
void aux_check_stream(struct aux_check *c);
void aux_check_free(struct aux_check *c);

struct snap_half {
	int errors;
	int n;			/* whole records */
	u64 first_seq, last_seq;
	u64 end;		/* offset after the last record */
};

/*
 * Snapshot mode: parse the ring from @from: whole records with consecutive
 * seqs, then (when @pad_to_end) nothing but padding up to @to; without it
 * the records must end exactly at @to.
 */
void snap_check_half(struct snap_half *h, u64 from, u64 to, bool pad_to_end);

#endif
