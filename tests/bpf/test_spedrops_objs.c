// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every spedrops BPF object opens with libbpf and holds exactly the
 * programs the loader selects by name (with their attach sections) and the
 * maps include/spekit/spedrops.h documents (types, sizes, BTF value types
 * for bpftool's field names): the host and arm64 objects as built, and as
 * embedded in their skeletons.  Opening needs no privileges; the arm64
 * object cannot be loaded here, so this is all it gets on the host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/types.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <spekit/spedrops.h>
#include "spedrops.skel.h"
#include "skel_arm64.h"
#include "check.h"

#ifndef SPEDROPS_BPF_DIR
#define SPEDROPS_BPF_DIR "build/bpf"
#endif

static const struct {
	const char *name, *sec;
	enum bpf_prog_type type;
	enum bpf_attach_type attach;
} progs[] = {
#define RTP(ev) { "spe_rtp_" #ev, "raw_tp/arm_spe_" #ev, BPF_PROG_TYPE_RAW_TRACEPOINT, 0 }, \
		{ "spe_btf_" #ev, "tp_btf/arm_spe_" #ev, BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP }
	RTP(aux_begin), RTP(irq), RTP(aux_end), RTP(truncate), RTP(pad),
	RTP(fault), RTP(collision),
#undef RTP
#define STOCK(p, fn) { "spe_fentry_" #p, "fentry/" #fn, BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY }, \
		     { "spe_kprobe_" #p, "kprobe/" #fn, BPF_PROG_TYPE_KPROBE, 0 }
	STOCK(aux_begin, perf_aux_output_begin),
	STOCK(aux_flag, perf_aux_output_flag),
	STOCK(aux_end, perf_aux_output_end),
#undef STOCK
};
#define NPROGS (sizeof(progs) / sizeof(progs[0]))

static const struct {
	const char *name;
	enum bpf_map_type type;
	__u32 key_size, value_size, min_entries;
	const char *key_type, *value_type;	/* BTF names, NULL: none */
} maps[] = {
	{ "spe_stats", BPF_MAP_TYPE_PERCPU_ARRAY, 4, sizeof(struct spe_cpu_stats), 1,
	  NULL, "spe_cpu_stats" },
	{ "spe_hists", BPF_MAP_TYPE_PERCPU_ARRAY, 4, sizeof(struct spe_log2_hist),
	  SPE_HIST_NR, NULL, "spe_log2_hist" },
	{ "spe_faults", BPF_MAP_TYPE_PERCPU_HASH, sizeof(struct spe_fault_key), 8, 64,
	  "spe_fault_key", NULL },
	/* room for a storm of records between two polls */
	{ "spe_events", BPF_MAP_TYPE_RINGBUF, 0, 0, 64 * 1024, NULL, NULL },
};
#define NMAPS (sizeof(maps) / sizeof(maps[0]))

static const char *btf_name(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = id ? btf__type_by_id(btf, id) : NULL;

	return t ? btf__name_by_offset(btf, t->name_off) : NULL;
}

static void check_progs(struct bpf_object *obj)
{
	struct bpf_program *p;
	unsigned int n = 0;

	bpf_object__for_each_program(p, obj)
		n++;
	CHECK_EQ_U64(n, NPROGS);
	for (unsigned int i = 0; i < NPROGS; i++) {
		p = bpf_object__find_program_by_name(obj, progs[i].name);
		if (!p) {
			printf("  program %s missing\n", progs[i].name);
			CHECK(p);
			continue;
		}
		CHECK_STR(bpf_program__section_name(p), progs[i].sec);
		CHECK_EQ_U64(bpf_program__type(p), progs[i].type);
		CHECK_EQ_U64(bpf_program__expected_attach_type(p), progs[i].attach);
		CHECK(bpf_program__insn_cnt(p) > 0);
	}
}

static void check_maps(struct bpf_object *obj)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct bpf_map *ro;
	const __u32 *pmu_type;
	size_t ro_size = 0;

	CHECK(btf);
	for (unsigned int i = 0; i < NMAPS; i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(obj, maps[i].name);

		if (!m) {
			printf("  map %s missing\n", maps[i].name);
			CHECK(m);
			continue;
		}
		CHECK_EQ_U64(bpf_map__type(m), maps[i].type);
		CHECK_EQ_U64(bpf_map__key_size(m), maps[i].key_size);
		CHECK_EQ_U64(bpf_map__value_size(m), maps[i].value_size);
		CHECK(bpf_map__max_entries(m) >= maps[i].min_entries);
		if (maps[i].type == BPF_MAP_TYPE_PERCPU_ARRAY)
			CHECK_EQ_U64(bpf_map__max_entries(m), maps[i].min_entries);
		if (maps[i].key_type && btf)
			CHECK_STR(btf_name(btf, bpf_map__btf_key_type_id(m)), maps[i].key_type);
		if (maps[i].value_type && btf)
			CHECK_STR(btf_name(btf, bpf_map__btf_value_type_id(m)), maps[i].value_type);
	}
	/* the loader's one knob, 0 (filter matches nothing) until it sets it */
	ro = bpf_object__find_map_by_name(obj, ".rodata");
	CHECK(ro);
	if (!ro)
		return;
	pmu_type = bpf_map__initial_value((struct bpf_map *)ro, &ro_size);
	CHECK_EQ_U64(ro_size, 4);
	CHECK(pmu_type && *pmu_type == 0);
}

static void check_object(struct bpf_object *obj)
{
	CHECK(obj);
	if (!obj)
		return;
	check_progs(obj);
	check_maps(obj);
}

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc(n)) &&
	    fread(buf, 1, n, f) == (size_t)n) {
		*size = n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The object file as built, and the skeleton's copy of it: the same bytes
 * (a stale skeleton would ship an older program), opened and checked */
static void check_built(const char *file, const void *elf, size_t elf_size)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .object_name = "spedrops_bpf");
	struct bpf_object *obj;
	size_t size = 0;
	void *bytes = read_file(file, &size);

	if (!bytes)
		printf("  cannot read %s\n", file);
	CHECK(bytes);
	CHECK(elf && elf_size > 0);
	if (bytes && elf)
		CHECK(size == elf_size && !memcmp(bytes, elf, size));
	free(bytes);

	obj = bpf_object__open_file(file, NULL);
	check_object(obj);
	bpf_object__close(obj);
	obj = bpf_object__open_mem(elf, elf_size, &o);
	check_object(obj);
	bpf_object__close(obj);
}

static void test_host_object(void)
{
	size_t n = 0;
	const void *elf = spedrops_bpf__elf_bytes(&n);

	check_built(SPEDROPS_BPF_DIR "/spedrops.bpf.o", elf, n);
}

static void test_arm64_object(void)
{
	size_t n = 0;
	const void *elf = sd_arm64_elf_bytes(&n);

	check_built(SPEDROPS_BPF_DIR "/arm64/spedrops.bpf.o", elf, n);
}

/* The skeleton the loader compiles against: typed accessors for every
 * program and map, and the rodata knob */
static void test_host_skeleton(void)
{
	struct spedrops_bpf *s = spedrops_bpf__open();

	CHECK(s);
	if (!s)
		return;
	CHECK(s->progs.spe_rtp_aux_begin && s->progs.spe_btf_collision);
	CHECK(s->progs.spe_fentry_aux_flag && s->progs.spe_kprobe_aux_end);
	CHECK(s->maps.spe_stats && s->maps.spe_hists && s->maps.spe_faults &&
	      s->maps.spe_events);
	CHECK(s->rodata && s->rodata->spe_pmu_type == 0);
	spedrops_bpf__destroy(s);
}

/* -D__TARGET_ARCH_<arch> reached the build: the kprobe programs read their
 * arguments from different pt_regs slots on x86 (di, si) and arm64
 * (regs[0], regs[1]), so their code differs while the raw_tp code does not */
static void test_arches_differ(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .object_name = "spedrops_bpf");
	size_t nh = 0, na = 0;
	const void *eh = spedrops_bpf__elf_bytes(&nh), *ea = sd_arm64_elf_bytes(&na);
	struct bpf_object *h = bpf_object__open_mem(eh, nh, &o);
	struct bpf_object *a = bpf_object__open_mem(ea, na, &o);
	const char *same[] = { "spe_rtp_truncate", "spe_rtp_fault" };
	const char *differ[] = { "spe_kprobe_aux_begin", "spe_kprobe_aux_end" };

	CHECK(h && a);
	if (!h || !a)
		goto out;
	for (int pass = 0; pass < 2; pass++) {
		const char **names = pass ? differ : same;

		for (int i = 0; i < 2; i++) {
			struct bpf_program *ph = bpf_object__find_program_by_name(h, names[i]);
			struct bpf_program *pa = bpf_object__find_program_by_name(a, names[i]);
			int eq;

			CHECK(ph && pa);
			if (!ph || !pa)
				continue;
			eq = bpf_program__insn_cnt(ph) == bpf_program__insn_cnt(pa) &&
			     !memcmp(bpf_program__insns(ph), bpf_program__insns(pa),
				     bpf_program__insn_cnt(ph) * sizeof(struct bpf_insn));
			if (eq == pass)
				printf("  %s: x86 and arm64 code %s\n", names[i],
				       pass ? "identical" : "differ");
			CHECK(eq != pass);
		}
	}
out:
	bpf_object__close(h);
	bpf_object__close(a);
}

int main(void)
{
	RUN_TEST(test_host_object);
	RUN_TEST(test_arm64_object);
	RUN_TEST(test_host_skeleton);
	RUN_TEST(test_arches_differ);
	CHECK_DONE();
}
