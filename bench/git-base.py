#!/usr/bin/env python3
"""Benchmark: what `declint check --base` adds over a plain `declint check`.

Builds (once, cached under bench/corpus/git-base) a repository with RECORDS decision
records and COMMITS commits (git fast-import), then a `feature` branch that changes
CHANGED records, checked out. Times, side by side with hyperfine (or a median of runs):

  check                          the plain check (the floor)
  check --base main              working-tree mode (merge base diff + untracked files)
  check --base main --head HEAD  tree-to-tree mode
  check --history                one history walk (DL305 for every record)
  git log --name-status          the reference the stats bar is measured against

Usage: bench/git-base.py [--records N] [--commits N] [--changed N] [--runs N]
Needs: git, a release build (cargo build --release), hyperfine optional.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def record(i, rev):
    prio = ["P0", "P1", "P2", "P3", "P4"][(i + rev) % 5]
    return f"""---
id: "{i:05d}"
title: Decision number {i}
kind: decision
status: accepted
raised: 2025-01-01
date: 2025-01-02
decider: person{i % 40}
options:
  - first option
  - second option
reversal:
  - the metric we care about moves by more than ten percent for a month
priority: {prio}
deprioritized: [something else]
evidence:
  - date: 2025-01-01
    summary: an observation that led here
---

# Decision number {i}

## Context

Some context for decision {i}, revision {rev}.

## Decision

We do the thing, for reasons.
""".encode()


def build(path, records, commits, changed):
    if os.path.exists(os.path.join(path, ".done")):
        return
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    run(["git", "init", "-q", "-b", "main", path])
    stream = subprocess.Popen(
        ["git", "-C", path, "fast-import", "--quiet"], stdin=subprocess.PIPE
    )
    out = stream.stdin
    t0 = 1_700_000_000
    revs = {}
    for n in range(commits):
        # The first `records` commits add one record each; the rest edit one.
        i = n + 1 if n < records else (n * 7919) % records + 1
        revs[i] = revs.get(i, -1) + 1
        data = record(i, revs[i])
        when = t0 + n * 600
        msg = f"decision {i} rev {revs[i]}".encode()
        out.write(b"commit refs/heads/main\n")
        out.write(f"committer Bench <bench@example.com> {when} +0000\n".encode())
        out.write(f"data {len(msg)}\n".encode() + msg + b"\n")
        out.write(f"M 100644 inline decisions/{i:05d}-decision.md\n".encode())
        out.write(f"data {len(data)}\n".encode() + data + b"\n")
    # The pull request: `changed` records edited on a branch.
    out.write(b"commit refs/heads/feature\n")
    out.write(f"committer Bench <bench@example.com> {t0 + commits * 600} +0000\n".encode())
    out.write(b"data 7\nfeature\n")
    out.write(b"from refs/heads/main\n")
    for k in range(changed):
        i = (k * 997) % records + 1
        data = record(i, revs[i] + 1)
        out.write(f"M 100644 inline decisions/{i:05d}-decision.md\n".encode())
        out.write(f"data {len(data)}\n".encode() + data + b"\n")
    out.close()
    if stream.wait() != 0:
        sys.exit("git fast-import failed")
    run(["git", "-C", path, "checkout", "-q", "feature"])
    open(os.path.join(path, ".done"), "w").close()


def run(cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


def median_time(cmd, cwd, runs):
    """Median wall time; with hyperfine when it is installed (warm-up, exit codes ignored:
    the bench change has findings, so `check --base` exits 1)."""
    if shutil.which("hyperfine"):
        import json
        import shlex
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".json") as export:
            subprocess.run(
                ["hyperfine", "-N", "-i", "--warmup", "1", "--runs", str(runs),
                 "--export-json", export.name, shlex.join(cmd)],
                cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            return json.load(open(export.name))["results"][0]["median"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=20_000)
    parser.add_argument("--changed", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    declint = os.path.join(ROOT, "target", "release", "declint")
    if not os.path.exists(declint):
        sys.exit("build first: cargo build --release")
    corpus = os.path.join(
        ROOT, "bench", "corpus", f"git-{args.records}-{args.commits}-{args.changed}"
    )
    build(corpus, args.records, args.commits, args.changed)
    env_today = ["--today", "2026-06-01"]
    cases = [
        ("check", [declint, "check", "-f", "concise", *env_today]),
        ("check --base main", [declint, "check", "-f", "concise", "--base", "main", *env_today]),
        ("check --base main --head HEAD",
         [declint, "check", "-f", "concise", "--base", "main", "--head", "HEAD", *env_today]),
        ("check --history", [declint, "check", "-f", "concise", "--history", *env_today]),
        ("git log --name-status", ["git", "log", "--name-status", "--", "decisions"]),
    ]
    print(f"{args.records} records, {args.commits} commits, {args.changed} changed records, "
          f"median of {args.runs} runs")
    results = {}
    for name, cmd in cases:
        results[name] = median_time(cmd, corpus, args.runs)
        print(f"  {name:32} {results[name]:.3f} s")
    base = results["check"]
    for name in ("check --base main", "check --base main --head HEAD"):
        print(f"  {name} adds {100 * (results[name] / base - 1):+.1f}% over check")


if __name__ == "__main__":
    main()
