#!/usr/bin/env python3
"""Runs the experiments of docs/experiments.md with one command and writes
raw results (JSON, with machine and compiler facts).

  run.py --paths BUILD/experiments/paths.json [--out results.json]
         [--plots DIR] [--smoke]
  run.py --build BUILD ...   (the same, paths from BUILD/experiments)

Every program comes from the paths file CMake writes; programs generated at
run time are compiled with the compiler named there. Every timing is taken
side by side in one run: the variants of a table run interleaved, round
after round, and each number is the median over rounds of the best of
several repetitions, so machine load hits all alike.

Experiments:
  calls    per-call cost of cross- and same-module calls (hcrbench/calls.py)
  reload   reload latency by phase, change check, resident size, and a
           thread's calls during the reloads, per strategy (hcrbench/reload.py)
  edit     edit -> running new code: hcr-build + reload of one edited module
           against a full rebuild + restart, on the demo program
  probe    what each strategy keeps across a reload (hcrbench/probe.py)

A strategy this build cannot run (Nim's jump encoding without its runtime
variant) is skipped with the reason printed and recorded under "skipped".
"""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hcrbench import calls, hcr, probe, reload  # noqa: E402
from hcrbench.common import Paths, compile_c, log, machine_facts, run  # noqa: E402


def edit_experiment(args, paths, work, skipped):
    """Edit render.c of the demo: hcr-build + reload against rebuild +
    restart."""
    d = os.path.join(work, "edit")
    src = os.path.join(d, "src")
    shutil.copytree(paths.source("examples", "demo", "src"), src)
    sources = sorted(os.path.join(src, f) for f in os.listdir(src)
                     if f.endswith(".c"))
    out = os.path.join(d, "out")
    hcr.build(paths, "hcr-default", out, sources, ["-O2"])
    render = os.path.join(src, "render.c")
    with_hcr, restart = [], []
    for i in range(args.rounds):
        with open(render, "a") as f:
            f.write(f"/* edit {i} */\n")
        t0 = time.monotonic()
        hcr.build(paths, "hcr-default", out, sources, ["-O2"])
        # The reload itself is measured by the runtime (reload experiment).
        with_hcr.append(time.monotonic() - t0)
        t0 = time.monotonic()
        native = os.path.join(d, "native")
        compile_c(paths, ["-O2", *sources, "-I", paths.source("include"),
                          "-o", native])
        run([native, "1", "0"])
        restart.append(time.monotonic() - t0)
    return {"hcr_build_s": statistics.median(with_hcr),
            "rebuild_restart_s": statistics.median(restart),
            "ratio": statistics.median(with_hcr) / statistics.median(restart)}


def summary(results, out):
    calls_ratio = results["calls"]["ratio_to_native"]
    print("per-call ratio to native (geometric mean): " + ", ".join(
        f"{v} {r['geomean']:.3f}" for v, r in calls_ratio.items()))
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
    for name, reason in results["skipped"].items():
        print(f"skipped {name}: {reason}")
    print(f"hcr-bench: results in {out}")


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--paths", help="paths.json written by CMake")
    where.add_argument("--build", help="hcr's build directory")
    p.add_argument("--out", default="bench-results.json")
    p.add_argument("--plots", help="also write the SVG plots here")
    p.add_argument("--smoke", action="store_true",
                   help="tiny sizes, to check that everything runs")
    args = p.parse_args()
    paths = Paths(args.paths or os.path.join(args.build, "experiments",
                                             "paths.json"))
    args.rounds = 1 if args.smoke else 7
    args.calls = 100000 if args.smoke else 20000000
    args.reloads = 2 if args.smoke else 50
    skipped = {}
    results = {"machine": machine_facts(paths), "smoke": args.smoke}
    with tempfile.TemporaryDirectory(prefix="hcr-bench-") as work:
        for name, fn in (("calls", calls.experiment),
                         ("reload", reload.experiment),
                         ("edit", edit_experiment),
                         ("probe", probe.experiment)):
            log(f"{name} ...")
            results[name] = fn(args, paths, work, skipped)
    results["skipped"] = skipped
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    summary(results, args.out)
    if args.plots:
        import plot
        plot.write_all(results, args.plots)


if __name__ == "__main__":
    main()
