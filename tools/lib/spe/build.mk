# SPDX-License-Identifier: GPL-2.0-only
# libspe: the decoder core (freestanding) plus text and perf.data support.
LIBSPE_CORE_SRCS := tools/lib/spe/spe_pkt.c tools/lib/spe/spe_record.c \
                    tools/lib/spe/spe_names.c tools/lib/spe/spe_dsrc.c \
                    tools/lib/spe/spe_op_tab.c
# perf.data reader and writer
LIBSPE_PERF_SRCS := $(wildcard tools/lib/spe/perf_*.c)
LIBSPE_SRCS := $(LIBSPE_CORE_SRCS) tools/lib/spe/spe_pkt_desc.c tools/lib/spe/spe_hist.c $(LIBSPE_PERF_SRCS)
LIBSPE_OBJS  = $(patsubst %.c,$(O)/%.o,$(LIBSPE_SRCS))
LIBSPE      := $(O)/lib/libspe.a

$(LIBSPE): $(LIBSPE_OBJS)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^
