"""Everything a flow needs for one update, and the navigation shared by all flows."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import prompts
from bot.callbacks import Callback, Flow, encode
from bot.catalog import Catalog, OwnerQuestion
from bot.dates import far_off
from bot.deadlines import parse_cadence, promises_at_once
from bot.deadlines.anchor import date_in_text
from bot.draftview import DraftView
from bot.measure_fields import written_owner
from bot.owners import written_member
from bot.pending import Awaiting, Pending
from bot.replies import Button, Outgoing, Reply
from bot.settings import Settings
from bot.steps import DATE, DEADLINES, SUMMARY, Step
from bot.team import LEADERS, TeamRole, department_written, name_of
from bot.texts import preview
from storage import repo, team
from storage.models import Answer, Draft, DraftMember, Measure, User

log = logging.getLogger("duizhao.access")

NO_DRAFT = "当前没有正在填写的材料。发送 /new 新建一份，或用 /drafts 打开已有的材料。"
STALE = "这个按钮已经过期，下面是当前步骤："


@dataclass
class FlowContext:
    session: AsyncSession
    user: User
    catalog: Catalog
    settings: Settings
    chat_id: int
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    loaded: Draft | None = None
    """The active draft as read with the user's row (``repo.begin_update``), if any."""
    notices: list[int] = field(default_factory=list)
    """Reminder rows this update queued to be sent right after its replies (``bot.flows.notices``)."""
    left: Pending | None = None
    """The question this update's command closed (``command``), for /cancel to say so."""

    @property
    def today(self) -> date:
        """Today in the user's time zone (his own, else the deployment's): the day 本周五, 下个月底
        or 3个月内 count from, and against which a date is past."""
        return self.now.astimezone(ZoneInfo(self.user.timezone or self.settings.timezone)).date()

    @property
    def pending(self) -> Pending | None:
        """The question outside the steps that the next text answers, if any."""
        return Pending.load(self.user.pending)

    def ask(self, pending: Pending | None) -> None:
        """Open a question for the next text (``None`` closes it)."""
        self.user.pending = pending.dump() if pending is not None else None

    async def view(self, draft: Draft | None = None) -> DraftView | None:
        """The given draft, or the active one, with its answers loaded."""
        draft = draft or await self.active_draft()
        return DraftView.build(self.catalog, draft, self.today) if draft else None

    def switch_to(self, draft: Draft) -> None:
        """Make ``draft`` the one being written (opened, created or imported): the questions about
        the draft left behind go as they do when the user moves to another step; the meeting date
        asked back stays asked when it is this draft's (继续填写 shows the question again)."""
        pending = self.pending
        self.user.active_draft_id = draft.id
        if pending is None or pending.awaiting is not Awaiting.MEETING_DATE or pending.target != draft.id:
            self.leave_questions()

    def leave_questions(self) -> None:
        """Back to drafting: a question about an item of the list shown, or any question of a team
        draft (contributions, opinions, a proposal's wording, a 批注), is dropped; one about a
        measure stays."""
        pending = self.pending
        if pending is not None and (pending.awaiting.is_about_step or pending.awaiting.is_team):
            self.ask(None)

    def press(self, button: Callback) -> None:
        """A button shows a screen: a team draft's question whose screen that is not is left, and
        no longer takes the next text (``Awaiting.shown_by``); the one the button asks is opened
        afresh by its flow. Questions about an item or a measure are the drafting flows' to close."""
        pending = self.pending
        if pending is not None and pending.awaiting.ends_off_screen and not pending.awaiting.shown_by(button):
            self.ask(None)

    def command(self) -> None:
        """A command shows a screen of its own: a team draft's question is left, as with a button
        that is not the question's own (``press``); questions about an item or a measure stay."""
        pending = self.pending
        if pending is not None and pending.awaiting.ends_off_screen:
            self.left = pending
            self.ask(None)

    async def active_draft(self) -> Draft | None:
        """The active draft, without a query when it is the one read with the user."""
        if self.loaded is not None and self.loaded.id == self.user.active_draft_id:
            return self.loaded
        return await repo.active_draft(self.session, self.user)

    async def timezone_of(self, user_id: int) -> str:
        """The time zone ``user_id`` is reminded in: his own, not that of the user acting (an
        owner who picks a measure's leader, a reviewer who moves a batch's due date)."""
        user = self.user if user_id == self.user.id else await self.session.get(User, user_id)
        return (user.timezone if user is not None else None) or self.settings.timezone

    def refused(self, what: str) -> None:
        """A button named something the user cannot reach (forged, replayed, or since deleted)."""
        log.warning("user=%s callback names a %s that is not theirs or is gone", self.user.id, what)

    async def button_view(
        self, public_id: str, step_key: str | None = None
    ) -> tuple[DraftView | None, list[Outgoing]]:
        """The active draft if a button still belongs to it (and to its current step).

        Otherwise the replies re-render whatever is current, which is how a tap on an old
        button after a restart or a draft switch is answered.
        """
        view = await self.view()
        if view is None:
            return None, [Reply(NO_DRAFT)]
        if view.draft.public_id != public_id or (step_key is not None and view.draft.cursor != step_key):
            if await repo.draft_by_public_id(self.session, self.user.id, public_id) is None:
                self.refused("draft")
            return None, [await self.prompt(view, STALE)]
        return view, []

    async def move(self, view: DraftView, step: Step, notice: str = "") -> list[Outgoing]:
        """Set the cursor and show that step; an open question about an item is dropped with it."""
        self.leave_questions()
        view.draft.cursor = step.key
        if step.key == SUMMARY:
            view.draft.completed = True
        return [await self.prompt(view, notice)]

    async def prompt(self, view: DraftView, notice: str = "") -> Reply:
        """The current step's prompt, with the buttons that need more than the draft: at the
        deadlines step the date or the owner the measure's own wording names, and the team's
        members; at the date step, a date typed and asked back (it stays asked until confirmed,
        replaced or skipped)."""
        if (asked := self.asked_date(view)) is not None:
            return prompts.confirm_date(view, asked, far_off(asked, self.today), notice)
        reply = prompts.present(self.catalog, view, notice)
        if view.draft.cursor == DEADLINES:
            self._offer_written_date(view, reply)
            await self._offer_owners(view, reply)
        elif (field := view.step().meta_field) is not None:
            await self._offer_earlier_meta(view, field, reply)
        return reply

    def asked_date(self, view: DraftView) -> date | None:
        """The far-off meeting date the user typed for ``view`` and was asked to confirm, if open."""
        pending = self.pending
        if pending is None or pending.awaiting is not Awaiting.MEETING_DATE:
            return None
        if pending.target != view.draft.id or view.draft.cursor != DATE:
            return None
        try:
            return date.fromordinal(pending.other)
        except (ValueError, OverflowError):
            return None

    async def _offer_earlier_meta(self, view: DraftView, field: str, reply: Reply) -> None:
        """A returning cadre's name, unit or position as his last material has it, to take with
        one press: they rarely change from one year to the next."""
        if (view.draft.meta or {}).get(field):
            return
        earlier = await repo.earlier_meta(self.session, self.user.id, field, view.draft.id)
        if earlier is not None:
            data = encode(Flow.NEW, "reuse", view.draft.public_id, field)
            reply.buttons.insert(0, [Button(f"沿用：{preview(earlier, 16)}", data)])

    def _offer_written_date(self, view: DraftView, reply: Reply) -> None:
        """A measure whose wording already gives its deadline (imported: "2027年3月底前完成") offers
        it, so the cadre need not type it again (typing another still works)."""
        needs = view.measure_needs()
        if needs is None or needs[3] != "deadline":
            return
        answer, measure = needs[1], needs[2]
        if (phrase := self.written_deadline(view, answer)) is not None:
            data = encode(Flow.DEADLINE, "text", view.draft.public_id, measure.id)
            reply.buttons.insert(0, [Button(f"按原文：{phrase}", data)])

    def written_deadline(self, view: DraftView, answer: Answer) -> str | None:
        """The deadline a measure's own wording gives, as the cadre would type it: the date it
        promises, else 立行立改 when it says so, else, for work it says recurs (每季度到联系村走访一
        次), 长期坚持 at that cadence."""
        if (written := self.written_date(view, answer)) is not None:
            return written[0]
        if promises_at_once(answer.text):
            return "立行立改"
        cadence = parse_cadence(answer.text)
        return f"长期坚持（{cadence.label}）" if cadence is not None else None

    def written_date(self, view: DraftView, answer: Answer) -> tuple[str, date] | None:
        """The date a measure's own wording promises (the phrase and its day), if it names one still
        ahead: a day already past is no deadline to offer, nor one to hold a new deadline against."""
        meeting = view.draft.meeting_date or self.today
        settings = self.settings.reminders
        found = date_in_text(answer.text, meeting=meeting, today=self.today, settings=settings)
        return found if found is not None and found[1] >= self.today else None

    async def _offer_owners(self, view: DraftView, reply: Reply) -> None:
        """At a measure's 责任人 question: the owner its own words name (由办公室负责), so it need
        not be typed again, then the team's members to pick the 责任领导 from (text still works)."""
        needs = view.measure_needs()
        if needs is None or needs[3] != "owner":
            return
        _, answer, measure, _ = needs
        pub = view.draft.public_id
        rows: list[list[Button]] = []
        if (written := await self.written_owner(view, answer, measure)) is not None:
            rows.append([Button(f"按原文：{written}", encode(Flow.DEADLINE, "owner", pub, measure.id))])
        if measure.leader_id is None:
            buttons = [
                Button(
                    f"责任领导：{name_of(m)[:20]}",
                    encode(Flow.DEADLINE, "lead", pub, measure.id, m.user_id),
                )
                for m in await self.leaders(view)
            ]
            rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        reply.buttons[:0] = rows

    async def written_owner(self, view: DraftView, answer: Answer, measure: Measure) -> str | None:
        """The 责任人 a measure's own words name, as the cadre would type it at its question: all of
        it while no member leads the measure; once one does (its 责任部门 asked), what they give
        besides him (``bot.team.department_written``); for a 党支部班子, the one 支委 they name."""
        if view.owner_question is OwnerQuestion.COMMITTEE:
            return written_member(answer.text)
        owner = written_owner(answer.text)
        if owner is None or measure.leader_id is None:
            return owner
        members = await self.leaders(view)
        leader = next((m for m in members if m.user_id == measure.leader_id), None)
        return department_written(owner, members, leader) if leader is not None else None

    async def leaders(self, view: DraftView) -> list[DraftMember]:
        """Who may be named to lead the draft's measures: none for a kind that asks no 责任领导."""
        if view.owner_question is not OwnerQuestion.LEADER:
            return []
        members = await team.members(self.session, view.draft.id)
        return [m for m in members if TeamRole.of(m.role) in LEADERS]

    async def advance(self, view: DraftView, step: Step, notice: str = "") -> list[Outgoing]:
        """Go on after ``step``: to the next one, or back to the summary once the draft was finished."""
        following = view.neighbour(step, 1)
        if following is None or view.draft.completed:
            following = view.step(SUMMARY)
        return await self.move(view, following, notice)
