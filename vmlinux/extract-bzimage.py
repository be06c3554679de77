#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Unpack the ELF vmlinux from an x86 bzImage.

Usage: extract-bzimage.py BZIMAGE OUT

The kernel tree's scripts/extract-vmlinux scans the whole file for every
compressor's magic and tries each hit.  A bzImage says where its payload
is, so this reads the boot protocol header instead (Documentation/arch/
x86/boot.rst): boot_flag 0xAA55 at 0x1fe, "HdrS" at 0x202, protocol
>= 2.08 for payload_offset (0x248) and payload_length (0x24c), both
relative to the protected-mode code, which starts after (setup_sects + 1)
512-byte sectors.  The payload is the compressed vmlinux.bin (an ELF
file, .BTF section included) followed by the kernel's relocation table,
then arch/x86/boot/compressed appends the uncompressed size as 4 little
endian bytes, which zstd and xz reject as trailing garbage: it is tried
without them first, and the result must be that long and start with
\\x7fELF.
"""
import bz2
import gzip
import lzma
import os
import shutil
import struct
import subprocess
import sys

ME = 'extract-bzimage'


def die(msg):
    sys.exit('%s: error: %s' % (ME, msg))


def run_tool(argv, data):
    """Decompress with an external tool; None when absent or failing."""
    if shutil.which(argv[0]) is None:
        return None
    p = subprocess.run(argv, input=data, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, check=False)
    return p.stdout if p.returncode == 0 else None


def stdlib(fn):
    def dec(data):
        try:
            return fn(data)
        except (OSError, EOFError, ValueError, lzma.LZMAError):
            return None
    return dec


# (name, magic, decompressor, Debian package = tool name).  Debian's
# amd64 kernels use zstd (CONFIG_KERNEL_ZSTD) since 6.x; the rest are
# here for other configs.
METHODS = [
    ('gzip', b'\x1f\x8b', stdlib(gzip.decompress), None),
    ('xz', b'\xfd7zXZ\x00', stdlib(lambda d: lzma.decompress(d, lzma.FORMAT_XZ)), None),
    ('lzma', b'\x5d\x00\x00', stdlib(lambda d: lzma.decompress(d, lzma.FORMAT_ALONE)), None),
    ('bzip2', b'BZh', stdlib(bz2.decompress), None),
    ('zstd', b'\x28\xb5\x2f\xfd', lambda d: run_tool(['zstd', '-dcq'], d), 'zstd'),
    ('lz4', b'\x02\x21\x4c\x18', lambda d: run_tool(['lz4', '-dcq'], d), 'lz4'),
    ('lzo', b'\x89LZO', lambda d: run_tool(['lzop', '-dcq'], d), 'lzop'),
]


def payload(img):
    if len(img) < 0x250 or img[0x1fe:0x200] != b'\x55\xaa' or img[0x202:0x206] != b'HdrS':
        die('not an x86 bzImage (no 0xAA55 boot flag / "HdrS" header)')
    version = struct.unpack_from('<H', img, 0x206)[0]
    if version < 0x208:
        die('boot protocol %d.%02d is older than 2.08: no payload fields'
            % (version >> 8, version & 0xff))
    setup_sects = img[0x1f1] or 4
    pm_start = (setup_sects + 1) * 512
    off, length = struct.unpack_from('<II', img, 0x248)
    start = pm_start + off
    if length == 0 or start + length > len(img):
        die('payload %d+%d lies outside the %d-byte image' % (start, length, len(img)))
    return img[start:start + length]


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: extract-bzimage.py BZIMAGE OUT')
    with open(sys.argv[1], 'rb') as f:
        img = f.read()
    data = payload(img)
    for name, magic, dec, pkg in METHODS:
        if not data.startswith(magic):
            continue
        size = struct.unpack('<I', data[-4:])[0]
        out = dec(data[:-4])
        if out is None or len(out) != size:
            out = dec(data)
        if out is None and pkg and shutil.which(pkg) is None:
            die('the payload is %s-compressed and the %s tool is missing; run: '
                'apt-get install %s' % (name, pkg, pkg))
        if out is None or out[:4] != b'\x7fELF':
            die('the %s payload did not unpack to an ELF file (corrupt image?)' % name)
        with open(sys.argv[2] + '.tmp', 'wb') as f:
            f.write(out)
        os.replace(sys.argv[2] + '.tmp', sys.argv[2])
        print('%s: %d-byte %s payload -> %d-byte vmlinux' % (ME, len(data), name, len(out)),
              file=sys.stderr)
        return
    die('unknown payload compression (magic %s)' % data[:6].hex())


if __name__ == '__main__':
    main()
