// SPDX-License-Identifier: GPL-2.0-only
/*
 * spekit's perf driver for the Arm Statistical Profiling Extension: the
 * module, device probe (DT and ACPI), sysfs ABI, perf registration, AUX
 * buffer set-up and CPU hotplug.  The buffer handling is in
 * arm_spe_pmu_buf.c, the attr checks in arm_spe_pmu_cfg.c.
 *
 * Written from the review of the original driver (see driver/README.md for
 * where each review point is settled) and brought up to what the mainline
 * driver offers, plus the arm_spe tracepoints.
 */
#define pr_fmt(fmt)	KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/bug.h>
#include <linux/cpuhotplug.h>
#include <linux/device.h>
#include <linux/irq.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/perf/arm_pmu.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>

#include <asm/mmu.h>

#include "arm_spe_pmu.h"

#define CREATE_TRACE_POINTS
#include "arm_spe_trace.h"

/* Our dynamic hotplug state */
static enum cpuhp_state arm_spe_pmu_online;

/*
 * Capabilities in sysfs (caps/) are ABI.  Boolean hardware features come
 * first, each with its PMU feature bit in arm_spe_pmu_feat_caps[]; valued
 * capabilities follow SPE_PMU_CAP_FEAT_MAX.  Adding one in the wrong place
 * fails loudly (review point 18): a boolean capability without a table
 * entry, or a table entry for a valued one, breaks the static_assert
 * below; a boolean capability added after FEAT_MAX hits the WARN in
 * arm_spe_pmu_cap_get().
 */
enum arm_spe_pmu_capabilities {
	SPE_PMU_CAP_ARCH_INST = 0,
	SPE_PMU_CAP_ERND,
	SPE_PMU_CAP_FEAT_MAX,
	SPE_PMU_CAP_CNT_SZ = SPE_PMU_CAP_FEAT_MAX,
	SPE_PMU_CAP_MIN_IVAL,
	SPE_PMU_CAP_EVENT_FILTER,
};

static const u64 arm_spe_pmu_feat_caps[] = {
	[SPE_PMU_CAP_ARCH_INST]	= SPE_PMU_FEAT_ARCH_INST,
	[SPE_PMU_CAP_ERND]	= SPE_PMU_FEAT_ERND,
};

static_assert(ARRAY_SIZE(arm_spe_pmu_feat_caps) == SPE_PMU_CAP_FEAT_MAX);

static u64 arm_spe_pmu_cap_get(struct arm_spe_pmu *spe_pmu, int cap)
{
	if (cap < SPE_PMU_CAP_FEAT_MAX)
		return !!(spe_pmu->features & arm_spe_pmu_feat_caps[cap]);

	switch (cap) {
	case SPE_PMU_CAP_CNT_SZ:
		return spe_pmu->counter_sz;
	case SPE_PMU_CAP_MIN_IVAL:
		return spe_pmu->min_period;
	case SPE_PMU_CAP_EVENT_FILTER:
		return arm_spe_pmsevfr_allowed(spe_pmu->pmsver);
	default:
		WARN(1, "unknown cap %d\n", cap);
	}

	return 0;
}

static ssize_t arm_spe_pmu_cap_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct arm_spe_pmu *spe_pmu = dev_get_drvdata(dev);
	struct dev_ext_attribute *ea =
		container_of(attr, struct dev_ext_attribute, attr);
	int cap = (unsigned long)ea->var;

	if (cap == SPE_PMU_CAP_EVENT_FILTER)
		return sysfs_emit(buf, "0x%llx\n",
				  arm_spe_pmu_cap_get(spe_pmu, cap));
	return sysfs_emit(buf, "%llu\n", arm_spe_pmu_cap_get(spe_pmu, cap));
}

#define SPE_EXT_ATTR_ENTRY(_name, _func, _ptr)				\
	(&((struct dev_ext_attribute[]) {				\
		{ __ATTR(_name, 0444, _func, NULL), (_ptr) }		\
	})[0].attr.attr)

/* Integers ride in the void * through unsigned long (review point 19) */
#define SPE_CAP_EXT_ATTR_ENTRY(_name, _var)				\
	SPE_EXT_ATTR_ENTRY(_name, arm_spe_pmu_cap_show,			\
			   (void *)(unsigned long)(_var))

static struct attribute *arm_spe_pmu_cap_attr[] = {
	SPE_CAP_EXT_ATTR_ENTRY(arch_inst, SPE_PMU_CAP_ARCH_INST),
	SPE_CAP_EXT_ATTR_ENTRY(ernd, SPE_PMU_CAP_ERND),
	SPE_CAP_EXT_ATTR_ENTRY(count_size, SPE_PMU_CAP_CNT_SZ),
	SPE_CAP_EXT_ATTR_ENTRY(min_interval, SPE_PMU_CAP_MIN_IVAL),
	SPE_CAP_EXT_ATTR_ENTRY(event_filter, SPE_PMU_CAP_EVENT_FILTER),
	NULL,
};

static const struct attribute_group arm_spe_pmu_cap_group = {
	.name	= "caps",
	.attrs	= arm_spe_pmu_cap_attr,
};

/* format/: where each field sits in perf_event_attr (arm_spe_pmu.h) */
struct arm_spe_pmu_format {
	const char	*cfg;
	unsigned int	lo;
	unsigned int	hi;
};

static ssize_t arm_spe_pmu_format_show(struct device *dev,
				       struct device_attribute *attr,
				       char *buf)
{
	struct dev_ext_attribute *ea =
		container_of(attr, struct dev_ext_attribute, attr);
	const struct arm_spe_pmu_format *fmt = ea->var;

	if (fmt->lo == fmt->hi)
		return sysfs_emit(buf, "%s:%u\n", fmt->cfg, fmt->lo);
	return sysfs_emit(buf, "%s:%u-%u\n", fmt->cfg, fmt->lo, fmt->hi);
}

#define SPE_FORMAT_ATTR_ENTRY(_name)					\
	SPE_EXT_ATTR_ENTRY(_name, arm_spe_pmu_format_show,		\
		(&(struct arm_spe_pmu_format) {				\
			__stringify(ATTR_CFG_FLD_##_name##_CFG),	\
			ATTR_CFG_FLD_##_name##_LO,			\
			ATTR_CFG_FLD_##_name##_HI }))

static struct attribute *arm_spe_pmu_formats_attr[] = {
	SPE_FORMAT_ATTR_ENTRY(ts_enable),
	SPE_FORMAT_ATTR_ENTRY(pa_enable),
	SPE_FORMAT_ATTR_ENTRY(pct_enable),
	SPE_FORMAT_ATTR_ENTRY(jitter),
	SPE_FORMAT_ATTR_ENTRY(branch_filter),
	SPE_FORMAT_ATTR_ENTRY(load_filter),
	SPE_FORMAT_ATTR_ENTRY(store_filter),
	SPE_FORMAT_ATTR_ENTRY(discard),
	SPE_FORMAT_ATTR_ENTRY(event_filter),
	SPE_FORMAT_ATTR_ENTRY(min_latency),
#ifdef ARM_SPE_HAVE_CONFIG3
	SPE_FORMAT_ATTR_ENTRY(inv_event_filter),
#endif
	NULL,
};

/* Offer only the fields this hardware acts on */
static umode_t arm_spe_pmu_format_is_visible(struct kobject *kobj,
					     struct attribute *attr, int unused)
{
	struct device *dev = kobj_to_dev(kobj);
	struct arm_spe_pmu *spe_pmu = dev_get_drvdata(dev);

	if (!strcmp(attr->name, "discard") &&
	    !(spe_pmu->features & SPE_PMU_FEAT_DISCARD))
		return 0;
	if (!strcmp(attr->name, "inv_event_filter") &&
	    !(spe_pmu->features & SPE_PMU_FEAT_INV_FILT_EVT))
		return 0;
	return attr->mode;
}

static const struct attribute_group arm_spe_pmu_format_group = {
	.name		= "format",
	.is_visible	= arm_spe_pmu_format_is_visible,
	.attrs		= arm_spe_pmu_formats_attr,
};

static ssize_t cpumask_show(struct device *dev,
			    struct device_attribute *attr, char *buf)
{
	struct arm_spe_pmu *spe_pmu = dev_get_drvdata(dev);

	return cpumap_print_to_pagebuf(true, buf, &spe_pmu->supported_cpus);
}
static DEVICE_ATTR_RO(cpumask);

static struct attribute *arm_spe_pmu_attrs[] = {
	&dev_attr_cpumask.attr,
	NULL,
};

static const struct attribute_group arm_spe_pmu_group = {
	.attrs	= arm_spe_pmu_attrs,
};

static const struct attribute_group *arm_spe_pmu_attr_groups[] = {
	&arm_spe_pmu_group,
	&arm_spe_pmu_cap_group,
	&arm_spe_pmu_format_group,
	NULL,
};

/* Perf callbacks that are not buffer handling */
static void arm_spe_pmu_read(struct perf_event *event)
{
	/* Samples go to the AUX buffer; there is no count to read */
}

static void *arm_spe_pmu_setup_aux(struct perf_event *event, void **pages,
				   int nr_pages, bool snapshot)
{
	struct arm_spe_pmu *spe_pmu = to_spe_pmu(event->pmu);
	int i, cpu = event->cpu == -1 ? raw_smp_processor_id() : event->cpu;
	struct arm_spe_pmu_buf *buf;
	struct page **pglist;

	if (arm_spe_pmu_aux_check(nr_pages, snapshot)) {
		pr_debug("AUX buffer of %d pages refused%s\n", nr_pages,
			 snapshot ? " (snapshot needs an even count >= 2)" :
				    " (at least 2 pages)");
		return NULL;
	}

	buf = kzalloc_node(sizeof(*buf), GFP_KERNEL, cpu_to_node(cpu));
	if (!buf)
		return NULL;

	pglist = kcalloc(nr_pages, sizeof(*pglist), GFP_KERNEL);
	if (!pglist)
		goto out_free_buf;

	/*
	 * Review point 21 expected no high-order pages without
	 * PERF_PMU_CAP_AUX_NO_SG.  rb_alloc_aux() hands every PMU chunks
	 * of up to the watermark's order, but split_page()d, with only
	 * the chunk's first page marked PagePrivate: each entry of @pages
	 * is an ordinary page and vmap() maps them all.  Refusing
	 * PagePrivate pages, as the seed did, would refuse most buffers.
	 */
	for (i = 0; i < nr_pages; i++)
		pglist[i] = virt_to_page(pages[i]);

	buf->base = vmap(pglist, nr_pages, VM_MAP, PAGE_KERNEL);
	if (!buf->base)
		goto out_free_pglist;

	buf->nr_pages = nr_pages;
	buf->snapshot = snapshot;
	buf->ring.size = (u64)nr_pages * PAGE_SIZE;
	buf->ring.page_size = PAGE_SIZE;
	buf->ring.align = spe_pmu->align;
	buf->ring.max_record_sz = spe_pmu->max_record_sz;

	kfree(pglist);
	return buf;

out_free_pglist:
	kfree(pglist);
out_free_buf:
	kfree(buf);
	return NULL;
}

static void arm_spe_pmu_free_aux(void *aux)
{
	struct arm_spe_pmu_buf *buf = aux;

	vunmap(buf->base);
	kfree(buf);
}

static int arm_spe_pmu_perf_init(struct arm_spe_pmu *spe_pmu)
{
	static atomic_t pmu_idx = ATOMIC_INIT(-1);
	struct device *dev = &spe_pmu->pdev->dev;
	char *name;
	int idx;

	spe_pmu->pmu = (struct pmu) {
		.module		= THIS_MODULE,
		/*
		 * EXCLUSIVE keeps the event out of groups (review point
		 * 17); inherit is refused by the core when the AUX area
		 * is mapped.
		 */
		.capabilities	= PERF_PMU_CAP_EXCLUSIVE | PERF_PMU_CAP_ITRACE,
		.attr_groups	= arm_spe_pmu_attr_groups,
		/*
		 * Per-task events need sched callbacks, which the invalid
		 * context does not get, so ride on the software context
		 * (review point 22).  The AUX buffer only exists after
		 * mmap(), which follows perf_event_open(): user space must
		 * either open a dummy event for the mmap or create this
		 * event disabled and PERF_EVENT_IOC_ENABLE it once the AUX
		 * area is mapped.  perf record does the latter.
		 */
		.task_ctx_nr	= perf_sw_context,
		.event_init	= arm_spe_pmu_event_init,
		.add		= arm_spe_pmu_add,
		.del		= arm_spe_pmu_del,
		.start		= arm_spe_pmu_start,
		.stop		= arm_spe_pmu_stop,
		.read		= arm_spe_pmu_read,
		.setup_aux	= arm_spe_pmu_setup_aux,
		.free_aux	= arm_spe_pmu_free_aux,
		.check_period	= arm_spe_pmu_check_period,
	};

	idx = atomic_inc_return(&pmu_idx);
	name = devm_kasprintf(dev, GFP_KERNEL, "%s_%d", ARM_SPE_PMUNAME, idx);
	if (!name)
		return -ENOMEM;

	return perf_pmu_register(&spe_pmu->pmu, name, -1);
}

/* PMSIDR_EL1.Interval to the minimum sampling interval */
static u16 arm_spe_pmu_min_interval(unsigned int fld, struct device *dev)
{
	static const u16 interval[] = {
		[0] = 256, [2] = 512, [3] = 768, [4] = 1024,
		[5] = 1536, [6] = 2048, [7] = 3072, [8] = 4096,
	};

	if (fld < ARRAY_SIZE(interval) && interval[fld])
		return interval[fld];
	dev_warn(dev, "unknown PMSIDR_EL1.Interval [%u]; assuming 4096\n", fld);
	return 4096;
}

static const char *const arm_spe_pmsver_name[] = {
	[SPE_PMSVER_V1]		= "SPEv1",
	[SPE_PMSVER_V1P1]	= "SPEv1p1",
	[SPE_PMSVER_V1P2]	= "SPEv1p2",
	[SPE_PMSVER_V1P3]	= "SPEv1p3",
	[SPE_PMSVER_V1P4]	= "SPEv1p4",
	[SPE_PMSVER_V1P5]	= "SPEv1p5",
};

/* Runs on a CPU of the PMU's mask; leaves DEV_PROBED set on success */
static void __arm_spe_pmu_dev_probe(void *info)
{
	struct arm_spe_pmu *spe_pmu = info;
	struct device *dev = &spe_pmu->pdev->dev;
	unsigned int fld;
	u64 reg;

	fld = FIELD_GET(SPE_ID_AA64DFR0_EL1_PMSVER,
			read_sysreg_s(SYS_ID_AA64DFR0_EL1));
	if (fld == SPE_PMSVER_NI) {
		dev_err(dev, "unsupported ID_AA64DFR0_EL1.PMSVer [%u] on CPU %d: no Statistical Profiling Extension\n",
			fld, smp_processor_id());
		return;
	}
	if (fld > SPE_PMSVER_MAX_KNOWN) {
		/* ID fields only grow: a later SPE is a superset */
		dev_info(dev, "ID_AA64DFR0_EL1.PMSVer [%u] on CPU %d is newer than %s; using it as %s\n",
			 fld, smp_processor_id(),
			 arm_spe_pmsver_name[SPE_PMSVER_MAX_KNOWN],
			 arm_spe_pmsver_name[SPE_PMSVER_MAX_KNOWN]);
		fld = SPE_PMSVER_MAX_KNOWN;
	}
	spe_pmu->pmsver = fld;

	/* PMBIDR first: it says whether we may touch the buffer at all */
	reg = spe_read(PMBIDR_EL1);
	if (reg & SPE_PMBIDR_EL1_P) {
		dev_err(dev, "profiling buffer owned by a higher exception level on CPU %d\n",
			smp_processor_id());
		return;
	}

	fld = FIELD_GET(SPE_PMBIDR_EL1_ALIGN, reg);
	spe_pmu->align = 1 << fld;
	if (spe_pmu->align > SZ_2K) {
		dev_err(dev, "unsupported PMBIDR_EL1.Align [%u] on CPU %d\n",
			fld, smp_processor_id());
		return;
	}

	reg = spe_read(PMSIDR_EL1);
	if (reg & SPE_PMSIDR_EL1_FE)
		spe_pmu->features |= SPE_PMU_FEAT_FILT_EVT;
	if (reg & SPE_PMSIDR_EL1_FNE)
		spe_pmu->features |= SPE_PMU_FEAT_INV_FILT_EVT;
	if (reg & SPE_PMSIDR_EL1_FT)
		spe_pmu->features |= SPE_PMU_FEAT_FILT_TYP;
	if (reg & SPE_PMSIDR_EL1_FL)
		spe_pmu->features |= SPE_PMU_FEAT_FILT_LAT;
	if (reg & SPE_PMSIDR_EL1_ARCHINST)
		spe_pmu->features |= SPE_PMU_FEAT_ARCH_INST;
	if (reg & SPE_PMSIDR_EL1_LDS)
		spe_pmu->features |= SPE_PMU_FEAT_LDS;
	if (reg & SPE_PMSIDR_EL1_ERND)
		spe_pmu->features |= SPE_PMU_FEAT_ERND;
	/* Discard mode (PMBLIMITR_EL1.FM) comes with FEAT_SPEv1p2 */
	if (spe_pmu->pmsver >= SPE_PMSVER_V1P2)
		spe_pmu->features |= SPE_PMU_FEAT_DISCARD;

	spe_pmu->min_period =
		arm_spe_pmu_min_interval(FIELD_GET(SPE_PMSIDR_EL1_INTERVAL,
						   reg), dev);

	fld = FIELD_GET(SPE_PMSIDR_EL1_MAXSIZE, reg);
	spe_pmu->max_record_sz = 1 << fld;
	if (spe_pmu->max_record_sz > SZ_2K || spe_pmu->max_record_sz < 16) {
		dev_err(dev, "unsupported PMSIDR_EL1.MaxSize [%u] on CPU %d\n",
			fld, smp_processor_id());
		return;
	}

	fld = FIELD_GET(SPE_PMSIDR_EL1_COUNTSIZE, reg);
	switch (fld) {
	case SPE_PMSIDR_COUNTSIZE_16_SAT:
		spe_pmu->counter_sz = 16;
		break;
	default:
		dev_warn(dev, "unknown PMSIDR_EL1.CountSize [%u]; assuming 12-bit\n",
			 fld);
		fallthrough;
	case SPE_PMSIDR_COUNTSIZE_12_SAT:
		spe_pmu->counter_sz = 12;
	}

	dev_info(dev, "probed %s for CPUs %*pbl [max_record_sz %u, align %u, features 0x%llx]\n",
		 arm_spe_pmsver_name[spe_pmu->pmsver],
		 cpumask_pr_args(&spe_pmu->supported_cpus),
		 spe_pmu->max_record_sz, spe_pmu->align, spe_pmu->features);

	spe_pmu->features |= SPE_PMU_FEAT_DEV_PROBED;
}

static void __arm_spe_pmu_reset_local(void)
{
	/* Whatever a previous owner left: stop, drain, forget */
	arm_spe_pmu_disable_and_drain_local();

	spe_write(0, PMBPTR_EL1);
	isb();

	spe_write(0, PMBSR_EL1);
	isb();
}

static int arm_spe_pmu_cpu_startup(unsigned int cpu, struct hlist_node *node)
{
	struct arm_spe_pmu *spe_pmu;

	spe_pmu = hlist_entry_safe(node, struct arm_spe_pmu, hotplug_node);
	if (!cpumask_test_cpu(cpu, &spe_pmu->supported_cpus))
		return 0;

	__arm_spe_pmu_reset_local();
	enable_percpu_irq(spe_pmu->irq, IRQ_TYPE_NONE);
	return 0;
}

static int arm_spe_pmu_cpu_teardown(unsigned int cpu, struct hlist_node *node)
{
	struct arm_spe_pmu *spe_pmu;

	spe_pmu = hlist_entry_safe(node, struct arm_spe_pmu, hotplug_node);
	if (!cpumask_test_cpu(cpu, &spe_pmu->supported_cpus))
		return 0;

	disable_percpu_irq(spe_pmu->irq);
	__arm_spe_pmu_reset_local();
	return 0;
}

static int arm_spe_pmu_dev_init(struct arm_spe_pmu *spe_pmu)
{
	cpumask_t *mask = &spe_pmu->supported_cpus;
	int ret;

	/* Read the ID registers on a CPU this SPE belongs to */
	ret = smp_call_function_any(mask, __arm_spe_pmu_dev_probe, spe_pmu, 1);
	if (ret || !(spe_pmu->features & SPE_PMU_FEAT_DEV_PROBED))
		return -ENXIO;

	/* The PPI stays disabled until the hotplug callback enables it */
	ret = request_percpu_irq(spe_pmu->irq, arm_spe_pmu_irq_handler,
				 ARM_SPE_DRVNAME, spe_pmu->handle);
	if (ret)
		return ret;

	/* Runs the startup callback on every online CPU in the mask */
	ret = cpuhp_state_add_instance(arm_spe_pmu_online,
				       &spe_pmu->hotplug_node);
	if (ret)
		free_percpu_irq(spe_pmu->irq, spe_pmu->handle);

	return ret;
}

static void arm_spe_pmu_dev_teardown(struct arm_spe_pmu *spe_pmu)
{
	cpuhp_state_remove_instance(arm_spe_pmu_online, &spe_pmu->hotplug_node);
	free_percpu_irq(spe_pmu->irq, spe_pmu->handle);
}

static int arm_spe_pmu_irq_probe(struct arm_spe_pmu *spe_pmu)
{
	struct platform_device *pdev = spe_pmu->pdev;
	int irq = platform_get_irq(pdev, 0);

	if (irq < 0)
		return -ENXIO;

	if (!irq_is_percpu(irq)) {
		dev_err(&pdev->dev, "expected PPI but got SPI (%d)\n", irq);
		return -EINVAL;
	}

	if (irq_get_percpu_devid_partition(irq, &spe_pmu->supported_cpus)) {
		dev_err(&pdev->dev, "failed to get PPI partition (%d)\n", irq);
		return -EINVAL;
	}

	spe_pmu->irq = irq;
	return 0;
}

static const struct of_device_id arm_spe_pmu_of_match[] = {
	{ .compatible = "arm,statistical-profiling-extension-v1" },
	{ /* sentinel */ },
};
MODULE_DEVICE_TABLE(of, arm_spe_pmu_of_match);

/* ACPI: arm_pmu_acpi creates this device from the MADT's SPE interrupt */
static const struct platform_device_id arm_spe_match[] = {
	{ ARMV8_SPE_PDEV_NAME, 0 },
	{ }
};
MODULE_DEVICE_TABLE(platform, arm_spe_match);

static int arm_spe_pmu_device_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct arm_spe_pmu *spe_pmu;
	int ret;

	/*
	 * With the kernel unmapped at EL0 (KPTI), the buffer's kernel
	 * addresses fault while user code runs and every session ends
	 * early.
	 */
	if (arm64_kernel_unmapped_at_el0()) {
		dev_warn_once(dev, "profiling buffer inaccessible: boot with \"kpti=off\" to use SPE\n");
		return -EPERM;
	}

	spe_pmu = devm_kzalloc(dev, sizeof(*spe_pmu), GFP_KERNEL);
	if (!spe_pmu)
		return -ENOMEM;

	spe_pmu->handle = alloc_percpu(typeof(*spe_pmu->handle));
	if (!spe_pmu->handle)
		return -ENOMEM;

	spe_pmu->pdev = pdev;
	platform_set_drvdata(pdev, spe_pmu);

	ret = arm_spe_pmu_irq_probe(spe_pmu);
	if (ret)
		goto out_free_handle;

	ret = arm_spe_pmu_dev_init(spe_pmu);
	if (ret)
		goto out_free_handle;

	ret = arm_spe_pmu_perf_init(spe_pmu);
	if (ret)
		goto out_teardown_dev;

	return 0;

out_teardown_dev:
	arm_spe_pmu_dev_teardown(spe_pmu);
out_free_handle:
	free_percpu(spe_pmu->handle);
	return ret;
}

static void __arm_spe_pmu_device_remove(struct platform_device *pdev)
{
	struct arm_spe_pmu *spe_pmu = platform_get_drvdata(pdev);

	perf_pmu_unregister(&spe_pmu->pmu);
	arm_spe_pmu_dev_teardown(spe_pmu);
	free_percpu(spe_pmu->handle);
}

/* platform_driver::remove returns void from 6.11 on (Kbuild tests it) */
#ifdef ARM_SPE_REMOVE_RETURNS_VOID
static void arm_spe_pmu_device_remove(struct platform_device *pdev)
{
	__arm_spe_pmu_device_remove(pdev);
}
#else
static int arm_spe_pmu_device_remove(struct platform_device *pdev)
{
	__arm_spe_pmu_device_remove(pdev);
	return 0;
}
#endif

static struct platform_driver arm_spe_pmu_driver = {
	.id_table = arm_spe_match,
	.driver	= {
		.name		= ARM_SPE_DRVNAME,
		.of_match_table	= of_match_ptr(arm_spe_pmu_of_match),
		.suppress_bind_attrs = true,
	},
	.probe	= arm_spe_pmu_device_probe,
	.remove	= arm_spe_pmu_device_remove,
};

static int __init spekit_arm_spe_pmu_init(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, ARM_SPE_DRVNAME,
				      arm_spe_pmu_cpu_startup,
				      arm_spe_pmu_cpu_teardown);
	if (ret < 0)
		return ret;
	arm_spe_pmu_online = ret;

	ret = platform_driver_register(&arm_spe_pmu_driver);
	if (ret)
		cpuhp_remove_multi_state(arm_spe_pmu_online);

	return ret;
}

static void __exit spekit_arm_spe_pmu_exit(void)
{
	platform_driver_unregister(&arm_spe_pmu_driver);
	cpuhp_remove_multi_state(arm_spe_pmu_online);
}

module_init(spekit_arm_spe_pmu_init);
module_exit(spekit_arm_spe_pmu_exit);

MODULE_DESCRIPTION("Perf driver for the Arm Statistical Profiling Extension, with arm_spe tracepoints (spekit)");
MODULE_LICENSE("GPL");
