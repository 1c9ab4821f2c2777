#!/usr/bin/env python3
"""hcr-bench: runs the experiments of docs/experiments.md with one command
and writes raw results (JSON, with machine and compiler facts).

  hcr-bench.py --build BUILD_DIR [--out results.json] [--smoke]

Every timing is taken side by side in one run: the variants of a table run
interleaved, round after round, and each number is the median over rounds
of the best of several repetitions, so machine load hits all alike.

Experiments:
  calls    per-call cost of cross- and same-module calls, small and medium
           bodies: native, whole-library (dlopen/dlsym), hcr default,
           hcr with every call indirect (Nim's strategy)
  reload   reload latency by phase with one changed module among N, the
           cost of hcr_reload_needed(), resident size over many reloads,
           and calls made by another thread during the reloads
  edit     edit -> running new code: hcr-build + reload of one edited
           module against a full rebuild + restart, on the demo program
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
    variants = {
        "native": f"{d}/native",
        "whole-library": f"{d}/whole",
        "hcr-default": f"{d}/hcr/main",
        "hcr-all-indirect": f"{d}/nim/main",
    }
    samples = {v: {} for v in variants}
    for _ in range(args.rounds):
        for name, exe in variants.items():
            out = run([exe, str(args.calls), "3"]).stdout
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


def reload_config(args, work, modules, functions, big):
    d = os.path.join(work, f"reload-{modules}-{big}")
    gen = os.path.join(PROGRAMS, "reload", "generate.py")
    run([sys.executable, gen, f"{d}/src", str(modules), str(functions), str(big)])
    hcr_build = os.path.join(args.build, "bin", "hcr-build")
    sources = sorted(os.path.join(d, "src", f) for f in os.listdir(f"{d}/src"))
    t0 = time.monotonic()
    run([hcr_build, "-q", "-o", f"{d}/out", *sources, "--", "-O1", "-pthread"])
    build_s = time.monotonic() - t0
    proc = subprocess.Popen([f"{d}/out/main"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)

    def ask(cmd):
        proc.stdin.write(cmd + "\n")
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    needed = [ask("needed")["needed_us"] for _ in range(3)]
    reloads = []
    for _ in range(args.reloads):
        replace_module(f"{d}/out", "m0")
        reloads.append(ask("reload"))
    proc.stdin.write("quit\n")
    proc.stdin.flush()
    status = proc.wait()
    phases = ["copy_ms", "dlopen_ms", "discover_ms", "handlers_ms",
              "register_ms", "commit_ms", "init_ms", "cleanup_ms", "reload_ms",
              "needed_ms"]
    return {
        "modules": modules, "functions": functions, "changed_functions": big,
        "build_s": build_s,
        "needed_us_nothing_changed": statistics.median(needed),
        "median": {p: statistics.median(r[p] for r in reloads) for p in phases},
        "all_reloaded": all(r["status"] == 0 and r["needed"] for r in reloads),
        "rss_kb_first": reloads[0]["rss_kb"], "rss_kb_last": reloads[-1]["rss_kb"],
        "reloads": len(reloads),
        "thread_calls": reloads[-1]["calls"], "thread_wrong": reloads[-1]["wrong"],
        "exit_status": status,
    }


def reload_experiment(args, work):
    configs = [(10, 10, 10)] if args.smoke else [
        (10, 10, 10), (10, 10, 1000), (100, 10, 10), (100, 10, 1000),
        (1000, 10, 10), (1000, 10, 1000)]
    return [reload_config(args, work, *c) for c in configs]


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
                         ("edit", edit_experiment)):
            print(f"hcr-bench: {name} ...", file=sys.stderr, flush=True)
            results[name] = fn(args, work)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    calls = results["calls"]["ratio_to_native"]
    print("per-call ratio to native (geometric mean): " + ", ".join(
        f"{v} {r['geomean']:.3f}" for v, r in calls.items()))
    for r in results["reload"]:
        print(f"reload, {r['modules']} modules, changed module of "
              f"{r['changed_functions']} functions: "
              f"{r['median']['reload_ms']:.3f} ms; hcr_reload_needed "
              f"{r['needed_us_nothing_changed']:.1f} us")
    e = results["edit"]
    print(f"edit -> new code: hcr-build {e['hcr_build_s']*1000:.0f} ms, rebuild + "
          f"restart {e['rebuild_restart_s']*1000:.0f} ms")
    print(f"hcr-bench: results in {args.out}")


if __name__ == "__main__":
    main()
