// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF side of bpfcheck (tools/scripts/bpf-toolchain.sh): one program per
 * attach type the stock-kernel spekit programs may use.  The *_fire
 * programs count this process's getpid() calls, so a test can tell a
 * program that attached from one that runs; the *_aux programs do the
 * CO-RE reads of perf_aux_output_begin()'s arguments, so loading them
 * proves the relocations resolve against the running kernel's BTF.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load: the process whose syscalls count. */
const volatile __u32 target_tgid;

__u64 hits;
/* Last values read by the *_aux programs. */
__u32 aux_pmu_type;
__u64 aux_head, aux_size, aux_flags;

static __always_inline void count(void)
{
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) == target_tgid)
		__sync_fetch_and_add(&hits, 1);
}

/* raw_tp needs no kernel BTF and works on every kernel since 4.17. */
SEC("raw_tp/sys_enter")
int raw_tp_fire(void *ctx)
{
	count();
	return 0;
}

/* The attach target (the arch's getpid syscall handler) is set at run time. */
SEC("kprobe")
int kprobe_fire(struct pt_regs *ctx)
{
	count();
	return 0;
}

SEC("fentry")
int BPF_PROG(fentry_fire)
{
	count();
	return 0;
}

static __always_inline void read_aux(struct perf_output_handle *handle,
				     struct perf_event *event)
{
	aux_pmu_type = BPF_CORE_READ(event, pmu, type);
	aux_head = BPF_CORE_READ(handle, head);
	aux_size = BPF_CORE_READ(handle, size);
	aux_flags = BPF_CORE_READ(handle, aux_flags);
}

SEC("kprobe/perf_aux_output_begin")
int BPF_KPROBE(kprobe_aux, struct perf_output_handle *handle, struct perf_event *event)
{
	read_aux(handle, event);
	return 0;
}

SEC("fentry/perf_aux_output_begin")
int BPF_PROG(fentry_aux, struct perf_output_handle *handle, struct perf_event *event)
{
	read_aux(handle, event);
	return 0;
}
