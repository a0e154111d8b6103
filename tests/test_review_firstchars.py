"""Configured word lists run behind a lookahead on their first characters, with the same matches."""

from __future__ import annotations

import re

import pytest

from bot.review.config import Params, load_config
from bot.review.firstchars import compile_with_first_chars

TEXT = (
    "XX市委召开*年度民主生活会，xx区有X个村未落实；县*局20**年工作——本文来源：网络&nbsp;<br>。"
    "比如2025年3月，我在推进“两个维护”时有差距；有的同志对个别同志要求不严（  ）。____\n"
    "对自己要求过于严格，常常加班加点。工作忙、任务重是客观原因。ab-cd混入拼音。"
)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?<![A-Za-z])[XxＸｘ]{2,}(?![A-Za-z])|(?<=[\u4e00-\u9fff])[XxＸｘ](?=[\u4e00-\u9fff])",
        r"某某|[_＿]{3,}|[（(][ 　]*[）)]",
        r"(?:有的|个别)(?:同志|干部)",
        r"取得[^。；]{0,10}(?:成效|成绩)|(?<=。)比如",
    ],
)
def test_the_lookahead_is_added_and_matches_stay_the_same(pattern: str) -> None:
    plain = re.compile(pattern)
    fast = compile_with_first_chars(pattern)
    assert fast.pattern != plain.pattern
    assert [m.span() for m in fast.finditer(TEXT)] == [m.span() for m in plain.finditer(TEXT)]


@pytest.mark.parametrize(
    "pattern",
    [r"\d+年", r"(?:在)?推进", r"[^。]{2}", r"x|", r".是", r"(?i)xx", r"(?i:x)x", r"[\u4e00-\u9fff]{2}"],
)
def test_patterns_that_may_start_anywhere_are_left_as_they_are(pattern: str) -> None:
    assert compile_with_first_chars(pattern).pattern == pattern


def test_an_invalid_pattern_is_reported_as_re_compile_reports_it() -> None:
    with pytest.raises(re.error):
        compile_with_first_chars("(未闭合")


def test_every_packaged_word_list_matches_alike_with_and_without_the_lookahead() -> None:
    lists = 0
    for rule_id, values in load_config().params_by_id.items():
        for key, value in values.items():
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                plain = re.compile("|".join(f"(?:{v})" for v in value))
                fast = Params(rule_id, values).pattern(key)
                assert [m.span() for m in fast.finditer(TEXT)] == [m.span() for m in plain.finditer(TEXT)], (
                    f"{rule_id}.{key}"
                )
                lists += 1
    assert lists > 10
