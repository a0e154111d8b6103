"""A non-member of a team draft (forged buttons, stale and revoked links) and a member reaching for
the owner's buttons change nothing and see nothing of it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from bot.botapi import InProcessBotApi
from bot.settings import Settings
from handlers.common import BAD_INVITE, NOT_YET_ADMITTED
from storage.db import Database
from storage.models import (
    Answer,
    Comment,
    Draft,
    DraftMember,
    Measure,
    Proposal,
    Reminder,
    Submission,
    TeamInvite,
)
from tests.conftest import TEST_NOW, Chat, start_bot
from tests.test_access import make_settings, rows_mentioning
from tests.test_team_e2e import LI, OWNER, SECRETARY, STRANGER, WANG, _invite, _join, _propose, _team_draft

SECRET = "班子内部才知道的问题"
TABLES = (Draft, DraftMember, Answer, Proposal, TeamInvite, Measure, Reminder, Submission, Comment)


async def _rows(db: Database) -> dict[str, list[dict[str, Any]]]:
    async with db.transaction() as session:
        found = {}
        for model in TABLES:
            rows = (await session.execute(select(model.__table__))).all()
            found[model.__tablename__] = sorted((dict(r._mapping) for r in rows), key=repr)
        return found


def _forged(pub: str, proposal: int, code: str, sub: str = "", item: int = 1) -> list[str]:
    data = [f"tm:{a}:{pub}" for a in ("board", "members", "revoke", "home", "status", "aspects", "leave")]
    data += [f"tm:tog:{pub}:1"]
    data += [f"tm:inv:{pub}:member", f"tm:inv:{pub}:approver", f"tm:join:{code}:1", f"tm:join:{code}:0"]
    data += [f"tm:page:{pub}:1", f"tm:asp:{pub}:1", f"tm:role:{pub}:{LI}:approver"]
    data += [f"tm:{a}:{pub}:{user}" for a in ("mem", "rm", "own", "ownok") for user in (LI, OWNER)]
    data += [f"pp:{a}:{pub}" for a in ("list", "sorted", "mine")]
    data += [f"pp:{a}:{pub}:{proposal}" for a in ("ok", "edit", "no", "merge", "sort")]
    data += [f"pp:with:{pub}:{proposal}:{proposal}", f"pp:to:{pub}:{proposal}:2", f"pp:op:{pub}:opinion"]
    data += [f"ap:{a}:{pub}" for a in ("submit", "notes", "hist")]
    if sub:
        data += [f"ap:{a}:{sub}" for a in ("ok", "ret")] + [f"ap:read:{sub}:1", f"ap:c:{sub}:{item}"]
    return data


async def test_outsiders_and_members_cannot_reach_what_is_not_theirs(settings: Settings) -> None:
    api = InProcessBotApi()
    db = Database(settings.effective_database_url)
    async with start_bot(settings, api) as harness:
        owner, li, wang, stranger = (Chat(harness, u) for u in (OWNER, LI, WANG, STRANGER))
        await _team_draft(owner)
        link = await _invite(owner, "邀请班子成员")
        await _join(li, link, "李四 镇长")
        await _join(wang, link, "王五 副镇长")
        await _join(Chat(harness, SECRETARY), await _invite(owner, "邀请审定人"), "赵六 党委书记")
        await _propose(li, SECRET + "。全年只学习了4次。")
        await owner.say("/team")
        await owner.press("处理建议（1）")
        await owner.press("1 采纳")
        await owner.say("/team")
        await owner.press("报送审定")
        revoked = await _invite(owner, "邀请班子成员")
        await owner.say("/team")
        await owner.press("撤销全部邀请链接")
        expired = await _invite(owner, "邀请审定人")
        async with db.transaction() as session:
            await session.execute(
                update(TeamInvite).values(expires_at=TEST_NOW - timedelta(minutes=1))  # the bot's clock
            )
            pub = (await session.scalars(select(Draft.public_id))).one()
            proposal = (await session.scalars(select(Proposal.id))).one()
            sub = (await session.scalars(select(Submission.public_id))).one()
            item = (await session.scalars(select(Answer.id).where(Answer.section == "problems"))).first()
        before = await _rows(db)

        seen = [await stranger.say(f"/start {revoked}"), await stranger.say(f"/start {expired}")]
        assert all("邀请链接已失效" in s for s in seen)
        seen.append(await stranger.say("/team"))
        for data in _forged(pub, proposal, revoked[3:], sub, item or 1):
            seen.append("\n".join(e.text or "" for e in await harness.forge(STRANGER, data)))
            seen.append(await stranger.say("改成我写的内容"))  # would answer a question opened by a button
        assert not any(SECRET in s or "青山镇" in s or "李四" in s for s in seen)
        assert await _rows(db) == before

        # A member pressing the owner's buttons (forged) changes nothing either.
        for data in _forged(pub, proposal, revoked[3:], sub, item or 1):
            if data.split(":")[1] in ("board", "home", "page", "asp", "mine", "list", "hist"):
                continue  # what a member may do
            await harness.forge(WANG, data)
            await wang.say("改成我写的内容")
        after = await _rows(db)
        assert after["answers"] == before["answers"] and after["proposals"] == before["proposals"]
        assert after["draft_members"] == before["draft_members"]
        assert after["submissions"] == before["submissions"] and after["comments"] == before["comments"]
    await db.dispose()


async def test_a_team_or_batch_link_tells_a_stranger_of_a_closed_bot_to_get_access_first(
    database_url: str, tmp_path: Path
) -> None:
    """The link opens a draft or a batch, not the bot (SECURITY.md); but it is not what is wrong,
    and "invalid or expired" would send him back to its sender."""
    settings = make_settings(database_url, tmp_path, invite_only=True, allowed_users=[OWNER])
    async with start_bot(settings, InProcessBotApi()) as harness:
        owner, stranger = Chat(harness, OWNER), Chat(harness, STRANGER)
        await _team_draft(owner)
        told = await stranger.say(f"/start {await _invite(owner, '邀请班子成员')}")
        assert told == NOT_YET_ADMITTED.format(link="班子材料的邀请链接"), told
        assert "联系管理员" in told and BAD_INVITE not in told
        told = await stranger.say("/start b_AbCdEf123456")
        assert told == NOT_YET_ADMITTED.format(link="审阅批次的链接"), told
    assert await rows_mentioning(settings, STRANGER) == []
