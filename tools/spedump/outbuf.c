// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outbuf.h"

int outbuf_init(struct outbuf *o, int fd, size_t cap)
{
	o->buf = malloc(cap);
	o->len = 0;
	o->cap = cap;
	o->fd = fd;
	o->err = 0;
	return o->buf ? 0 : -ENOMEM;
}

void outbuf_flush(struct outbuf *o)
{
	size_t off = 0;

	while (off < o->len && !o->err) {
		ssize_t n = write(o->fd, o->buf + off, o->len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			o->err = errno;
			break;
		}
		off += (size_t)n;
	}
	o->len = 0;
}

void outbuf_free(struct outbuf *o)
{
	outbuf_flush(o);
	free(o->buf);
	o->buf = NULL;
}

void outbuf_str(struct outbuf *o, const char *s)
{
	size_t n = strlen(s);

	if (o->cap - o->len < n)
		outbuf_flush(o);
	if (n > o->cap) {
		/* longer than the buffer: write it through */
		ssize_t w = write(o->fd, s, n);

		if (w < 0 && !o->err)
			o->err = errno;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}
