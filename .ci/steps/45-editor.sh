#!/usr/bin/env bash
# A real LSP client that we did not write: Debian's Neovim, headless, opens a record of a
# test log with its built-in LSP client running `declint lsp`, and the diagnostics it
# received are compared with what the record holds, before and after an unsaved edit
# (tests/editor/neovim.lua). Neovim
# is installed with apt when missing (a few MB); only when there is no apt-get at all is
# the step skipped, with a message saying so.
set -euo pipefail
cd "$(dirname "$0")/../.."
CARGO_TARGET_DIR="$(bash scripts/cargo-target-dir.sh)"
export CARGO_TARGET_DIR

if ! command -v nvim > /dev/null; then
  if ! command -v apt-get > /dev/null; then
    echo "-- SKIPPED: Neovim is not installed and there is no apt-get to install it"
    echo "   (the protocol itself is still tested by tests/it/lsp.rs)"
    exit 0
  fi
  echo "-- installing neovim"
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends neovim) > /dev/null
fi
echo "-- $(nvim --version | head -n 1)"

cargo build --locked --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/decisions"
cat > "$work/decisions/0001-db.md" << 'RECORD'
---
id: "0001"
title: Use Postgres
status: accepted
decider: ana
date: 2026-01-10
options: [Postgres, MySQL]
reversal:
  - p99 latency above 200 ms for a week
---

# Use Postgres
RECORD
cat > "$work/decisions/0002-cache.md" << 'RECORD'
---
id: "0002"
title: Cache sessions in Redis
status: acepted
decider: ana
date: 2026-01-12
options: [Redis, Memcached]
supersedes: "0009"
reversal:
  - cache hit rate below 80 % for a month
---

# Cache sessions in Redis
RECORD

DECLINT_TODAY=2026-06-01 LOG_ROOT="$work" OUT="$work/diagnostics.txt" \
  DECLINT_BIN="$CARGO_TARGET_DIR/debug/declint" \
  timeout 90 nvim --headless --clean -c "luafile tests/editor/neovim.lua" > /dev/null 2>&1 || true
echo "-- diagnostics Neovim received:"
sed 's/^/   /' "$work/diagnostics.txt" 2> /dev/null || true
expected=$'4:9 DL102 \n8:13 DL402 \n-- after fixing the status\n8:13 DL402 '
got="$(sed -E 's/^([0-9]+:[0-9]+ DL[0-9]+ ).*/\1/' "$work/diagnostics.txt" 2> /dev/null || true)"
if [[ "$got" != "$expected" ]]; then
  echo "-- FAILED: expected DL102 at 4:9 and DL402 at 8:13, then DL402 alone once the buffer's status is fixed" >&2
  exit 1
fi
echo "-- Neovim shows the findings declint check reports"
