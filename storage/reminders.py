"""Reminder rows: replacing a measure's plan, and claiming due rows for dispatch.

Claiming is the only place several dispatchers meet. On PostgreSQL a transaction-scoped advisory
lock makes the rate budget check and the claim one atomic step across instances, and the rows are
selected ``FOR UPDATE SKIP LOCKED``; on SQLite ``BEGIN IMMEDIATE`` serialises claims anyway. A
claimed row carries a lease: if its dispatcher dies before recording the outcome, the row becomes
claimable again when the lease ends (the at-least-once window is the lease length). The lease
end also dates the claim, which is how the global send rate is counted across instances.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Reminder, User

PENDING, SENDING, SENT, SKIPPED, FAILED = "pending", "sending", "sent", "skipped", "failed"
_CLAIM_LOCK = 0x64756973  # advisory lock id ("duis"): one claimer at a time across instances


@dataclass(frozen=True)
class Planned:
    kind: str
    key: str
    due_at: datetime


async def replace_plan(
    session: AsyncSession, *, user_id: int, measure_id: int | None, planned: Iterable[Planned]
) -> None:
    """Make the measure's pending reminders equal to ``planned``; sent ones stay as history."""
    wanted = {p.key: p for p in planned}
    existing = (
        await session.scalars(
            select(Reminder).where(
                Reminder.user_id == user_id, Reminder.measure_id == measure_id, Reminder.state == PENDING
            )
        )
    ).all()
    for reminder in existing:
        plan = wanted.pop(reminder.key, None)
        if plan is None:
            await session.delete(reminder)
        else:
            reminder.due_at, reminder.kind = plan.due_at, plan.kind
    session.add_all(
        Reminder(user_id=user_id, measure_id=measure_id, kind=p.kind, key=p.key, due_at=p.due_at)
        for p in wanted.values()
    )


async def cancel_pending(session: AsyncSession, measure_id: int, *, except_user: int | None = None) -> None:
    """Drop the measure's pending reminders (all, or those of everyone but ``except_user``)."""
    statement = delete(Reminder).where(Reminder.measure_id == measure_id, Reminder.state == PENDING)
    if except_user is not None:
        statement = statement.where(Reminder.user_id != except_user)
    await session.execute(statement)


async def drop_pending(session: AsyncSession, *, user_id: int, kind: str, key_prefix: str) -> int:
    """Forget the user's pending reminders of ``kind`` whose key starts with ``key_prefix`` (a plan
    about to be made anew); how many there were."""
    result = await session.execute(
        delete(Reminder).where(
            Reminder.user_id == user_id,
            Reminder.kind == kind,
            Reminder.state == PENDING,
            Reminder.key.startswith(key_prefix, autoescape=True),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def was_sent(session: AsyncSession, *, user_id: int, kind: str, key: str) -> bool:
    """Whether a user-level reminder of ``kind`` under ``key`` has reached the user."""
    found = await session.scalar(
        select(func.count())
        .select_from(Reminder)
        .where(Reminder.user_id == user_id, Reminder.kind == kind)
        .where(Reminder.key == key, Reminder.state == SENT)
    )
    return bool(found)


async def claim_due(
    session: AsyncSession,
    *,
    now: datetime,
    lease: timedelta,
    rate_per_second: float,
    batch: int,
    apart: Collection[str] = (),
) -> list[Reminder]:
    """Claim up to ``batch`` due reminders within the global send budget of the last second.

    Overdue rows of one measure are coalesced: only the latest is sent, the others are skipped,
    so a bot coming back from downtime sends one catch-up per item instead of a burst. User-level
    rows coalesce as ``_group`` says, except those of the kinds ``apart``: each of their keys names
    a message of its own (one draft's digest), never said by another row.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _CLAIM_LOCK})
    claimed_recently = await session.scalar(
        select(func.count())
        .select_from(Reminder)
        .where(Reminder.lease_until > now + lease - timedelta(seconds=1))
    )
    budget = min(batch, int(rate_per_second) - int(claimed_recently or 0))
    if budget <= 0:
        return []
    due = (
        select(Reminder)
        .where(
            or_(
                (Reminder.state == PENDING) & (Reminder.due_at <= now),
                (Reminder.state == SENDING) & (Reminder.lease_until < now),
            )
        )
        .order_by(Reminder.due_at, Reminder.id)
        .limit(budget)
        .with_for_update(skip_locked=True)
    )
    rows = list((await session.scalars(due)).all())
    latest: dict[int | tuple[int, str, str], Reminder] = {}
    for reminder in rows:  # ordered by due time, so the last one seen per measure wins
        group = reminder.measure_id if reminder.measure_id is not None else _group(reminder, apart)
        if group in latest:
            latest[group].state = SKIPPED
        latest[group] = reminder
    return _leased(list(latest.values()), now, lease)


async def claim(
    session: AsyncSession, ids: Sequence[int], *, now: datetime, lease: timedelta
) -> list[Reminder]:
    """Claim these reminders, due or not, unless sent or claimed already (by a dispatcher that
    found them due): a notice its update sends at once."""
    pending = (
        select(Reminder)
        .where(Reminder.id.in_(ids), Reminder.state == PENDING)
        .order_by(Reminder.id)
        .with_for_update(skip_locked=True)
    )
    return _leased(list((await session.scalars(pending)).all()), now, lease)


def _leased(claimed: list[Reminder], now: datetime, lease: timedelta) -> list[Reminder]:
    for reminder in claimed:
        reminder.state, reminder.lease_until = SENDING, now + lease
        reminder.attempts += 1
    return claimed


def _group(reminder: Reminder, apart: Collection[str]) -> tuple[int, str, str]:
    """What overdue copies of a user-level reminder coalesce by: its kind and its key without the
    last part, which is the batch or version a desk due date or a notice names (``<prefix>:<id>:<date
    or status>``), and the same for every row of the other kinds (``digest``);
    the whole key for the kinds ``apart``."""
    if reminder.kind in apart:
        return reminder.user_id, reminder.kind, reminder.key
    return reminder.user_id, reminder.kind, reminder.key.rsplit(":", 1)[0]


async def scheduled_between(
    session: AsyncSession, user_id: int, kind: str, start: datetime, end: datetime
) -> bool:
    """Whether a user-level reminder of ``kind`` is due (or was sent) for the user in [start, end)."""
    found = await session.scalar(
        select(func.count())
        .select_from(Reminder)
        .where(
            Reminder.user_id == user_id,
            Reminder.kind == kind,
            Reminder.due_at >= start,
            Reminder.due_at < end,
            Reminder.state.in_([PENDING, SENDING, SENT]),
        )
    )
    return bool(found)


async def record_sent(session: AsyncSession, reminder_id: int, now: datetime) -> None:
    await session.execute(
        update(Reminder).where(Reminder.id == reminder_id).values(state=SENT, sent_at=now, note=None)
    )


async def record_skipped(session: AsyncSession, reminder_id: int) -> None:
    """Nothing to say any more (measure closed, nothing overdue): done without a message."""
    await session.execute(update(Reminder).where(Reminder.id == reminder_id).values(state=SKIPPED, note=None))


async def retry_later(session: AsyncSession, reminder_id: int, at: datetime, error: str) -> None:
    await session.execute(
        update(Reminder)
        .where(Reminder.id == reminder_id)
        .values(state=PENDING, due_at=at, last_error=error[:200])
    )


async def give_up(session: AsyncSession, reminder_id: int, error: str) -> None:
    await session.execute(
        update(Reminder)
        .where(Reminder.id == reminder_id)
        .values(state=FAILED, last_error=error[:200], note=None)
    )


async def block_user(session: AsyncSession, user_id: int, now: datetime) -> None:
    """The user blocked the bot: stop trying them until they write again."""
    await session.execute(update(User).where(User.id == user_id).values(blocked_at=now))
    await session.execute(
        update(Reminder)
        .where(Reminder.user_id == user_id, Reminder.state.in_([PENDING, SENDING]))
        .values(state=FAILED, last_error="blocked by user", note=None)
    )


async def drop_naming(session: AsyncSession, kinds: Collection[str], user_id: int) -> None:
    """Delete the notices of ``kinds`` whose key ends in ``user_id`` (``<kind>:<draft>:<user>``),
    whoever they are for: the rows that name a user who is being forgotten."""
    await session.execute(
        delete(Reminder).where(
            Reminder.kind.in_(kinds), Reminder.key.endswith(f":{user_id}", autoescape=True)
        )
    )


async def due_before(session: AsyncSession, before: datetime) -> Sequence[Reminder]:
    statement = (
        select(Reminder)
        .where(Reminder.state.in_([PENDING, SENDING]), Reminder.due_at <= before)
        .order_by(Reminder.due_at, Reminder.id)
    )
    return (await session.scalars(statement)).all()


async def ensure(
    session: AsyncSession, *, user_id: int, kind: str, key: str, due_at: datetime, note: str | None = None
) -> int:
    """A user-level reminder (weekly digest, annual summary, a notice, with its ``note``) exists once,
    pending, under ``key``; its id."""
    existing = await session.scalar(
        select(Reminder.id).where(
            Reminder.user_id == user_id,
            Reminder.measure_id.is_(None),
            Reminder.key == key,
            Reminder.state == PENDING,
        )
    )
    if existing is not None:
        return existing
    added = Reminder(user_id=user_id, measure_id=None, kind=kind, key=key, due_at=due_at, note=note)
    session.add(added)
    await session.flush()
    return added.id
