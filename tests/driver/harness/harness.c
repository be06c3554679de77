// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fixture (harness.h).  What arm_spe_pmu_main.c does in the kernel,
 * reduced to one CPU: fill struct arm_spe_pmu as the probe would, point
 * the pmu callbacks at the driver (add and del as the mainline driver
 * writes them), build struct arm_spe_pmu_buf as setup_aux does, and
 * deliver the buffer interrupt with the per-CPU handle as dev_id.
 */
#include <stdio.h>
#include <string.h>

#include <linux/capability.h>
#include <linux/errno.h>
#include <linux/irq_work.h>
#include <linux/smp.h>
#include <shim/env.h>
#include <shim/printk_log.h>
#include <shim/trace_log.h>

#include "harness.h"

struct harness H;

static int h_log2(u64 x)
{
	return 63 - __builtin_clzll(x);
}

/* pmu->del: the driver's arm_spe_pmu_del(), counted */
static void h_pmu_del(struct perf_event *event, int flags)
{
	H.stops++;
	arm_spe_pmu_del(event, flags);
}

static void h_pmu_read(struct perf_event *event)
{
}

void h_init_pmu(struct arm_spe_pmu *spe_pmu, const struct h_cfg *cfg)
{
	memset(spe_pmu, 0, sizeof(*spe_pmu));
	spe_pmu->pmu.name = ARM_SPE_PMUNAME "_0";
	spe_pmu->pmu.type = H_PMU_TYPE;
	spe_pmu->pmu.capabilities = PERF_PMU_CAP_EXCLUSIVE;
	spe_pmu->pmu.event_init = arm_spe_pmu_event_init;
	spe_pmu->pmu.add = arm_spe_pmu_add;
	spe_pmu->pmu.del = h_pmu_del;
	spe_pmu->pmu.start = arm_spe_pmu_start;
	spe_pmu->pmu.stop = arm_spe_pmu_stop;
	spe_pmu->pmu.read = h_pmu_read;
	spe_pmu->pmu.check_period = arm_spe_pmu_check_period;
	cpumask_set_cpu(0, &spe_pmu->supported_cpus);
	cpumask_set_cpu(1, &spe_pmu->supported_cpus);
	spe_pmu->irq = H_SPE_IRQ;
	spe_pmu->pmsver = cfg->pmsver;
	spe_pmu->min_period = 256;	/* PMSIDR_EL1.Interval 0 */
	spe_pmu->counter_sz = 12;
	spe_pmu->features = cfg->features | SPE_PMU_FEAT_DEV_PROBED;
	spe_pmu->max_record_sz = (u16)cfg->max_record_sz;
	spe_pmu->align = (u16)cfg->align;
	spe_pmu->handle = &H.handle;
}

int h_open(struct perf_event *event, struct arm_spe_pmu *spe_pmu,
	   const struct perf_event_attr *attr, int cpu)
{
	memset(event, 0, sizeof(*event));
	event->attr = *attr;
	event->pmu = &spe_pmu->pmu;
	event->cpu = cpu;
	event->oncpu = -1;
	event->state = attr->disabled ? PERF_EVENT_STATE_OFF :
					PERF_EVENT_STATE_INACTIVE;
	/* perf_event_alloc() */
	event->hw.sample_period = attr->sample_period;
	if (attr->freq && attr->sample_freq)
		event->hw.sample_period = 1;
	event->hw.last_period = event->hw.sample_period;
	local64_set(&event->hw.period_left, (long)event->hw.sample_period);
	return event->pmu->event_init(event);
}

void h_setup(const struct h_cfg *in)
{
	struct h_cfg cfg = *in;
	struct perf_event_attr attr;
	struct spe_sim_cfg sim;
	int ret;

	if (!cfg.nr_pages)
		cfg.nr_pages = 4;
	if (!cfg.page_size)
		cfg.page_size = 4096;
	if (!cfg.align)
		cfg.align = 1;
	if (!cfg.max_record_sz)
		cfg.max_record_sz = 64;
	if (!cfg.pmsver)
		cfg.pmsver = SPE_PMSVER_V1P2;
	if (!cfg.features)
		cfg.features = SPE_PMU_FEAT_FILT_EVT | SPE_PMU_FEAT_FILT_TYP |
			       SPE_PMU_FEAT_FILT_LAT | SPE_PMU_FEAT_ARCH_INST |
			       SPE_PMU_FEAT_LDS | SPE_PMU_FEAT_ERND |
			       SPE_PMU_FEAT_INV_FILT_EVT |
			       SPE_PMU_FEAT_DISCARD;
	if (!cfg.sample_period)
		cfg.sample_period = 4096;

	memset(&H, 0, sizeof(H));
	H.cfg = cfg;
	shim_env_reset();
	shim_printk_reset();
	shim_trace_reset();

	h_init_pmu(&H.spe_pmu, &cfg);

	/* perf_event_open(): attr as perf record passes it for SPE */
	memset(&attr, 0, sizeof(attr));
	attr.type = H_PMU_TYPE;
	attr.size = sizeof(attr);
	attr.config = cfg.config;
	attr.sample_period = cfg.sample_period;
	attr.exclude_kernel = 0;
	shim_env.perfmon_capable = cfg.privileged;
	ret = h_open(&H.event, &H.spe_pmu, &attr, 0);
	if (ret)
		printf("  h_setup: event_init failed: %d\n", ret);
	shim_env.perfmon_capable = false;

	/* mmap of the AUX area: rb_alloc_aux() and pmu->setup_aux() */
	if (arm_spe_pmu_aux_check(cfg.nr_pages, cfg.snapshot))
		printf("  h_setup: setup_aux refuses %d pages%s\n",
		       cfg.nr_pages, cfg.snapshot ? " (snapshot)" : "");
	perf_model_init(cfg.nr_pages, cfg.page_size, cfg.snapshot,
			cfg.watermark);
	H.event.rb = &perf_model.rb;
	H.buf.nr_pages = cfg.nr_pages;
	H.buf.snapshot = cfg.snapshot;
	H.buf.base = perf_model.rb.aux_mem;
	H.buf.ring.size = perf_model.rb.aux_size;
	H.buf.ring.page_size = cfg.page_size;
	H.buf.ring.align = cfg.align;
	H.buf.ring.max_record_sz = cfg.max_record_sz;
	perf_model.rb.aux_priv = &H.buf;

	memset(&sim, 0, sizeof(sim));
	sim.aux_base = perf_model.rb.aux_mem;
	sim.aux_size = perf_model.rb.aux_size;
	sim.page_size = cfg.page_size;
	sim.align = cfg.align;
	sim.max_record_sz = cfg.max_record_sz;
	sim.pmsidr = SPE_FIELD_PREP(SPE_PMSIDR_EL1_MAXSIZE,
				    h_log2(cfg.max_record_sz));
	sim.pmbidr = SPE_FIELD_PREP(SPE_PMBIDR_EL1_ALIGN, h_log2(cfg.align));
	sim.seed = cfg.seed;
	sim.may_write = perf_model_may_write;
	spe_sim_reset(&sim);
}

void h_teardown(void)
{
	perf_model_free();
	spe_sim_free();
}

int h_sched_in(void)
{
	int ret = perf_model_sched_in(&H.event);

	/* work queued meanwhile runs once interrupts are enabled again */
	irq_work_run();
	return ret;
}

void h_sched_out(void)
{
	perf_model_sched_out(&H.event);
	/* the kernel would take a still-pending interrupt now */
	if (spe_sim_irq_line())
		h_irq();
}

irqreturn_t h_irq_handler(void)
{
	irqreturn_t ret;

	H.irqs++;
	ret = arm_spe_pmu_irq_handler(H_SPE_IRQ, H.spe_pmu.handle);
	if (ret == IRQ_NONE)
		H.irq_none++;
	return ret;
}

irqreturn_t h_irq(void)
{
	irqreturn_t ret = IRQ_NONE;

	if (!spe_sim_irq_line())
		return IRQ_NONE;
	ret = h_irq_handler();
	irq_work_run();
	/* a level interrupt still asserted would be taken again at once */
	if (spe_sim_irq_line())
		H.irq_storm++;
	return ret;
}

int h_run(int n)
{
	int made = 0;

	for (int i = 0; i < n; i++) {
		made += spe_sim_sample();
		if (spe_sim_irq_line() && h_irq() != IRQ_HANDLED)
			break;
		if (H.irq_storm)
			break;
	}
	return made;
}

u64 h_consume(void)
{
	return perf_model_consume(~0ULL);
}

u64 h_limit_off(void)
{
	u64 limit = spe_sim_peek(SPE_SIM_PMBLIMITR) & SPE_PMBLIMITR_EL1_LIMIT;

	return limit ? limit - (u64)H.buf.base : 0;
}

int h_problems(void)
{
	int n = spe_sim_report_violations();

	if (perf_model.api_misuse) {
		printf("  perf_model: %d AUX API misuses\n",
		       perf_model.api_misuse);
		n += perf_model.api_misuse;
	}
	if (H.irq_storm) {
		printf("  harness: interrupt left asserted after the handler (%d)\n",
		       H.irq_storm);
		n += H.irq_storm;
	}
	if (shim_trace_log.overflow) {
		printf("  harness: trace log overflow\n");
		n++;
	}
	return n;
}
