# SPDX-License-Identifier: GPL-2.0-only
# spetop capture: the perf mmap/AUX ring consumer (ring.c, pure) and the
# live side (live.c: PMU discovery in sysfs, perf_event_attr from filters,
# perf_event_open per CPU, mmap, poll).  live.c finds the PMUs with
# spedrops' pmu.c and reads CPU lists (cpumask, -C) with spedrops'
# cpulist.c, so whatever links live.o links $(SPETOP_PMU_OBJ) and
# $(SPETOP_CPULIST_OBJ) too (the tool has them among SPETOP_BPF_OBJS).
# Included from tools/spetop/build.mk (SPETOP_CFLAGS).
#   $(O)/tests/spetop/test_ring      a simulated kernel producer against
#                                    ring.c in seeded random schedules,
#                                    libspe decoding what was delivered;
#                                    corrupt rings
#   $(O)/tests/spetop/test_ring_san  the same under ASan+UBSan
#   $(O)/tests/spetop/test_live      format/ parsing, attrs from filters
#                                    against fake sysfs trees, the errno
#                                    messages, opening with no SPE PMU
#   $(O)/tests/spetop/test_live_san  the same under ASan+UBSan
SPETOP_CAPTURE_OBJS := $(O)/tools/spetop/ring.o $(O)/tools/spetop/live.o
SPETOP_PMU_OBJ := $(O)/tools/spedrops/pmu.o
SPETOP_CPULIST_OBJ := $(O)/tools/spedrops/cpulist.o

$(SPETOP_CAPTURE_OBJS): $(O)/tools/spetop/%.o: tools/spetop/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_CFLAGS) -Itools/spedrops -MMD -MP -c -o $@ $<

SCT := $(O)/tests/spetop
# spegen's packet encoder: the producer writes real SPE records with it
SPETOP_ENC_OBJ := $(O)/tools/spegen/spe_encode.o
SPETOP_TEST_CFLAGS = $(SPETOP_CFLAGS) -Itests/unit -Itools/spegen -Itools/spedrops

$(SCT)/test_ring.o $(SCT)/test_live.o: $(SCT)/%.o: tests/spetop/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_TEST_CFLAGS) -MMD -MP -c -o $@ $<
$(SCT)/test_ring: $(SCT)/test_ring.o $(O)/tools/spetop/ring.o $(SPETOP_ENC_OBJ) $(LIBSPE)
	$(CC) $(SPETOP_CFLAGS) -o $@ $^ -lm
$(SCT)/test_live: $(SCT)/test_live.o $(SPETOP_CAPTURE_OBJS) $(SPETOP_PMU_OBJ) $(SPETOP_CPULIST_OBJ) \
		  $(LIBSPE)
	$(CC) $(SPETOP_CFLAGS) -o $@ $^ -lm

# Sanitizer builds: everything the test runs compiled with ASan+UBSan (the
# decoder core too), objects under $(SCT)/san
SPETOP_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
              -fno-omit-frame-pointer
SPETOP_SAN_SRCS := tests/spetop/test_ring.c tests/spetop/test_live.c \
                   tools/spetop/ring.c tools/spetop/live.c tools/spedrops/pmu.c \
                   tools/spedrops/cpulist.c \
                   tools/spegen/spe_encode.c $(LIBSPE_CORE_SRCS)
$(patsubst %.c,$(SCT)/san/%.o,$(SPETOP_SAN_SRCS)): $(SCT)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_TEST_CFLAGS) -O1 $(SPETOP_SAN) -MMD -MP -c -o $@ $<
SPETOP_SAN_LIB := $(patsubst %.c,$(SCT)/san/%.o,$(LIBSPE_CORE_SRCS))
$(SCT)/test_ring_san: $(SCT)/san/tests/spetop/test_ring.o $(SCT)/san/tools/spetop/ring.o \
                      $(SCT)/san/tools/spegen/spe_encode.o $(SPETOP_SAN_LIB)
	$(CC) $(SPETOP_CFLAGS) $(SPETOP_SAN) -o $@ $^ -lm
$(SCT)/test_live_san: $(SCT)/san/tests/spetop/test_live.o $(SCT)/san/tools/spetop/ring.o \
                      $(SCT)/san/tools/spetop/live.o $(SCT)/san/tools/spedrops/pmu.o \
                      $(SCT)/san/tools/spedrops/cpulist.o
	$(CC) $(SPETOP_CFLAGS) $(SPETOP_SAN) -o $@ $^ -lm

SPETOP_CAPTURE_TESTS := $(SCT)/test_ring $(SCT)/test_ring_san \
                        $(SCT)/test_live $(SCT)/test_live_san
.PHONY: test-bins
test-bins: $(SPETOP_CAPTURE_TESTS)
TEST_SUITES += $(SPETOP_CAPTURE_TESTS)
