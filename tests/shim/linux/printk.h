/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in for <linux/printk.h>.  Messages go to a log the tests read
 * (shim/printk_log.h).  The _ratelimited forms keep the kernel's per call
 * site state: DEFAULT_RATELIMIT_BURST messages per DEFAULT_RATELIMIT_INTERVAL
 * of the simulated clock (shim_env.jiffies), the rest counted as dropped.
 */
#ifndef SPEKIT_SHIM_LINUX_PRINTK_H
#define SPEKIT_SHIM_LINUX_PRINTK_H

#include <shim/printk_log.h>

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define KERN_EMERG	"0"
#define KERN_ALERT	"1"
#define KERN_CRIT	"2"
#define KERN_ERR	"3"
#define KERN_WARNING	"4"
#define KERN_NOTICE	"5"
#define KERN_INFO	"6"
#define KERN_DEBUG	"7"

#define pr_emerg(fmt, ...)	shim_printk(KERN_EMERG, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	shim_printk(KERN_ERR, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	shim_printk(KERN_WARNING, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	shim_printk(KERN_INFO, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	shim_printk(KERN_DEBUG, pr_fmt(fmt), ##__VA_ARGS__)

#define printk_ratelimited(level, fmt, ...) ({				\
	static struct shim_ratelimit _rs;				\
	if (shim_ratelimit_ok(&_rs))					\
		shim_printk(level, fmt, ##__VA_ARGS__);			\
})

#define pr_err_ratelimited(fmt, ...)					\
	printk_ratelimited(KERN_ERR, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...)					\
	printk_ratelimited(KERN_WARNING, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info_ratelimited(fmt, ...)					\
	printk_ratelimited(KERN_INFO, pr_fmt(fmt), ##__VA_ARGS__)

#endif
