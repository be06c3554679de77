#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make run: the main job, spetop.  On a machine with an Arm SPE PMU it runs
# live; elsewhere it replays a bundled SYNTHETIC trace (generated
# deterministically by spegen with PCs drawn from spekit's own spedump
# binary, wrapped by spe-mkperf into a perf.data with the COMM and MMAP2
# records that name its processes), saying which.  On a terminal the
# replay runs in the TUI at recorded speed (q quits); without one it
# prints a few intervals as text.
set -euo pipefail
O=${1:-build}
W=$O/run
mkdir -p "$W"
B=$(cd "$O/bin" && pwd)
spe=$(ls -d /sys/bus/event_source/devices/arm_spe* 2>/dev/null | head -1 || true)
tty=0
[[ -t 0 && -t 1 ]] && tty=1
if [[ -n $spe ]]; then
	echo "make run: SPE PMU found ($spe): spetop, live (q quits)."
	if ((tty)); then exec "$B/spetop"; fi
	exec "$B/spetop" -b -n 5
fi
echo "make run: no Arm SPE PMU on this machine ($(uname -m)); replaying a bundled"
echo "SYNTHETIC trace (spegen, Neoverse N1 model, fixed seed, 3 processes running"
echo "spekit's spedump), not a capture."
PD=$W/synthetic-n1.perf.data
# rebuilt by a newer spe-mkperf too: it writes the mark that makes spetop
# say SYNTHETIC (a perf.data is labelled by its contents, not its name)
if [[ ! -s $PD || $PD -ot $B/spedump || $PD -ot $B/spe-mkperf ]]; then
	"$B/spegen" --elf "$B/spedump" --load-base 0xaaaa00000000 --seed 42 --cpu-model n1 --pa \
		--context --pids 3 --kernel-share 0.15 -n 600000 -o "$W/synthetic-n1.raw"
	sz=$(stat -c %s "$B/spedump")
	sb=()
	for p in 1000 1001 1002; do
		sb+=(--comm "$p:$p:spedump" --mmap2 "$p:0xaaaa00000000:$sz:0:$B/spedump")
	done
	"$B/spe-mkperf" --midr "$("$B/spegen" --cpu-model n1 --print-midr)" --chunk 1048576 \
		"${sb[@]}" -o "$PD.tmp" "$W/synthetic-n1.raw"
	mv -f "$PD.tmp" "$PD"
fi
if ((tty)); then
	exec "$B/spetop" --replay "$PD"
fi
echo "(not a terminal: three 1-second intervals as text; on a terminal this is the TUI)"
echo
exec "$B/spetop" --replay "$PD" -b --fast -n 3 --rows 10
