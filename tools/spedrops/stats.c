// SPDX-License-Identifier: GPL-2.0-only
/* Deltas, rates and the samples-lost estimate (see stats.h) */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

#define NFIELDS		(sizeof(struct spe_cpu_stats) / sizeof(__u64))
#define IDX(member)	(offsetof(struct spe_cpu_stats, member) / sizeof(__u64))

_Static_assert(sizeof(struct spe_cpu_stats) % sizeof(__u64) == 0,
	       "struct spe_cpu_stats is all __u64");

struct sd_snap *sd_snap_new(unsigned int ncpus)
{
	struct sd_snap *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->ncpus = ncpus;
	s->cpu = calloc(ncpus ? ncpus : 1, sizeof(*s->cpu));
	if (!s->cpu) {
		free(s);
		return NULL;
	}
	return s;
}

void sd_snap_free(struct sd_snap *s)
{
	if (!s)
		return;
	free(s->cpu);
	free(s->faults);
	free(s);
}

int sd_snap_copy(struct sd_snap *dst, const struct sd_snap *src)
{
	dst->t_ns = src->t_ns;
	memcpy(dst->cpu, src->cpu, (size_t)src->ncpus * sizeof(*src->cpu));
	dst->nfaults = 0;
	for (unsigned int i = 0; i < src->nfaults; i++) {
		const struct sd_fault_cnt *f = &src->faults[i];

		if (sd_snap_add_fault(dst, f->cpu, f->ec, f->fsc, f->count))
			return -1;
	}
	return 0;
}

int sd_snap_add_fault(struct sd_snap *s, __u32 cpu, __u32 ec, __u32 fsc, __u64 count)
{
	if (s->nfaults == s->cap_faults) {
		unsigned int cap = s->cap_faults ? 2 * s->cap_faults : 16;
		struct sd_fault_cnt *f = realloc(s->faults, cap * sizeof(*f));

		if (!f)
			return -1;
		s->faults = f;
		s->cap_faults = cap;
	}
	s->faults[s->nfaults++] = (struct sd_fault_cnt){ cpu, ec, fsc, count };
	return 0;
}

__u64 sd_blind_at(const struct spe_cpu_stats *s, __u64 t)
{
	__u64 b = s->blind_ns;

	if (s->blind_since_ns && t > s->blind_since_ns)
		b += t - s->blind_since_ns;
	return b;
}

void sd_stats_delta(const struct spe_cpu_stats *a, __u64 ta,
		    const struct spe_cpu_stats *b, __u64 tb, struct spe_cpu_stats *d)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;
	__u64 *z = (__u64 *)d, ba, bb, dt = tb > ta ? tb - ta : 0;

	for (size_t i = 0; i < NFIELDS; i++)
		z[i] = y[i] > x[i] ? y[i] - x[i] : 0;
	ba = sd_blind_at(a, ta);
	bb = sd_blind_at(b, tb);
	d->blind_ns = bb > ba ? bb - ba : 0;
	if (d->blind_ns > dt)
		d->blind_ns = dt;
	d->blind_since_ns = 0;
	d->last_irq_ns = 0;
}

void sd_stats_add(struct spe_cpu_stats *acc, const struct spe_cpu_stats *d)
{
	__u64 *z = (__u64 *)acc;
	const __u64 *y = (const __u64 *)d;

	for (size_t i = 0; i < NFIELDS; i++)
		if (i != IDX(blind_since_ns) && i != IDX(last_irq_ns))
			z[i] += y[i];
}

void sd_hist_delta(const struct spe_log2_hist *a, const struct spe_log2_hist *b,
		   struct spe_log2_hist *d)
{
	for (int i = 0; i < SPE_LOG2_SLOTS; i++)
		d->slots[i] = b->slots[i] > a->slots[i] ? b->slots[i] - a->slots[i] : 0;
}

void sd_hist_add(struct spe_log2_hist *acc, const struct spe_log2_hist *d)
{
	for (int i = 0; i < SPE_LOG2_SLOTS; i++)
		acc->slots[i] += d->slots[i];
}

__u64 sd_hist_count(const struct spe_log2_hist *h)
{
	__u64 n = 0;

	for (int i = 0; i < SPE_LOG2_SLOTS; i++)
		n += h->slots[i];
	return n;
}

int sd_hist_median_slot(const struct spe_log2_hist *h)
{
	__u64 n = sd_hist_count(h), seen = 0;

	if (!n)
		return -1;
	for (int i = 0; i < SPE_LOG2_SLOTS; i++) {
		seen += h->slots[i];
		if (2 * seen >= n)
			return i;
	}
	return SPE_LOG2_SLOTS - 1;
}

int sd_hist_max_slot(const struct spe_log2_hist *h)
{
	for (int i = SPE_LOG2_SLOTS - 1; i >= 0; i--)
		if (h->slots[i])
			return i;
	return -1;
}

__u64 sd_slot_lo(int i)
{
	return i <= 0 ? 0 : (__u64)1 << i;
}

__u64 sd_slot_hi(int i)
{
	if (i <= 0)
		return 1;
	return i >= 63 ? ~(__u64)0 : ((__u64)1 << (i + 1)) - 1;
}

__u64 sd_trunc_total(const struct spe_cpu_stats *d)
{
	__u64 n = 0;

	for (int i = 0; i < ARM_SPE_TRUNC_NR_REASONS; i++)
		n += d->truncations[i];
	return n;
}

bool sd_stats_active(const struct spe_cpu_stats *d)
{
	return d->sessions || d->no_room || d->irqs || d->spurious_irqs || d->bytes ||
	       d->aux_records || sd_trunc_total(d) || d->collisions || d->faults ||
	       d->pad_bytes || d->blind_ns;
}

/* bytes per ns while not blind, or -1 when not measurable */
static double rate_bpns(const struct spe_cpu_stats *d, __u64 dt_ns, bool need_tenth)
{
	__u64 active = dt_ns > d->blind_ns ? dt_ns - d->blind_ns : 0;

	if (!d->bytes || !active || (need_tenth && active < dt_ns / 10))
		return -1;
	return (double)d->bytes / (double)active;
}

void sd_metrics(const struct spe_cpu_stats *d, __u64 dt_ns,
		const struct spe_cpu_stats *cum, __u64 cum_dt_ns,
		unsigned int record_size, struct sd_metrics *m)
{
	double dt = dt_ns ? (double)dt_ns / 1e9 : 0, r;

	memset(m, 0, sizeof(*m));
	if (dt > 0) {
		m->sessions_per_s = (double)d->sessions / dt;
		m->mb_per_s = (double)d->bytes / dt / 1e6;
		m->irqs_per_s = (double)d->irqs / dt;
		m->blind_pct = 100.0 * (double)d->blind_ns / (double)dt_ns;
	}
	m->truncations = sd_trunc_total(d);
	/* the interval's own rate if SPE ran for a tenth of it, else the
	 * rate since start */
	r = rate_bpns(d, dt_ns, true);
	if (r < 0 && cum)
		r = rate_bpns(cum, cum_dt_ns, false);
	if (r >= 0)
		m->rate_bps = r * 1e9;
	if (!d->blind_ns) {
		m->est_known = true;
	} else if (r >= 0 && record_size) {
		m->est_known = true;
		m->est_lost = (double)d->blind_ns * r / (double)record_size;
	}
}

static bool wanted(const struct sd_cpuset *only, unsigned int cpu)
{
	return !only || sd_cpuset_has(only, cpu);
}

unsigned int sd_build_rows(const struct sd_snap *start, const struct sd_snap *prev,
			   const struct sd_snap *cur, const struct sd_cpuset *only,
			   unsigned int record_size, struct sd_row *rows,
			   struct sd_row *total, unsigned int *active_cpus)
{
	__u64 dt = cur->t_ns > prev->t_ns ? cur->t_ns - prev->t_ns : 0;
	__u64 cum_dt = cur->t_ns > start->t_ns ? cur->t_ns - start->t_ns : 0;
	unsigned int n = 0, nactive = 0;
	bool all_known = true;
	double lost = 0;

	memset(total, 0, sizeof(*total));
	total->cpu = -1;
	for (unsigned int c = 0; c < cur->ncpus; c++) {
		struct spe_cpu_stats d, cum;
		struct sd_row *r;

		if (!wanted(only, c))
			continue;
		sd_stats_delta(&prev->cpu[c].s, prev->t_ns, &cur->cpu[c].s, cur->t_ns, &d);
		sd_stats_delta(&start->cpu[c].s, start->t_ns, &cur->cpu[c].s, cur->t_ns, &cum);
		if (sd_stats_active(&cum))
			nactive++;
		sd_stats_add(&total->d, &d);
		r = &rows[n];
		r->cpu = (int)c;
		r->d = d;
		sd_metrics(&d, dt, &cum, cum_dt, record_size, &r->m);
		lost += r->m.est_lost;
		all_known &= r->m.est_known;
		if (only || sd_stats_active(&d))
			n++;
	}
	sd_metrics(&total->d, dt, NULL, 0, record_size, &total->m);
	if (dt && nactive)
		total->m.blind_pct = 100.0 * (double)total->d.blind_ns / ((double)dt * nactive);
	total->m.est_lost = lost;
	total->m.est_known = all_known;
	/* the total's rate: per active CPU while not blind */
	if (nactive && total->d.bytes && dt * nactive > total->d.blind_ns)
		total->m.rate_bps = (double)total->d.bytes * 1e9 /
				    (double)(dt * nactive - total->d.blind_ns);
	else
		total->m.rate_bps = 0;
	if (active_cpus)
		*active_cpus = nactive;
	return n;
}

void sd_hists_total(const struct sd_snap *start, const struct sd_snap *cur,
		    const struct sd_cpuset *only, struct spe_log2_hist out[SPE_HIST_NR])
{
	memset(out, 0, SPE_HIST_NR * sizeof(out[0]));
	for (unsigned int c = 0; c < cur->ncpus; c++) {
		if (!wanted(only, c))
			continue;
		for (int h = 0; h < SPE_HIST_NR; h++) {
			struct spe_log2_hist d;

			sd_hist_delta(&start->cpu[c].h[h], &cur->cpu[c].h[h], &d);
			sd_hist_add(&out[h], &d);
		}
	}
}

static __u64 fault_at(const struct sd_snap *s, __u32 cpu, __u32 ec, __u32 fsc)
{
	for (unsigned int i = 0; i < s->nfaults; i++)
		if (s->faults[i].cpu == cpu && s->faults[i].ec == ec && s->faults[i].fsc == fsc)
			return s->faults[i].count;
	return 0;
}

unsigned int sd_faults_since(const struct sd_snap *start, const struct sd_snap *cur,
			     const struct sd_cpuset *only, bool by_cpu,
			     struct sd_fault_cnt *out)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < cur->nfaults; i++) {
		const struct sd_fault_cnt *f = &cur->faults[i];
		__u64 before = fault_at(start, f->cpu, f->ec, f->fsc);
		__u32 cpu = by_cpu ? f->cpu : ~0U;
		unsigned int j;

		if (!wanted(only, f->cpu) || f->count <= before)
			continue;
		for (j = 0; j < n; j++)
			if (out[j].cpu == cpu && out[j].ec == f->ec && out[j].fsc == f->fsc)
				break;
		if (j == n)
			out[n++] = (struct sd_fault_cnt){ cpu, f->ec, f->fsc, 0 };
		out[j].count += f->count - before;
	}
	return n;
}
