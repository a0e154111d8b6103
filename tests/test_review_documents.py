"""Whole materials: the clean sample stays quiet, each defect sample gives exactly its planted findings."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.parsing import parse_file, parse_text
from bot.review import review

SAMPLES = Path(__file__).parent / "review_samples"
EXPECTED: dict[str, Any] = yaml.safe_load((SAMPLES / "expected.yaml").read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED["samples"]))
def test_sample_gives_exactly_the_planted_findings(name: str) -> None:
    options = dict(EXPECTED["defaults"])
    options["meeting_date"] = date.fromisoformat(str(options["meeting_date"]))
    result = parse_file(SAMPLES / name)
    findings = review(result, **options)
    got = [[f.rule, result.text[f.span[0] : f.span[1]] if f.span else None] for f in findings]
    assert got == EXPECTED["samples"][name]


def test_clean_sample_is_quiet_without_being_told_its_kind_but_names_the_guess() -> None:
    findings = review(parse_file(SAMPLES / "clean_personal_2024.txt"))
    assert [(f.rule, f.severity.value) for f in findings] == [("kind.guess", "info")]
    assert "个人对照检查材料" in findings[0].message and "改正标题中的材料类型" in findings[0].suggestion


def test_every_sample_file_has_expectations() -> None:
    assert sorted(p.name for p in SAMPLES.glob("*.txt")) == sorted(EXPECTED["samples"])


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("王五同志2025年度民主生活会发言提纲", "个人对照检查材料"),
        ("2025年度组织生活会个人发言提纲", "组织生活会发言提纲"),
        ("县委常委班子2025年度民主生活会对照检查材料", "领导班子对照检查材料"),
        ("第三党支部委员会2025年度组织生活会对照检查材料", "党支部班子对照检查材料"),
        ("县商务局党组关于2024年度民主生活会查摆问题整改落实情况的报告", "整改落实情况报告"),
    ],
)
def test_the_kind_is_guessed_from_the_meeting_the_title_names(title: str, kind: str) -> None:
    """A leader's 民主生活会发言提纲 is not a member's 组织生活会 outline, and no error holds the title
    against a kind the review guessed itself."""
    findings = review(parse_text(f"{title}\n按照要求，现将{title[-12:]}报告如下：\n"))
    (guess,) = [f for f in findings if f.rule == "kind.guess"]
    assert f"按标题当作“{kind}”审核" in guess.message
    assert not [f for f in findings if f.rule == "text.year.mismatch"]
