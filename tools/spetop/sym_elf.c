// SPDX-License-Identifier: GPL-2.0-only
/*
 * Function symbols and PT_LOAD segments of an ELF file, with libelf.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "sym_int.h"

struct sec_info {
	uint64_t addr, size, flags;
};

static bool elf_ready(void)
{
	static int state;	/* 0: not yet, 1: ok, -1: libelf refused */

	if (!state)
		state = elf_version(EV_CURRENT) == EV_NONE ? -1 : 1;
	return state > 0;
}

static bool skip_name(const char *name)
{
	return !name[0] || name[0] == '$' || (name[0] == '.' && name[1] == 'L');
}

/* Adds the functions of one symbol table section; the count added or -ENOMEM */
static long add_syms(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh, const struct sec_info *secs,
		     size_t nsec, bool thumb, struct stb *b)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t i, n;
	long added = 0;

	if (!d || !sh->sh_entsize)
		return 0;
	n = sh->sh_size / sh->sh_entsize;
	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		const char *name;
		unsigned int type, bind;
		uint64_t value, limit = UINT64_MAX;
		uint32_t rank;
		bool in_sec;

		if (!gelf_getsym(d, (int)i, &sym))
			break;
		type = GELF_ST_TYPE(sym.st_info);
		bind = GELF_ST_BIND(sym.st_info);
		if (sym.st_shndx == SHN_UNDEF || sym.st_shndx == SHN_ABS ||
		    sym.st_shndx == SHN_COMMON)
			continue;
		in_sec = sym.st_shndx < nsec && sym.st_shndx < SHN_LORESERVE;
		if (type == STT_NOTYPE) {
			/* labels of hand-written code: global ones in code sections */
			if (bind == STB_LOCAL || !in_sec ||
			    (secs[sym.st_shndx].flags & (SHF_EXECINSTR | SHF_ALLOC)) !=
			    (SHF_EXECINSTR | SHF_ALLOC))
				continue;
		} else if (type != STT_FUNC && type != STT_GNU_IFUNC) {
			continue;
		}
		value = sym.st_value;
		if (thumb)
			value &= ~1ull;
		if (!value)
			continue;
		name = elf_strptr(e, sh->sh_link, sym.st_name);
		if (!name || skip_name(name))
			continue;
		if (in_sec && (secs[sym.st_shndx].flags & SHF_ALLOC) &&
		    secs[sym.st_shndx].addr <= value)
			limit = secs[sym.st_shndx].addr + secs[sym.st_shndx].size;
		rank = (type == STT_NOTYPE ? 8 : 0) + (sym.st_size ? 0 : 4) +
		       (bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2);
		if (stb_add(b, value, sym.st_size, limit, name, strlen(name), rank, 0))
			return -ENOMEM;
		added++;
	}
	return added;
}

int sym_elf_load(int fd, struct dso_seg **segsp, uint32_t *nsegsp, struct symtab *t)
{
	Elf_Scn *scn = NULL, *symtab = NULL, *dynsym = NULL;
	GElf_Shdr symtab_sh, dynsym_sh;
	struct sec_info *secs = NULL;
	struct dso_seg *segs = NULL;
	size_t i, nph = 0, nsec = 0;
	uint32_t nsegs = 0;
	struct stb b = { 0 };
	GElf_Ehdr eh;
	bool thumb;
	long added = 0;
	int err = -ENOEXEC;
	Elf *e;

	memset(t, 0, sizeof(*t));
	if (!elf_ready())
		return -ENOEXEC;
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e)
		return -ENOEXEC;
	if (elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh) ||
	    (eh.e_type != ET_EXEC && eh.e_type != ET_DYN))
		goto out;
	thumb = eh.e_machine == EM_ARM;

	if (elf_getphdrnum(e, &nph) || !nph || nph > 65536)
		goto out;
	segs = calloc(nph, sizeof(*segs));
	if (!segs) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD || !ph.p_filesz)
			continue;
		segs[nsegs].off = ph.p_offset;
		segs[nsegs].filesz = ph.p_filesz;
		segs[nsegs].vaddr = ph.p_vaddr;
		nsegs++;
	}
	if (!nsegs)
		goto out;

	if (elf_getshdrnum(e, &nsec))
		nsec = 0;
	if (nsec) {
		secs = calloc(nsec, sizeof(*secs));
		if (!secs) {
			err = -ENOMEM;
			goto out;
		}
	}
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		size_t idx = elf_ndxscn(scn);

		if (!gelf_getshdr(scn, &sh))
			continue;
		if (idx < nsec) {
			secs[idx].addr = sh.sh_addr;
			secs[idx].size = sh.sh_size;
			secs[idx].flags = sh.sh_flags;
		}
		if (sh.sh_type == SHT_SYMTAB && !symtab) {
			symtab = scn;
			symtab_sh = sh;
		} else if (sh.sh_type == SHT_DYNSYM && !dynsym) {
			dynsym = scn;
			dynsym_sh = sh;
		}
	}
	if (symtab)
		added = add_syms(e, symtab, &symtab_sh, secs, nsec, thumb, &b);
	if (!added && dynsym)
		added = add_syms(e, dynsym, &dynsym_sh, secs, nsec, thumb, &b);
	if (added < 0 || stb_finish(&b, t, false)) {
		err = -ENOMEM;
		goto out;
	}
	*segsp = segs;
	*nsegsp = nsegs;
	segs = NULL;
	err = 0;
out:
	stb_free(&b);
	free(secs);
	free(segs);
	elf_end(e);
	return err;
}
