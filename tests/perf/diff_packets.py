#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Compare spekit's packet dump with `perf report -D`, line by line.

usage: diff_packets.py [--strict] PERF_OUTPUT SPEDUMP_OUTPUT

--strict: no named rule may apply (for streams of encodings perf 6.1 knows).

Both are the ". ... ARM SPE data" sections as the two tools print them (the
same column layout).  A line passes when offset, bytes and text are equal.
Where they differ, the difference must fall under one of the named rules
below, each a place where spekit decodes more than perf 6.1; the rule
checks spekit's words against an independent reading of the Arm ARM
(armarm_ref.py).  Anything else fails.  Prints one summary line and, for
failures, the lines; exits 1 on failure.
"""
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import armarm_ref as ref  # noqa: E402

BYTES_COL = 13          # ".  %08x: " is 13 characters
DESC_COL = BYTES_COL + 48 + 1


def parse(path):
    """Sections (one per AUX buffer) of (offset, bytes, text) tuples."""
    sections = []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith(". ... ARM SPE data: size"):
                sections.append([])
                continue
            if not sections or not line.startswith(".  ") or len(line) < BYTES_COL:
                continue
            try:
                off = int(line[3:11], 16)
            except ValueError:
                continue
            bs = [int(x, 16) for x in line[BYTES_COL:BYTES_COL + 48].split()]
            sections[-1].append((off, bs, line[DESC_COL:]))
    return sections


def perf61_knows_op(cls, p):
    """Payloads whose meaning perf 6.1 prints in full."""
    if cls == 0:
        return p & 0x89 == 0x08 or p in (0, 1)
    if cls == 1:
        return (p & 0xfe in (0x00, 0x04, 0x10, 0x30) or p & 0xe2 == 0x02
                or p & 0x0a == 0x08)
    if cls == 2:
        return p in (0, 1, 2, 3)
    return True


def named_rule(perf_line, spe_line):
    """The rule that explains a same-packet difference, or None."""
    _, bs, ptext = perf_line
    _, sbs, stext = spe_line
    if bs != sbs or not bs:
        return None
    kind, index, length = ref.header_kind(bs[0], bs[1] if len(bs) > 1 else None)
    hdr = 2 if bs[0] & 0xe0 == 0x20 else 1
    if length != len(bs):
        return None
    p = ref.payload(bs, hdr)
    words = stext.split()
    if kind == "EVENTS":
        want = ["EV"] + [ref.EVENT_NAMES.get(b, "E%d" % b)
                         for b in range(64) if p >> b & 1]
        perf_want = ["EV"] + [ref.EVENT_NAMES[b] for b in range(64)
                              if p >> b & 1 and b in ref.PERF61_EVENT_BITS]
        if words == want and ptext.split() == perf_want:
            return "events-beyond-perf-6.1"
    elif kind == "OP":
        if not perf61_knows_op(index, p) and words == ref.op_words(index, p):
            return "op-type-newer-encoding"
    elif kind == "ADDR":
        if (index == 4 or p >> 60 & 1) and words == ref.addr_words(index, p):
            return "address-prev-target-or-nse"
    elif kind == "COUNTER":
        if index == 4 and words == ["LAT", str(p & 0xffff), "ALT-ISSUE"] \
                and ptext == "LAT %d " % (p & 0xffff):
            return "alt-clock-issue-latency"
    return None


def compare_section(perf, spe, counts, failures):
    i = j = 0
    while i < len(perf) and j < len(spe):
        pl, sl = perf[i], spe[j]
        if pl[0] == sl[0] and pl == sl:
            counts["identical"] += 1
            i += 1
            j += 1
            continue
        if pl[0] == sl[0]:
            rule = named_rule(pl, sl)
            if rule:
                counts[rule] += 1
                i += 1
                j += 1
                continue
            off, bs, text = sl
            kind, _, length = ref.header_kind(bs[0], bs[1] if len(bs) > 1 else None)
            end = None
            if text.startswith("UNKNOWN") and kind == "UNASSIGNED" and length == len(bs) \
                    and pl[2] == "Bad packet!":
                rule, end = "unassigned-header-framed-by-size", off + length
            elif text == "Truncated packet" and j == len(spe) - 1:
                rule, end = "packet-cut-by-buffer-end", off + len(bs)
            if end is not None:
                counts[rule] += 1
                j += 1
                # perf stepped through the same bytes its own way: skip its
                # lines inside the span; both must meet again within 16 bytes
                while i < len(perf) and perf[i][0] < end:
                    i += 1
                while j < len(spe) and i < len(perf) and spe[j][0] != perf[i][0]:
                    if abs(spe[j][0] - end) > 16:
                        break
                    if spe[j][0] < perf[i][0]:
                        j += 1
                    else:
                        i += 1
                    counts["resync-window"] += 1
                continue
        failures.append("perf:    %08x %s | %s" % (pl[0], " ".join("%02x" % b for b in pl[1]), pl[2]))
        failures.append("spedump: %08x %s | %s" % (sl[0], " ".join("%02x" % b for b in sl[1]), sl[2]))
        return False
    if i != len(perf) or j != len(spe):
        failures.append("line count differs: perf %d left, spedump %d left" % (len(perf) - i, len(spe) - j))
        return False
    return True


def main():
    args = sys.argv[1:]
    strict = bool(args) and args[0] == "--strict"
    if strict:
        args = args[1:]
    if len(args) != 2:
        print(__doc__)
        return 2
    perf, spe = parse(args[0]), parse(args[1])
    counts, failures = collections.Counter(), []
    ok = len(perf) == len(spe) and len(perf) > 0
    if not ok:
        failures.append("sections: perf %d, spedump %d" % (len(perf), len(spe)))
    for ps, ss in zip(perf, spe):
        if not compare_section(ps, ss, counts, failures):
            ok = False
    if strict and set(counts) - {"identical"}:
        ok = False
        failures.append("--strict: named differences where perf 6.1 knows every encoding")
    summary = ", ".join("%s %d" % kv for kv in sorted(counts.items()))
    print(("same" if ok else "DIFFERENT") + ": " + (summary or "no lines"))
    for f in failures[:20]:
        print("  " + f)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
