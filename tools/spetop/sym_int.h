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

/*
 * A sorted symbol table: start[i] < start[i + 1], symbol i covers
 * [start[i], end[i]).  Names are offsets into one blob per table.
 */
struct symtab {
	uint64_t *start;
	uint64_t *end;
	uint32_t *name;
	uint32_t *dso;		/* kernel: DSO id per symbol; NULL otherwise */
	char *names;
	uint32_t n;
	size_t bytes;		/* memory held */
};

/* The index of the symbol covering @addr, or SYM_NONE32 */
static inline uint32_t symtab_find(const struct symtab *t, uint64_t addr)
{
	const uint64_t *b = t->start;
	uint32_t n = t->n, i;

	if (!n || addr < b[0])
		return SYM_NONE32;
	while (n > 1) {
		uint32_t h = n / 2;

		if (b[h] <= addr)
			b += h;
		n -= h;
	}
	i = (uint32_t)(b - t->start);
	return addr < t->end[i] ? i : SYM_NONE32;
}

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
