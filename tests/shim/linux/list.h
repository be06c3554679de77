/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <linux/list.h>: the types only (in <linux/types.h>). */
#ifndef SPEKIT_SHIM_LINUX_LIST_H
#define SPEKIT_SHIM_LINUX_LIST_H

#include <linux/types.h>

#endif
