/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Whole-string numeric option arguments, for the option parsers of
 * spedrops, spetop, spegen, spe-mkperf and spedump: the number and
 * nothing else, inside [lo, hi].  Each returns 0, or -1 with *v untouched (sd_arg_num:
 * *v unspecified); the caller names the option and the range in its one
 * line of error.
 */
#ifndef SPEDROPS_ARGNUM_H
#define SPEDROPS_ARGNUM_H

#include <stdint.h>

/* A decimal (or strtod) number in [lo, hi], finite.  0 or -1. */
int sd_arg_num(const char *s, double lo, double hi, double *v);

/*
 * An unsigned integer in [lo, hi] in @base (0: C prefixes, 0x.. or 0..),
 * starting with a digit of @base (0-9, or a letter in base 16 as in
 * "c00fac30"): no sign, no leading space (strtoull would accept "-1" as a
 * huge number).  0 or -1.
 */
int sd_arg_u64(const char *s, int base, uint64_t lo, uint64_t hi, uint64_t *v);

/*
 * A size: sd_arg_u64 in base 0 with an optional binary suffix K, M or G
 * (powers of 1024, either case), which may be followed by i and then B
 * ("4K", "4KiB", "4kb", "0x10M").  The scaled value must fit in 64 bits
 * and lie in [lo, hi].  0 or -1.
 */
int sd_arg_size(const char *s, uint64_t lo, uint64_t hi, uint64_t *v);

#endif
