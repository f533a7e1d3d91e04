#!/usr/bin/env bash
# Install the pinned agent CLIs the real-agent suite drives, into a cache outside the repository
# ($AGENTS_DIR, default ~/.cache/agentfirewall-test-agents). Only the npm registry is used; rerunning is cheap.
set -euo pipefail
dir=${AGENTS_DIR:-$HOME/.cache/agentfirewall-test-agents}
# Each pin is a version whose hook protocol this project was checked against.
pins=(@anthropic-ai/claude-code@2.1.197 @openai/codex@0.171.0 @google/gemini-cli@0.61.0 @github/copilot@1.0.102)
mkdir -p "$dir"
stamp="$dir/.installed"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${pins[*]}" ]; then
  echo "agents already installed in $dir" >&2
  exit 0
fi
[ -f "$dir/package.json" ] || echo '{"name":"agentfirewall-test-agents","private":true}' > "$dir/package.json"
npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "${pins[@]}" >&2
printf '%s' "${pins[*]}" > "$stamp"
echo "agents installed in $dir" >&2
