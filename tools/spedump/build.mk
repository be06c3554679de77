# SPDX-License-Identifier: GPL-2.0-only
SPEDUMP_SRCS := $(wildcard tools/spedump/*.c)
SPEDUMP_OBJS := $(patsubst %.c,$(O)/%.o,$(SPEDUMP_SRCS))
BINS += $(O)/bin/spedump

$(O)/bin/spedump: $(SPEDUMP_OBJS) $(LIBSPE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lm
