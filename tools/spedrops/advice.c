// SPDX-License-Identifier: GPL-2.0-only
/*
 * The advice rules.  Each looks at the totals since spedrops started and,
 * when it applies, says what it saw (numbers) -> what to do.
 *
 *   aux_buffer     AUX-full truncations (no_space, limit_le_head,
 *                  restart_failed) at a high data rate: bigger buffer or
 *                  faster consumer
 *   drain          the same at a low data rate: the reader is stuck
 *   data_lost      PMBSR_EL1.DL truncations
 *   irq_rate       buffer IRQs closer than ~1 ms (median): bigger buffer
 *                  (the wakeup watermark is half of it by default)
 *   collisions     PMBSR_EL1.COLL: raise the sampling interval
 *   faults         buffer faults, explained by their EC/FSC
 *   stock_reasons  stock kernel TRUNCATED flags: no reasons without
 *                  spekit's driver
 *   idle           nothing seen at all
 *   blind          blind time that no truncation or fault here explains
 *   ok             sessions seen and nothing lost
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "advice.h"
#include "names.h"

__attribute__((format(printf, 4, 5)))
static void put(struct sd_advice *out, unsigned int *n, const char *id, const char *fmt, ...)
{
	va_list ap;

	if (*n >= SD_ADVICE_MAX)
		return;
	snprintf(out[*n].id, sizeof(out[*n].id), "%s", id);
	va_start(ap, fmt);
	vsnprintf(out[*n].text, sizeof(out[*n].text), fmt, ap);
	va_end(ap);
	(*n)++;
}

static void fmt_lost(const struct sd_advice_in *in, char *buf, size_t len)
{
	if (in->est_known)
		snprintf(buf, len, "~%.0f samples lost", in->est_lost);
	else
		snprintf(buf, len, "samples lost unknown: no data rate measured");
}

/* "1.5 us", "730 us", "2.1 ms" for a duration in ns */
static void fmt_ns(double ns, char *buf, size_t len)
{
	if (ns < 1e3)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.0f us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.1f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.1f s", ns / 1e9);
}

static void advise_faults(const struct sd_advice_in *in, struct sd_advice *out, unsigned int *n)
{
	const struct sd_fault_cnt *top = NULL;
	char list[360] = "", d[160];
	size_t pos = 0;
	unsigned int shown = 0;
	const char *why;
	bool used[64] = { false };

	/* the three commonest (ec, fsc), commonest first */
	while (shown < 3) {
		const struct sd_fault_cnt *best = NULL;
		unsigned int bi = 0;

		for (unsigned int i = 0; i < in->nfaults && i < 64; i++)
			if (!used[i] && (!best || in->faults[i].count > best->count)) {
				best = &in->faults[i];
				bi = i;
			}
		if (!best)
			break;
		used[bi] = true;
		if (!top)
			top = best;
		sd_fault_desc(best->ec, best->fsc, d, sizeof(d));
		pos += snprintf(list + pos, pos < sizeof(list) ? sizeof(list) - pos : 0,
				"%s%s x%llu", shown ? "; " : "", d, (unsigned long long)best->count);
		if (pos >= sizeof(list))
			break;
		shown++;
	}
	if (!top) {
		why = "the buffer could not be written";
	} else if (top->ec == ARM_SPE_TP_EC_FAULT_S2) {
		why = "a stage 2 fault: in a VM the hypervisor did not map (pin) the guest's AUX buffer "
		      "pages for SPE; use a hypervisor with SPE guest support, or bare metal";
	} else if (top->ec == ARM_SPE_TP_EC_FAULT_S1 &&
		   (top->fsc == 0x10 || (top->fsc >= 0x13 && top->fsc <= 0x1f))) {
		why = "an external abort or memory error on the buffer write: the memory system "
		      "(IOMMU/SMMU, RAS) refused it; check dmesg and firmware logs";
	} else if (top->ec == ARM_SPE_TP_EC_FAULT_S1) {
		why = "the buffer's kernel mapping was not usable by SPE: a kernel or driver bug, or "
		      "KPTI unmapping the kernel at EL0 (boot with kpti=off)";
	} else if (top->ec == ARM_SPE_TP_EC_GPC) {
		why = "a granule protection check: the buffer is in memory the Realm Management "
		      "Extension keeps from the normal world (firmware/RME configuration)";
	} else {
		why = "an implementation defined or unknown buffer event: check dmesg (the driver "
		      "reports PMBSR_EL1) and the CPU's errata";
	}
	put(out, n, "faults", "%llu buffer faults (%s) -> %s; each fault parks SPE until perf "
	    "restarts the event", (unsigned long long)in->tot.faults,
	    in->nfaults ? list : "no breakdown", why);
}

unsigned int sd_advise(const struct sd_advice_in *in, struct sd_advice *out)
{
	const struct spe_cpu_stats *t = &in->tot;
	__u64 full = t->truncations[ARM_SPE_TRUNC_NO_SPACE] +
		     t->truncations[ARM_SPE_TRUNC_LIMIT_LE_HEAD] +
		     t->truncations[ARM_SPE_TRUNC_RESTART_FAILED];
	__u64 dl = t->truncations[ARM_SPE_TRUNC_DATA_LOST];
	__u64 flagged = t->truncations[SPE_TRUNC_FLAGGED];
	__u64 trunc = sd_trunc_total(t);
	unsigned int n = 0;
	char lost[80], gap[32];
	int med;

	fmt_lost(in, lost, sizeof(lost));
	if (full && in->rate_mbps >= SD_ADV_HIGH_RATE_MBPS)
		put(out, &n, "aux_buffer",
		    "%llu truncations on a full AUX buffer (no_space %llu, limit_le_head %llu, "
		    "restart_failed %llu) at %.1f MB/s per CPU, blind %.1f%% of the time (%s) -> "
		    "use a bigger AUX buffer (perf record -m,<pages>; e.g. double it) or drain it "
		    "faster (perf.data on fast storage or tmpfs, a CPU of its own for perf record); "
		    "a longer sampling interval (perf record -c N) also cuts the data rate",
		    (unsigned long long)full,
		    (unsigned long long)t->truncations[ARM_SPE_TRUNC_NO_SPACE],
		    (unsigned long long)t->truncations[ARM_SPE_TRUNC_LIMIT_LE_HEAD],
		    (unsigned long long)t->truncations[ARM_SPE_TRUNC_RESTART_FAILED],
		    in->rate_mbps, in->blind_pct, lost);
	else if (full)
		put(out, &n, "drain",
		    "%llu truncations on a full AUX buffer (no_space %llu, limit_le_head %llu, "
		    "restart_failed %llu) although SPE wrote only %.2f MB/s per CPU (blind %.1f%%, "
		    "%s) -> the buffer is not being drained: is perf record stopped, blocked on slow "
		    "storage or starved of CPU? a bigger buffer only delays this",
		    (unsigned long long)full,
		    (unsigned long long)t->truncations[ARM_SPE_TRUNC_NO_SPACE],
		    (unsigned long long)t->truncations[ARM_SPE_TRUNC_LIMIT_LE_HEAD],
		    (unsigned long long)t->truncations[ARM_SPE_TRUNC_RESTART_FAILED],
		    in->rate_mbps, in->blind_pct, lost);
	if (dl)
		put(out, &n, "data_lost",
		    "%llu truncations with data lost (PMBSR_EL1.DL: the SPE unit dropped a partly "
		    "written record; %llu AUX records flagged PARTIAL) -> the buffer filled before "
		    "the interrupt was served: a bigger AUX buffer (perf record -m,<pages>) or a "
		    "longer sampling interval (perf record -c N)%s",
		    (unsigned long long)dl, (unsigned long long)t->aux_partial,
		    t->faults ? "; faults also set DL: see the fault advice" : "");
	med = sd_hist_median_slot(&in->irq_gap);
	if (t->irqs >= SD_ADV_IRQ_MIN && med >= 0 && med <= SD_ADV_IRQ_GAP_SLOT) {
		fmt_ns((double)sd_slot_lo(med) + ((double)sd_slot_hi(med) - (double)sd_slot_lo(med)) / 2,
		       gap, sizeof(gap));
		put(out, &n, "irq_rate",
		    "buffer interrupts every ~%s (median gap over %llu IRQs, %.0f IRQs/s per CPU) -> "
		    "each one pauses SPE and wakes perf; a bigger AUX buffer (perf record -m,<pages>) "
		    "spaces them out, as the kernel's default wakeup watermark is half the AUX buffer",
		    gap, (unsigned long long)t->irqs,
		    in->dt_s > 0 && in->active_cpus ? (double)t->irqs / in->dt_s / in->active_cpus : 0.0);
	}
	if (t->collisions)
		put(out, &n, "collisions",
		    "%llu collisions (%.1f/s; %llu AUX records flagged COLLISION): SPE picked a new "
		    "sample before the previous record was written, and dropped samples -> raise the "
		    "sampling interval (perf record -c N, e.g. double it)",
		    (unsigned long long)t->collisions,
		    in->dt_s > 0 ? (double)t->collisions / in->dt_s : 0.0,
		    (unsigned long long)t->aux_collision);
	if (t->faults)
		advise_faults(in, out, &n);
	if (!in->driver && flagged)
		put(out, &n, "stock_reasons",
		    "%llu AUX records flagged TRUNCATED by the stock kernel, which does not say why "
		    "(blind %.1f%%, %s) -> load spekit's arm_spe_pmu driver (driver/) to see the "
		    "reasons (no_space, data_lost, limit_le_head, restart_failed, fault)",
		    (unsigned long long)flagged, in->blind_pct, lost);
	if (!t->sessions && !t->no_room && !trunc && !t->faults && !t->bytes && !t->irqs &&
	    !t->blind_ns) {
		put(out, &n, "idle",
		    "no SPE activity in %.1f s on the watched CPUs -> is perf record -e arm_spe// "
		    "running (on these CPUs)? spedrops only watches, it does not start SPE",
		    in->dt_s);
		return n;
	}
	if (n)
		return n;
	if (t->blind_ns && !trunc)
		put(out, &n, "blind",
		    "SPE was blind %.1f%% of the time (%s) with no truncation or fault seen since "
		    "spedrops started -> the cause came before; watch from the start of the perf "
		    "session", in->blind_pct, lost);
	else if (!trunc)
		put(out, &n, "ok",
		    "no SPE data lost: %llu sessions, %.1f MB in %.1f s on %u CPU(s), no "
		    "truncations, collisions or faults",
		    (unsigned long long)t->sessions, (double)t->bytes / 1e6, in->dt_s,
		    in->active_cpus);
	else
		put(out, &n, "truncations",
		    "%llu truncations (blind %.1f%%, %s) with no known cause -> see the event log "
		    "for their reasons", (unsigned long long)trunc, in->blind_pct, lost);
	return n;
}
