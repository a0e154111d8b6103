"""Text, Markdown and .docx renderings of one small material, all numbered by the shared outline."""

from __future__ import annotations

import pytest

from bot.document import Document, Item, Section, SectionRole
from bot.render import outline
from bot.render.text import escape_markdown, render_markdown, render_text


def sample() -> Document:
    return Document(
        title="李四同志2025年度民主生活会个人对照检查材料",
        byline="（区水务局 李四）",
        sections=[
            Section(SectionRole.PREAMBLE, None, paragraphs=["会前本人认真学习，广泛征求意见，现报告如下："]),
            Section(
                SectionRole.PROBLEMS,
                "存在的主要问题",
                subsections=[
                    Section(
                        SectionRole.PROBLEMS,
                        "在带头强化政治忠诚方面",
                        items=[
                            Item.from_text("学习缺乏系统性。比如全年只读了3本原著。"),
                            Item("对照要求有差距。"),
                        ],
                    ),
                    Section(
                        SectionRole.PROBLEMS,
                        "在带头干事创业方面",
                        items=[Item("调研不深。", "例如河道整治项目只去过1次。")],
                    ),
                ],
            ),
            Section(
                SectionRole.CAUSES,
                "产生问题的原因",
                paragraphs=["根子在思想上。"],
                items=[Item("理想信念有所松懈。"), Item("宗旨意识*淡化*。", "联系群众_少_。")],
            ),
        ],
    )


EXPECTED_TEXT = """\
李四同志2025年度民主生活会个人对照检查材料
（区水务局 李四）
会前本人认真学习，广泛征求意见，现报告如下：
一、存在的主要问题
（一）在带头强化政治忠诚方面
一是学习缺乏系统性。比如全年只读了3本原著。
二是对照要求有差距。
（二）在带头干事创业方面
调研不深。例如河道整治项目只去过1次。
二、产生问题的原因
根子在思想上。
（一）理想信念有所松懈。
（二）宗旨意识*淡化*。联系群众_少_。"""

EXPECTED_MARKDOWN = """\
# 李四同志2025年度民主生活会个人对照检查材料

（区水务局 李四）

会前本人认真学习，广泛征求意见，现报告如下：

## 一、存在的主要问题

### （一）在带头强化政治忠诚方面

一是学习缺乏系统性。比如全年只读了3本原著。

二是对照要求有差距。

### （二）在带头干事创业方面

调研不深。例如河道整治项目只去过1次。

## 二、产生问题的原因

根子在思想上。

（一）理想信念有所松懈。

（二）宗旨意识\\*淡化\\*。联系群众\\_少\\_。
"""


def test_render_text() -> None:
    assert render_text(sample()) == EXPECTED_TEXT


def test_render_markdown() -> None:
    assert render_markdown(sample()) == EXPECTED_MARKDOWN


def test_numbering_follows_position_not_input() -> None:
    doc = sample()
    del doc.sections[1]
    assert "一、产生问题的原因" in render_text(doc).splitlines()


def test_items_before_aspects_share_the_count() -> None:
    section = Section(
        SectionRole.OTHER, "其他", items=[Item("甲。")], subsections=[Section(SectionRole.OTHER, "乙")]
    )
    assert [line.display for line in outline(Document(None, sections=[section]))] == [
        "一、其他",
        "（一）甲。",
        "（二）乙",
    ]


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        (True, ["一、产生问题的原因", "理想信念有所松懈。放松了理论学习。"]),
        (False, ["一、产生问题的原因", "（一）理想信念有所松懈\n放松了理论学习"]),
    ],
)
def test_a_lone_point_of_several_lines_never_prints_as_bare_paragraphs(
    typed: bool, printed: list[str]
) -> None:
    """Bare lines under a level-1 heading read back as a point each: a chat-written point runs its
    lines on in one paragraph; an uploaded file's, printed as given, keeps its number."""
    causes = Section(
        SectionRole.CAUSES, "产生问题的原因", items=[Item("理想信念有所松懈", "\n放松了理论学习")]
    )
    assert [line.display for line in outline(Document(None, sections=[causes], typed=typed))] == printed


def test_outline_rejects_nesting_deeper_than_four_levels() -> None:
    section = Section(SectionRole.OTHER, "五级")
    for depth in range(4, 0, -1):
        section = Section(SectionRole.OTHER, f"{depth}级", subsections=[section])
    with pytest.raises(ValueError):
        outline(Document(None, sections=[section]))


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a*b_c`d", "a\\*b\\_c\\`d"),
        ("[链接](网址)", "\\[链接\\](网址)"),
        ("<b>&amp;", "\\<b\\>\\&amp;"),
        ("# 不是标题 #", "\\# 不是标题 \\#"),
        ("2024. 不是列表", "2024\\. 不是列表"),
        ("- 不是列表", "\\- 不是列表"),
        ("第一行\n+ 第二行", "第一行\\\n\\+ 第二行"),
        ("完成率98.5%，a-b", "完成率98.5%，a-b"),
        ("反斜杠\\", "反斜杠\\\\"),
    ],
)
def test_escape_markdown(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped
