#!/usr/bin/env bash
# Pin a release's archives in the commit that gets the release tag (SPEC §11,
# decisions/0103): writes dist/checksums.txt with the SHA-256 of every
# declint-VERSION-TARGET.tar.gz in ARCHIVES, commits it and tags *that* commit vVERSION, so
# the Action at the tag (or its SHA) finds its own binary's pin and installs in seconds.
# Pushing is left to the caller (.github/workflows/release.yml).
#
# Usage: scripts/release-pin.sh VERSION ARCHIVES_DIR
# Refuses a version other than Cargo.toml's, a missing target, or an existing tag.
set -euo pipefail

version="${1:?usage: release-pin.sh VERSION ARCHIVES_DIR}"
archives="${2:?usage: release-pin.sh VERSION ARCHIVES_DIR}"
cd "$(dirname "$0")/.."
targets=(
  x86_64-unknown-linux-gnu
  aarch64-unknown-linux-gnu
  x86_64-apple-darwin
  aarch64-apple-darwin
  x86_64-pc-windows-msvc
)

manifest_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
if [[ "$version" != "$manifest_version" ]]; then
  echo "release-pin: version $version is not Cargo.toml's ($manifest_version)" >&2
  exit 2
fi
if git rev-parse -q --verify "refs/tags/v$version" > /dev/null; then
  echo "release-pin: tag v$version exists already" >&2
  exit 2
fi

{
  echo "# Pinned SHA-256 of declint release archives (sha256sum format: HASH  declint-VERSION-TARGET.tar.gz)."
  echo "# Written by scripts/release-pin.sh in the commit tagged v$version; the action installs a"
  echo "# release binary only when its archive is pinned here (docs/ci.md)."
  for target in "${targets[@]}"; do
    asset="declint-$version-$target.tar.gz"
    if [[ ! -f "$archives/$asset" ]]; then
      echo "release-pin: $asset is missing from $archives" >&2
      exit 2
    fi
    echo "$(sha256sum "$archives/$asset" | cut -d' ' -f1)  $asset"
  done
} > dist/checksums.txt.new
mv dist/checksums.txt.new dist/checksums.txt

git add dist/checksums.txt
git commit --quiet -m "Release v$version: pin the SHA-256 of its five archives"
git tag -a "v$version" -m "declint $version"
echo "Pinned $((${#targets[@]})) archives in $(git rev-parse --short HEAD), tagged v$version"
