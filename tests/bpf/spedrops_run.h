/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Running spedrops' raw_tp programs without the driver: load the host
 * skeleton with only the raw_tp programs (this host kernel has no arm_spe
 * tracepoints, and the tp_btf/fentry/kprobe twins need BTF targets or
 * attach types it may lack), then feed each program tracepoint arguments
 * through BPF_PROG_TEST_RUN on a chosen CPU.  Shared by the map suite and
 * the benchmark.
 */
#ifndef SPEKIT_TESTS_SPEDROPS_RUN_H
#define SPEKIT_TESTS_SPEDROPS_RUN_H

#include <stddef.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "spedrops.skel.h"

/* The raw_tp programs, in arm_spe_tp.h's order, with their arity */
struct sd_tp {
	const char *prog;	/* program name, spe_rtp_<event> */
	const char *event;	/* tracepoint, arm_spe_<event> */
	unsigned int nargs;	/* ARM_SPE_TP_<EVENT>_NR_ARGS */
};
extern const struct sd_tp sd_tps[];
extern const unsigned int sd_ntps;

/*
 * Why BPF cannot be used here (not root, bpf() refused), or NULL.  The
 * answer is one line for the suite's output.
 */
const char *sd_bpf_unusable(void);

/* Open the host skeleton, keep autoload only on the raw_tp programs, load
 * (real verifier).  NULL on failure, libbpf having printed why. */
struct spedrops_bpf *sd_open_load(void);

/* The highest-numbered online CPU (the one tests pin their runs to, so a
 * CPU other than 0 is exercised when there is one), and how many there
 * are online */
int sd_last_online_cpu(void);
int sd_online_cpus(void);

/* One BPF_PROG_TEST_RUN of a raw_tp program with ctx = args[0..nargs) on
 * @cpu.  0 and the program's return value in *retval, or -errno. */
int sd_run(int prog_fd, int cpu, const __u64 *args, unsigned int nargs,
	   __u32 *retval);

/* bpf_prog_info of a loaded program: 0 or -errno */
int sd_prog_info(int prog_fd, struct bpf_prog_info *info);

/* CLOCK_MONOTONIC in ns (bpf_ktime_get_ns()'s clock): the loader's own,
 * tools/spedrops/read.c, which the tests link */
__u64 sd_now_ns(void);

#endif
