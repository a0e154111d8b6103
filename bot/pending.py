"""The question outside the drafting steps that a user's next text message answers.

Stored on the user (``users.pending``) so it survives restarts and works across instances. It is
declared here, once: the flows create and read ``Pending`` values, and whatever is stored that is
not one of them (an old shape, a hand-edited row) is read as no open question rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.callbacks import Callback, Flow


class Awaiting(StrEnum):
    """What the next text is taken as; the target is a measure or an item (answer) id."""

    COMPLETION = "done"  # one line of 完成情况 after 已完成
    EVIDENCE = "evidence"  # 佐证材料, after a completion
    POSTPONE = "postpone"  # the new deadline
    DEADLINE = "deadline"  # the first deadline of a measure that has none (its 设定时限)
    CADENCE = "cadence"  # the new review cadence of a 长期坚持 item (its 申请延期)
    REASON = "reason"  # why it was postponed
    PROGRESS = "progress"  # a progress report
    ITEM_EDIT = "item_edit"  # the new wording of an item
    ITEM_INSERT = "item_insert"  # one or more items to insert after an item
    MEMBER_NAME = "member_name"  # a new team member's name and post (target: the draft)
    CONTRIBUTION = "contribution"  # a member's problems for aspect ``other`` (target: the draft)
    OPINIONS = "opinions"  # the collected opinions, one a line (target: the draft, other: the source)
    PROPOSAL_EDIT = "proposal_edit"  # the wording to accept a proposal with (target: the proposal)
    PROPOSAL_MERGE = "proposal_merge"  # the wording of two proposals merged (target, other: proposals)
    DECLINE_NOTE = "decline_note"  # a word on why a proposal is declined (target: the proposal)
    COMMENT = "comment"  # the 审定人's 批注 on item ``other`` of a submission (target)
    RETURN_NOTE = "return_note"  # the word a submission (target) is returned with
    BATCH = "batch"  # a new review batch's unit, meeting and due date (target 0)
    BATCH_DUE = "batch_due"  # a review batch's new due date (target: the batch)
    DESK_COMMENT = "desk_comment"  # a reviewer's comment on a batch's submission (target), item ``other``
    DESK_RETURN = "desk_return"  # the reason a batch's submission (target) is returned for
    MEETING_DATE = "meeting_date"  # a far-off meeting date asked back (target: the draft, other: its ordinal)
    NEW_KIND = "new_kind"  # the kind of a material not created yet (target: its list's number)

    @property
    def is_item(self) -> bool:
        return self in (Awaiting.ITEM_EDIT, Awaiting.ITEM_INSERT)

    @property
    def is_about_step(self) -> bool:
        """A question about what the step shown holds (an item of its list, the meeting date asked
        back): dropped when the user moves to another step or draft."""
        return self.is_item or self is Awaiting.MEETING_DATE

    @property
    def is_measure(self) -> bool:
        """A question about a measure (a reminder's 已完成, 申请延期, 报告进展 and what follows them):
        it stays until answered or cancelled, wherever the user goes meanwhile."""
        return self in (
            Awaiting.COMPLETION,
            Awaiting.EVIDENCE,
            Awaiting.POSTPONE,
            Awaiting.DEADLINE,
            Awaiting.CADENCE,
            Awaiting.REASON,
            Awaiting.PROGRESS,
        )

    @property
    def is_about_team_draft(self) -> bool:
        """The target is the team draft itself (not one of its proposals or submissions)."""
        return self in (Awaiting.MEMBER_NAME, Awaiting.CONTRIBUTION, Awaiting.OPINIONS)

    @property
    def is_team(self) -> bool:
        """A question of a team draft (``bot.flows.team_questions.on_question`` answers it)."""
        return self in (
            Awaiting.MEMBER_NAME,
            Awaiting.CONTRIBUTION,
            Awaiting.OPINIONS,
            Awaiting.PROPOSAL_EDIT,
            Awaiting.PROPOSAL_MERGE,
            Awaiting.DECLINE_NOTE,
            Awaiting.COMMENT,
            Awaiting.RETURN_NOTE,
        )

    @property
    def is_desk(self) -> bool:
        return self in (Awaiting.BATCH, Awaiting.BATCH_DUE, Awaiting.DESK_COMMENT, Awaiting.DESK_RETURN)

    @property
    def ends_off_screen(self) -> bool:
        """Closed when the user leaves its screen (any button but its own, any command): a team
        draft's questions, the reason a return waits for, since a text typed later, elsewhere,
        must not send a material back, and the kind list of a material not created yet."""
        return self.is_team or self in (Awaiting.DESK_RETURN, Awaiting.NEW_KIND)

    def shown_by(self, button: Callback) -> bool:
        """Whether ``button`` shows a screen of this question (which keeps it open), besides the
        screen that asks it."""
        return (button.flow, button.action) in _SCREENS.get(self, ())


_SCREENS: dict[Awaiting, frozenset[tuple[Flow, str]]] = {
    # Pasted opinions are sorted by hand while more can still be pasted.
    Awaiting.OPINIONS: frozenset({(Flow.PROPOSAL, "sort"), (Flow.PROPOSAL, "to")}),
    # The kind list's own buttons answer it.
    Awaiting.NEW_KIND: frozenset({(Flow.NEW, "start")}),
}
"""The screens a question keeps besides its own: any other button leaves a team draft's question
(``FlowContext.press``)."""


@dataclass(frozen=True)
class Pending:
    awaiting: Awaiting
    target: int
    other: int = 0  # a second id or index, where the question needs one

    def dump(self) -> dict[str, Any]:
        return {"awaiting": self.awaiting.value, "target": self.target, "other": self.other}

    @classmethod
    def load(cls, raw: object) -> Pending | None:
        """The stored question, or ``None`` for anything that is not a well-formed one."""
        if not isinstance(raw, dict):
            return None
        # Rows written before this type existed: {"action": ..., "measure": id}.
        awaiting, target = raw.get("awaiting", raw.get("action")), raw.get("target", raw.get("measure"))
        other = raw.get("other", 0)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (target, other)):
            return None
        if awaiting not in set(Awaiting):
            return None
        assert isinstance(target, int) and isinstance(other, int)
        return cls(Awaiting(awaiting), target, other)
