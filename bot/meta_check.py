"""Whether an answer to 姓名, 单位 or 职务 looks like the answer to another of the three, or a date,
or carries a web page's markup.

They are asked one after another and go into the title and signature as typed, so "县发展改革局"
sent as the 姓名 would print "县发展改革局同志…对照检查材料". A doubt is said, never enforced: the
answer is stored, and the user goes back to change it if it was a slip (or, for a 姓名 that reads as a
unit's name while the 单位 is still to come, presses 改作单位名称). Markup (``<b>李四</b>``,
copied from a page's source) is no slip of the field but debris no title may print: the set-up
does not store it (``markup``).
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import date

from bot.dates import read_date
from bot.texts import esc

UNIT_ENDINGS = (
    "局", "委", "办", "厅", "部", "处", "科", "室", "所", "站", "中心", "院", "校", "镇", "乡",
    "街道", "村", "社区", "县", "区", "市", "省", "党组", "党委", "支部", "总支", "政府", "公司",
    "集团", "银行", "协会", "联合会",
)  # fmt: skip
POST_ENDINGS = (
    "书记", "长", "主任", "员", "常委", "政委", "干部", "干事", "经理", "主席", "秘书", "总监",
)  # fmt: skip
_CN_DATE = re.compile(
    r"^(?:[〇零一二三四五六七八九]{4}年)?[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}[日号]$"
)
"""A date in Chinese numerals (二〇二六年一月十五日); ``read_date`` reads the Arabic ones."""
_FULL_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}[日号]|\d{4}-\d{1,2}-\d{1,2}")
"""A whole date inside other words (确认：2027年1月15日, a button's label typed): no name holds one."""
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]{0,9}(?:\s[^<>\n]{0,80})?/?>")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,5});")
LONGEST_NAME = 5
"""Han names run to four characters; a longer one without the middle dot (阿依古丽·买买提) is doubted."""


def _unit(value: str) -> bool:
    return value.endswith(UNIT_ENDINGS) and not value.endswith(POST_ENDINGS)


def _post(value: str) -> bool:
    return value.endswith(POST_ENDINGS)


def _date(value: str) -> bool:
    """A date, such as the meeting date sent once more after its step had passed."""
    return (
        read_date(value, date.min) is not None
        or _CN_DATE.match(value) is not None
        or _FULL_DATE.search(value) is not None
    )


def markup(value: str) -> list[str]:
    """The tags and entities of a web page in an answer (``<b>``, ``</b>``, ``&nbsp;``), each once."""
    found = sorted([*_TAG.finditer(value), *_ENTITY.finditer(value)], key=lambda m: m.start())
    return list(dict.fromkeys(m.group() for m in found))


def without_markup(value: str) -> str:
    """The answer as meant: tags dropped, entities read (``<b>李四</b>`` → ``李四``)."""
    return " ".join(html.unescape(_TAG.sub("", value)).split())


def worded(value: str) -> bool:
    """Whether an answer has a letter or character in it: 👍 or 2 is no name, unit or post."""
    return any(unicodedata.category(ch)[0] == "L" for ch in value)


def markup_notice(asked: str, value: str, before: str | None = None) -> str | None:
    """Why an answer to ``asked`` (姓名, 姓名和职务…) with a web page's tags is not stored, what to
    send instead, and that the answer stored ``before`` it stands; None when it has no markup."""
    tags = markup(value)
    if not tags:
        return None
    named = "".join(f"“{esc(tag)}”" for tag in tags[:3])
    plain = without_markup(value)
    send = f"，如：{esc(plain)}" if worded(plain) else ""
    notice = f"{asked}里带有{named}这样的网页排版标记，没有记下。请只发送{asked}本身的文字{send}。"
    return notice + (f"原来的{asked}“{esc(before)}”保持不变。" if before else "")


def doubt(field: str, value: str) -> str | None:
    """What the answer to ``field`` looks like instead ("单位名称"), or None when it fits."""
    if _date(value):
        return "日期"
    if field == "name":
        if _post(value):
            return "职务"
        if _unit(value) or (len(value) > LONGEST_NAME and "·" not in value):
            return "单位名称"
    if field == "unit" and _post(value) and not value.endswith(UNIT_ENDINGS):
        return "职务"
    if field == "position" and _unit(value):
        return "单位名称"
    return None
