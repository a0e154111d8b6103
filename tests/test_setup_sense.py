"""Set-up input as a new user types it: a notice's aspects pasted as one line, impossible dates."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dates import DateProblem, read_date
from bot.deadlines.parse import DeadlineProblem, parse_deadline
from tests.conftest import Chat


async def test_aspects_pasted_on_one_line_become_one_aspect_each(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("组织生活会发言提纲")
    await chat.press("粘贴本地通知中的方面")
    reply = await chat.say(
        "（一）学习贯彻党的创新理论情况（二）联系服务群众情况（三）发挥先锋模范作用情况（四）遵守纪律规矩情况"
    )
    assert "已记下4个方面" in reply
    assert "（三）发挥先锋模范作用情况" in reply and "（四）遵守纪律规矩情况" in reply


async def test_an_impossible_meeting_date_is_named_like_a_deadline_and_asked_again(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    reply = await chat.say("2026年2月30日")
    assert "2月没有30日，请核对日期。请重新发送会议日期。" in reply
    reply = await chat.say("2025年2月29日")
    assert "2025年不是闰年，2月没有29日" in reply
    reply = await chat.say("2026年2月28日")
    assert "会议日期：2026年2月28日" in reply


@pytest.mark.parametrize(
    ("text", "message"),
    [("2026年2月30日", "2月没有30日，请核对日期。"), ("2026-13-01", "没有13月，请核对月份。")],
)
def test_meeting_dates_and_deadlines_share_one_wording(text: str, message: str) -> None:
    meeting = read_date(text)
    assert meeting == DateProblem(message)
    deadline = parse_deadline(text + "前", meeting=date(2026, 1, 15), today=date(2026, 1, 15))
    assert isinstance(deadline, DeadlineProblem) and deadline.message == message
