// SPDX-License-Identifier: GPL-2.0-only
/*
 * Arm SPE AUXTRACE_INFO metadata.
 *
 * Version 1 (every perf up to 6.11) is two u64s: the SPE PMU type and
 * whether mmaps were per CPU.  It has no version field; perf tells it
 * apart by its size, 16 bytes, and so do we.
 *
 * Version 2 (perf 6.12+) describes itself: a header of `header size` u64s
 * starting [version, header size, PMU type, number of CPUs], then for each
 * CPU [magic 0x1010101010101010, cpu, nr params, params...] where params
 * are [MIDR, PMU type, min interval, ...] (newer perfs append more).  We
 * walk each CPU by its own nr params so appended fields do not break us.
 */
#include <stdarg.h>
#include <stdio.h>

#include "perf_data.h"
#include "perf_format.h"

#define META_MAX_HDR	64	/* u64s; real headers have 4 */

static int meta_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static uint64_t word(const uint8_t *p, size_t i)
{
	return pf_get64(p + i * 8);
}

int spe_pd_meta_parse(const void *priv, size_t len, struct spe_pd_info *info,
		      struct spe_pd_cpu_meta *cpus, unsigned int max_cpus,
		      char *err, size_t errlen)
{
	const uint8_t *p = priv;
	size_t nwords = len / 8, hdr, i, w;
	uint64_t nr_cpus, n;

	memset(info, 0, sizeof(*info));
	if (len % 8)
		return meta_err(err, errlen,
				"SPE metadata is %zu bytes, not a whole number of u64s (corrupt AUXTRACE_INFO)",
				len);
	if (len == PF_SPE_V1_PRIV * 8) {
		info->version = 1;
		info->pmu_type = (uint32_t)word(p, 0);
		info->per_cpu_mmaps = word(p, 1);
		return 0;
	}
	if (nwords < PF_SPE_V2_HDR)
		return meta_err(err, errlen,
				"SPE metadata is %zu bytes: too short for v1 (16) or a v2 header (32)",
				len);
	if (word(p, 0) < 2 || word(p, 0) > 0xffff)
		return meta_err(err, errlen,
				"SPE metadata of %zu bytes has version %llu (expected 16 bytes for v1, or version >= 2)",
				len, (unsigned long long)word(p, 0));
	hdr = word(p, 1) <= META_MAX_HDR ? (size_t)word(p, 1) : META_MAX_HDR + 1;
	if (hdr < PF_SPE_V2_HDR || hdr > nwords)
		return meta_err(err, errlen,
				"SPE metadata v%llu header size %llu u64s does not fit (need 4..%zu)",
				(unsigned long long)word(p, 0),
				(unsigned long long)word(p, 1), nwords);
	nr_cpus = word(p, 3);
	/* each CPU takes at least 3 words: bound before trusting the count */
	if (nr_cpus > (nwords - hdr) / PF_SPE_V2_CPU_FIXED)
		return meta_err(err, errlen,
				"SPE metadata claims %llu CPUs but has room for %zu (corrupt AUXTRACE_INFO)",
				(unsigned long long)nr_cpus,
				(nwords - hdr) / PF_SPE_V2_CPU_FIXED);
	info->version = (uint32_t)word(p, 0);
	info->pmu_type = (uint32_t)word(p, 2);
	info->nr_cpus = (uint32_t)nr_cpus;

	w = hdr;
	for (n = 0; n < nr_cpus; n++) {
		uint64_t nr_params;

		if (nwords - w < PF_SPE_V2_CPU_FIXED)
			return meta_err(err, errlen,
					"SPE metadata ends inside CPU entry %llu",
					(unsigned long long)n);
		if (word(p, w) != PF_SPE_CPU_MAGIC)
			return meta_err(err, errlen,
					"SPE metadata CPU entry %llu has magic 0x%llx, expected 0x%llx (corrupt or unknown layout)",
					(unsigned long long)n,
					(unsigned long long)word(p, w),
					(unsigned long long)PF_SPE_CPU_MAGIC);
		nr_params = word(p, w + 2);
		if (nr_params > nwords - w - PF_SPE_V2_CPU_FIXED)
			return meta_err(err, errlen,
					"SPE metadata CPU entry %llu claims %llu params, only %zu u64s left",
					(unsigned long long)n,
					(unsigned long long)nr_params,
					nwords - w - PF_SPE_V2_CPU_FIXED);
		if (cpus && n < max_cpus) {
			struct spe_pd_cpu_meta *c = &cpus[n];

			memset(c, 0, sizeof(*c));
			c->cpu = (uint32_t)word(p, w + 1);
			c->nr_params = (uint32_t)nr_params;
			/* missing params read as "unknown": MIDR 0, no PMU */
			c->pmu_type = ~0ULL;
			for (i = 0; i < nr_params && i < 3; i++) {
				uint64_t v = word(p, w + PF_SPE_V2_CPU_FIXED + i);

				if (i == 0)
					c->midr = v;
				else if (i == 1)
					c->pmu_type = v;
				else
					c->min_interval = v;
			}
		}
		w += PF_SPE_V2_CPU_FIXED + (size_t)nr_params;
	}
	if (w != nwords)
		return meta_err(err, errlen,
				"SPE metadata has %zu u64s after the last CPU entry (corrupt AUXTRACE_INFO)",
				nwords - w);
	return (int)nr_cpus;
}
