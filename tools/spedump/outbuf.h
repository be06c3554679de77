/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Buffered output straight to a file descriptor: large writes, no stdio
 * locking, and write errors (EPIPE, ENOSPC) reported once, by the caller.
 */
#ifndef SPEDUMP_OUTBUF_H
#define SPEDUMP_OUTBUF_H

#include <stddef.h>
#include <stdint.h>

#include "spe_text.h"

struct outbuf {
	char *buf;
	size_t len;
	size_t cap;
	int fd;
	int err;	/* first errno from write(), 0 if none */
};

int outbuf_init(struct outbuf *o, int fd, size_t cap);
void outbuf_flush(struct outbuf *o);
void outbuf_free(struct outbuf *o);

/* Make room for @n bytes and return a spe_text writing into the buffer;
 * outbuf_commit() takes what was written. */
static inline void outbuf_begin(struct outbuf *o, struct spe_text *t, size_t n)
{
	if (o->cap - o->len < n + 1)
		outbuf_flush(o);
	t->buf = o->buf + o->len;
	t->size = o->cap - o->len;
	t->len = 0;
}

static inline void outbuf_commit(struct outbuf *o, const struct spe_text *t)
{
	o->len += t->len;
}

void outbuf_str(struct outbuf *o, const char *s);

#endif
