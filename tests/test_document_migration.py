"""A draft written before the document model: migration 0004 strips the typed markers and finds leads,
losing no character, and the bot then shows and exports it numbered once."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import asyncpg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.botapi import InProcessBotApi
from bot.settings import Settings
from storage.db import Database, upgrade_database
from storage.models import Answer, AnswerRevision, AnswerRole, Draft, Measure
from tests.conftest import PG_URL_VARIABLE, Chat, _asyncpg_dsn, start_bot

USER = 4242
OLD_ANSWERS = [  # (section, aspect, position, text) as the first version stored them
    ("preamble", 0, 0, "按照县委通知要求，现将本人对照检查情况报告如下："),
    ("last_year", 0, 0, "2024年度民主生活会本人共查摆问题2条，均已完成整改。"),
    ("last_year", 0, 1, "学习不够系统。已制定学习计划，完成专题研讨4次。"),
    ("last_year", 0, 2, "调研不够深入。全年到基层调研12次。"),
    ("problems", 1, 0, "一是理论学习不深。今年自学记录只有14篇。"),
    ("problems", 1, 1, "二是调查研究不实。全年到基层调研仅3次。"),
    ("problems", 1, 2, "三是党性修养有所放松。参加联系支部活动仅2次。"),
    ("measures", 0, 0, "针对以上问题，我将从以下几个方面整改："),
    ("measures", 0, 1, "坚持每周自学不少于4小时。"),
]


@pytest.fixture
async def empty_database_url(tmp_path: Path) -> AsyncIterator[str]:
    """A database with no schema yet, on SQLite or on the PostgreSQL server the suite uses."""
    server = os.environ.get(PG_URL_VARIABLE)
    if not server:
        yield f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
        return
    name = f"duizhao_old_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(_asyncpg_dsn(server))
    await admin.execute(f'CREATE DATABASE "{name}"')
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


async def _write_old_draft(url: str) -> None:
    db = Database(url)
    async with db.engine.begin() as connection:
        await connection.execute(sa.text("INSERT INTO users (id) VALUES (:id)"), {"id": USER})
        drafts = sa.table(
            "drafts",
            *(
                sa.column(n)
                for n in ("id", "public_id", "kind", "theme_key", "theme_label", "year", "cursor")
            ),
            *(sa.column(n) for n in ("completed", "version", "meeting_date")),
            sa.column("aspects", sa.JSON),
            sa.column("extra_matters", sa.JSON),
            sa.column("meta", sa.JSON),
        )
        await connection.execute(
            drafts.insert().values(
                id=1,
                public_id="OLDDRAFT0001",
                kind="personal_dsh",
                theme_key="dsh-2024",
                theme_label="2024年度",
                year=2024,
                cursor="summary",
                completed=True,
                version=1,
                aspects=[{"text": "政治方面", "heading": "在政治方面"}],
                extra_matters=[],
                meta={"name": "张三", "unit": "县商务局", "position": "局长"},
            )
        )
        await connection.execute(
            sa.text("INSERT INTO draft_members (draft_id, user_id, role) VALUES (1, :u, 'owner')"),
            {"u": USER},
        )
        await connection.execute(sa.text("UPDATE users SET active_draft_id = 1 WHERE id = :u"), {"u": USER})
        for number, (section, aspect, position, text) in enumerate(OLD_ANSWERS, start=1):
            await connection.execute(
                sa.text(
                    "INSERT INTO answers (id, draft_id, section, aspect, position, text) "
                    "VALUES (:id, 1, :section, :aspect, :position, :text)"
                ),
                {"id": number, "section": section, "aspect": aspect, "position": position, "text": text},
            )
            if section == "measures":
                await connection.execute(
                    sa.text("INSERT INTO measures (draft_id, answer_id, status) VALUES (1, :a, '未启动')"),
                    {"a": number},
                )
    await db.dispose()


async def test_a_draft_written_before_the_model_reads_and_exports_numbered_once(
    empty_database_url: str, tmp_path: Path
) -> None:
    url = empty_database_url
    await asyncio.to_thread(upgrade_database, url, "0003")
    await _write_old_draft(url)
    await asyncio.to_thread(upgrade_database, url)

    db = Database(url)
    async with db.transaction() as session:
        answers = {a.id: a for a in await session.scalars(sa.select(Answer))}
        revisions = {r.answer_id: r.text for r in await session.scalars(sa.select(AnswerRevision))}
        measures = [m.answer_id for m in await session.scalars(sa.select(Measure))]
    await db.dispose()
    assert answers[5].text == "理论学习不深。今年自学记录只有14篇。"
    assert answers[7].text == "党性修养有所放松。参加联系支部活动仅2次。"
    assert answers[2].role == AnswerRole.LEAD and answers[3].role == AnswerRole.ITEM
    assert answers[8].role == AnswerRole.LEAD and measures == [9]  # a lead is no measure
    assert (
        answers[1].role == AnswerRole.ITEM and answers[1].text == OLD_ANSWERS[0][3]
    )  # text sections untouched
    # Nothing is lost: every changed answer's earlier text is in its history.
    assert revisions == {
        5: OLD_ANSWERS[4][3],
        6: OLD_ANSWERS[5][3],
        7: OLD_ANSWERS[6][3],
        2: OLD_ANSWERS[1][3],
        8: OLD_ANSWERS[7][3],
    }

    settings = Settings(_env_file=None, database_url=url, data_dir=tmp_path / "data", bot_token=None)  # type: ignore[call-arg]
    async with start_bot(settings, InProcessBotApi()) as harness:
        chat = Chat(harness, USER)
        await chat.say("/report")
        await chat.press("纯文本")
        if "仍然生成" in chat.labels():
            await chat.press("仍然生成")
        text = chat.api.documents(USER)[-1].data.decode()
    lines = text.splitlines()
    assert "2024年度民主生活会本人共查摆问题2条，均已完成整改。" in lines
    assert "（一）学习不够系统。已制定学习计划，完成专题研讨4次。" in lines
    assert "一是理论学习不深。今年自学记录只有14篇。" in lines
    assert "三是党性修养有所放松。参加联系支部活动仅2次。" in lines
    assert "针对以上问题，我将从以下几个方面整改：" in lines
    assert "坚持每周自学不少于4小时。" in lines  # the section's one point: no （一）


async def test_a_draft_on_the_theme_for_any_year_loses_its_label(empty_database_url: str) -> None:
    """Drafts on the 通用 组织生活会 theme stored 通用 as their 年度 label, which the title showed."""
    url = empty_database_url
    await asyncio.to_thread(upgrade_database, url, "0013")
    db = Database(url)
    async with db.engine.begin() as connection:
        rows = (
            ("通用", None, None),
            ("通用", None, date(2027, 1, 12)),
            ("2025年度", 2025, date(2026, 1, 15)),
        )
        for number, (label, year, meeting) in enumerate(rows, start=1):
            await connection.execute(
                sa.text(
                    "INSERT INTO drafts (id, public_id, kind, theme_key, theme_label, year, meeting_date,"
                    " cursor, completed, version, aspects, extra_matters, meta) VALUES (:id, :public_id,"
                    " 'member_zzsh', 'zzsh-default', :label, :year, :meeting, 'summary', false, 1,"
                    " '[]', '[]', '{}')"
                ),
                {
                    "id": number,
                    "public_id": f"YEARLESS{number:04d}",
                    "label": label,
                    "year": year,
                    "meeting": meeting,
                },
            )
    await db.dispose()
    await asyncio.to_thread(upgrade_database, url)
    db = Database(url)
    async with db.transaction() as session:
        found = {d.id: (d.theme_label, d.year) for d in await session.scalars(sa.select(Draft))}
    await db.dispose()
    assert found == {1: (None, None), 2: ("2026年度", 2026), 3: ("2025年度", 2025)}


async def test_items_stored_with_a_circled_number_or_a_sequence_word_lose_it(
    empty_database_url: str, tmp_path: Path
) -> None:
    """Items stored before the splitter knew ①, 其次， or 1）, or kept the 、 typed after （4）."""
    url = empty_database_url
    await asyncio.to_thread(upgrade_database, url, "0003")
    await _write_old_draft(url)
    await asyncio.to_thread(upgrade_database, url, "0015")
    typed = {
        3: "、 学习不够系统。已制定学习计划，完成专题研讨4次。",
        5: "①理论学习不深。今年自学记录只有14篇。",
        6: "其次，调查研究不实。全年到基层调研仅3次。",
        7: "3）党性修养有所放松。参加联系支部活动仅2次。",
    }
    db = Database(url)
    async with db.engine.begin() as connection:
        for answer_id, text in typed.items():
            await connection.execute(
                sa.text("UPDATE answers SET text = :text WHERE id = :id"), {"text": text, "id": answer_id}
            )
    await db.dispose()
    await asyncio.to_thread(upgrade_database, url)

    db = Database(url)
    async with db.transaction() as session:
        answers = {a.id: a.text for a in await session.scalars(sa.select(Answer))}
        kept = {
            r.answer_id: r.text
            for r in await session.scalars(sa.select(AnswerRevision).order_by(AnswerRevision.id))
        }
    await db.dispose()
    assert answers[6] == "调查研究不实。全年到基层调研仅3次。"
    assert answers[4] == OLD_ANSWERS[3][3]  # nothing typed before it: untouched
    assert {n: kept[n] for n in typed} == typed  # nothing is lost: the text as typed is in its history

    settings = Settings(_env_file=None, database_url=url, data_dir=tmp_path / "data", bot_token=None)  # type: ignore[call-arg]
    async with start_bot(settings, InProcessBotApi()) as harness:
        chat = Chat(harness, USER)
        await chat.say("/report")
        await chat.press("纯文本")
        if "仍然生成" in chat.labels():
            await chat.press("仍然生成")
        lines = chat.api.documents(USER)[-1].data.decode().splitlines()
    assert "（一）学习不够系统。已制定学习计划，完成专题研讨4次。" in lines
    assert "一是理论学习不深。今年自学记录只有14篇。" in lines
    assert "二是调查研究不实。全年到基层调研仅3次。" in lines
    assert "三是党性修养有所放松。参加联系支部活动仅2次。" in lines
