# SPDX-License-Identifier: GPL-2.0-only
# Test programs and the list of suites `make check` runs, in order.
UNIT_TESTS := test_decoder test_shapes test_hist
UNIT_BINS  := $(addprefix $(O)/tests/,$(UNIT_TESTS))

$(O)/tests/%: $(O)/tests/unit/%.o $(LIBSPE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lm

.PHONY: test-bins
test-bins: $(UNIT_BINS)

TEST_SUITES += $(UNIT_BINS)

BENCH_BINS := $(O)/tests/bench_decode
$(O)/tests/bench_decode: $(O)/tests/bench/bench_decode.o $(LIBSPE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lm
test-bins: $(BENCH_BINS)

# Script suites (run from the repository root; SPEKIT_BUILD names $(O))
TEST_SUITES += tests/cli/test-spedump.sh
TEST_SUITES += tests/cli/test-spegen.sh
TEST_SUITES += tests/perf/test-vs-perf.sh
TEST_SUITES += tests/cli/test-make-run.sh

# Driver code compiled for user space against tests/shim (kernel headers
# stand-ins), as the kernel's tools/testing/vma does with mm code.
SHIM_CFLAGS = $(ALL_CFLAGS) -Itests/shim
$(O)/tests/shim/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(SHIM_CFLAGS) -MMD -MP -c -o $@ $<
$(O)/tests/test_aux_ring: $(O)/tests/shim/tests/unit/test_aux_ring.o $(O)/tests/shim/driver/spe_aux_ring.o
	@mkdir -p $(dir $@)
	$(CC) $(SHIM_CFLAGS) -o $@ $^
test-bins: $(O)/tests/test_aux_ring
TEST_SUITES += $(O)/tests/test_aux_ring

# The driver harness (tests/driver/harness): the driver's buffer and cfg
# code from driver/, built against tests/shim (force-including kconfig.h
# and compiler_types.h as kernel builds do) with a simulated SPE unit and
# a model of perf's AUX handle around it.  Variants: the default (6.12,
# CONFIG_PID_IN_CONTEXTIDR=y), 6.1 (no perf_event_attr::config3) and no
# CONFIG_PID_IN_CONTEXTIDR for the cfg checks, and everything again under
# ASan+UBSan.
DRVH       := tests/driver/harness
# The driver sources under test (tests/driver/harness/mutants.py points
# this at mutated copies)
DRVH_DRV   ?= driver
DRVH_SRCS  := tests/shim/shim_env.c tests/shim/shim_printk.c \
              tests/shim/shim_trace.c \
              $(DRVH)/spe_records.c $(DRVH)/spe_sim.c $(DRVH)/perf_model.c \
              $(DRVH)/aux_check.c $(DRVH)/harness.c \
              $(DRVH_DRV)/arm_spe_pmu_buf.c $(DRVH_DRV)/arm_spe_pmu_cfg.c \
              $(DRVH_DRV)/spe_aux_ring.c
DRVH_CFLAGS = $(SHIM_CFLAGS) -I$(DRVH) -Itests/unit \
              -include linux/kconfig.h -include linux/compiler_types.h \
              '-DKBUILD_MODNAME="arm_spe_pmu"' \
              -Wno-sign-compare
# What driver/Kbuild's feature test finds in a 6.12 tree (config3 exists)
DRVH_612   := -DARM_SPE_HAVE_CONFIG3
DRVH_BUF_TESTS := ring fault snapshot startstop
DRVH_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
              -fno-omit-frame-pointer

# $(call drvh_variant,NAME,FLAGS): objects under $(O)/tests/drvh-NAME
define drvh_variant
$(O)/tests/drvh-$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(DRVH_CFLAGS) $(2) -MMD -MP -c -o $$@ $$<
DRVH_OBJS_$(1) := $$(patsubst %.c,$(O)/tests/drvh-$(1)/%.o,$$(DRVH_SRCS))
endef
# $(call drvh_bin,BINARY,VARIANT,TEST,LINK FLAGS): a suite for make check
# (drvh-bins: the harness binaries alone)
.PHONY: drvh-bins
define drvh_bin
$(O)/tests/$(1): $(O)/tests/drvh-$(2)/$(DRVH)/test_driver_$(3).o $$(DRVH_OBJS_$(2))
	@mkdir -p $$(dir $$@)
	$$(CC) $$(DRVH_CFLAGS) $(4) -o $$@ $$^
test-bins drvh-bins: $(O)/tests/$(1)
TEST_SUITES += $(O)/tests/$(1)
endef

$(eval $(call drvh_variant,std,$(DRVH_612) -DCONFIG_PID_IN_CONTEXTIDR=1))
$(eval $(call drvh_variant,v61,-DCONFIG_PID_IN_CONTEXTIDR=1 '-DSHIM_LINUX_VERSION_CODE=KERNEL_VERSION(6, 1, 0)'))
$(eval $(call drvh_variant,nocx,$(DRVH_612)))
$(eval $(call drvh_variant,san,$(DRVH_612) -DCONFIG_PID_IN_CONTEXTIDR=1 -O1 $(DRVH_SAN)))

$(foreach t,$(DRVH_BUF_TESTS) cfg,$(eval $(call drvh_bin,test_driver_$(t),std,$(t),)))
$(eval $(call drvh_bin,test_driver_cfg_v61,v61,cfg,))
$(eval $(call drvh_bin,test_driver_cfg_nocx,nocx,cfg,))
$(foreach t,$(DRVH_BUF_TESTS) cfg,$(eval $(call drvh_bin,test_driver_$(t)_san,san,$(t),$(DRVH_SAN))))

# The driver against real kernels: Debian's arm64 6.1 and 6.12 trees
# (downloaded and prepared on first use, cached in /var/cache/spekit), W=1,
# sparse and checkpatch; the DKMS recipe; the kernels booted under QEMU.
TEST_SUITES += tests/driver/test-build.sh
TEST_SUITES += tests/driver/test-dkms.sh
TEST_SUITES += tests/driver/test-qemu.sh

# The BPF toolchain end to end: host and arm64 objects and skeletons, a
# static arm64 libbpf loader, and which attach types (raw_tp, kprobe,
# fentry) load and attach in Debian's arm64 6.1 and 6.12 kernels under QEMU.
TEST_SUITES += tools/scripts/bpf-toolchain.sh

# spedrops itself in those kernels: each mode chosen and attached for real
# (stock kernel: fentry on 6.12, kprobe fallback on 6.1; module loaded:
# tp_btf, raw_tp), a few seconds each, the attachment seen from the kernel.
TEST_SUITES += tests/spedrops/test-qemu.sh
# The guide's bpftrace one-liners, compiled against the tracepoint formats
# those kernels printed (tests/driver/test-qemu.sh saves them)
TEST_SUITES += tests/spedrops/test-bpftrace.sh

# Last: the fuzzers, FUZZ_SECONDS each
TEST_SUITES += tests/fuzz/suite.sh
