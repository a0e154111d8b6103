"""A 领导班子's measure shows its 责任领导 and 责任部门 where the ledger files them: in /deadlines,
on its card and in its reminders, the parts given (a leader picked from the team by the name he
gave the team), 未填 where none was; a personal material shows no such line."""

from __future__ import annotations

from sqlalchemy import update

from bot.botapi import InProcessBotApi
from bot.settings import Settings
from handlers.followup import dispatch_once
from storage.db import Database
from storage.models import Measure
from tests.conftest import Chat, start_bot
from tests.test_followup import _pending, _services
from tests.test_rectification_chain import _ledger, _rows
from tests.test_team_e2e import (
    LI,
    OWNER,
    WANG,
    _invite,
    _join,
    _measure_led_by_li,
    _team_draft,
)

TEAM = "领导班子对照检查材料"
MEASURES = ["每季度召开一次专题会研究营商环境问题。", "每月开展一次谈心谈话。"]


async def _team_measures(chat: Chat) -> None:
    """A 领导班子 material of no members at its deadlines step, with ``MEASURES``."""
    await chat.write_measures(
        TEAM, MEASURES, identity=["青山镇"], theme="2024年度民主生活会（4个方面）", meeting="2025年1月20日"
    )


async def _first_reminder(chat: Chat, settings: Settings) -> None:
    """The reminder due first sent, as the job sends it."""
    first = min(
        (r for r in await _pending(settings) if r.measure_id is not None and r.state == "pending"),
        key=lambda r: r.due_at,
    )
    await dispatch_once(chat.harness.application.bot, _services(chat), now=first.due_at)


async def test_a_team_measures_leader_and_department_are_shown_as_the_ledger_files_them(
    chat: Chat, settings: Settings
) -> None:
    await _team_measures(chat)
    await chat.say("2027年6月底前")
    await chat.say("李四（镇长）、党政办")
    await chat.say("2027年9月底前")
    reply = await chat.say("县商务局办公室")
    assert "各条整改措施的时限都已设定" in reply

    await chat.say("/ledger")
    leads = {(r["责任领导"], r["责任部门"]) for r in _rows(_ledger(chat)) if r["整改措施"]}
    assert leads == {("李四（镇长）", "党政办"), (None, "县商务局办公室")}

    reply = await chat.say("/deadlines")
    assert "2027年6月30日（周三）前 · 未启动 · 责任领导：李四（镇长）；责任部门：党政办\n" in reply
    assert "2027年9月30日（周四）前 · 未启动 · 责任部门：县商务局办公室\n" in reply  # no leader given
    reply = await chat.press("1. 办理")
    assert "时限：2027年6月30日（周三）前\n责任领导：李四（镇长）；责任部门：党政办\n状态：未启动" in reply

    await _first_reminder(chat, settings)
    assert "营商环境" in chat.last_text()
    assert "\n责任领导：李四（镇长）；责任部门：党政办\n" in chat.last_text()


async def test_a_team_measure_stored_without_its_owner_shows_it_unfilled(
    chat: Chat, settings: Settings
) -> None:
    await _team_measures(chat)
    await chat.say("2027年6月底前")
    await chat.say("李四（镇长）、党政办")
    await chat.say("2027年9月底前")
    await chat.say("县商务局办公室")
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        await session.execute(update(Measure).values(owner=None))
    await db.dispose()

    reply = await chat.say("/deadlines")
    assert reply.count("· 未启动 · 责任领导和责任部门：未填\n") == 2
    reply = await chat.press("2. 办理")
    assert "前\n责任领导和责任部门：未填\n状态：未启动" in reply


async def test_a_leader_picked_from_the_team_is_shown_by_the_name_he_gave_it(settings: Settings) -> None:
    """The card of the owner and the reminder to 李四 name him as he joined (李四 镇长), with the
    department written; after the owner gives the measure to 王五, the card names 王五."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner, li, wang = Chat(harness, OWNER), Chat(harness, LI), Chat(harness, WANG)
        await _team_draft(owner)
        link = await _invite(owner, "邀请班子成员")
        await _join(li, link, "李四 镇长")
        await _join(wang, link, "王五 副镇长")
        await _measure_led_by_li(owner)
        assert "\n责任领导：李四 镇长；责任部门：党政办\n状态：未启动" in owner.last_text()
        await owner.say("/ledger")
        rows = {(r["责任领导"], r["责任部门"]) for r in _rows(_ledger(owner)) if r["整改措施"]}
        assert rows == {("李四 镇长", "党政办")}

        planned = [r for r in await _pending(settings) if r.measure_id is not None and r.state == "pending"]
        assert {r.user_id for r in planned} == {LI}
        await dispatch_once(harness.application.bot, _services(owner), now=planned[0].due_at)
        assert "营商环境" in li.last_text() and "\n责任领导：李四 镇长；责任部门：党政办\n" in li.last_text()

        await owner.say("/deadlines")
        await owner.press("1. 办理")
        await owner.press("改由王五 副镇长牵头")
        reply = await owner.say("/deadlines")
        assert "· 责任领导：王五 副镇长；责任部门：党政办\n" in reply
        reply = await owner.press("1. 办理")
        assert "\n责任领导：王五 副镇长；责任部门：党政办\n" in reply


async def test_a_personal_materials_measure_shows_no_owner(chat: Chat, settings: Settings) -> None:
    await chat.write_measures("组织生活会发言提纲", ["每周自学不少于2小时。"])
    await chat.say("2026年6月底前")
    reply = await chat.say("/deadlines")
    assert "责任" not in reply
    reply = await chat.press("1. 办理")
    assert "时限：2026年6月30日（周二）前\n状态：未启动" in reply
    await _first_reminder(chat, settings)
    assert "自学" in chat.last_text() and "责任" not in chat.last_text()
