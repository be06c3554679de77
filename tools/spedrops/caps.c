// SPDX-License-Identifier: GPL-2.0-only
/* Capabilities through capget(2) (no libcap: the static build stays small) */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "caps.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON	38
#endif
#ifndef CAP_BPF
#define CAP_BPF		39
#endif

static bool has(const struct __user_cap_data_struct *d, int cap)
{
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}

int sd_caps_read(struct sd_caps *c)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d))
		return -errno;
	c->sys_admin = has(d, CAP_SYS_ADMIN);
	c->bpf = has(d, CAP_BPF);
	c->perfmon = has(d, CAP_PERFMON);
	return 0;
}

const char *sd_caps_problem(const struct sd_caps *c, char *buf, size_t len)
{
	if (c->sys_admin || (c->bpf && c->perfmon))
		return NULL;
	snprintf(buf, len, "not enough privilege to load BPF programs (missing %s%s%s): "
		 "run as root (sudo spedrops ...), or grant them: "
		 "sudo setcap cap_bpf,cap_perfmon+ep $(command -v spedrops)",
		 c->bpf ? "" : "CAP_BPF", !c->bpf && !c->perfmon ? " and " : "",
		 c->perfmon ? "" : "CAP_PERFMON");
	return buf;
}
