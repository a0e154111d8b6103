"""Who answers for a measure, by the question its kind asks (``bot.catalog.OwnerQuestion``).

A 领导班子 names a 责任领导 and a 责任部门 for each measure (``bot.team``, ``bot.measure_fields``);
a 党支部班子 names one 支委: 支部书记, 组织委员, 宣传委员, 纪检委员…, with or without his name. This
module reads such an answer, tells an owner typed at the 时限 question from a 时限 that could not be
read, and words the question, the answer said back and the advice where one is missing. Every
function is total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.catalog import OwnerQuestion
from bot.measure_fields import DEPARTMENT_END, MAX_OWNER_CHARS, split_owner, written_owner

COMMITTEE_EXAMPLE = "组织委员李明"
_POSTS_NAMED = "支部书记、组织委员、宣传委员、纪检委员等"

_COMMITTEE_POST = (
    r"(?:党?支部)?副?书记|支部委员|支委委员|支委"
    r"|(?:组织|宣传|纪检|纪律检查|青年|统战|保密|群工|群众工作|文体|生活|妇女|党建)委员"
)
_NAME = r"[\u4e00-\u9fff·]{2,5}"
_POST = re.compile(_COMMITTEE_POST)
_ONE_MEMBER = re.compile(
    rf"(?P<post>{_COMMITTEE_POST})\s*(?:[（(]\s*(?P<bracketed>{_NAME})\s*[)）]|(?P<name>{_NAME}))?"
    rf"|(?P<before>{_NAME})\s*(?:[（(]\s*(?P<post_bracketed>{_COMMITTEE_POST})\s*[)）]|(?P<post_after>{_COMMITTEE_POST}))"
)
_WRAPPING = re.compile(r"^(?:责任人\s*[：:]\s*|由)|(?:负总责|具体负责|负责|牵头|同志)?[。.；;，,\s]*$")
_TIME_WORDS = re.compile(r"[0-9０-９]|[年月日周季]|[前后内底末]$|立行立改|长期坚持|每")
_PARTS = re.compile(r"[、，,；;/／和及与]|\s+")
# What a leader's post or a department ends as, besides ``bot.measure_fields.DEPARTMENT_END``.
_LEADER_POSTS = re.compile(
    r"(?:书记|委员|主任|局长|镇长|乡长|县长|区长|市长|部长|科长|处长|所长|站长|院长|校长|队长|组长|主席|领导)"
)
_BARE_NAME = re.compile(r"[\u4e00-\u9fff·]{2,4}")


@dataclass(frozen=True)
class Unread:
    """An answer that names no one owner as the kind asks: what to tell the user (plain text)."""

    message: str


def committee_member(text: str) -> str | Unread:
    """The one 支委 a 党支部班子's measure is given to, as the ledger writes him: post, then name
    (支部书记 王建华, 王建华（支部书记）, 由组织委员负责 → 支部书记王建华, 组织委员); else why not."""
    bare = _WRAPPING.sub("", text.strip())
    if len(_POST.findall(bare)) > 1:
        return Unread(f"每条措施由一名支委负责，请只写一位，例如：{COMMITTEE_EXAMPLE}。")
    found = _ONE_MEMBER.fullmatch(bare)
    if found is None or len(bare) > MAX_OWNER_CHARS:
        return Unread(f"请写明负责这条措施的支委（{_POSTS_NAMED}），可带姓名，例如：{COMMITTEE_EXAMPLE}。")
    post = found["post"] or found["post_bracketed"] or found["post_after"]
    name = found["bracketed"] or found["name"] or found["before"] or ""
    return f"{post}{name}"


def written_member(text: str) -> str | None:
    """The one 支委 a measure's own words give it to (由组织委员负责, 责任人：支部书记), if they do."""
    owner = written_owner(text)
    member = committee_member(owner) if owner is not None else None
    return member if isinstance(member, str) else None


def looks_like_owner(question: OwnerQuestion, text: str, member_named: bool = False) -> bool:
    """Whether ``text``, which could not be read as a 时限, names who answers for the measure as the
    kind's owner question asks (``member_named``: it opens with a team member's name)."""
    bare = text.strip()
    if not question.asked or not bare or len(bare) > MAX_OWNER_CHARS:
        return False
    if question is OwnerQuestion.COMMITTEE:
        return not isinstance(committee_member(bare), Unread) or len(_POST.findall(bare)) > 1
    if member_named:
        return True
    parts = [p for p in _PARTS.split(bare) if p]
    named = [p for p in parts if p.endswith(DEPARTMENT_END) or _LEADER_POSTS.search(p)]
    names = [p for p in parts if p not in named and _BARE_NAME.fullmatch(p)]
    return not _TIME_WORDS.search(bare) and bool(named) and len(named) + len(names) == len(parts)


def question_lines(question: OwnerQuestion, leader_picked: bool) -> str:
    """How the 责任人 question is put for the kind (``leader_picked``: a 领导班子's 责任领导 is chosen)."""
    if question is OwnerQuestion.COMMITTEE:
        return (
            f"请写明这条措施的责任人：负责的支委（{_POSTS_NAMED}），可以带上姓名，例如：{COMMITTEE_EXAMPLE}。"
        )
    if leader_picked:
        return "责任领导已选定。请写明责任部门，例如：党政办、经济发展办。"
    return "请写明责任人（责任领导和责任部门），例如：王五（分管副局长）、办公室。"


NOT_GIVEN = "未填"
"""A measure no 责任人 was given for (a draft stored before it was asked)."""


def leader_and_department(owner: str | None, leader: str = "") -> tuple[str, str]:
    """A 领导班子's measure's (责任领导, 责任部门), as the ledger files them and the card shows them:
    the member picked to lead it (``leader``, by the name he gave the team) and what was written
    besides as the department; else the written owner split (王五（分管副局长）、办公室); blank
    where not given."""
    if leader:
        return leader, owner or ""
    return split_owner(owner) if owner else ("", "")


def shown(question: OwnerQuestion, owner: str | None, leader: str = "") -> str | None:
    """Who answers for the measure as its card and its reminders show it: a 党支部班子's 支委
    (责任人：…), a 领导班子's 责任领导 and 责任部门, the parts given (``leader_and_department``), 未填
    where none is; None where the kind's owners are not shown there."""
    if question is OwnerQuestion.COMMITTEE:
        return f"责任人：{(owner or '').strip() or NOT_GIVEN}"
    if question is not OwnerQuestion.LEADER:
        return None
    named = zip(("责任领导", "责任部门"), leader_and_department(owner, leader), strict=True)
    given = [f"{label}：{value.strip()}" for label, value in named if value.strip()]
    return "；".join(given) or f"责任领导和责任部门：{NOT_GIVEN}"


@dataclass(frozen=True)
class Advice:
    """How the review names a measure without its owner, and what to write."""

    who: str
    what: str


_ADVICE = {
    OwnerQuestion.LEADER: Advice(
        "责任领导或牵头部门",
        "班子材料的每条措施写明责任领导（或牵头班子成员）和责任部门，便于会后转入整改台账",
    ),
    OwnerQuestion.COMMITTEE: Advice(
        "负责的支委",
        "党支部班子材料的每条措施写明负责的支委（如“由组织委员负责”），便于会后转入整改台账",
    ),
}


def advice(question: OwnerQuestion) -> Advice | None:
    """The review's words for a kind whose measures name an owner; None where none is asked."""
    return _ADVICE.get(question)
