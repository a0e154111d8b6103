"""Queries of a team draft: its members, invitations and proposals.

Every function that finds a team draft for a client takes the user id and requires a membership
row, so a non-member gets ``None`` whatever identifiers he sends.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload

from storage.models import Answer, Draft, DraftMember, Measure, Proposal, TeamInvite

OWNER = "owner"


@dataclass(frozen=True)
class Seat:
    """A user's place in a team draft: the draft (answers loaded) and his membership row."""

    draft: Draft
    member: DraftMember


_SEAT = (
    select(Draft, DraftMember)
    .join(DraftMember, DraftMember.draft_id == Draft.id)
    .where(DraftMember.user_id == bindparam("user_id"))
    .options(joinedload(Draft.answers).joinedload(Answer.measure).options(joinedload(Measure.links)))
)


async def seat(session: AsyncSession, user_id: int, public_id: str) -> Seat | None:
    """The draft with this public id if the user is a member of it (any role)."""
    rows = (await session.execute(_SEAT.where(Draft.public_id == public_id), {"user_id": user_id})).unique()
    found = rows.first()
    return Seat(found[0], found[1]) if found else None


async def seat_by_id(session: AsyncSession, user_id: int, draft_id: int) -> Seat | None:
    rows = (await session.execute(_SEAT.where(Draft.id == draft_id), {"user_id": user_id})).unique()
    found = rows.first()
    return Seat(found[0], found[1]) if found else None


async def seats(session: AsyncSession, user_id: int, kinds: Sequence[str]) -> list[Seat]:
    """The user's team drafts (drafts of the given kinds he belongs to), newest first."""
    statement = (
        select(Draft, DraftMember)
        .join(DraftMember, DraftMember.draft_id == Draft.id)
        .where(DraftMember.user_id == user_id, Draft.kind.in_(kinds))
        .order_by(Draft.updated_at.desc(), Draft.id.desc())
    )
    return [Seat(d, m) for d, m in (await session.execute(statement)).all()]


async def owned_with_others(session: AsyncSession, user_id: int) -> list[tuple[Draft, int]]:
    """The drafts the user owns that others belong to, with how many others (what his /forget
    would take from them)."""
    others = aliased(DraftMember)
    statement = (
        select(Draft, func.count(others.user_id))
        .join(DraftMember, (DraftMember.draft_id == Draft.id) & (DraftMember.role == OWNER))
        .join(others, (others.draft_id == Draft.id) & (others.user_id != user_id))
        .where(DraftMember.user_id == user_id)
        .group_by(Draft.id)
        .order_by(Draft.id)
    )
    return [(draft, count) for draft, count in (await session.execute(statement)).all()]


async def members(session: AsyncSession, draft_id: int) -> list[DraftMember]:
    """Everyone on the draft, the owner first, then in the order they joined."""
    statement = (
        select(DraftMember)
        .where(DraftMember.draft_id == draft_id)
        .order_by((DraftMember.role != OWNER), DraftMember.created_at, DraftMember.user_id)
    )
    return list((await session.scalars(statement)).all())


async def member(session: AsyncSession, draft_id: int, user_id: int) -> DraftMember | None:
    return await session.get(DraftMember, (draft_id, user_id))


async def leader_names(session: AsyncSession, draft_ids: Collection[int]) -> dict[int, str]:
    """By measure id, the name its 责任领导 picked from the team (``Measure.leader_id``) gave the
    team, for the measures of ``draft_ids`` that have one; a member who gave no name is left out."""
    if not draft_ids:
        return {}
    rows = await session.execute(
        select(Measure.id, DraftMember.display_name)
        .join(
            DraftMember,
            (DraftMember.user_id == Measure.leader_id) & (DraftMember.draft_id == Measure.draft_id),
        )
        .where(Measure.draft_id.in_(draft_ids))
    )
    return {measure_id: name for measure_id, name in rows.all() if name}


# -- invitations ----------------------------------------------------------------------------------


def add_invite(
    session: AsyncSession,
    code: str,
    draft_id: int,
    role: str,
    created_by: int,
    uses: int,
    expires_at: datetime,
) -> None:
    session.add(
        TeamInvite(
            code=code,
            draft_id=draft_id,
            role=role,
            created_by=created_by,
            uses_left=uses,
            expires_at=expires_at,
        )
    )


async def live_invite(session: AsyncSession, code: str, now: datetime) -> TeamInvite | None:
    """An invitation that can still be accepted: not revoked, not expired, places left."""
    statement = select(TeamInvite).where(
        TeamInvite.code == code,
        TeamInvite.revoked_at.is_(None),
        TeamInvite.expires_at > now,
        TeamInvite.uses_left > 0,
    )
    found: TeamInvite | None = await session.scalar(statement)
    return found


async def take_place(session: AsyncSession, code: str, now: datetime) -> TeamInvite | None:
    """Use one place of a live invitation (one conditional UPDATE, so two people cannot both take
    the last place); the invitation, or None when it is no longer live."""
    taken = await session.scalar(
        update(TeamInvite)
        .where(
            TeamInvite.code == code,
            TeamInvite.revoked_at.is_(None),
            TeamInvite.expires_at > now,
            TeamInvite.uses_left > 0,
        )
        .values(uses_left=TeamInvite.uses_left - 1)
        .returning(TeamInvite.code)
    )
    if taken is None:
        return None
    return await session.get(TeamInvite, code, populate_existing=True)


async def live_invites(session: AsyncSession, draft_id: int, now: datetime) -> list[TeamInvite]:
    statement = (
        select(TeamInvite)
        .where(
            TeamInvite.draft_id == draft_id,
            TeamInvite.revoked_at.is_(None),
            TeamInvite.expires_at > now,
            TeamInvite.uses_left > 0,
        )
        .order_by(TeamInvite.created_at)
    )
    return list((await session.scalars(statement)).all())


async def revoke_invites(session: AsyncSession, draft_id: int, now: datetime) -> int:
    result = await session.execute(
        update(TeamInvite)
        .where(TeamInvite.draft_id == draft_id, TeamInvite.revoked_at.is_(None))
        .values(revoked_at=now),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0) or 0)


# -- proposals ------------------------------------------------------------------------------------


async def proposals(session: AsyncSession, draft_id: int, states: Sequence[str]) -> list[Proposal]:
    statement = (
        select(Proposal)
        .where(Proposal.draft_id == draft_id, Proposal.state.in_(states))
        .order_by(Proposal.aspect, Proposal.id)
    )
    return list((await session.scalars(statement)).all())


async def proposals_by(session: AsyncSession, draft_id: int, author_id: int) -> list[Proposal]:
    statement = (
        select(Proposal)
        .where(Proposal.draft_id == draft_id, Proposal.author_id == author_id)
        .order_by(Proposal.id)
    )
    return list((await session.scalars(statement)).all())


async def proposal(session: AsyncSession, draft_id: int, proposal_id: int) -> Proposal | None:
    """A proposal of this draft (a forged id of another draft's proposal finds nothing)."""
    found: Proposal | None = await session.scalar(
        select(Proposal).where(Proposal.id == proposal_id, Proposal.draft_id == draft_id)
    )
    return found


async def open_proposal_by_id(session: AsyncSession, proposal_id: int) -> Proposal | None:
    """For a question the server itself stored (``users.pending``); callers check the draft's owner."""
    found: Proposal | None = await session.get(Proposal, proposal_id)
    return found


async def led_elsewhere(session: AsyncSession, user_id: int) -> list[tuple[Measure, int, Draft]]:
    """Measures the user leads in team drafts someone else owns, with that owner's id."""
    owner = aliased(DraftMember)
    statement = (
        select(Measure, owner.user_id, Draft)
        .join(Draft, Draft.id == Measure.draft_id)
        .join(owner, (owner.draft_id == Draft.id) & (owner.role == OWNER))
        .where(Measure.leader_id == user_id, owner.user_id != user_id)
    )
    return [(m, o, d) for m, o, d in (await session.execute(statement)).all()]
