// SPDX-License-Identifier: GPL-2.0-only
/*
 * The decisions include/spekit/spedrops.h shares between the BPF programs
 * and user space, tested on the host where the stock-kernel programs that
 * use spe_drops_pmu_match() cannot run: the log2 slot against a plain
 * loop, the PMU filter, and the layout both sides rely on.
 */
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include <spekit/spedrops.h>
#include "check.h"

/* The definition: the largest i with 2^i <= v, 0 for 0 and 1 */
static __u32 ref_log2_slot(__u64 v)
{
	__u32 i = 0;

	while (i < 63 && (v >> (i + 1)))
		i++;
	return i;
}

static int log2_bad;

static void log2_one(__u64 v)
{
	__u32 got = spe_log2_slot(v), want = ref_log2_slot(v);

	if (got != want && log2_bad++ < 10)
		printf("  spe_log2_slot(0x%llx) = %u, want %u\n",
		       (unsigned long long)v, got, want);
	CHECK(got < SPE_LOG2_SLOTS);
	CHECK_EQ_U64(got, want);
}

static void test_log2_slot_reference(void)
{
	__u64 x = 0x9e3779b97f4a7c15ull;
	unsigned int n = 0;

	for (__u64 v = 0; v < 300; v++, n++)
		log2_one(v);
	for (int k = 0; k < 64; k++, n += 3) {
		__u64 p = 1ull << k;

		log2_one(p - 1);
		log2_one(p);
		log2_one(p + 1);
	}
	log2_one(UINT64_MAX);
	log2_one(UINT64_MAX - 1);
	/* and values with every bit pattern below the top bit (xorshift) */
	for (int i = 0; i < 200; i++, n++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		log2_one(x >> (i % 64));
	}
	CHECK(n > 600);
	/* the documented edges, spelled out */
	CHECK_EQ_U64(spe_log2_slot(0), 0);
	CHECK_EQ_U64(spe_log2_slot(1), 0);
	CHECK_EQ_U64(spe_log2_slot(2), 1);
	CHECK_EQ_U64(spe_log2_slot(4095), 11);
	CHECK_EQ_U64(spe_log2_slot(4096), 12);
	CHECK_EQ_U64(spe_log2_slot(UINT64_MAX), 63);
}

static void test_pmu_match(void)
{
	/* no SPE PMU found (type 0): nothing matches, not even type 0 */
	CHECK(!spe_drops_pmu_match(0, 0));
	CHECK(!spe_drops_pmu_match(8, 0));
	CHECK(!spe_drops_pmu_match(UINT32_MAX, 0));
	/* the SPE PMU's type, and only it */
	CHECK(spe_drops_pmu_match(8, 8));
	CHECK(!spe_drops_pmu_match(9, 8));
	CHECK(!spe_drops_pmu_match(0, 8));
	CHECK(!spe_drops_pmu_match(8 | 0x100, 8));
	CHECK(spe_drops_pmu_match(UINT32_MAX, UINT32_MAX));
	/* perf's fixed types are never an SPE PMU by accident */
	for (__u32 t = 0; t < 6; t++)
		CHECK(!spe_drops_pmu_match(t, 42));
}

/* BPF (both arches) and user space must agree on these without padding
 * rules of their own: only 8-byte fields, or pairs of 4-byte ones */
static void test_layout(void)
{
	CHECK_EQ_U64(sizeof(struct spe_cpu_stats) % 8, 0);
	CHECK_EQ_U64(sizeof(struct spe_cpu_stats),
		     (15 + ARM_SPE_TRUNC_NR_REASONS) * 8);
	CHECK_EQ_U64(sizeof(struct spe_log2_hist), SPE_LOG2_SLOTS * 8);
	CHECK_EQ_U64(sizeof(struct spe_fault_key), 8);
	CHECK_EQ_U64(sizeof(struct spe_drop_event), 72);
	CHECK_EQ_U64(offsetof(struct spe_drop_event, pmbsr), 32);
	CHECK_EQ_U64(offsetof(struct spe_drop_event, size), 64);
	CHECK_EQ_U64(SPE_TRUNC_FLAGGED, 0);
	CHECK(ARM_SPE_TRUNC_FAULT < ARM_SPE_TRUNC_NR_REASONS);
}

int main(void)
{
	RUN_TEST(test_log2_slot_reference);
	RUN_TEST(test_pmu_match);
	RUN_TEST(test_layout);
	CHECK_DONE();
}
