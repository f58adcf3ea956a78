#!/usr/bin/env bash
# Integrations: actionlint over the workflows (and, through `uses: ./`, action.yml),
# ShellCheck over the action's scripts, the action run under a faked GitHub environment,
# and `pre-commit try-repo` for both hooks against a throwaway repository.
# Idempotent: tools go into a cached virtualenv; Rust builds share cargo's target
# directory (CARGO_TARGET_DIR when it is set).
set -euo pipefail
cd "$(dirname "$0")/../.."
project="$PWD"
CARGO_TARGET_DIR="$(bash scripts/cargo-target-dir.sh)"
export CARGO_TARGET_DIR

cache="${XDG_CACHE_HOME:-$HOME/.cache}/declint-ci"
venv="$cache/venv"
stamp="$venv/.installed-$(cat tests/action/requirements.txt tests/action/actionlint-requirements.txt | sha256sum | cut -c1-16)"
if [[ ! -f "$stamp" ]]; then
  echo "-- installing pre-commit and actionlint into $venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/action/requirements.txt
  # A binary wheel only, held to its hash.
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
    --only-binary=:all: --require-hashes -r tests/action/actionlint-requirements.txt
  touch "$stamp"
fi
export PATH="$venv/bin:$PATH"
if ! command -v shellcheck > /dev/null; then
  echo "-- installing shellcheck"
  (apt-get update -qq && apt-get install -y -qq shellcheck) > /dev/null
fi

echo "-- shellcheck"
shellcheck scripts/*.sh tests/action/*.sh .ci/steps/30-integrations.sh

echo "-- actionlint $(actionlint --version | head -n 1)"
actionlint

echo "-- the action under a faked GitHub environment"
cargo build --locked --quiet
bash tests/action/test-action.sh "$CARGO_TARGET_DIR/debug/declint"

echo "-- pre-commit try-repo"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# try-repo makes a new environment per run: keep them in the scratch folder, not the cache.
export PRE_COMMIT_HOME="$scratch/pre-commit"
user_repo="$scratch/user"
mkdir -p "$user_repo/decisions"
git -C "$user_repo" init --quiet
cat > "$user_repo/decisions/0001-postgres.md" <<'EOF'
---
id: "0001"
title: Use Postgres
kind: decision
status: accepted
raised: 2026-03-01
date: 2026-03-02
decider: ana
agree: [ben]
options: [Use Postgres, keep what we have]
reversal:
  - the weekly active users of the feature drop below one hundred for a quarter
reversibility: two-way
dissent: []
review_by: 2027-03-01
---

# Use Postgres
EOF
printf -- '---\nid: "0002"\ntitle: Use Redis\nstatus: proposed\n---\n' > "$user_repo/decisions/0002-redis.md"
printf 'not a decision\n' > "$user_repo/notes.md"
git -C "$user_repo" add -A

# expect_hook HOOK EXPECTED_EXIT FILE...: run one hook on the given files.
expect_hook() {
  local hook="$1" expected="$2" code=0
  shift 2
  (cd "$user_repo" && pre-commit try-repo "$project" "$hook" --verbose --files "$@") > "$scratch/out.txt" 2>&1 || code=$?
  if [[ "$code" -ne "$expected" ]]; then
    cat "$scratch/out.txt"
    echo "pre-commit hook $hook on $*: exit $code, expected $expected"
    exit 1
  fi
}

# The system hook, with the debug build on PATH.
export DECLINT_TODAY=2026-06-01
PATH="$CARGO_TARGET_DIR/debug:$PATH" expect_hook declint-system 1 decisions/0002-redis.md
grep -q 'decider' "$scratch/out.txt" || { cat "$scratch/out.txt"; echo "finding not shown"; exit 1; }
PATH="$CARGO_TARGET_DIR/debug:$PATH" expect_hook declint-system 0 decisions/0001-postgres.md notes.md
grep -q 'Redis' "$scratch/out.txt" && { cat "$scratch/out.txt"; echo "a file not passed was reported"; exit 1; }

# The rust hook: pre-commit builds declint from this checkout with `cargo install`, as a
# user's machine does: in cargo's own temporary folder, removed afterwards. With our
# CARGO_TARGET_DIR it would leave a 650 MB release build in the shared target (decisions/0074).
start=$(date +%s)
unset CARGO_TARGET_DIR
expect_hook declint 1 decisions/0002-redis.md
echo "   (language: rust hook, build included: $(($(date +%s) - start)) s)"
expect_hook declint 0 decisions/0001-postgres.md
echo "pre-commit: 4 passed, 0 failed"
