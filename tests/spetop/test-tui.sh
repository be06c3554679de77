#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# spetop's TUI used as a person uses it: tmux runs `spetop --replay` on a
# real (pseudo) terminal; keys go in with send-keys, the screen comes back
# with capture-pane and is asserted: grouping and sort change, help opens
# and closes, a row is selected and its histogram follows, a filter is
# typed, the window is resized; q quits and Ctrl-C (SIGINT) too, both with
# exit 0, the alternate screen left and the terminal modes restored
# (stty: icanon echo).  Input: the bundled synthetic trace of make run.
set -u
O=${SPEKIT_BUILD:-build}
B=$(cd "$O/bin" && pwd)
T=$(mktemp -d)
S=spetop-test-$$
pass=0 fail=0
ok()  { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
RUN=0	# one tmux server per spetop run: -L $S$RUN
cleanup() { for ((i = 0; i <= RUN; i++)); do tmux -L "$S$i" kill-server 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT
tm() { tmux -L "$S$RUN" "$@"; }
screen() { tm capture-pane -p -t "$S" 2>/dev/null; }
# wait_for REGEX [SECONDS]: until the screen matches
wait_for() {
	local i
	for ((i = 0; i < ${2:-10} * 10; i++)); do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
# expect_screen NAME REGEX: wait for it, else fail with the screen's top
expect_screen() {
	if wait_for "$2" "${3:-10}"; then ok "$1"; else bad "$1" "screen !~ /$2/: $(screen | head -8 | tr '\n' '|')"; fi
}

command -v tmux >/dev/null || { echo "FAIL tmux missing (tools/scripts/install-deps.sh test)"; echo "0 passed, 1 failed"; exit 1; }
# the same trace make run replays
bash tools/scripts/run-main.sh "$O" >/dev/null 2>&1 </dev/null
PD=$O/run/synthetic-n1.perf.data
[[ -s $PD ]] || { echo "FAIL no $PD"; echo "0 passed, 1 failed"; exit 1; }
PD=$(cd "$(dirname "$PD")" && pwd)/$(basename "$PD")

# start CMD: spetop in a fresh 160x50 tmux window; after it exits the
# shell records its status and the terminal modes
start() {
	tm kill-server 2>/dev/null
	RUN=$((RUN + 1))
	rm -f "$T/exit" "$T/stty"
	tm new-session -d -s "$S" -x 160 -y 50 \
		"stty sane; $B/spetop --replay $PD $*; echo EXIT=\$? >$T/exit; stty -a >$T/stty; sleep 30"
}
exited() {
	local i
	for ((i = 0; i < 50; i++)); do [[ -s $T/stty ]] && return 0; sleep 0.1; done
	return 1
}
restored() {
	# canonical mode and echo back on, the alternate screen left
	grep -qw icanon "$T/stty" && grep -qw echo "$T/stty" && ! grep -qw -- -icanon "$T/stty" &&
		[[ $(tm display-message -p -t "$S" '#{alternate_on}') == 0 ]]
}

# a fifth of the recorded speed, 0.4 s intervals: the 6 s trace lasts the
# whole test, a new interval every 2 s
start --speed 0.2 -d 0.4
expect_screen "first screen at once, saying the interval is under way" "the first interval \(0.4 s of recorded time\) is under way" 3
expect_screen "TUI up: header, table, histogram, key line" \
	"^spetop  replay synthetic-n1.perf.data \(SYNTHETIC\)  x0.2  t=[0-9.]+s  interval [0-9]+ \(0.40s\)  group symbol  sort samples  last interval"
s=$(screen)
grep -q "^  SAMPLES  SHARE    P50    P90    P99  ISS50  XLT50   L1D%   LLC%   TLB%   REM%  SYMBOL" <<<"$s" &&
	grep -q "^total latency of " <<<"$s" && grep -q "^q quit  g group  s sort" <<<"$s" &&
	ok "screen layout: table header, histogram, key line" || bad "screen layout" "$(head -12 <<<"$s")"
wait_for " spedump$" 5 && ok "rows name spedump's functions" || bad "rows" "$(screen | sed -n 6,10p)"
tm send-keys -t "$S" g
expect_screen "g: grouping pc, PC column, counts restart (note)" "group pc .*"
wait_for "^  SAMPLES .* PC +SYMBOL" && wait_for "^ +[0-9]+ .* 0x[0-9a-f]+ +[a-z_]+\+0x[0-9a-f]+ spedump$" 5 &&
	ok "pc rows: address, symbol+offset, DSO" || bad "pc rows" "$(screen | sed -n 5,8p)"
tm send-keys -t "$S" g g g
expect_screen "g g g: grouping dsrc" "group dsrc "
wait_for "^ +[0-9]+ .* L1D +arm-common" 5 && ok "dsrc rows: L1D named for Neoverse N1" || bad "dsrc rows" "$(screen | sed -n 5,9p)"
tm send-keys -t "$S" s
expect_screen "s: sort p50" "sort p50 "
tm send-keys -t "$S" c
expect_screen "c: cumulative" "sort p50  cumulative"
tm send-keys -t "$S" h
expect_screen "h: help screen" "^  spetop keys"
tm send-keys -t "$S" x
expect_screen "any key closes help" "^spetop  replay"
tm send-keys -t "$S" G G G G
expect_screen "G x4: back to symbol" "group symbol "
tm send-keys -t "$S" s s s s s s s s
expect_screen "s x8: sort samples again" "group symbol  sort samples"
wait_for "^total latency of [^(]" 10
first=$(screen | sed -n 's/^total latency of \(.*\): [0-9]* samples.*/\1/p')
tm send-keys -t "$S" Down
sleep 0.3
second=$(screen | sed -n 's/^total latency of \(.*\): [0-9]* samples.*/\1/p')
row2=$(screen | sed -n 7p | awk '{print $12}')
[[ -n $first && -n $second && $first != "$second" && $second == "$row2" ]] &&
	ok "Down: the histogram follows the selection ($first -> $second)" ||
	bad "selection" "first '$first' second '$second' row 2 '$row2'"
tm send-keys -t "$S" / s p e _ p k t Enter
expect_screen "/ filter: only matching rows" "filter 'spe_pkt'"
sleep 1.2
n=$(screen | sed -n '6,25p' | grep -E '^ +[0-9]+ ' | grep -vc spe_pkt)
[[ $n -eq 0 ]] && ok "filtered table holds only spe_pkt rows" || bad "filter" "$(screen | sed -n 5,10p)"
tm send-keys -t "$S" / BSpace BSpace BSpace BSpace BSpace BSpace BSpace Enter
tm send-keys -t "$S" space
expect_screen "space: paused" "\[paused\]"
a=$(screen | head -1)
sleep 1.5
[[ $(screen | head -1) == "$a" ]] && ok "paused: the screen holds still" || bad "pause" "header moved"
tm send-keys -t "$S" space
sleep 1.5
[[ $(screen | head -1) != "$a" ]] && ok "resumed: intervals go on" || bad "resume" "header still '$a'"
tm resize-window -t "$S" -x 100 -y 24
expect_screen "resize to 100x24: redrawn" "^spetop  replay"
sleep 1.2
s=$(screen)
w=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' <<<"$s")
[[ $w -le 100 ]] && ! grep -q "^total latency of" <<<"$s" && grep -q "^q quit" <<<"$s" &&
	ok "100x24: nothing wider than 100 columns, no room for the histogram, key line kept" ||
	bad "resize" "width $w: $(tail -3 <<<"$s")"
tm resize-window -t "$S" -x 160 -y 50
expect_screen "resize back to 160x50: histogram again" "^total latency of "
tm send-keys -t "$S" q
exited && [[ $(cat "$T/exit") == EXIT=0 ]] && ok "q: exit 0" || bad "q" "$(cat "$T/exit" 2>/dev/null)"
restored && ok "q: terminal restored (icanon echo, main screen)" || bad "q: terminal" "$(head -c 300 "$T/stty" 2>/dev/null)"

# Ctrl-C
start --speed 0.2 -d 0.4
expect_screen "second run up" "^spetop  replay"
tm send-keys -t "$S" C-c
exited && [[ $(cat "$T/exit") == EXIT=0 ]] && ok "Ctrl-C: exit 0" || bad "Ctrl-C" "$(cat "$T/exit" 2>/dev/null)"
restored && ok "Ctrl-C: terminal restored (icanon echo, main screen)" || bad "Ctrl-C: terminal" "$(head -c 300 "$T/stty" 2>/dev/null)"

# end of input: the last interval stays, marked, until q
start --fast
expect_screen "--fast: end of input shown, waits for q" "end of input: q quits"
screen | grep -q "\[end of input\]" && ok "header says end of input" || bad "end of input" "$(screen | sed -n 2p)"
tm send-keys -t "$S" q
exited && [[ $(cat "$T/exit") == EXIT=0 ]] && ok "q after the end: exit 0" || bad "q after end" "$(cat "$T/exit" 2>/dev/null)"

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
