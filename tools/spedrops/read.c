// SPDX-License-Identifier: GPL-2.0-only
/*
 * Map reading.  A lookup in a per-CPU map returns one value per possible
 * CPU, each rounded up to 8 bytes (all spedrops' values are multiples of
 * 8 already).  The faults hash is walked key by key; a key deleted under
 * us (never, by spedrops' programs) is skipped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "read.h"

int sd_possible_cpus(void)
{
	return libbpf_num_possible_cpus();
}

__u64 sd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

_Static_assert(sizeof(struct spe_cpu_stats) % 8 == 0, "per-CPU value stride");
_Static_assert(sizeof(struct spe_log2_hist) % 8 == 0, "per-CPU value stride");

int sd_read_snap(const struct sd_map_fds *fds, struct sd_snap *s)
{
	unsigned int n = s->ncpus;
	size_t big = sizeof(struct spe_log2_hist) > sizeof(struct spe_cpu_stats) ?
		     sizeof(struct spe_log2_hist) : sizeof(struct spe_cpu_stats);
	void *buf = calloc(n, big);
	struct spe_fault_key key, next, *prev = NULL;
	__u64 *counts = calloc(n, sizeof(__u64));
	__u32 zero = 0;
	int err = 0;

	if (!buf || !counts) {
		err = -ENOMEM;
		goto out;
	}
	s->t_ns = sd_now_ns();
	if (bpf_map_lookup_elem(fds->stats, &zero, buf)) {
		err = -errno;
		goto out;
	}
	for (unsigned int c = 0; c < n; c++)
		memcpy(&s->cpu[c].s, (char *)buf + c * sizeof(struct spe_cpu_stats),
		       sizeof(struct spe_cpu_stats));
	for (__u32 h = 0; h < SPE_HIST_NR; h++) {
		if (bpf_map_lookup_elem(fds->hists, &h, buf)) {
			err = -errno;
			goto out;
		}
		for (unsigned int c = 0; c < n; c++)
			memcpy(&s->cpu[c].h[h], (char *)buf + c * sizeof(struct spe_log2_hist),
			       sizeof(struct spe_log2_hist));
	}
	s->nfaults = 0;
	while (!bpf_map_get_next_key(fds->faults, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fds->faults, &key, counts))
			continue;
		for (unsigned int c = 0; c < n; c++)
			if (counts[c] && sd_snap_add_fault(s, c, key.ec, key.fsc, counts[c])) {
				err = -ENOMEM;
				goto out;
			}
	}
out:
	free(buf);
	free(counts);
	return err;
}
