#!/usr/bin/env bash
# Installs what PDF output and page pictures need (Debian/Ubuntu, as root): LibreOffice Writer without
# its GUI, poppler-utils (pdftoppm, pdftotext), free CJK fonts, and deploy/fonts/65-duizhao-cjk.conf,
# which maps the fonts GB/T 9704 names (仿宋_GB2312, 方正小标宋简体, 楷体_GB2312, 黑体) to them.
# Does nothing that is already done. Without it the bot still works and says PDF is unavailable.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai)
conf=/etc/fonts/conf.d/65-duizhao-cjk.conf

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ] && cmp -s deploy/fonts/65-duizhao-cjk.conf "$conf"; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "生成PDF需要 LibreOffice 等软件，请以 root 运行：sudo bash scripts/install-render-tools.sh" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null; then
    echo "没有 apt-get：请手动安装 LibreOffice Writer、poppler-utils 和中文字体（Noto CJK）。" >&2
    exit 1
fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "安装：${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
install -m 0644 deploy/fonts/65-duizhao-cjk.conf "$conf"
fc-cache -f >/dev/null 2>&1 || true
