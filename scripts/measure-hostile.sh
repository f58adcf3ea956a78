#!/usr/bin/env bash
# Time and peak memory of `declint check` on each hostile input, next to a baseline of one
# valid record. Prints a Markdown table for docs/robustness.md.
#   usage: scripts/measure-hostile.sh [path/to/declint]   (default: target/release/declint)
# Needs python3 (to generate the inputs) and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(realpath "${1:-target/release/declint}")"
fixtures="$(realpath fixtures/hostile)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

VALID=$'---\ntitle: Fine\nstatus: proposed\ndecider: ana\nraised: 2026-05-31\n---\n# Fine\n'

# case NAME [CONFIG]  -- makes $work/NAME with .git, decisions/0000-ok.md and the config.
new_case() {
  mkdir -p "$work/$1/.git" "$work/$1/decisions"
  printf '%s' "$VALID" > "$work/$1/decisions/0000-ok.md"
  if [ -n "${2:-}" ]; then printf '%s\n' "$2" > "$work/$1/.declint.yml"; fi
  echo "$work/$1/decisions"
}

gen() { python3 -c "$2" > "$1"; }

d=$(new_case baseline)
d=$(new_case alias-bomb); cp "$fixtures/0001-alias-bomb.md" "$d/"
d=$(new_case flow-nesting-10k); gen "$d/0001.md" 'print("---\nx: " + "["*10000 + "]"*10000 + "\n---")'
d=$(new_case block-nesting-10k); gen "$d/0001.md" 'print("---\nx:\n  " + "- "*10000 + "x\n---")'
d=$(new_case body-nesting-10k); gen "$d/0001.md" 'print("---\ntitle: x\n---\n" + ">"*10000 + "q\n" + "- "*10000 + "i")'
d=$(new_case file-100mb); truncate -s 100M "$d/0001.md"
d=$(new_case million-lines-default); gen "$d/0001.md" 'import sys; sys.stdout.write("---\n" + "".join(f"k{i}: v\n" for i in range(1000000)) + "---\n")'
d=$(new_case million-lines-4mib 'max_file_bytes: 4194304'); gen "$d/0001.md" 'import sys; sys.stdout.write("---\n" + "- x\n"*1000000 + "---\n")'
d=$(new_case newlines-4mib 'max_file_bytes: 4194304'); gen "$d/0001.md" 'import sys; sys.stdout.write("---\ntitle: x\n" + "\n"*(4*1024*1024-40) + "---\n")'
d=$(new_case one-line-4mib 'max_file_bytes: 4194304'); gen "$d/0001.md" 'import sys; sys.stdout.write("---\ntitle: " + "x"*(4*1024*1024-40) + "\n---\n")'
d=$(new_case headings-4mib 'max_file_bytes: 4194304'); gen "$d/0001.md" 'import sys; sys.stdout.write("---\ntitle: x\n---\n" + "# h\n"*(1024*1024-8))'
d=$(new_case paragraph-lines-4mib 'max_file_bytes: 4194304'); gen "$d/0001.md" 'import sys; sys.stdout.write("---\ntitle: x\n---\n" + "text\n"*(800000))'
d=$(new_case unknown-keys-45k); gen "$d/0001.md" 'import sys; sys.stdout.write("---\n" + "".join(f"k{i}: 1\n" for i in range(45000)) + "---\n")'
d=$(new_case unknown-keys-45k-4mib 'max_file_bytes: 4194304'); gen "$d/0001.md" 'import sys; sys.stdout.write("---\n" + "".join(f"k{i}: 1\n" for i in range(45000)) + "---\n" + "text\n"*750000)'

echo "| input | human: time, peak RSS | json: time, peak RSS |"
echo "|---|---|---|"
for dir in "$work"/*/; do
  name="$(basename "$dir")"
  row="| $name"
  for format in human json; do
    (cd "$dir" && /usr/bin/time -o "$work/time" -f '%e %M' "$bin" check --today 2026-06-01 -f "$format" >/dev/null 2>&1) || true
    read -r seconds kib < <(tail -n 1 "$work/time")
    row="$row | ${seconds} s, $((kib / 1024)) MB"
  done
  echo "$row |"
done
