#!/usr/bin/env bash
# Creates .venv (once) and installs Duizhao into it; with "dev", the test and lint tools too.
# As root on Debian/Ubuntu it also installs LibreOffice, poppler-utils and CJK fonts for PDF output
# and page pictures (scripts/install-render-tools.sh); DUIZHAO_SKIP_RENDER_TOOLS=1 skips that.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "需要 Python 3.11 或更高版本（当前：$("$PYTHON" --version 2>&1)）。可用 PYTHON=python3.12 指定。" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
extra=""
[ "${1:-}" = "dev" ] && extra="[dev]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}"
if [ -z "${DUIZHAO_SKIP_RENDER_TOOLS:-}" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    bash scripts/install-render-tools.sh
  elif ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then
    echo "提示：未安装 LibreOffice/poppler-utils，机器人不能生成PDF和页面图片（sudo bash scripts/install-render-tools.sh）。" >&2
  fi
fi
