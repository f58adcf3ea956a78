#!/usr/bin/env bash
# Robustness and supply chain (docs/robustness.md, SECURITY.md):
#   1. cargo-deny: licences, banned crates and sources. Not advisories: that check needs the
#      RustSec database from a git remote, which CI cannot reach (the crates.io registry it can).
#   2. The cargo-fuzz targets build, and each runs for a few seconds on its seed corpus.
# Installs cargo-deny and cargo-fuzz from crates.io when missing; ~/.cargo/bin keeps them
# between runs on the same machine.
set -euo pipefail
cd "$(dirname "$0")/../.."

CARGO_DENY_VERSION=0.20.2
CARGO_FUZZ_VERSION=0.13.2
FUZZ_SECONDS="${FUZZ_SECONDS:-10}"

install_tool() { # name version
  if ! command -v "$1" >/dev/null 2>&1 || ! "$1" --version 2>/dev/null | grep -q "$2"; then
    echo "-- installing $1 $2 (once per machine)"
    cargo install --locked "$1" --version "$2"
  fi
}

echo "-- cargo deny check licenses bans sources"
install_tool cargo-deny "$CARGO_DENY_VERSION"
cargo deny --locked check licenses bans sources

echo "-- fuzz targets: build, then ${FUZZ_SECONDS}s each on the seeds"
install_tool cargo-fuzz "$CARGO_FUZZ_VERSION"
cd fuzz
# cargo-fuzz needs nightly-only flags; RUSTC_BOOTSTRAP lets the stable toolchain accept
# them. A development build without a sanitizer keeps the build short; the coverage
# instrumentation that guides libFuzzer is still there.
export RUSTC_BOOTSTRAP=1
cargo fuzz build --dev --sanitizer none
for target in $(cargo fuzz list); do
  corpus="$(mktemp -d)"
  log="$(mktemp)"
  cp seeds/"$target"/* "$corpus"/
  status=0
  cargo fuzz run --dev --sanitizer none "$target" "$corpus" -- \
    -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done)' "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log"
    echo "fuzz target $target failed (exit $status); the crashing input is under fuzz/artifacts/$target/"
    exit 1
  fi
  rm -rf "$corpus" "$log"
done
