#!/usr/bin/env bash
# The GitHub Action, run locally under a faked GitHub environment (tests/action/emulate.py
# plays the runner): annotations, job summary, outputs and the exit code for every
# `fail-on`, SARIF, input validation, the pinned-binary install, and proof that an input
# holding shell syntax is never executed.
#
# Usage: tests/action/test-action.sh PATH-TO-DECLINT-BINARY
# Single-quoted `$(…)` and `${{ }}` below are deliberate: they are the hostile inputs.
# shellcheck disable=SC2016
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
project="$(cd "$here/../.." && pwd)"
declint="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
[[ -x "$declint" ]] || { echo "not executable: $1"; exit 2; }

work="$(mktemp -d)"
trap '[[ -n "${KEEP:-}" ]] || rm -rf "$work"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   $1"; }
flunk() { failed=$((failed + 1)); echo "FAIL $1"; }
check() { # check NAME COMMAND...: the command must succeed
  local name="$1"
  shift
  if "$@"; then pass "$name"; else flunk "$name"; fi
}

# A copy of the action as a user's workflow would check it out.
action="$work/action"
mkdir -p "$action"
cp -R "$project/action.yml" "$project/scripts" "$project/Cargo.toml" "$project/Cargo.lock" "$project/dist" "$action/"

export DECLINT_TODAY=2026-06-01
complete_record() { # complete_record ID TITLE
  cat <<EOF
---
id: "$1"
title: $2
kind: decision
status: accepted
raised: 2026-03-01
date: 2026-03-02
decider: ana
agree: [ben]
options:
  - name: $2
  - name: keep what we have
reversal:
  - the weekly active users of the feature drop below one hundred for a quarter
reversibility: two-way
dissent: []
review_by: 2027-03-01
---

# $2
EOF
}

# A pull request's checkout: a git repository with a decision log.
make_repo() { # make_repo DIR KIND (errors|warnings|clean)
  local dir="$1"
  mkdir -p "$dir/decisions"
  git -C "$dir" init --quiet --initial-branch=main
  complete_record 0001 "Use Postgres" > "$dir/decisions/0001-postgres.md"
  case "$2" in
    errors) printf '# Use Redis\n\nNo front-matter yet.\n' > "$dir/decisions/0002-redis.md" ;;
    warnings) { complete_record 0002 "Use Redis" | sed 's/^decider: ana$/decider: ana\nsurprise: 1/'; } > "$dir/decisions/0002-redis.md" ;;
    clean) ;;
  esac
  git -C "$dir" add -A
  git -C "$dir" -c user.name=Test -c user.email=test@example.com commit --quiet -m "decisions"
}

# The environment a pull_request workflow run sees.
fake_github() { # fake_github REPO
  export GITHUB_ACTIONS=true
  export GITHUB_WORKSPACE="$1"
  export GITHUB_EVENT_NAME=pull_request
  export GITHUB_EVENT_PATH="$work/event.json"
  export GITHUB_BASE_REF=main
  export GITHUB_HEAD_REF=feature
  export GITHUB_SERVER_URL=https://github.com
  export GITHUB_REPOSITORY=acme/decisions
  export GITHUB_SHA
  GITHUB_SHA="$(git -C "$1" rev-parse HEAD)"
  export RUNNER_TEMP="$work/runner-temp"
  export RUNNER_OS=Linux RUNNER_ARCH=X64
  export GITHUB_STEP_SUMMARY="$work/step-summary.md"
  mkdir -p "$RUNNER_TEMP"
  : > "$GITHUB_STEP_SUMMARY"
  cat > "$GITHUB_EVENT_PATH" <<EOF
{"action": "synchronize", "number": 7,
 "pull_request": {"number": 7, "base": {"ref": "main", "sha": "$GITHUB_SHA"}, "head": {"ref": "feature", "sha": "$GITHUB_SHA"}}}
EOF
}

# run_action REPO INPUTS_JSON: runs the action; sets $log, $result (the JSON line).
run_action() {
  fake_github "$1"
  log="$work/log.txt"
  (cd "$1" && DECLINT_PREINSTALLED="${PREINSTALLED-$declint}" python3 "$here/emulate.py" "$action" "$2") > "$log" 2>&1
  result="$(tail -n 1 "$log")"
}
field() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval("d" + sys.argv[2]))' "$result" "$1"; }
log_has() { grep -qF -- "$1" "$log"; }
summary_has() { grep -qF -- "$1" "$GITHUB_STEP_SUMMARY"; }

errors="$work/errors"
make_repo "$errors" errors
warnings="$work/warnings"
make_repo "$warnings" warnings
clean="$work/clean"
make_repo "$clean" clean

# --- annotations, summary, outputs, exit codes -----------------------------------
run_action "$errors" '{"base": "none"}'
check "errors: exit code 1" test "$(field "['exit_code']")" = 1
check "errors: exit-code output is 1" test "$(field "['outputs']['exit-code']")" = 1
check "errors: annotation with title, file and region" \
  log_has '::error title=DL001 no-front-matter,file=decisions/0002-redis.md,line=1,col=1,endLine=1,endColumn=4::no front-matter: the file does not start with a `---` line%0Ahelp: '
check "errors: no sarif file unless asked" test -z "$(field "['outputs']['sarif-file']")"
check "errors: summary counts" summary_has '1 error, 0 warnings in 1 of 2 files checked'
check "errors: summary links the line" \
  summary_has "(https://github.com/acme/decisions/blob/$GITHUB_SHA/decisions/0002-redis.md#L1)"

run_action "$errors" '{"base": "none", "fail-on": "warning"}'
check "errors, fail-on warning: exit 1" test "$(field "['exit_code']")" = 1
run_action "$errors" '{"base": "none", "fail-on": "never"}'
check "errors, fail-on never: exit 0" test "$(field "['exit_code']")" = 0
check "errors, fail-on never: still annotated" log_has '::error title=DL001 no-front-matter'
check "errors, fail-on never: exit-code output 0" test "$(field "['outputs']['exit-code']")" = 0

run_action "$warnings" '{"base": "none"}'
check "warnings, fail-on error: exit 0" test "$(field "['exit_code']")" = 0
check "warnings: warning annotation" log_has '::warning title=DL004 unknown-field,file=decisions/0002-redis.md,'
run_action "$warnings" '{"base": "none", "fail-on": "warning"}'
check "warnings, fail-on warning: exit 1" test "$(field "['exit_code']")" = 1
run_action "$warnings" '{"base": "none", "fail-on": "never"}'
check "warnings, fail-on never: exit 0" test "$(field "['exit_code']")" = 0

run_action "$clean" '{"base": "none", "fail-on": "warning"}'
check "clean: exit 0" test "$(field "['exit_code']")" = 0
check "clean: summary says so" summary_has 'No findings.'

run_action "$errors" '{"base": "none", "summary": "false"}'
check "summary false: nothing appended" test ! -s "$GITHUB_STEP_SUMMARY"

run_action "$errors" '{"base": "none", "sarif": "true", "paths": "decisions\n"}'
sarif_file="$(field "['outputs']['sarif-file']")"
check "sarif: file output set" test -n "$sarif_file"
check "sarif: SARIF 2.1.0 with the finding" python3 - "$sarif_file" <<'EOF'
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0"
uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
assert "decisions/0002-redis.md" in uris, uris
EOF

# Two uses in one job: each its own SARIF file, by default or where sarif-path says.
run_action "$errors" '{"base": "none", "sarif": "true"}'
first_sarif="$(field "['outputs']['sarif-file']")"
run_action "$errors" '{"base": "none", "sarif": "true"}'
check "sarif: a second use writes a second file" test "$first_sarif" != "$(field "['outputs']['sarif-file']")" -a -s "$first_sarif"
run_action "$errors" '{"base": "none", "sarif": "true", "sarif-path": "out/here.sarif"}'
check "sarif-path: the file is where asked" test "$(field "['outputs']['sarif-file']")" = out/here.sarif
check "sarif-path: and holds SARIF" grep -q '"version": "2.1.0"' "$errors/out/here.sarif"
rm -rf "$errors/out"

mkdir -p "$clean/sub dir"
cp -R "$errors/decisions" "$clean/sub dir/"
run_action "$clean" '{"base": "none", "working-directory": "sub dir", "paths": "decisions/0002-redis.md"}'
check "working-directory and paths: only the given file" test "$(field "['exit_code']")" = 1
check "working-directory and paths: annotated" log_has 'file=sub dir/decisions/0002-redis.md,'

# --- base: auto, on the pull request's head and on GitHub's merge commit ----------
# The feature branch raises a priority without new evidence (DL501) and touches db/,
# which decision 0001 governs through `affects`. GitHub checks out the merge of the
# feature into main by default: HEAD's first parent is then the base.
pr="$work/pr"
mkdir -p "$pr/decisions" "$pr/db"
git -C "$pr" init --quiet --initial-branch=main
complete_record 0001 "Use Postgres" | sed 's/^review_by: 2027-03-01$/review_by: 2027-03-01\npriority: P2\ndeprioritized: [the search rewrite]\naffects: ["db\/**"]/' > "$pr/decisions/0001-postgres.md"
echo "create table t (id int);" > "$pr/db/schema.sql"
git -C "$pr" add -A
git -C "$pr" -c user.name=Test -c user.email=test@example.com commit --quiet -m "base"
git -C "$pr" checkout --quiet -b feature
sed -i 's/^priority: P2$/priority: P1/' "$pr/decisions/0001-postgres.md"
echo "create table u (id int);" >> "$pr/db/schema.sql"
git -C "$pr" -c user.name=Test -c user.email=test@example.com commit --quiet -am "raise the priority"
# Checked out at the pull request's head (no merge commit): the merge base with
# GITHUB_BASE_REF is the base.
run_action "$pr" '{}'
check "base auto on the head commit: exit 1" test "$(field "['exit_code']")" = 1
check "base auto on the head commit: DL501 annotated" log_has '::error title=DL501 priority-without-evidence,'
run_action "$pr" '{"base": "main", "fail-on": "never"}'
check "explicit base ref: findings reported, exit 0 under fail-on never" test "$(field "['exit_code']")" = 0
check "explicit base ref: DL501 annotated" log_has '::error title=DL501 priority-without-evidence,'
git -C "$pr" checkout --quiet main
git -C "$pr" -c user.name=Test -c user.email=test@example.com merge --quiet --no-ff -m "Merge feature into main" feature
run_action "$pr" '{}'
check "base auto: exit 1 on the change rule" test "$(field "['exit_code']")" = 1
check "base auto: DL501 annotated" log_has '::error title=DL501 priority-without-evidence,file=decisions/0001-postgres.md,'
check "base auto: governing decisions in the summary" summary_has '### Decisions governing this change'
check "base auto: with the changed file they cover" summary_has 'db/schema.sql'
shallow="$work/shallow"
git clone --quiet --depth 1 "file://$pr" "$shallow"
rm -f "$RUNNER_TEMP"/*.sarif
run_action "$shallow" '{"sarif": "true"}'
check "base auto, shallow clone: tool failure (exit 2)" test "$(field "['exit_code']")" = 2
check "exit 2: exit-code output is 2" test "$(field "['outputs']['exit-code']")" = 2
check "exit 2: one ::error annotation naming fetch-depth, with its help" \
  test "$(grep -c '^::error title=declint could not check::.*%0Ahelp: .*fetch-depth' "$log")" = 1
check "exit 2: no other annotation" test "$(grep -c '^::' "$log")" = 1
check "exit 2: job summary section" summary_has '## ⛔ declint could not check'
check "exit 2: the summary gives the help once" \
  test "$(grep -c 'fetch-depth' "$GITHUB_STEP_SUMMARY")" = 1
check "exit 2: no sarif-file output" test -z "$(field "['outputs']['sarif-file']")"
check "exit 2: no SARIF file left behind" test -z "$(find "$RUNNER_TEMP" -name '*.sarif' -print -quit)"

# --- input validation -----------------------------------------------------------
run_action "$errors" '{"base": "none", "fail-on": "sometimes"}'
check "bad fail-on: exit 2" test "$(field "['exit_code']")" = 2
check "bad fail-on: explained" log_has '::error title=declint action::fail-on must be error, warning or never'
run_action "$errors" '{"base": "none", "sarif": "yes please"}'
check "bad sarif flag: exit 2" test "$(field "['exit_code']")" = 2
run_action "$errors" '{"base": "--help"}'
check "base that looks like an option: exit 2" test "$(field "['exit_code']")" = 2
run_action "$errors" '{"version": "1.0.0; touch pwned-version"}'
check "bad version: refused before installing" test "$(field "['failed_step']")" = plan
check "bad version: explained" log_has 'invalid version input'
check "install failure: exit-code output is 2" test "$(field "['outputs']['exit-code']")" = 2
check "install failure: job summary section" summary_has '## ⛔ declint could not be installed'

# --- injection: shell syntax in inputs is data, never code ------------------------
hostile='{"base": "none", "paths": "$(touch pwned-paths)\ndecisions/`touch pwned-tick`.md\n${{ inputs.config }}\n--version", "config": "$(touch pwned-config)"}'
run_action "$errors" "$hostile"
check "injection: declint failed on the literal path (exit 2)" test "$(field "['exit_code']")" = 2
check "injection: nothing was executed" test -z "$(find "$work" -name 'pwned*' -print -quit)"
check "injection: the path reached declint verbatim" log_has '$(touch pwned-config)'
# The same inputs through a `run:` script that interpolates an input (the mistake the
# action avoids) do execute: this is what makes the check above meaningful.
unsafe="$work/unsafe-action"
cp -R "$action" "$unsafe"
python3 - "$unsafe/action.yml" <<'EOF'
import sys, yaml
path = sys.argv[1]
action = yaml.safe_load(open(path))
next(s for s in action["runs"]["steps"] if s.get("id") == "check")["run"] = 'echo checking ${{ inputs.paths }}'
yaml.safe_dump(action, open(path, "w"))
EOF
(cd "$errors" && DECLINT_PREINSTALLED="$declint" python3 "$here/emulate.py" "$unsafe" '{"paths": "$(touch pwned-canary)"}') > /dev/null 2>&1
check "injection canary: interpolating in run: would have executed it" test -e "$errors/pwned-canary"
rm -f "$errors/pwned-canary"
check "action.yml: no expression inside any run: script" python3 - "$project/action.yml" <<'EOF'
import sys, yaml
action = yaml.safe_load(open(sys.argv[1]))
for step in action["runs"]["steps"]:
    assert "${{" not in step.get("run", ""), step
EOF

# --- install: pinned release binary, verified ------------------------------------
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$project/Cargo.toml" | head -n 1)"
release="$work/release/v$version"
mkdir -p "$release" "$work/pkg"
cp "$declint" "$work/pkg/declint"
asset="declint-$version-x86_64-unknown-linux-gnu.tar.gz"
tar -czf "$release/$asset" -C "$work/pkg" declint
echo "$(sha256sum "$release/$asset" | cut -d' ' -f1)  $asset" > "$action/dist/checksums.txt"
export DECLINT_RELEASE_URL="file://$work/release"
PREINSTALLED="" run_action "$errors" '{"base": "none"}'
check "install: pinned binary downloaded and verified" log_has "Downloading $asset (pinned SHA-256"
check "install: and used" test "$(field "['exit_code']")" = 1
echo "0000000000000000000000000000000000000000000000000000000000000000  $asset" > "$action/dist/checksums.txt"
PREINSTALLED="" run_action "$errors" '{"base": "none"}'
check "install: checksum mismatch refused" log_has "checksum mismatch for $asset"
check "install: mismatch stops before the check" test "$(field "['failed_step']")" = install
PREINSTALLED="" run_action "$errors" '{"base": "none", "version": "9.9.9"}'
check "install: unpinned other version refused" log_has 'no pinned release binary for declint 9.9.9'
unset DECLINT_RELEASE_URL

# --- install: the source-build fallback, isolated and cached ---------------------
# rustup and cargo are stand-ins that record how they were called: the real build is
# measured by scripts/measure-install.sh, not repeated here.
: > "$action/dist/checksums.txt"
fakes="$work/fakes"
mkdir -p "$fakes"
cat > "$fakes/rustup" <<'EOF'
#!/usr/bin/env bash
echo "rustup $*" >> "$FAKE_LOG"
EOF
cat > "$fakes/cargo" <<'EOF'
#!/usr/bin/env bash
{
  echo "cargo $*"
  echo "cwd=$PWD"
  env | grep -E '^(CARGO_|RUST)' | sort
} >> "$FAKE_LOG"
[[ -n "${FAKE_CARGO_FAILS:-}" ]] && { echo "error: could not compile"; exit 101; }
args="$*"
root="${args##*--root }"
mkdir -p "$root/bin"
cp "$FAKE_DECLINT" "$root/bin/declint"
EOF
chmod +x "$fakes/rustup" "$fakes/cargo"
export FAKE_LOG="$work/fake.log" FAKE_DECLINT="$declint"
: > "$FAKE_LOG"
mkdir -p "$errors/.cargo"
printf '[build]\nrustflags = ["-C", "target-cpu=native"]\n' > "$errors/.cargo/config.toml"
PATH="$fakes:$PATH" RUSTFLAGS="-C opt-level=0" CARGO_TARGET_DIR="$errors/target" CARGO_PROFILE_RELEASE_LTO=off \
  RUSTUP_TOOLCHAIN=nightly PREINSTALLED="" run_action "$errors" '{"base": "none"}'
rust_version="$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' "$project/Cargo.toml")"
fake_has() { grep -qxF -- "$1" "$FAKE_LOG"; }
check "source build: used and ran the check" test "$(field "['outputs']['exit-code']")" = 1
check "source build: cache step runs" test "$(field "['used'][0]['ran']")" = True
check "source build: cache key has version, toolchain and lockfile" \
  test "$(field "['used'][0]['with']['key']")" = "declint-source-$version-rust$rust_version-Linux-X64-$(sha256sum "$project/Cargo.lock" | cut -c1-16)"
check "source build: cache path under RUNNER_TEMP" \
  test "$(field "['used'][0]['with']['path']")" = "$RUNNER_TEMP/declint-source-build"
check "source build: the project's toolchain installed" fake_has "rustup toolchain install $rust_version --profile minimal --no-self-update"
check "source build: --locked, installed into the cached folder" \
  fake_has "cargo install --locked --quiet --path $action --root $RUNNER_TEMP/declint-source-build"
check "source build: with that toolchain, not the user's" fake_has "RUSTUP_TOOLCHAIN=$rust_version"
check "source build: target dir under RUNNER_TEMP" fake_has "CARGO_TARGET_DIR=$RUNNER_TEMP/declint-target"
check "source build: no RUSTFLAGS or CARGO_PROFILE_* inherited" bash -c '! grep -qE "^(RUSTFLAGS|CARGO_PROFILE_)" "$0"' "$FAKE_LOG"
check "source build: run outside the workspace (no .cargo/config.toml)" fake_has "cwd=$RUNNER_TEMP"
: > "$FAKE_LOG"
PATH="$fakes:$PATH" PREINSTALLED="" run_action "$errors" '{"base": "none"}'
check "source build cached: no rebuild" test ! -s "$FAKE_LOG"
check "source build cached: still checks" test "$(field "['exit_code']")" = 1
rm -rf "$RUNNER_TEMP/declint-source-build" "$errors/.cargo"
PATH="$fakes:$PATH" FAKE_CARGO_FAILS=1 PREINSTALLED="" run_action "$errors" '{"base": "none"}'
check "source build failure: annotated" log_has '::error title=declint action::building declint'
check "source build failure: the build log shown" log_has 'error: could not compile'
check "source build failure: exit-code output 2" test "$(field "['outputs']['exit-code']")" = 2
cp "$project/dist/checksums.txt" "$action/dist/checksums.txt"

echo "${passed} passed, ${failed} failed"
[[ $failed -eq 0 ]]
