// SPDX-License-Identifier: GPL-2.0-only
/*
 * spe_op_tab[]: the Operation Type rules of spe_op_inline.h evaluated by
 * the compiler for all 4 x 256 (class, payload) pairs.  Freestanding.
 */
#include "spe_op_inline.h"

#define OP1(c, p)	SPE_OP_ENTRY(c, p)
#define OP4(c, p)	OP1(c, p), OP1(c, (p) + 1), OP1(c, (p) + 2), OP1(c, (p) + 3)
#define OP16(c, p)	OP4(c, p), OP4(c, (p) + 4), OP4(c, (p) + 8), OP4(c, (p) + 12)
#define OP64(c, p)	OP16(c, p), OP16(c, (p) + 16), OP16(c, (p) + 32), OP16(c, (p) + 48)
#define OP256(c)	{ OP64(c, 0), OP64(c, 64), OP64(c, 128), OP64(c, 192) }

const uint32_t spe_op_tab[4][256] = {
	OP256(0), OP256(1), OP256(2), OP256(3),
};
