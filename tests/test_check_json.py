"""``duizhao check --format json`` as a program reads it: every place, located in the file as given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main

MATERIAL = """2025年度民主生活会个人对照检查材料

    按照县委通知要求,我认真学习了有关文件,征求意见建议12条。现将个人对照检查情况报告如下：

一、存在的主要问题
（一）在带头强化政治忠诚、提高政治能力方面
    一是学习不够系统。比如，今年参加集中学习6次，有2次自已没有发言，思想上不重视。
    二是调研不够深入。比如，今年到基层调研5次，自已多是听汇报，对群众诉求了解不深。
    三是落实不够有力。比如，今年3月部署的项目，自已跟踪不够，进度滞后2个月。
    四是批评不够大胆。比如，在今年的组织生活会上，自已提的批评意见只有1条。
    五是服务意识不强。比如，今年群众反映的问题，自已办结只有8件，思想上有差距。
二、产生问题的原因
（一）理想信念有所松懈，党性修养有所放松。
三、努力方向和整改措施
（一）每周自学不少于3小时，2026年6月底前完成专题学习。
"""


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.delenv("DUIZHAO_THEMES_DIR", raising=False)


def check_json(path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    main(["check", str(path), "--format", "json", *args])
    rows: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["findings"]
    return rows


def test_every_place_is_listed_with_line_and_column_of_the_indented_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "material.txt"
    path.write_text(MATERIAL, encoding="utf-8")
    rows = check_json(path, capsys, "--kind", "personal_dsh", "--meeting-date", "2026-01-20")
    raw_lines = MATERIAL.split("\n")

    typos = [r for r in rows if r["rule"] == "text.typos.known"]
    assert len(typos) == 5  # more than the chat shows, and no "此后还有" summary
    assert not any("此后还有" in r["message"] for r in rows)
    for row in typos:
        start, end = row["span"]
        assert MATERIAL[start:end] == "自已"
        assert raw_lines[row["line"] - 1][row["column"] - 1 :].startswith("自已")

    commas = [r for r in rows if r["rule"] == "text.punctuation.halfwidth"]
    assert len(commas) == 1 and len(commas[0]["places"]) == 2
    for place in commas[0]["places"]:
        assert MATERIAL[place["span"][0] : place["span"][1]] == ","
        assert place["line"] == 3 and raw_lines[2][place["column"] - 1] == ","


def test_check_honours_the_themes_directory_of_the_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "dsh-2030.yaml").write_text(
        "label: 2030年度\nyear: 2030\nfamily: dsh\ntitle: 2030年度民主生活会\ntheme: null\n"
        "status: unverified\nheading_template: 在{text}方面\n"
        "aspects:\n  - {text: 带头树立和践行正确政绩观, verified: false}\n"
        "  - {text: 带头改进作风狠抓落实, verified: false}\n",
        encoding="utf-8",
    )
    path = tmp_path / "material.txt"
    path.write_text(MATERIAL.replace("2025年度", "2030年度"), encoding="utf-8")
    options = ("--kind", "personal_dsh", "--meeting-date", "2031-01-20")

    assert not [r for r in check_json(path, capsys, *options) if r["rule"].startswith("structure.aspects")]
    monkeypatch.setenv("DUIZHAO_THEMES_DIR", str(themes))
    aspects = [r for r in check_json(path, capsys, *options) if r["rule"].startswith("structure.aspects")]
    assert aspects and any("2030年度民主生活会" in r["message"] for r in aspects)
