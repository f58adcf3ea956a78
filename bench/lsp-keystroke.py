#!/usr/bin/env python3
"""One keystroke in an editor to the diagnostics it brings, through `declint lsp`.

Speaks the protocol to the binary as an editor does: `initialize` in a generated log,
`didOpen` of one record, then KEYSTROKES `didChange` notifications (each with the full
text, the most a change can cost), each one character typed into or deleted from the
record's `status`,
so that every change turns a finding on or off and the server publishes diagnostics.
The figure is the time from writing the change to reading its `publishDiagnostics`:
parsing the buffer, its record rules, the log-wide rules, and the JSON both ways; and,
where /proc is there (Linux), the server's own CPU time per change (user + system, read
from /proc/PID/stat before the first change and after the last), which a busy machine
disturbs less than the wall time. Not a timed test: the numbers are for
docs/benchmarks.md.

    cargo build --release --bin declint --example gen_corpus
    target/release/examples/gen_corpus --out /tmp/lsp-1k --count 1000
    bench/lsp-keystroke.py --bin target/release/declint --log /tmp/lsp-1k [--keystrokes 200]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def send(proc, message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def receive(proc):
    length = None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("the server closed its output")
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(proc.stdout.read(length))


def cpu_seconds(pid):
    """The process's user + system CPU time so far, or None without /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait(proc, wanted):
    while True:
        message = receive(proc)
        if wanted(message):
            return message


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="the declint binary")
    parser.add_argument("--log", required=True, help="a folder holding decisions/")
    parser.add_argument("--keystrokes", type=int, default=200)
    args = parser.parse_args()

    root = Path(args.log).resolve()
    records = sorted((root / "decisions").glob("*.md"))
    if not records:
        raise SystemExit(f"no records under {root}/decisions")
    # A record in the middle of the log, with a `status:` line to type into.
    target = next(
        (p for p in records[len(records) // 2 :] if "\nstatus: accepted" in p.read_text()),
        None,
    )
    if target is None:
        raise SystemExit("no accepted record to type into")
    text = target.read_text()
    typo = text.replace("\nstatus: accepted", "\nstatus: acceptedx", 1)
    uri = target.as_uri()

    env = dict(os.environ, DECLINT_TODAY="2026-11-28")
    proc = subprocess.Popen(
        [str(Path(args.bin).resolve()), "lsp"],
        cwd=root,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    started = time.perf_counter()
    send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}})
    wait(proc, lambda m: m.get("id") == 1)
    initialized_ms = (time.perf_counter() - started) * 1000
    send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": uri, "languageId": "markdown",
                                            "version": 1, "text": text}}})
    wait(proc, lambda m: m.get("method") == "textDocument/publishDiagnostics")

    def published(m):
        return m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri

    times = []
    cpu_before = cpu_seconds(proc.pid)
    for version in range(2, args.keystrokes + 2):
        current = typo if version % 2 == 0 else text
        sent = time.perf_counter()
        send(proc, {"jsonrpc": "2.0", "method": "textDocument/didChange",
                    "params": {"textDocument": {"uri": uri, "version": version},
                               "contentChanges": [{"text": current}]}})
        message = wait(proc, published)
        times.append((time.perf_counter() - sent) * 1000)
        has_typo = any(d["code"] == "DL102" for d in message["params"]["diagnostics"])
        if has_typo != (current is typo):
            raise SystemExit(f"keystroke {version}: diagnostics do not match the buffer")

    cpu_after = cpu_seconds(proc.pid)
    send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
    wait(proc, lambda m: m.get("id") == 2)
    send(proc, {"jsonrpc": "2.0", "method": "exit", "params": None})
    proc.wait(timeout=10)

    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"log: {len(records)} Markdown files; initialize (read and check the log): {initialized_ms:.1f} ms")
    print(f"keystroke -> diagnostics over {len(times)} changes: "
          f"median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms")
    if cpu_before is not None and cpu_after is not None:
        per_change = (cpu_after - cpu_before) * 1000 / len(times)
        print(f"server CPU time per change (user + system): {per_change:.2f} ms")


if __name__ == "__main__":
    sys.exit(main())
