"""Storing submissions and comments (the models ``Submission`` and ``Comment``; ``bot.submissions``
says what a snapshot holds).

A *series* is ``(scope, scope_id, subject_id)``: e.g. ``("batch", batch.id, author's user id)`` on
the reviewer's desk, ``("draft", draft.id, draft.id)`` for a team's 审定. Handing in again adds the
next version; a version still waiting for a decision is marked superseded. Access checks are the
caller's: these functions take ids the caller has already resolved for its user.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.submission_status import Source, Status
from storage.models import Comment, Submission

if TYPE_CHECKING:
    from bot.submissions import Snapshot

# The unique series/version constraint makes a second concurrent hand-in of the same version fail
# its transaction instead of writing two "version 2"s; the user's row lock already serialises one
# author's updates, so that is only a safety net.


@dataclass(frozen=True)
class Series:
    scope: str
    scope_id: int
    subject_id: int

    def where(self) -> ColumnElement[bool]:
        return (
            (Submission.scope == self.scope)
            & (Submission.scope_id == self.scope_id)
            & (Submission.subject_id == self.subject_id)
        )


def series_of(submission: Submission) -> Series:
    return Series(submission.scope, submission.scope_id, submission.subject_id)


async def submit(
    session: AsyncSession,
    series: Series,
    snapshot: Snapshot,
    *,
    author_id: int,
    now: datetime,
    public_id: str,
    draft_id: int | None = None,
    source: Source = Source.DRAFT,
    summary: dict[str, Any] | None = None,
) -> Submission:
    """Hand in the next version of the series; an undecided earlier version is superseded."""
    latest = await session.scalar(select(func.max(Submission.version)).where(series.where()))
    waiting = (
        await session.scalars(  # locked: a reviewer deciding on it meanwhile waits, then sees it superseded
            select(Submission).where(series.where(), Submission.status == Status.SUBMITTED).with_for_update()
        )
    )
    for earlier in waiting:
        earlier.status = Status.SUPERSEDED.value
    submission = Submission(
        public_id=public_id,
        scope=series.scope,
        scope_id=series.scope_id,
        subject_id=series.subject_id,
        version=(latest or 0) + 1,
        author_id=author_id,
        draft_id=draft_id,
        source=source.value,
        status=Status.SUBMITTED.value,
        snapshot=snapshot.to_json(),
        summary=summary or {},
        submitted_at=now,
    )
    session.add(submission)
    await session.flush()
    return submission


async def keep_counts(session: AsyncSession, counts: Mapping[int, dict[str, Any]]) -> None:
    """Store review counts (by submission id) with the versions that have none yet; counts found
    after the commit are stored in a transaction of their own (``Reply.then``)."""
    for submission_id, found in counts.items():
        stored = await session.get(Submission, submission_id)
        if stored is not None and not stored.summary:
            stored.summary = dict(found)


def decide(
    submission: Submission, status: Status, *, by: int, now: datetime, note: str | None = None
) -> None:
    """Return or approve a submission (the caller checked it is the latest and still waiting), with
    the word the decision comes with (a return's reason), if any."""
    assert status in (Status.RETURNED, Status.APPROVED)
    submission.status, submission.decided_at, submission.decided_by = status.value, now, by
    submission.decision_note = note


async def history(session: AsyncSession, series: Series) -> list[Submission]:
    """Every version of the series, oldest first."""
    return list(
        (await session.scalars(select(Submission).where(series.where()).order_by(Submission.version))).all()
    )


async def in_scope(session: AsyncSession, scope: str, scope_id: int) -> list[Submission]:
    """Every version handed in to ``(scope, scope_id)``, by series then version."""
    statement = (
        select(Submission)
        .where(Submission.scope == scope, Submission.scope_id == scope_id)
        .order_by(Submission.subject_id, Submission.version)
    )
    return list((await session.scalars(statement)).all())


async def latest_in_scope(session: AsyncSession, scope: str, scope_id: int) -> list[Submission]:
    """The latest version of each series handed in to ``(scope, scope_id)``, oldest series first."""
    newest = (
        select(Submission.subject_id, func.max(Submission.version).label("version"))
        .where(Submission.scope == scope, Submission.scope_id == scope_id)
        .group_by(Submission.subject_id)
        .subquery()
    )
    statement = (
        select(Submission)
        .join(
            newest,
            (Submission.subject_id == newest.c.subject_id) & (Submission.version == newest.c.version),
        )
        .where(Submission.scope == scope, Submission.scope_id == scope_id)
        .order_by(Submission.id)
    )
    return list((await session.scalars(statement)).all())


async def by_public_id(session: AsyncSession, public_id: str) -> Submission | None:
    """Unscoped: the caller must check the user may see it (author, or the place's reviewer)."""
    found: Submission | None = await session.scalar(
        select(Submission).where(Submission.public_id == public_id)
    )
    return found


def last_returned(versions: Sequence[Submission], before: Submission) -> Submission | None:
    """The latest version returned before ``before`` in the same series (for "changed since")."""
    earlier = [s for s in versions if s.version < before.version and s.status == Status.RETURNED]
    return earlier[-1] if earlier else None


# -- comments ---------------------------------------------------------------------------------------


def add_comment(
    session: AsyncSession,
    *,
    text: str,
    author_id: int,
    now: datetime,
    submission: Submission | None = None,
    draft_id: int | None = None,
    section: str | None = None,
    item_id: int | None = None,
) -> Comment:
    """A remark on an item (``section`` and ``item_id``), a section (``item_id`` None) or the whole
    material (both None), of a submission or of a live draft."""
    assert (submission is None) != (draft_id is None), "a comment belongs to a submission or a draft"
    comment = Comment(
        submission_id=submission.id if submission is not None else None,
        draft_id=draft_id,
        section=section,
        item_id=item_id,
        author_id=author_id,
        text=text,
        created_at=now,
    )
    session.add(comment)
    return comment


async def comments_on(session: AsyncSession, submission_ids: Sequence[int]) -> list[Comment]:
    """Comments on these submissions, oldest first."""
    if not submission_ids:
        return []
    statement = select(Comment).where(Comment.submission_id.in_(submission_ids)).order_by(Comment.id)
    return list((await session.scalars(statement)).all())


async def comments_on_draft(session: AsyncSession, draft_id: int) -> list[Comment]:
    statement = select(Comment).where(Comment.draft_id == draft_id).order_by(Comment.id)
    return list((await session.scalars(statement)).all())


def by_item(comments: Sequence[Comment]) -> dict[int | None, list[Comment]]:
    """Comments grouped by item id (``None``: on a section or the whole material)."""
    grouped: dict[int | None, list[Comment]] = {}
    for comment in comments:
        grouped.setdefault(comment.item_id, []).append(comment)
    return grouped
