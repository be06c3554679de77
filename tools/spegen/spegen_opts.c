// SPDX-License-Identifier: GPL-2.0-only
/*
 * spegen command line: parsing and --help.
 */
#include <float.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "argnum.h"
#include "spe_encode.h"
#include "spegen_damage.h"
#include "spegen_opts.h"

void spegen_usage(FILE *f)
{
	fputs(
"Usage: spegen [OPTION]...\n"
"Generate a SYNTHETIC Arm SPE (Statistical Profiling Extension) AUX byte\n"
"stream: sample records laid out the way Neoverse hardware writes them, with\n"
"made-up but plausible PCs, addresses, latencies, events and data sources.\n"
"The output is synthetic test data, not a capture from real hardware.\n"
"\n"
"Size and determinism:\n"
"  -n, --records N       write N records (default 1000 when -b is not given)\n"
"  -b, --bytes N         stop after the first record that brings the output\n"
"                        to N bytes or more (suffixes K, M, G: powers of 1024)\n"
"  -s, --seed S          PRNG seed (default 1); the same seed, options and\n"
"                        ELF give byte-identical output\n"
"  -o, --output FILE     write to FILE (default: stdout; '-' is stdout)\n"
"      --force-tty       write binary to stdout even when it is a terminal\n"
"\n"
"Workload:\n"
"      --mix K=W,...     operation mix as relative weights; keys: load, store,\n"
"                        branch, other, sve, sme, atomic, mops, mte, gcs, nv2,\n"
"                        unspec.  Default load=40,store=20,branch=30,other=10;\n"
"                        keys not given keep their default (0 for the optional\n"
"                        ones).  mte>0 also tags VAs and sets PA CH/PAT;\n"
"                        gcs>0 also sets the branch GCS bit on calls/returns\n"
"      --cpu-model M     n1 (default), n2, v1, v2, ampereone, ampereone-a, hisi:\n"
"                        selects the Data Source encodings, the default\n"
"                        --version and --sve-vl\n"
"      --print-midr      print the model's MIDR_EL1 value (hex) and exit, for\n"
"                        perf.data AUXTRACE_INFO metadata\n"
"      --list-models     list the CPU models with their MIDRs and exit\n"
"      --version V       SPE version v1, v1p1, v1p2, v1p3, v1p4, v1p5 (default:\n"
"                        the model's); encodings newer than V are not written:\n"
"                        v1p1 misalignment event, SVE ops, E17/E18, unspec;\n"
"                        v1p2 previous branch target; v1p3 MOPS, MTE ops;\n"
"                        v1p4 events E19-E23, SME ops, E24/E25, alt clock;\n"
"                        v1p5 GCS ops, branch call/return and GCS bits\n"
"      --sve-vl BITS     SVE vector length for SVE op types (128..2048)\n"
"\n"
"Addresses:\n"
"      --elf PATH        draw PCs from PATH's function symbols, weighted by\n"
"                        size (default /proc/self/exe, then libc.so.6); 'none'\n"
"                        uses a synthetic user text at 0xaaaaaaaa0000\n"
"      --load-base ADDR  add ADDR to the ELF's symbol values (runtime PCs of\n"
"                        a PIE or shared object)\n"
"      --kernel-share P  share (0..1) of records with EL1 kernel PCs\n"
"                        (0xffff8000xxxxxxxx) and mostly kernel data VAs\n"
"      --kernel-elf PATH draw kernel PCs from PATH (e.g. a vmlinux) instead of\n"
"                        a synthetic kernel text at 0xffff800008010000\n"
"      --kernel-load-base ADDR  added to the kernel ELF's symbol values\n"
"      --pa              write data physical addresses (Address index 3)\n"
"      --context[=el1|el2]  write a Context packet (CONTEXTIDR_EL1 or _EL2)\n"
"      --pids N          context ids (pids) from 1000 to 1000+N-1 (default:\n"
"                        any of 30000), e.g. to match perf.data COMM/MMAP2\n"
"      --zipf S          draw functions by a Zipf law of exponent S (0.1..4)\n"
"                        over a seeded shuffle of them, instead of by size:\n"
"                        a few hot functions take most samples, as in a\n"
"                        real profile (S=1: the top 1% of libc's functions\n"
"                        take about half)\n"
"      --no-prev-tgt     no previous-branch-target packets (v1p2+ default on)\n"
"\n"
"Packet format:\n"
"      --no-ts           close records with END instead of a Timestamp\n"
"      --ts-hz HZ        timestamp counter frequency (default 1e9)\n"
"      --rate R          samples per second (default 100000); timestamps grow\n"
"                        by exponentially distributed gaps of mean HZ/R\n"
"      --ts-start T      first timestamp base (default 0x100000000000)\n"
"      --count-size 12|16  counter width; larger values saturate (default 12)\n"
"      --align N         PAD before the terminator so records end on N-byte\n"
"                        boundaries, like PMBIDR_EL1.Align (power of 2, <= 4096)\n"
"      --events-size N   Events payload bytes 1, 2, 4 or 8 (default: the\n"
"                        smallest that holds the bits; a forced size drops\n"
"                        bits above it)\n"
"      --dsrc-size N     Data Source payload bytes 1 or 2 (default: smallest)\n"
"      --alt-clock       write the alternate-clock issue latency (counter 4,\n"
"                        v1p4+)\n"
"      --ext-headers     use 2-byte extended headers for every Address and\n"
"                        Counter packet\n"
"\n"
"Damage (robustness tests):\n"
"      --damage RATE     expected byte damages per record (flip one bit,\n"
"                        insert a byte, delete a byte); 0.01 = one record in\n"
"                        a hundred.  Independent PRNG: other bytes unchanged\n"
"      --truncate        cut the final record inside one of its packets (the\n"
"                        final record is otherwise left undamaged; with -b the\n"
"                        output then ends short of N)\n"
"      --damage-log FILE one line per damage, default stderr:\n"
"                          damage offset=N kind=flip|insert|delete old=0xXX\n"
"                          new=0xXX in=hdr|payload|pad record=R\n"
"                          damage offset=N kind=truncate pkt_offset=P\n"
"                          pkt_len=L cut=C record=R\n"
"                        offsets are positions in the written stream\n"
"\n"
"Reporting:\n"
"      --summary         print counts per op class and data source to stderr\n"
"  -h, --help            show this help and exit\n"
"\n"
"Integers are decimal, 0x hex or 0-prefixed octal, with no sign or spaces;\n"
"a bad or out-of-range number is exit status 2 with one line naming the\n"
"option, what it takes and the value given.\n"
"\n"
"Latencies are lognormal per data source (cycles: L1 ~4-10, L2 ~15-30,\n"
"LLC/SLC ~40-80, DRAM ~150-400, remote ~300-800) plus an issue latency;\n"
"events follow the data source (L1D refill when not L1, LLC miss from DRAM,\n"
"remote access when remote, TLB walks now and then).  All SYNTHETIC.\n",
	      f);
}

enum {
	OPT_MIX = 256, OPT_CPU, OPT_PRINT_MIDR, OPT_LIST_MODELS, OPT_VERSION,
	OPT_SVE_VL, OPT_ELF, OPT_LOAD_BASE, OPT_KSHARE, OPT_KELF, OPT_KBASE,
	OPT_PA, OPT_CONTEXT, OPT_PIDS, OPT_ZIPF, OPT_NO_PREV, OPT_NO_TS, OPT_TS_HZ, OPT_RATE,
	OPT_TS_START, OPT_COUNT_SIZE, OPT_ALIGN, OPT_EV_SIZE, OPT_DSRC_SIZE,
	OPT_ALT_CLOCK, OPT_EXT_HDR, OPT_DAMAGE, OPT_TRUNCATE, OPT_DAMAGE_LOG,
	OPT_SUMMARY, OPT_FORCE_TTY,
};

static const struct option long_opts[] = {
	{ "records",		required_argument, NULL, 'n' },
	{ "bytes",		required_argument, NULL, 'b' },
	{ "seed",		required_argument, NULL, 's' },
	{ "output",		required_argument, NULL, 'o' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "force-tty",		no_argument,	   NULL, OPT_FORCE_TTY },
	{ "mix",		required_argument, NULL, OPT_MIX },
	{ "cpu-model",		required_argument, NULL, OPT_CPU },
	{ "print-midr",		no_argument,	   NULL, OPT_PRINT_MIDR },
	{ "list-models",	no_argument,	   NULL, OPT_LIST_MODELS },
	{ "version",		required_argument, NULL, OPT_VERSION },
	{ "sve-vl",		required_argument, NULL, OPT_SVE_VL },
	{ "elf",		required_argument, NULL, OPT_ELF },
	{ "load-base",		required_argument, NULL, OPT_LOAD_BASE },
	{ "kernel-share",	required_argument, NULL, OPT_KSHARE },
	{ "kernel-elf",		required_argument, NULL, OPT_KELF },
	{ "kernel-load-base",	required_argument, NULL, OPT_KBASE },
	{ "pa",			no_argument,	   NULL, OPT_PA },
	{ "context",		optional_argument, NULL, OPT_CONTEXT },
	{ "pids",		required_argument, NULL, OPT_PIDS },
	{ "zipf",		required_argument, NULL, OPT_ZIPF },
	{ "no-prev-tgt",	no_argument,	   NULL, OPT_NO_PREV },
	{ "no-ts",		no_argument,	   NULL, OPT_NO_TS },
	{ "ts-hz",		required_argument, NULL, OPT_TS_HZ },
	{ "rate",		required_argument, NULL, OPT_RATE },
	{ "ts-start",		required_argument, NULL, OPT_TS_START },
	{ "count-size",		required_argument, NULL, OPT_COUNT_SIZE },
	{ "align",		required_argument, NULL, OPT_ALIGN },
	{ "events-size",	required_argument, NULL, OPT_EV_SIZE },
	{ "dsrc-size",		required_argument, NULL, OPT_DSRC_SIZE },
	{ "alt-clock",		no_argument,	   NULL, OPT_ALT_CLOCK },
	{ "ext-headers",	no_argument,	   NULL, OPT_EXT_HDR },
	{ "damage",		required_argument, NULL, OPT_DAMAGE },
	{ "truncate",		no_argument,	   NULL, OPT_TRUNCATE },
	{ "damage-log",		required_argument, NULL, OPT_DAMAGE_LOG },
	{ "summary",		no_argument,	   NULL, OPT_SUMMARY },
	{ NULL, 0, NULL, 0 }
};

static int bad(const char *opt, const char *arg)
{
	fprintf(stderr, "spegen: bad value for --%s: '%s'\n", opt, arg);
	return -1;
}

#define U64_WANTS(what)	what " from 0 to 2^64-1 (decimal or 0x hex)"
#define SIZE_WANTS(what) what " from 1 to 2^64-1 (decimal or 0x hex; suffix K, M, G: powers of 1024)"
#define SPEGEN_XSTR(x)	#x
#define SPEGEN_STR(x)	SPEGEN_XSTR(x)

/*
 * A bad number: what the option accepts, in one line.  Numbers go through
 * spedrops' argnum.c, as in spedrops and spetop: the whole string, no sign
 * or leading space on integers, finite doubles, the range checked there.
 */
static int bad_num(const char *opt, const char *arg, const char *what)
{
	fprintf(stderr, "spegen: --%s wants %s, not '%s'\n", opt, what, arg);
	return -1;
}

/* --mix K=W,...: 0, or -1 after printing the problem */
static int parse_mix(struct spegen_cfg *cfg, const char *arg)
{
	char *dup = strdup(arg), *save = NULL, *tok;
	int ret = 0;

	if (!dup) {
		fprintf(stderr, "spegen: --mix: out of memory\n");
		return -1;
	}
	for (tok = strtok_r(dup, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		double w;
		int op = -1;

		if (eq) {
			*eq = '\0';
			op = spegen_op_parse(tok);
			*eq = '=';	/* the message shows the whole K=W */
		}
		if (op < 0) {
			char keys[256];
			size_t n = 0;
			unsigned int i;

			/* the keys from the generator's own table, never stale */
			for (i = 0; i < SPEGEN_OP_NR && n < sizeof(keys); i++)
				n += (size_t)snprintf(keys + n, sizeof(keys) - n, "%s%s",
						      i ? ", " : "", spegen_op_name(i));
			fprintf(stderr, "spegen: --mix wants KEY=WEIGHT,... with KEY one of %s, not '%s'\n",
				keys, tok);
			ret = -1;
			break;
		}
		/* finite: an infinite weight would make every other one 0 */
		if (sd_arg_num(eq + 1, 0, DBL_MAX, &w)) {
			ret = bad_num("mix", tok, "weights that are finite numbers >= 0");
			break;
		}
		cfg->mix[op] = w;
	}
	free(dup);
	return ret;
}

int spegen_opts_parse(struct spegen_opts *o, int argc, char **argv)
{
	struct spegen_cfg *cfg = &o->cfg;
	bool version_set = false, vl_set = false;
	uint64_t u;
	double d;
	int c, v;

	memset(o, 0, sizeof(*o));
	spegen_cfg_defaults(cfg);
	while ((c = getopt_long(argc, argv, "n:b:s:o:h", long_opts, NULL)) != -1) {
		const char *a = optarg;

		switch (c) {
		case 'n':
			if (sd_arg_size(a, 1, UINT64_MAX, &o->records))
				return bad_num("records", a, SIZE_WANTS("a number of records"));
			break;
		case 'b':
			if (sd_arg_size(a, 1, UINT64_MAX, &o->bytes))
				return bad_num("bytes", a, SIZE_WANTS("a byte count"));
			break;
		case 's':
			if (sd_arg_u64(a, 0, 0, UINT64_MAX, &cfg->seed))
				return bad_num("seed", a, U64_WANTS("a seed"));
			break;
		case 'o':
			o->output = a;
			break;
		case 'h':
			o->help = true;
			return 0;
		case OPT_FORCE_TTY:
			o->force_tty = true;
			break;
		case OPT_MIX:
			if (parse_mix(cfg, a))
				return -1;
			break;
		case OPT_CPU:
			cfg->model = spegen_model_find(a);
			if (!cfg->model)
				return bad("cpu-model", a);
			break;
		case OPT_PRINT_MIDR:
			o->print_midr = true;
			break;
		case OPT_LIST_MODELS:
			o->list_models = true;
			break;
		case OPT_VERSION:
			v = spegen_version_parse(a);
			if (v < 0)
				return bad("version", a);
			cfg->version = (unsigned int)v;
			version_set = true;
			break;
		case OPT_SVE_VL:
			if (sd_arg_u64(a, 0, 128, 2048, &u) ||
			    spe_op_evl((unsigned int)u) < 0)
				return bad_num("sve-vl", a, "a vector length in bits: 128, 256, 512, 1024 or 2048");
			cfg->sve_vl = (unsigned int)u;
			vl_set = true;
			break;
		case OPT_ELF:
			o->elf = a;
			break;
		case OPT_LOAD_BASE:
			if (sd_arg_u64(a, 0, 0, UINT64_MAX, &o->load_base))
				return bad_num("load-base", a, U64_WANTS("an address"));
			break;
		case OPT_KSHARE:
			if (sd_arg_num(a, 0, 1, &d))
				return bad_num("kernel-share", a, "a share from 0 to 1");
			cfg->kernel_share = d;
			break;
		case OPT_KELF:
			o->kernel_elf = a;
			break;
		case OPT_KBASE:
			if (sd_arg_u64(a, 0, 0, UINT64_MAX, &o->kernel_load_base))
				return bad_num("kernel-load-base", a, U64_WANTS("an address"));
			break;
		case OPT_PA:
			cfg->pa = true;
			break;
		case OPT_CONTEXT:
			if (!a || !strcmp(a, "el1"))
				cfg->context = SPE_CTX_EL1;
			else if (!strcmp(a, "el2"))
				cfg->context = SPE_CTX_EL2;
			else
				return bad("context", a);
			break;
		case OPT_PIDS: {
			uint64_t n;

			if (sd_arg_u64(a, 0, 1, 30000, &n))
				return bad_num("pids", a, "a number of pids from 1 to 30000");
			cfg->pids = (uint32_t)n;
			break;
		}
		case OPT_ZIPF:
			if (sd_arg_num(a, 0.1, 4, &d))
				return bad_num("zipf", a, "an exponent from 0.1 to 4");
			o->zipf = d;
			break;
		case OPT_NO_PREV:
			cfg->prev_tgt = false;
			break;
		case OPT_NO_TS:
			cfg->ts = false;
			break;
		case OPT_TS_HZ:
			if (sd_arg_num(a, 0, DBL_MAX, &d) || d <= 0)
				return bad_num("ts-hz", a, "a frequency in Hz > 0 (finite)");
			cfg->ts_hz = d;
			break;
		case OPT_RATE:
			if (sd_arg_num(a, 0, DBL_MAX, &d) || d <= 0)
				return bad_num("rate", a, "samples per second > 0 (finite)");
			cfg->rate = d;
			break;
		case OPT_TS_START:
			if (sd_arg_u64(a, 0, 0, UINT64_MAX, &cfg->ts_start))
				return bad_num("ts-start", a, U64_WANTS("a timestamp"));
			break;
		case OPT_COUNT_SIZE:
			if (sd_arg_u64(a, 0, 12, 16, &u) || (u != 12 && u != 16))
				return bad_num("count-size", a, "12 or 16 (bits)");
			cfg->count_size = (unsigned int)u;
			break;
		case OPT_ALIGN:
			if (sd_arg_size(a, 1, SPEGEN_MAX_ALIGN, &u) || (u & (u - 1)))
				return bad_num("align", a, "a power of 2 from 1 to " SPEGEN_STR(SPEGEN_MAX_ALIGN) " (bytes)");
			cfg->align = (unsigned int)u;
			break;
		case OPT_EV_SIZE:
			if (sd_arg_u64(a, 0, 1, 8, &u) || (u & (u - 1)))
				return bad_num("events-size", a, "1, 2, 4 or 8 (bytes)");
			cfg->ev_size = (unsigned int)u;
			break;
		case OPT_DSRC_SIZE:
			if (sd_arg_u64(a, 0, 1, 2, &u))
				return bad_num("dsrc-size", a, "1 or 2 (bytes)");
			cfg->dsrc_size = (unsigned int)u;
			break;
		case OPT_ALT_CLOCK:
			cfg->alt_clock = true;
			break;
		case OPT_EXT_HDR:
			cfg->ext_hdr = true;
			break;
		case OPT_DAMAGE:
			if (sd_arg_num(a, 0, SPEGEN_DAMAGE_MAX_RATE, &d))
				return bad_num("damage", a, "damages per record from 0 to "
					       SPEGEN_STR(SPEGEN_DAMAGE_MAX_RATE));
			o->damage = d;
			break;
		case OPT_TRUNCATE:
			o->truncate = true;
			break;
		case OPT_DAMAGE_LOG:
			o->damage_log = a;
			break;
		case OPT_SUMMARY:
			o->summary = true;
			break;
		default:
			fprintf(stderr, "Try 'spegen --help'.\n");
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "spegen: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (!version_set)
		cfg->version = cfg->model->version;
	if (!vl_set)
		cfg->sve_vl = cfg->model->sve_vl;
	if (!o->records && !o->bytes)
		o->records = 1000;
	return 0;
}
