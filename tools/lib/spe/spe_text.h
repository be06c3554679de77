/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A bounded string builder with hand-rolled number formatting.  The packet
 * dump prints ~10 bytes of text per input byte; printf-family formatting
 * per field would cap it well below the rate the decoder runs at.
 */
#ifndef SPEKIT_SPE_TEXT_H
#define SPEKIT_SPE_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct spe_text {
	char *buf;
	size_t size;	/* capacity including the terminating NUL */
	size_t len;	/* bytes written (never exceeds size - 1) */
};

static inline void spe_text_init(struct spe_text *t, char *buf, size_t size)
{
	t->buf = buf;
	t->size = size;
	t->len = 0;
	if (size)
		buf[0] = 0;
}

static inline void spe_text_mem(struct spe_text *t, const char *s, size_t n)
{
	if (!t->size)
		return;
	if (n > t->size - 1 - t->len)
		n = t->size - 1 - t->len;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = 0;
}

static inline void spe_text_str(struct spe_text *t, const char *s)
{
	spe_text_mem(t, s, strlen(s));
}

static inline void spe_text_chr(struct spe_text *t, char c)
{
	spe_text_mem(t, &c, 1);
}

/* "00" .. "ff": two hex digits per table entry, a byte at a time */
extern const char spe_hex_pairs[512];

/* Two lowercase hex digits of @b at @out. */
static inline void spe_hex_byte(char *out, unsigned int b)
{
	memcpy(out, spe_hex_pairs + 2 * (b & 0xff), 2);
}

static inline void spe_text_hex(struct spe_text *t, uint64_t v)
{
	char tmp[16];
	/* digits needed: at least one */
	int nd = v ? (64 - __builtin_clzll(v) + 3) / 4 : 1;

	for (int i = 0; i < 8; i++)
		spe_hex_byte(tmp + 14 - 2 * i, (unsigned int)(v >> (8 * i)));
	spe_text_mem(t, tmp + 16 - nd, (size_t)nd);
}

static inline void spe_text_hex0x(struct spe_text *t, uint64_t v)
{
	spe_text_mem(t, "0x", 2);
	spe_text_hex(t, v);
}

/* "00" .. "99": two decimal digits per table entry */
extern const char spe_dec_pairs[200];

static inline void spe_text_u64(struct spe_text *t, uint64_t v)
{
	char tmp[20];
	int i = 20;

	/* two digits a step: half the dependent divisions of a timestamp */
	while (v >= 100) {
		i -= 2;
		memcpy(tmp + i, spe_dec_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		i -= 2;
		memcpy(tmp + i, spe_dec_pairs + 2 * v, 2);
	} else {
		tmp[--i] = (char)('0' + v);
	}
	spe_text_mem(t, tmp + i, (size_t)(20 - i));
}

#endif
