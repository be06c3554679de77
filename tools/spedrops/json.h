/* SPDX-License-Identifier: GPL-2.0-only */
/* A small JSON writer: one object per line (JSON Lines), commas handled */
#ifndef SPEDROPS_JSON_H
#define SPEDROPS_JSON_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#define JW_DEPTH	16

struct jw {
	FILE *f;
	int depth;
	bool first[JW_DEPTH];
};

void jw_init(struct jw *w, FILE *f);
/* @key is NULL at the top level and inside arrays */
void jw_obj(struct jw *w, const char *key);
void jw_obj_end(struct jw *w);	/* the top-level object's end adds '\n' */
void jw_arr(struct jw *w, const char *key);
void jw_arr_end(struct jw *w);
void jw_str(struct jw *w, const char *key, const char *v);	/* NULL: null */
void jw_u64(struct jw *w, const char *key, __u64 v);
void jw_int(struct jw *w, const char *key, long long v);
/* finite: %.*f; NaN/inf: null */
void jw_num(struct jw *w, const char *key, double v, int prec);
void jw_bool(struct jw *w, const char *key, bool v);
void jw_null(struct jw *w, const char *key);

#endif
