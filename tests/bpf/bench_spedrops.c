// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench: what each spedrops raw_tp program costs per event, beside an
 * empty raw_tp program measured the same way in the same run.  Costs come
 * from the kernel's BPF run-time statistics (bpf_enable_stats): the time
 * inside the program, without the BPF_PROG_TEST_RUN syscall around it.
 * Runs go round-robin in rounds so drift (frequency, other load) hits
 * every program alike.  Needs root.
 *
 * Usage: bench_spedrops [RUNS]   (per program, default 100000)
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>
#include <spekit/spedrops.h>
#include <spekit/spe_regs.h>
#include "spedrops_run.h"

#define ROUNDS 10

struct subject {
	const char *name;
	int fd;
	__u64 args[6];		/* a steady-state event of its kind */
	unsigned int nargs;
	__u32 verified;
	__u64 ns0, cnt0;	/* run-time stats before the runs */
	double ns_per_run;
};

static int empty_prog(void)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "sd_empty", "GPL",
			     insns, 2, NULL);
}

/* The arguments of each event, as a busy SPE session produces them; the
 * fault repeats one key (a hash hit), the truncation is a ring record */
static void set_args(struct subject *s, const char *prog)
{
	__u64 *a = s->args;

	if (!strcmp(prog, "spe_rtp_aux_begin")) {
		a[ARM_SPE_TP_AUX_BEGIN_SIZE] = 0x10000;
		a[ARM_SPE_TP_AUX_BEGIN_LIMIT] = 0x10000;
		a[ARM_SPE_TP_AUX_BEGIN_BUF_SIZE] = 0x10000;
	} else if (!strcmp(prog, "spe_rtp_irq")) {
		a[ARM_SPE_TP_IRQ_PMBSR] = SPE_PMBSR_EL1_S | SPE_PMBSR_BSC_FULL;
		a[ARM_SPE_TP_IRQ_WRITTEN] = 0x10000;
	} else if (!strcmp(prog, "spe_rtp_aux_end")) {
		a[ARM_SPE_TP_AUX_END_SIZE] = 0x10000;
	} else if (!strcmp(prog, "spe_rtp_truncate")) {
		a[ARM_SPE_TP_TRUNCATE_REASON] = ARM_SPE_TRUNC_NO_SPACE;
	} else if (!strcmp(prog, "spe_rtp_pad")) {
		a[ARM_SPE_TP_PAD_LEN] = 64;
	} else if (!strcmp(prog, "spe_rtp_fault")) {
		a[ARM_SPE_TP_FAULT_EC] = SPE_PMBSR_EC_FAULT_S1;
		a[ARM_SPE_TP_FAULT_FSC] = 0x07;
	}
}

static int stats_now(struct subject *s, __u64 *ns, __u64 *cnt)
{
	struct bpf_prog_info info;
	int err = sd_prog_info(s->fd, &info);

	*ns = info.run_time_ns;
	*cnt = info.run_cnt;
	s->verified = info.verified_insns;
	return err;
}

static int ignore(void *ctx, void *data, size_t size)
{
	return 0;
}

int main(int argc, char **argv)
{
	long runs = argc > 1 ? atol(argv[1]) : 100000;
	const char *why = sd_bpf_unusable();
	struct subject subj[16] = { 0 };
	unsigned int n = 0, worst = 0;
	struct spedrops_bpf *skel;
	struct ring_buffer *rb;
	int stats_fd, cpu;
	cpu_set_t set;

	if (why) {
		printf("spedrops bench cannot run: %s\n", why);
		return 1;
	}
	if (runs < ROUNDS)
		runs = ROUNDS;
	/* test runs on the caller's own CPU go without an IPI */
	cpu = sd_last_online_cpu();
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);

	skel = sd_open_load();
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (!skel || stats_fd < 0) {
		printf("spedrops bench: %s failed\n", skel ? "bpf_enable_stats" : "loading");
		return 1;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.spe_events), ignore, NULL, NULL);

	subj[n].name = "reference: empty raw_tp program";
	subj[n].fd = empty_prog();
	subj[n].nargs = 2;
	n++;
	for (unsigned int i = 0; i < sd_ntps; i++, n++) {
		subj[n].name = sd_tps[i].prog;
		subj[n].fd = bpf_program__fd(
			bpf_object__find_program_by_name(skel->obj, sd_tps[i].prog));
		subj[n].nargs = sd_tps[i].nargs;
		set_args(&subj[n], sd_tps[i].prog);
	}
	for (unsigned int i = 0; i < n; i++)
		if (subj[i].fd < 0 || stats_now(&subj[i], &subj[i].ns0, &subj[i].cnt0)) {
			printf("spedrops bench: %s: no program\n", subj[i].name);
			return 1;
		}

	for (int r = 0; r < ROUNDS; r++)
		for (unsigned int i = 0; i < n; i++)
			for (long k = 0; k < runs / ROUNDS; k++) {
				int err = sd_run(subj[i].fd, cpu, subj[i].args,
						 subj[i].nargs, NULL);

				if (err) {
					printf("spedrops bench: test run of %s: %s\n",
					       subj[i].name, strerror(-err));
					return 1;
				}
				/* keep the ring from filling: measure submits,
				 * not failed reservations */
				if (rb && !(k & 1023))
					ring_buffer__consume(rb);
			}

	for (unsigned int i = 0; i < n; i++) {
		__u64 ns, cnt;

		stats_now(&subj[i], &ns, &cnt);
		subj[i].ns_per_run = cnt > subj[i].cnt0 ?
			(double)(ns - subj[i].ns0) / (cnt - subj[i].cnt0) : 0;
		if (subj[i].ns_per_run > subj[worst].ns_per_run)
			worst = i;
	}

	printf("spedrops raw_tp programs: BPF_PROG_TEST_RUN on CPU %d, %ld runs each, kernel run-time stats\n",
	       cpu, runs / ROUNDS * ROUNDS);
	printf("%-34s %14s %10s %9s\n", "program", "verified_insns", "ns/event", "x empty");
	for (unsigned int i = 1; i <= n; i++) {
		struct subject *s = &subj[i % n];	/* the reference last */

		printf("%-34s %14u %10.1f %9.2f\n", s->name, s->verified, s->ns_per_run,
		       subj[0].ns_per_run ? s->ns_per_run / subj[0].ns_per_run : 0);
	}
	printf("spedrops: costliest program %s at %.1fx an empty raw_tp program (%.1f ns/event)\n",
	       subj[worst].name, subj[0].ns_per_run ? subj[worst].ns_per_run / subj[0].ns_per_run : 0,
	       subj[worst].ns_per_run);
	ring_buffer__free(rb);
	spedrops_bpf__destroy(skel);
	close(stats_fd);
	return 0;
}
