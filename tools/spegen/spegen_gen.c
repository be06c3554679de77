// SPDX-License-Identifier: GPL-2.0-only
/*
 * spegen record generator.
 *
 * Packet order follows what Neoverse parts write (compare the captured
 * streams in tests/data/spe-samples): PC, issue latency, total latency,
 * events, operation type, then for loads/stores the data VA, translation
 * latency, PA and data source, for branches the target and previous
 * target, then context, optional PAD up to the record alignment, and the
 * Timestamp (or END) that closes the record.
 *
 * The numbers are SYNTHETIC: plausible shapes, not measurements.
 */
#include <math.h>
#include <string.h>

#include "spe_encode.h"
#include "spegen_gen.h"

static const char *const op_names[SPEGEN_OP_NR] = {
	[SPEGEN_OP_LOAD] = "load",	[SPEGEN_OP_STORE] = "store",
	[SPEGEN_OP_BRANCH] = "branch",	[SPEGEN_OP_OTHER] = "other",
	[SPEGEN_OP_SVE] = "sve",	[SPEGEN_OP_SME] = "sme",
	[SPEGEN_OP_ATOMIC] = "atomic",	[SPEGEN_OP_MOPS] = "mops",
	[SPEGEN_OP_MTE] = "mte",	[SPEGEN_OP_GCS] = "gcs",
	[SPEGEN_OP_NV2] = "nv2",	[SPEGEN_OP_UNSPEC] = "unspec",
};

static const int op_feat[SPEGEN_OP_NR] = {
	[SPEGEN_OP_LOAD] = -1,		[SPEGEN_OP_STORE] = -1,
	[SPEGEN_OP_BRANCH] = -1,	[SPEGEN_OP_OTHER] = -1,
	[SPEGEN_OP_SVE] = FEAT_SVE,	[SPEGEN_OP_SME] = FEAT_SME,
	[SPEGEN_OP_ATOMIC] = -1,	[SPEGEN_OP_MOPS] = FEAT_MOPS,
	[SPEGEN_OP_MTE] = FEAT_MTE,	[SPEGEN_OP_GCS] = FEAT_GCS,
	[SPEGEN_OP_NV2] = -1,		[SPEGEN_OP_UNSPEC] = FEAT_LDST_UNSPEC,
};

const char *spegen_op_name(unsigned int op)
{
	return op < SPEGEN_OP_NR ? op_names[op] : "?";
}

int spegen_op_parse(const char *name)
{
	int i;

	for (i = 0; i < SPEGEN_OP_NR; i++)
		if (!strcmp(op_names[i], name))
			return i;
	return -1;
}

int spegen_op_feat(unsigned int op)
{
	return op < SPEGEN_OP_NR ? op_feat[op] : -1;
}

void spegen_cfg_defaults(struct spegen_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->seed = 1;
	cfg->model = spegen_model_find("n1");
	cfg->version = cfg->model->version;
	cfg->mix[SPEGEN_OP_LOAD] = 40;
	cfg->mix[SPEGEN_OP_STORE] = 20;
	cfg->mix[SPEGEN_OP_BRANCH] = 30;
	cfg->mix[SPEGEN_OP_OTHER] = 10;
	cfg->ts = true;
	cfg->ts_hz = 1e9;
	cfg->rate = 100000;
	cfg->ts_start = 0x0000100000000000ULL;
	cfg->context = -1;
	cfg->count_size = 12;
	cfg->prev_tgt = true;
	cfg->sve_vl = cfg->model->sve_vl;
}

unsigned int spegen_cfg_restrict(struct spegen_cfg *cfg)
{
	unsigned int dropped = 0;
	int op;

	for (op = 0; op < SPEGEN_OP_NR; op++) {
		int f = op_feat[op];

		if (f >= 0 && cfg->mix[op] > 0 &&
		    !spegen_version_has(cfg->version, f)) {
			cfg->mix[op] = 0;
			dropped |= 1u << f;
		}
	}
	if (cfg->alt_clock && !spegen_version_has(cfg->version, FEAT_ALT_CLOCK)) {
		cfg->alt_clock = false;
		dropped |= 1u << FEAT_ALT_CLOCK;
	}
	/* prev_tgt is on by default: drop it quietly */
	if (!spegen_version_has(cfg->version, FEAT_PREV_TGT))
		cfg->prev_tgt = false;
	return dropped;
}

void spegen_init(struct spegen *g, const struct spegen_cfg *cfg)
{
	const struct spegen_cpu_model *m = cfg->model;
	int i;

	memset(g, 0, sizeof(*g));
	g->cfg = *cfg;
	if (g->cfg.count_size != 16)
		g->cfg.count_size = 12;
	if (spe_op_evl(g->cfg.sve_vl) < 0)
		g->cfg.sve_vl = 128;
	spegen_rng_seed(&g->rng, cfg->seed);
	g->ts = cfg->ts_start;
	g->pid = 1000 + (uint32_t)spegen_rng_below(&g->rng, cfg->pids ? cfg->pids : 30000);
	for (i = 0; i < m->nr_dsrc; i++) {
		double w = m->dsrc[i].weight;

		g->ld_w[i] = w;
		/* stores mostly hit (write-allocate misses are rarer) */
		g->st_w[i] = m->dsrc[i].level == LVL_L1 ? w * 1.5 : w;
		/* atomics see contended lines more often */
		g->at_w[i] = m->dsrc[i].level == LVL_L1 ? w * 0.5 :
			     (m->dsrc[i].level == LVL_PEER_CORE ||
			      m->dsrc[i].level == LVL_PEER_CLUSTER) ? w * 8 : w;
	}
}

/* ---- record assembly ----------------------------------------------------- */

struct rec {
	uint8_t *buf;
	size_t len;
	struct spegen_rec_info *info;
};

static void rec_note(struct rec *r, size_t n, unsigned int hdr_len)
{
	struct spegen_rec_info *info = r->info;

	if (info->nr_pkts < SPEGEN_REC_MAX_PKTS) {
		info->pkt_off[info->nr_pkts] = (uint16_t)r->len;
		info->pkt_len[info->nr_pkts] = (uint16_t)n;
		info->pkt_hdr_len[info->nr_pkts] = (uint8_t)hdr_len;
		info->nr_pkts++;
	}
	r->len += n;
}

static void put_addr(struct spegen *g, struct rec *r, unsigned int idx,
		     uint64_t payload)
{
	size_t n = spe_enc_address(r->buf + r->len, idx, payload, g->cfg.ext_hdr);

	rec_note(r, n, g->cfg.ext_hdr ? 2 : 1);
}

static void put_counter(struct spegen *g, struct rec *r, unsigned int idx,
			uint64_t v)
{
	size_t n;

	if (v > (g->cfg.count_size == 12 ? 0xfffu : 0xffffu))
		g->st.saturated++;
	n = spe_enc_counter(r->buf + r->len, idx, v, g->cfg.count_size,
			    g->cfg.ext_hdr);
	rec_note(r, n, g->cfg.ext_hdr ? 2 : 1);
}

/* ---- addresses ------------------------------------------------------------ */

#define KERNEL_TEXT	0xffff800008010000ULL
#define KERNEL_LINEAR	0xffff000000000000ULL
#define KERNEL_VMALLOC	0xffff800010000000ULL
#define USER_HEAP	0x0000aaaac0000000ULL
#define USER_MMAP	0x0000ffff80000000ULL
#define USER_STACK_TOP	0x0000fffffffff000ULL
#define DRAM_BASE	0x0000000080000000ULL

static uint64_t pick_pc(struct spegen *g, bool kernel, size_t *fn)
{
	const struct spegen_syms *s = kernel ? g->cfg.kernel_syms :
					       g->cfg.user_syms;

	return spegen_syms_pick(s, &g->rng, fn);
}

static uint64_t pc_payload(uint64_t pc, bool kernel)
{
	return spe_addr_payload_pc(pc, kernel ? 1 : 0, true, false);
}

/* A data VA: recently used lines for L1 hits, fresh lines for misses. */
static uint64_t pick_va(struct spegen *g, bool kernel, unsigned int level,
			unsigned int size)
{
	struct spegen_rng *rng = &g->rng;
	uint64_t va;
	int slot = (int)spegen_rng_below(rng, 4);

	if (level == LVL_L1 && g->hot_va[slot] && spegen_rng_chance(rng, 0.7)) {
		va = g->hot_va[slot] + spegen_rng_below(rng, 512) - 256;
	} else if (kernel && !spegen_rng_chance(rng, 0.2)) {
		if (spegen_rng_chance(rng, 0.85))
			va = KERNEL_LINEAR + spegen_rng_below(rng, 16ULL << 30);
		else
			va = KERNEL_VMALLOC + spegen_rng_below(rng, 1ULL << 30);
	} else {
		uint64_t x = spegen_rng_below(rng, 100);

		if (x < 50)
			va = USER_HEAP + spegen_rng_below(rng, 512ULL << 20);
		else if (x < 75)
			va = USER_STACK_TOP - spegen_rng_below(rng, 1ULL << 20);
		else
			va = USER_MMAP + spegen_rng_below(rng, 2ULL << 30);
	}
	va &= ~(uint64_t)(size - 1);
	if (level != LVL_L1 || !g->hot_va[slot])
		g->hot_va[slot] = va;
	return va;
}

static uint64_t va_to_pa(uint64_t va)
{
	uint64_t st, page;

	if ((va >> 48) == 0xffff && va < KERNEL_VMALLOC - (1ULL << 40))
		return DRAM_BASE + (va - KERNEL_LINEAR);	/* linear map */
	st = va >> 12;
	page = spegen_splitmix64(&st) % (16ULL << 20);	/* 64 GiB of DRAM */
	return DRAM_BASE + (page << 12) + (va & 0xfff);
}

/* ---- memory events ---------------------------------------------------------- */

struct mem {
	bool load, kernel;
	int dsrc;		/* model dsrc index */
	unsigned int level;
	uint64_t va;
	uint8_t tag;
	bool checked;		/* MTE checked access */
	uint64_t events;
	uint64_t xlat, exec;
};

static void mem_access(struct spegen *g, struct mem *m, const double *w,
		       unsigned int size)
{
	const struct spegen_cpu_model *model = g->cfg.model;
	struct spegen_rng *rng = &g->rng;
	unsigned int ver = g->cfg.version;
	const struct spegen_lat *lat;
	uint64_t ev;

	m->dsrc = spegen_rng_weighted(rng, w, model->nr_dsrc);
	if (m->dsrc < 0)
		m->dsrc = 0;
	m->level = model->dsrc[m->dsrc].level;
	m->va = pick_va(g, m->kernel, m->level, size);
	if (m->kernel && (m->va >> 48) == 0xffff)
		m->tag = 0xff;
	else if (g->cfg.mix[SPEGEN_OP_MTE] > 0) {
		m->tag = (uint8_t)spegen_rng_below(rng, 16);
		m->checked = true;
	} else {
		m->tag = 0;
	}

	ev = (1ULL << SPE_EV_L1D_ACCESS) | (1ULL << SPE_EV_TLB_ACCESS);
	if (m->level != LVL_L1) {
		ev |= 1ULL << SPE_EV_L1D_REFILL;
		if (spegen_version_has(ver, FEAT_EV_V1P4))
			ev |= 1ULL << SPE_EV_L2D_ACCESS;
	}
	if (m->level != LVL_L1 && m->level != LVL_L2 &&
	    spegen_version_has(ver, FEAT_EV_V1P4))
		ev |= 1ULL << SPE_EV_L2D_MISS;
	switch (m->level) {
	case LVL_SLC:
	case LVL_PEER_CLUSTER:
		ev |= 1ULL << SPE_EV_LLC_ACCESS;
		break;
	case LVL_DRAM:
		ev |= (1ULL << SPE_EV_LLC_ACCESS) | (1ULL << SPE_EV_LLC_MISS);
		break;
	case LVL_REMOTE:
	case LVL_REMOTE_DRAM:
		ev |= (1ULL << SPE_EV_LLC_ACCESS) | (1ULL << SPE_EV_LLC_MISS) |
		      (1ULL << SPE_EV_REMOTE_ACCESS);
		break;
	default:
		break;
	}
	if (spegen_version_has(ver, FEAT_EV_V1P4)) {
		if (m->level == LVL_PEER_CORE || m->level == LVL_PEER_CLUSTER ||
		    m->level == LVL_REMOTE)
			ev |= 1ULL << SPE_EV_DATA_SNOOPED;
		if (model->dsrc[m->dsrc].hitm ||
		    (ev & (1ULL << SPE_EV_DATA_SNOOPED) &&
		     spegen_rng_chance(rng, 0.3)))
			ev |= 1ULL << SPE_EV_CACHE_DATA_MODIFIED;
		if (m->level == LVL_L2 && spegen_rng_chance(rng, 0.1))
			ev |= 1ULL << SPE_EV_RECENTLY_FETCHED;
	}
	if (spegen_version_has(ver, FEAT_ALIGN_EVENT) &&
	    spegen_rng_chance(rng, 0.003)) {
		ev |= 1ULL << SPE_EV_ALIGNMENT;
		m->va += 1 + spegen_rng_below(rng, size > 1 ? size - 1 : 1);
	}
	/* translation: usually a TLB hit, sometimes a walk */
	if (spegen_rng_chance(rng, m->level >= LVL_DRAM ? 0.06 : 0.015)) {
		ev |= 1ULL << SPE_EV_TLB_WALK;
		m->xlat = (uint64_t)spegen_rng_lognormal(rng, 35, 2.5, 8, 1500);
		g->st.tlb_walk++;
	} else {
		m->xlat = spegen_rng_below(rng, 3);
	}
	lat = spegen_level_lat(m->level);
	if (m->load) {
		m->exec = (uint64_t)spegen_rng_lognormal(rng, lat->median,
							 lat->spread, lat->lo,
							 lat->hi);
		if (ev & (1ULL << SPE_EV_TLB_WALK))
			m->exec += m->xlat;
	} else {
		/* stores complete into the store buffer */
		m->exec = (uint64_t)spegen_rng_lognormal(rng, 3, 1.8, 1, 40);
	}
	m->events = ev;
	g->st.level[m->level]++;
}

/* ---- the record ------------------------------------------------------------- */

struct draft {
	unsigned int op;		/* enum spegen_op */
	bool kernel;
	uint64_t pc;
	size_t fn;
	uint64_t issue, total;
	uint64_t events;
	unsigned int op_cls;
	uint8_t op_payload;
	bool has_mem;
	struct mem mem;
	bool has_tgt, has_prev;
	uint64_t tgt, prev;
};

static uint64_t clamp_in_fn(struct spegen *g, const struct draft *d,
			    int64_t off)
{
	const struct spegen_syms *s = d->kernel ? g->cfg.kernel_syms :
						  g->cfg.user_syms;
	uint64_t start = spegen_syms_fn_start(s, d->fn);
	uint64_t size = spegen_syms_fn_size(s, d->fn);
	int64_t pos = (int64_t)(d->pc - start) + off * 4;

	if (pos < 0)
		pos = 0;
	if ((uint64_t)pos >= size)
		pos = size > 4 ? (int64_t)((size - 4) & ~3ULL) : 0;
	return start + (uint64_t)pos;
}

static void gen_branch(struct spegen *g, struct draft *d)
{
	static const double kind_w[] = { 55, 8, 12, 3, 14, 4 };
	enum { K_COND, K_B, K_BL, K_BLR, K_RET, K_BR };
	struct spegen_rng *rng = &g->rng;
	unsigned int ver = g->cfg.version;
	bool cr = spegen_version_has(ver, FEAT_BR_CR);
	bool gcs = spegen_version_has(ver, FEAT_GCS) &&
		   g->cfg.mix[SPEGEN_OP_GCS] > 0;
	int kind = spegen_rng_weighted(rng, kind_w, 6);
	double mispred = 0.002;
	size_t fn2;

	d->op_cls = SPE_OP_CLASS_BRANCH;
	d->has_tgt = true;
	switch (kind) {
	case K_COND:
		d->op_payload = spe_op_branch(true, false, false, SPE_OP_BR_CR_NONE);
		mispred = 0.04;
		if (spegen_rng_chance(rng, 0.35)) {
			d->events |= 1ULL << SPE_EV_NOT_TAKEN;
			d->tgt = d->pc + 4;
			g->st.not_taken++;
		} else {
			d->tgt = clamp_in_fn(g, d,
					     (int64_t)spegen_rng_below(rng, 96) - 48);
		}
		break;
	case K_B:
		d->op_payload = spe_op_branch(false, false, false, SPE_OP_BR_CR_NONE);
		d->tgt = clamp_in_fn(g, d, (int64_t)spegen_rng_below(rng, 200) - 100);
		break;
	case K_BL:
	case K_BLR:
		d->op_payload = spe_op_branch(false, kind == K_BLR, gcs,
					      cr ? SPE_OP_BR_CR_CALL : 0);
		pick_pc(g, d->kernel, &fn2);
		d->tgt = spegen_syms_fn_start(d->kernel ? g->cfg.kernel_syms :
					      g->cfg.user_syms, fn2);
		if (kind == K_BLR)
			mispred = 0.06;
		break;
	case K_RET:
		d->op_payload = spe_op_branch(false, true, gcs,
					      cr ? SPE_OP_BR_CR_RETURN : 0);
		d->tgt = pick_pc(g, d->kernel, NULL) + 4;
		mispred = 0.01;
		break;
	default:
		d->op_payload = spe_op_branch(false, true, false, SPE_OP_BR_CR_NONE);
		pick_pc(g, d->kernel, &fn2);
		d->tgt = spegen_syms_fn_start(d->kernel ? g->cfg.kernel_syms :
					      g->cfg.user_syms, fn2);
		mispred = 0.06;
		break;
	}
	if (spegen_rng_chance(rng, mispred)) {
		d->events |= 1ULL << SPE_EV_MISPRED;
		g->st.mispred++;
	}
	if (g->cfg.prev_tgt) {
		d->has_prev = true;
		d->prev = clamp_in_fn(g, d, -(int64_t)spegen_rng_below(rng, 64));
	}
	d->issue = (uint64_t)spegen_rng_lognormal(rng, 2, 2.5, 1, 80);
	d->total = d->issue + (uint64_t)spegen_rng_lognormal(rng, 2, 1.6, 1, 30);
}

static void gen_other(struct spegen *g, struct draft *d)
{
	struct spegen_rng *rng = &g->rng;
	uint64_t x = spegen_rng_below(rng, 100);
	double exec = 1;

	d->op_cls = SPE_OP_CLASS_OTHER;
	/* FP and ASE qualifiers only where the version has them */
	if (!spegen_version_has(g->cfg.version, FEAT_OTHER_FP_ASE) && x >= 65)
		x = spegen_rng_below(rng, 65);
	if (x < 55) {
		d->op_payload = spe_op_other(false, false, false);
	} else if (x < 65) {
		d->op_payload = spe_op_other(true, false, false);
	} else if (x < 85) {
		d->op_payload = spe_op_other(spegen_rng_chance(rng, 0.05), true, false);
		exec = 4;
	} else {
		d->op_payload = spe_op_other(false, spegen_rng_chance(rng, 0.4), true);
		exec = 3;
	}
	if (spegen_rng_chance(rng, 0.0002))
		d->events |= 1ULL << SPE_EV_EXCEPTION_GEN;
	d->issue = (uint64_t)spegen_rng_lognormal(rng, 3, 3, 1, 120);
	d->total = d->issue + (uint64_t)spegen_rng_lognormal(rng, exec, 1.5, 1, 40);
}

/* Class 1 access: fill the op payload, memory side and latencies. */
static void gen_mem(struct spegen *g, struct draft *d, bool load,
		    uint8_t payload, const double *w, unsigned int size,
		    double extra)
{
	struct spegen_rng *rng = &g->rng;

	d->op_cls = SPE_OP_CLASS_LDST;
	d->op_payload = payload;
	d->has_mem = true;
	d->mem.load = load;
	d->mem.kernel = d->kernel;
	mem_access(g, &d->mem, w, size);
	d->events |= d->mem.events;
	d->issue = (uint64_t)spegen_rng_lognormal(rng, 2, 3, 1, 150);
	d->total = d->issue + d->mem.exec + (uint64_t)extra;
	if (load)
		g->st.loads++;
	else
		g->st.stores++;
}

static void gen_sve(struct spegen *g, struct draft *d, bool streaming)
{
	struct spegen_rng *rng = &g->rng;
	unsigned int vl = streaming ? 512 : g->cfg.sve_vl;
	bool pred = spegen_rng_chance(rng, 0.6);

	if (streaming)
		d->events |= 1ULL << SPE_EV_STREAMING_SVE;
	if (!streaming && spegen_rng_chance(rng, 0.5)) {
		d->op_cls = SPE_OP_CLASS_OTHER;
		d->op_payload = spe_op_sve_other(vl, pred,
						 spegen_rng_chance(rng, 0.5));
		d->issue = (uint64_t)spegen_rng_lognormal(rng, 3, 3, 1, 120);
		d->total = d->issue +
			   (uint64_t)spegen_rng_lognormal(rng, 5, 1.5, 2, 60);
	} else {
		bool load = spegen_rng_chance(rng, 0.7);
		bool sg = spegen_rng_chance(rng, 0.15);

		gen_mem(g, d, load, spe_op_ldst_sve(!load, vl, pred, sg),
			load ? g->ld_w : g->st_w, 16, sg ? 12 : 0);
	}
	if (pred && spegen_rng_chance(rng, 0.15))
		d->events |= 1ULL << SPE_EV_PARTIAL_PRED;
	else if (pred && spegen_rng_chance(rng, 0.03))
		d->events |= 1ULL << SPE_EV_EMPTY_PRED;
}

static void gen_sme(struct spegen *g, struct draft *d)
{
	struct spegen_rng *rng = &g->rng;

	if (spegen_rng_chance(rng, 0.3)) {
		gen_sve(g, d, true);
		return;
	}
	d->op_cls = SPE_OP_CLASS_OTHER;
	d->op_payload = spe_op_sme_other(512, spegen_rng_chance(rng, 0.6));
	d->events |= (1ULL << SPE_EV_STREAMING_SVE) | (1ULL << SPE_EV_SMCU);
	d->issue = (uint64_t)spegen_rng_lognormal(rng, 4, 3, 1, 200);
	d->total = d->issue + (uint64_t)spegen_rng_lognormal(rng, 12, 2, 2, 200);
}

static void gen_atomic(struct spegen *g, struct draft *d)
{
	/* LDADD, CAS, LDAXR, STLXR, LDAR, STLR */
	static const double kind_w[] = { 25, 15, 20, 15, 15, 10 };
	struct spegen_rng *rng = &g->rng;
	int k = spegen_rng_weighted(rng, kind_w, 6);
	bool st = k == 3 || k == 5;
	bool ar = k >= 2 || spegen_rng_chance(rng, 0.3);
	bool excl = k == 2 || k == 3;
	bool at = k <= 1;

	gen_mem(g, d, !st, spe_op_ldst_ext(st, ar, excl, at),
		st ? g->st_w : g->at_w, 8, at ? 10 : 2);
}

static void gen_record_body(struct spegen *g, struct draft *d)
{
	struct spegen_rng *rng = &g->rng;
	bool ld;

	switch (d->op) {
	case SPEGEN_OP_LOAD:
	case SPEGEN_OP_STORE:
		ld = d->op == SPEGEN_OP_LOAD;
		if (spegen_rng_chance(rng, 0.15))
			gen_mem(g, d, ld, spe_op_ldst_simd_fp(!ld),
				ld ? g->ld_w : g->st_w, 16, 0);
		else
			gen_mem(g, d, ld, spe_op_ldst_gp(!ld),
				ld ? g->ld_w : g->st_w, 8, 0);
		break;
	case SPEGEN_OP_BRANCH:
		gen_branch(g, d);
		break;
	case SPEGEN_OP_SVE:
		gen_sve(g, d, false);
		break;
	case SPEGEN_OP_SME:
		gen_sme(g, d);
		break;
	case SPEGEN_OP_ATOMIC:
		gen_atomic(g, d);
		break;
	case SPEGEN_OP_MOPS: {
		uint64_t x = spegen_rng_below(rng, 100);
		double extra = spegen_rng_lognormal(rng, 40, 3, 4, 2000);

		if (x < 40)
			gen_mem(g, d, true, spe_op_ldst_memcpy(false), g->ld_w,
				64, extra);
		else if (x < 70)
			gen_mem(g, d, false, spe_op_ldst_memcpy(true), g->st_w,
				64, extra);
		else
			gen_mem(g, d, false, spe_op_ldst_memset(), g->st_w,
				64, extra);
		break;
	}
	case SPEGEN_OP_MTE:
		ld = spegen_rng_chance(rng, 0.4);
		gen_mem(g, d, ld, spe_op_ldst_mte_tag(!ld),
			ld ? g->ld_w : g->st_w, 16, 0);
		d->mem.checked = false;		/* tag accesses are unchecked */
		break;
	case SPEGEN_OP_GCS:
		ld = spegen_rng_chance(rng, 0.5);
		gen_mem(g, d, ld, spe_op_ldst_gcs(!ld, spegen_rng_chance(rng, 0.3)),
			ld ? g->ld_w : g->st_w, 8, 0);
		break;
	case SPEGEN_OP_NV2:
		ld = spegen_rng_chance(rng, 0.6);
		gen_mem(g, d, ld, spe_op_ldst_nv_sysreg(!ld),
			ld ? g->ld_w : g->st_w, 8, 0);
		break;
	case SPEGEN_OP_UNSPEC:
		ld = spegen_rng_chance(rng, 0.5);
		gen_mem(g, d, ld, spe_op_ldst_unspec(!ld),
			ld ? g->ld_w : g->st_w, 8, 0);
		break;
	default:
		gen_other(g, d);
		break;
	}
}

size_t spegen_record(struct spegen *g, uint8_t *buf, struct spegen_rec_info *info)
{
	const struct spegen_cfg *cfg = &g->cfg;
	struct spegen_rng *rng = &g->rng;
	struct rec r = { .buf = buf, .len = 0, .info = info };
	struct draft d;
	size_t n, term_len;
	int op;

	memset(info, 0, sizeof(*info));
	memset(&d, 0, sizeof(d));
	op = spegen_rng_weighted(rng, cfg->mix, SPEGEN_OP_NR);
	d.op = op < 0 ? SPEGEN_OP_OTHER : (unsigned int)op;
	d.kernel = cfg->kernel_syms &&
		   (d.op == SPEGEN_OP_NV2 ||
		    spegen_rng_chance(rng, cfg->kernel_share));
	d.pc = pick_pc(g, d.kernel, &d.fn);
	if (!spegen_rng_chance(rng, 0.015))
		d.events = 1ULL << SPE_EV_RETIRED;
	else
		g->st.not_retired++;
	gen_record_body(g, &d);
	/* a rare long stall (contention, interrupt): the counters' tail */
	if (spegen_rng_chance(rng, 0.002))
		d.total += (uint64_t)spegen_rng_lognormal(rng, 2500, 4, 200,
							  200000);

	/* PC, latencies, events, op type */
	put_addr(g, &r, SPE_ADDR_PC, pc_payload(d.pc, d.kernel));
	put_counter(g, &r, SPE_CNT_ISSUE_LAT, d.issue);
	if (cfg->alt_clock)
		put_counter(g, &r, SPE_CNT_ALT_ISSUE_LAT, (d.issue + 1) / 2);
	put_counter(g, &r, SPE_CNT_TOTAL_LAT, d.total);
	n = spe_enc_events(buf + r.len, d.events, cfg->ev_size);
	rec_note(&r, n, 1);
	n = spe_enc_op(buf + r.len, d.op_cls, d.op_payload);
	rec_note(&r, n, 1);

	if (d.has_mem) {
		struct mem *m = &d.mem;

		put_addr(g, &r, SPE_ADDR_DATA_VA,
			 spe_addr_payload_va(m->va, m->tag));
		put_counter(g, &r, SPE_CNT_XLAT_LAT, m->xlat);
		if (cfg->pa)
			put_addr(g, &r, SPE_ADDR_DATA_PA,
				 spe_addr_payload_pa(va_to_pa(m->va), true,
						     m->checked, false,
						     m->checked ? m->tag & 0xf : 0));
		if (m->load) {
			n = spe_enc_dsrc(buf + r.len,
					 cfg->model->dsrc[m->dsrc].code,
					 cfg->dsrc_size);
			rec_note(&r, n, 1);
			info->dsrc = (int8_t)m->dsrc;
			g->st.dsrc[m->dsrc]++;
			g->st.lat_sum[m->level] += d.total;
		} else {
			info->dsrc = -1;
		}
	} else {
		info->dsrc = -1;
	}
	if (d.has_tgt)
		put_addr(g, &r, SPE_ADDR_BRANCH_TARGET, pc_payload(d.tgt, d.kernel));
	if (d.has_prev)
		put_addr(g, &r, SPE_ADDR_PREV_BRANCH_TARGET,
			 pc_payload(d.prev, d.kernel));
	if (cfg->context >= 0) {
		/* a context switch now and then */
		if (spegen_rng_chance(rng, 0.001))
			g->pid = 1000 + (uint32_t)spegen_rng_below(rng, cfg->pids ? cfg->pids : 30000);
		n = spe_enc_context(buf + r.len, (unsigned int)cfg->context, g->pid);
		rec_note(&r, n, 1);
	}

	/* PAD up to the alignment, then the terminator */
	term_len = cfg->ts ? 9 : 1;
	if (cfg->align > 1) {
		size_t end = r.len + term_len;
		size_t padded = (end + cfg->align - 1) / cfg->align * cfg->align;

		if (padded > end) {
			memset(buf + r.len, SPE_HDR_PAD, padded - end);
			rec_note(&r, padded - end, 0);
			g->st.pad_bytes += padded - end;
		}
	}
	if (cfg->ts) {
		double mean = cfg->rate > 0 ? cfg->ts_hz / cfg->rate : 1;

		g->ts += 1 + (uint64_t)spegen_rng_exp(rng, mean > 1 ? mean - 1 : 0);
		n = spe_enc_timestamp(buf + r.len, g->ts);
	} else {
		n = spe_enc_end(buf + r.len);
	}
	rec_note(&r, n, 1);

	info->op = (uint8_t)d.op;
	info->kernel = d.kernel;
	g->st.records++;
	g->st.bytes += r.len;
	g->st.op[d.op]++;
	if (d.kernel)
		g->st.kernel++;
	return r.len;
}
