/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Probing: the file-system facts mode selection needs (tracefs, the
 * arm_spe tracepoints, BTF, kprobes), read under a sysfs root that tests
 * can point at a fake tree.
 */
#ifndef SPEDROPS_PROBE_H
#define SPEDROPS_PROBE_H

#include "select.h"

/* Set the probed members of @f (the others are left alone) */
void sd_probe(const char *sysfs_root, struct sd_facts *f);

#endif
