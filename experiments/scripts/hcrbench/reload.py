"""Reload latency by phase with one changed module among N, the cost of the
change check, resident size over many reloads, and the calls a thread makes
during the reloads, per strategy. The program: experiments/programs/reload/
generate.py (N modules, m0 with BIG functions), generated and built at run
time; before each reload m0 (or the file the strategy reloads) is replaced
as a build does."""
import os
import statistics
import sys
import time

from . import classic, entry_patching, hcr
from .common import Child, Unavailable, log, replace_file, run, signal_name

HCR_PHASES = ["copy_ms", "dlopen_ms", "discover_ms", "handlers_ms",
              "register_ms", "commit_ms", "init_ms", "cleanup_ms", "reload_ms",
              "needed_ms"]


def generate(paths, work, modules, functions, big):
    """generate.py's sources in work/src-<sizes> (made once); returns the
    directory."""
    src = os.path.join(work, f"src-{modules}-{functions}-{big}")
    if not os.path.isdir(src):
        run([sys.executable, paths.experiments("programs", "reload",
                                               "generate.py"),
             src, str(modules), str(functions), str(big)])
    return src


def ask_needed(exe, env):
    """hcr_reload_needed() in a fresh process of the same program."""
    child = Child([exe], os.devnull, {**os.environ, **env})
    r = child.ask("needed")
    child.finish()
    return r["needed_us"]


def hcr_config(args, paths, work, modules, functions, big, strategy):
    src = generate(paths, work, modules, functions, big)
    out = os.path.join(work, f"{strategy}-{modules}-{functions}-{big}")
    sources = sorted(os.path.join(src, f) for f in os.listdir(src))
    t0 = time.monotonic()
    hcr.build(paths, strategy, out, sources, ["-O1", "-pthread"])
    build_s = time.monotonic() - t0
    child = Child([os.path.join(out, "main")], os.path.join(out, "stderr.txt"))
    needed = [child.ask("needed")["needed_us"] for _ in range(3)]
    reloads = []
    for _ in range(args.reloads):
        replace_file(os.path.join(out, "m0.so"))
        r = child.ask("reload")
        if r is None:  # The program died: the safety columns say so.
            break
        reloads.append(r)
    status = child.finish()
    result = {
        "strategy": strategy,
        "modules": modules, "functions": functions, "changed_functions": big,
        "build_s": build_s,
        "needed_us_nothing_changed": statistics.median(needed),
        "median": {p: statistics.median(r[p] for r in reloads)
                   for p in HCR_PHASES} if reloads else {},
        "all_reloaded": len(reloads) == args.reloads and all(
            r["status"] == 0 and r["needed"] for r in reloads),
        "rss_kb_first": reloads[0]["rss_kb"] if reloads else None,
        "rss_kb_last": reloads[-1]["rss_kb"] if reloads else None,
        "reloads": len(reloads),
        "thread_calls": reloads[-1]["calls"] if reloads else None,
        "thread_wrong": reloads[-1]["wrong"] if reloads else None,
        "crashed": status < 0 and not child.timed_out,
        "signal": signal_name(status),
        "exit_status": status,
    }
    if strategy == "hcr-default":
        # The same check without inotify: every module stat-ed.
        result["needed_us_stat_every_module"] = statistics.median(
            ask_needed(os.path.join(out, "main"), {"HCR_NO_INOTIFY": "1"})
            for _ in range(3))
    return result


def experiment(args, paths, work, skipped):
    """The default strategy at every size; every strategy with one changed
    module of 1000 functions among 10, 100 and 1000 modules."""
    work = os.path.join(work, "reload")
    os.makedirs(work)
    if args.smoke:
        sizes, strategy_sizes = [(10, 10, 10)], [(10, 10, 10)]
    else:
        sizes = [(10, 10, 10), (10, 10, 1000), (100, 10, 10), (100, 10, 1000),
                 (1000, 10, 10), (1000, 10, 1000)]
        strategy_sizes = [(10, 10, 1000), (100, 10, 1000), (1000, 10, 1000)]
    results = [hcr_config(args, paths, work, *c, "hcr-default") for c in sizes]
    for c in strategy_sizes:
        log(f"reload, every strategy, {c[0]} modules ...")
        for strategy in ("hcr-slot-patching", "nim-encoding-near"):
            try:
                hcr.check(paths, strategy)
            except Unavailable as e:
                log(f"skipping {strategy}: {e}")
                skipped[strategy] = str(e)
                continue
            results.append(hcr_config(args, paths, work, *c, strategy))
        src = generate(paths, work, *c)
        for strategy in classic.STRATEGIES:
            results.append(classic.reload_config(paths, work, src, *c,
                                                 args.reloads, strategy))
        results.append(entry_patching.reload_config(paths, work, src, *c,
                                                    args.reloads))
    return results
