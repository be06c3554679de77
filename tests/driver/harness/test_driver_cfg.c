// SPDX-License-Identifier: GPL-2.0-only
/*
 * event_init and the attr -> register conversions (review points 14-16):
 * privilege for physical addresses, physical timestamps and CONTEXTIDR,
 * refused modes, the period's bounds and sanitising, filters only where
 * the hardware has them, RES0 event-filter bits per PMSVer, discard only
 * with FEAT_SPEv1p2.  Built three times: 6.12 with
 * CONFIG_PID_IN_CONTEXTIDR, 6.1 (no config3), and without the option.
 */
#include <errno.h>

#include <shim/env.h>

#include "check.h"
#include "drv_check.h"

#define ALL_FEATURES	(SPE_PMU_FEAT_FILT_EVT | SPE_PMU_FEAT_FILT_TYP | \
			 SPE_PMU_FEAT_FILT_LAT | SPE_PMU_FEAT_ARCH_INST | \
			 SPE_PMU_FEAT_LDS | SPE_PMU_FEAT_ERND |		 \
			 SPE_PMU_FEAT_INV_FILT_EVT | SPE_PMU_FEAT_DISCARD)

#define CFG_PA		(1ULL << 1)
#define CFG_PCT		(1ULL << 2)
#define CFG_TS		(1ULL << 0)
#define CFG_JITTER	(1ULL << 16)
#define CFG_BRANCH	(1ULL << 32)
#define CFG_LOAD	(1ULL << 33)
#define CFG_STORE	(1ULL << 34)
#define CFG_DISCARD	(1ULL << 35)

static struct arm_spe_pmu pmu;
static struct perf_event ev;

static void init_pmu(u16 pmsver, u64 features)
{
	struct h_cfg cfg = { .pmsver = pmsver, .features = features,
			     .max_record_sz = 64, .align = 1 };

	h_init_pmu(&pmu, &cfg);
	pmu.features = features | SPE_PMU_FEAT_DEV_PROBED;
}

static struct perf_event_attr base_attr(void)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.type = H_PMU_TYPE;
	a.size = sizeof(a);
	a.sample_period = 4096;
	return a;
}

/* event_init of @a, as @privileged opens it */
static int open_as(const struct perf_event_attr *a, bool privileged)
{
	int ret;

	shim_env.perfmon_capable = privileged;
	ret = h_open(&ev, &pmu, a, 0);
	shim_env.perfmon_capable = false;
	return ret;
}

static int open_cfg(u64 config, bool privileged)
{
	struct perf_event_attr a = base_attr();

	a.config = config;
	return open_as(&a, privileged);
}

static void test_not_ours(void)
{
	struct perf_event_attr a = base_attr();

	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES);
	a.type = H_PMU_TYPE + 1;
	CHECK_EQ_U64(open_as(&a, true), (u64)-ENOENT);
	a = base_attr();
	shim_env.perfmon_capable = true;
	CHECK_EQ_U64(h_open(&ev, &pmu, &a, 5), (u64)-ENOENT);	/* no SPE */
	CHECK_EQ_U64(h_open(&ev, &pmu, &a, 1), 0);
	CHECK_EQ_U64(h_open(&ev, &pmu, &a, -1), 0);		/* per task */
	shim_env.perfmon_capable = false;
}

/* Point 14 */
static void test_privilege(void)
{
	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES);
	CHECK_EQ_U64(open_cfg(CFG_PA, false), (u64)-EACCES);
	CHECK_EQ_U64(open_cfg(CFG_PCT, false), (u64)-EACCES);
	CHECK_EQ_U64(open_cfg(CFG_PA | CFG_TS, false), (u64)-EACCES);
	CHECK_EQ_U64(open_cfg(CFG_TS, false), 0);
	CHECK_EQ_U64(open_cfg(CFG_PA | CFG_PCT, true), 0);
	CHECK_EQ_U64(arm_spe_event_to_pmscr(&ev) &
		     (SPE_PMSCR_EL1_PA | SPE_PMSCR_EL1_PCT),
		     SPE_PMSCR_EL1_PA |
		     SPE_FIELD_PREP(SPE_PMSCR_EL1_PCT, SPE_PMSCR_EL1_PCT_PHYS));
}

/* CONTEXTIDR: decided at event_init, for privileged openers only */
static void test_cx(void)
{
	bool cx = IS_ENABLED(CONFIG_PID_IN_CONTEXTIDR);

	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES);
	CHECK_EQ_U64(open_cfg(0, false), 0);
	CHECK_EQ_U64(ev.hw.flags & SPE_PMU_HW_FLAGS_CX, 0);
	CHECK_EQ_U64(arm_spe_event_to_pmscr(&ev) & SPE_PMSCR_EL1_CX, 0);

	CHECK_EQ_U64(open_cfg(0, true), 0);
	CHECK_EQ_U64(!!(ev.hw.flags & SPE_PMU_HW_FLAGS_CX), cx);
	/* later calls (pmu start, any context) use what init decided */
	shim_env.perfmon_capable = false;
	CHECK_EQ_U64(arm_spe_event_to_pmscr(&ev) & SPE_PMSCR_EL1_CX,
		     cx ? SPE_PMSCR_EL1_CX : 0);
}

static void test_exclusions(void)
{
	struct perf_event_attr a = base_attr();

	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES);
	a.exclude_user = 1;
	CHECK_EQ_U64(open_as(&a, false), 0);
	CHECK_EQ_U64(arm_spe_event_to_pmscr(&ev) &
		     (SPE_PMSCR_EL1_E0SPE | SPE_PMSCR_EL1_E1SPE),
		     SPE_PMSCR_EL1_E1SPE);
	a = base_attr();
	a.exclude_kernel = 1;
	CHECK_EQ_U64(open_as(&a, false), 0);
	CHECK_EQ_U64(arm_spe_event_to_pmscr(&ev) &
		     (SPE_PMSCR_EL1_E0SPE | SPE_PMSCR_EL1_E1SPE),
		     SPE_PMSCR_EL1_E0SPE);
	a = base_attr();
	a.exclude_idle = 1;
	CHECK_EQ_U64(open_as(&a, true), (u64)-EOPNOTSUPP);
	a = base_attr();
	a.freq = 1;
	a.sample_freq = 1000;
	CHECK_EQ_U64(open_as(&a, true), (u64)-EINVAL);
}

/* Point 15 */
static void test_period(void)
{
	struct perf_event_attr a = base_attr();

	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES);
	a.sample_period = 255;		/* min_period is 256 */
	CHECK_EQ_U64(open_as(&a, false), (u64)-EOPNOTSUPP);
	a.sample_period = 256;
	CHECK_EQ_U64(open_as(&a, false), 0);
	CHECK_EQ_U64(arm_spe_pmu_check_period(&ev, 255), (u64)-EINVAL);
	CHECK_EQ_U64(arm_spe_pmu_check_period(&ev, 256), 0);
	CHECK_EQ_U64(arm_spe_pmu_check_period(&ev, 1ULL << 40), 0);

	/* low 8 bits RES0: dropped */
	a.sample_period = 0x12345;
	a.config = CFG_JITTER;
	CHECK_EQ_U64(open_as(&a, false), 0);
	CHECK_EQ_U64(arm_spe_event_to_pmsirr(&ev),
		     0x12300 | SPE_PMSIRR_EL1_RND);
	CHECK_EQ_U64(ev.hw.sample_period, 0x12300);
	/* too large: saturates */
	a.sample_period = 1ULL << 32;
	a.config = 0;
	CHECK_EQ_U64(open_as(&a, false), 0);
	CHECK_EQ_U64(arm_spe_event_to_pmsirr(&ev), SPE_PMSIRR_EL1_INTERVAL);
	/* PERF_EVENT_IOC_PERIOD does not re-init: the reload sanitises */
	ev.hw.sample_period = 0x1ff;
	CHECK_EQ_U64(arm_spe_event_to_pmsirr(&ev), 0x100);
	ev.hw.sample_period = 0x10;
	CHECK_EQ_U64(arm_spe_event_to_pmsirr(&ev), 256);
}

/* Point 16: filters only where PMSIDR_EL1 says they exist */
static void test_filter_features(void)
{
	struct perf_event_attr a;

	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES & ~SPE_PMU_FEAT_FILT_TYP);
	CHECK_EQ_U64(open_cfg(CFG_LOAD, false), (u64)-EOPNOTSUPP);
	CHECK_EQ_U64(open_cfg(CFG_BRANCH, false), (u64)-EOPNOTSUPP);
	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES);
	CHECK_EQ_U64(open_cfg(CFG_LOAD | CFG_STORE | CFG_BRANCH, false), 0);
	CHECK_EQ_U64(arm_spe_event_to_pmsfcr(&ev),
		     SPE_PMSFCR_EL1_FT | SPE_PMSFCR_EL1_LD | SPE_PMSFCR_EL1_ST |
		     SPE_PMSFCR_EL1_B);

	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES & ~SPE_PMU_FEAT_FILT_EVT);
	a = base_attr();
	a.config1 = 1ULL << 1;
	CHECK_EQ_U64(open_as(&a, false), (u64)-EOPNOTSUPP);
	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES);
	CHECK_EQ_U64(open_as(&a, false), 0);
	CHECK_EQ_U64(arm_spe_event_to_pmsfcr(&ev), SPE_PMSFCR_EL1_FE);

	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES & ~SPE_PMU_FEAT_FILT_LAT);
	a = base_attr();
	a.config2 = 20;
	CHECK_EQ_U64(open_as(&a, false), (u64)-EOPNOTSUPP);
	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES);
	CHECK_EQ_U64(open_as(&a, false), 0);
	CHECK_EQ_U64(arm_spe_event_to_pmslatfr(&ev), 20);
	CHECK_EQ_U64(arm_spe_event_to_pmsfcr(&ev), SPE_PMSFCR_EL1_FL);

#ifdef ARM_SPE_HAVE_CONFIG3
	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES & ~SPE_PMU_FEAT_INV_FILT_EVT);
	a = base_attr();
	a.config3 = 1ULL << 7;
	CHECK_EQ_U64(open_as(&a, false), (u64)-EOPNOTSUPP);
	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES);
	CHECK_EQ_U64(open_as(&a, false), 0);
	CHECK_EQ_U64(arm_spe_event_to_pmsnevfr(&ev), 1ULL << 7);
	CHECK_EQ_U64(arm_spe_event_to_pmsfcr(&ev), SPE_PMSFCR_EL1_FNE);
#else
	/* 6.1: no config3, so no inverted filter whatever the hardware has */
	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES);
	CHECK_EQ_U64(open_cfg(0, false), 0);
	CHECK_EQ_U64(arm_spe_event_to_pmsnevfr(&ev), 0);
	CHECK_EQ_U64(arm_spe_event_to_pmsfcr(&ev) & SPE_PMSFCR_EL1_FNE, 0);
#endif
}

/* Point 16: RES0 event-filter bits, per PMSVer */
static int open_evfr(u16 pmsver, u64 bits, bool inverted)
{
	struct perf_event_attr a = base_attr();

	init_pmu(pmsver, ALL_FEATURES);
	if (!inverted) {
		a.config1 = bits;
	} else {
#ifdef ARM_SPE_HAVE_CONFIG3
		a.config3 = bits;
#else
		return -EOPNOTSUPP;
#endif
	}
	return open_as(&a, false);
}

static void test_event_filter_res0(void)
{
	static const u16 vers[] = {
		SPE_PMSVER_V1, SPE_PMSVER_V1P1, SPE_PMSVER_V1P2,
		SPE_PMSVER_V1P3, SPE_PMSVER_V1P4, SPE_PMSVER_V1P5,
	};
	bool inv_max = false;

#ifdef ARM_SPE_HAVE_CONFIG3
	inv_max = true;
#endif
	for (int inv = 0; inv <= (int)inv_max; inv++) {
		for (unsigned int v = 0; v < sizeof(vers) / sizeof(vers[0]); v++) {
			u16 pv = vers[v];
			bool p1 = pv >= SPE_PMSVER_V1P1, p2 = pv >= SPE_PMSVER_V1P2;

			/* always: retired, refill, TLB walk, mispredict, IMP DEF */
			CHECK_EQ_U64(open_evfr(pv, (1ULL << 1) | (1ULL << 3) |
					       (1ULL << 5) | (1ULL << 7) |
					       (1ULL << 12) | (1ULL << 24) |
					       (1ULL << 63), inv), 0);
			/* never: exception-generating (0), 2, 4, 8-10, 16 */
			CHECK_EQ_U64(open_evfr(pv, 1ULL << 0, inv), (u64)-EOPNOTSUPP);
			CHECK_EQ_U64(open_evfr(pv, 1ULL << 2, inv), (u64)-EOPNOTSUPP);
			CHECK_EQ_U64(open_evfr(pv, 1ULL << 9, inv), (u64)-EOPNOTSUPP);
			CHECK_EQ_U64(open_evfr(pv, 1ULL << 16, inv), (u64)-EOPNOTSUPP);
			CHECK_EQ_U64(open_evfr(pv, 1ULL << 40, inv), (u64)-EOPNOTSUPP);
			/* v1p1: misaligned, SVE partial/empty predicate */
			CHECK_EQ_U64(open_evfr(pv, 1ULL << 11, inv),
				     p1 ? 0 : (u64)-EOPNOTSUPP);
			CHECK_EQ_U64(open_evfr(pv, 1ULL << 17, inv),
				     p1 ? 0 : (u64)-EOPNOTSUPP);
			CHECK_EQ_U64(open_evfr(pv, 1ULL << 18, inv),
				     p1 ? 0 : (u64)-EOPNOTSUPP);
			/* v1p2: not taken */
			CHECK_EQ_U64(open_evfr(pv, 1ULL << 6, inv),
				     p2 ? 0 : (u64)-EOPNOTSUPP);
		}
	}
}

/* Discard (PMBLIMITR_EL1.FM) needs FEAT_SPEv1p2 */
static void test_discard(void)
{
	init_pmu(SPE_PMSVER_V1P1, ALL_FEATURES & ~SPE_PMU_FEAT_DISCARD);
	CHECK_EQ_U64(open_cfg(CFG_DISCARD, false), (u64)-EOPNOTSUPP);
	CHECK_EQ_U64(open_cfg(0, false), 0);
	CHECK_EQ_U64(arm_spe_event_to_fm(&ev),
		     SPE_FIELD_PREP(SPE_PMBLIMITR_EL1_FM,
				    SPE_PMBLIMITR_EL1_FM_FILL));
	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES);
	CHECK_EQ_U64(open_cfg(CFG_DISCARD, false), 0);
	CHECK_EQ_U64(arm_spe_event_to_fm(&ev),
		     SPE_FIELD_PREP(SPE_PMBLIMITR_EL1_FM,
				    SPE_PMBLIMITR_EL1_FM_DISCARD));
}

/* The perf_event_attr bits are the mainline driver's (user ABI) */
static void test_format_bits(void)
{
	struct perf_event_attr a = base_attr();

	init_pmu(SPE_PMSVER_V1P2, ALL_FEATURES);
	a.config = CFG_TS | CFG_PA | CFG_PCT | CFG_JITTER | CFG_BRANCH |
		   CFG_LOAD | CFG_STORE;
	a.config1 = 1ULL << 1;
	a.config2 = 0xfff;
	CHECK_EQ_U64(open_as(&a, true), 0);
	CHECK_EQ_U64(arm_spe_event_to_pmscr(&ev) & ~SPE_PMSCR_EL1_CX,
		     SPE_PMSCR_EL1_TS | SPE_PMSCR_EL1_PA |
		     SPE_FIELD_PREP(SPE_PMSCR_EL1_PCT, SPE_PMSCR_EL1_PCT_PHYS) |
		     SPE_PMSCR_EL1_E0SPE | SPE_PMSCR_EL1_E1SPE);
	CHECK_EQ_U64(arm_spe_event_to_pmsirr(&ev), 4096 | SPE_PMSIRR_EL1_RND);
	CHECK_EQ_U64(arm_spe_event_to_pmsevfr(&ev), 1ULL << 1);
	/* min_latency is config2:0-11 */
	CHECK_EQ_U64(arm_spe_event_to_pmslatfr(&ev), 0xfff);
	a.config2 = 0x1fff;
	CHECK_EQ_U64(open_as(&a, true), 0);
	CHECK_EQ_U64(arm_spe_event_to_pmslatfr(&ev), 0xfff);
}

int main(void)
{
	shim_env_reset();
	RUN_TEST(test_not_ours);
	RUN_TEST(test_privilege);
	RUN_TEST(test_cx);
	RUN_TEST(test_exclusions);
	RUN_TEST(test_period);
	RUN_TEST(test_filter_features);
	RUN_TEST(test_event_filter_res0);
	RUN_TEST(test_discard);
	RUN_TEST(test_format_bits);
	CHECK_DONE();
}
