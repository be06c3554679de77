# SPDX-License-Identifier: GPL-2.0-only
# Sourced by spedrops' and spetop's command-line suites after cli.sh: -C
# lists through the one parser the two tools share (tools/spedrops/
# cpulist.c).  Both suites run these same cases, so a tool that words a bad
# list its own way, or refuses a list the other takes, fails here.
#
# expect_cpulists TOOL HINT_REGEX ARGS...: TOOL is the stderr prefix
# ("spedrops"), ARGS what each run adds so that an accepted list ends the
# run quickly (a duration, -n 1).
expect_cpulists() {
	local tool=$1 hint=$2 want='; want e\.g\. 0-3,8 \(CPUs 0-4095\)' l rc
	shift 2
	local pre="^$tool: -C: bad CPU list entry"

	expect "-C 3-1: descending range" 2 \
		"$pre '3-1': the range ends before it starts$want $hint" -- "$@" -C 3-1
	expect "-C 0-3,x: not a CPU" 2 \
		"$pre 'x': not a CPU number or range$want $hint" -- "$@" -C 0-3,x
	expect "-C 4096: past the limit" 2 \
		"$pre '4096': beyond CPU 4095$want $hint" -- "$@" -C 4096
	expect "-C 1,: trailing comma" 2 \
		"$pre '': nothing after the last comma$want $hint" -- "$@" -C 1,
	expect "-C '': empty list" 2 \
		"$pre '': the list is empty$want $hint" -- "$@" -C ''
	expect "-C '0 ': blanks are not trimmed" 2 \
		"$pre '0 ': not a CPU number or range$want $hint" -- "$@" -C '0 '
	expect "-C '1\\n2': a newline stays one line" 2 \
		"$pre '1\\\\n2': not a CPU number or range$want $hint" -- "$@" -C $'1\n2'

	# accepted: whatever the run then says, it is not about -C
	for l in 0,0-0 00 0-0,0; do
		env ${ENVV[@]+"${ENVV[@]}"} "$EXPECT_BIN" "$@" -C "$l" >"$T/out" 2>"$T/err" \
			<"${EXPECT_STDIN:-/dev/stdin}"
		rc=$?
		if [[ $rc -ne 2 && $rc -lt 128 ]] && ! grep -q -- '-C:' "$T/err"; then
			ok "-C $l: accepted"
		else
			bad "-C $l: accepted" "exit $rc: $(head -c 300 "$T/err")"
		fi
	done
}
