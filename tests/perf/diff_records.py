#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Compare spekit's records with the records Linux perf 6.1 assembles.

usage: diff_records.py [--allow RULE]... PERF_SCRIPT_OUTPUT SPEDUMP_JSON

Named differences, allowed only where the caller names them:
  empty-samples-for-bad-packets  perf 6.1 emits an all-zero sample for every
      packet it cannot decode (and for a record cut down to nothing);
      spekit emits none.  All-zero records are dropped on both sides
      before comparing, and counted.
  sve-other-as-load  perf 6.1 reports SVE "other" operations as loads: its
      ARM_SPE_OP_SVE_OTHER and ARM_SPE_OP_LD flags are both bit 16, and its
      data source synthesis tests ARM_SPE_OP_LD.  Always on: a perf bug.
  multiple-op-packets  a record holding several Operation Type packets
      (hand-made streams only; hardware writes one): perf ORs their
      flags, spekit keeps the last packet's class.  Op is not compared.

PERF_SCRIPT_OUTPUT comes from
  perf script -i F --itrace=fmtbai1i -F cpu,event,ip,addr,phys_addr,weight,data_src
which synthesizes, per SPE record and in decode order, one sample per event
class the record has (f: l1d-miss/access, m: llc-miss/access, t: tlb-miss/
access, b: branch-miss, a: remote-access) and last an "instructions"
sample (i1i: every record).  perf orders records of different CPUs by
timestamp, spedump by file position, so records are compared per CPU, in
order.  SPEDUMP_JSON is `spedump --json --perf-compat`
on the same perf.data.  Compared per record: count, PC, data VA, PA, total
latency, event classes, load/store (perf's data_src OP, present when the
recording CPU's MIDR is one perf maps), and the branch target of
mispredicted branches.
"""
import json
import sys

EVENT_CLASS = {  # spekit event name -> perf synthesized event
    "L1D-ACCESS": "l1d-access", "L1D-REFILL": "l1d-miss",
    "LLC-ACCESS": "llc-access", "LLC-REFILL": "llc-miss",
    "TLB-ACCESS": "tlb-access", "TLB-REFILL": "tlb-miss",
    "MISPRED": "branch-miss", "REMOTE-ACCESS": "remote-access",
}


def perf_records(path):
    """[(events set, fields of the instructions sample, branch-miss addr)]"""
    recs, events, br_addr = [], set(), None
    with open(path, errors="replace") as f:
        for line in f:
            if ":" not in line or "|OP" not in line or not line.startswith("["):
                continue
            cpu = int(line[1:line.index("]")])
            head, rest = line[line.index("]") + 1:].split(":", 1)
            ev = head.strip()
            toks = rest.split()
            addr = int(toks[0], 16)
            op = rest.split("|OP ", 1)[1].split("|", 1)[0].strip()
            weight, ip, phys = toks[-3], int(toks[-2], 16), int(toks[-1], 16)
            if ev == "branch-miss":
                br_addr = addr
            if ev != "instructions":
                events.add(ev)
                continue
            recs.append({"cpu": cpu, "events": events, "ip": ip, "addr": addr,
                         "phys": phys, "weight": int(weight), "op": op,
                         "br_addr": br_addr})
            events, br_addr = set(), None
    return recs


def hexval(v):
    return int(v, 16) if v else 0


def perf_empty(p):
    return not (p["events"] or p["ip"] or p["addr"] or p["phys"] or p["weight"])


def spe_empty(s):
    return not (s["pc"] or s["va"] or s["pa"] or s["lat_total"] or
                any(e in EVENT_CLASS for e in s["events"]))


def main():
    args, allow = sys.argv[1:], set()
    while len(args) > 2 and args[0] == "--allow":
        allow.add(args[1])
        args = args[2:]
    if len(args) != 2:
        print(__doc__)
        return 2
    perf = perf_records(args[0])
    with open(args[1]) as f:
        spe = [json.loads(line) for line in f if line.strip()]
    notes = []
    if "empty-samples-for-bad-packets" in allow:
        np_, ns = len(perf), len(spe)
        perf = [p for p in perf if not perf_empty(p)]
        spe = [s for s in spe if not spe_empty(s)]
        notes.append("empty-samples-for-bad-packets: dropped perf %d, spedump %d"
                     % (np_ - len(perf), ns - len(spe)))
    problems = []
    if len(perf) != len(spe):
        problems.append("record count: perf %d, spedump %d" % (len(perf), len(spe)))
    cpus = sorted({p["cpu"] for p in perf} | {s["cpu"] or 0 for s in spe})
    pairs = []
    for c in cpus:
        pc = [p for p in perf if p["cpu"] == c]
        sc = [s for s in spe if (s["cpu"] or 0) == c]
        if len(pc) != len(sc):
            problems.append("cpu %d record count: perf %d, spedump %d" % (c, len(pc), len(sc)))
        pairs += list(zip(pc, sc))
    checked = 0
    sve_as_load = 0
    for n, (p, s) in enumerate(pairs):
        want = {
            "ip": hexval(s["pc"]), "addr": hexval(s["va"]),
            "phys": hexval(s["pa"]), "weight": s["lat_total"] or 0,
            "events": {EVENT_CLASS[e] for e in s["events"] if e in EVENT_CLASS},
        }
        for k, v in want.items():
            if p[k] != v:
                problems.append("record %d (offset %d): %s perf %s, spedump %s"
                                % (n, s["offset"], k, p[k], v))
        if "multiple-op-packets" in allow:
            pass
        elif p["op"] == "LOAD" and s["op"] == "sve-other":
            sve_as_load += 1
        elif p["op"] in ("LOAD", "STORE") and p["op"].lower() != s["op"]:
            problems.append("record %d: op perf %s, spedump %s" % (n, p["op"], s["op"]))
        if "multiple-op-packets" not in allow and p["op"] == "No" and s["op"] in ("load", "store"):
            problems.append("record %d: perf sees no load/store, spedump %s" % (n, s["op"]))
        if p["br_addr"] is not None and p["br_addr"] != hexval(s["tgt"]):
            problems.append("record %d: branch target perf %x, spedump %s"
                            % (n, p["br_addr"], s["tgt"]))
        checked += 1
        if len(problems) > 20:
            break
    ops = sum(1 for p in perf if p["op"] in ("LOAD", "STORE"))
    if sve_as_load:
        notes.append("sve-other-as-load %d" % sve_as_load)
    print("%s: %d records compared (%d with perf's load/store op), %d problems%s"
          % ("same" if not problems else "DIFFERENT", checked, ops, len(problems),
             "".join("; " + n for n in notes)))
    for pr in problems[:20]:
        print("  " + pr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
