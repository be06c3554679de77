/* SPDX-License-Identifier: GPL-2.0-only */
/* The terminal UI (ncursesw): draws a view model, reads keys */
#ifndef SPETOP_TUI_H
#define SPETOP_TUI_H

#include <stdbool.h>
#include <stddef.h>

#include "ui.h"
#include "view.h"

/* Take the terminal; 0, or -1 with one line in @err (the terminal is left as it was) */
int tui_start(char *err, size_t errlen);
/* Give the terminal back (safe to call twice, and from atexit) */
void tui_stop(void);
/* Rows of the table on this screen (for paging) */
size_t tui_page(void);
void tui_draw(const struct view_model *m, const struct ui_state *s);
/* Wait up to @timeout_ms (0: poll, -1: forever) for a key; returns a
 * character, an enum ui_key, or UI_KEY_NONE */
int tui_getkey(int timeout_ms);

#endif
