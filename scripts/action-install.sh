#!/usr/bin/env bash
# Install declint for the GitHub Action (action.yml, step "Install declint").
#
# A release binary is used only when dist/checksums.txt, committed in the action's own
# tree, pins its SHA-256 for this version and runner; the download is verified against
# that pin before it is unpacked. Otherwise declint is built from the action's source with
# `cargo install --locked`, which is only possible for the source's own version.
# Writes the binary's path to $GITHUB_OUTPUT as `bin`.
#
# Environment (set by action.yml through `env:`, never interpolated into this script):
#   DECLINT_ACTION_PATH        the action's checkout (github.action_path)
#   DECLINT_VERSION            the `version` input; empty means the source's version
#   DECLINT_ACTION_REPOSITORY  owner/name the releases live in (github.action_repository)
#   DECLINT_RELEASE_URL        override of the release download base (tests: file://…)
#   DECLINT_PREINSTALLED       path of a declint binary to use as is (self-hosted runners
#                              that provide one, and the action's own tests)
set -euo pipefail

fail() {
  echo "::error title=declint action::$1"
  exit 2
}

action_path="${DECLINT_ACTION_PATH:?DECLINT_ACTION_PATH is not set}"
out="${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
requested="${DECLINT_VERSION:-}"
requested="${requested#v}"
if [[ -n "$requested" && ! "$requested" =~ ^[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}(-[0-9A-Za-z.]{1,32})?$ ]]; then
  fail "invalid version input: expected a release number such as 0.3.1"
fi
source_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_path/Cargo.toml" | head -n 1)
version="${requested:-$source_version}"

if [[ -n "${DECLINT_PREINSTALLED:-}" ]]; then
  [[ -x "$DECLINT_PREINSTALLED" ]] || fail "DECLINT_PREINSTALLED is not an executable file"
  echo "Using the preinstalled declint at $DECLINT_PREINSTALLED"
  echo "bin=$DECLINT_PREINSTALLED" >> "$out"
  exit 0
fi

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) target=x86_64-unknown-linux-gnu ;;
  Linux/ARM64) target=aarch64-unknown-linux-gnu ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) target="" ;;
esac
exe=declint
[[ "${RUNNER_OS:-}" == Windows ]] && exe=declint.exe
root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/declint-${version}"
# Git Bash on Windows: a `D:\…` path confuses tar (`host:path`); use the POSIX form.
command -v cygpath > /dev/null && root="$(cygpath -u "$root")"
asset="declint-${version}-${target}.tar.gz"
pinned=""
if [[ -n "$target" && -f "$action_path/dist/checksums.txt" ]]; then
  pinned=$(awk -v name="$asset" '$2 == name || $2 == "*" name { print $1; exit }' "$action_path/dist/checksums.txt")
fi

sha256() {
  if command -v sha256sum > /dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

if [[ -n "$pinned" ]]; then
  base_url="${DECLINT_RELEASE_URL:-https://github.com/${DECLINT_ACTION_REPOSITORY:?}/releases/download}"
  protocols='=https'
  [[ -n "${DECLINT_RELEASE_URL:-}" ]] && protocols='=https,file'
  mkdir -p "$root/bin"
  download="$root/$asset"
  echo "Downloading $asset (pinned SHA-256 $pinned)"
  curl --proto "$protocols" --tlsv1.2 --fail --silent --show-error --location --retry 3 \
    --output "$download" "$base_url/v$version/$asset" || fail "download of $asset failed"
  actual=$(sha256 "$download")
  if [[ "$actual" != "$pinned" ]]; then
    rm -f "$download"
    fail "checksum mismatch for $asset: expected $pinned, got $actual; refusing to run it"
  fi
  tar -xzf "$download" -C "$root/bin" "$exe" || fail "$asset does not hold $exe"
  rm -f "$download"
  bin="$root/bin/$exe"
elif [[ "$version" == "$source_version" ]]; then
  echo "No pinned release binary for declint $version on ${target:-this runner}: building from the action's source"
  command -v cargo > /dev/null || fail "cargo is needed to build declint from source on this runner (install a Rust toolchain first)"
  cargo install --locked --quiet --path "$action_path" --root "$root"
  bin="$root/bin/$exe"
else
  fail "no pinned release binary for declint $version on ${target:-this runner}, and this action's source is $source_version: use the action at the tag of that release, or leave 'version' empty"
fi

"$bin" --version
echo "bin=$bin" >> "$out"
