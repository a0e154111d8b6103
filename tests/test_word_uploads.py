"""Word files as users send them: numbered by Word's lists, with tracked changes and comments, laid
out in tables, text boxes and content controls, lines broken with Shift+Enter.

Each file is built here from raw WordprocessingML (tests/word_files.py) and read as `duizhao parse`
and `duizhao check` read it, and one is sent to the bot in the chat.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.cli import main as cli_main
from bot.document import Section
from bot.parsing import ParseResult, parse_bytes
from bot.parsing.sources import docx_text
from bot.review import review
from tests.conftest import Chat
from tests.word_files import (
    OUTLINE_LEVELS,
    abstract,
    alternate,
    control,
    deleted,
    inserted,
    inserted_then_deleted,
    level,
    moved,
    num,
    p,
    run,
    style,
    table,
    text_box,
    tr,
    word,
)

TITLE = "张三同志2025年度民主生活会个人对照检查材料"
OPENING = "按照县委通知要求，会前我认真学习了有关文件，"
REPORT = "谈心谈话6人次。现将个人对照检查情况报告如下："
PREAMBLE = f"{OPENING}征求意见9条，{REPORT}"
ASPECT_1 = "在带头强化政治忠诚、提高政治能力方面"
ASPECT_2 = "在带头固本培元、增强党性方面"
POINT_1 = "理论学习不够系统。比如今年3月的专题学习，我有2次因出差缺席，没有及时补学。"
POINT_2 = "政治敏锐性不强。在讨论老旧小区改造方案时，对群众的实际诉求考虑不周。"
POINT_3 = "党性锻炼有所放松。2025年下半年参加支部活动3次，在发言中自我批评辣味不足。"
CAUSE = "理想信念有所松懈，对理论武装的重要性认识不足，党性修养有所放松。"
MEASURE = "每周自学不少于4小时，2026年6月底前完成专题学习。"


def outline(result: ParseResult) -> list[str]:
    """Headings and items as the reader sees them: marker and first words, indented by level."""

    def walk(section: Section, depth: int) -> list[str]:
        marker = section.marker.text if section.marker else ""
        lines = ["  " * depth + marker + (section.heading or "〔导语〕")]
        for item in section.items:
            lines.append("  " * (depth + 1) + (item.marker.text if item.marker else "·") + item.headline)
        for sub in section.subsections:
            lines += walk(sub, depth + 1)
        return lines

    return [line for section in result.document.sections for line in walk(section, 0)]


def errors_and_warnings(result: ParseResult) -> list[str]:
    findings = review(result)
    return [f"{f.rule}: {f.message}" for f in findings if f.severity.value != "info"]


Make = Callable[[str], str]


def _material(heading: Make, aspect: Make, point: Make) -> list[str]:
    """The material with each numbered line made by ``heading``/``aspect``/``point`` (text → XML)."""
    return [
        p(TITLE),
        p(PREAMBLE),
        heading("存在的主要问题"),
        aspect(ASPECT_1),
        point(POINT_1),
        point(POINT_2),
        aspect(ASPECT_2),
        point(POINT_3),
        heading("产生问题的原因"),
        aspect(CAUSE),
        heading("努力方向和整改措施"),
        aspect(MEASURE),
    ]


EXPECTED = [
    "〔导语〕",
    "一、存在的主要问题",
    f"  （一）{ASPECT_1}",
    "    1.理论学习不够系统。",
    "    2.政治敏锐性不强。",
    f"  （二）{ASPECT_2}",
    "    1.党性锻炼有所放松。",
    "二、产生问题的原因",
    "  （一）理想信念有所松懈，对理论武装的重要性认识不足，党性修养有所放松。",
    "三、努力方向和整改措施",
    "  （一）每周自学不少于4小时，2026年6月底前完成专题学习。",
]


def _outline_of(data: bytes) -> list[str]:
    return outline(parse_bytes("材料.docx", data))


def test_word_numbering_gives_sections_aspects_and_points_their_numbers() -> None:
    """一、（一）1. written by a multilevel list: none of the numbers is in the paragraph text."""
    data = word(
        *_material(
            lambda t: p(t, num=(1, 0)),
            lambda t: p(t, num=(1, 1)),
            lambda t: p(t, num=(1, 2)),
        ),
        numbering=abstract(10) + num(1, 10),
    )
    result = parse_bytes("材料.docx", data)
    assert outline(result) == EXPECTED
    assert result.document.title == TITLE and not result.unplaced


def test_a_list_style_numbers_the_paragraphs_that_use_it() -> None:
    """Word's list styles (定义新的多级列表 linked to 标题 styles): the abstract list the paragraphs
    point to only names the list style, whose own list holds the levels; heading styles carry the
    numbering, and a paragraph can switch it off (numId 0)."""
    numbering = (
        abstract(20, "", link='<w:numStyleLink w:val="DZOutline"/>')
        + abstract(21, link='<w:styleLink w:val="DZOutline"/>')
        + num(2, 20)
        + num(3, 21)
    )
    styles = (
        style("DZOutline", kind="numbering", num_id=3)
        + style("DZHeading1", num_id=2)
        + style("DZHeading2", num_id=2, ilvl=1)
    )
    data = word(
        *_material(
            lambda t: p(t, style="DZHeading1"),
            lambda t: p(t, style="DZHeading2"),
            lambda t: p(t, num=(2, 2)),
        ),
        p("以上对照检查，请同志们批评指正。", style="DZHeading2", num=(0, 0)),
        numbering=numbering,
        styles=styles,
    )
    lines = _outline_of(data)
    assert lines[: len(EXPECTED)] == EXPECTED
    assert "以上对照检查，请同志们批评指正。" in parse_bytes("材料.docx", data).text.splitlines()


def test_a_style_linked_to_a_list_level_takes_that_level() -> None:
    """A heading style numbered without a level of its own takes the level that names it."""
    levels = (
        level(0, "chineseCounting", "%1、", style="DZH1")
        + level(1, "chineseCounting", "（%2）", style="DZH2")
        + level(2, "decimal", "%3.")
    )
    styles = style("DZH1", num_id=4) + style("DZH2", num_id=4)
    data = word(
        *_material(lambda t: p(t, style="DZH1"), lambda t: p(t, style="DZH2"), lambda t: p(t, num=(4, 2))),
        numbering=abstract(40, levels) + num(4, 40),
        styles=styles,
    )
    assert _outline_of(data) == EXPECTED


def test_tracked_changes_read_as_accepted() -> None:
    """Insertions count, deletions do not, a paragraph deleted whole is gone with its number, and the
    reviewer's comment in the margin is no part of the text."""
    data = word(
        p(TITLE),
        p(OPENING, inserted("征求意见9条，"), REPORT),
        p("存在的主要问题", num=(1, 0)),
        p(ASPECT_1, num=(1, 1)),
        p(deleted("工作作风不够扎实。有时满足于一般化。"), num=(1, 2), mark="deleted"),
        p(POINT_1[:9], deleted("学得不深。"), inserted(POINT_1[9:]), num=(1, 2)),
        p(inserted(POINT_2), num=(1, 2), mark="inserted"),
        p(ASPECT_2, num=(1, 1)),
        p(POINT_3, num=(1, 2)),
        p("产生问题的原因", num=(1, 0)),
        p(CAUSE, num=(1, 1)),
        p("努力方向和整改措施", num=(1, 0)),
        p(MEASURE, num=(1, 1)),
        numbering=abstract(10) + num(1, 10),
        comment_on="理论学习不够系统",
    )
    result = parse_bytes("材料.docx", data)
    assert outline(result) == EXPECTED
    assert "征求意见9条" in result.text and POINT_1 in result.text
    for gone in ("工作作风不够扎实", "学得不深", "审稿意见"):
        assert gone not in result.text
    assert result.revisions
    assert not [f for f in errors_and_warnings(result) if f.startswith("structure.")]


def test_paragraphs_joined_by_a_deleted_mark_and_content_written_twice_read_once() -> None:
    """A reviewer joined a point's two paragraphs (its mark deleted, changes tracked): accepted,
    they are one point. A run Word writes in two forms (mc:AlternateContent) is read once."""
    data = word(
        *_material(
            lambda t: p(t, num=(1, 0)),
            lambda t: p(t, num=(1, 1)),
            lambda t: (
                p(t[:9], mark="deleted") + p(t[9:], num=(1, 2))
                if t == POINT_1
                else p(alternate(run(t), run(t)), num=(1, 2))
            ),
        ),
        numbering=abstract(10) + num(1, 10),
    )
    result = parse_bytes("材料.docx", data)
    assert outline(result) == EXPECTED
    assert result.text.splitlines()[4] == f"1.{POINT_1}" and result.text.count(POINT_2) == 1


def test_layout_tables_text_boxes_content_controls_and_soft_breaks() -> None:
    """A unit's template: the title in a text box, the byline in a two-cell table, the body in a
    one-cell frame, the sections in content controls, an aspect and its first point in one paragraph
    split by Shift+Enter; hidden text (a template's instructions) is not read."""
    data = word(
        p(text_box(p(TITLE))),
        table([p("姓名：张三"), p("职务：县委副书记")]),
        table(
            [
                p(PREAMBLE)
                + control(
                    p("一、存在的主要问题"),
                    p(f"（一）{ASPECT_1}<br>一是{POINT_1}"),
                    p(f"二是{POINT_2}", run("（此处填写具体事例）", hidden=True)),
                    table([p(f"（二）{ASPECT_2}")], [p(f"一是{POINT_3}")]),
                )
            ]
        ),
        control(p("二、产生问题的原因"), p(f"（一）{CAUSE}")),
        p("三、努力方向和整改措施"),
        p(f"（一）{MEASURE}"),
    )
    result = parse_bytes("材料.docx", data)
    assert result.document.title == TITLE
    assert result.text.count(TITLE) == 1 and "此处填写" not in result.text
    assert [line.replace("一是", "1.").replace("二是", "2.") for line in outline(result)] == EXPECTED
    assert not [f for f in errors_and_warnings(result) if f.startswith("structure.")]


def test_duizhao_check_reads_a_numbered_word_file(tmp_path: Path, capsys: object) -> None:
    data = word(
        *_material(lambda t: p(t, num=(1, 0)), lambda t: p(t, num=(1, 1)), lambda t: p(t, num=(1, 2))),
        numbering=abstract(10, OUTLINE_LEVELS) + num(1, 10),
    )
    path = tmp_path / "材料.docx"
    path.write_bytes(data)
    assert cli_main(["parse", str(path)]) == 0
    shown = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "（二）在带头固本培元、增强党性方面" in shown and "1.党性锻炼有所放松。" in shown
    cli_main(["check", str(path), "--meeting-date", "2026-01-15"])
    checked = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "structure.style" not in checked and "structure.numbering" not in checked
    assert "没有具体事例" not in checked


async def test_a_word_file_numbered_by_word_is_reviewed_and_imported_in_the_chat(chat: Chat) -> None:
    await chat.say("/start")
    data = word(
        *_material(lambda t: p(t, num=(1, 0)), lambda t: p(t, num=(1, 1)), lambda t: p(t, num=(1, 2))),
        numbering=abstract(10) + num(1, 10),
    )
    entries = await chat.harness.upload(chat.user_id, "对照检查.docx", data, "application/octet-stream")
    reply = "\n".join(e.text or "" for e in entries)
    assert "已读取《对照检查.docx》" in reply
    assert "层" not in reply and "编号" not in reply and "没能归入" not in reply
    reply = await chat.press("导入为新材料，继续修改")
    assert "已导入为新材料" in reply
    full = await chat.press("查看全文")
    assert "（二）在带头固本培元、增强党性方面" in full and "党性锻炼有所放松" in full


BROKEN_POINT = "政治敏锐性不强。在讨论老旧小区改造方案时，对群众的<br>实际诉求考虑不周。"


async def test_a_sentence_broken_with_shift_enter_is_named_in_words_for_word(chat: Chat) -> None:
    """A line break typed inside a sentence of a Word file is no PDF copy's damage: the note is
    advice (供参考) on Word's manual line break, and the sentence is read whole, so nothing else
    comes of it. The same break in a pasted text is still said to come from a copy."""
    await chat.say("/start")
    data = word(*_material(p, p, lambda t: p(BROKEN_POINT if t == POINT_2 else t)))
    entries = await chat.harness.upload(chat.user_id, "对照检查.docx", data, "application/octet-stream")
    reply = "\n".join(e.text or "" for e in entries)
    assert "有1处句子中间用了手动换行（Shift+Enter），如“对群众的⏎实际诉求”" in reply
    assert "删去句子中间的手动换行符" in reply and "PDF" not in reply
    found = review(parse_bytes("材料.docx", data))
    assert [f.severity.value for f in found if f.rule == "text.capture"] == ["info"]
    assert not [f for f in found if f.severity.value != "info"]
    signed = word(*_material(p, p, p), p("以上对照检查，请批评指正<br>对照检查人：张三<br>2026年1月5日"))
    assert not [f for f in review(parse_bytes("材料.docx", signed)) if f.rule == "text.capture"]
    typed = "\n".join(_material(str, str, str)).replace(POINT_2, BROKEN_POINT.replace("<br>", "\n"))
    copied = [f.message for f in review(parse_bytes("材料.txt", typed.encode())) if f.rule == "text.capture"]
    assert len(copied) == 1 and "像是从PDF或网页复制" in copied[0]


def _points(*numbers: tuple[int, int], aspects: tuple[int, int] = (1, 1)) -> list[str]:
    """Two aspects (list ``aspects`` = (numId, ilvl)) with the points numbered by ``numbers``
    (numId, ilvl) in turn: two under the first aspect, one under the second."""
    marks = iter(numbers)
    return [
        p(ASPECT_1, num=aspects),
        p(POINT_1, num=next(marks)),
        p(POINT_2, num=next(marks)),
        p(ASPECT_2, num=aspects),
        p(POINT_3, num=next(marks)),
    ]


NO_RESTART = level(2, "decimal", "%3.", extra='<w:lvlRestart w:val="0"/>')
LEGAL = level(1, "decimal", "%1.%2", extra="<w:isLgl/>")
CUSTOM = (
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><mc:AlternateContent><mc:Choice Requires="w14">'
    '<w:numFmt w:val="custom" w:format="01, 02, 03, ..."/></mc:Choice><mc:Fallback>'
    '<w:numFmt w:val="decimalZero"/></mc:Fallback></mc:AlternateContent><w:lvlText w:val="%3."/></w:lvl>'
)
POINTS = (1, 2), (1, 2), (1, 2)
COUNTED = {
    "never restarted (lvlRestart 0) the points run on": (
        _points(*POINTS),
        abstract(10, OUTLINE_LEVELS.replace(level(2, "decimal", "%3."), NO_RESTART)) + num(1, 10),
        ["（一）", "1.", "2.", "（二）", "3."],
    ),
    "a list started again (startOverride) and one going on share the counting": (
        _points((2, 2), (3, 2), (1, 2)),
        abstract(10) + num(1, 10) + num(2, 10, restart={2: 1}) + num(3, 10),
        ["（一）", "1.", "2.", "（二）", "1."],
    ),
    "a list starting its points at 5 (设置编号值)": (
        _points((2, 2), (2, 2), (1, 2)),
        abstract(10) + num(1, 10) + num(2, 10, restart={2: 5}),
        ["（一）", "5.", "6.", "（二）", "1."],
    ),
    "a level a list redefines (lvlOverride with a level)": (
        _points(*POINTS),
        abstract(10) + num(1, 10, redefine={2: level(2, "chineseCounting", "%3是")}),
        ["（一）", "一是", "二是", "（二）", "一是"],
    ),
    "legal numbering (isLgl) writes the aspect's number in digits": (
        _points((1, 1), (1, 1), (1, 1), aspects=(1, 0)),
        abstract(10, level(0, "chineseCounting", "%1、") + LEGAL) + num(1, 10),
        ["一、", "1.1", "1.2", "二、", "2.1"],
    ),
    "a format Word 2010 writes in markup compatibility is read by its fallback": (
        _points(*POINTS),
        abstract(10, OUTLINE_LEVELS.replace(level(2, "decimal", "%3."), CUSTOM)) + num(1, 10),
        ["（一）", "01.", "02.", "（二）", "01."],
    ),
    "letters and roman numerals as Word writes them past z and at 49": (
        _points(*POINTS),
        abstract(10, level(1, "lowerRoman", "%2.", start=49) + level(2, "lowerLetter", "%3)", start=26))
        + num(1, 10),
        ["xlix.", "z)", "aa)", "l.", "z)"],
    ),
}


@pytest.mark.parametrize("case", COUNTED)
def test_word_lists_are_counted_as_word_counts_them(case: str) -> None:
    blocks, numbering, markers = COUNTED[case]
    lines = parse_bytes("材料.docx", word(p(TITLE), *blocks, numbering=numbering)).text.splitlines()[1:]
    texts = (ASPECT_1, POINT_1, POINT_2, ASPECT_2, POINT_3)
    assert lines == [marker + text for marker, text in zip(markers, texts, strict=True)]


ATTRIBUTE = st.one_of(
    st.sampled_from(["0", "1", "2", "8", "9", "-1", "x", "", " 3", "99999999999999999999", "３"]),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=4),
)
FORMAT = st.sampled_from(["decimal", "chineseCounting", "lowerRoman", "upperLetter", "bullet", "none", "odd"])


def _attribute(name: str, value: str | None) -> str:
    return "" if value is None else f" w:{name}={quoteattr(value)}"


def _element(tag: str, value: str | None) -> str:
    return "" if value is None else f"<w:{tag}{_attribute('val', value)}/>"


LEVEL_XML = st.builds(
    lambda ilvl, start, fmt, text, restart, legal: (
        f"<w:lvl{_attribute('ilvl', ilvl)}>{_element('start', start)}{_element('numFmt', fmt)}"
        f"{_element('lvlRestart', restart)}{'<w:isLgl/>' if legal else ''}{_element('lvlText', text)}</w:lvl>"
    ),
    st.none() | ATTRIBUTE,
    st.none() | ATTRIBUTE,
    st.none() | FORMAT,
    st.none() | st.text(alphabet="%1234567890、（）.是", max_size=8),
    st.none() | ATTRIBUTE,
    st.booleans(),
)
NUM_XML = st.builds(
    lambda num_id, abstract_id, ilvl, start: (
        f"<w:num{_attribute('numId', num_id)}>{_element('abstractNumId', abstract_id)}"
        f"<w:lvlOverride{_attribute('ilvl', ilvl)}>{_element('startOverride', start)}</w:lvlOverride></w:num>"
    ),
    st.sampled_from(["1", "2", "x"]),
    st.none() | st.sampled_from(["1", "2", "9", ""]),
    st.none() | ATTRIBUTE,
    st.none() | ATTRIBUTE,
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["1", "2"]), st.lists(LEVEL_XML, max_size=4)), max_size=2),
    st.lists(NUM_XML, max_size=3),
    st.lists(st.tuples(st.sampled_from([1, 2, 3]), st.integers(0, 9)), min_size=1, max_size=5),
)
@example(
    [("1", ['<w:lvl w:ilvl="0"><w:start w:val="99999"/><w:numFmt w:val="lowerRoman"/></w:lvl>'])],
    [],
    [(1, 0)],
)
@example(
    [],
    ['<w:num w:numId="1"><w:lvlOverride w:ilvl="z"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'],
    [(1, 0)],
)
def test_any_numbering_part_gives_a_reading(
    abstracts: list[tuple[str, list[str]]], nums: list[str], paragraphs: list[tuple[int, int]]
) -> None:
    """Whatever a tool wrote in numbering.xml, the file is read: a marker Word could not write is
    left out or written in digits, never an error or a marker longer than a line's start."""
    numbering = "".join(
        f'<w:abstractNum w:abstractNumId="{i}">{"".join(xml)}</w:abstractNum>' for i, xml in abstracts
    )
    data = word(
        *(p(f"第{n}段", num=pair) for n, pair in enumerate(paragraphs)), numbering=numbering + "".join(nums)
    )
    lines = parse_bytes("材料.docx", data).text.splitlines()
    assert len(lines) == len(paragraphs)
    assert all(line.endswith(f"第{n}段") and len(line) < 40 for n, line in enumerate(lines))


async def test_a_measures_table_numbered_by_word_lists_one_measure_a_row(chat: Chat) -> None:
    """Units tabulate measures under 序号 | 整改措施 | 责任领导 | 完成时限, the 序号 column numbered by
    Word (1. 2. in no cell's text): each row is one measure, not a "1." heading a level too deep."""
    await chat.say("/start")
    measures = ("每周自学不少于4小时，系统学习党的创新理论", "每季度到联系点调研1次，解决群众急难愁盼问题")
    header = [p("序号"), p("整改措施"), p("责任领导"), p("完成时限")]
    rows = [[p("", num=(2, 0)), p(measure), p("张三"), p("2026年6月底前")] for measure in measures]
    data = word(
        *_material(lambda t: p(t, num=(1, 0)), lambda t: p(t, num=(1, 1)), lambda t: p(t, num=(1, 2)))[:-1],
        table(header, *rows),
        numbering=abstract(10) + num(1, 10) + abstract(20, level(0, "decimal", "%1.")) + num(2, 20),
    )
    entries = await chat.harness.upload(chat.user_id, "对照检查.docx", data, "application/octet-stream")
    reply = "\n".join(e.text or "" for e in entries)
    assert "已读取《对照检查.docx》" in reply and "跳过" not in reply and "层" not in reply
    await chat.press("导入为新材料，继续修改")
    full = await chat.full_text()
    for n, measure in zip("一二", measures, strict=True):
        assert f"（{n}）{measure}。责任领导：张三；完成时限：2026年6月底前。" in full


async def test_a_file_with_tracked_changes_says_so_under_its_name(chat: Chat) -> None:
    """A reviewer's tracked changes are read as accepted, and the reply says so first, under the
    file's name, where a long review's findings that do not fit in the chat cannot take it along."""
    await chat.say("/start")
    data = word(
        p(TITLE),
        p(OPENING, inserted("征求意见9条，"), REPORT),
        p("存在的主要问题", num=(1, 0)),
        p(ASPECT_1, num=(1, 1)),
        p(POINT_1[:9], deleted("学得不深。"), inserted(POINT_1[9:]), num=(1, 2)),
        numbering=abstract(10) + num(1, 10),
        comment_on="理论学习不够系统",
    )
    entries = await chat.harness.upload(chat.user_id, "对照检查.docx", data, "application/octet-stream")
    reply = "\n".join(e.text or "" for e in entries)
    first = reply.split("\n")[0]
    assert first.startswith("已读取《对照检查.docx》")
    assert "文件中有尚未接受的修订，已按全部接受后的文字审核" in first and "接受所有修订" in first
    assert reply.count("尚未接受的修订") == 1
    assert "学得不深" not in reply and "审稿意见" not in reply
    await chat.press("导入为新材料，继续修改")
    full = await chat.press("查看全文")
    assert "征求意见9条" in full and POINT_1 in full and "学得不深" not in full
    plain = word(*_material(p, p, p))
    entries = await chat.harness.upload(chat.user_id, "定稿.docx", plain, "application/octet-stream")
    assert "修订" not in "\n".join(e.text or "" for e in entries)


DATED = (
    "2025年以来参加中心组学习12次，发言不够深入，比如3月的专题研讨。",
    "3月份调研2次，比如老旧小区改造只听了汇报。",
)


@pytest.mark.parametrize("shown", ["%3、", "%3．", "%3"])
def test_a_date_after_any_arabic_number_word_writes_starts_a_point(shown: str) -> None:
    """1、 and 1． lists (and a bare number, set apart by its tab) keep a point opening with a
    date apart from its number, as 1. lists do."""
    levels = OUTLINE_LEVELS.replace(level(2, "decimal", "%3."), level(2, "decimal", shown))
    data = word(
        p(ASPECT_1, num=(1, 1)),
        *(p(text, num=(1, 2)) for text in (POINT_1, *DATED)),
        numbering=abstract(10, levels) + num(1, 10),
    )
    result = parse_bytes("材料.docx", data)
    lines = result.text.splitlines()
    assert lines[2:] == [f"{shown.replace('%3', str(n))} {text}" for n, text in enumerate(DATED, 2)]
    if shown != "%3":  # a bare number is no marker of this genre, typed or written by Word
        assert len(outline(result)) == 5


async def test_points_word_numbers_that_open_with_a_year_are_points_of_their_own(chat: Chat) -> None:
    """Word sets its number apart from the text, so "2." before "2025年以来……" is no number 2.2025:
    each point starting with a date is one point, as it is on the page, not the end of the last."""
    await chat.say("/start")
    dated = DATED
    data = word(
        *_material(
            lambda t: p(t, num=(1, 0)),
            lambda t: p(t, num=(1, 1)),
            lambda t: (
                p(t, num=(1, 2)) + "".join(p(d, num=(1, 2)) for d in dated)
                if t == POINT_2
                else p(t, num=(1, 2))
            ),
        ),
        numbering=abstract(10) + num(1, 10),
    )
    result = parse_bytes("材料.docx", data)
    assert outline(result)[2:6] == [
        f"  （一）{ASPECT_1}",
        "    1.理论学习不够系统。",
        "    2.政治敏锐性不强。",
        "    3.2025年以来参加中心组学习12次，发言不够深入，比如3月的专题研讨。",
    ]
    entries = await chat.harness.upload(chat.user_id, "对照检查.docx", data, "application/octet-stream")
    assert "已读取《对照检查.docx》" in "\n".join(e.text or "" for e in entries)
    await chat.press("导入为新材料，继续修改")
    full = await chat.press("查看全文")
    assert f"三是{dated[0]}" in full and f"四是{dated[1]}" in full


SEGMENT = st.tuples(
    st.sampled_from(["kept", "inserted", "deleted", "moved away", "moved here", "inserted then deleted"]),
    st.text(alphabet="查摆问题不够深入，。2025年一是（）", min_size=1, max_size=6),
)
WRITE = {
    "kept": run,
    "inserted": inserted,
    "deleted": deleted,
    "moved away": lambda t: moved(t, away=True),
    "moved here": lambda t: moved(t, away=False),
    "inserted then deleted": inserted_then_deleted,
}
SHOWN = ("kept", "inserted", "moved here")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(SEGMENT, min_size=1, max_size=5), st.booleans()), min_size=1, max_size=4))
def test_tracked_changes_read_as_all_accepted(paragraphs: list[tuple[list[tuple[str, str]], bool]]) -> None:
    """Whatever a reviewer inserted, deleted or moved, the text read is the text with all changes
    accepted: insertions and moved text where it went, nothing deleted or moved away; a paragraph
    whose mark was deleted runs on into the next, or is gone if nothing of it is left. The file is
    said to hold changes exactly when it does."""
    data = word(
        *(
            p(*(WRITE[kind](text) for kind, text in segments), mark="deleted" if joined else None)
            for segments, joined in paragraphs
        )
    )
    expected: list[str] = []
    carried = ""
    for segments, joined in paragraphs:
        words = "".join(text for kind, text in segments if kind in SHOWN)
        if joined:
            carried += words
        else:
            expected.append(carried + words)
            carried = ""
    if carried:
        expected.append(carried)
    read = docx_text(data)
    assert read.text.split("\n") == (expected or [""])
    assert read.revisions == any(
        joined or any(kind != "kept" for kind, _ in segments) for segments, joined in paragraphs
    )


async def test_measures_in_a_templates_repeating_section_are_read(chat: Chat) -> None:
    """A unit's template holds its measures table's rows in a repeating section (a content control
    around the rows): every row is a measure, none is lost on the way to the imported material."""
    await chat.say("/start")
    measures = ("每周自学不少于4小时，系统学习党的创新理论", "每季度到联系点调研1次，解决群众急难愁盼问题")
    rows = [tr(p(str(n)), p(measure), p("张三"), p("2026年6月底前")) for n, measure in enumerate(measures, 1)]
    data = word(
        *_material(lambda t: p(t, num=(1, 0)), lambda t: p(t, num=(1, 1)), lambda t: p(t, num=(1, 2)))[:-1],
        table([p("序号"), p("整改措施"), p("责任领导"), p("完成时限")], control(*rows)),
        numbering=abstract(10) + num(1, 10),
    )
    await chat.harness.upload(chat.user_id, "对照检查.docx", data, "application/octet-stream")
    await chat.press("导入为新材料，继续修改")
    full = await chat.full_text()
    for n, measure in zip("一二", measures, strict=True):
        assert f"（{n}）{measure}。责任领导：张三；完成时限：2026年6月底前。" in full


def test_every_word_of_an_oddly_gridded_table_is_read() -> None:
    """Tables other tools write, which Word still opens: a merged cell continuing nothing above,
    a span of no columns or of a malformed count, a cell in a content control. Each word is read
    once, and a row spanning columns keeps the next cell under its own header."""
    odd = table(
        [f"<w:tcPr><w:vMerge/></w:tcPr>{p('甲')}", p("乙")],
        [
            f'<w:tcPr><w:gridSpan w:val="0"/></w:tcPr>{p("丙")}',
            f'<w:tcPr><w:gridSpan w:val="x"/></w:tcPr>{p("丁")}',
        ],
        "<w:tr>" + control("<w:tc>" + p("戊") + "</w:tc>") + "<w:tc>" + p("己") + "</w:tc></w:tr>",
    )
    assert docx_text(word(p("前"), odd, p("后"))).text.split("\n") == [
        "前",
        "甲",
        "乙",
        "丙",
        "丁",
        "戊",
        "己",
        "后",
    ]
    spanned = table(
        [p("序号"), p("整改措施"), p("责任领导"), p("完成时限")],
        [p("1"), f'<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>{p("每周自学不少于4小时")}', p("2026年6月底前")],
    )
    assert docx_text(word(spanned)).text == "一是每周自学不少于4小时。完成时限：2026年6月底前。"


def test_a_number_taken_away_with_changes_tracked_is_a_change_to_tell() -> None:
    """A reviewer took a paragraph out of the list with changes tracked: read as accepted, it has
    no number, and the file is said to hold changes, as its text alone would not show."""
    listed = '<w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr>'
    before = f'<w:pPrChange w:id="9" w:author="审稿人"><w:pPr>{listed}</w:pPr></w:pPrChange>'
    data = word(
        p(ASPECT_1, num=(1, 1)),
        p(POINT_1, num=(1, 2)),
        f"<w:p><w:pPr>{before}</w:pPr>{run(POINT_2)}</w:p>",
        numbering=abstract(10) + num(1, 10),
    )
    read = docx_text(data)
    assert read.text.split("\n") == [f"（一）{ASPECT_1}", f"1.{POINT_1}", POINT_2]
    assert read.revisions
    assert not docx_text(word(p(ASPECT_1, num=(1, 1)), numbering=abstract(10) + num(1, 10))).revisions
