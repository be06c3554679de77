// SPDX-License-Identifier: GPL-2.0-only
/* The view model: rows with labels and derived numbers (see view.h) */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipe.h"
#include "spe.h"
#include "sym.h"
#include "view.h"

static const char *const group_names[ST_G_NR] = {
	[ST_G_SYMBOL] = "symbol", [ST_G_PC] = "pc", [ST_G_DSO] = "dso",
	[ST_G_PID] = "pid", [ST_G_DSRC] = "dsrc", [ST_G_OP] = "op",
};

const char *st_group_name(enum st_group g)
{
	return g < ST_G_NR ? group_names[g] : "?";
}

int st_group_parse(const char *s, enum st_group *g)
{
	for (int i = 0; i < ST_G_NR; i++)
		if (!strcmp(s, group_names[i])) {
			*g = (enum st_group)i;
			return 0;
		}
	return -1;
}

const char *view_pct(double rate, char buf[16])
{
	if (rate < 0)
		return "-";
	snprintf(buf, 16, "%.1f%%", rate * 100.0);
	return buf;
}

const char *view_bucket_label(unsigned int b, char buf[16])
{
	b = b < VIEW_HIST_BUCKETS ? b : VIEW_HIST_BUCKETS - 1;
	if (b == 0)
		snprintf(buf, 16, "0");
	else if (b == 1)
		snprintf(buf, 16, "1");
	else
		snprintf(buf, 16, "%u-%u", 1u << (b - 1), (1u << b) - 1);
	return buf;
}

#define KEY_NONE UINT64_MAX

static void label_row(struct view_row *v, struct pipe *p, const struct agg_row *r)
{
	uint64_t a = r->key.a, b = r->key.b;
	struct sym_ctx *sym = p->sym;
	const char *s;

	v->label[0] = v->where[0] = '\0';
	if (r->flags & AGG_ROW_OTHER) {
		snprintf(v->label, sizeof(v->label), "[other: table full]");
		v->other = true;
		return;
	}
	switch (p->group) {
	case ST_G_SYMBOL:
		if (a == KEY_NONE || !sym) {
			snprintf(v->label, sizeof(v->label), "[no PC]");
			break;
		}
		snprintf(v->label, sizeof(v->label), "%s", sym_name(sym, (uint32_t)a));
		snprintf(v->where, sizeof(v->where), "%s", sym_dso(sym, (uint32_t)a));
		break;
	case ST_G_DSO:
		if (a == KEY_NONE || !sym)
			snprintf(v->label, sizeof(v->label), "[no PC]");
		else
			snprintf(v->label, sizeof(v->label), "%s", sym_dso_name(sym, (uint32_t)a));
		break;
	case ST_G_PC:
		if (a == KEY_NONE) {
			snprintf(v->label, sizeof(v->label), "[no PC]");
			break;
		}
		snprintf(v->label, sizeof(v->label), "0x%" PRIx64, a);
		if (sym) {
			/* b is pid + 1 for user PCs, 0 for the kernel */
			uint32_t id = sym_resolve(sym, b ? (uint32_t)(b - 1) : 0, a, !b);
			uint64_t start = id != SYM_ID_NONE ? sym_addr(sym, id) : 0;

			if (id == SYM_ID_NONE)
				break;
			if (start && start <= a)
				snprintf(v->where, sizeof(v->where), "%s+0x%" PRIx64 " %s",
					 sym_name(sym, id), a - start, sym_dso(sym, id));
			else
				snprintf(v->where, sizeof(v->where), "%s %s", sym_name(sym, id),
					 sym_dso(sym, id));
		}
		break;
	case ST_G_PID:
		if (a == KEY_NONE) {
			snprintf(v->label, sizeof(v->label), "[no context]");
			break;
		}
		s = sym ? sym_comm(sym, (uint32_t)a) : NULL;
		snprintf(v->label, sizeof(v->label), "%" PRIu64 "%s%s", a, s ? " " : "", s ? s : "");
		break;
	case ST_G_DSRC:
		if (a == KEY_NONE) {
			snprintf(v->label, sizeof(v->label), "[no data source]");
			break;
		}
		s = spe_dsrc_name((enum spe_dsrc_family)b, (unsigned int)a);
		if (s)
			snprintf(v->label, sizeof(v->label), "%s", s);
		else
			snprintf(v->label, sizeof(v->label), "source 0x%" PRIx64, a);
		snprintf(v->where, sizeof(v->where), "%s", spe_dsrc_family_name((enum spe_dsrc_family)b));
		break;
	case ST_G_OP:
		if (a == SPE_OPC_NONE)
			snprintf(v->label, sizeof(v->label), "[no op type]");
		else
			snprintf(v->label, sizeof(v->label), "%s", spe_op_class_name((unsigned int)a));
		break;
	default:
		break;
	}
}

static void fill_numbers(struct view_row *v, const struct agg_stats *st, uint64_t all)
{
	static const double ps[3] = { 50, 90, 99 };
	uint16_t out[3];
	const struct xhist *tot = &st->lat[AGG_LAT_TOTAL];

	v->samples = st->c.samples;
	v->c = st->c;
	v->share = all ? (double)st->c.samples / (double)all : 0;
	v->lat = tot->n > 0;
	xhist_percentiles(tot, ps, out, 3);
	v->p50 = out[0];
	v->p90 = out[1];
	v->p99 = out[2];
	v->mean = tot->n ? (double)tot->sum / (double)tot->n : -1;
	v->iss50 = xhist_percentile(&st->lat[AGG_LAT_ISSUE], 50);
	v->xlat50 = xhist_percentile(&st->lat[AGG_LAT_XLAT], 50);
	v->l1d = agg_rate(&st->c, AGG_SORT_L1D_MISS);
	v->llc = agg_rate(&st->c, AGG_SORT_LLC_MISS);
	v->tlb = agg_rate(&st->c, AGG_SORT_TLB_MISS);
	v->remote = agg_rate(&st->c, AGG_SORT_REMOTE);
}

static void drops_view(struct view_drops *d, const struct pipe_drops *s)
{
	d->truncated = s->truncated;
	d->collision = s->collision;
	d->partial = s->partial;
	d->lost = s->lost;
	d->lost_samples = s->lost_samples;
	d->gaps = s->gaps;
	d->bad_bytes = s->bad_bytes;
	d->records_dropped = s->records_dropped;
}

int view_build(struct view_model *m, struct pipe *p, enum agg_sort sort, bool cum,
	       const char *filter, size_t max)
{
	const enum agg_view view = cum ? AGG_VIEW_CUM : AGG_VIEW_LAST;
	const struct agg_row *tot = agg_totals(p->agg);
	const struct agg_stats *all = cum ? &tot->cum : &tot->last;
	const struct agg_evicted *ev = agg_evicted(p->agg);
	size_t n = agg_nrows(p->agg) + 1, got, k = 0;
	const struct agg_row **rows;

	rows = calloc(n, sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	if (m->cap < n) {
		struct view_row *nr = realloc(m->rows, n * sizeof(*nr));

		if (!nr) {
			free(rows);
			return -ENOMEM;
		}
		m->rows = nr;
		m->cap = n;
	}
	/* a filter looks past the top rows; without one, max is enough */
	got = agg_top(p->agg, sort, view, rows,
		      (filter && *filter) || !max ? n : max);
	for (size_t i = 0; i < got && (!max || k < max); i++) {
		const struct agg_stats *st = cum ? &rows[i]->cum : &rows[i]->last;
		struct view_row *v = &m->rows[k];

		/* the counts are there; latencies only for rows kept */
		if (!st->c.samples)
			continue;
		memset(v, 0, sizeof(*v));
		label_row(v, p, rows[i]);
		if (filter && *filter && !strstr(v->label, filter) && !strstr(v->where, filter))
			continue;
		fill_numbers(v, agg_stats(p->agg, rows[i], view), all->c.samples);
		v->row = rows[i];
		k++;
	}
	m->nrows = k;
	m->agg = p->agg;
	free(rows);

	memset(&m->total, 0, sizeof(m->total));
	snprintf(m->total.label, sizeof(m->total.label), "[total]");
	fill_numbers(&m->total, all, all->c.samples);
	m->h.samples = all->c.samples;
	m->h.group = p->group;
	m->h.sort = sort;
	m->h.cum = cum;
	snprintf(m->h.filter, sizeof(m->h.filter), "%s", filter ? filter : "");
	m->h.interval_no = agg_interval(p->agg);
	m->h.records_total = p->records_cum;
	drops_view(&m->h.drops, cum ? &p->drops_cum : &p->drops_last);
	m->h.drops.evicted_rows = ev->rows;
	m->h.drops.evicted_samples = ev->samples;
	m->h.drops.overflow_samples = ev->overflow_samples;
	return 0;
}

/* log2 bucket of a latency: 0 -> 0, 1 -> 1, 2-3 -> 2, ..., 32768-65535 -> 16 */
static int bucket_of(uint16_t v, uint64_t count, void *arg)
{
	uint64_t *bucket = arg;

	bucket[v ? 32 - __builtin_clz(v) : 0] += count;
	return 0;
}

void view_select(struct view_model *m, size_t i)
{
	const struct agg_row *r;
	const struct xhist *h;

	memset(&m->hist, 0, sizeof(m->hist));
	if (i >= m->nrows)
		return;
	r = m->rows[i].row;
	h = &agg_stats(m->agg, r, m->h.cum ? AGG_VIEW_CUM : AGG_VIEW_LAST)->lat[AGG_LAT_TOTAL];
	snprintf(m->hist.label, sizeof(m->hist.label), "%s", m->rows[i].label);
	m->hist.n = h->n;
	xhist_foreach(h, bucket_of, m->hist.bucket);
}

void view_free(struct view_model *m)
{
	free(m->rows);
	memset(m, 0, sizeof(*m));
}
