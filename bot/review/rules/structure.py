"""structure.*: the skeleton a reviewer checks first — sections, numbering, headings and aspects."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.document import Section, SectionRole, Span
from bot.numbering import HIERARCHY, RUN_IN_STYLES, MarkerMatch, MarkerStyle, chinese_numeral, find_markers
from bot.numbering import format_marker as fmt
from bot.parsing.parser import ARTIFACT, SIGNATURE
from bot.review import aspects as matching
from bot.review.config import Params
from bot.review.engine import ReviewContext, Scope, rule
from bot.review.findings import Hit, Severity
from bot.review.units import prose_name, sentences, short
from bot.splitter import strip_marker

_NOT_CONTENT = frozenset({ARTIFACT, SIGNATURE})  # debris is text.placeholder's; a signature is fine
_ROLE_ORDER = list(SectionRole)  # the enum lists roles in the canonical order of DOMAIN.md §2
_UNVERIFIED = "（本年度方面的表述未经核实，请以本地通知为准）"
_SHORT = 24
_ALL_STYLES = tuple(MarkerStyle)


def _walk(sections: list[Section], depth: int = 1) -> Iterator[tuple[Section, int]]:
    for section in sections:
        yield section, depth
        yield from _walk(section.subsections, depth + 1)


def _short(text: str, limit: int = _SHORT) -> str:
    return short(text, limit)


def _where(section: Section, depth: int) -> str:
    """How messages name a section: 第二部分, （三）, 第3点, or its heading."""
    return prose_name(section, depth)


# structure.sections ---------------------------------------------------------------------------


def _required(ctx: ReviewContext, params: Params) -> list[tuple[str | None, SectionRole, str, str]]:
    """(draft step key, role, heading, guidance) of the level-1 sections the material must have."""
    if ctx.kind is not None:
        return [
            (s.key, s.role, s.heading, s.guide[0])
            for s in ctx.kind.sections
            if s.required and s.heading is not None and s.role is not SectionRole.OTHER
        ]
    generic = params.mapping("generic_required").items()
    return [(None, SectionRole(role), heading, "") for role, heading in generic]


@rule(
    "structure.sections.missing",
    Severity.ERROR,
    scope=Scope.DOCUMENT,
    message="缺少“{heading}”部分",
    suggestion="补写这一部分。{guide}",
)
def sections_missing(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Each required level-1 section of the kind is present (problems, causes, measures at least),
    unless it is a part of a draft still being written that is empty yet."""
    present = {s.role for s in ctx.document.sections if s.heading is not None}
    for key, role, heading, guide in _required(ctx, params):
        if role not in present and not ctx.still_to_write(key):
            yield Hit(None, {"heading": heading, "guide": guide}, section="全文", subject=heading, step=key)


@rule(
    "structure.sections.order",
    Severity.ERROR,
    scope=Scope.DOCUMENT,
    message="“{heading}”应放在“{before}”之前",
    suggestion="按“上年度整改情况—存在的问题—原因—整改措施”的顺序调整",
)
def sections_order(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Level-1 sections follow the canonical order; a section placed too late is reported once.
    A matter the year's notice asks for besides (八项规定学习教育整改整治情况, 反面典型案例剖析) stands
    where the local notice or habit puts it: a 整改整治 report often beside the 上年度整改 one."""
    furthest: Section | None = None
    for section in ctx.document.sections:
        if section.role in (SectionRole.OTHER, SectionRole.EXTRA):
            continue
        if furthest is not None and _ROLE_ORDER.index(section.role) < _ROLE_ORDER.index(furthest.role):
            yield Hit(section.heading_span, {"heading": section.heading, "before": furthest.heading})
        else:
            furthest = section


@rule(
    "structure.sections.title",
    Severity.WARNING,
    scope=Scope.DOCUMENT,
    message="材料没有标题",
    suggestion="在开头加上标题，{example}",
)
def sections_title(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A material carries a title naming the 年度, the meeting and the kind of material."""
    if ctx.document.title:
        return
    example = "写明年度、会议名称和材料名称"
    if ctx.kind is not None and ctx.year is not None:
        example = f"如“{ctx.kind.title_for(None, None, f'{ctx.year}年度')}”"
    yield Hit(None, {"example": example}, section="标题")


@rule(
    "structure.sections.preamble",
    Severity.WARNING,
    scope=Scope.DOCUMENT,
    message="开头没有导语",
    suggestion="{guide}",
)
def sections_preamble(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Before the first heading, a preamble names the notice and the preparation: the advice is the
    kind's own guide to its 导语 (a 自查自纠报告 holds no meeting to prepare for)."""
    if not any(s.paragraphs for s in ctx.sections(SectionRole.PREAMBLE)):
        sections = ctx.kind.sections if ctx.kind is not None else ()
        spec = next((s for s in sections if s.role is SectionRole.PREAMBLE), None)
        guide = "".join(spec.guide).rstrip("。") if spec is not None and spec.guide else _PREAMBLE_GUIDE
        yield Hit(None, {"guide": guide}, section="导语", step=spec.key if spec is not None else None)


_PREAMBLE_GUIDE = "用一两句话交代依据的通知和会前学习、征求意见、谈心谈话的情况，末句引出正文"
"""What a preamble gives, for a material of no known kind."""


@rule(
    "structure.sections.unplaced",
    Severity.WARNING,
    scope=Scope.DOCUMENT,
    message="这段文字没能归入材料的任何部分",
    suggestion="检查它前面的标题和序号是否完整、层级是否正确",
)
def sections_unplaced(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Text the parser could not place usually sits under a mistyped or missing heading."""
    for unplaced in ctx.result.unplaced:
        if unplaced.reason not in _NOT_CONTENT:
            yield Hit(unplaced.span)


@rule(
    "structure.sections.unsorted",
    Severity.WARNING,
    scope=Scope.DOCUMENT,
    message="导语里的{count}条编号内容（从“{first}”起）没能归入任何部分，材料中也没有{missing}",
    suggestion="在每一部分的第一条前加上它的标题（如“{heading}”），或用一句引语领起（如“{cue}”）",
)
def sections_unsorted(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A numbered list in the preamble of a material missing its problems, causes or measures is
    most likely those parts written without headings or lead sentences (a 发言提纲 in paragraphs):
    say what was left there, and how to mark where each part begins (``leads``: a lead sentence
    for each part, as the parser recognises them)."""
    leads = params.mapping("leads")
    present = {s.role for s in ctx.document.numbered_sections()}
    missing = [SectionRole(role) for role in leads if SectionRole(role) not in present]
    if not missing:
        return
    headings = _headings(ctx, params)
    for preamble in ctx.sections(SectionRole.PREAMBLE):
        spans = tuple(item.span for item in preamble.items if item.span is not None)
        if len(spans) >= params.number("min_items"):
            fields = {
                "count": len(spans),
                "first": _short(preamble.items[0].headline),
                "missing": "、".join(f"“{headings[role]}”" for role in missing),
                "heading": headings[missing[0]],
                "cue": leads[missing[0].value],
            }
            yield Hit(spans[0], fields, places=spans)


def _headings(ctx: ReviewContext, params: Params) -> dict[SectionRole, str]:
    """The heading of each level-1 section as the kind (else ``generic_required``) names it."""
    found = {SectionRole(role): str(heading) for role, heading in params.mapping("generic_required").items()}
    found.update((role, heading) for _, role, heading, _ in _required(ctx, params))
    return found


_NEVER = re.compile(r"(?!)")
MISPLACED = "structure.sections.misplaced"


def told_to_move(ctx: ReviewContext, checked: str, heading: str, point: str) -> bool:
    """Whether ``structure.sections.misplaced`` tells the user to move ``point``, written in the
    section it checks as ``checked`` (headed ``heading``), to another section: the point opens with
    a wording that belongs there by itself (``alone``: a cause opening with 究其原因 among the
    problems). A rule about what such a point lacks as a point of its own section leaves it alone:
    moving it is the advice."""
    if not ctx.config.enabled(MISPLACED):
        return False
    params = ctx.config.params(MISPLACED)
    if checked not in params.nested("checked"):
        return False
    where, alone = params.nested("checked").nested(checked), params.nested("alone")
    opening = strip_marker(point)
    return where.flag("alone") and any(
        target in alone
        and not params.nested("named_by").pattern(target).search(heading)
        and alone.pattern(target).search(opening)
        for target in where.strings("against")
    )


@rule(
    MISPLACED,
    Severity.WARNING,
    scope=Scope.STEP,
    message="{where}里有{count}句应写在“{target}”部分，如“{first}”",
    suggestion="把{these}移到“{target}”部分；{advice}",
)
def sections_misplaced(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Another section's content written in a section (``checked``): causes or measures under
    需要向组织说明的事项 or under the 八项规定学习教育整改整治情况, measures under the causes, causes
    under the problems. Sentences that read as a section's (``belongs``: its wording; ``alone``: a
    wording enough by itself, such as a cause opening with 究其原因) are named with the section they
    belong in (the second kind only in a section checked ``alone``; with ``alone_only``, only it), and the
    checked section's advice says what goes there instead. A heading that also names the other
    section ("原因及整改措施", ``named_by``) holds both, so nothing in it is out of place."""
    checked, belongs, named_by = params.nested("checked"), params.nested("belongs"), params.nested("named_by")
    alone = params.nested("alone")
    headings = _headings(ctx, params)
    for name in params.mapping("checked"):
        where = checked.nested(name)
        for found in ctx.blocks(SectionRole(where.text("role") if "role" in where else name)):
            if "heading" in where and not where.pattern("heading").search(found.heading):
                continue
            said = sentences(found.body, found.body_span[0])
            for target in where.strings("against"):
                if named_by.pattern(target).search(found.heading):
                    continue
                cued = alone.pattern(target) if where.flag("alone") and target in alone else _NEVER
                pattern = _NEVER if where.flag("alone_only") else belongs.pattern(target)
                marks = [(span, bool(cued.search(strip_marker(words)))) for span, words in said]
                spans = tuple(
                    span
                    for (span, by_itself), (_, words) in zip(marks, said, strict=True)
                    if by_itself or pattern.search(words)
                )
                enough = any(by_itself for _, by_itself in marks)
                if spans and (enough or len(spans) >= params.number("min_sentences")):
                    fields = {
                        "where": f"“{found.heading}”",
                        "count": len(spans),
                        "target": headings[SectionRole(target)],
                        "these": "这一句" if len(spans) == 1 else "这几句",
                        "first": _short(strip_marker(ctx.text[spans[0][0] : spans[0][1]]).rstrip("。；;")),
                        "advice": where.text("advice"),
                    }
                    yield Hit(spans[0], fields, places=spans)


# structure.numbering --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Slip:
    kind: str  # start | duplicate | gap
    marker: MarkerMatch
    expected: int
    previous: MarkerMatch | None
    where: str


def _shifted(markers: list[MarkerMatch], offset: int) -> list[MarkerMatch]:
    return [m.moved(m.start + offset, m.end + offset) for m in markers]


def _inline(ctx: ReviewContext, start: int, end: int) -> Iterator[list[MarkerMatch]]:
    """Lists inside running text between two offsets, one per device: inline 一是/第一，and lines
    nested in an item (1. under （一）).

    A lone run-in marker after a comma is prose ("工作有两面，二是其中一面"); after a full stop it is
    a point whose list lost its beginning, which structure.numbering.start reports.
    """
    by_style: dict[MarkerStyle, list[MarkerMatch]] = {}
    for marker in find_markers(ctx.text[start:end], _ALL_STYLES):
        by_style.setdefault(marker.style, []).append(marker)
    for markers in by_style.values():
        lone = len(markers) == 1 and markers[0].start > 0
        if not (lone and ctx.text[start + markers[0].start - 1] in "，,、"):
            yield _shifted(markers, start)


def _sibling_groups(ctx: ReviewContext) -> Iterator[tuple[str, list[MarkerMatch], bool, bool]]:
    """(where, markers, restarts_at_one, points) for every run of sibling markers in the material;
    ``points`` for a list of points (not of headings, nor one inside a point of the same device,
    which structure.numbering.nested names)."""
    yield "一级标题", [s.marker for s in ctx.document.sections if s.marker is not None], False, False
    for section, depth in _walk(ctx.document.sections):
        where = _where(section, depth)
        yield where, [s.marker for s in section.subsections if s.marker is not None], False, False
        by_style: dict[MarkerStyle, list[MarkerMatch]] = {}
        texts = []
        for item in section.items:
            if item.marker is not None:
                by_style.setdefault(item.marker.style, []).append(item.marker)
            if item.span is not None:
                opening = item.marker.end if item.marker is not None else item.span[0]
                texts.append((opening, item.span[1], item))
        for markers in by_style.values():  # under no heading (the 导语), "一是" again begins a new list
            yield where, markers, section.heading is None, True
        for markers in _paragraph_lists(ctx, section.paragraph_spans):
            yield where, markers, True, True
        for start, end, item in texts:
            for markers in _inline(ctx, start, end):
                nested = item.marker is not None and item.marker.style is markers[0].style
                yield where, _run_on(item.marker, markers), True, not nested


def _run_on(own: MarkerMatch | None, markers: list[MarkerMatch]) -> list[MarkerMatch]:
    """An item's inline list of its own device going on from its own number is one list with it:
    （一）理想信念有所松懈。（二）党性修养有所放松。 written on one line lacks no （一）."""
    first = markers[0]
    if own is not None and own.style is first.style and first.number == own.number + 1:
        return [own, *markers]
    return markers


def _paragraph_lists(ctx: ReviewContext, spans: list[Span]) -> Iterator[list[MarkerMatch]]:
    """The lists in a section's paragraphs. A list that opens its paragraph goes on from the list of
    its style that opened an earlier paragraph: "一是…" and "二是…" written as two paragraphs (as a text
    section of a draft keeps them) are one list, not a second one that lacks its "一是". One that
    opens at "一是" again begins a list of its own: the problems, the causes and the measures of an
    outline without headings are three lists, not one with "一是" after "三是"."""
    running: dict[MarkerStyle, list[MarkerMatch]] = {}
    for start, end in spans:
        for markers in _inline(ctx, start, end):
            if markers[0].start != start:
                yield markers
                continue
            style = markers[0].style
            if markers[0].number == 1 and style in running:
                yield running.pop(style)
            running.setdefault(style, []).extend(markers)
    yield from running.values()


def _lists(markers: list[MarkerMatch], restarts: bool) -> Iterator[list[MarkerMatch]]:
    """The lists a run of sibling markers holds: one, or, where a list may begin again, one from
    each marker numbered one."""
    current: list[MarkerMatch] = []
    for marker in markers:
        if current and restarts and marker.number == 1:
            yield current
            current = []
        current.append(marker)
    if current:
        yield current


def _lone(ctx: ReviewContext) -> list[tuple[str, MarkerMatch]]:
    """(where, marker) for every list of points numbered with nothing but its first marker: a
    list of one point, which a material writes without its 一是 (the draft's outline prints none)."""

    def compute() -> list[tuple[str, MarkerMatch]]:
        return [
            (where, found[0])
            for where, markers, restarts, points in _sibling_groups(ctx)
            if points
            for found in _lists(markers, restarts)
            if len(found) == 1 and found[0].number == 1 and found[0].style in RUN_IN_STYLES
        ]

    return ctx.memo("structure.numbering.lone", compute)


def _slips(ctx: ReviewContext) -> list[_Slip]:
    def compute() -> list[_Slip]:
        out = []
        for where, markers, restarts, _ in _sibling_groups(ctx):
            previous: MarkerMatch | None = None
            for marker in markers:
                if previous is None or (restarts and marker.number == 1):
                    if marker.number != 1:
                        out.append(_Slip("start", marker, 1, None, where))
                elif marker.number == previous.number:
                    out.append(_Slip("duplicate", marker, marker.number + 1, previous, where))
                elif marker.number != previous.number + 1:
                    out.append(_Slip("gap", marker, previous.number + 1, previous, where))
                previous = marker
        return out

    return ctx.memo("structure.numbering", compute)


def _slip_hits(ctx: ReviewContext, kind: str) -> Iterator[Hit]:
    for slip in _slips(ctx):
        if slip.kind == kind:
            style = slip.marker.style
            fields = {
                "where": slip.where,
                "found": fmt(style, slip.marker.number),
                "expected": fmt(style, slip.expected),
                "previous": fmt(style, slip.previous.number) if slip.previous else "",
            }
            yield Hit(slip.marker.span, fields)


@rule(
    "structure.numbering.start",
    Severity.ERROR,
    scope=Scope.STEP,
    message="{where}的列举从“{found}”开始，缺少“{expected}”",
    suggestion="补上“{expected}”一项，或把序号从“{expected}”起依次改正",
)
def numbering_start(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Every list starts at one: 一、 / （一） / 1. / 一是."""
    return _slip_hits(ctx, "start")


@rule(
    "structure.numbering.duplicate",
    Severity.ERROR,
    scope=Scope.STEP,
    message="{where}的序号“{found}”重复了",
    suggestion="后一个“{found}”应为“{expected}”，其后的序号依次顺延",
)
def numbering_duplicate(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """No number is used twice in a row among siblings (二、 … 二、)."""
    return _slip_hits(ctx, "duplicate")


@rule(
    "structure.numbering.gap",
    Severity.ERROR,
    scope=Scope.STEP,
    message="{where}的序号“{previous}”之后是“{found}”，应为“{expected}”",
    suggestion="按顺序改正序号，或补上缺少的一项",
)
def numbering_gap(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Sibling numbers are consecutive: no skipped or backwards numbers."""
    return _slip_hits(ctx, "gap")


@rule(
    "structure.numbering.lone",
    Severity.INFO,
    scope=Scope.STEP,
    message="{where}的列举只有“{found}”，没有“{next}”",
    suggestion="只有一点的不用编号，删去“{found}”；还有其他几点的，接着写“{next}”",
)
def numbering_lone(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A list of points numbered 一是 (第一，) has a 二是: one point alone is written without it."""
    for where, marker in _lone(ctx):
        fields = {"where": where, "found": marker.text, "next": fmt(marker.style, 2)}
        yield Hit(marker.span, fields)


@rule(
    "structure.numbering.nested",
    Severity.WARNING,
    scope=Scope.STEP,
    message="{where}的“{own}”这一条里又用“{inner}”列举，和条目的序号是同一种写法，层次分不清",
    suggestion="条目里的几点换一种写法，如“一方面……另一方面……”，或分开写成几条",
)
def numbering_nested(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A point numbered 一是 that lists its particulars with 一是、二是 again reads as two lists run
    together (一是服务意识不强。一是……；二是……。二是……): an inner list takes another device. Once
    per point; a list going on from the point's own number (（一）……。（二）……) is one list."""
    for section, depth in _walk(ctx.document.sections):
        for item in section.items:
            if item.marker is None or item.span is None:
                continue
            for markers in _inline(ctx, item.marker.end, item.span[1]):
                if markers[0].style is item.marker.style and markers[0].number == 1:
                    inner = "、".join(m.text for m in markers[:2])
                    fields = {"where": _where(section, depth), "own": item.marker.text, "inner": inner}
                    yield Hit(markers[0].span, fields)
                    break


# structure.brackets / structure.style ---------------------------------------------------------


@rule(
    "structure.brackets",
    Severity.WARNING,
    scope=Scope.STEP,
    message="序号“{found}”用了半角括号",
    suggestion="改为全角“{fixed}”",
)
def brackets(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Bracketed numbers use full-width brackets: （一） not (一)."""
    for marker in ctx.markers:
        if marker.half_width:
            yield Hit(marker.span, {"found": marker.text, "fixed": fmt(marker.style, marker.number)})


_NUMERAL = re.compile(r"[0-9０-９]+|[一二三四五六七八九十百]+")
_FULL_BRACKETS = str.maketrans("()", "（）")


def _form(marker: MarkerMatch) -> str:
    """The marker's shape with its number and bracket width ignored: ``（#）``, ``#.``, ``#、``."""
    return _NUMERAL.sub("#", marker.text).translate(_FULL_BRACKETS)


def _sibling_sets(ctx: ReviewContext) -> list[tuple[str, int, list[MarkerMatch]]]:
    """(where, depth of the markers, markers) for the headings and the items of every section;
    worked out once per review for the structure.style rules."""

    def compute() -> list[tuple[str, int, list[MarkerMatch]]]:
        found = [("一级标题", 1, [s.marker for s in ctx.document.sections if s.marker is not None])]
        for section, depth in _walk(ctx.document.sections):
            where = _where(section, depth)
            found.append((where, depth + 1, [s.marker for s in section.subsections if s.marker is not None]))
            found.append((where, depth + 1, [i.marker for i in section.items if i.marker is not None]))
        return found

    return ctx.memo("structure.sibling_sets", compute)


@rule(
    "structure.style.mixed",
    Severity.WARNING,
    scope=Scope.STEP,
    message="{where}下同一层级混用了“{first}”和“{other}”两种序号",
    suggestion="同一层级统一用一种序号，如都用“{first}”这种写法",
)
def style_mixed(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Siblings share one numbering device and one way of writing it (not 1. beside 2、)."""
    for where, _, markers in _sibling_sets(ctx):
        if not markers:
            continue
        first = markers[0]
        for marker in markers[1:]:
            if marker.style is not first.style or _form(marker) != _form(first):
                yield Hit(marker.span, {"where": where, "first": first.text, "other": marker.text})
                break


@rule(
    "structure.style.skip",
    Severity.WARNING,
    scope=Scope.DOCUMENT,
    message="{where}下直接用了“{found}”，跳过了“{expected}”这一层{more}",
    suggestion="改用“{expected}”这一层的序号，或补齐中间的层级",
)
def style_skip(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Heading levels go 一、 → （一） → 1. → （1） without skipping one (GB/T 9704 §7.3.3).

    Reported once for the material, with a count: a skipped level is usually skipped throughout.
    A part a lead sentence opens (a 发言提纲's "对照检查，我主要存在以下问题：") has no heading level
    for its list to skip: 1. under it is as good as （一）.
    """
    led = {_where(s, d) for s, d in _walk(ctx.document.sections) if s.marker is None and _is_lead(s.heading)}
    skips = [
        (where, depth, marker)
        for where, depth, markers in _sibling_sets(ctx)
        if depth <= len(HIERARCHY) and where not in led
        for marker in markers[:1]
        if marker.style in HIERARCHY and HIERARCHY.index(marker.style) > depth - 1
    ]
    if skips:
        where, depth, marker = skips[0]
        more = f"（共{len(skips)}处）" if len(skips) > 1 else ""
        fields = {"where": where, "found": marker.text, "expected": fmt(HIERARCHY[depth - 1], marker.number)}
        yield Hit(marker.span, {**fields, "more": more})


def _is_lead(heading: str | None) -> bool:
    """A part's heading that is a lead sentence introducing a list: it ends with a colon."""
    return heading is not None and heading.rstrip().endswith(("：", ":"))


@rule(
    "structure.style.form",
    Severity.INFO,
    scope=Scope.DOCUMENT,
    message="序号“{found}”的写法不规范（共{count}处）",
    suggestion="按公文格式写作“{fixed}”",
)
def style_form(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Arabic heading numbers take a full stop, 1. rather than 1、; reported once for the material."""
    odd = [m for m in ctx.markers if m.style is MarkerStyle.LEVEL3 and m.text.endswith("、")]
    if odd:
        first = odd[0]
        yield Hit(
            first.span, {"found": first.text, "count": len(odd), "fixed": fmt(first.style, first.number)}
        )


@rule(
    "structure.empty",
    Severity.ERROR,
    scope=Scope.STEP,
    message="“{heading}”下面没有内容",
    suggestion="补写内容；确实没有需要说明的，写明情况或删去这个标题",
)
def empty(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """No heading stands without content (the empty parts of a draft still being written are not done
    yet, rather than left empty)."""
    for section, _ in _walk(ctx.document.sections):
        if section.heading is not None and section.is_empty() and not ctx.still_to_write(section.key):
            yield Hit(section.heading_span or section.span, {"heading": _short(section.heading)})


# structure.aspects ----------------------------------------------------------------------------


def _aspect_checks_apply(ctx: ReviewContext) -> bool:
    """Expected aspects are known and the headings are not simply another year's (text.year.aspects)."""
    return bool(ctx.aspects) and matching.foreign_theme(ctx) is None


def _note(soft: bool) -> str:
    return _UNVERIFIED if soft else ""


def _problems_heading(ctx: ReviewContext) -> Span | None:
    sections = ctx.sections(SectionRole.PROBLEMS)
    return sections[0].heading_span if sections else None


@rule(
    "structure.aspects.missing",
    Severity.ERROR,
    scope=Scope.DOCUMENT,
    message="缺少{label}要求的{which}",
    suggestion="按通知补上，放在相应的位置。{note}",
)
def aspects_missing(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Every aspect of the year has its own heading under 存在的主要问题."""
    if not _aspect_checks_apply(ctx) or not ctx.sections(SectionRole.PROBLEMS):
        return
    assignment = matching.own_assignment(ctx)
    anchor = _problems_heading(ctx)
    if not ctx.aspect_blocks:
        soft = not all(a.verified for a in ctx.aspects)
        which = f"分方面查摆：应按{len(ctx.aspects)}个方面分别列出问题"
        yield Hit(anchor, {"label": ctx.aspects_label, "which": which, "note": _note(soft)}, soft=soft)
        return
    if not any(i is not None for i in assignment):
        return  # structure.aspects.unmatched
    for index, aspect in enumerate(ctx.aspects):
        if index not in assignment:
            which = f"第{chinese_numeral(index + 1)}个方面：“{_short(aspect.text, 30)}”"
            fields = {"label": ctx.aspects_label, "which": which, "note": _note(not aspect.verified)}
            yield Hit(anchor, fields, soft=not aspect.verified)


@rule(
    "structure.aspects.unmatched",
    Severity.ERROR,
    scope=Scope.DOCUMENT,
    message="各方面的标题与{label}的{n}个方面都对不上",
    suggestion="核对材料所属的年度和本地通知，按通知列出的方面逐一查摆。{note}",
)
def aspects_unmatched(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """The aspect headings follow the year's aspects at all (one finding instead of one per aspect)."""
    headed = _aspect_checks_apply(ctx) and ctx.aspect_blocks
    if headed and not any(i is not None for i in matching.own_assignment(ctx)):
        soft = not all(a.verified for a in ctx.aspects)
        fields = {"label": ctx.aspects_label, "n": len(ctx.aspects), "note": _note(soft)}
        yield Hit(_problems_heading(ctx), fields, soft=soft)


@rule(
    "structure.aspects.extra",
    Severity.WARNING,
    scope=Scope.DOCUMENT,
    message="“{heading}”不是{label}要求的方面",
    suggestion="核对本地通知；不属于这些方面的内容可并入相近的方面，需要说明的事项可单列一部分。{note}",
)
def aspects_extra(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """No aspect heading falls outside the year's aspects."""
    if not _aspect_checks_apply(ctx):
        return
    soft = not all(a.verified for a in ctx.aspects)
    assignment = matching.own_assignment(ctx)
    if not any(i is not None for i in assignment):
        return  # structure.aspects.unmatched
    for block, index in zip(ctx.aspect_blocks, assignment, strict=True):
        if index is None:
            fields = {"heading": _short(block.heading), "label": ctx.aspects_label, "note": _note(soft)}
            yield Hit(block.section.heading_span, fields, soft=soft)


@rule(
    "structure.aspects.order",
    Severity.WARNING,
    scope=Scope.DOCUMENT,
    message="{where}对应通知的第{n}个方面，顺序与通知不一致",
    suggestion="按通知列出的顺序排列各方面",
)
def aspects_order(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """Aspects appear in the notice's order."""
    if not _aspect_checks_apply(ctx):
        return
    last = -1
    for block, index in zip(ctx.aspect_blocks, matching.own_assignment(ctx), strict=True):
        if index is None:
            continue
        if index < last:
            where = prose_name(block.section, block.depth)
            yield Hit(block.section.heading_span, {"where": where, "n": chinese_numeral(index + 1)})
        last = max(last, index)


@rule(
    "structure.aspects.wording",
    Severity.WARNING,
    scope=Scope.DOCUMENT,
    message="{where}的标题与通知表述有出入：“{wrong}”应为“{right}”",
    suggestion="对照通知原文逐字核对这一标题。{note}",
)
def aspects_wording(ctx: ReviewContext, params: Params) -> Iterator[Hit]:
    """A heading quoting an aspect nearly verbatim quotes it exactly (slips such as a dropped 思)."""
    if not _aspect_checks_apply(ctx):
        return
    verbatim = params.number("verbatim")
    for block, index in zip(ctx.aspect_blocks, matching.own_assignment(ctx), strict=True):
        if index is None:
            continue
        aspect = ctx.aspects[index]
        if not verbatim <= matching.score(block.heading, aspect.text).ratio < 1:
            continue
        diffs = matching.differences(block.heading, aspect.text)
        if diffs:
            wrong, right = diffs[0]
            where = prose_name(block.section, block.depth)
            fields = {"where": where, "wrong": wrong, "right": right, "note": _note(not aspect.verified)}
            yield Hit(block.section.heading_span, fields, soft=not aspect.verified)
