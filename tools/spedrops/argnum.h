/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Whole-string numeric option arguments, for spedrops' and spetop's
 * option parsers: the number and nothing else, inside [lo, hi].
 */
#ifndef SPEDROPS_ARGNUM_H
#define SPEDROPS_ARGNUM_H

#include <stdint.h>

/* A decimal (or strtod) number in [lo, hi], finite.  0 or -1. */
int sd_arg_num(const char *s, double lo, double hi, double *v);

/*
 * An unsigned integer in [lo, hi] in @base (0: C prefixes, 0x.. or 0..),
 * starting with a digit: no sign, no leading space (strtoull would
 * accept "-1" as a huge number).  0 or -1.
 */
int sd_arg_u64(const char *s, int base, uint64_t lo, uint64_t hi, uint64_t *v);

#endif
