/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spetop's symbolisation: sample PCs to (symbol, DSO).
 *
 * Kernel PCs resolve through kallsyms, user PCs through the process's
 * mappings (side-band PERF_RECORD_MMAP2/COMM, or <proc_root>/PID/maps when
 * live) and the ELF symbol tables of the mapped files.  Every PC gets a
 * symbol id: a small dense integer (0, 1, 2, ... in order of first
 * appearance) that stays valid, with its name, DSO and address, until
 * sym_free().  The PC range of the last user mapping resolved, then a
 * direct-mapped cache keyed by (pid, pc), answer repeated lookups.  Not
 * thread-safe: one context per thread.
 */
#ifndef SPETOP_SYM_H
#define SPETOP_SYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sym_ctx;

struct sym_opts {
	const char *proc_root;	/* "/proc" or a test tree; NULL: "/proc" */
	bool live;		/* read <proc_root>/PID/maps (and comm) on a miss */
	/*
	 * kallsyms file: NULL disables kernel symbols, "" (SYM_KALLSYMS_DEFAULT)
	 * means <proc_root>/kallsyms.
	 */
	const char *kallsyms;
	/* Optional (zero: default) */
	size_t max_sym_bytes;	/* symbol tables kept loaded (LRU); 0: 256 MiB */
	int cache_bits;		/* log2 cache entries: 0: 10, < 0: no cache */
};

#define SYM_KALLSYMS_DEFAULT	""
#define SYM_ID_NONE		0xffffffffu

/* @o may be NULL (no kernel symbols, not live).  NULL on ENOMEM.  Reads kallsyms now. */
struct sym_ctx *sym_new(const struct sym_opts *o);
void sym_free(struct sym_ctx *s);

/*
 * The id of the symbol containing @pc in @pid's address space (kernel: pc in
 * the kernel half, @kernel true; @pid ignored).  Unresolvable PCs get
 * "[unknown]" ids: one per DSO, and one per pid for PCs in no known mapping
 * (DSO "[unknown]").  SYM_ID_NONE only on ENOMEM.
 */
uint32_t sym_resolve(struct sym_ctx *s, uint32_t pid, uint64_t pc, bool kernel);
/*
 * sym_dso_id(sym_resolve()), without loading symbol tables when the PC
 * lies in a known user mapping: what grouping by DSO needs.
 */
uint32_t sym_resolve_dso(struct sym_ctx *s, uint32_t pid, uint64_t pc, bool kernel);

/* One lookup of a batch */
struct sym_req {
	uint64_t pc;
	uint32_t pid;
	uint32_t id;		/* out: the id, or SYM_ID_NONE */
	bool kernel;
};
/*
 * rq[i].id = sym_resolve() of each request, in order: the hot path, one
 * call per batch rather than per sample, the lookup inlined.
 */
void sym_resolve_many(struct sym_ctx *s, struct sym_req *rq, size_t n);

/* Per id; the strings live until sym_free() */
const char *sym_name(const struct sym_ctx *s, uint32_t id);	/* "memcpy", "[unknown]" */
/* basename: "libc.so.6", "[kernel.kallsyms]", "[mod]", "[vdso]", "[unknown]" */
const char *sym_dso(const struct sym_ctx *s, uint32_t id);
uint32_t sym_dso_id(const struct sym_ctx *s, uint32_t id);	/* dense DSO ids from 0 */
/*
 * Symbol start as a runtime address (for a user symbol: in the mapping
 * through which the id was first resolved); 0 for "[unknown]" ids.
 */
uint64_t sym_addr(const struct sym_ctx *s, uint32_t id);
const char *sym_dso_name(const struct sym_ctx *s, uint32_t dso_id);
uint32_t sym_count(const struct sym_ctx *s);		/* ids handed out so far */
uint32_t sym_dso_count(const struct sym_ctx *s);	/* DSO ids so far */

/*
 * Side-band, from perf.data in replay or the ring in live capture.  A
 * mapping replaces what it overlaps, as mmap() does.  @filename: a path
 * (ELF symbols loaded on the first PC in it), "" or "//anon" (anonymous),
 * "[vdso]", "[heap]"...: a DSO without symbols.  Kernel PCs never look at
 * mappings, so the kernel's and modules' (pid -1) are ignored.
 */
void sym_add_mmap(struct sym_ctx *s, uint32_t pid, uint64_t start, uint64_t len,
		  uint64_t pgoff, const char *filename);
/*
 * The same with PERF_RECORD_MMAP2's device and inode (0: unknown), which
 * tell apart files replaced under the same path (and containers' files)
 */
void sym_add_mmap2(struct sym_ctx *s, uint32_t pid, uint64_t start, uint64_t len,
		   uint64_t pgoff, uint32_t maj, uint32_t min, uint64_t ino,
		   const char *filename);
/*
 * Thread @tid of process @pid (PERF_RECORD_FORK/COMM carry both): PCs
 * sampled with @tid resolve through @pid's mappings.  SPE's context is
 * the thread id; side-band mappings come per process.
 */
void sym_add_thread(struct sym_ctx *s, uint32_t tid, uint32_t pid);
void sym_add_comm(struct sym_ctx *s, uint32_t pid, const char *comm);
/*
 * A PERF_RECORD_COMM, from replay or live: thread @tid of @pid named
 * @comm (the process too when @tid is its main thread).  One that says
 * the process exec'd (PERF_RECORD_MISC_COMM_EXEC) keeps its mappings, as
 * perf does: side-band and AUX data come in file (or ring) order, not
 * time order, so samples of the old image can follow the COMM; the new
 * image's MMAPs replace what they overlap.
 */
void sym_comm_event(struct sym_ctx *s, uint32_t pid, uint32_t tid, const char *comm);
/* Drop the pid's mappings or thread link (ids stay valid).  The tools
 * do not call it on exec or exit: see sym_comm_event() for why. */
void sym_forget_pid(struct sym_ctx *s, uint32_t pid);
/*
 * From side-band (a thread's own, else its process's), else
 * <proc_root>/PID/comm when live (read once), else NULL.  The string lives
 * until sym_free().
 */
const char *sym_comm(struct sym_ctx *s, uint32_t pid);

struct sym_stats {
	uint64_t lookups;
	uint64_t cache_hits;		/* answered by the PC cache (not those
					 * the last mapping's range answered) */
	uint64_t dsos_loaded;		/* symbol table loads (again after eviction) */
	uint64_t dso_load_failures;	/* files missing, unreadable, not ELF: once each */
	uint64_t kernel_syms;		/* kallsyms text symbols kept */
};
const struct sym_stats *sym_stats(const struct sym_ctx *s);

/* One line about missing kernel symbols, or NULL */
const char *sym_warning(const struct sym_ctx *s);

#endif
