/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Pinning spedrops' maps in the BPF file system, so they outlive the
 * process: `bpftool map dump pinned /sys/fs/bpf/spekit/spe_stats`.
 */
#ifndef SPEDROPS_PIN_H
#define SPEDROPS_PIN_H

#include <stddef.h>

#define SD_NMAPS	4
/* The pinned maps, by name (spedrops.h) */
extern const char *const sd_map_names[SD_NMAPS];

/* $SPEKIT_PIN_DIR if set and not empty, else SPE_PIN_DIR */
const char *sd_pin_dir(void);

/*
 * Make @dir usable for pins: its parent must be a BPF file system, and is
 * mounted when it is /sys/fs/bpf and nothing is mounted there yet; @dir is
 * created (0700) if missing.  0, or -errno with one line in @err.
 */
int sd_pin_prepare(const char *dir, char *err, size_t len);

/*
 * Remove the pinned maps and @dir (when empty then).  0 with what was
 * done in @msg, or -errno with the problem in @msg.
 */
int sd_unpin(const char *dir, char *msg, size_t len);

#endif
