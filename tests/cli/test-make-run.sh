#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# README's main command: `make run` replays the bundled synthetic trace on a
# machine without SPE, says so, and exits 0.
set -u
O=${SPEKIT_BUILD:-build}
pass=0; fail=0
out=$(bash tools/scripts/run-main.sh "$O" 2>&1); rc=$?
check() { if eval "$2"; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi; }
check "exit 0" '[[ $rc -eq 0 ]]'
if ls -d /sys/bus/event_source/devices/arm_spe* >/dev/null 2>&1; then
	check "says SPE PMU found" 'grep -q "SPE PMU found" <<<"$out"'
else
	check "labelled SYNTHETIC" 'grep -q "SYNTHETIC trace" <<<"$out"'
	check "records shown" '[[ $(grep -c "^0x[0-9a-f]* cpu0 ts=" <<<"$out") -eq 8 ]]'
	check "stats shown, no damage" 'grep -q "^records 200000, .*bad bytes 0 in 0 places, records dropped 0" <<<"$out"'
fi
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
