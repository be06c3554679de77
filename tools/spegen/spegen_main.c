// SPDX-License-Identifier: GPL-2.0-only
/*
 * spegen: write a SYNTHETIC Arm SPE AUX byte stream.  Main loop, buffered
 * output and the --summary report; see spegen --help.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spegen_damage.h"
#include "spegen_gen.h"
#include "spegen_opts.h"
#include "spegen_syms.h"

#define OUT_BUF_SIZE	(4u << 20)
#define OUT_ROOM	(SPEGEN_REC_MAX + SPEGEN_DAMAGE_MAX_PER_REC)
#define DEFAULT_LIBC	"/usr/lib/x86_64-linux-gnu/libc.so.6"
#define SYNTH_USER_TEXT	0x0000aaaaaaaa0000ULL
#define SYNTH_KERN_TEXT	0xffff800008010000ULL

struct out {
	int fd;
	const char *name;
	uint8_t *buf;
	size_t len;
};

static int out_flush(struct out *o)
{
	size_t done = 0;

	while (done < o->len) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "spegen: write %s: %s\n", o->name,
				strerror(errno));
			return -1;
		}
		done += (size_t)n;
	}
	o->len = 0;
	return 0;
}

static int load_user_syms(const struct spegen_opts *o, struct spegen_syms *s)
{
	char err[512];

	if (o->elf && !strcmp(o->elf, "none"))
		return spegen_syms_synthetic(s, SYNTH_USER_TEXT + o->load_base,
					     4000, 0x75736572);
	if (o->elf) {
		if (spegen_syms_load_elf(s, o->elf, o->load_base, err,
					 sizeof(err))) {
			fprintf(stderr, "spegen: %s\n", err);
			return -1;
		}
		return 0;
	}
	if (!spegen_syms_load_elf(s, "/proc/self/exe", o->load_base, err,
				  sizeof(err)))
		return 0;
	if (!spegen_syms_load_elf(s, DEFAULT_LIBC, o->load_base, err,
				  sizeof(err)))
		return 0;
	fprintf(stderr, "spegen: no usable ELF (%s); using synthetic text\n", err);
	return spegen_syms_synthetic(s, SYNTH_USER_TEXT + o->load_base, 4000,
				     0x75736572);
}

static int load_kernel_syms(const struct spegen_opts *o, struct spegen_syms *s)
{
	char err[512];

	if (o->kernel_elf) {
		if (spegen_syms_load_elf(s, o->kernel_elf, o->kernel_load_base,
					 err, sizeof(err))) {
			fprintf(stderr, "spegen: %s\n", err);
			return -1;
		}
		return 0;
	}
	/* a fixed layout: the same "kernel" whatever the seed */
	return spegen_syms_synthetic(s, SYNTH_KERN_TEXT, 30000, 0x6b65726e);
}

static void pct_line(const char *name, uint64_t n, uint64_t total)
{
	fprintf(stderr, "  %-28s %12llu  %6.2f%%\n", name, (unsigned long long)n,
		total ? 100.0 * (double)n / (double)total : 0.0);
}

static void print_summary(const struct spegen *g, const struct spegen_damage *dm,
			  uint64_t written)
{
	const struct spegen_stats *st = &g->st;
	const struct spegen_cpu_model *m = g->cfg.model;
	int i;

	fprintf(stderr, "spegen summary: SYNTHETIC SPE data, not captured from hardware\n");
	fprintf(stderr, "  model %s (%s, MIDR 0x%08x), SPE %s, seed %llu\n",
		m->name, m->desc, m->midr, spegen_version_name(g->cfg.version),
		(unsigned long long)g->cfg.seed);
	fprintf(stderr, "  records %llu, bytes written %llu (PAD %llu)\n",
		(unsigned long long)st->records, (unsigned long long)written,
		(unsigned long long)st->pad_bytes);
	fprintf(stderr, " op class:\n");
	for (i = 0; i < SPEGEN_OP_NR; i++)
		if (st->op[i])
			pct_line(spegen_op_name(i), st->op[i], st->records);
	fprintf(stderr, " loads by data source (value: name, mean total latency):\n");
	for (i = 0; i < m->nr_dsrc; i++) {
		char name[64];
		unsigned int lvl = m->dsrc[i].level;

		snprintf(name, sizeof(name), "0x%x %s", m->dsrc[i].code,
			 m->dsrc[i].name);
		fprintf(stderr, "  %-28s %12llu  %6.2f%%  (%s)\n", name,
			(unsigned long long)st->dsrc[i],
			st->loads ? 100.0 * (double)st->dsrc[i] / (double)st->loads : 0.0,
			spegen_level_name(lvl));
	}
	fprintf(stderr, " mean total latency of loads by level (cycles, before saturation):\n");
	for (i = 0; i < LVL_NR; i++) {
		uint64_t n = 0;
		int k;

		for (k = 0; k < m->nr_dsrc; k++)
			if (m->dsrc[k].level == i)
				n += st->dsrc[k];
		if (n)
			fprintf(stderr, "  %-28s %12.1f\n", spegen_level_name(i),
				(double)st->lat_sum[i] / (double)n);
	}
	fprintf(stderr, " other:\n");
	pct_line("loads", st->loads, st->records);
	pct_line("stores", st->stores, st->records);
	pct_line("EL1 (kernel) PCs", st->kernel, st->records);
	pct_line("not retired", st->not_retired, st->records);
	pct_line("TLB walks", st->tlb_walk, st->records);
	pct_line("mispredicted branches", st->mispred, st->records);
	pct_line("not-taken branches", st->not_taken, st->records);
	pct_line("saturated counters", st->saturated, st->records);
	if (dm->rate > 0 || dm->truncated)
		fprintf(stderr, " damage: %llu flips, %llu inserts, %llu deletes, %llu truncated\n",
			(unsigned long long)dm->flips,
			(unsigned long long)dm->inserts,
			(unsigned long long)dm->deletes,
			(unsigned long long)dm->truncated);
}

static void list_models(void)
{
	const struct spegen_cpu_model *m;
	int i;

	for (i = 0; (m = spegen_model_at(i)); i++)
		printf("%-12s 0x%08x  SPE %-5s  %s\n", m->name, m->midr,
		       spegen_version_name(m->version), m->desc);
}

int main(int argc, char **argv)
{
	struct spegen_syms user_syms, kern_syms;
	struct spegen_damage dm;
	struct spegen_opts o;
	struct spegen_rec_info info;
	struct spegen *g;
	struct out out = { .fd = STDOUT_FILENO, .name = "stdout" };
	FILE *dlog = NULL;
	uint64_t written = 0, rec_no = 0;
	unsigned int dropped;
	int f, ret = 1;

	if (spegen_opts_parse(&o, argc, argv))
		return 2;
	if (o.help) {
		spegen_usage(stdout);
		return 0;
	}
	if (o.list_models) {
		list_models();
		return 0;
	}
	if (o.print_midr) {
		printf("0x%08x\n", o.cfg.model->midr);
		return 0;
	}
	dropped = spegen_cfg_restrict(&o.cfg);
	for (f = 0; f < FEAT_NR; f++)
		if (dropped & (1u << f))
			fprintf(stderr, "spegen: SPE %s has no %s (needs %s): not generated\n",
				spegen_version_name(o.cfg.version),
				spegen_feat_name(f),
				spegen_version_name(spegen_feat_min_version(f)));
	{
		double sum = 0;

		for (f = 0; f < SPEGEN_OP_NR; f++)
			sum += o.cfg.mix[f];
		if (sum <= 0) {
			fprintf(stderr, "spegen: the --mix leaves nothing to generate\n");
			return 2;
		}
	}

	if (load_user_syms(&o, &user_syms) || load_kernel_syms(&o, &kern_syms))
		return 1;
	if (o.zipf > 0 && (spegen_syms_zipf(&user_syms, o.zipf, o.cfg.seed) ||
			   spegen_syms_zipf(&kern_syms, o.zipf, o.cfg.seed + 1))) {
		fprintf(stderr, "spegen: out of memory for the --zipf tables\n");
		return 1;
	}
	o.cfg.user_syms = &user_syms;
	o.cfg.kernel_syms = &kern_syms;

	if (o.damage_log) {
		dlog = fopen(o.damage_log, "w");
		if (!dlog) {
			fprintf(stderr, "spegen: %s: %s\n", o.damage_log,
				strerror(errno));
			return 1;
		}
	} else if (o.damage > 0 || o.truncate) {
		dlog = stderr;
	}
	if (dlog)
		fprintf(dlog, "# spegen damage log: SYNTHETIC stream, seed %llu; offsets are byte offsets in the output\n",
			(unsigned long long)o.cfg.seed);
	spegen_damage_init(&dm, o.cfg.seed, o.damage, dlog);

	if (o.output && strcmp(o.output, "-")) {
		out.fd = open(o.output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			      0644);
		out.name = o.output;
		if (out.fd < 0) {
			fprintf(stderr, "spegen: %s: %s\n", o.output,
				strerror(errno));
			return 1;
		}
	} else if (isatty(STDOUT_FILENO) && !o.force_tty) {
		fprintf(stderr, "spegen: not writing binary data to a terminal; use -o FILE, a pipe or --force-tty\n");
		return 2;
	}

	g = malloc(sizeof(*g));
	out.buf = malloc(OUT_BUF_SIZE);
	if (!g || !out.buf) {
		fprintf(stderr, "spegen: out of memory\n");
		goto done;
	}
	spegen_init(g, &o.cfg);

	for (;;) {
		uint8_t *p;
		size_t len;
		bool last;

		if (OUT_BUF_SIZE - out.len < OUT_ROOM && out_flush(&out))
			goto done;
		p = out.buf + out.len;
		len = spegen_record(g, p, &info);
		last = (o.records && rec_no + 1 >= o.records) ||
		       (o.bytes && written + len >= o.bytes);
		if (last && o.truncate)
			len = spegen_truncate_record(&dm, len, &info, written,
						     rec_no);
		else
			len = spegen_damage_record(&dm, p, len, &info, written,
						   rec_no);
		out.len += len;
		written += len;
		rec_no++;
		if (last)
			break;
	}
	if (out_flush(&out))
		goto done;
	if (out.fd != STDOUT_FILENO && close(out.fd)) {
		fprintf(stderr, "spegen: close %s: %s\n", out.name,
			strerror(errno));
		out.fd = -1;
		goto done;
	}
	out.fd = -1;
	if (o.summary)
		print_summary(g, &dm, written);
	ret = 0;
done:
	if (dlog && dlog != stderr && fclose(dlog))
		ret = 1;
	if (out.fd > STDOUT_FILENO)
		close(out.fd);
	free(out.buf);
	free(g);
	spegen_syms_free(&user_syms);
	spegen_syms_free(&kern_syms);
	return ret;
}
