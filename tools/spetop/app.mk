# SPDX-License-Identifier: GPL-2.0-only
# The spetop tool itself: options, pipeline, replay clock, live loop, view
# model, batch/JSON/TUI output, the header's BPF line.  Links the parts the
# other fragments build (SPETOP_AGG_OBJS, SPETOP_CAPTURE_OBJS,
# SPETOP_SYM_OBJS), spedrops' JSON writer and, for the BPF line, spedrops'
# loader and map reader with the skeleton they embed (everything of
# spedrops but its main: tools/spedrops/build.mk comes first) and libbpf.
SPETOP_APP := spetop opts pipe replay run_replay run_live view ui tui out_text out_json bpfline
SPETOP_APP_OBJS := $(patsubst %,$(O)/tools/spetop/%.o,$(SPETOP_APP))
SPETOP_CURSES_CFLAGS := $(shell pkg-config --cflags ncursesw 2>/dev/null)
SPETOP_CURSES_LIBS := $(or $(shell pkg-config --libs ncursesw 2>/dev/null),-lncursesw -ltinfo)
SPETOP_JSON_OBJ := $(O)/tools/spedrops/json.o
# out_json.c names truncation reasons as spedrops does
SPETOP_NAMES_OBJ := $(O)/tools/spedrops/names.o $(O)/tools/spedrops/argnum.o
SPETOP_BPF_OBJS := $(filter-out $(O)/tools/spedrops/spedrops.o,$(SPEDROPS_OBJS))
BINS += $(O)/bin/spetop

$(SPETOP_APP_OBJS): $(O)/tools/spetop/%.o: tools/spetop/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_CFLAGS) -Itools/spedrops $(SPETOP_CURSES_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/bin/spetop: $(SPETOP_APP_OBJS) $(SPETOP_AGG_OBJS) $(SPETOP_CAPTURE_OBJS) $(SPETOP_SYM_OBJS) \
		 $(SPETOP_BPF_OBJS) $(LIBSPE)
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_CFLAGS) -o $@ $^ $(SPETOP_SYM_LIBS) $(SPETOP_CURSES_LIBS) \
		$(SPEDROPS_LIBBPF_LIBS) -lm

# Unit tests of the app's pure parts: options (-C with spedrops' cpulist.c),
# keys, view labels and rows
STT := $(O)/tests/spetop
$(STT)/test_app.o: tests/spetop/test_app.c
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_CFLAGS) -Itools/spedrops -Itests/unit -MMD -MP -c -o $@ $<
$(STT)/test_app: $(STT)/test_app.o $(patsubst %,$(O)/tools/spetop/%.o,opts pipe view ui out_text out_json) \
		 $(SPETOP_AGG_OBJS) $(SPETOP_SYM_OBJS) $(SPETOP_JSON_OBJ) $(SPETOP_NAMES_OBJ) \
		 $(SPETOP_CPULIST_OBJ) $(LIBSPE)
	$(CC) $(SPETOP_CFLAGS) -o $@ $^ $(SPETOP_SYM_LIBS) -lm

# The pipeline fed encoded SPE bytes (spegen's encoder) in random chunks,
# each interval's counts per key against the generator's records
$(STT)/test_pipe.o: tests/spetop/test_pipe.c
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_CFLAGS) -Itools/spegen -Itests/unit -MMD -MP -c -o $@ $<
$(STT)/test_pipe: $(STT)/test_pipe.o $(O)/tools/spetop/pipe.o $(O)/tools/spegen/spe_encode.o \
		  $(SPETOP_AGG_OBJS) $(SPETOP_SYM_OBJS) $(LIBSPE)
	$(CC) $(SPETOP_CFLAGS) -o $@ $^ $(SPETOP_SYM_LIBS) -lm

# The BPF line: formatting from known snapshots, the JSON object, loading
# on this host (driver modes fail, one line), and the raw_tp programs fed
# through BPF_PROG_TEST_RUN with the line checked against what was fed
# (root; the skeleton gives the test the programs)
$(STT)/test_bpfline.o: tests/spetop/test_bpfline.c $(SPEDROPS_SKEL)
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_CFLAGS) -Itools/spedrops -Itests/unit -Itests/bpf -I$(O)/bpf $(SPEDROPS_LIBBPF_CFLAGS) \
		-MMD -MP -c -o $@ $<
$(STT)/test_bpfline: $(STT)/test_bpfline.o \
		     $(patsubst %,$(O)/tools/spetop/%.o,bpfline opts pipe view ui out_text out_json) \
		     $(SPETOP_AGG_OBJS) $(SPETOP_SYM_OBJS) $(SPETOP_BPF_OBJS) $(O)/tests/bpf/spedrops_run.o \
		     $(LIBSPE)
	$(CC) $(SPETOP_CFLAGS) -o $@ $^ $(SPETOP_SYM_LIBS) $(SPEDROPS_LIBBPF_LIBS) -lm

test-bins: $(STT)/test_app $(STT)/test_pipe $(STT)/test_bpfline $(O)/bin/spetop
TEST_SUITES += $(STT)/test_app $(STT)/test_pipe $(STT)/test_bpfline tests/spetop/test-cli.sh \
		tests/spetop/test-tui.sh
