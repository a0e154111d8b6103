"""Deadlines in chat: counted from the meeting when written before it, and checked against a date
the measure's own wording already names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from bot.botapi import InProcessBotApi
from bot.dates import format_date
from bot.deadlines.calendar import add_months
from bot.deadlines.parse import format_day
from bot.settings import Settings
from storage.db import Database
from storage.models import Measure, User
from tests.conftest import TEST_TODAY, Chat, start_bot
from tests.test_review_chat import CLEAN_ENOUGH


async def _measures(chat: Chat, meeting: str, texts: list[str]) -> None:
    await chat.say("/new")
    await chat.press("组织生活会发言提纲")
    await chat.press("通用组织生活会（4个方面）")
    await chat.meeting_date(meeting)
    for _ in range(3):
        await chat.press("跳过")
    await chat.fill_until(lambda c: "本部分填写完毕" in c.labels() and "努力方向" in c.last_text())
    for text in texts:
        await chat.say(text)
    await chat.press("本部分填写完毕")


async def test_before_the_meeting_relative_deadlines_count_from_it(chat: Chat, settings: Settings) -> None:
    meeting = TEST_TODAY + timedelta(days=40)
    await _measures(chat, f"{meeting.year}年{meeting.month}月{meeting.day}日", ["每月开展一次谈心谈话。"])
    reply = await chat.say("3个月内")
    assert f"整改时限：{format_day(add_months(meeting, 3))}" in reply
    assert f"按会议日期{format_date(meeting)}起算" in reply


async def test_a_day_named_by_its_distance_is_counted_from_today_and_said_to_be(chat: Chat) -> None:
    """Before the meeting, 3天后 is three days from today (as 后天 is two), not a period that starts
    at the meeting as 10天内 is: each confirmation names the day and what it was counted from."""
    meeting = TEST_TODAY + timedelta(days=40)
    written = f"{meeting.year}年{meeting.month}月{meeting.day}日"
    await _measures(chat, written, ["每月谈心谈话一次。", "每周自学。"])
    reply = await chat.say("3天后")
    assert f"整改时限：{format_day(TEST_TODAY + timedelta(days=3))}" in reply
    assert f"“3天后”按今天（{format_date(TEST_TODAY)}）算。" in reply
    reply = await chat.say("10天内")
    assert f"整改时限：{format_day(meeting + timedelta(days=10))}" in reply
    assert f"按会议日期{format_date(meeting)}起算" in reply


async def test_without_a_meeting_date_relative_deadlines_are_said_to_count_from_today(chat: Chat) -> None:
    """暂不确定 at the meeting date: 3个月内 counts from today, and the confirmation says so instead
    of naming today as the day the meeting was held."""
    await _measures(chat, "暂不确定", ["每月开展一次谈心谈话。", "每周自学不少于3小时。"])
    reply = await chat.say("3个月内")
    assert f"整改时限：{format_day(add_months(TEST_TODAY, 3))}" in reply
    assert f"会议日期还没定，“3个月内”这类相对时限按今天（{format_date(TEST_TODAY)}）起算。" in reply
    assert "会议已于" not in reply
    reply = await chat.say("6月30日前")  # a date: nothing to say about where it counts from
    assert "起算" not in reply and "会议已于" not in reply


async def test_a_date_in_the_measure_that_disagrees_is_asked_about(chat: Chat) -> None:
    await _measures(chat, "2026年1月15日", ["2027年3月底前完成专题学习，形成读书笔记。"])
    reply = await chat.say("2027年6月30日前")
    assert "请核对：措施原文写的是“2027年3月底前”（2027年3月31日（周三）），与刚设定的时限不同" in reply
    reply = await chat.press("按原文改为2027年3月31日（周三）")
    assert "已按措施原文调整。整改时限：2027年3月31日（周三）" in reply
    listing = await chat.say("/deadlines")
    assert "2027年3月31日（周三）前" in listing and "2027年6月30日" not in listing


async def test_a_matching_date_in_the_measure_raises_no_question(chat: Chat) -> None:
    await _measures(chat, "2026年1月15日", ["2027年3月底前完成专题学习，形成读书笔记。"])
    reply = await chat.say("2027年3月31日前")
    assert "请核对" not in reply and not any(label.startswith("按原文") for label in chat.labels())


async def test_a_measure_written_as_recurring_work_offers_its_cadence(chat: Chat) -> None:
    """每季度到联系村走访一次 has no end date: what its wording gives is 长期坚持 at that cadence."""
    measures = ["每季度到联系村走访不少于一次，帮助群众解决实际困难。", "严格执行请示报告制度。"]
    await _measures(chat, "2027年1月20日", measures)
    assert "按原文：长期坚持（每季度）" in chat.labels()
    reply = await chat.press("按原文：长期坚持（每季度）")
    assert "长期坚持：每季度回顾一次" in reply and "第2/2条措施" in reply
    assert not any(label.startswith("按原文") for label in chat.labels())


async def test_a_measure_written_as_done_at_once_offers_that(chat: Chat) -> None:
    """立行立改。对…补齐手续: the measure's own word for its deadline; 立即 alone says no such thing."""
    measures = ["立行立改。对未附公函的3批次接待补齐手续。", "立即组织专题学习，提高认识。"]
    await _measures(chat, "2027年1月20日", measures)
    reply = await chat.press("按原文：立行立改")
    assert "第2/2条措施" in reply
    assert not any(label.startswith("按原文") for label in chat.labels())
    listing = await chat.say("/deadlines")
    assert "立行立改" in listing


async def test_a_date_in_the_measure_already_past_is_neither_offered_nor_held_against(chat: Chat) -> None:
    """Last year's material written up late: its "2025年12月底前" is no deadline to press any more."""
    await _measures(chat, "2025年3月20日", ["2025年12月底前完成专题学习，形成读书笔记。"])
    assert not any(label.startswith("按原文") for label in chat.labels())
    reply = await chat.say("2026年6月30日前")
    assert "整改时限：2026年6月30日" in reply and "请核对" not in reply
    assert not any(label.startswith("按原文") for label in chat.labels())


async def test_an_imported_measures_own_date_is_offered_as_its_deadline(chat: Chat) -> None:
    material = CLEAN_ENOUGH.replace(  # its one measure, dated, and a second one
        "一是每周自学不少于4小时，2026年6月底前完成。\n",
        "一是每周自学不少于4小时，2027年3月底前完成专题学习。\n二是每月到联系点走访一次，6月30日前形成调研报告。\n",
    )
    await chat.say("/start")
    await chat.harness.upload(chat.user_id, "材料.txt", material.encode(), "text/plain")
    overview = await chat.press("导入为新材料，继续修改")
    assert "还有2条整改措施没有设定时限，设定后我会按时提醒。" in overview  # a personal one: no owner
    await chat.press("设定整改时限")
    assert "按原文：2027年3月底前" in chat.labels()
    reply = await chat.press("按原文：2027年3月底前")
    assert "整改时限：2027年3月31日（周三）" in reply and "请核对" not in reply
    assert "第2/2条措施" in reply
    # Shown again after a pause, the question about the second measure still offers its own date.
    await chat.say("/start")
    await chat.press("继续填写")
    assert "第2/2条措施" in chat.last_text() and "按原文：6月30日前" in chat.labels()
    await chat.say("尽快")
    assert "按原文：6月30日前" in chat.labels()  # a deadline that could not be read is asked again
    reply = await chat.press("按原文：6月30日前")
    assert "各条整改措施的时限都已设定" in reply


async def test_years_and_months_named_from_today_are_read_as_the_cadre_means_them(settings: Settings) -> None:
    """In December, 明年 is next year for the meeting date, the measure's own wording and the 时限
    typed: all three name the same days, so nothing is asked back."""
    december = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)
    async with start_bot(settings, InProcessBotApi(), now=december) as harness:
        chat = Chat(harness)
        await chat.say("/start")
        await chat.press("开始写材料")
        await chat.press("组织生活会发言提纲")
        await chat.press("通用组织生活会（4个方面）")
        reply = await chat.say("明年1月15日")
        assert "会议日期：2027年1月15日" in reply and "请确认会议日期" not in reply
        for _ in range(3):
            await chat.press("跳过")
        await chat.fill_until(lambda c: "本部分填写完毕" in c.labels() and "努力方向" in c.last_text())
        await chat.say("明年一季度末前完成专题学习，形成读书笔记。")
        await chat.say("每月到联系点走访一次，下个月底前形成调研报告。")
        await chat.press("本部分填写完毕")
        assert "按原文：明年一季度末前" in chat.labels()
        reply = await chat.say("明年3月底前")
        assert "整改时限：2027年3月31日（周三）" in reply and "请核对" not in reply
        assert "“明年”按今天（2026年12月7日）算" in reply
        assert "按原文：下个月底前" in chat.labels()
        reply = await chat.press("按原文：下个月底前")
        assert "整改时限：2027年1月31日（周日）" in reply


async def test_the_written_date_stays_offered_after_the_links_are_confirmed(chat: Chat) -> None:
    """Every way back to the deadline question shows it whole: the links confirmed, a stray label typed."""
    await _measures(chat, "2027年1月20日", ["每周自学不少于4小时，2027年6月底前形成1篇调研报告。"])
    assert "按原文：2027年6月底前" in chat.labels() and "确认对应" in chat.labels()
    reply = await chat.press("确认对应")
    assert "已确认问题与措施的对应" in reply and "按原文：2027年6月底前" in chat.labels()
    reply = await chat.say("返回填写")
    assert "没有记入材料" in reply and "按原文：2027年6月底前" in chat.labels()


async def test_a_deadline_on_a_sunday_is_moved_to_the_friday_before_with_one_button(
    chat: Chat, settings: Settings
) -> None:
    await _measures(chat, "2027年1月20日", ["2027年1月底前组织分管单位开展一次自查，每月通报一次。"])
    reply = await chat.press("按原文：2027年1月底前")
    assert "2027年1月31日是周日，不是工作日" in reply and "改为2027年1月29日（周五）" in chat.labels()
    reply = await chat.press("改为2027年1月29日（周五）")
    assert "已调整。整改时限：2027年1月29日（周五）" in reply
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        assert (await session.scalars(select(Measure.deadline_date))).all() == [date(2027, 1, 29)]
    await db.dispose()


async def test_a_date_without_a_year_set_after_the_meeting_is_the_next_one_and_says_so(chat: Chat) -> None:
    """Deadlines filled in long after the meeting (2025年3月20日, today 2026年1月5日): "3月底前" is the
    coming 3月底, named with its year, not a date that was already past when typed."""
    await _measures(chat, "2025年3月20日", ["每月开展一次谈心谈话。"])
    reply = await chat.say("3月底前")
    assert "整改时限：2026年3月31日（周二）" in reply
    assert "会议后的2025年3月31日已经过去，未写年份的日期取今后最近的一个，即2026年3月31日" in reply
    assert "已经过去，请核对" not in reply
    assert "2026年3月31日（周二）前" in await chat.say("/deadlines")


async def test_days_named_from_today_count_from_the_users_own_date(settings: Settings) -> None:
    """A cadre abroad (Berlin) types 下周五 late on Sunday: his week is the one ending that day, though
    it is already Monday in Beijing; a day already gone is said to be, with what to type."""
    sunday_evening_in_berlin = datetime(2026, 12, 13, 20, 0, tzinfo=UTC)
    async with start_bot(settings, InProcessBotApi(), now=sunday_evening_in_berlin) as harness:
        chat = Chat(harness)
        await chat.say("/start")
        db = Database(settings.effective_database_url)
        async with db.transaction() as session:
            abroad = update(User).where(User.id == chat.user_id).values(timezone="Europe/Berlin")
            await session.execute(abroad)
        await db.dispose()
        await _measures(chat, "2027年1月15日", ["每月开展一次谈心谈话。", "每周自学不少于3小时。"])
        reply = await chat.say("上周五")
        assert "“上周五”已经过去，请写明今后最晚完成的时间，例如：2027年3月底前" in reply
        reply = await chat.say("下周五前")
        assert "整改时限：2026年12月18日（周五）" in reply
        assert "“下周”按今天（2026年12月13日）算" in reply
        reply = await chat.say("下个月底")
        assert "整改时限：2027年1月31日（周日）" in reply and "“下个月”按今天（2026年12月13日）算" in reply


async def test_a_self_inspection_reports_deadlines_count_from_the_day_it_is_handed_in(chat: Chat) -> None:
    """A 自查自纠报告 has no meeting: 3个月内 counts from its 报送日期, and is said to."""
    handed_in = TEST_TODAY + timedelta(days=20)
    await chat.say("/new")
    await chat.press("自查自纠报告")
    await chat.say("1. 落实中央八项规定精神情况\n2. 财务管理和资金使用情况")
    await chat.press(chat.labels()[0])  # the 年度 suggested
    await chat.say(f"{handed_in.year}年{handed_in.month}月{handed_in.day}日")
    for _ in range(3):
        await chat.press("跳过")
    await chat.fill_until(lambda c: "本部分填写完毕" in c.labels() and "整改措施" in c.last_text())
    await chat.say("2027年起每季度抽查一次公务接待台账。")
    await chat.press("本部分填写完毕")

    reply = await chat.say("3个月内")

    assert f"整改时限：{format_day(add_months(handed_in, 3))}" in reply
    assert f"按报送日期{format_date(handed_in)}起算" in reply and "会议" not in reply
