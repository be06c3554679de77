// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf.data input: AUXTRACE buffers go to one decoder per AUX queue, in
 * file order (perf writes each queue's buffers in offset order);
 * PERF_RECORD_AUX flags and LOST records are counted as drops; per-CPU
 * MIDRs choose the data-source meaning.
 */
#include <stdio.h>

#include "input.h"
#include "perf_data.h"

static void count_aux_flags(struct stats_drops *dr, uint64_t flags)
{
	dr->aux_records++;
	dr->truncated += !!(flags & SPE_PD_AUX_TRUNCATED);
	dr->partial += !!(flags & SPE_PD_AUX_PARTIAL);
	dr->collision += !!(flags & SPE_PD_AUX_COLLISION);
	dr->overwrite += !!(flags & SPE_PD_AUX_OVERWRITE);
}

static void note_cpu_midr(struct spe_pd *pd, struct dump *d, uint32_t cpu)
{
	uint64_t midr;

	if (cpu < DUMP_MAX_QUEUES && !d->cpu_fam[cpu] &&
	    spe_pd_cpu_midr(pd, cpu, &midr) >= 0)
		dump_set_cpu_midr(d, (int)cpu, midr);
}

int input_perf_data(const char *path, const void *buf, size_t len,
		    struct dump *d)
{
	struct stats_drops *dr = &d->stats.drops;
	struct spe_pd_event ev;
	struct spe_pd *pd;
	char err[512];
	unsigned int order_warnings = 0;
	int ret, n;

	ret = spe_pd_open_mem(buf, len, path, &pd, err, sizeof(err));
	if (ret != SPE_PD_OK) {
		fprintf(stderr, "spedump: %s\n", err);
		return 1;
	}
	while ((n = spe_pd_next(pd, &ev)) > 0) {
		switch (ev.type) {
		case SPE_PD_EV_AUXTRACE: {
			int cpu = ev.auxtrace.cpu == UINT32_MAX ? -1 : (int)ev.auxtrace.cpu;

			if (cpu >= 0)
				note_cpu_midr(pd, d, (uint32_t)cpu);
			if (ev.auxtrace.order >= SPE_PD_ORDER_GAP) {
				/* the queue's stream broke: no record spans it */
				dump_aux_break(d, ev.auxtrace.idx);
				if (ev.warn && order_warnings++ < 5)
					fprintf(stderr, "spedump: %s\n", ev.warn);
			}
			if (dump_aux(d, ev.auxtrace.idx, cpu, ev.auxtrace.data,
				     (size_t)ev.auxtrace.size)) {
				fprintf(stderr, "spedump: %s: AUX queue %u out of range (at most %d queues)\n",
					path, ev.auxtrace.idx, DUMP_MAX_QUEUES);
				spe_pd_close(pd);
				return 1;
			}
			break;
		}
		case SPE_PD_EV_AUX:
			count_aux_flags(dr, ev.aux.flags);
			break;
		case SPE_PD_EV_LOST:
			dr->lost_events += ev.lost.lost;
			break;
		case SPE_PD_EV_LOST_SAMPLES:
			dr->lost_samples += ev.lost_samples.lost;
			break;
		default:
			break;
		}
	}
	if (n < 0) {
		/* what was decoded so far has been output */
		fprintf(stderr, "spedump: %s\n", err);
		spe_pd_close(pd);
		return 1;
	}
	spe_pd_close(pd);
	return 0;
}
