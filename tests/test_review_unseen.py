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


def test_a_term_quoted_inside_a_quotation_with_its_marks_turned_round_is_named() -> None:
    text = (
        f"{TITLE}\n按照县委通知要求，会前我紧扣“学习贯彻全会精神，为实现”十五五“良好开局奠定基础”"
        "这一主题查找差距。现将情况报告如下：\n"
    )
    (found,) = _findings("text.punctuation.quotes", text)
    assert text[found.span[0] : found.span[0] + 5] == "”十五五“"
    assert "写反" in found.message and "‘十五五’" in found.suggestion


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


def test_a_problem_written_as_achievements_with_a_token_shortfall_is_named() -> None:
    text = (
        f"{TITLE}\n{OPENING}\n一、存在的主要问题\n（一）在带头干事创业、担当作为方面\n"
        "一是理论学习方面。今年以来，我始终把理论学习摆在首位，认真参加中心组学习12次，"
        "撰写心得体会5篇，学习取得了较好成效，得到了县委的肯定。对照更高要求，还有差距。\n"
        "二是抓落实不够到位。虽然今年全镇项目建设取得了一定成效，但3个重点项目进度滞后，"
        "比如污水管网项目征地拖了4个月，我没有及时协调，思想上有等靠心理。\n"
    )
    (found,) = _findings("problems.praise", text)
    assert text[slice(*found.span)].startswith("理论学习方面。今年以来")
    assert "“还有差距”" in found.suggestion and "具体表现" in found.suggestion
