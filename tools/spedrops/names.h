/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Names for what the BPF programs record: truncation reasons (as
 * driver/arm_spe_trace.h prints them), PMBSR_EL1.EC classes and the fault
 * status codes of the SPE buffer's data aborts.
 */
#ifndef SPEDROPS_NAMES_H
#define SPEDROPS_NAMES_H

#include <linux/types.h>
#include <stddef.h>

/* truncations[] index -> name: 1..5 the driver's reasons (no_space, ...),
 * SPE_TRUNC_FLAGGED "flagged" (stock kernel: TRUNCATED, no reason); NULL
 * outside 0..ARM_SPE_TRUNC_NR_REASONS-1 */
const char *sd_reason_name(unsigned int idx);

/* PMBSR_EL1.EC -> "buffer", "gpc", "impdef", "stage1", "stage2"; NULL for
 * an EC the architecture does not give the profiling buffer */
const char *sd_ec_name(__u32 ec);

/* Data-abort fault status code (DFSC encoding; stage 1 and 2 faults) ->
 * "level 3 translation fault" etc.; NULL when reserved/unknown */
const char *sd_fsc_name(__u32 fsc);

/*
 * One readable phrase for a fault event or spe_faults key into @buf:
 *   stage1/stage2: "stage1 fault (EC 0x24), FSC 0x07: level 3 translation fault"
 *   buffer: the buffer status code (MSS BSC) "buffer (EC 0x00), BSC 0x01: buffer filled"
 *   other: raw MSS
 * Returns @buf.
 */
char *sd_fault_desc(__u32 ec, __u32 fsc, char *buf, size_t len);

/*
 * libbpf prints errnos that only exist inside the kernel (512..531, e.g.
 * fentry's -524 on arm64 before 6.4) as "ERROR: strerror_r(-524)=22".
 * Rewrites that part of @msg in place as "ENOTSUPP (-524: not supported
 * by this kernel)"; other text is left alone.  Returns @msg.
 */
char *sd_tidy_libbpf_msg(char *msg, size_t len);

#endif
