"""Submissions: a snapshot of a material handed in, comments on its items, what changed since a return."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import load_catalog
from bot.draftview import DraftView
from bot.parsing import parse_text
from bot.settings import Settings
from bot.submissions import (
    ChangeKind,
    Snapshot,
    Source,
    Status,
    changes,
    of_document,
    of_draft,
    review_snapshot,
    summarize,
)
from storage import repo
from storage import submissions as store
from storage.db import Database
from storage.models import Comment, Draft, Submission

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
PROBLEMS = [
    "理论学习不够系统。今年自学记录只有9篇，多为摘抄。",
    "调查研究不够深入。全年到基层调研4次，没有形成调研报告。",
]


async def _draft(session: AsyncSession, user_id: int) -> Draft:
    user = await repo.lock_user(session, user_id)
    draft = await repo.create_draft(session, user, "summary")
    catalog = load_catalog()
    theme = catalog.themes["dsh-2024"]
    draft.kind, draft.theme_key, draft.theme_label, draft.year = "personal_dsh", theme.key, theme.label, 2024
    draft.aspects = [{"text": a.text, "heading": f"在{a.text}方面"} for a in theme.aspects]
    draft.meeting_date = date(2025, 1, 10)
    draft.meta = {"name": "李四", "unit": "县财政局", "position": "副局长"}
    draft.completed = True
    repo.add_answer(
        draft,
        "preamble",
        0,
        0,
        "按照要求，现将对照检查情况报告如下：",
        author_id=user_id,
        source=None,
        is_measure=False,
    )
    for position, text in enumerate(PROBLEMS):
        repo.add_answer(
            draft, "problems", 1, position, text, author_id=user_id, source=None, is_measure=False
        )
    repo.add_answer(
        draft, "causes", 0, 0, "理想信念有所松懈。", author_id=user_id, source=None, is_measure=False
    )
    await session.flush()
    return draft


async def test_a_snapshot_keeps_the_material_and_its_item_ids_whatever_the_draft_does_later(
    settings: Settings,
) -> None:
    db = Database(settings.effective_database_url)
    catalog = load_catalog()
    async with db.transaction() as session:
        draft = await _draft(session, 11)
        view = DraftView.build(catalog, draft)
        first = of_draft(view)
        series = store.Series("batch", 7, 11)
        handed = await store.submit(
            session,
            series,
            first,
            author_id=11,
            now=NOW,
            public_id="s1",
            draft_id=draft.id,
            summary=summarize(review_snapshot(first, catalog)),
        )
        problem_ids = [a.id for a in draft.answers if a.section == "problems"]
        draft.answers[1].text = "改过的文字。"  # the draft moves on
        await session.flush()
    async with db.transaction() as session:
        stored = await store.by_public_id(session, "s1")
        assert stored is not None and stored.version == 1 and stored.status == Status.SUBMITTED
        snapshot = Snapshot.of(stored)
        assert [i.id for _, i in snapshot.items() if _.key == "problems.1"] == problem_ids
        assert [i.text for _, i in snapshot.items() if _.key == "problems.1"] == PROBLEMS
        assert snapshot.name == "李四" and snapshot.position == "副局长" and snapshot.kind == "personal_dsh"
        assert snapshot.meeting_date == date(2025, 1, 10) and snapshot.year == 2024
        assert stored.summary["error"] + stored.summary["warning"] >= 1, stored.summary
        assert handed.id == stored.id
    await db.dispose()


async def test_versions_count_per_series_and_an_undecided_one_is_superseded(settings: Settings) -> None:
    db = Database(settings.effective_database_url)
    catalog = load_catalog()
    async with db.transaction() as session:
        draft = await _draft(session, 12)
        snap = of_draft(DraftView.build(catalog, draft))
        series = store.Series("batch", 3, 12)
        v1 = await store.submit(session, series, snap, author_id=12, now=NOW, public_id="a1")
        v2 = await store.submit(
            session, series, snap, author_id=12, now=NOW + timedelta(hours=1), public_id="a2"
        )
        store.decide(v2, Status.RETURNED, by=99, now=NOW + timedelta(hours=2))
        v3 = await store.submit(
            session, series, snap, author_id=12, now=NOW + timedelta(hours=3), public_id="a3"
        )
        other = await store.submit(
            session, store.Series("batch", 3, 13), snap, author_id=12, now=NOW, public_id="b1"
        )
        await session.flush()
        assert (v1.version, v2.version, v3.version, other.version) == (1, 2, 3, 1)
        versions = await store.history(session, series)
        assert [Status.of(v.status) for v in versions] == [
            Status.SUPERSEDED,
            Status.RETURNED,
            Status.SUBMITTED,
        ]
        assert store.last_returned(versions, v3) is v2
        latest = await store.latest_in_scope(session, "batch", 3)
        assert [s.public_id for s in latest] == ["a3", "b1"]
        assert v2.decided_by == 99 and v2.decided_at is not None
    await db.dispose()


async def test_comments_are_anchored_to_an_item_and_changes_are_matched_by_item_id(
    settings: Settings,
) -> None:
    db = Database(settings.effective_database_url)
    catalog = load_catalog()
    async with db.transaction() as session:
        draft = await _draft(session, 14)
        view = DraftView.build(catalog, draft)
        v1 = await store.submit(
            session,
            store.Series("draft", draft.id, draft.id),
            of_draft(view),
            author_id=14,
            now=NOW,
            public_id="c1",
            source=Source.DRAFT,
        )
        first, second = [a for a in draft.answers if a.section == "problems"]
        store.add_comment(
            session,
            submission=v1,
            section="problems.1",
            item_id=first.id,
            text="要写具体事例",
            author_id=99,
            now=NOW,
        )
        store.add_comment(session, submission=v1, text="整体偏短", author_id=99, now=NOW)
        store.add_comment(
            session, draft_id=draft.id, section="causes", text="原因再挖深", author_id=98, now=NOW
        )
        # The author revises: rewrites one item, adds one, deletes the other, and moves nothing else.
        first.text = "理论学习不够系统。今年自学记录9篇，其中读原著仅2篇。"
        repo.add_answer(
            draft, "problems", 2, 0, "党性锻炼有所放松。", author_id=14, source=None, is_measure=False
        )
        draft.answers.remove(second)
        await session.flush()
        comments = await store.comments_on(session, [v1.id])
        grouped = store.by_item(comments)
        assert [c.text for c in grouped[first.id]] == ["要写具体事例"]
        assert [c.text for c in grouped[None]] == ["整体偏短"]
        assert [c.text for c in await store.comments_on_draft(session, draft.id)] == ["原因再挖深"]

        found = changes(Snapshot.of(v1), of_draft(DraftView.build(catalog, draft)))
        kinds = {(c.kind, c.item_id) for c in found}
        added = next(c for c in found if c.kind is ChangeKind.ADDED)
        assert kinds == {
            (ChangeKind.EDITED, first.id),
            (ChangeKind.ADDED, added.item_id),
            (ChangeKind.REMOVED, second.id),
        }
        edited = next(c for c in found if c.kind is ChangeKind.EDITED)
        assert edited.old == PROBLEMS[0] and "读原著仅2篇" in edited.new and edited.section == "problems.1"
        assert added.section == "problems.2"
    await db.dispose()


def test_an_uploaded_file_gets_keys_and_reading_order_ids_and_changes_match_by_place() -> None:
    text = (
        "张三同志对照检查材料\n一、存在的主要问题\n（一）理论学习不够系统。\n（二）调研不深。\n"
        "二、整改措施\n（一）每周学习。\n"
    )
    old = of_document(parse_text(text).document)
    assert not old.stable_ids
    assert [(s.key, i.id) for s, i in old.items()] == [("problems", 1), ("problems", 2), ("measures", 3)]
    new = of_document(parse_text(text.replace("调研不深", "调研不深，全年只下基层2次")).document)
    again = Snapshot.from_json(new.to_json())
    found = changes(old, again)
    assert [(c.kind, c.item_id) for c in found] == [(ChangeKind.EDITED, 2)]


async def test_forget_deletes_what_a_user_handed_in_and_unnames_their_remarks(settings: Settings) -> None:
    db = Database(settings.effective_database_url)
    catalog = load_catalog()
    async with db.transaction() as session:
        draft = await _draft(session, 21)
        sub = await store.submit(
            session,
            store.Series("batch", 1, 21),
            of_draft(DraftView.build(catalog, draft)),
            author_id=21,
            now=NOW,
            public_id="f1",
        )
        store.add_comment(session, submission=sub, item_id=None, text="请补充", author_id=22, now=NOW)
        reviewer_draft = await _draft(session, 22)
        theirs = await store.submit(
            session,
            store.Series("batch", 1, 22),
            of_draft(DraftView.build(catalog, reviewer_draft)),
            author_id=22,
            now=NOW,
            public_id="f2",
        )
        store.add_comment(session, submission=theirs, text="自己的批注", author_id=21, now=NOW)
    async with db.transaction() as session:
        data, _ = await repo.user_data(session, 21)
        assert [s["public_id"] for s in data["submissions"]] == ["f1"]
        assert {c["text"] for c in data["comments"]} == {"请补充", "自己的批注"}
        counts = await repo.forget_user(session, 21)
        assert counts["submissions"] == 1 and counts["comments"] == 1
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Submission)) == 1
        remaining = (await session.scalars(select(Comment))).all()
        assert [(c.text, c.author_id) for c in remaining] == [("自己的批注", None)]
    await db.dispose()
