/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in for <linux/bitfield.h>.  As in the kernel the mask must be a
 * compile-time constant and the result has the mask's type.
 */
#ifndef SPEKIT_SHIM_LINUX_BITFIELD_H
#define SPEKIT_SHIM_LINUX_BITFIELD_H

#include <linux/bits.h>
#include <linux/build_bug.h>

#define __bf_shf(x) (__builtin_ffsll(x) - 1)

#define __BF_CHECK_MASK(_mask)						\
	BUILD_BUG_ON_ZERO(!__builtin_constant_p(_mask) || (_mask) == 0)

#define FIELD_MAX(_mask)						\
	((typeof(_mask))((_mask) >> __bf_shf(_mask)))

#define FIELD_FIT(_mask, _val)						\
	(!((((typeof(_mask))(_val)) << __bf_shf(_mask)) & ~(_mask)))

#define FIELD_PREP(_mask, _val)						\
	((typeof(_mask))(__BF_CHECK_MASK(_mask) +			\
			 ((((typeof(_mask))(_val)) << __bf_shf(_mask)) & (_mask))))

#define FIELD_GET(_mask, _reg)						\
	((typeof(_mask))(__BF_CHECK_MASK(_mask) +			\
			 (((_reg) & (_mask)) >> __bf_shf(_mask))))

#endif
