#!/usr/bin/env bash
# Benchmark smoke run: the benchmark is not a timed test. CI only checks that the corpus
# generator, the history builder and bench/run.sh still work, on a tiny corpus with a dev
# build; competitor tools that are not installed are skipped with a note. The figures
# live in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
DECLINT_BENCH_WORK="$work/corpus" DECLINT_BENCH_OUT="$work/results" bench/run.sh --quick
# The language server's keystroke benchmark (bench/lsp-keystroke.py), on a tiny log with
# the dev build that run.sh --quick just built: the script still speaks the protocol.
build_dir="$(bash scripts/cargo-target-dir.sh)"
"$build_dir/debug/examples/gen_corpus" --out "$work/lsp" --count 50 > /dev/null
python3 bench/lsp-keystroke.py --bin "$build_dir/debug/declint" --log "$work/lsp" --keystrokes 10
# The micro-benchmark (benches/record.rs) is compiled by `cargo clippy --all-targets`;
# running it is for humans: `cargo bench --bench record`.
