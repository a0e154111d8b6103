"""Parsing uploaded materials: structure, numbering devices, spans, nothing dropped, files and the CLI."""

from __future__ import annotations

import argparse
import json
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document as new_docx

from bot.document import Document, Item, Section, SectionRole, Span
from bot.numbering import MarkerStyle
from bot.parsing import (
    ParseError,
    ParseResult,
    classify_heading,
    parse_docx,
    parse_file,
    parse_markdown,
    parse_text,
)
from bot.parsing.classify import cue_role
from bot.parsing.cli import register
from bot.parsing.parser import ARTIFACT, BEFORE_TITLE, SIGNATURE
from bot.render.official_docx import render_official_docx
from bot.render.text import render_markdown, render_text
from bot.review import load_config, review

SAMPLES = Path(__file__).parent / "samples"
R = SectionRole


def parse_sample(name: str) -> ParseResult:
    return parse_file(SAMPLES / name)


def outline(result: ParseResult) -> list[str]:
    """A compact reading of the structure: role, marker and heading; items by marker and headline."""
    lines = [f"title {result.document.title}", f"byline {result.document.byline}"]

    def walk(section: Section, depth: int) -> None:
        pad = "  " * depth
        marker = section.marker.text if section.marker else ""
        lines.append(f"{pad}{section.role.value} {marker}{section.heading or ''}")
        lines.extend(f"{pad}  ¶ {p[:12]}" for p in section.paragraphs)
        lines.extend(f"{pad}  · {i.marker.text if i.marker else ''}{i.headline}" for i in section.items)
        for sub in section.subsections:
            walk(sub, depth + 1)

    for section in result.document.sections:
        walk(section, 0)
    lines.extend(f"unplaced {u.text}" for u in result.unplaced)
    return lines


def sections_of(result: ParseResult) -> list[tuple[SectionRole, str | None]]:
    return [(s.role, s.heading) for s in result.document.sections]


# ---- whole samples ------------------------------------------------------------------------------

EXPECTED: dict[str, list[str]] = {
    "personal.txt": [
        "title 王五同志2025年度民主生活会个人对照检查材料",
        "byline （市交通运输局党组书记、局长 王五）",
        "preamble ",
        "  ¶ 按照市委关于开好2025",
        "last_year 一、上年度民主生活会查摆问题整改落实情况",
        "  ¶ 上年度我查摆问题5条，已",
        "problems 二、存在的主要问题",
        "  problems （一）在带头强化政治忠诚、提高政治能力方面",
        "    · 一是学习的系统性还有欠缺。",
        "    · 二是政治敏锐性有待提高。",
        "  problems （二）在带头固本培元、增强党性方面",
        "    · 一是自我要求有所放松。",
        "    · 二是批评与自我批评辣味不足。",
        "  problems （三）在带头干事创业、担当作为方面",
        "    · 1.抓落实的力度不够。",
        "    · 2.创新办法不多。",
        "causes 三、产生问题的原因",
        "  · （一）理想信念有所弱化。",
        "  · （二）为民情怀有所减弱。",
        "  · （三）党性修养有所放松。",
        "measures 四、努力方向和整改措施",
        "  · 1.加强理论武装。",
        "  · 2.提升政治能力。",
        "  · 3.改进工作作风。",
    ],
    "team_runin.txt": [
        "title None",
        "byline None",
        "preamble ",
        "  ¶ 根据区委统一部署，区水务",
        "problems 一、存在的主要问题",
        "  problems （一）在带头严守政治纪律和政治规矩方面。",
        "    · 一是执行请示报告制度不够严格。",
        "    · 二是落实民主集中制有偏差。",
        "  problems (二)在带头增强党性、严守纪律方面：",
        "    · 对照要求，班子在党性锻炼上还有差距。",
        "  problems （三）在带头勇于担责、敢于创新方面",
        "    · 第一，创新意识不强。",
        "    · 第二，应对复杂局面的本领不足。",
        "causes 二、问题产生的原因",
        "  · 1、理想信念教育抓得不够实。",
        "  · 2、党性锻炼不够经常。",
        "  · 3．纪律规矩意识有所松懈。",
        "measures 三、整改措施",
        "  ¶ 针对以上问题，班子将从三",
        "  · (1)抓学习。",
        "  · (2)抓作风。",
        "  · (3)抓落实。",
    ],
    "skipped_levels.txt": [
        "title 李六同志组织生活会发言提纲",
        "byline None",
        "problems 一、存在的主要问题",
        "  problems （1）学习贯彻党的创新理论情况。",
        "    · 学习不够深入，满足于读原文、记笔记，比如全年只写了两篇心得。",  # an aspect's one point
        "  problems （2）党性修养提高情况。",
        "    · 主动接受监督的意识不强。",
        "causes 一、产生问题的原因",
        "  · 主要是党性锻炼抓得不紧，对自己降低了标准。",  # the section's one point
        "measures 三、整改措施",
        "extra 四、需要向组织说明的事项",
        "  ¶ 本人没有需要向组织说明的",
    ],
    "member.md": [
        "title 赵七同志2025年度组织生活会个人发言提纲",
        "byline None",
        "preamble ",
        "  ¶ 根据支部安排，会前我对照",
        "problems 一、存在的问题",
        "  problems （一）学习贯彻党的创新理论情况",
        "    · 一是学习不够主动。",
        "    · 二是学用结合不紧。",
        "  problems （二）联系服务群众情况",
        "    · 一是服务意识不强。",
        "causes 二、问题产生的原因",
        "  · 主要是理想信念不够坚定，为民服务的意识减弱。",
        "measures 三、整改措施",
        "  · 1.每周自学不少于3小时，年底前完成学习笔记2本。",
        "  · 2.窗口服务推行首问负责，每月开展一次服务满意度回访。",
    ],
    "messy.txt": [
        "title 孙八同志2025年度民主生活会对照检查材料",
        "byline None",
        "preamble ",
        "  ¶ 会前，我认真学习了有关文",
        "problems 存在的主要问题",
        "  · 一是理论学习有时流于形式。",
        "  · 二是调查研究不够深入。",
        "causes 产生问题的原因",
        "  · 主要是对理论学习的极端重要性认识不足，放松了主观世界改造。",
        "measures 整改措施",
        "  · 一是每月精读一本理论著作。",
        "  · 二是每季度到联系点蹲点调研一次，每次不少于2天。",
        "unplaced 附件2",
        "unplaced -----",
        "unplaced 孙八",
        "unplaced 2026年1月20日",
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_outline(name: str) -> None:
    assert outline(parse_sample(name)) == EXPECTED[name]


def test_every_sample_has_an_expected_outline() -> None:
    assert sorted(p.name for p in SAMPLES.iterdir()) == sorted(EXPECTED)


OUTLINE_TITLE = "2025年度组织生活会个人发言提纲"


def _problems(result: ParseResult) -> Section:
    return next(s for s in result.document.sections if s.role is SectionRole.PROBLEMS)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # One point opens with its area's name, the next is a judgement: a list of points.
        (
            "1.理论学习方面。学习不够系统，比如今年有2次集中学习发言准备不足。",
            "2.有时存在畏难情绪。比如有14个图斑拖到年底才核实。",
        ),
        # Judgements that end in 方面 or 情况 name no area.
        (
            "1.理论学习不够深入，特别是在运用理论指导实践方面。比如2篇心得多是摘抄。",
            "2.存在学用脱节的情况。比如调研报告只写了情况。",
        ),
    ],
)
def test_points_that_open_with_an_area_or_end_in_one_are_points_not_aspects(first: str, second: str) -> None:
    text = f"{OUTLINE_TITLE}\n一、存在的问题\n{first}\n{second}\n二、产生问题的原因\n理想信念有所松懈。\n"
    problems = _problems(parse_text(text))
    assert problems.subsections == []
    assert [i.marker.text if i.marker else "" for i in problems.items] == ["1.", "2."]


def test_an_outline_numbering_its_areas_1_2_still_has_aspects() -> None:
    text = (
        f"{OUTLINE_TITLE}\n一、存在的问题\n1.理论学习方面。学习不够系统，比如有2次发言准备不足。\n"
        "2.工作作风方面。调研不够深入，比如今年到基层调研4次。\n二、产生问题的原因\n理想信念有所松懈。\n"
    )
    problems = _problems(parse_text(text))
    assert [a.heading for a in problems.subsections] == ["理论学习方面。", "工作作风方面。"]


# ---- nothing dropped, spans exact ---------------------------------------------------------------


def leaf_spans(result: ParseResult) -> list[Span]:
    """Where each piece of text was placed: title, byline, markers, headings, paragraphs, items, unplaced."""
    doc = result.document
    spans = [s for s in (doc.title_span, result.byline_span) if s is not None]
    spans.extend(u.span for u in result.unplaced)

    def walk(section: Section) -> None:
        if section.marker is not None:
            spans.append(section.marker.span)
        if section.heading_span is not None:
            spans.append(section.heading_span)
        spans.extend(section.paragraph_spans)
        spans.extend(item.span for item in section.items if item.span is not None)
        for sub in section.subsections:
            walk(sub)

    for section in doc.sections:
        walk(section)
    return spans


def assert_placed_once(result: ParseResult) -> None:
    """Every non-blank character of the text lies in exactly one placed span."""
    owners = [0] * len(result.text)
    for start, end in leaf_spans(result):
        for i in range(start, end):
            owners[i] += 1
    lost = [i for i, ch in enumerate(result.text) if not ch.isspace() and owners[i] == 0]
    doubled = [i for i, n in enumerate(owners) if n > 1]
    assert not lost, f"dropped: {[result.text[i] for i in lost][:20]}"
    assert not doubled, f"placed twice: {[result.text[i] for i in doubled][:20]}"


def assert_spans_exact(result: ParseResult) -> None:
    """Each span holds exactly the text the model carries for it."""
    text, doc = result.text, result.document

    def at(span: Span | None) -> str:
        assert span is not None
        return text[span[0] : span[1]]

    if doc.title is not None:
        assert at(doc.title_span) == doc.title
    if doc.byline is not None:
        assert at(result.byline_span) == doc.byline
    for unplaced in result.unplaced:
        assert at(unplaced.span) == unplaced.text and unplaced.reason
    for marker in result.markers:
        assert text[marker.start : marker.end] == marker.text
    assert [m.start for m in result.markers] == sorted({m.start for m in result.markers})

    def walk(section: Section) -> None:
        if section.heading is not None:
            assert at(section.heading_span) == section.heading
        assert [at(s) for s in section.paragraph_spans] == section.paragraphs
        for item in section.items:
            if item.marker is None:  # an aspect's one point, printed without 一是
                assert section.items == [item] and at(item.span) == item.text
                continue
            assert item.marker in result.markers
            assert at(item.span).startswith(item.marker.text)
            assert text[item.marker.end : item.span[1]].strip() == item.text  # type: ignore[index]
        if section.marker is not None:
            assert section.marker in result.markers
        assert section.span is not None and at(section.span).strip()
        for sub in section.subsections:
            assert sub.span is not None and section.span[0] <= sub.span[0] <= sub.span[1] <= section.span[1]
            walk(sub)

    for section in doc.sections:
        walk(section)


def produce(source: str) -> ParseResult:
    """A parse result by name: a sample, its Windows-formatted copy, a layout case, or the built .docx."""
    kind, _, name = source.partition(":")
    if kind == "sample":
        return parse_sample(name)
    if kind == "windows":
        return parse_text(windows_copy(name))
    if kind == "case":
        return parse_text(CASES[int(name)])
    return parse_docx(built_docx())


TXT_SAMPLES = [name for name in sorted(EXPECTED) if name.endswith(".txt")]
SOURCES = [
    *(f"sample:{name}" for name in sorted(EXPECTED)),
    *(f"windows:{name}" for name in TXT_SAMPLES),
    *(f"case:{i}" for i in range(9)),
    "docx",
]


@pytest.mark.parametrize("source", SOURCES)
def test_every_character_is_placed_exactly_once(source: str) -> None:
    assert_placed_once(produce(source))


@pytest.mark.parametrize("source", SOURCES)
def test_spans_point_at_their_text(source: str) -> None:
    assert_spans_exact(produce(source))


# ---- numbering devices and layouts --------------------------------------------------------------

CASES = [
    "一、存在的主要问题\n（一）学习方面\n一是读书少。比如全年读了两本。\n二是思考浅。",
    "一、存在的主要问题\n（一）学习方面。一是读书少。二是思考浅。\n（二）作风方面：对照要求，差距不小。一是下基层少，二是会议多。",
    "一、存在的主要问题\n(一)学习方面\n1.读书少。\n2、思考浅。\n3．笔记少。",
    "三、整改措施\n（1）读原著。每月2本。\n(2)下基层。每月2次。",
    "一、问题\n第一，读书少。\n第二，思考浅。\n二、原因\n第一、要求松。第二、标准低。",
    "一、问题\n一、原因\n三、措施\n",
    "二、问题\n思想统一是前提，行动统一是关键。工作有两面，二是其中一面。",
    "一、问题\n\n\n一是读书少。   \n\n  比如只读了两本。\n\n二是思考浅。\t\n",
    "前言一句。\n一、问题\n（一）学习方面\n一是读书少。\n1.原著读得少。\n2.笔记记得少。\n二是思考浅。",
]


def test_own_line_aspects_with_items_per_paragraph() -> None:
    problems = parse_text(CASES[0]).document.sections[0]
    assert problems.role is R.PROBLEMS and problems.heading == "存在的主要问题"
    (aspect,) = problems.subsections
    assert aspect.heading == "学习方面" and aspect.role is R.PROBLEMS
    assert [(i.headline, i.body) for i in aspect.items] == [
        ("读书少。", "比如全年读了两本。"),
        ("思考浅。", ""),
    ]


def test_run_in_aspect_heading_and_inline_lists() -> None:
    result = parse_text(CASES[1])
    first, second = result.document.sections[0].subsections
    assert first.heading == "学习方面。" and not first.paragraphs
    assert [i.headline for i in first.items] == ["读书少。", "思考浅。"]
    # A judgement going on into the particulars it lists is one point, kept as written, as a
    # message is (``split_answer``); after a lead sentence, the particulars are the points.
    assert second.heading == "作风方面：" and not second.paragraphs
    assert [i.text for i in second.items] == ["对照要求，差距不小。一是下基层少，二是会议多。"]
    led = parse_text(CASES[1].replace("对照要求，差距不小。", "对照要求，主要存在以下问题："))
    second = led.document.sections[0].subsections[1]
    assert second.paragraphs == ["对照要求，主要存在以下问题："]
    assert [i.text for i in second.items] == ["下基层少，", "会议多。"]
    assert [i.marker.number for i in second.items if i.marker] == [1, 2]


def test_half_width_brackets_and_every_arabic_separator() -> None:
    result = parse_text(CASES[2])
    (aspect,) = result.document.sections[0].subsections
    assert (
        aspect.marker is not None and aspect.marker.half_width and aspect.marker.style is MarkerStyle.LEVEL2
    )
    assert [i.marker.text for i in aspect.items if i.marker] == ["1.", "2、", "3．"]
    assert [i.headline for i in aspect.items] == ["读书少。", "思考浅。", "笔记少。"]


def test_level_four_items_directly_under_level_one() -> None:
    measures = parse_text(CASES[3]).document.sections[0]
    assert measures.role is R.MEASURES and not measures.subsections
    assert [(i.marker.text, i.headline) for i in measures.items if i.marker] == [
        ("（1）", "读原著。"),
        ("(2)", "下基层。"),
    ]
    assert measures.items[1].marker is not None and measures.items[1].marker.half_width


def test_ordinal_items_per_line_and_inline() -> None:
    problems, causes = parse_text(CASES[4]).document.sections
    assert [i.headline for i in problems.items] == ["读书少。", "思考浅。"]
    assert [i.headline for i in causes.items] == ["要求松。", "标准低。"]
    assert {i.marker.style for i in causes.items if i.marker} == {MarkerStyle.ORDINAL}


def test_duplicated_and_skipped_numbers_parse_as_written_and_empty_headings_stay() -> None:
    result = parse_text(CASES[5])
    sections = result.document.sections
    assert [s.marker.number for s in sections if s.marker] == [1, 1, 3]
    assert [s.role for s in sections] == [R.PROBLEMS, R.CAUSES, R.MEASURES]
    assert all(s.is_empty() for s in sections)
    assert [m.number for m in result.markers] == [1, 1, 3]


def test_prose_that_looks_like_run_in_markers_is_not_split() -> None:
    (section,) = parse_text(CASES[6]).document.sections
    assert not section.items and section.paragraphs == [
        "思想统一是前提，行动统一是关键。工作有两面，二是其中一面。"
    ]


def test_blank_lines_and_spaces_do_not_change_the_structure() -> None:
    (section,) = parse_text(CASES[7]).document.sections
    assert [(i.headline, i.body) for i in section.items] == [
        ("读书少。", "\n\n比如只读了两本。"),
        ("思考浅。", ""),
    ]


def test_every_case_is_checked_for_placement() -> None:
    assert len(CASES) == len([s for s in SOURCES if s.startswith("case:")])


def test_deeper_numbering_stays_inside_its_item_and_is_still_recognised() -> None:
    result = parse_text(CASES[8])
    preamble, problems = result.document.sections
    assert preamble.role is R.PREAMBLE and preamble.heading is None and preamble.paragraphs == ["前言一句。"]
    (aspect,) = problems.subsections
    assert [i.headline for i in aspect.items] == ["读书少。", "思考浅。"]
    assert "1.原著读得少。\n2.笔记记得少。" in aspect.items[0].body
    assert [m.text for m in result.markers] == ["一、", "（一）", "一是", "1.", "2.", "二是"]


def test_inline_lists_nested_in_an_item_are_recognised_but_not_split() -> None:
    result = parse_text("二、原因\n（一）思想上。一是学得少，二是悟得浅。\n（二）作风上。")
    (causes,) = result.document.sections
    assert [i.headline for i in causes.items] == ["思想上。", "作风上。"]
    assert [m.text for m in result.markers] == ["二、", "（一）", "一是", "二是", "（二）"]


def test_lead_sentence_with_first_point_inline_and_the_rest_on_lines() -> None:
    (section,) = parse_text("一、问题\n对照要求，查摆如下。一是读书少。\n二是思考浅。").document.sections
    assert section.paragraphs == ["对照要求，查摆如下。"]
    assert [i.headline for i in section.items] == ["读书少。", "思考浅。"]


def test_numbered_problems_without_aspect_headings_are_items() -> None:
    (problems,) = parse_text(
        "二、存在的问题\n（一）读书少。比如只读两本。\n（二）思考浅。常就事论事。"
    ).document.sections
    assert not problems.subsections
    assert [i.headline for i in problems.items] == ["读书少。", "思考浅。"]


def test_level_two_headings_serve_as_level_one_when_there_is_no_level_one() -> None:
    result = parse_text("（一）存在的问题\n1.读书少。\n（二）问题产生的原因\n1.要求松。\n（三）整改措施")
    assert sections_of(result) == [
        (R.PROBLEMS, "存在的问题"),
        (R.CAUSES, "问题产生的原因"),
        (R.MEASURES, "整改措施"),
    ]
    assert [i.headline for i in result.document.sections[0].items] == ["读书少。"]


def test_bare_keyword_line_repeating_the_current_role_is_text() -> None:
    (section,) = parse_text("一、存在的主要问题\n存在问题\n一是读书少。").document.sections
    assert section.paragraphs == ["存在问题"]


def test_missing_title_and_title_forms() -> None:
    assert parse_text("一、存在的主要问题\n一是读书少。").document.title is None
    assert parse_text("会前我认真学习了文件，现报告如下：\n一、问题").document.title is None
    short = parse_text("王某某同志个人检视\n会前我认真学习了文件，广泛征求了意见，现报告如下：\n一、问题")
    assert short.document.title == "王某某同志个人检视" and short.document.byline is None
    dated = parse_text("某某同志对照检查材料\n（2026年1月5日）\n一、问题")
    assert (dated.document.title, dated.document.byline) == ("某某同志对照检查材料", "（2026年1月5日）")


def test_a_title_set_on_two_lines_is_one_title() -> None:
    """Official titles are set on two lines and a PDF copies the break: the line above 对照检查材料
    is the title's first half, not stray text, and the kind is guessed from the whole title."""
    text = "东湖区卫生健康局领导班子2026年度民主生活会\n对照检查材料\n会前集中学习4次。现报告如下：\n一、问题"
    result = parse_text(text)
    assert result.document.title == "东湖区卫生健康局领导班子2026年度民主生活会对照检查材料"
    assert result.document.title_span == (0, text.index("\n会前")) and not result.unplaced
    assert [f.rule for f in review(result) if f.rule.startswith("kind")] == ["kind.guess"]
    assert "领导班子对照检查材料" in next(f.message for f in review(result) if f.rule == "kind.guess")
    beside = parse_text("县委办公室\n2024年度民主生活会个人对照检查材料\n一、问题")  # a unit, not a title
    assert beside.document.title == "2024年度民主生活会个人对照检查材料" and beside.unplaced


def test_a_title_a_copy_broke_inside_its_words_is_one_title_without_a_byline() -> None:
    """“…对照检⏎查材料”: neither line has the title words; read as one, the two are the title, and
    the second half is not taken for the unit, post and name line."""
    text = "青山镇党委领导班子2025年度民主生活会对照检\n查材料\n会前集中学习4次。现报告如下：\n一、问题"
    result = parse_text(text)
    assert result.document.title == "青山镇党委领导班子2025年度民主生活会对照检查材料"
    assert result.document.byline is None and not result.unplaced
    places = {f.section for f in review(result)}
    assert "标题下的单位、职务、姓名" not in places


def test_normalisation_bom_crlf_full_width_and_trailing_spaces() -> None:
    result = parse_text("\ufeff\u3000\u3000一、存在的主要问题\u3000 \r\n\u3000\u3000一是读书少。  \r\n")
    assert result.text == "一、存在的主要问题\n一是读书少。\n"
    (section,) = result.document.sections
    assert section.heading == "存在的主要问题" and section.items[0].headline == "读书少。"


def windows_copy(name: str) -> str:
    """A sample as a Windows editor saves it: BOM, CRLF, indentation and trailing spaces."""
    text = (SAMPLES / name).read_text(encoding="utf-8")
    return "\ufeff" + "\r\n".join(f"\u3000\u3000{line}  \u3000" for line in text.split("\n"))


@pytest.mark.parametrize("name", TXT_SAMPLES)
def test_windows_formatting_gives_the_same_outline(name: str) -> None:
    assert outline(parse_text(windows_copy(name))) == EXPECTED[name]


# ---- classification -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("上年度民主生活会查摆问题整改落实情况", R.LAST_YEAR),
        ("2024年度查摆事项整改落实情况", R.LAST_YEAR),
        ("去年所提问题的整改情况", R.LAST_YEAR),
        ("整改工作总体情况", R.LAST_YEAR),  # a 整改落实情况报告's overview, not its measures
        ("下一步整改工作打算", R.MEASURES),
        ("存在的主要问题", R.PROBLEMS),
        ("对照检查查摆的突出问题", R.PROBLEMS),
        ("产生问题的原因", R.CAUSES),
        ("查摆问题的原因剖析", R.CAUSES),
        ("问题产生的思想根源", R.CAUSES),
        ("努力方向和整改措施", R.MEASURES),
        ("下一步改进措施", R.MEASURES),
        ("针对问题的整改措施", R.MEASURES),
        ("下一步工作打算", R.MEASURES),
        ("需要向组织说明的事项", R.EXTRA),
        ("反面典型案例剖析", R.EXTRA),
        ("深入贯彻中央八项规定精神学习教育整改整治情况", R.EXTRA),
        ("其他需要汇报的内容", R.OTHER),
        ("", R.OTHER),
    ],
)
def test_classify_heading(heading: str, role: SectionRole) -> None:
    assert classify_heading(heading) is role


# ---- locate ---------------------------------------------------------------------------------------


def test_locate_finds_section_aspect_and_item() -> None:
    result = parse_sample("personal.txt")
    text = result.text
    problems = result.document.sections[2]
    aspect = problems.subsections[1]
    item = aspect.items[1]
    assert result.locate(text.index("辣味不足")) == (problems, aspect, item)
    assert result.locate(text.index("固本培元")) == (problems, aspect, None)
    assert result.locate(text.index("二、存在")) == (problems, None, None)
    assert result.locate(text.index("征求意见表"))[0] is result.document.sections[0]
    assert result.locate(text.index("王五同志")) == (None, None, None)
    assert result.locate(text.index("\n\n三、")) == (None, None, None)
    causes = result.document.sections[3]
    assert result.locate(text.index("软任务")) == (causes, None, causes.items[0])


# ---- round trips with the renderers -------------------------------------------------------------


def drafted() -> Document:
    return Document(
        title="周九同志2025年度民主生活会个人对照检查材料",
        byline="（县农业农村局 周九）",
        sections=[
            Section(R.PREAMBLE, None, paragraphs=["会前本人认真学习，广泛征求意见，现报告如下："]),
            Section(
                R.PROBLEMS,
                "存在的主要问题",
                subsections=[
                    Section(
                        R.PROBLEMS,
                        "在带头强化政治忠诚方面",
                        items=[Item("学习不够系统。", "比如只读了两本原著。")],
                    ),
                    Section(R.PROBLEMS, "在带头干事创业方面", items=[Item("调研不深。"), Item("创新不足。")]),
                ],
            ),
            Section(
                R.CAUSES, "产生问题的原因", items=[Item("理想信念有所弱化。"), Item("服务意识有所减弱。")]
            ),
            Section(R.MEASURES, "努力方向和整改措施", items=[Item("加强学习。", "每月自学2次。")]),
        ],
    )


def shape(doc: Document) -> list[object]:
    def one(s: Section) -> object:
        return (s.role, s.heading, s.paragraphs, [i.text for i in s.items], [one(x) for x in s.subsections])

    return [doc.title, doc.byline, *(one(s) for s in doc.sections)]


@pytest.mark.parametrize(
    "parse",
    [
        lambda d: parse_text(render_text(d)),
        lambda d: parse_markdown(render_markdown(d)),
        lambda d: parse_docx(render_official_docx(d)),
    ],
    ids=["text", "markdown", "docx"],
)
def test_rendered_drafts_parse_back_to_the_same_document(parse: object) -> None:
    result = parse(drafted())  # type: ignore[operator]
    assert shape(result.document) == shape(drafted())
    assert_placed_once(result)


# ---- .docx, Markdown and files ------------------------------------------------------------------


def built_docx() -> bytes:
    """A small .docx with body paragraphs, a table with a merged cell, and a paragraph after it."""
    document = new_docx()
    for line in ("吴十同志对照检查材料", "一、存在的主要问题", "一是读书少。比如只读了两本。"):
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "二是思考浅。"
    table.cell(1, 0).text = "二、产生问题的原因"
    table.cell(1, 1).text = "主要是要求不严。"
    document.add_paragraph("三、整改措施")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_table_cells_in_document_order() -> None:
    result = parse_docx(built_docx())
    assert outline(result) == [
        "title 吴十同志对照检查材料",
        "byline None",
        "problems 一、存在的主要问题",
        "  · 一是读书少。",
        "  · 二是思考浅。",
        "causes 二、产生问题的原因",
        "  · 主要是要求不严。",  # the section's one point, printed without （一）
        "measures 三、整改措施",
    ]


def test_a_table_of_measures_reads_one_measure_a_row_with_its_leader_and_deadline() -> None:
    """Units tabulate a team's measures (序号 | 整改措施 | 责任领导 | 完成时限): each row is one
    measure with its owner and deadline, not four lines, and its 序号 no stray page number."""
    document = new_docx()
    for line in ("县发改局领导班子对照检查材料", "一、存在的主要问题", "一是调研不深。比如全年调研5次。"):
        document.add_paragraph(line)
    document.add_paragraph("二、整改措施")
    rows = [
        ("序号", "整改措施", "责任领导", "完成时限"),
        ("1", "建立项目论证会商机制，每月会商一次。", "王强", "2027年3月底前"),
        ("2", "班子成员每季度走访联系企业", "李华", "长期坚持"),
    ]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for cells, row in zip(rows, table.rows, strict=True):
        for text, cell in zip(cells, row.cells, strict=True):
            cell.text = text
    buffer = BytesIO()
    document.save(buffer)
    result = parse_docx(buffer.getvalue())
    assert outline(result)[-3:] == [
        "measures 二、整改措施",
        "  · 一是建立项目论证会商机制，每月会商一次。",
        "  · 二是班子成员每季度走访联系企业。",
    ]
    assert result.text.endswith(
        "一是建立项目论证会商机制，每月会商一次。责任领导：王强；完成时限：2027年3月底前。\n"
        "二是班子成员每季度走访联系企业。责任领导：李华；完成时限：长期坚持。"
    )
    rules = {f.rule for f in review(result, kind="team_dsh")}
    assert not {"text.capture", "measures.verifiable", "measures.verifiable.owner"} & rules


def test_markdown_markup_is_removed_before_parsing() -> None:
    result = parse_sample("member.md")
    assert "#" not in result.text and "**" not in result.text and "\\" not in result.text
    assert result.document.sections[1].subsections[0].items[0].text.startswith("学习不够主动。")


def test_gb18030_text_file(tmp_path: Path) -> None:
    path = tmp_path / "材料.txt"
    path.write_bytes("一、存在的主要问题\n一是读书少。".encode("gb18030"))
    assert parse_file(path).document.sections[0].items[0].headline == "读书少。"


def test_utf16_text_file_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "材料.txt"
    path.write_bytes("一、存在的主要问题\r\n一是读书少。".encode("utf-16"))
    assert parse_file(path).text == "一、存在的主要问题\n一是读书少。"


def test_docx_file_by_suffix(tmp_path: Path) -> None:
    path = tmp_path / "材料.DOCX"
    path.write_bytes(built_docx())
    assert parse_file(path).document.title == "吴十同志对照检查材料"


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("renamed.txt", PNG, "不是文本文件"),
        ("renamed.md", built_docx(), "不是文本文件"),
        ("renamed.docx", "一、问题".encode(), "无法打开"),
        ("corrupt.docx", built_docx()[:400], "无法打开"),
        ("empty.txt", b"", "是空的"),
        ("blank.md", "  \n\u3000\n".encode(), "是空的"),
        ("bad.txt", b"\xd2\xbb\x80\x80", "编码"),
        ("old.doc", b"\xd0\xcf\x11\xe0", ".docx"),
        ("scan.pdf", b"%PDF-1.7", "不支持的文件类型 .pdf"),
        ("noext", b"abc", "无扩展名"),
    ],
)
def test_bad_files_raise_parse_error_in_chinese(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ParseError, match=message):
        parse_file(path)


def test_empty_docx_and_missing_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.docx"
    buffer = BytesIO()
    new_docx().save(buffer)
    empty.write_bytes(buffer.getvalue())
    with pytest.raises(ParseError, match="是空的"):
        parse_file(empty)
    with pytest.raises(ParseError, match="找不到文件"):
        parse_file(tmp_path / "missing.txt")


# ---- unplaced text ------------------------------------------------------------------------------


def test_unplaced_text_carries_its_reason() -> None:
    reasons = {u.text: u.reason for u in parse_sample("messy.txt").unplaced}
    assert reasons == {
        "附件2": BEFORE_TITLE,
        "-----": ARTIFACT,
        "孙八": SIGNATURE,
        "2026年1月20日": SIGNATURE,
    }


def test_an_unplaced_line_ends_the_item_above_it() -> None:
    (section,) = parse_text("一、问题\n一是读书少。\n##end##\n补充说明一句。").document.sections
    assert section.items[0].text == "读书少。" and section.paragraphs == ["补充说明一句。"]


# ---- size ---------------------------------------------------------------------------------------
# Speed is measured by bench.review against plain segmentation in the same run, not timed here.


def test_ten_thousand_characters_parse_into_every_aspect() -> None:
    aspect = "（{n}）在带头履职尽责方面\n" + "".join(
        f"{p}是工作标准还不够高。比如第{k}项任务推进偏慢，群众反映较多，需要持续改进提升。\n"
        for k, p in enumerate("一二三四五", 1)
    )
    body = "".join(aspect.format(n=n) for n in "一二三四五六七八九十" * 5)
    text = "某某同志对照检查材料\n一、存在的主要问题\n" + body + "二、产生问题的原因\n（一）学习不够。\n"
    assert len(text) >= 10_000
    result = parse_text(text)
    assert len(result.document.sections[0].subsections) == 50
    assert all(len(aspect.items) == 5 for aspect in result.document.sections[0].subsections)


# ---- CLI ----------------------------------------------------------------------------------------


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="duizhao")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


def test_cli_json_outline(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["parse", str(SAMPLES / "messy.txt"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "孙八同志2025年度民主生活会对照检查材料"
    assert [s["role"] for s in data["sections"]] == ["preamble", "problems", "causes", "measures"]
    problems = data["sections"][1]
    assert problems["heading"] == "存在的主要问题" and problems["marker"] is None
    assert [i["headline"] for i in problems["items"]] == ["理论学习有时流于形式。", "调查研究不够深入。"]
    assert {"span", "heading_span", "paragraphs", "subsections"} <= problems.keys()
    assert [u["text"] for u in data["unplaced"]] == ["附件2", "-----", "孙八", "2026年1月20日"]


def test_cli_text_outline(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["parse", str(SAMPLES / "personal.txt")]) == 0
    out = capsys.readouterr().out
    assert "标题：王五同志2025年度民主生活会个人对照检查材料" in out
    assert "二、存在的主要问题〔存在问题〕" in out and "    · 一是学习的系统性还有欠缺。" in out


@pytest.mark.parametrize("name", ["missing.txt", "scan.pdf"])
def test_cli_reports_a_bad_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    (tmp_path / "scan.pdf").write_bytes(b"%PDF")
    assert run_cli(["parse", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and err.count("\n") == 1


def test_a_speech_outline_without_headings_is_divided_at_its_lead_sentences() -> None:
    """A 发言提纲 written as paragraphs: each part opens with a lead sentence, which heads it."""
    result = parse_text(
        "按照支部通知要求，我认真学习，征求意见，现将个人对照检查情况报告如下：\n"
        "对照检查，我主要存在以下问题：\n"
        "一是理论学习不够深入。全年自学不足30小时。\n"
        "二是服务群众不够主动。\n"
        "究其原因，主要有以下几点：\n"
        "一是理想信念有所松懈。\n"
        "二是宗旨意识有所淡化。\n"
        "下一步，我将从以下几个方面努力：一是每周自学不少于4小时。二是每季度到社区服务2次。\n"
    )
    preamble, *parts = result.document.sections
    assert preamble.paragraphs == ["按照支部通知要求，我认真学习，征求意见，现将个人对照检查情况报告如下："]
    assert sections_of(result)[1:] == [
        (R.PROBLEMS, "对照检查，我主要存在以下问题："),
        (R.CAUSES, "究其原因，主要有以下几点："),
        (R.MEASURES, "下一步，我将从以下几个方面努力："),
    ]
    assert [[i.headline for i in part.items] for part in parts] == [
        ["理论学习不够深入。", "服务群众不够主动。"],
        ["理想信念有所松懈。", "宗旨意识有所淡化。"],
        ["每周自学不少于4小时。", "每季度到社区服务2次。"],
    ]
    assert not result.unplaced


def test_a_lead_sentence_closing_the_opening_paragraph_opens_its_part() -> None:
    """Many outlines run the lead on at the end of the opening paragraph, or before its 一是."""
    result = parse_text(
        "按照支部通知要求，我认真学习，征求意见6条。对照检查，我主要存在以下问题：\n"
        "1.理论学习不够深入。全年自学不足30小时。\n"
        "2.服务群众不够主动。\n"
        "我反思了自身差距。究其原因：一是理想信念有所松懈。二是宗旨意识有所淡化。\n"
    )
    preamble, problems, causes = result.document.sections
    assert preamble.paragraphs == ["按照支部通知要求，我认真学习，征求意见6条。"]
    assert (problems.role, problems.heading) == (R.PROBLEMS, "对照检查，我主要存在以下问题：")
    assert [i.headline for i in problems.items] == ["理论学习不够深入。", "服务群众不够主动。"]
    assert causes.role is R.CAUSES and len(causes.items) == 2
    assert not result.unplaced
    report = "会前我征求意见6条。现将对照检查情况报告如下：\n1.读书少。\n2.调研少。"
    (alone,) = parse_text(report).document.sections
    assert alone.role is R.PREAMBLE and len(alone.items) == 2


def test_lead_sentences_divide_only_a_material_without_headings() -> None:
    (problems,) = parse_text(
        "一、存在的主要问题\n对照检查，我主要存在以下问题：\n一是读书少。\n究其原因，主要有以下几点：\n一是要求松。"
    ).document.sections
    assert problems.paragraphs == ["对照检查，我主要存在以下问题："]
    assert [i.text for i in problems.items] == ["读书少。\n究其原因，主要有以下几点：", "要求松。"]
    (preamble,) = parse_text(
        "根据通知要求，会前查摆问题、剖析原因、明确整改措施，现将有关情况汇报如下：\n一是读书少。"
    ).document.sections
    assert preamble.role is R.PREAMBLE and len(preamble.items) == 1


def test_the_lead_sentences_the_review_suggests_are_the_ones_the_parser_reads() -> None:
    leads = load_config().params("structure.sections.unsorted").mapping("leads")
    assert {role: cue_role(lead) for role, lead in leads.items()} == {
        "problems": R.PROBLEMS,
        "causes": R.CAUSES,
        "measures": R.MEASURES,
    }
