// SPDX-License-Identifier: GPL-2.0-only
/*
 * Input selection: perf.data (recognised by its magic) or raw AUX bytes.
 * Regular files are mapped whole; pipes are streamed in chunks (raw) or
 * gathered (perf.data, whose reader wants random access to the header).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"

#define PERF_MAGIC	"PERFILE2"
#define CHUNK		(1u << 20)

static int is_perf_magic(const void *buf, size_t len)
{
	return len >= 8 && !memcmp(buf, PERF_MAGIC, 8);
}

static int err_open(const char *path, int err)
{
	switch (err) {
	case ENOENT:
		fprintf(stderr, "spedump: %s: no such file (check the path)\n", path);
		break;
	case EACCES:
	case EPERM:
		fprintf(stderr, "spedump: %s: permission denied (run as a user that can read it, e.g. its owner or root)\n",
			path);
		break;
	default:
		fprintf(stderr, "spedump: %s: cannot open: %s\n", path, strerror(err));
		break;
	}
	return 1;
}

static int read_full(int fd, uint8_t *buf, size_t want, size_t *got)
{
	*got = 0;
	while (*got < want) {
		ssize_t n = read(fd, buf + *got, want - *got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!n)
			break;
		*got += (size_t)n;
	}
	return 0;
}

/* A pipe or other stream: raw data is decoded as it arrives. */
static int run_stream(const char *path, int fd, bool force_raw, struct dump *d)
{
	size_t cap = CHUNK, len = 0, got;
	uint8_t *buf = malloc(cap);
	int err, ret = 0;

	if (!buf) {
		fprintf(stderr, "spedump: out of memory\n");
		return 1;
	}
	err = read_full(fd, buf, 8, &len);
	if (err)
		goto read_err;
	if (!len) {
		fprintf(stderr, "spedump: %s: empty input (no SPE data)\n", path);
		free(buf);
		return 1;
	}
	if (!force_raw && is_perf_magic(buf, len)) {
		/* gather the whole pipe-mode perf.data */
		for (;;) {
			if (cap - len < CHUNK) {
				uint8_t *nb = realloc(buf, cap * 2);

				if (!nb) {
					fprintf(stderr, "spedump: %s: out of memory reading the perf.data stream\n", path);
					free(buf);
					return 1;
				}
				buf = nb;
				cap *= 2;
			}
			err = read_full(fd, buf + len, CHUNK, &got);
			if (err)
				goto read_err;
			len += got;
			if (got < CHUNK)
				break;
		}
		ret = input_perf_data(path, buf, len, d);
		free(buf);
		return ret;
	}
	for (;;) {
		if (dump_aux(d, 0, -1, buf, len)) {
			ret = 1;
			break;
		}
		err = read_full(fd, buf, CHUNK, &len);
		if (err)
			goto read_err;
		if (!len)
			break;
	}
	free(buf);
	return ret;
read_err:
	fprintf(stderr, "spedump: %s: read error: %s\n", path, strerror(-err));
	free(buf);
	return 1;
}

int input_run(const struct input_opts *in, struct dump *d)
{
	const char *path = in->path;
	struct stat st;
	void *map;
	int fd, ret;

	if (!strcmp(path, "-"))
		return run_stream("standard input", STDIN_FILENO, in->force_raw, d);

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return err_open(path, errno);
	if (fstat(fd, &st)) {
		ret = err_open(path, errno);
		close(fd);
		return ret;
	}
	if (S_ISDIR(st.st_mode)) {
		fprintf(stderr, "spedump: %s: is a directory (give a perf.data or raw SPE file)\n", path);
		close(fd);
		return 1;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = run_stream(path, fd, in->force_raw, d);
		close(fd);
		return ret;
	}
	if (!st.st_size) {
		fprintf(stderr, "spedump: %s: empty file (no SPE data)\n", path);
		close(fd);
		return 1;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		fprintf(stderr, "spedump: %s: cannot map: %s\n", path, strerror(errno));
		return 1;
	}
	madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
	if (!in->force_raw && is_perf_magic(map, (size_t)st.st_size))
		ret = input_perf_data(path, map, (size_t)st.st_size, d);
	else
		ret = dump_aux(d, 0, -1, map, (size_t)st.st_size) ? 1 : 0;
	munmap(map, (size_t)st.st_size);
	return ret;
}
