#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Compare the arm_spe tracefs format files a real kernel printed with the
raw_tp ABI documented in include/spekit/arm_spe_tp.h: the same events, and
for each the same fields in the same order (after the common_ fields), each
8, 4 or 1 bytes as its C type says, all named in the print fmt.

Usage: check-formats.py HEADER FORMATS_DIR   (one file per event)
Prints one line per problem; exit 0 when there are none."""
import os
import re
import sys


def documented(header):
    """{event: [arg names in order]} from the header's comment block."""
    events, cur = {}, None
    for line in open(header):
        m = re.match(r'^ \*   (arm_spe_\w+)\s', line)
        if m:
            cur = events.setdefault(m.group(1), [])
            continue
        m = re.match(r'^ \*\t(\d+) (\w+)', line)
        if m and cur is not None:
            if int(m.group(1)) != len(cur):
                sys.exit('%s: argument %s of an event out of order' % (header, m.group(2)))
            cur.append(m.group(2))
            continue
        if not line.startswith(' *'):
            cur = None
    return events


SIZES = {'u64': 8, 'unsigned long long': 8, 'u32': 4, 'unsigned int': 4,
         'bool': 1, '_Bool': 1}


def fields(path):
    out, fmt = [], ''
    for line in open(path):
        m = re.match(r'^\s*field:(.+?)\s+(\w+);\s*offset:\d+;\s*size:(\d+);', line)
        if m and not m.group(2).startswith('common_'):
            out.append((m.group(1), m.group(2), int(m.group(3))))
        if line.startswith('print fmt:'):
            fmt = line
    return out, fmt


def main():
    header, fdir = sys.argv[1], sys.argv[2]
    doc = documented(header)
    problems = []
    have = sorted(os.listdir(fdir))
    if sorted(doc) != have:
        problems.append('events in tracefs %s, documented %s' % (have, sorted(doc)))
    for ev in sorted(set(doc) & set(have)):
        got, fmt = fields(os.path.join(fdir, ev))
        names = [n for _, n, _ in got]
        if names != doc[ev]:
            problems.append('%s: fields %s, documented %s' % (ev, names, doc[ev]))
        for ctype, name, size in got:
            want = SIZES.get(ctype)
            if want is None or want != size:
                problems.append('%s: field %s is %s of %d bytes' % (ev, name, ctype, size))
            if 'REC->%s' % name not in fmt:
                problems.append('%s: print fmt does not show %s' % (ev, name))
    for p in problems:
        print(p)
    print('%d events checked, %d problems' % (len(have), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
