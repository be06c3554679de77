// SPDX-License-Identifier: GPL-2.0-only
/*
 * spedump --stats: records by op class, event rates, exact latency
 * percentiles (nearest rank) by op class and by data source, decoder
 * damage counts and the drop flags the container recorded.
 */
#include <stdio.h>

#include "stats.h"

static const char *const lat_names[STATS_LAT_KINDS] = { "total", "issue", "xlat" };
static const double pcts[] = { 50, 90, 99 };

static void add_lats(struct spe_hist *h, const struct spe_record *r)
{
	if (r->has & SPE_HAS_LAT_TOTAL)
		spe_hist_add(&h[0], r->lat_total);
	if (r->has & SPE_HAS_LAT_ISSUE)
		spe_hist_add(&h[1], r->lat_issue);
	if (r->has & SPE_HAS_LAT_XLAT)
		spe_hist_add(&h[2], r->lat_xlat);
}

static struct stats_dsrc *dsrc_slot(struct stats *s, enum spe_dsrc_family fam,
				    uint16_t v)
{
	for (int i = 0; i < s->nr_dsrc; i++)
		if (s->dsrc[i].fam == fam && s->dsrc[i].value == v)
			return &s->dsrc[i];
	if (s->nr_dsrc == STATS_MAX_DSRC)
		return NULL;
	s->dsrc[s->nr_dsrc].fam = fam;
	s->dsrc[s->nr_dsrc].value = v;
	return &s->dsrc[s->nr_dsrc++];
}

void stats_add(struct stats *s, const struct spe_record *r,
	       enum spe_dsrc_family fam)
{
	uint64_t ev = r->events;

	if (r->has & SPE_HAS_TS) {
		if (!s->records || r->ts < s->first_ts)
			s->first_ts = r->ts;
		if (r->ts > s->last_ts)
			s->last_ts = r->ts;
	}
	s->records++;
	s->by_class[r->op_class]++;
	while (ev) {
		s->events[__builtin_ctzll(ev)]++;
		ev &= ev - 1;
	}
	add_lats(s->lat[r->op_class], r);
	if (r->has & SPE_HAS_DSRC) {
		struct stats_dsrc *d = dsrc_slot(s, fam, r->dsrc);

		if (d) {
			d->records++;
			add_lats(d->lat, r);
		} else {
			s->dsrc_overflow++;
		}
	}
}

static void put_row(struct outbuf *o, const char *label, uint64_t n,
		    const struct spe_hist *h, int json, int *first)
{
	char line[512];
	uint16_t p[3];
	int len = 0;

	if (json) {
		len += snprintf(line + len, sizeof(line) - len,
				"%s{\"key\":\"%s\",\"records\":%llu", *first ? "" : ",",
				label, (unsigned long long)n);
		for (int k = 0; k < STATS_LAT_KINDS; k++) {
			if (!h[k].n) {
				len += snprintf(line + len, sizeof(line) - len,
						",\"lat_%s\":null", lat_names[k]);
				continue;
			}
			spe_hist_percentiles(&h[k], pcts, p, 3);
			len += snprintf(line + len, sizeof(line) - len,
					",\"lat_%s\":{\"n\":%llu,\"p50\":%u,\"p90\":%u,\"p99\":%u,\"max\":%u}",
					lat_names[k], (unsigned long long)h[k].n,
					p[0], p[1], p[2], h[k].max);
		}
		snprintf(line + len, sizeof(line) - len, "}");
	} else {
		len += snprintf(line + len, sizeof(line) - len, "  %-26s %12llu",
				label, (unsigned long long)n);
		for (int k = 0; k < STATS_LAT_KINDS; k++) {
			if (!h[k].n) {
				len += snprintf(line + len, sizeof(line) - len,
						"  %5s %5s %5s %5s", "-", "-", "-", "-");
				continue;
			}
			spe_hist_percentiles(&h[k], pcts, p, 3);
			len += snprintf(line + len, sizeof(line) - len,
					"  %5u %5u %5u %5u", p[0], p[1], p[2], h[k].max);
		}
		snprintf(line + len, sizeof(line) - len, "\n");
	}
	*first = 0;
	outbuf_str(o, line);
}

static void dsrc_label(const struct stats_dsrc *d, char *buf, size_t size)
{
	const char *n = spe_dsrc_name(d->fam, d->value);

	if (n)
		snprintf(buf, size, "%s (%u)", n, d->value);
	else
		snprintf(buf, size, "%u", d->value);
}

static void print_text(struct outbuf *o, const struct stats *s,
		       const struct spe_stats *dec)
{
	const struct stats_drops *dr = &s->drops;
	char line[256], label[64];
	int first = 1;

	snprintf(line, sizeof(line),
		 "records %llu, bytes %llu, bad bytes %llu in %llu places, records dropped %llu, "
		 "unterminated %llu, unknown packets %llu, truncated bytes %llu\n",
		 (unsigned long long)s->records, (unsigned long long)dec->bytes,
		 (unsigned long long)dec->bad_bytes, (unsigned long long)dec->bad_events,
		 (unsigned long long)dec->records_dropped,
		 (unsigned long long)dec->unterminated,
		 (unsigned long long)dec->unknown_pkts,
		 (unsigned long long)dec->truncated_bytes);
	outbuf_str(o, line);
	snprintf(line, sizeof(line),
		 "drops: aux records %llu, truncated %llu, partial %llu, collision %llu, "
		 "overwrite %llu, lost events %llu, lost samples %llu\n",
		 (unsigned long long)dr->aux_records, (unsigned long long)dr->truncated,
		 (unsigned long long)dr->partial, (unsigned long long)dr->collision,
		 (unsigned long long)dr->overwrite, (unsigned long long)dr->lost_events,
		 (unsigned long long)dr->lost_samples);
	outbuf_str(o, line);

	outbuf_str(o, "\nlatency (cycles)                            "
		   "   total p50   p90   p99   max   issue p50   p90   p99   max    xlat p50   p90   p99   max\n");
	outbuf_str(o, "by op class                      records\n");
	for (int c = 0; c < SPE_OPC_NR; c++)
		if (s->by_class[c])
			put_row(o, spe_op_class_name((unsigned int)c), s->by_class[c],
				s->lat[c], 0, &first);
	outbuf_str(o, "by data source\n");
	for (int i = 0; i < s->nr_dsrc; i++) {
		dsrc_label(&s->dsrc[i], label, sizeof(label));
		put_row(o, label, s->dsrc[i].records, s->dsrc[i].lat, 0, &first);
	}
	outbuf_str(o, "\nevents                             records   per 100 records\n");
	for (int b = 0; b < 64; b++) {
		char nb[8];

		if (!s->events[b])
			continue;
		snprintf(line, sizeof(line), "  %-26s %12llu   %8.2f\n",
			 spe_event_label((unsigned int)b, nb),
			 (unsigned long long)s->events[b],
			 100.0 * (double)s->events[b] / (double)s->records);
		outbuf_str(o, line);
	}
}

static void print_json(struct outbuf *o, const struct stats *s,
		       const struct spe_stats *dec)
{
	const struct stats_drops *dr = &s->drops;
	char line[1024], label[64];
	int first = 1;

	snprintf(line, sizeof(line),
		 "{\"records\":%llu,\"bytes\":%llu,\"bad_bytes\":%llu,\"bad_events\":%llu,"
		 "\"records_dropped\":%llu,\"unterminated\":%llu,\"unknown_packets\":%llu,"
		 "\"truncated_bytes\":%llu,\"drops\":{\"aux_records\":%llu,\"truncated\":%llu,"
		 "\"partial\":%llu,\"collision\":%llu,\"overwrite\":%llu,\"lost_events\":%llu,"
		 "\"lost_samples\":%llu},\"by_op\":[",
		 (unsigned long long)s->records, (unsigned long long)dec->bytes,
		 (unsigned long long)dec->bad_bytes, (unsigned long long)dec->bad_events,
		 (unsigned long long)dec->records_dropped,
		 (unsigned long long)dec->unterminated,
		 (unsigned long long)dec->unknown_pkts,
		 (unsigned long long)dec->truncated_bytes,
		 (unsigned long long)dr->aux_records, (unsigned long long)dr->truncated,
		 (unsigned long long)dr->partial, (unsigned long long)dr->collision,
		 (unsigned long long)dr->overwrite, (unsigned long long)dr->lost_events,
		 (unsigned long long)dr->lost_samples);
	outbuf_str(o, line);
	for (int c = 0; c < SPE_OPC_NR; c++)
		if (s->by_class[c])
			put_row(o, spe_op_class_name((unsigned int)c), s->by_class[c],
				s->lat[c], 1, &first);
	outbuf_str(o, "],\"by_data_source\":[");
	first = 1;
	for (int i = 0; i < s->nr_dsrc; i++) {
		dsrc_label(&s->dsrc[i], label, sizeof(label));
		put_row(o, label, s->dsrc[i].records, s->dsrc[i].lat, 1, &first);
	}
	outbuf_str(o, "],\"events\":{");
	first = 1;
	for (int b = 0; b < 64; b++) {
		char nb[8];

		if (!s->events[b])
			continue;
		snprintf(line, sizeof(line), "%s\"%s\":%llu", first ? "" : ",",
			 spe_event_label((unsigned int)b, nb),
			 (unsigned long long)s->events[b]);
		outbuf_str(o, line);
		first = 0;
	}
	outbuf_str(o, "}}\n");
}

void stats_print(struct outbuf *o, const struct stats *s,
		 const struct spe_stats *dec, int json)
{
	if (json)
		print_json(o, s, dec);
	else
		print_text(o, s, dec);
}

void stats_free(struct stats *s)
{
	for (int c = 0; c < SPE_OPC_NR; c++)
		for (int k = 0; k < STATS_LAT_KINDS; k++)
			spe_hist_free(&s->lat[c][k]);
	for (int i = 0; i < s->nr_dsrc; i++)
		for (int k = 0; k < STATS_LAT_KINDS; k++)
			spe_hist_free(&s->dsrc[i].lat[k]);
}
