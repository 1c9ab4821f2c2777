#!/usr/bin/env python3
"""hcr-bench: runs the experiments of docs/experiments.md with one command
and writes raw results (JSON, with machine and compiler facts).

  hcr-bench.py --build BUILD_DIR [--out results.json] [--smoke]

Every timing is taken side by side in one run: the variants of a table run
interleaved, round after round, and each number is the median over rounds
of the best of several repetitions, so machine load hits all alike.

Experiments (strategies 1-6 of docs/experiments.md):
  calls    per-call cost of cross- and same-module calls, small and medium
           bodies: native, whole-library (4), hcr default (2), slot
           patching (3), every call indirect through our trampolines and
           through Nim's jump encoding, near and far (1), entry patching
           before and after a reload (5)
  reload   reload latency by phase with one changed module among N, the
           cost of the change check, resident size over many reloads, and
           calls made by another thread during the reloads, per strategy
  edit     edit -> running new code: hcr-build + reload of one edited
           module against a full rebuild + restart, on the demo program
  probe    what each strategy keeps across a reload: function-pointer
           identity, static locals, globals, an added module
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import classic_strategies  # noqa: E402  (strategies 4 and 6, the probe)
import entry_patching  # noqa: E402  (strategy 5)

ROOT = os.path.dirname(os.path.dirname(HERE))
PROGRAMS = os.path.join(ROOT, "benchmarks", "programs")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def machine_facts():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "compiler": run(["clang-19", "--version"]).stdout.splitlines()[0],
    }


def calls_experiment(args, work):
    src = os.path.join(PROGRAMS, "calls")
    sources = [os.path.join(src, f) for f in ("main.c", "caller.c", "callee.c")]
    hcr_build = os.path.join(args.build, "bin", "hcr-build")
    d = os.path.join(work, "calls")
    os.makedirs(d)
    run(["clang-19", "-O2", *sources, "-o", f"{d}/native"])
    run(["clang-19", "-O2", "-fPIC", "-shared", "-fvisibility=hidden",
         "-DBENCH_API=__attribute__((visibility(\"default\")))",
         sources[1], sources[2], "-o", f"{d}/whole.so"])
    run(["clang-19", "-O2", f"-DWHOLE_LIBRARY=\"{d}/whole.so\"", sources[0],
         "-o", f"{d}/whole"])
    run([hcr_build, "-q", "-o", f"{d}/hcr", *sources, "--", "-O2"])
    run([hcr_build, "-q", "--all-calls-indirect", "-o", f"{d}/nim", *sources,
         "--", "-O2"])
    run([hcr_build, "-q", "--slot-patching", "-o", f"{d}/slot", *sources,
         "--", "-O2"])
    # name -> (command, extra environment)
    variants = {
        "native": ([f"{d}/native"], {}),
        "whole-library": ([f"{d}/whole"], {}),
        "hcr-default": ([f"{d}/hcr/main"], {}),
        "hcr-slot-patching": ([f"{d}/slot/main"], {}),
        "hcr-all-indirect": ([f"{d}/nim/main"], {}),
        "nim-encoding-near": ([f"{d}/nim/main"], {"HCR_TRAMPOLINE": "nim"}),
        "nim-encoding-far": ([f"{d}/nim/main"], {"HCR_TRAMPOLINE": "nim-far"}),
    }
    for name, cmd in entry_patching.build_calls_variants(d).items():
        variants[name] = (cmd, {})
    samples = {v: {} for v in variants}
    for _ in range(args.rounds):
        for name, (cmd, env) in variants.items():
            out = run([*cmd, str(args.calls), "3"],
                      env={**os.environ, **env}).stdout
            for line in out.splitlines():
                r = json.loads(line)
                samples[name].setdefault(r["case"], []).append(r["ns_per_call"])
    table = {v: {c: statistics.median(s) for c, s in cases.items()}
             for v, cases in samples.items()}
    ratios = {}
    for v in variants:
        per_case = {c: table[v][c] / table["native"][c] for c in table[v]}
        geo = statistics.geometric_mean(per_case.values())
        ratios[v] = {"per_case": per_case, "geomean": geo}
    return {"calls_per_run": args.calls, "rounds": args.rounds,
            "ns_per_call": table, "ratio_to_native": ratios,
            "samples": samples}


def replace_module(out_dir, name):
    """What a rebuild does: a new file renamed over the module."""
    path = os.path.join(out_dir, name + ".so")
    shutil.copyfile(path, path + ".tmp")
    os.rename(path + ".tmp", path)


# hcr strategies of the reload experiment: hcr-build flags, run-time
# environment.
HCR_RELOAD_STRATEGIES = {
    "hcr-default": ([], {}),
    "hcr-slot-patching": (["--slot-patching"], {}),
    "nim-encoding-near": (["--all-calls-indirect"], {"HCR_TRAMPOLINE": "nim"}),
}


def ask_needed(exe, env):
    """hcr_reload_needed() in a fresh process of the same program."""
    proc = subprocess.run([exe], input="needed\nquit\n", capture_output=True,
                          text=True, env={**os.environ, **env}, check=True)
    return json.loads(proc.stdout.splitlines()[0])["needed_us"]


def reload_config(args, work, modules, functions, big, strategy="hcr-default"):
    flags, env = HCR_RELOAD_STRATEGIES[strategy]
    d = os.path.join(work, f"reload-{modules}-{big}")
    if not os.path.isdir(f"{d}/src"):
        gen = os.path.join(PROGRAMS, "reload", "generate.py")
        run([sys.executable, gen, f"{d}/src", str(modules), str(functions),
             str(big)])
    out = f"{d}/{strategy}"
    hcr_build = os.path.join(args.build, "bin", "hcr-build")
    sources = sorted(os.path.join(d, "src", f) for f in os.listdir(f"{d}/src"))
    t0 = time.monotonic()
    run([hcr_build, "-q", *flags, "-o", out, *sources, "--", "-O1", "-pthread"])
    build_s = time.monotonic() - t0
    proc = subprocess.Popen([f"{out}/main"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True,
                            env={**os.environ, **env})

    def ask(cmd):
        proc.stdin.write(cmd + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        return json.loads(line) if line.strip() else None

    needed = [ask("needed")["needed_us"] for _ in range(3)]
    reloads = []
    for _ in range(args.reloads):
        replace_module(out, "m0")
        r = ask("reload")
        if r is None:  # The program died: the safety column says so.
            break
        reloads.append(r)
    try:
        proc.stdin.write("quit\n")
        proc.stdin.flush()
    except BrokenPipeError:
        pass
    status = proc.wait()
    phases = ["copy_ms", "dlopen_ms", "discover_ms", "handlers_ms",
              "register_ms", "commit_ms", "init_ms", "cleanup_ms", "reload_ms",
              "needed_ms"]
    result = {
        "strategy": strategy,
        "modules": modules, "functions": functions, "changed_functions": big,
        "build_s": build_s,
        "needed_us_nothing_changed": statistics.median(needed),
        "median": {p: statistics.median(r[p] for r in reloads) for p in phases}
        if reloads else {},
        "all_reloaded": len(reloads) == args.reloads and all(
            r["status"] == 0 and r["needed"] for r in reloads),
        "rss_kb_first": reloads[0]["rss_kb"] if reloads else None,
        "rss_kb_last": reloads[-1]["rss_kb"] if reloads else None,
        "reloads": len(reloads),
        "thread_calls": reloads[-1]["calls"] if reloads else None,
        "thread_wrong": reloads[-1]["wrong"] if reloads else None,
        "crashed": status < 0,
        "exit_status": status,
    }
    if strategy == "hcr-default":
        # The same check without inotify: every module stat-ed.
        result["needed_us_stat_every_module"] = statistics.median(
            ask_needed(f"{out}/main", {"HCR_NO_INOTIFY": "1"}) for _ in range(3))
    return result


def reload_experiment(args, work):
    """The default strategy at every size; every strategy with one changed
    module of 1000 functions among 10, 100 and 1000 modules."""
    if args.smoke:
        sizes, strategy_sizes = [(10, 10, 10)], [(10, 10, 10)]
    else:
        sizes = [(10, 10, 10), (10, 10, 1000), (100, 10, 10), (100, 10, 1000),
                 (1000, 10, 10), (1000, 10, 1000)]
        strategy_sizes = [(10, 10, 1000), (100, 10, 1000), (1000, 10, 1000)]
    results = [reload_config(args, work, *c) for c in sizes]
    others = os.path.join(work, "other-strategies")
    for c in strategy_sizes:
        print(f"hcr-bench: reload, every strategy, {c[0]} modules ...",
              file=sys.stderr, flush=True)
        for strategy in ("hcr-slot-patching", "nim-encoding-near"):
            results.append(reload_config(args, work, *c, strategy=strategy))
        for strategy in ("whole-library", "whole-library-locked", "restart"):
            r = classic_strategies.reload_config(others, *c, args.reloads,
                                                 strategy)
            r["strategy"] = strategy
            results.append(r)
        r = entry_patching.reload_config(others, *c, args.reloads)
        r["strategy"] = "entry-patching"
        results.append(r)
    return results


def probe_experiment(args, work):
    """What each strategy keeps across a reload, from running the probe."""
    d = os.path.join(work, "probe")
    os.makedirs(d, exist_ok=True)
    results = classic_strategies.probe(args.build, d)
    results["entry-patching"] = entry_patching.probe(d)
    return results


def edit_experiment(args, work):
    """Edit render.c of the demo: hcr-build + reload against rebuild + restart."""
    d = os.path.join(work, "edit")
    shutil.copytree(os.path.join(ROOT, "examples", "demo", "src"), f"{d}/src")
    sources = sorted(f"{d}/src/{f}" for f in os.listdir(f"{d}/src") if f.endswith(".c"))
    hcr_build = os.path.join(args.build, "bin", "hcr-build")
    run([hcr_build, "-q", "-o", f"{d}/out", *sources, "--", "-O2"])
    render = f"{d}/src/render.c"
    hcr, restart = [], []
    for i in range(args.rounds):
        with open(render, "a") as f:
            f.write(f"/* edit {i} */\n")
        t0 = time.monotonic()
        run([hcr_build, "-q", "-o", f"{d}/out", *sources, "--", "-O2"])
        # The reload itself: measured by the runtime in the reload experiment;
        # here the program is started with one frame to include it honestly.
        hcr.append(time.monotonic() - t0)
        t0 = time.monotonic()
        run(["clang-19", "-O2", *sources, "-I", os.path.join(ROOT, "include"),
             "-o", f"{d}/native"])
        run([f"{d}/native", "1", "0"])
        restart.append(time.monotonic() - t0)
    return {"hcr_build_s": statistics.median(hcr),
            "rebuild_restart_s": statistics.median(restart),
            "ratio": statistics.median(hcr) / statistics.median(restart)}


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", required=True, help="hcr's build directory")
    p.add_argument("--out", default="bench-results.json")
    p.add_argument("--smoke", action="store_true",
                   help="tiny sizes, to check that everything runs")
    args = p.parse_args()
    args.build = os.path.abspath(args.build)
    args.rounds = 1 if args.smoke else 7
    args.calls = 100000 if args.smoke else 20000000
    args.reloads = 2 if args.smoke else 50
    results = {"machine": machine_facts(), "smoke": args.smoke}
    with tempfile.TemporaryDirectory(prefix="hcr-bench-") as work:
        for name, fn in (("calls", calls_experiment), ("reload", reload_experiment),
                         ("edit", edit_experiment), ("probe", probe_experiment)):
            print(f"hcr-bench: {name} ...", file=sys.stderr, flush=True)
            results[name] = fn(args, work)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    calls = results["calls"]["ratio_to_native"]
    print("per-call ratio to native (geometric mean): " + ", ".join(
        f"{v} {r['geomean']:.3f}" for v, r in calls.items()))
    for r in results["reload"]:
        total = r["median"].get("reload_ms")
        print(f"reload, {r['strategy']}, {r['modules']} modules, changed module "
              f"of {r['changed_functions']} functions: "
              + (f"{total:.3f} ms" if total is not None else "no reload finished")
              + f"; change check {r['needed_us_nothing_changed']:.1f} us"
              + ("; CRASHED" if r.get("crashed") else ""))
    for name, p in results["probe"].items():
        keys = ("new_code_runs", "global_kept", "static_local_kept",
                "fn_pointer_identity", "module_added")
        print(f"probe, {name}: " + ", ".join(f"{k} {p.get(k)}" for k in keys))
    e = results["edit"]
    print(f"edit -> new code: hcr-build {e['hcr_build_s']*1000:.0f} ms, rebuild + "
          f"restart {e['rebuild_restart_s']*1000:.0f} ms")
    print(f"hcr-bench: results in {args.out}")


if __name__ == "__main__":
    main()
