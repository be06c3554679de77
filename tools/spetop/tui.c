// SPDX-License-Identifier: GPL-2.0-only
/*
 * Layout, top to bottom: the source line, rates, drops (bold when
 * anything was lost), the BPF line, the table (selected row reversed),
 * the latency histogram of the selected row when the screen has room,
 * and a key line.  Everything comes from the view model; this file only
 * places it.
 */
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "tui.h"

static bool started;
#define HIST_LINES	(VIEW_HIST_BUCKETS + 2)
#define TOP_LINES	5	/* header, rates, drops, bpf, table header */

int tui_start(char *err, size_t errlen)
{
	setlocale(LC_ALL, "");
	if (!newterm(NULL, stdout, stdin)) {
		snprintf(err, errlen, "cannot use this terminal (TERM=%s): run with -b for plain text",
			 getenv("TERM") ? getenv("TERM") : "unset");
		return -1;
	}
	started = true;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	return 0;
}

void tui_stop(void)
{
	if (!started)
		return;
	started = false;
	curs_set(1);
	endwin();
}

static bool room_for_hist(void)
{
	return LINES >= TOP_LINES + 6 + HIST_LINES + 1;
}

size_t tui_page(void)
{
	int n = LINES - TOP_LINES - 1 - (room_for_hist() ? HIST_LINES : 0);

	return n > 1 ? (size_t)n : 1;
}

static void line(int y, const char *s, attr_t a)
{
	attron(a);
	mvaddnstr(y, 0, s, COLS);
	for (int x = (int)strlen(s); x < COLS; x++)
		addch(' ');
	attroff(a);
}

static bool any_drops(const struct view_drops *d)
{
	return d->truncated || d->collision || d->partial || d->lost || d->lost_samples ||
	       d->gaps || d->bad_bytes || d->records_dropped || d->evicted_rows || d->overflow_samples;
}

/* SPE lost data in the kernel: truncated, collided or faulted */
static bool bpf_drops(const struct view_bpf *b)
{
	return b->valid && (b->truncations || b->collisions || b->faults);
}

static void draw_hist(int y0, const struct view_model *m)
{
	uint64_t max = 0;
	char buf[256], lab[16];
	int width = COLS - 32;

	for (int b = 0; b < VIEW_HIST_BUCKETS; b++)
		if (m->hist.bucket[b] > max)
			max = m->hist.bucket[b];
	snprintf(buf, sizeof(buf), "total latency of %s: %llu samples (cycles, log2 buckets)",
		 m->hist.label[0] ? m->hist.label : "(no row)", (unsigned long long)m->hist.n);
	line(y0, buf, A_BOLD);
	for (int b = 0; b < VIEW_HIST_BUCKETS; b++) {
		int bar = max && width > 0 ? (int)((double)m->hist.bucket[b] * width / (double)max) : 0;

		snprintf(buf, sizeof(buf), "%12s %12llu ", view_bucket_label((unsigned int)b, lab),
			 (unsigned long long)m->hist.bucket[b]);
		mvaddnstr(y0 + 1 + b, 0, buf, COLS);
		for (int x = 0; x < bar; x++)
			addch('#');
		clrtoeol();
	}
}

static void draw_help(void)
{
	erase();
	for (int i = 0; ui_help_lines[i] && i < LINES; i++)
		mvaddnstr(i, 2, ui_help_lines[i], COLS - 2);
	refresh();
}

void tui_draw(const struct view_model *m, const struct ui_state *s)
{
	char buf[1024];
	size_t page = tui_page();
	int y;

	if (s->help) {
		draw_help();
		return;
	}
	erase();
	out_header_line(buf, sizeof(buf), &m->h);
	line(0, buf, A_REVERSE);
	out_rates_line(buf, sizeof(buf), &m->h);
	line(1, buf, 0);
	out_drops_line(buf, sizeof(buf), &m->h);
	line(2, buf, any_drops(&m->h.drops) ? A_BOLD : 0);
	snprintf(buf, sizeof(buf), "bpf: %s", m->h.bpf[0] ? m->h.bpf : "-");
	line(3, buf, bpf_drops(&m->h.bpf_stats) ? A_BOLD : 0);
	out_table_header(buf, sizeof(buf), m->h.group);
	line(4, buf, A_REVERSE);
	y = TOP_LINES;
	for (size_t i = s->top; i < m->nrows && i < s->top + page; i++, y++) {
		out_table_row(buf, sizeof(buf), &m->rows[i]);
		line(y, buf, i == s->sel ? A_REVERSE : 0);
	}
	if (!m->nrows)
		mvaddnstr(y, 0, s->filter[0] ? "  (no row matches the filter)" : "  (no samples in this view yet)", COLS);
	if (room_for_hist())
		draw_hist(LINES - 1 - HIST_LINES, m);
	if (s->editing)
		snprintf(buf, sizeof(buf), "filter: %s_", s->edit);
	else if (m->h.note[0])
		snprintf(buf, sizeof(buf), "%s", m->h.note);
	else
		snprintf(buf, sizeof(buf), "q quit  g group  s sort  c last/cum  / filter  up/down select  space pause  h help");
	line(LINES - 1, buf, A_REVERSE);
	refresh();
}

int tui_getkey(int timeout_ms)
{
	int c;

	timeout(timeout_ms);
	c = getch();
	switch (c) {
	case ERR:		return UI_KEY_NONE;
	case KEY_UP:		return UI_KEY_UP;
	case KEY_DOWN:		return UI_KEY_DOWN;
	case KEY_PPAGE:		return UI_KEY_PGUP;
	case KEY_NPAGE:		return UI_KEY_PGDN;
	case KEY_HOME:		return UI_KEY_HOME;
	case KEY_END:		return UI_KEY_END;
	case KEY_ENTER: case '\r': case '\n':
		return UI_KEY_ENTER;
	case 27:		return UI_KEY_ESC;
	case KEY_BACKSPACE: case 127: case 8:
		return UI_KEY_BACKSPACE;
	case KEY_RESIZE:	return UI_KEY_RESIZE;
	case 12:		return UI_KEY_REFRESH;	/* ^L */
	default:
		return c >= 0 && c < 0x10000 ? c : UI_KEY_NONE;
	}
}
