#!/usr/bin/env bash
# The Mermaid charts of `declint stats --format markdown` must render: GitHub shows them in
# job summaries and READMEs, and a chart that does not parse shows as an error box there.
# Renders them with the real renderer (mermaid-cli + Debian's chromium, installed on first
# run and cached): about a minute from cold, seconds once cached.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/render-mermaid.sh
