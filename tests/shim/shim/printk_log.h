/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel log as the shim's printk keeps it, for tests to assert on.
 */
#ifndef SPEKIT_SHIM_PRINTK_LOG_H
#define SPEKIT_SHIM_PRINTK_LOG_H

#include <linux/compiler_types.h>
#include <linux/types.h>
#include <shim/env.h>

#define SHIM_PRINTK_MAX		64
#define SHIM_PRINTK_LEN		512

struct shim_printk_msg {
	char level;			/* '0'..'7', the KERN_ level */
	char text[SHIM_PRINTK_LEN];
};

struct shim_printk_log {
	int n;				/* messages kept (at most MAX) */
	int total;			/* messages printed */
	int suppressed;			/* dropped by ratelimiting */
	struct shim_printk_msg msg[SHIM_PRINTK_MAX];
};

extern struct shim_printk_log shim_printk_log;

/* The kernel's ratelimit_state, reduced to what printk_ratelimited uses */
struct shim_ratelimit {
	unsigned long begin;
	int printed;
	int missed;
	int generation;		/* reset with the log: a fresh state per test */
};

#define DEFAULT_RATELIMIT_INTERVAL	(5 * HZ)
#define DEFAULT_RATELIMIT_BURST		10

__printf(2, 3) void shim_printk(const char *level, const char *fmt, ...);
bool shim_ratelimit_ok(struct shim_ratelimit *rs);

void shim_printk_reset(void);
/* The first kept message containing @needle, or NULL */
const char *shim_printk_find(const char *needle);

#endif
