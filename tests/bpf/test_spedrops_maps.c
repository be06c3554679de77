// SPDX-License-Identifier: GPL-2.0-only
/*
 * spedrops' raw_tp programs, loaded by the host kernel's verifier and run
 * with BPF_PROG_TEST_RUN on one CPU, through the sequences the driver
 * produces: sessions, truncation storms, faults, collisions, spurious
 * IRQs, padding.  Every map is read back and compared exactly: each
 * counter, each histogram slot, each fault key, each ring record field;
 * only the chosen CPU's per-CPU slot may change.  Times come from the
 * kernel clock, so they are checked against CLOCK_MONOTONIC bounds taken
 * around the runs, and their histogram slot against the exact value the
 * map kept.  Also: the verified-instruction budget of every program.
 *
 * Arguments are laid out with the ARM_SPE_TP_* indices, and the arguments
 * a program must ignore are given values that would change the result if
 * it read them instead.
 *
 * Needs root (BPF_PROG_TEST_RUN, map creation).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>
#include <spekit/spedrops.h>
#include <spekit/spe_regs.h>
#include "spedrops_run.h"
#include "check.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define EV_MAX 8192

/* Per-test state: a freshly loaded skeleton (so every map starts empty),
 * the ring reader, the records it has taken so far */
struct fx {
	struct spedrops_bpf *skel;
	struct ring_buffer *rb;
	int cpu, ncpus;
	unsigned int nev, ev_bad_size;
	struct spe_drop_event ev[EV_MAX];
};
static struct fx F;

static int on_event(void *ctx, void *data, size_t size)
{
	struct fx *f = ctx;

	if (size != sizeof(struct spe_drop_event))
		f->ev_bad_size++;
	else if (f->nev < EV_MAX)
		memcpy(&f->ev[f->nev++], data, size);
	return 0;
}

static int fx_init(void)
{
	memset(&F, 0, sizeof(F));
	F.cpu = sd_last_online_cpu();
	F.ncpus = libbpf_num_possible_cpus();
	F.skel = sd_open_load();
	CHECK(F.skel);
	CHECK(F.ncpus > F.cpu);
	if (!F.skel)
		return 0;
	F.rb = ring_buffer__new(bpf_map__fd(F.skel->maps.spe_events), on_event, &F, NULL);
	CHECK(F.rb);
	return F.rb != NULL;
}

static void fx_fini(void)
{
	ring_buffer__free(F.rb);
	spedrops_bpf__destroy(F.skel);
	F.rb = NULL;
	F.skel = NULL;
}

/* Take what the ring holds */
static void drain(void)
{
	CHECK(ring_buffer__consume(F.rb) >= 0);
	CHECK_EQ_U64(F.ev_bad_size, 0);
}

/* ---- running the programs ---------------------------------------------- */

static void run_on(int cpu, struct bpf_program *prog, const __u64 *a, unsigned int n)
{
	__u32 ret = ~0u;
	int err = sd_run(bpf_program__fd(prog), cpu, a, n, &ret);

	if (err)
		printf("  test run of %s: %s\n", bpf_program__name(prog), strerror(-err));
	CHECK_EQ_U64(err, 0);
	CHECK_EQ_U64(ret, 0);
}
#define RUN(prog, a) run_on(F.cpu, F.skel->progs.prog, a, ARRAY_SIZE(a))

static void aux_begin_on(int cpu, __u64 head, __u64 size, __u64 wakeup,
			 __u64 limit, __u64 buf_size, int snapshot)
{
	__u64 a[ARM_SPE_TP_AUX_BEGIN_NR_ARGS];

	a[ARM_SPE_TP_AUX_BEGIN_HEAD] = head;
	a[ARM_SPE_TP_AUX_BEGIN_SIZE] = size;
	a[ARM_SPE_TP_AUX_BEGIN_WAKEUP] = wakeup;
	a[ARM_SPE_TP_AUX_BEGIN_LIMIT] = limit;
	a[ARM_SPE_TP_AUX_BEGIN_BUF_SIZE] = buf_size;
	a[ARM_SPE_TP_AUX_BEGIN_SNAPSHOT] = snapshot;
	run_on(cpu, F.skel->progs.spe_rtp_aux_begin, a, ARRAY_SIZE(a));
}

static void aux_begin(__u64 head, __u64 size, __u64 wakeup, __u64 limit,
		      __u64 buf_size, int snapshot)
{
	aux_begin_on(F.cpu, head, size, wakeup, limit, buf_size, snapshot);
}

static void irq(__u64 pmbsr, __u64 written, __u64 pmbptr_off)
{
	__u64 a[ARM_SPE_TP_IRQ_NR_ARGS];

	a[ARM_SPE_TP_IRQ_PMBSR] = pmbsr;
	a[ARM_SPE_TP_IRQ_WRITTEN] = written;
	a[ARM_SPE_TP_IRQ_PMBPTR_OFF] = pmbptr_off;
	RUN(spe_rtp_irq, a);
}

static void aux_end(__u64 size, __u32 flags)
{
	__u64 a[ARM_SPE_TP_AUX_END_NR_ARGS];

	a[ARM_SPE_TP_AUX_END_SIZE] = size;
	a[ARM_SPE_TP_AUX_END_FLAGS] = flags;
	RUN(spe_rtp_aux_end, a);
}

static void truncate_(__u32 reason, __u64 aux_head, __u64 size)
{
	__u64 a[ARM_SPE_TP_TRUNCATE_NR_ARGS];

	a[ARM_SPE_TP_TRUNCATE_REASON] = reason;
	a[ARM_SPE_TP_TRUNCATE_HEAD] = aux_head;
	a[ARM_SPE_TP_TRUNCATE_SIZE] = size;
	RUN(spe_rtp_truncate, a);
}

static void pad(__u64 offset, __u64 len)
{
	__u64 a[ARM_SPE_TP_PAD_NR_ARGS];

	a[ARM_SPE_TP_PAD_OFFSET] = offset;
	a[ARM_SPE_TP_PAD_LEN] = len;
	RUN(spe_rtp_pad, a);
}

static void fault(__u32 ec, __u32 fsc, __u64 pmbsr, __u64 pmbptr, __u64 pmblimitr)
{
	__u64 a[ARM_SPE_TP_FAULT_NR_ARGS];

	a[ARM_SPE_TP_FAULT_EC] = ec;
	a[ARM_SPE_TP_FAULT_FSC] = fsc;
	a[ARM_SPE_TP_FAULT_PMBSR] = pmbsr;
	a[ARM_SPE_TP_FAULT_PMBPTR] = pmbptr;
	a[ARM_SPE_TP_FAULT_PMBLIMITR] = pmblimitr;
	RUN(spe_rtp_fault, a);
}

static void collision(__u64 pmbsr, __u64 aux_head)
{
	__u64 a[ARM_SPE_TP_COLLISION_NR_ARGS];

	a[ARM_SPE_TP_COLLISION_PMBSR] = pmbsr;
	a[ARM_SPE_TP_COLLISION_HEAD] = aux_head;
	RUN(spe_rtp_collision, a);
}

/* ---- reading the maps back ------------------------------------------------ */

static void *zalloc(size_t n)
{
	void *p = calloc(1, n);

	if (!p) {
		perror("calloc");
		exit(1);
	}
	return p;
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i])
			return 0;
	return 1;
}

/*
 * A per-CPU map's value on @cpu into @out (@size bytes); every other
 * CPU's copy must be all zero unless @others_any.  User space sees one
 * value per possible CPU, each rounded up to 8 bytes.
 */
static void percpu_read(struct bpf_map *map, const void *key, int cpu,
			void *out, size_t size, int others_any)
{
	size_t stride = (size + 7) & ~(size_t)7;
	char *all = zalloc(stride * F.ncpus);
	int err = bpf_map_lookup_elem(bpf_map__fd(map), key, all);

	CHECK_EQ_U64(err, 0);
	memcpy(out, all + stride * cpu, size);
	for (int c = 0; c < F.ncpus && !others_any; c++)
		if (c != cpu && !all_zero(all + stride * c, size)) {
			printf("  %s: CPU %d's value changed too\n", bpf_map__name(map), c);
			CHECK(0);
		}
	free(all);
}

static void stats_on(int cpu, struct spe_cpu_stats *s, int others_any)
{
	__u32 zero = 0;

	percpu_read(F.skel->maps.spe_stats, &zero, cpu, s, sizeof(*s), others_any);
}

static void stats(struct spe_cpu_stats *s)
{
	stats_on(F.cpu, s, 0);
}

static void hists(struct spe_log2_hist h[SPE_HIST_NR])
{
	for (__u32 id = 0; id < SPE_HIST_NR; id++)
		percpu_read(F.skel->maps.spe_hists, &id, F.cpu, &h[id], sizeof(h[id]), 0);
}

#define CHECK_FIELD(g, w, f) CHECK_EQ_U64((g)->f, (w)->f)
static void check_stats(const struct spe_cpu_stats *g, const struct spe_cpu_stats *w)
{
	CHECK_FIELD(g, w, sessions);
	CHECK_FIELD(g, w, no_room);
	CHECK_FIELD(g, w, irqs);
	CHECK_FIELD(g, w, spurious_irqs);
	CHECK_FIELD(g, w, bytes);
	CHECK_FIELD(g, w, aux_records);
	CHECK_FIELD(g, w, aux_truncated);
	CHECK_FIELD(g, w, aux_partial);
	CHECK_FIELD(g, w, aux_collision);
	for (int r = 0; r < ARM_SPE_TRUNC_NR_REASONS; r++)
		CHECK_FIELD(g, w, truncations[r]);
	CHECK_FIELD(g, w, collisions);
	CHECK_FIELD(g, w, faults);
	CHECK_FIELD(g, w, pad_bytes);
	CHECK_FIELD(g, w, blind_ns);
	CHECK_FIELD(g, w, blind_since_ns);
	CHECK_FIELD(g, w, last_irq_ns);
}

/* Every histogram against the expected one, slot by slot */
static void check_hists(const struct spe_log2_hist w[SPE_HIST_NR])
{
	static const char *const names[SPE_HIST_NR] = {
		"session_bytes", "irq_gap_ns", "blind_ns"
	};
	struct spe_log2_hist g[SPE_HIST_NR];

	hists(g);
	for (int id = 0; id < SPE_HIST_NR; id++)
		for (int i = 0; i < SPE_LOG2_SLOTS; i++)
			if (g[id].slots[i] != w[id].slots[i]) {
				printf("  hist %s slot %d: %llu, want %llu\n", names[id], i,
				       (unsigned long long)g[id].slots[i],
				       (unsigned long long)w[id].slots[i]);
				CHECK(0);
			}
}

#define CHECK_IN(v, lo, hi) do {					\
	__u64 _v = (v), _lo = (lo), _hi = (hi);				\
	if (_v < _lo || _v > _hi) {					\
		printf("  %s = %llu not in [%llu, %llu]\n", #v,		\
		       (unsigned long long)_v, (unsigned long long)_lo,	\
		       (unsigned long long)_hi);			\
		CHECK(0);						\
	}								\
} while (0)

/* The common fields of ring record @i; fields its kind leaves unset are 0 */
static const struct spe_drop_event *ev_at(unsigned int i, __u32 kind,
					  __u64 t0, __u64 t1)
{
	const struct spe_drop_event *e = &F.ev[i];

	CHECK(i < F.nev);
	if (i >= F.nev)
		return NULL;
	CHECK_EQ_U64(e->kind, kind);
	CHECK_EQ_U64(e->cpu, F.cpu);
	CHECK_IN(e->ts_ns, t0, t1);
	CHECK_EQ_U64(e->pad, 0);
	if (kind == SPE_EV_TRUNCATE) {
		CHECK_EQ_U64(e->ec, 0);
		CHECK_EQ_U64(e->fsc, 0);
		CHECK_EQ_U64(e->pmbsr, 0);
		CHECK_EQ_U64(e->pmbptr, 0);
		CHECK_EQ_U64(e->pmblimitr, 0);
	} else {
		CHECK_EQ_U64(e->reason, 0);
		CHECK_EQ_U64(e->aux_head, 0);
		CHECK_EQ_U64(e->size, 0);
	}
	return e;
}

static void check_trunc_ev(unsigned int i, __u32 reason, __u64 head, __u64 size,
			   __u64 t0, __u64 t1)
{
	const struct spe_drop_event *e = ev_at(i, SPE_EV_TRUNCATE, t0, t1);

	if (!e)
		return;
	CHECK_EQ_U64(e->reason, reason);
	CHECK_EQ_U64(e->aux_head, head);
	CHECK_EQ_U64(e->size, size);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

#define PMBSR_S		SPE_PMBSR_EL1_S
#define PMBSR_EC(ec)	SPE_FIELD_PREP(SPE_PMBSR_EL1_EC, ec)
#define BUF		0x10000ull	/* AUX ring size in the sequences */

/* ---- tests --------------------------------------------------------------- */

/* Only the raw_tp programs are loaded, each by the real verifier */
static void test_load(void)
{
	struct bpf_program *p;
	unsigned int loaded = 0;

	if (!fx_init())
		goto out;
	bpf_object__for_each_program(p, F.skel->obj) {
		int raw = !strncmp(bpf_program__name(p), "spe_rtp_", 8);

		CHECK_EQ_U64(bpf_program__fd(p) >= 0, raw);
		loaded += raw;
	}
	CHECK_EQ_U64(loaded, sd_ntps);
	for (unsigned int i = 0; i < sd_ntps; i++) {
		p = bpf_object__find_program_by_name(F.skel->obj, sd_tps[i].prog);
		CHECK(p && bpf_program__type(p) == BPF_PROG_TYPE_RAW_TRACEPOINT);
	}
out:
	fx_fini();
}

/*
 * Three sessions, each begun with room, interrupted once (buffer full)
 * and ended.  The second is a snapshot session: size 0 but a limit; the
 * third starts at head 0 with no wakeup pending.
 */
static void test_sessions(void)
{
	struct spe_cpu_stats g, w = { 0 };
	struct spe_log2_hist wh[SPE_HIST_NR] = { 0 };
	__u64 last[3];

	if (!fx_init())
		goto out;
	aux_begin(0x3000, 0xd000, 0x8000, BUF, BUF, 0);
	irq(PMBSR_S | SPE_PMBSR_BSC_FULL, 0, 0);
	stats(&g);
	last[0] = g.last_irq_ns;
	aux_end(4096, 0);
	aux_begin(0x4000, 0, 0x4000, 0x8000, BUF, 1);
	sleep_ms(1);
	irq(PMBSR_S, 0x4000, 0x8000);
	stats(&g);
	last[1] = g.last_irq_ns;
	aux_end(BUF, ARM_SPE_TP_AUX_FLAG_OVERWRITE);
	aux_begin(0, BUF, 0, BUF, BUF, 0);
	irq(PMBSR_S | SPE_PMBSR_BSC_FULL, 1, 1);
	aux_end(1, 0);

	stats(&g);
	last[2] = g.last_irq_ns;
	CHECK(last[0] && last[1] > last[0] && last[2] > last[1]);
	CHECK(last[1] - last[0] >= 1000000);	/* the sleep */
	w.sessions = 3;
	w.irqs = 3;
	w.aux_records = 3;
	w.bytes = 4096 + BUF + 1;
	w.last_irq_ns = last[2];
	check_stats(&g, &w);
	wh[SPE_HIST_SESSION_BYTES].slots[12] = 1;	/* 4096 */
	wh[SPE_HIST_SESSION_BYTES].slots[16] = 1;	/* 65536 */
	wh[SPE_HIST_SESSION_BYTES].slots[0] = 1;	/* 1 */
	/* no gap for the first IRQ: there was no previous one */
	wh[SPE_HIST_IRQ_GAP_NS].slots[spe_log2_slot(last[1] - last[0])]++;
	wh[SPE_HIST_IRQ_GAP_NS].slots[spe_log2_slot(last[2] - last[1])]++;
	check_hists(wh);
	drain();
	CHECK_EQ_U64(F.nev, 0);
out:
	fx_fini();
}

/* A begin without room (limit 0; every other argument set) is no session,
 * and does not end blindness: the truncate that follows it continues it */
static void test_no_room(void)
{
	struct spe_cpu_stats g, w = { 0 };
	struct spe_log2_hist wh[SPE_HIST_NR] = { 0 };
	__u64 t0, t1;

	if (!fx_init())
		goto out;
	t0 = sd_now_ns();
	truncate_(ARM_SPE_TRUNC_LIMIT_LE_HEAD, 0x5000, 0x800);
	t1 = sd_now_ns();
	aux_begin(0x5800, 0x800, 0x6000, 0, BUF, 1);
	truncate_(ARM_SPE_TRUNC_NO_SPACE, 0, 0);
	aux_begin(0x5800, 0x800, 0x6000, 0, BUF, 1);
	truncate_(ARM_SPE_TRUNC_NO_SPACE, 0, 0);

	stats(&g);
	CHECK_IN(g.blind_since_ns, t0, t1);
	w.no_room = 2;
	w.truncations[ARM_SPE_TRUNC_LIMIT_LE_HEAD] = 1;
	w.truncations[ARM_SPE_TRUNC_NO_SPACE] = 2;
	w.blind_since_ns = g.blind_since_ns;
	check_stats(&g, &w);
	check_hists(wh);
	drain();
	CHECK_EQ_U64(F.nev, 3);
	check_trunc_ev(0, ARM_SPE_TRUNC_LIMIT_LE_HEAD, 0x5000, 0x800, t0, t1);
	check_trunc_ev(1, ARM_SPE_TRUNC_NO_SPACE, 0, 0, t0, sd_now_ns());
	check_trunc_ev(2, ARM_SPE_TRUNC_NO_SPACE, 0, 0, t0, sd_now_ns());
out:
	fx_fini();
}

/* IRQs with S clear are spurious: counted apart, no gap, no IRQ time;
 * the bits of the other arguments are S-shaped to catch a wrong index */
static void test_spurious_irqs(void)
{
	struct spe_cpu_stats g, w = { 0 };
	struct spe_log2_hist wh[SPE_HIST_NR] = { 0 };
	__u64 last;

	if (!fx_init())
		goto out;
	irq(0, PMBSR_S, PMBSR_S);
	irq(PMBSR_EC(SPE_PMBSR_EC_FAULT_S1) | SPE_PMBSR_EL1_DL | 0x7, PMBSR_S, PMBSR_S);
	irq(PMBSR_S, 0, 0);
	stats(&g);
	last = g.last_irq_ns;
	irq(~PMBSR_S, PMBSR_S, PMBSR_S);

	stats(&g);
	CHECK(last != 0);
	w.irqs = 1;
	w.spurious_irqs = 3;
	w.last_irq_ns = last;
	check_stats(&g, &w);
	check_hists(wh);
out:
	fx_fini();
}

/*
 * Record flags counted one by one; OVERWRITE alone is no loss.  Each flag
 * is set a different number of times (TRUNCATED 3, PARTIAL 2, COLLISION
 * 1) so a test of the wrong bit shows, and one size is made of flag bits
 * so swapped arguments show.
 */
static void test_aux_end_flags(void)
{
	struct spe_cpu_stats g, w = { 0 };
	struct spe_log2_hist wh[SPE_HIST_NR] = { 0 };

	if (!fx_init())
		goto out;
	aux_end(0, ARM_SPE_TP_AUX_FLAG_TRUNCATED);
	aux_end(ARM_SPE_TP_AUX_FLAG_TRUNCATED | ARM_SPE_TP_AUX_FLAG_PARTIAL,
		ARM_SPE_TP_AUX_FLAG_COLLISION);
	aux_end(3, ARM_SPE_TP_AUX_FLAG_TRUNCATED | ARM_SPE_TP_AUX_FLAG_PARTIAL |
		   ARM_SPE_TP_AUX_FLAG_OVERWRITE);
	aux_end(1ull << 40, ARM_SPE_TP_AUX_FLAG_OVERWRITE);
	aux_end(0x1000, ARM_SPE_TP_AUX_FLAG_PARTIAL);
	aux_end(0x20000, ARM_SPE_TP_AUX_FLAG_TRUNCATED);

	stats(&g);
	w.aux_records = 6;
	w.bytes = 5 + 3 + (1ull << 40) + 0x1000 + 0x20000;
	w.aux_truncated = 3;
	w.aux_partial = 2;
	w.aux_collision = 1;
	check_stats(&g, &w);
	wh[SPE_HIST_SESSION_BYTES].slots[0] = 1;	/* 0 */
	wh[SPE_HIST_SESSION_BYTES].slots[2] = 1;	/* 5 */
	wh[SPE_HIST_SESSION_BYTES].slots[1] = 1;	/* 3 */
	wh[SPE_HIST_SESSION_BYTES].slots[40] = 1;
	wh[SPE_HIST_SESSION_BYTES].slots[12] = 1;
	wh[SPE_HIST_SESSION_BYTES].slots[17] = 1;
	check_hists(wh);
	drain();
	CHECK_EQ_U64(F.nev, 0);	/* the driver's truncate event reports loss */
out:
	fx_fini();
}

/*
 * Blindness: 100 truncations of each reason and three unknown reasons in
 * a row start one blind interval (at the first); a session ends it; a
 * second interval adds to blind_ns; a session with no blindness adds
 * nothing.  Every truncation is a ring record, in order.
 */
#define STORM 100
static void test_truncation_storm(void)
{
	static const __u32 unknown[] = { 0, ARM_SPE_TRUNC_NR_REASONS, 0xffffffff };
	struct spe_cpu_stats g, w = { 0 };
	struct spe_log2_hist wh[SPE_HIST_NR] = { 0 };
	__u64 t0, t1, t2, since1, b0, b1, blind1, since2, blind2;
	unsigned int i, n = 0;

	if (!fx_init())
		goto out;
	t0 = sd_now_ns();
	for (__u32 r = ARM_SPE_TRUNC_NO_SPACE; r <= ARM_SPE_TRUNC_FAULT; r++)
		for (i = 0; i < STORM; i++)
			truncate_(r, 0x100000 * r + i, 0x2000 - i);
	for (i = 0; i < ARRAY_SIZE(unknown); i++)
		truncate_(unknown[i], 0x77000 + i, 0x99);
	t1 = sd_now_ns();

	/* blind since the first truncation, not yet counted */
	stats(&g);
	since1 = g.blind_since_ns;
	CHECK_IN(since1, t0, t1);
	w.truncations[SPE_TRUNC_FLAGGED] = ARRAY_SIZE(unknown);
	for (int r = ARM_SPE_TRUNC_NO_SPACE; r <= ARM_SPE_TRUNC_FAULT; r++)
		w.truncations[r] = STORM;
	w.blind_since_ns = since1;
	check_stats(&g, &w);
	check_hists(wh);

	sleep_ms(2);
	b0 = sd_now_ns();
	aux_begin(0x200000, 0x8000, 0x4000, 0x8000, BUF, 0);
	b1 = sd_now_ns();
	stats(&g);
	blind1 = g.blind_ns;
	CHECK_IN(blind1, b0 - since1, b1 - since1);
	CHECK(blind1 >= 2000000);
	w.sessions = 1;
	w.blind_ns = blind1;
	w.blind_since_ns = 0;
	check_stats(&g, &w);
	wh[SPE_HIST_BLIND_NS].slots[spe_log2_slot(blind1)] = 1;
	check_hists(wh);

	/* a second interval; the session after it, and one more */
	t2 = sd_now_ns();
	truncate_(ARM_SPE_TRUNC_DATA_LOST, 0x208000, 0);
	stats(&g);
	since2 = g.blind_since_ns;
	CHECK_IN(since2, t2, sd_now_ns());
	b0 = sd_now_ns();
	aux_begin(0x208000, 0x8000, 0x4000, 0x8000, BUF, 0);
	b1 = sd_now_ns();
	aux_begin(0x210000, 0x8000, 0x4000, 0x8000, BUF, 0);
	stats(&g);
	blind2 = g.blind_ns - blind1;
	CHECK(g.blind_ns > blind1);
	CHECK_IN(blind2, b0 - since2, b1 - since2);
	w.sessions = 3;
	w.truncations[ARM_SPE_TRUNC_DATA_LOST]++;
	w.blind_ns = blind1 + blind2;
	check_stats(&g, &w);
	wh[SPE_HIST_BLIND_NS].slots[spe_log2_slot(blind2)]++;
	check_hists(wh);

	drain();
	CHECK_EQ_U64(F.nev, 5 * STORM + ARRAY_SIZE(unknown) + 1);
	for (__u32 r = ARM_SPE_TRUNC_NO_SPACE; r <= ARM_SPE_TRUNC_FAULT; r++)
		for (i = 0; i < STORM; i++)
			check_trunc_ev(n++, r, 0x100000 * r + i, 0x2000 - i, t0, t1);
	/* unknown reasons are reported under the "no reason" index */
	for (i = 0; i < ARRAY_SIZE(unknown); i++)
		check_trunc_ev(n++, SPE_TRUNC_FLAGGED, 0x77000 + i, 0x99, t0, t1);
	check_trunc_ev(n++, ARM_SPE_TRUNC_DATA_LOST, 0x208000, 0, t2, b0);
out:
	fx_fini();
}

/* A full ring loses records, never counts; it takes records again once
 * read */
static void test_ring_full_keeps_counting(void)
{
	const unsigned int n = 5000;	/* 80 bytes each: more than 256 KiB */
	struct spe_cpu_stats g;
	unsigned int first;

	if (!fx_init())
		goto out;
	for (unsigned int i = 0; i < n; i++)
		truncate_(ARM_SPE_TRUNC_NO_SPACE, i, 0);
	stats(&g);
	CHECK_EQ_U64(g.truncations[ARM_SPE_TRUNC_NO_SPACE], n);
	drain();
	first = F.nev;
	CHECK(first > 1000 && first < n);
	if (first)
		check_trunc_ev(first - 1, ARM_SPE_TRUNC_NO_SPACE, first - 1, 0, 0, ~0ull);
	truncate_(ARM_SPE_TRUNC_DATA_LOST, 42, 7);
	drain();
	CHECK_EQ_U64(F.nev, first + 1);
	check_trunc_ev(first, ARM_SPE_TRUNC_DATA_LOST, 42, 7, 0, ~0ull);
out:
	fx_fini();
}

/*
 * Records carry no stale bytes: truncation records written over the ring
 * space fault records used before (the ring wraps several times) still
 * have zero fault fields, and the reverse.
 */
static void test_ring_records_zeroed(void)
{
	const unsigned int batch = 1000;	/* 80 KB of records */

	if (!fx_init())
		goto out;
	for (int round = 0; round < 8; round++) {
		int faults_now = round & 1;

		F.nev = 0;
		for (unsigned int i = 0; i < batch; i++)
			if (faults_now)
				fault(SPE_PMBSR_EC_FAULT_S2, 0x3f, ~0ull, ~0ull, ~0ull);
			else
				truncate_(ARM_SPE_TRUNC_FAULT, ~0ull, ~0ull);
		drain();
		CHECK_EQ_U64(F.nev, batch);
		for (unsigned int i = 0; i < F.nev; i++)
			ev_at(i, faults_now ? SPE_EV_FAULT : SPE_EV_TRUNCATE, 0, ~0ull);
	}
out:
	fx_fini();
}

struct fault_case {
	__u32 ec, fsc;
	__u64 mss;	/* what PMBSR_EL1.MSS held */
	unsigned int times;
};

/* Faults of each kind: stage 1 and 2 data aborts (FSC), granule
 * protection and an EC no one defined (raw MSS), a buffer event */
static const struct fault_case faults[] = {
	{ SPE_PMBSR_EC_FAULT_S1, 0x07, 0x07, 2 },	/* translation, level 3 */
	{ SPE_PMBSR_EC_FAULT_S1, 0x0d, 0x0d, 1 },	/* permission, level 1 */
	{ SPE_PMBSR_EC_FAULT_S2, 0x07, 0x07, 1 },
	{ SPE_PMBSR_EC_GPC, 0x0023, 0x0023, 1 },
	{ 0x3f, 0xbeef, 0xbeef, 3 },
	{ SPE_PMBSR_EC_BUF, 0x0001, 0x0001, 1 },
};

static __u64 fault_pmbsr(const struct fault_case *c)
{
	return PMBSR_EC(c->ec) | PMBSR_S | SPE_PMBSR_EL1_DL | c->mss;
}

/* spe_faults: exactly @n keys, each faults[i] with its count on this CPU */
static void check_fault_map(unsigned int expect_keys)
{
	int fd = bpf_map__fd(F.skel->maps.spe_faults);
	struct spe_fault_key k, *prev = NULL;
	unsigned int keys = 0;

	while (!bpf_map_get_next_key(fd, prev, &k)) {
		__u64 cnt = 0, want = 0;

		for (unsigned int i = 0; i < ARRAY_SIZE(faults); i++)
			if (faults[i].ec == k.ec && faults[i].fsc == k.fsc)
				want = faults[i].times;
		percpu_read(F.skel->maps.spe_faults, &k, F.cpu, &cnt, sizeof(cnt), 0);
		if (cnt != want)
			printf("  spe_faults {ec 0x%x, fsc 0x%x}: %llu, want %llu\n",
			       k.ec, k.fsc, (unsigned long long)cnt,
			       (unsigned long long)want);
		CHECK_EQ_U64(cnt, want);
		keys++;
		prev = &k;
	}
	CHECK_EQ_U64(keys, expect_keys);
}

static void test_faults(void)
{
	struct spe_cpu_stats g, w = { 0 };
	struct spe_log2_hist wh[SPE_HIST_NR] = { 0 };
	__u64 t0, t1, pmbptr = 0xffff800012345000ull;
	unsigned int n = 0, total = 0;

	if (!fx_init())
		goto out;
	t0 = sd_now_ns();
	for (unsigned int i = 0; i < ARRAY_SIZE(faults); i++)
		for (unsigned int k = 0; k < faults[i].times; k++, total++)
			fault(faults[i].ec, faults[i].fsc, fault_pmbsr(&faults[i]),
			      pmbptr + total * 0x40, 0xffff800012400001ull + i);
	t1 = sd_now_ns();

	stats(&g);
	CHECK(g.blind_since_ns >= t0 && g.blind_since_ns <= t1);
	w.faults = total;
	w.blind_since_ns = g.blind_since_ns;
	check_stats(&g, &w);
	check_hists(wh);
	check_fault_map(ARRAY_SIZE(faults));

	drain();
	CHECK_EQ_U64(F.nev, total);
	total = 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(faults); i++)
		for (unsigned int k = 0; k < faults[i].times; k++, total++) {
			const struct spe_drop_event *e = ev_at(n++, SPE_EV_FAULT, t0, t1);

			if (!e)
				continue;
			CHECK_EQ_U64(e->ec, faults[i].ec);
			CHECK_EQ_U64(e->fsc, faults[i].fsc);
			CHECK_EQ_U64(e->pmbsr, fault_pmbsr(&faults[i]));
			CHECK_EQ_U64(e->pmbptr, pmbptr + total * 0x40);
			CHECK_EQ_U64(e->pmblimitr, 0xffff800012400001ull + i);
		}
	/* the first fault started blindness: the first record's time */
	if (F.nev)
		CHECK(g.blind_since_ns == F.ev[0].ts_ns);
out:
	fx_fini();
}

/* More distinct faults than spe_faults holds: all counted in
 * spe_cpu_stats and reported in the ring, the map just full */
static void test_fault_map_full(void)
{
	struct spe_cpu_stats g;
	unsigned int max, n;

	if (!fx_init())
		goto out;
	max = bpf_map__max_entries(F.skel->maps.spe_faults);
	n = max + 44;
	for (unsigned int i = 0; i < n; i++)
		fault(SPE_PMBSR_EC_FAULT_S1, i, PMBSR_EC(SPE_PMBSR_EC_FAULT_S1) | PMBSR_S,
		      0, 0);
	stats(&g);
	CHECK_EQ_U64(g.faults, n);
	{
		int fd = bpf_map__fd(F.skel->maps.spe_faults);
		struct spe_fault_key k, *prev = NULL;
		unsigned int keys = 0;

		while (!bpf_map_get_next_key(fd, prev, &k)) {
			__u64 cnt = 0;

			percpu_read(F.skel->maps.spe_faults, &k, F.cpu, &cnt, sizeof(cnt), 0);
			CHECK_EQ_U64(cnt, 1);
			CHECK(k.ec == SPE_PMBSR_EC_FAULT_S1 && k.fsc < n);
			keys++;
			prev = &k;
		}
		CHECK_EQ_U64(keys, max);
	}
	drain();
	CHECK_EQ_U64(F.nev, n);
out:
	fx_fini();
}

static void test_collisions(void)
{
	struct spe_cpu_stats g, w = { 0 };
	struct spe_log2_hist wh[SPE_HIST_NR] = { 0 };

	if (!fx_init())
		goto out;
	for (int i = 0; i < 7; i++)
		collision(SPE_PMBSR_EL1_COLL | (i & 1 ? PMBSR_S : 0), 0x1000 * i);
	stats(&g);
	w.collisions = 7;
	check_stats(&g, &w);
	check_hists(wh);
	drain();
	CHECK_EQ_U64(F.nev, 0);
out:
	fx_fini();
}

static void test_pads(void)
{
	struct spe_cpu_stats g, w = { 0 };

	if (!fx_init())
		goto out;
	pad(0xf000, 0x1000);
	pad(0xfff8, 8);
	pad(0, 0);
	pad(0x8000, 0x7ff0);
	stats(&g);
	w.pad_bytes = 0x1000 + 8 + 0x7ff0;
	check_stats(&g, &w);
out:
	fx_fini();
}

/* Each CPU's events land in its own slot */
static void test_per_cpu(void)
{
	struct spe_cpu_stats g;
	int other = 0;

	if (!fx_init())
		goto out;
	if (F.cpu == 0 || sd_online_cpus() < 2) {
		printf("  one CPU online: per-CPU separation not exercised\n");
		goto out;
	}
	aux_begin_on(other, 0, BUF, 0, BUF, BUF, 0);
	aux_begin_on(other, 0, BUF, 0, BUF, BUF, 0);
	aux_begin_on(F.cpu, 0, BUF, 0, BUF, BUF, 0);
	stats_on(other, &g, 1);
	CHECK_EQ_U64(g.sessions, 2);
	stats_on(F.cpu, &g, 1);
	CHECK_EQ_U64(g.sessions, 1);
	for (int c = 0; c < F.ncpus; c++)
		if (c != other && c != F.cpu) {
			stats_on(c, &g, 1);
			CHECK(all_zero(&g, sizeof(g)));
		}
out:
	fx_fini();
}

/*
 * The verifier's work per program (bpf_prog_info.verified_insns), held to
 * budgets about twice what Debian clang 14 produced on the 6.18 host
 * kernel when these were set: aux_begin 1629, irq 1409, aux_end 1449
 * (each runs spe_log2_slot()'s six branches, which the verifier walks
 * path by path), truncate 78, fault 90, pad 13, collision 12.  A program
 * that outgrows its budget has gained work on a hot path (or a branch
 * explosion that will hit the verifier's limits on older kernels).
 */
static const struct {
	const char *prog;
	__u32 budget;
} budgets[] = {
	{ "spe_rtp_aux_begin", 3300 },
	{ "spe_rtp_irq", 2900 },
	{ "spe_rtp_aux_end", 2900 },
	{ "spe_rtp_truncate", 160 },
	{ "spe_rtp_pad", 30 },
	{ "spe_rtp_fault", 180 },
	{ "spe_rtp_collision", 30 },
};

static void test_verified_insns_budget(void)
{
	if (!fx_init())
		goto out;
	CHECK_EQ_U64(ARRAY_SIZE(budgets), sd_ntps);
	for (unsigned int i = 0; i < ARRAY_SIZE(budgets); i++) {
		struct bpf_program *p = bpf_object__find_program_by_name(F.skel->obj,
									 budgets[i].prog);
		struct bpf_prog_info info;

		CHECK(p);
		if (!p)
			continue;
		CHECK_EQ_U64(sd_prog_info(bpf_program__fd(p), &info), 0);
		printf("  %-20s verified_insns %5u (budget %u)\n", budgets[i].prog,
		       info.verified_insns, budgets[i].budget);
		CHECK(info.verified_insns > 0);
		CHECK(info.verified_insns <= budgets[i].budget);
	}
out:
	fx_fini();
}

/*
 * The stock-kernel kprobe twins cannot attach here (no kprobe events) or
 * be test-run, but where the kernel has the kprobe program type the
 * verifier can still check them, with their CO-RE reads relocated against
 * this kernel's BTF.  spe_pmu_type must be non-zero or the verifier drops
 * the filtered bodies as dead code.  Budgets: about twice the measured
 * 1515 (begin), 124 (flag), 1516 (end).
 */
static const struct {
	const char *prog;
	__u32 budget;
} kprobe_budgets[] = {
	{ "spe_kprobe_aux_begin", 3000 },
	{ "spe_kprobe_aux_flag", 250 },
	{ "spe_kprobe_aux_end", 3000 },
};

static void test_kprobe_twins_verify(void)
{
	struct spedrops_bpf *s;
	struct bpf_program *p;

	if (libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_KPROBE, NULL) != 1) {
		printf("  kernel without kprobe programs: not verified here\n");
		return;
	}
	s = spedrops_bpf__open();
	CHECK(s);
	if (!s)
		return;
	s->rodata->spe_pmu_type = 8;
	bpf_object__for_each_program(p, s->obj)
		bpf_program__set_autoload(p, !strncmp(bpf_program__name(p), "spe_kprobe_", 11));
	CHECK_EQ_U64(spedrops_bpf__load(s), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(kprobe_budgets); i++) {
		struct bpf_prog_info info = { 0 };

		p = bpf_object__find_program_by_name(s->obj, kprobe_budgets[i].prog);
		CHECK(p && bpf_program__fd(p) >= 0);
		if (!p || bpf_program__fd(p) < 0)
			continue;
		CHECK_EQ_U64(sd_prog_info(bpf_program__fd(p), &info), 0);
		printf("  %-20s verified_insns %5u (budget %u)\n", kprobe_budgets[i].prog,
		       info.verified_insns, kprobe_budgets[i].budget);
		CHECK(info.verified_insns > 0);
		CHECK(info.verified_insns <= kprobe_budgets[i].budget);
	}
	spedrops_bpf__destroy(s);
}

static int silent_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stdout, fmt, ap);
}

int main(void)
{
	const char *why = sd_bpf_unusable();

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (why) {
		printf("spedrops BPF suite cannot run: %s\n", why);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	libbpf_set_print(silent_libbpf);
	printf("  test CPU %d of %d possible\n", sd_last_online_cpu(),
	       libbpf_num_possible_cpus());
	RUN_TEST(test_load);
	RUN_TEST(test_sessions);
	RUN_TEST(test_no_room);
	RUN_TEST(test_spurious_irqs);
	RUN_TEST(test_aux_end_flags);
	RUN_TEST(test_truncation_storm);
	RUN_TEST(test_ring_full_keeps_counting);
	RUN_TEST(test_ring_records_zeroed);
	RUN_TEST(test_faults);
	RUN_TEST(test_fault_map_full);
	RUN_TEST(test_collisions);
	RUN_TEST(test_pads);
	RUN_TEST(test_per_cpu);
	RUN_TEST(test_verified_insns_budget);
	RUN_TEST(test_kprobe_twins_verify);
	CHECK_DONE();
}
