"""Queries the flows need, each scoped to the requesting user's drafts.

Every public function that touches a draft takes the user id and goes through membership,
so a caller cannot reach another user's draft by passing its id.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Answer, AnswerRevision, Draft, DraftMember, Measure, ProcessedUpdate, User

OWNER = "owner"


def _insert(session: AsyncSession) -> type[pg_insert] | type[sqlite_insert]:  # type: ignore[valid-type]
    return pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert


async def claim_update(session: AsyncSession, update_id: int, user_id: int | None) -> bool:
    """Record the update as processed; False when another delivery already did."""
    insert = _insert(session)
    statement = (
        insert(ProcessedUpdate)
        .values(update_id=update_id, user_id=user_id)
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(ProcessedUpdate.update_id)
    )
    return (await session.execute(statement)).scalar_one_or_none() is not None


async def was_replied(session: AsyncSession, update_id: int) -> bool:
    replied = await session.scalar(
        select(ProcessedUpdate.replied_at).where(ProcessedUpdate.update_id == update_id)
    )
    return replied is not None


async def mark_replied(session: AsyncSession, update_id: int) -> None:
    await session.execute(
        update(ProcessedUpdate).where(ProcessedUpdate.update_id == update_id).values(replied_at=func.now())
    )


async def lock_user(session: AsyncSession, user_id: int) -> User:
    """Create the user on first contact and lock its row for the rest of the transaction.

    Holding this lock is what serialises two instances handling the same user's updates.
    """
    insert = _insert(session)
    await session.execute(insert(User).values(id=user_id).on_conflict_do_nothing(index_elements=["id"]))
    user = await session.scalar(
        select(User).where(User.id == user_id).with_for_update().execution_options(populate_existing=True)
    )
    assert user is not None
    return user


def _drafts_of(user_id: int) -> Select[tuple[Draft]]:
    return select(Draft).join(DraftMember).where(DraftMember.user_id == user_id)


async def create_draft(session: AsyncSession, user: User, cursor: str) -> Draft:
    draft = Draft(public_id=secrets.token_urlsafe(9), cursor=cursor, meta={})
    session.add(draft)
    await session.flush()
    session.add(DraftMember(draft_id=draft.id, user_id=user.id, role=OWNER))
    user.active_draft_id = draft.id
    await session.flush()
    return draft


async def active_draft(session: AsyncSession, user: User) -> Draft | None:
    if user.active_draft_id is None:
        return None
    return await session.scalar(_drafts_of(user.id).where(Draft.id == user.active_draft_id))


async def draft_by_public_id(session: AsyncSession, user_id: int, public_id: str) -> Draft | None:
    return await session.scalar(_drafts_of(user_id).where(Draft.public_id == public_id))


async def draft_by_id_for(session: AsyncSession, user_id: int, draft_id: int) -> Draft | None:
    return await session.scalar(_drafts_of(user_id).where(Draft.id == draft_id))


async def list_drafts(session: AsyncSession, user_id: int) -> Sequence[Draft]:
    return (
        await session.scalars(_drafts_of(user_id).order_by(Draft.updated_at.desc(), Draft.id.desc()))
    ).all()


async def latest_draft(session: AsyncSession, user_id: int) -> Draft | None:
    drafts = await list_drafts(session, user_id)
    return drafts[0] if drafts else None


async def delete_draft(session: AsyncSession, user: User, draft: Draft) -> None:
    if user.active_draft_id == draft.id:
        user.active_draft_id = None
    await session.flush()
    await session.delete(draft)
    await session.flush()


async def answers(session: AsyncSession, draft_id: int) -> Sequence[Answer]:
    statement = (
        select(Answer)
        .where(Answer.draft_id == draft_id)
        .order_by(Answer.section, Answer.aspect, Answer.position, Answer.id)
    )
    return (await session.scalars(statement)).all()


async def slot_answers(session: AsyncSession, draft_id: int, section: str, aspect: int) -> list[Answer]:
    statement = (
        select(Answer)
        .where(Answer.draft_id == draft_id, Answer.section == section, Answer.aspect == aspect)
        .order_by(Answer.position, Answer.id)
    )
    return list((await session.scalars(statement)).all())


async def _record(session: AsyncSession, answer: Answer, action: str, author_id: int | None) -> None:
    session.add(
        AnswerRevision(
            draft_id=answer.draft_id,
            answer_id=answer.id,
            action=action,
            text=answer.text,
            author_id=author_id,
        )
    )


async def add_answer(
    session: AsyncSession,
    draft_id: int,
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
        draft_id=draft_id,
        section=section,
        aspect=aspect,
        position=position,
        text=text,
        author_id=author_id,
        source_chat_id=source[0] if source else None,
        source_message_id=source[1] if source else None,
    )
    session.add(answer)
    await session.flush()
    await _record(session, answer, "create", author_id)
    if is_measure:
        session.add(Measure(draft_id=draft_id, answer_id=answer.id))
    return answer


async def change_answer(session: AsyncSession, answer: Answer, text: str, author_id: int | None) -> None:
    answer.text = text
    await session.flush()
    await _record(session, answer, "edit", author_id)


async def remove_answer(session: AsyncSession, answer: Answer, author_id: int | None) -> None:
    await _record(session, answer, "delete", author_id)
    await session.delete(answer)
    await session.flush()


async def answers_from_message(
    session: AsyncSession, user_id: int, chat_id: int, message_id: int
) -> list[Answer]:
    """Answers stored from one user message, in any of the user's drafts."""
    statement = (
        select(Answer)
        .join(DraftMember, DraftMember.draft_id == Answer.draft_id)
        .where(
            DraftMember.user_id == user_id,
            Answer.source_chat_id == chat_id,
            Answer.source_message_id == message_id,
        )
        .order_by(Answer.position)
    )
    return list((await session.scalars(statement)).all())


async def shift_positions(
    session: AsyncSession, draft_id: int, section: str, aspect: int, after: int, by: int
) -> None:
    """Make room (or close a gap) after ``after`` within one slot."""
    await session.execute(
        update(Answer)
        .where(
            Answer.draft_id == draft_id,
            Answer.section == section,
            Answer.aspect == aspect,
            Answer.position > after,
        )
        .values(position=Answer.position + by)
    )


async def clear_slot(
    session: AsyncSession, draft_id: int, section: str, aspect: int, author_id: int | None
) -> int:
    existing = await slot_answers(session, draft_id, section, aspect)
    for answer in existing:
        await _record(session, answer, "delete", author_id)
    await session.execute(delete(Answer).where(Answer.id.in_([a.id for a in existing])))
    return len(existing)
