# SPDX-License-Identifier: GPL-2.0-only
SPEDUMP_SRCS := $(wildcard tools/spedump/*.c)
# numeric options through spedrops' argnum.c (libc only), as the other tools
SPEDUMP_OBJS := $(patsubst %.c,$(O)/%.o,$(SPEDUMP_SRCS)) $(O)/tools/spedrops/argnum.o
$(O)/tools/spedump/spedump.o: ALL_CFLAGS += -Itools/spedrops
BINS += $(O)/bin/spedump

$(O)/bin/spedump: $(SPEDUMP_OBJS) $(LIBSPE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lm
