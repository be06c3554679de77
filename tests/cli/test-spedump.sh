#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# spedump's command line: outputs, options and bad input.  Each bad input
# must give one line on stderr naming the problem, the documented exit
# status, and never a crash (exit >= 128 means a signal).
set -u
O=${SPEKIT_BUILD:-build}
SPEDUMP=$O/bin/spedump
SAMPLES=tests/data/spe-samples
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
EXPECT_BIN=$SPEDUMP
. "$(dirname "$0")/../lib/cli.sh"

expect "missing file"      1 "nosuch: no such file" -- "$T/nosuch"
mkdir "$T/dir"
expect "directory"         1 "is a directory" -- "$T/dir"
: >"$T/empty"
expect "empty file"        1 "empty file" -- "$T/empty"
expect "empty stdin"       1 "empty input" -- - </dev/null
printf '\x30\x31\x3f' >"$T/short"
expect "reserved headers are damage" 3 "damaged SPE stream: 3 bad bytes" -- "$T/short"
head -c 65536 /dev/urandom >"$T/random"
expect "random bytes"      3 "damaged SPE stream: [0-9]+ bad bytes" -- "$T/random"
expect "random bytes, stats still printed" 3 "damaged" -- -s "$T/random"
grep -q '^records [0-9]' "$T/out" && ok "stats printed despite damage" || bad "stats printed despite damage" "no records line"
printf 'PERFILE2' >"$T/magic-only"
expect "perf.data magic only" 1 "magic-only: .*(truncated|too short|cut short)" -- "$T/magic-only"
expect "--raw forces raw"  3 "damaged" -- --raw "$T/magic-only"
# a real perf.data, then cut short and corrupted in its header and records
"$O/bin/spe-mkperf" --meta v1 --midr 0x410fd0c0 -o "$T/good.data" "$SAMPLES/hiperf_TestSpeDecoder.bin"
expect "perf.data"         0 "" -- "$T/good.data"
[[ $(wc -l <"$T/out") -eq 4 ]] && ok "perf.data: 4 records" || bad "perf.data: 4 records" "$(wc -l <"$T/out")"
for n in 50 200 400; do
	head -c $n "$T/good.data" >"$T/cut$n.data"
	expect "perf.data cut at $n bytes" 1 "truncated perf.data: .*\(file cut short\? re-record or copy it whole\)" -- "$T/cut$n.data"
done
corrupt() { cp "$T/good.data" "$T/$1"; printf "$3" | dd of="$T/$1" bs=1 seek=$(($2)) conv=notrunc status=none; }
corrupt badoff.data 40 '\xff\xff\xff\x7f'
expect "perf.data data offset past the end" 1 "data section starts at 0x7fffffff" -- "$T/badoff.data"
corrupt size0.data 0x106 '\x00\x00'
expect "perf.data record of size 0" 1 "corrupt perf.data: record at 0x100 .* has size 0" -- "$T/size0.data"
corrupt bigrec.data 0x106 '\xf0\xff'
expect "perf.data record past the end" 1 "record at 0x100 .* runs past the data section end" -- "$T/bigrec.data"
if [[ $(id -u) -ne 0 ]]; then
	cp "$SAMPLES/ts_frame.bin" "$T/noperm"; chmod 000 "$T/noperm"
	expect "no permission" 1 "permission denied" -- "$T/noperm"
else
	# root reads anything: check the message through a user that cannot
	if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
		cp "$SAMPLES/ts_frame.bin" "$T/noperm"; chmod 600 "$T/noperm"; chmod 755 "$T"
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$SPEDUMP" "$T/noperm" >/dev/null 2>"$T/err"
		rc=$?
		[[ $rc -eq 1 ]] && grep -q "permission denied" "$T/err" && [[ $(wc -l <"$T/err") -eq 1 ]] \
			&& ok "no permission" || bad "no permission" "rc $rc: $(cat "$T/err")"
	fi
fi
expect "bad option"        2 "unknown option or missing argument: --bogus" -- --bogus x
expect "two modes"         2 "choose one of" -- --csv --json "$SAMPLES/ts_frame.bin"
expect "bad --midr"        2 "--midr wants a hex MIDR" -- --midr zz "$SAMPLES/ts_frame.bin"
expect "negative --midr"   2 "--midr wants a hex MIDR" -- --midr -1 "$SAMPLES/ts_frame.bin"
expect "spaced --cpu"      2 "--cpu wants a CPU number" -- --cpu " 1" "$SAMPLES/ts_frame.bin"
expect "signed --cpu"      2 "--cpu wants a CPU number" -- --cpu +1 "$SAMPLES/ts_frame.bin"
expect "no input"          2 "no input FILE" --
expect "unwritable output" 1 "cannot write" -- -o "$T/dir/sub/x" "$SAMPLES/ts_frame.bin"

# clean decode: exit 0, no stderr, one line per record
expect "clean sample"      0 "" -- "$SAMPLES/hiperf_TestSpeDecoder.bin"
[[ $(wc -l <"$T/out") -eq 4 ]] && ok "4 records as text" || bad "4 records as text" "$(wc -l <"$T/out") lines"
# a cut packet at the end is damage
head -c 50 "$SAMPLES/hiperf_TestSpeDecoder.bin" >"$T/cut"
expect "cut mid-packet"    3 "damaged SPE stream: 2 bad bytes.*\(2 in a cut packet\), 1 records dropped; 1 records decoded" -- "$T/cut"
expect "cut mid-packet, -D" 3 "damaged SPE stream: 2 bad bytes in 1 places \(2 in a cut packet\)" -- -D "$T/cut"
grep -q "Truncated packet" "$T/out" && ok "-D shows the cut packet" || bad "-D shows the cut packet" "$(tail -2 "$T/out")"
expect "reserved header, -D" 3 "damaged SPE stream: 3 bad bytes in 3 places" -- -D "$T/short"
# the trailing unterminated record: kept by default, dropped by --perf-compat
expect "unterminated kept" 0 "" -- --json "$SAMPLES/ts_frame.bin"
[[ $(grep -c unterminated "$T/out") -eq 1 ]] && ok "unterminated flagged" || bad "unterminated flagged" "$(cat "$T/out")"
expect "--perf-compat"     0 "" -- --json --perf-compat "$SAMPLES/ts_frame.bin"
[[ $(wc -l <"$T/out") -eq 1 ]] && ok "--perf-compat drops it" || bad "--perf-compat drops it" "$(wc -l <"$T/out") lines"

# JSON: every line parses, documented keys present, absent fields null
expect "json"              0 "" -- --json "$SAMPLES/hiperf_TestSpeDecoder.bin"
if jq -e -s 'length == 4 and all(.[]; has("pc") and has("el") and has("ns") and has("op")
	and has("events") and has("lat_total") and has("lat_issue") and has("lat_xlat")
	and has("va") and has("pa") and has("data_src") and has("data_src_name")
	and has("ctx") and has("ts") and has("cpu"))
	and .[0].pc == "0xffffffc08420e068" and .[0].lat_total == 8 and .[0].op == "load"
	and .[0].events == ["RETIRED","L1D-ACCESS","TLB-ACCESS"] and .[0].pa == null
	and .[2].op == "branch" and .[2].tgt == "0x59f4f9546c"' "$T/out" >/dev/null; then
	ok "json keys and values"
else
	bad "json keys and values" "$(head -2 "$T/out")"
fi
# data source names need the MIDR
expect "json --midr"       0 "" -- --json --midr 0x410fd0c0 "$SAMPLES/ts_frame.bin"
[[ $(jq -r 'select(.data_src != null) | .data_src_name' "$T/out") == L1D ]] \
	&& ok "data_src_name from --midr (N1: 0 = L1D)" || bad "data_src_name" "$(cat "$T/out")"
# CSV: header plus one row per record, same column count everywhere
expect "csv"               0 "" -- --csv "$SAMPLES/hiperf_TestSpeDecoder.bin"
if [[ $(wc -l <"$T/out") -eq 5 ]] && [[ $(awk -F, '{print NF}' "$T/out" | sort -u | wc -l) -eq 1 ]]; then
	ok "csv shape"
else
	bad "csv shape" "$(cat "$T/out")"
fi
# stdin and a pipe in small pieces decode like the file
"$SPEDUMP" --json "$SAMPLES/hiperf_TestSpeDecoder.bin" >"$T/a"
(for i in $(seq 0 16 191); do dd if="$SAMPLES/hiperf_TestSpeDecoder.bin" bs=1 skip=$i count=16 status=none; sleep 0.01; done) \
	| "$SPEDUMP" --json - >"$T/b"
cmp -s "$T/a" "$T/b" && ok "pipe in 16-byte pieces == file" || bad "pipe in 16-byte pieces == file" "differs"
# --help names every option the parser accepts
for opt in --packets --json --csv --stats --raw --midr --cpu --perf-compat --output --help --version; do
	"$SPEDUMP" --help | grep -q -- "$opt" || { bad "--help documents $opt" "missing"; continue; }
	ok "--help documents $opt"
done

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
