# SPDX-License-Identifier: GPL-2.0-only
"""An independent reading of the Arm ARM SPE packet definitions.

Used only by the differential tests, for the encodings Linux perf 6.1 does
not decode (SPEv1p2 and later): where spekit prints more than perf, the
test decodes the packet's bytes here, from the architecture's tables, and
checks spekit's words against that.  Written from the Arm ARM (DDI0487,
"Statistical Profiling Extension sample record specification") and
../shared/notes/spe-packets.md, not from spekit's C code.
"""

# Events packet, bit -> Arm ARM event (the words spekit prints for it)
EVENT_NAMES = {
    0: "EXCEPTION-GEN", 1: "RETIRED", 2: "L1D-ACCESS", 3: "L1D-REFILL",
    4: "TLB-ACCESS", 5: "TLB-REFILL", 6: "NOT-TAKEN", 7: "MISPRED",
    8: "LLC-ACCESS", 9: "LLC-REFILL", 10: "REMOTE-ACCESS", 11: "ALIGNMENT",
    16: "TME-TRANSACTION", 17: "SVE-PARTIAL-PRED", 18: "SVE-EMPTY-PRED",
    19: "L2D-ACCESS", 20: "L2D-MISS", 21: "CACHE-DATA-MODIFIED",
    22: "RECENTLY-FETCHED", 23: "DATA-SNOOPED", 24: "STREAMING-SVE-MODE",
    25: "SMCU",
}
# Bits Linux perf 6.1 names
PERF61_EVENT_BITS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 17, 18}


def header_kind(b0, b1=None):
    """(kind, index, total length) by the Arm ARM header rules."""
    if b0 == 0x00:
        return ("PAD", 0, 1)
    if b0 == 0x01:
        return ("END", 0, 1)
    if b0 < 0x20:
        return ("UNASSIGNED", 0, 1)
    if b0 < 0x40:
        if b0 & 0xfc != 0x20 or b1 is None:
            return ("RESERVED", 0, None)
        idx_hi = (b0 & 3) << 3
        if b1 & 0xf8 == 0xb0:
            return ("ADDR", idx_hi | (b1 & 7), 10)
        if b1 & 0xf8 == 0x98:
            return ("COUNTER", idx_hi | (b1 & 7), 4)
        return ("RESERVED", 0, None)
    size = 1 + (1 << ((b0 >> 4) & 3))
    if b0 == 0x71:
        return ("TS", 0, size)
    if b0 & 0xf8 == 0xb0:
        return ("ADDR", b0 & 7, size)
    if b0 & 0xf8 == 0x98:
        return ("COUNTER", b0 & 7, size)
    if b0 & 0xcf == 0x42:
        return ("EVENTS", 0, size)
    if b0 & 0xcf == 0x43:
        return ("DSRC", 0, size)
    if b0 & 0xfc == 0x48:
        return ("OP", b0 & 3, size)
    if b0 & 0xfc == 0x64:
        return ("CONTEXT", b0 & 3, size)
    return ("UNASSIGNED", 0, size)


def payload(bs, hdr_len):
    return int.from_bytes(bytes(bs[hdr_len:]), "little")


def op_words(cls, p):
    """Words describing an Operation Type payload, per the Arm ARM table."""
    if cls == 0:
        if p & 0x89 == 0x08:
            w = ["SVE-OTHER", "EVLEN", str(32 << ((p >> 4) & 7))]
            if p & 2:
                w.append("FP")
            if p & 4:
                w.append("PRED")
            return w
        if p & 0x89 == 0x88:
            return ["SME-OTHER"]
        w = ["OTHER"]
        if p & 4:
            w.append("ASE")
        if p & 2:
            w.append("FP")
        w.append("COND-SELECT" if p & 1 else "INSN-OTHER")
        return w
    if cls == 1:
        w = ["ST" if p & 1 else "LD"]
        fixed = {0x00: "GP-REG", 0x04: "SIMD-FP", 0x10: "UNSPEC-REG",
                 0x14: "MTE-TAG", 0x30: "NV-SYSREG", 0x20: "MEMCPY"}
        if p & 0xfe in fixed:
            return w + [fixed[p & 0xfe]]
        if p == 0x25:
            return w + ["MEMSET"]
        if p & 0xe2 == 0x02:
            return w + [n for bit, n in ((4, "AT"), (8, "EXCL"), (16, "AR")) if p & bit]
        if p & 0x0a == 0x08:
            w += ["EVLEN", str(32 << ((p >> 4) & 7))]
            if p & 4:
                w.append("PRED")
            if p & 0x80:
                w.append("SG")
            return w
        if p & 0xfa == 0x40:
            return w + (["GCS", "COMM"] if p & 4 else ["GCS"])
        return w + ["RESERVED-0x%x" % p]
    if cls == 2:
        w = ["B"]
        if p & 1:
            w.append("COND")
        if p & 2:
            w.append("IND")
        if p & 4:
            w.append("GCS")
        cr = (p >> 3) & 3
        if cr:
            w.append(["", "CALL", "RET", "CR-OTHER"][cr])
        if p & 0xe0:
            w.append("RESERVED-0x%x" % p)
        return w
    return None


def addr_words(index, p):
    """Words for an Address packet with a PC-like or PA layout."""
    a = p & ((1 << 56) - 1)
    ns, nse = (p >> 63) & 1, (p >> 60) & 1
    if index in (0, 1, 4):
        name = {0: "PC", 1: "TGT", 4: "PREV-TGT"}[index]
        w = [name, "0x%x" % a, "el%d" % ((p >> 61) & 3), "ns=%d" % ns]
    elif index == 3:
        w = ["PA", "0x%x" % a, "ns=%d" % ns, "ch=%d" % ((p >> 62) & 1),
             "pat=%x" % ((p >> 56) & 0xf)]
    else:
        return None
    if nse:
        w.append("nse=1")
    return w
