#!/usr/bin/env python3
"""Turns the results of run.py into SVG plots (no plotting library needed).

  plot.py RESULTS.json OUTDIR

Writes OUTDIR/calls.svg (ns per call, per case and strategy),
OUTDIR/reload.svg (reload latency of the default strategy by phase, per
program size) and OUTDIR/strategies.svg (reload latency per strategy).
"""
import json
import os
import sys

COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
          "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]


def svg(width, height, body):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" font-family="sans-serif" font-size="12">\n'
            f'<rect width="100%" height="100%" fill="white"/>\n{body}</svg>\n')


def text(x, y, s, anchor="middle", size=12, rotate=None):
    r = f' transform="rotate({rotate} {x} {y})"' if rotate else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
            f'font-size="{size}"{r}>{s}</text>\n')


def legend(x, y, names):
    out = ""
    for i, n in enumerate(names):
        out += (f'<rect x="{x}" y="{y + i * 18}" width="12" height="12" '
                f'fill="{COLORS[i % len(COLORS)]}"/>\n')
        out += text(x + 18, y + i * 18 + 10, n, anchor="start")
    return out


def axis(x0, y0, h, top, label):
    out = f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y0 - h}" stroke="black"/>\n'
    for k in range(6):
        v = top * k / 5
        y = y0 - h * k / 5
        out += f'<line x1="{x0 - 4}" y1="{y:.1f}" x2="{x0}" y2="{y:.1f}" stroke="black"/>\n'
        out += text(x0 - 6, y + 4, f"{v:.3g}", anchor="end", size=10)
    out += text(x0 - 45, y0 - h / 2, label, rotate=-90)
    return out


def grouped_bars(groups, series, value, ylabel, title, note=None):
    """One bar per series in each group. value(group, series) is a number,
    None (no bar) or "x" (a cross: the run crashed)."""
    numbers = [v for g in groups for s in series
               if isinstance(v := value(g, s), (int, float))]
    top = max(numbers) * 1.15 if numbers else 1
    W, H, x0, y0, h = 900, 380, 70, 310, 260
    group = (W - x0 - 220) / len(groups)
    bar = group / (len(series) + 1)
    body = axis(x0, y0, h, top, ylabel)
    body += f'<line x1="{x0}" y1="{y0}" x2="{W - 210}" y2="{y0}" stroke="black"/>\n'
    for gi, g in enumerate(groups):
        gx = x0 + gi * group + bar / 2
        for si, s in enumerate(series):
            v, x = value(g, s), gx + si * bar
            if v == "x":
                body += text(x + bar * 0.45, y0 - 6, "x", size=14)
            elif v is not None:
                bh = h * v / top
                body += (f'<rect x="{x:.1f}" y="{y0 - bh:.1f}" '
                         f'width="{bar * 0.9:.1f}" height="{bh:.1f}" '
                         f'fill="{COLORS[si % len(COLORS)]}"/>\n')
        body += text(gx + bar * len(series) / 2, y0 + 16, g)
    body += legend(W - 200, 40, series)
    if note:
        body += text(W - 200, 40 + 18 * len(series) + 14, note, anchor="start",
                     size=10)
    body += text(W / 2, 20, title, size=14)
    return svg(W, H, body)


def calls_plot(r):
    table = r["calls"]["ns_per_call"]
    variants = list(table)
    cases = list(table[variants[0]])
    return grouped_bars([c.replace("_", " ") for c in cases], variants,
                        lambda g, v: table[v][g.replace(" ", "_")],
                        "ns per call (lower is better)",
                        "Per-call cost by strategy (median of rounds)")


def reload_plot(r):
    rows = [row for row in r["reload"]
            if row.get("strategy", "hcr-default") == "hcr-default"]
    phases = ["copy_ms", "dlopen_other_ms", "register_ms", "commit_ms",
              "init_ms", "handlers_ms", "cleanup_ms"]
    names = ["copy", "dlopen", "registration", "commit", "initialization",
             "handlers", "cleanup"]
    stacks = []
    for row in rows:
        m = row["median"]
        values = dict(m)
        values["dlopen_other_ms"] = m["dlopen_ms"] + max(
            0.0, m["discover_ms"] - m["dlopen_ms"] - m["copy_ms"])
        stacks.append([values[p] for p in phases])
    top = max(sum(s) for s in stacks) * 1.15 or 1
    W, H, x0, y0, h = 760, 380, 70, 310, 260
    step = (W - x0 - 190) / len(rows)
    body = axis(x0, y0, h, top, "ms per reload (median)")
    body += f'<line x1="{x0}" y1="{y0}" x2="{W - 180}" y2="{y0}" stroke="black"/>\n'
    for i, (row, stack) in enumerate(zip(rows, stacks)):
        x = x0 + i * step + step * 0.15
        y = y0
        for pi, v in enumerate(stack):
            bh = h * v / top
            y -= bh
            body += (f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" '
                     f'height="{bh:.1f}" fill="{COLORS[pi]}"/>\n')
        label = f"{row['modules']} mod."
        body += text(x + step * 0.35, y0 + 16, label)
        body += text(x + step * 0.35, y0 + 30,
                     f"{row['changed_functions']} fn", size=10)
    body += legend(W - 170, 40, names)
    body += text(W / 2, 20, "Reload of one changed module, by phase", size=14)
    return svg(W, H, body)


def strategies_plot(r):
    """Median reload total per strategy and program size (one changed module
    of 1000 functions); a strategy whose program crashed gets a cross."""
    rows = [row for row in r["reload"] if row["changed_functions"] == 1000
            or r.get("smoke")]
    sizes = sorted({row["modules"] for row in rows})
    strategies = list(dict.fromkeys(row["strategy"] for row in rows))
    by_key = {(f"{row['modules']} modules", row["strategy"]): row for row in rows}

    def value(group, strategy):
        row = by_key.get((group, strategy))
        if row is None:
            return None
        if row.get("crashed") or not row["median"]:
            return "x"
        return row["median"]["reload_ms"]

    return grouped_bars([f"{n} modules" for n in sizes], strategies, value,
                        "ms per reload (median)",
                        "Reload of one changed module of 1000 functions, "
                        "by strategy", note="x: the program crashed")


def write_all(results, out):
    os.makedirs(out, exist_ok=True)
    for name, fn in (("calls.svg", calls_plot), ("reload.svg", reload_plot),
                     ("strategies.svg", strategies_plot)):
        with open(os.path.join(out, name), "w") as f:
            f.write(fn(results))
    print(f"plot.py: wrote calls.svg, reload.svg and strategies.svg in {out}")


def main():
    with open(sys.argv[1]) as f:
        write_all(json.load(f), sys.argv[2])


if __name__ == "__main__":
    main()
