#!/usr/bin/env python3
"""Reload strategies 4 (whole-library reload) and 6 (restart with a state
file) for hcr-bench's reload, memory and safety experiments, and the
limitations probe of strategies 1, 2, 3, 4 and 6 (docs/experiments.md).

For hcr-bench.py:
  reload_config(work_dir, modules, functions, big, reloads, strategy)
      strategy "whole-library" (a thread calls without synchronization),
      "whole-library-locked" (the thread and the reload share a rwlock) or
      "restart"; the same generated program as hcr's reload experiment
  probe(build_dir, work_dir) -> {strategy: observations and verdicts}

Standalone:
  classic_strategies.py --build BUILD [--smoke] [--modules N] [--functions F]
                        [--big B] [--reloads R] [--no-probe] [--out FILE]

The C programs are benchmarks/strategies/classic (reload hosts) and
benchmarks/programs/probe (the probe); every result comes from running them.
"""
import argparse
import hashlib
import json
import os
import re
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
CLASSIC = os.path.join(ROOT, "benchmarks", "strategies", "classic")
PROBE = os.path.join(ROOT, "benchmarks", "programs", "probe")
GENERATE = os.path.join(ROOT, "benchmarks", "programs", "reload", "generate.py")
CC = "clang-19"

STRATEGIES = ("whole-library", "whole-library-locked", "restart")
WHOLE_PHASES = ["needed_ms", "lock_ms", "copy_ms", "save_ms", "dlclose_ms",
                "dlopen_ms", "dlsym_ms", "restore_ms", "reload_ms"]
RESTART_PHASES = ["needed_ms", "stop_thread_ms", "save_ms", "exec_to_main_ms",
                  "restore_ms", "first_call_ms", "reload_ms"]
# A hung child (a deadlock in a reload) must not hang the benchmark.
TIMEOUT_S = 600


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def replace_file(path):
    """What a rebuild does: a new file renamed over the old one."""
    shutil.copy2(path, path + ".tmp")
    os.rename(path + ".tmp", path)


def private_tmp(d):
    """The environment of a whole-library host: its private copies go to
    d/tmp, so that a crash between copy and dlopen (whose unlink follows)
    leaves nothing in /tmp."""
    os.makedirs(f"{d}/tmp", exist_ok=True)
    return {**os.environ, "TMPDIR": f"{d}/tmp"}


def signal_name(returncode):
    if returncode is None or returncode >= 0:
        return None
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


class Child:
    """A program spoken to line by line on stdin/stdout; a crash ends the
    conversation (ask returns None) instead of raising."""

    def __init__(self, cmd, stderr_path, env=None):
        self.stderr = open(stderr_path, "w")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr,
                                     text=True, env=env)
        self.timed_out = False
        self.watchdog = threading.Timer(TIMEOUT_S, self.kill)
        self.watchdog.start()

    def kill(self):
        self.timed_out = True
        self.proc.kill()

    def read(self):
        line = self.proc.stdout.readline()
        return json.loads(line) if line.strip() else None

    def ask(self, command):
        try:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return None
        return self.read()

    def finish(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            status = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = self.proc.wait()
        self.watchdog.cancel()
        self.stderr.close()
        return status


# -- Reload, memory and safety ------------------------------------------------

def module_sources(src):
    return sorted((os.path.join(src, f) for f in os.listdir(src)
                   if re.fullmatch(r"m\d+\.c", f)),
                  key=lambda p: int(os.path.basename(p)[1:-2]))


def build_program(work_dir, kind, modules, functions, big):
    """Generates generate.py's program and builds it for kind ("whole" or
    "restart"); a build done for the same sizes is reused (the locked and
    unlocked whole-library runs share one) unless the hosts changed.
    Returns (dir, build seconds)."""
    d = os.path.join(work_dir, f"classic-{kind}-{modules}-{functions}-{big}")
    stamp = os.path.join(d, "built.json")
    digest = hashlib.sha256()
    for name in sorted(os.listdir(CLASSIC)):
        with open(os.path.join(CLASSIC, name), "rb") as f:
            digest.update(f.read())
    if os.path.exists(stamp):
        with open(stamp) as f:
            built = json.load(f)
        if built.get("hosts") == digest.hexdigest():
            return d, built["build_s"]
    shutil.rmtree(d, ignore_errors=True)
    src = os.path.join(d, "src")
    run([sys.executable, GENERATE, src, str(modules), str(functions), str(big)])
    sources = module_sources(src)
    t0 = time.monotonic()
    if kind == "whole":
        # The modules only: generate.py's main.c is the hcr host.
        run([CC, "-O1", "-fPIC", "-shared",
             f"-Wl,--version-script={CLASSIC}/whole_library.map", *sources,
             "-o", f"{d}/whole.so"])
        run([CC, "-O1", "-pthread", f"{CLASSIC}/whole_library_host.c",
             "-o", f"{d}/whole_host"])
    else:
        with open(os.path.join(d, "modules.def"), "w") as f:
            f.write("".join(f"X({i})\n" for i in range(modules)))
        run([CC, "-O1", "-pthread", "-I", d, f"{CLASSIC}/restart_host.c",
             *sources, "-o", f"{d}/restart"])
    build_s = time.monotonic() - t0
    with open(stamp, "w") as f:
        json.dump({"build_s": build_s, "hosts": digest.hexdigest()}, f)
    return d, build_s


def reload_config(work_dir, modules, functions, big, reloads, strategy):
    """One configuration of the reload experiment for a classic strategy:
    the phases of each reload (medians), the change check when nothing
    changed, resident size after the first and last reload, and what a
    thread calling m0_f0 all along saw. The file replaced before each reload
    (renamed over, as a build does) is the library or the executable."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}")
    kind = "restart" if strategy == "restart" else "whole"
    d, build_s = build_program(work_dir, kind, modules, functions, big)
    if kind == "whole":
        target = f"{d}/whole.so"
        # Pinned: the race needs main and the thread on two cores at once
        # (whole_library_host.c); left to a busy scheduler they often share one.
        cmd = [f"{d}/whole_host", target, str(modules), "--pin"]
        if strategy == "whole-library-locked":
            cmd.append("--locked")
        phases = WHOLE_PHASES
    else:
        target = f"{d}/restart"
        cmd = [target, f"{d}/state.bin"]
        phases = RESTART_PHASES
    child = Child(cmd, f"{d}/{strategy}.stderr", private_tmp(d))
    needed, replies, errors = [], [], []
    crashed_at, last = None, {}
    for _ in range(3):
        r = child.ask("needed")
        if r is None:
            crashed_at = 0
            break
        needed.append(r["needed_us"])
        last = r
    for k in range(reloads if crashed_at is None else 0):
        replace_file(target)
        r = child.ask("reload")
        if r is None:
            crashed_at = k + 1
            break
        if r.get("status") != 0:
            errors.append(r.get("error", "reload failed"))
            break
        replies.append(r)
        last = r
    status = child.finish()
    crashed = status is not None and status < 0 and not child.timed_out
    result = {
        "strategy": strategy, "modules": modules, "functions": functions,
        "changed_functions": big, "build_s": build_s,
        "needed_us_nothing_changed":
            statistics.median(needed) if needed else None,
        "median": {p: statistics.median(r[p] for r in replies)
                   for p in phases} if replies else {},
        # The best case too: on a busy machine a restart's exec often waits
        # for a CPU, which the median then measures as much as the strategy.
        "min": {p: min(r[p] for r in replies) for p in phases} if replies
               else {},
        "samples": {p: [r[p] for r in replies] for p in phases},
        "all_reloaded": len(replies) == reloads and all(
            r["needed"] and r["state_kept"] for r in replies),
        "state_kept": bool(replies) and all(r["state_kept"] for r in replies),
        "reloads": len(replies), "reloads_asked": reloads,
        "rss_kb_first": replies[0]["rss_kb"] if replies else None,
        "rss_kb_last": replies[-1]["rss_kb"] if replies else None,
        "rss_kb_per_reload": (replies[-1]["rss_kb"] - replies[0]["rss_kb"]) /
                             (len(replies) - 1) if len(replies) > 1 else None,
        # Counted by the program up to its last answer: a crash loses the rest.
        "thread_calls": last.get("calls"), "thread_wrong": last.get("wrong"),
        "crashed": crashed, "signal": signal_name(status),
        "crashed_at_reload": crashed_at if crashed else None,
        "timed_out": child.timed_out, "exit_status": status, "errors": errors,
    }
    if kind == "whole":
        result["pinned"] = bool(last.get("pinned"))
    if strategy == "restart":
        result["thread_survives_reload"] = False
        result["thread_restarts"] = len(replies)
        result["notes"] = (
            "execv of the rebuilt executable by the program itself (same PID "
            "and pipes); the calling thread does not survive: the host stops "
            "it before saving, the new process starts another (its counts go "
            "through the state file); rss_kb is each new process's")
    elif strategy == "whole-library":
        result["notes"] = (
            "the thread calls through the host's dlsym'd pointer with no "
            "synchronization; between dlclose and the new dlsym it points at "
            "unmapped memory or at whatever the new copy mapped there")
    else:
        result["notes"] = ("the thread holds a read lock around each call, "
                           "the reload the write lock (writers first)")
    return result


# -- Limitations probe -------------------------------------------------------

PROBE_HCR = (
    # name, strategy number, hcr-build flags, run-time environment
    ("hcr-all-indirect", 1, ["--all-calls-indirect"], {"HCR_TRAMPOLINE": "nim"}),
    ("hcr-default", 2, [], {}),
    ("hcr-slot-patching", 3, ["--slot-patching"], {}),
)


def verdict(report):
    """The probe's table row from a host's observations. Counters after the
    swap's first call read 4 if kept (3 calls before), 1 if reset; without
    new code running, whether they were kept says nothing (None)."""
    new = report["result"] == 2
    return {
        "new_code_runs": new,
        "global_kept": report["global"] == 4 if new else None,
        "static_local_kept": report["static_local"] == 4 if new else None,
        "fn_pointer_identity": report["f_before"] == report["f_after"],
        "old_pointer_runs_new_code": report["old_pointer_result"] == 2,
        "module_added": report["extra"] == 42,
    }


def probe_session(cmd, build_v2, stderr_path, env=None):
    """Runs a probe host: version 1 runs, build_v2() puts version 2 in place
    (returns an error text or None), then the host swaps and reports."""
    child = Child(cmd, stderr_path, env)
    ready = child.read()
    error = None
    if ready:
        try:
            error = build_v2()
        except subprocess.CalledProcessError as e:
            error = first_line(e.stderr or "") or str(e)
    report = child.ask("go") if ready and not error else None
    status = child.finish()
    if error:
        return {"available": True, "swap": f"version 2 did not build: {error}"}
    if report is None:
        return {"available": True, "crashed": status < 0,
                "signal": signal_name(status), "exit_status": status}
    return {"available": True, **verdict(report), "observed": report}


def first_line(text):
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[0] if lines else ""


def probe_hcr(build_dir, d, flags, env):
    hcr_build = os.path.join(build_dir, "bin", "hcr-build")
    src, out = f"{d}/src", f"{d}/out"
    os.makedirs(src)
    shutil.copy(f"{PROBE}/hcr_host.c", f"{src}/host.c")
    shutil.copy(f"{PROBE}/probe_check.h", src)
    shutil.copy(f"{PROBE}/v1/probe.c", src)

    def build(*sources):
        r = subprocess.run([hcr_build, "-q", *flags, "-o", out,
                            *(f"{src}/{s}" for s in sources), "--", "-O1"],
                           capture_output=True, text=True)
        return None if r.returncode == 0 else first_line(r.stderr + r.stdout)

    error = build("host.c", "probe.c")
    if error:
        return {"available": False, "error": error}

    def build_v2():
        shutil.copy(f"{PROBE}/v2/probe.c", src)
        shutil.copy(f"{PROBE}/v2/extra.c", src)
        return build("host.c", "probe.c", "extra.c")

    result = probe_session([f"{out}/host"], build_v2, f"{d}/stderr.txt",
                           {**os.environ, **env})
    if env:
        with open(f"{out}/libhcr.so", "rb") as f:
            known = all(k.encode() in f.read() for k in env)
        result["environment"] = env
        result["runtime_reads_environment"] = known
    return result


def probe_whole_library(d):
    os.makedirs(d)
    library = f"{d}/probe.so"

    def build_library(sources):
        # Written aside and renamed over, as a build does.
        run([CC, "-O1", "-fPIC", "-shared", *sources, "-o", library + ".new"])
        os.rename(library + ".new", library)

    build_library([f"{PROBE}/v1/probe.c"])
    run([CC, "-O1", "-I", CLASSIC, f"{PROBE}/whole_library_host.c",
         "-o", f"{d}/host"])

    def build_v2():
        build_library([f"{PROBE}/v2/probe.c", f"{PROBE}/v2/extra.c"])

    return probe_session([f"{d}/host", library], build_v2, f"{d}/stderr.txt",
                         private_tmp(d))


def probe_restart(d):
    os.makedirs(d)
    exe = f"{d}/probe"

    def build_program(sources):
        run([CC, "-O1", f"{PROBE}/restart_host.c", *sources, "-o", exe + ".new"])
        os.rename(exe + ".new", exe)

    build_program([f"{PROBE}/v1/probe.c"])

    def build_v2():
        build_program([f"{PROBE}/v2/probe.c", f"{PROBE}/v2/extra.c"])

    return probe_session([exe, f"{d}/state.bin"], build_v2, f"{d}/stderr.txt")


def probe_notes(name, r):
    """A short explanation of the row, from what was observed."""
    if not r.get("available", True):
        return "not available: " + r.get("error", "")
    if "observed" not in r:
        return r.get("swap") or f"the host died ({r.get('signal')})"
    o, notes = r["observed"], []
    if o["swap"] != "ok":
        notes.append("swap failed: " + o["swap"])
    if name.startswith("hcr-"):
        if r["fn_pointer_identity"]:
            notes.append("&f is the permanent trampoline")
        if "runtime_reads_environment" in r:
            notes.append("HCR_TRAMPOLINE=nim " + (
                "read by this libhcr.so" if r["runtime_reads_environment"]
                else "unknown to this libhcr.so: our trampolines"))
    elif name == "whole-library":
        notes.append("f's static local has no dynamic symbol, so the host "
                     "cannot hand it over; probe_global is copied by the host")
        before, after = int(o["f_before"], 16), int(o["f_after"], 16)
        if abs(before - after) < 1 << 20:
            notes.append("the new copy was mapped where the closed one was, "
                         "so &f " + ("kept its address by chance" if
                                     before == after else "moved by "
                                     f"{after - before:#x}"))
        if o["old_pointer_result"] not in (-1, 1, 2):
            notes.append("the old pointer ran whatever the new copy has at "
                         "that address")
    elif name == "restart":
        notes.append("a fresh process: only what the host saved (probe_global) "
                     "survives; &f before is a number from the old process")
    notes.append(f"old pointer {o['f_before']}: {o['old_pointer_call']}")
    return "; ".join(notes)


def probe(build_dir, work_dir):
    """The limitations probe for strategies 1, 2, 3, 4 and 6: which of
    new code, kept state, pointer identity and a new module each gives."""
    base = os.path.join(work_dir, "probe")
    shutil.rmtree(base, ignore_errors=True)
    results = {}
    for name, number, flags, env in PROBE_HCR:
        results[name] = {"strategy": number,
                         **probe_hcr(build_dir, f"{base}/{name}", flags, env)}
    results["whole-library"] = {"strategy": 4,
                                **probe_whole_library(f"{base}/whole-library")}
    results["restart"] = {"strategy": 6, **probe_restart(f"{base}/restart")}
    for name, r in results.items():
        r["notes"] = probe_notes(name, r)
    return results


# -- Standalone ---------------------------------------------------------------

PROBE_COLUMNS = ["new_code_runs", "global_kept", "static_local_kept",
                 "fn_pointer_identity", "old_pointer_runs_new_code",
                 "module_added"]


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", required=True, help="hcr's build directory")
    p.add_argument("--smoke", action="store_true",
                   help="10 modules, 2 reloads, and the probe")
    p.add_argument("--modules", type=int, default=10)
    p.add_argument("--functions", type=int, default=10)
    p.add_argument("--big", type=int, default=10)
    p.add_argument("--reloads", type=int, default=20)
    p.add_argument("--strategies", default=",".join(STRATEGIES))
    p.add_argument("--no-probe", action="store_true")
    p.add_argument("--work", help="keep the programs here (default: a "
                   "temporary directory)")
    p.add_argument("--out", help="write the results here as JSON")
    args = p.parse_args()
    if args.smoke:
        args.modules, args.functions, args.big, args.reloads = 10, 10, 10, 2
    build = os.path.abspath(args.build)
    with tempfile.TemporaryDirectory(prefix="hcr-classic-") as tmp:
        work = os.path.abspath(args.work) if args.work else tmp
        os.makedirs(work, exist_ok=True)
        results = {"reload": [], "probe": None}
        for s in args.strategies.split(","):
            r = reload_config(work, args.modules, args.functions, args.big,
                              args.reloads, s)
            results["reload"].append(r)
            m = r["median"]
            print(f"{s}: {r['modules']} modules, m0 of {r['changed_functions']}"
                  f" functions, {r['reloads']}/{r['reloads_asked']} reloads, "
                  f"reload {m.get('reload_ms', float('nan')):.3f} ms, needed "
                  f"{r['needed_us_nothing_changed']} us, thread "
                  f"{r['thread_calls']} calls {r['thread_wrong']} wrong, "
                  f"crashed {r['crashed']} {r['signal'] or ''}", file=sys.stderr)
        if not args.no_probe:
            results["probe"] = probe(build, work)
            for name, r in results["probe"].items():
                cells = " ".join(f"{c}={r.get(c)}" for c in PROBE_COLUMNS)
                print(f"probe {name}: {cells}", file=sys.stderr)
    text = json.dumps(results, indent=2)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    failed = any(r["reloads"] == 0 for r in results["reload"]
                 if r["strategy"] != "whole-library")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
