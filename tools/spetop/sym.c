// SPDX-License-Identifier: GPL-2.0-only
/*
 * spetop's symbolisation: the context, symbol ids, the (pid, pc) cache,
 * processes and their mappings, DSOs and their loading.
 *
 * Lookup: a direct-mapped cache of (pid, pc, kernel) -> id; on a miss, the
 * kernel table (kallsyms) or the process's sorted mappings, then the DSO's
 * PT_LOAD segments (file offset -> ELF address) and its sorted symbols,
 * both by binary search.  Ids are handed out on first resolution, so they
 * are dense and count only symbols that were seen.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "sym.h"
#include "sym_int.h"

#define KERNEL_DSO		"[kernel.kallsyms]"
#define DEFAULT_MAX_BYTES	((size_t)256 << 20)
/* The (pid, PC) -> id cache catches hot loops; it stays small (16 KiB)
 * because on spread-out PCs it misses anyway, and at 2^15 entries (512
 * KiB) it pushed spetop's other data out of cache: -g symbol on the
 * bench trace ran 1.07 s with it, 1.04 s without, 1.04 s at 2^10. */
#define DEFAULT_CACHE_BITS	10
#define MAPS_REREAD_NS		100000000ull	/* per pid, at most every 100 ms */

/* Cache entry value: id in the low bits, then the kernel flag, then the generation */
#define CV_ID_BITS	24
#define CV_ID_MASK	((1u << CV_ID_BITS) - 1)
#define CV_KERNEL	(1u << CV_ID_BITS)
#define CV_GEN_SHIFT	(CV_ID_BITS + 1)
#define CV_GEN_MAX	((1u << (32 - CV_GEN_SHIFT)) - 1)

struct cache_ent {
	uint64_t pc;
	uint32_t pid;
	uint32_t v;
};

enum dso_state { DSO_NEW, DSO_LOADED, DSO_FAILED, DSO_NOSYMS, DSO_EVICTED };

struct dso {
	char *path;		/* " (deleted)" cut */
	const char *name;	/* basename, or the whole special name */
	uint64_t dev, ino;	/* 0: unknown */
	uint32_t id;
	uint32_t unknown_id;
	uint8_t state;
	bool deleted, kernel;
	struct dso_seg *segs;
	uint32_t nsegs;
	struct symtab st;
	uint32_t *ids;		/* per symbol; kept when the table is evicted */
	uint32_t nids;
	uint64_t last_use;
	uint64_t hash;
	struct dso *hnext;
};

struct map {
	uint64_t start, end, pgoff;
	struct dso *dso;
};

struct proc {
	uint32_t pid;
	uint32_t unknown_id;
	struct proc *leader;	/* a thread: the process whose mappings it uses */
	struct map *maps;
	uint32_t nmaps, cap;
	uint32_t last_map;	/* the map found last: samples of a process
				 * mostly fall in one (its text) */
	const char *comm;
	uint64_t maps_read_ns;	/* last read of PID/maps, 0: never */
	bool comm_tried;
	bool cached_unmapped;	/* the cache may hold its per-pid unknown */
	int8_t foreign_ns;	/* -1: not checked, 0/1: same/other mount namespace */
};

struct sym_id {
	const char *name;
	uint64_t addr;
	uint32_t dso;
};

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	char data[];
};

/*
 * The user PC range resolved last: [lo, lo + len) of @pid lies in one
 * mapping and one PT_LOAD segment of @d, at ELF address pc + delta.
 * Samples mostly come from one process's text, and this skips the
 * process, mapping, DSO and segment lookups (a chain of dependent loads)
 * there; it is checked before the PC cache (see resolve()).  d == NULL:
 * none.  Cleared whenever the cache is invalidated and when its DSO's
 * table is evicted.
 */
struct user_memo {
	uint64_t lo, len, delta;
	struct dso *d;
	uint32_t pid;
};

struct sym_ctx {
	char *proc_root;
	bool live;
	size_t max_bytes;
	struct sym_stats st;
	char *warning;

	struct cache_ent *cache;
	unsigned int cache_shift;
	uint32_t gen;
	struct user_memo memo;

	struct sym_id *ids;
	uint32_t nids, cap_ids;

	struct dso **dsos;
	uint32_t ndsos, cap_dsos;
	struct dso **dso_hash;
	uint32_t dso_hash_size;
	size_t loaded_bytes;
	uint64_t tick;

	struct proc **procs;
	uint32_t nprocs, procs_size;

	const char **comms;
	uint32_t ncomms, comms_size;

	struct arena_chunk *arena;

	struct symtab ktab;
	uint32_t *kids;
	struct dso *kernel_dso;
	struct dso *unknown_dso;

	char self_ns[64];
	int self_ns_state;	/* 0: not read, 1: read, -1: unreadable */
};

static const char UNKNOWN[] = "[unknown]";

/* ---- strings ------------------------------------------------------------ */

static const char *arena_dup(struct sym_ctx *s, const char *str, size_t len)
{
	struct arena_chunk *c = s->arena;
	char *p;

	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > 65536 - sizeof(*c) ? len + 1 : 65536 - sizeof(*c);

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->next = s->arena;
		c->used = 0;
		c->size = size;
		s->arena = c;
	}
	p = c->data + c->used;
	memcpy(p, str, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

static uint64_t str_hash(const char *str, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)str[i]) * 0x100000001b3ull;
	return h;
}

/* comm strings, interned so that they live until sym_free() */
static const char *comm_intern(struct sym_ctx *s, const char *comm)
{
	size_t len = strnlen(comm, 256);
	uint32_t i, mask;
	const char *p;

	if (s->ncomms * 2 >= s->comms_size) {
		uint32_t size = s->comms_size ? s->comms_size * 2 : 256, j;
		const char **t = calloc(size, sizeof(*t));

		if (!t)
			return NULL;
		for (j = 0; j < s->comms_size; j++) {
			const char *c = s->comms[j];

			if (!c)
				continue;
			i = (uint32_t)str_hash(c, strlen(c)) & (size - 1);
			while (t[i])
				i = (i + 1) & (size - 1);
			t[i] = c;
		}
		free(s->comms);
		s->comms = t;
		s->comms_size = size;
	}
	mask = s->comms_size - 1;
	for (i = (uint32_t)str_hash(comm, len) & mask; s->comms[i]; i = (i + 1) & mask) {
		if (!strncmp(s->comms[i], comm, len) && !s->comms[i][len])
			return s->comms[i];
	}
	p = arena_dup(s, comm, len);
	if (!p)
		return NULL;
	s->comms[i] = p;
	s->ncomms++;
	return p;
}

/* ---- ids ---------------------------------------------------------------- */

static uint32_t new_id(struct sym_ctx *s, const char *name, uint64_t addr, uint32_t dso)
{
	struct sym_id *e;

	if (s->nids == s->cap_ids) {
		uint32_t cap = s->cap_ids ? s->cap_ids * 2 : 1024;
		struct sym_id *v;

		if (cap >= SYM_ID_NONE)
			return SYM_ID_NONE;
		v = realloc(s->ids, cap * sizeof(*v));
		if (!v)
			return SYM_ID_NONE;
		s->ids = v;
		s->cap_ids = cap;
	}
	if (name != UNKNOWN) {
		name = arena_dup(s, name, strlen(name));
		if (!name)
			return SYM_ID_NONE;
	}
	e = &s->ids[s->nids];
	e->name = name;
	e->addr = addr;
	e->dso = dso;
	return s->nids++;
}

static uint32_t dso_unknown(struct sym_ctx *s, struct dso *d)
{
	if (d->unknown_id == SYM_ID_NONE)
		d->unknown_id = new_id(s, UNKNOWN, 0, d->id);
	return d->unknown_id;
}

/* ---- DSOs --------------------------------------------------------------- */

static bool path_is_file(const char *path)
{
	return path[0] == '/' && path[1] != '/';
}

static int dso_hash_grow(struct sym_ctx *s)
{
	uint32_t size = s->dso_hash_size ? s->dso_hash_size * 2 : 256, i;
	struct dso **t = calloc(size, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (i = 0; i < s->ndsos; i++) {
		struct dso *d = s->dsos[i];
		uint32_t b = (uint32_t)d->hash & (size - 1);

		d->hnext = t[b];
		t[b] = d;
	}
	free(s->dso_hash);
	s->dso_hash = t;
	s->dso_hash_size = size;
	return 0;
}

static struct dso *dso_get(struct sym_ctx *s, const char *path, uint64_t dev, uint64_t ino,
			   bool kernel)
{
	static const char deleted[] = " (deleted)";
	size_t len = strlen(path), dl = sizeof(deleted) - 1;
	bool is_deleted = false;
	struct dso *d;
	uint64_t h;
	char *p;

	if (!len) {
		path = "//anon";
		len = 6;
	}
	if (len > dl && !memcmp(path + len - dl, deleted, dl)) {
		is_deleted = true;
		len -= dl;
	}
	if (!path_is_file(path))
		dev = ino = 0;
	h = str_hash(path, len) ^ kernel;
	if (s->dso_hash_size) {
		for (d = s->dso_hash[(uint32_t)h & (s->dso_hash_size - 1)]; d; d = d->hnext) {
			if (d->hash != h || d->kernel != kernel || strncmp(d->path, path, len) ||
			    d->path[len])
				continue;
			/*
			 * An unknown inode (side-band MMAP) matches any: the
			 * latest DSO of that path, as the chain is newest first
			 */
			if (ino && d->ino && (d->ino != ino || (dev && d->dev && d->dev != dev)))
				continue;
			if (!d->ino && ino) {
				d->ino = ino;
				d->dev = dev;
			}
			return d;
		}
	}
	if (s->ndsos == s->cap_dsos) {
		uint32_t cap = s->cap_dsos ? s->cap_dsos * 2 : 64;
		struct dso **v = realloc(s->dsos, cap * sizeof(*v));

		if (!v)
			return NULL;
		s->dsos = v;
		s->cap_dsos = cap;
	}
	if (s->ndsos * 2 >= s->dso_hash_size && dso_hash_grow(s))
		return NULL;
	d = calloc(1, sizeof(*d));
	p = malloc(len + 1);
	if (!d || !p) {
		free(d);
		free(p);
		return NULL;
	}
	memcpy(p, path, len);
	p[len] = '\0';
	d->path = p;
	if (path_is_file(p)) {
		const char *slash = strrchr(p, '/');

		d->name = slash[1] ? slash + 1 : p;
		d->state = DSO_NEW;
	} else {
		d->name = p;
		d->state = DSO_NOSYMS;
	}
	d->dev = dev;
	d->ino = ino;
	d->deleted = is_deleted;
	d->kernel = kernel;
	d->id = s->ndsos;
	d->unknown_id = SYM_ID_NONE;
	d->hash = h;
	d->hnext = s->dso_hash[(uint32_t)h & (s->dso_hash_size - 1)];
	s->dso_hash[(uint32_t)h & (s->dso_hash_size - 1)] = d;
	s->dsos[s->ndsos++] = d;
	return d;
}

static void dso_evict_lru(struct sym_ctx *s, const struct dso *keep)
{
	while (s->loaded_bytes > s->max_bytes) {
		struct dso *lru = NULL;
		uint32_t i;

		for (i = 0; i < s->ndsos; i++) {
			struct dso *d = s->dsos[i];

			if (d != keep && d->state == DSO_LOADED &&
			    (!lru || d->last_use < lru->last_use))
				lru = d;
		}
		if (!lru)
			return;
		s->loaded_bytes -= lru->st.bytes;
		symtab_free(&lru->st);
		lru->state = DSO_EVICTED;
		if (s->memo.d == lru)
			s->memo.d = NULL;
	}
}

static bool foreign_mount_ns(struct sym_ctx *s, struct proc *p)
{
	char path[PATH_MAX], link[64];
	ssize_t n;

	if (p->foreign_ns >= 0)
		return p->foreign_ns;
	p->foreign_ns = 0;
	if (!s->self_ns_state) {
		snprintf(path, sizeof(path), "%s/self/ns/mnt", s->proc_root);
		n = readlink(path, s->self_ns, sizeof(s->self_ns) - 1);
		s->self_ns_state = n > 0 ? 1 : -1;
		if (n > 0)
			s->self_ns[n] = '\0';
	}
	if (s->self_ns_state < 0)
		return false;
	snprintf(path, sizeof(path), "%s/%u/ns/mnt", s->proc_root, p->pid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	p->foreign_ns = strcmp(link, s->self_ns) != 0;
	return p->foreign_ns;
}

static bool live_pid(const struct sym_ctx *s, uint32_t pid)
{
	return s->live && pid && pid < (1u << 30);
}

/*
 * Loads @d's symbols; @p and @m say how the process maps it (live: the file
 * may be deleted or in another mount namespace).  0 or -ENOMEM (then @d
 * stays to be loaded).
 */
static int dso_load(struct sym_ctx *s, struct dso *d, struct proc *p, const struct map *m)
{
	char paths[2][PATH_MAX];
	const char *cand[4];
	int i, n = 0, err = -ENOENT;
	struct dso_seg *segs = NULL;
	uint32_t nsegs = 0;
	struct symtab st;
	bool live = p && live_pid(s, p->pid);

	if (live) {
		snprintf(paths[0], sizeof(paths[0]), "%s/%u/map_files/%" PRIx64 "-%" PRIx64,
			 s->proc_root, p->pid, m->start, m->end);
		if (d->deleted)
			cand[n++] = paths[0];
		if (foreign_mount_ns(s, p) &&
		    (size_t)snprintf(paths[1], sizeof(paths[1]), "%s/%u/root%s", s->proc_root,
				     p->pid, d->path) < sizeof(paths[1]))
			cand[n++] = paths[1];
	}
	cand[n++] = d->path;
	if (live && !d->deleted)
		cand[n++] = paths[0];

	for (i = 0; i < n; i++) {
		struct stat sb;
		int fd;

		/* regular files only: never open a device or a FIFO */
		if (stat(cand[i], &sb) || !S_ISREG(sb.st_mode))
			continue;
		fd = open(cand[i], O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		if (fd < 0)
			continue;
		if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
			close(fd);
			continue;
		}
		err = sym_elf_load(fd, &segs, &nsegs, &st);
		close(fd);
		if (!err || err == -ENOMEM)
			break;
	}
	if (err == -ENOMEM)
		return err;
	if (err) {
		d->state = DSO_FAILED;
		s->st.dso_load_failures++;
		return 0;
	}
	if (!d->ids || d->nids != st.n) {
		uint32_t *ids = malloc((st.n ? st.n : 1) * sizeof(*ids));

		if (!ids) {
			symtab_free(&st);
			free(segs);
			return -ENOMEM;
		}
		memset(ids, 0xff, (st.n ? st.n : 1) * sizeof(*ids));
		free(d->ids);
		d->ids = ids;
		d->nids = st.n;
	}
	free(d->segs);
	d->segs = segs;
	d->nsegs = nsegs;
	d->st = st;
	d->state = DSO_LOADED;
	s->loaded_bytes += st.bytes;
	s->st.dsos_loaded++;
	dso_evict_lru(s, d);
	return 0;
}

/* ---- processes and mappings ---------------------------------------------- */

static inline uint32_t pid_slot(uint32_t pid, uint32_t size)
{
	return (pid * 0x9e3779b1u) >> 7 & (size - 1);
}

static struct proc *proc_find(const struct sym_ctx *s, uint32_t pid)
{
	uint32_t i, mask = s->procs_size - 1;

	if (!s->procs_size)
		return NULL;
	for (i = pid_slot(pid, s->procs_size); s->procs[i]; i = (i + 1) & mask) {
		if (s->procs[i]->pid == pid)
			return s->procs[i];
	}
	return NULL;
}

static struct proc *proc_get(struct sym_ctx *s, uint32_t pid)
{
	struct proc *p = proc_find(s, pid);
	uint32_t i, mask;

	if (p)
		return p;
	if (s->nprocs * 2 >= s->procs_size) {
		uint32_t size = s->procs_size ? s->procs_size * 2 : 256, j;
		struct proc **t = calloc(size, sizeof(*t));

		if (!t)
			return NULL;
		for (j = 0; j < s->procs_size; j++) {
			struct proc *q = s->procs[j];

			if (!q)
				continue;
			for (i = pid_slot(q->pid, size); t[i]; i = (i + 1) & (size - 1))
				;
			t[i] = q;
		}
		free(s->procs);
		s->procs = t;
		s->procs_size = size;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->unknown_id = SYM_ID_NONE;
	p->foreign_ns = -1;
	mask = s->procs_size - 1;
	for (i = pid_slot(pid, s->procs_size); s->procs[i]; i = (i + 1) & mask)
		;
	s->procs[i] = p;
	s->nprocs++;
	return p;
}

static const struct map *map_find(struct proc *p, uint64_t pc)
{
	const struct map *b = p->maps;
	uint32_t n = p->nmaps;

	if (p->last_map < n && pc - b[p->last_map].start < b[p->last_map].end - b[p->last_map].start)
		return &b[p->last_map];
	if (!n || pc < b[0].start)
		return NULL;
	while (n > 1) {
		uint32_t h = n / 2;

		if (b[h].start <= pc)
			b += h;
		n -= h;
	}
	if (pc >= b->end)
		return NULL;
	p->last_map = (uint32_t)(b - p->maps);
	return b;
}

static int maps_reserve(struct proc *p, uint32_t need)
{
	struct map *v;
	uint32_t cap;

	if (need <= p->cap)
		return 0;
	cap = p->cap ? p->cap : 16;
	while (cap < need)
		cap *= 2;
	v = realloc(p->maps, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->maps = v;
	p->cap = cap;
	return 0;
}

/* Maps [start, end), replacing what it overlaps (as mmap(MAP_FIXED) does) */
static int map_insert(struct proc *p, uint64_t start, uint64_t end, uint64_t pgoff,
		      struct dso *d, bool *overlapped)
{
	uint32_t lo = 0, hi, n = p->nmaps, nnew, count;
	struct map left, right, *w;
	bool has_left, has_right;

	/* lo: the first mapping ending above start; hi: past the last one starting below end */
	hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (p->maps[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (hi = lo; hi < n && p->maps[hi].start < end; hi++)
		;
	*overlapped = hi > lo;
	has_left = hi > lo && p->maps[lo].start < start;
	has_right = hi > lo && p->maps[hi - 1].end > end;
	if (has_left) {
		left = p->maps[lo];
		left.end = start;
	}
	if (has_right) {
		right = p->maps[hi - 1];
		right.pgoff += end - right.start;
		right.start = end;
	}
	nnew = 1 + has_left + has_right;
	count = n - (hi - lo) + nnew;
	if (maps_reserve(p, count))
		return -ENOMEM;
	memmove(&p->maps[lo + nnew], &p->maps[hi], (n - hi) * sizeof(*p->maps));
	w = &p->maps[lo];
	if (has_left)
		*w++ = left;
	w->start = start;
	w->end = end;
	w->pgoff = pgoff;
	w->dso = d;
	w++;
	if (has_right)
		*w = right;
	p->nmaps = count;
	return 0;
}

/* ---- the cache ------------------------------------------------------------ */

static void cache_invalidate(struct sym_ctx *s)
{
	s->memo.d = NULL;
	if (!s->cache)
		return;
	if (++s->gen > CV_GEN_MAX) {
		memset(s->cache, 0, (sizeof(*s->cache)) << (64 - s->cache_shift));
		s->gen = 1;
	}
}

static inline uint32_t cache_slot(const struct sym_ctx *s, uint32_t pid, uint64_t pc)
{
	return (uint32_t)(((pc ^ (uint64_t)pid * 0xc2b2ae3d27d4eb4full) *
			   0x9e3779b97f4a7c15ull) >> s->cache_shift);
}

/* ---- reading /proc ------------------------------------------------------- */

struct maps_read {
	struct sym_ctx *s;
	struct proc *p;
};

static int maps_cb(void *arg, const struct maps_line *l)
{
	struct maps_read *r = arg;
	struct map *m;
	struct dso *d;

	if (!l->exec)
		return 0;
	d = dso_get(r->s, l->path, makedev(l->maj, l->min), l->ino, false);
	if (!d || maps_reserve(r->p, r->p->nmaps + 1))
		return -ENOMEM;
	/* the kernel lists them sorted and disjoint; keep the order even if not */
	if (r->p->nmaps && r->p->maps[r->p->nmaps - 1].end > l->start) {
		bool overlapped;

		return map_insert(r->p, l->start, l->end, l->pgoff, d, &overlapped);
	}
	m = &r->p->maps[r->p->nmaps++];
	m->start = l->start;
	m->end = l->end;
	m->pgoff = l->pgoff;
	m->dso = d;
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Re-reads PID/maps unless it was read lately; true if the mappings changed */
static bool maybe_read_maps(struct sym_ctx *s, struct proc *p)
{
	char path[PATH_MAX];
	struct proc fresh = { .pid = p->pid };
	struct maps_read r = { s, &fresh };
	uint64_t now = now_ns();
	int err;

	if (p->maps_read_ns && now - p->maps_read_ns < MAPS_REREAD_NS)
		return false;
	p->maps_read_ns = now ? now : 1;
	snprintf(path, sizeof(path), "%s/%u/maps", s->proc_root, p->pid);
	err = sym_read_maps(path, maps_cb, &r);
	if (err) {
		/* keep what we had: the process is gone, or no memory */
		free(fresh.maps);
		return false;
	}
	free(p->maps);
	p->maps = fresh.maps;
	p->nmaps = fresh.nmaps;
	p->cap = fresh.cap;
	cache_invalidate(s);
	return true;
}

/* ---- resolution ------------------------------------------------------------ */

static uint32_t resolve_kernel(struct sym_ctx *s, uint64_t pc)
{
	uint32_t i = symtab_find(&s->ktab, pc);

	if (i == SYM_NONE32)
		return s->kernel_dso ? dso_unknown(s, s->kernel_dso) : SYM_ID_NONE;
	if (s->kids[i] == SYM_ID_NONE)
		s->kids[i] = new_id(s, s->ktab.names + s->ktab.name[i], s->ktab.span[i].start,
				    s->ktab.dso[i]);
	return s->kids[i];
}

/*
 * The mapping holding user @pc in @pid (a thread: its process's), reading
 * a live process's maps when it has none there.  NULL with *@id set when
 * there is none: the pid's "[unknown]" id, or SYM_ID_NONE (no memory).
 */
static const struct map *user_map(struct sym_ctx *s, uint32_t pid, uint64_t pc,
				  struct proc **pp, uint32_t *id, bool *cacheable)
{
	struct proc *p = proc_find(s, pid);
	const struct map *m;

	/* a thread named by sym_add_thread(): its process's mappings */
	if (p && p->leader) {
		p = p->leader;
		pid = p->pid;
	}
	m = p ? map_find(p, pc) : NULL;
	*pp = p;
	if (m)
		return m;
	*id = SYM_ID_NONE;
	if (live_pid(s, pid)) {
		if (!p)
			p = *pp = proc_get(s, pid);
		if (!p)
			return NULL;
		if (maybe_read_maps(s, p))
			m = map_find(p, pc);
		if (m)
			return m;
		/* a later re-read may find it: don't let the cache hide the miss */
		*cacheable = false;
	}
	if (!p)
		p = *pp = proc_get(s, pid);
	if (!p)
		return NULL;
	if (p->unknown_id == SYM_ID_NONE)
		p->unknown_id = new_id(s, UNKNOWN, 0, s->unknown_dso->id);
	if (*cacheable)
		p->cached_unmapped = true;
	*id = p->unknown_id;
	return NULL;
}

/* Remember that @m's part in segment @g of its DSO maps to ELF addresses
 * (see struct user_memo). */
static void memo_set(struct sym_ctx *s, uint32_t pid, const struct map *m,
		     const struct dso_seg *g)
{
	uint64_t map_hi = m->pgoff + (m->end - m->start);
	uint64_t lo = g->off > m->pgoff ? g->off : m->pgoff;
	uint64_t hi = g->off + g->filesz < map_hi ? g->off + g->filesz : map_hi;

	if (hi <= lo)
		return;
	s->memo.lo = m->start + (lo - m->pgoff);
	s->memo.len = hi - lo;
	s->memo.delta = g->vaddr - g->off + m->pgoff - m->start;	/* mod 2^64 */
	s->memo.d = m->dso;
	s->memo.pid = pid;
}

/* The symbol of ELF address @vaddr in @d (loaded), for user @pc */
static inline uint32_t user_symbol(struct sym_ctx *s, struct dso *d, uint64_t pc, uint64_t vaddr)
{
	uint32_t i = symtab_find(&d->st, vaddr);

	if (i == SYM_NONE32)
		return dso_unknown(s, d);
	if (d->ids[i] == SYM_ID_NONE)
		d->ids[i] = new_id(s, d->st.names + d->st.name[i], pc - (vaddr - d->st.span[i].start),
				   d->id);
	return d->ids[i];
}

/* A user PC the memo does not hold: the mapping, its DSO and segment */
static __attribute__((noinline)) uint32_t resolve_user_map(struct sym_ctx *s, uint32_t pid,
							    uint64_t pc, bool *cacheable)
{
	const struct map *m;
	struct proc *p;
	struct dso *d;
	uint64_t off;
	uint32_t i;

	m = user_map(s, pid, pc, &p, &i, cacheable);
	if (!m)
		return i;
	d = m->dso;
	d->last_use = ++s->tick;
	if ((d->state == DSO_NEW || d->state == DSO_EVICTED) && dso_load(s, d, p, m))
		return SYM_ID_NONE;
	if (d->state != DSO_LOADED)
		return dso_unknown(s, d);
	off = pc - m->start + m->pgoff;
	for (i = 0; i < d->nsegs; i++) {
		if (off - d->segs[i].off < d->segs[i].filesz) {
			memo_set(s, pid, m, &d->segs[i]);
			return user_symbol(s, d, pc, off - d->segs[i].off + d->segs[i].vaddr);
		}
	}
	return dso_unknown(s, d);
}

/* Does the memo hold user @pc of @pid? */
static inline bool memo_has(const struct sym_ctx *s, uint32_t pid, uint64_t pc)
{
	return s->memo.d && s->memo.pid == pid && pc - s->memo.lo < s->memo.len;
}

/* sym_resolve(), inlined into the batch loop */
static inline __attribute__((always_inline)) uint32_t resolve(struct sym_ctx *s, uint32_t pid,
							   uint64_t pc, bool kernel)
{
	struct cache_ent *e = NULL;
	bool cacheable = true;
	uint32_t tag, id;

	s->st.lookups++;
	/*
	 * The memo before the cache: past it, the symbol is mostly one load
	 * (the bucket index), about what a cache probe costs, and a probe
	 * on spread-out PCs mostly misses and then pays for both.  -g
	 * symbol on the bench traces: 0.50 -> 0.48 s (zipf), 0.52 -> 0.49
	 * (uniform).  The cache is for the rest: kernel PCs, and user PCs
	 * of other mappings and processes.
	 */
	if (!kernel && memo_has(s, pid, pc)) {
		s->memo.d->last_use = ++s->tick;
		return user_symbol(s, s->memo.d, pc, pc + s->memo.delta);
	}
	if (kernel)
		pid = 0;
	tag = s->gen << CV_GEN_SHIFT | (kernel ? CV_KERNEL : 0);
	if (s->cache) {
		e = &s->cache[cache_slot(s, pid, pc)];
		if (e->pc == pc && e->pid == pid && (e->v & ~CV_ID_MASK) == tag) {
			s->st.cache_hits++;
			return e->v & CV_ID_MASK;
		}
	}
	id = kernel ? resolve_kernel(s, pc) : resolve_user_map(s, pid, pc, &cacheable);
	if (e && cacheable && id <= CV_ID_MASK) {
		/* the generation may have moved (maps re-read) */
		e->pc = pc;
		e->pid = pid;
		e->v = s->gen << CV_GEN_SHIFT | (kernel ? CV_KERNEL : 0) | id;
	}
	return id;
}

uint32_t sym_resolve(struct sym_ctx *s, uint32_t pid, uint64_t pc, bool kernel)
{
	return resolve(s, pid, pc, kernel);
}

uint32_t sym_resolve_dso(struct sym_ctx *s, uint32_t pid, uint64_t pc, bool kernel)
{
	uint32_t id;

	s->st.lookups++;
	if (!kernel) {
		/* nothing goes into the PC cache here, so an unmapped PC
		 * must not mark the pid as having cached misses */
		bool cacheable = false;
		const struct map *m;
		struct proc *p;

		/* a mapped PC's DSO is the mapping's: no symbol table needed */
		m = user_map(s, pid, pc, &p, &id, &cacheable);
		if (m)
			return m->dso->id;
	} else {
		/* the kernel's modules come from kallsyms */
		id = resolve_kernel(s, pc);
	}
	return id == SYM_ID_NONE ? SYM_ID_NONE : sym_dso_id(s, id);
}

void sym_resolve_many(struct sym_ctx *s, struct sym_req *rq, size_t n)
{
	for (struct sym_req *end = rq + n; rq < end; rq++)
		rq->id = resolve(s, rq->pid, rq->pc, rq->kernel);
}

/* ---- side-band ------------------------------------------------------------ */

void sym_add_mmap2(struct sym_ctx *s, uint32_t pid, uint64_t start, uint64_t len,
		   uint64_t pgoff, uint32_t maj, uint32_t min, uint64_t ino,
		   const char *filename)
{
	uint64_t end = start + len;
	bool overlapped = false;
	struct proc *p;
	struct dso *d;

	if (!len || pid == UINT32_MAX)
		return;
	if (end < start)
		end = UINT64_MAX;
	p = proc_get(s, pid);
	d = dso_get(s, filename ? filename : "", maj || min ? makedev(maj, min) : 0, ino, false);
	if (!p || !d || map_insert(p, start, end, pgoff, d, &overlapped))
		return;
	if (overlapped || p->cached_unmapped) {
		cache_invalidate(s);
		p->cached_unmapped = false;
	}
}

void sym_add_mmap(struct sym_ctx *s, uint32_t pid, uint64_t start, uint64_t len,
		  uint64_t pgoff, const char *filename)
{
	sym_add_mmap2(s, pid, start, len, pgoff, 0, 0, 0, filename);
}

void sym_add_thread(struct sym_ctx *s, uint32_t tid, uint32_t pid)
{
	struct proc *t = proc_find(s, tid), *p;

	if (tid == pid) {
		if (t && t->leader) {
			t->leader = NULL;
			cache_invalidate(s);
		}
		return;
	}
	p = proc_get(s, pid);
	if (!p)
		return;
	if (p->leader)
		p = p->leader;
	if (p->pid == tid)
		return;
	if (!t) {
		t = proc_get(s, tid);
		if (!t)
			return;
	} else if (t->leader == p) {
		return;
	} else {
		/* the cache may hold what tid resolved to on its own */
		cache_invalidate(s);
	}
	t->leader = p;
}

void sym_add_comm(struct sym_ctx *s, uint32_t pid, const char *comm)
{
	struct proc *p = proc_get(s, pid);
	const char *c;

	if (!p || !comm)
		return;
	c = comm_intern(s, comm);
	if (c)
		p->comm = c;
}

void sym_comm_event(struct sym_ctx *s, uint32_t pid, uint32_t tid, const char *comm)
{
	sym_add_thread(s, tid, pid);
	/* the thread's name: another thread's COMM (prctl) does not rename
	 * the process, and sym_comm() falls back to the process's */
	sym_add_comm(s, tid, comm);
}

void sym_forget_pid(struct sym_ctx *s, uint32_t pid)
{
	struct proc *p = proc_find(s, pid);

	if (!p)
		return;
	if (p->nmaps || p->cached_unmapped || p->leader)
		cache_invalidate(s);
	p->leader = NULL;
	p->nmaps = 0;
	p->cached_unmapped = false;
	p->maps_read_ns = 0;
	p->comm_tried = false;
	p->foreign_ns = -1;
}

const char *sym_comm(struct sym_ctx *s, uint32_t pid)
{
	struct proc *p = proc_find(s, pid);
	char path[PATH_MAX], buf[64];

	if (p && p->comm)
		return p->comm;
	if (p && p->leader && p->leader->comm)
		return p->leader->comm;
	if (!live_pid(s, pid))
		return NULL;
	if (!p)
		p = proc_get(s, pid);
	if (!p || p->comm_tried)
		return NULL;
	p->comm_tried = true;
	snprintf(path, sizeof(path), "%s/%u/comm", s->proc_root, pid);
	if (!sym_read_small(path, buf, sizeof(buf)) && buf[0])
		p->comm = comm_intern(s, buf);
	return p->comm;
}

/* ---- queries ---------------------------------------------------------------- */

const char *sym_name(const struct sym_ctx *s, uint32_t id)
{
	return id < s->nids ? s->ids[id].name : UNKNOWN;
}

uint32_t sym_dso_id(const struct sym_ctx *s, uint32_t id)
{
	return id < s->nids ? s->ids[id].dso : SYM_ID_NONE;
}

const char *sym_dso_name(const struct sym_ctx *s, uint32_t dso_id)
{
	return dso_id < s->ndsos ? s->dsos[dso_id]->name : UNKNOWN;
}

const char *sym_dso(const struct sym_ctx *s, uint32_t id)
{
	return sym_dso_name(s, sym_dso_id(s, id));
}

uint64_t sym_addr(const struct sym_ctx *s, uint32_t id)
{
	return id < s->nids ? s->ids[id].addr : 0;
}

uint32_t sym_count(const struct sym_ctx *s)
{
	return s->nids;
}

uint32_t sym_dso_count(const struct sym_ctx *s)
{
	return s->ndsos;
}

const struct sym_stats *sym_stats(const struct sym_ctx *s)
{
	return &s->st;
}

const char *sym_warning(const struct sym_ctx *s)
{
	return s->warning;
}

/* ---- setup ------------------------------------------------------------------ */

static uint32_t module_dso(void *arg, const char *mod, size_t len)
{
	struct dso *d = dso_get(arg, mod, 0, 0, true);

	return d ? d->id : SYM_NONE32;
}

static int set_warning(struct sym_ctx *s, const char *fmt, const char *a, const char *b)
{
	char buf[PATH_MAX + 256];

	snprintf(buf, sizeof(buf), fmt, a, b);
	free(s->warning);
	s->warning = strdup(buf);
	return s->warning ? 0 : -ENOMEM;
}

static int load_kernel(struct sym_ctx *s, const char *kallsyms)
{
	char path[PATH_MAX];
	bool nonzero;
	int err;

	s->kernel_dso = dso_get(s, KERNEL_DSO, 0, 0, true);
	if (!s->kernel_dso)
		return -ENOMEM;
	if (!kallsyms)
		return 0;
	if (!kallsyms[0]) {
		snprintf(path, sizeof(path), "%s/kallsyms", s->proc_root);
		kallsyms = path;
	}
	err = sym_read_kallsyms(kallsyms, &s->ktab, &nonzero, s->kernel_dso->id, module_dso, s);
	if (err == -ENOMEM)
		return err;
	if (err)
		return set_warning(s, "kernel symbols unavailable: cannot read %s: %s", kallsyms,
				   strerror(-err));
	if (!nonzero && s->ktab.n) {
		symtab_free(&s->ktab);
		return set_warning(s, "kernel symbols hidden: %s shows zero addresses "
				   "(kptr_restrict); run as root or sysctl "
				   "kernel.kptr_restrict=0%s", kallsyms, "");
	}
	if (!s->ktab.n)
		return set_warning(s, "kernel symbols unavailable: %s lists no text symbols%s",
				   kallsyms, "");
	s->kids = malloc(s->ktab.n * sizeof(*s->kids));
	if (!s->kids)
		return -ENOMEM;
	memset(s->kids, 0xff, s->ktab.n * sizeof(*s->kids));
	s->st.kernel_syms = s->ktab.n;
	return 0;
}

struct sym_ctx *sym_new(const struct sym_opts *o)
{
	struct sym_ctx *s = calloc(1, sizeof(*s));
	int bits;

	if (!s)
		return NULL;
	s->proc_root = strdup(o && o->proc_root ? o->proc_root : "/proc");
	if (!s->proc_root)
		goto fail;
	s->live = o && o->live;
	s->max_bytes = o && o->max_sym_bytes ? o->max_sym_bytes : DEFAULT_MAX_BYTES;
	bits = o && o->cache_bits ? o->cache_bits : DEFAULT_CACHE_BITS;
	if (bits > 0) {
		if (bits > 24)
			bits = 24;
		s->cache = calloc((size_t)1 << bits, sizeof(*s->cache));
		if (!s->cache)
			goto fail;
		s->cache_shift = 64 - (unsigned int)bits;
		s->gen = 1;
	}
	s->unknown_dso = dso_get(s, UNKNOWN, 0, 0, false);
	if (!s->unknown_dso || load_kernel(s, o ? o->kallsyms : NULL))
		goto fail;
	return s;
fail:
	sym_free(s);
	return NULL;
}

void sym_free(struct sym_ctx *s)
{
	uint32_t i;

	if (!s)
		return;
	for (i = 0; i < s->procs_size; i++) {
		if (s->procs[i]) {
			free(s->procs[i]->maps);
			free(s->procs[i]);
		}
	}
	free(s->procs);
	for (i = 0; i < s->ndsos; i++) {
		struct dso *d = s->dsos[i];

		symtab_free(&d->st);
		free(d->segs);
		free(d->ids);
		free(d->path);
		free(d);
	}
	free(s->dsos);
	free(s->dso_hash);
	while (s->arena) {
		struct arena_chunk *c = s->arena;

		s->arena = c->next;
		free(c);
	}
	free(s->comms);
	free(s->ids);
	symtab_free(&s->ktab);
	free(s->kids);
	free(s->cache);
	free(s->warning);
	free(s->proc_root);
	free(s);
}
