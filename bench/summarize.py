#!/usr/bin/env python3
"""Turn a bench/run.sh results folder (hyperfine JSON, memory.csv) into Markdown tables
with the ratios against the bars of SPEC section 8. Usage: summarize.py RESULTS_DIR"""

import csv
import json
import re
import sys
from pathlib import Path

out = Path(sys.argv[1])
times = {}  # (group, command) -> (mean, stddev, runs)
for f in sorted(out.glob("*.json")):
    group = f.stem.removesuffix("-slow")
    for r in json.loads(f.read_text())["results"]:
        times[(group, r["command"])] = (r["mean"], r.get("stddev") or 0.0, len(r["times"]))

sizes = sorted({int(g[1:]) for g, _ in times if re.fullmatch(r"n\d+", g)})
order = [
    "declint-valid",
    "declint-findings",
    "declint-findings-human",
    "rg",
    "rumdl",
    "rumdl-cached",
    "adrs-doctor",
    "markdownlint-cli2",
]


def t(group, cmd):
    return times.get((group, cmd), (None, None, 0))[0]


def fmt(v):
    return "—" if v is None else (f"{v:.3f} s" if v < 10 else f"{v:.1f} s")


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def fr(v):
    return "—" if v is None else f"{v:.1f}×"


print("## Wall time (mean of hyperfine runs)\n")
print("| tool | " + " | ".join(f"{n:,} records" for n in sizes) + " |")
print("|---|" + "---:|" * len(sizes))
for cmd in order:
    cells = []
    for n in sizes:
        m, sd, runs = times.get((f"n{n}", cmd), (None, None, 0))
        cells.append("—" if m is None else f"{fmt(m)} ± {sd:.3f} ({runs} runs)")
    if any(c != "—" for c in cells):
        print(f"| {cmd} | " + " | ".join(cells) + " |")

mem = {}
if (out / "memory.csv").exists():
    for row in csv.DictReader((out / "memory.csv").open()):
        mem[(int(row["size"]), row["tool"])] = row["peak_rss_mb"]
if mem:
    print("\n## Peak memory (max RSS, /usr/bin/time -v)\n")
    tools = sorted({k[1] for k in mem})
    print("| tool | " + " | ".join(f"{n:,} records" for n in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for tool in tools:
        print(f"| {tool} | " + " | ".join(f"{mem.get((n, tool), '—')} MB" for n in sizes) + " |")

hist = {cmd: v for (g, cmd), v in times.items() if g == "history"}
mono = {cmd: v for (g, cmd), v in times.items() if g == "monorepo"}
for rows, heading in [
    (hist, "Git history (10 changed records; history of the generated repository)"),
    (mono, "Monorepo (generated files beside the log; 10 records and a few code files changed)"),
]:
    if rows:
        print(f"\n## {heading}\n")
        print("| command | mean |")
        print("|---|---:|")
        for cmd, (m, sd, runs) in rows.items():
            print(f"| {cmd} | {fmt(m)} ± {sd:.3f} ({runs} runs) |")

print("\n## Against the bars\n")
print("| bar | measured | target | met |")
print("|---|---:|---:|:---:|")


def bar(name, value, target, ok):
    met = "—" if value is None else ("yes" if ok(value) else "**no**")
    print(f"| {name} | {fr(value)} | {target} | {met} |")


ref = 10000 if 10000 in sizes else (sizes[-1] if sizes else None)
if ref is not None:
    g = f"n{ref}"
    d = t(g, "declint-valid")
    bar(f"declint / rg at {ref:,}", ratio(d, t(g, "rg")), "≤ 3×", lambda v: v <= 3)
    bar(f"markdownlint-cli2 / declint at {ref:,}", ratio(t(g, "markdownlint-cli2"), d), "≥ 50×", lambda v: v >= 50)
    bar(f"rumdl (no cache) / declint at {ref:,}", ratio(t(g, "rumdl"), d), "≥ 5×", lambda v: v >= 5)
    bar(f"rumdl (warm cache) / declint at {ref:,}", ratio(t(g, "rumdl-cached"), d), "≥ 5×", lambda v: v >= 5)
    bar(f"adrs doctor / declint at {ref:,}", ratio(t(g, "adrs-doctor"), d), "≥ 5×", lambda v: v >= 5)
    rss = mem.get((ref, "declint-valid"))
    try:
        rss_v = float(rss) if rss else None
    except ValueError:
        rss_v = None
    print(f"| declint peak RSS at {ref:,} | {'—' if rss_v is None else f'{rss_v:.1f} MB'} | < 100 MB | "
          f"{'—' if rss_v is None else ('yes' if rss_v < 100 else '**no**')} |")
if 10000 in sizes and 50000 in sizes:
    bar("declint 50k / 10k", ratio(t("n50000", "declint-valid"), t("n10000", "declint-valid")), "≤ 5.5×", lambda v: v <= 5.5)
if hist:
    base = hist.get("declint-check-base", (None,))[0]
    plain = hist.get("declint-check", (None,))[0]
    bar("check --base / check", ratio(base, plain), "≤ 1.25×", lambda v: v <= 1.25)
    stats = hist.get("declint-stats-history", (None,))[0]
    log = hist.get("git-log-name-status", (None,))[0]
    bar("stats --history / git log --name-status", ratio(stats, log), "≤ 1.5×", lambda v: v <= 1.5)
    walk = hist.get("declint-check-history", (None,))[0]
    bar("check --history (the same history walk) / git log --name-status", ratio(walk, log), "≤ 1.5×", lambda v: v <= 1.5)
if mono:
    plain = mono.get("declint-check", (None,))[0]
    for cmd in ("declint-check-base", "declint-check-base-head"):
        base = mono.get(cmd, (None,))[0]
        bar(f"monorepo: {cmd.removeprefix('declint-')} / check", ratio(base, plain), "≤ 3×", lambda v: v <= 3)
