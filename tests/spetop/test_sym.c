// SPDX-License-Identifier: GPL-2.0-only
/*
 * spetop's symbolisation (tools/spetop/sym*.c) against independent
 * references: nm(1) for symbols, the test ELFs' program headers read here
 * with <elf.h> for the simulated mappings, a fake /proc tree (maps, comm,
 * map_files, kallsyms), this process's own /proc/self/maps and function
 * pointers, and the uncached lookup for the cache.
 *
 * The test ELFs (built from tests/spetop/sym_target.c) sit next to this
 * binary.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "sym.h"
#include "sym_int.h"

static char dir[PATH_MAX / 4];	/* where the test ELFs are */
static char tmp[PATH_MAX / 4];	/* the fake /proc tree */
static char f_pie[PATH_MAX], f_so[PATH_MAX], f_nopie[PATH_MAX], f_strip[PATH_MAX];
static char f_space[PATH_MAX];

/* ---- references -------------------------------------------------------- */

struct nm_sym {
	uint64_t addr, size;	/* size 0: nm printed none */
	char type;
	char name[128];
};

struct nm_list {
	struct nm_sym *v;
	size_t n;
};

/* `nm --defined-only -S [-D] FILE`: the text symbols */
static struct nm_list nm_read(const char *file, bool dynamic)
{
	struct nm_list l = { NULL, 0 };
	char cmd[PATH_MAX + 64], line[512];
	size_t cap = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "nm --defined-only -S %s '%s'", dynamic ? "-D" : "", file);
	f = popen(cmd, "r");
	if (!f)
		return l;
	while (fgets(line, sizeof(line), f)) {
		struct nm_sym s = { 0 };
		char a[32], b[32], c[128], d[128];
		int n = sscanf(line, "%31s %31s %127s %127s", a, b, c, d);

		if (n == 4) {
			s.addr = strtoull(a, NULL, 16);
			s.size = strtoull(b, NULL, 16);
			s.type = c[0];
			snprintf(s.name, sizeof(s.name), "%s", d);
		} else if (n == 3) {
			s.addr = strtoull(a, NULL, 16);
			s.type = b[0];
			snprintf(s.name, sizeof(s.name), "%s", c);
		} else {
			continue;
		}
		if (!strchr("TtWw", s.type))
			continue;
		if (l.n == cap) {
			cap = cap ? cap * 2 : 64;
			l.v = realloc(l.v, cap * sizeof(*l.v));
			if (!l.v)
				abort();
		}
		l.v[l.n++] = s;
	}
	pclose(f);
	return l;
}

static const struct nm_sym *nm_find(const struct nm_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

/* Is @name a sized nm symbol covering @addr?  *@any: some sized one covers it */
static bool nm_covers(const struct nm_list *l, uint64_t addr, const char *name, bool *any)
{
	bool hit = false;
	size_t i;

	*any = false;
	for (i = 0; i < l->n; i++) {
		const struct nm_sym *s = &l->v[i];

		if (s->size && addr >= s->addr && addr - s->addr < s->size) {
			*any = true;
			if (!strcmp(s->name, name))
				hit = true;
		}
	}
	return hit;
}

static bool nm_covered(const struct nm_list *l, uint64_t addr)
{
	bool any;

	nm_covers(l, addr, "", &any);
	return any;
}

/* Does an nm symbol lie in [addr, addr + size)? */
static bool nm_any_in(const struct nm_list *l, uint64_t addr, uint64_t size)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].addr >= addr && l->v[i].addr - addr < size)
			return true;
	return false;
}

static bool nm_is_unsized(const struct nm_list *l, const char *name)
{
	const struct nm_sym *s = nm_find(l, name);

	return s && !s->size;
}

struct load {
	uint64_t off, vaddr, filesz;
	bool exec;
};

struct elf_info {
	struct load load[16];
	int nload;
	struct { uint64_t addr, size; } xsec[32];	/* executable sections */
	int nxsec;
	bool dyn;
	uint64_t size;
};

/* The PT_LOAD headers, read with <elf.h> (not libelf) */
static bool elf_info(const char *file, struct elf_info *ei)
{
	Elf64_Ehdr eh;
	struct stat sb;
	int fd = open(file, O_RDONLY), i;
	bool ok = false;

	memset(ei, 0, sizeof(*ei));
	if (fd < 0)
		return false;
	if (fstat(fd, &sb) || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64)
		goto out;
	ei->size = (uint64_t)sb.st_size;
	ei->dyn = eh.e_type == ET_DYN;
	for (i = 0; i < eh.e_phnum && ei->nload < 16; i++) {
		Elf64_Phdr ph;

		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) !=
		    sizeof(ph))
			goto out;
		if (ph.p_type != PT_LOAD)
			continue;
		ei->load[ei->nload].off = ph.p_offset;
		ei->load[ei->nload].vaddr = ph.p_vaddr;
		ei->load[ei->nload].filesz = ph.p_filesz;
		ei->load[ei->nload].exec = ph.p_flags & PF_X;
		ei->nload++;
	}
	for (i = 0; i < eh.e_shnum && ei->nxsec < 32; i++) {
		Elf64_Shdr sh;

		if (pread(fd, &sh, sizeof(sh), (off_t)(eh.e_shoff + (uint64_t)i * eh.e_shentsize)) !=
		    sizeof(sh))
			goto out;
		if (!(sh.sh_flags & SHF_EXECINSTR) || !sh.sh_size)
			continue;
		ei->xsec[ei->nxsec].addr = sh.sh_addr;
		ei->xsec[ei->nxsec].size = sh.sh_size;
		ei->nxsec++;
	}
	ok = ei->nload > 0;
out:
	close(fd);
	return ok;
}

static const struct load *elf_text(const struct elf_info *ei)
{
	int i;

	for (i = 0; i < ei->nload; i++)
		if (ei->load[i].exec)
			return &ei->load[i];
	return NULL;
}

/* A simulated mapping: start, pgoff, len */
struct sim_map {
	uint64_t start, len, pgoff;
};

#define PAGE 4096ull
#define TRUNC(x) ((x) & ~(PAGE - 1))
#define ROUNDUP(x) TRUNC((x) + PAGE - 1)

/* The whole file at @base, offset 0 */
static struct sim_map sim_whole(const struct elf_info *ei, uint64_t base)
{
	struct sim_map m = { base, ROUNDUP(ei->size), 0 };

	return m;
}

/*
 * The executable segment alone, as ld.so maps it: at bias + trunc(p_vaddr)
 * from file offset trunc(p_offset), bias = where trunc(first p_vaddr) goes.
 */
static struct sim_map sim_text(const struct elf_info *ei, uint64_t base)
{
	const struct load *t = elf_text(ei);
	uint64_t bias = ei->dyn ? base - TRUNC(ei->load[0].vaddr) : 0;
	struct sim_map m;

	m.start = bias + TRUNC(t->vaddr);
	m.pgoff = TRUNC(t->off);
	m.len = ROUNDUP(t->off + t->filesz) - m.pgoff;
	return m;
}

/* The runtime address of ELF address @vaddr in mapping @m (0: not mapped) */
static uint64_t sim_pc(const struct elf_info *ei, const struct sim_map *m, uint64_t vaddr)
{
	int i;

	for (i = 0; i < ei->nload; i++) {
		const struct load *l = &ei->load[i];
		uint64_t off;

		if (vaddr < l->vaddr || vaddr - l->vaddr >= l->filesz)
			continue;
		off = vaddr - l->vaddr + l->off;
		if (off < m->pgoff || off - m->pgoff >= m->len)
			return 0;
		return m->start + off - m->pgoff;
	}
	return 0;
}

static void path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static struct sym_ctx *ctx_plain(void)
{
	struct sym_opts o = { .proc_root = "/nonexistent-proc", .live = false, .kallsyms = NULL };

	return sym_new(&o);
}

static void check_sym(struct sym_ctx *s, uint32_t pid, uint64_t pc, bool kernel,
		      const char *name, const char *dso, int line)
{
	uint32_t id = sym_resolve(s, pid, pc, kernel);
	const char *n = sym_name(s, id), *d = sym_dso(s, id);

	if (id == SYM_ID_NONE || strcmp(n, name) || strcmp(d, dso)) {
		printf("  check failed %s:%d: pid %u pc 0x%" PRIx64 ": %s in %s, expected %s in %s\n",
		       __FILE__, line, pid, pc, n, d, name, dso);
		check_cur_failed++;
	}
}
#define CHECK_SYM(s, pid, pc, k, name, dso) check_sym(s, pid, pc, k, name, dso, __LINE__)

/* ---- ELF symbols against nm ------------------------------------------------ */

struct elf_case {
	const char *file;
	bool dynamic;		/* compare with nm -D (stripped: .dynsym only) */
};

static const struct elf_case elf_cases[] = {
	{ "sym_target_pie", false },
	{ "sym_target.so", false },
	{ "sym_target_nopie", false },
	{ "sym_target_stripped.so", true },
};

static const char *const known[] = {
	"tf_00", "tf_01", "tf_02", "tf_03", "tf_04", "tf_05", "tf_06", "tf_07",
	"tf_08", "tf_09", "tf_10", "tf_11", "tf_weak", "tf_section", "main",
};

static int checks_done;

/* Resolves @pc and checks it against the nm reference for ELF address @vaddr */
static void check_pc(struct sym_ctx *s, const struct nm_list *nm, const char *file,
		     uint32_t pid, uint64_t pc, uint64_t vaddr, int *unknowns)
{
	uint32_t id = sym_resolve(s, pid, pc, false);
	const char *name = sym_name(s, id);
	bool any;

	checks_done++;
	if (id == SYM_ID_NONE) {
		CHECK(id != SYM_ID_NONE);
		return;
	}
	CHECK_STR(sym_dso(s, id), base_name(file));
	if (nm_covers(nm, vaddr, name, &any)) {
		/* the symbol's start, back at runtime */
		const struct nm_sym *ns = nm_find(nm, name);

		if (ns && ns->size)
			CHECK_EQ_U64(sym_addr(s, id), pc - (vaddr - ns->addr));
		return;
	}
	if (any) {
		printf("  %s: 0x%" PRIx64 " resolved to %s, nm says otherwise\n", file, vaddr, name);
		CHECK(!any);
		return;
	}
	/* nothing sized covers it: "[unknown]" or a symbol nm gives no size */
	if (!strcmp(name, "[unknown]")) {
		(*unknowns)++;
		CHECK_EQ_U64(sym_addr(s, id), 0);
	} else if (!nm_is_unsized(nm, name)) {
		printf("  %s: 0x%" PRIx64 " resolved to %s, covered by nothing in nm\n", file,
		       vaddr, name);
		CHECK(false);
	}
}

static void elf_case_run(const struct elf_case *c, bool text_only)
{
	struct nm_list nm;
	struct elf_info ei;
	struct sim_map m;
	struct sym_ctx *s;
	char file[PATH_MAX];
	uint64_t base = 0x7f1234560000ull;
	int unknowns = 0, empty_secs = 0, i;
	size_t k;

	path_of(file, sizeof(file), c->file);
	nm = nm_read(file, c->dynamic);
	CHECK(nm.n >= 12);
	CHECK(elf_info(file, &ei));
	if (!ei.dyn)
		base = TRUNC(ei.load[0].vaddr);
	m = text_only ? sim_text(&ei, base) : sim_whole(&ei, base);
	s = ctx_plain();
	CHECK(s);
	if (!s || !nm.n || !elf_text(&ei))
		goto out;
	sym_add_mmap(s, 77, m.start, m.len, m.pgoff, file);

	for (k = 0; k < nm.n; k++) {
		const struct nm_sym *ns = &nm.v[k];
		uint64_t size = ns->size ? ns->size : 1;
		uint64_t probes[5] = { ns->addr, ns->addr + size / 2, ns->addr + size - 1,
				       ns->addr - 1, ns->addr + size };
		const struct load *t = elf_text(&ei);

		/* nm's W and w include weak data */
		if (ns->addr < t->vaddr || ns->addr - t->vaddr >= t->filesz)
			continue;
		for (i = 0; i < 5; i++) {
			uint64_t pc = sim_pc(&ei, &m, probes[i]);

			if (!pc)
				continue;
			/*
			 * nm's unsized symbols: only their first byte is known,
			 * and a sized symbol covering it wins (a label inside a
			 * function, an alias without size)
			 */
			if (!ns->size && i)
				continue;
			if (!ns->size && !nm_covered(&nm, ns->addr)) {
				uint32_t id = sym_resolve(s, 77, pc, false);
				const struct nm_sym *u = nm_find(&nm, sym_name(s, id));

				if (!u || u->addr != ns->addr || u->size)
					CHECK_STR(sym_name(s, id), ns->name);
				continue;
			}
			check_pc(s, &nm, file, 77, pc, probes[i], &unknowns);
		}
	}
	/* the known functions are all there, start to end */
	for (k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
		const struct nm_sym *ns = nm_find(&nm, known[k]);
		uint64_t off;

		CHECK(ns && ns->size);
		if (!ns || !ns->size)
			continue;
		for (off = 0; off < ns->size; off++) {
			uint64_t pc = sim_pc(&ei, &m, ns->addr + off);
			uint32_t id = sym_resolve(s, 77, pc, false);

			if (strcmp(sym_name(s, id), known[k])) {
				CHECK_STR(sym_name(s, id), known[k]);
				break;
			}
		}
	}
	/* functions are 32-byte aligned: tf_00 (4 bytes) is followed by padding */
	CHECK(unknowns > 0);
	{
		const struct nm_sym *t0 = nm_find(&nm, "tf_00");
		uint32_t id = t0 ? sym_resolve(s, 77, sim_pc(&ei, &m, t0->addr + t0->size), false)
				 : SYM_ID_NONE;

		CHECK_STR(sym_name(s, id), "[unknown]");
		CHECK_STR(sym_dso(s, id), c->file);
	}
	/* the local function: in .symtab only */
	{
		struct nm_list full = nm_read(c->dynamic ? f_so : file, false);
		const struct nm_sym *st = nm_find(&full, "tf_static");
		uint32_t id = st ? sym_resolve(s, 77, sim_pc(&ei, &m, st->addr + 1), false)
				 : SYM_ID_NONE;

		CHECK(st != NULL);
		CHECK_STR(sym_name(s, id), c->dynamic ? "[unknown]" : "tf_static");
		free(full.v);
	}
	/* executable sections with no symbol (.plt): nothing extends into them */
	for (i = 0; i < ei.nxsec; i++) {
		uint64_t a = ei.xsec[i].addr, z = ei.xsec[i].size;
		uint64_t probe[3] = { a, a + z / 2, a + z - 1 };
		int j;

		if (nm_any_in(&nm, a, z))
			continue;
		for (j = 0; j < 3; j++) {
			uint32_t id = sym_resolve(s, 77, sim_pc(&ei, &m, probe[j]), false);

			CHECK_STR(sym_name(s, id), "[unknown]");
			CHECK_STR(sym_dso(s, id), c->file);
			empty_secs++;
		}
	}
	if (!strstr(c->file, "nopie"))
		CHECK(empty_secs > 0);
	/* hand-written: a sized function, an unsized alias, a label inside */
	{
		const struct nm_sym *f = nm_find(&nm, "tf_asm_func");
		const struct nm_sym *l = nm_find(&nm, "tf_asm_inner");

		CHECK(f && f->size && l && !l->size && nm_find(&nm, "zz_alias"));
		if (f && l) {
			CHECK_SYM(s, 77, sim_pc(&ei, &m, f->addr), false, "tf_asm_func", c->file);
			CHECK_SYM(s, 77, sim_pc(&ei, &m, l->addr), false, "tf_asm_func", c->file);
			CHECK_SYM(s, 77, sim_pc(&ei, &m, f->addr + f->size - 1), false, "tf_asm_func",
				  c->file);
		}
	}
	/* the label without type or size */
	{
		const struct nm_sym *l = nm_find(&nm, "tf_asm_label");
		uint32_t id = l ? sym_resolve(s, 77, sim_pc(&ei, &m, l->addr + 2), false)
				: SYM_ID_NONE;

		CHECK_STR(sym_name(s, id), "tf_asm_label");
	}
	/* below and above the mapping: no mapping, the pid's unknown */
	{
		uint32_t a = sym_resolve(s, 77, m.start - 1, false);
		uint32_t b = sym_resolve(s, 77, m.start + m.len, false);

		CHECK_STR(sym_name(s, a), "[unknown]");
		CHECK_STR(sym_dso(s, a), "[unknown]");
		CHECK_EQ_U64(a, b);
	}
	CHECK_EQ_U64(sym_stats(s)->dsos_loaded, 1);
	CHECK_EQ_U64(sym_stats(s)->dso_load_failures, 0);
out:
	sym_free(s);
	free(nm.v);
}

static void test_elf_whole_file(void)
{
	size_t i;

	for (i = 0; i < sizeof(elf_cases) / sizeof(elf_cases[0]); i++)
		elf_case_run(&elf_cases[i], false);
}

static void test_elf_text_segment(void)
{
	size_t i;

	for (i = 0; i < sizeof(elf_cases) / sizeof(elf_cases[0]); i++)
		elf_case_run(&elf_cases[i], true);
}

/* ---- the fake /proc tree ----------------------------------------------------- */

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;
	int err = 0;

	if (in < 0 || out < 0)
		err = -1;
	while (!err && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			err = -1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return err;
}

static void rm_rf(const char *path)
{
	char cmd[PATH_MAX + 32];

	if (!path[0] || strncmp(path, "/tmp/", 5))
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd))
		printf("  (could not remove %s)\n", path);
}

static const char kallsyms_text[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81000100 t helper_a\n"
	"ffffffff81000200 T do_syscall_64\n"
	"ffffffff81000300 W weak_fn\n"
	"ffffffff81000800 D some_data\n"
	"ffffffff81000900 r some_rodata\n"
	"ffffffff81000a00 T late_fn\n"
	"ffffffff81000b00 T _etext\n"
	"ffffffff81001000 d more_data\n"
	"ffffffffc0001000 t mod_fn\t[mymod]\n"
	"ffffffffc0001080 T mod_fn2\t[mymod]\n"
	"ffffffffc0002000 d mod_data\t[mymod]\n"
	"ffffffffc0010000 t other_fn\t[othermod]\n"
	"ffffffffc0010040 b other_bss\t[othermod]\n";

/* Addresses in the fake process 1234 */
#define P_PIE	0x555555550000ull
#define P_SO	0x7f0000000000ull
#define P_VDSO	0x7fff00000000ull
#define P_ANON	0x7fff10000000ull
#define P_MISS	0x7fff20000000ull
#define P_NELF	0x7fff30000000ull
#define P_DEL	0x7fff40000000ull
#define P_SPACE	0x7fff50000000ull
#define P_HEAP	0x555556000000ull
#define P_LATE	0x7fff60000000ull

/* A maps line for @file's executable segment at base @b */
static void maps_text_line(char *buf, size_t len, const char *file, uint64_t b,
			   const char *name, unsigned long ino)
{
	struct elf_info ei;
	struct sim_map m;

	elf_info(file, &ei);
	m = sim_text(&ei, b);
	snprintf(buf, len, "%012" PRIx64 "-%012" PRIx64 " r-xp %08" PRIx64 " fe:01 %lu %s\n",
		 m.start, m.start + m.len, m.pgoff, ino, name);
}

/* The runtime address of @func of @file mapped (text alone) at @b */
static uint64_t func_pc(const char *file, bool dynamic, uint64_t b, const char *func,
			uint64_t delta)
{
	struct nm_list nm = nm_read(file, dynamic);
	const struct nm_sym *s = nm_find(&nm, func);
	struct elf_info ei;
	struct sim_map m;
	uint64_t pc = 0;

	if (s && elf_info(file, &ei)) {
		m = sim_text(&ei, b);
		pc = sim_pc(&ei, &m, s->addr + delta);
	}
	free(nm.v);
	return pc;
}


/* nm's size of @func in @file */
static uint64_t func_size(const char *file, const char *func)
{
	struct nm_list nm = nm_read(file, false);
	const struct nm_sym *s = nm_find(&nm, func);
	uint64_t size = s ? s->size : 0;

	free(nm.v);
	return size;
}

static bool fake_tree(void)
{
	char path[PATH_MAX + 64], line[PATH_MAX + 128], maps[8192] = "";
	struct elf_info ei;
	struct sim_map m;

	snprintf(path, sizeof(path), "%s/1234/map_files", tmp);
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return false;
	snprintf(path, sizeof(path), "%s/1234", tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/1234/map_files", tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/dir with space", tmp);
	mkdir(path, 0755);
	snprintf(f_space, sizeof(f_space), "%s/dir with space/lib sp.so", tmp);
	if (copy_file(f_so, f_space))
		return false;
	snprintf(path, sizeof(path), "%s/notelf.so", tmp);
	write_file(path, "this is not an ELF file\n");

	/* a non-executable mapping of the PIE, then its text */
	snprintf(line, sizeof(line), "%012llx-%012llx r--p 00000000 fe:01 1001 %s\n",
		 P_PIE, P_PIE + 0x1000, f_pie);
	strcat(maps, line);
	maps_text_line(line, sizeof(line), f_pie, P_PIE, f_pie, 1001);
	strcat(maps, line);
	snprintf(line, sizeof(line), "%012llx-%012llx rw-p 00000000 00:00 0          [heap]\n",
		 P_HEAP, P_HEAP + 0x21000);
	strcat(maps, line);
	maps_text_line(line, sizeof(line), f_so, P_SO, f_so, 1002);
	strcat(maps, line);
	snprintf(line, sizeof(line), "%012llx-%012llx r-xp 00000000 00:00 0          [vdso]\n",
		 P_VDSO, P_VDSO + 0x2000);
	strcat(maps, line);
	snprintf(line, sizeof(line), "%012llx-%012llx r-xp 00000000 00:00 0 \n",
		 P_ANON, P_ANON + 0x10000);
	strcat(maps, line);
	snprintf(line, sizeof(line),
		 "%012llx-%012llx r-xp 00000000 fe:01 1003 /nonexistent/libmissing.so\n",
		 P_MISS, P_MISS + 0x1000);
	strcat(maps, line);
	snprintf(line, sizeof(line), "%012llx-%012llx r-xp 00000000 fe:01 1004 %s/notelf.so\n",
		 P_NELF, P_NELF + 0x1000, tmp);
	strcat(maps, line);
	/* deleted: only map_files/START-END leads to the file */
	maps_text_line(line, sizeof(line), f_pie, P_DEL,
		       "/nonexistent/sym_target_deleted (deleted)", 1005);
	strcat(maps, line);
	elf_info(f_pie, &ei);
	m = sim_text(&ei, P_DEL);
	snprintf(path, sizeof(path), "%s/1234/map_files/%" PRIx64 "-%" PRIx64, tmp, m.start,
		 m.start + m.len);
	if (symlink(f_pie, path) && errno != EEXIST)
		return false;
	maps_text_line(line, sizeof(line), f_space, P_SPACE, f_space, 1006);
	strcat(maps, line);

	snprintf(path, sizeof(path), "%s/1234/maps", tmp);
	if (write_file(path, maps))
		return false;
	snprintf(path, sizeof(path), "%s/1234/comm", tmp);
	if (write_file(path, "fakeproc\n"))
		return false;
	snprintf(path, sizeof(path), "%s/kallsyms", tmp);
	return !write_file(path, kallsyms_text);
}

static struct sym_ctx *ctx_fake(bool live)
{
	struct sym_opts o = { .proc_root = tmp, .live = live, .kallsyms = SYM_KALLSYMS_DEFAULT };

	return sym_new(&o);
}


static void test_proc_live(void)
{
	char path[PATH_MAX + 32], line[PATH_MAX + 128];
	struct sym_ctx *s;
	uint64_t pc;
	FILE *f;

	CHECK(fake_tree());
	s = ctx_fake(true);
	CHECK(s);
	if (!s)
		return;
	CHECK(sym_warning(s) == NULL);

	CHECK_SYM(s, 1234, func_pc(f_pie, false, P_PIE, "tf_05", 3), false, "tf_05",
		  "sym_target_pie");
	CHECK_SYM(s, 1234, func_pc(f_pie, false, P_PIE, "tf_static", 0), false, "tf_static",
		  "sym_target_pie");
	CHECK_SYM(s, 1234, func_pc(f_so, false, P_SO, "tf_07", 0), false, "tf_07", "sym_target.so");
	CHECK_SYM(s, 1234, func_pc(f_so, false, P_SO, "tf_04", func_size(f_so, "tf_04") - 1), false,
		  "tf_04",
		  "sym_target.so");
	CHECK_SYM(s, 1234, P_VDSO + 0x100, false, "[unknown]", "[vdso]");
	CHECK_SYM(s, 1234, P_ANON + 0x100, false, "[unknown]", "//anon");
	CHECK_SYM(s, 1234, P_MISS + 0x10, false, "[unknown]", "libmissing.so");
	CHECK_SYM(s, 1234, P_NELF + 0x10, false, "[unknown]", "notelf.so");
	CHECK_SYM(s, 1234, func_pc(f_pie, false, P_DEL, "tf_09", 1), false, "tf_09",
		  "sym_target_deleted");
	CHECK_SYM(s, 1234, func_pc(f_space, false, P_SPACE, "tf_10", 1), false, "tf_10",
		  "lib sp.so");
	/* not executable (heap, the r--p mapping): no mapping for a PC */
	CHECK_SYM(s, 1234, P_HEAP + 0x10, false, "[unknown]", "[unknown]");
	CHECK_SYM(s, 1234, P_PIE + 0x10, false, "[unknown]", "[unknown]");
	/* a process that is not there */
	CHECK_SYM(s, 4321, P_PIE + 0x1100, false, "[unknown]", "[unknown]");
	CHECK(sym_resolve(s, 4321, 1, false) != sym_resolve(s, 1234, 1, false));
	CHECK_EQ_U64(sym_stats(s)->dso_load_failures, 2);
	/* pie, .so, deleted pie (another DSO: another path), "lib sp.so" */
	CHECK_EQ_U64(sym_stats(s)->dsos_loaded, 4);
	/* failures are not retried */
	CHECK_SYM(s, 1234, P_MISS + 0x20, false, "[unknown]", "libmissing.so");
	CHECK_EQ_U64(sym_stats(s)->dso_load_failures, 2);

	/* comm: the file, then side-band */
	CHECK_STR(sym_comm(s, 1234), "fakeproc");
	CHECK(sym_comm(s, 4321) == NULL);
	sym_add_comm(s, 1234, "renamed");
	CHECK_STR(sym_comm(s, 1234), "renamed");
	sym_add_comm(s, 4321, "sideband");
	CHECK_STR(sym_comm(s, 4321), "sideband");

	/*
	 * A new mapping appears: found after the re-read rate limit, not
	 * before.  Forgetting the pid makes the next miss read the maps now.
	 */
	pc = func_pc(f_nopie, false, 0, "tf_03", 2);
	maps_text_line(line, sizeof(line), f_nopie, 0, f_nopie, 1007);
	snprintf(path, sizeof(path), "%s/1234/maps", tmp);
	sym_forget_pid(s, 1234);
	CHECK_SYM(s, 1234, P_HEAP, false, "[unknown]", "[unknown]");
	f = fopen(path, "a");
	CHECK(f);
	if (f) {
		fputs(line, f);
		fclose(f);
	}
	CHECK_SYM(s, 1234, pc, false, "[unknown]", "[unknown]");
	usleep(250 * 1000);
	CHECK_SYM(s, 1234, pc, false, "tf_03", "sym_target_nopie");
	/* and the rest is still there */
	CHECK_SYM(s, 1234, func_pc(f_so, false, P_SO, "tf_07", 0), false, "tf_07", "sym_target.so");

	/* kernel symbols */
	CHECK(sym_warning(s) == NULL);
	CHECK_EQ_U64(sym_stats(s)->kernel_syms, 9);
	CHECK_SYM(s, 1234, 0xffffffff81000000ull, true, "startup_64", "[kernel.kallsyms]");
	CHECK_SYM(s, 1, 0xffffffff81000150ull, true, "helper_a", "[kernel.kallsyms]");
	CHECK_SYM(s, 1, 0xffffffff810002ffull, true, "do_syscall_64", "[kernel.kallsyms]");
	CHECK_SYM(s, 1, 0xffffffff81000300ull, true, "weak_fn", "[kernel.kallsyms]");
	CHECK_SYM(s, 1, 0xffffffff810007ffull, true, "weak_fn", "[kernel.kallsyms]");
	CHECK_SYM(s, 1, 0xffffffff81000800ull, true, "[unknown]", "[kernel.kallsyms]");
	CHECK_SYM(s, 1, 0xffffffff81000a80ull, true, "late_fn", "[kernel.kallsyms]");
	CHECK_SYM(s, 1, 0xffffffff80000000ull, true, "[unknown]", "[kernel.kallsyms]");
	CHECK_SYM(s, 1, 0xffffffffc0001000ull, true, "mod_fn", "[mymod]");
	CHECK_SYM(s, 1, 0xffffffffc000107full, true, "mod_fn", "[mymod]");
	CHECK_SYM(s, 1, 0xffffffffc0001fffull, true, "mod_fn2", "[mymod]");
	CHECK_SYM(s, 1, 0xffffffffc0002000ull, true, "[unknown]", "[kernel.kallsyms]");
	CHECK_SYM(s, 1, 0xffffffffc0010010ull, true, "other_fn", "[othermod]");
	CHECK_SYM(s, 1, 0xffffffffc0010040ull, true, "[unknown]", "[kernel.kallsyms]");
	/* kernel ids ignore the pid; the address is the symbol's */
	{
		uint32_t a = sym_resolve(s, 1, 0xffffffff81000150ull, true);
		uint32_t b = sym_resolve(s, 999, 0xffffffff81000101ull, true);

		CHECK_EQ_U64(a, b);
		CHECK_EQ_U64(sym_addr(s, a), 0xffffffff81000100ull);
		b = sym_resolve(s, 1, 0xffffffffc0001000ull, true);
		CHECK(sym_dso_id(s, a) != sym_dso_id(s, b));
	}
	sym_free(s);

	/* not live: nothing read from the tree but kallsyms */
	s = ctx_fake(false);
	CHECK(s);
	if (s) {
		CHECK_SYM(s, 1234, func_pc(f_so, false, P_SO, "tf_07", 0), false, "[unknown]",
			  "[unknown]");
		CHECK(sym_comm(s, 1234) == NULL);
		CHECK_SYM(s, 1, 0xffffffffc0001000ull, true, "mod_fn", "[mymod]");
		sym_free(s);
	}
}

static void test_kallsyms_hidden(void)
{
	char path[PATH_MAX + 32];
	struct sym_opts o = { .proc_root = tmp, .kallsyms = path };
	struct sym_ctx *s;

	snprintf(path, sizeof(path), "%s/kallsyms.zero", tmp);
	CHECK(!write_file(path, "0000000000000000 T _stext\n"
			  "0000000000000000 t helper_a\n"
			  "0000000000000000 t mod_fn\t[mymod]\n"
			  "0000000000000000 D data\n"));
	s = sym_new(&o);
	CHECK(s);
	if (s) {
		CHECK_HAS(sym_warning(s), "kptr_restrict");
		CHECK_HAS(sym_warning(s), path);
		CHECK_EQ_U64(sym_stats(s)->kernel_syms, 0);
		CHECK_SYM(s, 0, 0xffffffff81000000ull, true, "[unknown]", "[kernel.kallsyms]");
		CHECK_SYM(s, 0, 0, true, "[unknown]", "[kernel.kallsyms]");
		sym_free(s);
	}
	/* missing */
	snprintf(path, sizeof(path), "%s/kallsyms.none", tmp);
	s = sym_new(&o);
	CHECK(s);
	if (s) {
		CHECK_HAS(sym_warning(s), "cannot read");
		CHECK_SYM(s, 0, 0xffffffff81000000ull, true, "[unknown]", "[kernel.kallsyms]");
		sym_free(s);
	}
	/* disabled */
	o.kallsyms = NULL;
	s = sym_new(&o);
	CHECK(s);
	if (s) {
		CHECK(sym_warning(s) == NULL);
		CHECK_SYM(s, 0, 0xffffffff81000000ull, true, "[unknown]", "[kernel.kallsyms]");
		sym_free(s);
	}
}

/*
 * sym_resolve_dso(): the DSO that sym_dso_id(sym_resolve()) names, for
 * mapped, unmapped, missing, non-ELF, kernel and module PCs and an absent
 * pid, without loading a single symbol table.  One context answers by DSO
 * only, another the long way; a third check runs both in one context.
 */
static void test_resolve_dso(void)
{
	const struct { uint32_t pid; uint64_t pc; bool kernel; } q[] = {
		{ 1234, func_pc(f_pie, false, P_PIE, "tf_05", 3), false },
		{ 1234, func_pc(f_so, false, P_SO, "tf_07", 0), false },
		{ 1234, P_VDSO + 0x100, false },
		{ 1234, P_ANON + 0x100, false },
		{ 1234, P_MISS + 0x10, false },
		{ 1234, P_NELF + 0x10, false },
		{ 1234, func_pc(f_pie, false, P_DEL, "tf_09", 1), false },
		{ 1234, func_pc(f_space, false, P_SPACE, "tf_10", 1), false },
		{ 1234, P_HEAP + 0x10, false },
		{ 4321, P_PIE + 0x1100, false },
		{ 1, 0xffffffff81000150ull, true },
		{ 1, 0xffffffffc0001000ull, true },
		{ 1, 0xffffffffc0010010ull, true },
		{ 1, 0xffffffff80000000ull, true },
	};
	struct sym_ctx *by_dso, *by_sym;
	size_t i, differ = 0, inconsistent = 0;

	CHECK(fake_tree());
	by_dso = ctx_fake(true);
	by_sym = ctx_fake(true);
	CHECK(by_dso && by_sym);
	if (!by_dso || !by_sym)
		goto out;
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		uint32_t d = sym_resolve_dso(by_dso, q[i].pid, q[i].pc, q[i].kernel);
		uint32_t id = sym_resolve(by_sym, q[i].pid, q[i].pc, q[i].kernel);
		const char *a = sym_dso_name(by_dso, d), *b = sym_dso(by_sym, id);

		if (!a || !b || strcmp(a, b)) {
			fprintf(stderr, "  query %zu: by DSO %s, by symbol %s\n", i,
				a ? a : "(null)", b ? b : "(null)");
			differ++;
		}
	}
	CHECK_EQ_U64(differ, 0);
	CHECK_EQ_U64(sym_stats(by_dso)->dsos_loaded, 0);
	CHECK_EQ_U64(sym_stats(by_dso)->dso_load_failures, 0);
	CHECK_EQ_U64(sym_stats(by_sym)->dsos_loaded, 4);
	/* the same context, both ways: the same dense DSO ids */
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		inconsistent += sym_dso_id(by_dso, sym_resolve(by_dso, q[i].pid, q[i].pc,
							       q[i].kernel)) !=
				sym_resolve_dso(by_dso, q[i].pid, q[i].pc, q[i].kernel);
	CHECK_EQ_U64(inconsistent, 0);
	/* and in one batch */
	{
		enum { NQ = sizeof(q) / sizeof(q[0]) };
		struct sym_req rq[NQ];

		for (i = 0; i < NQ; i++)
			rq[i] = (struct sym_req){ .pc = q[i].pc, .pid = q[i].pid,
						  .kernel = q[i].kernel };
		sym_resolve_many(by_dso, rq, NQ);
		for (i = 0; i < NQ; i++)
			CHECK_EQ_U64(rq[i].id, sym_resolve(by_dso, q[i].pid, q[i].pc, q[i].kernel));
	}
out:
	sym_free(by_dso);
	sym_free(by_sym);
}

/* ---- ids ----------------------------------------------------------------------- */

static void test_ids(void)
{
	struct sym_ctx *s = ctx_plain();
	struct elf_info pie, so;
	struct sim_map mp, ms;
	uint32_t ids[64], n = 0, i, j, a, b, c;
	uint64_t pcs[64];
	unsigned char *seen;

	CHECK(s);
	if (!s || !elf_info(f_pie, &pie) || !elf_info(f_so, &so))
		return;
	mp = sim_text(&pie, P_PIE);
	ms = sim_text(&so, P_SO);
	sym_add_mmap(s, 1, mp.start, mp.len, mp.pgoff, f_pie);
	sym_add_mmap(s, 1, ms.start, ms.len, ms.pgoff, f_so);
	sym_add_mmap(s, 2, ms.start, ms.len, ms.pgoff, f_so);

	/* a spread of PCs: both DSOs, gaps, no mapping, kernel */
	for (i = 0; i < 48; i++)
		pcs[n++] = (i & 1 ? ms.start : mp.start) + i * 0x45;
	pcs[n++] = 0x1000;
	pcs[n++] = 0xffffffff81000000ull;
	for (i = 0; i < n; i++)
		ids[i] = sym_resolve(s, 1, pcs[i], pcs[i] >> 63);
	/* stable */
	for (i = 0; i < n; i++)
		CHECK_EQ_U64(sym_resolve(s, 1, pcs[i], pcs[i] >> 63), ids[i]);
	/* dense: every id below the count, every id up to it handed out */
	seen = calloc(sym_count(s) + 1, 1);
	for (i = 0; seen && i < n; i++) {
		CHECK(ids[i] < sym_count(s));
		if (ids[i] < sym_count(s))
			seen[ids[i]] = 1;
	}
	for (i = 0; seen && i < sym_count(s); i++)
		CHECK(seen[i]);
	free(seen);
	for (i = 0; i < sym_count(s); i++) {
		CHECK(sym_dso_id(s, i) < sym_dso_count(s));
		CHECK_STR(sym_dso_name(s, sym_dso_id(s, i)), sym_dso(s, i));
	}
	/* same name and DSO, same id; ids differ otherwise */
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (ids[i] != ids[j])
				CHECK(strcmp(sym_name(s, ids[i]), sym_name(s, ids[j])) ||
				      strcmp(sym_dso(s, ids[i]), sym_dso(s, ids[j])) ||
				      !strcmp(sym_name(s, ids[i]), "[unknown]"));

	/* unknown: one per DSO */
	/* (functions are 32-byte aligned: padding follows the small ones) */
	a = sym_resolve(s, 1, func_pc(f_pie, false, P_PIE, "tf_00", func_size(f_pie, "tf_00")),
			false);
	b = sym_resolve(s, 1, func_pc(f_so, false, P_SO, "tf_00", func_size(f_so, "tf_00")),
			false);
	c = sym_resolve(s, 2, func_pc(f_so, false, P_SO, "tf_01", func_size(f_so, "tf_01")),
			false);
	CHECK_STR(sym_name(s, a), "[unknown]");
	CHECK_STR(sym_name(s, b), "[unknown]");
	CHECK(a != b);
	CHECK_EQ_U64(b, c);	/* the DSO is shared by pids 1 and 2 */
	CHECK_STR(sym_dso(s, a), "sym_target_pie");
	CHECK_STR(sym_dso(s, b), "sym_target.so");
	CHECK_EQ_U64(sym_addr(s, a), 0);
	/* and one per pid for no mapping, in DSO "[unknown]" */
	a = sym_resolve(s, 1, 0x1000, false);
	b = sym_resolve(s, 2, 0x1000, false);
	c = sym_resolve(s, 1, 0x2000, false);
	CHECK(a != b);
	CHECK_EQ_U64(a, c);
	CHECK_EQ_U64(sym_dso_id(s, a), sym_dso_id(s, b));
	CHECK_STR(sym_dso(s, b), "[unknown]");
	/* no context (pid -1) is a pid like any other */
	a = sym_resolve(s, UINT32_MAX, 0x1000, false);
	CHECK_STR(sym_dso(s, a), "[unknown]");
	CHECK(a != b);
	CHECK_EQ_U64(sym_resolve(s, UINT32_MAX, 0xffffffff81000000ull, true),
		     sym_resolve(s, 5, 0xffffffff81000000ull, true));

	/* forget: the mapping goes, the ids stay */
	{
		uint64_t pc = func_pc(f_pie, false, P_PIE, "tf_02", 3);
		uint32_t old = sym_resolve(s, 1, pc, false), now;
		uint32_t unk = sym_resolve(s, 1, 0x1000, false);
		struct sim_map m2;

		CHECK_STR(sym_name(s, old), "tf_02");
		sym_forget_pid(s, 1);
		now = sym_resolve(s, 1, pc, false);
		CHECK_EQ_U64(now, unk);
		/* the .so's text where the PIE's was */
		m2 = sim_text(&so, P_PIE);
		m2.start = mp.start;
		sym_add_mmap(s, 1, m2.start, m2.len, m2.pgoff, f_so);
		now = sym_resolve(s, 1, pc, false);
		CHECK_STR(sym_dso(s, now), "sym_target.so");
		CHECK(now != old);
		CHECK_STR(sym_name(s, old), "tf_02");
		CHECK_STR(sym_dso(s, old), "sym_target_pie");
		/* pid 2 did not move */
		CHECK_SYM(s, 2, func_pc(f_so, false, P_SO, "tf_06", 1), false, "tf_06",
			  "sym_target.so");
	}
	sym_free(s);
}

/* DSOs: one per (path, device, inode); an unknown inode matches */
static void test_dso_identity(void)
{
	struct sym_ctx *s = ctx_plain();
	uint64_t pc = func_pc(f_so, false, P_SO, "tf_02", 1);
	struct elf_info ei;
	struct sim_map m;
	uint32_t d[6], pid;

	CHECK(s);
	if (!s || !elf_info(f_so, &ei))
		goto out;
	m = sim_text(&ei, P_SO);
	sym_add_mmap2(s, 60, m.start, m.len, m.pgoff, 8, 1, 100, f_so);
	sym_add_mmap2(s, 61, m.start, m.len, m.pgoff, 8, 1, 200, f_so);	/* replaced file */
	sym_add_mmap(s, 62, m.start, m.len, m.pgoff, f_so);		/* inode unknown */
	sym_add_mmap2(s, 63, m.start, m.len, m.pgoff, 8, 2, 100, f_so);	/* other device */
	sym_add_mmap2(s, 64, m.start, m.len, m.pgoff, 8, 1, 100, f_so);
	sym_add_mmap2(s, 65, m.start, m.len, m.pgoff, 8, 1, 100, "/elsewhere/sym_target.so");
	for (pid = 60; pid < 66; pid++) {
		uint32_t id = sym_resolve(s, pid, pc, false);

		d[pid - 60] = sym_dso_id(s, id);
		if (pid < 65)
			CHECK_STR(sym_name(s, id), "tf_02");
		CHECK_STR(sym_dso(s, id), "sym_target.so");
	}
	CHECK(d[0] != d[1]);
	CHECK_EQ_U64(d[2], d[1]);	/* the latest file of that path */
	CHECK(d[3] != d[0] && d[3] != d[1]);
	CHECK_EQ_U64(d[4], d[0]);
	CHECK(d[5] != d[0]);	/* another path (missing: a load failure) */
	CHECK_EQ_U64(sym_stats(s)->dso_load_failures, 1);
	CHECK_EQ_U64(sym_stats(s)->dsos_loaded, 3);
	/* names without a file ignore device and inode */
	sym_add_mmap2(s, 66, 0x1000, 0x1000, 0, 0, 0, 5, "[vdso]");
	sym_add_mmap2(s, 67, 0x1000, 0x1000, 0, 0, 0, 7, "[vdso]");
	CHECK_EQ_U64(sym_dso_id(s, sym_resolve(s, 66, 0x1000, false)),
		     sym_dso_id(s, sym_resolve(s, 67, 0x1000, false)));
out:
	sym_free(s);
}

/* Threads resolve through their process's mappings once named */
static void test_threads(void)
{
	struct sym_ctx *s = ctx_plain();
	uint64_t pc = func_pc(f_pie, false, P_PIE, "tf_06", 2);
	struct elf_info ei;
	struct sim_map m;
	uint32_t unk51;

	CHECK(s);
	if (!s || !elf_info(f_pie, &ei))
		goto out;
	m = sim_text(&ei, P_PIE);
	sym_add_mmap(s, 50, m.start, m.len, m.pgoff, f_pie);
	sym_add_comm(s, 50, "proc50");
	CHECK_SYM(s, 50, pc, false, "tf_06", "sym_target_pie");
	/* thread 51 alone: no mappings (and the answer is cached) */
	unk51 = sym_resolve(s, 51, pc, false);
	CHECK_STR(sym_dso(s, unk51), "[unknown]");
	CHECK(sym_comm(s, 51) == NULL);
	sym_add_thread(s, 51, 50);
	CHECK_SYM(s, 51, pc, false, "tf_06", "sym_target_pie");
	CHECK_EQ_U64(sym_resolve(s, 51, pc, false), sym_resolve(s, 50, pc, false));
	CHECK_STR(sym_comm(s, 51), "proc50");
	sym_add_comm(s, 51, "worker");
	CHECK_STR(sym_comm(s, 51), "worker");
	/* a thread of a thread is a thread of the process */
	sym_add_thread(s, 52, 51);
	CHECK_SYM(s, 52, pc, false, "tf_06", "sym_target_pie");
	/* a mapping the process adds later is the thread's too */
	sym_add_mmap(s, 50, 0x10000, 0x1000, 0, "[jit]");
	CHECK_SYM(s, 51, 0x10010, false, "[unknown]", "[jit]");
	/* the thread exits: no more mappings; the process keeps its own */
	sym_forget_pid(s, 51);
	CHECK_EQ_U64(sym_resolve(s, 51, pc, false), unk51);
	CHECK_SYM(s, 50, pc, false, "tf_06", "sym_target_pie");
	sym_add_thread(s, 50, 50);	/* no-op */
	CHECK_SYM(s, 50, pc, false, "tf_06", "sym_target_pie");
out:
	sym_free(s);
}

/*
 * Side-band policy, shared by replay and live.  A COMM, an exec's too,
 * keeps the process's mappings: samples of the old image may come after
 * it (file order is not time order), and the new image's MMAPs replace
 * what they overlap.  The kernel's pid -1 mappings are not a process's.
 */
static void test_comm_exec(void)
{
	struct sym_ctx *s = ctx_plain();
	uint64_t pc = func_pc(f_pie, false, P_PIE, "tf_06", 2);
	struct elf_info ei;
	struct sim_map m;

	CHECK(s);
	if (!s || !elf_info(f_pie, &ei))
		goto out;
	m = sim_text(&ei, P_PIE);
	sym_add_mmap(s, 60, m.start, m.len, m.pgoff, f_pie);
	CHECK_SYM(s, 60, pc, false, "tf_06", "sym_target_pie");
	sym_comm_event(s, 60, 60, "newimage");
	CHECK_SYM(s, 60, pc, false, "tf_06", "sym_target_pie");
	CHECK_STR(sym_comm(s, 60), "newimage");
	/* the new image's mapping over the old (answered before from the
	 * memo and the cache: both must forget it) */
	sym_add_mmap(s, 60, m.start, m.len, m.pgoff, "[newimage]");
	CHECK_SYM(s, 60, pc, false, "[unknown]", "[newimage]");
	/* a COMM from a thread links it to the process and names the
	 * thread, not the process */
	sym_comm_event(s, 60, 61, "worker");
	CHECK_SYM(s, 61, pc, false, "[unknown]", "[newimage]");
	CHECK_STR(sym_comm(s, 61), "worker");
	CHECK_STR(sym_comm(s, 60), "newimage");
	/* perf.data's kernel and module maps, pid -1 */
	sym_add_mmap(s, UINT32_MAX, m.start, m.len, m.pgoff, f_pie);
	CHECK_SYM(s, UINT32_MAX, pc, false, "[unknown]", "[unknown]");
out:
	sym_free(s);
}

/* A mapping over part of another splits it (the right part keeps its file offsets) */
static void test_overlap(void)
{
	struct sym_ctx *s = ctx_plain();
	struct elf_info ei;
	struct sim_map m;
	struct nm_list nm = nm_read(f_pie, false);
	const struct nm_sym *t4 = nm_find(&nm, "tf_04"), *t11 = nm_find(&nm, "tf_11");
	const struct nm_sym *t0 = nm_find(&nm, "tf_00");
	uint64_t hole;

	CHECK(s && t4 && t11 && t0);
	if (!s || !t4 || !t11 || !t0 || !elf_info(f_pie, &ei))
		goto out;
	m = sim_whole(&ei, 0x7e0000000000ull);
	sym_add_mmap(s, 9, m.start, m.len, m.pgoff, f_pie);
	CHECK_SYM(s, 9, sim_pc(&ei, &m, t4->addr + 0x100), false, "tf_04", "sym_target_pie");
	/* an anonymous page over the middle of tf_04 */
	hole = sim_pc(&ei, &m, t4->addr + t4->size / 2);
	sym_add_mmap(s, 9, hole, 0x100, 0, "//anon");
	CHECK_SYM(s, 9, hole + 0x10, false, "[unknown]", "//anon");
	CHECK_SYM(s, 9, hole - 1, false, "tf_04", "sym_target_pie");
	CHECK_SYM(s, 9, hole + 0x100, false, "tf_04", "sym_target_pie");
	CHECK_SYM(s, 9, sim_pc(&ei, &m, t11->addr), false, "tf_11", "sym_target_pie");
	CHECK_SYM(s, 9, sim_pc(&ei, &m, t0->addr), false, "tf_00", "sym_target_pie");
	/* and an exact replacement */
	sym_add_mmap(s, 9, m.start, m.len, m.pgoff, "[anon:x]");
	CHECK_SYM(s, 9, sim_pc(&ei, &m, t11->addr), false, "[unknown]", "[anon:x]");
	CHECK_SYM(s, 9, hole + 0x10, false, "[unknown]", "[anon:x]");
out:
	sym_free(s);
	free(nm.v);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the host: this process, live ------------------------------------------------ */

int sym_test_marker(int x);

__attribute__((noinline)) int sym_test_marker(int x)
{
	static volatile int v;

	v += x;
	return v * 5 + 3;
}

static void test_host_self(void)
{
	struct sym_opts o = { .proc_root = "/proc", .live = true, .kallsyms = NULL };
	struct sym_ctx *s = sym_new(&o);
	double t0;
	uint64_t pc = (uint64_t)(uintptr_t)&sym_test_marker;
	uint64_t pc_pid = (uint64_t)(uintptr_t)&getpid;
	uint32_t pid = (uint32_t)getpid(), id;
	char exe[PATH_MAX];
	ssize_t n;

	CHECK(s);
	if (!s)
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	id = sym_resolve(s, pid, pc + 1, false);
	CHECK_STR(sym_name(s, id), "sym_test_marker");
	CHECK_STR(sym_dso(s, id), base_name(exe));
	CHECK_EQ_U64(sym_addr(s, id), pc);
	/* libc, through .dynsym on a stripped system library */
	t0 = now_s();
	id = sym_resolve(s, pid, pc_pid, false);
	t0 = now_s() - t0;
	CHECK_HAS(sym_name(s, id), "getpid");
	CHECK_HAS(sym_dso(s, id), "libc");
	printf("  host: %s in %s; getpid in %s (first lookup, loading it: %.2f ms)\n",
	       "sym_test_marker", base_name(exe), sym_dso(s, id), t0 * 1e3);
	/* this very function */
	id = sym_resolve(s, pid, (uint64_t)(uintptr_t)&test_host_self, false);
	CHECK_STR(sym_name(s, id), "test_host_self");
	CHECK_STR(sym_comm(s, pid), "test_sym");
	sym_free(s);
}

/* The host's kallsyms, when it shows addresses: a symbol read here resolves */
static void test_host_kallsyms(void)
{
	struct sym_opts o = { .proc_root = "/proc", .kallsyms = SYM_KALLSYMS_DEFAULT };
	double t0 = now_s();
	struct sym_ctx *s = sym_new(&o);
	double t1 = now_s();
	char line[512], name[256], type;
	unsigned long long addr;
	int checked = 0;
	FILE *f;

	CHECK(s);
	if (!s)
		return;
	printf("  host kallsyms: %" PRIu64 " text symbols in %.0f ms%s%s\n",
	       sym_stats(s)->kernel_syms, (t1 - t0) * 1e3,
	       sym_warning(s) ? "; warning: " : "", sym_warning(s) ? sym_warning(s) : "");
	f = fopen("/proc/kallsyms", "r");
	while (f && sym_stats(s)->kernel_syms && fgets(line, sizeof(line), f) && checked < 200) {
		uint32_t id;

		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || type != 'T' ||
		    strchr(line, '['))
			continue;
		/* the table keeps one name per address: check the address */
		id = sym_resolve(s, 0, addr, true);
		CHECK_EQ_U64(sym_addr(s, id), addr);
		CHECK_STR(sym_dso(s, id), "[kernel.kallsyms]");
		checked++;
	}
	if (f)
		fclose(f);
	sym_free(s);
}

/* ---- cache --------------------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	return check_xorshift(&rng_state);
}

struct world {
	struct sim_map m[4];
	struct elf_info ei[4];
	const char *file[4];
};

static void world_setup(struct sym_ctx *s, struct world *w)
{
	int i;

	for (i = 0; i < 4; i++)
		sym_add_mmap(s, (uint32_t)(10 + i), w->m[i].start, w->m[i].len, w->m[i].pgoff,
			     w->file[i]);
	/* pid 14 maps the PIE and the .so */
	sym_add_mmap(s, 14, w->m[0].start, w->m[0].len, w->m[0].pgoff, w->file[0]);
	sym_add_mmap(s, 14, w->m[1].start, w->m[1].len, w->m[1].pgoff, w->file[1]);
}

static uint64_t *make_pool(const struct world *w, size_t n, uint32_t *pids, bool *kern)
{
	uint64_t *pool = malloc(n * sizeof(*pool));
	size_t i;

	for (i = 0; pool && i < n; i++) {
		uint64_t r = rng();
		int k = (int)(r % 4);

		pids[i] = (uint32_t)(10 + (r >> 8) % 5);
		kern[i] = (r >> 16) % 8 == 0;
		if (kern[i])
			pool[i] = 0xffffffff80fff000ull + (r >> 24) % 0x3000 +
				  ((r >> 40) & 1 ? 0x3f001000ull : 0);
		else if ((r >> 20) % 16 == 0)
			pool[i] = (r >> 24) & 0xffffffffffull;	/* no mapping */
		else
			pool[i] = w->m[k].start + (r >> 24) % w->m[k].len;
	}
	return pool;
}


static void test_cache(void)
{
	/* a: a cache with room for the whole pool (2^15 entries, not the
	 * default), so the steady state must hit */
	struct sym_opts o = { .proc_root = tmp, .kallsyms = SYM_KALLSYMS_DEFAULT,
			      .cache_bits = 15 };
	struct sym_ctx *a, *b, *c, *d;
	/* d: the default cache, resolving through sym_resolve_many() in
	 * batches of random sizes, each checked against b's answers */
	struct sym_req rq[64];
	uint32_t want[64];
	size_t nrq = 0, rq_want = 1, batches = 0, batch_bad = 0;
	const size_t pool_n = 4000, steady = 200000, rounds = steady + 150 * 200;
	uint64_t steady_hits = 0;
	uint32_t *pids = malloc(pool_n * sizeof(*pids));
	bool *kern = malloc(pool_n * sizeof(*kern));
	uint64_t *pool;
	struct world w;
	size_t i, bad = 0, invalidations = 0;
	int k;

	w.file[0] = f_pie;
	w.file[1] = f_so;
	w.file[2] = f_nopie;
	w.file[3] = f_strip;
	for (k = 0; k < 4; k++) {
		CHECK(elf_info(w.file[k], &w.ei[k]));
		w.m[k] = k & 1 ? sim_text(&w.ei[k], 0x7f0000000000ull + (uint64_t)k * 0x10000000)
			       : sim_whole(&w.ei[k], w.ei[k].dyn ? 0x560000000000ull : 0x400000);
	}
	a = sym_new(&o);
	o.cache_bits = -1;
	b = sym_new(&o);
	o.cache_bits = 3;
	c = sym_new(&o);
	o.cache_bits = 0;
	d = sym_new(&o);
	CHECK(a && b && c && d && pids && kern);
	if (!a || !b || !c || !d || !pids || !kern)
		goto out;
	world_setup(a, &w);
	world_setup(b, &w);
	world_setup(c, &w);
	world_setup(d, &w);
	pool = make_pool(&w, pool_n, pids, kern);
	for (i = 0; pool && i < rounds; i++) {
		size_t j = rng() % pool_n;
		uint32_t ia = sym_resolve(a, pids[j], pool[j], kern[j]);
		uint32_t ib = sym_resolve(b, pids[j], pool[j], kern[j]);
		uint32_t ic = sym_resolve(c, pids[j], pool[j], kern[j]);

		if (ia != ib || ic != ib || ia == SYM_ID_NONE) {
			if (bad++ < 5)
				printf("  pid %u pc 0x%" PRIx64 ": %u %u %u\n", pids[j], pool[j], ia,
				       ib, ic);
		}
		rq[nrq] = (struct sym_req){ .pc = pool[j], .pid = pids[j], .kernel = kern[j] };
		want[nrq++] = ib;
		/* a batch ends at its size, and before the mappings change */
		if (nrq == rq_want || (i >= steady && (i % 200 == 199 || i % 10000 == 9999 ||
						       i == rounds - 2000))) {
			sym_resolve_many(d, rq, nrq);
			for (size_t q = 0; q < nrq; q++)
				batch_bad += rq[q].id != want[q];
			batches++;
			nrq = 0;
			rq_want = 1 + rng() % 64;
		}
		if (i == steady - 1)
			steady_hits = sym_stats(a)->cache_hits;
		/* then mappings change (more often than the cache has generations) */
		if (i >= steady && i % 200 == 199) {
			uint32_t pid = (uint32_t)(10 + rng() % 5);
			int m = (int)(rng() % 4);

			sym_add_mmap(a, pid, w.m[m].start, w.m[m].len, w.m[m].pgoff, w.file[m]);
			sym_add_mmap(b, pid, w.m[m].start, w.m[m].len, w.m[m].pgoff, w.file[m]);
			sym_add_mmap(c, pid, w.m[m].start, w.m[m].len, w.m[m].pgoff, w.file[m]);
			sym_add_mmap(d, pid, w.m[m].start, w.m[m].len, w.m[m].pgoff, w.file[m]);
			invalidations++;
		}
		if (i >= steady && (i % 10000 == 9999 || i == rounds - 2000)) {
			sym_forget_pid(a, 14);
			sym_forget_pid(b, 14);
			sym_forget_pid(c, 14);
			sym_forget_pid(d, 14);
			world_setup(a, &w);
			world_setup(b, &w);
			world_setup(c, &w);
			world_setup(d, &w);
		}
	}
	CHECK(pool != NULL);
	CHECK_EQ_U64(bad, 0);
	CHECK_EQ_U64(batch_bad, 0);
	CHECK(batches > 1000);
	CHECK_EQ_U64(sym_stats(d)->lookups, rounds - nrq);
	CHECK(invalidations > 140);
	/* names too (ids matched, but the tables are separate) */
	for (i = 0; i < sym_count(b); i++) {
		CHECK_STR(sym_name(a, (uint32_t)i), sym_name(b, (uint32_t)i));
		CHECK_STR(sym_dso(a, (uint32_t)i), sym_dso(b, (uint32_t)i));
	}
	CHECK(sym_count(b) > 50);
	CHECK_EQ_U64(sym_stats(a)->lookups, rounds);
	CHECK(steady_hits > steady * 9 / 10);
	CHECK_EQ_U64(sym_stats(b)->cache_hits, 0);
	CHECK(sym_stats(c)->cache_hits > 0);
	CHECK(sym_stats(c)->cache_hits < sym_stats(a)->cache_hits);
	printf("  %zu lookups: hits %" PRIu64 " (2^15 entries), %" PRIu64 " (8 entries), %u ids\n",
	       rounds, sym_stats(a)->cache_hits, sym_stats(c)->cache_hits, sym_count(a));
	free(pool);
out:
	sym_free(a);
	sym_free(b);
	sym_free(c);
	sym_free(d);
	free(pids);
	free(kern);
}

/* A small cap on loaded symbol tables: DSOs are evicted and reloaded, ids hold */
static void test_evict(void)
{
	struct sym_opts o = { .proc_root = tmp, .max_sym_bytes = 1 };
	struct sym_ctx *s = sym_new(&o);
	uint64_t p1 = func_pc(f_pie, false, P_PIE, "tf_08", 5);
	uint64_t p2 = func_pc(f_so, false, P_SO, "tf_08", 5);
	struct elf_info pie, so;
	struct sim_map mp, ms;
	uint32_t a, b;
	int i;

	CHECK(s);
	if (!s || !elf_info(f_pie, &pie) || !elf_info(f_so, &so))
		goto out;
	mp = sim_text(&pie, P_PIE);
	ms = sim_text(&so, P_SO);
	sym_add_mmap(s, 3, mp.start, mp.len, mp.pgoff, f_pie);
	sym_add_mmap(s, 3, ms.start, ms.len, ms.pgoff, f_so);
	a = sym_resolve(s, 3, p1, false);
	b = sym_resolve(s, 3, p2, false);
	CHECK_STR(sym_name(s, a), "tf_08");
	CHECK_STR(sym_name(s, b), "tf_08");
	CHECK(a != b);
	for (i = 0; i < 4; i++) {
		/* a PC not cached yet forces a lookup, so a reload */
		CHECK_SYM(s, 3, p1 + 1 + (uint64_t)i, false, "tf_08", "sym_target_pie");
		CHECK_EQ_U64(sym_resolve(s, 3, p1 + 1 + (uint64_t)i, false), a);
		CHECK_SYM(s, 3, p2 + 1 + (uint64_t)i, false, "tf_08", "sym_target.so");
		CHECK_EQ_U64(sym_resolve(s, 3, p2 + 1 + (uint64_t)i, false), b);
	}
	CHECK_EQ_U64(sym_stats(s)->dsos_loaded, 10);
	/*
	 * A lookup that loads the .so (evicting the PIE's table) but finds
	 * no segment for its PC (the text mapping's page tail past the
	 * segment's file size) must not leave a shortcut into the PIE's
	 * freed table: the next PIE PC reloads it.
	 */
	{
		const struct load *t = elf_text(&so);
		uint64_t tail = ms.start + ms.len - 1;

		CHECK_SYM(s, 3, p1 + 5, false, "tf_08", "sym_target_pie");
		if ((t->off + t->filesz) % 4096) {
			CHECK_SYM(s, 3, tail, false, "[unknown]", "sym_target.so");
			CHECK_SYM(s, 3, p1 + 6, false, "tf_08", "sym_target_pie");
			CHECK_EQ_U64(sym_stats(s)->dsos_loaded, 13);
		} else {
			printf("  info: the .so's text ends on a page: no tail to test\n");
		}
	}
out:
	sym_free(s);
}

/* Information only: ns per lookup, cached and not */
static void test_speed(void)
{
	struct sym_opts o = { .proc_root = tmp, .kallsyms = SYM_KALLSYMS_DEFAULT };
	struct sym_ctx *s = sym_new(&o), *u;
	struct elf_info ei[2];
	struct sim_map m[2];
	uint64_t pcs[1024], sum = 0, *many;
	const size_t nmany = 1 << 20;
	double t0, t1, t2, t3;
	size_t i, n = 20000000;

	o.cache_bits = -1;
	u = sym_new(&o);
	many = malloc(nmany * sizeof(*many));
	CHECK(s && u && many);
	if (!s || !u || !many || !elf_info(f_pie, &ei[0]) || !elf_info(f_so, &ei[1]))
		goto out;
	m[0] = sim_text(&ei[0], P_PIE);
	m[1] = sim_text(&ei[1], P_SO);
	sym_add_mmap(s, 1, m[0].start, m[0].len, m[0].pgoff, f_pie);
	sym_add_mmap(s, 1, m[1].start, m[1].len, m[1].pgoff, f_so);
	sym_add_mmap(u, 1, m[0].start, m[0].len, m[0].pgoff, f_pie);
	sym_add_mmap(u, 1, m[1].start, m[1].len, m[1].pgoff, f_so);
	for (i = 0; i < 1024; i++)
		pcs[i] = m[i & 1].start + rng() % m[i & 1].len;
	for (i = 0; i < nmany; i++)
		many[i] = m[i & 1].start + rng() % m[i & 1].len;
	for (i = 0; i < 1024; i++)
		sum += sym_resolve(s, 1, pcs[i], false);
	t0 = now_s();
	for (i = 0; i < n; i++)
		sum += sym_resolve(s, 1, pcs[i & 1023], false);
	t1 = now_s();
	sum += sym_resolve(u, 1, many[0], false);
	t2 = now_s();
	for (i = 0; i < nmany; i++)
		sum += sym_resolve(u, 1, many[i], false);
	t3 = now_s();
	printf("  info: cached %.1f ns/lookup, uncached %.1f ns/lookup (checksum %" PRIu64 ")\n",
	       (t1 - t0) * 1e9 / (double)n, (t3 - t2) * 1e9 / (double)nmany, sum);
out:
	free(many);
	sym_free(s);
	sym_free(u);
}

/*
 * symtab_find() through the bucket index agrees with a linear scan, on
 * random tables: dense and sparse symbols, gaps, a far-away cluster (a
 * kernel's modules), one or two symbols, spans up to the whole address
 * space; addresses at every start and end and around every bucket bound.
 */
static uint32_t find_linear(const struct symtab *t, uint64_t a)
{
	uint32_t best = SYM_NONE32;

	for (uint32_t i = 0; i < t->n; i++)
		if (t->span[i].start <= a)
			best = i;
	return best != SYM_NONE32 && a < t->span[best].end ? best : SYM_NONE32;
}

static void test_symtab_index(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ull, checks = 0, bad = 0;

	for (int round = 0; round < 400; round++) {
		struct symtab t = { 0 };
		uint32_t n = round < 4 ? (uint32_t)round + 1 : 1 + (uint32_t)(check_xorshift(&x) % 3000);
		uint64_t a = round % 7 == 0 ? UINT64_MAX - (uint64_t)n * 64 * 1024 :
			     check_xorshift(&x) % (1ull << 40);

		t.span = malloc(n * sizeof(*t.span));
		if (!t.span)
			abort();
		for (uint32_t i = 0; i < n; i++) {
			uint64_t step = 1 + check_xorshift(&x) % (round % 3 ? 64 : 4096);

			if (round % 5 == 1 && i == n / 2)	/* a far cluster */
				step = 1ull << (20 + round % 30);
			if (i && a + step < a)
				step = 1;
			a += i ? step : 0;
			t.span[i].start = a;
			/* sized, unsized (up to the next) or a gap after it */
			t.span[i].end = a + 1 + check_xorshift(&x) % (step + 8);
		}
		t.n = n;
		/* keep the table sorted and distinct when wrapped near the top */
		for (uint32_t i = 1; i < n; i++)
			if (t.span[i].start <= t.span[i - 1].start) {
				t.n = i;
				break;
			}
		symtab_index(&t);
		CHECK(t.n < 2 || t.bkt);
		CHECK(t.nbkt <= SYMTAB_BKT_PER_SYM * (uint64_t)t.n + 1);
		for (uint32_t i = 0; i < t.n; i++) {
			uint64_t probe[4] = {
				t.span[i].start, t.span[i].start - 1, t.span[i].end, t.span[i].end - 1,
			};

			for (int k = 0; k < 4; k++) {
				checks++;
				if (symtab_find(&t, probe[k]) != find_linear(&t, probe[k]))
					bad++;
			}
		}
		/* both sides of every bucket bound, the last one's too */
		for (uint64_t j = 0; t.bkt && j <= t.nbkt; j++) {
			uint64_t at = t.span[0].start + (j << t.bkt_shift);

			for (int k = 0; k < 2; k++) {
				checks++;
				if (symtab_find(&t, at - (uint64_t)k) != find_linear(&t, at - (uint64_t)k))
					bad++;
			}
		}
		for (int k = 0; k < 200; k++) {
			uint64_t p = t.span[0].start + check_xorshift(&x) % (t.span[t.n - 1].start - t.span[0].start + 100);

			checks++;
			if (symtab_find(&t, p) != find_linear(&t, p))
				bad++;
		}
		symtab_free(&t);
	}
	printf("  %" PRIu64 " lookups against a linear scan, %" PRIu64 " differ\n", checks, bad);
	CHECK(checks > 100000);
	CHECK_EQ_U64(bad, 0);
}

int main(void)
{
	char exe[sizeof(dir)], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0) {
		printf("cannot read /proc/self/exe\n");
		return 1;
	}
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	*slash = '\0';
	snprintf(dir, sizeof(dir), "%s", exe);
	path_of(f_pie, sizeof(f_pie), "sym_target_pie");
	path_of(f_so, sizeof(f_so), "sym_target.so");
	path_of(f_nopie, sizeof(f_nopie), "sym_target_nopie");
	path_of(f_strip, sizeof(f_strip), "sym_target_stripped.so");
	snprintf(tmp, sizeof(tmp), "/tmp/spetop-sym.XXXXXX");
	if (!mkdtemp(tmp)) {
		printf("mkdtemp: %s\n", strerror(errno));
		return 1;
	}

	RUN_TEST(test_symtab_index);
	RUN_TEST(test_elf_whole_file);
	RUN_TEST(test_elf_text_segment);
	RUN_TEST(test_proc_live);
	RUN_TEST(test_kallsyms_hidden);
	RUN_TEST(test_resolve_dso);
	RUN_TEST(test_ids);
	RUN_TEST(test_dso_identity);
	RUN_TEST(test_threads);
	RUN_TEST(test_comm_exec);
	RUN_TEST(test_overlap);
	RUN_TEST(test_host_self);
	RUN_TEST(test_host_kallsyms);
	RUN_TEST(test_cache);
	RUN_TEST(test_evict);
	RUN_TEST(test_speed);
	printf("  (%d address checks against nm)\n", checks_done);
	rm_rf(tmp);
	CHECK_DONE();
}
