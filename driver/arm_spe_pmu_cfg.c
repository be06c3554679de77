// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf_event_attr to register values, and the checks event_init makes on
 * them (review points 14, 15, 16).  Also built in user space against
 * tests/shim/ so the privilege and filter rules are tested without
 * hardware.
 */
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/perf_event.h>

#include "arm_spe_pmu.h"

static void arm_spe_set_event_has_cx(struct perf_event *event)
{
	/*
	 * CONTEXTIDR holds the PID: only privileged users get it in their
	 * records.  Decided here, in the opener's context, once.
	 */
	if (IS_ENABLED(CONFIG_PID_IN_CONTEXTIDR) && perfmon_capable())
		event->hw.flags |= SPE_PMU_HW_FLAGS_CX;
}

static bool arm_spe_event_has_cx(struct perf_event *event)
{
	return !!(event->hw.flags & SPE_PMU_HW_FLAGS_CX);
}

u64 arm_spe_event_to_pmscr(struct perf_event *event)
{
	struct perf_event_attr *attr = &event->attr;
	u64 reg = 0;

	if (ARM_SPE_ATTR_GET(attr, ts_enable))
		reg |= SPE_PMSCR_EL1_TS;
	if (ARM_SPE_ATTR_GET(attr, pa_enable))
		reg |= SPE_PMSCR_EL1_PA;
	if (ARM_SPE_ATTR_GET(attr, pct_enable))
		reg |= FIELD_PREP(SPE_PMSCR_EL1_PCT, SPE_PMSCR_EL1_PCT_PHYS);
	if (!attr->exclude_user)
		reg |= SPE_PMSCR_EL1_E0SPE;
	if (!attr->exclude_kernel)
		reg |= SPE_PMSCR_EL1_E1SPE;
	if (arm_spe_event_has_cx(event))
		reg |= SPE_PMSCR_EL1_CX;

	return reg;
}

/*
 * The period as PMSIRR_EL1.INTERVAL can hold it.  event_init rejects
 * periods below min_interval and check_period() does for
 * PERF_EVENT_IOC_PERIOD, but neither re-initialises the event, so this
 * runs at every reload (review point 15).  Bits outside INTERVAL are
 * dropped on purpose rather than refused: the low 8 bits are RES0 and a
 * too-large period saturates, so software asking for a longer interval
 * than this core supports still runs.
 */
static void arm_spe_event_sanitise_period(struct perf_event *event)
{
	struct arm_spe_pmu *spe_pmu = to_spe_pmu(event->pmu);
	u64 period = event->hw.sample_period;

	if (period < spe_pmu->min_period)
		period = spe_pmu->min_period;
	else if (period > SPE_PMSIRR_EL1_INTERVAL)
		period = SPE_PMSIRR_EL1_INTERVAL;
	else
		period &= SPE_PMSIRR_EL1_INTERVAL;

	event->hw.sample_period = period;
}

u64 arm_spe_event_to_pmsirr(struct perf_event *event)
{
	struct perf_event_attr *attr = &event->attr;
	u64 reg = 0;

	arm_spe_event_sanitise_period(event);

	if (ARM_SPE_ATTR_GET(attr, jitter))
		reg |= SPE_PMSIRR_EL1_RND;
	reg |= event->hw.sample_period;

	return reg;
}

u64 arm_spe_event_to_pmsevfr(struct perf_event *event)
{
	return ARM_SPE_ATTR_GET(&event->attr, event_filter);
}

u64 arm_spe_event_to_pmsnevfr(struct perf_event *event)
{
#ifdef ARM_SPE_HAVE_CONFIG3
	return ARM_SPE_ATTR_GET(&event->attr, inv_event_filter);
#else
	return 0;
#endif
}

u64 arm_spe_event_to_pmsfcr(struct perf_event *event)
{
	struct perf_event_attr *attr = &event->attr;
	u64 reg = 0;

	if (ARM_SPE_ATTR_GET(attr, load_filter))
		reg |= SPE_PMSFCR_EL1_LD;
	if (ARM_SPE_ATTR_GET(attr, store_filter))
		reg |= SPE_PMSFCR_EL1_ST;
	if (ARM_SPE_ATTR_GET(attr, branch_filter))
		reg |= SPE_PMSFCR_EL1_B;
	if (reg)
		reg |= SPE_PMSFCR_EL1_FT;

	if (arm_spe_event_to_pmsevfr(event))
		reg |= SPE_PMSFCR_EL1_FE;
	if (arm_spe_event_to_pmsnevfr(event))
		reg |= SPE_PMSFCR_EL1_FNE;
	if (ARM_SPE_ATTR_GET(attr, min_latency))
		reg |= SPE_PMSFCR_EL1_FL;

	return reg;
}

u64 arm_spe_event_to_pmslatfr(struct perf_event *event)
{
	return FIELD_PREP(SPE_PMSLATFR_EL1_MINLAT,
			  ARM_SPE_ATTR_GET(&event->attr, min_latency));
}

/* PMBLIMITR_EL1.FM for the event: fill, or discard (FEAT_SPEv1p2) */
u64 arm_spe_event_to_fm(struct perf_event *event)
{
	if (ARM_SPE_ATTR_GET(&event->attr, discard))
		return FIELD_PREP(SPE_PMBLIMITR_EL1_FM,
				  SPE_PMBLIMITR_EL1_FM_DISCARD);
	return FIELD_PREP(SPE_PMBLIMITR_EL1_FM, SPE_PMBLIMITR_EL1_FM_FILL);
}

/* PMSEVFR_EL1/PMSNEVFR_EL1 bits software may set, by PMSVer */
u64 arm_spe_pmsevfr_allowed(u16 pmsver)
{
	switch (pmsver) {
	case SPE_PMSVER_V1:
		return SPE_PMSEVFR_V1_ALLOWED;
	case SPE_PMSVER_V1P1:
		return SPE_PMSEVFR_V1P1_ALLOWED;
	default:
		/* v1p2 and later; probe refuses versions it does not know */
		return SPE_PMSEVFR_V1P2_ALLOWED;
	}
}

int arm_spe_pmu_check_period(struct perf_event *event, u64 value)
{
	struct arm_spe_pmu *spe_pmu = to_spe_pmu(event->pmu);

	return value < spe_pmu->min_period ? -EINVAL : 0;
}

int arm_spe_pmu_event_init(struct perf_event *event)
{
	struct perf_event_attr *attr = &event->attr;
	struct arm_spe_pmu *spe_pmu = to_spe_pmu(event->pmu);
	u64 allowed = arm_spe_pmsevfr_allowed(spe_pmu->pmsver);
	u64 reg;

	/* Not ours, or a CPU without this SPE: let another PMU try */
	if (attr->type != event->pmu->type)
		return -ENOENT;
	if (event->cpu >= 0 &&
	    !cpumask_test_cpu(event->cpu, &spe_pmu->supported_cpus))
		return -ENOENT;

	/* Event filter bits the hardware treats as RES0 */
	if (arm_spe_event_to_pmsevfr(event) & ~allowed)
		return -EOPNOTSUPP;
	if (arm_spe_event_to_pmsnevfr(event) & ~allowed)
		return -EOPNOTSUPP;

	/* SPE cannot tell idle from busy */
	if (attr->exclude_idle)
		return -EOPNOTSUPP;

	/*
	 * Frequency mode needs feedback on every sample; SPE delivers a
	 * buffer of them, so the core cannot steer the period.  Ask for a
	 * fixed period instead.
	 */
	if (attr->freq)
		return -EINVAL;

	if (event->hw.sample_period < spe_pmu->min_period)
		return -EOPNOTSUPP;

	/* Filters only where PMSIDR_EL1 says the hardware has them */
	reg = arm_spe_event_to_pmsfcr(event);
	if ((reg & SPE_PMSFCR_EL1_FE) &&
	    !(spe_pmu->features & SPE_PMU_FEAT_FILT_EVT))
		return -EOPNOTSUPP;
	if ((reg & SPE_PMSFCR_EL1_FNE) &&
	    !(spe_pmu->features & SPE_PMU_FEAT_INV_FILT_EVT))
		return -EOPNOTSUPP;
	if ((reg & SPE_PMSFCR_EL1_FT) &&
	    !(spe_pmu->features & SPE_PMU_FEAT_FILT_TYP))
		return -EOPNOTSUPP;
	if ((reg & SPE_PMSFCR_EL1_FL) &&
	    !(spe_pmu->features & SPE_PMU_FEAT_FILT_LAT))
		return -EOPNOTSUPP;
	if (ARM_SPE_ATTR_GET(attr, discard) &&
	    !(spe_pmu->features & SPE_PMU_FEAT_DISCARD))
		return -EOPNOTSUPP;

	/* Physical addresses and physical timestamps: privileged only */
	arm_spe_set_event_has_cx(event);
	reg = arm_spe_event_to_pmscr(event);
	if (!perfmon_capable() &&
	    (reg & (SPE_PMSCR_EL1_PA | SPE_PMSCR_EL1_PCT)))
		return -EACCES;

	return 0;
}

/*
 * setup_aux's checks (review point 21), kept here so they are tested in
 * user space.  Snapshot mode treats the ring as two halves, so it needs
 * an even number of pages.  A single page is refused too: a session's
 * limit is the page boundary below perf's tail, so on one page a session
 * could only begin on an empty ring and every wakeup would stall SPE.
 */
int arm_spe_pmu_aux_check(int nr_pages, bool snapshot)
{
	if (nr_pages < 2)
		return -EINVAL;
	if (snapshot && (nr_pages & 1))
		return -EINVAL;
	return 0;
}
