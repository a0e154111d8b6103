"""A team (班子) material written together: roles, where a candidate problem came from, the states
of a proposal, and sorting collected opinions into the aspects. Pure: no storage, no Telegram.

Roles (``draft_members.role``): the 起草人 (owner: full edit, invites, assembles), 班子成员 (member:
contributes problems to the aspects, sees the whole draft) and the 审定人 (approver: reads and, once
审定 exists, approves or returns). A draft has exactly one owner.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import Protocol, TypeVar

from bot.review.tokens import tokenizer
from bot.splitter import strip_marker
from bot.texts import clean_input


class TeamRole(StrEnum):
    OWNER = "owner"
    MEMBER = "member"
    APPROVER = "approver"

    @property
    def label(self) -> str:
        return {"owner": "起草人", "member": "班子成员", "approver": "审定人"}[self.value]

    @classmethod
    def of(cls, raw: str) -> TeamRole | None:
        """The stored role, or None for anything else (never raises)."""
        try:
            return cls(raw)
        except ValueError:
            return None


INVITABLE = (TeamRole.MEMBER, TeamRole.APPROVER)
LEADERS = frozenset({TeamRole.MEMBER, TeamRole.APPROVER})
"""Who may lead (责任领导) a measure of a team draft: the 班子成员 and the 审定人, who is the team's 书记
and often leads its first measures; the owner (the office) follows up what no one leads."""


class Member(Protocol):
    """A seat on a team draft, as far as naming its holder goes (``storage.models.DraftMember``)."""

    @property
    def display_name(self) -> str | None: ...

    @property
    def role(self) -> str: ...


def name_of(member: Member) -> str:
    """The name and post a member gave, or his role for one who gave none (never his user id)."""
    role = TeamRole.of(member.role)
    if member.display_name:
        return member.display_name
    return role.label if role is TeamRole.OWNER else f"{role.label if role else '成员'}（未留姓名）"


M = TypeVar("M", bound=Member)
_MIN_NAME = 2
_LEADING_POST = re.compile(r"^[（(][^）)]*[）)]")
_SPACES = " 　"
_BETWEEN = "、，,；;：:/"
_LEADS = ("牵头", "负责", "同志")


def leader_named(text: str, members: Iterable[M]) -> tuple[M, str] | None:
    """The member who may lead a measure whose name opens the 责任人 typed (李四（镇长）、党政办),
    with the 责任部门 written after his name and post ("" when none). None when the text opens
    with no such member's name, or names two of them: it stays the 责任人 as written."""
    text = text.strip(_SPACES + _BETWEEN)
    leaders = _named_leaders(members)
    if sum(name in text for _, name, _ in leaders) != 1:  # nobody, or two leading it together
        return None
    for member, name, post in leaders:
        if not text.startswith(name):
            continue
        rest = _LEADING_POST.sub("", text.removeprefix(name).strip(_SPACES)).strip(_SPACES + _BETWEEN)
        rest = rest.removeprefix(post.strip()) if post.strip() else rest
        if cut := next((i for i, ch in enumerate(rest) if ch in _BETWEEN), None):
            rest = rest[cut:]
        rest = rest.strip(_SPACES + _BETWEEN)
        for lead in _LEADS:
            rest = rest.removeprefix(lead).strip(_SPACES + _BETWEEN)
        return member, rest
    return None


def department_written(owner: str, members: Iterable[M], leader: M) -> str | None:
    """What a 责任人 written in a measure's words gives as its 责任部门 once ``leader`` (one of
    ``members``) leads it: the rest after his name (李四、党政办 → 党政办), all of it when it names
    no member (党政办); None when it names another member, or only him."""
    seats = list(members)
    if not any(name in owner for _, name, _ in _named_leaders(seats)):
        return owner
    named = leader_named(owner, seats)
    return (named[1] or None) if named is not None and named[0] is leader else None


def _named_leaders(members: Iterable[M]) -> list[tuple[M, str, str]]:
    """The members who may lead a measure and gave a name, each with that name and his post."""
    return [
        (member, name, post)
        for member in members
        for name, _, post in [(member.display_name or "").partition(" ")]
        if TeamRole.of(member.role) in LEADERS and len(name) >= _MIN_NAME
    ]


class Origin(StrEnum):
    """问题来源 as the ledger names it (DOMAIN.md §5)."""

    SELF = "self"
    OPINION = "opinion"
    TALK = "talk"
    CRITICISM = "criticism"
    SUPERIOR = "superior"
    INSPECTION = "inspection"

    @property
    def label(self) -> str:
        return _ORIGIN_LABELS[self]

    @classmethod
    def of(cls, raw: str | None) -> Origin | None:
        try:
            return cls(raw) if raw else None
        except ValueError:
            return None


_ORIGIN_LABELS = {
    Origin.SELF: "自己查摆",
    Origin.OPINION: "征求意见",
    Origin.TALK: "谈心谈话",
    Origin.CRITICISM: "相互批评",
    Origin.SUPERIOR: "上级点评",
    Origin.INSPECTION: "巡视巡察",
}
COLLECTED = (Origin.OPINION, Origin.TALK, Origin.SUPERIOR, Origin.CRITICISM, Origin.INSPECTION)
"""Sources of opinions gathered before the meeting, offered when the owner pastes them."""


class ProposalState(StrEnum):
    SORTING = "sorting"  # an opinion waiting for the owner to confirm its aspect
    OPEN = "open"  # waiting for the owner's decision
    ACCEPTED = "accepted"
    MERGED = "merged"  # accepted together with another proposal, as one item
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return {
            "sorting": "待归类",
            "open": "待处理",
            "accepted": "已采纳",
            "merged": "已合并采纳",
            "declined": "未采纳",
        }[self.value]


_ORIGIN_WORDS: dict[Origin, tuple[str, ...]] = {
    Origin.INSPECTION: ("巡视", "巡察"),
    Origin.SUPERIOR: ("上级", "点评", "督导", "指导组"),
    Origin.TALK: ("谈心", "谈话"),
    Origin.CRITICISM: ("批评",),
    Origin.SELF: ("自己", "自查"),
    Origin.OPINION: ("征求", "座谈", "问卷", "来信", "来访", "意见箱", "群众", "测评"),
}
"""How a spreadsheet's 来源 column names a source (巡察反馈, 县委督导组, 个别谈话, 群众座谈会), in
the order they are tried: 巡察反馈意见 is 巡视巡察, not 征求意见."""

MAX_OPINIONS = 60
MAX_OPINION_CHARS = 500
_SOURCE_PREFIX = re.compile(
    r"^\s*[（(【\[]?(" + "|".join(_ORIGIN_LABELS.values()) + r")[）)】\]]?\s*[：:]?\s*"
)


@dataclass(frozen=True)
class Opinion:
    text: str
    origin: Origin


def read_opinions(text: str, default: Origin) -> list[Opinion]:
    """One opinion a line of a pasted list; a leading number (any device the splitter knows) is
    dropped, and a line that starts with a source (``谈心谈话：…``) takes it. Blank lines and
    over-long ones are skipped by the caller's count; the result keeps at most ``MAX_OPINIONS``.
    Total: any text gives a list."""
    found: list[Opinion] = []
    for raw in clean_input(text).splitlines():
        line = strip_marker(raw)
        origin = default
        match = _SOURCE_PREFIX.match(line)
        if match:
            origin = next(o for o, label in _ORIGIN_LABELS.items() if label == match.group(1))
            line = line[match.end() :].strip()
        if line:
            found.append(Opinion(line[:MAX_OPINION_CHARS], origin))
    return found[:MAX_OPINIONS]


def origin_from_cell(value: str, default: Origin) -> Origin:
    """A spreadsheet's 来源 cell: the source it names (巡察反馈 → 巡视巡察), else ``default``."""
    return next((o for o, words in _ORIGIN_WORDS.items() if any(w in value for w in words)), default)


# Words of every aspect wording ("带头…方面") that say nothing about which aspect an opinion is about.
_ASPECT_FILLER = frozenset(["带头", "方面", "坚持", "增强", "提高", "做到", "强化", "工作", "问题", "情况"])


def _words(text: str) -> set[str]:
    tokenize = tokenizer()
    return {w for w, _, _ in tokenize(text) if len(w) >= 2 and w not in _ASPECT_FILLER and not w.isdigit()}


UNSORTED = 0
"""The aspect of an opinion no aspect's wording shares a word with, until the owner picks one."""


def sort_into_aspects(opinions: list[str], aspects: list[str]) -> list[int]:
    """For each opinion, the 1-based aspect whose wording shares most words with it (jieba), by
    whole words first and then by characters two at a time; ties go to the first of them. An opinion
    sharing nothing with any aspect gets 0 (``UNSORTED``): the owner is asked where it goes rather
    than find it under an aspect it has nothing to do with. Pure and deterministic."""
    if not aspects:
        return [0 for _ in opinions]  # the problems are asked once: aspect 0 is their step
    aspect_words = [_words(a) for a in aspects]
    aspect_pairs = [_pairs(a) for a in aspects]

    def best(opinion: str) -> int:
        words, pairs = _words(opinion), _pairs(opinion)
        scores = [
            (3 * len(words & aw) + len(pairs & ap), -index)
            for index, (aw, ap) in enumerate(zip(aspect_words, aspect_pairs, strict=True))
        ]
        score, index = max(scores)
        return -index + 1 if score else UNSORTED

    return [best(o) for o in opinions]


def _pairs(text: str) -> set[str]:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return {a + b for a, b in pairwise(chars)} - {"方面", "带头"}
