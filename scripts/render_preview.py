"""Writes the sample material of scripts/render-preview.sh and checks python-docx reads it back.

Also prints which installed font stands in for each East Asian font of the profile, since a preview
machine rarely has 仿宋_GB2312 or 方正小标宋简体 and the substitutes explain what the PNGs show.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path

from docx import Document as open_docx

from bench.report import sample_material
from bot.dates import parse_date
from bot.render import outline
from bot.render.official_docx import render_official_docx
from bot.render.profile import Profile, load_profile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, help="the .docx to write")
    parser.add_argument("--profile", help="packaged profile name or YAML file (default GB/T 9704)")
    parser.add_argument("--chars", type=int, default=3000, help="minimum length of the sample material")
    parser.add_argument("--date", default="2026年1月5日", help="date line at the end")
    args = parser.parse_args()

    profile = _profile(args.profile)
    doc = sample_material(args.chars)
    args.out.write_bytes(render_official_docx(doc, profile=profile, date_line=parse_date(args.date)))
    reopened = open_docx(str(args.out))
    expected = len(outline(doc)) + 1  # and the date line
    if len(reopened.paragraphs) != expected:
        raise SystemExit(
            f"{args.out}: python-docx reads {len(reopened.paragraphs)} paragraphs, expected {expected}"
        )
    print(f"{args.out}: {expected} paragraphs, profile {profile.name}")
    _report_fonts(profile)


def _profile(ref: str | None) -> Profile:
    if ref is None:
        return load_profile()
    path = Path(ref)
    return load_profile(path if path.suffix or path.exists() else ref)


def _report_fonts(profile: Profile) -> None:
    if shutil.which("fc-match") is None:
        return
    styles = profile.styles
    wanted = {styles.title.east_asian, styles.body.east_asian, styles.heading1.east_asian}
    wanted |= {styles.heading2.east_asian, profile.page_number.font, profile.latin_font}
    for font in sorted(wanted):
        found = subprocess.run(
            ["fc-match", f"{font}:lang=zh-cn", "family"], capture_output=True, text=True, check=False
        ).stdout.strip()
        print(f"font {font} → {found}")


if __name__ == "__main__":
    main()
