"""What a measure's own words say about who answers for it and by when.

An imported measures table writes its columns after their labels (``…。责任领导：王强；完成时限：
2027年3月底前。``, ``bot.parsing.sources``), and a unit's 自查自纠报告 often names the owner in the
sentence itself (由办公室负责，2027年3月底前完成). Both are read here, conservatively: an owner only
under a label or in ``由…负责/牵头`` naming a department or a post, never guessed from prose. Every
function is total.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_OWNER_CHARS = 60
"""How long a measure's 责任人 may be, typed at its question or taken from the measure's words."""

DEPARTMENT_END = ("室", "部", "局", "科", "处", "办", "中心", "委", "组", "队", "所", "股", "院", "站")
"""How the name of a department or unit ends (办公室, 财务科, 党政办, 党支部)."""

_OWNER_LABELS = (
    "责任领导",
    "牵头领导",
    "分管领导",
    "责任人",
    "责任部门",
    "牵头部门",
    "责任单位",
    "牵头单位",
    "责任科室",
    "责任主体",
)
_DEADLINE_LABELS = ("完成时限", "整改时限", "完成期限", "整改期限", "完成时间", "办结时限", "时限")
_LABEL = "|".join(sorted(_OWNER_LABELS + _DEADLINE_LABELS, key=len, reverse=True))
_FIELD = re.compile(
    rf"(?:^|(?<=[。；;，,、（(\s]))(?P<labels>(?:{_LABEL})(?:[/／、](?:{_LABEL}))*)\s*[：:]\s*"
    rf"(?P<value>.*?)\s*(?=[。；;\n]|[，,]\s*(?:{_LABEL})\s*[：:]|$)"
)
# 由办公室负责, 由组织委员牵头, 由财务科具体负责: 由 as the agent, not in 由于, 理由, 自由…
_LED_BY = re.compile(
    r"(?<![理自缘事来经因根原不借任])由(?![于此衷浅表点小近远])"
    r"(?P<who>[\u4e00-\u9fff（）()、]{2,20}?)(?:具体|统一|共同)?(?:牵头|负责|负总责)"
)
# What the one led by must end as: a department or a post, or a comrade named as such.
_POSTS = (
    "书记",
    "委员",
    "主任",
    "局长",
    "镇长",
    "乡长",
    "县长",
    "部长",
    "科长",
    "处长",
    "所长",
    "站长",
    "院长",
    "校长",
    "队长",
    "组长",
    "主席",
    "同志",
    "领导",
    "班子",
    "负责人",
)
# A word inside it that makes it a clause rather than a name (由被动应付向主动负责转变).
_CLAUSE = re.compile(r"[对向把将从在为给被让使以]|我|本人|自己|大家")
_TAIL_GAP = re.compile(r"[\s。；;，,、）)]*")


@dataclass(frozen=True)
class _Field:
    """A label and its value, with the span they take in the measure's text."""

    labels: str
    value: str
    start: int
    end: int


def _fields(text: str) -> list[_Field]:
    """The labelled fields of ``text``. An owner's value ends at a comma (责任人：支部书记，每季度检查一次:
    the frequency is the measure's, not the owner's); a deadline's may hold one (长期坚持，每季度)."""
    found = []
    for field in _FIELD.finditer(text):
        value, end = field["value"], field.end()
        comma = re.search(r"[，,]", value)
        if comma is not None and not _is_deadline(field["labels"]):
            value, end = value[: comma.start()], field.start("value") + comma.start()
        found.append(_Field(field["labels"], value, field.start(), end))
    return found


def _is_deadline(labels: str) -> bool:
    return re.split(r"[/／、]", labels)[0] in _DEADLINE_LABELS


@dataclass(frozen=True)
class Columns:
    """What a measure's text gives under a 责任人 and a 时限 label; None where it has no such label."""

    owner: str | None = None
    deadline: str | None = None


def columns_of(text: str) -> Columns:
    """The 责任人 (the values of every owner label, joined with 、: 王强、党政办) and the first 时限
    a measure's text gives after their labels; total: any text gives a ``Columns``."""
    return _columns(_fields(text))


def _columns(fields: Iterable[_Field]) -> Columns:
    owners: list[str] = []
    deadline: str | None = None
    for found in fields:
        value = _closed(found.value)
        if not value:
            continue
        if _is_deadline(found.labels):
            deadline = deadline or value
        else:
            owners.append(value)
    return Columns("、".join(dict.fromkeys(owners)) or None, deadline)


def _closed(value: str) -> str:
    """A value without the bracket that closes a run of fields written in one (（责任人：王强）)."""
    value = value.strip()
    while (
        value
        and value[-1] in "）)"
        and value.count("（") + value.count("(") < (value.count("）") + value.count(")"))
    ):
        value = value[:-1].rstrip()
    return value


def written_owner(text: str) -> str | None:
    """The owner a measure names in its own words: the values of its owner labels (责任人：组织委员),
    else each department or post it is 由…负责/牵头 (由办公室负责); None when it names none, or
    more than ``MAX_OWNER_CHARS`` of it."""
    owner = columns_of(text).owner
    if owner is None:
        led = [who for found in _LED_BY.finditer(text) if (who := _led(found["who"]))]
        owner = "、".join(dict.fromkeys(led)) or None
    return owner if owner is not None and len(owner) <= MAX_OWNER_CHARS else None


def _led(who: str) -> str | None:
    """``who`` as an owner when it names a department or post (办公室、财务科), else None."""
    bare = re.sub(r"[（(][^（）()]*[）)]$", "", who)  # 党政办（组织办）
    if _CLAUSE.search(bare) or not bare.endswith(DEPARTMENT_END + _POSTS):
        return None
    return who


def without_columns(text: str) -> tuple[str, Columns]:
    """The measure without the run of labelled fields closing it (``建立会商机制。责任领导：王强；
    完成时限：2027年3月底前。`` → ``建立会商机制。``), and what that run gives; the text as it is,
    with empty ``Columns``, when no such run closes it or nothing would be left."""
    fields = _fields(text)
    start = len(text)
    for found in reversed(fields):
        if not _TAIL_GAP.fullmatch(text, found.end, start):
            break
        start = found.start
    tail = [f for f in fields if f.start >= start]
    kept = text[:start].rstrip(" \t\n，,；;、（(")
    if not tail or not kept:
        return text, Columns()
    if text.rstrip().endswith("。") and not kept.endswith(("。", "！", "？", "；")):
        kept += "。"
    return kept, _columns(tail)


def split_owner(owner: str) -> tuple[str, str]:
    """``王五（分管副局长）、办公室`` → (责任领导, 责任部门): names ending like a unit are departments;
    an owner that is only a department (党政办) leaves the 责任领导 blank, for the office to see."""
    parts = [p.strip() for p in re.split(r"[、，,；;/]", owner) if p.strip()]
    departments = [p for p in parts if p.endswith(DEPARTMENT_END)]
    leaders = [p for p in parts if p not in departments]
    return "、".join(leaders), "、".join(departments)
