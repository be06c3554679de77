// SPDX-License-Identifier: GPL-2.0-only
/*
 * spetop's pipeline (pipe.c) fed encoded SPE bytes in random chunks, its
 * intervals closed by the replay clock's hook: every interval's counts,
 * per key of the grouping in force, against what the generator wrote.
 * Under -g symbol the pipeline keys and counts records a batch at a time;
 * a batch must never carry records across an interval's end, nor into a
 * grouping that changed there.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pipe.h"
#include "spe_encode.h"
#include "sym.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	return check_xorshift(&rng_state);
}

/* What the generator wrote, per record */
struct gen_rec {
	uint64_t ts;
	bool has_ts;		/* else the record ends with END */
	bool kernel;
	uint8_t op_class;	/* enum spe_op_class */
	uint32_t pid;
	int iv;			/* the interval it must be counted in */
	size_t end;		/* stream offset just past its last byte */
};

enum { NREC = 20000, PERIOD = 400 };
#define UPC	0x400000ull
#define KPC	0xffff800008000000ull

static const enum st_group groups[] = { ST_G_SYMBOL, ST_G_OP, ST_G_PID };

struct run {
	struct pipe p;
	struct sym_ctx *sym;
	const struct gen_rec *rec;
	uint8_t *buf;		/* the records encoded */
	size_t len;
	int iv;			/* intervals closed */
	uint64_t next;		/* the clock's next boundary */
	size_t bad;
};

static size_t encode(uint8_t *b, struct gen_rec *g, uint64_t *ts)
{
	size_t n = 0;
	unsigned int op = rnd() % 4;

	g->kernel = rnd() % 10 == 0;
	g->pid = 100 + (uint32_t)(rnd() % 5);
	n += spe_enc_address(b + n, SPE_ADDR_PC,
			     spe_addr_payload_pc((g->kernel ? KPC : UPC) + rnd() % 4096 * 4,
						 g->kernel ? 1 : 0, true, false), false);
	switch (op) {
	case 0:
		n += spe_enc_op(b + n, SPE_OP_CLASS_LDST, spe_op_ldst_gp(false));
		g->op_class = SPE_OPC_LOAD;
		break;
	case 1:
		n += spe_enc_op(b + n, SPE_OP_CLASS_LDST, spe_op_ldst_gp(true));
		g->op_class = SPE_OPC_STORE;
		break;
	case 2:
		n += spe_enc_op(b + n, SPE_OP_CLASS_BRANCH, spe_op_branch(true, false, false, 0));
		g->op_class = SPE_OPC_BRANCH;
		break;
	default:
		n += spe_enc_op(b + n, SPE_OP_CLASS_OTHER, spe_op_other(false, false, false));
		g->op_class = SPE_OPC_OTHER;
		break;
	}
	n += spe_enc_counter(b + n, SPE_CNT_TOTAL_LAT, 1 + rnd() % 300, 12, false);
	n += spe_enc_context(b + n, SPE_CTX_EL1, g->pid);
	g->has_ts = rnd() % 8 != 0;
	if (g->has_ts) {
		*ts += 1 + rnd() % 20;
		g->ts = *ts;
		n += spe_enc_timestamp(b + n, g->ts);
	} else {
		n += spe_enc_end(b + n);
	}
	return n;
}

/* The key record @g has under @group (the pipeline's rules, restated) */
static struct agg_key key_of(struct run *r, const struct gen_rec *g, enum st_group group)
{
	switch (group) {
	case ST_G_SYMBOL:
		/* no maps, no kallsyms: a user PC is its process's
		 * [unknown], a kernel PC the kernel's */
		return (struct agg_key){ sym_resolve(r->sym, g->pid, g->kernel ? KPC : UPC,
						     g->kernel), 0 };
	case ST_G_OP:
		return (struct agg_key){ g->op_class, 0 };
	default:
		return (struct agg_key){ g->pid, 0 };
	}
}

/* The interval just closed (r->iv), grouped by @group, against the
 * generator's records rec[lo..hi) */
static void check_range(struct run *r, enum st_group group, size_t lo, size_t hi)
{
	const struct agg_row *t = agg_totals(r->p.agg);

	for (size_t i = lo; i < hi; i++) {
		struct agg_key k = key_of(r, &r->rec[i], group), kj;
		const struct agg_row *row;
		uint64_t want = 0;
		bool first = true;

		/* each key once: at its first record in the interval */
		for (size_t j = lo; j < hi; j++) {
			kj = key_of(r, &r->rec[j], group);
			if (kj.a != k.a || kj.b != k.b)
				continue;
			first &= j >= i;
			want++;
		}
		if (!first)
			continue;
		row = agg_find(r->p.agg, k);
		if (!row || row->last.c.samples != want) {
			if (r->bad++ < 5)
				printf("  interval %d group %d key %#llx: %llu samples, want %llu\n",
				       r->iv, group, (unsigned long long)k.a,
				       (unsigned long long)(row ? row->last.c.samples : 0),
				       (unsigned long long)want);
		}
	}
	if (t->last.c.samples != hi - lo && r->bad++ < 5)
		printf("  interval %d: %llu samples, want %zu\n", r->iv,
		       (unsigned long long)t->last.c.samples, hi - lo);
}

/* The interval just closed by the replay clock: its records are a run
 * (the generator's clock only moves on) */
static void check_interval(struct run *r, enum st_group group)
{
	size_t lo = 0, hi;

	while (lo < NREC && r->rec[lo].iv != r->iv)
		lo++;
	for (hi = lo; hi < NREC && r->rec[hi].iv == r->iv;)
		hi++;
	check_range(r, group, lo, hi);
}

/* The replay clock's hook: close the interval, check it, and change
 * the grouping for the next one */
static void boundary(void *ctx, const struct spe_record *rec)
{
	struct run *r = ctx;

	pipe_end_interval(&r->p);
	check_interval(r, r->p.group);
	r->iv++;
	pipe_set_group(&r->p, groups[r->iv % 3]);
	r->p.ts_next = (rec->ts / PERIOD + 1) * PERIOD;
}

/*
 * The generator's records encoded into r->buf, each with its end offset
 * and the interval the replay clock puts it in (a record stamped at or
 * past the boundary opens the next one); the pipeline, grouping by
 * groups[0].  Returns the intervals the clock makes, -1 on failure.
 */
static int run_start(struct run *r)
{
	struct sym_opts so = { .proc_root = "/nonexistent-proc", .kallsyms = NULL };
	struct gen_rec *rec = calloc(NREC, sizeof(*rec));
	uint64_t ts = 0, next = PERIOD;
	int iv = 0;

	memset(r, 0, sizeof(*r));
	r->rec = rec;
	r->buf = malloc((size_t)NREC * 64);
	r->sym = sym_new(&so);
	CHECK(rec && r->buf && r->sym);
	if (!rec || !r->buf || !r->sym || pipe_init(&r->p, groups[0], r->sym, 0, 0))
		return -1;
	for (size_t i = 0; i < NREC; i++) {
		r->len += encode(r->buf + r->len, &rec[i], &ts);
		rec[i].end = r->len;
		if (rec[i].has_ts && rec[i].ts >= next) {
			iv++;
			next = (rec[i].ts / PERIOD + 1) * PERIOD;
		}
		rec[i].iv = iv;
	}
	return iv;
}

static void run_end(struct run *r)
{
	pipe_free(&r->p);
	sym_free(r->sym);
	free((void *)r->rec);
	free(r->buf);
}

/* The next chunk from @off, 1 byte to several batches' worth: records
 * split across calls, batches cut by each call's end.  The new offset. */
static size_t feed(struct run *r, size_t off)
{
	size_t n = 1 + rnd() % (rnd() % 4 ? 3000 : 40);

	if (n > r->len - off)
		n = r->len - off;
	CHECK(!pipe_aux(&r->p, 0, r->buf + off, n));
	return off + n;
}

static void test_intervals(void)
{
	struct run r;
	int iv = run_start(&r);

	CHECK(iv > 30);
	if (iv < 0)
		goto out;
	r.p.ts_next = PERIOD;
	r.p.boundary = boundary;
	r.p.boundary_ctx = &r;
	for (size_t off = 0; off < r.len;)
		off = feed(&r, off);
	pipe_finish(&r.p);
	pipe_end_interval(&r.p);
	check_interval(&r, r.p.group);
	CHECK_EQ_U64(r.iv, iv);
	CHECK_EQ_U64(r.p.records_cum, NREC);
	CHECK_EQ_U64(r.bad, 0);
out:
	run_end(&r);
}

/*
 * Live capture's way: no clock hook, the interval ends between two
 * pipe_aux() calls.  Every record whose last byte was fed is in it.
 */
static void test_wall_clock(void)
{
	struct run r;
	size_t done = 0, closed = 0;

	if (run_start(&r) < 0)
		goto out;
	for (size_t off = 0; off < r.len;) {
		off = feed(&r, off);
		while (done < NREC && r.rec[done].end <= off)
			done++;
		if (rnd() % 3 == 0 || off == r.len) {
			pipe_end_interval(&r.p);
			check_range(&r, r.p.group, closed, done);
			closed = done;
			r.iv++;
			if (rnd() % 2)
				pipe_set_group(&r.p, groups[rnd() % 3]);
		}
	}
	CHECK_EQ_U64(done, NREC);
	CHECK(r.iv > 30);
	CHECK_EQ_U64(r.bad, 0);
out:
	run_end(&r);
}

int main(void)
{
	RUN_TEST(test_intervals);
	RUN_TEST(test_wall_clock);
	CHECK_DONE();
}
