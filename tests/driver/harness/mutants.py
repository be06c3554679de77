#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Mutation check of the driver harness: can its tests fail?

Each mutant is a deliberate bug put into a copy of driver/ (the work tree is
never touched); the harness binaries are built against the copy
(make DRVH_DRV=...) and run.  A mutant is "killed" when at least one test
fails.  Prints one line per mutant and exits non-zero if any survived.

Usage (from the repository root): tests/driver/harness/mutants.py [NAME...]
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
import mutants_lib  # noqa: E402  (tests/mutants_lib.py)

BUF = "arm_spe_pmu_buf.c"
CFG = "arm_spe_pmu_cfg.c"
RING = "spe_aux_ring.c"

# name, file, text to find (exactly once), replacement
MUTANTS = [
    ("park: no disable before PMBSR is cleared", BUF,
     "\t\t * if perf has not stopped the event (review point 11).\n"
     "\t\t */\n\t\tarm_spe_pmu_disable_and_drain_local();\n",
     "\t\t * if perf has not stopped the event (review point 11).\n"
     "\t\t */\n"),
    ("COLL flag dropped", BUF,
     "\t\tperf_aux_output_flag(handle, PERF_AUX_FLAG_COLLISION);\n", ""),
    ("restart after a fault", BUF,
     "\tperf_aux_output_flag(handle, PERF_AUX_FLAG_TRUNCATED);\n"
     "\tact = ARM_SPE_BUF_PARK;",
     "\tperf_aux_output_flag(handle, PERF_AUX_FLAG_TRUNCATED);\n"
     "\tact = ARM_SPE_BUF_RESTART;"),
    ("no DL round-down", BUF,
     "\t\toff = ALIGN_DOWN(off, spe_pmu->max_record_sz);\n", ""),
    ("DL without PARTIAL", BUF,
     "PERF_AUX_FLAG_TRUNCATED |\n\t\t\t\t\t     PERF_AUX_FLAG_PARTIAL);",
     "PERF_AUX_FLAG_TRUNCATED);"),
    ("DL not parked", BUF,
     "\t\t\t\t       handle->size);\n\t\tact = ARM_SPE_BUF_PARK;",
     "\t\t\t\t       handle->size);\n\t\tact = ARM_SPE_BUF_RESTART;"),
    ("drain: PMBLIMITR cleared before PMSCR", BUF,
     "\t/* Stop sampling at EL0 and EL1 ... */\n\tspe_write(0, PMSCR_EL1);",
     "\t/* Stop sampling at EL0 and EL1 ... */\n\tspe_write(0, PMBLIMITR_EL1);"),
    ("drain: buffer disabled before PSB CSYNC", BUF,
     "\tpsb_csync();\n\tdsb(nsh);\n\n",
     "\tspe_write(0, PMBLIMITR_EL1);\n\tpsb_csync();\n\tdsb(nsh);\n\n"),
    ("drain: no DSB", BUF,
     "\tpsb_csync();\n\tdsb(nsh);\n\n", "\tpsb_csync();\n\n"),
    ("start: no ISB before PMSCR", BUF,
     "\treg = arm_spe_event_to_pmscr(event);\n\tisb();\n",
     "\treg = arm_spe_event_to_pmscr(event);\n"),
    ("start: PMSCR before the filters", BUF,
     "\tspe_write(arm_spe_event_to_pmsfcr(event), PMSFCR_EL1);",
     "\tspe_write(arm_spe_event_to_pmscr(event), PMSCR_EL1);\n"
     "\tspe_write(arm_spe_event_to_pmsfcr(event), PMSFCR_EL1);"),
    ("start: interval reloaded without PERF_EF_RELOAD", BUF,
     "\tif (flags & PERF_EF_RELOAD) {", "\tif (1) {"),
    ("start: no fail-fast on no session", BUF,
     "\t\tif (hwc->state)\n\t\t\treturn;\n", ""),
    ("stop: pending S not serviced", BUF,
     "\t\t\tif (pmbsr & SPE_PMBSR_EL1_S) {", "\t\t\tif (0) {"),
    ("stop: period not saved", BUF,
     "\t\tarm_spe_pmu_save_period(event);\n\t}\n\n\thwc->state |= PERF_HES_STOPPED;",
     "\t}\n\n\thwc->state |= PERF_HES_STOPPED;"),
    ("irq: spurious not refused", BUF,
     "\tif (!(pmbsr & SPE_PMBSR_EL1_S))\n\t\treturn IRQ_NONE;\n", ""),
    ("irq: PMBSR not cleared", BUF,
     "\tspe_write(0, PMBSR_EL1);\n\tisb();\n\treturn IRQ_HANDLED;",
     "\tisb();\n\treturn IRQ_HANDLED;"),
    ("irq: perf's irq_work not run", BUF,
     "\tirq_work_run();\n", ""),
    ("snapshot: head not taken from PMBPTR", BUF,
     "\tif (buf->snapshot)\n\t\thandle->head = off;\n", ""),
    ("pad: not handed to perf", BUF,
     "\tperf_aux_output_skip(handle, len);\n", ""),
    ("pad: padding not written", BUF,
     "\tmemset(buf->base + off, SPE_HDR_PAD, len);\n", ""),
    ("begin: PMBPTR not programmed", BUF,
     "\tspe_write((u64)buf->base + spe_aux_off(&buf->ring, handle->head),\n"
     "\t\t  PMBPTR_EL1);\n", ""),
    ("irq: refused restart neither disabled nor period saved", BUF,
     "\t\tif (event->hw.state & PERF_HES_STOPPED) {\n"
     "\t\t\tarm_spe_pmu_disable_and_drain_local();",
     "\t\tif (0) {\n"
     "\t\t\tarm_spe_pmu_disable_and_drain_local();"),
    ("begin: no TRUNCATED when there is no room", BUF,
     "\t\tperf_aux_output_flag(handle, PERF_AUX_FLAG_TRUNCATED);\n"
     "\t\tarm_spe_aux_end(handle, 0);", "\t\tarm_spe_aux_end(handle, 0);"),
    ("fault: fsc always the FSC field", BUF,
     "\t\tfsc = FIELD_GET(SPE_PMBSR_EL1_MSS, pmbsr);",
     "\t\tfsc = FIELD_GET(SPE_PMBSR_EL1_FAULT_FSC, pmbsr);"),
    ("aux_end trace without OVERWRITE", BUF,
     "\tif (buf->snapshot)\n\t\tflags |= PERF_AUX_FLAG_OVERWRITE;\n", ""),
    ("ring: limit ignores the consumer", RING,
     "\tif (head < tail)\n\t\tlimit = rdown(tail, r->page_size);\n", ""),
    ("ring: no pad within max_record_sz", RING,
     "\tif (limit && limit - head < r->max_record_sz) {",
     "\tif (0) {"),
    ("ring: snapshot ignores the halves", RING,
     "\tu64 limit = head < half ? half : r->size;",
     "\tu64 limit = r->size;"),
    ("cfg: pa_enable unprivileged", CFG,
     "(reg & (SPE_PMSCR_EL1_PA | SPE_PMSCR_EL1_PCT)))",
     "(reg & SPE_PMSCR_EL1_PCT))"),
    ("cfg: CX for everyone", CFG,
     "IS_ENABLED(CONFIG_PID_IN_CONTEXTIDR) && perfmon_capable()",
     "IS_ENABLED(CONFIG_PID_IN_CONTEXTIDR)"),
    ("cfg: CX whatever the config", CFG,
     "IS_ENABLED(CONFIG_PID_IN_CONTEXTIDR) && perfmon_capable()",
     "perfmon_capable()"),
    ("cfg: freq accepted", CFG,
     "\tif (attr->freq)\n\t\treturn -EINVAL;\n", ""),
    ("cfg: exclude_idle accepted", CFG,
     "\tif (attr->exclude_idle)\n\t\treturn -EOPNOTSUPP;\n", ""),
    ("cfg: period below min accepted", CFG,
     "\tif (event->hw.sample_period < spe_pmu->min_period)\n"
     "\t\treturn -EOPNOTSUPP;\n", ""),
    ("cfg: check_period off by one", CFG,
     "return value < spe_pmu->min_period ? -EINVAL : 0;",
     "return value <= spe_pmu->min_period ? -EINVAL : 0;"),
    ("cfg: low period bits kept", CFG,
     "\telse\n\t\tperiod &= SPE_PMSIRR_EL1_INTERVAL;\n", ""),
    ("cfg: v1 gets the v1p1 filter bits", CFG,
     "\t\treturn SPE_PMSEVFR_V1_ALLOWED;", "\t\treturn SPE_PMSEVFR_V1P1_ALLOWED;"),
    ("cfg: RES0 inverted-filter bits accepted", CFG,
     "\tif (arm_spe_event_to_pmsnevfr(event) & ~allowed)\n\t\treturn -EOPNOTSUPP;\n",
     ""),
    ("cfg: load filter without FILT_TYP", CFG,
     "\tif ((reg & SPE_PMSFCR_EL1_FT) &&", "\tif (0 &&"),
    ("cfg: discard without the feature", CFG,
     "\tif (ARM_SPE_ATTR_GET(attr, discard) &&", "\tif (0 &&"),
    ("cfg: wrong CPU accepted", CFG,
     "\tif (event->cpu >= 0 &&\n", "\tif (0 &&\n"),
]

BINS = ["test_driver_ring", "test_driver_fault", "test_driver_snapshot",
        "test_driver_startstop", "test_driver_cfg", "test_driver_cfg_v61",
        "test_driver_cfg_nocx"]


def copy_driver(tmp):
    """A fresh copy of driver/ (fresh mtimes: make rebuilds every object)."""
    drv = os.path.join(tmp, "driver")
    shutil.rmtree(drv, ignore_errors=True)
    shutil.copytree("driver", drv, copy_function=shutil.copy)
    return drv


def main():
    return mutants_lib.run(MUTANTS, copy_driver,
                           lambda tmp: [f"DRVH_DRV={os.path.join(tmp, 'driver')}"],
                           BINS, "test_driver_", sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
