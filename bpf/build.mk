# SPDX-License-Identifier: GPL-2.0-only
# spedrops' CO-RE BPF programs: one object per target architecture, built
# against vmlinux/<arch>/vmlinux.h, and a libbpf skeleton embedding each.
#   $(SPEDROPS_SKEL)        the host's (x86 here): the native loader, the tests
#   $(SPEDROPS_SKEL_ARM64)  arm64's, for the cross-built loader
# Both skeletons are named spedrops_bpf, so one loader source takes either;
# the arm64 one lives in its own directory because the object it embeds
# differs (bpf_tracing.h reads kprobe arguments from each arch's pt_regs).
BPF_CLANG  ?= clang
BPF_STRIP  ?= llvm-strip
BPFTOOL    ?= bpftool
BPF_CFLAGS := -g -O2 -Wall -Werror -target bpf -Ivmlinux -Iinclude
BPF_HOST_ARCH := $(patsubst x86_64,x86,$(patsubst aarch64,arm64,$(shell uname -m)))

SPEDROPS_BPF_SRC    := bpf/spedrops.bpf.c
SPEDROPS_OBJ        := $(O)/bpf/spedrops.bpf.o
SPEDROPS_OBJ_ARM64  := $(O)/bpf/arm64/spedrops.bpf.o
SPEDROPS_SKEL       := $(O)/bpf/spedrops.skel.h
SPEDROPS_SKEL_ARM64 := $(O)/bpf/arm64/spedrops.skel.h

# $(call spedrops_bpf_obj,OBJECT,ARCH): compile, then drop DWARF but keep
# .BTF/.BTF.ext (CO-RE relocations and typed maps need them), as
# libbpf-tools does; via a temporary so a failed step leaves no object.
define spedrops_bpf_obj
$(1): $(SPEDROPS_BPF_SRC)
	@mkdir -p $$(dir $$@)
	$$(BPF_CLANG) $$(BPF_CFLAGS) -D__TARGET_ARCH_$(2) -MMD -MP -MT $$@ -MF $$(@:.o=.d) -c -o $$@.tmp $$<
	$$(BPF_STRIP) -g $$@.tmp
	mv -f $$@.tmp $$@
endef
$(eval $(call spedrops_bpf_obj,$(SPEDROPS_OBJ),$(BPF_HOST_ARCH)))
$(eval $(call spedrops_bpf_obj,$(SPEDROPS_OBJ_ARM64),arm64))

$(SPEDROPS_SKEL): $(SPEDROPS_OBJ)
$(SPEDROPS_SKEL_ARM64): $(SPEDROPS_OBJ_ARM64)
$(SPEDROPS_SKEL) $(SPEDROPS_SKEL_ARM64):
	$(BPFTOOL) gen skeleton $< name spedrops_bpf >$@.tmp
	mv -f $@.tmp $@

.PHONY: bpf-objs
bpf-objs: $(SPEDROPS_SKEL) $(SPEDROPS_SKEL_ARM64)
