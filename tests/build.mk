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
