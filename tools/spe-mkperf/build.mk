# SPDX-License-Identifier: GPL-2.0-only
#
# spe-mkperf: wrap raw SPE bytes into perf.data.  Needs tools/lib/spe/perf.mk
# included first (LIBSPE_PERF_OBJS); links only those, so it does not depend
# on the decoder.  Numeric options go through spedrops' argnum.c (libc
# only), as in spedrops, spetop and spegen.

SPE_MKPERF_OBJS := \
	$(O)/tools/spe-mkperf/spe-mkperf.o \
	$(O)/tools/spe-mkperf/chunk.o \
	$(O)/tools/spedrops/argnum.o
$(O)/tools/spe-mkperf/spe-mkperf.o: ALL_CFLAGS += -Itools/spedrops

$(O)/bin/spe-mkperf: $(SPE_MKPERF_OBJS) $(LIBSPE_PERF_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^

BINS += $(O)/bin/spe-mkperf

# Tests of the perf.data code.  $(O)/tests/test_perf_data is built by the
# $(O)/tests/% rule of tests/build.mk; the script needs spe-mkperf and perf.
.PHONY: test-bins
test-bins: $(O)/tests/test_perf_data $(O)/bin/spe-mkperf

TEST_SUITES += $(O)/tests/test_perf_data tests/perf/test-mkperf-vs-perf.sh
