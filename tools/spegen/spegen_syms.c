// SPDX-License-Identifier: GPL-2.0-only
/*
 * spegen PC source: ELF function symbols through libelf.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spegen_syms.h"

struct fn_ent {
	uint64_t start, size;
};

static int fn_cmp(const void *a, const void *b)
{
	const struct fn_ent *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* aliases: keep the largest size first */
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return 0;
}

/* Sort, drop aliases and build the cumulative table; frees @ents. */
static int syms_build(struct spegen_syms *s, struct fn_ent *ents, size_t n)
{
	size_t i, k = 0;
	uint64_t total = 0;

	qsort(ents, n, sizeof(*ents), fn_cmp);
	s->start = malloc((n + 1) * sizeof(uint64_t));
	s->cum = malloc((n + 1) * sizeof(uint64_t));
	if (!s->start || !s->cum) {
		free(ents);
		spegen_syms_free(s);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (k && ents[i].start == s->start[k - 1])
			continue;
		s->start[k] = ents[i].start;
		s->cum[k] = total;
		total += ents[i].size;
		k++;
	}
	s->cum[k] = total;
	s->nr = k;
	s->total = total;
	free(ents);
	return k ? 0 : -1;
}

static int collect(Elf *elf, Elf_Scn *scn, GElf_Shdr *sh, uint64_t load_base,
		   struct fn_ent **ents, size_t *n)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t i, cnt, k = 0;
	struct fn_ent *e;

	(void)elf;
	if (!data || !sh->sh_entsize)
		return -1;
	cnt = sh->sh_size / sh->sh_entsize;
	e = calloc(cnt ? cnt : 1, sizeof(*e));
	if (!e)
		return -1;
	for (i = 0; i < cnt; i++) {
		GElf_Sym sym;

		if (!gelf_getsym(data, (int)i, &sym))
			continue;
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || !sym.st_size ||
		    sym.st_shndx == SHN_UNDEF || !sym.st_value)
			continue;
		e[k].start = load_base + sym.st_value;
		e[k].size = sym.st_size;
		k++;
	}
	*ents = e;
	*n = k;
	return 0;
}

int spegen_syms_load_elf(struct spegen_syms *s, const char *path,
			 uint64_t load_base, char *err, size_t errlen)
{
	Elf_Scn *scn = NULL, *symtab = NULL, *dynsym = NULL;
	GElf_Shdr sh, use_sh;
	struct fn_ent *ents = NULL;
	size_t n = 0;
	Elf *elf;
	int fd, ret = -1;

	memset(s, 0, sizeof(*s));
	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		snprintf(err, errlen, "%s: not an ELF file", path);
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB && !symtab)
			symtab = scn;
		else if (sh.sh_type == SHT_DYNSYM && !dynsym)
			dynsym = scn;
	}
	/* .symtab first; fall back to .dynsym when it yields nothing */
	if (symtab && gelf_getshdr(symtab, &use_sh) &&
	    !collect(elf, symtab, &use_sh, load_base, &ents, &n) && !n) {
		free(ents);
		ents = NULL;
	}
	if (!n && dynsym && gelf_getshdr(dynsym, &use_sh))
		collect(elf, dynsym, &use_sh, load_base, &ents, &n);
	if (!n) {
		free(ents);
		snprintf(err, errlen, "%s: no sized function symbols", path);
		goto out;
	}
	if (syms_build(s, ents, n)) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	ret = 0;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

int spegen_syms_synthetic(struct spegen_syms *s, uint64_t base, size_t nr,
			  uint64_t seed)
{
	struct spegen_rng r;
	struct fn_ent *ents;
	uint64_t addr = base;
	size_t i;

	memset(s, 0, sizeof(*s));
	ents = calloc(nr ? nr : 1, sizeof(*ents));
	if (!ents)
		return -1;
	spegen_rng_seed(&r, seed);
	for (i = 0; i < nr; i++) {
		uint64_t size = (uint64_t)spegen_rng_lognormal(&r, 160, 8, 8,
							       64 * 1024);

		size = (size + 3) & ~3ULL;
		ents[i].start = addr;
		ents[i].size = size;
		addr = (addr + size + 15) & ~15ULL;	/* 16-byte function alignment */
	}
	return syms_build(s, ents, nr);
}

int spegen_syms_zipf(struct spegen_syms *s, double exponent, uint64_t seed)
{
	struct spegen_rng r;
	size_t i;

	free(s->rank_fn);
	free(s->zcum);
	s->rank_fn = malloc(s->nr * sizeof(*s->rank_fn));
	s->zcum = malloc((s->nr + 1) * sizeof(*s->zcum));
	if (!s->rank_fn || !s->zcum) {
		/* both or neither: picks test zcum alone */
		free(s->rank_fn);
		free(s->zcum);
		s->rank_fn = NULL;
		s->zcum = NULL;
		return -1;
	}
	/* a shuffle, so the hot functions are spread over the text */
	spegen_rng_seed(&r, seed ^ 0x7a697066ULL);
	for (i = 0; i < s->nr; i++)
		s->rank_fn[i] = (uint32_t)i;
	for (i = s->nr; i > 1; i--) {
		size_t j = spegen_rng_below(&r, i);
		uint32_t t = s->rank_fn[i - 1];

		s->rank_fn[i - 1] = s->rank_fn[j];
		s->rank_fn[j] = t;
	}
	s->zcum[0] = 0;
	for (i = 0; i < s->nr; i++)
		s->zcum[i + 1] = s->zcum[i] + pow((double)(i + 1), -exponent);
	return 0;
}

/* A function by Zipf rank, then a uniform 4-byte-aligned PC inside it */
static uint64_t pick_zipf(const struct spegen_syms *s, struct spegen_rng *r, size_t *fn)
{
	double u = spegen_rng_unit(r) * s->zcum[s->nr];
	size_t lo = 0, hi = s->nr, f;	/* zcum[lo] <= u < zcum[hi] */

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->zcum[mid] <= u)
			lo = mid;
		else
			hi = mid;
	}
	f = s->rank_fn[lo];
	if (fn)
		*fn = f;
	return s->start[f] + (spegen_rng_below(r, spegen_syms_fn_size(s, f)) & ~3ULL);
}

uint64_t spegen_syms_pick(const struct spegen_syms *s, struct spegen_rng *r,
			  size_t *fn)
{
	uint64_t x;
	size_t lo = 0, hi = s->nr;	/* cum[lo] <= x < cum[hi] */

	if (s->zcum)
		return pick_zipf(s, r, fn);
	x = spegen_rng_below(r, s->total);

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->cum[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	if (fn)
		*fn = lo;
	return s->start[lo] + ((x - s->cum[lo]) & ~3ULL);
}

uint64_t spegen_syms_fn_start(const struct spegen_syms *s, size_t fn)
{
	return s->start[fn];
}

uint64_t spegen_syms_fn_size(const struct spegen_syms *s, size_t fn)
{
	return s->cum[fn + 1] - s->cum[fn];
}

void spegen_syms_free(struct spegen_syms *s)
{
	free(s->start);
	free(s->cum);
	free(s->rank_fn);
	free(s->zcum);
	memset(s, 0, sizeof(*s));
}
