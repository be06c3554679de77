// SPDX-License-Identifier: GPL-2.0-only
/*
 * Text files under /proc: PID/maps, kallsyms, PID/comm.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sym_int.h"

int sym_read_small(const char *file, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	if (!len)
		return -EINVAL;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = read(fd, buf, len - 1);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static bool hex(const char **pp, uint64_t *v)
{
	const char *p = *pp;
	uint64_t x = 0;
	int digits = 0;

	for (;; p++, digits++) {
		unsigned int c = (unsigned char)*p, d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			break;
		if (digits >= 16)
			return false;
		x = x << 4 | d;
	}
	*pp = p;
	*v = x;
	return digits > 0;
}

static bool dec(const char **pp, uint64_t *v)
{
	const char *p = *pp;
	uint64_t x = 0;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (x > (UINT64_MAX - 9) / 10)
			return false;
		x = x * 10 + (uint64_t)(*p - '0');
	}
	*pp = p;
	*v = x;
	return true;
}

static bool skip_char(const char **pp, char c)
{
	if (**pp != c)
		return false;
	(*pp)++;
	return true;
}

/* "start-end perms offset maj:min inode   path" */
static bool parse_maps_line(char *line, struct maps_line *l)
{
	const char *p = line;
	uint64_t maj, min;
	size_t n;

	if (!hex(&p, &l->start) || !skip_char(&p, '-') || !hex(&p, &l->end) ||
	    !skip_char(&p, ' ') || l->end <= l->start)
		return false;
	if (strnlen(p, 5) < 5 || p[4] != ' ')
		return false;
	l->exec = p[2] == 'x';
	p += 5;
	if (!hex(&p, &l->pgoff) || !skip_char(&p, ' ') || !hex(&p, &maj) ||
	    !skip_char(&p, ':') || !hex(&p, &min) || !skip_char(&p, ' ') ||
	    !dec(&p, &l->ino))
		return false;
	l->maj = (uint32_t)maj;
	l->min = (uint32_t)min;
	while (*p == ' ' || *p == '\t')
		p++;
	n = strlen(p);
	while (n && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		line[(p - line) + --n] = '\0';
	l->path = p;
	return true;
}

int sym_read_maps(const char *file, int (*cb)(void *arg, const struct maps_line *l), void *arg)
{
	char *line = NULL;
	size_t cap = 0;
	int err = 0;
	FILE *f;

	f = fopen(file, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		struct maps_line l;

		if (!parse_maps_line(line, &l))
			continue;
		err = cb(arg, &l);
		if (err)
			break;
	}
	if (!err && ferror(f))
		err = -EIO;
	free(line);
	fclose(f);
	return err;
}

/* "ffffffff81000000 T name" or "ffffffffc0001000 t name\t[module]" */
int sym_read_kallsyms(const char *file, struct symtab *t, bool *nonzero, uint32_t kernel_dso,
		      uint32_t (*mod_dso)(void *arg, const char *mod, size_t len), void *arg)
{
	char *line = NULL, *last_mod = NULL;
	size_t cap = 0, last_len = 0;
	uint32_t last_dso = kernel_dso;
	struct stb b = { 0 };
	int err = 0;
	FILE *f;

	memset(t, 0, sizeof(*t));
	*nonzero = false;
	f = fopen(file, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		const char *p = line, *name, *mod;
		uint64_t addr, limit;
		size_t name_len, mod_len = 0;
		uint32_t rank, dso = kernel_dso;
		char type;

		if (!hex(&p, &addr) || !skip_char(&p, ' ') || !*p)
			continue;
		type = *p++;
		if (!skip_char(&p, ' '))
			continue;
		name = p;
		name_len = strcspn(p, " \t\r\n");
		if (!name_len)
			continue;
		if (addr)
			*nonzero = true;
		p += name_len;
		while (*p == ' ' || *p == '\t')
			p++;
		mod = p;
		if (*mod == '[') {
			mod_len = strcspn(mod, "]\r\n");
			if (mod[mod_len] == ']')
				mod_len++;
			else
				mod_len = 0;
		}
		switch (type) {
		case 'T': rank = 0; break;
		case 'W': rank = 1; break;
		case 't': rank = 2; break;
		case 'w': rank = 3; break;
		default: rank = STB_RANK_MARKER; break;
		}
		if (rank == STB_RANK_MARKER) {
			name_len = 0;
		} else if (mod_len) {
			if (!last_mod || last_len != mod_len || memcmp(last_mod, mod, mod_len)) {
				char *m = realloc(last_mod, mod_len + 1);

				if (!m) {
					err = -ENOMEM;
					break;
				}
				memcpy(m, mod, mod_len);
				m[mod_len] = '\0';
				last_mod = m;
				last_len = mod_len;
				last_dso = mod_dso(arg, m, mod_len);
				if (last_dso == SYM_NONE32) {
					err = -ENOMEM;
					break;
				}
			}
			dso = last_dso;
		}
		/* no kernel function is a MiB long: the last one ends somewhere */
		limit = addr + (1u << 20) < addr ? UINT64_MAX : addr + (1u << 20);
		if (stb_add(&b, addr, 0, limit, name, name_len, rank, dso)) {
			err = -ENOMEM;
			break;
		}
	}
	if (!err && ferror(f))
		err = -EIO;
	free(line);
	free(last_mod);
	fclose(f);
	if (!err && stb_finish(&b, t, true))
		err = -ENOMEM;
	stb_free(&b);
	return err;
}
