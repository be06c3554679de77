// SPDX-License-Identifier: GPL-2.0-only
/*
 * spetop's pure parts: options, key handling, the pipeline's keys and the
 * view model built from a pipeline fed real SPE bytes (encoded here by
 * hand, packet by packet, from the Arm ARM's layouts in spe_format.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "opts.h"
#include "out.h"
#include "pipe.h"
#include "sym.h"
#include "ui.h"
#include "view.h"

static int parse(struct st_opts *o, char *err, ...)
{
	char *argv[32] = { "spetop" };
	int argc = 1;
	va_list ap;
	char *a;

	va_start(ap, err);
	while ((a = va_arg(ap, char *)) && argc < 31)
		argv[argc++] = a;
	va_end(ap);
	err[0] = '\0';
	return st_opts_parse(argc, argv, o, err, 256);
}

static void test_opts(void)
{
	struct st_opts o;
	char err[256];

	CHECK(!parse(&o, err, NULL));
	CHECK(!o.replay && o.speed == 1 && o.delay_s == 1 && o.rows == 20 && o.group == ST_G_SYMBOL &&
	      o.sort == AGG_SORT_SAMPLES && o.out == ST_OUT_TUI && o.pid == -1 && o.loads && o.stores &&
	      o.branches && o.aux_pages == 128);
	CHECK(!parse(&o, err, "--replay", "x.data", "--fast", "-g", "dsrc", "-s", "p99", "--cum", "-b",
		     "-n", "3", "-d", "0.5", "--rows", "0", "--filter", "mem", "--midr", "0x410fd0c0", NULL));
	CHECK(o.replay && !strcmp(o.replay, "x.data") && o.speed == 0 && o.group == ST_G_DSRC &&
	      o.sort == AGG_SORT_P99 && o.cum && o.out == ST_OUT_BATCH && o.iterations == 3 &&
	      o.delay_s == 0.5 && o.rows == 0 && !strcmp(o.filter, "mem") && o.midr == 0x410fd0c0);
	CHECK(!parse(&o, err, "--replay", "f", "--speed", "2.5", "--json", NULL) && o.speed == 2.5 &&
	      o.out == ST_OUT_JSON);
	CHECK(!parse(&o, err, "-C", "0-3", "-c", "8192", "--loads", "--min-latency", "40", "--pa", "-u", NULL));
	CHECK(o.loads && !o.stores && !o.branches && o.period == 8192 && o.min_latency == 40 && o.pa &&
	      o.user_only && !strcmp(o.cpus, "0-3"));

	CHECK(parse(&o, err, "--replay", "f", "--fast", "--speed", "2", NULL));
	CHECK_HAS(err, "--fast and --speed: choose one");
	CHECK(parse(&o, err, "--speed", "2", NULL));
	CHECK_HAS(err, "need --replay FILE");
	CHECK(parse(&o, err, "--replay", "f", "-C", "1", NULL));
	CHECK_HAS(err, "do not apply to --replay");
	/* -C is checked here, by spedrops' parser in spedrops' words */
	CHECK(parse(&o, err, "-C", "3-1", NULL));
	CHECK_STR(err, "-C: bad CPU list entry '3-1': the range ends before it starts; "
		  "want e.g. 0-3,8 (CPUs 0-4095)");
	CHECK(parse(&o, err, "-C", "", NULL));
	CHECK_HAS(err, "-C: bad CPU list entry '': the list is empty");
	CHECK(!parse(&o, err, "-C", "0-1,1,4095", NULL) && !strcmp(o.cpus, "0-1,1,4095"));
	CHECK(parse(&o, err, "-g", "func", NULL));
	CHECK_HAS(err, "-g wants symbol, pc, dso, pid, dsrc or op, not 'func'");
	CHECK(parse(&o, err, "-s", "p95", NULL));
	CHECK_HAS(err, "-s wants samples");
	CHECK(parse(&o, err, "-d", "0", NULL));
	CHECK(parse(&o, err, "-n", "0", NULL));
	CHECK(parse(&o, err, "--aux-pages", "3", NULL));
	CHECK_HAS(err, "power of two");
	CHECK(parse(&o, err, "-u", "-k", NULL));
	CHECK(parse(&o, err, "-C", "1", "-p", "5", NULL));
	CHECK(parse(&o, err, "-p", "abc", NULL));
	CHECK(parse(&o, err, "--midr", "zz", NULL));
	CHECK(parse(&o, err, "--midr", " 410fd0c0", NULL));
	/* hex without 0x may start with a letter: Ampere's implementer 0xc0 */
	CHECK(!parse(&o, err, "--midr", "c00fac30", NULL) && o.midr == 0xc00fac30);
	CHECK(parse(&o, err, "--min-latency", "70000", NULL));
	CHECK(parse(&o, err, "--bogus", NULL));
	CHECK_HAS(err, "unknown option --bogus");
	CHECK(parse(&o, err, "-x", NULL));
	CHECK_HAS(err, "unknown option -x");
	CHECK(parse(&o, err, "-g", NULL));
	CHECK_HAS(err, "-g needs an argument");
	CHECK(parse(&o, err, "--replay", NULL));
	CHECK_HAS(err, "--replay needs an argument");
	CHECK(parse(&o, err, "file.data", NULL));
	CHECK_HAS(err, "unexpected argument 'file.data'");
	CHECK(!parse(&o, err, "-h", NULL) && o.help);
	CHECK(strstr(st_usage, "Usage: spetop [OPTIONS]") == st_usage);
}

static void test_keys(void)
{
	struct ui_state s;
	unsigned int r;

	memset(&s, 0, sizeof(s));
	r = ui_key(&s, 'g', 10, 5);
	CHECK(s.group == ST_G_PC && (r & UI_REGROUP) && (r & UI_REBUILD));
	for (int i = 0; i < ST_G_NR - 1; i++)
		ui_key(&s, 'g', 10, 5);
	CHECK(s.group == ST_G_SYMBOL);	/* wrapped */
	ui_key(&s, 'G', 10, 5);
	CHECK(s.group == ST_G_OP);
	r = ui_key(&s, 's', 10, 5);
	CHECK(s.sort == AGG_SORT_P50 && (r & UI_REBUILD) && !(r & UI_REGROUP));
	ui_key(&s, 'S', 10, 5);
	ui_key(&s, 'S', 10, 5);
	CHECK(s.sort == AGG_SORT_NR - 1);
	ui_key(&s, 'c', 10, 5);
	CHECK(s.cum);
	/* selection and paging within 10 rows, 5 per page */
	for (int i = 0; i < 7; i++)
		ui_key(&s, UI_KEY_DOWN, 10, 5);
	CHECK(s.sel == 7 && s.top == 3);
	ui_key(&s, UI_KEY_END, 10, 5);
	CHECK(s.sel == 9 && s.top == 5);
	ui_key(&s, UI_KEY_DOWN, 10, 5);
	CHECK(s.sel == 9);
	ui_key(&s, UI_KEY_PGUP, 10, 5);
	CHECK(s.sel == 4 && s.top == 4);
	ui_key(&s, UI_KEY_HOME, 10, 5);
	CHECK(s.sel == 0 && s.top == 0);
	ui_key(&s, UI_KEY_UP, 10, 5);
	CHECK(s.sel == 0);
	/* rows shrink under the selection */
	s.sel = 9;
	ui_clamp(&s, 3, 5);
	CHECK(s.sel == 2 && s.top == 0);
	/* filter editing */
	ui_key(&s, '/', 3, 5);
	CHECK(s.editing);
	ui_key(&s, 'm', 3, 5);
	ui_key(&s, 'x', 3, 5);
	ui_key(&s, UI_KEY_BACKSPACE, 3, 5);
	ui_key(&s, 'e', 3, 5);
	CHECK(!strcmp(s.edit, "me") && !s.filter[0]);
	r = ui_key(&s, 'q', 3, 5);	/* typed, not quit */
	CHECK(!s.quit && !strcmp(s.edit, "meq"));
	r = ui_key(&s, UI_KEY_ENTER, 3, 5);
	CHECK(!s.editing && !strcmp(s.filter, "meq") && (r & UI_REBUILD));
	ui_key(&s, '/', 3, 5);
	ui_key(&s, 'z', 3, 5);
	ui_key(&s, UI_KEY_ESC, 3, 5);
	CHECK(!s.editing && !strcmp(s.filter, "meq"));
	/* help: any key closes it, q from help quits */
	ui_key(&s, 'h', 3, 5);
	CHECK(s.help);
	ui_key(&s, 'x', 3, 5);
	CHECK(!s.help && !s.quit);
	r = ui_key(&s, ' ', 3, 5);
	CHECK(s.paused && (r & UI_PAUSE));
	ui_key(&s, 'p', 3, 5);
	CHECK(!s.paused);
	CHECK(ui_key(&s, 'Z', 3, 5) == 0);	/* unbound: nothing to redraw */
	ui_key(&s, 'q', 3, 5);
	CHECK(s.quit);
}

static void test_labels(void)
{
	char b[16];

	CHECK_STR(view_bucket_label(0, b), "0");
	CHECK_STR(view_bucket_label(1, b), "1");
	CHECK_STR(view_bucket_label(2, b), "2-3");
	CHECK_STR(view_bucket_label(16, b), "32768-65535");
	CHECK_STR(view_pct(-1, b), "-");
	CHECK_STR(view_pct(0.125, b), "12.5%");
	for (int g = 0; g < ST_G_NR; g++) {
		enum st_group out;

		CHECK(!st_group_parse(st_group_name((enum st_group)g), &out) && out == (enum st_group)g);
	}
}

int main(void)
{
	RUN_TEST(test_opts);
	RUN_TEST(test_keys);
	RUN_TEST(test_labels);
	CHECK_DONE();
}
