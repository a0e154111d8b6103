#!/usr/bin/env bash
# Renders a sample material as an official-format .docx, converts it to PDF with LibreOffice (headless)
# and to one PNG per page with pdftoppm, so the layout can be looked at without Word.
#
#   bash scripts/render-preview.sh OUT_DIR [--profile NAME|FILE] [--chars N] [--date 2026-01-05]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
    echo "用法：bash scripts/render-preview.sh 输出目录 [--profile 名称或文件] [--chars 字数] [--date 日期]" >&2
    exit 2
fi
out=$1
shift

missing=0
if ! command -v soffice >/dev/null; then
    echo "缺少 soffice：sudo bash scripts/install-render-tools.sh（或安装 LibreOffice）" >&2
    missing=1
fi
if ! command -v pdftoppm >/dev/null; then
    echo "缺少 pdftoppm：sudo bash scripts/install-render-tools.sh（或 apt-get install -y poppler-utils）" >&2
    missing=1
fi
[ "$missing" -eq 0 ] || exit 1

mkdir -p "$out"
PYTHONPATH=. .venv/bin/python scripts/render_preview.py "$out/preview.docx" "$@"

# A throwaway LibreOffice profile: no clash with a running instance, no first-start dialogs.
profile_dir=$(mktemp -d)
trap 'rm -rf "$profile_dir"' EXIT
soffice "-env:UserInstallation=file://$profile_dir" --headless --convert-to pdf --outdir "$out" \
    "$out/preview.docx" >/dev/null
rm -f "$out"/page-*.png
pdftoppm -png -r 72 "$out/preview.pdf" "$out/page"
ls "$out"/preview.docx "$out"/preview.pdf "$out"/page-*.png
