# SPDX-License-Identifier: GPL-2.0-only
# spedrops' BPF programs under test (needs bpf/build.mk first):
#   test_spedrops_header  the shared header's helpers (log2 slot, PMU filter)
#   test_spedrops_objs    host and arm64 objects/skeletons: programs, maps
#   test_spedrops_maps    raw_tp programs through the real verifier and
#                         BPF_PROG_TEST_RUN, map and ring contents exactly,
#                         verified-instruction budgets (root)
#   bench_spedrops        ns/event per program vs an empty one (make bench)
LIBBPF_CFLAGS := $(shell pkg-config --cflags libbpf 2>/dev/null)
LIBBPF_LIBS   := $(or $(shell pkg-config --libs libbpf 2>/dev/null),-lbpf -lelf -lz)
BPFT_CFLAGS    = $(ALL_CFLAGS) -Itests/unit -I$(O)/bpf $(LIBBPF_CFLAGS) \
                 -DSPEDROPS_BPF_DIR='"$(abspath $(O))/bpf"'
BPFT           := $(O)/tests/bpf

# Every object here may include a skeleton: generate both first
$(BPFT)/%.o: tests/bpf/%.c $(SPEDROPS_SKEL) $(SPEDROPS_SKEL_ARM64)
	@mkdir -p $(dir $@)
	$(CC) $(BPFT_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/tests/test_spedrops_header: $(BPFT)/test_spedrops_header.o
	$(CC) $(BPFT_CFLAGS) -o $@ $^
$(O)/tests/test_spedrops_objs: $(BPFT)/test_spedrops_objs.o $(BPFT)/skel_arm64.o
	$(CC) $(BPFT_CFLAGS) -o $@ $^ $(LIBBPF_LIBS)
$(O)/tests/test_spedrops_maps: $(BPFT)/test_spedrops_maps.o $(BPFT)/spedrops_run.o \
			       $(O)/tools/spedrops/read.o $(O)/tools/spedrops/stats.o
	$(CC) $(BPFT_CFLAGS) -o $@ $^ $(LIBBPF_LIBS)
$(O)/tests/bench_spedrops: $(BPFT)/bench_spedrops.o $(BPFT)/spedrops_run.o \
			   $(O)/tools/spedrops/read.o $(O)/tools/spedrops/stats.o
	$(CC) $(BPFT_CFLAGS) -o $@ $^ $(LIBBPF_LIBS)

SPEDROPS_TESTS := $(addprefix $(O)/tests/,test_spedrops_header test_spedrops_objs test_spedrops_maps)
test-bins: $(SPEDROPS_TESTS) $(O)/tests/bench_spedrops
TEST_SUITES += $(SPEDROPS_TESTS)
