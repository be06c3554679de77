# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Shared shell functions for the scripts that provision the cache from
# Debian's arm64 packages (sourced, not run): prepare-kernel.sh (kernel
# trees, images, busybox), tools/scripts/arm64-sysroot.sh (libbpf, libelf,
# zlib), and the scripts reading what they made.  Cache paths, the cache
# lock, host packages, stamps, atomic writes and unpacking, and a private
# APT state that sees Debian's arm64 packages without touching the host's
# own APT configuration.
#
# Why a private APT state: the host is amd64 and must not gain arm64 as a
# foreign architecture (that would change what every later `apt-get
# install` does).  A separate lists/cache dir with APT::Architecture=arm64
# lets `apt-get download` fetch arm64 .debs, which we only ever unpack with
# dpkg-deb -x into the cache.
#
# No archive host name is written here: the private sources.list is built
# from the host's own Debian entries.

SPK_CACHE=${SPEKIT_CACHE:-/var/cache/spekit}
SPK_APT=$SPK_CACHE/apt
SPK_DEBS=$SPK_CACHE/debs
SPK_CROSS=aarch64-linux-gnu-
# Refresh the private package lists when older than this (seconds), so a
# re-run within the day needs no network; SPEKIT_APT_REFRESH=1 forces it.
SPK_APT_MAX_AGE=${SPEKIT_APT_MAX_AGE:-21600}
SPK_ME=${SPK_ME:-$(basename "$0" .sh)}
SPK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

spk_log() { echo "$SPK_ME: $*" >&2; }
spk_die() { echo "$SPK_ME: error: $*" >&2; exit 1; }

# The calling script's Usage: ... block (up to its Environment line), from
# its header comment.
spk_usage() { sed -n 's/^# \{0,1\}//; /^Usage:/,/^Environment/p' "$0" | sed '$d'; }

# Create a directory of the cache, or die saying how to get a writable one.
spk_make_cache_dir() {
	mkdir -p "$1" || spk_die "cannot create $1 (run as root, or set SPEKIT_CACHE to a writable dir)"
}

# Install (only if missing) the host packages of install-deps.sh GROUPs.
spk_host_deps() {
	bash "$SPK_ROOT/tools/scripts/install-deps.sh" "$@" ||
		spk_die "host packages missing; run: bash tools/scripts/install-deps.sh $*"
}

# Hold the cache lock (fd 9) until the script exits: one provisioning run
# at a time per cache, since all share the package lists, the .deb dir and
# busybox.  Then clear the downloads a killed run left half done
# (spk_fetch's temp dirs).
spk_lock_cache() {
	exec 9>"$SPK_CACHE/.lock"
	flock 9
	rm -rf "$SPK_DEBS"/.dl.*
}

# Write stdin to FILE through FILE.tmp and a rename, so no reader sees half
# a file.  With --if-changed an identical FILE is left alone (mtime too, so
# make rules depending on it stay quiet).
spk_write_file() {
	local same=0
	[[ "$1" == --if-changed ]] && { same=1; shift; }
	cat >"$1.tmp"
	if ((same)) && cmp -s "$1.tmp" "$1"; then rm -f "$1.tmp"; else mv -f "$1.tmp" "$1"; fi
}

# Build a directory as DIR.tmp and swap it in whole, so an interrupted step
# never leaves a DIR that looks done: spk_tmp_dir DIR starts an empty
# DIR.tmp, spk_commit_dir DIR replaces DIR with it.
spk_tmp_dir() { rm -rf "$1.tmp"; mkdir -p "$1.tmp"; }
spk_commit_dir() { rm -rf "$1"; mv "$1.tmp" "$1"; }

# The supported series; anything of the form X.Y for which Debian ships
# linux-source-X.Y would work, but only these two are tested.
spk_check_series() {
	[[ "${1:-}" =~ ^[0-9]+\.[0-9]+$ ]] ||
		spk_die "kernel version must look like 6.1 or 6.12, got '${1:-}'"
}

spk_verdir() { echo "$SPK_CACHE/$1"; }

# Stamps: one file per step whose content is the step's key (package
# versions, tool versions).  A step is done only if its stamp holds the
# current key, so a new Debian upload or a new cross compiler redoes it.
spk_stamp_ok() { [[ -f "$1" && "$(cat "$1")" == "$2" ]]; }
spk_stamp_set() { mkdir -p "$(dirname "$1")"; printf '%s\n' "$2" | spk_write_file "$1"; }

# Write the private sources.list from the host's Debian entries: the
# debian and debian-security archives (signed by debian-archive-keyring or,
# unsigned-by, named .../debian or .../debian-security), binary only,
# restricted to arm64.  Third-party repositories are skipped.
spk_write_sources() {
	local out=$1
	python3 - "$out" <<'EOF'
import glob, os, re, sys

out = sys.argv[1]
entries = []

def debian_own(uri, signed_by):
    if signed_by:
        return 'debian-archive-keyring' in signed_by
    path = re.sub(r'/+$', '', uri.split('://', 1)[-1])
    return path.rsplit('/', 1)[-1] in ('debian', 'debian-security')

def add(types, uris, suites, comps, signed_by):
    if 'deb' not in types:
        return
    for u in uris:
        if not re.match(r'https?://', u) or not debian_own(u, signed_by):
            continue
        for s in suites:
            opts = 'arch=arm64'
            if signed_by and os.path.isfile(signed_by):
                opts += ' signed-by=' + signed_by
            entries.append('deb [%s] %s %s %s' % (opts, u, s, ' '.join(comps)))

def one_line(path):
    for line in open(path, errors='replace'):
        line = line.split('#', 1)[0].strip()
        m = re.match(r'^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$', line)
        if not m:
            continue
        opts = dict(o.split('=', 1) for o in (m.group(2) or '').split() if '=' in o)
        add([m.group(1)], [m.group(3)], [m.group(4)], m.group(5).split(),
            opts.get('signed-by', ''))

def deb822(path):
    text = open(path, errors='replace').read()
    for stanza in re.split(r'\n\s*\n', text):
        fields, key = {}, None
        for line in stanza.splitlines():
            if line.startswith('#'):
                continue
            if line[:1] in (' ', '\t') and key:
                fields[key] += '\n' + line.strip()
                continue
            if ':' in line:
                key, val = line.split(':', 1)
                key = key.strip().lower()
                fields[key] = val.strip()
        if not fields or fields.get('enabled', 'yes').lower() == 'no':
            continue
        signed_by = fields.get('signed-by', '')
        if '\n' in signed_by:          # an inline key: not Debian's file
            signed_by = 'inline-key'
        add(fields.get('types', '').split(), fields.get('uris', '').split(),
            fields.get('suites', '').split(), fields.get('components', '').split(),
            signed_by)

if os.path.isfile('/etc/apt/sources.list'):
    one_line('/etc/apt/sources.list')
for p in sorted(glob.glob('/etc/apt/sources.list.d/*.list')):
    one_line(p)
for p in sorted(glob.glob('/etc/apt/sources.list.d/*.sources')):
    deb822(p)

seen = []
for e in entries:
    if e not in seen:
        seen.append(e)
if not seen:
    sys.exit('no Debian archive entries in /etc/apt/sources.list{,.d/}')
with open(out + '.tmp', 'w') as f:
    f.write('# generated by driver/scripts/kernel-env.sh from the host\'s apt sources\n')
    f.write('\n'.join(seen) + '\n')
os.replace(out + '.tmp', out)
EOF
}

SPK_APT_OPTS=(
	-o APT::Architecture=arm64 -o APT::Architectures::=arm64
	-o Dir::State::Lists="$SPK_APT/lists"
	-o Dir::Etc::SourceList="$SPK_APT/sources.list"
	-o Dir::Etc::SourceParts=/dev/null
	-o Dir::Cache="$SPK_APT/cache"
	# Keep apt's binary package cache even where the host disables it
	# (Debian's docker images do): it makes each look-up ~10x faster.
	-o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=
	-o Dir::State::status="$SPK_APT/status"
	-o Dir::State::extended_states="$SPK_APT/extended_states"
)
spk_apt_get() { apt-get -q "${SPK_APT_OPTS[@]}" "$@"; }
spk_apt_cache() { apt-cache "${SPK_APT_OPTS[@]}" "$@"; }

# Set up the private state and refresh its lists when missing, stale, or
# when the host's sources changed.  Returns non-zero (with a message) when
# the archive cannot be reached; callers decide whether cached results do.
spk_apt_update() {
	mkdir -p "$SPK_APT/lists/partial" "$SPK_APT/cache/archives/partial"
	# An empty dpkg status of our own: nothing is "installed" for arm64.  A
	# regular file, not /dev/null, whose ever-changing mtime would make apt
	# rebuild its package cache on every call.
	[[ -f "$SPK_APT/status" ]] || : >"$SPK_APT/status"
	local old='' new
	[[ -f "$SPK_APT/sources.list" ]] && old=$(cat "$SPK_APT/sources.list")
	spk_write_sources "$SPK_APT/sources.list" || spk_die "cannot build a private sources.list from the host's apt sources; add Debian's archive to /etc/apt/sources.list.d/debian.sources"
	new=$(cat "$SPK_APT/sources.list")
	local stamp=$SPK_APT/updated now age
	now=$(date +%s)
	if [[ "$old" == "$new" && -f "$stamp" && "${SPEKIT_APT_REFRESH:-0}" != 1 ]]; then
		age=$((now - $(cat "$stamp")))
		((age < SPK_APT_MAX_AGE)) && return 0
	fi
	spk_log "refreshing arm64 package lists ($SPK_APT)"
	local log
	log=$(mktemp)
	if ! spk_apt_get update >"$log" 2>&1 || grep -qE '^(E|W): (Failed to fetch|Some index files failed)' "$log"; then
		grep -E '^(E|W):' "$log" | head -5 >&2
		rm -f "$log"
		spk_log "cannot refresh the arm64 package lists: is Debian's archive reachable (network, proxy in /etc/apt/apt.conf.d)?"
		return 1
	fi
	rm -f "$log"
	echo "$now" >"$stamp"
}

# spk_apt_update, but a failed refresh keeps the old lists: go on with them
# (a fully provisioned cache needs no download), and fail only when there
# are none yet.
spk_apt_lists() {
	spk_apt_update && return 0
	compgen -G "$SPK_APT/lists/*_Packages*" >/dev/null ||
		spk_die "no arm64 package lists: Debian's archive must be reachable for the first run"
	spk_log "warning: using the package lists read earlier"
}

# Candidate version of a package in the private state, empty if none.
spk_candidate() {
	spk_apt_cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }'
}

# The plain arm64 flavour package (PREFIX-<abi>-arm64, not cloud/rt/16k/
# dbg) for series SER whose Version equals VER exactly.  Prints its name.
# SUFFIX (e.g. -unsigned) selects the variant package instead.
spk_pick_pkg() {
	local prefix=$1 ser=$2 ver=$3 suffix=${4:-} names
	local re="^${prefix}-${ser//./\\.}[.+-][^ ]*-arm64${suffix}\$"
	names=$(spk_apt_cache pkgnames "$prefix-$ser" 2>/dev/null | grep -E "$re" | grep -vE -- '-(cloud|rt|16k|dbg)-' || true)
	[[ -n "$names" ]] || return 1
	# One apt-cache call: every (Package, Version) record of those names.
	# shellcheck disable=SC2086
	spk_apt_cache show $names 2>/dev/null | awk -v ver="$ver" '
		$1 == "Package:" { p = $2 }
		$1 == "Version:" && $2 == ver { print p }' | sort -V -r | head -1 | grep .
}

# Download PKG=VER into $SPK_DEBS (once) and print the .deb's path.  The
# fetch goes to a temp dir first so a broken download never looks done.
spk_fetch() {
	local pkg=$1 ver=$2 f tmp
	mkdir -p "$SPK_DEBS"
	f=$(compgen -G "$SPK_DEBS/${pkg}_${ver//:/%3a}_*.deb" | head -1 || true)
	if [[ -n "$f" ]]; then
		echo "$f"
		return 0
	fi
	tmp=$(mktemp -d "$SPK_DEBS/.dl.XXXXXX")
	spk_log "downloading $pkg $ver (arm64)"
	if ! (cd "$tmp" && spk_apt_get download "$pkg=$ver" >"$tmp/log" 2>&1); then
		grep -E '^(E|W):' "$tmp/log" | head -3 >&2
		rm -rf "$tmp"
		spk_die "cannot download $pkg=$ver: is Debian's archive reachable? (SPEKIT_APT_REFRESH=1 re-reads the lists)"
	fi
	f=$(compgen -G "$tmp/${pkg}_*.deb" | head -1 || true)
	[[ -n "$f" ]] || { rm -rf "$tmp"; spk_die "apt-get download $pkg=$ver left no .deb"; }
	mv -f "$f" "$SPK_DEBS/"
	rm -rf "$tmp"
	echo "$SPK_DEBS/$(basename "$f")"
}

# A .deb spk_fetch brought, once its step is done: deleted, unless
# SPEKIT_KEEP_DEBS=1.  With no argument: every .deb in $SPK_DEBS (those of
# an older Debian version, or of a run that died before its step was done).
spk_drop_deb() {
	[[ "${SPEKIT_KEEP_DEBS:-0}" == 1 ]] && return 0
	if [[ $# -gt 0 ]]; then rm -f "$1"; else rm -f "$SPK_DEBS"/*.deb; fi
}

# Extract a .deb's files into DIR, over what is there (several packages
# can share one DIR).
spk_extract_deb() {
	dpkg-deb -x "$1" "$2" || spk_die "cannot unpack $1 (corrupt? delete it and re-run)"
}

# Unpack a .deb into DIR atomically (temp dir, then rename).
spk_unpack_deb() {
	local deb=$1 dir=$2
	spk_tmp_dir "$dir"
	(spk_extract_deb "$deb" "$dir.tmp") || { rm -rf "$dir.tmp"; exit 1; }
	spk_commit_dir "$dir"
}

# Host tool versions that change what `make modules_prepare` produces.
spk_toolchain_key() {
	echo "gcc=$("${SPK_CROSS}gcc" -dumpfullversion 2>/dev/null) pahole=$(pahole --version 2>/dev/null)"
}
