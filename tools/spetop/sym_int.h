/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals shared by sym.c (context, ids, cache, mappings), sym_elf.c
 * (ELF symbol tables), sym_proc.c (/proc/PID/maps, kallsyms) and
 * sym_tab.c (sorted symbol tables).
 */
#ifndef SPETOP_SYM_INT_H
#define SPETOP_SYM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYM_NONE32	UINT32_MAX

/* Symbol i covers [start, end).  Together, so that the search's last
 * load brings the end the lookup checks next. */
struct symtab_span {
	uint64_t start, end;
};

/*
 * A sorted symbol table: span[i].start < span[i + 1].start.  Names are
 * offsets into one blob per table.
 */
struct symtab {
	struct symtab_span *span;
	uint32_t *name;
	uint32_t *dso;		/* kernel: DSO id per symbol; NULL otherwise */
	char *names;
	uint32_t n;
	/*
	 * Bucket index over the starts of span[0] to span[n - 1]: bucket j
	 * covers span[0].start + (j << bkt_shift) and the 2^bkt_shift bytes
	 * after it, and bkt[j] & SYMTAB_BKT_IDX is the last symbol starting
	 * at or below its start, so the symbol for an address in bucket j
	 * lies in that entry..the next one's.  A lookup searches those few
	 * entries instead of all n: a binary search of a libc-sized table is
	 * a dozen dependent loads.  Buckets are a few per symbol: one
	 * wholly inside one symbol (SYMTAB_BKT_IN: the entry is the
	 * answer) or wholly between two (SYMTAB_BKT_OUT: none) needs no
	 * search, and one holding starts mostly holds few enough to compare
	 * at once (symtab_in_bucket()).  NULL (no memory): plain binary
	 * search.
	 */
	uint32_t *bkt;
	uint32_t nbkt;		/* buckets; bkt[] has nbkt + 1 entries */
	unsigned int bkt_shift;
	size_t bytes;		/* memory held */
};

/* Buckets per symbol the index aims at (a power of two): 32 bytes a
 * symbol, and more buckets lie wholly inside one.  -g symbol on the bench
 * traces, 4 -> 8: 0.48 -> 0.46 s (uniform), 0.45 -> 0.43 (zipf). */
#define SYMTAB_BKT_PER_SYM	8
#define SYMTAB_BKT_IN		(1u << 31)
#define SYMTAB_BKT_OUT		(1u << 30)
#define SYMTAB_BKT_IDX		(SYMTAB_BKT_OUT - 1)

/* The last symbol in [lo, hi] starting at or below @addr
 * (span[lo].start <= addr) */
static inline uint32_t symtab_search(const struct symtab_span *span, uint32_t lo,
				     uint32_t hi, uint64_t addr)
{
	const struct symtab_span *b = span + lo;
	uint32_t n = hi - lo + 1;

	while (n > 1) {
		uint32_t h = n / 2;

		if (b[h].start <= addr)
			b += h;
		n -= h;
	}
	return (uint32_t)(b - span);
}

/*
 * symtab_search() for a bucket's candidates lo..hi.  Up to four: their
 * starts are loaded side by side and counted, with no branch and no
 * load waiting for another (a search's steps chain, and its length
 * varies from lookup to lookup, so it mispredicts).  The three after lo
 * are read even past hi: a symbol after hi starts past the bucket, so
 * above @addr, and counts nothing.
 */
static inline uint32_t symtab_in_bucket(const struct symtab *t, uint32_t lo, uint32_t hi,
					uint64_t addr)
{
	const struct symtab_span *b = t->span + lo;

	if (hi - lo > 3 || lo + 3 >= t->n)
		return symtab_search(t->span, lo, hi, addr);
	return lo + (b[1].start <= addr) + (b[2].start <= addr) + (b[3].start <= addr);
}

/* The index of the symbol covering @addr, or SYM_NONE32 */
static inline uint32_t symtab_find(const struct symtab *t, uint64_t addr)
{
	uint64_t j;
	uint32_t i;

	if (!t->n || addr < t->span[0].start)
		return SYM_NONE32;
	j = (addr - t->span[0].start) >> t->bkt_shift;
	if (!t->bkt) {
		i = symtab_search(t->span, 0, t->n - 1, addr);
	} else if (j >= t->nbkt) {
		i = t->n - 1;	/* past the last symbol's start */
	} else {
		uint32_t e = t->bkt[j];

		if (e & SYMTAB_BKT_IN)
			return e & SYMTAB_BKT_IDX;
		if (e & SYMTAB_BKT_OUT)
			return SYM_NONE32;
		i = symtab_in_bucket(t, e, t->bkt[j + 1] & SYMTAB_BKT_IDX, addr);
	}
	return addr < t->span[i].end ? i : SYM_NONE32;
}

/* Build t->bkt for the sorted t->span[] (left NULL when out of memory) */
void symtab_index(struct symtab *t);

void symtab_free(struct symtab *t);

/*
 * Collects candidate symbols, then sorts them, keeps one per address and
 * computes the ends of symbols without a size.
 */
#define STB_RANK_MARKER	UINT32_MAX	/* only bounds the symbol before it */

struct stb_ent {
	uint64_t start;
	uint64_t size;		/* 0: up to the next entry, at most limit */
	uint64_t limit;
	uint32_t name;		/* offset in the builder's blob */
	uint32_t name_len;
	uint32_t rank;		/* among aliases, lower wins */
	uint32_t dso;
};

struct stb {
	struct stb_ent *v;
	size_t n, cap;
	char *names;
	size_t nlen, ncap;
};

int stb_add(struct stb *b, uint64_t start, uint64_t size, uint64_t limit,
	    const char *name, size_t name_len, uint32_t rank, uint32_t dso);
/* Fills @t (with a dso array when @with_dso); frees @b.  0 or -ENOMEM. */
int stb_finish(struct stb *b, struct symtab *t, bool with_dso);
void stb_free(struct stb *b);

/* An ELF file's PT_LOAD segments, for file offset -> virtual address */
struct dso_seg {
	uint64_t off, filesz, vaddr;
};

/*
 * Loads the function symbols of the ELF file open on @fd (.symtab, else
 * .dynsym).  0, -ENOMEM, or another negative errno (not ELF, unreadable).
 */
int sym_elf_load(int fd, struct dso_seg **segs, uint32_t *nsegs, struct symtab *t);

/* One line of /proc/PID/maps */
struct maps_line {
	uint64_t start, end, pgoff;
	uint32_t maj, min;
	uint64_t ino;
	bool exec;
	const char *path;	/* "" for anonymous mappings */
};

/* Calls @cb per line; 0, -errno (open/read), or the first nonzero @cb return */
int sym_read_maps(const char *file, int (*cb)(void *arg, const struct maps_line *l),
		  void *arg);

/*
 * Parses kallsyms into @t (with DSO ids: @kernel_dso, or what @mod_dso says
 * for "[mod]").  *@nonzero: some address was not zero.  0, -errno, -ENOMEM.
 */
int sym_read_kallsyms(const char *file, struct symtab *t, bool *nonzero, uint32_t kernel_dso,
		      uint32_t (*mod_dso)(void *arg, const char *mod, size_t len), void *arg);

/* Reads a small file (comm, a symlink target) into @buf, NUL-terminated, newline cut */
int sym_read_small(const char *file, char *buf, size_t len);

#endif
