// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated SPE unit (spe_sim.h).  It implements the shim's hardware
 * hooks (shim/hw.h), so the driver's spe_read()/spe_write(), isb(),
 * dsb(nsh) and psb_csync() land here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/sysreg.h>
#include <shim/hw.h>
#include <shim/trace_log.h>
#include <spekit/spe_regs.h>

#include "spe_records.h"
#include "spe_sim.h"

struct spe_sim spe_sim;

/* The encodings through the kernel's sys_reg(), as the driver makes them */
#define SIM_SYS_REG(...)	sys_reg(__VA_ARGS__)
#define SIM_ENC(r)		SIM_SYS_REG(SPE_REG_##r)

static const struct {
	u32 enc;
	const char *name;
} sim_regs[SPE_SIM_NR_REGS] = {
	[SPE_SIM_PMSCR]		= { SIM_ENC(PMSCR_EL1),	"PMSCR_EL1" },
	[SPE_SIM_PMSNEVFR]	= { SIM_ENC(PMSNEVFR_EL1), "PMSNEVFR_EL1" },
	[SPE_SIM_PMSICR]	= { SIM_ENC(PMSICR_EL1), "PMSICR_EL1" },
	[SPE_SIM_PMSIRR]	= { SIM_ENC(PMSIRR_EL1), "PMSIRR_EL1" },
	[SPE_SIM_PMSFCR]	= { SIM_ENC(PMSFCR_EL1), "PMSFCR_EL1" },
	[SPE_SIM_PMSEVFR]	= { SIM_ENC(PMSEVFR_EL1), "PMSEVFR_EL1" },
	[SPE_SIM_PMSLATFR]	= { SIM_ENC(PMSLATFR_EL1), "PMSLATFR_EL1" },
	[SPE_SIM_PMSIDR]	= { SIM_ENC(PMSIDR_EL1), "PMSIDR_EL1" },
	[SPE_SIM_PMBLIMITR]	= { SIM_ENC(PMBLIMITR_EL1), "PMBLIMITR_EL1" },
	[SPE_SIM_PMBPTR]	= { SIM_ENC(PMBPTR_EL1), "PMBPTR_EL1" },
	[SPE_SIM_PMBSR]		= { SIM_ENC(PMBSR_EL1), "PMBSR_EL1" },
	[SPE_SIM_PMBIDR]	= { SIM_ENC(PMBIDR_EL1), "PMBIDR_EL1" },
};

static __printf(1, 2) void violation(const char *fmt, ...)
{
	va_list ap;

	if (spe_sim.nviol < SPE_SIM_MAX_VIOL) {
		va_start(ap, fmt);
		vsnprintf(spe_sim.viol[spe_sim.nviol], sizeof(spe_sim.viol[0]),
			  fmt, ap);
		va_end(ap);
	}
	spe_sim.nviol++;
}

static u64 rup(u64 x, u64 p2)
{
	return (x + p2 - 1) & ~(p2 - 1);
}

static void log_op(enum spe_sim_op_kind kind, enum spe_sim_reg reg, u64 val,
		   const char *opt)
{
	struct spe_sim_op *op;

	if (spe_sim.nops == spe_sim.ops_cap) {
		spe_sim.ops_cap = spe_sim.ops_cap ? 2 * spe_sim.ops_cap : 1024;
		spe_sim.ops = realloc(spe_sim.ops,
				      spe_sim.ops_cap * sizeof(*spe_sim.ops));
		if (!spe_sim.ops)
			abort();
	}
	op = &spe_sim.ops[spe_sim.nops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->reg = reg;
	op->val = val;
	if (opt)
		snprintf(op->opt, sizeof(op->opt), "%s", opt);
	op->seq = shim_seq_next();
}

void spe_sim_reset(const struct spe_sim_cfg *cfg)
{
	free(spe_sim.recs);
	free(spe_sim.ops);
	memset(&spe_sim, 0, sizeof(spe_sim));
	spe_sim.cfg = *cfg;
	spe_sim.reg[SPE_SIM_PMSIDR] = cfg->pmsidr;
	spe_sim.reg[SPE_SIM_PMBIDR] = cfg->pmbidr;
	spe_sim.rng = cfg->seed ? cfg->seed : 0x9e3779b97f4a7c15ULL;
}

void spe_sim_free(void)
{
	free(spe_sim.recs);
	free(spe_sim.ops);
	spe_sim.recs = NULL;
	spe_sim.ops = NULL;
}

static u64 limit_addr(void)
{
	return spe_sim.reg[SPE_SIM_PMBLIMITR] & SPE_PMBLIMITR_EL1_LIMIT;
}

static bool fill_mode(void)
{
	return SPE_FIELD_GET(SPE_PMBLIMITR_EL1_FM,
			     spe_sim.reg[SPE_SIM_PMBLIMITR]) ==
	       SPE_PMBLIMITR_EL1_FM_FILL;
}

static bool buffer_running(void)
{
	return (spe_sim.reg[SPE_SIM_PMBLIMITR] & SPE_PMBLIMITR_EL1_E) &&
	       !(spe_sim.reg[SPE_SIM_PMBSR] & SPE_PMBSR_EL1_S);
}

bool spe_sim_profiling(void)
{
	return buffer_running() &&
	       (spe_sim.reg[SPE_SIM_PMSCR] &
		(SPE_PMSCR_EL1_E0SPE | SPE_PMSCR_EL1_E1SPE));
}

bool spe_sim_irq_line(void)
{
	return spe_sim.reg[SPE_SIM_PMBSR] & SPE_PMBSR_EL1_S;
}

u64 spe_sim_peek(enum spe_sim_reg r)
{
	return spe_sim.reg[r];
}

u64 spe_sim_ptr_off(void)
{
	return spe_sim.reg[SPE_SIM_PMBPTR] - (u64)spe_sim.cfg.aux_base;
}

/* A buffer management event: the unit stops, the record it held is lost */
static void management_event(u64 pmbsr)
{
	if (spe_sim.coll_armed)
		pmbsr |= SPE_PMBSR_EL1_COLL;
	spe_sim.coll_armed = false;
	spe_sim.reg[SPE_SIM_PMBSR] = pmbsr | SPE_PMBSR_EL1_S;
	spe_sim.mgmt_events++;
	spe_sim.pending = false;
}

static void add_rec(u64 seq, u64 off, u32 len, u32 body, bool partial)
{
	struct spe_sim_rec *r;

	if (spe_sim.nrecs == spe_sim.recs_cap) {
		spe_sim.recs_cap = spe_sim.recs_cap ? 2 * spe_sim.recs_cap : 1024;
		spe_sim.recs = realloc(spe_sim.recs,
				       spe_sim.recs_cap * sizeof(*spe_sim.recs));
		if (!spe_sim.recs)
			abort();
	}
	r = &spe_sim.recs[spe_sim.nrecs++];
	r->seq = seq;
	r->off = off;
	r->len = len;
	r->body = body;
	r->partial = partial;
}

/* Is [ptr, ptr + len) inside the AUX buffer? */
static bool in_buffer(u64 ptr, u64 len)
{
	u64 base = (u64)spe_sim.cfg.aux_base;

	return ptr >= base && len <= spe_sim.cfg.aux_size &&
	       ptr - base <= spe_sim.cfg.aux_size - len;
}

/* Write the held record at PMBPTR; false when it caused a management event */
static bool write_record(u64 seq, u32 body)
{
	u64 ptr = spe_sim.reg[SPE_SIM_PMBPTR];
	u64 len = rup(body, spe_sim.cfg.align);
	u64 off = ptr - (u64)spe_sim.cfg.aux_base;

	if (spe_sim.fault_armed) {
		spe_sim.fault_armed = false;
		spe_sim.dropped_fault++;
		management_event(SPE_FIELD_PREP(SPE_PMBSR_EL1_EC,
						spe_sim.fault_ec) |
				 spe_sim.fault_mss);
		return false;
	}
	if (ptr + len > limit_addr()) {
		spe_sim.dropped_full++;
		management_event(SPE_FIELD_PREP(SPE_PMBSR_EL1_EC,
						SPE_PMBSR_EC_BUF) |
				 SPE_FIELD_PREP(SPE_PMBSR_EL1_BUF_BSC,
						SPE_PMBSR_BSC_FULL));
		return false;
	}
	if (!in_buffer(ptr, len)) {
		/* unmapped as far as this unit knows: a translation fault */
		violation("record write at PMBPTR=0x%llx (+%llu) outside the AUX buffer",
			  ptr, len);
		spe_sim.dropped_fault++;
		management_event(SPE_FIELD_PREP(SPE_PMBSR_EL1_EC,
						SPE_PMBSR_EC_FAULT_S1) | 0x07);
		return false;
	}
	if (spe_sim.cfg.may_write &&
	    !spe_sim.cfg.may_write(spe_sim.cfg.ctx, off, len))
		violation("record %llu written over unconsumed data at offset %llu (+%llu)",
			  seq, off, len);
	spe_rec_build(spe_sim.cfg.aux_base + off, seq, body);
	memset(spe_sim.cfg.aux_base + off + body, 0, len - body);
	add_rec(seq, off, len, body, false);
	spe_sim.reg[SPE_SIM_PMBPTR] = ptr + len;
	return true;
}

static u32 draw_body(void)
{
	u64 x = spe_sim.rng, max = spe_sim.cfg.max_record_sz, body;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	spe_sim.rng = x;
	body = SPE_REC_MIN_LEN + x % (max - SPE_REC_MIN_LEN + 1);
	if (rup(body, spe_sim.cfg.align) > max)
		body = max & ~(spe_sim.cfg.align - 1);
	return (u32)body;
}

bool spe_sim_sample_len(u32 body)
{
	if (!spe_sim_profiling()) {
		spe_sim.idle_samples++;
		return false;
	}
	spe_sim.samples++;
	spe_sim.reg[SPE_SIM_PMSICR]++;
	if (!fill_mode())
		return true;	/* discard mode: made and thrown away */
	if (spe_sim.pending) {
		spe_sim.pending = false;
		if (!write_record(spe_sim.pending_seq, spe_sim.pending_body))
			return true;	/* stopped: this one is lost too */
	}
	spe_sim.pending = true;
	spe_sim.pending_seq = spe_sim.next_seq++;
	spe_sim.pending_body = body;
	return true;
}

bool spe_sim_sample(void)
{
	return spe_sim_sample_len(draw_body());
}

int spe_sim_run(int n)
{
	int i;

	for (i = 0; i < n && spe_sim_sample(); i++)
		;
	return i;
}

void spe_sim_inject_dl(u32 partial, u32 bsc)
{
	static u8 tmp[SPE_REC_MAX_LEN];
	u64 ptr, n, seq;
	u32 body = draw_body();

	/* the held record first, as the hardware would */
	if (spe_sim.pending) {
		spe_sim.pending = false;
		if (!write_record(spe_sim.pending_seq, spe_sim.pending_body)) {
			spe_sim.reg[SPE_SIM_PMBSR] |= SPE_PMBSR_EL1_DL;
			return;
		}
	}
	ptr = spe_sim.reg[SPE_SIM_PMBPTR];
	n = partial < body ? partial : body - 1;
	if (ptr + n > limit_addr())
		n = limit_addr() > ptr ? limit_addr() - ptr : 0;
	seq = spe_sim.next_seq++;
	spe_sim.samples++;
	if (n && in_buffer(ptr, n)) {
		spe_rec_build(tmp, seq, body);
		memcpy(spe_sim.cfg.aux_base + (ptr - (u64)spe_sim.cfg.aux_base),
		       tmp, n);
		add_rec(seq, ptr - (u64)spe_sim.cfg.aux_base, (u32)n, body,
			true);
		spe_sim.reg[SPE_SIM_PMBPTR] = ptr + n;
	}
	management_event(SPE_PMBSR_EL1_DL |
			 SPE_FIELD_PREP(SPE_PMBSR_EL1_EC, SPE_PMBSR_EC_BUF) |
			 SPE_FIELD_PREP(SPE_PMBSR_EL1_BUF_BSC, bsc));
}

void spe_sim_inject_coll(void)
{
	spe_sim.coll_armed = true;
}

void spe_sim_inject_fault(u32 ec, u32 mss)
{
	spe_sim.fault_armed = true;
	spe_sim.fault_ec = ec;
	spe_sim.fault_mss = mss;
}

/* The rules a programmed buffer must keep (checked when it is enabled) */
static void check_enable(u64 limitr)
{
	u64 base = (u64)spe_sim.cfg.aux_base, size = spe_sim.cfg.aux_size;
	u64 ptr = spe_sim.reg[SPE_SIM_PMBPTR];
	u64 limit = limitr & SPE_PMBLIMITR_EL1_LIMIT;

	if (limit < base || limit > base + size) {
		violation("PMBLIMITR_EL1 0x%llx: limit outside the AUX buffer [0x%llx, 0x%llx]",
			  limitr, base, base + size);
		return;
	}
	if ((limit - base) & (spe_sim.cfg.page_size - 1))
		violation("PMBLIMITR_EL1 0x%llx: limit offset %llu not page aligned",
			  limitr, limit - base);
	if (ptr < base || ptr >= base + size) {
		violation("PMBPTR_EL1 0x%llx outside the AUX buffer", ptr);
		return;
	}
	if (ptr & (spe_sim.cfg.align - 1))
		violation("PMBPTR_EL1 offset %llu not aligned to %llu",
			  ptr - base, spe_sim.cfg.align);
	if (ptr >= limit) {
		violation("PMBPTR_EL1 offset %llu not below the limit %llu",
			  ptr - base, limit - base);
		return;
	}
	if (limit - ptr < spe_sim.cfg.max_record_sz)
		violation("window [%llu, %llu) smaller than a record (%llu)",
			  ptr - base, limit - base, spe_sim.cfg.max_record_sz);
	if (spe_sim.cfg.may_write &&
	    !spe_sim.cfg.may_write(spe_sim.cfg.ctx, ptr - base, limit - ptr))
		violation("window [%llu, %llu) overlaps unconsumed data",
			  ptr - base, limit - base);
}

static enum spe_sim_reg reg_of(u32 enc)
{
	for (int r = 0; r < SPE_SIM_NR_REGS; r++)
		if (sim_regs[r].enc == enc)
			return (enum spe_sim_reg)r;
	fprintf(stderr, "spe_sim: access to unknown system register 0x%x\n",
		enc);
	abort();
}

u64 shim_hw_read_sysreg(u32 enc)
{
	enum spe_sim_reg r = reg_of(enc);

	log_op(SPE_OP_READ, r, spe_sim.reg[r], NULL);
	return spe_sim.reg[r];
}

void shim_hw_write_sysreg(u64 val, u32 enc)
{
	enum spe_sim_reg r = reg_of(enc);

	log_op(SPE_OP_WRITE, r, val, NULL);
	switch (r) {
	case SPE_SIM_PMSIDR:
	case SPE_SIM_PMBIDR:
		violation("write of the read-only %s", sim_regs[r].name);
		return;
	case SPE_SIM_PMBLIMITR:
		if (!(val & SPE_PMBLIMITR_EL1_E) && spe_sim.pending) {
			/* disabled before a PSB CSYNC drained it */
			spe_sim.pending = false;
			spe_sim.dropped_disabled++;
		}
		if ((val & SPE_PMBLIMITR_EL1_E) &&
		    SPE_FIELD_GET(SPE_PMBLIMITR_EL1_FM, val) ==
		    SPE_PMBLIMITR_EL1_FM_FILL)
			check_enable(val);
		break;
	default:
		break;
	}
	spe_sim.reg[r] = val;
}

void shim_hw_isb(void)
{
	log_op(SPE_OP_ISB, 0, 0, NULL);
}

void shim_hw_dsb(const char *opt)
{
	log_op(SPE_OP_DSB, 0, 0, opt);
}

void shim_hw_psb_csync(void)
{
	log_op(SPE_OP_PSB_CSYNC, 0, 0, NULL);
	if (spe_sim.pending && buffer_running() && fill_mode()) {
		spe_sim.pending = false;
		write_record(spe_sim.pending_seq, spe_sim.pending_body);
	}
}

const char *spe_sim_reg_name(enum spe_sim_reg r)
{
	return r < SPE_SIM_NR_REGS ? sim_regs[r].name : "?";
}

void spe_sim_log_clear(void)
{
	spe_sim.nops = 0;
}

int spe_sim_find_op(int from, enum spe_sim_op_kind kind, enum spe_sim_reg reg)
{
	for (int i = from < 0 ? 0 : from; i < spe_sim.nops; i++) {
		const struct spe_sim_op *op = &spe_sim.ops[i];

		if (op->kind != kind)
			continue;
		if ((kind == SPE_OP_READ || kind == SPE_OP_WRITE) &&
		    op->reg != reg)
			continue;
		return i;
	}
	return -1;
}

void spe_sim_dump_ops(int from)
{
	static const char *const kinds[] = {
		"read", "write", "isb", "dsb", "psb csync"
	};

	for (int i = from < 0 ? 0 : from; i < spe_sim.nops; i++) {
		const struct spe_sim_op *op = &spe_sim.ops[i];

		printf("    op %3d: %s", i, kinds[op->kind]);
		if (op->kind == SPE_OP_READ || op->kind == SPE_OP_WRITE)
			printf(" %s 0x%llx", sim_regs[op->reg].name, op->val);
		if (op->kind == SPE_OP_DSB)
			printf(" %s", op->opt);
		printf("\n");
	}
}

int spe_sim_report_violations(void)
{
	for (int i = 0; i < spe_sim.nviol && i < SPE_SIM_MAX_VIOL; i++)
		printf("  spe_sim: %s\n", spe_sim.viol[i]);
	return spe_sim.nviol;
}
