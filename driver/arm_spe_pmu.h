/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spekit's SPE PMU driver: what its files share.
 *
 *   arm_spe_pmu_main.c	module, probe (DT/ACPI), sysfs, perf registration,
 *			AUX buffer set-up, CPU hotplug, tracepoint creation
 *   arm_spe_pmu_cfg.c	perf_event_attr <-> register values, event_init
 *   arm_spe_pmu_buf.c	AUX sessions, the buffer IRQ, add/del/start/stop
 *   spe_aux_ring.c	AUX ring arithmetic (kernel-agnostic)
 *
 * arm_spe_pmu_cfg.c, arm_spe_pmu_buf.c and spe_aux_ring.c also build in
 * user space against tests/shim/ (tests/driver/harness), so they include
 * only kernel headers the shim provides.
 */
#ifndef _ARM_SPE_PMU_H
#define _ARM_SPE_PMU_H

#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/perf_event.h>
#include <linux/platform_device.h>
#include <linux/types.h>
#include <linux/bitfield.h>
#include <linux/bits.h>

#include <asm/sysreg.h>

#include <spekit/spe_regs.h>

#include "spe_aux_ring.h"

#define ARM_SPE_PMUNAME		"arm_spe"
#define ARM_SPE_DRVNAME		ARM_SPE_PMUNAME "_pmu"

/*
 * System register access through the one definition in spe_regs.h:
 * spe_read(PMBSR_EL1), spe_write(val, PMBLIMITR_EL1).  The indirection
 * expands SPE_REG_x to its five-number encoding before sys_reg() sees it.
 */
#define __arm_spe_sys_reg(...)	sys_reg(__VA_ARGS__)
#define arm_spe_sys_reg(enc)	__arm_spe_sys_reg(enc)
#define spe_read(r)		read_sysreg_s(arm_spe_sys_reg(SPE_REG_##r))
#define spe_write(v, r)		write_sysreg_s(v, arm_spe_sys_reg(SPE_REG_##r))

struct arm_spe_pmu_buf {
	struct spe_aux_ring	ring;	/* sizes the arithmetic needs */
	int			nr_pages;
	bool			snapshot;
	void			*base;	/* vmap of perf's AUX pages */
};

struct arm_spe_pmu {
	struct pmu			pmu;
	struct platform_device		*pdev;
	cpumask_t			supported_cpus;
	struct hlist_node		hotplug_node;

	int				irq;	/* PPI */
	u16				pmsver;
	u16				min_period;
	u16				counter_sz;	/* CountSize, in bits */

#define SPE_PMU_FEAT_FILT_EVT		BIT_ULL(0)
#define SPE_PMU_FEAT_FILT_TYP		BIT_ULL(1)
#define SPE_PMU_FEAT_FILT_LAT		BIT_ULL(2)
#define SPE_PMU_FEAT_ARCH_INST		BIT_ULL(3)
#define SPE_PMU_FEAT_LDS		BIT_ULL(4)
#define SPE_PMU_FEAT_ERND		BIT_ULL(5)
#define SPE_PMU_FEAT_INV_FILT_EVT	BIT_ULL(6)
#define SPE_PMU_FEAT_DISCARD		BIT_ULL(7)
#define SPE_PMU_FEAT_DEV_PROBED		BIT_ULL(63)
	u64				features;

	u16				max_record_sz;
	u16				align;
	struct perf_output_handle __percpu *handle;
};

#define to_spe_pmu(p)	(container_of(p, struct arm_spe_pmu, pmu))

/*
 * User ABI: where each format attribute lives in perf_event_attr.  The
 * same bits as the mainline driver, so perf's "arm_spe/ts_enable=1,.../"
 * syntax and existing scripts work unchanged.
 */
#define ATTR_CFG_FLD_ts_enable_CFG		config	/* PMSCR_EL1.TS */
#define ATTR_CFG_FLD_ts_enable_LO		0
#define ATTR_CFG_FLD_ts_enable_HI		0
#define ATTR_CFG_FLD_pa_enable_CFG		config	/* PMSCR_EL1.PA */
#define ATTR_CFG_FLD_pa_enable_LO		1
#define ATTR_CFG_FLD_pa_enable_HI		1
#define ATTR_CFG_FLD_pct_enable_CFG		config	/* PMSCR_EL1.PCT */
#define ATTR_CFG_FLD_pct_enable_LO		2
#define ATTR_CFG_FLD_pct_enable_HI		2
#define ATTR_CFG_FLD_jitter_CFG			config	/* PMSIRR_EL1.RND */
#define ATTR_CFG_FLD_jitter_LO			16
#define ATTR_CFG_FLD_jitter_HI			16
#define ATTR_CFG_FLD_branch_filter_CFG		config	/* PMSFCR_EL1.B */
#define ATTR_CFG_FLD_branch_filter_LO		32
#define ATTR_CFG_FLD_branch_filter_HI		32
#define ATTR_CFG_FLD_load_filter_CFG		config	/* PMSFCR_EL1.LD */
#define ATTR_CFG_FLD_load_filter_LO		33
#define ATTR_CFG_FLD_load_filter_HI		33
#define ATTR_CFG_FLD_store_filter_CFG		config	/* PMSFCR_EL1.ST */
#define ATTR_CFG_FLD_store_filter_LO		34
#define ATTR_CFG_FLD_store_filter_HI		34
#define ATTR_CFG_FLD_discard_CFG		config	/* PMBLIMITR_EL1.FM */
#define ATTR_CFG_FLD_discard_LO			35
#define ATTR_CFG_FLD_discard_HI			35
#define ATTR_CFG_FLD_event_filter_CFG		config1	/* PMSEVFR_EL1 */
#define ATTR_CFG_FLD_event_filter_LO		0
#define ATTR_CFG_FLD_event_filter_HI		63
#define ATTR_CFG_FLD_min_latency_CFG		config2	/* PMSLATFR_EL1.MINLAT */
#define ATTR_CFG_FLD_min_latency_LO		0
#define ATTR_CFG_FLD_min_latency_HI		11
/*
 * perf_event_attr::config3 exists from 6.3 on.  Kbuild defines
 * ARM_SPE_HAVE_CONFIG3 by looking at the tree's uapi header rather than
 * its version, which distribution backports would make wrong.
 */
#define ATTR_CFG_FLD_inv_event_filter_CFG	config3	/* PMSNEVFR_EL1 */
#define ATTR_CFG_FLD_inv_event_filter_LO	0
#define ATTR_CFG_FLD_inv_event_filter_HI	63

/* (not ATTR_CFG_GET_FLD: 6.12's <linux/perf/arm_pmu.h> has one) */
#define ARM_SPE_ATTR_GET(attr, name)					\
	FIELD_GET(GENMASK_ULL(ATTR_CFG_FLD_##name##_HI,			\
			      ATTR_CFG_FLD_##name##_LO),		\
		  (attr)->ATTR_CFG_FLD_##name##_CFG)

/*
 * perf_event::hw.flags bit caching, at event_init in the opener's context,
 * whether the event may trace CONTEXTIDR (review point 14).
 */
#define SPE_PMU_HW_FLAGS_CX	0x00001

/* arm_spe_pmu_cfg.c */
int arm_spe_pmu_event_init(struct perf_event *event);
int arm_spe_pmu_check_period(struct perf_event *event, u64 value);
int arm_spe_pmu_aux_check(int nr_pages, bool snapshot);
u64 arm_spe_event_to_pmscr(struct perf_event *event);
u64 arm_spe_event_to_pmsirr(struct perf_event *event);
u64 arm_spe_event_to_pmsfcr(struct perf_event *event);
u64 arm_spe_event_to_pmsevfr(struct perf_event *event);
u64 arm_spe_event_to_pmsnevfr(struct perf_event *event);
u64 arm_spe_event_to_pmslatfr(struct perf_event *event);
u64 arm_spe_event_to_fm(struct perf_event *event);
u64 arm_spe_pmsevfr_allowed(u16 pmsver);

/* arm_spe_pmu_buf.c */
int arm_spe_pmu_add(struct perf_event *event, int flags);
void arm_spe_pmu_del(struct perf_event *event, int flags);
void arm_spe_pmu_start(struct perf_event *event, int flags);
void arm_spe_pmu_stop(struct perf_event *event, int flags);
irqreturn_t arm_spe_pmu_irq_handler(int irq, void *dev);
void arm_spe_pmu_disable_and_drain_local(void);

#endif /* _ARM_SPE_PMU_H */
