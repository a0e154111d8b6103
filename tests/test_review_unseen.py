"""The review on texts it was not written for: slips seen in published materials, said as a reviewer
would say them. The wording here is written for these tests, in the style of real materials."""

from __future__ import annotations

from bot.review import Finding, review_text

TITLE = "2025年度民主生活会个人对照检查材料"
OPENING = "按照县委通知要求，会前我学习了有关文件，征求意见建议12条。现将对照检查情况报告如下："


def _findings(rule: str, text: str, **options: object) -> list[Finding]:
    return [f for f in review_text(text, **options) if f.rule == rule]


def test_quotes_written_the_wrong_way_round_are_named_as_reversed() -> None:
    text = f"{TITLE}\n按照县委通知要求，会前我对照”十五五“规划查找差距。现将情况报告如下：\n"
    (found,) = _findings("text.punctuation.quotes", text)
    assert text[slice(*found.span)] == "”"
    assert "写反" in found.message and "“在前" in found.suggestion


def test_a_quote_missing_its_half_is_still_said_to_be_unpaired() -> None:
    text = f"{TITLE}\n按照县委通知要求，会前我对照十五五”规划查找差距。现将情况报告如下：\n"
    (found,) = _findings("text.punctuation.quotes", text)
    assert "没有成对" in found.message and "写反" not in found.message
