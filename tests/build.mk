# SPDX-License-Identifier: GPL-2.0-only
# Test programs and the list of suites `make check` runs, in order.
UNIT_TESTS := test_decoder test_hist
UNIT_BINS  := $(addprefix $(O)/tests/,$(UNIT_TESTS))

$(O)/tests/%: $(O)/tests/unit/%.o $(LIBSPE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lm

.PHONY: test-bins
test-bins: $(UNIT_BINS)

TEST_SUITES += $(UNIT_BINS)

BENCH_BINS := $(O)/tests/bench_decode
$(O)/tests/bench_decode: $(O)/tests/bench/bench_decode.o $(LIBSPE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lm
test-bins: $(BENCH_BINS)

# Script suites (run from the repository root; SPEKIT_BUILD names $(O))
TEST_SUITES += tests/cli/test-spedump.sh
TEST_SUITES += tests/perf/test-vs-perf.sh
TEST_SUITES += tests/cli/test-make-run.sh
# Last: the fuzzers, FUZZ_SECONDS each
TEST_SUITES += tests/fuzz/suite.sh

# Driver code compiled for user space against tests/shim (kernel headers
# stand-ins), as the kernel's tools/testing/vma does with mm code.
SHIM_CFLAGS = $(ALL_CFLAGS) -Itests/shim
$(O)/tests/shim/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(SHIM_CFLAGS) -MMD -MP -c -o $@ $<
$(O)/tests/test_aux_ring: $(O)/tests/shim/tests/unit/test_aux_ring.o $(O)/tests/shim/driver/spe_aux_ring.o
	@mkdir -p $(dir $@)
	$(CC) $(SHIM_CFLAGS) -o $@ $^
test-bins: $(O)/tests/test_aux_ring
TEST_SUITES += $(O)/tests/test_aux_ring
