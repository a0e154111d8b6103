"""The shared numbering vocabulary: formatting, matching and finding every device."""

from __future__ import annotations

import itertools

import pytest

from bot.numbering import (
    MAX_NUMBER,
    MarkerStyle,
    chinese_numeral,
    find_markers,
    format_marker,
    match_marker,
    parse_chinese_numeral,
)

S = MarkerStyle

# fmt: off
CHINESE_1_TO_30 = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
    "二十一", "二十二", "二十三", "二十四", "二十五", "二十六", "二十七", "二十八", "二十九", "三十",
]
# fmt: on


@pytest.mark.parametrize(("n", "numeral"), list(enumerate(CHINESE_1_TO_30, start=1)))
def test_chinese_numerals_both_ways(n: int, numeral: str) -> None:
    assert chinese_numeral(n) == numeral
    assert parse_chinese_numeral(numeral) == n


@pytest.mark.parametrize("bad", ["三一", "一二三", "零", "一百", "十十", "两"])
def test_parse_rejects_non_numerals_and_out_of_range(bad: str) -> None:
    assert parse_chinese_numeral(bad) is None


def test_marker_numerals_agree_with_cn2an_in_both_directions() -> None:
    """Markers read and write 1..99 themselves (cn2an costs 60 ms to import); cn2an is the reference:
    every string of up to four numeral characters reads as cn2an's strict mode reads it."""
    import cn2an

    assert [chinese_numeral(n) for n in range(1, MAX_NUMBER + 1)] == [
        cn2an.an2cn(n) for n in range(1, MAX_NUMBER + 1)
    ]
    for length in range(1, 5):
        for chars in itertools.product("一二三四五六七八九十", repeat=length):
            text = "".join(chars)
            try:
                expected: int | None = int(cn2an.cn2an(text, "strict"))
            except ValueError:
                expected = None
            if expected is not None and not 1 <= expected <= MAX_NUMBER:
                expected = None
            assert parse_chinese_numeral(text) == expected, text


@pytest.mark.parametrize(
    ("style", "n", "marker"),
    [
        (S.LEVEL1, 1, "一、"),
        (S.LEVEL1, 12, "十二、"),
        (S.LEVEL2, 3, "（三）"),
        (S.LEVEL2, 20, "（二十）"),
        (S.LEVEL3, 4, "4."),
        (S.LEVEL3, 17, "17."),
        (S.LEVEL4, 5, "（5）"),
        (S.RUN_IN, 2, "二是"),
        (S.RUN_IN, 11, "十一是"),
        (S.RUN_IN, 99, "九十九是"),
        (S.ORDINAL, 3, "第三，"),
    ],
)
def test_format_marker(style: MarkerStyle, n: int, marker: str) -> None:
    assert format_marker(style, n) == marker


@pytest.mark.parametrize("n", [0, -1, MAX_NUMBER + 1])
def test_format_marker_rejects_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        format_marker(S.LEVEL1, n)


@pytest.mark.parametrize("style", list(MarkerStyle))
@pytest.mark.parametrize("n", range(1, 31))
def test_every_formatted_marker_matches_back(style: MarkerStyle, n: int) -> None:
    marker = format_marker(style, n)
    found = match_marker(marker + "正文")
    assert found is not None
    assert (found.style, found.number, found.span, found.text) == (style, n, (0, len(marker)), marker)
    assert found.canonical and not found.half_width


@pytest.mark.parametrize(
    ("text", "style", "number", "half_width"),
    [
        ("(二)学习方面", S.LEVEL2, 2, True),
        ("（二)学习方面", S.LEVEL2, 2, True),
        ("(12)内容", S.LEVEL4, 12, True),
        ("3、内容", S.LEVEL3, 3, False),
        ("3．内容", S.LEVEL3, 3, False),
        ("１０.内容", S.LEVEL3, 10, False),
        ("第二、内容", S.ORDINAL, 2, False),
        ("第二：内容", S.ORDINAL, 2, False),
    ],
)
def test_match_accepts_input_variants_as_non_canonical(
    text: str, style: MarkerStyle, number: int, half_width: bool
) -> None:
    found = match_marker(text)
    assert found is not None
    assert (found.style, found.number, found.half_width) == (style, number, half_width)
    assert not found.canonical


@pytest.mark.parametrize(
    "text",
    ["学习不够", "2.5亿元", "2024年", "三一是", "一百是", "（三一）", "（0）", "0.内容", "第一次", "是"],
)
def test_match_rejects_non_markers(text: str) -> None:
    assert match_marker(text) is None


def test_match_at_position_and_style_filter() -> None:
    text = "学习方面（二）存在差距"
    found = match_marker(text, pos=4)
    assert found is not None and found.span == (4, 7) and found.number == 2
    assert match_marker(text, pos=4, styles=[S.LEVEL1]) is None


def test_find_run_in_markers_in_paragraph() -> None:
    text = "对照检查，存在差距：一是学习不深。二是作风不实，十一是例子；第三，坚持统一是目标"
    found = find_markers(text)
    assert [(m.style, m.number) for m in found] == [
        (S.RUN_IN, 1),
        (S.RUN_IN, 2),
        (S.RUN_IN, 11),
        (S.ORDINAL, 3),
    ]
    assert [text[m.start : m.end] for m in found] == ["一是", "二是", "十一是", "第三，"]


@pytest.mark.parametrize("text", ["统一是目标", "唯一是出路", "第一是", "坚持一是一", "十五是", "三十一是"])
def test_find_ignores_markers_glued_to_words(text: str) -> None:
    assert find_markers("前文" + text) == []


def test_find_all_styles_needs_sentence_break_except_for_run_in() -> None:
    text = "增长2.5倍，1.不算\n1.算；（2）算，（3）不算，三是算"
    found = find_markers(text, tuple(MarkerStyle))
    assert [m.text for m in found] == ["1.", "（2）", "三是"]
