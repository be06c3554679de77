# SPDX-License-Identifier: GPL-2.0-only
# spetop's symbolisation (tools/spetop/sym*.c), included by build.mk.
#   SPETOP_SYM_OBJS, SPETOP_SYM_LIBS   what the tool links
#   $(O)/tests/spetop/test_sym          its tests, with test ELFs built from
#                                       tests/spetop/sym_target.c
SPETOP_SYM_SRCS := $(wildcard tools/spetop/sym*.c)
SPETOP_SYM_OBJS := $(patsubst %.c,$(O)/%.o,$(SPETOP_SYM_SRCS))
SPETOP_SYM_LIBS := $(or $(shell pkg-config --libs libelf 2>/dev/null),-lelf)

$(SPETOP_SYM_OBJS): $(O)/tools/spetop/%.o: tools/spetop/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_CFLAGS) -MMD -MP -c -o $@ $<

# Test ELFs with known functions: a PIE executable, a shared object, the
# shared object stripped (.dynsym only), a non-PIE executable.  Fixed flags
# (not $(CFLAGS)): they are read, never run.  The shared object has 64 KiB
# segment alignment and a non-zero base (file offsets != addresses).
SYMT := $(O)/tests/spetop
SYM_TARGET_CFLAGS := -O1 -g -fno-inline -fno-omit-frame-pointer -falign-functions=32
SPETOP_SYM_TARGETS := $(SYMT)/sym_target_pie $(SYMT)/sym_target.so \
                      $(SYMT)/sym_target_stripped.so $(SYMT)/sym_target_nopie
$(SYMT)/sym_target_pie: tests/spetop/sym_target.c
	@mkdir -p $(dir $@)
	$(CC) $(SYM_TARGET_CFLAGS) -fPIE -pie -o $@ $<
$(SYMT)/sym_target_nopie: tests/spetop/sym_target.c
	@mkdir -p $(dir $@)
	$(CC) $(SYM_TARGET_CFLAGS) -fno-pie -no-pie -o $@ $<
$(SYMT)/sym_target.so: tests/spetop/sym_target.c
	@mkdir -p $(dir $@)
	$(CC) $(SYM_TARGET_CFLAGS) -fPIC -shared -Wl,-z,max-page-size=0x10000 \
		-Wl,-Ttext-segment=0x1230000 -o $@ $<
$(SYMT)/sym_target_stripped.so: $(SYMT)/sym_target.so
	strip --strip-all -o $@ $<

$(SYMT)/test_sym.o: $(SYMT)/%.o: tests/spetop/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_CFLAGS) -Itests/unit -MMD -MP -c -o $@ $<
$(SYMT)/test_sym: $(SYMT)/test_sym.o $(SPETOP_SYM_OBJS)
	$(CC) $(SPETOP_CFLAGS) -o $@ $(SYMT)/test_sym.o $(SPETOP_SYM_OBJS) $(SPETOP_SYM_LIBS)
$(SYMT)/test_sym: $(SPETOP_SYM_TARGETS)

test-bins: $(SYMT)/test_sym
TEST_SUITES += $(SYMT)/test_sym
