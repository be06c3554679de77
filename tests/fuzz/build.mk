# SPDX-License-Identifier: GPL-2.0-only
# libFuzzer targets, built with clang under ASan and UBSan.
FUZZ_CC     ?= clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=undefined $(SPE_CPPFLAGS)
FUZZ_LIB_SRCS = $(LIBSPE_SRCS)
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(O)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: fuzz-bins
fuzz-bins: $(FUZZ_TARGETS)

$(O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIBSPE_SRCS) $(wildcard tools/lib/spe/*.h include/spekit/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_LIB_SRCS) -lm
