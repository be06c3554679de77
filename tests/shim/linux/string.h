/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <linux/string.h>: libc's memset/memcpy/str*. */
#ifndef SPEKIT_SHIM_LINUX_STRING_H
#define SPEKIT_SHIM_LINUX_STRING_H

#include <string.h>

#endif
