"""Per-call cost of cross- and same-module calls, small and medium bodies
(experiments/programs/calls), for every strategy: native, whole-library,
hcr's default trampolines, slot patching, every call indirect through our
trampolines and through Nim's jump encoding (near and far), and entry
patching before and after a reload."""
import os
import statistics

from . import hcr
from .common import Unavailable, interleaved, log


def variants(paths, work, skipped):
    """name -> (argv taking [CALLS, RUNS], environment)."""
    src = paths.experiments("programs", "calls")
    sources = [os.path.join(src, f) for f in ("main.c", "caller.c", "callee.c")]
    result = {
        "native": ([paths["calls_native"]], {}),
        "whole-library": ([paths["calls_whole_library_host"]], {}),
    }
    for name in ("hcr-default", "hcr-slot-patching", "hcr-all-indirect",
                 "nim-encoding-near", "nim-encoding-far"):
        out = os.path.join(work, name)
        try:
            hcr.build(paths, name, out, sources, ["-O2"])
        except Unavailable as e:
            log(f"skipping {name}: {e}")
            skipped[name] = str(e)
            continue
        result[name] = ([os.path.join(out, "main")], {})
    # Entry patching: plain -O2 shared objects loaded by the host. Padding is
    # on: at -O2 add1 is 4 bytes and would otherwise stay unpatched.
    # "-reloaded": both modules reloaded once (the same build) before
    # measuring, so every cross-module call goes through a patched entry.
    base = [paths["calls_entry_patch_host"], "--callee", paths["calls_callee"],
            "--caller", paths["calls_caller"], "--padding"]
    result["entry-patch"] = (base, {})
    result["entry-patch-reloaded"] = (base + ["--reload"], {})
    return result


def experiment(args, paths, work, skipped):
    d = os.path.join(work, "calls")
    os.makedirs(d)
    programs = variants(paths, d, skipped)
    samples, table = interleaved(programs, args.rounds, [str(args.calls), "3"])
    ratios = {}
    for v in programs:
        per_case = {c: table[v][c] / table["native"][c] for c in table[v]}
        ratios[v] = {"per_case": per_case,
                     "geomean": statistics.geometric_mean(per_case.values())}
    return {"calls_per_run": args.calls, "rounds": args.rounds,
            "ns_per_call": table, "ratio_to_native": ratios,
            "samples": samples}
