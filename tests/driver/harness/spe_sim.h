/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A simulated SPE unit for one CPU: the register file the driver reads and
 * writes through the shim's read_sysreg_s()/write_sysreg_s(), the barriers
 * it executes, and a profiler writing sample records (spe_records.h) into
 * the AUX buffer at PMBPTR_EL1.
 *
 * Profiling runs while PMBLIMITR_EL1.E is set, PMBSR_EL1.S is clear and
 * PMSCR_EL1 enables EL0 or EL1 sampling.  The profiler holds the last record
 * it made until the next one is made or a PSB CSYNC drains it, so a driver
 * that disables the buffer before draining loses it (counted).  A record is
 * written only if it fits below PMBLIMITR_EL1.LIMIT; otherwise the unit
 * sets PMBSR_EL1.S with EC=0 BSC=FULL, drops the record and stops: the
 * interrupt line follows PMBSR_EL1.S.
 *
 * Every PMBLIMITR_EL1 write with E=1 in fill mode is checked against what
 * the hardware and perf require; a breach is recorded as a violation.
 */
#ifndef SPEKIT_DRVH_SPE_SIM_H
#define SPEKIT_DRVH_SPE_SIM_H

#include <linux/types.h>

enum spe_sim_reg {
	SPE_SIM_PMSCR,
	SPE_SIM_PMSNEVFR,
	SPE_SIM_PMSICR,
	SPE_SIM_PMSIRR,
	SPE_SIM_PMSFCR,
	SPE_SIM_PMSEVFR,
	SPE_SIM_PMSLATFR,
	SPE_SIM_PMSIDR,
	SPE_SIM_PMBLIMITR,
	SPE_SIM_PMBPTR,
	SPE_SIM_PMBSR,
	SPE_SIM_PMBIDR,
	SPE_SIM_NR_REGS
};

enum spe_sim_op_kind {
	SPE_OP_READ,
	SPE_OP_WRITE,
	SPE_OP_ISB,
	SPE_OP_DSB,		/* opt says which domain */
	SPE_OP_PSB_CSYNC,
};

struct spe_sim_op {
	enum spe_sim_op_kind kind;
	enum spe_sim_reg reg;	/* READ, WRITE */
	u64 val;		/* READ, WRITE */
	char opt[8];		/* DSB */
	u64 seq;		/* shim_seq_next(): orders against tracepoints */
};

/* A record as the unit wrote it */
struct spe_sim_rec {
	u64 seq;
	u64 off;		/* ring offset */
	u32 len;		/* bytes written, padding to Align included */
	u32 body;		/* record length (without that padding) */
	bool partial;		/* data loss cut it */
};

/* Says whether the unit may write [off, off + len) of the ring (perf's
 * unconsumed data must survive); NULL: anything goes (overwrite mode). */
typedef bool (*spe_sim_may_write_fn)(void *ctx, u64 off, u64 len);

struct spe_sim_cfg {
	u8 *aux_base;		/* the AUX buffer the driver maps */
	u64 aux_size;
	u64 page_size;
	u64 align;		/* PMBIDR_EL1.Align, in bytes */
	u64 max_record_sz;	/* PMSIDR_EL1.MaxSize, in bytes */
	u64 pmsidr, pmbidr;	/* ID register values */
	u64 seed;		/* record sizes */
	spe_sim_may_write_fn may_write;
	void *ctx;
};

#define SPE_SIM_MAX_VIOL	32

struct spe_sim {
	struct spe_sim_cfg cfg;
	u64 reg[SPE_SIM_NR_REGS];

	/* the record the profiler holds (seq, len) */
	bool pending;
	u64 pending_seq;
	u32 pending_body;
	u64 next_seq;
	u64 rng;

	/* armed injections */
	bool coll_armed;	/* COLL with the next management event */
	bool fault_armed;	/* a fault instead of the next record write */
	u32 fault_ec, fault_mss;

	/* what happened */
	struct spe_sim_rec *recs;	/* records written, in order */
	int nrecs, recs_cap;
	u64 samples;		/* records made */
	u64 dropped_full;	/* did not fit: buffer full */
	u64 dropped_disabled;	/* held when the buffer was disabled */
	u64 dropped_fault;	/* the write that faulted */
	u64 idle_samples;	/* sample requests while not profiling */
	int mgmt_events;	/* times PMBSR_EL1.S was set */

	struct spe_sim_op *ops;
	int nops, ops_cap;

	int nviol;
	char viol[SPE_SIM_MAX_VIOL][256];
};

extern struct spe_sim spe_sim;

/* Power-on state (registers 0 but the ID registers), logs emptied */
void spe_sim_reset(const struct spe_sim_cfg *cfg);
void spe_sim_free(void);

bool spe_sim_profiling(void);
bool spe_sim_irq_line(void);

/*
 * Take one sample: make a record (its length drawn between
 * SPE_REC_MIN_LEN and max_record_sz, padded to Align) after writing the one
 * held.  Returns false when not profiling (nothing made).
 */
bool spe_sim_sample(void);
/* Samples until @n records were made or profiling stops; returns how many */
int spe_sim_run(int n);
/* As spe_sim_sample() with the record length given */
bool spe_sim_sample_len(u32 body);

/* Inject: write @partial bytes of a new record at PMBPTR, then set S|DL
 * with EC=BUF and the given BSC (data lost mid-record). */
void spe_sim_inject_dl(u32 partial, u32 bsc);
/* Inject: COLL is set with the next management event. */
void spe_sim_inject_coll(void);
/* Inject: the next record write faults with this EC and MSS; PMBPTR stays
 * at the faulting address (the record's first byte). */
void spe_sim_inject_fault(u32 ec, u32 mss);

/* Register access as the driver sees it, without logging */
u64 spe_sim_peek(enum spe_sim_reg r);
/* The ring offset of PMBPTR_EL1 */
u64 spe_sim_ptr_off(void);

const char *spe_sim_reg_name(enum spe_sim_reg r);
void spe_sim_log_clear(void);
/* Index of the first op at or after @from matching kind (and reg for
 * READ/WRITE), or -1 */
int spe_sim_find_op(int from, enum spe_sim_op_kind kind, enum spe_sim_reg reg);
/* Print the op log from @from on (for failing tests) */
void spe_sim_dump_ops(int from);
/* Print and count the violations; 0 when the driver kept every rule */
int spe_sim_report_violations(void);

#endif
