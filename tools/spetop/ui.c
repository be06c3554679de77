// SPDX-License-Identifier: GPL-2.0-only
/* Key handling (see ui.h) */
#include <string.h>

#include "ui.h"

const char *const ui_help_lines[] = {
	"spetop keys",
	"",
	"  g / G      next / previous grouping: symbol, pc, dso, pid, dsrc, op",
	"             (the table restarts: counts are per grouping)",
	"  s / S      next / previous sort key: samples, p50, p90, p99, mean,",
	"             l1d, llc, tlb, remote",
	"  c          last interval / cumulative",
	"  /          filter rows by text (Enter applies, Esc cancels, empty clears)",
	"  up, down   select a row: its latency histogram shows below the table",
	"  PgUp PgDn  page through the table; Home, End",
	"  space, p   pause / resume (replay stops; live capture keeps counting)",
	"  h, ?       this help (any key closes it)",
	"  q          quit",
	"",
	"Columns: SAMPLES and SHARE of the view; P50/P90/P99 total latency,",
	"ISS50 issue and XLT50 translation latency medians (cycles); L1D% LLC%",
	"TLB% miss rates (refills/accesses, walks/accesses); REM% remote share",
	"of loads and stores.  '-': no sample had it.",
	NULL
};

void ui_clamp(struct ui_state *s, size_t nrows, size_t page)
{
	if (!page)
		page = 1;
	if (!nrows) {
		s->sel = s->top = 0;
		return;
	}
	if (s->sel >= nrows)
		s->sel = nrows - 1;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + page)
		s->top = s->sel - page + 1;
	if (s->top + page > nrows)
		s->top = nrows > page ? nrows - page : 0;
}

static unsigned int edit_key(struct ui_state *s, int key)
{
	size_t n = strlen(s->edit);

	switch (key) {
	case UI_KEY_ENTER:
		memcpy(s->filter, s->edit, sizeof(s->filter));
		s->editing = false;
		s->sel = s->top = 0;
		return UI_REBUILD | UI_REDRAW;
	case UI_KEY_ESC:
		s->editing = false;
		return UI_REDRAW;
	case UI_KEY_BACKSPACE:
		if (n)
			s->edit[n - 1] = '\0';
		return UI_REDRAW;
	default:
		if (key >= 0x20 && key < 0x7f && n + 1 < sizeof(s->edit)) {
			s->edit[n] = (char)key;
			s->edit[n + 1] = '\0';
			return UI_REDRAW;
		}
		return 0;
	}
}

unsigned int ui_key(struct ui_state *s, int key, size_t nrows, size_t page)
{
	unsigned int r = UI_REDRAW;

	if (key == UI_KEY_NONE)
		return 0;
	if (key == UI_KEY_RESIZE || key == UI_KEY_REFRESH) {
		ui_clamp(s, nrows, page);
		return UI_REDRAW;
	}
	if (s->editing)
		return edit_key(s, key);
	if (s->help) {
		s->help = false;
		return key == 'q' ? (s->quit = true, UI_REDRAW) : UI_REDRAW;
	}
	switch (key) {
	case 'q': case 'Q':
		s->quit = true;
		break;
	case 'g':
		s->group = (enum st_group)((s->group + 1) % ST_G_NR);
		s->sel = s->top = 0;
		r |= UI_REGROUP | UI_REBUILD;
		break;
	case 'G':
		s->group = (enum st_group)((s->group + ST_G_NR - 1) % ST_G_NR);
		s->sel = s->top = 0;
		r |= UI_REGROUP | UI_REBUILD;
		break;
	case 's':
		s->sort = (enum agg_sort)((s->sort + 1) % AGG_SORT_NR);
		r |= UI_REBUILD;
		break;
	case 'S':
		s->sort = (enum agg_sort)((s->sort + AGG_SORT_NR - 1) % AGG_SORT_NR);
		r |= UI_REBUILD;
		break;
	case 'c':
		s->cum = !s->cum;
		r |= UI_REBUILD;
		break;
	case '/':
		s->editing = true;
		memcpy(s->edit, s->filter, sizeof(s->edit));
		break;
	case ' ': case 'p':
		s->paused = !s->paused;
		r |= UI_PAUSE;
		break;
	case 'h': case '?':
		s->help = true;
		break;
	case UI_KEY_UP: case 'k':
		if (s->sel)
			s->sel--;
		break;
	case UI_KEY_DOWN: case 'j':
		if (s->sel + 1 < nrows)
			s->sel++;
		break;
	case UI_KEY_PGUP:
		s->sel = s->sel > page ? s->sel - page : 0;
		break;
	case UI_KEY_PGDN:
		s->sel += page;
		break;
	case UI_KEY_HOME:
		s->sel = 0;
		break;
	case UI_KEY_END:
		s->sel = nrows ? nrows - 1 : 0;
		break;
	default:
		return 0;
	}
	ui_clamp(s, nrows, page);
	return r;
}
