#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Cut the kernel's raw BTF blob out of an arm64 Image.

Usage: extract-btf.py IMAGE OUT

Debian's arm64 vmlinuz is a plain (EFI-signed) Image, or gzip'd on some
releases; both are handled.  The .BTF section is copied into the Image
verbatim, so it is found by its header: magic 0xeB9F (little endian
9f eb), version 1, flags 0, hdr_len 24, then type_off/type_len and
str_off/str_len.  Every candidate is validated and the largest valid blob
(exactly hdr_len + str_off + str_len bytes) is written raw, the format
that pahole --btf_base, resolve_btfids and bpftool read.
"""
import gzip
import os
import struct
import sys

MAGIC = b'\x9f\xeb\x01\x00'   # magic 0xeB9F, version 1, flags 0


def candidates(data):
    pos = data.find(MAGIC)
    while pos >= 0:
        if pos + 24 <= len(data):
            hdr_len, type_off, type_len, str_off, str_len = \
                struct.unpack_from('<5I', data, pos + 4)
            total = hdr_len + str_off + str_len
            if (hdr_len == 24 and type_off == 0 and type_len > 0 and
                    str_off >= type_off + type_len and str_len > 0 and
                    pos + total <= len(data)):
                strs = data[pos + hdr_len + str_off:pos + total]
                # The string section starts with the empty string and
                # every string is NUL-terminated.
                if strs[:1] == b'\0' and strs[-1:] == b'\0':
                    yield pos, total
        pos = data.find(MAGIC, pos + 1)


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: extract-btf.py IMAGE OUT')
    with open(sys.argv[1], 'rb') as f:
        data = f.read()
    if data[:2] == b'\x1f\x8b':
        data = gzip.decompress(data)
    best = max(candidates(data), key=lambda c: c[1], default=None)
    if best is None or best[1] < 65536:
        sys.exit('extract-btf: no BTF blob in %s (kernel built without '
                 'CONFIG_DEBUG_INFO_BTF, or a compressed format this script '
                 'does not unpack)' % sys.argv[1])
    pos, total = best
    with open(sys.argv[2] + '.tmp', 'wb') as f:
        f.write(data[pos:pos + total])
    os.replace(sys.argv[2] + '.tmp', sys.argv[2])
    print('extract-btf: %d bytes of BTF at offset 0x%x' % (total, pos),
          file=sys.stderr)


if __name__ == '__main__':
    main()
