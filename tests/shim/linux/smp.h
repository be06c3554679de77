/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <linux/smp.h>: the simulated CPU is chosen by the test. */
#ifndef SPEKIT_SHIM_LINUX_SMP_H
#define SPEKIT_SHIM_LINUX_SMP_H

#include <shim/env.h>

#define smp_processor_id()	(shim_env.cpu)
#define raw_smp_processor_id()	(shim_env.cpu)

#endif
