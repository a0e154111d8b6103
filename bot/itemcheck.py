"""Whether one item a user sent is text worth storing as it is, before it becomes part of a material.

``problem`` is total and pure: text in, a polite question in Chinese out (or None when the item is
fine). The drafting flow shows the question and stores nothing, so a stray 👍, a button's number sent
as text ("7"), a button's words behind a marker ("三是填写完毕"), a word said to the bot (好的, 确定),
a sentence pasted ten times over or a whole document sent as one item never ends up in the material
unnoticed. ``material_parts`` finds the parts' headings in a whole material (or several parts)
pasted into one step.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from bot.commands import meant
from bot.document import SectionRole
from bot.labels import typed
from bot.parsing.classify import classify_heading
from bot.texts import char_count

MAX_ITEM_CHARS = 1500
"""An item is a judgement and its example: a few hundred characters. Far longer is a pasted document."""
MIN_REPEATS = 3
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
_PART_HEADING = re.compile(
    r"^[ \t\u3000]*[一二三四五六七八九十]+、[ \t\u3000]*([^\n。！？]{2,30}?)[ \t\u3000：:]*$", re.M
)
_MARKER = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])\s*")


def _bare(text: str) -> str:
    """The text without punctuation, symbols, spaces or emoji."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PSZC")


def problem(text: str) -> str | None:
    """A question to ask instead of storing ``text``, or None when it can be stored."""
    body = _MARKER.sub("", text).strip()
    if not body:
        return "这一条还没有内容。请写出具体的问题或措施，例如：“调查研究不够深入。全年到基层调研6次……”。"
    if not any(_is_word_character(ch) for ch in body):
        return (
            "这一条只有表情或符号，没有文字，我先不记录。"
            "请用一两句话写出具体的问题或措施，例如：“调查研究不够深入。全年到基层调研6次……”。"
        )
    if not any(unicodedata.category(ch)[0] == "L" for ch in body):
        return (
            f"这一条只有“{body[:20]}”，没有文字，我先不记录。"
            "如果是想点按钮，请直接点下面的按钮；写内容请用一两句话写出具体的问题或措施。"
        )
    if typed(body) is not None:
        return f"“{body}”是按钮上的文字，不是材料内容，我先不记录。要执行这项操作，请点下面对应的按钮。"
    if _DEADLINE_ONLY.fullmatch(_bare(body)):
        return (
            f"“{body}”像是整改时限，不是材料内容，我先不记录。"
            "各条措施的时限在写完整改措施、点“本部分填写完毕”后逐条填写；这里请发送这一部分的内容。"
        )
    if (said := reply(body)) is not None:
        return said
    repeated = _most_repeated(body)
    if repeated is not None:
        sentence, times = repeated
        shown = sentence if len(sentence) <= 20 else sentence[:19] + "…"
        return (
            f"这一条里同一句话（“{shown}”）重复了{times}次，像是粘贴时多复制了。"
            "我先不记录，请检查后重新发送。"
        )
    count = char_count(body)
    if count > MAX_ITEM_CHARS:
        return (
            f"这一条有{count}字，一条通常写一个问题、一二百字即可，这么长像是把整篇材料发成了一条。"
            "我先不记录。请拆成几条分别发送，或精简后重新发送。"
        )
    return None


_AGREED = ("好", "好的", "好滴", "好吧", "嗯", "嗯嗯", "是", "是的", "对", "对的", "行", "可以", "同意")
_CONFIRMED = ("确定", "确认", "确定删除", "收到", "明白", "明白了", "知道了", "没问题", "ok", "okay", "yes")
_THANKED = ("谢谢", "谢谢你", "好的谢谢", "不用", "不用了", "算了")
_REPLIES = frozenset(_AGREED + _CONFIRMED + _THANKED)
"""Words that answer the bot, not the material: typed on a phone after a question or a button."""


def is_reply(text: str) -> bool:
    """Whether the whole message is a word said to the bot (好的, 确定, 收到…), not an answer's text."""
    return _bare(text).casefold() in _REPLIES


_ASKED = re.compile(
    r"(?:请问|我)?(?:"
    r"(?:这里|这个|这一?步|这一?部分)?(?:应该|该|要)?(?:怎么|怎样|如何|咋)(?:写|填|填写|弄|办)"
    r"|(?:这里|这一?步)?(?:应该|该|要)?写(?:些|点)?什么"
    r"|不会写|不知道(?:该|要)?(?:怎么写|如何写|写什么)"
    r"|(?:有|给我?|来个|举个)?(?:例子|范文|模板)"
    r"|帮助|求助|帮帮我|help|看不懂|不懂"
    r")(?:呢|啊|呀|吗|了)?",
    re.I,
)
"""A question or plea put to the bot, as the whole message (punctuation and emoji aside)."""


_NUMBER = r"(?:\d{1,4}|[一二三四五六七八九十]{1,3})"
_DEADLINE_ONLY = re.compile(
    rf"(?:整改)?(?:时限|期限)?(?:为|是)?(?:"
    rf"(?:20\d\d年)?(?:{_NUMBER}月(?:{_NUMBER}[日号])?(?:底|末|中旬|上旬|下旬)?|{_NUMBER}季度末?|年底|年内)"
    rf"(?:之)?前?(?:完成)?|{_NUMBER}个?月内(?:完成)?|立行立改"
    rf"|长期坚持(?:每(?:周|月|季度?|半年|年)(?:回顾)?(?:一次)?)?)",
)
"""A message that is only a 整改时限 (2027年6月底前, 3个月内, 长期坚持 每季度), typed where the
material is asked for by someone who thinks the bot asked for the deadline."""


def is_asked(text: str) -> bool:
    """Whether the message is only a question or plea to the bot (怎么写？ 不知道写什么 帮助), which a
    user who does not know what a step wants sends instead of an answer; never a sentence that
    merely holds such words (不懂装懂)."""
    return _ASKED.fullmatch(_bare(text)) is not None


_COMMANDISH = re.compile(r"[/／、\\]\s*([A-Za-z_]{2,20})")
"""A command typed so that Telegram does not see one: the slash full-width (／check), the 顿号 a
Chinese keyboard gives for the slash key (、new), or a space after it (/ report)."""


def command_meant(text: str) -> str | None:
    """The bot's command a message that is only such a mistyped command stands for, if any."""
    found = _COMMANDISH.fullmatch(text.strip())
    return meant(found.group(1)) if found else None


def reply(text: str) -> str | None:
    """The question to ask when the whole message is a word said to the bot (``is_reply``), a
    question put to it (``is_asked``) or a mistyped command (``command_meant``) rather than the
    material's text; None otherwise."""
    if (command := command_meant(text)) is not None:
        return (
            f"“{text.strip()}”像是命令，不是材料内容，我先不记录。"
            f"命令要用英文斜杠开头、中间不空格，如 /{command}（中文输入法打出的“／”“、”不算）。"
        )
    if is_asked(text):
        return (
            f"“{text.strip()}”像是在问我，不是材料内容，我先不记录。"
            "请直接发送要写的内容；发送 /help 查看使用说明。"
        )
    if not is_reply(text):
        return None
    return (
        f"“{text.strip()}”像是回复我的话，不是材料内容，我先不记录。"
        "请直接发送这一部分的内容；要执行某项操作，请点下面对应的按钮。"
    )


def _is_word_character(ch: str) -> bool:
    """Letters (Chinese included) and digits; emoji, punctuation and symbols are not."""
    return unicodedata.category(ch)[0] in "LN"


def _most_repeated(body: str) -> tuple[str, int] | None:
    sentences = [s.strip() for s in _SENTENCE_END.split(body) if char_count(s) >= 4]
    if len(sentences) < MIN_REPEATS:
        return None
    sentence, times = Counter(sentences).most_common(1)[0]
    return (sentence, times) if times >= MIN_REPEATS else None


def material_parts(text: str) -> list[tuple[str, SectionRole]]:
    """The headings of a material's parts that ``text`` holds on lines of their own (二、存在的主要问题…),
    with what each part is, in order: a whole material, or several parts, pasted into one step."""
    found = ((m.group(1), classify_heading(m.group(1))) for m in _PART_HEADING.finditer(text))
    return [(heading, role) for heading, role in found if role not in (SectionRole.OTHER, SectionRole.EXTRA)]
