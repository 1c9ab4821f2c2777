#!/usr/bin/env python3
"""Turns hcr-bench results into SVG plots (no plotting library needed).

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


def calls_plot(r):
    table = r["calls"]["ns_per_call"]
    variants = list(table)
    cases = list(table[variants[0]])
    top = max(max(c.values()) for c in table.values()) * 1.15
    W, H, x0, y0, h = 900, 360, 70, 300, 250
    group = (W - x0 - 190) / len(cases)
    bar = group / (len(variants) + 1)
    body = axis(x0, y0, h, top, "ns per call (lower is better)")
    body += f'<line x1="{x0}" y1="{y0}" x2="{W - 180}" y2="{y0}" stroke="black"/>\n'
    for ci, c in enumerate(cases):
        gx = x0 + ci * group + bar / 2
        for vi, v in enumerate(variants):
            val = table[v][c]
            bh = h * val / top
            x = gx + vi * bar
            body += (f'<rect x="{x:.1f}" y="{y0 - bh:.1f}" width="{bar * 0.9:.1f}" '
                     f'height="{bh:.1f}" fill="{COLORS[vi]}"/>\n')
        body += text(gx + bar * len(variants) / 2, y0 + 16, c.replace("_", " "))
    body += legend(W - 170, 40, variants)
    body += text(W / 2, 20, "Per-call cost by strategy (median of rounds)", size=14)
    return svg(W, H, body)


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
    value = {(row["strategy"], row["modules"]): row for row in rows}
    totals = [row["median"].get("reload_ms", 0) for row in rows if row["median"]]
    top = max(totals) * 1.15 if totals else 1
    W, H, x0, y0, h = 900, 380, 70, 310, 260
    group = (W - x0 - 220) / len(sizes)
    bar = group / (len(strategies) + 1)
    body = axis(x0, y0, h, top, "ms per reload (median)")
    body += f'<line x1="{x0}" y1="{y0}" x2="{W - 210}" y2="{y0}" stroke="black"/>\n'
    for si, n in enumerate(sizes):
        gx = x0 + si * group + bar / 2
        for vi, v in enumerate(strategies):
            row = value.get((v, n))
            x = gx + vi * bar
            if row is None:
                continue
            if row.get("crashed") or not row["median"]:
                body += text(x + bar * 0.45, y0 - 6, "x", size=14)
                continue
            bh = h * row["median"]["reload_ms"] / top
            body += (f'<rect x="{x:.1f}" y="{y0 - bh:.1f}" width="{bar * 0.9:.1f}" '
                     f'height="{bh:.1f}" fill="{COLORS[vi % len(COLORS)]}"/>\n')
        body += text(gx + bar * len(strategies) / 2, y0 + 16, f"{n} modules")
    body += legend(W - 200, 40, strategies)
    body += text(W - 200, 40 + 18 * len(strategies) + 14,
                 "x: the program crashed", anchor="start", size=10)
    body += text(W / 2, 20, "Reload of one changed module of 1000 functions, "
                 "by strategy", size=14)
    return svg(W, H, body)


def main():
    results, out = sys.argv[1], sys.argv[2]
    with open(results) as f:
        r = json.load(f)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "calls.svg"), "w") as f:
        f.write(calls_plot(r))
    with open(os.path.join(out, "reload.svg"), "w") as f:
        f.write(reload_plot(r))
    with open(os.path.join(out, "strategies.svg"), "w") as f:
        f.write(strategies_plot(r))
    print(f"plot.py: wrote calls.svg, reload.svg and strategies.svg in {out}")


if __name__ == "__main__":
    main()
