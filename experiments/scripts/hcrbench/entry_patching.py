"""Entry patching (the approach of Live++ and jet-live) on the reload
experiment's generated program: plain -fPIC -shared modules, and a reload
that writes a jump to the new code at the entry of every function of every
earlier version (experiments/entry-patch, host experiments/hosts/
entry_patch_reload_host.c)."""
import os
import statistics
import time

from .common import Child, compile_c, replace_file, signal_name

PHASES = ["copy_ms", "symbols_ms", "dlopen_ms", "patch_ms", "reload_ms",
          "needed_ms"]
COUNTERS = ["patched", "atomic", "split_rel32", "abs64", "into_padding",
            "refused_small", "ambiguous", "new_functions", "pages"]


def build_modules(paths, work, src, modules, functions, big):
    """generate.py's modules, each its own -O1 shared object, once per size.
    Returns (dir, build seconds)."""
    out = os.path.join(work, f"entry-patch-{modules}-{functions}-{big}")
    stamp = os.path.join(out, "build_s")
    if os.path.exists(stamp):
        with open(stamp) as f:
            return out, float(f.read())
    os.makedirs(out, exist_ok=True)
    t0 = time.monotonic()
    for i in range(modules):
        compile_c(paths, ["-O1", "-fPIC", "-shared",
                          os.path.join(src, f"m{i}.c"),
                          "-o", os.path.join(out, f"m{i}.so")])
    build_s = time.monotonic() - t0
    with open(stamp, "w") as f:
        f.write(str(build_s))
    return out, build_s


def reload_config(paths, work, src, modules, functions, big, reloads):
    """Reload latency by phase with m0 replaced on disk and reloaded RELOADS
    times among MODULES modules, with padding on (m0_f0 is 3 bytes at -O1,
    smaller than a jump). Never raises for a dying host: crashed, timed_out
    and errors say what happened, with what was measured until then."""
    out, build_s = build_modules(paths, work, src, modules, functions, big)
    child = Child([paths["entry_patch_reload_host"], out, str(modules),
                   "--padding"], os.path.join(out, "stderr.txt"))
    needed = [r for r in (child.ask("needed") for _ in range(3)) if r]
    replies = []
    for _ in range(reloads if len(needed) == 3 else 0):
        replace_file(os.path.join(out, "m0.so"))
        r = child.ask("reload")
        if r is None:
            break
        replies.append(r)
    status = child.finish()
    result = {"strategy": "entry-patching", "modules": modules,
              "functions": functions, "changed_functions": big,
              "padding": True, "build_s": build_s,
              "crashed": status < 0 and not child.timed_out,
              "signal": signal_name(status), "timed_out": child.timed_out,
              "exit_status": status, "median": {}, "all_reloaded": False,
              "reloads": len(replies)}
    if needed:
        result["needed_us_nothing_changed"] = statistics.median(
            n["needed_us"] for n in needed)
        result["rss_kb_before_reloads"] = needed[-1]["rss_kb"]
    if replies:
        last = replies[-1]
        result.update({
            "median": {p: statistics.median(r[p] for r in replies)
                       for p in PHASES},
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
            "versions": last["version"],
            "thread_calls": last["calls"], "thread_wrong": last["wrong"],
            "first_reload": {c: replies[0][c] for c in COUNTERS},
            "all_reloads": {c: sum(r[c] for r in replies) for c in COUNTERS},
        })
    return result
