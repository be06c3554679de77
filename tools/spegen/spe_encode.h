/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spegen packet encoder: Arm SPE packets from fields.
 *
 * Written from the Arm ARM packet format (include/spekit/spe_format.h and
 * the project's format notes), deliberately independent of the decoder in
 * tools/lib/spe so each can check the other.  No libc, no allocation.
 *
 * Every spe_enc_*() writes one packet at @buf (which must have room for
 * SPE_PKT_MAX_LEN bytes) and returns the number of bytes written.
 */
#ifndef SPEGEN_SPE_ENCODE_H
#define SPEGEN_SPE_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spekit/spe_format.h"

/* ---- framing-only packets ---------------------------------------------- */

size_t spe_enc_pad(uint8_t *buf);
size_t spe_enc_end(uint8_t *buf);
size_t spe_enc_timestamp(uint8_t *buf, uint64_t ts);

/* ---- Address ----------------------------------------------------------- */

/*
 * Address packet with a raw 8-byte payload.  @index 0-31; indices >= 8
 * always use the 2-byte extended header, lower ones only when @ext.
 */
size_t spe_enc_address(uint8_t *buf, unsigned int index, uint64_t payload,
		       bool ext);

/* Payload for PC, branch target, previous branch target: EL, NS, NSE. */
uint64_t spe_addr_payload_pc(uint64_t addr, unsigned int el, bool ns, bool nse);
/* Payload for a data VA: bits [55:0] plus the top-byte tag in byte 7. */
uint64_t spe_addr_payload_va(uint64_t addr, uint8_t tag);
/* Payload for a data PA: NS, CH (MTE checked), NSE, PAT (4 bits). */
uint64_t spe_addr_payload_pa(uint64_t addr, bool ns, bool ch, bool nse,
			     unsigned int pat);

/* ---- Counter ----------------------------------------------------------- */

/* Saturate @count to a 12- or 16-bit counter (@count_bits 12 or 16). */
uint16_t spe_counter_saturate(uint64_t count, unsigned int count_bits);
/*
 * Counter packet: @index 0-31 (extended header as for addresses), value
 * saturated to @count_bits (12 or 16), 2-byte payload.
 */
size_t spe_enc_counter(uint8_t *buf, unsigned int index, uint64_t count,
		       unsigned int count_bits, bool ext);

/* ---- Events, Data Source, Context, Operation Type ---------------------- */

/* Smallest Events payload size (1, 2, 4 or 8) that holds @events. */
unsigned int spe_events_min_size(uint64_t events);
/*
 * Events packet.  @size 0 picks the smallest size holding the bits;
 * 1/2/4/8 forces that size (bits above it are not written).
 */
size_t spe_enc_events(uint8_t *buf, uint64_t events, unsigned int size);
/* Data Source packet, @size 1 or 2 (0: 1 if the value fits, else 2). */
size_t spe_enc_dsrc(uint8_t *buf, uint16_t value, unsigned int size);
/* Context packet, @index SPE_CTX_EL1 or SPE_CTX_EL2. */
size_t spe_enc_context(uint8_t *buf, unsigned int index, uint32_t ctx);
/* Operation Type packet, @cls SPE_OP_CLASS_*, 1-byte payload. */
size_t spe_enc_op(uint8_t *buf, unsigned int cls, uint8_t payload);

/* ---- Operation Type payloads ------------------------------------------- */

/* EVL field value for a vector length in bits (32 << EVL), -1 if invalid. */
int spe_op_evl(unsigned int vl_bits);

/* class 0 */
uint8_t spe_op_other(bool cond, bool fp, bool ase);
uint8_t spe_op_sve_other(unsigned int vl_bits, bool pred, bool fp);
uint8_t spe_op_sme_other(unsigned int vl_bits, bool fp);

/* class 1 */
uint8_t spe_op_ldst_gp(bool st);
uint8_t spe_op_ldst_simd_fp(bool st);
uint8_t spe_op_ldst_unspec(bool st);
uint8_t spe_op_ldst_mte_tag(bool st);
uint8_t spe_op_ldst_nv_sysreg(bool st);
uint8_t spe_op_ldst_ext(bool st, bool ar, bool excl, bool at);
uint8_t spe_op_ldst_sve(bool st, unsigned int vl_bits, bool pred, bool sg);
uint8_t spe_op_ldst_memcpy(bool st);
uint8_t spe_op_ldst_memset(void);
uint8_t spe_op_ldst_gcs(bool st, bool comm);

/* class 2: @cr is SPE_OP_BR_CR_* */
uint8_t spe_op_branch(bool cond, bool ind, bool gcs, unsigned int cr);

#endif /* SPEGEN_SPE_ENCODE_H */
