#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Run every test suite and total their results.
# Usage: run-suites.sh BUILD_DIR SUITE...
# A suite is an executable (C test binary or script) that prints one line per
# check and ends with "N passed, N failed".  A suite that ends without that
# line, or exits non-zero with no failures counted, counts as one failure.
set -u
O=$1; shift
export SPEKIT_BUILD=$O SPEKIT_ROOT=$PWD
tp=0; tf=0; bad_suites=()
for s in "$@"; do
	name=${s#"$O"/}
	echo "=== suite $name"
	out=$(mktemp)
	"$s" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
	rm -f "$out"
	if [[ -z "$line" ]]; then
		echo "FAIL suite $name: exited $rc without a result line"
		tf=$((tf + 1)); bad_suites+=("$name"); continue
	fi
	p=$(sed -E 's/^([A-Za-z]+: )?([0-9]+) passed.*/\2/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	if [[ $rc -ne 0 && $f -eq 0 ]]; then
		echo "FAIL suite $name: exited $rc"
		f=1
	fi
	tp=$((tp + p)); tf=$((tf + f))
	[[ $f -eq 0 ]] || bad_suites+=("$name")
done
echo
[[ ${#bad_suites[@]} -eq 0 ]] || echo "failing suites: ${bad_suites[*]}"
echo "$tp passed, $tf failed"
[[ $tf -eq 0 ]]
