#!/usr/bin/env bash
# declint's benchmark: builds the release binary and the corpus generator, generates
# corpora, and times declint side by side with rg, rumdl, markdownlint-cli2 and
# `adrs doctor` with hyperfine, in one run. Also: peak memory (/usr/bin/time -v), and on a
# generated git history, `check --base` against a plain check and `stats --history`
# against `git log --name-status`; in a generated monorepo (200k files beside 1k records),
# `check --base` against a plain check and `git status`.
#
#   bench/run.sh                      # 1k, 10k and 50k records; history of 20k commits over 10k
#   bench/run.sh --sizes "1000 10000" --commits 20000 --history-size 10000
#   bench/run.sh --sizes "" --commits 0 --monorepo-files 200000   # only the monorepo
#   bench/run.sh --monorepo-files 0   # skip the monorepo
#   bench/run.sh --quick              # tiny corpus, dev build, few runs: CI checks the script runs
#
# Competitors are looked up on PATH and in $DECLINT_BENCH_TOOLS (default
# ~/.cache/declint-bench: node_modules/.bin/markdownlint-cli2, adrs/bin/adrs); absent ones
# are skipped with a note. Install them with:
#   npm install --prefix ~/.cache/declint-bench markdownlint-cli2
#   pip install rumdl
#   cargo install --locked adrs --root ~/.cache/declint-bench/adrs
#   apt-get install -y hyperfine ripgrep time
#
# Results: bench/results/<UTC timestamp>/ (hyperfine JSON and Markdown, summary.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

QUICK=0
SIZES="1000 10000 50000"
COMMITS=20000
HISTORY_SIZE=10000
MONOREPO_FILES=200000
MONOREPO_RECORDS=1000
SLOW_MAX=10000   # markdownlint-cli2 runs only up to this size (it takes minutes at 50k)
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --sizes) SIZES=$2; shift ;;
    --commits) COMMITS=$2; shift ;;
    --history-size) HISTORY_SIZE=$2; shift ;;
    --monorepo-files) MONOREPO_FILES=$2; shift ;;
    --slow-max) SLOW_MAX=$2; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
if [ "$QUICK" = 1 ]; then
  SIZES="200"
  COMMITS=400
  HISTORY_SIZE=200
  MONOREPO_FILES=2000
  MONOREPO_RECORDS=100
  SLOW_MAX=200
fi

TOOLS=${DECLINT_BENCH_TOOLS:-$HOME/.cache/declint-bench}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=${DECLINT_BENCH_OUT:-$ROOT/bench/results/$STAMP}
# Corpora live outside this repository: declint finds its root by walking up to `.git`,
# and a corpus inside the worktree would be checked as part of the project.
WORK=${DECLINT_BENCH_WORK:-${TMPDIR:-/tmp}/declint-bench-corpus}
mkdir -p "$OUT" "$WORK"
export DECLINT_TODAY=2026-11-27
export NO_COLOR=1

# hyperfine settings: real runs get warm-ups and enough samples; quick mode just proves
# every command line still works.
if [ "$QUICK" = 1 ]; then
  echo "- quick mode: a tiny corpus and a dev build prove the script runs; its ratios mean nothing" > "$OUT/notes.md"
  HF_FAST=(--warmup 0 --runs 2)
  HF_SLOW=(--warmup 0 --runs 1)
else
  HF_FAST=(--warmup 1 --min-runs 6)
  HF_SLOW=(--warmup 1 --runs 3)
fi

note() { echo "bench: $*" >&2; echo "- $*" >> "$OUT/notes.md"; }

# --- build -------------------------------------------------------------------------------
# cargo's target directory, wherever CARGO_TARGET_DIR or a cargo config puts it.
TARGET_DIR=$(bash "$ROOT/scripts/cargo-target-dir.sh")
if [ "$QUICK" = 1 ]; then
  cargo build --quiet --bin declint --example gen_corpus
  BIN=$TARGET_DIR/debug
else
  cargo build --quiet --release --bin declint --example gen_corpus
  BIN=$TARGET_DIR/release
fi
DECLINT=$BIN/declint
GEN=$BIN/examples/gen_corpus

# --- tools ---------------------------------------------------------------------------------
find_tool() { # name, then candidate paths
  local name=$1; shift
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  for p in "$@"; do [ -x "$p" ] && { echo "$p"; return; }; done
  echo ""
}
HYPERFINE=$(find_tool hyperfine)
RG=$(find_tool rg)
RUMDL=$(find_tool rumdl)
MDL=$(find_tool markdownlint-cli2 "$TOOLS/node_modules/.bin/markdownlint-cli2")
ADRS=$(find_tool adrs "$TOOLS/adrs/bin/adrs")
GNU_TIME=$( [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1 && echo /usr/bin/time || echo "")
if [ -z "$HYPERFINE" ]; then
  if [ "$QUICK" = 1 ]; then
    note "hyperfine absent: each command runs once, untimed"
  else
    echo "bench: hyperfine is required (apt-get install -y hyperfine)" >&2
    exit 2
  fi
fi
for t in RG RUMDL MDL ADRS GNU_TIME; do
  [ -n "${!t}" ] || note "$t absent: its rows are skipped"
done

# --- machine and versions ----------------------------------------------------------------
{
  echo "## Machine"
  echo
  echo "- cores: $(nproc)"
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
  echo "- memory: $(free -h 2>/dev/null | awk '/^Mem:/ {print $2}')"
  echo "- OS: $(uname -sr)"
  echo
  echo "## Versions"
  echo
  echo "- declint: $($DECLINT --version 2>/dev/null || echo unknown) ($(git rev-parse --short HEAD 2>/dev/null || echo no-git), $([ "$QUICK" = 1 ] && echo dev || echo release) build)"
  echo "- rustc: $(rustc --version)"
  [ -n "$HYPERFINE" ] && echo "- $($HYPERFINE --version)"
  [ -n "$RG" ] && echo "- $($RG --version | head -1)"
  [ -n "$RUMDL" ] && echo "- $($RUMDL --version)"
  if [ -n "$MDL" ]; then
    mdl_version=$( (cd "$WORK" && "$MDL" --help 2>/dev/null || true) | head -1 | grep -o 'v[0-9.]*' | head -1 || true)
    echo "- markdownlint-cli2 ${mdl_version:-?} (node $(node --version 2>/dev/null || echo '?'))"
  fi
  [ -n "$ADRS" ] && echo "- $($ADRS --version 2>/dev/null | head -1)"
  echo "- $(git --version)"
} > "$OUT/machine.md"

# Run a hyperfine group; without hyperfine (quick mode only) run each command once.
bench() { # name, settings array name, then pairs: label command
  local name=$1 settings=$2; shift 2
  local -a args=()
  local -n hf_settings=$settings
  while [ $# -gt 0 ]; do
    args+=(-n "$1" "$2")
    shift 2
  done
  if [ -n "$HYPERFINE" ]; then
    "$HYPERFINE" -i "${hf_settings[@]}" --export-json "$OUT/$name.json" \
      --export-markdown "$OUT/$name.md" "${args[@]}" >&2
  else
    local i=0
    while [ $i -lt ${#args[@]} ]; do
      echo "bench: ${args[$((i + 1))]}: ${args[$((i + 2))]}" >&2
      bash -c "${args[$((i + 2))]}" >/dev/null 2>&1 || true
      i=$((i + 3))
    done
  fi
}

peak_rss() { # directory, command...: prints the peak RSS in MB
  local dir=$1; shift
  if [ -z "$GNU_TIME" ]; then echo "n/a"; return; fi
  (cd "$dir" && "$GNU_TIME" -v "$@" >/dev/null 2>"$OUT/time.txt" || true)
  awk -F: '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$OUT/time.txt"
}

# --- corpora and the side-by-side runs ----------------------------------------------------
echo "size,tool,peak_rss_mb" > "$OUT/memory.csv"
for N in $SIZES; do
  C=$WORK/n$N
  for variant in valid findings nygard; do
    dir=$C-$variant
    if [ ! -f "$dir/.generated" ]; then
      rm -rf "$dir"
      case $variant in
        valid) "$GEN" --out "$dir" --count "$N" ;;
        findings) "$GEN" --out "$dir" --count "$N" --findings 10 ;;
        nygard) "$GEN" --out "$dir" --count "$N" --nygard ;;
      esac
      touch "$dir/.generated"
    fi
  done
  # Guard: each run must check the whole corpus (not, say, a log found further up), the
  # valid log must pass and the other must fail with findings, never with a tool error.
  checked=$(cd "$C-valid" && "$DECLINT" check --format concise | tail -1)
  case "$checked" in
    *" $N files checked"*) ;;
    *) echo "bench: declint did not check the $N-record corpus: $checked" >&2; exit 1 ;;
  esac
  rc=0; (cd "$C-findings" && "$DECLINT" check --format concise >/dev/null) || rc=$?
  if [ "$rc" != 1 ]; then
    echo "bench: declint exited $rc on the corpus with findings (expected 1)" >&2
    exit 1
  fi
  cmds=(
    "declint-valid" "cd $C-valid && $DECLINT check --format concise"
    "declint-findings" "cd $C-findings && $DECLINT check --format concise"
    "declint-findings-human" "cd $C-findings && $DECLINT check"
  )
  [ -n "$RG" ] && cmds+=("rg" "$RG --count-matches ^status: $C-valid/decisions")
  [ -n "$RUMDL" ] && cmds+=("rumdl" "$RUMDL check --no-config --no-cache --quiet $C-valid/decisions")
  [ -n "$RUMDL" ] && cmds+=("rumdl-cached" "$RUMDL check --no-config --cache-dir $C-valid/.rumdl_cache --quiet $C-valid/decisions")
  [ -n "$ADRS" ] && cmds+=("adrs-doctor" "cd $C-nygard && $ADRS doctor")
  bench "n$N" HF_FAST "${cmds[@]}"
  if [ -n "$MDL" ] && [ "$N" -le "$SLOW_MAX" ]; then
    bench "n$N-slow" HF_SLOW "markdownlint-cli2" "$MDL $C-valid/decisions/**/*.md"
  elif [ -n "$MDL" ]; then
    note "markdownlint-cli2 not run at $N records (above --slow-max $SLOW_MAX)"
  fi
  echo "$N,declint-valid,$(peak_rss "$C-valid" "$DECLINT" check --format concise)" >> "$OUT/memory.csv"
  echo "$N,declint-findings,$(peak_rss "$C-findings" "$DECLINT" check --format concise)" >> "$OUT/memory.csv"
  [ -n "$RG" ] && echo "$N,rg,$(peak_rss "$C-valid" "$RG" --count-matches ^status: decisions)" >> "$OUT/memory.csv"
done

# --- git history: --base and --history --------------------------------------------------
H=$WORK/history-$HISTORY_SIZE-$COMMITS
if [ "$COMMITS" -gt 0 ] && [ ! -f "$H/.git/bench-generated" ]; then
  rm -rf "$H"
  "$GEN" --out "$H" --count "$HISTORY_SIZE" --commits "$COMMITS" --pr-changes 10
  touch "$H/.git/bench-generated"
fi
hist=("declint-check" "cd $H && $DECLINT check --format concise")
if "$DECLINT" check --help 2>/dev/null | grep -q -- '--base'; then
  hist+=("declint-check-base" "cd $H && $DECLINT check --format concise --base bench-base")
else
  note "check --base not measured: the feature is not in this build"
fi
if "$DECLINT" check --help 2>/dev/null | grep -q -- '--history'; then
  hist+=("declint-check-history" "cd $H && $DECLINT check --format concise --history")
fi
hist+=("git-log-name-status" "git -C $H log --name-status --format=%H%x09%at -- decisions")
if "$DECLINT" stats --help >/dev/null 2>&1 && "$DECLINT" stats --help 2>/dev/null | grep -q -- '--history'; then
  hist+=("declint-stats-history" "cd $H && $DECLINT stats --history --format json")
else
  note "stats --history not measured: the feature is not in this build"
fi
[ "$COMMITS" -gt 0 ] && bench "history" HF_SLOW "${hist[@]}"

# --- monorepo: --base where the log is a small part of the tree ---------------------------
# `main` is one commit on `bench-base`: 10 records and a few code files changed, half of
# them under an `affects` glob (docs/benchmarks.md, "Monorepo").
M=$WORK/monorepo-$MONOREPO_FILES-$MONOREPO_RECORDS
if [ "$MONOREPO_FILES" -gt 0 ]; then
  if [ ! -f "$M/.git/bench-generated" ]; then
    rm -rf "$M"
    "$GEN" --out "$M" --count "$MONOREPO_RECORDS" --monorepo-files "$MONOREPO_FILES" --pr-changes 10
    touch "$M/.git/bench-generated"
  fi
  git -C "$M" status --short >/dev/null # the index's stat data, as in a working clone
  bench "monorepo" HF_SLOW \
    "declint-check" "cd $M && $DECLINT check --format concise" \
    "declint-check-base" "cd $M && $DECLINT check --format concise --base bench-base" \
    "declint-check-base-head" "cd $M && $DECLINT check --format concise --base bench-base --head HEAD" \
    "git-status" "git -C $M status --short"
fi

# --- summary -------------------------------------------------------------------------------
python3 "$ROOT/bench/summarize.py" "$OUT" > "$OUT/summary.md" || note "summary failed"
cat "$OUT/machine.md" "$OUT/summary.md" 2>/dev/null
[ -f "$OUT/notes.md" ] && { echo; echo "## Notes"; echo; cat "$OUT/notes.md"; }
echo "bench: results in $OUT" >&2
