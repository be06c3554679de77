/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fixture the driver sequences run in: one CPU with a simulated SPE
 * unit (spe_sim), perf's side (perf_model), and the driver's own code from
 * driver/ wired up as arm_spe_pmu_main.c would (probe, pmu callbacks,
 * setup_aux, the percpu IRQ), which is not itself built here.
 */
#ifndef SPEKIT_DRVH_HARNESS_H
#define SPEKIT_DRVH_HARNESS_H

#include <linux/perf_event.h>

#include "../../../driver/arm_spe_pmu.h"
#include "perf_model.h"
#include "spe_sim.h"

#define H_PMU_TYPE	11	/* the dynamic PMU type perf gave us */
#define H_SPE_IRQ	23	/* the PPI */

struct h_cfg {
	int nr_pages;		/* power of two */
	u64 page_size;		/* 4K default */
	bool snapshot;
	u64 watermark;		/* 0: perf's default */
	u64 align;		/* PMBIDR_EL1.Align in bytes: 1 default */
	u64 max_record_sz;	/* 64 default */
	u16 pmsver;		/* SPE_PMSVER_V1P2 default */
	u64 features;		/* all filters and discard by default */
	u64 config;		/* perf_event_attr::config */
	u64 sample_period;	/* 4096 default */
	u64 seed;
	bool privileged;	/* perfmon_capable() at event_init */
};

struct harness {
	struct h_cfg cfg;
	struct arm_spe_pmu spe_pmu;
	struct perf_output_handle handle;	/* this CPU's */
	struct perf_event event;
	struct arm_spe_pmu_buf buf;		/* setup_aux()'s */
	int irqs;			/* interrupts taken */
	int irq_none;			/* ... the handler called IRQ_NONE */
	int irq_storm;			/* line still high after the handler */
	int stops;			/* arm_spe_pmu_stop() calls by perf */
};

extern struct harness H;

/* Defaults filled in for zero fields */
void h_setup(const struct h_cfg *cfg);
void h_teardown(void);

/* The probe's view of the unit */
void h_init_pmu(struct arm_spe_pmu *spe_pmu, const struct h_cfg *cfg);
/* perf_event_open() up to event_init; returns its result */
int h_open(struct perf_event *event, struct arm_spe_pmu *spe_pmu,
	   const struct perf_event_attr *attr, int cpu);

/* Schedule the event in (pmu->add with PERF_EF_START) / out (pmu->del) */
int h_sched_in(void);
void h_sched_out(void);

/*
 * Take the SPE interrupt if the line is high, as the kernel would: the
 * handler, then the irq_work raised meanwhile (perf's pending work runs
 * from the self-IPI right after).  Returns the handler's result.
 */
irqreturn_t h_irq(void);
/* The handler alone, with the line high or not (spurious interrupts) */
irqreturn_t h_irq_handler(void);
/* Run @n samples taking interrupts as they come; returns records made */
int h_run(int n);
/* Consume all (perf record's read) */
u64 h_consume(void);

/* The offset of the ring limit programmed in PMBLIMITR_EL1, E set or not */
u64 h_limit_off(void);

/*
 * Print the problems the simulated unit and perf model saw (rule
 * breaches, API misuse, interrupts left pending); returns how many.
 */
int h_problems(void);

#endif
