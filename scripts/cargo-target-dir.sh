#!/usr/bin/env bash
# Print the absolute path of cargo's target directory for this checkout, as cargo itself
# resolves it (CARGO_TARGET_DIR, `build.target-dir` in a cargo config, else ./target), so
# scripts find the binaries cargo built wherever they went.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo metadata --format-version 1 --no-deps --locked |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'
