#!/usr/bin/env python3
"""Generate an adr-tools (Nygard) decision log of N records in DIR/doc/adr, for the
adoption bar of issue 15: `declint init --adopt` plus the first `declint check` on a
1,000-record Nygard log under 1 s.

    bench/nygard-log.py DIR [N]
    cd DIR && git init -q && time (declint init --adopt && declint check)

Every 10th record supersedes the one before it (both sides linked, as adr-tools
writes them); every 50th has a `dd/mm/yyyy` date, the debt a baseline holds.
"""
import os
import sys

root = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
folder = os.path.join(root, "doc", "adr")
os.makedirs(folder, exist_ok=True)
name = lambda i: f"{i:04d}-decision-number-{i}.md"
for i in range(1, n + 1):
    date = f"2020-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}"
    if i % 50 == 0:
        date = f"{(i % 28) + 1:02d}/{(i % 12) + 1:02d}/2020"
    status = ["Accepted"]
    if i % 10 == 9 and i < n:
        status = [f"Superseded by [{i + 1}. Decision number {i + 1}]({name(i + 1)})"]
    if i % 10 == 0:
        status += ["", f"Supersedes [{i - 1}. Decision number {i - 1}]({name(i - 1)})"]
    text = (
        f"# {i}. Decision number {i}\n\nDate: {date}\n\n## Status\n\n"
        + "\n".join(status)
        + "\n\n## Context\n\nThe issue motivating this decision, and any context that"
        " influences or constrains it.\n\n## Decision\n\nThe change that we're proposing"
        " or have agreed to implement.\n\n## Consequences\n\nWhat becomes easier or more"
        " difficult to do and any risks introduced by the change.\n"
    )
    with open(os.path.join(folder, name(i)), "w") as f:
        f.write(text)
