/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the person at the terminal has chosen, and how keys change it: pure
 * (no curses), so the key handling is tested without a terminal; tui.c
 * maps curses key codes onto enum ui_key and draws.
 */
#ifndef SPETOP_UI_H
#define SPETOP_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "agg.h"
#include "view.h"

enum ui_key {
	UI_KEY_NONE = 0,
	UI_KEY_UP = 0x10000, UI_KEY_DOWN, UI_KEY_PGUP, UI_KEY_PGDN, UI_KEY_HOME, UI_KEY_END,
	UI_KEY_ENTER, UI_KEY_ESC, UI_KEY_BACKSPACE, UI_KEY_RESIZE, UI_KEY_REFRESH,
};

struct ui_state {
	enum st_group group;
	enum agg_sort sort;
	bool cum;
	char filter[64];
	size_t sel;		/* selected row */
	size_t top;		/* first row shown */
	bool help;		/* the help screen is up */
	bool paused;
	bool quit;
	bool editing;		/* typing a filter */
	char edit[64];		/* the filter being typed */
};

/* What a key changed */
#define UI_REDRAW	0x1	/* draw again from the same model */
#define UI_REBUILD	0x2	/* rebuild the model (sort, view, filter) */
#define UI_REGROUP	0x4	/* the grouping changed: the table restarts */
#define UI_PAUSE	0x8	/* pause toggled */

/* Apply @key (a character or enum ui_key) with @nrows rows on show and
 * @page rows per screen; returns UI_* bits. */
unsigned int ui_key(struct ui_state *s, int key, size_t nrows, size_t page);
/* Keep sel/top inside @nrows rows and a @page-row window */
void ui_clamp(struct ui_state *s, size_t nrows, size_t page);

extern const char *const ui_help_lines[];

#endif
