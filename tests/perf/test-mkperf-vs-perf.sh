#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# spe-mkperf against the real perf (6.1): every sample stream wrapped by
# spe-mkperf must make `perf report -D` print exactly the dump recorded in
# tests/data/spe-samples/*.perf-report-D.txt (perf pads AUXTRACE data to 8
# bytes; those zero bytes show as PAD and are in the expected text), in
# file mode and in pipe mode through a real pipe; and `perf script
# --itrace` must take the file.  Also: chunking, metadata v2, the extra
# records, the synthetic mark in HEADER_VERSION, and the CLI's refusals.
#
# Run from the repo root.  SPEKIT_BUILD is the build dir (default build).
set -u
B=${SPEKIT_BUILD:-build}
MK=$B/bin/spe-mkperf
S=tests/data/spe-samples
# pass/fail tally, ok, bad and same_output
. "$(dirname "$0")/../lib/cli.sh"
done_() { echo "$pass passed, $fail failed"; [[ $fail -eq 0 ]]; exit $?; }

if [[ ! -x $MK ]]; then
	bad setup "$MK not built (make $MK, or set SPEKIT_BUILD)"; done_
fi
if ! command -v perf >/dev/null; then
	bad setup "perf not installed (apt-get install linux-perf)"; done_
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# The ARM SPE dump blocks of `perf report -D`, each with perf's blank line
spe_dump() {
	awk '/^\. \.\.\. ARM SPE data/ { p = 1; print; next }
	     p && /^\.  [0-9a-f]+:/   { print; next }
	     p && /^$/                { print }
	     { p = 0 }'
}

script_fields=(--itrace=i1i -F ip,addr,phys_addr,weight)

for bin in "$S"/*.bin; do
	n=$(basename "$bin" .bin)
	want=$S/$n.perf-report-D.txt
	f=$T/$n.data
	p=$T/$n.pipe.data

	if ! "$MK" "$bin" -o "$f" 2>"$T/err"; then
		bad "file-D $n" "spe-mkperf failed: $(head -1 "$T/err")"; continue
	fi
	perf report -D -i "$f" 2>/dev/null | spe_dump >"$T/got"
	if cmp -s "$T/got" "$want"; then
		ok "file-D $n"
	else
		bad "file-D $n" "dump differs: $(diff "$want" "$T/got" | head -3 | tr '\n' ' ')"
	fi

	if ! "$MK" --pipe "$bin" -o "$p" 2>"$T/err"; then
		bad "pipe-D $n" "spe-mkperf --pipe failed: $(head -1 "$T/err")"; continue
	fi
	# perf 6.1 takes pipe format through a real pipe
	cat "$p" | perf report -D -i - 2>/dev/null | spe_dump >"$T/got"
	if cmp -s "$T/got" "$want"; then
		ok "pipe-D $n"
	else
		bad "pipe-D $n" "dump differs: $(diff "$want" "$T/got" | head -3 | tr '\n' ' ')"
	fi

	perf script -i "$f" "${script_fields[@]}" >"$T/s.out" 2>"$T/s.err"
	rc=$?
	if [[ $rc -ne 0 ]] || grep -qiE 'cannot|error|failed|invalid' "$T/s.err"; then
		bad "script $n" "perf script exited $rc: $(grep -v '^$' "$T/s.err" | head -2 | tr '\n' ' ')"
	elif ! cat "$p" | perf script -i - "${script_fields[@]}" 2>/dev/null | cmp -s - "$T/s.out"; then
		bad "script $n" "pipe-mode perf script output differs from file mode"
	else
		ok "script $n ($(wc -l <"$T/s.out") samples)"
	fi
done

# Chunked: several buffers, cut at record ends, decode to the same samples
h=$S/hiperf_TestSpeDecoder.bin
if "$MK" --chunk 48 "$h" -o "$T/c.data" 2>"$T/err"; then
	nb=$(perf report -D -i "$T/c.data" 2>/dev/null | grep -c '^\. \.\.\. ARM SPE data')
	perf script -i "$T/c.data" "${script_fields[@]}" >"$T/c.out" 2>/dev/null
	perf script -i "$T/hiperf_TestSpeDecoder.data" "${script_fields[@]}" >"$T/u.out" 2>/dev/null
	if [[ $nb -lt 2 ]]; then
		bad chunk "expected several AUXTRACE buffers, perf saw $nb"
	elif ! cmp -s "$T/c.out" "$T/u.out" || [[ ! -s $T/u.out ]]; then
		bad chunk "chunked file decodes differently from the whole stream"
	else
		ok "chunk ($nb buffers, same samples)"
	fi
else
	bad chunk "spe-mkperf --chunk failed: $(head -1 "$T/err")"
fi

# Explicit cuts on record ends: the same
if "$MK" --cut 0x30,0x60 "$h" -o "$T/k.data" 2>"$T/err"; then
	nb=$(perf report -D -i "$T/k.data" 2>/dev/null | grep -c '^\. \.\.\. ARM SPE data')
	perf script -i "$T/k.data" "${script_fields[@]}" >"$T/k.out" 2>/dev/null
	if [[ $nb -eq 3 ]] && cmp -s "$T/k.out" "$T/u.out"; then
		ok "cut (3 buffers, same samples)"
	else
		bad cut "expected 3 buffers with the same samples, got $nb"
	fi
else
	bad cut "spe-mkperf --cut failed: $(head -1 "$T/err")"
fi

# Two CPUs, one stream each: two queues
if "$MK" "$h" "$S/ts_frame.bin" -o "$T/2.data" 2>"$T/err" &&
   perf report -D -i "$T/2.data" 2>/dev/null | grep -q 'idx: 1  tid: -1  cpu: 1'; then
	ok "two CPUs"
else
	bad "two CPUs" "no AUXTRACE on idx 1 / cpu 1"
fi

# Metadata v2: perf 6.1 reads the version (2) as the PMU type.  It still
# dumps the data; perf script then finds no SPE event and makes no samples.
if "$MK" --midr 0x413fd0c1 "$h" -o "$T/v2.data" 2>"$T/err"; then
	perf report -D -i "$T/v2.data" 2>/dev/null >"$T/v2.D"
	spe_dump <"$T/v2.D" >"$T/got"
	if ! cmp -s "$T/got" "$S/hiperf_TestSpeDecoder.perf-report-D.txt"; then
		bad "meta v2" "dump differs from v1's"
	elif ! grep -qE 'PMU Type +2$' "$T/v2.D"; then
		bad "meta v2" "perf 6.1 no longer reads v2 as PMU type 2: update the docs"
	else
		perf script -i "$T/v2.data" "${script_fields[@]}" >"$T/v2.out" 2>/dev/null
		rc=$?
		if [[ $rc -eq 0 && ! -s $T/v2.out ]]; then
			ok "meta v2 (perf 6.1: dump ok, PMU type read as 2, no samples)"
		else
			bad "meta v2" "perf script exited $rc with $(wc -l <"$T/v2.out") lines"
		fi
	fi
else
	bad "meta v2" "spe-mkperf --midr failed: $(head -1 "$T/err")"
fi

# The extra records, as perf prints them
if "$MK" --aux-flags 0:truncated,partial --comm 100:101:spe-test \
	--mmap2 100:0x400000:0x1000:0:/usr/bin/true --lost 3 --lost-samples 4 \
	--time-conv 10:20:30 "$h" -o "$T/x.data" 2>"$T/err"; then
	perf report -D -i "$T/x.data" 2>/dev/null >"$T/x.D"
	miss=
	for pat in 'PERF_RECORD_AUX offset: 0 size: 0xc0 flags: 0x5 \[TP\]' \
		   'PERF_RECORD_COMM: spe-test:100/101' \
		   'PERF_RECORD_MMAP2 100/100: \[0x400000\(0x1000\) @ 0 .*/usr/bin/true' \
		   'PERF_RECORD_LOST: id:1: lost:3' \
		   'PERF_RECORD_LOST_SAMPLES: id:1: lost samples :4' \
		   'PERF_RECORD_TIME_CONV'; do
		grep -qE "$pat" "$T/x.D" || miss+="'$pat' "
	done
	if [[ -z $miss ]]; then ok "extra records"; else bad "extra records" "missing $miss"; fi
else
	bad "extra records" "spe-mkperf failed: $(head -1 "$T/err")"
fi

# The synthetic mark: HEADER_VERSION, which perf prints in its header
# (file format: --header-only; pipe format: --header, as the records come)
MARK='# perf version : spekit spe-mkperf: SYNTHETIC data, not recorded by perf'
perf report --header-only -i "$T/x.data" >"$T/hdr" 2>/dev/null
if grep -qxF "$MARK" "$T/hdr" && grep -qx '# cpuid : 0x00000000410fd0c0' "$T/hdr"; then
	ok "mark in perf report --header-only"
else
	bad "mark in perf report --header-only" "$(grep -E '^# (perf version|cpuid)' "$T/hdr" | tr '\n' ' ')"
fi
"$MK" --pipe "$h" -o "$T/xp.data" 2>"$T/err"
cat "$T/xp.data" | perf report --header -i - 2>/dev/null >"$T/hdr"
if grep -qxF "$MARK" "$T/hdr"; then
	ok "mark in pipe format (perf report --header -i -)"
else
	bad "mark in pipe format" "$(grep -E '^# (perf version|cpuid)' "$T/hdr" | tr '\n' ' ')"
fi
# --perf-version: perf record's version instead, or no VERSION at all; the
# data reads the same either way
for v in 6.1.76 ''; do
	if ! "$MK" --perf-version "$v" "$h" -o "$T/v.data" 2>"$T/err"; then
		bad "--perf-version '$v'" "spe-mkperf failed: $(head -1 "$T/err")"; continue
	fi
	perf report --header-only -i "$T/v.data" >"$T/hdr" 2>/dev/null
	perf report -D -i "$T/v.data" 2>/dev/null | spe_dump >"$T/got"
	if [[ -n $v ]] && ! grep -qx "# perf version : $v" "$T/hdr"; then
		bad "--perf-version '$v'" "header: $(grep '^# perf version' "$T/hdr")"
	elif [[ -z $v ]] && grep -q '^# perf version' "$T/hdr"; then
		bad "--perf-version ''" "still has $(grep '^# perf version' "$T/hdr")"
	elif grep -q SYNTHETIC "$T/hdr"; then
		bad "--perf-version '$v'" "mark still there"
	elif ! cmp -s "$T/got" "$S/hiperf_TestSpeDecoder.perf-report-D.txt"; then
		bad "--perf-version '$v'" "dump differs"
	else
		ok "--perf-version '$v': no mark, same dump"
	fi
done

# Refusals: exit 2, one line naming the problem, no output left
refuse() {
	local name=$1 pat=$2 rc; shift 2
	rm -f "$T/r.data"
	"$MK" "$@" 2>"$T/err" >/dev/null
	rc=$?
	if [[ $rc -ne 2 ]]; then
		bad "refuse $name" "exited $rc, want 2"
	elif [[ $(wc -l <"$T/err") -ne 1 ]] || ! grep -q "^spe-mkperf: .*$pat" "$T/err"; then
		bad "refuse $name" "message: $(head -2 "$T/err" | tr '\n' ' ')"
	elif [[ -e $T/r.data ]]; then
		bad "refuse $name" "left $T/r.data behind"
	else
		ok "refuse $name"
	fi
}
refuse no-output 'give -o' "$h"
refuse no-input 'no RAW input' -o "$T/r.data"
refuse bad-meta "not v1 or v2" --meta v3 "$h" -o "$T/r.data"
# Numbers (spedrops' argnum.c): the whole string, no sign or leading space
# (strtoull read " -1" as 2^64-1), in range; one line naming the option or
# field, what it takes and the value
U32='a number from 0 to 2^32-1 (decimal or 0x hex)'
U64='a number from 0 to 2^64-1 (decimal or 0x hex)'
HEX='a hex number from 0 to 2^64-1 (0x optional)'
refuse bad-cpu "--cpu wants $U32, not 'x'\$" --cpu x "$h" -o "$T/r.data"
refuse empty-cpu "--cpu wants $U32, not ''\$" --cpu '' "$h" -o "$T/r.data"
refuse negative-cpu "--cpu wants $U32, not '-1'\$" --cpu -1 "$h" -o "$T/r.data"
refuse space-negative-cpu "--cpu wants $U32, not ' -1'\$" --cpu ' -1' "$h" -o "$T/r.data"
refuse plus-cpu "--cpu wants $U32, not '+1'\$" --cpu +1 "$h" -o "$T/r.data"
refuse big-cpu "--cpu wants $U32, not '4294967296'\$" --cpu 4294967296 "$h" -o "$T/r.data"
refuse zero-chunk "--chunk wants a number from 1 to 2^64-1 (decimal or 0x hex), not '0'\$" \
	--chunk 0 "$h" -o "$T/r.data"
refuse junk-chunk "--chunk wants .*, not '1k'\$" --chunk 1k "$h" -o "$T/r.data"
refuse junk-cut "--cut wants $U64, not 'junk'\$" --cut 0x30,junk "$h" -o "$T/r.data"
refuse bad-midr "--midr wants $HEX, not 'zz'\$" --midr zz "$h" -o "$T/r.data"
refuse space-midr "--midr wants $HEX, not ' 410fd0c0'\$" --midr ' 410fd0c0' "$h" -o "$T/r.data"
refuse big-midr "--midr wants $HEX, not '0x10000000000000000'\$" --midr 0x10000000000000000 "$h" -o "$T/r.data"
refuse empty-midr "--midr wants $HEX, not ''\$" --midr 0: "$h" -o "$T/r.data"
refuse bad-midr-cpu "--midr CPU wants $U32, not 'x'\$" --midr x:410fd0c0 "$h" -o "$T/r.data"
refuse space-negative-lost "--lost wants $U64, not ' -1'\$" --lost ' -1' "$h" -o "$T/r.data"
refuse big-lost-samples "--lost-samples wants $U64, not '18446744073709551616'\$" \
	--lost-samples 18446744073709551616 "$h" -o "$T/r.data"
refuse bad-comm-tid "--comm TID wants $U32, not '-2'\$" --comm 1:-2:x "$h" -o "$T/r.data"
refuse bad-mmap2-len "--mmap2 LEN wants $U64, not '-1'\$" --mmap2 1:0x400000:-1:0:/x "$h" -o "$T/r.data"
refuse bad-time-conv "--time-conv ZERO wants $U64, not '3x'\$" --time-conv 1:2:3x "$h" -o "$T/r.data"
refuse bad-aux-off "--aux-flags OFFSET wants $U64, not '+0'\$" --aux-flags +0:truncated "$h" -o "$T/r.data"
refuse bad-aux-flags "--aux-flags FLAGS wants $U64, not '0x1z'\$" --aux-flags 0:0x1z "$h" -o "$T/r.data"
refuse zero-pmu-type "0 is PERF_TYPE_HARDWARE" --pmu-type 0x0 "$h" -o "$T/r.data"
refuse big-pmu-type "--pmu-type wants a number from 1 to 2^32-1 (decimal or 0x hex), not '4294967296'\$" \
	--pmu-type 4294967296 "$h" -o "$T/r.data"
refuse empty-config "--config wants $U64, not ''\$" --config '' "$h" -o "$T/r.data"
refuse bad-flag "unknown flag 'bogus'" --aux-flags 0:bogus "$h" -o "$T/r.data"
refuse no-buffer "no buffer starts at offset 5" --aux-flags 5:truncated "$h" -o "$T/r.data"
refuse missing-raw "No such file" "$T/none.bin" -o "$T/r.data"
: >"$T/empty.bin"
refuse empty-raw "empty file" "$T/empty.bin" -o "$T/r.data"
refuse unknown-opt "unknown option '--bogus'" --bogus "$h" -o "$T/r.data"
refuse no-arg "needs an argument" "$h" -o "$T/r.data" --chunk
refuse dangling-cpu "not followed by a RAW" "$h" -o "$T/r.data" --cpu 1
refuse stdout-file "add --pipe" "$h" -o -
refuse perf-input "already a perf.data" "$T/x.data" -o "$T/r.data"
refuse midr-cpu "no RAW input is on CPU 9" --midr 9:410fd0c0 "$h" -o "$T/r.data"
refuse long-version "perf version text .* too long" --perf-version "$(printf '%0200d' 0)" "$h" -o "$T/r.data"

# Every spelling a number took before still reads the same: hex MIDRs with
# or without 0x, also starting with a letter (Ampere), decimal/0x/octal
# integers give the same bytes as their plain twins
mk_to() { local o=$1; shift; "$MK" "$@" "$h" -o "$o"; }
accept() { same_output "accept $1" mk_to "${@:2}"; }
accept "--midr without 0x" --midr 410fd0c0 :: --midr 0x410fd0c0
accept "--midr starting with a letter" --midr C00FAC30 :: --midr 0xc00fac30
accept "--midr CPU:HEX" --midr 0x0:c00fac30 :: --midr 0:0xc00fac30
accept "--cpu hex, octal" --cpu 0x10 :: --cpu 020
accept "--chunk hex" --chunk 0x30 :: --chunk 48
accept "--cut hex" --cut 0x30,0x60 :: --cut 48 --cut 96
accept "--comm, --mmap2 hex" --comm 0x64:0x65:x --mmap2 0x64:4194304:4096:0:/x :: \
	--comm 100:101:x --mmap2 100:0x400000:0x1000:0:/x
accept "--lost 2^64-1" --lost 18446744073709551615 :: --lost 0xffffffffffffffff
accept "--pmu-type, --config hex" --pmu-type 0x2a --config 0x10 :: --pmu-type 42 --config 16

if "$MK" --help | grep -q '^usage: spe-mkperf'; then ok help; else bad help "no usage text"; fi

done_
