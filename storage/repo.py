"""Queries the flows need, each scoped to the requesting user's drafts.

Every function that finds a draft takes the user id and goes through membership, so a caller
cannot reach another user's draft by passing its id. Drafts come with their answers loaded in
the same query; the flows then change ``draft.answers`` in memory and the commit writes it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, delete, select
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from storage.models import (
    Answer,
    AnswerRevision,
    Draft,
    DraftMember,
    Measure,
    MeasureEvent,
    ProcessedUpdate,
    User,
)

OWNER = "owner"


def _for_dialect(session: AsyncSession, statements: dict[str, Any]) -> Any:
    return statements[session.get_bind().dialect.name]


# Built once per dialect (they differ only in ON CONFLICT support), with bind parameters.
_CLAIM = {
    name: insert(ProcessedUpdate)
    .values(update_id=bindparam("update_id"), user_id=bindparam("user_id"))
    .on_conflict_do_nothing(index_elements=["update_id"])
    .returning(ProcessedUpdate.update_id)
    for name, insert in (("postgresql", pg.insert), ("sqlite", sqlite.insert))
}
# Creating the user on first contact and locking its row for the rest of the transaction in one
# statement; holding the lock is what serialises two instances handling the same user's updates
# (on SQLite, BEGIN IMMEDIATE already serialises every writer).
_LOCK_USER = {
    name: insert(User)
    .values(id=bindparam("user_id"))
    .on_conflict_do_update(index_elements=["id"], set_={"id": bindparam("user_id")})
    .returning(User)
    for name, insert in (("postgresql", pg.insert), ("sqlite", sqlite.insert))
}


async def claim_update(session: AsyncSession, update_id: int, user_id: int | None) -> bool:
    """Record the update as processed; False when another delivery already did."""
    result = await session.execute(
        _for_dialect(session, _CLAIM), {"update_id": update_id, "user_id": user_id}
    )
    return result.scalar_one_or_none() is not None


async def forget_processed_updates(session: AsyncSession, before: datetime) -> int:
    """Drop dedupe records old enough that Telegram will never redeliver those updates."""
    result = await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before))
    return int(getattr(result, "rowcount", 0) or 0)


async def lock_user(session: AsyncSession, user_id: int) -> User:
    result = await session.scalars(
        _for_dialect(session, _LOCK_USER), {"user_id": user_id}, execution_options={"populate_existing": True}
    )
    user: User = result.one()
    return user


def _drafts_of(loader: Any) -> Select[Draft]:
    return (
        select(Draft)
        .join(DraftMember)
        .where(DraftMember.user_id == bindparam("user_id"))
        .options(loader(Draft.answers).joinedload(Answer.measure))
    )


# Built once: the user's drafts with their answers, joined for one draft (one round trip),
# with a second IN-query for a list.
_ONE_DRAFT = _drafts_of(joinedload)
_DRAFT_BY_ID = _ONE_DRAFT.where(Draft.id == bindparam("draft_id"))
_DRAFT_BY_PUBLIC_ID = _ONE_DRAFT.where(Draft.public_id == bindparam("public_id"))
_ALL_DRAFTS = _drafts_of(selectinload).order_by(Draft.updated_at.desc(), Draft.id.desc())


async def create_draft(session: AsyncSession, user: User, cursor: str) -> Draft:
    draft = Draft(public_id=secrets.token_urlsafe(9), cursor=cursor, meta={}, aspects=[], extra_matters=[])
    draft.answers = []
    session.add(draft)
    await session.flush()
    session.add(DraftMember(draft_id=draft.id, user_id=user.id, role=OWNER))
    user.active_draft_id = draft.id
    return draft


async def active_draft(session: AsyncSession, user: User) -> Draft | None:
    if user.active_draft_id is None:
        return None
    return await draft_by_id_for(session, user.id, user.active_draft_id)


async def draft_by_id_for(session: AsyncSession, user_id: int, draft_id: int) -> Draft | None:
    found = await session.scalars(_DRAFT_BY_ID, {"user_id": user_id, "draft_id": draft_id})
    return found.unique().first()


async def draft_by_public_id(session: AsyncSession, user_id: int, public_id: str) -> Draft | None:
    found = await session.scalars(_DRAFT_BY_PUBLIC_ID, {"user_id": user_id, "public_id": public_id})
    return found.unique().first()


async def list_drafts(session: AsyncSession, user_id: int) -> Sequence[Draft]:
    return (await session.scalars(_ALL_DRAFTS, {"user_id": user_id})).all()


async def latest_draft(session: AsyncSession, user_id: int) -> Draft | None:
    drafts = await list_drafts(session, user_id)
    return drafts[0] if drafts else None


async def delete_draft(session: AsyncSession, user: User, draft: Draft) -> None:
    if user.active_draft_id == draft.id:
        user.active_draft_id = None
        await session.flush()
    await session.delete(draft)


def add_answer(
    draft: Draft,
    section: str,
    aspect: int,
    position: int,
    text: str,
    *,
    author_id: int | None,
    source: tuple[int, int] | None,
    is_measure: bool,
) -> Answer:
    answer = Answer(
        section=section,
        aspect=aspect,
        position=position,
        text=text,
        author_id=author_id,
        source_chat_id=source[0] if source else None,
        source_message_id=source[1] if source else None,
        measure=Measure(draft_id=draft.id) if is_measure else None,
    )
    draft.answers.append(answer)
    return answer


def _keep_history(session: AsyncSession, answer: Answer, action: str, author_id: int | None) -> None:
    session.add(
        AnswerRevision(
            draft_id=answer.draft_id,
            answer_id=answer.id,
            action=action,
            text=answer.text,
            author_id=author_id,
        )
    )


def change_answer(session: AsyncSession, answer: Answer, text: str, author_id: int | None) -> None:
    if answer.text == text:
        return
    _keep_history(session, answer, "edit", author_id)
    answer.text = text
    answer.author_id = author_id


def remove_answer(session: AsyncSession, draft: Draft, answer: Answer, author_id: int | None) -> None:
    _keep_history(session, answer, "delete", author_id)
    draft.answers.remove(answer)


async def draft_of_message(
    session: AsyncSession, user_id: int, chat_id: int, message_id: int
) -> Draft | None:
    """The user's draft holding answers stored from one message, if any."""
    statement = (
        select(Answer.draft_id)
        .join(DraftMember, DraftMember.draft_id == Answer.draft_id)
        .where(
            DraftMember.user_id == user_id,
            Answer.source_chat_id == chat_id,
            Answer.source_message_id == message_id,
        )
        .limit(1)
    )
    draft_id = await session.scalar(statement)
    return await draft_by_id_for(session, user_id, draft_id) if draft_id is not None else None


async def measure_of(
    session: AsyncSession, user_id: int, measure_id: int
) -> tuple[Measure, Answer, Draft] | None:
    """A measure with its text and draft, only if the draft is the user's."""
    statement = (
        select(Measure, Answer, Draft)
        .join(Answer, Answer.id == Measure.answer_id)
        .join(Draft, Draft.id == Measure.draft_id)
        .join(DraftMember, DraftMember.draft_id == Draft.id)
        .where(Measure.id == measure_id, DraftMember.user_id == user_id)
    )
    row = (await session.execute(statement)).first()
    return (row[0], row[1], row[2]) if row else None


async def measures_of(session: AsyncSession, user_id: int) -> list[tuple[Measure, Answer, Draft]]:
    """All the user's measures across drafts, oldest draft first, in the order they were written."""
    statement = (
        select(Measure, Answer, Draft)
        .join(Answer, Answer.id == Measure.answer_id)
        .join(Draft, Draft.id == Measure.draft_id)
        .join(DraftMember, DraftMember.draft_id == Draft.id)
        .where(DraftMember.user_id == user_id)
        .order_by(Draft.id, Answer.position, Answer.id)
    )
    return [(m, a, d) for m, a, d in (await session.execute(statement)).all()]


def record_event(
    session: AsyncSession, measure: Measure, kind: str, text: str, author_id: int | None
) -> None:
    session.add(MeasureEvent(measure_id=measure.id, kind=kind, text=text, author_id=author_id))


async def measure_by_id(session: AsyncSession, measure_id: int) -> tuple[Measure, Answer, Draft] | None:
    """For the dispatcher, which acts for the reminder's own user; never for a client's request."""
    statement = (
        select(Measure, Answer, Draft)
        .join(Answer, Answer.id == Measure.answer_id)
        .join(Draft, Draft.id == Measure.draft_id)
        .where(Measure.id == measure_id)
    )
    row = (await session.execute(statement)).first()
    return (row[0], row[1], row[2]) if row else None
