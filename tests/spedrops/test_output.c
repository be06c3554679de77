// SPDX-License-Identifier: GPL-2.0-only
/*
 * spedrops' output from synthetic reports: the text table, event lines and
 * summary say what they should; every JSON line parses (python3's json)
 * and carries the keys tools/spedrops/README.md documents, with hostile
 * strings escaped and non-finite numbers as null.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "advice.h"
#include "json.h"
#include "out.h"
#include "stats.h"

#define S	1000000000ull

static struct sd_row rows[2], total;
static struct spe_drop_event events[3];
static struct spe_log2_hist hists[SPE_HIST_NR];
static struct sd_fault_cnt faults[1];
static struct sd_advice advice[2];
static const char *const progs[] = { "spe_rtp_aux_begin", "spe_rtp_irq" };

static void fill(struct sd_report *r, bool final)
{
	memset(rows, 0, sizeof(rows));
	memset(&total, 0, sizeof(total));
	rows[0].cpu = 0;
	rows[0].d.sessions = 12;
	rows[0].d.bytes = 45100000;
	rows[0].d.irqs = 24;
	rows[0].d.truncations[ARM_SPE_TRUNC_NO_SPACE] = 2;
	rows[0].d.blind_ns = S / 10;
	sd_metrics(&rows[0].d, S, NULL, 0, 64, &rows[0].m);
	rows[1].cpu = 3;
	rows[1].d.faults = 1;
	rows[1].d.truncations[ARM_SPE_TRUNC_FAULT] = 1;
	rows[1].d.truncations[SPE_TRUNC_FLAGGED] = 1;
	rows[1].d.blind_ns = S;
	rows[1].m.blind_pct = 100;
	rows[1].m.est_known = false;
	rows[1].m.truncations = 2;
	total.cpu = -1;
	sd_stats_add(&total.d, &rows[0].d);
	sd_stats_add(&total.d, &rows[1].d);
	sd_metrics(&total.d, S, NULL, 0, 64, &total.m);
	total.m.est_known = false;
	total.m.irqs_per_s = NAN;	/* must come out as null, not nan */

	memset(events, 0, sizeof(events));
	events[0] = (struct spe_drop_event){ .ts_ns = 11 * S + S / 2, .cpu = 0,
		.kind = SPE_EV_TRUNCATE, .reason = ARM_SPE_TRUNC_NO_SPACE, .aux_head = 123456, .size = 0 };
	events[1] = (struct spe_drop_event){ .ts_ns = 11 * S + S / 4, .cpu = 3,
		.kind = SPE_EV_FAULT, .ec = 0x24, .fsc = 0x07, .pmbsr = 0x9000000000020007ull,
		.pmbptr = 0xffff800012345000ull, .pmblimitr = 0xffff800012400001ull };
	events[2] = (struct spe_drop_event){ .ts_ns = 10 * S, .cpu = 1, .kind = 9 };

	memset(hists, 0, sizeof(hists));
	hists[SPE_HIST_SESSION_BYTES].slots[16] = 10;
	hists[SPE_HIST_SESSION_BYTES].slots[20] = 1;
	hists[SPE_HIST_IRQ_GAP_NS].slots[0] = 3;
	faults[0] = (struct sd_fault_cnt){ 3, 0x24, 0x07, 1 };
	snprintf(advice[0].id, sizeof(advice[0].id), "aux_buffer");
	snprintf(advice[0].text, sizeof(advice[0].text), "2 truncations -> bigger buffer");
	snprintf(advice[1].id, sizeof(advice[1].id), "faults");
	snprintf(advice[1].text, sizeof(advice[1].text), "quote \" backslash \\ newline \n tab \t bell \a del \x7f utf8 \xc3\xa9");

	memset(r, 0, sizeof(*r));
	r->final = final;
	r->t_s = 2.0;
	r->dt_s = final ? 2.0 : 1.0;
	r->mode = "raw_tp";
	r->why = "raw_tp programs on the \"arm_spe\" tracepoints";
	r->record_size = 64;
	r->programs = progs;
	r->nprogs = 2;
	r->rows = rows;
	r->nrows = 2;
	r->total = &total;
	r->active_cpus = 2;
	r->events = events;
	r->nevents = 3;
	r->events_more = 7;
	r->t0_ns = 10 * S;
	r->pin_dir = final ? "/sys/fs/bpf/spekit" : NULL;
	if (final) {
		r->events_total = 10;
		r->hists = hists;
		r->faults = faults;
		r->nfaults = 1;
		r->advice = advice;
		r->nadvice = 2;
	}
}

static char *capture(void (*fn)(FILE *, const struct sd_report *), const struct sd_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fn(f, r);
	fclose(f);
	return buf;
}

static void test_text_interval(void)
{
	struct sd_report r;
	char *out;

	fill(&r, false);
	out = capture(sd_text_interval, &r);
	CHECK_HAS(out, "  time_s   cpu   sess/s     MB/s    irq/s  trunc   coll faults   blind     ~lost  truncations by reason\n");
	CHECK_HAS(out, "    2.00     0     12.0    45.10     24.0      2      0      0   10.0%     78299  no_space=2\n");
	CHECK_HAS(out, "    2.00     3      0.0     0.00      0.0      2      0      1  100.0%         ?  fault=1,flagged=1\n");
	CHECK_HAS(out, "    2.00   all ");
	CHECK_HAS(out, "no_space=2,fault=1,flagged=1\n");
	CHECK_HAS(out, "(7 more events this interval not shown)\n");
	free(out);
}

static void event_lines(FILE *f, const struct sd_report *r)
{
	for (unsigned int i = 0; i < r->nevents; i++)
		sd_text_event(f, &r->events[i], r->t0_ns);
}

static void test_text_events(void)
{
	struct sd_report r;
	char *out;

	fill(&r, false);
	out = capture(event_lines, &r);
	CHECK_HAS(out, "event     1.500 cpu0 truncate no_space aux_head=123456 size=0\n");
	CHECK_HAS(out, "event     1.250 cpu3 fault stage1 fault (EC 0x24), FSC 0x07: level 3 translation "
		  "fault pmbsr=0x9000000000020007 pmbptr=0xffff800012345000 pmblimitr=0xffff800012400001\n");
	CHECK_HAS(out, "event     0.000 cpu1 kind 9 (unknown)\n");
	free(out);
}

static void test_text_summary(void)
{
	struct sd_report r;
	char *out;

	fill(&r, true);
	out = capture(sd_text_summary, &r);
	CHECK_HAS(out, "\nsummary: 2.0 s; raw_tp programs on the \"arm_spe\" tracepoints\n");
	CHECK_HAS(out, "  cpu  sessions  no_room     irqs         MB  trunc   coll faults   blind     ~lost  truncations by reason\n");
	CHECK_HAS(out, "    0        12        0       24      45.10      2      0      0   10.0%     78299  no_space=2\n");
	CHECK_HAS(out, "  truncations    no_space=2,fault=1,flagged=1\n");
	CHECK_HAS(out, "  faults         cpu3 stage1 fault (EC 0x24), FSC 0x07: level 3 translation fault x1\n");
	CHECK_HAS(out, "  session size   median 64 KiB..128 KiB, max 1 MiB..2 MiB (11 sessions)\n");
	CHECK_HAS(out, "  IRQ gap        median 0 ns..2 ns, max 0 ns..2 ns (3 gaps)\n");
	CHECK_HAS(out, "  blind periods  none\n");
	CHECK_HAS(out, "  samples lost   ? (an estimate: blind time x the data rate while SPE ran");
	CHECK_HAS(out, "/ 64-byte records, --record-size)\n");
	CHECK_HAS(out, "  events         10 received from the BPF ring buffer\n");
	CHECK_HAS(out, "advice:\n  [aux_buffer] 2 truncations -> bigger buffer\n  [faults] quote");
	free(out);
}

static void test_text_start(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	sd_text_start(f, "raw_tp programs", true, "/sys/fs/bpf/spekit");
	fclose(f);
	CHECK_STR(buf, "spedrops: raw_tp programs; loaded only, not attached (--load-only): nothing "
		  "will count; maps pinned under /sys/fs/bpf/spekit\n");
	free(buf);
}

/* Validate JSON Lines in @path with python3: prints "ok N" or the problem */
static const char validator[] =
"import json, sys\n"
"ROW = {'sessions','no_room','irqs','spurious_irqs','bytes','aux_records','aux_truncated',\n"
"       'aux_partial','aux_collision','truncations','truncations_by_reason','collisions',\n"
"       'faults','pad_bytes','blind_ns','sessions_per_s','mb_per_s','irqs_per_s','blind_pct',\n"
"       'rate_mb_per_s','est_samples_lost'}\n"
"REASONS = {'flagged','no_space','data_lost','limit_le_head','restart_failed','fault'}\n"
"TOP = {'type','t_s','mode','why','load_only','pin_dir','record_size','active_cpus','cpus','total'}\n"
"INTERVAL = TOP | {'interval_s','events','events_more'}\n"
"SUMMARY = TOP | {'duration_s','programs','events_total','faults','hists','advice'}\n"
"def need(obj, keys, what):\n"
"    missing = keys - set(obj)\n"
"    if missing: raise SystemExit('%s lacks %s' % (what, sorted(missing)))\n"
"n = 0\n"
"for line in open(sys.argv[1]):\n"
"    o = json.loads(line)\n"
"    n += 1\n"
"    need(o, INTERVAL if o['type'] == 'interval' else SUMMARY, o['type'])\n"
"    for r in o['cpus'] + [o['total']]:\n"
"        need(r, ROW, 'row')\n"
"        need(r['truncations_by_reason'], REASONS, 'truncations_by_reason')\n"
"    for r in o['cpus']: need(r, {'cpu'}, 'cpu row')\n"
"    if 'cpu' in o['total']: raise SystemExit('total has a cpu')\n"
"    if o['total']['irqs_per_s'] is not None: raise SystemExit('NaN not null')\n"
"    if o['type'] == 'interval':\n"
"        kinds = [e['kind'] for e in o['events']]\n"
"        if kinds != ['truncate','fault','unknown']: raise SystemExit('kinds %s' % kinds)\n"
"        need(o['events'][0], {'t_s','cpu','kind','reason','reason_code','aux_head','size'}, 'truncate event')\n"
"        need(o['events'][1], {'t_s','cpu','kind','ec','ec_name','fsc','fsc_name','desc','pmbsr','pmbptr','pmblimitr'}, 'fault event')\n"
"        if o['events'][1]['pmbsr'] != '0x9000000000020007': raise SystemExit('pmbsr')\n"
"        if o['events'][1]['fsc_name'] != 'level 3 translation fault': raise SystemExit('fsc_name')\n"
"        if o['events_more'] != 7: raise SystemExit('events_more')\n"
"    else:\n"
"        need(o['faults'][0], {'cpu','ec','ec_name','fsc','desc','count'}, 'fault')\n"
"        for h in ('session_bytes','irq_gap_ns','blind_ns'): need(o['hists'][h], {'count','slots'}, h)\n"
"        need(o['hists']['session_bytes'], {'median_lo','median_hi','max_hi'}, 'hist')\n"
"        if o['hists']['session_bytes']['slots'][0] != {'lo':65536,'hi':131071,'count':10}: raise SystemExit('slots')\n"
"        need(o['advice'][0], {'id','text'}, 'advice')\n"
"        if o['advice'][1]['text'] != 'quote \" backslash \\\\ newline \\n tab \\t bell \\x07 del \\x7f utf8 \\u00e9':\n"
"            raise SystemExit('escapes: %r' % o['advice'][1]['text'])\n"
"        if o['why'] != 'raw_tp programs on the \"arm_spe\" tracepoints': raise SystemExit('why')\n"
"        if o['programs'] != ['spe_rtp_aux_begin','spe_rtp_irq']: raise SystemExit('programs')\n"
"print('ok', n)\n";

static void test_json(void)
{
	char path[] = "/tmp/spedrops-json.XXXXXX", cmd[512], res[256] = "";
	struct sd_report r;
	FILE *f, *p;
	int fd = mkstemp(path);

	if (fd < 0) {
		CHECK(0);
		return;
	}
	f = fdopen(fd, "w");
	fill(&r, false);
	sd_json_report(f, &r);
	fill(&r, true);
	sd_json_report(f, &r);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 -c \"$SD_VALIDATOR\" %s 2>&1", path);
	setenv("SD_VALIDATOR", validator, 1);
	p = popen(cmd, "r");
	if (p) {
		if (!fgets(res, sizeof(res), p))
			res[0] = '\0';
		pclose(p);
	}
	if (strcmp(res, "ok 2\n")) {
		printf("  validator: %s", res);
		check_cur_failed++;
	}
	/* jq agrees, when it is there */
	snprintf(cmd, sizeof(cmd), "command -v jq >/dev/null || exit 0; jq -e -s 'length == 2' %s >/dev/null", path);
	CHECK(system(cmd) == 0);
	unlink(path);
}

static void test_json_writer(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jw w;

	jw_init(&w, f);
	jw_obj(&w, NULL);
	jw_arr(&w, "a");
	jw_u64(&w, NULL, 18446744073709551615ull);
	jw_int(&w, NULL, -5);
	jw_num(&w, NULL, INFINITY, 2);
	jw_num(&w, NULL, 1.005, 1);
	jw_bool(&w, NULL, false);
	jw_str(&w, NULL, NULL);
	jw_obj(&w, NULL);
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_str(&w, "k\x01", "v");
	jw_obj_end(&w);
	jw_obj(&w, NULL);
	jw_obj_end(&w);
	fclose(f);
	CHECK_STR(buf, "{\"a\":[18446744073709551615,-5,null,1.0,false,null,{}],\"k\\u0001\":\"v\"}\n{}\n");
	free(buf);
}

int main(void)
{
	RUN_TEST(test_text_interval);
	RUN_TEST(test_text_events);
	RUN_TEST(test_text_summary);
	RUN_TEST(test_text_start);
	RUN_TEST(test_json);
	RUN_TEST(test_json_writer);
	CHECK_DONE();
}
