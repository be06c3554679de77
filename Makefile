# SPDX-License-Identifier: GPL-2.0-only
#
# spekit top-level build.  Everything is built out of tree under $(O).
#   make          user-space tools and libspe for the host
#   make check    every test suite; ends with "N passed, N failed"
#   make run      the main job (see README)
#   make bench    benchmarks (ratios against references measured in the run)
#   make fuzz     libFuzzer targets under ASan+UBSan (FUZZ_SECONDS each)
# Each directory adds its own rules in a build.mk fragment.

O        ?= build
CC       ?= cc
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter -Werror=implicit-function-declaration
VERSION  := 0.1.0
SPE_CPPFLAGS := -Iinclude -Itools/lib/spe -D_GNU_SOURCE -DSPEKIT_VERSION=\"$(VERSION)\"
ALL_CFLAGS = -std=gnu11 $(WARN) $(SPE_CPPFLAGS) $(CFLAGS)
DEPS     := tools/scripts/install-deps.sh
FUZZ_SECONDS ?= 60

BINS :=
TEST_SUITES :=

.PHONY: all check run bench fuzz clean deps
all:

include tools/lib/spe/perf.mk
include tools/lib/spe/build.mk
include bpf/build.mk
include tools/spedump/build.mk
include tools/spegen/build.mk
include tools/spe-mkperf/build.mk
include tools/spedrops/build.mk
include tools/spetop/build.mk
include tests/bpf/build.mk
include tests/build.mk
include tests/fuzz/build.mk

all: $(BINS)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

deps:
	@bash $(DEPS) build test bpf

check:
	@bash $(DEPS) build test fuzz bpf
	@$(MAKE) --no-print-directory all test-bins fuzz-bins
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/run-suites.sh $(O) $(TEST_SUITES)

run:
	@bash $(DEPS) build bpf
	@$(MAKE) --no-print-directory all
	@bash tools/scripts/run-main.sh $(O)

bench:
	@bash $(DEPS) build test bpf
	@$(MAKE) --no-print-directory all test-bins
	@bash tests/bench/run-bench.sh $(O)

fuzz:
	@bash $(DEPS) build fuzz
	@$(MAKE) --no-print-directory fuzz-bins
	@bash tests/fuzz/run-fuzz.sh $(O) $(FUZZ_SECONDS)

clean:
	rm -rf $(O)

-include $(shell find $(O) -name '*.d' 2>/dev/null)
