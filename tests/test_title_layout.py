"""Title lines of the official .docx: whole words, balanced, trapezoid or diamond, no lone character."""

from __future__ import annotations

import itertools

import pytest

from bot.render.profile import load_profile
from bot.render.title import KEEP_WHOLE, text_width, title_lines

TITLES = [
    "王五同志2025年度民主生活会个人对照检查材料",
    "欧阳修远同志2025年度民主生活会个人对照检查材料",
    "李四同志2025年度民主生活会查摆问题整改落实情况报告",
    "中共青山县委员会常委班子2025年度民主生活会对照检查材料",
    "中共青山县人民政府党组领导班子2025年度民主生活会对照检查材料",
    "青山县人民政府党组领导班子关于学习贯彻习近平新时代中国特色社会主义思想主题教育专题民主生活会对照检查材料",
    "青山县人民政府办公室第一党支部全体党员2025年度组织生活会学习贯彻党的二十届四中全会精神对照检查发言提纲",
]


def test_the_gbt9704_title_line_holds_twenty_characters() -> None:
    assert load_profile().title_chars_per_line == 20  # 156 mm at 22 pt


@pytest.mark.parametrize("title", TITLES)
def test_long_titles_break_between_words_into_a_balanced_trapezoid_or_diamond(title: str) -> None:
    assert 20 <= len(title) <= 60
    lines = title_lines(title, 20)
    assert "".join(lines) == title and len(lines) >= 2
    widths = [text_width(line) for line in lines]
    assert max(widths) <= 20 and min(len(line) for line in lines) >= 2  # never a lone character
    peak = widths.index(max(widths))
    assert all(a <= b for a, b in itertools.pairwise(widths[: peak + 1]))
    assert all(a >= b for a, b in itertools.pairwise(widths[peak:]))
    ends = list(itertools.accumulate(len(line) for line in lines))[:-1]
    for end in ends:
        assert not (title[end - 1].isdigit() and title[end] == "年"), lines  # 2025年度 stays together
        for word in KEEP_WHOLE:
            start = title.find(word)
            assert start == -1 or not start < end < start + len(word), (word, lines)


def test_two_line_titles_are_balanced_at_the_natural_break() -> None:
    assert title_lines("王五同志2025年度民主生活会个人对照检查材料", 20) == [
        "王五同志2025年度",
        "民主生活会个人对照检查材料",
    ]
    assert title_lines("中共青山县人民政府党组领导班子2025年度民主生活会对照检查材料", 20) == [
        "中共青山县人民政府党组领导班子",
        "2025年度民主生活会对照检查材料",
    ]


def test_a_title_that_fits_stays_on_one_line_and_an_unbreakable_one_still_wraps() -> None:
    assert title_lines("张三同志2025年度组织生活会个人发言提纲", 20) == [
        "张三同志2025年度组织生活会个人发言提纲"
    ]
    lines = title_lines("对" * 41, 20)
    assert "".join(lines) == "对" * 41 and min(len(line) for line in lines) >= 2


def test_a_title_filling_the_line_to_the_last_character_is_broken_between_words() -> None:
    """The renderer spaces Chinese from digits (同志 2026 年度): a member's title with a three-character
    name, reckoned at exactly 20 without those gaps, would print 纲 alone on its second line."""
    assert title_lines("王建国同志2026年度组织生活会个人发言提纲", 20) == [
        "王建国同志2026年度",
        "组织生活会个人发言提纲",
    ]
    assert title_lines("王建同志2026年度组织生活会个人发言提纲", 20) == [
        "王建同志2026年度组织生活会个人发言提纲"
    ]
