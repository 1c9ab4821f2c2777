"""The limitations probe (experiments/programs/probe): what each strategy
keeps across a reload. Every host runs version 1 of module probe, says it is
ready, waits while version 2 is put in place (f returns 2 and calls a new
module extra), swaps its own way and reports what it saw; the verdicts below
turn that report into the table's row. Both versions of every build are
CMake's, except the hcr strategies', which hcr-build builds from the same
sources."""
import os
import shutil

from . import hcr
from .common import Child, Unavailable, first_line, log, replace_file, \
    signal_name

HCR_STRATEGIES = ("hcr-all-indirect", "nim-encoding-near", "hcr-default",
                  "hcr-slot-patching")


def verdict(report):
    """The probe's row from a host's observations. Counters after the swap's
    first call read 4 if kept (3 calls before), 1 if reset; without new code
    running, whether they were kept says nothing (None)."""
    new = report["result"] == 2
    return {
        "new_code_runs": new,
        "global_kept": report["global"] == 4 if new else None,
        "static_local_kept": report["static_local"] == 4 if new else None,
        "fn_pointer_identity": report["f_before"] == report["f_after"],
        "old_pointer_runs_new_code": report["old_pointer_result"] == 2,
        "module_added": report["extra"] == 42,
    }


def session(cmd, put_v2, d, env=None):
    """Runs a probe host in d: version 1 runs, put_v2() puts version 2 in
    place (returns an error text or None), then the host swaps and
    reports."""
    child = Child(cmd, os.path.join(d, "stderr.txt"), env)
    ready = child.read()
    error = put_v2() if ready else None
    report = child.ask("go") if ready and not error else None
    status = child.finish()
    if error:
        return {"swap": f"version 2 did not build: {error}"}
    if report is None:
        return {"crashed": status < 0, "signal": signal_name(status),
                "exit_status": status}
    return {**verdict(report), "observed": report}


def probe_hcr(paths, d, strategy):
    src, out = os.path.join(d, "src"), os.path.join(d, "out")
    probe = paths.experiments("programs", "probe")
    os.makedirs(src)
    shutil.copy(os.path.join(probe, "hcr_host.c"), os.path.join(src, "host.c"))
    shutil.copy(os.path.join(probe, "probe_check.h"), src)
    shutil.copy(os.path.join(probe, "v1", "probe.c"), src)

    def build(*names):
        r = hcr.build(paths, strategy, out, [os.path.join(src, n) for n in names],
                      ["-O1"], check_errors=False)
        return None if r.returncode == 0 else first_line(r.stderr + r.stdout)

    error = build("host.c", "probe.c")
    if error:
        return {"available": False, "error": error}

    def put_v2():
        shutil.copy(os.path.join(probe, "v2", "probe.c"), src)
        shutil.copy(os.path.join(probe, "v2", "extra.c"), src)
        return build("host.c", "probe.c", "extra.c")

    return session([os.path.join(out, "host")], put_v2, d)


def probe_whole_library(paths, d):
    library = os.path.join(d, "probe.so")
    shutil.copy(paths["probe_v1"], library)
    return session([paths["probe_whole_library_host"], library],
                   lambda: replace_file(library, paths["probe_v2_whole_library"]),
                   d, {**os.environ, "TMPDIR": d})


def probe_restart(paths, d):
    exe = os.path.join(d, "probe")
    shutil.copy(paths["probe_restart_v1"], exe)
    return session([exe, os.path.join(d, "state.bin")],
                   lambda: replace_file(exe, paths["probe_restart_v2"]), d)


def probe_entry_patching(paths, d):
    library, extra = os.path.join(d, "probe.so"), os.path.join(d, "extra.so")
    shutil.copy(paths["probe_v1"], library)

    def put_v2():
        replace_file(library, paths["probe_v2"])
        shutil.copy(paths["probe_extra"], extra)

    return session([paths["probe_entry_patch_host"], library, extra,
                    "--padding"], put_v2, d, {**os.environ, "TMPDIR": d})


def notes(name, r):
    """A short explanation of the row, from what was observed."""
    if not r.get("available", True):
        return "not available: " + r.get("error", "")
    if "observed" not in r:
        return r.get("swap") or f"the host died ({r.get('signal')})"
    o, out = r["observed"], []
    if o["swap"] != "ok":
        out.append("swap failed: " + o["swap"])
    if name in HCR_STRATEGIES and r["fn_pointer_identity"]:
        out.append("&f is the permanent trampoline")
    elif name == "whole-library":
        out.append("f's static local has no dynamic symbol, so the host "
                   "cannot hand it over; probe_global is copied by the host")
        before, after = int(o["f_before"], 16), int(o["f_after"], 16)
        if abs(before - after) < 1 << 20:
            out.append("the new copy was mapped where the closed one was, "
                       "so &f " + ("kept its address by chance" if
                                   before == after else "moved by "
                                   f"{after - before:#x}"))
        if o["old_pointer_result"] not in (-1, 1, 2):
            out.append("the old pointer ran whatever the new copy has at "
                       "that address")
    elif name == "restart":
        out.append("a fresh process: only what the host saved (probe_global) "
                   "survives; &f before is a number from the old process")
    elif name == "entry-patching":
        out.append("the new copy's references bind to the first version's "
                   "globals (global scope first); its static local is a new "
                   "variable; extra was loaded before the reload")
    out.append(f"old pointer {o['f_before']}: {o['old_pointer_call']}")
    return "; ".join(out)


def experiment(args, paths, work, skipped):
    base = os.path.join(work, "probe")
    results = {}
    for name in HCR_STRATEGIES:
        try:
            hcr.check(paths, name)
        except Unavailable as e:
            log(f"skipping probe of {name}: {e}")
            skipped[name] = str(e)
            continue
        results[name] = probe_hcr(paths, os.path.join(base, name), name)
    for name, fn in (("whole-library", probe_whole_library),
                     ("restart", probe_restart),
                     ("entry-patching", probe_entry_patching)):
        d = os.path.join(base, name)
        os.makedirs(d)
        results[name] = fn(paths, d)
    for name, r in results.items():
        r["notes"] = notes(name, r)
    return results
