"""text.*: what a proofreader marks — placeholders, punctuation, fixed terms, typos, dates, 年度."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from datetime import date
from functools import cache

from bot.review import aspects as matching
from bot.review.config import Params, load_data
from bot.review.engine import ReviewContext, Scope, rule
from bot.review.findings import Hit, Severity

_CJK = "\u4e00-\u9fff"
_LINE = re.compile(r"[^\n]+")
_REPEAT = re.compile(rf"([{_CJK}]{{2,}}?)\1")
_CJK_WORD = re.compile(rf"[{_CJK}]+")


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for match in _LINE.finditer(text):
        yield match.start(), match.group()


def _matches(ctx: ReviewContext, pattern: re.Pattern[str]) -> Iterator[Hit]:
    for match in pattern.finditer(ctx.text):
        yield Hit(match.span(), {"text": match.group()})


# text.placeholder -----------------------------------------------------------------------------


@rule(
    "text.placeholder.mask",
    Severity.ERROR,
    scope=Scope.ITEM,
    message="“{text}”是没有替换的占位符",
    suggestion="换成实际的名称、数字或日期",
)
def placeholder_mask(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Template masks left in: XX, xx, ×××, ***, 某某, 20**年, blanks to fill in."""
    return _matches(ctx, params.pattern("patterns"))


@rule(
    "text.placeholder.artifact",
    Severity.ERROR,
    scope=Scope.ITEM,
    message="“{text}”像是复制网页时带进来的杂字",
    suggestion="删去，并核对这里的原文是否完整",
)
def placeholder_artifact(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Scraping debris: ##…## markers, ASCII dashes where text was cut, HTML, pinyin fragments."""
    return _matches(ctx, params.pattern("patterns"))


# text.punctuation -----------------------------------------------------------------------------


@rule(
    "text.punctuation.halfwidth",
    Severity.WARNING,
    scope=Scope.ITEM,
    message="这段有{count}处半角标点，如“{example}”",
    suggestion="中文行文中改用全角标点：{fixes}",
)
def punctuation_halfwidth(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """ASCII , ; : ? ! ( ) " next to Chinese text, and a full stop right after it (before Chinese text
    a full stop is a list marker, 1.理论; before a digit or another stop, a decimal or an ellipsis);
    numbering brackets are left to structure.brackets."""
    replacements: Mapping[str, str] = params.mapping("replacements")
    after: Mapping[str, str] = params.mapping("after_chinese")
    pattern = _halfwidth("".join(replacements), "".join(after))
    replacements = {**replacements, **after}
    markers = [m.span for m in ctx.markers]
    for start, line in _lines(ctx.text):
        found = [m for m in pattern.finditer(line) if not any(a <= start + m.start() < b for a, b in markers)]
        if found:
            first = found[0]
            example = line[max(0, first.start() - 4) : first.end() + 4]
            fixes = "、".join(dict.fromkeys(f"“{m.group()}”改为“{replacements[m.group()]}”" for m in found))
            places = tuple((start + m.start(), start + m.end()) for m in found)
            yield Hit(places[0], {"count": len(found), "example": example, "fixes": fixes}, places=places)


@cache
def _halfwidth(marks: str, stops: str) -> re.Pattern[str]:
    """The half-width marks next to Chinese text, and the stops right after it; built once per
    configuration, as every answer's note runs the rule."""
    chars, stops = re.escape(marks), re.escape(stops)
    return re.compile(
        rf"(?<=[{_CJK}“”‘’）》])[{chars}]|[{chars}](?=[{_CJK}“‘（《])|(?<=[{_CJK}”’）》])[{stops}](?![.A-Za-z0-9])"
    )


_DUNHAO = re.compile(r"([”》])、([“《])")
_PAIRS = {"”": "引号", "》": "书名号"}


@rule(
    "text.punctuation.dunhao",
    Severity.INFO,
    scope=Scope.ITEM,
    message="这段有{count}处{what}之间用了顿号，如：{text}",
    suggestion="连续的引号或书名号之间不用顿号（GB/T 15834），如写作：{fixed}",
)
def punctuation_dunhao(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """No 顿号 between consecutive quoted or titled items: “四个意识”“四个自信” (once per paragraph)."""
    for start, line in _lines(ctx.text):
        found = list(_DUNHAO.finditer(line))
        if found:
            first = found[0]
            left, comma, right = max(0, first.start() - 4), first.start() + 1, first.end() + 4
            fields = {
                "count": len(found),
                "what": _PAIRS[first.group(1)],
                "text": line[left:right],
                "fixed": line[left:comma] + line[comma + 1 : right],
            }
            places = tuple((start + m.start(), start + m.end()) for m in found)
            yield Hit(places[0], fields, places=places)


@rule(
    "text.punctuation.double",
    Severity.WARNING,
    scope=Scope.ITEM,
    message="“{text}”标点重复",
    suggestion="只保留一个标点",
)
def punctuation_double(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Two sentence or clause marks in a row (。。 ，。 、、) are a slip."""
    return _matches(ctx, re.compile(r"[，。；、：]{2,}"))


@rule(
    "text.punctuation.emoji",
    Severity.WARNING,
    scope=Scope.ITEM,
    message="这段有{count}个表情符号，如“{example}”",
    suggestion="正式材料中不用表情符号，打印时也多显示为方框，请删去",
)
def punctuation_emoji(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Emoji and pictographs typed on a phone (👍 😅 ✅): no font of an official document has them."""
    pattern = params.pattern("patterns")
    for start, line in _lines(ctx.text):
        found = list(pattern.finditer(line))
        if found:
            first = found[0]
            example = line[max(0, first.start() - 6) : first.end()]
            places = tuple((start + m.start(), start + m.end()) for m in found)
            yield Hit(places[0], {"count": len(found), "example": example}, places=places)


@rule(
    "text.punctuation.unfinished",
    Severity.WARNING,
    scope=Scope.ITEM,
    message="这段以“{last}”结尾，像是没有写完",
    suggestion="补全这句话，或删去多余的半句",
)
def punctuation_unfinished(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A paragraph ending in a comma or 顿号 was cut off mid-sentence."""
    for start, line in _lines(ctx.text):
        stripped = line.rstrip()
        if stripped.endswith(("，", "、", ",")):
            clause = max(stripped.rfind(p, 0, len(stripped) - 1) for p in "。；：，、,") + 1
            yield Hit((start + clause, start + len(stripped)), {"last": stripped[-1]})


@rule(
    "text.punctuation.quotes",
    Severity.WARNING,
    scope=Scope.ITEM,
    message="这段的{pair}{how}",
    suggestion="{advice}",
)
def punctuation_quotes(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Quotation marks and title marks open and close within a paragraph, the opening one first.

    Counting is not enough: ”十五五“ has one of each, written the wrong way round. The marks are
    read in order, and the first closing one with nothing open before it, or else the first
    opening one never closed, is reported (once per pair and paragraph).
    """
    for start, line in _lines(ctx.text):
        for left, right in (("“", "”"), ("《", "》")):
            if left not in line and right not in line:  # most lines quote nothing: no char loop
                continue
            slip = _unpaired(line, left, right)
            if slip is None:
                inner = _inner_reversed(line) if left == "“" else None
                if inner is not None:
                    how = "前后写反了"
                    advice = f"引号里再用引号时，里面一层用单引号，写作‘{inner.group(1)}’"
                    fields = {"pair": left + right, "how": how, "advice": advice}
                    yield Hit((start + inner.start(), start + inner.start() + 1), fields)
                    continue
                yield from _nested(line, start, left, right)
                continue
            index, reversed_ = slip
            if reversed_:
                how, advice = "前后写反了", f"把写反的两半对调过来：{left}在前，{right}在后"
            else:
                how, advice = "没有成对", f"检查这段的{left}{right}是否有多余或缺少的一半"
            fields = {"pair": left + right, "how": how, "advice": advice}
            yield Hit((start + index, start + index + 1), fields)


_INNER_TERM = re.compile(r"”([\u4e00-\u9fff0-9０-９]{2,6})“")
_LINKS = re.compile(r"[和与及或到至向同跟对比]")
_LONG_QUOTE = 15


def _inner_reversed(line: str) -> re.Match[str] | None:
    """A term quoted inside a quotation with its marks the wrong way round: “……为实现”十五五“良好
    开局……”. The marks pair up by count and by order, but the term between a closing and an
    opening mark is no link between two quotations (“四个意识”和“四个自信”): it is short, has no
    linking word, and a quotation beside it runs on as a sentence (long, or with a comma)."""
    for match in _INNER_TERM.finditer(line):
        if _LINKS.search(match.group(1)):
            continue
        before = line.rfind("“", 0, match.start())
        after = line.find("”", match.end())
        if before < 0 or after < 0:
            continue
        sides = (line[before + 1 : match.start()], line[match.end() : after])
        if any(len(side) >= _LONG_QUOTE or _CLAUSE_MARK.search(side) for side in sides):
            return match
    return None


_CLAUSE_MARK = re.compile(r"[，、；：]")


_INNER_MARKS = {"“": ("引号", "单引号", ("‘", "’")), "《": ("书名号", "单书名号", ("〈", "〉"))}
"""The marks of an inner quotation or title inside an outer one of the same kind."""


def _nested(line: str, start: int, left: str, right: str) -> Iterator[Hit]:
    """The first quotation (or title) opened inside another of the same marks: “学习贯彻“两个确立”
    的决定性意义” should quote its inner term as ‘两个确立’. The marks of the line pair up
    (``_unpaired`` found nothing)."""
    name, inner_name, (inner_left, inner_right) = _INNER_MARKS[left]
    opened: list[int] = []
    for index, char in enumerate(line):
        if char == left:
            opened.append(index)
        elif char == right and opened:
            begin = opened.pop()
            if opened:
                written = f"{inner_left}{line[begin + 1 : index]}{inner_right}"
                advice = f"{name}里再用{name}时，里面一层用{inner_name}，写作{written}"
                fields = {"pair": left + right, "how": f"里又套了一层{left}{right}", "advice": advice}
                yield Hit((start + begin, start + index + 1), fields)
                return


def _unpaired(line: str, left: str, right: str) -> tuple[int, bool] | None:
    """Where the marks of a pair first fail to pair, and whether they are written the wrong way
    round: a closing mark with none open before it and an opening mark left open after it is a
    pair reversed (”十五五“); either alone is a half missing."""
    stray: list[int] = []
    opened: list[int] = []
    for index, char in enumerate(line):
        if char == left:
            opened.append(index)
        elif char == right:
            if opened:
                opened.pop()
            else:
                stray.append(index)
    if stray:
        return stray[0], bool(opened) and opened[-1] > stray[0]
    return (opened[0], False) if opened else None


# text.terms / text.typos ----------------------------------------------------------------------


@cache
def _dictionary(section: str) -> tuple[re.Pattern[str], dict[str, str]]:
    entries = {e["wrong"]: e["right"] for e in load_data("terms.yaml")[section]}
    alternation = "|".join(re.escape(w) for w in sorted(entries, key=len, reverse=True))
    return re.compile(alternation), entries


def _dictionary_hits(ctx: ReviewContext, section: str) -> Iterator[Hit]:
    pattern, entries = _dictionary(section)
    for match in pattern.finditer(ctx.text):
        yield Hit(match.span(), {"wrong": match.group(), "right": entries[match.group()]})


@rule(
    "text.terms",
    Severity.ERROR,
    scope=Scope.ITEM,
    message="“{wrong}”应为“{right}”",
    suggestion="改为固定提法“{right}”",
)
def terms(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Fixed political terms are spelled exactly: 四个意识, 理想信念, 习近平总书记 (data: terms.yaml)."""
    return _dictionary_hits(ctx, "terms")


@rule(
    "text.typos.known",
    Severity.WARNING,
    scope=Scope.ITEM,
    message="“{wrong}”应为“{right}”",
    suggestion="改为“{right}”",
)
def typos_known(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Common miswritten idioms and words: 束之高阁, 想方设法, 截至目前 (bot/data/review/terms.yaml)."""
    return _dictionary_hits(ctx, "typos")


@rule(
    "text.typos.duplicate",
    Severity.WARNING,
    scope=Scope.ITEM,
    message="“{word}{word}”重复了",
    suggestion="删去一个“{word}”",
)
def typos_duplicate(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A word of two or more characters written twice in a row (落实落实).

    Only a stretch where some characters repeat at all is segmented, to tell one word written twice
    (落实落实) from the end of one word and the start of the next.
    """
    allowed = set(params.strings("allowed"))
    stretches = dict.fromkeys(ctx.stretch(m.start()) for m in _REPEAT.finditer(ctx.text))
    for stretch in stretches:
        for (word, start, _), (after, _, end) in itertools.pairwise(ctx.segment(stretch)):
            if word == after and len(word) >= 2 and _CJK_WORD.fullmatch(word) and word * 2 not in allowed:
                yield Hit((start, end), {"word": word})


# text.colloquial ------------------------------------------------------------------------------


@rule(
    "text.colloquial",
    Severity.INFO,
    scope=Scope.ITEM,
    message="“{text}”是口语说法",
    suggestion="{advice}",
)
def colloquial(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Spoken words a written material avoids: a list closed with 等等 reads as if the writer ran out
    of things to say; 公文 close a list with 等 (……等问题), or name what matters and stop."""
    for pattern, advice in params.patterns_to_text("patterns"):
        for match in pattern.finditer(ctx.text):
            yield Hit(match.span(), {"text": match.group(), "advice": advice})


# text.outdated --------------------------------------------------------------------------------


@cache
def _outdated() -> list[tuple[date, re.Pattern[str], str, str]]:
    return [
        (e["from"], re.compile(e["pattern"]), e["reason"], e["advice"]) for e in load_data("outdated.yaml")
    ]


@rule(
    "text.outdated",
    Severity.WARNING,
    scope=Scope.ITEM,
    message="“{text}”{reason}",
    suggestion="{advice}",
)
def outdated(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """References that were current once but not at the meeting date (bot/data/review/outdated.yaml)."""
    as_of = ctx.as_of
    if as_of is None:
        return
    for since, pattern, reason, advice in _outdated():
        if as_of >= since:
            for match in pattern.finditer(ctx.text):
                yield Hit(match.span(), {"text": match.group(), "reason": reason, "advice": advice})


# text.year ------------------------------------------------------------------------------------

_YEAR_MEETING = re.compile(r"(20\d\d)年度?[^，。；]{0,20}?(民主生活会|组织生活会)")
_MEETINGS = ("民主生活会", "组织生活会")


def _claims(text: str) -> tuple[str | None, str | None]:
    """The 年度 and the meeting a piece of text names, if any."""
    match = _YEAR_MEETING.search(text)
    year = match.group(1) if match else None
    named = [(text.find(m), m) for m in _MEETINGS if m in text]
    return year, min(named)[1] if named else None


@rule(
    "text.year.mismatch",
    Severity.ERROR,
    scope=Scope.DOCUMENT,
    message="{first}写的是“{a}”，{second}写的是“{b}”",
    suggestion="核对后统一年度和会议名称",
)
def year_mismatch(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Title, preamble and the chosen material agree on the 年度 and the meeting (民主/组织生活会)."""
    title = ctx.document.title or ""
    preamble = next((s for s in ctx.document.sections if s.heading is None), None)
    intro = preamble.paragraphs[0] if preamble is not None and preamble.paragraphs else ""
    title_year, title_meeting = _claims(title)
    intro_year, intro_meeting = _claims(intro)
    title_year = title_year or (m.group(1) if (m := re.search(r"(20\d\d)年度", title)) else None)
    span = ctx.document.title_span
    pairs = [
        (title_year and intro_year, "导语", f"{intro_year}年度"),
        (title_year and ctx.year is not None, "所选年度", f"{ctx.year}年度"),
    ]
    claim = f"{title_year}年度"
    for present, second, other in pairs:
        if present and other != claim:
            yield Hit(span, {"first": "标题", "a": claim, "second": second, "b": other})
            break
    # A kind guessed from the title is no claim of the user's to hold the title against.
    chosen = ctx.kind.meeting if ctx.kind is not None and not ctx.kind_guessed else None
    meetings = [(intro_meeting, "导语"), (chosen, "所选材料类型")]
    for other_meeting, second in meetings:
        if title_meeting and other_meeting and other_meeting != title_meeting:
            yield Hit(span, {"first": "标题", "a": title_meeting, "second": second, "b": other_meeting})
            break


@rule(
    "text.year.aspects",
    Severity.ERROR,
    scope=Scope.DOCUMENT,
    message="各方面的标题与{other}的方面一致，而材料写的是{year}年度",
    suggestion="按{year}年度的通知重新核对各方面的标题和内容",
)
def year_aspects(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """The aspect headings belong to the material's own year, not to a former year's notice."""
    theme = matching.foreign_theme(ctx)
    if theme is not None and ctx.aspect_blocks:
        first = ctx.aspect_blocks[0].section
        yield Hit(first.heading_span, {"other": theme.title, "year": ctx.year})
