"""Every button the bot shows, declared once: ``flow:action:arg…`` within Telegram's 64-byte limit.

A route names a flow, an action and the types of its arguments. ``encode`` refuses data no route
declares, so every button the bot sends can be decoded; ``decode`` is the one place client data
enters and is total: anything that is not exactly a declared route with well-formed arguments
(ASCII digits within a database id's range, public ids of letters and digits, bounded lengths) is
``None``, which the handlers answer by showing the current step again.

Buttons carry the draft's public id and the step they were shown for, so a tap on an old button
can be recognised and answered with the current step instead of acting on stale state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, StrEnum

MAX_BYTES = 64
SEPARATOR = ":"
MAX_ID = 2**31 - 1
"""Largest row id: PostgreSQL's ``integer`` (and SQLite accepts it too)."""
MAX_USER_ID = 2**52
"""Largest Telegram user id (they fit in 52 bits)."""


class Flow(StrEnum):
    """The first part of the data; each handler module listens to its flows."""

    HOME = "home"
    NEW = "new"
    SECTION = "sec"
    ITEM = "it"
    NAV = "nav"
    SUMMARY = "sum"
    FULL_TEXT = "ft"
    DEADLINE = "dl"
    REPORT = "rp"
    REVIEW = "rv"
    UPLOAD = "up"
    DRAFTS = "dr"
    FOLLOW_UP = "fu"
    PRIVACY = "pv"
    LINKS = "lk"
    TEAM = "tm"
    PROPOSAL = "pp"
    APPROVAL = "ap"
    DESK = "dk"


class Arg(Enum):
    """Argument types: the pattern a value must match in full, and whether it decodes to an int."""

    PUBLIC_ID = (r"[A-Za-z0-9]{1,16}", False)
    STEP = (r"[a-z][a-z0-9_]{0,23}(\.[a-z0-9_]{1,16})?", False)
    NAME = (r"[A-Za-z0-9_-]{1,24}", False)
    KEY = (r"[0-9a-f]{32}", False)
    CADENCE = (r"P[1-9][0-9]?[WM]", False)
    DAY = (r"20[0-9]{2}-[01][0-9]-[0-3][0-9]", False)  # ISO; whether it is a real day is the flow's check
    ID = (r"[0-9]{1,10}", True)
    COUNT = (r"[0-9]{1,4}", True)
    USER = (r"[0-9]{1,15}", True)  # a Telegram user id (up to 52 bits)
    CODE = (r"[A-Za-z0-9_-]{22}", False)  # a team invitation's code

    def __init__(self, pattern: str, numeric: bool) -> None:
        self.regex = re.compile(pattern, re.ASCII)
        self.numeric = numeric

    def parse(self, raw: str) -> str | int | None:
        if self.regex.fullmatch(raw) is None:
            return None
        if not self.numeric:
            return raw
        value = int(raw)
        return value if value <= (MAX_USER_ID if self is Arg.USER else MAX_ID) else None


_PUB, _STEP, _NAME, _KEY, _CADENCE, _DAY, _ID, _COUNT, _USER, _CODE = (
    Arg.PUBLIC_ID,
    Arg.STEP,
    Arg.NAME,
    Arg.KEY,
    Arg.CADENCE,
    Arg.DAY,
    Arg.ID,
    Arg.COUNT,
    Arg.USER,
    Arg.CODE,
)

_LINKS: dict[str, tuple[Arg, ...]] = {
    "ok": (_PUB,),
    "edit": (_PUB,),
    "done": (_PUB,),
    "p": (_PUB, _ID),
    "t": (_PUB, _ID, _ID),
}
FROM_FILE = "f"
"""What ends the action of a links button pressed from the note under a file following the links
(the ledger, the 整改落实情况报告), whose name it carries last: the reply to a change offers it again."""

ROUTES: dict[tuple[Flow, str], tuple[Arg, ...]] = {
    (Flow.HOME, "new"): (),
    (Flow.HOME, "resume"): (_PUB,),
    (Flow.NEW, "kind"): (_PUB, _NAME),
    (Flow.NEW, "start"): (_ID, _NAME),  # the kind of a material not created yet: its list's number, the kind
    (Flow.NEW, "theme"): (_PUB, _NAME),
    (Flow.NEW, "paste"): (_PUB,),
    (Flow.NEW, "nodate"): (_PUB,),
    (Flow.NEW, "date"): (_PUB, _DAY),  # a meeting date far from today, confirmed
    (Flow.NEW, "year"): (_PUB, _COUNT),  # the 年度 of pasted aspects
    (Flow.NEW, "skip"): (_PUB, _NAME),
    (Flow.NEW, "keep"): (_PUB, _STEP),  # the theme, date, name, unit or position shown as 当前, unchanged
    (Flow.NEW, "reuse"): (_PUB, _NAME),  # 姓名/单位/职务 as in the user's last material
    (Flow.NEW, "asunit"): (_PUB,),  # the 姓名 just given reads as a unit's name: made the 单位
    # Section steps: the draft and the step the button was shown for.
    **{
        (Flow.SECTION, action): (_PUB, _STEP)
        for action in ("done", "undo", "manage", "keep", "skip", "clear", "show", "example")
    },
    # One item (or the lead) of the step's list: open its menu, act on it, or move it to aspect n.
    **{
        (Flow.ITEM, action): (_PUB, _STEP, _ID)
        for action in ("open", "edit", "insert", "up", "down", "move", "part", "del", "lead", "item", "join")
    },
    (Flow.ITEM, "split"): (_PUB, _STEP, _ID),  # 拆为N条: the points an item holds made items
    (Flow.ITEM, "tp"): (_PUB, _STEP, _ID, _COUNT),  # to the list of another part: its place among the steps
    (Flow.ITEM, "relead"): (_PUB, _STEP, _ID),  # the lead a message replaced, by its revision's id
    (Flow.ITEM, "to"): (_PUB, _STEP, _ID, _COUNT),
    (Flow.ITEM, "cancel"): (_PUB, _STEP),
    (Flow.NAV, "back"): (_PUB, _STEP),
    (Flow.NAV, "go"): (_PUB, _STEP),
    (Flow.SUMMARY, "report"): (_PUB,),
    (Flow.SUMMARY, "edit"): (_PUB,),
    (Flow.FULL_TEXT, "page"): (_PUB, _COUNT),
    (Flow.DEADLINE, "cadence"): (_PUB, _ID, _CADENCE),
    (Flow.DEADLINE, "later"): (_PUB,),
    (Flow.DEADLINE, "text"): (_PUB, _ID),  # take the date the measure's own wording names
    (Flow.DEADLINE, "workday"): (_PUB, _ID, _DAY),  # a deadline off a workday moved to the day before
    (Flow.DEADLINE, "lead"): (_PUB, _ID, _USER),  # a team member leads the measure (责任领导)
    (Flow.DEADLINE, "owner"): (_PUB, _ID),  # take the 责任人 the measure's own wording names
    **{(Flow.REPORT, fmt): (_PUB,) for fmt in ("docx", "pdf", "md", "txt", "xlsx", "page1", "pages")},
    (Flow.REPORT, "anyway"): (_PUB, _NAME),  # the file despite open 必须修改 findings, in this format
    (Flow.REVIEW, "ign"): (_PUB, _KEY),
    (Flow.REVIEW, "go"): (_PUB, _ID),  # 去修改: the item a finding names, its menu in its part
    (Flow.REVIEW, "at"): (_PUB, _STEP),  # 去修改: the step a finding on a whole part or aspect is about
    (Flow.REVIEW, "fix"): (_PUB, _ID),  # 去修改: the measures, for the problem a finding says none answers
    (Flow.REVIEW, "more"): (_PUB, _COUNT),
    (Flow.REVIEW, "page"): (_PUB, _COUNT, _COUNT),  # /check's page from a finding, 忽略 buttons from another
    (Flow.UPLOAD, "import"): (_PUB,),
    (Flow.UPLOAD, "format"): (_PUB,),
    (Flow.UPLOAD, "review"): (_PUB,),  # a material pasted with no draft open, reviewed as a file is
    (Flow.UPLOAD, "fill"): (_PUB, _PUB),  # a whole material pasted into a draft's preamble fills that draft
    (Flow.UPLOAD, "preamble"): (_PUB, _PUB),  # text sent at a name, unit or post kept as the draft's 导语
    (Flow.DRAFTS, "list"): (),
    (Flow.DRAFTS, "open"): (_PUB,),
    (Flow.DRAFTS, "del"): (_PUB,),
    (Flow.DRAFTS, "delok"): (_PUB,),
    **{(Flow.FOLLOW_UP, action): (_ID,) for action in ("open", "done", "progress", "postpone", "close")},
    (Flow.FOLLOW_UP, "lead"): (_ID, _USER),  # a team draft's owner changes who leads a measure
    (Flow.FOLLOW_UP, "skip"): (),
    (Flow.FOLLOW_UP, "report"): (),  # the 整改落实情况报告 (an annual summary sent before "reportof")
    (Flow.FOLLOW_UP, "reportof"): (_PUB,),  # the 整改落实情况报告 of the material an annual summary names
    (Flow.FOLLOW_UP, "redo"): (_PUB,),  # that report again, replacing the one the user changed
    (Flow.FOLLOW_UP, "cancel"): (),
    (Flow.FOLLOW_UP, "list"): (),  # back from a measure to /deadlines
    (Flow.PRIVACY, "forgetok"): (),
    (Flow.PRIVACY, "keep"): (),
    # Which measure addresses which problem: the table's buttons, one problem's editor, a toggle;
    # pressed from the note under a file that follows them, the same carrying the file's name.
    **{(Flow.LINKS, action): args for action, args in _LINKS.items()},
    **{(Flow.LINKS, action + FROM_FILE): (*args, _NAME) for action, args in _LINKS.items()},
    # A team draft: its board, invitations (role), joining (code, consent 0/1), members, reading.
    **{
        (Flow.TEAM, action): (_PUB,)
        for action in ("board", "members", "revoke", "home", "status", "aspects", "leave", "leaveok")
    },
    (Flow.TEAM, "tog"): (_PUB, _COUNT),  # open or close aspect n to the members
    (Flow.TEAM, "inv"): (_PUB, _NAME),
    (Flow.TEAM, "join"): (_CODE, _COUNT),
    (Flow.TEAM, "page"): (_PUB, _COUNT),
    (Flow.TEAM, "asp"): (_PUB, _COUNT),  # a member contributes to aspect n
    **{(Flow.TEAM, action): (_PUB, _USER) for action in ("mem", "rm", "own", "ownok")},
    (Flow.TEAM, "role"): (_PUB, _USER, _NAME),
    # Proposals: the owner's digest and decisions, collected opinions and their sorting.
    **{(Flow.PROPOSAL, action): (_PUB,) for action in ("list", "sorted", "mine")},
    **{(Flow.PROPOSAL, action): (_PUB, _ID) for action in ("ok", "edit", "no", "merge", "sort")},
    (Flow.PROPOSAL, "with"): (_PUB, _ID, _ID),
    (Flow.PROPOSAL, "to"): (_PUB, _ID, _COUNT),
    (Flow.PROPOSAL, "op"): (_PUB, _NAME),  # paste opinions of one source
    # 审定: the owner hands in (draft), the approver reads, comments and decides (submission).
    **{(Flow.APPROVAL, action): (_PUB,) for action in ("submit", "notes", "hist", "ok", "ret", "x")},
    (Flow.APPROVAL, "read"): (_PUB, _COUNT),
    (Flow.APPROVAL, "xc"): (_PUB, _COUNT),
    (Flow.APPROVAL, "c"): (_PUB, _ID),
    # The reviewer's desk: a batch (its kind and theme at set-up, its list, the duplicate view, the
    # exports, its link), a submission (open, items to comment on, a comment on an item or on the
    # whole, return, approve, its Word file), and the cadre's side (what to hand in, hand in a
    # draft, his submission with its comments).
    (Flow.DESK, "home"): (),
    (Flow.DESK, "kind"): (_PUB, _NAME),
    (Flow.DESK, "theme"): (_PUB, _NAME),
    **{
        (Flow.DESK, action): (_PUB,)
        for action in ("b", "dup", "xlsx", "zip", "link", "pick", "nudge", "due", "close", "reopen")
    },
    **{
        (Flow.DESK, action): (_PUB,)
        for action in ("o", "items", "call", "ret", "retskip", "ok", "doc", "mine", "fix")
    },
    (Flow.DESK, "c"): (_PUB, _ID),
    (Flow.DESK, "sub"): (_PUB, _PUB),
    (Flow.DESK, "cancel"): (),
    (Flow.UPLOAD, "desk"): (_PUB, _PUB),  # hand an uploaded file in to a batch
}


@dataclass(frozen=True)
class Callback:
    """A decoded button press: a declared route and its arguments, already of their declared types."""

    flow: Flow
    action: str
    args: tuple[str | int, ...] = ()

    def text(self, index: int) -> str:
        value = self.args[index]
        assert isinstance(value, str), "route declares a text argument here"
        return value

    def number(self, index: int) -> int:
        value = self.args[index]
        assert isinstance(value, int), "route declares a numeric argument here"
        return value


def pattern(flow: Flow) -> str:
    """The ``CallbackQueryHandler`` pattern that sends a flow's buttons to its handler."""
    return rf"^{flow.value}{SEPARATOR}"


def encode(flow: Flow, action: str, *args: str | int) -> str:
    """Button data for a declared route; a programming error (undeclared, ill-typed) raises."""
    types = ROUTES.get((flow, action))
    if types is None:
        raise ValueError(f"no route {flow}:{action}")
    data = SEPARATOR.join([flow.value, action, *(str(a) for a in args)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes for {flow}:{action}")
    if decode(data) is None:
        raise ValueError(f"arguments do not fit route {flow}:{action}")
    return data


def decode(data: str) -> Callback | None:
    """The route and typed arguments of ``data``, or ``None`` for anything else (never raises)."""
    if len(data.encode("utf-8", "replace")) > MAX_BYTES:
        return None
    flow_name, _, rest = data.partition(SEPARATOR)
    action, _, raw_args = rest.partition(SEPARATOR)
    try:
        flow = Flow(flow_name)
    except ValueError:
        return None
    types = ROUTES.get((flow, action))
    if types is None:
        return None
    raw = raw_args.split(SEPARATOR) if raw_args else []
    if len(raw) != len(types):
        return None
    args = tuple(kind.parse(value) for kind, value in zip(types, raw, strict=True))
    if any(value is None for value in args):
        return None
    return Callback(flow, action, tuple(a for a in args if a is not None))
