# SPDX-License-Identifier: GPL-2.0-only
# spedrops: the libbpf loader for bpf/spedrops.bpf.c (needs bpf/build.mk
# first: $(SPEDROPS_SKEL), $(SPEDROPS_SKEL_ARM64)), and its tests.
#   $(O)/bin/spedrops               the host tool (dynamic libbpf)
#   make spedrops-arm64             $(O)/arm64/bin/spedrops, static, for the
#                                   QEMU guests (tools/scripts/arm64-sysroot.sh)
#   $(O)/tests/spedrops/test_logic  selection, PMU discovery, CPU lists,
#                                   names, stats, advice, options (no BPF)
#   $(O)/tests/spedrops/test_output text and JSON output (JSON parsed by python3)
#   tests/spedrops/test-cli.sh      the command line on this host, pinning
#                                   with bpftool, the arm64 static build
SPEDROPS_SRCS := $(wildcard tools/spedrops/*.c)
SPEDROPS_OBJS := $(patsubst %.c,$(O)/%.o,$(SPEDROPS_SRCS))
# What needs no libbpf: the unit tests link these alone
SPEDROPS_PURE := argnum names cpulist select probe pmu caps stats advice json \
                 out_text out_json opts pin
SPEDROPS_PURE_OBJS := $(patsubst %,$(O)/tools/spedrops/%.o,$(SPEDROPS_PURE))
SPEDROPS_LIBBPF_CFLAGS := $(shell pkg-config --cflags libbpf 2>/dev/null)
SPEDROPS_LIBBPF_LIBS   := $(or $(shell pkg-config --libs libbpf 2>/dev/null),-lbpf)
SPEDROPS_CFLAGS = $(ALL_CFLAGS) -I$(O)/bpf $(SPEDROPS_LIBBPF_CFLAGS)
BINS += $(O)/bin/spedrops

# Only loader.c includes the skeleton: the rest (and the unit tests) build
# without the BPF toolchain
$(SPEDROPS_OBJS): $(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(SPEDROPS_CFLAGS) -MMD -MP -c -o $@ $<
$(O)/tools/spedrops/loader.o: $(SPEDROPS_SKEL)

$(O)/bin/spedrops: $(SPEDROPS_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SPEDROPS_CFLAGS) -o $@ $^ $(SPEDROPS_LIBBPF_LIBS) -lm

# Static arm64 build: libc from the cross toolchain, libbpf/libelf/zlib
# from the sysroot the script prepares (and caches)
SPEDROPS_ARM64 := $(O)/arm64/bin/spedrops
.PHONY: spedrops-arm64
spedrops-arm64: $(SPEDROPS_ARM64)
$(SPEDROPS_ARM64): $(SPEDROPS_SRCS) $(wildcard tools/spedrops/*.h) include/spekit/spedrops.h \
                   $(SPEDROPS_SKEL_ARM64)
	@mkdir -p $(dir $@)
	@env=$$(bash tools/scripts/arm64-sysroot.sh --print-env) && eval "$$env" && \
	set -x && "$$CC" $$CFLAGS -std=gnu11 $(WARN) $(SPE_CPPFLAGS) $(OPT) -I$(dir $(SPEDROPS_SKEL_ARM64)) \
		-o $@.tmp $(SPEDROPS_SRCS) $$LDFLAGS $$LDLIBS -lm && mv -f $@.tmp $@

SDT := $(O)/tests/spedrops
$(SDT)/%.o: tests/spedrops/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SPEDROPS_CFLAGS) -Itests/unit -Itools/spedrops -MMD -MP -c -o $@ $<
$(SDT)/test_logic: $(SDT)/test_logic.o $(SPEDROPS_PURE_OBJS)
	$(CC) $(SPEDROPS_CFLAGS) -o $@ $^ -lm
$(SDT)/test_output: $(SDT)/test_output.o $(SPEDROPS_PURE_OBJS)
	$(CC) $(SPEDROPS_CFLAGS) -o $@ $^ -lm

test-bins: $(SDT)/test_logic $(SDT)/test_output $(O)/bin/spedrops
TEST_SUITES += $(SDT)/test_logic $(SDT)/test_output tests/spedrops/test-cli.sh
