"""The desk's access rules under forged buttons: a reviewer reaches only his batches' submissions, a
cadre only his own; another reviewer, another cadre and the author himself, pressing every desk
route with the batch's and the submission's identifiers, see nothing and change nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.botapi import InProcessBotApi
from bot.callbacks import ROUTES, Flow
from bot.settings import Settings
from storage import crypto
from storage.db import Database
from storage.models import BatchMember, Comment, ReviewBatch, Submission, UserRole
from tests.conftest import Chat, start_bot
from tests.test_desk_e2e import ADMIN, _join, _material, _upload, desk_settings

REVIEWER, OTHER_REVIEWER, AUTHOR, STRANGER = 901, 902, 1001, 1009
SECRET = "落实意识形态工作责任不够到位。上半年对分管单位阵地管理检查只有1次，发现问题整改督促不紧。"
COMMENT = "请补充整改时限和责任人"

settings = desk_settings


async def _state(settings: Settings) -> list[Any]:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        rows: list[Any] = []
        for model in (ReviewBatch, BatchMember, Submission, Comment, UserRole):
            for row in (await session.scalars(select(model))).all():
                rows.append({c.key: getattr(row, c.key) for c in row.__mapper__.column_attrs})
    await db.dispose()
    return sorted(rows, key=repr)


def _forged(batch: str, submission: str, items: list[int]) -> list[str]:
    found = []
    for (flow, action), types in ROUTES.items():
        if flow is not Flow.DESK and (flow, action) != (Flow.UPLOAD, "desk"):
            continue
        if action == "kind":
            found.append(f"dk:kind:{batch}:personal_dsh")
        elif action == "theme":
            found.append(f"dk:theme:{batch}:dsh-2024")
        elif action == "sub":
            found.append(f"dk:sub:{batch}:{submission}")
        elif action == "c":
            found += [f"dk:c:{submission}:{item}" for item in items]
        elif flow is Flow.UPLOAD:
            found.append(f"up:desk:{submission}:{batch}")
        elif types:
            found += [f"dk:{action}:{batch}", f"dk:{action}:{submission}"]
        else:
            found.append(f"dk:{action}")
    return found


async def test_nobody_but_the_batchs_reviewer_and_the_author_reaches_a_submission(settings: Settings) -> None:
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        admin, reviewer = Chat(harness, ADMIN), Chat(harness, REVIEWER)
        other, author, stranger = (
            Chat(harness, OTHER_REVIEWER),
            Chat(harness, AUTHOR),
            Chat(harness, STRANGER),
        )
        await admin.say("/grant_reviewer 901")
        await admin.say("/grant_reviewer 902")
        await reviewer.say("/batch")
        await reviewer.say("县委办\n2025年度民主生活会\n2099年1月10日")
        await reviewer.press("个人对照检查材料")
        link = re.search(r"start=(b_\w+)", await reviewer.press("2025年度民主生活会"))
        assert link is not None
        batch = link.group(1).removeprefix("b_")
        await _join(author, link.group(1), "李四")
        await _upload(author, "李四.txt", _material("李四", [SECRET]))
        await author.press("提交到审核批次：县委办")
        await reviewer.say("/desk")
        await reviewer.press("1. 李四")
        await reviewer.press("写总体意见")
        await reviewer.say(COMMENT)
        db = Database(settings.effective_database_url)
        async with db.transaction() as session:
            handed = await session.scalar(select(Submission))
            assert handed is not None
            submission = handed.public_id
        await db.dispose()
        items = [1, 2, 3]
        # The other reviewer has a batch of his own, the stranger none.
        await other.say("/batch")
        await other.say("县政府办\n2025年度民主生活会\n2099年1月10日")
        await stranger.say("/start")
        before = await _state(settings)

        for chat in (other, stranger, author):
            for data in _forged(batch, submission, items):
                await harness.forge(chat.user_id, data)
                await chat.say("这条消息不应成为任何批注")
            seen = "\n".join(str(m.get("text", "")) for m in api.bot_messages(chat.user_id))
            seen += "".join(d.filename + d.data.decode(errors="replace") for d in api.documents(chat.user_id))
            if chat is not author:
                assert SECRET[:12] not in seen and COMMENT not in seen and "李四" not in seen
        assert await _state(settings) == before


# -- at rest and after /forget ----------------------------------------------------------------------

UNIT, REMARK = "县审计局试点党组", "请补上整改回访记录"
PROBLEM = "审计整改跟踪问效不够有力。对9个项目的整改只看报告不看现场。"
REASON = "问题查摆停留在工作层面，请从思想上重新剖析。"


async def _desk_journey(harness: Any) -> None:
    admin, reviewer, author = Chat(harness, ADMIN), Chat(harness, REVIEWER), Chat(harness, AUTHOR)
    await admin.say("/grant_reviewer 901")
    await reviewer.say("/batch")
    await reviewer.say(f"{UNIT}\n2025年度民主生活会\n2099年1月10日")
    await reviewer.press("个人对照检查材料")
    link = re.search(r"start=(b_\w+)", await reviewer.press("2025年度民主生活会"))
    assert link is not None
    await _join(author, link.group(1), "周八")
    await _upload(author, "周八.txt", _material("李四", [PROBLEM]))
    await author.press(f"提交到审核批次：{UNIT}")
    await reviewer.say("/desk")
    await reviewer.press("1. 李四")  # the file says whose it is (its title), whatever his Telegram name
    await reviewer.press("写总体意见")
    await reviewer.say(REMARK)
    await reviewer.press("退回修改")
    await reviewer.say(REASON)


def _markers(settings: Settings) -> list[str]:
    database = Path(str(make_url(settings.effective_database_url).database))
    files = (database, database.with_name(database.name + "-wal"))
    raw = b"".join(p.read_bytes() for p in files if p.exists())
    return [m for m in (UNIT, PROBLEM, REMARK, REASON) if m.encode() in raw]


async def test_the_desk_keeps_no_text_in_clear_with_keys_and_none_after_forget(settings: Settings) -> None:
    if not settings.effective_database_url.startswith("sqlite"):
        pytest.skip("reads the SQLite file's bytes")
    keyed = settings.model_copy(update={"encryption_keys": [SecretStr(Fernet.generate_key().decode())]})
    try:
        async with start_bot(keyed, InProcessBotApi()) as harness:
            await _desk_journey(harness)
        assert _markers(keyed) == []
    finally:
        crypto.configure([])


async def test_forget_takes_a_reviewers_batches_and_a_cadres_submissions(settings: Settings) -> None:
    if not settings.effective_database_url.startswith("sqlite"):
        pytest.skip("reads the SQLite file's bytes")
    async with start_bot(settings, InProcessBotApi()) as harness:
        await _desk_journey(harness)
        assert _markers(settings) == [
            UNIT,
            PROBLEM,
            REMARK,
            REASON,
        ]  # plain without keys, so the check can see it
        author, reviewer = Chat(harness, AUTHOR), Chat(harness, REVIEWER)
        await author.say("/forget")
        assert "提交审核的材料1份、审核批注1条" in await author.press("确认全部删除")
        await reviewer.say("/forget")
        assert "审核批次1个" in await reviewer.press("确认全部删除")
    assert _markers(settings) == []
    assert [r for r in await _state(settings) if "role" not in r] == []
