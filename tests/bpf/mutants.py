#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Mutation check of the spedrops BPF suites: can they fail?

Each mutant is a deliberate bug put into a copy of bpf/spedrops.bpf.c (the
work tree is never touched); the objects, skeletons and the suites are
built from the copy (make SPEDROPS_BPF_SRC=...) and run.  A mutant is
"killed" when at least one test fails.  Prints one line per mutant and
exits non-zero if any survived.  Needs root (the map suite does).

The stock-kernel programs' run-time behaviour (fentry/kprobe bodies)
cannot be exercised on the host, so only mutants the verifier or the
object checks can see are listed for them.

Usage (from the repository root): tests/bpf/mutants.py [NAME...]
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import mutants_lib  # noqa: E402  (tests/mutants_lib.py)

RTP_AUX_BEGIN = ("int BPF_PROG(spe_rtp_aux_begin, u64 aux_head, u64 size, "
                 "u64 wakeup, u64 limit,\n\t     u64 buf_size, bool snapshot)\n{\n")

# name, text to find (exactly once), replacement
MUTANTS = [
    ("aux_begin: limit read from arg 1 (size)",
     RTP_AUX_BEGIN + "\treturn on_aux_begin(limit);",
     RTP_AUX_BEGIN + "\treturn on_aux_begin(size);"),
    ("aux_end: size and flags swapped",
     "int BPF_PROG(spe_rtp_aux_end, u64 size, u32 flags)\n{\n\treturn on_aux_end(size, flags);",
     "int BPF_PROG(spe_rtp_aux_end, u64 size, u32 flags)\n{\n\treturn on_aux_end(flags, size);"),
    ("pad: offset counted instead of len",
     "int BPF_PROG(spe_rtp_pad, u64 offset, u64 len)\n{\n\treturn on_pad(len);",
     "int BPF_PROG(spe_rtp_pad, u64 offset, u64 len)\n{\n\treturn on_pad(offset);"),
    ("truncate: reason not bounds-checked (verifier rejects)",
     "\tif (idx >= ARM_SPE_TRUNC_NR_REASONS)\n\t\tidx = SPE_TRUNC_FLAGGED;\n", ""),
    ("truncate: no barrier_var (verifier rejects)",
     "\tbarrier_var(idx);\n", ""),
    ("truncate: unknown reason dropped",
     "\t\tidx = SPE_TRUNC_FLAGGED;\n", "\t\treturn 0;\n"),
    ("truncate: counted only when the ring has room",
     "\ts->truncations[idx]++;\n\tblind_begin(s, now);\n",
     "\tblind_begin(s, now);\n"
     "\tif (bpf_ringbuf_query(&spe_events, BPF_RB_AVAIL_DATA) > SPE_EVENTS_BYTES - 4096)\n"
     "\t\treturn;\n\ts->truncations[idx]++;\n"),
    ("session does not end blindness",
     "\ts->sessions++;\n\tblind_end(s);\n",
     "\ts->sessions++;\n\tif (0)\n\t\tblind_end(s);\n"),
    ("blindness restarts at every cause",
     "\tif (!s->blind_since_ns)\n\t\ts->blind_since_ns = now;",
     "\ts->blind_since_ns = now;"),
    ("blind_end leaves the clock running",
     "\ts->blind_since_ns = 0;\n", ""),
    ("fault does not start blindness",
     "\tfault_count(ec, fsc);\n\tblind_begin(s, now);\n", "\tfault_count(ec, fsc);\n"),
    ("no_room counted as a session",
     "\t\ts->no_room++;", "\t\ts->sessions++;"),
    ("irq: S tested with the COLL bit",
     "if (!(pmbsr & SPE_PMBSR_EL1_S))", "if (!(pmbsr & SPE_PMBSR_EL1_COLL))"),
    ("irq: a gap for the first IRQ",
     "\tif (s->last_irq_ns)\n\t\thist_add(SPE_HIST_IRQ_GAP_NS",
     "\thist_add(SPE_HIST_IRQ_GAP_NS"),
    ("aux_end: PARTIAL tested with the TRUNCATED bit",
     "\tif (flags & SPE_AUX_FLAG_PARTIAL)", "\tif (flags & SPE_AUX_FLAG_TRUNCATED)"),
    ("histogram slot off by one",
     "\th->slots[slot]++;", "\th->slots[(slot + 1) & (SPE_LOG2_SLOTS - 1)]++;"),
    ("fault key: ec and fsc swapped",
     "{ .ec = ec, .fsc = fsc }", "{ .ec = fsc, .fsc = ec }"),
    ("fault record: pmbptr and pmblimitr swapped",
     "\te->pmbptr = pmbptr;\n\te->pmblimitr = pmblimitr;",
     "\te->pmbptr = pmblimitr;\n\te->pmblimitr = pmbptr;"),
    ("record: cpu not filled in",
     "\te->cpu = bpf_get_smp_processor_id();\n", ""),
    ("record: not zeroed",
     "\t__builtin_memset(e, 0, sizeof(*e));\n", ""),
    ("spe_stats: a shared ARRAY, not per CPU",
     "\t__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);\n\t__uint(max_entries, 1);",
     "\t__uint(type, BPF_MAP_TYPE_ARRAY);\n\t__uint(max_entries, 1);"),
    ("raw_tp section: wrong tracepoint name",
     'SEC("raw_tp/arm_spe_pad")', 'SEC("raw_tp/arm_spe_padding")'),
    ("tp_btf twin renamed",
     "int BPF_PROG(spe_btf_fault,", "int BPF_PROG(spe_btf_fault2,"),
    ("stock: aux_flags read without CO-RE (kprobe verifier rejects)",
     "\tflags = BPF_CORE_READ(handle, aux_flags);", "\tflags = handle->aux_flags;"),
]

BINS = ["test_spedrops_objs", "test_spedrops_maps"]


SRC = "spedrops.bpf.c"


def copy_bpf(tmp):
    """A fresh copy of bpf/spedrops.bpf.c under tmp."""
    shutil.copy("bpf/spedrops.bpf.c", os.path.join(tmp, SRC))
    return tmp


def main():
    mutants = [(name, SRC, old, new) for name, old, new in MUTANTS]
    return mutants_lib.run(mutants, copy_bpf,
                           lambda tmp: [f"SPEDROPS_BPF_SRC={os.path.join(tmp, SRC)}"],
                           BINS, "test_spedrops_", sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
