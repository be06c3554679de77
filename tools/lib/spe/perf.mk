# SPDX-License-Identifier: GPL-2.0-only
#
# libspe perf.data support: reader (perf_data*.c, perf_meta.c) and writer
# (perf_write.c).  Objects are built by the root's $(O)/%.o rule and go
# into libspe; tools that need only perf.data support can link
# $(LIBSPE_PERF_OBJS) alone.

SPE_PERF_SRCS := \
	tools/lib/spe/perf_data.c \
	tools/lib/spe/perf_data_next.c \
	tools/lib/spe/perf_meta.c \
	tools/lib/spe/perf_write.c

LIBSPE_PERF_OBJS += $(SPE_PERF_SRCS:%.c=$(O)/%.o)
