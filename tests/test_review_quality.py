"""Review quality on the corpus of our own (bench/review_quality.py), held above floors.

The floors are what a reviewer must be able to trust: on errors and warnings at least 95% of the
findings are right and at least 90% of the defects are found; no quiet trap is broken; every damaged
copy gives the clean findings plus one text.capture, and every .docx form the findings of the text.
"""

from __future__ import annotations

from functools import cache

import pytest

from bench.review_quality import CORPUS, Report, evaluate, load_corpus

PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.90
KINDS = {"personal_dsh", "team_dsh", "member_zzsh", "branch_zzsh", "self_inspection", "rectification_report"}


@cache
def report() -> Report:
    return evaluate()


def test_corpus_covers_every_kind_and_other_genres() -> None:
    materials = load_corpus()
    assert len(materials) >= 12
    covered = {m.covers for m in materials}
    assert covered >= KINDS
    assert len(covered - KINDS) >= 2  # other genres: 工作总结, 心得体会
    assert all(len(m.text) >= 450 for m in materials)  # complete materials: every section written


def test_the_corpus_has_materials_as_long_as_real_ones() -> None:
    """A 个人对照检查材料 runs to 4,000 characters and more, a team's to 5,000, a branch committee's
    组织生活会 material to 2,000 and more, a member's to 1,500–3,000."""
    longest: dict[str, int] = {}
    for material in load_corpus():
        longest[material.covers] = max(longest.get(material.covers, 0), len(material.text))
    assert longest["personal_dsh"] >= 4000 and longest["team_dsh"] >= 4500
    assert longest["branch_zzsh"] >= 2000 and longest["member_zzsh"] >= 1500


def test_precision_and_recall_on_errors_and_warnings_stay_above_the_floors() -> None:
    tally = report().tally
    assert tally.precision() >= PRECISION_FLOOR, tally.false
    assert tally.recall() >= RECALL_FLOOR, tally.misses


def test_no_quiet_trap_is_broken() -> None:
    assert report().tally.traps == []


def test_damaged_and_docx_copies_give_the_findings_of_the_clean_text() -> None:
    result = report()
    assert result.copies >= 11 * len(load_corpus())
    assert result.copy_problems == []


@pytest.mark.parametrize("name", sorted(p.stem for p in CORPUS.glob("*.txt")))
def test_every_material_has_its_annotation(name: str) -> None:
    assert (CORPUS / f"{name}.yaml").exists()
