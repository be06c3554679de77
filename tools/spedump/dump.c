// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "pktdump.h"

#define OUTBUF_SIZE (1u << 20)

int dump_init(struct dump *d, const struct dump_opts *opts, int out_fd)
{
	memset(d, 0, sizeof(*d));
	d->opts = *opts;
	if (outbuf_init(&d->out, out_fd, OUTBUF_SIZE))
		return -ENOMEM;
	if (opts->mode == DUMP_RECORDS)
		recfmt_header(&d->out, opts->fmt);
	return 0;
}

void dump_set_cpu_midr(struct dump *d, int cpu, uint64_t midr)
{
	if (cpu >= 0 && cpu < DUMP_MAX_QUEUES)
		d->cpu_fam[cpu] = spe_dsrc_family_for_midr(midr);
}

static enum spe_dsrc_family fam_for_cpu(const struct dump *d, int cpu)
{
	if (d->opts.have_midr)
		return spe_dsrc_family_for_midr(d->opts.midr);
	if (cpu >= 0 && cpu < DUMP_MAX_QUEUES)
		return d->cpu_fam[cpu];
	return SPE_DSRC_UNKNOWN;
}

static struct dump_queue *get_queue(struct dump *d, unsigned int queue, int cpu)
{
	struct dump_queue *q;

	if (queue >= DUMP_MAX_QUEUES)
		return NULL;
	if (queue >= d->nr_q) {
		unsigned int n = queue + 1;
		struct dump_queue *nq = realloc(d->q, n * sizeof(*nq));

		if (!nq)
			return NULL;
		memset(nq + d->nr_q, 0, (n - d->nr_q) * sizeof(*nq));
		d->q = nq;
		d->nr_q = n;
	}
	q = &d->q[queue];
	if (!q->used) {
		spe_decoder_init(&q->dec);
		q->used = true;
		q->cpu = cpu;
	}
	if (cpu >= 0)
		q->cpu = cpu;
	q->fam = fam_for_cpu(d, q->cpu);
	return q;
}

static void emit(struct dump *d, struct dump_queue *q, const struct spe_record *r)
{
	struct rec_ctx ctx = { .cpu = q->cpu, .dsrc_fam = q->fam };

	if (d->opts.mode == DUMP_STATS)
		stats_add(&d->stats, r, q->fam);
	else
		recfmt_record(&d->out, d->opts.fmt, r, &ctx);
}

int dump_aux(struct dump *d, unsigned int queue, int cpu,
	     const uint8_t *buf, size_t len)
{
	const struct spe_record *r;
	struct dump_queue *q;

	if (d->opts.only_cpu >= 0 && cpu != d->opts.only_cpu)
		return 0;
	q = get_queue(d, queue, cpu);
	if (!q)
		return -1;
	if (d->opts.mode == DUMP_PACKETS) {
		/* perf dumps each AUX buffer on its own, offsets from 0; the
		 * dump counts what it cannot decode, for the exit status */
		pktdump_buffer(&d->out, buf, len, &d->pkt_damage);
		d->dec_total.bytes += len;
		return 0;
	}
	spe_decoder_feed(&q->dec, buf, len);
	while ((r = spe_decoder_next(&q->dec)))
		emit(d, q, r);
	return 0;
}

void dump_aux_break(struct dump *d, unsigned int queue)
{
	if (queue < d->nr_q && d->q[queue].used)
		spe_decoder_reset(&d->q[queue].dec, d->q[queue].dec.stream_off);
}

static void add_stats(struct spe_stats *a, const struct spe_stats *b)
{
	a->bytes += b->bytes;
	a->packets += b->packets;
	a->pad_bytes += b->pad_bytes;
	a->records += b->records;
	a->unterminated += b->unterminated;
	a->unknown_pkts += b->unknown_pkts;
	a->bad_bytes += b->bad_bytes;
	a->bad_events += b->bad_events;
	a->records_dropped += b->records_dropped;
	a->truncated_bytes += b->truncated_bytes;
}

void dump_finish(struct dump *d)
{
	const struct spe_record *r;

	if (d->opts.mode == DUMP_PACKETS) {
		/* no records were assembled: damage is what the dump saw */
		d->dec_total.bad_bytes = d->pkt_damage.bad_bytes;
		d->dec_total.bad_events = d->pkt_damage.bad_events;
		d->dec_total.truncated_bytes = d->pkt_damage.truncated_bytes;
		outbuf_flush(&d->out);
		return;
	}
	memset(&d->dec_total, 0, sizeof(d->dec_total));
	for (unsigned int i = 0; i < d->nr_q; i++) {
		struct dump_queue *q = &d->q[i];

		if (!q->used)
			continue;
		r = spe_decoder_finish(&q->dec);
		if (r) {
			if (d->opts.perf_compat) {
				/* perf drops a trailing record with no END/TS;
				 * a choice, not damage: "unterminated" still
				 * counts it, "records" does not */
				q->dec.stats.records--;
			} else if (d->opts.mode != DUMP_PACKETS) {
				emit(d, q, r);
			}
		}
		add_stats(&d->dec_total, &q->dec.stats);
	}
	if (d->opts.mode == DUMP_STATS)
		stats_print(&d->out, &d->stats, &d->dec_total,
			    d->opts.fmt == RECFMT_JSON);
	outbuf_flush(&d->out);
}

void dump_free(struct dump *d)
{
	outbuf_free(&d->out);
	stats_free(&d->stats);
	free(d->q);
	d->q = NULL;
}
