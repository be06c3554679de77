// SPDX-License-Identifier: GPL-2.0-only
/* Loading spedrops' raw_tp programs and test-running them: see the header */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>
#include <spekit/spedrops.h>
#include "spedrops_run.h"

const struct sd_tp sd_tps[] = {
	{ "spe_rtp_aux_begin", "arm_spe_aux_begin", ARM_SPE_TP_AUX_BEGIN_NR_ARGS },
	{ "spe_rtp_irq", "arm_spe_irq", ARM_SPE_TP_IRQ_NR_ARGS },
	{ "spe_rtp_aux_end", "arm_spe_aux_end", ARM_SPE_TP_AUX_END_NR_ARGS },
	{ "spe_rtp_truncate", "arm_spe_truncate", ARM_SPE_TP_TRUNCATE_NR_ARGS },
	{ "spe_rtp_pad", "arm_spe_pad", ARM_SPE_TP_PAD_NR_ARGS },
	{ "spe_rtp_fault", "arm_spe_fault", ARM_SPE_TP_FAULT_NR_ARGS },
	{ "spe_rtp_collision", "arm_spe_collision", ARM_SPE_TP_COLLISION_NR_ARGS },
};
const unsigned int sd_ntps = sizeof(sd_tps) / sizeof(sd_tps[0]);

const char *sd_bpf_unusable(void)
{
	static char why[160];
	int fd;

	if (geteuid() != 0)
		return "not root: loading BPF programs and BPF_PROG_TEST_RUN need root (run make check as root)";
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "sd_probe", 4, 8, 1, NULL);
	if (fd < 0) {
		snprintf(why, sizeof(why), "bpf() unavailable: creating a map failed: %s",
			 strerror(errno));
		return why;
	}
	close(fd);
	return NULL;
}

static int is_raw_tp(const char *name)
{
	for (unsigned int i = 0; i < sd_ntps; i++)
		if (!strcmp(sd_tps[i].prog, name))
			return 1;
	return 0;
}

struct spedrops_bpf *sd_open_load(void)
{
	struct spedrops_bpf *skel = spedrops_bpf__open();
	struct bpf_program *p;

	if (!skel)
		return NULL;
	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_autoload(p, is_raw_tp(bpf_program__name(p)));
	if (spedrops_bpf__load(skel)) {
		spedrops_bpf__destroy(skel);
		return NULL;
	}
	return skel;
}

/* The last number of /sys/devices/system/cpu/online ("0-3,5" -> 5) */
int sd_last_online_cpu(void)
{
	char buf[256];
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	size_t n;
	char *p;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	while (n && (buf[n - 1] < '0' || buf[n - 1] > '9'))
		buf[--n] = 0;
	p = buf + n;
	while (p > buf && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return n ? atoi(p) : 0;
}

int sd_online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

int sd_run(int prog_fd, int cpu, const __u64 *args, unsigned int nargs,
	   __u32 *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.ctx_in = args,
		.ctx_size_in = nargs * sizeof(*args),
		.flags = BPF_F_TEST_RUN_ON_CPU,
		.cpu = cpu,
	);
	int err = bpf_prog_test_run_opts(prog_fd, &o);

	if (err)
		return -errno;
	if (retval)
		*retval = o.retval;
	return 0;
}

int sd_prog_info(int prog_fd, struct bpf_prog_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpf_obj_get_info_by_fd(prog_fd, info, &len) ? -errno : 0;
}
