"""A measure's deadline as stored columns and as the core's typed deadline, and re-planning.

The planner is pure; this is where its result meets the reminder rows, every time a deadline is
set or moved or a measure is closed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import owners
from bot.deadlines.parse import (
    Cadence,
    Deadline,
    DeadlineProblem,
    DueDate,
    Immediate,
    Ongoing,
    format_day,
    parse_deadline,
)
from bot.deadlines.plan import MeasurePlanInput, annual_summary_time, digest_times, plan_reminders
from bot.deadlines.settings import ReminderSettings
from bot.flows.context import FlowContext
from bot.measure_status import MeasureStatus, status_of
from bot.team import leader_named, name_of
from storage import reminders, repo
from storage.models import DraftMember, Measure

KIND_OF = {DueDate: "due", Immediate: "immediate", Ongoing: "ongoing"}
DIGEST, SUMMARY = "digest", "summary"
RECTIFY_TYPE = {"due": "限期整改", "immediate": "立行立改", "ongoing": "长期坚持"}


def lead(ctx: FlowContext, measure: Measure, member: DraftMember) -> None:
    """``member`` leads the measure, recorded; his reminders follow once the caller replans."""
    measure.leader_id = member.user_id
    repo.record_event(ctx.session, measure, "leader", name_of(member), ctx.user.id)


def store_owner(
    ctx: FlowContext, measure: Measure, text: str, members: list[DraftMember]
) -> tuple[DraftMember | None, str]:
    """The 责任人 written for a measure (typed at its question, or an imported table's column),
    stored and recorded: one of ``members`` named first leads it and the rest is its 责任部门
    (``bot.team.leader_named``), else the whole text is its 责任人. The member who leads it now
    (None when none was named) and the owner stored ("" when none: a 责任部门 still to ask). The
    caller replans: the step at once, an import once per measure with its 时限."""
    named = leader_named(text, members)
    leader = None
    if named is not None:
        leader, text = named
        lead(ctx, measure, leader)
    if text:
        measure.owner = text
        repo.record_event(ctx.session, measure, "owner", text, ctx.user.id)
    return leader, text


def store_member(ctx: FlowContext, measure: Measure, text: str) -> str | owners.Unread:
    """A 党支部班子's 责任人 written for a measure (typed at its question, or an imported column):
    the one 支委 it names (``owners.committee_member``), stored and recorded; else why not."""
    member = owners.committee_member(text)
    if not isinstance(member, owners.Unread):
        store_owner(ctx, measure, member, [])
    return member


def cadence_of(measure: Measure) -> Cadence | None:
    return Cadence.from_iso(measure.review_cadence) if measure.review_cadence else None


def deadline_of(measure: Measure) -> Deadline | None:
    """Rebuild the typed deadline from the stored columns (None while no deadline is set)."""
    text = measure.deadline_text or ""
    cadence = cadence_of(measure)
    if measure.deadline_kind == "ongoing":
        return Ongoing(cadence, text)
    if measure.deadline_date is None:
        return None
    follow_on = Ongoing(cadence, text) if cadence else None
    kind = Immediate if measure.deadline_kind == "immediate" else DueDate
    return kind(measure.deadline_date, text, follow_on)


def store_deadline(measure: Measure, deadline: Deadline) -> None:
    """Set the deadline; 整改类型 follows only a deadline that names a type (立行立改, 长期坚持), so
    moving a 立行立改 item to a date keeps it 立行立改."""
    measure.deadline_text = deadline.text[:64]
    measure.deadline_kind = KIND_OF[type(deadline)]
    if measure.rectify_type is None or not isinstance(deadline, DueDate):
        measure.rectify_type = RECTIFY_TYPE[measure.deadline_kind]
    if isinstance(deadline, Ongoing):
        measure.deadline_date = None
        cadence = deadline.cadence
        if measure.status == MeasureStatus.NOT_STARTED:
            measure.status = MeasureStatus.ONGOING
    else:
        measure.deadline_date = deadline.due
        cadence = deadline.follow_on.cadence if deadline.follow_on else None
    measure.review_cadence = cadence.iso if cadence else None


@dataclass(frozen=True)
class Past(DeadlineProblem):
    """A 时限 that names a day already gone: nothing to remind of by it, so it is not stored."""

    due: date

    @classmethod
    def of(cls, due: date) -> Past:
        return cls(f"{format_day(due)}已经过去，请发送今天以后的新时限。", due)


Record = Callable[[FlowContext, Measure, str, str], Awaitable[None]]
"""Records an event in a measure's history (and tells whoever must hear of it): kind, text."""


async def _history(ctx: FlowContext, measure: Measure, kind: str, text: str) -> None:
    repo.record_event(ctx.session, measure, kind, text, ctx.user.id)


async def set_first_deadline(
    ctx: FlowContext,
    measure: Measure,
    text: str,
    meeting: date,
    *,
    past: bool = False,
    record: Record = _history,
) -> Deadline | DeadlineProblem:
    """The 时限 written for a measure that has none yet (typed at its question, or an imported
    column), read as of the meeting, stored and recorded (``record``); else the parser's request
    to rephrase, or ``Past`` for a day already gone unless ``past`` lets it through (the deadline
    step stores it and asks to check the year). The caller replans."""
    deadline = parse_deadline(text, meeting=meeting, today=ctx.today, settings=ctx.settings.reminders)
    if isinstance(deadline, DeadlineProblem):
        return deadline
    if not past and not isinstance(deadline, Ongoing) and deadline.due < ctx.today:
        return Past.of(deadline.due)
    store_deadline(measure, deadline)
    await record(ctx, measure, "deadline", text)
    return deadline


def is_open(measure: Measure) -> bool:
    return status_of(measure.status).is_open


async def replan(ctx: FlowContext, measure: Measure, *, since: date, owner: int | None = None) -> None:
    """Make the measure's pending reminders match its deadline and state, for its leader if a team
    member leads it, else for ``owner`` (default: the user acting)."""
    deadline = deadline_of(measure)
    if deadline is None or not is_open(measure):
        await reminders.cancel_pending(ctx.session, measure.id)
        await end_digest(ctx.session, measure.leader_id or owner or ctx.user.id)
        return
    # A team member who leads the measure is the one reminded, at his own hours; whoever was
    # before no longer is.
    recipient = measure.leader_id or owner or ctx.user.id
    timezone = await ctx.timezone_of(recipient)
    plan = plan_reminders(
        MeasurePlanInput(measure.id, deadline, done=False, timezone=timezone, since=since),
        ctx.settings.reminders,
        now=ctx.now,
    )
    await reminders.cancel_pending(ctx.session, measure.id, except_user=recipient)
    await reminders.replace_plan(
        ctx.session,
        user_id=recipient,
        measure_id=measure.id,
        planned=[reminders.Planned(p.kind.value, p.key, p.due_at) for p in plan],
    )
    await schedule_digest(ctx.session, recipient, timezone, ctx.settings.reminders, ctx.now)


async def schedule_digest(
    session: AsyncSession, user_id: int, timezone: str, settings: ReminderSettings, now: datetime
) -> None:
    """The next weekly digest of overdue items; the dispatcher plans the one after when it sends."""
    await reminders.ensure(
        session, user_id=user_id, kind=DIGEST, key=DIGEST, due_at=digest_times(settings, timezone, now, 1)[0]
    )


async def next_digest(
    session: AsyncSession, user_id: int, timezone: str, settings: ReminderSettings, now: datetime
) -> None:
    """After a digest: the next one while the user follows a measure that can fall overdue; none
    once every one is done (``replan`` schedules it again for a measure reopened or added)."""
    if await _follows_any(session, user_id):
        await schedule_digest(session, user_id, timezone, settings, now)


async def _follows_any(session: AsyncSession, user_id: int) -> bool:
    """Whether a measure the user is reminded of is still open (``is_followed``)."""
    return any(is_followed(m) for m, _, _ in await repo.measures_of(session, user_id))


async def end_digest(session: AsyncSession, user_id: int) -> None:
    """The user's last followed measure is done: the digest already planned goes with it, rather
    than come due with nothing to say (and stay listed as pending until then)."""
    if not await _follows_any(session, user_id):
        await reminders.drop_pending(session, user_id=user_id, kind=DIGEST, key_prefix=DIGEST)


def is_followed(measure: Measure) -> bool:
    """Open and with a deadline: reminded, and in the digest once overdue."""
    return is_open(measure) and deadline_of(measure) is not None


async def schedule_summary(ctx: FlowContext, draft_public_id: str, meeting: date) -> None:
    """Before next year's meeting, where this year's promises stand."""
    timezone = ctx.user.timezone or ctx.settings.timezone
    due = annual_summary_time(meeting, ctx.settings.reminders, tz=timezone)
    await reminders.ensure(
        ctx.session, user_id=ctx.user.id, kind=SUMMARY, key=f"{SUMMARY}:{draft_public_id}", due_at=due
    )
