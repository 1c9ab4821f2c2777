#!/usr/bin/env python3
"""Prints the tables of docs/experiments.md (Markdown) from one results file
of run.py, so the document shows exactly what was measured.

  tables.py results.json
"""
import json
import sys


def fmt(v, digits=3):
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "**no**"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def calls_table(r):
    c = r["calls"]
    table, ratios = c["ns_per_call"], c["ratio_to_native"]
    cases = list(table["native"])
    print("| ns per call | " + " | ".join(x.replace("_", ", ") for x in cases)
          + " | geometric mean of ratios to native |")
    print("|---" * (len(cases) + 2) + "|")
    for v, row in table.items():
        print(f"| {v} | " + " | ".join(fmt(row[x]) for x in cases)
              + f" | {ratios[v]['geomean']:.3f} |")
    print()
    print("| ratio to native | " + " | ".join(x.replace("_", ", ") for x in cases)
          + " |")
    print("|---" * (len(cases) + 1) + "|")
    for v in table:
        print(f"| {v} | " + " | ".join(
            f"{ratios[v]['per_case'][x]:.2f}" for x in cases) + " |")


def default_reload_table(r):
    rows = [x for x in r["reload"] if x["strategy"] == "hcr-default"]
    phases = ["copy_ms", "dlopen_ms", "discover_ms", "handlers_ms",
              "register_ms", "commit_ms", "init_ms", "cleanup_ms", "reload_ms"]
    print("| modules | functions in the changed module | copy | dlopen | "
          "walk (rest of discover) | handlers | registration | commit | "
          "initialization | cleanup | total |")
    print("|---" * 11 + "|")
    for x in rows:
        m = x["median"]
        walk = max(0.0, m["discover_ms"] - m["copy_ms"] - m["dlopen_ms"])
        cells = [m["copy_ms"], m["dlopen_ms"], walk, m["handlers_ms"],
                 m["register_ms"], m["commit_ms"], m["init_ms"],
                 m["cleanup_ms"]]
        print(f"| {x['modules']} | {x['changed_functions']} | "
              + " | ".join(fmt(v) for v in cells)
              + f" | **{fmt(m['reload_ms'])} ms** |")
    print()
    print("| modules | hcr_reload_needed(), inotify (µs) | "
          "every module stat-ed, HCR_NO_INOTIFY=1 (µs) |")
    print("|---|---|---|")
    seen = set()
    for x in rows:
        if x["modules"] in seen:
            continue
        seen.add(x["modules"])
        print(f"| {x['modules']} | {fmt(x['needed_us_nothing_changed'], 2)} | "
              f"{fmt(x.get('needed_us_stat_every_module'), 1)} |")


def strategies_table(r):
    rows = [x for x in r["reload"] if x["changed_functions"] == 1000
            or r.get("smoke")]
    print("| strategy | modules | reload (median ms) | change check (µs) | "
          "RSS first → last reload (KB) | thread calls | wrong | crashed |")
    print("|---" * 8 + "|")
    for x in sorted(rows, key=lambda x: (x["strategy"], x["modules"])):
        total = x["median"].get("reload_ms") if x["median"] else None
        crash = x.get("crashed")
        if crash:
            crash = f"**yes** ({x.get('signal') or x.get('exit_status')}, " \
                    f"reload {x.get('crashed_at_reload', '?')})"
        else:
            crash = "no"
        print(f"| {x['strategy']} | {x['modules']} | {fmt(total)} | "
              f"{fmt(x.get('needed_us_nothing_changed'), 1)} | "
              f"{fmt(x.get('rss_kb_first'))} → {fmt(x.get('rss_kb_last'))} | "
              f"{fmt(x.get('thread_calls'))} | {fmt(x.get('thread_wrong'))} | "
              f"{crash} |")


def phases_table(r, strategy, size):
    for x in r["reload"]:
        if x["strategy"] == strategy and x["modules"] == size and x["median"] \
                and (x["changed_functions"] == 1000 or r.get("smoke")):
            m = x["median"]
            print(f"{strategy}, {size} modules: " + ", ".join(
                f"{k[:-3]} {v:.3f}" for k, v in m.items()
                if isinstance(v, float)))


def probe_table(r):
    keys = ["new_code_runs", "global_kept", "static_local_kept",
            "fn_pointer_identity", "old_pointer_runs_new_code", "module_added"]
    print("| strategy | new code runs | global kept | static local kept | "
          "&f before == &f after | old pointer runs new code | "
          "module added |")
    print("|---" * 7 + "|")
    for name, p in r["probe"].items():
        print(f"| {name} | " + " | ".join(fmt(p.get(k)) for k in keys) + " |")


def main():
    with open(sys.argv[1]) as f:
        r = json.load(f)
    for title, fn in (("Per-call", calls_table),
                      ("Reload, default strategy", default_reload_table),
                      ("Reload, every strategy", strategies_table),
                      ("Limitations probe", probe_table)):
        print(f"### {title}\n")
        fn(r)
        print()
    print("### Phases per strategy (largest program)\n")
    sizes = sorted({x["modules"] for x in r["reload"]})
    for s in dict.fromkeys(x["strategy"] for x in r["reload"]):
        phases_table(r, s, sizes[-1])


if __name__ == "__main__":
    main()
