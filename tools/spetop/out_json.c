// SPDX-License-Identifier: GPL-2.0-only
/* JSON Lines: one object per interval, one summary (keys in the README) */
#include <stdio.h>

#include "json.h"
#include "names.h"
#include "out.h"

static void rate(struct jw *w, const char *key, double v)
{
	if (v < 0)
		jw_null(w, key);
	else
		jw_num(w, key, v, 6);
}

static void drops(struct jw *w, const struct view_drops *d)
{
	jw_obj(w, "drops");
	jw_u64(w, "truncated", d->truncated);
	jw_u64(w, "collision", d->collision);
	jw_u64(w, "partial", d->partial);
	jw_u64(w, "lost", d->lost);
	jw_u64(w, "lost_samples", d->lost_samples);
	jw_u64(w, "gaps", d->gaps);
	jw_u64(w, "damaged_bytes", d->bad_bytes);
	jw_u64(w, "dropped_records", d->records_dropped);
	jw_u64(w, "evicted_rows", d->evicted_rows);
	jw_u64(w, "evicted_samples", d->evicted_samples);
	jw_u64(w, "overflow_samples", d->overflow_samples);
	jw_obj_end(w);
}

/* A counter the mode observes, else null (the stock kernel's programs see
 * no IRQs and no faults) */
static void seen(struct jw *w, const char *key, bool observed, uint64_t v)
{
	if (observed)
		jw_u64(w, key, v);
	else
		jw_null(w, key);
}

/* spedrops' counters behind the "bpf" line; keys as spedrops' JSON rows */
static void bpf_stats(struct jw *w, const struct view_bpf *b)
{
	if (!b->valid) {
		jw_null(w, "bpf_stats");
		return;
	}
	jw_obj(w, "bpf_stats");
	jw_str(w, "mode", b->mode);
	jw_num(w, "span_s", b->span_s, 3);
	jw_u64(w, "active_cpus", b->active_cpus);
	jw_u64(w, "sessions", b->sessions);
	seen(w, "no_room", b->driver, b->no_room);
	seen(w, "irqs", b->driver, b->irqs);
	seen(w, "spurious_irqs", b->driver, b->spurious_irqs);
	jw_u64(w, "bytes", b->bytes);
	jw_u64(w, "aux_records", b->aux_records);
	jw_u64(w, "aux_truncated", b->aux_truncated);
	jw_u64(w, "aux_partial", b->aux_partial);
	jw_u64(w, "aux_collision", b->aux_collision);
	jw_u64(w, "truncations", b->truncations);
	jw_obj(w, "truncations_by_reason");
	for (unsigned int i = 0; i < VIEW_BPF_REASONS; i++)
		jw_u64(w, sd_reason_name(i), b->trunc_reason[i]);
	jw_obj_end(w);
	jw_u64(w, "collisions", b->collisions);
	seen(w, "faults", b->driver, b->faults);
	seen(w, "pad_bytes", b->driver, b->pad_bytes);
	jw_u64(w, "blind_ns", b->blind_ns);
	jw_num(w, "blind_pct", b->blind_pct, 3);
	jw_obj_end(w);
}

static void row(struct jw *w, const char *key, const struct view_row *v)
{
	jw_obj(w, key);
	jw_str(w, "label", v->label);
	jw_str(w, "where", v->where);
	jw_u64(w, "samples", v->samples);
	jw_num(w, "share", v->share, 6);
	if (v->lat) {
		jw_u64(w, "p50", v->p50);
		jw_u64(w, "p90", v->p90);
		jw_u64(w, "p99", v->p99);
		jw_u64(w, "issue_p50", v->iss50);
		jw_u64(w, "xlat_p50", v->xlat50);
		jw_num(w, "mean", v->mean, 2);
	} else {
		jw_null(w, "p50");
		jw_null(w, "p90");
		jw_null(w, "p99");
		jw_null(w, "issue_p50");
		jw_null(w, "xlat_p50");
		jw_null(w, "mean");
	}
	rate(w, "l1d_miss", v->l1d);
	rate(w, "llc_miss", v->llc);
	rate(w, "tlb_miss", v->tlb);
	rate(w, "remote", v->remote);
	jw_bool(w, "other", v->other);
	jw_obj(w, "counts");
	jw_u64(w, "mem_ops", v->c.mem_ops);
	jw_u64(w, "l1d_access", v->c.l1d_access);
	jw_u64(w, "l1d_refill", v->c.l1d_refill);
	jw_u64(w, "tlb_access", v->c.tlb_access);
	jw_u64(w, "tlb_walk", v->c.tlb_walk);
	jw_u64(w, "llc_access", v->c.llc_access);
	jw_u64(w, "llc_miss", v->c.llc_miss);
	jw_u64(w, "remote", v->c.remote);
	jw_obj_end(w);
	jw_obj_end(w);
}

void out_json(FILE *f, const struct view_model *m, const char *type)
{
	const struct view_header *h = &m->h;
	struct jw w;

	jw_init(&w, f);
	jw_obj(&w, NULL);
	jw_str(&w, "type", type);
	jw_str(&w, "source", h->source);
	jw_bool(&w, "live", h->live);
	jw_bool(&w, "synthetic", h->synthetic);
	jw_u64(&w, "interval", h->interval_no);
	jw_num(&w, "t_s", h->t_s, 3);
	jw_num(&w, "interval_s", h->interval_s, 3);
	jw_str(&w, "group", st_group_name(h->group));
	jw_str(&w, "sort", agg_sort_name(h->sort));
	jw_str(&w, "view", h->cum ? "cumulative" : "last");
	jw_u64(&w, "samples", h->samples);
	jw_num(&w, "samples_per_s", h->samples_per_s, 1);
	jw_num(&w, "mb_per_s", h->mb_per_s, 3);
	jw_u64(&w, "cpus", h->ncpus);
	jw_u64(&w, "records_total", h->records_total);
	drops(&w, &h->drops);
	jw_str(&w, "bpf", h->bpf[0] ? h->bpf : NULL);
	bpf_stats(&w, &h->bpf_stats);
	jw_num(&w, "self_cpu_pct", h->self_cpu_pct, 1);
	jw_arr(&w, "rows");
	for (size_t i = 0; i < m->nrows; i++)
		row(&w, NULL, &m->rows[i]);
	jw_arr_end(&w);
	row(&w, "total", &m->total);
	jw_obj_end(&w);
	fflush(f);
}
