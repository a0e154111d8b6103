"""The reviewer's desk in the database: roles, review batches, who joined them.

Every function that finds a batch for a reviewer takes his user id, and every one that finds a
submission for a cadre takes his, so a forged id reaches nothing (``bot.flows.desk``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import BatchMember, Comment, ReviewBatch, Submission, UserRole

REVIEWER = "reviewer"
SCOPE = "batch"


async def has_role(session: AsyncSession, user_id: int, role: str = REVIEWER) -> bool:
    found = await session.scalar(
        select(UserRole.user_id).where(UserRole.user_id == user_id, UserRole.role == role)
    )
    return found is not None


async def grant(session: AsyncSession, user_id: int, by: int, now: datetime, role: str = REVIEWER) -> bool:
    """Grant the role; False when the user had it already."""
    if await has_role(session, user_id, role):
        return False
    session.add(UserRole(user_id=user_id, role=role, granted_by=by, granted_at=now))
    return True


async def revoke(session: AsyncSession, user_id: int, role: str = REVIEWER) -> bool:
    result = await session.execute(delete(UserRole).where(UserRole.user_id == user_id, UserRole.role == role))
    return bool(getattr(result, "rowcount", 0))


async def holders(session: AsyncSession, role: str = REVIEWER) -> list[int]:
    rows = await session.scalars(
        select(UserRole.user_id).where(UserRole.role == role).order_by(UserRole.user_id)
    )
    return list(rows.all())


async def batches_of(session: AsyncSession, reviewer_id: int) -> list[ReviewBatch]:
    """The reviewer's batches, newest first."""
    statement = (
        select(ReviewBatch)
        .where(ReviewBatch.reviewer_id == reviewer_id)
        .order_by(ReviewBatch.created_at.desc(), ReviewBatch.id.desc())
    )
    return list((await session.scalars(statement)).all())


async def batch_for_reviewer(session: AsyncSession, reviewer_id: int, public_id: str) -> ReviewBatch | None:
    found: ReviewBatch | None = await session.scalar(
        select(ReviewBatch).where(ReviewBatch.public_id == public_id, ReviewBatch.reviewer_id == reviewer_id)
    )
    return found


async def batch_by_public_id(session: AsyncSession, public_id: str) -> ReviewBatch | None:
    """Any batch, for its share link: a cadre who opens it learns its unit, meeting and due date."""
    found: ReviewBatch | None = await session.scalar(
        select(ReviewBatch).where(ReviewBatch.public_id == public_id)
    )
    return found


async def batch_by_id(session: AsyncSession, batch_id: int) -> ReviewBatch | None:
    return await session.get(ReviewBatch, batch_id)


async def join(
    session: AsyncSession, batch: ReviewBatch, user_id: int, name: str | None, now: datetime
) -> bool:
    """Add the cadre to the batch (his display name refreshed); False when he was in it already."""
    member = await session.get(BatchMember, (batch.id, user_id))
    if member is not None:
        member.name = name or member.name
        return False
    session.add(BatchMember(batch_id=batch.id, user_id=user_id, name=name, joined_at=now))
    return True


async def members(session: AsyncSession, batch_id: int) -> list[BatchMember]:
    statement = select(BatchMember).where(BatchMember.batch_id == batch_id).order_by(BatchMember.joined_at)
    return list((await session.scalars(statement)).all())


async def joined_batches(session: AsyncSession, user_id: int) -> list[ReviewBatch]:
    """The batches the cadre joined, newest first."""
    statement = (
        select(ReviewBatch)
        .join(BatchMember, BatchMember.batch_id == ReviewBatch.id)
        .where(BatchMember.user_id == user_id)
        .order_by(BatchMember.joined_at.desc(), ReviewBatch.id.desc())
    )
    return list((await session.scalars(statement)).all())


async def joined_batch(session: AsyncSession, user_id: int, public_id: str) -> ReviewBatch | None:
    found: ReviewBatch | None = await session.scalar(
        select(ReviewBatch)
        .join(BatchMember, BatchMember.batch_id == ReviewBatch.id)
        .where(BatchMember.user_id == user_id, ReviewBatch.public_id == public_id)
    )
    return found


async def submission_for_reviewer(
    session: AsyncSession, reviewer_id: int, public_id: str
) -> Submission | None:
    """A submission to one of the reviewer's batches."""
    found: Submission | None = await session.scalar(
        select(Submission)
        .join(ReviewBatch, (Submission.scope == SCOPE) & (Submission.scope_id == ReviewBatch.id))
        .where(Submission.public_id == public_id, ReviewBatch.reviewer_id == reviewer_id)
    )
    return found


async def submission_by_id_for_reviewer(
    session: AsyncSession, reviewer_id: int, submission_id: int
) -> Submission | None:
    found: Submission | None = await session.scalar(
        select(Submission)
        .join(ReviewBatch, (Submission.scope == SCOPE) & (Submission.scope_id == ReviewBatch.id))
        .where(Submission.id == submission_id, ReviewBatch.reviewer_id == reviewer_id)
    )
    return found


async def submission_of_author(session: AsyncSession, author_id: int, public_id: str) -> Submission | None:
    """One of the cadre's own submissions to a batch."""
    found: Submission | None = await session.scalar(
        select(Submission).where(
            Submission.public_id == public_id, Submission.author_id == author_id, Submission.scope == SCOPE
        )
    )
    return found


async def own_submissions(session: AsyncSession, author_id: int) -> Sequence[Submission]:
    """The cadre's submissions to batches, latest version first within each batch."""
    statement = (
        select(Submission)
        .where(Submission.author_id == author_id, Submission.scope == SCOPE)
        .order_by(Submission.scope_id, Submission.version.desc())
    )
    return (await session.scalars(statement)).all()


async def forget(session: AsyncSession, user_id: int) -> dict[str, int]:
    """What /forget removes of the desk: the user's batches as a reviewer (with everything handed in
    to them, which was for him alone), his memberships and roles."""
    own = select(ReviewBatch.id).where(ReviewBatch.reviewer_id == user_id)
    to_them = select(Submission.id).where(Submission.scope == SCOPE, Submission.scope_id.in_(own))
    await session.execute(
        delete(Comment).where(Comment.submission_id.in_(to_them)),
        execution_options={"synchronize_session": False},
    )
    handed_in = await session.execute(
        delete(Submission).where(Submission.scope == SCOPE, Submission.scope_id.in_(own)),
        execution_options={"synchronize_session": False},
    )
    await session.execute(
        delete(BatchMember).where((BatchMember.user_id == user_id) | BatchMember.batch_id.in_(own)),
        execution_options={"synchronize_session": False},
    )
    batches = await session.execute(
        delete(ReviewBatch).where(ReviewBatch.reviewer_id == user_id),
        execution_options={"synchronize_session": False},
    )
    await session.execute(delete(UserRole).where(UserRole.user_id == user_id))
    return {
        "batches": int(getattr(batches, "rowcount", 0) or 0),
        "batch_submissions": int(getattr(handed_in, "rowcount", 0) or 0),
    }
