"""参考写法: every section of every kind (and each matter a year adds) has an example answer that the
bot's own review passes, and the 2025 matters have their own 写作要点."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.catalog import CatalogError, KindSpec, SectionSpec, load_catalog
from bot.document import Document, Item, Section, SectionRole
from bot.layout import lay_out
from bot.review import review
from bot.splitter import split_answer
from tests.conftest import Chat
from tests.test_review_chat import _to_preamble

ASPECT = "带头强化政治忠诚、提高政治能力"
CATALOG = load_catalog()


def _sections(kind: KindSpec) -> tuple[SectionSpec, ...]:
    """The kind's sections as a 2025 draft has them (the year's matters in the extra slot)."""
    return kind.sections_for(CATALOG.theme("dsh-2025")) if "dsh" in kind.families else kind.sections


def _material(kind: KindSpec) -> Document:
    """A material whose every section is the example, typed in as a user would send it."""
    sections = []
    for spec in _sections(kind):
        assert spec.example, f"{kind.key}.{spec.key} has no example"
        section = Section(role=spec.role, heading=spec.heading, key=spec.key)
        target = section
        if spec.per_aspect:
            target = Section(role=spec.role, heading=f"在{ASPECT}方面", key=f"{spec.key}.1")
            section.subsections.append(target)
        if spec.answer == "text":
            target.paragraphs.extend(line for line in spec.example.splitlines() if line.strip())
        else:
            split = split_answer(spec.example)
            assert len(split.items) >= (spec.min_items or 1), f"{kind.key}.{spec.key}: too few items"
            target.paragraphs.extend([split.lead] if split.lead else [])
            target.items = [Item.from_text(text, id=n) for n, text in enumerate(split.items, start=1)]
        sections.append(section)
    return Document(title=kind.title_for("张三", "县商务局", "2025年度"), byline=None, sections=sections)


@pytest.mark.parametrize("kind", list(CATALOG.kinds.values()), ids=lambda k: k.key)
def test_every_example_passes_the_review(kind: KindSpec) -> None:
    findings = review(
        lay_out(_material(kind)),
        kind=kind,
        year=2025,
        meeting_date=date(2026, 1, 20),
        aspects=[ASPECT],
    )
    # Examples are short by design; nothing else may be said about them.
    assert [f"{f.rule}: {f.message}" for f in findings if not f.rule.startswith("length.")] == []


def test_the_2025_matters_have_their_own_points_and_voices() -> None:
    for key in ("personal_dsh", "team_dsh"):
        kind = CATALOG.kind(key)
        extras = [s for s in _sections(kind) if s.role is SectionRole.EXTRA]
        generic = kind.section("extra")
        assert len(extras) == 2
        assert extras[0].guide != extras[1].guide and generic.guide not in (extras[0].guide, extras[1].guide)
        assert extras[0].example != extras[1].example
        assert ("班子" in (extras[0].example or "")) == (key == "team_dsh")


def test_extra_guides_must_name_a_required_matter(tmp_path: Path) -> None:
    (tmp_path / "dsh-2026.yaml").write_text(
        "label: 2026年度\nyear: 2026\nfamily: dsh\ntitle: 2026年度民主生活会\nstatus: unverified\n"
        "heading_template: '在{text}方面'\naspects: [{text: 带头树立正确政绩观, verified: false}]\n"
        "extra_required: [政绩观偏差问题整改情况]\n"
        "extra_guides: {反面典型案例剖析: {guide: [一, 二], example: {team: 示例。}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogError, match="extra_guides: '反面典型案例剖析' is not one of extra_required"):
        load_catalog(tmp_path)


async def test_a_step_shows_its_example_and_returns(chat: Chat) -> None:
    await _to_preamble(chat)
    reply = await chat.press("看示例")
    assert "参考写法" in reply and "会前我集中学习了3天" in reply and "不要照抄" in reply
    reply = await chat.press("返回继续填写")
    assert "写作要点" in reply and "第1/" in reply
    await chat.say("按照县委通知要求，会前我学习了规定篇目，征求意见5条。现报告如下：")
    await chat.press("跳过本部分")  # 上年度
    await chat.fill_until(lambda c: "八项规定学习教育整改整治情况" in c.last_text())
    assert "逐项写公务接待、公车使用" in chat.last_text()  # the matter's own points
    reply = await chat.press("看示例")
    assert "我对照查摆问题3个" in reply
