#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Run every libFuzzer target for SECONDS each, corpus seeded from the
# bundled SPE samples.  Usage: run-fuzz.sh BUILD_DIR SECONDS
# Prints one line per target and the closing "N passed, N failed".
set -u
O=$1; SECS=$2
pass=0; fail=0
for t in "$O"/fuzz/fuzz_*; do
	[[ -x $t ]] || continue
	name=$(basename "$t")
	corpus="$O/fuzz/corpus/$name"
	mkdir -p "$corpus" "$O/fuzz/artifacts"
	cp -n tests/data/spe-samples/*.bin "$corpus"/ 2>/dev/null
	[[ -d tests/fuzz/seeds/$name ]] && cp -n tests/fuzz/seeds/$name/* "$corpus"/ 2>/dev/null
	log="$O/fuzz/$name.log"
	if "$t" -max_total_time="$SECS" -print_final_stats=1 -rss_limit_mb=2048 \
	       -artifact_prefix="$O/fuzz/artifacts/$name-" "$corpus" >"$log" 2>&1; then
		runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
		echo "ok   $name: ${runs:-?} runs in ${SECS}s, no crash"
		pass=$((pass + 1))
	else
		echo "FAIL $name: crash or leak, see $log and $O/fuzz/artifacts/"
		grep -m5 -E 'ERROR|SUMMARY|abort' "$log" | sed 's/^/  /'
		fail=$((fail + 1))
	fi
done
[[ $((pass + fail)) -gt 0 ]] || { echo "FAIL no fuzz targets built in $O/fuzz"; fail=1; }
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
