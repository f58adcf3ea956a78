#!/usr/bin/env bash
# Render every Mermaid chart that `declint stats --format markdown` prints, with the real
# Mermaid renderer (mermaid-cli in headless Chromium), and fail if any chart does not parse.
#
#   scripts/render-mermaid.sh [STATS_MARKDOWN] [OUT_DIR]
#
# Without STATS_MARKDOWN it builds a small demo decision log in a temporary git repository
# (more than twelve deciders, one named with Mermaid syntax; priority changes, decisions
# and a reversal spread over months) and renders every chart of `declint stats --history
# --format markdown` for it: concentration, volatility and the line chart of each series. PNGs go to OUT_DIR (default: mermaid/ in cargo's target
# directory, which honours CARGO_TARGET_DIR).
#
# Needs node/npm and Debian's chromium (`apt-get install chromium`); mermaid-cli is
# installed once into a cache folder with Puppeteer's browser download skipped, and is
# pointed at /usr/bin/chromium through a Puppeteer config.
set -euo pipefail
cd "$(dirname "$0")/.."

MERMAID_CLI_VERSION="11.17.0"
CACHE="${DECLINT_MERMAID_CACHE:-${HOME}/.cache/declint-mermaid-cli-${MERMAID_CLI_VERSION}}"
TARGET_DIR="$(bash scripts/cargo-target-dir.sh)"
OUT="${2:-${TARGET_DIR}/mermaid}"
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"

if [[ -z "${CHROMIUM}" ]]; then
  if command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    CHROMIUM="$(command -v chromium)"
  else
    echo "render-mermaid: chromium not found (apt-get install chromium)" >&2
    exit 2
  fi
fi

if [[ ! -x "${CACHE}/node_modules/.bin/mmdc" ]]; then
  mkdir -p "${CACHE}"
  PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund --prefix "${CACHE}" \
    "@mermaid-js/mermaid-cli@${MERMAID_CLI_VERSION}" >/dev/null
fi
MMDC="${CACHE}/node_modules/.bin/mmdc"

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
cat > "${work}/puppeteer.json" <<JSON
{"executablePath": "${CHROMIUM}", "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]}
JSON

if [[ $# -ge 1 && "$1" != "" ]]; then
  markdown="$1"
else
  cargo build --quiet --locked
  declint="${TARGET_DIR}/debug/declint"
  repo="${work}/repo"
  mkdir -p "${repo}"
  (
    cd "${repo}"
    git init -q .
    git config user.name "Demo"
    git config user.email "demo@example.com"
    export DECLINT_TODAY=2026-06-01
    "${declint}" init >/dev/null
    commit() { # commit DATE MESSAGE
      git add -A
      GIT_AUTHOR_DATE="$1T12:00:00Z" GIT_COMMITTER_DATE="$1T12:00:00Z" git commit -q -m "$2"
    }
    commit 2026-01-05 "Start the decision log"
    deciders=(ana ana ana bo bo cy ana dee ana bo eli ana)
    day=6
    for i in "${!deciders[@]}"; do
      path="$("${declint}" new "Question number $((i + 1))" --decider "${deciders[$i]}" --priority P2)"
      commit "2026-01-$(printf %02d "${day}")" "Add ${path}"
      day=$((day + 2))
    done
    # Priority changes spread over the months: more churn in April.
    for change in 2026-02-10:0002:P1 2026-03-02:0003:P1 2026-04-01:0002:P0 2026-04-03:0004:P3 \
                  2026-04-08:0005:P1 2026-04-09:0006:P0 2026-05-12:0003:P2 2026-05-28:0007:P1; do
      IFS=: read -r when id priority <<<"${change}"
      file="$(ls decisions/"${id}"-*.md)"
      sed -i "s/^priority: .*/priority: ${priority}/" "${file}"
      commit "${when}" "Reprioritise ${id}"
    done
    # Questions decided over the months (raised → logged latencies for the series), one
    # decision reversed (volatility), and more than twelve deciders, one with a name full
    # of Mermaid syntax, so the concentration chart leaves the rest out.
    for decision in 2026-02-02:2026-02-03:0002 2026-03-10:2026-03-12:0003 \
                    2026-04-06:2026-04-09:0004 2026-05-11:2026-05-15:0005; do
      IFS=: read -r raised when id <<<"${decision}"
      file="$(ls decisions/"${id}"-*.md)"
      sed -i -e "s/^status: .*/status: accepted/" -e "s/^raised: .*/raised: ${raised}\ndate: ${when}/" "${file}"
      commit "${when}" "Decide ${id}"
    done
    sed -i "s/^status: .*/status: reversed/" "$(ls decisions/0003-*.md)"
    commit 2026-05-20 "Reverse 0003"
    for decider in fay gus hal ivy jon kim lee 'zoe "[ops]" %%{init} #;' 'zoe "[ops]" %%{init} #;'; do
      path="$("${declint}" new "Question for ${decider}" --decider "${decider}")"
      commit 2026-05-25 "Add ${path}"
    done
  )
  markdown="${work}/stats.md"
  # Every chart stats prints: concentration, volatility and a line chart per series figure.
  (cd "${repo}" && DECLINT_TODAY=2026-06-01 "${declint}" stats --history --format markdown) > "${markdown}"
  expected_charts=21
fi

mkdir -p "${OUT}"
# Split the Markdown into one .mmd file per ```mermaid block.
awk -v dir="${work}" '
  /^```mermaid[[:space:]]*$/ { n++; file = sprintf("%s/chart-%d.mmd", dir, n); inside = 1; next }
  /^```[[:space:]]*$/ && inside { inside = 0; close(file); next }
  inside { print > file }
' "${markdown}"

shopt -s nullglob
charts=("${work}"/chart-*.mmd)
if [[ ${#charts[@]} -eq 0 ]]; then
  echo "render-mermaid: no Mermaid chart in ${markdown}" >&2
  exit 1
fi
for chart in "${charts[@]}"; do
  name="$(basename "${chart}" .mmd)"
  # mmdc exits non-zero (and set -e stops here) when a chart does not parse.
  if ! "${MMDC}" --quiet -p "${work}/puppeteer.json" -i "${chart}" -o "${OUT}/${name}.png" -b white -w 900; then
    echo "render-mermaid: ${name} does not render:" >&2
    cat "${chart}" >&2
    exit 1
  fi
  echo "rendered ${OUT}/${name}.png"
done
if [[ -n "${expected_charts:-}" && ${#charts[@]} -ne ${expected_charts} ]]; then
  echo "render-mermaid: ${#charts[@]} charts, expected ${expected_charts}" >&2
  exit 1
fi
echo "${#charts[@]} passed, 0 failed"
