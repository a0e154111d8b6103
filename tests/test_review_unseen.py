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


def test_causes_written_in_the_eight_rules_part_are_sent_to_the_causes() -> None:
    text = (
        f"{TITLE}\n{OPENING}\n一、存在的主要问题\n（一）在带头强化政治忠诚、提高政治能力方面\n"
        "一是学习不够系统。比如，今年参加集中学习6次，思想认识不深。\n"
        "二、深入贯彻中央八项规定精神学习教育整改整治情况\n"
        "学习教育中我查摆出差旅报销方面问题2个，均已整改。究其原因，是我规矩意识有所放松。"
        "根源在于理想信念有所松懈，对小节问题的危害认识不足。\n"
        "三、产生问题的原因\n（一）党性修养有所放松。\n"
        "四、努力方向和整改措施\n（一）每周自学不少于3小时，2026年6月底前完成专题学习。\n"
    )
    (found,) = _findings("structure.sections.misplaced", text)
    assert "产生问题的原因" in found.message and "整改整治情况" in found.suggestion
