"""Deadlines set in chat become reminders that arrive on time, act on the ledger, and survive
Telegram errors, restarts and a second dispatcher."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import select

from bot.botapi import InProcessBotApi
from bot.settings import Settings
from handlers.common import Services
from handlers.followup import dispatch_once
from storage import reminders
from storage.db import Database
from storage.models import Measure, MeasureEvent, Reminder, User
from tests.conftest import TEST_TODAY, Chat, start_bot
from tests.test_rectification_chain import _latest_draft_text

MEETING = "2026年1月15日"
MEASURES = ["每周自学不少于4小时，形成读书笔记。", "每月到联系点接访一次。"]


async def _draft_with_deadlines(
    chat: Chat, deadlines: list[str], measures: Sequence[str] = MEASURES
) -> list[int]:
    """A 发言提纲 written to its measures (one message each, their ids returned) and deadlines."""
    sent = await chat.write_measures("组织生活会发言提纲", measures, meeting=MEETING)
    for deadline in deadlines:
        await chat.say(deadline)
    return sent


async def _settle(chat: Chat, before: datetime) -> None:
    """Send what is due just before ``before`` (the weekly digest, the annual summary)."""
    await dispatch_once(chat.harness.application.bot, _services(chat), now=before - timedelta(minutes=1))


def _services(chat: Chat) -> Services:
    found: Services = chat.harness.application.bot_data["services"]
    return found


async def _first_pending(settings: Settings) -> Reminder:
    return next(r for r in await _pending(settings) if r.state == "pending" and r.measure_id is not None)


async def _pending(settings: Settings) -> list[Reminder]:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        rows = list((await session.scalars(select(Reminder).order_by(Reminder.due_at))).all())
    await db.dispose()
    return rows


async def test_reminder_arrives_at_the_planned_time_and_done_closes_the_measure(
    chat: Chat, settings: Settings
) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "2027年6月底前"])
    planned = [r for r in await _pending(settings) if r.state == "pending" and r.measure_id is not None]
    assert {"before_due", "due_today"} <= {r.kind for r in planned}
    first = planned[0]
    # a week before 2027-03-31 (a Wednesday) at 09:30 Beijing time
    assert first.due_at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M") == "2027-03-24 09:30"

    await _settle(chat, first.due_at)
    assert not any("整改时限临近" in m.get("text", "") for m in chat.api.bot_messages(chat.user_id))
    result = await dispatch_once(chat.harness.application.bot, _services(chat), now=first.due_at)
    assert result.sent == 1
    text = chat.last_text()
    assert "整改时限临近" in text and "每周自学不少于4小时" in text and "还有7天" in text
    assert chat.labels() == ["已完成", "报告进展", "申请延期"]

    reply = await chat.press("已完成")
    assert "请用一句话写明完成情况" in reply
    reply = await chat.say("已制定学习计划，完成读书笔记12篇。")
    assert "已标记为“已完成待销号”" in reply
    # no evidence: the completion stands, and the words say so (not 已取消)
    reply = await chat.press("跳过")
    assert "不填佐证材料，完成情况已记入整改台账" in reply and "取消" not in reply
    assert "无需跳过" in await chat.press("跳过")  # the same button again: nothing to skip

    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        measure = await session.scalar(select(Measure).order_by(Measure.id))
        assert measure is not None and measure.status == "已完成待销号"
        assert measure.completion_note == "已制定学习计划，完成读书笔记12篇。"
        left = (await session.scalars(select(Reminder).where(Reminder.measure_id == measure.id))).all()
        assert [r.state for r in left] == ["sent"]  # the due-day reminder was cancelled
    await db.dispose()


async def test_a_measure_opened_from_the_list_leads_back_to_it(chat: Chat) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "立行立改"])
    await chat.say("/deadlines")
    await chat.press("2. 办理")
    assert "返回列表" in chat.labels()
    await chat.press("返回列表")
    assert "未完成的整改事项" in chat.last_text() and "2. 办理" in chat.labels()


async def test_a_word_said_to_the_bot_is_no_completion_note(chat: Chat, settings: Settings) -> None:
    """好的 typed after 已完成 would stand in the ledger as the 完成情况: the question is asked again."""
    await _draft_with_deadlines(chat, ["2027年3月31日前", "立行立改"])
    await chat.on_first_measure("已完成")

    reply = await chat.say("好的")

    assert "“好的”像是回复我的话，没有记入整改台账" in reply and "请用一句话写明完成情况" in reply
    reply = await chat.say("已制定学习计划，完成读书笔记12篇。")
    assert "已标记为“已完成待销号”" in reply
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        notes = (await session.scalars(select(Measure.completion_note))).all()
        assert set(notes) == {"已制定学习计划，完成读书笔记12篇。", None}
    await db.dispose()


async def test_postpone_and_progress_are_kept_in_the_history(chat: Chat, settings: Settings) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "立行立改"])
    await chat.on_first_measure("申请延期")
    reply = await chat.say("尽快")
    assert "例如" in reply
    reply = await chat.say("2027年9月30日前")
    assert "已调整：整改时限：2027年9月30日（周四）" in reply and "跳过" in chat.labels()
    reasoned = await chat.say("项目审批延后。")  # the card again: its next step one press away
    assert "延期原因已记入整改台账。" in reasoned and "时限：2027年9月30日（周四）前" in reasoned
    await chat.press("返回列表")  # each answer ends with the way on to the other measures
    await chat.press("1. 办理")
    await chat.press("报告进展")
    noted = await chat.say("已完成前两个月的学习计划。")
    assert "进展已记录" in noted and "状态：推进中" in noted and "已完成" in chat.labels()
    assert "未完成的整改事项" in await chat.press("返回列表")

    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        events = (await session.scalars(select(MeasureEvent.kind).order_by(MeasureEvent.id))).all()
        # the overdue 立行立改 item came first and was moved to a date: still 立行立改 in the ledger
        moved = await session.scalar(select(Measure).where(Measure.original_deadline.is_not(None)))
        pending = (
            await session.scalars(
                select(Reminder).where(Reminder.state == "pending").order_by(Reminder.due_at)
            )
        ).all()
    await db.dispose()
    assert events[-3:] == ["postpone", "postpone_reason", "progress"]
    assert moved is not None and moved.rectify_type == "立行立改" and moved.deadline_kind == "due"
    assert moved.original_deadline is not None and moved.original_deadline.startswith("立行立改，")
    assert any(r.due_at.astimezone(settings.tz).date().isoformat() == "2027-09-30" for r in pending)


async def test_retry_after_and_network_errors_are_survived(chat: Chat, settings: Settings) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "2027年6月底前"])
    first = await _first_pending(settings)
    bot, found = chat.harness.application.bot, _services(chat)
    await _settle(chat, first.due_at)
    chat.api.fail_next(
        "sendMessage", error_code=429, description="Too Many Requests: retry after 5", retry_after=5
    )
    result = await dispatch_once(bot, found, now=first.due_at)
    assert (result.sent, result.retried) == (0, 1)
    assert (await dispatch_once(bot, found, now=first.due_at + timedelta(seconds=4))).sent == 0
    assert (await dispatch_once(bot, found, now=first.due_at + timedelta(seconds=5))).sent == 1

    second = await _first_pending(settings)
    await _settle(chat, second.due_at)
    chat.api.fail_next("sendMessage", error_code=502, description="Bad Gateway")
    assert (await dispatch_once(bot, found, now=second.due_at)).retried == 1
    assert (await dispatch_once(bot, found, now=second.due_at + timedelta(hours=1))).sent == 1


async def test_a_user_who_blocked_the_bot_is_not_retried(chat: Chat, settings: Settings) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "2027年6月底前"])
    first = await _first_pending(settings)
    await _settle(chat, first.due_at)
    chat.api.fail_next("sendMessage", error_code=403, description="Forbidden: bot was blocked by the user")
    result = await dispatch_once(chat.harness.application.bot, _services(chat), now=first.due_at)
    assert result.failed == 1
    rows = await _pending(settings)
    assert all(r.state != "pending" for r in rows)
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        user = await session.get(User, chat.user_id)
        assert user is not None and user.blocked_at is not None
    await db.dispose()


async def test_a_crash_between_claim_and_send_resends_after_the_lease(chat: Chat, settings: Settings) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "2027年6月底前"])
    first = await _first_pending(settings)
    found = _services(chat)
    await _settle(chat, first.due_at)
    lease = timedelta(seconds=settings.reminder_lease_seconds)
    async with found.db.transaction() as session:  # a dispatcher claims, then dies before sending
        claimed = await reminders.claim_due(
            session, now=first.due_at, lease=lease, rate_per_second=25, batch=10
        )
    assert [r.id for r in claimed] == [first.id]
    bot = chat.harness.application.bot
    assert (await dispatch_once(bot, found, now=first.due_at + timedelta(seconds=30))).sent == 0
    assert (await dispatch_once(bot, found, now=first.due_at + lease + timedelta(seconds=1))).sent == 1
    assert (await dispatch_once(bot, found, now=first.due_at + lease * 3)).sent == 0
    reminders_sent = [m for m in chat.api.bot_messages(chat.user_id) if "整改时限临近" in m.get("text", "")]
    assert len(reminders_sent) == 1


async def test_overdue_reminders_after_downtime_are_coalesced(chat: Chat, settings: Settings) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "2027年6月底前"])
    later = datetime(2027, 12, 1, 2, 0, tzinfo=UTC)  # long after both deadlines
    await dispatch_once(chat.harness.application.bot, _services(chat), now=later)
    texts = [m.get("text", "") for m in chat.api.bot_messages(chat.user_id)]
    assert sum("状态：" in t for t in texts) == 2  # one catch-up per measure, not one per missed reminder
    assert sum("本周整改提醒" in t for t in texts) == 1  # and one digest listing what is overdue
    rows = await _pending(settings)
    assert all(r.state in ("sent", "skipped") for r in rows if r.due_at <= later)


async def test_two_dispatchers_send_each_reminder_once(settings: Settings) -> None:
    if not settings.effective_database_url.startswith("postgresql"):
        pytest.skip("concurrent dispatchers are exercised on PostgreSQL (SQLite serialises writers)")
    api = InProcessBotApi()
    async with start_bot(settings, api) as first_instance, start_bot(settings, api) as second_instance:
        chat = Chat(first_instance)
        await _draft_with_deadlines(chat, ["2027年3月31日前", "2027年6月底前"])
        due = max(r.due_at for r in await _pending(settings))
        one = first_instance.application
        two = second_instance.application
        results = await asyncio.gather(
            dispatch_once(one.bot, one.bot_data["services"], now=due),
            dispatch_once(two.bot, two.bot_data["services"], now=due),
        )
    texts = [m.get("text", "") for m in api.bot_messages(chat.user_id)]
    assert sum("状态：" in t and "时限：" in t for t in texts) == 2  # one per measure, never twice
    assert sum("本周整改提醒" in t for t in texts) <= 1
    assert sum("上年度整改落实情况小结" in t for t in texts) == 1
    assert sum(r.sent for r in results) == sum(
        ("状态：" in t and "时限：" in t) or "本周整改提醒" in t or "小结" in t for t in texts
    )


async def test_a_measure_already_overdue_is_nudged_with_buttons_and_marked(
    chat: Chat, settings: Settings
) -> None:
    today = TEST_TODAY
    past = today - timedelta(days=60)
    await _draft_with_deadlines(chat, [f"{past.year}年{past.month}月{past.day}日前", "2099年6月底前"])
    nudges = [r for r in await _pending(settings) if r.kind == "overdue_nudge" and r.state == "pending"]
    assert nudges, "a deadline already past still gets its nudges"
    assert nudges[0].due_at.astimezone(settings.tz).date() > today
    await dispatch_once(chat.harness.application.bot, _services(chat), now=nudges[0].due_at)
    days = (nudges[0].due_at.astimezone(settings.tz).date() - past).days
    sent = {m.get("text", "").split("\n", 1)[0]: m for m in chat.api.bot_messages(chat.user_id)[-2:]}
    nudge = next(m for first, m in sent.items() if first.startswith(f"这项整改已逾期{days}天，请尽快完成"))
    assert "每周自学" in nudge["text"]
    assert nudge["text"].count(f"{days}天") == 1 and nudge["text"].count("申请延期") == 1  # said once
    assert [b.label for row in chat.api.buttons(nudge) for b in row] == ["已完成", "报告进展", "申请延期"]
    if "本周整改提醒：有1项已过时限" in sent:  # the weekly digest fell on the same day: it has buttons too
        digest = sent["本周整改提醒：有1项已过时限"]
        assert [b.label for row in chat.api.buttons(digest) for b in row] == ["1. 办理"]

    listing = await chat.say("/deadlines")
    assert listing.index("逾期（1项）") < listing.index("以后（1项）")
    assert f"1. 【逾期{(today - past).days}天】" in listing

    await chat.press("已完成")
    await chat.say("已完成。")
    await chat.press("跳过")
    again = await chat.press("申请延期")  # the nudge's own button, after the item is done
    assert "无需延期" in again
    assert "已逾期" not in await chat.say("/deadlines")


async def test_a_measure_without_a_deadline_is_listed_apart_from_those_due_later(chat: Chat) -> None:
    """One deadline set, the other question left for later: /deadlines does not file the unset
    one under 以后, as if it had a date to wait for."""
    await _draft_with_deadlines(chat, ["2099年6月底前"])

    listing = await chat.say("/deadlines")

    assert "以后（1项）" in listing and "未设时限（1项）" in listing
    assert listing.index("以后（1项）") < listing.index("每周自学") < listing.index("未设时限（1项）")
    assert listing.index("未设时限（1项）") < listing.index("每月到联系点接访")


async def test_a_measure_without_a_deadline_gets_its_first_one_from_its_card(chat: Chat) -> None:
    """Its card offers 设定时限, not 申请延期: the date it is given is its deadline, as the drafting's
    question would have stored it, with no 原定时限, no 延期记录 and no reason asked."""
    await _draft_with_deadlines(chat, ["2026年6月底前"])
    await chat.say("/deadlines")
    card = await chat.press("2. 办理")
    assert "设定时限" in chat.labels() and "申请延期" not in chat.labels() and "未设时限" in card

    assert "还没有设定整改时限" in await chat.press("设定时限")
    assert "已经过去" in await chat.say("2025年12月31日前")  # asked again, nothing stored
    reply = await chat.say("2026年9月底前")
    assert "整改时限：2026年9月30日（周三）" in reply and "原因" not in reply

    listing = await chat.say("/deadlines")
    assert "以后（2项）" in listing and "未设时限" not in listing
    await chat.say("/ledger")
    sheet = openpyxl.load_workbook(io.BytesIO(chat.api.documents(chat.user_id)[-1].data))["整改台账"]
    header = [c.value for c in sheet[2]]
    rows = sheet.iter_rows(min_row=3, values_only=True)
    second = next(r for r in rows if "每月到联系点接访" in str(r[header.index("整改措施")]))
    assert not second[header.index("延期记录")] and second[header.index("现时限")] == datetime(2026, 9, 30)


async def test_a_measure_rewritten_with_another_date_offers_to_move_its_deadline(chat: Chat) -> None:
    """The reminders and the ledger go by the deadline: when the measure's own words come to promise
    another date, the user is asked, with a button to take it; nothing moves unasked."""
    first = "每周自学不少于4小时，2026年3月底前形成读书笔记。"
    sent = await _draft_with_deadlines(chat, ["2026年3月底前", "2026年6月底前"], [first, MEASURES[1]])

    reply = await chat.edit(sent[0], first.replace("3月底前", "5月底前"))
    assert (
        "请核对：措施现在写的是“2026年5月底前”（2026年5月31日（周日）），整改时限仍为2026年3月31日（周二）"
        in reply
    )
    assert "2026年3月31日（周二）前" in await chat.say("/deadlines")  # unchanged until asked

    await chat.edit(sent[0], first.replace("3月底前", "5月底前").replace("4小时", "5小时"))
    moved = await chat.press("按原文改为2026年5月31日（周日）")
    assert "已按措施原文调整。整改时限：" in moved and "2026年5月31日" in moved
    listing = await chat.say("/deadlines")
    assert "2026年5月31日（周日）前" in listing and "2026年3月31日" not in listing
    assert "请核对" not in await chat.edit(sent[1], MEASURES[1].replace("一次", "两次"))  # no date: no word


async def test_the_annual_summary_offers_the_rectification_report(chat: Chat, settings: Settings) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "长期坚持，每季度"])
    summary = next(r for r in await _pending(settings) if r.kind == "summary")
    await dispatch_once(chat.harness.application.bot, _services(chat), now=summary.due_at)
    text = chat.last_text()
    assert "上年度整改落实情况小结" in text and "。：" not in text
    assert f"· 未启动：{MEASURES[0]}" in text and f"· 持续推进：{MEASURES[1]}" in text
    reply = await chat.press("生成整改落实情况报告")
    assert "整改落实情况报告初稿" in reply and "问题4条，已完成0条" in reply


async def test_progress_reported_after_done_leaves_the_measure_done(chat: Chat, settings: Settings) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "2027年6月底前"])
    first = await _first_pending(settings)
    await _settle(chat, first.due_at)
    await dispatch_once(chat.harness.application.bot, _services(chat), now=first.due_at)
    reminder = chat.api.last_bot_message(chat.user_id)
    assert reminder is not None and "整改时限临近" in reminder.get("text", "")
    await chat.press("已完成")
    await chat.say("已制定学习计划，完成读书笔记12篇。")
    await chat.press("跳过")

    # weeks later the cadre adds a note from the same reminder's 报告进展
    await chat.harness.press(chat.user_id, "报告进展", message_id=reminder["message_id"])
    reply = await chat.say("又补充了读书笔记3篇。")
    assert "进展已记录" in reply and "仍为“已完成待销号”" in reply
    listing = await chat.say("/deadlines")
    assert "已完成（1项）" in listing
    assert "推进中" not in listing
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        measure = await session.scalar(select(Measure).order_by(Measure.id))
        assert measure is not None and measure.status == "已完成待销号"
    await db.dispose()


async def test_a_due_date_on_a_holiday_is_reminded_on_the_last_working_day_before_it(
    chat: Chat, settings: Settings
) -> None:
    # 2026年10月3日 is in the National Day holiday: the due-day reminder goes out on 9月30日
    await _draft_with_deadlines(chat, ["2026年10月3日前", "2026年3月31日前"])
    due_day = next(r for r in await _pending(settings) if r.key == "due_today:2026-09-30")
    await _settle(chat, due_day.due_at)
    await dispatch_once(chat.harness.application.bot, _services(chat), now=due_day.due_at)
    text = chat.last_text()
    assert text.startswith("今天是整改时限前的最后一个工作日") and "还有3天" in text


async def test_a_due_day_reminder_held_up_by_downtime_says_the_date_has_passed(
    chat: Chat, settings: Settings
) -> None:
    await _draft_with_deadlines(chat, ["2026年3月31日前", "2099年6月底前"])
    back = datetime(2026, 4, 2, 2, 0, tzinfo=UTC)  # down from before 3月24日 until 4月2日 10:00
    await dispatch_once(chat.harness.application.bot, _services(chat), now=back)
    catch_up = next(
        m["text"]
        for m in chat.api.bot_messages(chat.user_id)
        if "每周自学" in m.get("text", "") and "时限：" in m.get("text", "")
    )
    assert catch_up.startswith("这项整改已过时限") and "已超过2天" in catch_up
    assert "今天是整改时限" not in catch_up


async def test_each_materials_annual_summary_counts_its_own_measures(chat: Chat, settings: Settings) -> None:
    await _draft_with_deadlines(chat, ["2026年3月31日前", "长期坚持，每季度"])
    await _draft_with_deadlines(chat, ["2026年6月底前", "2026年9月底前"])
    due = {r.key: r.due_at for r in await _pending(settings) if r.kind == "summary"}
    assert len(due) == 2
    while (await dispatch_once(chat.harness.application.bot, _services(chat), now=max(due.values()))).sent:
        pass  # the year's reminders before the summaries, a batch at a time
    summaries = [
        m["text"] for m in chat.api.bot_messages(chat.user_id) if "上年度整改落实情况小结" in m["text"]
    ]
    assert len(summaries) == 2  # one per material, not one for both
    assert all("整改措施2项" in text and "《2025年度组织生活会个人发言提纲》" in text for text in summaries)
    assert sum("· 持续推进" in text for text in summaries) == 1


async def test_a_postponement_must_move_the_deadline_later(chat: Chat, settings: Settings) -> None:
    await _draft_with_deadlines(chat, ["2026年3月31日前", "2026年6月底前"])
    prompt = await chat.on_first_measure("申请延期")
    assert "例如：2026年4月底前。" in prompt  # with its year: "6月30日前" in December is already past
    reply = await chat.say("2025年12月31日前")  # today is 2026年1月5日
    assert "2025年12月31日（周三）已经过去" in reply and "已调整" not in reply
    reply = await chat.say("2026年2月1日前")  # earlier than the current 3月31日
    assert "应晚于现时限2026年3月31日（周二）" in reply and "已调整" not in reply
    reply = await chat.say("2026年5月31日前")
    assert "已调整：整改时限：2026年5月31日（周日）" in reply
    await chat.say("调研任务调整。")
    await chat.say("/ledger")
    sheet = openpyxl.load_workbook(io.BytesIO(chat.api.documents(chat.user_id)[-1].data))["整改台账"]
    header = [c.value for c in sheet[2]]
    history = [r[header.index("延期记录")] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert history[0].count("→") == 1 and "2025年" not in history[0]


async def test_the_summarys_report_button_reports_on_the_material_it_summarises(
    chat: Chat, settings: Settings
) -> None:
    await _draft_with_deadlines(chat, ["2026年3月31日前", "长期坚持，每季度"])
    await _draft_with_deadlines(chat, ["2026年6月底前", "2026年9月底前"])  # the active material now
    due = max(r.due_at for r in await _pending(settings) if r.kind == "summary")
    while (await dispatch_once(chat.harness.application.bot, _services(chat), now=due)).sent:
        pass
    first = next(
        m
        for m in chat.api.bot_messages(chat.user_id)
        if "上年度整改落实情况小结" in m["text"] and "· 持续推进" in m["text"]
    )
    await chat.harness.press(chat.user_id, "生成整改落实情况报告", message_id=first["message_id"])
    report = await _latest_draft_text(settings)
    assert "2026年3月31日前" in report and "2026年6月30日前" not in report


async def _digests(settings: Settings) -> list[Reminder]:
    return [r for r in await _pending(settings) if r.kind == "digest" and r.state == "pending"]


async def test_the_weekly_digest_stops_when_every_measure_is_done_and_comes_back_with_a_new_one(
    settings: Settings,
) -> None:
    """The digest planned when the last measure is done goes with it, and the user is told so once,
    in the reply to his 已完成; across a restart nothing comes due, and a new measure brings it back."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        chat = Chat(harness)
        await _draft_with_deadlines(chat, ["2027年3月31日前", "2027年6月底前"])
        (planned,) = await _digests(settings)
        replies = []
        for _ in MEASURES:
            await chat.on_first_measure("已完成")
            replies.append(await chat.say("已完成。"))
            await chat.press("跳过")
        assert "每周整改提醒" not in replies[0]  # one measure is still followed
        assert "您的整改措施已全部完成，每周整改提醒也不再发送；有新的整改措施时会恢复" in replies[1]
        assert await _digests(settings) == []
    before = len(api.bot_messages(chat.user_id))

    async with start_bot(settings, api, now=planned.due_at) as harness:  # restarted: jobs from the database
        chat = Chat(harness)
        for moment in (planned.due_at, planned.due_at + timedelta(days=7)):
            result = await dispatch_once(harness.application.bot, _services(chat), now=moment)
            assert (result.sent, result.skipped) == (0, 0)
        assert len(api.bot_messages(chat.user_id)) == before  # nothing at all, not an empty digest
        assert "整改事项都已完成" in await chat.say("/deadlines")
        # a new material's measure is followed again, digest included
        await _draft_with_deadlines(chat, ["2027年9月30日前"])
        assert await _digests(settings)


async def test_done_with_every_dated_measure_but_one_without_a_deadline_is_not_called_all_done(
    chat: Chat, settings: Settings
) -> None:
    """The second measure has no deadline yet: it is in no digest, so the digest goes, but the
    measure is still open, and the reply does not say everything is done."""
    await _draft_with_deadlines(chat, ["2027年3月31日前"])
    assert "未设时限" in await chat.say("/deadlines")
    await _open_first_dated(chat)
    await chat.press("已完成")
    reply = await chat.say("已完成。")
    assert "已标记为“已完成待销号”" in reply and "全部完成" not in reply and "每周整改提醒" not in reply
    assert await _digests(settings) == []


async def _open_first_dated(chat: Chat) -> None:
    listing = (await chat.say("/deadlines")).splitlines()
    number = next(line.split(".")[0] for line in listing if "2027年3月31日" in line)
    await chat.press(f"{number}. 办理")


async def test_an_overdue_nudge_on_the_digests_day_is_folded_into_the_digest(
    chat: Chat, settings: Settings
) -> None:
    past = TEST_TODAY - timedelta(days=60)
    await _draft_with_deadlines(chat, [f"{past.year}年{past.month}月{past.day}日前", "2099年6月底前"])
    rows = [r for r in await _pending(settings) if r.state == "pending"]
    digest = next(r for r in rows if r.kind == "digest")
    nudge = next(r for r in rows if r.kind == "overdue_nudge")
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:  # the nudge falls on the digest's Monday, at its hour
        stored = await session.get(Reminder, nudge.id)
        assert stored is not None
        stored.due_at = digest.due_at
    await db.dispose()
    before = len(chat.api.bot_messages(chat.user_id))
    await dispatch_once(chat.harness.application.bot, _services(chat), now=digest.due_at)
    sent = [m.get("text", "") for m in chat.api.bot_messages(chat.user_id)[before:]]
    assert len(sent) == 1 and sent[0].startswith("本周整改提醒：有1项已过时限"), sent
    assert "每周自学" in sent[0] and chat.labels() == ["1. 办理"]
    assert next(r for r in await _pending(settings) if r.id == nudge.id).state == "skipped"


async def test_a_postponement_by_a_period_moves_the_current_deadline_on(chat: Chat) -> None:
    """申请延期 → 推迟一个月: a month after the deadline it had, not a month from today (which would be
    before it and refused); a period alone (6个月内) is read as any deadline is, from the meeting."""
    await _draft_with_deadlines(chat, ["2026年3月31日前", "2026年6月底前"])
    await chat.on_first_measure("申请延期")
    reply = await chat.say("推迟一个月")
    assert "已调整：整改时限：2026年4月30日（周四）（由原时限2026年3月31日（周二）顺延）" in reply
    await chat.say("调研任务调整。")
    await chat.on_first_measure("申请延期")
    reply = await chat.say("6个月内")
    assert "已调整：整改时限：2026年7月15日（周三）。" in reply and "顺延" not in reply
