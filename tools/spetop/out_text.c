// SPDX-License-Identifier: GPL-2.0-only
/*
 * Text lines shared by batch mode and the TUI: the same columns, so what
 * a script reads is what a person sees.
 */
#include <inttypes.h>
#include <stdio.h>

#include "out.h"

static const char *const label_titles[ST_G_NR] = {
	[ST_G_SYMBOL] = "SYMBOL", [ST_G_PC] = "PC", [ST_G_DSO] = "DSO",
	[ST_G_PID] = "PID COMM", [ST_G_DSRC] = "DATA SOURCE", [ST_G_OP] = "OP TYPE",
};
static const char *const where_titles[ST_G_NR] = {
	[ST_G_SYMBOL] = "DSO", [ST_G_PC] = "SYMBOL", [ST_G_DSRC] = "ENCODING",
};

const char *out_label_title(enum st_group g)
{
	return g < ST_G_NR ? label_titles[g] : "?";
}

const char *out_where_title(enum st_group g)
{
	return g < ST_G_NR && where_titles[g] ? where_titles[g] : "";
}

/* no padding after the last column */
static int trim(char *buf, int n, size_t len)
{
	if (n < 0 || !len)
		return n;
	if ((size_t)n >= len)
		n = (int)len - 1;
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return n;
}

int out_table_header(char *buf, size_t len, enum st_group g)
{
	int n = snprintf(buf, len, "%9s %6s %6s %6s %6s %6s %6s %6s %6s %6s %6s  %-32s %s",
			 "SAMPLES", "SHARE", "P50", "P90", "P99", "ISS50", "XLT50",
			 "L1D%", "LLC%", "TLB%", "REM%", out_label_title(g), out_where_title(g));

	return trim(buf, n, len);
}

static const char *lat(bool have, unsigned int v, char buf[16])
{
	if (!have)
		return "-";
	snprintf(buf, 16, "%u", v);
	return buf;
}

int out_table_row(char *buf, size_t len, const struct view_row *v)
{
	char b[11][16];
	int n;

	snprintf(b[0], 16, "%.1f%%", v->share * 100.0);
	n = snprintf(buf, len, "%9" PRIu64 " %6s %6s %6s %6s %6s %6s %6s %6s %6s %6s  %-32s %s",
			v->samples, b[0], lat(v->lat, v->p50, b[1]), lat(v->lat, v->p90, b[2]),
			lat(v->lat, v->p99, b[3]), lat(v->lat, v->iss50, b[4]),
			lat(v->lat, v->xlat50, b[5]), view_pct(v->l1d, b[6]), view_pct(v->llc, b[7]),
			view_pct(v->tlb, b[8]), view_pct(v->remote, b[9]), v->label, v->where);
	return trim(buf, n, len);
}

int out_header_line(char *buf, size_t len, const struct view_header *h)
{
	char speed[32] = "";

	if (!h->live)
		snprintf(speed, sizeof(speed), h->speed > 0 ? "  x%g" : "  fast", h->speed);
	return snprintf(buf, len, "spetop  %s%s%s  t=%.1fs  interval %" PRIu64 " (%.2fs)  group %s  sort %s  %s%s%s%s",
			h->source, h->synthetic ? " (SYNTHETIC)" : "", speed, h->t_s, h->interval_no,
			h->interval_s, st_group_name(h->group), agg_sort_name(h->sort),
			h->cum ? "cumulative" : "last interval", h->filter[0] ? "  filter '" : "",
			h->filter, h->filter[0] ? "'" : "");
}

int out_rates_line(char *buf, size_t len, const struct view_header *h)
{
	return snprintf(buf, len, "samples %" PRIu64 " (%.0f/s)  SPE %.2f MB/s  CPUs %u  records %" PRIu64
			"  spetop CPU %.1f%%%s%s",
			h->samples, h->samples_per_s, h->mb_per_s, h->ncpus, h->records_total,
			h->self_cpu_pct, h->finished ? "  [end of input]" : "", h->paused ? "  [paused]" : "");
}

int out_drops_line(char *buf, size_t len, const struct view_header *h)
{
	const struct view_drops *d = &h->drops;

	return snprintf(buf, len, "drops: truncated %" PRIu64 "  collision %" PRIu64 "  partial %" PRIu64
			"  lost %" PRIu64 "  lost-samples %" PRIu64 "  gaps %" PRIu64
			"  damaged-bytes %" PRIu64 "  dropped-records %" PRIu64
			"  evicted-rows %" PRIu64 "  overflow %" PRIu64,
			d->truncated, d->collision, d->partial, d->lost, d->lost_samples, d->gaps,
			d->bad_bytes, d->records_dropped, d->evicted_rows, d->overflow_samples);
}

void out_batch(FILE *f, const struct view_model *m)
{
	char line[512];

	out_header_line(line, sizeof(line), &m->h);
	fprintf(f, "%s\n", line);
	out_rates_line(line, sizeof(line), &m->h);
	fprintf(f, "%s\n", line);
	out_drops_line(line, sizeof(line), &m->h);
	fprintf(f, "%s\n", line);
	fprintf(f, "bpf: %s\n", m->h.bpf[0] ? m->h.bpf : "-");
	if (m->h.note[0])
		fprintf(f, "note: %s\n", m->h.note);
	out_table_header(line, sizeof(line), m->h.group);
	fprintf(f, "%s\n", line);
	for (size_t i = 0; i < m->nrows; i++) {
		out_table_row(line, sizeof(line), &m->rows[i]);
		fprintf(f, "%s\n", line);
	}
	out_table_row(line, sizeof(line), &m->total);
	fprintf(f, "%s\n\n", line);
	fflush(f);
}
