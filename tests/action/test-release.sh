#!/usr/bin/env bash
# The release flow of SPEC §11, end to end on this machine: five archives (the Linux x86-64
# one holds the given binary, the others stand-ins), scripts/release-pin.sh in a clone of
# this repository pins them and tags *that* commit, then the Action checked out at the tag
# installs from a file:// release through the install script's override: the pinned,
# verified binary in under 10 s, and a tampered archive refused before anything runs.
#
# Usage: tests/action/test-release.sh PATH-TO-DECLINT-BINARY
# Single-quoted `$0`/`$1` below are bash -c arguments, expanded by that shell.
# shellcheck disable=SC2016
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
project="$(cd "$here/../.." && pwd)"
declint="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
[[ -x "$declint" ]] || { echo "not executable: $1"; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
check() { # check NAME COMMAND...
  local name="$1"
  shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
export GIT_AUTHOR_NAME=Release GIT_AUTHOR_EMAIL=release@example.com
export GIT_COMMITTER_NAME=Release GIT_COMMITTER_EMAIL=release@example.com

# The release's archives, as the build job uploads them.
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$project/Cargo.toml" | head -n 1)"
release="$work/release/v$version"
mkdir -p "$release" "$work/pkg" "$work/stand-in"
cp "$declint" "$work/pkg/declint"
tar -czf "$release/declint-$version-x86_64-unknown-linux-gnu.tar.gz" -C "$work/pkg" declint
for target in aarch64-unknown-linux-gnu x86_64-apple-darwin aarch64-apple-darwin x86_64-pc-windows-msvc; do
  echo "stand-in for $target" > "$work/stand-in/declint"
  tar -czf "$release/declint-$version-$target.tar.gz" -C "$work/stand-in" declint
done

# Pin and tag in a clone of this repository (committed state, as the workflow checks out).
repo="$work/declint"
git clone --quiet "$project" "$repo"
head_before="$(git -C "$repo" rev-parse HEAD)"
mv "$release/declint-$version-x86_64-apple-darwin.tar.gz" "$work/held-back.tar.gz"
check "pin: a missing target is refused" bash -c '! bash "$0/scripts/release-pin.sh" "$1" "$2" 2> /dev/null' "$repo" "$version" "$release"
mv "$work/held-back.tar.gz" "$release/declint-$version-x86_64-apple-darwin.tar.gz"
check "pin: another version than Cargo.toml's is refused" bash -c '! bash "$0/scripts/release-pin.sh" 9.9.9 "$1" 2> /dev/null' "$repo" "$release"
check "pin: nothing committed by a refused run" test "$(git -C "$repo" rev-parse HEAD)" = "$head_before"
bash "$repo/scripts/release-pin.sh" "$version" "$release" > "$work/pin.log" 2>&1
check "pin: the tag is on the pinning commit" \
  test "$(git -C "$repo" rev-parse "v$version^{commit}")" = "$(git -C "$repo" rev-parse HEAD)"
check "pin: that commit's parent is the released source" test "$(git -C "$repo" rev-parse HEAD~1)" = "$head_before"
check "pin: the tagged tree pins all five archives" \
  test "$(git -C "$repo" show "v$version:dist/checksums.txt" | grep -c "  declint-$version-")" = 5
check "pin: the pins are the archives' hashes" bash -c 'cd "$0" && git -C "$1" show "v$2:dist/checksums.txt" | grep -v "^#" | sha256sum --check --quiet' "$release" "$repo" "$version"
check "pin: a second run for the same version is refused" bash -c '! bash "$0/scripts/release-pin.sh" "$1" "$2" 2> /dev/null' "$repo" "$version" "$release"

# A user's pull request, checked by the Action at the release tag.
user="$work/user"
mkdir -p "$user/decisions"
git -C "$user" init --quiet --initial-branch=main
printf '# Use Redis\n\nNo front-matter yet.\n' > "$user/decisions/0001-redis.md"
git -C "$user" add -A
git -C "$user" commit --quiet -m decisions
action="$work/action"
git clone --quiet --branch "v$version" "$repo" "$action" 2> /dev/null
export GITHUB_ACTIONS=true GITHUB_WORKSPACE="$user" RUNNER_OS=Linux RUNNER_ARCH=X64
export RUNNER_TEMP="$work/runner-temp" GITHUB_STEP_SUMMARY="$work/summary.md"
export DECLINT_RELEASE_URL="file://$work/release" DECLINT_TODAY=2026-06-01
unset DECLINT_PREINSTALLED
mkdir -p "$RUNNER_TEMP"
run_action() {
  rm -rf "${RUNNER_TEMP:?}"/*
  local start end
  start=$(date +%s%N)
  (cd "$user" && python3 "$here/emulate.py" "$action" '{"base": "none"}') > "$work/log.txt" 2>&1
  end=$(date +%s%N)
  elapsed_ms=$(((end - start) / 1000000))
  result="$(tail -n 1 "$work/log.txt")"
}
field() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval("d" + sys.argv[2]))' "$result" "$1"; }
run_action
check "install at the tag: the pinned archive is downloaded and verified" grep -qF "Downloading declint-$version-x86_64-unknown-linux-gnu.tar.gz (pinned SHA-256" "$work/log.txt"
check "install at the tag: no source build, no cache step" test "$(field "['used'][0]['ran']")" = False
check "install at the tag: declint ran (exit-code 1 on the finding)" test "$(field "['outputs']['exit-code']")" = 1
check "install at the tag: under 10 s (took ${elapsed_ms} ms)" test "$elapsed_ms" -lt 10000
echo "   (pinned install and check from a file:// release: ${elapsed_ms} ms)"

# Tampered: the archive on the release server no longer matches the pin in the tag.
printf 'tampered' >> "$release/declint-$version-x86_64-unknown-linux-gnu.tar.gz"
run_action
check "tampered archive: refused" grep -qF "checksum mismatch for declint-$version-x86_64-unknown-linux-gnu.tar.gz" "$work/log.txt"
check "tampered archive: nothing ran after the install step" test "$(field "['failed_step']")" = install
check "tampered archive: exit-code output 2" test "$(field "['outputs']['exit-code']")" = 2
check "tampered archive: nothing unpacked" test ! -e "$RUNNER_TEMP/declint-$version/bin/declint"

echo "${passed} passed, ${failed} failed"
[[ $failed -eq 0 ]]
