// SPDX-License-Identifier: GPL-2.0-only
/*
 * spedump: decode Arm SPE data from perf.data or raw AUX dumps into a
 * packet dump, records (text, JSON lines, CSV) or statistics.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argnum.h"
#include "dump.h"
#include "input.h"

#define EXIT_USAGE	2
#define EXIT_DAMAGED	3

static const char usage_text[] =
"Usage: spedump [OPTIONS] FILE\n"
"Decode Arm SPE (Statistical Profiling Extension) data.\n"
"FILE is a perf.data written by `perf record -e arm_spe//` (file or pipe\n"
"mode, recognised by its magic) or a raw dump of SPE AUX bytes; - reads\n"
"standard input.\n"
"\n"
"Output (one of; default: one record per line as text):\n"
"  -D, --packets      packet dump in the layout of `perf report -D`\n"
"  -j, --json         one JSON object per record (keys: README, \"spedump JSON\")\n"
"  -c, --csv          CSV, with a header line naming the columns\n"
"  -s, --stats        summary: records by op class, event rates, latency\n"
"                     p50/p90/p99/max by op class and data source, damage and\n"
"                     drop counts; with --json, as one JSON object\n"
"\n"
"Input:\n"
"      --raw          treat FILE as raw AUX bytes even if it starts like perf.data\n"
"      --midr HEX     CPU MIDR for data-source names (raw input, or perf.data\n"
"                     without per-CPU MIDR metadata), e.g. 0x410fd0c0 (Neoverse N1)\n"
"  -C, --cpu N        only AUX data recorded on CPU N (perf.data)\n"
"      --perf-compat  drop a trailing record that has no END or Timestamp, as\n"
"                     perf does (default: emit it, flagged \"unterminated\")\n"
"\n"
"  -o, --output FILE  write to FILE instead of standard output\n"
"  -h, --help         this text\n"
"  -V, --version      version\n"
"\n"
"Exit status: 0 decoded cleanly; 1 the input could not be read or is not\n"
"SPE data (one line on stderr says why); 2 bad options; 3 decoded, but the\n"
"stream was damaged (bad bytes, dropped records or a cut packet: counts on\n"
"stderr, records from intact data are all output).\n";

static void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "spedump: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see spedump --help)\n");
	exit(EXIT_USAGE);
}

static int parse_args(int argc, char **argv, struct dump_opts *o,
		      struct input_opts *in, const char **out_path)
{
	enum { OPT_RAW = 256, OPT_MIDR, OPT_PERF_COMPAT };
	static const struct option longopts[] = {
		{ "packets", no_argument, NULL, 'D' },
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ "stats", no_argument, NULL, 's' },
		{ "raw", no_argument, NULL, OPT_RAW },
		{ "midr", required_argument, NULL, OPT_MIDR },
		{ "cpu", required_argument, NULL, 'C' },
		{ "perf-compat", no_argument, NULL, OPT_PERF_COMPAT },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, json = 0, csv = 0, packets = 0, stats = 0;
	uint64_t cpu;

	opterr = 0;	/* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, "Djcso:C:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'D': packets = 1; break;
		case 'j': json = 1; break;
		case 'c': csv = 1; break;
		case 's': stats = 1; break;
		case OPT_RAW: in->force_raw = true; break;
		case OPT_PERF_COMPAT: o->perf_compat = true; break;
		case OPT_MIDR:
			/* not strtoull: it takes "-1" for a huge number */
			if (sd_arg_u64(optarg, 16, 0, UINT64_MAX, &o->midr))
				usage_error("--midr wants a hex MIDR such as 0x410fd0c0, not '%s'", optarg);
			o->have_midr = true;
			break;
		case 'C':
			if (sd_arg_u64(optarg, 10, 0, INT_MAX, &cpu))
				usage_error("--cpu wants a CPU number, not '%s'", optarg);
			o->only_cpu = (int)cpu;
			break;
		case 'o': *out_path = optarg; break;
		case 'h': fputs(usage_text, stdout); exit(0);
		case 'V': puts("spedump (spekit) " SPEKIT_VERSION); exit(0);
		default:
			usage_error("unknown option or missing argument: %s",
				    argv[optind - 1]);
		}
	}
	if (packets + json + csv + stats > 1 && !(stats && json && packets + csv == 0))
		usage_error("%s", "choose one of --packets, --json, --csv, --stats (--stats may take --json)");
	o->mode = packets ? DUMP_PACKETS : stats ? DUMP_STATS : DUMP_RECORDS;
	o->fmt = json ? RECFMT_JSON : csv ? RECFMT_CSV : RECFMT_TEXT;
	if (optind != argc - 1)
		usage_error("%s", optind >= argc ? "no input FILE given" :
			    "more than one input FILE given");
	in->path = argv[optind];
	return 0;
}

int main(int argc, char **argv)
{
	struct dump_opts o = { .only_cpu = -1 };
	struct input_opts in = { 0 };
	const char *out_path = NULL;
	struct spe_stats *t;
	struct dump d;
	int out_fd = STDOUT_FILENO, ret;

	parse_args(argc, argv, &o, &in, &out_path);
	if (out_path) {
		out_fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out_fd < 0) {
			fprintf(stderr, "spedump: cannot write %s: %s\n", out_path,
				strerror(errno));
			return 1;
		}
	}
	if (dump_init(&d, &o, out_fd)) {
		fprintf(stderr, "spedump: out of memory\n");
		return 1;
	}
	ret = input_run(&in, &d);
	dump_finish(&d);
	if (d.out.err) {
		fprintf(stderr, "spedump: writing %s: %s\n",
			out_path ? out_path : "standard output", strerror(d.out.err));
		ret = 1;
	}
	t = &d.dec_total;
	if (!ret && (t->bad_bytes || t->records_dropped)) {
		fprintf(stderr,
			"spedump: %s: damaged SPE stream: %llu bad bytes in %llu places "
			"(%llu in a cut packet), %llu records dropped; %llu records decoded\n",
			in.path, (unsigned long long)t->bad_bytes,
			(unsigned long long)t->bad_events,
			(unsigned long long)t->truncated_bytes,
			(unsigned long long)t->records_dropped,
			(unsigned long long)t->records);
		ret = EXIT_DAMAGED;
	}
	dump_free(&d);
	if (out_path && close(out_fd) && !ret) {
		fprintf(stderr, "spedump: closing %s: %s\n", out_path, strerror(errno));
		ret = 1;
	}
	return ret;
}
