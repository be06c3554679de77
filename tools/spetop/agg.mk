# SPDX-License-Identifier: GPL-2.0-only
# spetop's pure parts: xhist (compact exact histograms) and agg (the
# aggregation table).  No libc beyond malloc and libm; the tool links
# $(SPETOP_AGG_OBJS).
#   $(O)/tests/spetop/test_xhist  percentiles against sort + nearest rank and
#                                 spe_hist, merge, clear, memory, ENOMEM
#   $(O)/tests/spetop/test_agg    rows, intervals, totals, top, overflow row,
#                                 eviction against a brute-force model
SPETOP_AGG_OBJS := $(O)/tools/spetop/xhist.o $(O)/tools/spetop/agg.o

$(SPETOP_AGG_OBJS): $(O)/tools/spetop/%.o: tools/spetop/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_CFLAGS) -MMD -MP -c -o $@ $<

SPETOP_AGG_TESTS := $(O)/tests/spetop/test_xhist $(O)/tests/spetop/test_agg

$(SPETOP_AGG_TESTS:%=%.o): $(O)/tests/spetop/%.o: tests/spetop/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_CFLAGS) -Itests/unit -MMD -MP -c -o $@ $<
$(O)/tests/spetop/test_xhist: $(O)/tests/spetop/test_xhist.o $(SPETOP_AGG_OBJS) $(LIBSPE)
	$(CC) $(SPETOP_CFLAGS) -o $@ $^ -lm
$(O)/tests/spetop/test_agg: $(O)/tests/spetop/test_agg.o $(SPETOP_AGG_OBJS) $(LIBSPE)
	$(CC) $(SPETOP_CFLAGS) -o $@ $^ -lm

test-bins: $(SPETOP_AGG_TESTS)
TEST_SUITES += $(SPETOP_AGG_TESTS)
