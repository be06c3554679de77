// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names for truncation reasons, PMBSR_EL1.EC values and fault status codes.
 *
 * FSC: for EC stage 1/stage 2 data aborts, PMBSR_EL1.MSS[5:0] uses the DFSC
 * encoding of ESR_ELx data aborts (Arm ARM, ISS encoding for an exception
 * from a Data Abort); the names follow arch/arm64/mm/fault.c's fault_info[].
 * Level -1 and level 0 access-flag/permission encodings exist with
 * FEAT_LPA2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <spekit/spedrops.h>

#include "names.h"

static const char *const reason_names[ARM_SPE_TRUNC_NR_REASONS] = {
	[SPE_TRUNC_FLAGGED]		= "flagged",
	[ARM_SPE_TRUNC_NO_SPACE]	= "no_space",
	[ARM_SPE_TRUNC_DATA_LOST]	= "data_lost",
	[ARM_SPE_TRUNC_LIMIT_LE_HEAD]	= "limit_le_head",
	[ARM_SPE_TRUNC_RESTART_FAILED]	= "restart_failed",
	[ARM_SPE_TRUNC_FAULT]		= "fault",
};

const char *sd_reason_name(unsigned int idx)
{
	return idx < ARM_SPE_TRUNC_NR_REASONS ? reason_names[idx] : NULL;
}

const char *sd_ec_name(__u32 ec)
{
	switch (ec) {
	case ARM_SPE_TP_EC_BUF:		return "buffer";
	case ARM_SPE_TP_EC_GPC:		return "gpc";
	case ARM_SPE_TP_EC_IMPDEF:	return "impdef";
	case ARM_SPE_TP_EC_FAULT_S1:	return "stage1";
	case ARM_SPE_TP_EC_FAULT_S2:	return "stage2";
	}
	return NULL;
}

static const char *const fsc_names[0x40] = {
	[0x00] = "level 0 address size fault",
	[0x01] = "level 1 address size fault",
	[0x02] = "level 2 address size fault",
	[0x03] = "level 3 address size fault",
	[0x04] = "level 0 translation fault",
	[0x05] = "level 1 translation fault",
	[0x06] = "level 2 translation fault",
	[0x07] = "level 3 translation fault",
	[0x08] = "level 0 access flag fault",
	[0x09] = "level 1 access flag fault",
	[0x0a] = "level 2 access flag fault",
	[0x0b] = "level 3 access flag fault",
	[0x0c] = "level 0 permission fault",
	[0x0d] = "level 1 permission fault",
	[0x0e] = "level 2 permission fault",
	[0x0f] = "level 3 permission fault",
	[0x10] = "synchronous external abort",
	[0x11] = "synchronous tag check fault",
	[0x13] = "synchronous external abort on translation table walk, level -1",
	[0x14] = "synchronous external abort on translation table walk, level 0",
	[0x15] = "synchronous external abort on translation table walk, level 1",
	[0x16] = "synchronous external abort on translation table walk, level 2",
	[0x17] = "synchronous external abort on translation table walk, level 3",
	[0x18] = "synchronous parity or ECC error",
	[0x1b] = "parity or ECC error on translation table walk, level -1",
	[0x1c] = "parity or ECC error on translation table walk, level 0",
	[0x1d] = "parity or ECC error on translation table walk, level 1",
	[0x1e] = "parity or ECC error on translation table walk, level 2",
	[0x1f] = "parity or ECC error on translation table walk, level 3",
	[0x21] = "alignment fault",
	[0x23] = "granule protection fault on translation table walk, level -1",
	[0x24] = "granule protection fault on translation table walk, level 0",
	[0x25] = "granule protection fault on translation table walk, level 1",
	[0x26] = "granule protection fault on translation table walk, level 2",
	[0x27] = "granule protection fault on translation table walk, level 3",
	[0x28] = "granule protection fault",
	[0x29] = "level -1 address size fault",
	[0x2b] = "level -1 translation fault",
	[0x30] = "TLB conflict abort",
	[0x31] = "unsupported atomic hardware update fault",
	[0x34] = "implementation defined fault (lockdown)",
	[0x35] = "implementation defined fault (unsupported exclusive or atomic access)",
};

const char *sd_fsc_name(__u32 fsc)
{
	return fsc < 0x40 ? fsc_names[fsc] : NULL;
}

char *sd_fault_desc(__u32 ec, __u32 fsc, char *buf, size_t len)
{
	const char *ecn = sd_ec_name(ec), *what;

	if (ec == ARM_SPE_TP_EC_FAULT_S1 || ec == ARM_SPE_TP_EC_FAULT_S2) {
		what = sd_fsc_name(fsc);
		snprintf(buf, len, "%s fault (EC 0x%02x), FSC 0x%02x: %s", ecn, ec,
			 fsc, what ? what : "reserved fault status code");
	} else if (ec == ARM_SPE_TP_EC_BUF) {
		/* MSS[5:0] is the buffer status code */
		__u32 bsc = fsc & 0x3f;

		what = bsc == 0 ? "buffer not filled" :
		       bsc == 1 ? "buffer filled" : "reserved buffer status code";
		snprintf(buf, len, "buffer (EC 0x00), BSC 0x%02x: %s", bsc, what);
	} else if (ecn) {
		snprintf(buf, len, "%s (EC 0x%02x), MSS 0x%04x", ecn, ec, fsc);
	} else {
		snprintf(buf, len, "unknown EC 0x%02x, MSS 0x%04x", ec, fsc);
	}
	return buf;
}

/* include/linux/errno.h: errnos the kernel keeps to itself */
static const char *const kernel_errnos[] = {
	"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD",
	"ERESTART_RESTARTBLOCK", "EPROBE_DEFER", "EOPENSTALE", "ENOPARAM",
	NULL, "EBADHANDLE", "ENOTSYNC", "EBADCOOKIE", "ENOTSUPP", "ETOOSMALL",
	"ESERVERFAULT", "EBADTYPE", "EJUKEBOX", "EIOCBQUEUED", "ERECALLCONFLICT",
	"ENOGRACE",
};

char *sd_tidy_libbpf_msg(char *msg, size_t len)
{
	static const char pat[] = "ERROR: strerror_r(-";
	char *p = strstr(msg, pat), *end, tail[256], name[96];
	unsigned long e;

	if (!p || !len)
		return msg;
	e = strtoul(p + sizeof(pat) - 1, &end, 10);
	if (*end != ')' || e < 512 || e >= 512 + sizeof(kernel_errnos) / sizeof(kernel_errnos[0]) ||
	    !kernel_errnos[e - 512])
		return msg;
	/* skip ")=22": the rest of the message follows */
	end++;
	if (*end == '=')
		while (*++end >= '0' && *end <= '9')
			;
	snprintf(tail, sizeof(tail), "%s", end);
	if (e == 524)
		snprintf(name, sizeof(name), "ENOTSUPP (-524: not supported by this kernel)");
	else
		snprintf(name, sizeof(name), "%s (-%lu)", kernel_errnos[e - 512], e);
	snprintf(p, len - (size_t)(p - msg), "%s%s", name, tail);
	return msg;
}
