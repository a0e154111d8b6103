#!/usr/bin/env bash
# Installs Duizhao with its test tools and runs the test suite. SQLite by default; set
# DUIZHAO_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test to run it on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh dev
exec .venv/bin/pytest "$@"
