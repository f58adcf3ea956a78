#!/usr/bin/env python3
"""An independent oracle for `declint stats --history` (tests/it/timeline.rs).

It reads a repository with the `git` command line only (rev-list, ls-tree, show), not
libgit2, and recomputes from SPEC §9's definitions, written out directly rather than as
declint computes them:

- logged: the committer time of the earliest commit whose tree holds the record (by id)
  in a decided state (status accepted/rejected/deprecated/superseded/reversed with a date);
- logging latency: logged minus the end of the `date` day (UTC), at least 0, in hours;
- time to decide: whole days from `raised` to `date` (bare days) at HEAD, in hours;
- decision latency: logged minus the start of the `raised` day (UTC), at least 0, in hours;
- volatility: commits in which a record's priority rank differs from the first parent's
  and (for a merge) from every other parent's.

Records are the simple front-matter the test generates (`key: value` lines).
Prints one JSON object.
"""
import datetime as dt
import json
import subprocess
import sys

REPO = sys.argv[1]
FOLDER = "decisions"
DECIDED = {"accepted", "rejected", "deprecated", "superseded", "reversed"}


def git(*args):
    return subprocess.run(
        ["git", "-C", REPO, *args], check=True, capture_output=True, text=True
    ).stdout


def fields(text):
    lines = text.split("\n")
    out = {}
    if not lines or lines[0] != "---":
        return out
    for line in lines[1:]:
        if line == "---":
            break
        if ":" in line and not line.startswith(" "):
            key, value = line.split(":", 1)
            out[key.strip()] = value.strip().strip('"')
    return out


def rank(priority):
    if priority is None:
        return None
    p = priority.strip()
    return int(p[1:]) if p[:1] in "Pp" and p[1:].isdigit() else int(p) if p.isdigit() else p


blob_cache = {}


def records(commit):
    """id -> fields of every record in the commit's tree."""
    out = {}
    listing = git("ls-tree", "-r", commit, "--", FOLDER + "/")
    for line in listing.splitlines():
        meta, path = line.split("\t", 1)
        blob = meta.split()[2]
        if not path.endswith(".md") or path.rsplit("/", 1)[-1].lower() in ("readme.md",):
            continue
        if blob not in blob_cache:
            blob_cache[blob] = fields(git("cat-file", "-p", blob))
        f = blob_cache[blob]
        rid = f.get("id") or path.rsplit("/", 1)[-1].split("-")[0]
        out[rid] = f
    return out


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    pos = p * (len(values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


commits = git("rev-list", "HEAD").split()
times = {}
parents = {}
for c in commits:
    out = git("show", "-s", "--format=%ct %P", c).split()
    times[c] = int(out[0])
    parents[c] = out[1:]

trees = {c: records(c) for c in commits}

logged = {}
for c in commits:
    for rid, f in trees[c].items():
        if f.get("status") in DECIDED and f.get("date"):
            logged[rid] = min(logged.get(rid, times[c]), times[c])

changes = 0
for c in commits:
    if not parents[c]:
        continue
    first, others = parents[c][0], parents[c][1:]
    for rid, f in trees[c].items():
        before = trees[first].get(rid)
        if before is None:
            continue
        now = rank(f.get("priority"))
        if now == rank(before.get("priority")):
            continue
        if any(rid in trees[o] and rank(trees[o][rid].get("priority")) == now for o in others):
            continue
        changes += 1

head = trees[commits[0]]
hours = []
days = []
latency = []
for rid, f in head.items():
    date = f.get("date")
    if not date:
        continue
    end = dt.datetime.fromisoformat(date).replace(tzinfo=dt.timezone.utc) + dt.timedelta(days=1)
    if rid in logged:
        hours.append(max(0, logged[rid] - end.timestamp()) / 3600)
    if f.get("raised") and f.get("status") in DECIDED:
        d = (dt.date.fromisoformat(date) - dt.date.fromisoformat(f["raised"])).days
        if d >= 0:
            days.append(float(d) * 24)
        if rid in logged:
            raised = dt.datetime.fromisoformat(f["raised"]).replace(tzinfo=dt.timezone.utc)
            latency.append(max(0, logged[rid] - raised.timestamp()) / 3600)

print(json.dumps({
    "logging_latency": {
        "count": len(hours),
        "median_hours": percentile(hours, 0.5),
        "p90_hours": percentile(hours, 0.9),
        "late": sum(1 for h in hours if h > 24),
    },
    "time_to_decide": {
        "count": len(days),
        "median_hours": percentile(days, 0.5),
        "p90_hours": percentile(days, 0.9),
    },
    "decision_latency": {
        "count": len(latency),
        "median_hours": percentile(latency, 0.5),
        "p90_hours": percentile(latency, 0.9),
    },
    "volatility_changes": changes,
}))
