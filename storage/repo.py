"""Queries the flows need, each scoped to the requesting user's drafts.

Every function that finds a draft takes the user id and goes through membership, so a caller
cannot reach another user's draft by passing its id. The drafting flows reach only drafts the user
owns (role ``owner``, the 起草人); the other members of a team draft reach it through
``storage.team`` and the team flows, which check their role. Drafts come with their answers loaded in
the same query; the flows then change ``draft.answers`` in memory and the commit writes it.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, Select, bindparam, delete, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload, selectinload
from sqlalchemy.orm.attributes import flag_modified

from storage import desk
from storage.crypto import EncryptedJSON, EncryptedText
from storage.models import (
    Answer,
    AnswerRevision,
    AnswerRole,
    Base,
    BatchMember,
    Comment,
    Dismissal,
    Draft,
    DraftMember,
    Invite,
    Measure,
    MeasureEvent,
    MeasureProblem,
    ProcessedUpdate,
    Proposal,
    Reminder,
    ReviewBatch,
    Submission,
    TeamInvite,
    Upload,
    User,
    UserRole,
)

OWNER = "owner"
_PUBLIC_ID_ALPHABET = string.ascii_letters + string.digits
PUBLIC_ID_LENGTH = 12  # about 71 random bits


def new_public_id() -> str:
    """What clients see instead of sequential ids: unguessable, and never starting with "-" (which
    a command line would take for an option) or containing ":" (the callback separator)."""
    return "".join(secrets.choice(_PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


def _for_dialect(session: AsyncSession, statements: dict[str, Any]) -> Any:
    return statements[session.get_bind().dialect.name]


# Built once per dialect (they differ only in ON CONFLICT support), with bind parameters.
# On the table, not the class: an ORM-enabled INSERT takes the ORM's bulk path, which made claiming
# cost 0.5 ms more (1.75 against 1.21 ms for a transaction that only claims, SQLite); and no
# RETURNING, since the row count says whether the row went in, without fetching a result.
_CLAIMED = Base.metadata.tables[ProcessedUpdate.__tablename__]
_CLAIM = {
    name: insert(_CLAIMED)
    .values(update_id=bindparam("update_id"), user_id=bindparam("user_id"))
    .on_conflict_do_nothing(index_elements=["update_id"])
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
    return bool(getattr(result, "rowcount", 0))


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


async def begin_update(
    session: AsyncSession, update_id: int, user_id: int
) -> tuple[bool, User, Draft | None]:
    """Claim the update (False: another delivery already did), lock the user's row for the rest of
    the transaction, and read their active draft with its answers: two round trips.

    PostgreSQL claims and locks in one statement, then reads the draft in a second one, which sees
    whatever the previous holder of the lock committed (a read joined to the locking statement
    would see the snapshot from before the wait). SQLite claims, then reads the user and the draft
    together: BEGIN IMMEDIATE already serialises every writer, so nothing changes in between.
    """
    params = {"update_id": update_id, "user_id": user_id}
    if session.get_bind().dialect.name == "postgresql":
        result = await session.execute(_CLAIM_AND_LOCK, params, execution_options={"populate_existing": True})
        user, claimed = result.one()
        return claimed, user, await active_draft(session, user)
    fresh = await claim_update(session, update_id, user_id)
    for _ in range(2):
        rows = await session.execute(_USER_WITH_DRAFT, params, execution_options={"populate_existing": True})
        found = rows.unique().first()
        if found is not None:
            return fresh, found[0], found[1]
        await lock_user(session, user_id)  # first contact: creates the row
    raise RuntimeError("the user row vanished right after it was created")


def _drafts_of(loader: Any) -> Select[Draft]:
    return (
        select(Draft)
        .join(DraftMember)
        .where(DraftMember.user_id == bindparam("user_id"), DraftMember.role == OWNER)
        .options(loader(Draft.answers).joinedload(Answer.measure).options(loader(Measure.links)))
    )


# Built once: the user's drafts with their answers, joined for one draft (one round trip),
# with a second IN-query for a list.
_ONE_DRAFT = _drafts_of(joinedload)
_DRAFT_BY_ID = _ONE_DRAFT.where(Draft.id == bindparam("draft_id"))
_DRAFT_BY_PUBLIC_ID = _ONE_DRAFT.where(Draft.public_id == bindparam("public_id"))
_ALL_DRAFTS = _drafts_of(selectinload).order_by(Draft.updated_at.desc(), Draft.id.desc())


def _claim_and_lock() -> Select[User, bool]:
    claimed = _CLAIM["postgresql"].returning(_CLAIMED.c.update_id).cte("claimed")
    locked = _LOCK_USER["postgresql"].cte("locked")
    return select(aliased(User, locked), exists(select(claimed.c.update_id)).label("fresh"))


_CLAIM_AND_LOCK = _claim_and_lock()
# SQLite: the user with the active draft they are a member of, and its answers.
_USER_WITH_DRAFT = (
    select(User, Draft)
    .outerjoin(
        DraftMember,
        (DraftMember.draft_id == User.active_draft_id) & (DraftMember.user_id == User.id),
    )
    .outerjoin(Draft, Draft.id == DraftMember.draft_id)
    .where(User.id == bindparam("user_id"))
    .options(joinedload(Draft.answers).joinedload(Answer.measure).options(joinedload(Measure.links)))
)


async def create_draft(session: AsyncSession, user: User, cursor: str) -> Draft:
    draft = Draft(public_id=new_public_id(), cursor=cursor, meta={}, aspects=[], extra_matters=[])
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


async def previous_draft(session: AsyncSession, user_id: int, draft: Draft) -> Draft | None:
    """The user's latest other draft of the same kind from before ``draft``, with its answers: of an
    earlier 年度 when ``draft`` has one (last year's material), else one started before it."""
    if draft.kind is None:
        return None
    earlier = Draft.year < draft.year if draft.year is not None else Draft.id < draft.id
    query = (
        select(Draft.id)
        .join(DraftMember)
        .where(DraftMember.user_id == user_id, Draft.kind == draft.kind, Draft.id != draft.id, earlier)
        .order_by(Draft.year.desc().nulls_last(), Draft.id.desc())
        .limit(1)
    )
    found = await session.scalar(query)
    return await draft_by_id_for(session, user_id, found) if found is not None else None


async def list_drafts(session: AsyncSession, user_id: int) -> Sequence[Draft]:
    return (await session.scalars(_ALL_DRAFTS, {"user_id": user_id})).all()


async def earlier_meta(session: AsyncSession, user_id: int, field: str, other_than: int) -> str | None:
    """What the user wrote as ``field`` (姓名, 单位, 职务) in the latest other material he owns."""
    found = await session.scalars(
        select(Draft.meta)
        .join(DraftMember)
        .where(DraftMember.user_id == user_id, DraftMember.role == OWNER, Draft.id != other_than)
        .order_by(Draft.updated_at.desc(), Draft.id.desc())
    )
    return next(
        (value for meta in found if isinstance(value := (meta or {}).get(field), str) and value), None
    )


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
    role: AnswerRole = AnswerRole.ITEM,
) -> Answer:
    answer = Answer(
        section=section,
        aspect=aspect,
        position=position,
        role=role,
        text=text,
        author_id=author_id,
        source_chat_id=source[0] if source else None,
        source_message_id=source[1] if source else None,
    )
    if is_measure and role is AnswerRole.ITEM:
        add_measure(draft, answer)
    draft.answers.append(answer)
    return answer


def add_measure(draft: Draft, answer: Answer) -> None:
    """Make the item a rectification measure, with empty ledger columns."""
    answer.measure = Measure(draft_id=draft.id, links=[])


def keep_history(
    session: AsyncSession, answer: Answer, action: str, author_id: int | None, text: str | None = None
) -> AnswerRevision:
    """Record the answer's text as it stands before ``action`` (edit, delete, move, lead, item,
    replace: a lead replaced by another message's; join: the rest of a cut text joined to it;
    split: the points it held made items of their own), or
    ``text``: what it would stand as (an item's own share of a text joined since)."""
    revision = AnswerRevision(
        draft_id=answer.draft_id,
        answer_id=answer.id,
        action=action,
        text=answer.text if text is None else text,
        author_id=author_id,
    )
    session.add(revision)
    return revision


async def last_revision(session: AsyncSession, answer: Answer, action: str) -> AnswerRevision | None:
    """The answer's latest earlier text kept before ``action`` (e.g. the lead it replaced)."""
    statement = (
        select(AnswerRevision)
        .where(AnswerRevision.answer_id == answer.id, AnswerRevision.action == action)
        .order_by(AnswerRevision.id.desc())
        .limit(1)
    )
    return await session.scalar(statement)


async def revision_of(session: AsyncSession, draft: Draft, revision_id: int) -> AnswerRevision | None:
    """One earlier text of an answer of the draft (a button names it), or None."""
    revision = await session.get(AnswerRevision, revision_id)
    return revision if revision is not None and revision.draft_id == draft.id else None


def change_answer(
    session: AsyncSession, answer: Answer, text: str, author_id: int | None, action: str = "edit"
) -> None:
    if answer.text == text:
        return
    keep_history(session, answer, action, author_id)
    answer.text = text
    answer.author_id = author_id


def remove_answer(session: AsyncSession, draft: Draft, answer: Answer, author_id: int | None) -> None:
    keep_history(session, answer, "delete", author_id)
    draft.answers.remove(answer)


async def draft_of_message(
    session: AsyncSession, user_id: int, chat_id: int, message_id: int
) -> Draft | None:
    """The user's draft holding answers stored from one message, or joined from it (a later part
    of a text its client cut, the middle ones of three or more too), if any."""
    inside = (Answer.source_message_id < message_id) & (Answer.joined_message_id > message_id)
    statement = (
        select(Answer.draft_id)
        .join(DraftMember, DraftMember.draft_id == Answer.draft_id)
        .where(
            DraftMember.user_id == user_id,
            DraftMember.role == OWNER,
            Answer.source_chat_id == chat_id,
            or_(Answer.source_message_id == message_id, Answer.joined_message_id == message_id, inside),
        )
        .limit(1)
    )
    draft_id = await session.scalar(statement)
    return await draft_by_id_for(session, user_id, draft_id) if draft_id is not None else None


def _measures_for(user_id: int) -> Select[Measure, Answer, Draft]:
    """Measures of the drafts the user owns, and those of a team draft he is a member of and leads."""
    return (
        select(Measure, Answer, Draft)
        .join(Answer, Answer.id == Measure.answer_id)
        .join(Draft, Draft.id == Measure.draft_id)
        .join(DraftMember, DraftMember.draft_id == Draft.id)
        .where(
            DraftMember.user_id == user_id,
            (DraftMember.role == OWNER) | (Measure.leader_id == user_id),
        )
    )


async def measure_of(
    session: AsyncSession, user_id: int, measure_id: int
) -> tuple[Measure, Answer, Draft] | None:
    """A measure with its text and draft, only if the user owns the draft or leads the measure."""
    row = (await session.execute(_measures_for(user_id).where(Measure.id == measure_id))).first()
    return (row[0], row[1], row[2]) if row else None


async def measures_of(session: AsyncSession, user_id: int) -> list[tuple[Measure, Answer, Draft]]:
    """All the user's measures across drafts, oldest draft first, in the order they were written."""
    statement = _measures_for(user_id).order_by(Draft.id, Answer.position, Answer.id)
    return [(m, a, d) for m, a, d in (await session.execute(statement)).all()]


def record_event(
    session: AsyncSession, measure: Measure, kind: str, text: str, author_id: int | None
) -> MeasureEvent:
    event = MeasureEvent(measure_id=measure.id, kind=kind, text=text, author_id=author_id)
    session.add(event)
    return event


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


# -- access ---------------------------------------------------------------------------------------

_GRANT = {
    name: insert(User)
    .values(id=bindparam("user_id"), access_granted_at=bindparam("now"))
    .on_conflict_do_update(index_elements=["id"], set_={"access_granted_at": bindparam("now")})
    for name, insert in (("postgresql", pg.insert), ("sqlite", sqlite.insert))
}


async def has_access_grant(session: AsyncSession, user_id: int) -> bool:
    """A read only: a refused stranger must leave no row behind."""
    granted = await session.scalar(select(User.access_granted_at).where(User.id == user_id))
    return granted is not None


async def add_invite(
    session: AsyncSession, code: str, admin_id: int, uses: int, expires_at: datetime
) -> None:
    session.add(Invite(code=code, created_by=admin_id, uses_left=uses, expires_at=expires_at))


async def redeem_invite(session: AsyncSession, code: str, user_id: int, now: datetime) -> bool:
    """Use up one place of a live invite (one conditional UPDATE, so two redeemers cannot both
    take the last place) and grant the user access."""
    taken = await session.scalar(
        update(Invite)
        .where(Invite.code == code, Invite.uses_left > 0, Invite.expires_at > now)
        .values(uses_left=Invite.uses_left - 1)
        .returning(Invite.code)
    )
    if taken is None:
        return False
    await session.execute(_for_dialect(session, _GRANT), {"user_id": user_id, "now": now})
    return True


async def user_ids(session: AsyncSession) -> list[int]:
    return list((await session.scalars(select(User.id).order_by(User.id))).all())


async def count_access_grants(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).where(User.access_granted_at.is_not(None))) or 0)


async def usage_counts(session: AsyncSession, now: datetime) -> dict[str, int]:
    """Row counts for /stats, labelled for the admin; no content."""

    async def count(entity: type[Base], *where: ColumnElement[bool]) -> int:
        return int(await session.scalar(select(func.count()).select_from(entity).where(*where)) or 0)

    return {
        "用户": await count(User),
        "材料": await count(Draft),
        "已完成的材料": await count(Draft, Draft.completed.is_(True)),
        "回答": await count(Answer),
        "整改措施": await count(Measure),
        "待发提醒": await count(Reminder, Reminder.state == "pending"),
        "有效邀请": await count(Invite, Invite.uses_left > 0, Invite.expires_at > now),
    }


# -- privacy --------------------------------------------------------------------------------------


async def _removed(session: AsyncSession, statement: Any) -> int:
    result = await session.execute(statement, execution_options={"synchronize_session": False})
    return int(getattr(result, "rowcount", 0) or 0)


async def forget_user(session: AsyncSession, user_id: int) -> dict[str, int]:
    """Delete everything stored about the user, children before parents; counts by kind.

    Drafts the user owns go entirely. In drafts owned by someone else only the membership goes,
    and the user's name is cut from what they wrote there (author of items and proposals, source
    message, the measures he led), since that text now belongs to the team's material.
    """
    owned = list(
        (
            await session.scalars(
                select(DraftMember.draft_id).where(DraftMember.user_id == user_id, DraftMember.role == OWNER)
            )
        ).all()
    )
    measures = list((await session.scalars(select(Measure.id).where(Measure.draft_id.in_(owned)))).all())
    # What they handed in for approval, and what was handed in of their own team drafts.
    handed_in = select(Submission.id).where(
        (Submission.author_id == user_id) | ((Submission.scope == "draft") & Submission.scope_id.in_(owned))
    )
    counts = {
        "comments": await _removed(
            session,
            delete(Comment).where(Comment.submission_id.in_(handed_in) | Comment.draft_id.in_(owned)),
        ),
        "submissions": await _removed(session, delete(Submission).where(Submission.id.in_(handed_in))),
        "reminders": await _removed(
            session, delete(Reminder).where((Reminder.user_id == user_id) | Reminder.measure_id.in_(measures))
        ),
        "events": await _removed(session, delete(MeasureEvent).where(MeasureEvent.measure_id.in_(measures))),
        "measures": await _removed(session, delete(Measure).where(Measure.id.in_(measures))),
        "revisions": await _removed(
            session, delete(AnswerRevision).where(AnswerRevision.draft_id.in_(owned))
        ),
        "dismissals": await _removed(session, delete(Dismissal).where(Dismissal.draft_id.in_(owned))),
        "answers": await _removed(session, delete(Answer).where(Answer.draft_id.in_(owned))),
    }
    await session.execute(
        update(User).where(User.active_draft_id.in_(owned)).values(active_draft_id=None),
        execution_options={"synchronize_session": False},
    )
    await _removed(
        session, delete(DraftMember).where((DraftMember.user_id == user_id) | DraftMember.draft_id.in_(owned))
    )
    counts["drafts"] = await _removed(session, delete(Draft).where(Draft.id.in_(owned)))
    counts["uploads"] = await _removed(session, delete(Upload).where(Upload.user_id == user_id))
    counts |= await desk.forget(session, user_id)
    for statement in (
        update(Answer).where(Answer.author_id == user_id).values(author_id=None),
        update(Answer)
        .where(Answer.source_chat_id == user_id)
        .values(source_chat_id=None, source_message_id=None),
        update(AnswerRevision).where(AnswerRevision.author_id == user_id).values(author_id=None),
        update(MeasureEvent).where(MeasureEvent.author_id == user_id).values(author_id=None),
        # Remarks they made on others' materials stay with those materials, without their name.
        update(Comment).where(Comment.author_id == user_id).values(author_id=None),
        update(Submission).where(Submission.decided_by == user_id).values(decided_by=None),
        update(Proposal).where(Proposal.author_id == user_id).values(author_id=None),
        update(Measure).where(Measure.leader_id == user_id).values(leader_id=None),
        update(TeamInvite).where(TeamInvite.created_by == user_id).values(created_by=None),
        delete(Invite).where(Invite.created_by == user_id),
        delete(ProcessedUpdate).where(ProcessedUpdate.user_id == user_id),
        delete(User).where(User.id == user_id),
    ):
        await session.execute(statement, execution_options={"synchronize_session": False})
    return counts


def _row(row: Base) -> dict[str, Any]:
    """The row's stored columns (not what is computed when it is read, such as ``has_dismissals``)."""
    return {
        prop.key: getattr(row, prop.key)
        for prop in row.__mapper__.column_attrs
        if all(isinstance(c, Column) for c in prop.columns)
    }


async def user_data(session: AsyncSession, user_id: int) -> tuple[dict[str, Any], Sequence[Draft]]:
    """Every row about the user, as plain dicts, and their drafts (with answers) for rendering."""
    user = await session.get(User, user_id)
    drafts = await list_drafts(session, user_id)
    draft_ids = [d.id for d in drafts]
    measures = [a.measure for d in drafts for a in d.answers if a.measure is not None]

    async def rows(entity: type[Base], *where: ColumnElement[bool]) -> list[dict[str, Any]]:
        return [_row(r) for r in (await session.scalars(select(entity).where(*where))).all()]

    data = {
        "user": _row(user) if user else None,
        "drafts": [
            _row(d)
            | {"answers": [_row(a) | {"measure": _row(a.measure) if a.measure else None} for a in d.answers]}
            for d in drafts
        ],
        "memberships": await rows(DraftMember, DraftMember.user_id == user_id),
        "answer_revisions": await rows(AnswerRevision, AnswerRevision.draft_id.in_(draft_ids)),
        "measure_events": await rows(MeasureEvent, MeasureEvent.measure_id.in_([m.id for m in measures])),
        "measure_problems": await rows(
            MeasureProblem, MeasureProblem.measure_id.in_([m.id for m in measures])
        ),
        "reminders": await rows(Reminder, Reminder.user_id == user_id),
        "dismissals": await rows(Dismissal, Dismissal.draft_id.in_(draft_ids)),
        "uploads": await rows(Upload, Upload.user_id == user_id),
        "submissions": await rows(Submission, Submission.author_id == user_id),
        "comments": await rows(
            Comment,
            (Comment.author_id == user_id)
            | Comment.submission_id.in_(select(Submission.id).where(Submission.author_id == user_id))
            | Comment.draft_id.in_(draft_ids),
        ),
        "invites_created": await rows(Invite, Invite.created_by == user_id),
        # What the user wrote into team drafts others own: his proposals and the items taken from them.
        "team_proposals": await rows(Proposal, Proposal.author_id == user_id),
        "team_items": await rows(Answer, Answer.author_id == user_id, Answer.draft_id.not_in(draft_ids)),
        "team_measures_led": await rows(
            Measure, Measure.leader_id == user_id, Measure.draft_id.not_in(draft_ids)
        ),
        "desk_roles": await rows(UserRole, UserRole.user_id == user_id),
        "review_batches": await rows(ReviewBatch, ReviewBatch.reviewer_id == user_id),
        "batch_memberships": await rows(BatchMember, BatchMember.user_id == user_id),
    }
    return data, drafts


async def reencrypt_all(session: AsyncSession) -> int:
    """Rewrite every encrypted column, so all of it is under the first key (after a rotation)."""
    count = 0
    for model, columns in ENCRYPTED_COLUMNS:
        for row in (await session.scalars(select(model))).all():
            for column in columns:
                flag_modified(row, column)
            count += 1
    return count


def _encrypted_columns() -> list[tuple[type[Any], tuple[str, ...]]]:
    """Every model with its encrypted columns, read off the schema so a new one is never missed."""
    found = []
    for mapper in Base.registry.mappers:
        names = tuple(
            column.key for column in mapper.columns if isinstance(column.type, EncryptedText | EncryptedJSON)
        )
        if names:
            found.append((mapper.class_, names))
    return found


ENCRYPTED_COLUMNS = _encrypted_columns()
