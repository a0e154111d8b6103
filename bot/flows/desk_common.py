"""What the desk's flows share: a batch's title and link, the versions its members handed in, and
the review of one of them against the batch's kind and theme (``bot.flows.desk`` for the reviewer,
``bot.flows.handin`` for the cadre)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import desk
from bot.callbacks import Flow, encode
from bot.catalog import Catalog, ThemeSpec
from bot.dates import format_moment
from bot.flows.context import FlowContext
from bot.labels import Label
from bot.replies import Button
from bot.review import Finding
from bot.review.render import counts_text, render_chat
from bot.review.rules.problems import SHARED_ROLES
from bot.settings import Settings
from bot.submission_status import Status
from bot.submissions import Counts, Snapshot, changes, review_snapshot
from bot.texts import esc
from storage import desk as store
from storage import repo
from storage import submissions as subs
from storage.models import BatchMember, ReviewBatch, Submission

DUE = "desk_due"
# Copying depends on who else has handed in, so it is counted on the desk when shown, never stored
# with a submission's counts.
SHARED_RULE = "problems.stock.shared"
OVERDUE_REMINDERS = 3  # working days after the due date on which a member who has not handed in is reminded
MAX_ITEM_BUTTONS = 60
MAX_DRAFT_BUTTONS = 8
NOT_SUBMITTED = "未提交"
NO_FINDINGS = "没有发现需要修改的地方"
COPIED = "与同一批次另一份材料中的一条几乎相同"  # as problems.stock.shared says

NOT_REVIEWER = "只有审核人可以新建审核批次。如需开通，请联系管理员。"
ASK_PARTICULARS = "新建审核批次。请发送单位、会议和材料截止日期，用空格隔开或分三行，例如：\n"
GONE = "这个批次或材料已不存在，或不在您的权限范围内。下面是您的审核台："


# -- small helpers ----------------------------------------------------------------------------------


def batch_title(batch: ReviewBatch) -> str:
    return f"{batch.unit} {batch.meeting}"


def back_to_batch(batch: ReviewBatch) -> Button:
    """The button under every reply about one batch."""
    return Button(Label.BACK_TO_BATCH, encode(Flow.DESK, "b", batch.public_id))


def closed_text(batch: ReviewBatch) -> str:
    """What a cadre reads wherever a closed batch would have taken his material."""
    return (
        f"“{esc(batch_title(batch))}”已停止接收材料。"
        "如需补交或重新提交，请联系发给您链接的审核人（组织部门）。"
    )


LINK_PREFIX = "b_"


def share_link(username: str, batch: ReviewBatch) -> str:
    return f"https://t.me/{username}?start={LINK_PREFIX}{batch.public_id}"


def linked_batch(start_argument: str) -> str | None:
    """The batch's public id in ``/start b_<id>``, or None. Exact, because an access invite is
    22 random url-safe characters and may itself begin with ``b_``."""
    public_id = start_argument.removeprefix(LINK_PREFIX)
    if public_id == start_argument or len(public_id) != repo.PUBLIC_ID_LENGTH:
        return None
    return public_id if public_id.isascii() and public_id.isalnum() else None


def local_time(settings: Settings, moment: datetime | None) -> datetime | None:
    return moment.astimezone(settings.tz) if moment is not None else None


def moment_text(settings: Settings, moment: datetime | None) -> str:
    local = local_time(settings, moment)
    return format_moment(local) if local is not None else ""


# Where a review's text goes in a reply once the review is done, after the commit (a character no
# message has otherwise).
REVIEWED = "\0"


OWN_ASPECTS = "own"
"""The theme key of a batch that checks each material against the aspects it lists itself: the
year's notice is out before the catalog has its aspects (2026年度, in December 2026)."""


def theme_of(catalog: Catalog, batch: ReviewBatch) -> ThemeSpec | None:
    """The catalog theme the batch checks against; None for ``OWN_ASPECTS`` (and before it is set)."""
    return catalog.themes.get(batch.theme_key) if batch.theme_key else None


def count_text(summary: dict[str, Any]) -> str:
    """A version's review counts in the words its opened review heads with (``必须修改2处，供参考1处``);
    copying (``SHARED_RULE``) is counted apart, as 雷同."""
    return counts_text(summary) or NO_FINDINGS


def own_findings(findings: Iterable[Finding]) -> list[Finding]:
    """What a version's counts cover: all but copying, which depends on who else has handed in."""
    return [f for f in findings if f.rule != SHARED_RULE]


def review_text(findings: Sequence[Finding], limit_chars: int) -> tuple[str, int]:
    """A version's review as the desk shows it, to the reviewer and to the author: headed by the
    counts its line in the list shows (``count_text``), then the problems found copied from another
    material of the batch, apart, as 雷同; and how many findings did not fit."""
    own = own_findings(findings)
    copied = [f for f in findings if f.rule == SHARED_RULE]
    text, rest = render_chat(own, limit_chars=limit_chars) if own else (f"<b>审核意见</b>：{NO_FINDINGS}", [])
    if copied:
        places = "".join(f"\n· {esc(f.section or '')}" for f in copied)
        text += f"\n\n<b>雷同</b>（不计入上面的处数）：{copied_words(copied)}{places}"
    return text, len(rest)


def copied_words(findings: Iterable[Finding]) -> str:
    """``问题中有2条、措施中有1条与同一批次另一份材料中的一条几乎相同``: the copying a review found,
    by part, as the desk's list counts it; "" for none."""
    told = Counter(f.message for f in findings if f.rule == SHARED_RULE)
    parts = [f"{what}中有{n}条" for what in SHARED_ROLES.values() if (n := told[f"这条{what}{COPIED}"])]
    return f"{'、'.join(parts)}{COPIED}" if parts else ""


def batch_kinds(catalog: Catalog) -> list[tuple[str, str]]:
    """Kinds a batch can check against: meeting materials with a year's theme, and reports whose
    aspects each notice lists (自查自纠: the units of a 专项检查 hand theirs in to one desk)."""
    return [
        (k.key, k.name)
        for k in catalog.kinds.values()
        if k.selectable and ((k.meeting and k.families) or k.custom_aspects == "required")
    ]


@dataclass
class Material:
    """A member's series in a batch: every version, the latest last."""

    versions: list[Submission]

    @property
    def latest(self) -> Submission:
        return self.versions[-1]

    @property
    def snapshot(self) -> Snapshot:
        return Snapshot.of(self.latest)

    @property
    def status(self) -> Status:
        return Status.of(self.latest.status)

    def since_return(self) -> list[Any]:
        returned = subs.last_returned(self.versions, self.latest)
        return [] if returned is None else changes(Snapshot.of(returned), self.snapshot)


async def materials_of(session: AsyncSession, batch: ReviewBatch) -> dict[int, Material]:
    """Every member's versions handed in to the batch, by author, in the order they first handed in
    (the desk's numbering stays put as materials come back)."""
    found: dict[int, Material] = {}
    for submission in await subs.in_scope(session, store.SCOPE, batch.id):
        found.setdefault(submission.subject_id, Material([])).versions.append(submission)
    first = sorted(found.items(), key=lambda pair: (pair[1].versions[0].submitted_at, pair[1].versions[0].id))
    return dict(first)


async def not_handed_in(session: AsyncSession, batch: ReviewBatch) -> list[BatchMember]:
    """The members who have handed in nothing to the batch yet, in the order they joined."""
    materials = await materials_of(session, batch)
    return [m for m in await store.members(session, batch.id) if m.user_id not in materials]


def review_for_batch(
    catalog: Catalog, batch: ReviewBatch, snapshot: Snapshot, peers: Mapping[str, Sequence[str]] | None = None
) -> list[Finding]:
    """The material reviewed against the batch's kind and theme, and (``peers``) the others' items."""
    theme = theme_of(catalog, batch)
    checked = Snapshot(
        document=snapshot.document,
        kind=batch.kind or snapshot.kind,
        year=theme.year if theme is not None and theme.year else snapshot.year,
        meeting_date=snapshot.meeting_date,
        aspects=tuple(a.text for a in theme.aspects) if theme is not None else snapshot.aspects,
        meta=snapshot.meta,
        signature=snapshot.signature,
        stable_ids=snapshot.stable_ids,
    )
    return review_snapshot(checked, catalog, peers=peers)


def peers_of(materials: dict[int, Material], author: int) -> dict[str, list[str]]:
    """The problems, causes and measures of everyone else's latest version, by role: what the
    author's are compared with, as the desk's list compares them (``desk.duplicates``)."""
    snapshots = [m.snapshot for a, m in materials.items() if a != author]
    found: dict[str, list[str]] = {}
    for unit in desk.units_of(snapshots):
        found.setdefault(unit.role, []).append(unit.text)
    return found


def counts(catalog: Catalog, batch: ReviewBatch) -> Counts:
    """The counts of versions handed in to the batch (see ``Counts``): a review against its kind and
    theme, without the others' items, since copying is never in the counts (``SHARED_RULE``)."""
    return Counts(lambda submission: review_for_batch(catalog, batch, Snapshot.of(submission)))


def version_line(ctx: FlowContext, submission: Submission, status: Status) -> str:
    submitted = moment_text(ctx.settings, submission.submitted_at)
    return f"第{submission.version}版 · <b>{status.label}</b> · 提交于{submitted}"


def member_name(members: Sequence[BatchMember], user_id: int) -> str:
    return next((m.name for m in members if m.user_id == user_id and m.name), f"用户{user_id}")


def author_name(snapshot: Snapshot, members: Sequence[BatchMember], user_id: int) -> str:
    """Whose material it is (``Snapshot.name``), else the member who handed it in."""
    return snapshot.name or member_name(members, user_id)


def grid(rows: list[list[Button]], width: int) -> list[list[Button]]:
    flat = [b for row in rows for b in row]
    return [flat[i : i + width] for i in range(0, len(flat), width)]
