"""Database schema. Every conversation state lives here, never only in process memory.

Ownership goes through ``draft_members`` (user, role) rather than a column on the draft, so a
team material written by several members needs no schema change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    column,
    exists,
    false,
    func,
    table,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from bot.measure_status import MeasureStatus
from storage.crypto import EncryptedJSON, EncryptedText

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend: SQLite stores no zone and hands back naive values."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.astimezone(UTC) if value is not None and value.tzinfo else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], datetime | None] | None:
        if dialect.name == "sqlite":  # it hands back the stored text
            return _sqlite_utc
        return super().result_processor(dialect, coltype)


def _sqlite_utc(value: str | None) -> datetime | None:
    return None if value is None else _parsed_utc(value)


@lru_cache(maxsize=4096)
def _parsed_utc(value: str) -> datetime:
    """SQLite's text of a datetime, read as UTC; remembered, since reading a draft with its answers
    repeats the user's and the draft's timestamps on every answer row (110 of them for 22 answers)
    and every step reads the same answers again. A datetime is immutable, so reads may share one."""
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _now() -> Any:
    return func.now()


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    active_draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("drafts.id", ondelete="SET NULL", use_alter=True)
    )
    timezone: Mapped[str | None] = mapped_column(String(64))
    blocked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # A question outside the drafting steps that the user's next text answers, e.g. the one-line
    # 完成情况 after pressing 已完成 on a reminder: {"action": ..., "measure": id}.
    pending: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Set when the user redeemed an invite: what lets them in when the bot is closed.
    access_granted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # When the user last pasted a whole material into a step (kept as an upload): only a message
    # sent soon after it may be its rest, so other messages need not look for it (one query less).
    pasted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())


_DISMISSALS = table("dismissals", column("draft_id"))
_EARLIER = table("drafts", column("id"), column("kind"), column("year")).alias("earlier")
_THEIRS = table("draft_members", column("draft_id"), column("user_id")).alias("earlier_members")
_OURS = table("draft_members", column("draft_id"), column("user_id")).alias("our_members")
"""The tables as ``Draft``'s read-only columns refer to them, before their classes are declared."""


class Draft(Base):
    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str | None] = mapped_column(String(32))
    theme_key: Mapped[str | None] = mapped_column(String(64))
    theme_label: Mapped[str | None] = mapped_column(String(64))
    year: Mapped[int | None] = mapped_column(Integer)
    # Snapshot of the aspects ({text, heading}) chosen at set-up, so later catalog edits
    # never renumber the answers already stored against them.
    aspects: Mapped[list[dict[str, str]]] = mapped_column(EncryptedJSON, default=list)
    # Extra matters the theme requires as sections of their own (e.g. 反面典型案例剖析).
    extra_matters: Mapped[list[str]] = mapped_column(JSON, default=list)
    meeting_date: Mapped[date | None] = mapped_column(Date)
    # A team draft's aspects open to its members' contributions (1-based); None: all of them.
    open_aspects: Mapped[list[int] | None] = mapped_column(JSON)
    meta: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    cursor: Mapped[str] = mapped_column(String(64))
    completed: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now(), onupdate=_now())
    # Read with the draft, so that reviewing a draft after an answer needs no query for what is
    # not there: dismissed findings (an EXISTS on their primary key), and an earlier draft of the
    # same kind of one of its members (``repo.previous_draft`` finds the requesting member's).
    # Kept through flushes: nothing changes them in the transaction that reads them.
    has_dismissals: Mapped[bool] = column_property(
        exists().where(_DISMISSALS.c.draft_id == id), expire_on_flush=False
    )
    has_earlier: Mapped[bool] = column_property(
        exists()
        .select_from(
            _EARLIER.join(_THEIRS, _THEIRS.c.draft_id == _EARLIER.c.id).join(
                _OURS, _OURS.c.user_id == _THEIRS.c.user_id
            )
        )
        .where(
            _OURS.c.draft_id == id,
            _EARLIER.c.kind == kind,
            _EARLIER.c.id != id,
            ((year.is_not(None)) & (_EARLIER.c.year < year)) | (year.is_(None) & (_EARLIER.c.id < id)),
        ),
        expire_on_flush=False,
    )

    members: Mapped[list[DraftMember]] = relationship(
        back_populates="draft", cascade="all, delete-orphan", passive_deletes=True, lazy="raise"
    )
    # Loaded explicitly with the draft (one query), then kept in step in memory by the flows.
    answers: Mapped[list[Answer]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(Answer.position, Answer.id)",
        lazy="raise",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it as declared)


class DraftMember(Base):
    __tablename__ = "draft_members"

    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), default="owner")
    # How the member is named to the team (姓名和职务, as they wrote it when joining).
    display_name: Mapped[str | None] = mapped_column(EncryptedText)
    # The member agreed, when joining, that the owner may see the status of his personal material.
    status_consent: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())

    draft: Mapped[Draft] = relationship(back_populates="members")


class TeamInvite(Base):
    """A deep link to join one team draft in one role: expiring, limited uses, revocable."""

    __tablename__ = "team_invites"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    uses_left: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())


class Proposal(Base):
    """A candidate problem for one aspect of a team draft: a member's contribution, or an opinion
    collected before the meeting (征求意见…), until the owner accepts, merges or declines it.

    ``author_id`` is kept without a foreign key so a forgotten member's contribution stays with the
    team material, anonymised (set to NULL).
    """

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    aspect: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(EncryptedText)
    origin: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(EncryptedText)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answers.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


_NO_EAGER_DEFAULTS: dict[str, Any] = {"eager_defaults": False}
"""For the rows a drafting step inserts (answers, measures): the INSERT fetches no server defaults
(``created_at``, ``updated_at``), which nothing reads in the transaction that writes them, so on
SQLite it is a plain INSERT with the id from ``lastrowid`` instead of INSERT … RETURNING (one hop
less to the database thread and no result to process)."""


class AnswerRole(StrEnum):
    """What an answer is in its section: one item of the list, the lead paragraph before it, or
    the heading of an aspect the list's points are grouped under (上年度 reported per aspect of last
    year's material, （一）理论学习方面 with its 一是、二是): a heading stands in the list among the
    items, and the points after it, up to the next, are its."""

    ITEM = "item"
    LEAD = "lead"
    HEADING = "heading"


LEAD_POSITION = -1
"""A lead is stored before its items, so the stored order is the reading order."""


class Answer(Base):
    """One node of a draft's document model: the text of a text section, one item of an items
    section (its body without any numbering marker), or the lead paragraph before the items.

    ``(section, aspect)`` is the step it was written in, ``position`` its place among the items.
    The id is stable across edits and moves, so findings, measures and links can name it.
    """

    __tablename__ = "answers"
    __table_args__ = (
        Index("ix_answers_slot", "draft_id", "section", "aspect", "position"),
        Index("ix_answers_source", "source_chat_id", "source_message_id"),
        Index("ix_answers_joined", "source_chat_id", "joined_message_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    section: Mapped[str] = mapped_column(String(32))
    aspect: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[AnswerRole] = mapped_column(String(8), default=AnswerRole.ITEM, server_default="item")
    text: Mapped[str] = mapped_column(EncryptedText)
    author_id: Mapped[int | None] = mapped_column(BigInteger)
    # 问题来源 when it is known from how the item arrived (an accepted opinion); else read from the text.
    origin: Mapped[str | None] = mapped_column(String(16))
    source_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    source_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # The later part of a text its client cut whose words were all joined to this answer
    # (``bot.continuation``): it stored nothing of its own, so an edit of it is found here.
    joined_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now(), onupdate=_now())

    measure: Mapped[Measure | None] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="raise"
    )

    __mapper_args__ = _NO_EAGER_DEFAULTS


class AnswerRevision(Base):
    """Append-only history: the text an answer had before each edit or its deletion.

    Together with the current row this is the full history; it outlives a deleted answer.
    """

    __tablename__ = "answer_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(EncryptedText)
    author_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())


class Measure(Base):
    """A rectification promise, one per item of the measures section, with its ledger columns."""

    __tablename__ = "measures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), unique=True)
    deadline_text: Mapped[str | None] = mapped_column(EncryptedText)
    deadline_kind: Mapped[str | None] = mapped_column(String(16))  # due / immediate / ongoing
    deadline_date: Mapped[date | None] = mapped_column(Date)
    review_cadence: Mapped[str | None] = mapped_column(String(32))
    owner: Mapped[str | None] = mapped_column(EncryptedText)
    # A team member who leads the measure (责任领导): he gets its reminders and may act on it.
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=MeasureStatus.NOT_STARTED)
    completion_note: Mapped[str | None] = mapped_column(EncryptedText)
    evidence: Mapped[str | None] = mapped_column(EncryptedText)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # 整改类型 as first set (立行立改/限期整改/长期坚持): a postponement moves the deadline, not the
    # type, which changes only when the user names another type.
    rectify_type: Mapped[str | None] = mapped_column(String(16))
    # The deadline as it stood before the first postponement (原定时限), in words.
    original_deadline: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now(), onupdate=_now())

    # The problem items (answers of a problems section) this measure rectifies; loaded with the draft.
    links: Mapped[list[MeasureProblem]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="raise"
    )

    __mapper_args__ = _NO_EAGER_DEFAULTS


class MeasureProblem(Base):
    """A measure addresses a problem item: the 问题清单 ↔ 任务清单 link of the ledger (many to many)."""

    __tablename__ = "measure_problems"

    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # Stored from the proposal when the user went on to the deadlines while the problem shared nothing
    # with its measures (bot.links.guessed): still a guess, named by /check until the user confirms
    # the table or changes this problem's links.
    by_order: Mapped[bool] = mapped_column(default=False, server_default=false())


class MeasureEvent(Base):
    """Dated history of a measure (deadline set or moved, progress, postponement, completion)."""

    __tablename__ = "measure_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(EncryptedText, default="")
    author_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())


class Reminder(Base):
    """A planned message, the single source of truth for follow-up: a restart loses none.

    Dispatchers claim due rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), mark them ``sending``
    with a lease, send, then mark them ``sent``; a lease that expires makes the row claimable again.
    """

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(EncryptedText)
    """What a notice says that the database will no longer hold when it is sent (a departed
    member's name, ``bot.flows.notices``); cleared once the row is done with."""


class Dismissal(Base):
    """A review finding the user chose to ignore; shown as dismissed, never silently dropped."""

    __tablename__ = "dismissals"

    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    rule: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())


class Upload(Base):
    """A document a user sent: its normalised text, kept for a day so the buttons under its review
    can import or reformat it without downloading and parsing the file again (see ``bot.uploads``)."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[str] = mapped_column(String(255))
    filename: Mapped[str] = mapped_column(EncryptedText)
    text: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())


class ProcessedUpdate(Base):
    """Telegram update ids already applied, so a redelivered update is not applied twice."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    processed_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())


class Invite(Base):
    """An admin's invite code; redeeming it via ``/start <code>`` grants a newcomer access."""

    __tablename__ = "invites"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_by: Mapped[int] = mapped_column(BigInteger, index=True)
    uses_left: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=_now())


class Submission(Base):
    """One version of a material handed in for approval: an immutable snapshot (``bot.submissions``).

    A submission belongs to a *series*, ``(scope, scope_id, subject_id)``: the place it was handed in
    to (``scope`` "batch" with a review batch's id, or "draft" with the draft's id for a team's 审定)
    and whose material it is there (the author's user id in a batch; the draft id for a team). Its
    ``version`` counts within the series. The snapshot never changes after it is written; only
    ``status`` and the decision columns do.
    """

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("scope", "scope_id", "subject_id", "version", name="uq_submissions_series_version"),
        Index("ix_submissions_scope", "scope", "scope_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True)
    scope: Mapped[str] = mapped_column(String(16))
    scope_id: Mapped[int] = mapped_column(Integer)
    subject_id: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id", ondelete="SET NULL"), index=True)
    source: Mapped[str] = mapped_column(String(8))  # draft or upload
    status: Mapped[str] = mapped_column(String(16))
    # The document model as handed in (bot.submissions.Snapshot), item ids kept.
    snapshot: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON)
    # Counts of review findings by severity and rule family when handed in; no text.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    # The word the decision came with: the reason a desk reviewer gave for returning it.
    decision_note: Mapped[str | None] = mapped_column(EncryptedText)


class Comment(Base):
    """A remark anchored to one place of a material: a submission's snapshot (or a live draft), the
    section or aspect key (``problems.2``) and the item id; no section and no item is about the whole."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    section: Mapped[str | None] = mapped_column(String(32))
    item_id: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    text: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class UserRole(Base):
    """A role an admin granted (``reviewer``: may open review batches). No foreign key: a role may be
    granted before the user first writes to the bot."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    granted_by: Mapped[int | None] = mapped_column(BigInteger)
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ReviewBatch(Base):
    """审核批次: a reviewer collects one unit's materials for one meeting, due by a date, checked
    against a kind and a year's theme; cadres join through its share link. A closed batch
    (``closed_at`` set by its reviewer) takes no more materials until he reopens it."""

    __tablename__ = "review_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit: Mapped[str] = mapped_column(EncryptedText)
    meeting: Mapped[str] = mapped_column(EncryptedText)
    due_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str | None] = mapped_column(String(32))
    theme_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class BatchMember(Base):
    """A cadre who opened a batch's link: expected to hand in, reminded until he does. ``name`` is
    his Telegram display name, so the reviewer can tell who has not handed in yet."""

    __tablename__ = "batch_members"

    batch_id: Mapped[int] = mapped_column(
        ForeignKey("review_batches.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    name: Mapped[str | None] = mapped_column(EncryptedText)
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime())


PLAIN_TEXT_COLUMNS: dict[str, str] = {
    "users.timezone": "an IANA zone name",
    "users.pending": "which question is open and a row id (bot.pending), no text",
    "drafts.public_id": "random id",
    "drafts.kind": "catalog key",
    "drafts.theme_key": "catalog key",
    "drafts.theme_label": "a catalog title or 'YYYY年度'",
    "drafts.extra_matters": "catalog keys",
    "drafts.open_aspects": "aspect numbers",
    "drafts.cursor": "step name",
    "draft_members.role": "enum (bot.team.TeamRole)",
    "team_invites.code": "random code",
    "team_invites.role": "enum (bot.team.TeamRole)",
    "proposals.origin": "enum (bot.team.Origin)",
    "proposals.state": "enum (bot.team.ProposalState)",
    "answers.origin": "enum (bot.team.Origin)",
    "answers.section": "catalog key",
    "answers.role": "item or lead",
    "answer_revisions.action": "edit or delete",
    "measures.deadline_kind": "due, immediate or ongoing",
    "measures.review_cadence": "ISO 8601 duration",
    "measures.status": "enum",
    "measures.rectify_type": "enum",
    "measure_events.kind": "enum",
    "reminders.kind": "enum",
    "reminders.key": "dedupe key of ids and dates",
    "reminders.state": "enum",
    "reminders.last_error": "the Bot API error class and status, no message text",
    "dismissals.key": "hash of a finding",
    "dismissals.rule": "rule id",
    "uploads.public_id": "random id",
    "uploads.file_id": "Telegram's opaque file id",
    "invites.code": "random code",
    "submissions.public_id": "random id",
    "submissions.scope": "enum: batch or draft",
    "submissions.source": "enum: draft or upload",
    "submissions.status": "enum",
    "submissions.summary": "counts of findings by severity and rule family",
    "comments.section": "catalog key of a section or aspect",
    "user_roles.role": "enum",
    "review_batches.public_id": "random id",
    "review_batches.kind": "catalog key",
    "review_batches.theme_key": "catalog key",
}
"""Text columns that hold no user-authored text, and why; every other text column is encrypted
(``tests/test_encryption.py`` walks the schema and fails on a text column in neither group)."""
