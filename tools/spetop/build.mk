# SPDX-License-Identifier: GPL-2.0-only
# spetop: the live view of SPE samples.  Parts, each with its own fragment:
#   agg.mk      exact compact histograms and the aggregation table (pure)
#   capture.mk  the perf mmap/AUX ring consumer (pure) and live capture
#   sym.mk      symbolisation (kallsyms, /proc/PID/maps, ELF symbols)
#   app.mk      the tool: sources, pipeline, batch/JSON/TUI
SPETOP_CFLAGS = $(ALL_CFLAGS) -Itools/spetop
-include tools/spetop/agg.mk
-include tools/spetop/capture.mk
-include tools/spetop/sym.mk
-include tools/spetop/app.mk
