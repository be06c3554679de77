# SPDX-License-Identifier: GPL-2.0-only
#
# spegen: SYNTHETIC Arm SPE AUX stream generator (tools/spegen).
# Included from the top-level Makefile; uses its $(O)/%.o pattern rule.

SPEGEN_SRCS := tools/spegen/spe_encode.c tools/spegen/spegen_rand.c \
	       tools/spegen/spegen_syms.c tools/spegen/spegen_model.c \
	       tools/spegen/spegen_gen.c tools/spegen/spegen_damage.c \
	       tools/spegen/spegen_opts.c tools/spegen/spegen_main.c
SPEGEN_OBJS := $(SPEGEN_SRCS:%.c=$(O)/%.o)
# everything but main(): what the unit test links against
SPEGEN_LIB_OBJS := $(filter-out $(O)/tools/spegen/spegen_main.o \
			$(O)/tools/spegen/spegen_opts.o,$(SPEGEN_OBJS))
SPEGEN_LIBS := -lelf -lm
# Numeric options go through spedrops' argnum.c, as spedrops' and spetop's
# do: one strict parser (whole string, range) for every tool
SPEGEN_ARGNUM_OBJ := $(O)/tools/spedrops/argnum.o
$(O)/tools/spegen/spegen_opts.o: ALL_CFLAGS += -Itools/spedrops

BINS += $(O)/bin/spegen

$(O)/bin/spegen: $(SPEGEN_OBJS) $(SPEGEN_ARGNUM_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(SPEGEN_LIBS)

# Unit test: encoder bytes, saturation, determinism, --version limits.
SPEGEN_TEST := $(O)/tests/test_spegen
TEST_SUITES += $(SPEGEN_TEST)

$(SPEGEN_TEST): $(O)/tests/unit/test_spegen.o $(SPEGEN_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(SPEGEN_LIBS)

.PHONY: test-bins
test-bins: $(SPEGEN_TEST)
