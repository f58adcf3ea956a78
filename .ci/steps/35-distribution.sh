#!/usr/bin/env bash
# Distribution (SPEC §11, issue 16): the crate packages lean and builds from its package
# with --locked; the release flow pins and tags, and the Action installs at that tag from
# a file:// release (tests/action/test-release.sh); the workflows, action.yml and the
# workflow examples in docs/ci.md pass actionlint and zizmor (offline); the wheel builds
# with maturin and the pre-commit mirror's hook installs it (tests/action/test-wheel.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
project="$PWD"
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"

echo "-- cargo package: lean"
listing="$(cargo package --locked --list --allow-dirty)"
if grep -E '^(tests|fixtures|benches|bench|fuzz|decisions|examples|docs|\.ci|\.github)/' <<< "$listing"; then
  echo "the crate package holds files it should not (above)"
  exit 1
fi
echo "   $(wc -l <<< "$listing") files"
echo "-- cargo package --locked (builds from the package)"
cargo package --locked --quiet --allow-dirty

echo "-- the release flow, end to end"
cargo build --locked --quiet
bash tests/action/test-release.sh "$target_dir/debug/declint"

cache="${XDG_CACHE_HOME:-$HOME/.cache}/declint-ci"
venv="$cache/venv-distribution"
stamp="$venv/.installed-$(cat tests/action/zizmor-requirements.txt tests/action/actionlint-requirements.txt tests/action/requirements.txt .github/release-requirements.txt | sha256sum | cut -c1-16)"
if [[ ! -f "$stamp" ]]; then
  echo "-- installing zizmor, actionlint, maturin and pre-commit into $venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
    --only-binary=:all: --require-hashes -r tests/action/zizmor-requirements.txt -r tests/action/actionlint-requirements.txt
  # maturin exactly as the release workflow installs it (hash-pinned wheels).
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
    --require-hashes -r .github/release-requirements.txt
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/action/requirements.txt
  touch "$stamp"
fi

echo "-- the PyPI wheel and the pre-commit mirror hook"
bash tests/action/test-wheel.sh "$venv"

echo "-- zizmor $("$venv/bin/zizmor" --version | cut -d' ' -f2) over the workflows and action.yml"
"$venv/bin/zizmor" --offline --quiet .github/workflows/ action.yml

echo "-- the workflow examples in docs/ci.md: actionlint and zizmor"
examples="$(mktemp -d)"
trap 'rm -rf "$examples"' EXIT
mkdir -p "$examples/.github/workflows"
python3 - "$project/docs/ci.md" "$examples/.github/workflows" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "\njobs:" in b]
assert blocks, "no workflow examples found"
for i, block in enumerate(blocks):
    # The placeholder for the user's pin of this action, as a well-formed SHA pin.
    block = block.replace("OWNER/declint@RELEASE_COMMIT_SHA", "declint/declint@" + "0" * 40)
    open(f"{sys.argv[2]}/example-{i}.yml", "w", encoding="utf-8").write(block)
print(f"   {len(blocks)} workflow examples")
PY
(cd "$examples" && git init --quiet && "$venv/bin/actionlint")
"$venv/bin/zizmor" --offline --quiet "$examples/.github/workflows/"
echo "-- distribution: passed"
