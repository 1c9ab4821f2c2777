#!/usr/bin/env python3
"""Where each thread's stack ends, as a stack scan needs it (docs/
experiments.md, "Why cleanup grew with the modules"): asked of the kernel
one mapping per thread (PROCMAP_QUERY, Linux 6.11 and later) against the
whole of /proc/self/maps read and parsed (HCR_NO_MAP_QUERY=1, as on older
kernels), in the reload-latency program (experiments/programs/reload) of
MODULES modules. The same build runs both ways, one process after the
other, TIMES times, ROUNDS reloads of m0 each (m0.so renamed over, as a
build does). Prints the medians of hcr_last_reload_stats() phases (ms) and
the ratio whole-map / query.

KNOB names another switch of the runtime to compare the same way, set to 1
in the second way: HCR_NO_KEPT_DATA compares unloading a replaced copy with
and without keeping its data pages (docs/Runtime.md).

usage: stack-scan-maps.py HCR_BUILD_DIR SCRATCH_DIR [MODULES [ROUNDS [TIMES
       [KNOB]]]]
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

PHASES = ("reload_ms", "cleanup_ms", "commit_ms", "discover_ms")


def reloads(out, rounds, whole_map, knob="HCR_NO_MAP_QUERY"):
    env = dict(os.environ)
    if whole_map:
        env[knob] = "1"
    child = subprocess.Popen([os.path.join(out, "main")], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, env=env)
    rows = []
    so = os.path.join(out, "m0.so")
    for _ in range(rounds):
        with open(so, "rb") as f:
            data = f.read()
        with open(so + ".tmp", "wb") as f:
            f.write(data)
        os.rename(so + ".tmp", so)
        time.sleep(0.02)  # The change reaches inotify.
        child.stdin.write("reload\n")
        child.stdin.flush()
        row = json.loads(child.stdout.readline())
        if row.get("status", 0) != 0:
            sys.exit(f"stack-scan-maps: a reload failed: {row}")
        rows.append(row)
    child.stdin.write("quit\n")
    child.stdin.flush()
    child.wait()
    return rows


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    build, scratch = sys.argv[1], sys.argv[2]
    modules = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    times = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    knob = sys.argv[6] if len(sys.argv) > 6 else "HCR_NO_MAP_QUERY"
    src_root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    shutil.rmtree(scratch, ignore_errors=True)
    src = os.path.join(scratch, "src")
    out = os.path.join(scratch, "out")
    subprocess.run([sys.executable, os.path.join(
        src_root, "experiments/programs/reload/generate.py"), src,
        str(modules), "10", "10"], check=True)
    sources = sorted(os.path.join(src, f) for f in os.listdir(src)
                     if f.endswith(".c"))
    subprocess.run([os.path.join(build, "bin/hcr-build"), "-q", "-o", out,
                    *sources, "--", "-O1", "-pthread"], check=True)
    got = {False: [], True: []}
    for _ in range(times):
        for whole_map in (False, True):
            got[whole_map] += reloads(out, rounds, whole_map, knob)
    print(f"{modules} modules, {rounds} reloads x {times} per way")
    first, second = (("query", "whole map") if knob == "HCR_NO_MAP_QUERY"
                     else ("default", f"{knob}=1"))
    for phase in PHASES:
        query = statistics.median(r[phase] for r in got[False])
        whole = statistics.median(r[phase] for r in got[True])
        print(f"  {phase:12} {first} {query:8.3f}  {second} {whole:8.3f}"
              f"  ratio {whole / query:.2f}x")


if __name__ == "__main__":
    main()
