#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""spetop's batch numbers against two independent references.

usage: vs_refs.py spedump  SPETOP_OP_JSON SPETOP_DSRC_JSON SPEDUMP_STATS_JSON
       vs_refs.py perf     SPETOP_OP_JSON PERF_SCRIPT_OUTPUT

SPETOP_*_JSON: the "summary" line of `spetop --replay F --json --fast
--rows 0 -g op` (and `-g dsrc`), cumulative over the whole file.

spedump: per op class and per data source, the record count and the total,
issue and translation latency p50/p90/p99 equal `spedump --stats --json`'s;
the total equals its record count.

perf: from `perf script --itrace=fmtbai1i -F cpu,event,ip,addr,phys_addr,
weight,data_src` (parsed by tests/perf/diff_records.py): the record count;
total latency (perf's weight) p50/p90/p99 over all records, over loads and
over stores (perf's data_src OP), recomputed here by nearest rank; and the
event counts behind the miss rates (l1d-miss, llc-miss, tlb-miss,
remote-access, and their accesses).
Prints one line per check, "ok ..." or "FAIL ...", exit 1 on any failure.
"""
import json
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "perf"))
from diff_records import perf_records  # noqa: E402

fails = 0


def check(name, got, want):
    global fails
    if got == want:
        print("ok   %s: %s" % (name, got))
    else:
        fails += 1
        print("FAIL %s: spetop %s, reference %s" % (name, got, want))


def summary(path):
    with open(path) as f:
        lines = [json.loads(l) for l in f if l.strip()]
    s = [l for l in lines if l["type"] == "summary"]
    assert len(s) == 1 and s[0]["view"] == "cumulative", path
    return s[0]


def nearest_rank(values, p):
    v = sorted(values)
    if not v:
        return None
    return v[max(1, math.ceil(p / 100.0 * len(v))) - 1]


def vs_spedump(op_path, dsrc_path, stats_path):
    op, dsrc = summary(op_path), summary(dsrc_path)
    with open(stats_path) as f:
        st = json.load(f)
    check("total records", op["total"]["samples"], st["records"])
    check("dsrc total records", dsrc["total"]["samples"], st["records"])
    rows = {r["label"]: r for r in op["rows"]}
    check("op classes", sorted(rows), sorted(e["key"] for e in st["by_op"]))
    for e in st["by_op"]:
        r = rows.get(e["key"], {})
        check("op %s records" % e["key"], r.get("samples"), e["records"])
        lt = e["lat_total"]
        check("op %s total latency p50/p90/p99" % e["key"],
              [r.get("p50"), r.get("p90"), r.get("p99")], [lt["p50"], lt["p90"], lt["p99"]])
        if e["lat_issue"]:
            check("op %s issue latency p50" % e["key"], r.get("issue_p50"), e["lat_issue"]["p50"])
        if e["lat_xlat"]:
            check("op %s translation latency p50" % e["key"], r.get("xlat_p50"), e["lat_xlat"]["p50"])
    # spedump names a source "L1D (0)"; spetop "L1D" (or "source 0x1f")
    drows = {r["label"]: r for r in dsrc["rows"] if r["label"] != "[no data source]"}
    for e in st["by_data_source"]:
        name = e["key"].rsplit(" (", 1)[0]
        r = drows.get(name) or drows.get("source 0x%x" % int(e["key"].rsplit("(", 1)[1].rstrip(")"), 0)
                                         if "(" in e["key"] else "", {})
        lt = e["lat_total"]
        check("dsrc %s records, p50/p90/p99" % e["key"],
              [r.get("samples"), r.get("p50"), r.get("p90"), r.get("p99")],
              [e["records"], lt["p50"], lt["p90"], lt["p99"]])
    check("data sources", len(drows), len(st["by_data_source"]))


def vs_perf(op_path, script_path):
    op = summary(op_path)
    recs = perf_records(script_path)
    tot = op["total"]
    check("records (perf instructions samples)", tot["samples"], len(recs))
    w = [r["weight"] for r in recs]
    check("total latency p50/p90/p99 over all records",
          [tot["p50"], tot["p90"], tot["p99"]], [nearest_rank(w, p) for p in (50, 90, 99)])
    rows = {r["label"]: r for r in op["rows"]}
    for cls, perf_op in (("load", "LOAD"), ("store", "STORE")):
        ws = [r["weight"] for r in recs if r["op"].startswith(perf_op)]
        r = rows.get(cls, {})
        check("%s records (perf data_src OP %s)" % (cls, perf_op), r.get("samples"), len(ws))
        check("%s total latency p50/p90/p99" % cls, [r.get("p50"), r.get("p90"), r.get("p99")],
              [nearest_rank(ws, p) for p in (50, 90, 99)])
    c = tot["counts"]
    for key, ev in (("l1d_refill", "l1d-miss"), ("l1d_access", "l1d-access"),
                    ("llc_miss", "llc-miss"), ("llc_access", "llc-access"),
                    ("tlb_walk", "tlb-miss"), ("tlb_access", "tlb-access"),
                    ("remote", "remote-access")):
        check("%s (perf %s samples)" % (key, ev), c[key], sum(1 for r in recs if ev in r["events"]))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "spedump":
        vs_spedump(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "perf":
        vs_perf(*sys.argv[2:])
    else:
        print(__doc__)
        sys.exit(2)
    sys.exit(1 if fails else 0)
