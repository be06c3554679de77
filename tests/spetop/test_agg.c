// SPDX-License-Identifier: GPL-2.0-only
/*
 * agg against a brute-force model: every sample is kept raw, per key and
 * interval, and counts, percentiles, totals and agg_top orders are
 * recomputed from those by sorting.  The bounds (overflow row, eviction
 * by rows and by memory) are checked against the bookkeeping identity
 * rows + overflow + evicted == totals, and memory against glibc's count.
 */
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "agg.h"
#include "check.h"
#include "heap_exact.h"
#include "rng.h"
#include "spe.h"

/* ---- the model -------------------------------------------------------- */

struct vec {
	uint16_t *v;
	size_t n, cap;
};

static void vec_push(struct vec *x, uint16_t v)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 16;
		x->v = realloc(x->v, x->cap * sizeof(*x->v));
	}
	x->v[x->n++] = v;
}

static void vec_append(struct vec *d, const struct vec *s)
{
	for (size_t i = 0; i < s->n; i++)
		vec_push(d, s->v[i]);
}

struct ref_win {
	struct agg_counts c;
	struct vec lat[AGG_LAT_NR];
};

struct ref_key {
	struct agg_key key;
	struct ref_win cur, last, cum;
};

static void win_reset(struct ref_win *w)
{
	memset(&w->c, 0, sizeof(w->c));
	for (int k = 0; k < AGG_LAT_NR; k++)
		w->lat[k].n = 0;
}

static void win_free(struct ref_win *w)
{
	for (int k = 0; k < AGG_LAT_NR; k++) {
		free(w->lat[k].v);
		w->lat[k].v = NULL;
		w->lat[k].n = w->lat[k].cap = 0;
	}
	memset(&w->c, 0, sizeof(w->c));
}

/* Written from the event list, not from agg's code. */
static void win_add(struct ref_win *w, const struct agg_sample *s)
{
	bool ev[64];

	for (int i = 0; i < 64; i++)
		ev[i] = (s->events >> i) & 1;
	w->c.samples++;
	if (s->op_class == SPE_OPC_LOAD || s->op_class == SPE_OPC_STORE)
		w->c.mem_ops++;
	if (ev[SPE_EV_L1D_ACCESS])
		w->c.l1d_access++;
	if (ev[SPE_EV_L1D_REFILL])
		w->c.l1d_refill++;
	if (ev[SPE_EV_TLB_ACCESS])
		w->c.tlb_access++;
	if (ev[SPE_EV_TLB_WALK])
		w->c.tlb_walk++;
	if (ev[SPE_EV_LLC_ACCESS])
		w->c.llc_access++;
	if (ev[SPE_EV_LLC_MISS])
		w->c.llc_miss++;
	if (ev[SPE_EV_REMOTE_ACCESS] || s->remote)
		w->c.remote++;
	for (int k = 0; k < AGG_LAT_NR; k++) {
		if (s->has_lat & (1 << k))
			vec_push(&w->lat[k], s->lat[k]);
		else
			w->c.lat_missing[k]++;
	}
}

static void win_fold(struct ref_win *d, const struct ref_win *s)
{
	const uint64_t *sp = (const uint64_t *)&s->c;
	uint64_t *dp = (uint64_t *)&d->c;

	for (size_t i = 0; i < sizeof(s->c) / sizeof(uint64_t); i++)
		dp[i] += sp[i];
	for (int k = 0; k < AGG_LAT_NR; k++)
		vec_append(&d->lat[k], &s->lat[k]);
}

/* last = cur (a copy), cum += cur, cur emptied */
static void win_close(struct ref_win *cur, struct ref_win *last,
		      struct ref_win *cum)
{
	win_reset(last);
	win_fold(last, cur);
	win_fold(cum, cur);
	win_reset(cur);
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* nearest rank by hand: k = least integer >= p/100*n, in [1, n] */
static uint16_t ref_pct(const struct vec *x, double p)
{
	uint16_t *s, r;
	double want;
	size_t k;

	if (!x->n)
		return 0;
	s = malloc(x->n * sizeof(*s));
	memcpy(s, x->v, x->n * sizeof(*s));
	qsort(s, x->n, sizeof(*s), cmp_u16);
	want = p / 100.0 * (double)x->n;
	k = (size_t)want;
	if ((double)k < want)
		k++;
	if (k < 1)
		k = 1;
	if (k > x->n)
		k = x->n;
	r = s[k - 1];
	free(s);
	return r;
}

static double ref_mean(const struct vec *x)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < x->n; i++)
		sum += x->v[i];
	return x->n ? (double)sum / (double)x->n : -1;
}

/* A window of agg against the model's; prints the first differences. */
static int win_check(const struct agg_stats *st, const struct ref_win *w,
		     const char *what)
{
	static const double ps[] = { 50, 90, 99, 0.1, 100 };
	int bad = 0;

	if (memcmp(&st->c, &w->c, sizeof(w->c))) {
		printf("  %s: counts differ (samples %" PRIu64 " vs %" PRIu64
		       ", l1d_refill %" PRIu64 " vs %" PRIu64 ", remote %" PRIu64
		       " vs %" PRIu64 ")\n", what, st->c.samples, w->c.samples,
		       st->c.l1d_refill, w->c.l1d_refill, st->c.remote, w->c.remote);
		bad++;
	}
	for (int k = 0; k < AGG_LAT_NR; k++) {
		if (st->lat[k].n != w->lat[k].n) {
			printf("  %s: lat %d n %" PRIu64 " vs %zu\n", what, k,
			       st->lat[k].n, w->lat[k].n);
			bad++;
			continue;
		}
		for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
			uint16_t got = xhist_percentile(&st->lat[k], ps[i]);
			uint16_t want = ref_pct(&w->lat[k], ps[i]);

			if (got != want) {
				printf("  %s: lat %d p%g %u vs %u\n", what, k,
				       ps[i], got, want);
				bad++;
			}
		}
	}
	return bad;
}

/* ---- sample generation ------------------------------------------------ */

/* Zipf-ish key choice over nk keys (rank r has weight 1/r^1.1). */
static double *zipf_cdf(size_t nk)
{
	double *c = malloc(nk * sizeof(*c)), t = 0;

	for (size_t i = 0; i < nk; i++)
		c[i] = (t += 1 / pow((double)(i + 1), 1.1));
	for (size_t i = 0; i < nk; i++)
		c[i] /= t;
	return c;
}

static size_t zipf_pick(const double *cdf, size_t nk)
{
	double u = rnd_unit();
	size_t lo = 0, hi = nk - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint16_t gen_lat(size_t key)
{
	/* per-key base so rows differ; a tail reaching the 16-bit top */
	double x = (double)(5 + key % 37) + 30 * rnd_unit();

	if (rnd() % 8 == 0)
		x += -300 * log(1 - rnd_unit());
	if (rnd() % 2000 == 0)
		x = 65535;
	return x > 65535 ? 65535 : (uint16_t)x;
}

static void gen_sample(struct agg_sample *s, size_t key)
{
	static const int evs[] = {
		SPE_EV_L1D_ACCESS, SPE_EV_L1D_REFILL, SPE_EV_TLB_ACCESS,
		SPE_EV_TLB_WALK, SPE_EV_LLC_ACCESS, SPE_EV_LLC_MISS,
		SPE_EV_REMOTE_ACCESS, SPE_EV_RETIRED, SPE_EV_MISPRED, 20, 40
	};

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		if (rnd() % 100 < 10 + (key * 7 + i * 13) % 60)
			s->events |= 1ull << evs[i];
	for (int k = 0; k < AGG_LAT_NR; k++) {
		if (rnd() % 100 < (k == 0 ? 90u : k == 1 ? 70u : 50u)) {
			s->has_lat |= 1u << k;
			s->lat[k] = k == 0 ? gen_lat(key) : (uint16_t)(rnd() % (k == 1 ? 40 : 8));
		}
	}
	s->op_class = (uint8_t)(rnd() % SPE_OPC_NR);
	s->remote = rnd() % 20 == 0;
}

/* 0: PC-like keys; 1: id-like, as -g symbol/dso/pid/op give (agg's
 * direct index), with some keys it must leave to the hash */
static int key_style;
/* agg_set_queue_max() for the tables the tests make: 0, the default, or
 * small, so that intervals outgrow the queue */
static uint32_t queue_max;

static struct agg *new_table(size_t max_rows, size_t max_bytes)
{
	struct agg *a = agg_new(max_rows, max_bytes);

	agg_set_queue_max(a, queue_max);
	return a;
}

static struct agg_key key_of(size_t i)
{
	if (key_style) {
		if (i % 5 == 4)
			return (struct agg_key){ i, 1 };
		if (i % 7 == 6)
			return (struct agg_key){ (1u << 20) + i, 0 };	/* too big */
		return (struct agg_key){ i * 3, 0 };
	}
	/* PC-like: low bits zero; b a small "pid" */
	return (struct agg_key){ 0xffff800008000000ull + i * 4, i % 3 };
}

/* ---- brute-force top -------------------------------------------------- */

struct bt {
	double v;
	uint64_t samples;
	struct agg_key key;
	bool other;
};

static int cmp_bt(const void *x, const void *y)
{
	const struct bt *p = x, *q = y;

	if (p->v != q->v)
		return p->v > q->v ? -1 : 1;
	if (p->samples != q->samples)
		return p->samples > q->samples ? -1 : 1;
	if (p->other != q->other)
		return p->other ? 1 : -1;
	if (p->key.a != q->key.a)
		return p->key.a < q->key.a ? -1 : 1;
	return p->key.b < q->key.b ? -1 : p->key.b > q->key.b;
}

static double ref_sort_value(const struct ref_win *w, enum agg_sort s)
{
	const struct vec *t = &w->lat[AGG_LAT_TOTAL];

	switch (s) {
	case AGG_SORT_SAMPLES:	return (double)w->c.samples;
	case AGG_SORT_P50:	return t->n ? ref_pct(t, 50) : -1;
	case AGG_SORT_P90:	return t->n ? ref_pct(t, 90) : -1;
	case AGG_SORT_P99:	return t->n ? ref_pct(t, 99) : -1;
	case AGG_SORT_MEAN:	return ref_mean(t);
	case AGG_SORT_L1D_MISS:	return (double)w->c.l1d_refill;
	case AGG_SORT_LLC_MISS:	return (double)w->c.llc_miss;
	case AGG_SORT_TLB_MISS:	return (double)w->c.tlb_walk;
	default:		return (double)w->c.remote;
	}
}

/* agg_top for every sort key and view against sorting the model. */
static void check_top(struct agg *a, struct ref_key *rk, size_t nk,
		      const struct ref_win *other_last,
		      const struct ref_win *other_cum)
{
	const struct agg_row **out = malloc((nk + 1) * sizeof(*out));
	struct bt *bt = malloc((nk + 1) * sizeof(*bt));

	for (int view = AGG_VIEW_LAST; view <= AGG_VIEW_CUM; view++) {
		for (int s = 0; s < AGG_SORT_NR; s++) {
			size_t n = 0, got;
			const struct ref_win *ow = view == AGG_VIEW_CUM ? other_cum : other_last;

			for (size_t i = 0; i < nk; i++) {
				const struct ref_win *w = view == AGG_VIEW_CUM ?
							  &rk[i].cum : &rk[i].last;

				if (!w->c.samples)
					continue;
				bt[n++] = (struct bt){ ref_sort_value(w, s),
						       w->c.samples, rk[i].key, false };
			}
			if (ow && ow->c.samples)
				bt[n++] = (struct bt){ ref_sort_value(ow, s),
						       ow->c.samples, { 0, 0 }, true };
			qsort(bt, n, sizeof(*bt), cmp_bt);
			got = agg_top(a, s, view, out, nk + 1);
			CHECK_EQ_U64(got, n);
			for (size_t i = 0; i < n && i < got; i++) {
				bool o = out[i]->flags & AGG_ROW_OTHER;

				if (o != bt[i].other ||
				    (!o && (out[i]->key.a != bt[i].key.a ||
					    out[i]->key.b != bt[i].key.b))) {
					printf("  top %s view %d: #%zu differs\n",
					       agg_sort_name(s), view, i);
					check_cur_failed++;
					break;
				}
			}
			/* a short list is the head of the long one */
			if (n > 5) {
				const struct agg_row *head[5];

				CHECK_EQ_U64(agg_top(a, s, view, head, 5), 5);
				agg_top(a, s, view, out, nk + 1);
				CHECK(!memcmp(head, out, sizeof(head)));
			}
		}
	}
	free(out);
	free(bt);
}

/* ---- tests ------------------------------------------------------------ */

/*
 * With use_many, test_intervals feeds the table through agg_add_many(),
 * in batches of random sizes (1 to BATCH_MAX), as the pipeline does.
 */
static bool use_many;
#define BATCH_MAX	64
static struct agg_item batch[BATCH_MAX];
static size_t nbatch, batch_want = 1;

static void batch_flush(struct agg *a)
{
	agg_add_many(a, batch, nbatch);
	nbatch = 0;
	batch_want = 1 + rnd() % BATCH_MAX;
}

static void batch_add(struct agg *a, struct agg_key key, const struct agg_sample *s)
{
	struct agg_item *it = &batch[nbatch++];

	it->ka = key.a;
	it->kb = key.b;
	memcpy(it->lat, s->lat, sizeof(it->lat));
	it->bits = agg_bits(s->has_lat, s->events, s->op_class, s->remote);
	if (nbatch == batch_want)
		batch_flush(a);
}

static void test_intervals(void)
{
	enum { NK = 300, NI = 6 };
	struct ref_key *rk = calloc(NK, sizeof(*rk));
	struct ref_win tot_cur = { 0 }, tot_last = { 0 }, tot_cum = { 0 };
	double *cdf = zipf_cdf(NK);
	struct agg *a = new_table(0, 0);
	struct agg_sample s;

	for (size_t i = 0; i < NK; i++)
		rk[i].key = key_of(i);
	for (int iv = 0; iv < NI; iv++) {
		/* interval 3 is quiet: idle rows must show an empty last */
		size_t ns = iv == 3 ? 50 : 5000 + rnd() % 30000;

		for (size_t j = 0; j < ns; j++) {
			size_t k = zipf_pick(cdf, NK);
			struct agg_row *r;

			/* odd keys skip interval 4 entirely */
			if (iv == 4 && (k & 1))
				k &= ~(size_t)1;
			gen_sample(&s, k);
			if (use_many) {
				batch_add(a, rk[k].key, &s);
			} else {
				r = agg_add(a, rk[k].key, &s);
				CHECK(r && r->key.a == rk[k].key.a && r->key.b == rk[k].key.b);
			}
			win_add(&rk[k].cur, &s);
			win_add(&tot_cur, &s);
		}
		batch_flush(a);
		/* rows exist from their first sample on */
		for (size_t i = 0; i < NK; i += 17)
			CHECK((agg_find(a, rk[i].key) != NULL) ==
			      (rk[i].cur.c.samples + rk[i].cum.c.samples > 0));
		agg_end_interval(a);
		CHECK_EQ_U64(agg_interval(a), iv + 1);
		for (size_t i = 0; i < NK; i++)
			win_close(&rk[i].cur, &rk[i].last, &rk[i].cum);
		win_close(&tot_cur, &tot_last, &tot_cum);

		/* every key: last and cum against the model */
		{
			struct agg_counts sum = { 0 };
			size_t rows = 0;

			for (size_t i = 0; i < NK; i++) {
				const struct agg_row *r = agg_find(a, rk[i].key);
				char what[64];

				if (!rk[i].cum.c.samples) {
					CHECK(!r);
					continue;
				}
				rows++;
				if (!r) {
					check_cur_failed++;
					continue;
				}
				snprintf(what, sizeof(what), "iv %d key %zu last", iv, i);
				if (win_check(agg_stats(a, r, AGG_VIEW_LAST), &rk[i].last, what))
					check_cur_failed++;
				snprintf(what, sizeof(what), "iv %d key %zu cum", iv, i);
				if (win_check(agg_stats(a, r, AGG_VIEW_CUM), &rk[i].cum, what))
					check_cur_failed++;
				CHECK_EQ_U64(r->cur.c.samples, 0);
				CHECK_EQ_U64(r->cur.lat[0].n, 0);
				sum.samples += r->cum.c.samples;
				sum.llc_miss += r->cum.c.llc_miss;
				sum.lat_missing[2] += r->cum.c.lat_missing[2];
			}
			CHECK_EQ_U64(agg_nrows(a), rows);
			if (win_check(&agg_totals(a)->last, &tot_last, "totals last"))
				check_cur_failed++;
			if (win_check(&agg_totals(a)->cum, &tot_cum, "totals cum"))
				check_cur_failed++;
			CHECK_EQ_U64(agg_totals(a)->cur.c.samples, 0);
			CHECK_EQ_U64(sum.samples, agg_totals(a)->cum.c.samples);
			CHECK_EQ_U64(sum.llc_miss, agg_totals(a)->cum.c.llc_miss);
			CHECK_EQ_U64(sum.lat_missing[2], agg_totals(a)->cum.c.lat_missing[2]);
		}
		check_top(a, rk, NK, NULL, NULL);
		CHECK_EQ_U64(agg_evicted(a)->rows, 0);
		CHECK_EQ_U64(agg_evicted(a)->overflow_samples, 0);
		CHECK_EQ_U64(agg_evicted(a)->lat_nomem, 0);
	}

	/* reset: as new, and it works again */
	agg_reset(a);
	CHECK_EQ_U64(agg_nrows(a), 0);
	CHECK_EQ_U64(agg_interval(a), 0);
	CHECK_EQ_U64(agg_totals(a)->cum.c.samples, 0);
	CHECK_EQ_U64(agg_totals(a)->last.lat[0].n, 0);
	CHECK(!agg_find(a, rk[0].key));
	{
		const struct agg_row *out[4];

		CHECK_EQ_U64(agg_top(a, AGG_SORT_SAMPLES, AGG_VIEW_CUM, out, 4), 0);
	}
	for (size_t i = 0; i < NK; i++) {
		win_free(&rk[i].cur);
		win_free(&rk[i].last);
		win_free(&rk[i].cum);
	}
	for (int j = 0; j < 1000; j++) {
		size_t k = zipf_pick(cdf, NK);

		gen_sample(&s, k);
		agg_add(a, rk[k].key, &s);
		win_add(&rk[k].cur, &s);
	}
	agg_end_interval(a);
	for (size_t i = 0; i < NK; i++) {
		const struct agg_row *r = agg_find(a, rk[i].key);

		win_close(&rk[i].cur, &rk[i].last, &rk[i].cum);
		if (rk[i].cum.c.samples && (!r || win_check(&r->cum, &rk[i].cum, "after reset")))
			check_cur_failed++;
	}
	check_top(a, rk, NK, NULL, NULL);

	for (size_t i = 0; i < NK; i++) {
		win_free(&rk[i].cur);
		win_free(&rk[i].last);
		win_free(&rk[i].cum);
	}
	win_free(&tot_cur);
	win_free(&tot_last);
	win_free(&tot_cum);
	agg_free(a);
	free(rk);
	free(cdf);
}

static size_t drops;

static void count_drop(struct agg_row *row, void *arg)
{
	drops++;
	CHECK(arg == &drops);
	free(row->user);
	row->user = NULL;
}

/* rows + overflow + evicted == totals, after every interval */
static void check_identity(struct agg *a)
{
	size_t max = agg_nrows(a) + 1;
	const struct agg_row **out = malloc(max * sizeof(*out));
	uint64_t sum = 0, other = 0;
	size_t n = agg_top(a, AGG_SORT_SAMPLES, AGG_VIEW_CUM, out, max);

	for (size_t i = 0; i < n; i++) {
		if (out[i]->flags & AGG_ROW_OTHER)
			other += out[i]->cum.c.samples;
		else
			sum += out[i]->cum.c.samples;
	}
	CHECK_EQ_U64(sum + other + agg_evicted(a)->samples,
		     agg_totals(a)->cum.c.samples);
	CHECK_EQ_U64(other, agg_evicted(a)->overflow_samples);
	CHECK_EQ_U64(n, agg_nrows(a) + (other > 0));
	free(out);
}

static void test_overflow_row(void)
{
	enum { MAXR = 10, NK = 30 };
	struct agg *a = new_table(MAXR, 0);
	uint64_t per[NK] = { 0 }, over = 0;
	struct agg_sample s;

	drops = 0;
	agg_set_drop(a, count_drop, &drops);
	for (int j = 0; j < 6000; j++) {
		/* keys 0..NK-1 arrive in order first, then at random */
		size_t k = j < NK ? (size_t)j : rnd() % NK;
		struct agg_row *r;

		gen_sample(&s, k);
		r = agg_add(a, key_of(k), &s);
		per[k]++;
		if (k < MAXR) {
			CHECK(!(r->flags & AGG_ROW_OTHER));
			if (!r->user)
				r->user = malloc(8);	/* the caller's label */
		} else {
			CHECK(r->flags & AGG_ROW_OTHER);
			over++;
		}
	}
	CHECK_EQ_U64(agg_nrows(a), MAXR);
	CHECK_EQ_U64(agg_evicted(a)->overflow_samples, over);
	CHECK(!agg_find(a, key_of(MAXR)));
	agg_end_interval(a);
	/* 10 rows > 90% of 10: down to 75% (7), the fewest samples first */
	CHECK_EQ_U64(agg_nrows(a), 7);
	CHECK_EQ_U64(agg_evicted(a)->rows, 3);
	CHECK_EQ_U64(drops, 3);
	{
		uint64_t ev = 0;
		int kept = 0;

		for (size_t k = 0; k < MAXR; k++) {
			size_t fewer = 0;

			for (size_t m = 0; m < MAXR; m++)
				if (per[m] < per[k] || (per[m] == per[k] && m < k))
					fewer++;
			/* the 3 coldest go */
			CHECK((agg_find(a, key_of(k)) != NULL) == (fewer >= 3));
			if (fewer < 3)
				ev += per[k];
			else
				kept++;
		}
		CHECK_EQ_U64(kept, 7);
		CHECK_EQ_U64(agg_evicted(a)->samples, ev);
	}
	check_identity(a);
	{
		const struct agg_row *out[16];
		size_t n = agg_top(a, AGG_SORT_SAMPLES, AGG_VIEW_LAST, out, 16);
		int others = 0;

		for (size_t i = 0; i < n; i++)
			if (out[i]->flags & AGG_ROW_OTHER) {
				others++;
				CHECK_EQ_U64(out[i]->last.c.samples, over);
			}
		CHECK_EQ_U64(others, 1);
		CHECK_EQ_U64(n, 8);
	}
	/* room again: a new key gets a row */
	gen_sample(&s, 0);
	CHECK(!(agg_add(a, key_of(NK + 1), &s)->flags & AGG_ROW_OTHER));
	agg_end_interval(a);
	check_identity(a);
	agg_free(a);
	CHECK_EQ_U64(drops, 3 + 8 + 1);	/* the rest, and the overflow row */
}

/*
 * The last key added before an interval ends is evicted, then comes
 * back: it must get a fresh row (nothing may remember the freed one).
 */
static void test_evict_then_readd(void)
{
	struct agg *a = new_table(4, 0);
	struct agg_sample s;
	struct agg_row *r;

	gen_sample(&s, 0);
	for (int k = 0; k < 3; k++)
		for (int j = 0; j < 10; j++)
			agg_add(a, key_of(k), &s);
	agg_add(a, key_of(3), &s);	/* the coldest, and the last */
	agg_end_interval(a);
	CHECK_EQ_U64(agg_nrows(a), 3);
	CHECK(!agg_find(a, key_of(3)));
	r = agg_add(a, key_of(3), &s);
	CHECK(agg_find(a, key_of(3)) == r);
	CHECK_EQ_U64(r->cur.c.samples, 1);
	CHECK_EQ_U64(r->cum.c.samples, 0);
	CHECK_EQ_U64(agg_nrows(a), 4);
	/* and agg_reset forgets it too */
	agg_reset(a);
	r = agg_add(a, key_of(3), &s);
	CHECK(agg_find(a, key_of(3)) == r);
	CHECK_EQ_U64(agg_nrows(a), 1);
	agg_end_interval(a);
	CHECK_EQ_U64(agg_totals(a)->cum.c.samples, 1);
	agg_free(a);
}

/* What the test knows of each key it sent, to judge eviction. */
struct seen {
	uint64_t last_iv, samples;
	bool admitted, gone;
};

/* Is key x colder than key y (agg.h's order: last_seen, cum, key)? */
static bool colder(const struct seen *x, struct agg_key kx,
		   const struct seen *y, struct agg_key ky)
{
	if (x->last_iv != y->last_iv)
		return x->last_iv < y->last_iv;
	if (x->samples != y->samples)
		return x->samples < y->samples;
	return kx.a != ky.a ? kx.a < ky.a : kx.b < ky.b;
}

static void test_evict_cold(void)
{
	enum { MAXR = 100, HOT = 10, COLD = 40, NI = 12, NK = HOT + COLD * NI };
	struct agg *a = new_table(MAXR, 0);
	struct ref_key *rk = calloc(NK, sizeof(*rk));
	struct seen *sn = calloc(NK, sizeof(*sn));
	struct agg_sample s;
	uint64_t ev_rows = 0;

	drops = 0;
	agg_set_drop(a, count_drop, &drops);
	for (size_t i = 0; i < NK; i++)
		rk[i].key = key_of(i);
	for (int iv = 0; iv < NI; iv++) {
		/* the hot keys every interval, then COLD new keys, one
		 * of them big: more samples than any hot key, but older
		 * next interval, so it goes first */
		for (int j = 0; j < 2000 + COLD; j++) {
			size_t k = j < 2000 ? rnd() % HOT : HOT + (size_t)iv * COLD + (j - 2000);
			int reps = k == HOT + (size_t)iv * COLD ? 3000 : 1;

			for (int m = 0; m < reps; m++) {
				struct agg_row *r;

				gen_sample(&s, k);
				r = agg_add(a, rk[k].key, &s);
				if (r->flags & AGG_ROW_OTHER) {
					CHECK(!sn[k].admitted);
					continue;
				}
				sn[k].admitted = true;
				sn[k].last_iv = iv;
				sn[k].samples++;
				win_add(&rk[k].cur, &s);
			}
		}
		agg_end_interval(a);
		for (size_t i = 0; i < NK; i++)
			win_close(&rk[i].cur, &rk[i].last, &rk[i].cum);

		/* who went: exactly the coldest of those that had rows */
		{
			size_t kept = 0, went = 0;

			for (size_t i = 0; i < NK; i++) {
				bool has = agg_find(a, rk[i].key) != NULL;

				if (!sn[i].admitted || sn[i].gone)
					continue;
				if (!has) {
					sn[i].gone = true;
					went++;
				} else {
					kept++;
				}
			}
			ev_rows += went;
			CHECK_EQ_U64(agg_evicted(a)->rows, ev_rows);
			CHECK_EQ_U64(agg_nrows(a), kept);
			CHECK(kept <= MAXR * 9 / 10);
			if (went)
				CHECK(kept <= MAXR * 3 / 4);
			for (size_t i = 0; went && i < NK; i++) {
				if (!sn[i].gone || sn[i].last_iv + 1 < (uint64_t)iv)
					continue;
				for (size_t j = 0; j < NK; j++)
					if (sn[j].admitted && !sn[j].gone &&
					    !colder(&sn[i], rk[i].key, &sn[j], rk[j].key)) {
						printf("  iv %d: evicted %zu, kept colder %zu\n",
						       iv, i, j);
						check_cur_failed++;
						break;
					}
			}
		}
		/* the hot keys stay, with exact numbers */
		for (int i = 0; i < HOT; i++) {
			const struct agg_row *r = agg_find(a, rk[i].key);

			CHECK(r != NULL);
			if (r && win_check(&r->cum, &rk[i].cum, "hot cum"))
				check_cur_failed++;
			if (r && win_check(agg_stats(a, r, AGG_VIEW_LAST), &rk[i].last, "hot last"))
				check_cur_failed++;
		}
		/* and so does every surviving row */
		for (size_t i = HOT; i < NK; i++) {
			const struct agg_row *r = agg_find(a, rk[i].key);

			if (r && win_check(&r->cum, &rk[i].cum, "cold cum"))
				check_cur_failed++;
		}
		check_identity(a);
	}
	CHECK(agg_evicted(a)->rows > 0);
	CHECK(agg_evicted(a)->overflow_samples > 0);
	CHECK_EQ_U64(drops, agg_evicted(a)->rows);
	for (size_t i = 0; i < NK; i++) {
		win_free(&rk[i].cur);
		win_free(&rk[i].last);
		win_free(&rk[i].cum);
	}
	free(rk);
	free(sn);
	agg_free(a);
}

static void test_memory_bound(void)
{
	const size_t max = 4u << 20;
	size_t before = heap_in_use();
	struct agg *a = new_table(0, max);
	struct agg_sample s;
	uint64_t added = 0;
	bool evicted = false;

	CHECK(agg_mem(a) > 0);
	if (heap_exact)
		CHECK_EQ_U64(heap_in_use() - before, agg_mem(a));
	for (int iv = 0; iv < 8; iv++) {
		/* wide latency spread: histogram pages are the memory */
		for (int j = 0; j < 40000; j++) {
			size_t k = rnd() % 3000;

			gen_sample(&s, k);
			s.has_lat = 7;
			s.lat[0] = (uint16_t)rnd();
			s.lat[1] = (uint16_t)(rnd() % 4000);
			agg_add(a, (struct agg_key){ k * 64, 0 }, &s);
			added++;
		}
		if (heap_exact)
			CHECK_EQ_U64(heap_in_use() - before, agg_mem(a));
		agg_end_interval(a);
		if (heap_exact)
			CHECK_EQ_U64(heap_in_use() - before, agg_mem(a));
		if (agg_evicted(a)->rows) {
			evicted = true;
			CHECK(agg_mem(a) <= max * 3 / 4);
		}
		CHECK_EQ_U64(agg_totals(a)->cum.c.samples, added);
		check_identity(a);
	}
	printf("  info: memory bound %zu: %zu rows, %zu bytes, %" PRIu64
	       " evicted, %" PRIu64 " overflow samples\n", max, agg_nrows(a),
	       agg_mem(a), agg_evicted(a)->rows, agg_evicted(a)->overflow_samples);
	CHECK(evicted);
	CHECK(agg_evicted(a)->overflow_samples > 0);
	agg_free(a);
	if (heap_exact)
		CHECK_EQ_U64(heap_in_use(), before);
}

static bool always_fail(size_t bytes)
{
	return true;
}

/*
 * agg_mem() follows the heap exactly through every way a row's memory
 * changes: the queue applied mid-interval (agg_find), rows going idle
 * (their interval histograms freed), staying idle, coming back, and
 * eviction.  With tcache on (no exact heap figure) it only runs.
 */
static void test_mem_exact(void)
{
	size_t before = heap_in_use();
	struct agg *a = new_table(0, 0);
	struct agg_sample s;

	for (int iv = 0; iv < 7; iv++) {
		/* 200 keys, then only keys 0..19, then none of them (others),
		 * then all again */
		size_t lo = iv == 2 || iv == 3 ? 1000 : 0;
		size_t nk = iv == 1 ? 20 : 200;

		for (int j = 0; j < 30000; j++) {
			size_t k = lo + rnd() % nk;

			gen_sample(&s, k);
			s.has_lat = 7;
			s.lat[0] = (uint16_t)(rnd() % 5000);
			s.lat[2] = (uint16_t)(rnd() % 300);
			agg_add(a, key_of(k), &s);
			if (j == 15000) {
				CHECK(agg_find(a, key_of(k)) != NULL);
				if (heap_exact)
					CHECK_EQ_U64(heap_in_use() - before, agg_mem(a));
			}
		}
		agg_end_interval(a);
		if (heap_exact)
			CHECK_EQ_U64(heap_in_use() - before, agg_mem(a));
		check_identity(a);
	}
	agg_free(a);
	if (heap_exact)
		CHECK_EQ_U64(heap_in_use(), before);
}

/* Histogram allocations failing: samples count, the values are tallied. */
static void test_lat_nomem(void)
{
	struct agg *a = new_table(0, 0);
	struct agg_sample s;
	uint64_t lat = 0;

	xhist_fail_hook = always_fail;
	for (int j = 0; j < 3000; j++) {
		gen_sample(&s, 1);
		s.has_lat = 1;
		s.lat[0] = (uint16_t)(j % 50);	/* > XHIST_INLINE values */
		agg_add(a, key_of(j % 3), &s);
		lat++;
	}
	CHECK(agg_evicted(a)->lat_nomem > 0);
	xhist_fail_hook = NULL;
	agg_end_interval(a);
	{
		const struct agg_row *t = agg_totals(a);
		uint64_t n = 0;

		for (int k = 0; k < 3; k++)
			n += agg_find(a, key_of(k))->cum.lat[0].n;
		CHECK_EQ_U64(t->cum.c.samples, 3000);
		CHECK_EQ_U64(n + agg_evicted(a)->lat_nomem, lat);
		CHECK_EQ_U64(t->cum.lat[0].n, n);
	}
	agg_free(a);
}

static void test_rate_names(void)
{
	struct agg_counts c = { 0 };
	enum agg_sort s;

	for (int i = 0; i < AGG_SORT_NR; i++)
		CHECK(agg_rate(&c, i) == -1);
	c.l1d_access = 4;
	c.l1d_refill = 1;
	c.llc_access = 2;
	c.llc_miss = 2;
	c.tlb_walk = 3;		/* no access: -1, not inf */
	c.mem_ops = 10;
	c.remote = 20;		/* more than mem_ops: capped */
	CHECK(agg_rate(&c, AGG_SORT_L1D_MISS) == 0.25);
	CHECK(agg_rate(&c, AGG_SORT_LLC_MISS) == 1);
	CHECK(agg_rate(&c, AGG_SORT_TLB_MISS) == -1);
	CHECK(agg_rate(&c, AGG_SORT_REMOTE) == 1);
	CHECK(agg_rate(&c, AGG_SORT_SAMPLES) == -1);
	CHECK(agg_rate(&c, AGG_SORT_P99) == -1);
	CHECK(agg_rate(&c, AGG_SORT_NR) == -1);
	c.remote = 5;
	CHECK(agg_rate(&c, AGG_SORT_REMOTE) == 0.5);

	CHECK_STR(agg_sort_name(AGG_SORT_SAMPLES), "samples");
	CHECK_STR(agg_sort_name(AGG_SORT_P99), "p99");
	CHECK_STR(agg_sort_name(AGG_SORT_L1D_MISS), "l1d-miss");
	CHECK_STR(agg_sort_name(AGG_SORT_REMOTE), "remote");
	CHECK(agg_sort_name(AGG_SORT_NR) == NULL);
	for (int i = 0; i < AGG_SORT_NR; i++) {
		CHECK(agg_sort_name(i) != NULL);
		CHECK(agg_sort_parse(agg_sort_name(i), &s) == 0 && s == (enum agg_sort)i);
	}
	CHECK(agg_sort_parse("TLB_MISS", &s) == 0 && s == AGG_SORT_TLB_MISS);
	CHECK(agg_sort_parse("Mean", &s) == 0 && s == AGG_SORT_MEAN);
	CHECK(agg_sort_parse("p9", &s) == -1);
	CHECK(agg_sort_parse("p999", &s) == -1);
	CHECK(agg_sort_parse("", &s) == -1);
	CHECK(agg_sort_parse(NULL, &s) == -1);
}

static void test_from_record(void)
{
	struct spe_record r;
	struct agg_item it;

	memset(&r, 0, sizeof(r));
	r.has = SPE_HAS_LAT_TOTAL | SPE_HAS_LAT_XLAT | SPE_HAS_EVENTS | SPE_HAS_OP;
	r.lat_total = 321;
	r.lat_issue = 99;	/* not flagged present: ignored */
	r.lat_xlat = 7;
	r.events = 1u << SPE_EV_L1D_REFILL | 1u << SPE_EV_LLC_MISS | 1u << SPE_EV_TLB_ACCESS;
	r.op_class = SPE_OPC_STORE;
	agg_item_from_record(&it, &r, true);
	CHECK_EQ_U64(it.bits & 7, 1u << AGG_LAT_TOTAL | 1u << AGG_LAT_XLAT);
	CHECK_EQ_U64(it.lat[AGG_LAT_TOTAL], 321);
	CHECK_EQ_U64(it.lat[AGG_LAT_XLAT], 7);
	CHECK_EQ_U64(it.bits >> 3, (1u << (AGG_B_MEM_OP - 3) | 1u << (AGG_B_L1D_REFILL - 3) |
				    1u << (AGG_B_TLB_ACCESS - 3) | 1u << (AGG_B_LLC_MISS - 3) |
				    1u << (AGG_B_REMOTE - 3)));
	/* events without SPE_HAS_EVENTS are not trusted; E10 alone is remote */
	r.has = SPE_HAS_LAT_ISSUE | SPE_HAS_OP;
	r.op_class = SPE_OPC_BRANCH;
	agg_item_from_record(&it, &r, false);
	CHECK_EQ_U64(it.bits, 1u << AGG_LAT_ISSUE);
	CHECK_EQ_U64(it.lat[AGG_LAT_ISSUE], 99);
	r.has |= SPE_HAS_EVENTS;
	r.events = 1u << SPE_EV_REMOTE_ACCESS | 1u << SPE_EV_L1D_ACCESS | 1u << SPE_EV_LLC_ACCESS |
		   1u << SPE_EV_TLB_WALK;
	agg_item_from_record(&it, &r, false);
	CHECK_EQ_U64(it.bits, 1u << AGG_LAT_ISSUE | 1u << AGG_B_L1D_ACCESS | 1u << AGG_B_TLB_WALK |
			      1u << AGG_B_LLC_ACCESS | 1u << AGG_B_REMOTE);
}

/* ---- speed (information only) ----------------------------------------- */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* run: consecutive samples sharing a key, as symbol or pid groupings see */
static void bench_one(size_t nk, bool zipf, int run)
{
	enum { N = 1 << 20, ROUNDS = 8 };
	struct agg_sample *smp = malloc(N * sizeof(*smp));
	struct agg_key *key = malloc(N * sizeof(*key));
	double *cdf = zipf_cdf(nk), t, te = 0;
	struct agg *a = agg_new(nk + 16, 0);

	for (size_t i = 0, k = 0; i < N; i++) {
		if (i % run == 0)
			k = zipf ? zipf_pick(cdf, nk) : rnd() % nk;
		gen_sample(&smp[i], k);
		/* as SPE reports them: total and issue latency for every
		 * op, translation latency for loads and stores */
		smp[i].has_lat = 1u << AGG_LAT_TOTAL | 1u << AGG_LAT_ISSUE;
		if (smp[i].op_class == SPE_OPC_LOAD || smp[i].op_class == SPE_OPC_STORE)
			smp[i].has_lat |= 1u << AGG_LAT_XLAT;
		key[i] = (struct agg_key){ 0x400000 + k * 4, 0 };
	}
	for (size_t i = 0; i < N; i++)
		agg_add(a, key[i], &smp[i]);
	agg_end_interval(a);
	t = now_ns();
	for (int r = 0; r < ROUNDS; r++) {
		double t1;

		for (size_t i = 0; i < N; i++)
			agg_add(a, key[i], &smp[i]);
		t1 = now_ns();
		agg_end_interval(a);
		te += now_ns() - t1;
	}
	t = now_ns() - t - te;
	printf("  info: agg_add %6zu keys %-7s runs of %d: %6.2f ns/add; end_interval %6.2f ms; %zu KiB\n",
	       nk, zipf ? "zipf" : "uniform", run, t / ((double)N * ROUNDS),
	       te / ROUNDS / 1e6, agg_mem(a) >> 10);
	agg_free(a);
	free(smp);
	free(key);
	free(cdf);
}

static void bench_add(void)
{
	printf("  info: sizeof(struct agg_row) %zu, sizeof(struct xhist) %zu\n",
	       sizeof(struct agg_row), sizeof(struct xhist));
	bench_one(1, true, 1);
	bench_one(30, true, 1);
	bench_one(1000, true, 1);
	bench_one(1000, true, 8);
	bench_one(1000, false, 1);
	bench_one(30000, true, 1);
}

/* The tests that add, find, evict and reset rows again, on id-like keys */
static void test_id_keys(void)
{
	key_style = 1;
	test_intervals();
	test_overflow_row();
	test_evict_cold();
	test_evict_then_readd();
	test_mem_exact();
	key_style = 0;
}

/*
 * The last interval's histograms are built when read, from the values
 * kept: reading them after the next interval, or never, or twice, must
 * not change what any window holds.  Intervals alternate between 4000
 * and 500 samples, so that with a small queue the two ways of closing
 * alternate too.
 */
static void test_last_lazy(void)
{
	struct agg *a = new_table(0, 0);
	struct ref_win w[3][3] = { 0 };	/* [key][cur, last, cum] */
	struct agg_sample s;

	for (int iv = 0; iv < 7; iv++) {
		for (int j = 0; j < (iv % 2 ? 500 : 4000); j++) {
			size_t k = (size_t)(j % 100);

			gen_sample(&s, k);
			s.has_lat = 7;
			s.lat[0] = (uint16_t)(rnd() % (iv == 2 ? 60000 : 900));
			agg_add(a, key_of(k), &s);
			if (k < 3)
				win_add(&w[k][0], &s);
		}
		agg_end_interval(a);
		for (size_t k = 0; k < 3; k++) {
			const struct agg_row *r = agg_find(a, key_of(k));
			char what[48];

			win_close(&w[k][0], &w[k][1], &w[k][2]);
			/* key 0 every interval, key 1 every other, key 2 twice */
			if (k == 1 && iv % 2)
				continue;
			snprintf(what, sizeof(what), "iv %d key %zu last", iv, k);
			if (win_check(agg_stats(a, r, AGG_VIEW_LAST), &w[k][1], what))
				check_cur_failed++;
			if (k == 2 && win_check(agg_stats(a, r, AGG_VIEW_LAST), &w[k][1], what))
				check_cur_failed++;
			snprintf(what, sizeof(what), "iv %d key %zu cum", iv, k);
			if (win_check(agg_stats(a, r, AGG_VIEW_CUM), &w[k][2], what))
				check_cur_failed++;
		}
	}
	for (size_t k = 0; k < 3; k++)
		for (int i = 0; i < 3; i++)
			win_free(&w[k][i]);
	agg_free(a);
}

/* Intervals that outgrow the queue close the other way (cur histograms
 * merged): the same tests again, with a queue of 1024 samples.  The
 * quiet interval of test_intervals still fits, so the two ways alternate. */
static void test_small_queue(void)
{
	queue_max = 1024;
	test_intervals();
	test_evict_cold();
	test_mem_exact();
	test_lat_nomem();
	test_last_lazy();
	key_style = 1;
	test_intervals();
	key_style = 0;
	queue_max = 0;
}

/* test_intervals through agg_add_many(), with both queue sizes and key
 * styles (dense ids and hashed keys) */
static void test_add_many(void)
{
	use_many = true;
	test_intervals();
	key_style = 1;
	test_intervals();
	queue_max = 1024;
	test_intervals();
	key_style = 0;
	test_intervals();
	queue_max = 0;
	use_many = false;
}

int main(int argc, char **argv)
{
	heap_exact_init(argv);
	rng_state = 0x1234567887654321ull;

	RUN_TEST(test_intervals);
	RUN_TEST(test_overflow_row);
	RUN_TEST(test_evict_cold);
	RUN_TEST(test_evict_then_readd);
	RUN_TEST(test_memory_bound);
	RUN_TEST(test_lat_nomem);
	RUN_TEST(test_mem_exact);
	RUN_TEST(test_id_keys);
	RUN_TEST(test_small_queue);
	RUN_TEST(test_add_many);
	RUN_TEST(test_last_lazy);
	RUN_TEST(test_rate_names);
	RUN_TEST(test_from_record);
	RUN_TEST(bench_add);
	CHECK_DONE();
}
