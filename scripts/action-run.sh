#!/usr/bin/env bash
# Run `declint check` for the GitHub Action (action.yml, step "Check the decision log").
#
# Every input arrives as an environment variable set through `env:`, so no input is ever
# shell text; each is validated here, and user paths are passed after `--` so that none
# can be taken for an option. Writes the `exit-code` and `sarif-file` outputs, then exits
# with declint's exit code (0 clean, 1 findings at or above fail-on, 2 tool failure).
set -uo pipefail

# fail MESSAGE: an annotation, a job-summary section and exit-code 2. MESSAGE is this
# script's own text; an input in it is only ever a path the user chose.
fail() {
  echo "::error title=declint action::$1"
  if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
    printf '## ⛔ declint could not check\n\n%s\n\n' "$1" >> "$GITHUB_STEP_SUMMARY" || true
  fi
  echo "exit-code=2" >> "$GITHUB_OUTPUT"
  exit 2
}

: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
bin="${DECLINT_BIN:-}"
[[ -n "$bin" && -x "$bin" ]] || fail "declint is not installed (the install step gave no binary)"

fail_on="${INPUT_FAIL_ON:-error}"
case "$fail_on" in
  error | warning | never) ;;
  *) fail "fail-on must be error, warning or never" ;;
esac

# A true/false input (as YAML 1.2 spells booleans) into the variable named $1.
flag() {
  case "$2" in
    true | True | TRUE) printf -v "$1" true ;;
    false | False | FALSE) printf -v "$1" false ;;
    *) fail "$1 must be true or false" ;;
  esac
}
sarif=false summary=true
flag sarif "${INPUT_SARIF:-false}"
flag summary "${INPUT_SUMMARY:-true}"

global=()
[[ -n "${INPUT_CONFIG:-}" ]] && global+=(--config "$INPUT_CONFIG")

change=()
base="${INPUT_BASE:-auto}"
[[ "$base" == -* ]] && fail "base must be a git ref, auto or none"
# Head is the checked-out commit, not the working tree: a job's checkout is clean, so the
# change is the commit under review, and comparing trees needs no scan of the working
# tree (in a 200k-file monorepo that scan alone costs more than the check; decisions/0129).
[[ -n "$base" && "$base" != none ]] && change+=(--base "$base" --head HEAD)

# One path per line; blank lines and surrounding spaces are ignored.
paths=()
while IFS= read -r line; do
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  [[ -n "$line" ]] && paths+=("$line")
done <<< "${INPUT_PATHS:-}"

# The annotations and the job summary first: a tool failure (exit 2) is reported there
# once, with its help, and then nothing else runs.
report=(--format github)
[[ "$summary" == false ]] && report+=(--no-summary)
"$bin" ${global[@]+"${global[@]}"} check ${change[@]+"${change[@]}"} "${report[@]}" --fail-on "$fail_on" -- ${paths[@]+"${paths[@]}"}
code=$?

# SARIF where the `sarif-path` input says, else a file of this step's own under
# RUNNER_TEMP, so two uses of the action in one job never overwrite each other. No file
# is left behind when declint could not check.
sarif_file=""
if [[ "$sarif" == true && "$code" -ne 2 ]]; then
  if [[ -n "${INPUT_SARIF_PATH:-}" ]]; then
    sarif_file="$INPUT_SARIF_PATH"
    [[ "$sarif_file" == -* ]] && sarif_file="./$sarif_file"
    mkdir -p -- "$(dirname -- "$sarif_file")"
  else
    sarif_file=$(mktemp "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/declint-XXXXXX.sarif")
  fi
  if ! "$bin" ${global[@]+"${global[@]}"} check ${change[@]+"${change[@]}"} --format sarif --no-summary --fail-on never -- ${paths[@]+"${paths[@]}"} > "$sarif_file"; then
    rm -f "$sarif_file"
    fail "declint could not write the SARIF file (see the sarif-path input)"
  fi
fi

{
  echo "exit-code=$code"
  echo "sarif-file=$sarif_file"
} >> "$GITHUB_OUTPUT"
exit "$code"
