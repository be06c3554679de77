/* SPDX-License-Identifier: GPL-2.0-only */
/* Privilege check: loading and attaching spedrops' programs */
#ifndef SPEDROPS_CAPS_H
#define SPEDROPS_CAPS_H

#include <stdbool.h>
#include <stddef.h>

struct sd_caps {
	bool sys_admin, bpf, perfmon;
};

/* The process's effective capabilities; -errno if capget() fails */
int sd_caps_read(struct sd_caps *c);

/*
 * NULL when @c is enough (CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON),
 * else the one line to print, in @buf.
 */
const char *sd_caps_problem(const struct sd_caps *c, char *buf, size_t len);

#endif
