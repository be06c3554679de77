#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# spegen's command line: numeric options go through spedrops' argnum.c.
# A bad number (empty, trailing junk, a sign or leading space, overflow,
# out of range, nan/inf) is exit 2 and one stderr line naming the option,
# what it takes and the value; every spelling the parser took before
# (decimal, 0x hex, 0 octal, K/M/G suffixes, strtod forms) still gives the
# same bytes as its plain decimal twin.
set -u
O=${SPEKIT_BUILD:-build}
SPEGEN=$O/bin/spegen
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
EXPECT_BIN=$SPEGEN
. "$(dirname "$0")/../lib/cli.sh"

# --elf none: the same synthetic text whatever binary runs (the default,
# /proc/self/exe, would tie the bytes to this build).  -b 4K bounds a run
# that takes a bad value anyway (the old parser read --records ' -1' as
# 2^64-1 records)
G=(--elf none -b 4K -o /dev/null)

# bad NAME OPTION VALUE WANTS: exit 2, one line "spegen: OPTION wants
# WANTS..., not 'VALUE'"
badnum() {
	local name=$1 opt=$2 val=$3 wants=$4 re
	re="^spegen: $opt wants $wants.*, not '$(sed 's/[][\.*^$+?(){}|]/\\&/g' <<<"$val")'$"
	expect "$name" 2 "$re" -- "${G[@]}" "$opt" "$val"
}
R='a number of records from 1 to 2\^64-1'
badnum "--records empty"            --records ''                   "$R"
badnum "--records trailing junk"    --records 10x                  "$R"
badnum "--records negative"         --records -1                   "$R"
badnum "--records space, negative"  --records ' -1'                "$R"
badnum "--records leading space"    --records ' 5'                 "$R"
badnum "--records plus sign"        --records +5                   "$R"
badnum "--records 0"                --records 0                    "$R"
badnum "--records 2^64"             --records 18446744073709551616 "$R"
badnum "--records suffix overflow"  --records 17179869184G         "$R"
badnum "--records unknown suffix"   --records 4T                   "$R"
badnum "--bytes 0"                  --bytes 0                      'a byte count from 1'
badnum "--seed negative"            --seed -1                      'a seed from 0 to 2\^64-1'
badnum "--seed space, negative"     --seed ' -1'                   'a seed from 0 to 2\^64-1'
badnum "--seed 0x junk"             --seed 0xg                     'a seed'
badnum "--load-base junk"           --load-base 0x1000z            'an address from 0 to 2\^64-1'
badnum "--kernel-load-base negative" --kernel-load-base -4096      'an address'
badnum "--ts-start 2^64"            --ts-start 0x10000000000000000 'a timestamp'
badnum "--pids 0"                   --pids 0                       'a number of pids from 1 to 30000'
badnum "--pids 30001"               --pids 30001                   'a number of pids from 1 to 30000'
badnum "--sve-vl 384"               --sve-vl 384                   'a vector length in bits: 128, 256, 512, 1024 or 2048'
badnum "--sve-vl 4096"              --sve-vl 4096                  'a vector length in bits'
badnum "--count-size 14"            --count-size 14                '12 or 16'
badnum "--events-size 3"            --events-size 3                '1, 2, 4 or 8'
badnum "--dsrc-size 0"              --dsrc-size 0                  '1 or 2'
badnum "--align 3"                  --align 3                      'a power of 2 from 1 to 4096'
badnum "--align 8K"                 --align 8K                     'a power of 2 from 1 to 4096'
badnum "--zipf 5"                   --zipf 5                       'an exponent from 0.1 to 4'
badnum "--zipf nan"                 --zipf nan                     'an exponent from 0.1 to 4'
badnum "--kernel-share 1.5"         --kernel-share 1.5             'a share from 0 to 1'
badnum "--kernel-share nan"         --kernel-share nan             'a share from 0 to 1'
badnum "--ts-hz 0"                  --ts-hz 0                      'a frequency in Hz > 0'
badnum "--ts-hz inf"                --ts-hz inf                    'a frequency in Hz > 0'
badnum "--ts-hz nan"                --ts-hz nan                    'a frequency in Hz > 0'
badnum "--rate -5"                  --rate -5                      'samples per second > 0'
badnum "--rate overflow"            --rate 1e400                   'samples per second > 0'
badnum "--rate trailing junk"       --rate 100k                    'samples per second > 0'
badnum "--damage 9"                 --damage 9                     'damages per record from 0 to 8'
badnum "--damage nan"               --damage nan                   'damages per record from 0 to 8'
badnum "--mix negative weight"      --mix load=-1                  'weights that are finite numbers >= 0'
badnum "--mix infinite weight"      --mix load=inf                 'weights that are finite numbers >= 0'
badnum "--mix nan weight"           --mix load=nan                 'weights that are finite numbers >= 0'
badnum "--mix empty weight"         --mix load=                    'weights'
badnum "--mix unknown key"          --mix bogus=1                  'KEY=WEIGHT,\.\.\. with KEY one of load, store'
badnum "--mix no ="                 --mix load                     'KEY=WEIGHT'
# the bad entry, not the whole list
expect "--mix names the bad entry" 2 "not 'load=x'$" -- "${G[@]}" --mix store=1,load=x,branch=2

# Valid spellings: the same bytes as the plain decimal.
gen_to() { local o=$1; shift; "$SPEGEN" --elf none "$@" -o "$o"; }
same() { same_output "$1" gen_to "${@:2}"; }
same "--seed hex == decimal"       --seed 0x1234 -n 500 :: --seed 4660 -n 500
same "--seed octal == decimal"     --seed 011 -n 500 :: --seed 9 -n 500
same "--seed 2^64-1"               --seed 18446744073709551615 -n 50 :: --seed 0xffffffffffffffff -n 50
same "--records 2K == 2048"        -n 2K --seed 3 :: -n 2048 --seed 3
same "--records 0x10 == 16"        -n 0x10 --seed 3 :: -n 16 --seed 3
same "--bytes 64KiB == 65536"      -b 64KiB --seed 5 :: -b 65536 --seed 5
same "--bytes 0x10kb == 16384"     -b 0x10kb --seed 5 :: -b 16384 --seed 5
same "--align 1K == 1024"          -n 50 --align 1K :: -n 50 --align 1024
same "--sve-vl 0x800 == 2048"      -n 500 --sve-vl 0x800 --mix sve=10 :: -n 500 --sve-vl 2048 --mix sve=10
same "--rate 2.5e5 == 250000"      -n 500 --rate 2.5e5 :: -n 500 --rate 250000
same "--ts-hz 0x1p20 == 1048576"   -n 500 --ts-hz 0x1p20 :: -n 500 --ts-hz 1048576
same "--ts-start hex == decimal"   -n 500 --ts-start 0x10000 :: -n 500 --ts-start 65536
same "--zipf 1e0 == 1"             -n 500 --zipf 1e0 :: -n 500 --zipf 1
same "--kernel-share .25 == 0.25"  -n 500 --kernel-share .25 :: -n 500 --kernel-share 0.25
same "--load-base hex == decimal"  -n 500 --load-base 0x10000 :: -n 500 --load-base 65536
same "--mix 1e1 == 10"             -n 500 --mix load=1e1,store=0 :: -n 500 --mix load=10,store=0
same "--damage 1e-2 == 0.01"       -n 500 --damage 1e-2 --damage-log /dev/null :: \
				   -n 500 --damage 0.01 --damage-log /dev/null
same "--pids 0x10 == 16"           -n 500 --context --pids 0x10 :: -n 500 --context --pids 16

# The edges of each range are in it
expect "--pids 1 and 30000"      0 "" -- "${G[@]}" -n 10 --pids 1 --pids 30000
expect "--zipf 0.1 and 4"        0 "" -- "${G[@]}" -n 10 --zipf 0.1 --zipf 4
expect "--kernel-share 0 and 1"  0 "" -- "${G[@]}" -n 10 --kernel-share 0 --kernel-share 1
expect "--damage 0 and 8"        0 "" -- "${G[@]}" -n 10 --damage 0 --damage 8 --damage-log /dev/null
expect "--align 1 and 4096"      0 "" -- "${G[@]}" -n 10 --align 1 --align 4096
expect "--sve-vl 128 and 2048"   0 "" -- "${G[@]}" -n 10 --sve-vl 128 --sve-vl 2048
expect "--seed 0"                0 "" -- "${G[@]}" -n 10 --seed 0
expect "--mix weight 0"          0 "" -- "${G[@]}" -n 10 --mix load=0

echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
