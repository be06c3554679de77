#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The fuzz suite as `make check` runs it: every target FUZZ_SECONDS (60).
exec bash tests/fuzz/run-fuzz.sh "${SPEKIT_BUILD:-build}" "${FUZZ_SECONDS:-60}"
