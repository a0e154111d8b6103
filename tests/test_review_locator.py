"""How findings name their place: the locator and the names messages give sections, at every level."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.review import Finding, review_text

CORPUS = Path(__file__).parent / "review_corpus"
SAMPLES = Path(__file__).parent / "review_samples"

PREAMBLE = "根据要求，本人认真学习，广泛征求意见，现将个人对照检查情况报告如下。\n"
CAUSES_AND_MEASURES = (
    "二、产生问题的原因\n（一）理想信念有所弱化，放松了主观世界改造。\n"
    "三、整改措施\n（一）加强理论武装，2026年起每月集中学习不少于2次。\n"
)
# Aspects numbered 1. directly under 一、 (a level skipped, as many real materials do).
LEVEL3_ASPECTS = (
    "张三同志2025年度民主生活会个人对照检查材料\n\n" + PREAMBLE + "一、存在的主要问题\n"
    "1.在带头强化政治忠诚、提高政治能力方面\n"
    "一是理论学习的计划性不强。比如2025年有3次集中学习请假。二是政治敏锐性不强。看问题不够全面。\n"
    "2.在带头固本培元、增强党性方面\n"
    "一是党性锻炼有所放松。要求不严。二是斗争精神不足。遇事不敢较真。\n" + CAUSES_AND_MEASURES
)
# Problems numbered 1. straight under the section, no aspects; a run-in point in the preamble.
FLAT = (
    "王五同志2025年度民主生活会个人对照检查材料\n\n" + PREAMBLE + "二是按照XX要求做好会前准备。\n"
    "二、存在的主要问题\n"
    "1.落实民主集中制有偏差。议事时先定调子。\n"
    "2.批评与自我批评辣味不足。碍于情面提意见。\n"
    "三、产生问题的原因\n一是理想信念有所弱化。\n"
    "四、整改措施\n（一）加强理论武装，每月集中学习不少于2次。\n"
)


def _review(text: str) -> list[Finding]:
    return review_text(text, kind="personal_dsh", capped=False)


def _by_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def test_aspects_numbered_1_dot_are_named_as_aspects_in_messages() -> None:
    concrete = {f.message for f in _by_rule(_review(LEVEL3_ASPECTS), "problems.concrete")}
    assert concrete == {"第一个方面中的第二条没有具体事例", "第二个方面的各条都没有具体事例"}


def test_the_locator_names_the_1_dot_heading_and_the_item_by_its_first_words() -> None:
    (first,) = [f for f in _by_rule(_review(LEVEL3_ASPECTS), "problems.concrete") if "第一个" in f.message]
    assert first.section == "一、存在的主要问题 / 1.在带头强化政治忠诚、提高…方面 / 第2条“政治敏锐性不强。”"


def test_problems_without_aspects_are_the_problems_part_and_items_count_from_their_own_words() -> None:
    findings = _review(FLAT)
    assert {f.message for f in _by_rule(findings, "problems.concrete")} == {"问题部分的各条都没有具体事例"}


def test_a_point_in_the_preamble_is_located_in_the_preamble() -> None:
    (mask,) = _by_rule(_review(FLAT), "text.placeholder.mask")
    assert mask.section == "导语 / 第1条“按照XX要求做好会前准…”"


def test_an_item_quoting_a_phrase_is_named_with_the_phrase_in_single_quotes() -> None:
    """Chinese nests quotation marks: “有时存在‘重显绩、轻潜绩’…”, not “有时存在“重显绩、轻潜绩”…”."""
    item = "2.有时存在“重显绩、轻潜绩”倾向。对XX改造重视不够。"
    masks = _by_rule(_review(FLAT.replace("2.批评与自我批评辣味不足。", item)), "text.placeholder.mask")
    places = [f.section or "" for f in masks]
    assert "二、存在的主要问题 / 第2条“有时存在‘重显绩、轻潜…”" in places, places


def test_the_title_and_the_whole_text_have_their_own_names() -> None:
    sections = {f.rule: f.section for f in review_text(FLAT, capped=False)}
    assert sections["kind.guess"] == "标题" and sections["length.total"] == "全文"


MARKER_THEN_PARTICLE = re.compile(
    r"(?:^|[^第（(0-9])(?:[0-9]+[.．、]|[一二三四五六七八九十]+、)(?:的|中的|下)"
)


@pytest.mark.parametrize(
    "path", sorted([*CORPUS.glob("*.txt"), *SAMPLES.glob("*.txt")]), ids=lambda p: p.name
)
def test_no_message_reads_a_number_as_a_word(path: Path) -> None:
    """ "1.的各条", "二、中的第一条": a marker is never used as the name of a place in a sentence."""
    for finding in review_text(path.read_text("utf-8"), capped=False):
        assert not MARKER_THEN_PARTICLE.search(finding.message), finding.message
        assert not MARKER_THEN_PARTICLE.search(finding.section or ""), finding.section


def test_no_message_on_the_level3_and_flat_materials_reads_a_number_as_a_word() -> None:
    for text in (LEVEL3_ASPECTS, FLAT):
        for finding in _review(text):
            assert not MARKER_THEN_PARTICLE.search(finding.message), finding.message


def test_a_finding_in_an_aspects_lead_names_the_lead_and_one_in_its_heading_the_aspect() -> None:
    """Half-width commas in both the heading and the lead after it: two findings, told apart."""
    text = (
        "赵六同志2025年度民主生活会个人对照检查材料\n\n" + PREAMBLE + "一、存在的主要问题\n"
        "（一）在带头强化政治忠诚,提高政治能力方面\n"
        "能够带头强化政治忠诚,但对照要求还有差距：\n"
        "一是理论学习的计划性不强。比如2025年有3次集中学习请假。\n"
        "二是政治敏锐性不强。比如对1次网络舆情苗头没有及时警觉。\n" + CAUSES_AND_MEASURES
    )
    places = sorted(f.section or "" for f in _by_rule(_review(text), "text.punctuation.halfwidth"))
    assert places == [
        "一、存在的主要问题 / （一）在带头强化政治忠诚,提高…方面",
        "一、存在的主要问题 / （一）在带头强化政治忠诚,提高…方面 / 开头一段",
    ]


def test_a_heading_run_into_its_text_is_named_without_its_full_stop() -> None:
    text = (
        "2025年度组织生活会个人发言提纲\n" + PREAMBLE + "一、存在的问题\n"
        "（一）党性修养提高方面。一是党员意识有所淡化。平时把自己当成普通干部多。\n" + CAUSES_AND_MEASURES
    )
    places = {f.section for f in review_text(text, kind="member_zzsh") if f.rule == "problems.concrete"}
    assert places == {"一、存在的问题 / （一）党性修养提高方面 / 第1条“党员意识有所淡化。”"}


def test_copy_damage_inside_an_item_or_a_lead_is_named_by_its_place_a_page_line_by_none() -> None:
    """text.capture points into the text as given; damage inside the material's sentences is named
    where the other rules name that text (the item, the lead), a page counter between them by no place."""
    text = (
        "张三同志2025年度民主生活会个人对照检查材料\n" + PREAMBLE + "一、存在的主要问题\n"
        "（一）在带头强化政治忠诚、提高政治能力方面\n"
        "对照要求和群众期盼，结合征求到的意见，本人在这一方面还存\n在以下几个方面的问题：\n"
        "一是理论学习的计划性不强。比如2025年有3次集中学 习请假,思想上不够重视。\n"
        "第 3 页 共 9 页\n"
        "二是政治敏锐性不强。比如对1次网络舆情苗头没有及时警觉。\n" + CAUSES_AND_MEASURES
    )
    findings = _review(text)
    (comma,) = _by_rule(findings, "text.punctuation.halfwidth")
    places = {f.message[:8]: f.section for f in _by_rule(findings, "text.capture")}
    aspect = "一、存在的主要问题 / （一）在带头强化政治忠诚、提高…方面"
    assert comma.section == f"{aspect} / 第1条“理论学习的计划性不强。”"
    assert places == {
        "有1处词语中间夹": comma.section,
        "有1处句子中间断": f"{aspect} / 开头一段",
        "混入了1处页码或": None,
    }
