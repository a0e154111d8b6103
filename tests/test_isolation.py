"""User B, with every command and every button pattern aimed at user A's identifiers, sees nothing
of A's and changes nothing of A's."""

from __future__ import annotations

import io
import logging
import zipfile
from typing import Any

import pytest
from docx import Document as open_docx
from sqlalchemy import select

from bot.settings import Settings
from handlers.common import TOO_FAST
from storage.db import Database
from storage.models import Base, Draft, DraftMember, Measure, Upload
from tests.conftest import Chat
from tests.test_access import unlimited
from tests.test_followup import MEASURES, _draft_with_deadlines

B = 5151
A_TEXTS = [*MEASURES, "学习不够深入", "按照支部通知要求", "甲方的材料.txt"]
COMMANDS = [
    "/start", "/help", "/new", "/drafts", "/status", "/report", "/check", "/deadlines", "/ledger",
    "/cancel", "/export_my_data", "/invite", "/users", "/stats", "/desk", "/batch", "/grant_reviewer 5151",
]  # fmt: skip
UPLOAD = "一、存在的主要问题\n1. 学习不够深入。\n二、整改措施\n1. 每周自学不少于4小时。\n".encode()


settings = unlimited


async def _rows_of_a(settings: Settings, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table that belongs to A (through A's drafts, measures or user id)."""
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        drafts = set(
            (await session.scalars(select(DraftMember.draft_id).where(DraftMember.user_id == user_id))).all()
        )
        measures = set((await session.scalars(select(Measure.id).where(Measure.draft_id.in_(drafts)))).all())
        found: dict[str, list[dict[str, Any]]] = {}
        for table in Base.metadata.sorted_tables:
            rows = [dict(r._mapping) for r in (await session.execute(select(table))).all()]
            found[table.name] = sorted(
                (
                    r
                    for r in rows
                    if r.get("user_id") == user_id
                    or (table.name == "users" and r["id"] == user_id)
                    or r.get("draft_id") in drafts
                    or (table.name == "drafts" and r["id"] in drafts)
                    or r.get("measure_id") in measures
                ),
                key=repr,
            )
    await db.dispose()
    return found


async def _identifiers(settings: Settings, user_id: int) -> dict[str, Any]:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        draft = await session.scalar(
            select(Draft).join(DraftMember).where(DraftMember.user_id == user_id).order_by(Draft.id)
        )
        assert draft is not None
        measures = (await session.scalars(select(Measure).where(Measure.draft_id == draft.id))).all()
        upload = await session.scalar(select(Upload.public_id).where(Upload.user_id == user_id))
    await db.dispose()
    return {
        "pub": draft.public_id,
        "cursor": draft.cursor,
        "measures": [m.id for m in measures],
        "answers": [m.answer_id for m in measures],
        "upload": upload,
    }


def _forged(ids: dict[str, Any], finding_keys: list[str]) -> list[str]:
    pub, cursor, upload = ids["pub"], ids["cursor"], ids["upload"]
    data = [
        f"home:resume:{pub}",
        f"new:kind:{pub}:personal_dsh",
        f"new:theme:{pub}:dsh-2025",
        f"new:paste:{pub}",
        f"new:nodate:{pub}",
        f"new:skip:{pub}:name",
        f"nav:back:{pub}:{cursor}",
        f"nav:go:{pub}:summary",
        f"sum:report:{pub}",
        f"sum:edit:{pub}",
        f"dl:later:{pub}",
        f"dr:open:{pub}",
        f"dr:del:{pub}",
        f"dr:delok:{pub}",
        f"rv:more:{pub}:0",
        f"up:import:{upload}",
        f"up:format:{upload}",
        *(f"rp:{fmt}:{pub}" for fmt in ("docx", "md", "txt", "xlsx")),
        *(f"sec:{a}:{pub}:{cursor}" for a in ("done", "undo", "manage", "keep", "skip", "show")),
        *(
            f"it:{a}:{pub}:{cursor}:{answer}"
            for a in ("open", "edit", "del", "lead", "up")
            for answer in ids["answers"]
        ),
        *(f"rv:ign:{pub}:{key}" for key in finding_keys),
    ]
    for measure in ids["measures"]:
        data += [f"fu:{a}:{measure}" for a in ("open", "done", "progress", "postpone", "evidence", "reason")]
        data += [f"dl:cadence:{pub}:{measure}:2026-06-30"]
    return data


def _document_text(filename: str, data: bytes) -> str:
    if filename.endswith(".docx"):
        return "\n".join(p.text for p in open_docx(io.BytesIO(data)).paragraphs)
    if filename.endswith((".zip", ".xlsx")):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(archive.read(n).decode(errors="replace") for n in archive.namelist())
    return data.decode(errors="replace")


async def test_b_can_neither_see_nor_change_anything_of_a(
    chat: Chat, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "立行立改"])
    await chat.harness.upload(chat.user_id, "甲方的材料.txt", UPLOAD, "text/plain")
    await chat.say("/check")
    finding_keys = [
        b.data.split(":", 3)[3]
        for row in chat.api.buttons(chat.api.last_bot_message(chat.user_id) or {})
        for b in row
        if b.data and b.data.startswith("rv:ign:")
    ]
    ids = await _identifiers(settings, chat.user_id)
    before = await _rows_of_a(settings, chat.user_id)

    b = Chat(chat.harness, B)
    await b.say("/start")
    seen: list[str] = []
    for command in COMMANDS:
        seen.append(await b.say(command))
    with caplog.at_level(logging.WARNING):
        for data in _forged(ids, finding_keys):
            await chat.harness.forge(B, data)
            seen.append(b.last_text())
            seen.append(await b.say("已完成全部整改。"))  # would answer a question about A's measure
    seen += [str(m.get("text", "")) for m in chat.api.bot_messages(B)]
    seen += [_document_text(d.filename, d.data) for d in chat.api.documents(B)]

    leaked = [t for t in A_TEXTS if any(t in s for s in seen)]
    assert not leaked
    assert not any(TOO_FAST in s for s in seen)  # every attempt was really processed
    assert await _rows_of_a(settings, chat.user_id) == before
    assert all("已完成全部整改" not in r.message for r in caplog.records)  # no answer text in logs


async def test_a_forged_callback_is_logged_without_content(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    await chat.say("/new")
    caplog.set_level(logging.WARNING, logger="duizhao.access")
    await chat.harness.forge(chat.user_id, "dr:open:NOTMYDRAFT12")
    await chat.harness.forge(chat.user_id, "fu:open:999999")
    refusals = [r.getMessage() for r in caplog.records if r.name == "duizhao.access"]
    assert any("draft" in m for m in refusals) and any("measure" in m for m in refusals)
