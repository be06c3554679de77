// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON Lines output: one object per interval ("type":"interval") and one
 * at the end ("type":"summary").  Keys are documented in README.md.
 * Register values are hex strings (64-bit values lose precision as JSON
 * numbers in many parsers); counters are integers.
 */
#include <stdio.h>

#include "json.h"
#include "names.h"
#include "out.h"

static void hex(struct jw *w, const char *key, __u64 v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%016llx", (unsigned long long)v);
	jw_str(w, key, buf);
}

static void row(struct jw *w, const char *key, const struct sd_row *r)
{
	const struct spe_cpu_stats *d = &r->d;

	jw_obj(w, key);
	if (r->cpu >= 0)
		jw_int(w, "cpu", r->cpu);
	jw_u64(w, "sessions", d->sessions);
	jw_u64(w, "no_room", d->no_room);
	jw_u64(w, "irqs", d->irqs);
	jw_u64(w, "spurious_irqs", d->spurious_irqs);
	jw_u64(w, "bytes", d->bytes);
	jw_u64(w, "aux_records", d->aux_records);
	jw_u64(w, "aux_truncated", d->aux_truncated);
	jw_u64(w, "aux_partial", d->aux_partial);
	jw_u64(w, "aux_collision", d->aux_collision);
	jw_u64(w, "truncations", r->m.truncations);
	jw_obj(w, "truncations_by_reason");
	for (unsigned int i = 0; i < ARM_SPE_TRUNC_NR_REASONS; i++)
		jw_u64(w, sd_reason_name(i), d->truncations[i]);
	jw_obj_end(w);
	jw_u64(w, "collisions", d->collisions);
	jw_u64(w, "faults", d->faults);
	jw_u64(w, "pad_bytes", d->pad_bytes);
	jw_u64(w, "blind_ns", d->blind_ns);
	jw_num(w, "sessions_per_s", r->m.sessions_per_s, 3);
	jw_num(w, "mb_per_s", r->m.mb_per_s, 3);
	jw_num(w, "irqs_per_s", r->m.irqs_per_s, 3);
	jw_num(w, "blind_pct", r->m.blind_pct, 3);
	jw_num(w, "rate_mb_per_s", r->m.rate_bps / 1e6, 3);
	if (r->m.est_known)
		jw_num(w, "est_samples_lost", r->m.est_lost, 0);
	else
		jw_null(w, "est_samples_lost");
	jw_obj_end(w);
}

static void event(struct jw *w, const struct spe_drop_event *e, __u64 t0_ns)
{
	char d[160];
	const char *s;

	jw_obj(w, NULL);
	jw_num(w, "t_s", ((double)e->ts_ns - (double)t0_ns) / 1e9, 6);
	jw_u64(w, "cpu", e->cpu);
	if (e->kind == SPE_EV_TRUNCATE) {
		jw_str(w, "kind", "truncate");
		s = sd_reason_name(e->reason);
		jw_str(w, "reason", s ? s : "unknown");
		jw_u64(w, "reason_code", e->reason);
		jw_u64(w, "aux_head", e->aux_head);
		jw_u64(w, "size", e->size);
	} else if (e->kind == SPE_EV_FAULT) {
		jw_str(w, "kind", "fault");
		jw_u64(w, "ec", e->ec);
		jw_str(w, "ec_name", sd_ec_name(e->ec));
		jw_u64(w, "fsc", e->fsc);
		jw_str(w, "fsc_name", e->ec == ARM_SPE_TP_EC_FAULT_S1 || e->ec == ARM_SPE_TP_EC_FAULT_S2 ?
		       sd_fsc_name(e->fsc) : NULL);
		jw_str(w, "desc", sd_fault_desc(e->ec, e->fsc, d, sizeof(d)));
		hex(w, "pmbsr", e->pmbsr);
		hex(w, "pmbptr", e->pmbptr);
		hex(w, "pmblimitr", e->pmblimitr);
	} else {
		jw_str(w, "kind", "unknown");
		jw_u64(w, "kind_code", e->kind);
	}
	jw_obj_end(w);
}

static void hist(struct jw *w, const char *key, const struct spe_log2_hist *h)
{
	int med = sd_hist_median_slot(h), max = sd_hist_max_slot(h);

	jw_obj(w, key);
	jw_u64(w, "count", sd_hist_count(h));
	if (med >= 0) {
		jw_u64(w, "median_lo", sd_slot_lo(med));
		jw_u64(w, "median_hi", sd_slot_hi(med));
		jw_u64(w, "max_hi", sd_slot_hi(max));
	}
	jw_arr(w, "slots");
	for (int i = 0; i < SPE_LOG2_SLOTS; i++) {
		if (!h->slots[i])
			continue;
		jw_obj(w, NULL);
		jw_u64(w, "lo", sd_slot_lo(i));
		jw_u64(w, "hi", sd_slot_hi(i));
		jw_u64(w, "count", h->slots[i]);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

void sd_json_report(FILE *f, const struct sd_report *r)
{
	struct jw w;
	char d[160];

	jw_init(&w, f);
	jw_obj(&w, NULL);
	jw_str(&w, "type", r->final ? "summary" : "interval");
	jw_num(&w, "t_s", r->t_s, 3);
	jw_num(&w, r->final ? "duration_s" : "interval_s", r->dt_s, 3);
	jw_str(&w, "mode", r->mode);
	jw_str(&w, "why", r->why);
	jw_bool(&w, "load_only", r->load_only);
	jw_str(&w, "pin_dir", r->pin_dir);
	jw_u64(&w, "record_size", r->record_size);
	jw_u64(&w, "active_cpus", r->active_cpus);
	jw_arr(&w, "cpus");
	for (unsigned int i = 0; i < r->nrows; i++)
		row(&w, NULL, &r->rows[i]);
	jw_arr_end(&w);
	row(&w, "total", r->total);
	if (!r->final) {
		jw_arr(&w, "events");
		for (unsigned int i = 0; i < r->nevents; i++)
			event(&w, &r->events[i], r->t0_ns);
		jw_arr_end(&w);
		jw_u64(&w, "events_more", r->events_more);
		jw_obj_end(&w);
		fflush(f);
		return;
	}
	jw_arr(&w, "programs");
	for (unsigned int i = 0; i < r->nprogs; i++)
		jw_str(&w, NULL, r->programs[i]);
	jw_arr_end(&w);
	jw_u64(&w, "events_total", r->events_total);
	jw_arr(&w, "faults");
	for (unsigned int i = 0; i < r->nfaults; i++) {
		const struct sd_fault_cnt *x = &r->faults[i];

		jw_obj(&w, NULL);
		jw_u64(&w, "cpu", x->cpu);
		jw_u64(&w, "ec", x->ec);
		jw_str(&w, "ec_name", sd_ec_name(x->ec));
		jw_u64(&w, "fsc", x->fsc);
		jw_str(&w, "desc", sd_fault_desc(x->ec, x->fsc, d, sizeof(d)));
		jw_u64(&w, "count", x->count);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	if (r->hists) {
		jw_obj(&w, "hists");
		hist(&w, "session_bytes", &r->hists[SPE_HIST_SESSION_BYTES]);
		hist(&w, "irq_gap_ns", &r->hists[SPE_HIST_IRQ_GAP_NS]);
		hist(&w, "blind_ns", &r->hists[SPE_HIST_BLIND_NS]);
		jw_obj_end(&w);
	}
	jw_arr(&w, "advice");
	for (unsigned int i = 0; i < r->nadvice; i++) {
		jw_obj(&w, NULL);
		jw_str(&w, "id", r->advice[i].id);
		jw_str(&w, "text", r->advice[i].text);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	fflush(f);
}
