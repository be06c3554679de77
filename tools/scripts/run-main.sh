#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make run: the main job.  On a machine with an Arm SPE PMU it says so and
# points at live capture; elsewhere it replays a bundled SYNTHETIC trace
# (generated deterministically by spegen, wrapped as perf.data) through
# spedump, saying which.  spetop (issue 5) takes over this job when it lands.
set -euo pipefail
O=${1:-build}
W=$O/run
mkdir -p "$W"
spe=$(ls -d /sys/bus/event_source/devices/arm_spe* 2>/dev/null | head -1 || true)
if [[ -n $spe ]]; then
	echo "make run: SPE PMU found ($spe)."
	echo "Live view: record with perf, then decode with spedump:"
	echo "  perf record -e $(basename "$spe")// -a -- sleep 5 && $O/bin/spedump --stats perf.data"
	exit 0
fi
echo "make run: no Arm SPE PMU on this machine ($(uname -m)); replaying a bundled"
echo "SYNTHETIC trace (spegen, Neoverse N1 model, fixed seed), not a capture."
echo
PD=$W/synthetic-n1.perf.data
if [[ ! -s $PD ]]; then
	"$O/bin/spegen" --elf none --seed 42 --cpu-model n1 --pa --context -n 200000 \
		-o "$W/synthetic-n1.raw"
	"$O/bin/spe-mkperf" --midr "$("$O/bin/spegen" --cpu-model n1 --print-midr)" \
		--chunk 1048576 -o "$PD" "$W/synthetic-n1.raw"
fi
echo "== first records (spedump $PD | head)"
# head closes the pipe early: spedump's SIGPIPE is expected there
{ "$O/bin/spedump" "$PD" || true; } | head -8
echo
echo "== summary (spedump --stats)"
"$O/bin/spedump" --stats "$PD"
