// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sorted symbol tables: candidates from an ELF file or kallsyms go in, a
 * table with one symbol per address and an end for every symbol comes out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sym_int.h"

void symtab_index(struct symtab *t)
{
	uint64_t span;
	unsigned int shift = 0;
	uint32_t j, i = 0;

	free(t->bkt);
	t->bkt = NULL;
	t->nbkt = 0;
	t->bkt_shift = 0;
	if (t->n < 2)
		return;
	/* the flags leave 30 bits for the index, and nbkt (up to
	 * SYMTAB_BKT_PER_SYM a symbol, plus one) must fit 32 */
	if (t->n > SYMTAB_BKT_IDX || t->n > UINT32_MAX / SYMTAB_BKT_PER_SYM - 1)
		return;
	span = t->span[t->n - 1].start - t->span[0].start;
	/* about SYMTAB_BKT_PER_SYM buckets a symbol, evenly spread */
	while (shift < 63 && (span >> shift) >= (uint64_t)t->n * SYMTAB_BKT_PER_SYM)
		shift++;
	t->bkt = malloc(((size_t)(span >> shift) + 2) * sizeof(*t->bkt));
	if (!t->bkt)
		return;
	t->nbkt = (uint32_t)(span >> shift) + 1;
	t->bkt_shift = shift;
	/* bucket j starts at span[0].start + (j << shift), within the span; the
	 * bound after the last bucket may lie past the end of the address
	 * space: all symbols */
	for (j = 0; j < t->nbkt; j++) {
		uint64_t at = (uint64_t)j << shift;

		while (i + 1 < t->n && t->span[i + 1].start - t->span[0].start <= at)
			i++;
		t->bkt[j] = i;
	}
	t->bkt[t->nbkt] = t->n - 1;
	/* then the buckets with one answer for all their addresses: no
	 * symbol starts after theirs, and the bucket's last byte lies
	 * inside it (or wholly past its end).  No wrap: the last bucket
	 * ends at span rounded up to 2^shift, minus one */
	for (j = 0; j < t->nbkt; j++) {
		uint64_t first = (uint64_t)j << shift, last = first + ((1ull << shift) - 1);
		uint64_t end = t->span[t->bkt[j]].end - t->span[0].start;

		if (t->bkt[j + 1] != t->bkt[j])
			continue;
		if (last < end)
			t->bkt[j] |= SYMTAB_BKT_IN;
		else if (end <= first)
			t->bkt[j] |= SYMTAB_BKT_OUT;
	}
	t->bytes += ((size_t)t->nbkt + 1) * sizeof(*t->bkt);
}

void symtab_free(struct symtab *t)
{
	free(t->bkt);
	free(t->span);
	free(t->name);
	free(t->dso);
	free(t->names);
	memset(t, 0, sizeof(*t));
}

void stb_free(struct stb *b)
{
	free(b->v);
	free(b->names);
	memset(b, 0, sizeof(*b));
}

int stb_add(struct stb *b, uint64_t start, uint64_t size, uint64_t limit,
	    const char *name, size_t name_len, uint32_t rank, uint32_t dso)
{
	struct stb_ent *e;

	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		struct stb_ent *v = realloc(b->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		b->v = v;
		b->cap = cap;
	}
	if (name_len > 0xffff)
		name_len = 0xffff;
	if (b->nlen + name_len + 1 > b->ncap) {
		size_t cap = b->ncap ? b->ncap : 16384;
		char *p;

		while (b->nlen + name_len + 1 > cap)
			cap *= 2;
		if (cap > UINT32_MAX)
			return -ENOMEM;
		p = realloc(b->names, cap);
		if (!p)
			return -ENOMEM;
		b->names = p;
		b->ncap = cap;
	}
	e = &b->v[b->n++];
	e->start = start;
	e->size = size;
	e->limit = limit;
	e->name = (uint32_t)b->nlen;
	e->name_len = (uint32_t)name_len;
	e->rank = rank;
	e->dso = dso;
	memcpy(b->names + b->nlen, name, name_len);
	b->names[b->nlen + name_len] = '\0';
	b->nlen += name_len + 1;
	return 0;
}

static unsigned int underscores(const char *s)
{
	unsigned int n = 0;

	while (s[n] == '_')
		n++;
	return n;
}

static int ent_cmp(const void *pa, const void *pb, void *arg)
{
	const struct stb_ent *a = pa, *b = pb;
	const char *stb_names = arg;
	unsigned int ua, ub;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->rank == STB_RANK_MARKER)
		return 0;
	ua = underscores(stb_names + a->name);
	ub = underscores(stb_names + b->name);
	if (ua != ub)
		return ua < ub ? -1 : 1;
	if (a->name_len != b->name_len)
		return a->name_len < b->name_len ? -1 : 1;
	return strcmp(stb_names + a->name, stb_names + b->name);
}

int stb_finish(struct stb *b, struct symtab *t, bool with_dso)
{
	uint64_t next, cover_end = 0, last_kept = 0;
	size_t i, n = b->n, kept = 0, nlen = 0;
	uint64_t *nexts = NULL;
	bool any = false;
	char *p;

	memset(t, 0, sizeof(*t));
	if (n)
		qsort_r(b->v, n, sizeof(*b->v), ent_cmp, b->names);

	/* next[i]: the first start above v[i].start */
	nexts = malloc((n ? n : 1) * sizeof(*nexts));
	if (!nexts)
		goto nomem;
	next = UINT64_MAX;
	for (i = n; i-- > 0;) {
		nexts[i] = next;
		if (i && b->v[i - 1].start != b->v[i].start)
			next = b->v[i].start;
	}
	/* Pick the symbols: v[i].size becomes the end, rank SYM_NONE32 drops */
	for (i = 0; i < n; i++) {
		struct stb_ent *e = &b->v[i];
		uint64_t end;

		if (e->rank == STB_RANK_MARKER || (any && e->start == last_kept)) {
			e->rank = STB_RANK_MARKER;
			continue;
		}
		if (e->size) {
			end = e->start + e->size;
			if (end < e->start)
				end = UINT64_MAX;
		} else {
			/* a label inside a sized function is not a function */
			if (e->start < cover_end) {
				e->rank = STB_RANK_MARKER;
				continue;
			}
			end = nexts[i] < e->limit ? nexts[i] : e->limit;
		}
		if (end <= e->start) {
			e->rank = STB_RANK_MARKER;
			continue;
		}
		if (e->size && end > cover_end)
			cover_end = end;
		e->size = end;
		any = true;
		last_kept = e->start;
		kept++;
		nlen += e->name_len + 1;
	}
	free(nexts);
	if (kept > UINT32_MAX - 1 || nlen > UINT32_MAX)
		goto nomem;

	t->span = malloc((kept ? kept : 1) * sizeof(*t->span));
	t->name = malloc((kept ? kept : 1) * sizeof(*t->name));
	t->names = malloc(nlen ? nlen : 1);
	if (with_dso)
		t->dso = malloc((kept ? kept : 1) * sizeof(*t->dso));
	if (!t->span || !t->name || !t->names || (with_dso && !t->dso))
		goto nomem;
	p = t->names;
	for (i = 0; i < n; i++) {
		const struct stb_ent *e = &b->v[i];

		if (e->rank == STB_RANK_MARKER)
			continue;
		t->span[t->n].start = e->start;
		t->span[t->n].end = e->size;
		t->name[t->n] = (uint32_t)(p - t->names);
		if (with_dso)
			t->dso[t->n] = e->dso;
		memcpy(p, b->names + e->name, e->name_len + 1);
		p += e->name_len + 1;
		t->n++;
	}
	t->bytes = (size_t)t->n * (sizeof(*t->span) + sizeof(uint32_t) * (with_dso ? 2 : 1)) +
		   nlen;
	symtab_index(t);
	stb_free(b);
	return 0;
nomem:
	symtab_free(t);
	stb_free(b);
	return -ENOMEM;
}
