// SPDX-License-Identifier: GPL-2.0-only
/*
 * One record per line: text, JSON lines or CSV.
 * The JSON keys and CSV columns are documented in README ("spedump JSON").
 * Addresses are hex strings ("0x..."), canonical 64-bit (see
 * spe_addr_canonical()): JSON numbers lose precision above 2^53.
 */
#include "recfmt.h"

/* Column order shared by JSON and CSV */
#define CSV_HEADER "offset,cpu,ts,pc,el,ns,op,op_sub,op_raw,events,lat_total," \
	"lat_issue,lat_xlat,lat_alt_issue,tgt,prev_tgt,va,pa,data_src," \
	"data_src_name,ctx,ctx_el,flags\n"

static void put_events(struct spe_text *t, uint64_t ev, char sep, int quote)
{
	int first = 1;

	while (ev) {
		unsigned int bit = (unsigned int)__builtin_ctzll(ev);
		const char *name = spe_event_name(bit);

		ev &= ev - 1;
		if (!first)
			spe_text_chr(t, sep);
		first = 0;
		if (quote)
			spe_text_chr(t, '"');
		if (name) {
			spe_text_str(t, name);
		} else {
			spe_text_chr(t, 'E');
			spe_text_u64(t, bit);
		}
		if (quote)
			spe_text_chr(t, '"');
	}
}

static const char *op_sub_name(const struct spe_record *r)
{
	if (r->op_class == SPE_OPC_LOAD || r->op_class == SPE_OPC_STORE)
		return spe_ldst_sub_name(r->ldst_sub);
	return NULL;
}

static void put_flags(struct spe_text *t, uint32_t flags, char sep, int quote)
{
	static const char *const names[] = {
		"end-ts", "end", "unterminated", "unknown-packet", "impdef",
	};
	int first = 1;

	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & (1u << i)))
			continue;
		if (!first)
			spe_text_chr(t, sep);
		first = 0;
		if (quote)
			spe_text_chr(t, '"');
		spe_text_str(t, names[i]);
		if (quote)
			spe_text_chr(t, '"');
	}
}

/* ---- JSON ---- */

static void j_key(struct spe_text *t, const char *k)
{
	spe_text_str(t, ",\"");
	spe_text_str(t, k);
	spe_text_str(t, "\":");
}

static void j_u64(struct spe_text *t, const char *k, int present, uint64_t v)
{
	j_key(t, k);
	if (present)
		spe_text_u64(t, v);
	else
		spe_text_str(t, "null");
}

static void j_hex(struct spe_text *t, const char *k, int present, uint64_t v)
{
	j_key(t, k);
	if (present) {
		spe_text_chr(t, '"');
		spe_text_hex0x(t, v);
		spe_text_chr(t, '"');
	} else {
		spe_text_str(t, "null");
	}
}

static void j_str(struct spe_text *t, const char *k, const char *v)
{
	j_key(t, k);
	if (v) {
		spe_text_chr(t, '"');
		spe_text_str(t, v);	/* our names need no escaping */
		spe_text_chr(t, '"');
	} else {
		spe_text_str(t, "null");
	}
}

static void fmt_json(struct spe_text *t, const struct spe_record *r,
		     const struct rec_ctx *c)
{
	uint32_t h = r->has;
	const char *dsn = h & SPE_HAS_DSRC ? spe_dsrc_name(c->dsrc_fam, r->dsrc) : NULL;

	spe_text_str(t, "{\"offset\":");
	spe_text_u64(t, r->offset);
	j_key(t, "cpu");
	if (c->cpu >= 0)
		spe_text_u64(t, (uint64_t)c->cpu);
	else
		spe_text_str(t, "null");
	j_u64(t, "ts", h & SPE_HAS_TS, r->ts);
	j_hex(t, "pc", h & SPE_HAS_PC,
	      spe_addr_canonical(SPE_ADDR_PC, r->pc, r->pc_attr.el));
	j_u64(t, "el", h & SPE_HAS_PC, r->pc_attr.el);
	j_u64(t, "ns", h & SPE_HAS_PC, r->pc_attr.ns);
	j_str(t, "op", h & SPE_HAS_OP ? spe_op_class_name(r->op_class) : NULL);
	j_str(t, "op_sub", h & SPE_HAS_OP ? op_sub_name(r) : NULL);
	j_hex(t, "op_raw", h & SPE_HAS_OP, (uint64_t)r->op_class_raw << 8 | r->op_raw);
	j_key(t, "events");
	spe_text_chr(t, '[');
	put_events(t, r->events, ',', 1);
	spe_text_chr(t, ']');
	j_u64(t, "lat_total", h & SPE_HAS_LAT_TOTAL, r->lat_total);
	j_u64(t, "lat_issue", h & SPE_HAS_LAT_ISSUE, r->lat_issue);
	j_u64(t, "lat_xlat", h & SPE_HAS_LAT_XLAT, r->lat_xlat);
	j_u64(t, "lat_alt_issue", h & SPE_HAS_LAT_ALT_ISSUE, r->lat_alt_issue);
	j_hex(t, "tgt", h & SPE_HAS_TGT,
	      spe_addr_canonical(SPE_ADDR_BRANCH_TARGET, r->tgt, r->tgt_attr.el));
	j_hex(t, "prev_tgt", h & SPE_HAS_PREV_TGT,
	      spe_addr_canonical(SPE_ADDR_PREV_BRANCH_TARGET, r->prev_tgt,
				 r->prev_tgt_attr.el));
	j_hex(t, "va", h & SPE_HAS_VA, spe_addr_canonical(SPE_ADDR_DATA_VA, r->va, 0));
	j_hex(t, "pa", h & SPE_HAS_PA, r->pa);
	j_u64(t, "data_src", h & SPE_HAS_DSRC, r->dsrc);
	j_str(t, "data_src_name", dsn);
	j_hex(t, "ctx", h & SPE_HAS_CTX, r->ctx);
	j_u64(t, "ctx_el", h & SPE_HAS_CTX, r->ctx_el);
	j_key(t, "flags");
	spe_text_chr(t, '[');
	put_flags(t, r->flags, ',', 1);
	spe_text_str(t, "]}\n");
}

/* ---- CSV ---- */

static void c_u64(struct spe_text *t, int present, uint64_t v)
{
	spe_text_chr(t, ',');
	if (present)
		spe_text_u64(t, v);
}

static void c_hex(struct spe_text *t, int present, uint64_t v)
{
	spe_text_chr(t, ',');
	if (present)
		spe_text_hex0x(t, v);
}

static void c_str(struct spe_text *t, const char *s)
{
	spe_text_chr(t, ',');
	if (s)
		spe_text_str(t, s);
}

static void fmt_csv(struct spe_text *t, const struct spe_record *r,
		    const struct rec_ctx *c)
{
	uint32_t h = r->has;

	spe_text_u64(t, r->offset);
	spe_text_chr(t, ',');
	if (c->cpu >= 0)
		spe_text_u64(t, (uint64_t)c->cpu);
	c_u64(t, h & SPE_HAS_TS, r->ts);
	c_hex(t, h & SPE_HAS_PC, spe_addr_canonical(SPE_ADDR_PC, r->pc, r->pc_attr.el));
	c_u64(t, h & SPE_HAS_PC, r->pc_attr.el);
	c_u64(t, h & SPE_HAS_PC, r->pc_attr.ns);
	c_str(t, h & SPE_HAS_OP ? spe_op_class_name(r->op_class) : NULL);
	c_str(t, h & SPE_HAS_OP ? op_sub_name(r) : NULL);
	c_hex(t, h & SPE_HAS_OP, (uint64_t)r->op_class_raw << 8 | r->op_raw);
	spe_text_chr(t, ',');
	put_events(t, r->events, '|', 0);
	c_u64(t, h & SPE_HAS_LAT_TOTAL, r->lat_total);
	c_u64(t, h & SPE_HAS_LAT_ISSUE, r->lat_issue);
	c_u64(t, h & SPE_HAS_LAT_XLAT, r->lat_xlat);
	c_u64(t, h & SPE_HAS_LAT_ALT_ISSUE, r->lat_alt_issue);
	c_hex(t, h & SPE_HAS_TGT,
	      spe_addr_canonical(SPE_ADDR_BRANCH_TARGET, r->tgt, r->tgt_attr.el));
	c_hex(t, h & SPE_HAS_PREV_TGT,
	      spe_addr_canonical(SPE_ADDR_PREV_BRANCH_TARGET, r->prev_tgt,
				 r->prev_tgt_attr.el));
	c_hex(t, h & SPE_HAS_VA, spe_addr_canonical(SPE_ADDR_DATA_VA, r->va, 0));
	c_hex(t, h & SPE_HAS_PA, r->pa);
	c_u64(t, h & SPE_HAS_DSRC, r->dsrc);
	c_str(t, h & SPE_HAS_DSRC ? spe_dsrc_name(c->dsrc_fam, r->dsrc) : NULL);
	c_hex(t, h & SPE_HAS_CTX, r->ctx);
	c_u64(t, h & SPE_HAS_CTX, r->ctx_el);
	spe_text_chr(t, ',');
	put_flags(t, r->flags, '|', 0);
	spe_text_chr(t, '\n');
}

/* ---- text ---- */

static void t_lat(struct spe_text *t, int present, uint16_t v)
{
	if (present)
		spe_text_u64(t, v);
	else
		spe_text_chr(t, '-');
}

static void fmt_text(struct spe_text *t, const struct spe_record *r,
		     const struct rec_ctx *c)
{
	uint32_t h = r->has;
	const char *sub = op_sub_name(r);

	spe_text_hex0x(t, r->offset);
	if (c->cpu >= 0) {
		spe_text_str(t, " cpu");
		spe_text_u64(t, (uint64_t)c->cpu);
	}
	if (h & SPE_HAS_TS) {
		spe_text_str(t, " ts=");
		spe_text_u64(t, r->ts);
	}
	if (h & SPE_HAS_PC) {
		spe_text_str(t, " pc=");
		spe_text_hex0x(t, spe_addr_canonical(SPE_ADDR_PC, r->pc, r->pc_attr.el));
		spe_text_str(t, " el");
		spe_text_u64(t, r->pc_attr.el);
	}
	if (h & SPE_HAS_OP) {
		spe_text_chr(t, ' ');
		spe_text_str(t, spe_op_class_name(r->op_class));
		if (sub) {
			spe_text_chr(t, '/');
			spe_text_str(t, sub);
		}
	}
	if (h & (SPE_HAS_LAT_TOTAL | SPE_HAS_LAT_ISSUE | SPE_HAS_LAT_XLAT)) {
		spe_text_str(t, " lat=");
		t_lat(t, h & SPE_HAS_LAT_TOTAL, r->lat_total);
		spe_text_chr(t, '/');
		t_lat(t, h & SPE_HAS_LAT_ISSUE, r->lat_issue);
		spe_text_chr(t, '/');
		t_lat(t, h & SPE_HAS_LAT_XLAT, r->lat_xlat);
	}
	if (h & SPE_HAS_VA) {
		spe_text_str(t, " va=");
		spe_text_hex0x(t, spe_addr_canonical(SPE_ADDR_DATA_VA, r->va, 0));
	}
	if (h & SPE_HAS_PA) {
		spe_text_str(t, " pa=");
		spe_text_hex0x(t, r->pa);
	}
	if (h & SPE_HAS_TGT) {
		spe_text_str(t, " tgt=");
		spe_text_hex0x(t, spe_addr_canonical(SPE_ADDR_BRANCH_TARGET,
						     r->tgt, r->tgt_attr.el));
	}
	if (h & SPE_HAS_DSRC) {
		const char *n = spe_dsrc_name(c->dsrc_fam, r->dsrc);

		spe_text_str(t, " src=");
		if (n)
			spe_text_str(t, n);
		else
			spe_text_u64(t, r->dsrc);
	}
	if (h & SPE_HAS_CTX) {
		spe_text_str(t, " ctx=");
		spe_text_hex0x(t, r->ctx);
	}
	if (r->events) {
		spe_text_str(t, " ev=");
		put_events(t, r->events, ',', 0);
	}
	if (r->flags & (SPE_REC_UNTERMINATED | SPE_REC_UNKNOWN_PKT | SPE_REC_IMPDEF)) {
		spe_text_str(t, " flags=");
		put_flags(t, r->flags & ~(uint32_t)(SPE_REC_END_TS | SPE_REC_END_PKT), ',', 0);
	}
	spe_text_chr(t, '\n');
}

void recfmt_header(struct outbuf *o, enum recfmt_kind kind)
{
	if (kind == RECFMT_CSV)
		outbuf_str(o, CSV_HEADER);
}

void recfmt_record(struct outbuf *o, enum recfmt_kind kind,
		   const struct spe_record *r, const struct rec_ctx *ctx)
{
	struct spe_text t;

	outbuf_begin(o, &t, 1024);
	if (kind == RECFMT_JSON)
		fmt_json(&t, r, ctx);
	else if (kind == RECFMT_CSV)
		fmt_csv(&t, r, ctx);
	else
		fmt_text(&t, r, ctx);
	outbuf_commit(o, &t);
}
