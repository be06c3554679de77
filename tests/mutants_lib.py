# SPDX-License-Identifier: GPL-2.0-only
"""The mutation-check loop shared by tests/driver/harness/mutants.py and
tests/bpf/mutants.py: put one deliberate bug into a fresh copy of the
sources, build the suites against the copy, run them, and report whether a
test failed ("killed") or not ("SURVIVED").  The work tree is never
touched."""
import os
import shutil
import subprocess
import tempfile


def run(mutants, copy_sources, make_vars, bins, label_prefix, want=()):
    """mutants: (name, file, old, new); old must occur exactly once in file.
    copy_sources(tmp) lays out a pristine copy under tmp and returns the
    directory the mutants' file names are relative to; make_vars(tmp) gives
    the make variables that point the build at the copy.  bins: suite
    binaries under $(O)/tests.  Returns the process exit status: 1 if any
    mutant survived (or was stale or did not build)."""
    tmp = tempfile.mkdtemp(prefix="spekit-mutants-")
    build = os.path.join(tmp, "build")
    survived = 0
    try:
        for name, fname, old, new in mutants:
            if want and not any(w in name for w in want):
                continue
            path = os.path.join(copy_sources(tmp), fname)
            src = open(path).read()
            if src.count(old) != 1:
                print(f"STALE    {name}: pattern found {src.count(old)} times")
                survived += 1
                continue
            open(path, "w").write(src.replace(old, new))
            mk = subprocess.run(["make", "-s", f"O={build}"] + make_vars(tmp)
                                + [f"{build}/tests/{b}" for b in bins],
                                capture_output=True, text=True)
            if mk.returncode:
                print(f"NOBUILD  {name}\n{mk.stderr[-2000:]}")
                survived += 1
                continue
            killers = []
            for b in bins:
                r = subprocess.run([f"{build}/tests/{b}"],
                                   capture_output=True, text=True, timeout=600)
                fails = [line.split()[1] for line in r.stdout.splitlines()
                         if line.startswith("FAIL ")]
                if r.returncode and not fails:
                    fails = [f"exit {r.returncode}"]
                killers += [f"{b.replace(label_prefix, '')}:{f}" for f in fails]
            if killers:
                print(f"killed   {name}: {', '.join(killers)}")
            else:
                print(f"SURVIVED {name}")
                survived += 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if survived else 0
