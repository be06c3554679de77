// SPDX-License-Identifier: GPL-2.0-only
/*
 * libspe decode throughput on one core, beside a reference measured in the
 * same run on the same bytes: a plain read pass (sum of 64-bit words), the
 * machine's memory read rate as a single thread sees it.
 * Usage: bench_decode RAWFILE [REPEATS]
 * Prints: "decode MBps=.. recps=.. records=.. reference_MBps=.. ratio=.."
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "spe.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t read_pass(const uint8_t *b, size_t len)
{
	const uint64_t *w = (const uint64_t *)b;
	uint64_t s = 0;

	for (size_t i = 0; i < len / 8; i++)
		s += w[i];
	return s;
}

static uint64_t decode_pass(const uint8_t *b, size_t len, uint64_t *records)
{
	const struct spe_record *r;
	struct spe_decoder d;
	uint64_t s = 0;

	spe_decoder_init(&d);
	spe_decoder_feed(&d, b, len);
	while ((r = spe_decoder_next(&d)))
		s += r->pc ^ r->lat_total;
	spe_decoder_finish(&d);
	*records = d.stats.records;
	return s;
}

int main(int argc, char **argv)
{
	int reps = argc > 2 ? atoi(argv[2]) : 3;
	double best_dec = 1e9, best_ref = 1e9;
	uint64_t records = 0, sink = 0;
	struct stat st;
	uint8_t *buf;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_decode RAWFILE [REPEATS]\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		perror(argv[1]);
		return 1;
	}
	buf = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (int i = 0; i < reps; i++) {
		double t0 = now(), t1, t2;

		sink += read_pass(buf, (size_t)st.st_size);
		t1 = now();
		sink += decode_pass(buf, (size_t)st.st_size, &records);
		t2 = now();
		if (t1 - t0 < best_ref)
			best_ref = t1 - t0;
		if (t2 - t1 < best_dec)
			best_dec = t2 - t1;
	}
	printf("decode MBps=%.0f recps=%.0f records=%llu reference_MBps=%.0f ratio=%.3f sink=%llx\n",
	       (double)st.st_size / best_dec / 1e6, (double)records / best_dec,
	       (unsigned long long)records, (double)st.st_size / best_ref / 1e6,
	       best_ref / best_dec, (unsigned long long)(sink & 0xf));
	return 0;
}
