#!/usr/bin/env bash
# Install declint for the GitHub Action (action.yml). Called twice:
#
#   action-install.sh plan     decide how: `preinstalled`, `pinned` (a release binary whose
#                              SHA-256 is committed in the action's own dist/checksums.txt)
#                              or `source`; for `source`, the actions/cache key and path of
#                              the built binary (outputs `mode`, `cache-key`, `cache-path`)
#   action-install.sh install  do it; writes the binary's path as the `bin` output
#
# A release binary is verified against its pin before it is unpacked. The source build is
# the fallback, isolated from the user's workspace (decisions/0100): the project's pinned
# toolchain through rustup (RUSTUP_TOOLCHAIN beats a rust-toolchain.toml), `--locked`,
# no inherited RUSTFLAGS/RUSTC*/CARGO_* (CARGO_HOME and RUSTUP_HOME kept: they say where
# the toolchains are), run from RUNNER_TEMP so no workspace .cargo/config.toml applies,
# target dir under RUNNER_TEMP. Its binary is cached between runs by actions/cache
# (keyed on version, toolchain, runner and Cargo.lock); a cache hit skips the build.
#
# Every failure is an `::error` annotation, a job-summary section and the output
# `exit-code=2`.
#
# Environment (set by action.yml through `env:`, never interpolated into this script):
#   DECLINT_ACTION_PATH        the action's checkout (github.action_path)
#   DECLINT_VERSION            the `version` input; empty means the source's version
#   DECLINT_ACTION_REPOSITORY  owner/name the releases live in (github.action_repository)
#   DECLINT_RELEASE_URL        override of the release download base (tests: file://…)
#   DECLINT_PREINSTALLED       path of a declint binary to use as is (self-hosted runners
#                              that provide one, and the action's own tests)
set -euo pipefail

phase="${1:-}"
out="${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"

# fail MESSAGE: the message is always this script's own text (a validated version at
# most), so it needs no escaping for the annotation or the Markdown summary.
fail() {
  echo "::error title=declint action::$1"
  if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
    printf '## ⛔ declint could not be installed\n\n%s\n\n' "$1" >> "$GITHUB_STEP_SUMMARY" || true
  fi
  echo "exit-code=2" >> "$out"
  exit 2
}

# Anything unforeseen fails the same way, never as a bare exit 1.
trap 'fail "the install script failed unexpectedly (line $LINENO)"' ERR

action_path="${DECLINT_ACTION_PATH:?DECLINT_ACTION_PATH is not set}"
requested="${DECLINT_VERSION:-}"
requested="${requested#v}"
if [[ -n "$requested" && ! "$requested" =~ ^[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}(-[0-9A-Za-z.]{1,32})?$ ]]; then
  fail "invalid version input: expected a release number such as 0.3.1"
fi
manifest_value() { sed -n "s/^$1 = \"\(.*\)\"$/\1/p" "$action_path/Cargo.toml" | head -n 1; }
source_version=$(manifest_value version)
# The toolchain the source is built with: the project's declared minimum, Cargo.toml's
# rust-version (rustup resolves `1.89` to the newest 1.89.x).
toolchain=$(manifest_value rust-version)
version="${requested:-$source_version}"

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
temp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
# Git Bash on Windows: a `D:\…` path confuses tar (`host:path`); use the POSIX form.
command -v cygpath > /dev/null && temp="$(cygpath -u "$temp")"
asset="declint-${version}-${target}.tar.gz"
pinned=""
if [[ -n "$target" && -f "$action_path/dist/checksums.txt" ]]; then
  pinned=$(awk -v name="$asset" '$2 == name || $2 == "*" name { print $1; exit }' "$action_path/dist/checksums.txt")
fi
# Where the source build installs (and actions/cache restores) the binary.
cache_path="$temp/declint-source-build"

if [[ -n "${DECLINT_PREINSTALLED:-}" ]]; then
  mode=preinstalled
elif [[ -n "$pinned" ]]; then
  mode=pinned
elif [[ "$version" == "$source_version" ]]; then
  mode=source
else
  fail "no pinned release binary for declint $version on ${target:-this runner}, and this action's source is $source_version: use the action at the tag of that release, or leave 'version' empty"
fi

sha256() {
  if command -v sha256sum > /dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

if [[ "$phase" == plan ]]; then
  echo "mode=$mode" >> "$out"
  if [[ "$mode" == source ]]; then
    lock=$(sha256 "$action_path/Cargo.lock" | cut -c1-16)
    echo "cache-key=declint-source-${version}-rust${toolchain}-${RUNNER_OS:-os}-${RUNNER_ARCH:-arch}-${lock}" >> "$out"
    echo "cache-path=$cache_path" >> "$out"
  fi
  exit 0
fi
[[ "$phase" == install ]] || fail "action-install.sh: unknown phase '$phase' (plan or install)"

case "$mode" in
  preinstalled)
    [[ -x "$DECLINT_PREINSTALLED" ]] || fail "DECLINT_PREINSTALLED is not an executable file"
    echo "Using the preinstalled declint at $DECLINT_PREINSTALLED"
    bin="$DECLINT_PREINSTALLED"
    ;;
  pinned)
    base_url="${DECLINT_RELEASE_URL:-https://github.com/${DECLINT_ACTION_REPOSITORY:?}/releases/download}"
    protocols='=https'
    [[ -n "${DECLINT_RELEASE_URL:-}" ]] && protocols='=https,file'
    root="$temp/declint-${version}"
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
    ;;
  source)
    bin="$cache_path/bin/$exe"
    if [[ -x "$bin" ]] && "$bin" --version 2> /dev/null | grep -qxF "declint $version"; then
      echo "Using declint $version built from source earlier (restored from the cache)"
    else
      echo "No pinned release binary for declint $version on ${target:-this runner}: building from the action's source with Rust $toolchain"
      command -v rustup > /dev/null || fail "rustup is needed to build declint from source on this runner (install it, or use a release of the action with pinned binaries)"
      rustup toolchain install "$toolchain" --profile minimal --no-self-update > /dev/null 2>&1 \
        || fail "rustup could not install Rust $toolchain to build declint"
      # Nothing of the user's build set-up leaks in: drop every RUSTFLAGS/RUSTC*/CARGO_*
      # variable but the two that locate the toolchains.
      clear=()
      while IFS= read -r name; do
        case "$name" in
          CARGO_HOME | RUSTUP_HOME) ;;
          CARGO_* | RUSTC* | RUSTFLAGS | RUSTDOCFLAGS | RUSTUP_TOOLCHAIN) clear+=(-u "$name") ;;
        esac
      done < <(compgen -e)
      build_log="$temp/declint-build.log"
      if ! (cd "$temp" && env ${clear[@]+"${clear[@]}"} RUSTUP_TOOLCHAIN="$toolchain" \
        CARGO_TARGET_DIR="$temp/declint-target" \
        cargo install --locked --quiet --path "$action_path" --root "$cache_path") > "$build_log" 2>&1; then
        cat "$build_log"
        fail "building declint $version from source failed (the build log is above)"
      fi
    fi
    ;;
esac

"$bin" --version || fail "the installed declint does not run on this runner"
echo "bin=$bin" >> "$out"
