/* SPDX-License-Identifier: GPL-2.0-only */
/* Plain renderers of the view model: batch text and JSON Lines */
#ifndef SPETOP_OUT_H
#define SPETOP_OUT_H

#include <stdio.h>

#include "view.h"

/* Column titles of the label and "where" columns for a grouping */
const char *out_label_title(enum st_group g);
const char *out_where_title(enum st_group g);

/* One interval as text: header lines, the drop line, the table */
void out_batch(FILE *f, const struct view_model *m);
/* One interval as one JSON object on one line ("type":"interval"), or the
 * closing one ("type":"summary") */
void out_json(FILE *f, const struct view_model *m, const char *type);
/* The table header and one row, as batch prints them (the TUI too) */
int out_table_header(char *buf, size_t len, enum st_group g);
int out_table_row(char *buf, size_t len, const struct view_row *v);
/* The header lines, as batch prints them (the TUI too) */
int out_header_line(char *buf, size_t len, const struct view_header *h);
int out_rates_line(char *buf, size_t len, const struct view_header *h);
int out_drops_line(char *buf, size_t len, const struct view_header *h);

#endif
