"""What a team draft tells a member of a change to his membership, and the owner of a member's
leaving or of what a leader did with his measure, is committed with the change: a process killed
right after the commit leaves it to the reminder job, which sends each once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.botapi import InProcessBotApi
from bot.flows import followup, notices, team_members
from bot.settings import Settings
from storage.db import Database
from storage.models import Reminder
from tests.conftest import Chat, killed_after_commit, start_bot
from tests.test_access import unlimited
from tests.test_team_e2e import (
    LI,
    OWNER,
    SECRETARY,
    STRANGER,
    WANG,
    _invite,
    _job_rounds,
    _join,
    _measure_led_by_li,
    _once,
    _owner_and_member,
    _team_draft,
    api_texts,
)

settings = unlimited  # six people joining and leaving: more updates than one user's burst
ZHOU = 1006


async def _notes(settings: Settings) -> list[tuple[str, str | None]]:
    """The kind and note of every team notice row."""
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        rows = (
            await session.execute(select(Reminder.kind, Reminder.note).where(Reminder.kind.in_(notices.TEAM)))
        ).all()
    await db.dispose()
    return [(kind, note) for kind, note in rows]


async def test_membership_notices_outlive_a_process_killed_after_the_commit(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change of role, a removal, two members leaving the same draft and a handover, each killed
    right after its commit: after a restart the job tells each person once, names included."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        owner = Chat(harness, OWNER)
        li, wang, secretary, sun, zhou = (Chat(harness, u) for u in (LI, WANG, SECRETARY, STRANGER, ZHOU))
        await _team_draft(owner)
        link = await _invite(owner, "邀请班子成员")
        for chat, name in (
            (li, "李四 镇长"),
            (wang, "王五 副镇长"),
            (sun, "孙七 副镇长"),
            (zhou, "周八 武装部长"),
        ):
            await _join(chat, link, name)
        await _join(secretary, await _invite(owner, "邀请审定人"), "赵六 党委书记")
        for flow in ("change_role", "remove", "leave", "transfer"):
            monkeypatch.setattr(team_members, flow, killed_after_commit(getattr(team_members, flow)))

        await owner.say("/team")
        await owner.press("成员管理")
        await owner.press("班子成员：李四 镇长")
        await owner.press("改为审定人")
        await owner.say("/team")
        await owner.press("成员管理")
        await owner.press("班子成员：王五 副镇长")
        await owner.press("移出")
        for chat in (secretary, zhou):
            await chat.say("/team")
            await chat.press("退出这份班子材料")
            await chat.press("确认退出")
        await owner.say("/team")
        await owner.press("成员管理")
        await owner.press("班子成员：孙七 副镇长")
        await owner.press("转交起草人")
        await owner.press("确认转交")
    monkeypatch.undo()
    told = "\n".join(api_texts(api, u) for u in (OWNER, LI, WANG, STRANGER))
    assert not any(
        words in told for words in ("身份已改为", "将您移出", "已退出", "您已成为")
    )  # nothing sent
    assert ("team_left", "赵六 党委书记") in await _notes(settings)  # his name, kept for the notice
    async with start_bot(settings, api) as harness:  # restarted on the same database
        await _job_rounds(harness)
        await _job_rounds(harness)
    assert "您在《青山镇领导班子" in _once(api, LI, "身份已改为审定人")
    assert "起草人已将您移出《青山镇领导班子" in _once(api, WANG, "将您移出")
    assert "起草人，可以修改和汇总材料" in _once(api, STRANGER, "您已成为《青山镇领导班子")
    _once(api, OWNER, "赵六 党委书记已退出《青山镇领导班子")
    _once(api, OWNER, "周八 武装部长已退出《青山镇领导班子")
    assert all(note is None for _, note in await _notes(settings))  # no name kept once told


async def test_a_member_who_leaves_and_forgets_is_not_named_by_a_notice(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process dies after a member left, before the owner heard; the member then sends /forget:
    the notice that kept his name goes with him."""
    async with _owner_and_member(settings) as (owner, li):
        monkeypatch.setattr(team_members, "leave", killed_after_commit(team_members.leave))
        await li.say("/team")
        await li.press("退出这份班子材料")
        await li.press("确认退出")
        monkeypatch.undo()
        await li.say("/forget")
        await li.press("确认全部删除")
        api = owner.api
    assert await _notes(settings) == []
    async with start_bot(settings, api) as harness:
        await _job_rounds(harness)
    assert "李四" not in api_texts(api, OWNER).split("李四 镇长已加入")[-1]


async def test_a_leaders_action_outlives_a_process_killed_after_the_commit(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """李四 reports progress on the measure he leads and the process dies right after the commit:
    after a restart the job tells the owner, once, what he wrote."""
    async with _owner_and_member(settings) as (owner, li):
        await _measure_led_by_li(owner)
        await li.on_first_measure("报告进展")
        monkeypatch.setattr(followup, "on_pending_text", killed_after_commit(followup.on_pending_text))
        await li.say("已召开第一次专题会，梳理问题12条。")
        api = owner.api
    monkeypatch.undo()
    assert "办理整改措施" not in api_texts(api, OWNER)
    async with start_bot(settings, api) as harness:
        await _job_rounds(harness)
        await _job_rounds(harness)
    told = _once(api, OWNER, "李四 镇长办理整改措施“每季度召开一次专题会研究营商环境问题。”")
    assert "报告进展：已召开第一次专题会，梳理问题12条。" in told
