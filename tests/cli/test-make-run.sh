#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# README's main command: `make run` runs spetop; on a machine without SPE it
# replays the bundled synthetic trace, says so, and exits 0.  (Its TUI side
# is tests/spetop/test-tui.sh.)
set -u
O=${SPEKIT_BUILD:-build}
pass=0; fail=0
out=$(bash tools/scripts/run-main.sh "$O" 2>&1 </dev/null); rc=$?
check() { if eval "$2"; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); echo "$out" | head -20 | sed 's/^/    /'; fi; }
check "exit 0" '[[ $rc -eq 0 ]]'
if ls -d /sys/bus/event_source/devices/arm_spe* >/dev/null 2>&1; then
	check "says SPE PMU found" 'grep -q "SPE PMU found" <<<"$out"'
else
	check "labelled SYNTHETIC" 'grep -q "SYNTHETIC trace" <<<"$out" && grep -q "^spetop  replay .*(SYNTHETIC)" <<<"$out"'
	check "three intervals and a summary" '[[ $(grep -c "^spetop  replay" <<<"$out") -eq 4 ]]'
	check "symbols of spedump in the table" 'grep -Eq " (spe_pkt_desc|recfmt_record|spe_decoder_next) +spedump$" <<<"$out"'
	check "no drops in the bundled trace" '! grep -E "^drops:" <<<"$out" | grep -qvE "^drops: truncated 0  collision 0  partial 0  lost 0  lost-samples 0  gaps 0  damaged-bytes 0  dropped-records 0  evicted-rows 0  overflow 0$"'
fi
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
