/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in for <linux/perf_event.h> (with the uapi parts a PMU driver
 * uses): the structures as the kernel lays out the fields drivers touch,
 * the PERF_HES_/PERF_EF_/PERF_AUX_FLAG_ constants with the kernel's
 * values, and the AUX output API, implemented by the perf model
 * (tests/driver/harness/perf_model.c).  Like the kernel header it brings
 * in the basics drivers get through it (align, container_of,
 * static_assert, per-CPU pointers, local64).
 */
#ifndef SPEKIT_SHIM_LINUX_PERF_EVENT_H
#define SPEKIT_SHIM_LINUX_PERF_EVENT_H

#include <linux/align.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/container_of.h>
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/version.h>

#include <asm/local64.h>

/* uapi: PERF_RECORD_AUX flags */
#define PERF_AUX_FLAG_TRUNCATED			0x01
#define PERF_AUX_FLAG_OVERWRITE			0x02
#define PERF_AUX_FLAG_PARTIAL			0x04
#define PERF_AUX_FLAG_COLLISION			0x08
#define PERF_AUX_FLAG_PMU_FORMAT_TYPE_MASK	0xff00

/* uapi: the fields of perf_event_attr in their kernel order */
struct perf_event_attr {
	u32	type;
	u32	size;
	u64	config;
	union {
		u64	sample_period;
		u64	sample_freq;
	};
	u64	sample_type;
	u64	read_format;
	u64	disabled       :  1,
		inherit        :  1,
		pinned         :  1,
		exclusive      :  1,
		exclude_user   :  1,
		exclude_kernel :  1,
		exclude_hv     :  1,
		exclude_idle   :  1,
		mmap           :  1,
		comm           :  1,
		freq           :  1,
		inherit_stat   :  1,
		enable_on_exec :  1,
		task           :  1,
		watermark      :  1,
		precise_ip     :  2,
		mmap_data      :  1,
		sample_id_all  :  1,
		exclude_host   :  1,
		exclude_guest  :  1,
		__reserved_1   : 43;
	union {
		u32	wakeup_events;
		u32	wakeup_watermark;
	};
	u32	bp_type;
	union {
		u64	bp_addr;
		u64	config1;
	};
	union {
		u64	bp_len;
		u64	config2;
	};
	u64	branch_sample_type;
	u64	sample_regs_user;
	u32	sample_stack_user;
	s32	clockid;
	u64	sample_regs_intr;
	u32	aux_watermark;
	u16	sample_max_stack;
	u16	__reserved_2;
	u32	aux_sample_size;
	u32	__reserved_3;
	u64	sig_data;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	u64	config3;	/* not in 6.1: the driver must not touch it */
#endif
};

/* hw_perf_event::state */
#define PERF_HES_STOPPED	0x01
#define PERF_HES_UPTODATE	0x02
#define PERF_HES_ARCH		0x04

/* pmu::start/stop/add flags */
#define PERF_EF_START		0x01
#define PERF_EF_RELOAD		0x02
#define PERF_EF_UPDATE		0x04

struct hw_perf_event {
	u64		config;
	unsigned long	config_base;
	int		idx;
	int		flags;
	int		state;
	local64_t	prev_count;
	u64		sample_period;
	u64		last_period;
	local64_t	period_left;
};

struct perf_event;

/* pmu::capabilities */
#define PERF_PMU_CAP_EXCLUSIVE	0x0010

struct pmu {
	const char	*name;
	int		type;
	int		capabilities;
	int		(*event_init)(struct perf_event *event);
	int		(*add)(struct perf_event *event, int flags);
	void		(*del)(struct perf_event *event, int flags);
	void		(*start)(struct perf_event *event, int flags);
	void		(*stop)(struct perf_event *event, int flags);
	void		(*read)(struct perf_event *event);
	int		(*check_period)(struct perf_event *event, u64 value);
};

enum perf_event_state {
	PERF_EVENT_STATE_DEAD		= -4,
	PERF_EVENT_STATE_EXIT		= -3,
	PERF_EVENT_STATE_ERROR		= -2,
	PERF_EVENT_STATE_OFF		= -1,
	PERF_EVENT_STATE_INACTIVE	=  0,
	PERF_EVENT_STATE_ACTIVE		=  1,
};

struct perf_buffer;	/* the perf model's */

struct perf_event {
	struct perf_event_attr	attr;
	struct hw_perf_event	hw;
	struct pmu		*pmu;
	struct perf_event	*parent;
	enum perf_event_state	state;
	int			cpu;		/* -1: per task */
	int			oncpu;		/* -1: not running */
	unsigned int		pending_disable;
	int			pending_wakeup;
	struct perf_buffer	*rb;
};

struct perf_output_handle {
	struct perf_event	*event;
	struct perf_buffer	*rb;
	unsigned long		wakeup;
	unsigned long		size;
	u64			aux_flags;
	union {
		void		*addr;
		unsigned long	head;
	};
	int			page;
};

void *perf_aux_output_begin(struct perf_output_handle *handle,
			    struct perf_event *event);
void perf_aux_output_end(struct perf_output_handle *handle,
			 unsigned long size);
int perf_aux_output_skip(struct perf_output_handle *handle,
			 unsigned long size);
void *perf_get_aux(struct perf_output_handle *handle);
void perf_aux_output_flag(struct perf_output_handle *handle, u64 flags);

#endif
