"""Whole-library reload (naive: a thread calls with no synchronization;
locked: the thread and the reload share a rwlock) and restart (save the
state, execv the rebuilt program, restore), on the reload experiment's
generated program. The hosts are built by CMake (experiments/hosts); what is
built here is the generated program around them."""
import os
import re
import statistics
import time

from .common import Child, compile_c, replace_file, signal_name

STRATEGIES = ("whole-library", "whole-library-locked", "restart")
WHOLE_PHASES = ["needed_ms", "lock_ms", "copy_ms", "save_ms", "dlclose_ms",
                "dlopen_ms", "dlsym_ms", "restore_ms", "reload_ms"]
RESTART_PHASES = ["needed_ms", "stop_thread_ms", "save_ms", "exec_to_main_ms",
                  "restore_ms", "first_call_ms", "reload_ms"]
NOTES = {
    "restart": (
        "execv of the rebuilt executable by the program itself (same PID "
        "and pipes); the calling thread does not survive: the host stops "
        "it before saving, the new process starts another (its counts go "
        "through the state file); rss_kb is each new process's"),
    "whole-library": (
        "the thread calls through the host's dlsym'd pointer with no "
        "synchronization; between dlclose and the new dlsym it points at "
        "unmapped memory or at whatever the new copy mapped there"),
    "whole-library-locked": (
        "the thread holds a read lock around each call, the reload the "
        "write lock (writers first)"),
}


def private_tmp(d):
    """The environment of a whole-library host: its private copies go to
    d/tmp, so that a crash between copy and dlopen (whose unlink follows)
    leaves nothing in /tmp."""
    os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
    return {**os.environ, "TMPDIR": os.path.join(d, "tmp")}


def module_sources(src):
    return sorted((os.path.join(src, f) for f in os.listdir(src)
                   if re.fullmatch(r"m\d+\.c", f)),
                  key=lambda p: int(os.path.basename(p)[1:-2]))


def restart_table(modules):
    """The table restart_host.c reads: each module's entry and state."""
    decls = "".join(f"int m{i}_f0(int);\nextern int m{i}_state;\n"
                    for i in range(modules))
    entries = ", ".join(f"m{i}_f0" for i in range(modules))
    states = ", ".join(f"&m{i}_state" for i in range(modules))
    return (f"/* Generated: the modules of the restart program. */\n{decls}"
            f"int (*const restart_entry[])(int) = {{{entries}}};\n"
            f"int *const restart_state[] = {{{states}}};\n"
            f"const int restart_modules = {modules};\n")


def build_program(paths, work, src, kind, modules, functions, big):
    """The generated modules built for kind ("whole": one shared object;
    "restart": one executable with the restart host), once per size (the
    locked and unlocked whole-library runs share one). Returns (dir, build
    seconds)."""
    d = os.path.join(work, f"classic-{kind}-{modules}-{functions}-{big}")
    stamp = os.path.join(d, "build_s")
    if os.path.exists(stamp):
        with open(stamp) as f:
            return d, float(f.read())
    os.makedirs(d, exist_ok=True)
    sources = module_sources(src)
    t0 = time.monotonic()
    if kind == "whole":
        compile_c(paths, ["-O1", "-fPIC", "-shared",
                          f"-Wl,--version-script={paths['whole_library_map']}",
                          *sources, "-o", os.path.join(d, "whole.so")])
    else:
        table = os.path.join(d, "restart_modules.c")
        with open(table, "w") as f:
            f.write(restart_table(modules))
        compile_c(paths, ["-O1", "-pthread", table, *sources,
                          paths["restart_host_library"],
                          "-o", os.path.join(d, "restart")])
    build_s = time.monotonic() - t0
    with open(stamp, "w") as f:
        f.write(str(build_s))
    return d, build_s


def reload_config(paths, work, src, modules, functions, big, reloads,
                  strategy):
    """One configuration of the reload experiment: the phases of each reload
    (medians), the change check when nothing changed, resident size after
    the first and last reload, and what a thread calling m0_f0 all along
    saw. The file replaced before each reload is the library or the
    executable."""
    kind = "restart" if strategy == "restart" else "whole"
    d, build_s = build_program(paths, work, src, kind, modules, functions, big)
    if kind == "whole":
        target = os.path.join(d, "whole.so")
        # Pinned: the race needs main and the thread on two cores at once
        # (whole_library_host.c); left to a busy scheduler they often share one.
        cmd = [paths["whole_library_host"], target, str(modules), "--pin"]
        if strategy == "whole-library-locked":
            cmd.append("--locked")
        phases = WHOLE_PHASES
    else:
        target = os.path.join(d, "restart")
        cmd = [target, os.path.join(d, "state.bin")]
        phases = RESTART_PHASES
    child = Child(cmd, os.path.join(d, f"{strategy}.stderr"), private_tmp(d))
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
        "notes": NOTES[strategy],
    }
    if kind == "whole":
        result["pinned"] = bool(last.get("pinned"))
    else:
        result["thread_survives_reload"] = False
        result["thread_restarts"] = len(replies)
    return result
