# SPDX-License-Identifier: GPL-2.0-only
# The spetop tool itself: options, pipeline, replay clock, live loop, view
# model, batch/JSON/TUI output.  Links the parts the other fragments build
# (SPETOP_AGG_OBJS, SPETOP_CAPTURE_OBJS, SPETOP_SYM_OBJS) and spedrops'
# JSON writer.
SPETOP_APP := spetop opts pipe replay run_replay run_live view ui tui out_text out_json
SPETOP_APP_OBJS := $(patsubst %,$(O)/tools/spetop/%.o,$(SPETOP_APP))
SPETOP_CURSES_CFLAGS := $(shell pkg-config --cflags ncursesw 2>/dev/null)
SPETOP_CURSES_LIBS := $(or $(shell pkg-config --libs ncursesw 2>/dev/null),-lncursesw -ltinfo)
SPETOP_JSON_OBJ := $(O)/tools/spedrops/json.o
BINS += $(O)/bin/spetop

$(SPETOP_APP_OBJS): $(O)/tools/spetop/%.o: tools/spetop/%.c
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_CFLAGS) -Itools/spedrops $(SPETOP_CURSES_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/bin/spetop: $(SPETOP_APP_OBJS) $(SPETOP_AGG_OBJS) $(SPETOP_CAPTURE_OBJS) $(SPETOP_SYM_OBJS) \
		 $(SPETOP_JSON_OBJ) $(LIBSPE)
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_CFLAGS) -o $@ $^ $(SPETOP_SYM_LIBS) $(SPETOP_CURSES_LIBS) -lm

# Unit tests of the app's pure parts: options, keys, view labels and rows
STT := $(O)/tests/spetop
$(STT)/test_app.o: tests/spetop/test_app.c
	@mkdir -p $(dir $@)
	$(CC) $(SPETOP_CFLAGS) -Itools/spedrops -Itests/unit -MMD -MP -c -o $@ $<
$(STT)/test_app: $(STT)/test_app.o $(patsubst %,$(O)/tools/spetop/%.o,opts pipe view ui out_text out_json) \
		 $(SPETOP_AGG_OBJS) $(SPETOP_SYM_OBJS) $(SPETOP_JSON_OBJ) $(LIBSPE)
	$(CC) $(SPETOP_CFLAGS) -o $@ $^ $(SPETOP_SYM_LIBS) -lm

test-bins: $(STT)/test_app $(O)/bin/spetop
TEST_SUITES += $(STT)/test_app tests/spetop/test-cli.sh tests/spetop/test-tui.sh
