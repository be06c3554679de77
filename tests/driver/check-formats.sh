#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Hook called by test-qemu.sh with (kernel version, formats dir): the
# tracefs formats against include/spekit/arm_spe_tp.h.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec python3 "$HERE/check-formats.py" "$HERE/../../include/spekit/arm_spe_tp.h" "$2"
