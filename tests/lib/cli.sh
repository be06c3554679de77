# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the command-line suites (spedump, spedrops, spetop): the
# pass/fail tally and the checks they share.  The suite sets T (a scratch
# directory) and EXPECT_BIN (the tool expect runs); ENVV, an array of
# NAME=VALUE, is the environment expect adds; EXPECT_STDIN, if set, is
# the file expect's runs read (default: the suite's own stdin).
pass=0 fail=0
ok()   { echo "ok   $1"; pass=$((pass + 1)); }
bad()  { echo "FAIL $1: $2"; fail=$((fail + 1)); }
# check NAME SHELL_TEST [WHAT_TO_SAY]
check() { if eval "$2"; then ok "$1"; else bad "$1" "${3:-$2}"; fi; }

# expect NAME STATUS STDERR_REGEX -- ARGS...: run the tool, check its exit
# status and that stderr is exactly one line matching the regex (or empty
# for ""); never a signal
ENVV=()
expect() {
	local name=$1 want=$2 re=$3; shift 4
	env ${ENVV[@]+"${ENVV[@]}"} "$EXPECT_BIN" "$@" >"$T/out" 2>"$T/err" <"${EXPECT_STDIN:-/dev/stdin}"
	local rc=$? lines
	lines=$(wc -l <"$T/err")
	if [[ $rc -ge 128 ]]; then bad "$name" "killed by signal $((rc - 128))"; return 1; fi
	if [[ $rc -ne $want ]]; then bad "$name" "exit $rc, want $want; stderr: $(head -c 600 "$T/err")"; return 1; fi
	if [[ -z $re ]]; then
		[[ $lines -eq 0 ]] || { bad "$name" "unexpected stderr: $(head -c 300 "$T/err")"; return 1; }
	else
		[[ $lines -eq 1 ]] || { bad "$name" "want one stderr line, got $lines: $(head -c 600 "$T/err")"; return 1; }
		grep -Eq -- "$re" "$T/err" || { bad "$name" "stderr '$(cat "$T/err")' !~ /$re/"; return 1; }
	fi
	ok "$name"
}

# same_output NAME RUN ARGS... :: ARGS...: RUN (a function of the suite's,
# called as RUN OUTFILE ARGS...) once with each side's arguments; ok when
# both succeed and write the same bytes (two spellings of one value)
same_output() {
	local name=$1 run=$2 a=() b=() side=a x
	shift 2
	for x in "$@"; do
		if [[ $x == :: ]]; then side=b; elif [[ $side == a ]]; then a+=("$x"); else b+=("$x"); fi
	done
	if "$run" "$T/same.a" "${a[@]}" 2>"$T/err" && "$run" "$T/same.b" "${b[@]}" 2>>"$T/err" &&
	   cmp -s "$T/same.a" "$T/same.b"; then
		ok "$name"
	else
		bad "$name" "failed or differ: $(head -c 300 "$T/err" | tr '\n' ' ')"
	fi
}
