"""What the engine is given rather than what it reaches for: rules, catalog, the 年度 of a meeting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.catalog import load_catalog
from bot.dates import year_of_meeting
from bot.parsing import parse_text
from bot.review import registry, review
from bot.review.engine import build_context

MATERIAL = (Path(__file__).parent / "review_corpus" / "p02_personal_dsh_defects.txt").read_text("utf-8")


def test_only_the_rules_passed_in_run() -> None:
    rules = {key: spec for key, spec in registry().items() if key.startswith("text.typos")}
    findings = review(parse_text(MATERIAL), kind="personal_dsh", rules=rules)
    assert findings and {f.rule for f in findings} <= set(rules)


def test_the_catalog_passed_in_supplies_the_themes(tmp_path: Path) -> None:
    (tmp_path / "dsh-2031.yaml").write_text(
        "label: 2031年度\nyear: 2031\nfamily: dsh\ntitle: 2031年度民主生活会\ntheme: null\n"
        "status: unverified\nheading_template: 在{text}方面\n"
        "aspects:\n  - {text: 带头树立和践行正确政绩观, verified: false}\n",
        encoding="utf-8",
    )
    result = parse_text(MATERIAL.replace("2025年度", "2031年度"))
    assert build_context(result, kind="personal_dsh").aspects == ()
    context = build_context(result, kind="personal_dsh", catalog=load_catalog(tmp_path))
    assert [a.text for a in context.aspects] == ["带头树立和践行正确政绩观"]


@pytest.mark.parametrize(
    ("meeting", "year"),
    [
        (date(2026, 1, 20), 2025),
        (date(2026, 3, 31), 2025),
        (date(2026, 4, 1), 2026),
        (date(2025, 12, 28), 2025),
    ],
)
def test_the_review_infers_the_year_from_the_meeting_as_the_drafting_does(meeting: date, year: int) -> None:
    untitled = parse_text("对照检查材料\n\n会前我学习了有关文件。现将对照检查情况报告如下：")
    assert build_context(untitled, meeting_date=meeting).year == year_of_meeting(meeting) == year
