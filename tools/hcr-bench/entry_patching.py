#!/usr/bin/env python3
"""Strategy 5 of docs/experiments.md, entry patching (the approach of Live++
and jet-live), for hcr-bench.py: plain -fPIC -shared modules, and a reload
that writes a jump to the new code at the entry of every function of every
earlier version (benchmarks/strategies/entry_patch.c).

Functions hcr-bench.py calls:
  build_calls_variants(work_dir)  the per-call program's variants, as argv
                                  lists that take [CALLS, RUNS] appended
  reload_config(work_dir, modules, functions, big, reloads)
                                  reload latency by phase, resident size,
                                  a thread's calls and wrong results, and
                                  whether the program crashed
  probe(work_dir)                 what the strategy keeps and what it cannot
                                  do (static locals, &f, new modules...)

Standalone, for testing (prints JSON):
  entry_patching.py --smoke
  entry_patching.py --reload MODULES BIG RELOADS [--strict] [--sanitize]
  entry_patching.py --calls CALLS ROUNDS
  entry_patching.py --probe
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PROGRAMS = os.path.join(ROOT, "benchmarks", "programs")
STRATEGIES = os.path.join(ROOT, "benchmarks", "strategies")
LIBRARY = os.path.join(STRATEGIES, "entry_patch.c")
CC = "clang-19"
SANITIZERS = "address,undefined"


def _run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def _module(source, out, opt, *defines):
    """A plain module: no rewriting, just -fPIC -shared."""
    _run([CC, opt, "-fPIC", "-shared", *defines, source, "-o", out])


def _host(work_dir, source, name, sanitize=False):
    """A host program linked with entry_patch.c (built once per work_dir)."""
    d = os.path.join(work_dir, "entry-patch-bin")
    os.makedirs(d, exist_ok=True)
    exe = os.path.join(d, name + ("-san" if sanitize else ""))
    if not os.path.exists(exe):
        flags = (["-O1", "-g", f"-fsanitize={SANITIZERS}",
                  "-fno-omit-frame-pointer", "-fno-sanitize-recover=all"]
                 if sanitize else ["-O2"])
        _run([CC, *flags, "-std=c11", "-Wall", "-Wextra", "-Werror", "-pthread",
              source, LIBRARY, "-o", exe])
    return exe


def build_calls_variants(work_dir):
    """caller.c and callee.c of benchmarks/programs/calls as plain -O2 -fPIC
    -shared objects, and a host that loads them with entry_patch.
    "entry-patch": first version (calls go through the PLT, as with any
    shared object); "entry-patch-reloaded": both modules reloaded once (a
    copy of the same build) before measuring, so every loop runs version 2
    and every cross-module call goes through a patched entry. Padding is on:
    at -O2 add1 is 4 bytes and would otherwise stay unpatched."""
    d = os.path.join(work_dir, "entry-patch-calls")
    os.makedirs(d, exist_ok=True)
    src = os.path.join(PROGRAMS, "calls")
    for name in ("caller", "callee"):
        _module(os.path.join(src, name + ".c"), os.path.join(d, name + ".so"), "-O2")
    host = _host(work_dir, os.path.join(STRATEGIES, "calls_host.c"), "calls_host")
    base = [host, "--callee", os.path.join(d, "callee.so"),
            "--caller", os.path.join(d, "caller.so"), "--padding"]
    return {"entry-patch": base, "entry-patch-reloaded": base + ["--reload"]}


def _replace_module(out_dir, name):
    """What a rebuild does (as hcr-bench.py's replace_module): a new file
    renamed over the module."""
    path = os.path.join(out_dir, name + ".so")
    shutil.copyfile(path, path + ".tmp")
    os.rename(path + ".tmp", path)


def _build_reload_modules(work_dir, modules, functions, big):
    """generate.py's module sources, built one at a time at -O1 (as
    hcr-bench.py builds the reload programs); kept for later configs."""
    d = os.path.join(work_dir, f"entry-patch-reload-{modules}-{functions}-{big}")
    out = os.path.join(d, "out")
    stamp = os.path.join(out, "built")
    t0 = time.monotonic()
    if not os.path.exists(stamp):
        gen = os.path.join(PROGRAMS, "reload", "generate.py")
        _run([sys.executable, gen, os.path.join(d, "src"), str(modules),
              str(functions), str(big)])
        os.makedirs(out, exist_ok=True)
        for i in range(modules):
            _module(os.path.join(d, "src", f"m{i}.c"),
                    os.path.join(out, f"m{i}.so"), "-O1")
        open(stamp, "w").close()
    return out, time.monotonic() - t0


def _signal_name(status):
    try:
        return signal.Signals(-status).name
    except ValueError:
        return str(-status)


def reload_config(work_dir, modules, functions, big, reloads, padding=True,
                  sanitize=False, timeout_s=900):
    """Reload latency by phase with m0 (BIG functions) replaced on disk and
    reloaded RELOADS times among MODULES modules, as hcr-bench.py's
    reload_config. Never raises for a dying child: crashed (killed by a
    signal), hung (killed by the watchdog) and error say what happened, with
    what was measured until then. padding=False refuses m0_f0 (3 bytes at
    -O1, smaller than a jump): the thread then never runs a patched entry."""
    out, build_s = _build_reload_modules(work_dir, modules, functions, big)
    host = _host(work_dir, os.path.join(STRATEGIES, "reload_host.c"),
                 "reload_host", sanitize)
    argv = [host, out, str(modules)] + (["--padding"] if padding else [])
    stderr_path = os.path.join(os.path.dirname(out),
                               f"stderr-{int(padding)}{int(sanitize)}.txt")
    env = dict(os.environ)
    if sanitize:
        env["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0"
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    result = {"strategy": "entry-patch", "modules": modules,
              "functions": functions, "changed_functions": big,
              "padding": padding, "sanitize": SANITIZERS if sanitize else None,
              "build_s": build_s, "crashed": False, "hung": False,
              "error": None}
    needed, replies = [], []
    with open(stderr_path, "w") as err:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=err, text=True,
                                env=env)
        hung = threading.Event()

        def kill():
            hung.set()
            proc.kill()

        watchdog = threading.Timer(timeout_s, kill)
        watchdog.start()

        def ask(cmd):
            proc.stdin.write(cmd + "\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
            if not line:
                raise EOFError(f"no answer to '{cmd}'")
            return json.loads(line)

        try:
            needed = [ask("needed") for _ in range(3)]
            for _ in range(reloads):
                _replace_module(out, "m0")
                replies.append(ask("reload"))
            proc.stdin.write("quit\n")
            proc.stdin.flush()
        except (EOFError, BrokenPipeError, json.JSONDecodeError) as e:
            result["error"] = str(e)
        try:
            status = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            kill()
            status = proc.wait()
        watchdog.cancel()
    result["exit_status"] = status
    result["hung"] = hung.is_set()
    result["crashed"] = status < 0 and not hung.is_set()
    if status < 0:
        result["signal"] = _signal_name(status)
    if status != 0:
        with open(stderr_path) as f:
            result["stderr_tail"] = f.read()[-2000:]
    if needed:
        result["needed_us_nothing_changed"] = statistics.median(
            n["needed_us"] for n in needed)
        result["rss_kb_before_reloads"] = needed[-1]["rss_kb"]
    if replies:
        phases = ["copy_ms", "symbols_ms", "dlopen_ms", "patch_ms",
                  "reload_ms", "needed_ms"]
        counters = ["patched", "atomic", "split_rel32", "abs64",
                    "into_padding", "refused_small", "ambiguous",
                    "new_functions", "pages"]
        last = replies[-1]
        result.update({
            "median": {p: statistics.median(r[p] for r in replies)
                       for p in phases},
            "patch_ms_first": replies[0]["patch_ms"],
            "patch_ms_last": last["patch_ms"],
            "reload_ms_first": replies[0]["reload_ms"],
            "reload_ms_last": last["reload_ms"],
            "all_reloaded": len(replies) == reloads and all(
                r["status"] == 0 and r["needed"] and r["loaded"] == 1
                for r in replies),
            "errors": sorted({r["error"] for r in replies if r["error"]}),
            "rss_kb_first": replies[0]["rss_kb"],
            "rss_kb_last": last["rss_kb"],
            "rss_kb_per_reload": ((last["rss_kb"] - replies[0]["rss_kb"]) /
                                  (len(replies) - 1) if len(replies) > 1
                                  else None),
            "reloads": len(replies),
            "versions": last["version"],
            "thread_calls": last["calls"], "thread_wrong": last["wrong"],
            "first_reload": {c: replies[0][c] for c in counters},
            "all_reloads": {c: sum(r[c] for r in replies) for c in counters},
        })
    else:
        result["all_reloaded"] = False
    return result


def probe(work_dir, padding=True, abs64=False):
    """Runs benchmarks/strategies/probe: the fields say, from running it,
    what survives a reload (see probe_host.c)."""
    d = os.path.join(work_dir, "entry-patch-probe")
    os.makedirs(d, exist_ok=True)
    src = os.path.join(STRATEGIES, "probe")
    m = os.path.join(src, "probe_module.c")
    _module(m, os.path.join(d, "probe_v1.so"), "-O2", "-DVERSION=1")
    _module(m, os.path.join(d, "probe_v2.so"), "-O2", "-DVERSION=2")
    _module(os.path.join(src, "added.c"), os.path.join(d, "added.so"), "-O2")
    _module(os.path.join(src, "user.c"), os.path.join(d, "user.so"), "-O2")
    host = _host(work_dir, os.path.join(src, "probe_host.c"), "probe_host")
    argv = [host, d] + (["--padding"] if padding else []) + \
        (["--abs64"] if abs64 else [])
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return {"crashed": False, "hung": True}
    if p.returncode != 0:
        return {"crashed": p.returncode < 0, "hung": False,
                "exit_status": p.returncode, "stderr": p.stderr[-2000:]}
    r = json.loads(p.stdout)
    r.update({"crashed": False, "hung": False,
              "flags": {"padding": padding, "force_abs64": abs64}})
    return r


def _calls_table(work_dir, calls, rounds):
    """For testing: the variants and a native build, interleaved round after
    round; median over rounds of the best of 3 runs (as hcr-bench.py)."""
    variants = build_calls_variants(work_dir)
    src = os.path.join(PROGRAMS, "calls")
    native = os.path.join(work_dir, "entry-patch-calls", "native")
    _run([CC, "-O2", *(os.path.join(src, f) for f in
                       ("main.c", "caller.c", "callee.c")), "-o", native])
    variants = {"native": [native], **variants}
    samples = {v: {} for v in variants}
    for _ in range(rounds):
        for name, argv in variants.items():
            for line in _run(argv + [str(calls), "3"]).stdout.splitlines():
                r = json.loads(line)
                samples[name].setdefault(r["case"], []).append(r["ns_per_call"])
    table = {v: {c: statistics.median(s) for c, s in cases.items()}
             for v, cases in samples.items()}
    ratios = {v: statistics.geometric_mean(
        table[v][c] / table["native"][c] for c in table[v]) for v in table}
    return {"calls_per_run": calls, "rounds": rounds, "ns_per_call": table,
            "geomean_ratio_to_native": ratios}


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--smoke", action="store_true",
                   help="small sizes: per-call, 10 modules, probe")
    p.add_argument("--reload", nargs=3, type=int,
                   metavar=("MODULES", "BIG", "RELOADS"))
    p.add_argument("--strict", action="store_true",
                   help="refuse functions smaller than the jump (no padding)")
    p.add_argument("--sanitize", action="store_true",
                   help=f"reload host and entry_patch.c with -fsanitize={SANITIZERS}")
    p.add_argument("--calls", nargs=2, type=int, metavar=("CALLS", "ROUNDS"))
    p.add_argument("--probe", action="store_true")
    p.add_argument("--work", help="keep builds here (default: a temporary "
                   "directory, removed at the end)")
    args = p.parse_args()
    if not (args.smoke or args.reload or args.calls or args.probe):
        p.error("nothing to do")
    work = args.work or tempfile.mkdtemp(prefix="entry-patching-")
    os.makedirs(work, exist_ok=True)
    results = {}
    try:
        if args.smoke:
            results["calls"] = _calls_table(work, 200000, 1)
            results["reload"] = [
                reload_config(work, 10, 10, 10, 5),
                reload_config(work, 10, 10, 10, 5, padding=False)]
            results["probe"] = probe(work)
            results["probe_strict"] = probe(work, padding=False)
            results["probe_abs64"] = probe(work, abs64=True)
        if args.calls:
            results["calls"] = _calls_table(work, *args.calls)
        if args.reload:
            results["reload"] = [reload_config(
                work, args.reload[0], 10, args.reload[1], args.reload[2],
                padding=not args.strict, sanitize=args.sanitize)]
        if args.probe:
            results["probe"] = probe(work, padding=not args.strict)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    json.dump(results, sys.stdout, indent=2)
    print()
    bad = [r for r in results.get("reload", [])
           if r["crashed"] or r["hung"] or not r["all_reloaded"]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
