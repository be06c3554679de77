// SPDX-License-Identifier: GPL-2.0-only
/*
 * printk for driver code under test: messages are kept for the tests
 * (shim/printk_log.h) and echoed to stderr when SHIM_PRINTK_ECHO is set.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shim/env.h>
#include <shim/printk_log.h>

struct shim_printk_log shim_printk_log;

/* Bumped by shim_printk_reset(): every call site's ratelimit starts anew */
static int shim_ratelimit_generation;

void shim_printk(const char *level, const char *fmt, ...)
{
	struct shim_printk_msg *m = NULL;
	va_list ap;

	shim_printk_log.total++;
	if (shim_printk_log.n < SHIM_PRINTK_MAX)
		m = &shim_printk_log.msg[shim_printk_log.n++];
	if (!m)
		return;
	m->level = level[0];
	va_start(ap, fmt);
	vsnprintf(m->text, sizeof(m->text), fmt, ap);
	va_end(ap);
	if (getenv("SHIM_PRINTK_ECHO"))
		fprintf(stderr, "<%c>%s", m->level, m->text);
}

/* The kernel's ___ratelimit() with the default interval and burst */
bool shim_ratelimit_ok(struct shim_ratelimit *rs)
{
	if (rs->generation != shim_ratelimit_generation) {
		rs->generation = shim_ratelimit_generation;
		rs->begin = shim_env.jiffies;
		rs->printed = 0;
		rs->missed = 0;
	}
	if (shim_env.jiffies - rs->begin >= DEFAULT_RATELIMIT_INTERVAL) {
		rs->begin = shim_env.jiffies;
		rs->printed = 0;
		rs->missed = 0;
	}
	if (rs->printed < DEFAULT_RATELIMIT_BURST) {
		rs->printed++;
		return true;
	}
	rs->missed++;
	shim_printk_log.suppressed++;
	return false;
}

void shim_printk_reset(void)
{
	memset(&shim_printk_log, 0, sizeof(shim_printk_log));
	shim_ratelimit_generation++;
}

const char *shim_printk_find(const char *needle)
{
	for (int i = 0; i < shim_printk_log.n; i++)
		if (strstr(shim_printk_log.msg[i].text, needle))
			return shim_printk_log.msg[i].text;
	return NULL;
}
