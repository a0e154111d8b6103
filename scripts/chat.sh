#!/usr/bin/env bash
# Installs Duizhao and starts an offline chat with the bot in this terminal (no token, no network).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/duizhao chat "$@"
