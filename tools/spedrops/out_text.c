// SPDX-License-Identifier: GPL-2.0-only
/*
 * Text output: one table block per interval (a header, a row per CPU
 * shown, the "all" row), event lines as they arrive, and the summary.
 * Appends like vmstat: no terminal control, so it can be piped and read
 * over serial consoles.
 */
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "out.h"

/* table lines between headers (a header also follows event lines) */
#define HEADER_EVERY	24

static unsigned int since_header = HEADER_EVERY;

/* "no_space=2,limit_le_head=1", or "-" */
static const char *reasons(const struct spe_cpu_stats *d, char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (unsigned int i = 1; i <= ARM_SPE_TRUNC_NR_REASONS; i++) {
		unsigned int idx = i % ARM_SPE_TRUNC_NR_REASONS;	/* flagged last */

		if (!d->truncations[idx] || pos >= len)
			continue;
		pos += snprintf(buf + pos, len - pos, "%s%s=%llu", pos ? "," : "",
				sd_reason_name(idx), (unsigned long long)d->truncations[idx]);
	}
	return pos ? buf : "-";
}

static void lost(const struct sd_metrics *m, char *buf, size_t len)
{
	if (m->est_known)
		snprintf(buf, len, "%.0f", m->est_lost);
	else
		snprintf(buf, len, "?");
}

void sd_text_start(FILE *f, const char *why, bool load_only, const char *pin_dir)
{
	fprintf(f, "spedrops: %s%s%s%s\n", why,
		load_only ? "; loaded only, not attached (--load-only): nothing will count" : "",
		pin_dir ? "; maps pinned under " : "", pin_dir ? pin_dir : "");
	fflush(f);
}

void sd_text_event(FILE *f, const struct spe_drop_event *e, __u64 t0_ns)
{
	double t = ((double)e->ts_ns - (double)t0_ns) / 1e9;
	const char *rn;
	char d[160];

	if (e->kind == SPE_EV_TRUNCATE) {
		rn = sd_reason_name(e->reason);
		fprintf(f, "event %9.3f cpu%u truncate %s aux_head=%llu size=%llu\n", t, e->cpu,
			rn ? rn : "unknown", (unsigned long long)e->aux_head,
			(unsigned long long)e->size);
	} else if (e->kind == SPE_EV_FAULT) {
		fprintf(f, "event %9.3f cpu%u fault %s pmbsr=0x%016llx pmbptr=0x%016llx "
			"pmblimitr=0x%016llx\n", t, e->cpu, sd_fault_desc(e->ec, e->fsc, d, sizeof(d)),
			(unsigned long long)e->pmbsr, (unsigned long long)e->pmbptr,
			(unsigned long long)e->pmblimitr);
	} else {
		fprintf(f, "event %9.3f cpu%u kind %u (unknown)\n", t, e->cpu, e->kind);
	}
	since_header = HEADER_EVERY;	/* a fresh header after event lines */
}

static void row(FILE *f, double t, const struct sd_row *r)
{
	char cpu[12], rs[160], ls[32];

	if (r->cpu < 0)
		snprintf(cpu, sizeof(cpu), "all");
	else
		snprintf(cpu, sizeof(cpu), "%d", r->cpu);
	lost(&r->m, ls, sizeof(ls));
	fprintf(f, "%8.2f %5s %8.1f %8.2f %8.1f %6llu %6llu %6llu %6.1f%% %9s  %s\n", t, cpu,
		r->m.sessions_per_s, r->m.mb_per_s, r->m.irqs_per_s,
		(unsigned long long)r->m.truncations, (unsigned long long)r->d.collisions,
		(unsigned long long)r->d.faults, r->m.blind_pct, ls,
		reasons(&r->d, rs, sizeof(rs)));
}

void sd_text_interval(FILE *f, const struct sd_report *r)
{
	if (since_header + r->nrows + 1 > HEADER_EVERY) {
		fprintf(f, "%8s %5s %8s %8s %8s %6s %6s %6s %7s %9s  %s\n", "time_s", "cpu",
			"sess/s", "MB/s", "irq/s", "trunc", "coll", "faults", "blind", "~lost",
			"truncations by reason");
		since_header = 0;
	}
	for (unsigned int i = 0; i < r->nrows; i++)
		row(f, r->t_s, &r->rows[i]);
	row(f, r->t_s, r->total);
	since_header += r->nrows + 1;
	if (r->events_more)
		fprintf(f, "(%llu more events this interval not shown)\n",
			(unsigned long long)r->events_more);
	fflush(f);
}

static void size_str(double v, const char *unit, char *buf, size_t len)
{
	static const char *const pre[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
	unsigned int i = 0;

	while (v >= 1024 && i < 6) {
		v /= 1024;
		i++;
	}
	snprintf(buf, len, "%.0f %s%s", v, pre[i], unit);
}

static void ns_str(double ns, char *buf, size_t len)
{
	if (ns < 1e3)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.1f us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.1f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.1f s", ns / 1e9);
}

static void range(int slot, bool ns, char *buf, size_t len)
{
	char a[32], b[32];
	double lo = (double)sd_slot_lo(slot), hi = (double)sd_slot_hi(slot) + 1;

	if (ns) {
		ns_str(lo, a, sizeof(a));
		ns_str(hi, b, sizeof(b));
	} else {
		size_str(lo, "B", a, sizeof(a));
		size_str(hi, "B", b, sizeof(b));
	}
	snprintf(buf, len, "%s..%s", a, b);
}

static void hist_line(FILE *f, const char *what, const char *unit_of_count,
		      const struct spe_log2_hist *h, bool ns)
{
	char med[80], max[80];
	__u64 n = sd_hist_count(h);

	if (!n) {
		fprintf(f, "  %-14s none\n", what);
		return;
	}
	range(sd_hist_median_slot(h), ns, med, sizeof(med));
	range(sd_hist_max_slot(h), ns, max, sizeof(max));
	fprintf(f, "  %-14s median %s, max %s (%llu %s)\n", what, med, max,
		(unsigned long long)n, unit_of_count);
}

void sd_text_summary(FILE *f, const struct sd_report *r)
{
	const struct spe_cpu_stats *t = &r->total->d;
	char rs[160], ls[32], d[160];

	fprintf(f, "\nsummary: %.1f s; %s%s\n", r->dt_s, r->why,
		r->load_only ? "; loaded only, not attached" : "");
	fprintf(f, "%5s %9s %8s %8s %10s %6s %6s %6s %7s %9s  %s\n", "cpu", "sessions",
		"no_room", "irqs", "MB", "trunc", "coll", "faults", "blind", "~lost",
		"truncations by reason");
	for (unsigned int i = 0; i <= r->nrows; i++) {
		const struct sd_row *x = i < r->nrows ? &r->rows[i] : r->total;
		char cpu[12];

		if (x->cpu < 0)
			snprintf(cpu, sizeof(cpu), "all");
		else
			snprintf(cpu, sizeof(cpu), "%d", x->cpu);
		lost(&x->m, ls, sizeof(ls));
		fprintf(f, "%5s %9llu %8llu %8llu %10.2f %6llu %6llu %6llu %6.1f%% %9s  %s\n", cpu,
			(unsigned long long)x->d.sessions, (unsigned long long)x->d.no_room,
			(unsigned long long)x->d.irqs, (double)x->d.bytes / 1e6,
			(unsigned long long)x->m.truncations, (unsigned long long)x->d.collisions,
			(unsigned long long)x->d.faults, x->m.blind_pct, ls,
			reasons(&x->d, rs, sizeof(rs)));
	}
	fprintf(f, "  %-14s %s\n", "truncations", reasons(t, rs, sizeof(rs)));
	if (r->nfaults) {
		for (unsigned int i = 0; i < r->nfaults; i++)
			fprintf(f, "  %-14s cpu%u %s x%llu\n", i ? "" : "faults", r->faults[i].cpu,
				sd_fault_desc(r->faults[i].ec, r->faults[i].fsc, d, sizeof(d)),
				(unsigned long long)r->faults[i].count);
	} else {
		fprintf(f, "  %-14s none\n", "faults");
	}
	if (r->hists) {
		hist_line(f, "session size", "sessions", &r->hists[SPE_HIST_SESSION_BYTES], false);
		hist_line(f, "IRQ gap", "gaps", &r->hists[SPE_HIST_IRQ_GAP_NS], true);
		hist_line(f, "blind periods", "periods", &r->hists[SPE_HIST_BLIND_NS], true);
	}
	lost(&r->total->m, ls, sizeof(ls));
	fprintf(f, "  %-14s %s (an estimate: blind time x the data rate while SPE ran, %.2f MB/s "
		"per CPU, / %u-byte records, --record-size)\n", "samples lost", ls,
		r->total->m.rate_bps / 1e6, r->record_size);
	fprintf(f, "  %-14s %llu received from the BPF ring buffer\n", "events",
		(unsigned long long)r->events_total);
	fprintf(f, "advice:\n");
	for (unsigned int i = 0; i < r->nadvice; i++)
		fprintf(f, "  [%s] %s\n", r->advice[i].id, r->advice[i].text);
	fflush(f);
}
