// SPDX-License-Identifier: GPL-2.0-only
/* Option parsing (no side effects: errors come back as text) */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argnum.h"
#include "cpulist.h"
#include "opts.h"

const char st_usage[] =
"Usage: spetop [OPTIONS]\n"
"       spetop --replay FILE [OPTIONS]\n"
"top for Arm SPE: live, per interval, which code and which data sources are\n"
"slow (latency percentiles, miss rates), and whether SPE itself is losing\n"
"samples.  Live on a machine with an arm_spe PMU; --replay reads a perf.data\n"
"(perf record -e arm_spe//) or a raw SPE dump through the same pipeline.\n"
"\n"
"What to read:\n"
"      --replay FILE    replay FILE instead of capturing ('-': stdin, perf.data)\n"
"      --speed X        replay at X times the recorded speed (default 1)\n"
"      --fast           replay as fast as possible\n"
"      --midr HEX       CPU MIDR for data-source names (raw dumps, old perf.data)\n"
"      --timer-hz HZ    SPE timestamp rate (default: the file's TIME_CONV, else 1e9)\n"
"Live capture:\n"
"  -C, --cpu LIST       only these CPUs, e.g. 0-3,8\n"
"  -p, --pid PID        one process (and its threads) instead of whole CPUs\n"
"  -c, --period N       sample every N operations (default: the PMU's minimum,\n"
"                       caps/min_interval)\n"
"      --loads, --stores, --branches   sample only these (combine; default all)\n"
"      --min-latency N  only operations with a total latency of at least N cycles\n"
"      --pa             record physical data addresses\n"
"      --jitter         randomise the sampling interval a little\n"
"  -u, --user           user space only      -k, --kernel   kernel only\n"
"      --aux-pages N    AUX buffer pages per CPU (power of two, default 128)\n"
"      --no-bpf         no BPF drop statistics (spedrops' programs) in the header\n"
"View:\n"
"  -g, --group G        symbol (default), pc, dso, pid, dsrc, op\n"
"  -s, --sort K         samples (default), p50, p90, p99, mean, l1d, llc, tlb, remote\n"
"      --cum            cumulative numbers instead of the last interval's\n"
"  -d, --delay S        seconds per interval (default 1; recorded time in replay)\n"
"  -n, --iterations N   stop after N intervals\n"
"      --filter TEXT    only rows whose label contains TEXT\n"
"  -b, --batch          plain text per interval, no terminal UI\n"
"      --json           JSON Lines: one object per interval, then a summary\n"
"      --rows N         table rows in batch and JSON output (default 20, 0 all)\n"
"  -h, --help           this text\n"
"  -V, --version        version\n"
"\n"
"Keys: g group, s sort, c last/cumulative, / filter, up/down select (latency\n"
"histogram of the row), space pause, h help, q quit.\n"
"Exit status: 0 ok; 1 input unreadable or capture failed; 2 bad options;\n"
"3 no SPE here or no permission (one line says what to do).\n";

enum {
	OPT_REPLAY = 256, OPT_SPEED, OPT_FAST, OPT_MIDR, OPT_TIMER_HZ, OPT_LOADS, OPT_STORES,
	OPT_BRANCHES, OPT_MIN_LAT, OPT_PA, OPT_JITTER, OPT_AUX_PAGES, OPT_NO_BPF, OPT_CUM,
	OPT_FILTER, OPT_JSON, OPT_ROWS,
};

static const struct option longopts[] = {
	{ "replay",	 required_argument, NULL, OPT_REPLAY },
	{ "speed",	 required_argument, NULL, OPT_SPEED },
	{ "fast",	 no_argument,	    NULL, OPT_FAST },
	{ "midr",	 required_argument, NULL, OPT_MIDR },
	{ "timer-hz",	 required_argument, NULL, OPT_TIMER_HZ },
	{ "cpu",	 required_argument, NULL, 'C' },
	{ "pid",	 required_argument, NULL, 'p' },
	{ "period",	 required_argument, NULL, 'c' },
	{ "loads",	 no_argument,	    NULL, OPT_LOADS },
	{ "stores",	 no_argument,	    NULL, OPT_STORES },
	{ "branches",	 no_argument,	    NULL, OPT_BRANCHES },
	{ "min-latency", required_argument, NULL, OPT_MIN_LAT },
	{ "pa",		 no_argument,	    NULL, OPT_PA },
	{ "jitter",	 no_argument,	    NULL, OPT_JITTER },
	{ "user",	 no_argument,	    NULL, 'u' },
	{ "kernel",	 no_argument,	    NULL, 'k' },
	{ "aux-pages",	 required_argument, NULL, OPT_AUX_PAGES },
	{ "no-bpf",	 no_argument,	    NULL, OPT_NO_BPF },
	{ "group",	 required_argument, NULL, 'g' },
	{ "sort",	 required_argument, NULL, 's' },
	{ "cum",	 no_argument,	    NULL, OPT_CUM },
	{ "delay",	 required_argument, NULL, 'd' },
	{ "iterations",	 required_argument, NULL, 'n' },
	{ "filter",	 required_argument, NULL, OPT_FILTER },
	{ "batch",	 no_argument,	    NULL, 'b' },
	{ "json",	 no_argument,	    NULL, OPT_JSON },
	{ "rows",	 required_argument, NULL, OPT_ROWS },
	{ "help",	 no_argument,	    NULL, 'h' },
	{ "version",	 no_argument,	    NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

#define BAD(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

int st_opts_parse(int argc, char **argv, struct st_opts *o, char *err, size_t errlen)
{
	bool fast = false, speed = false;
	struct sd_cpuset set;
	char cerr[256];
	uint64_t u;
	int c;

	memset(o, 0, sizeof(*o));
	o->speed = 1;
	o->pid = -1;
	o->delay_s = 1;
	o->rows = 20;
	o->aux_pages = 128;
	o->group = ST_G_SYMBOL;
	o->sort = AGG_SORT_SAMPLES;
	o->out = ST_OUT_TUI;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":C:p:c:ukg:s:d:n:bhV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_REPLAY:	o->replay = optarg; break;
		case OPT_SPEED:
			if (sd_arg_num(optarg, 0.001, 1e6, &o->speed))
				BAD("--speed wants a factor from 0.001 to 1e6, not '%s' (--fast: no pacing)", optarg);
			speed = true;
			break;
		case OPT_FAST:		fast = true; break;
		case OPT_MIDR:
			if (sd_arg_u64(optarg, 16, 1, UINT64_MAX, &o->midr))
				BAD("--midr wants a hex MIDR_EL1 value such as 0x410fd0c0, not '%s'", optarg);
			break;
		case OPT_TIMER_HZ:
			if (sd_arg_num(optarg, 1, 1e12, &o->timer_hz))
				BAD("--timer-hz wants ticks per second (e.g. 1e9), not '%s'", optarg);
			break;
		case 'C':
			/* spedrops' parser and words: the two tools take the same
			 * lists, and a bad one is a usage error before any sysfs */
			if (sd_cpulist_parse(optarg, &set, cerr, sizeof(cerr)))
				BAD("-C: %s", cerr);
			o->cpus = optarg;
			break;
		case 'p':
			if (sd_arg_u64(optarg, 10, 1, 0x7fffffff, &u))
				BAD("-p wants a process id, not '%s'", optarg);
			o->pid = (int)u;
			break;
		case 'c':
			if (sd_arg_u64(optarg, 0, 1, (1ULL << 32) - 1, &o->period))
				BAD("-c wants operations between samples (1 to 2^32-1), not '%s'", optarg);
			break;
		case OPT_LOADS:		o->loads = true; break;
		case OPT_STORES:	o->stores = true; break;
		case OPT_BRANCHES:	o->branches = true; break;
		case OPT_MIN_LAT:
			if (sd_arg_u64(optarg, 0, 0, 65535, &u))
				BAD("--min-latency wants cycles from 0 to 65535, not '%s'", optarg);
			o->min_latency = (unsigned int)u;
			break;
		case OPT_PA:		o->pa = true; break;
		case OPT_JITTER:	o->jitter = true; break;
		case 'u':		o->user_only = true; break;
		case 'k':		o->kernel_only = true; break;
		case OPT_AUX_PAGES:
			if (sd_arg_u64(optarg, 0, 2, 1u << 20, &u) || (u & (u - 1)))
				BAD("--aux-pages wants a power of two from 2 to 1048576, not '%s'", optarg);
			o->aux_pages = (unsigned int)u;
			break;
		case OPT_NO_BPF:	o->no_bpf = true; break;
		case 'g':
			if (st_group_parse(optarg, &o->group))
				BAD("-g wants symbol, pc, dso, pid, dsrc or op, not '%s'", optarg);
			break;
		case 's':
			if (agg_sort_parse(optarg, &o->sort))
				BAD("-s wants samples, p50, p90, p99, mean, l1d, llc, tlb or remote, not '%s'", optarg);
			break;
		case OPT_CUM:		o->cum = true; break;
		case 'd':
			if (sd_arg_num(optarg, 0.01, 86400, &o->delay_s))
				BAD("-d wants seconds between 0.01 and 86400, not '%s'", optarg);
			break;
		case 'n':
			if (sd_arg_u64(optarg, 10, 1, 1ULL << 40, &u))
				BAD("-n wants a number of intervals > 0, not '%s'", optarg);
			o->iterations = (long)u;
			break;
		case OPT_FILTER:	o->filter = optarg; break;
		case 'b':		o->out = ST_OUT_BATCH; break;
		case OPT_JSON:		o->out = ST_OUT_JSON; break;
		case OPT_ROWS:
			if (sd_arg_u64(optarg, 10, 0, 1u << 20, &u))
				BAD("--rows wants a number of rows (0: all), not '%s'", optarg);
			o->rows = (unsigned int)u;
			break;
		case 'h':		o->help = true; break;
		case 'V':		o->version = true; break;
		/* optopt is the short option's letter; a long one's name is in argv */
		case ':':
			if (optopt > 0 && optopt < 128)
				BAD("-%c needs an argument", optopt);
			BAD("%s needs an argument", argv[optind - 1]);
		default:
			if (optopt > 0 && optopt < 128)
				BAD("unknown option -%c", optopt);
			BAD("unknown option %s", argv[optind - 1]);
		}
	}
	if (o->help || o->version)
		return 0;
	if (optind < argc)
		BAD("unexpected argument '%s' (a file to replay goes after --replay)", argv[optind]);
	if (fast && speed)
		BAD("--fast and --speed: choose one");
	if (fast)
		o->speed = 0;
	if (o->user_only && o->kernel_only)
		BAD("-u and -k: choose one (neither: both)");
	if (o->replay && (o->cpus || o->pid >= 0 || o->period || o->loads || o->stores ||
			  o->branches || o->min_latency || o->pa || o->jitter || o->user_only ||
			  o->kernel_only))
		BAD("capture options (-C, -p, -c, filters, -u/-k) do not apply to --replay");
	if (!o->replay && (speed || fast || o->timer_hz))
		BAD("--speed, --fast and --timer-hz need --replay FILE");
	if (o->cpus && o->pid >= 0)
		BAD("-C and -p: choose one (CPUs, or one process)");
	if (!o->loads && !o->stores && !o->branches)
		o->loads = o->stores = o->branches = true;
	return 0;
}
