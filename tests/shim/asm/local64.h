/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <asm/local64.h> (asm-generic on arm64: a long). */
#ifndef SPEKIT_SHIM_ASM_LOCAL64_H
#define SPEKIT_SHIM_ASM_LOCAL64_H

typedef struct {
	long a;
} local64_t;

#define LOCAL64_INIT(i)	{ (i) }

static inline long local64_read(local64_t *l)
{
	return l->a;
}

static inline void local64_set(local64_t *l, long i)
{
	l->a = i;
}

#endif
