"""The item checks: emoji-only, one sentence repeated, over-long; ordinary items pass."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.itemcheck import MAX_ITEM_CHARS, problem

GOOD = "调查研究不够深入。全年到基层调研14次，其中9次集中在城区，去偏远乡镇和困难企业偏少。"


@pytest.mark.parametrize("text", ["👍👍", "一是👍👍", "（一）🙂！！", "……", "  "])
def test_an_item_without_words_is_asked_about_not_stored(text: str) -> None:
    message = problem(text)
    assert message is not None and "请" in message and "例如" in message


@pytest.mark.parametrize("text", ["7", "12", "三是2026", "3.5%"])
def test_an_item_of_numbers_only_is_taken_for_a_mispressed_button(text: str) -> None:
    message = problem(text)
    assert message is not None and "没有文字" in message and "点按钮" in message


def test_one_sentence_repeated_is_spotted_however_long() -> None:
    text = "学习不够深入。" * 700  # about 5,000 characters
    message = problem(text)
    assert message is not None and "重复了700次" in message and "学习不够深入。" in message


def test_an_over_long_item_is_asked_to_be_split() -> None:
    sentences = [f"第{n}次调研发现的情况和原因分析均需进一步梳理并逐项整改落实到位。" for n in range(200)]
    message = problem("".join(sentences))
    assert message is not None and "拆成几条" in message


@pytest.mark.parametrize(
    "text",
    [
        GOOD,
        "一是" + GOOD,
        "党性锻炼有所放松。参加支部组织生活时以领导身份自居，全年讲党课仅1次。",
        "落实中央八项规定精神有松懈。3月一次接待超出标准，已自费补齐。",
        "对照要求查，对照要求改，对照要求落实。",  # a deliberate parallel, not a paste error
    ],
)
def test_ordinary_items_pass(text: str) -> None:
    assert problem(text) is None


def test_the_limit_is_counted_like_every_other_count() -> None:
    assert problem("好" * MAX_ITEM_CHARS) is None
    assert problem("好" * (MAX_ITEM_CHARS + 1)) is not None


@given(st.text())
def test_problem_is_total(text: str) -> None:
    result = problem(text)
    assert result is None or isinstance(result, str)


@pytest.mark.parametrize("text", ["好的", "好的。", "嗯嗯", "确定", " 确定删除 ", "收到！", "Ok", "不用了"])
def test_a_word_said_to_the_bot_is_asked_about_not_stored(text: str) -> None:
    message = problem(text)
    assert message is not None and "像是回复我的话" in message


@pytest.mark.parametrize("text", ["怎么写？", "这一步该怎么填", "不知道写什么", "帮助", "help", "有例子吗？"])
def test_a_question_put_to_the_bot_is_asked_about_not_stored(text: str) -> None:
    message = problem(text)
    assert message is not None and "像是在问我" in message


@pytest.mark.parametrize("text", ["存在不懂装懂现象。", "如何写好报告研究不够。", "不会写公文的问题未解决。"])
def test_a_sentence_holding_a_question_s_words_is_material(text: str) -> None:
    assert problem(text) is None


@pytest.mark.parametrize("text", ["2027年6月底前", "长期坚持 每季度", "3个月内", "立行立改。", "时限：年底"])
def test_a_deadline_alone_is_not_a_measure(text: str) -> None:
    message = problem(text)
    assert message is not None and "像是整改时限" in message


@pytest.mark.parametrize("text", ["每季度开展一次谈心谈话。", "立行立改，严格执行请示报告制度。"])
def test_a_measure_naming_its_deadline_is_material(text: str) -> None:
    assert problem(text) is None


@pytest.mark.parametrize(
    ("text", "command"), [("／check", "check"), ("、new", "new"), ("/ report", "report")]
)
def test_a_command_telegram_did_not_see_is_named_not_stored(text: str, command: str) -> None:
    message = problem(text)
    assert message is not None and "像是命令" in message and f"如 /{command}（" in message


@pytest.mark.parametrize("text", ["、WPS排版不规范。", "/ 对照检查", "、abcdefg"])
def test_a_sentence_after_a_slash_is_material(text: str) -> None:
    assert "像是命令" not in (problem(text) or "")
