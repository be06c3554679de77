// SPDX-License-Identifier: GPL-2.0-only
/* Option parsing (no side effects: errors come back as text) */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argnum.h"
#include "opts.h"
#include "select.h"

const char sd_usage[] =
"Usage: spedrops [OPTIONS] [DURATION_SECONDS]\n"
"Why does my Arm SPE data have holes?  Watch, live and per CPU, where SPE\n"
"data is lost: AUX sessions, truncations and their reasons, collisions,\n"
"buffer faults, time SPE was blind and an estimate of the samples lost,\n"
"then a summary with advice.  Runs beside `perf record -e arm_spe//` (it\n"
"does not start SPE itself) until DURATION_SECONDS or Ctrl-C.\n"
"\n"
"  -i, --interval S    seconds between reports (default 1; decimals allowed)\n"
"  -C, --cpu LIST      only these CPUs, e.g. 0-3,8\n"
"      --json          JSON Lines: one object per interval, one summary\n"
"      --record-size B average SPE record size in bytes for the samples-lost\n"
"                      estimate (default 64)\n"
"      --pmu-type N    the SPE PMU's perf type, instead of finding arm_spe*\n"
"                      in sysfs (and run even when there is none)\n"
"      --pin           pin the maps under /sys/fs/bpf/spekit (kept after exit;\n"
"                      bpftool map dump pinned /sys/fs/bpf/spekit/spe_stats)\n"
"      --unpin         remove those pinned maps and exit\n"
"      --load-only     load the BPF programs but attach nothing (checks they\n"
"                      verify here; with --pin, leaves the maps to inspect)\n"
"  -m, --mode M        which programs: auto (default: the best that works),\n"
"                      driver (tp_btf, else raw_tp), stock (fentry, else\n"
"                      kprobe), or exactly one of tp_btf raw_tp fentry kprobe\n"
"  -v, --verbose       libbpf's messages, verifier logs included\n"
"  -h, --help          this text\n"
"  -V, --version       version\n"
"\n"
"Programs: spekit's arm_spe tracepoints (tp_btf or raw_tp) when its driver\n"
"is loaded, else the stock kernel's perf_aux_output_* (fentry, or kprobe).\n"
"Exit status: 0 ok; 1 runtime failure; 2 bad options; 3 environment (no\n"
"SPE PMU, not enough privilege, no BPF program could be loaded/attached).\n"
"Environment: SPEKIT_SYSFS_ROOT (sysfs root for discovery, default /sys),\n"
"SPEKIT_PIN_DIR (pin directory, default /sys/fs/bpf/spekit).\n";

enum { OPT_JSON = 256, OPT_PIN, OPT_UNPIN, OPT_PMU_TYPE, OPT_RECORD_SIZE, OPT_LOAD_ONLY };

static const struct option longopts[] = {
	{ "interval",	 required_argument, NULL, 'i' },
	{ "cpu",	 required_argument, NULL, 'C' },
	{ "json",	 no_argument,	    NULL, OPT_JSON },
	{ "pin",	 no_argument,	    NULL, OPT_PIN },
	{ "unpin",	 no_argument,	    NULL, OPT_UNPIN },
	{ "pmu-type",	 required_argument, NULL, OPT_PMU_TYPE },
	{ "record-size", required_argument, NULL, OPT_RECORD_SIZE },
	{ "load-only",	 no_argument,	    NULL, OPT_LOAD_ONLY },
	{ "mode",	 required_argument, NULL, 'm' },
	{ "verbose",	 no_argument,	    NULL, 'v' },
	{ "help",	 no_argument,	    NULL, 'h' },
	{ "version",	 no_argument,	    NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

int sd_opts_parse(int argc, char **argv, struct sd_opts *o, char *err, size_t errlen)
{
	char cerr[256];	/* a cpulist.h phrase: up to ~200 bytes */
	uint64_t u;
	int c;

	memset(o, 0, sizeof(*o));
	o->interval_s = 1.0;
	o->record_size = 64;
	optind = 0;		/* full re-initialisation (tests parse many times) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:C:m:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (sd_arg_num(optarg, 0.01, 86400, &o->interval_s)) {
				snprintf(err, errlen, "-i wants seconds between 0.01 and 86400, not '%s'", optarg);
				return -1;
			}
			break;
		case 'C':
			if (sd_cpulist_parse(optarg, &o->cpus, cerr, sizeof(cerr))) {
				snprintf(err, errlen, "-C: %s", cerr);
				return -1;
			}
			o->have_cpus = true;
			break;
		case 'm':
			if (sd_modes_parse(optarg, &o->modes)) {
				snprintf(err, errlen,
					 "--mode wants auto, driver, stock, tp_btf, raw_tp, fentry or kprobe, not '%s'",
					 optarg);
				return -1;
			}
			break;
		case OPT_JSON:		o->json = true; break;
		case OPT_PIN:		o->pin = true; break;
		case OPT_UNPIN:		o->unpin = true; break;
		case OPT_LOAD_ONLY:	o->load_only = true; break;
		case 'v':		o->verbose = true; break;
		case 'h':		o->help = true; break;
		case 'V':		o->version = true; break;
		case OPT_PMU_TYPE:
			if (sd_arg_u64(optarg, 0, 1, 0xffffffffUL, &u)) {
				snprintf(err, errlen, "--pmu-type wants a PMU type number > 0, not '%s'", optarg);
				return -1;
			}
			o->pmu_type = (__u32)u;
			break;
		case OPT_RECORD_SIZE:
			if (sd_arg_u64(optarg, 0, 1, 65536, &u)) {
				snprintf(err, errlen, "--record-size wants bytes from 1 to 65536, not '%s'", optarg);
				return -1;
			}
			o->record_size = (unsigned int)u;
			break;
		default: {
			const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";

			if (!strncmp(arg, "--", 2))
				snprintf(err, errlen, "unknown option or missing argument: %s", arg);
			else if (optopt == 'i' || optopt == 'C' || optopt == 'm')
				snprintf(err, errlen, "-%c needs an argument", optopt);
			else
				snprintf(err, errlen, "unknown option -%c", optopt ? optopt : '?');
			return -1;
		}
		}
	}
	if (o->help || o->version)
		return 0;
	if (optind < argc) {
		if (sd_arg_num(argv[optind], 0.001, 1e9, &o->duration_s)) {
			snprintf(err, errlen, "DURATION wants seconds > 0, not '%s'", argv[optind]);
			return -1;
		}
		if (optind + 1 < argc) {
			snprintf(err, errlen, "one DURATION only; extra argument '%s'", argv[optind + 1]);
			return -1;
		}
	}
	if (o->pin && o->unpin) {
		snprintf(err, errlen, "--pin and --unpin: choose one");
		return -1;
	}
	return 0;
}
