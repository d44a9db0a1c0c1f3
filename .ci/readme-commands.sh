#!/usr/bin/env bash
# Runs the README commands that need the packages as they would be published, or the whole workspace: every
# `npm install` line (each in a fresh npm project, against the packed packages), README.md's "Using the packages
# before the first release" block and its demo command, and docs/getting-started.md from top to bottom. It reads
# them from the READMEs when it runs: docs/test/shell-commands.ts chooses them, and docs/test/shell-commands.test.ts
# fails for any README command that nothing runs. Needs the workspace installed (pnpm install).
#   bash .ci/readme-commands.sh [--only pre-release,installs,getting-started,demo]
set -euo pipefail
cd "$(dirname "$0")/.."

# The getting-started guide calls its server with curl, and so do the README walkthrough tests that run after this.
# Idempotent: installs only when curl is missing.
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v curl >/dev/null; then
  echo "== installing curl"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y curl ||
    { as_root apt-get update && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y curl; }
fi

exec node --import tsx .ci/readme-commands.ts "$@"
