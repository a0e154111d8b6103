"""The rule registry, the context rules read, and running a review.

A rule is a small function registered with ``@rule(id, severity, scope=…, message, suggestion)``; it
reads a ``ReviewContext`` and yields ``Hit``s, and the engine turns those into ``Finding``s: message
and suggestion templates filled from the hit's fields, severity from the configuration, a locator
("二、存在的主要问题 / （三）… / 第2条") from the span. Keeping the wording in the registration puts
every message a user can see next to its id, and keeps rule bodies about detection only; the scope
declares how much of the material a hit depends on, which says when the chat runs the rule.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import importlib
import re
import string
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, cast

from bot.document import Document, Item, Section, SectionRole, Span
from bot.numbering import MarkerMatch
from bot.review.config import Params, ReviewConfig, load_config
from bot.review.findings import Finding, Hit, Place, Severity
from bot.review.tokens import Token, tokenizer
from bot.review.units import Block, Unit, block, marker_label, points, short
from bot.texts import quoted, short_heading

if TYPE_CHECKING:
    from bot.catalog import AspectSpec, Catalog, KindSpec, ThemeSpec
    from bot.parsing.capture import Repair

RULE_MODULES = ("structure", "text", "capture", "kinds", "problems", "causes", "measures", "misc")
"""Modules under ``bot.review.rules``; importing one registers its rules."""

_T = TypeVar("_T")
Voice = Literal["first_person", "team", "either"]

_YEAR = re.compile(r"(20\d\d)年度")
_SNIPPET = 40
_LOCATOR_HEADING = 14
_HEADING_STOPS = "。．.：:；;，, "
_ITEM_WORDS = 12
# Characters both segmenters treat as separators, never as part of a word (unlike ASCII . - _ % + # &).
_SEGMENT_BREAKS = " \t\n\r\u3000。，、；：？！“”‘’（）《》【】…—,;:?!()\"'"
_WORD_RUN = re.compile(f"[^{re.escape(_SEGMENT_BREAKS)}]+")
# Words in a title that name the kind of material, most specific first (used when no kind is given):
# every word of a cue must appear.
_KIND_CUES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("自查自纠",), "self_inspection"),
    (("整改落实情况报告",), "rectification_report"),
    (("整改情况报告",), "rectification_report"),
    (("整改落实情况的报告",), "rectification_report"),  # …关于…查摆问题整改落实情况的报告
    (("整改情况的报告",), "rectification_report"),
    (("民主生活会", "发言提纲"), "personal_dsh"),  # a leader's 民主生活会发言提纲 is a personal material
    (("发言提纲",), "member_zzsh"),
    (("个人", "组织生活会"), "member_zzsh"),
    (("支部", "组织生活会"), "branch_zzsh"),
    (("班子", "组织生活会"), "branch_zzsh"),
    (("班子",), "team_dsh"),
    (("组织生活会",), "member_zzsh"),
    (("民主生活会",), "personal_dsh"),
)
_PREAMBLE_MEETINGS = (("民主生活会", "dsh"), ("组织生活会", "zzsh"))
_FIRST_PERSON = re.compile(
    r"我(?![们党镇县市区省局委乡村校院所厂处科办馆站队部支司行社团]|单位|街道|中心)|本人(?!组织关系)"
)
"""I, not 我们, 我党 nor the 我镇/我局/我校 an office writes for its unit; nor the 本人 of the talks a
team holds with members of each one's own branch (与本人组织关系所在党支部党员代表谈心谈话)."""
# Titles of texts that are not 对照检查材料 at all (checked when no kind is given and none is guessed):
# for these only the text rules run.
_GENRES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"心得|体会|感悟|读后感|研讨发言"), "心得体会"),
    (re.compile(r"通报"), "通报"),
    (re.compile(r"总结$|总结报告|工作总结"), "工作总结"),
    (re.compile(r"(?:情况|工作)(?:的)?报告$|汇报$"), "情况报告"),
)
GENRE_FAMILIES = frozenset({"text", "capture", "kind"})
"""Rule families that run on a text recognised as not being a 对照检查材料."""
KIND_BOUND = frozenset(
    {
        "structure.sections.missing",
        "structure.sections.order",
        "structure.aspects.missing",
        "structure.aspects.unmatched",
        "text.year.aspects",
    }
)
"""Rules whose errors are judged against the kind; with a guessed kind they are warnings at most."""
_MEETING_FAMILIES = (("民主生活会", "dsh"), ("组织生活会", "zzsh"))


class Parsed(Protocol):
    """What the review needs of a parse result (``bot.parsing.ParseResult`` provides it)."""

    @property
    def text(self) -> str: ...

    @property
    def document(self) -> Document: ...

    @property
    def unplaced(self) -> Sequence[_Unplaced]: ...

    @property
    def markers(self) -> Sequence[MarkerMatch]: ...

    @property
    def byline_span(self) -> Span | None: ...

    def locate(self, offset: int) -> tuple[Section | None, Section | None, Item | None]: ...


class _Unplaced(Protocol):
    @property
    def span(self) -> Span: ...

    @property
    def text(self) -> str: ...

    @property
    def reason(self) -> str: ...


Check = Callable[["ReviewContext", Params], Iterable[Hit]]


class Scope(StrEnum):
    """How much of the material a rule's hits depend on, declared where the rule is registered.

    ``ITEM``: a hit inside an item depends on that item's own text and on fixed context only (the
    kind, the year, the catalog, the earlier material: the user's previous materials and the
    上年度 section), so a review of a document holding just that item, numbered where it stands,
    finds in it what the review of the whole material finds (``tests/test_review_scope.py`` holds
    every ITEM rule to that). ``STEP``: a hit depends on the section or aspect it is in (the
    numbering, counts and aggregates over its items, comparisons between them). ``DOCUMENT``: on
    the whole material (the sections and aspects present, the length, the 年度, problems against
    measures or causes). The note after an item answer runs the ITEM rules on the new items, the
    note on a finished or text step the ITEM and STEP rules on the step, /check everything.
    """

    ITEM = "item"
    STEP = "step"
    DOCUMENT = "document"


@dataclass(frozen=True)
class RuleSpec:
    """A registered rule; ``family`` is the first part of its id (``text`` for ``text.terms``)."""

    id: str
    severity: Severity
    scope: Scope
    message: str
    suggestion: str
    check: Check
    fix_in: SectionRole | None = None

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()


_REGISTRY: dict[str, RuleSpec] = {}


def rule(
    rule_id: str,
    severity: Severity,
    *,
    scope: Scope,
    message: str,
    suggestion: str,
    fix_in: SectionRole | None = None,
) -> Callable[[Check], Check]:
    """Register a check under ``rule_id``; templates use ``str.format`` fields from each hit.
    ``fix_in`` names the part where the fix is written when that is not where the finding is (a
    measure for a problem without one): the chat's 去修改 goes there (``Finding.fix_in``)."""

    def register(check: Check) -> Check:
        if rule_id in _REGISTRY:
            raise ValueError(f"rule '{rule_id}' registered twice")
        _REGISTRY[rule_id] = RuleSpec(rule_id, severity, scope, message, suggestion, check, fix_in)
        return check

    return register


def registry() -> Mapping[str, RuleSpec]:
    """All rules, importing the rule modules on first use."""
    _import_rules()
    return _REGISTRY


@functools.cache
def scoped(*scopes: Scope) -> Mapping[str, RuleSpec]:
    """The registered rules of ``scopes``, in registration order (asked for after every answer)."""
    return {key: spec for key, spec in registry().items() if spec.scope in scopes}


PLACE_FIELDS = frozenset({"where", "which"})
"""Message fields that name the finding's own place: ``where`` the part or aspect (（三）, 第二部分,
“产生问题的原因”), ``which`` its items (中的第二条). No other field may say where the finding is."""


def names_its_place(rule_id: str) -> bool:
    """Whether the rule's message names the place it is about itself ((一)有一段…, 整改措施中的第二条…),
    so that nothing else names it again."""
    spec = registry().get(rule_id)
    return spec is not None and any(
        name in PLACE_FIELDS for _, name, _, _ in string.Formatter().parse(spec.message)
    )


@functools.cache
def _import_rules() -> None:
    """Once: every review asks for the registry."""
    for name in RULE_MODULES:
        importlib.import_module(f"bot.review.rules.{name}")


@dataclass(frozen=True)
class ExpectedAspect:
    """An aspect the material should cover; unverified wording softens the checks on it."""

    text: str
    verified: bool = True


def _peers(peers: Mapping[str, Sequence[str]] | None) -> dict[str, tuple[str, ...]]:
    """The other materials' texts by the role of the section they are in (``SectionRole`` values)."""
    return {str(role): tuple(texts) for role, texts in (peers or {}).items()}


class ReviewContext:
    """Everything a rule may read, computed at most once per review and only when asked for.

    ``kind_guessed_from`` says where the kind was read from (标题, else 导语) when the user did not give
    it; ``genre`` names what the text is when it is not a 对照检查材料 at all (工作总结, 心得体会…).
    ``capture`` is the repair of copy damage when the rules read a repaired text (bot.parsing.capture);
    spans then point into the repaired text and the engine maps them back. ``previous`` holds the texts of
    the user's own earlier materials, for spotting problems copied from them; ``peers`` the problems,
    causes and measures of the other materials handed in with this one (a review batch), for spotting
    copying between them without saying whose they are. ``unwritten`` holds the keys of the steps of a
    draft still being written that are empty yet (``problems.3``, ``causes``): rules about what is absent
    do not count them against the material. ``config`` is the configuration the review runs with, for
    a rule that leaves to another what that one reports (``rules.structure.told_to_move``).
    """

    def __init__(
        self,
        result: Parsed,
        *,
        kind: KindSpec | None = None,
        year: int | None = None,
        meeting_date: date | None = None,
        aspects: Sequence[ExpectedAspect] = (),
        aspects_label: str = "",
        unlinked_problems: Sequence[str] | None = None,
        guessed_problems: Sequence[str] = (),
        catalog: Catalog | None = None,
        kind_guessed_from: str | None = None,
        genre: str | None = None,
        capture: Repair | None = None,
        previous: Sequence[str] = (),
        peers: Mapping[str, Sequence[str]] | None = None,
        unwritten: Collection[str] = (),
    ) -> None:
        self.result = result
        # Judgement sentences of problems no measure is linked to; None where links are unknown
        # (an uploaded document), so measures.coverage falls back to matching topics.
        self.unlinked_problems = unlinked_problems
        # Judgement sentences of problems the proposed links pair with a measure by the aspect order
        # alone (bot.links.guessed), until the user confirms or changes the links.
        self.guessed_problems = tuple(guessed_problems)
        self.text = result.text
        self.document = result.document
        self.kind = kind
        self.year = year
        self.meeting_date = meeting_date
        self.aspects = tuple(aspects)
        self.aspects_label = aspects_label
        self.kind_guessed_from = kind_guessed_from
        self.genre = genre
        self.capture = capture
        self.previous = tuple(previous)
        self.peers = _peers(peers)
        self.unwritten = frozenset(unwritten)
        self.config = default_config()
        self._catalog = catalog
        self._memo: dict[str, object] = {}
        self._segmented: dict[Span, list[Token]] = {}

    @property
    def kind_guessed(self) -> bool:
        """The kind is the review's reading of the text, not the user's claim."""
        return self.kind_guessed_from is not None

    @property
    def catalog(self) -> Catalog:
        """The catalog the review was given, else the packaged one."""
        if self._catalog is None:
            from bot.catalog import load_catalog

            self._catalog = load_catalog()
        return self._catalog

    def still_to_write(self, key: str | None) -> bool:
        """Whether the draft step ``key`` (or, for a section asked per aspect, one of its aspects)
        is still to be written: no fault yet that it is empty."""
        if key is None:
            return False
        return key in self.unwritten or any(k.startswith(f"{key}.") for k in self.unwritten)

    def memo(self, key: str, compute: Callable[[], _T]) -> _T:
        """A value several rules share (e.g. the aspect matching), computed once per review."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(_T, self._memo[key])

    @cached_property
    def markers(self) -> list[MarkerMatch]:
        """Every numbering marker the parser found or placed in the tree, once each, in order."""
        found = {m.start: m for m in self.result.markers}
        stack = list(self.document.sections)
        while stack:
            section = stack.pop()
            stack.extend(section.subsections)
            owners: list[Section | Item] = [section, *section.items]
            for owner in owners:
                if owner.marker is not None:
                    found.setdefault(owner.marker.start, owner.marker)
        return sorted(found.values(), key=lambda m: m.start)

    def stretch(self, offset: int) -> Span:
        """The run of text around ``offset`` between characters no word contains (punctuation, spaces)."""
        runs = self._runs
        index = bisect.bisect_right(runs, (offset, len(self.text) + 1)) - 1
        run = runs[index] if index >= 0 else None
        start = run[0] if run is not None and run[0] < offset <= run[1] else offset
        end = run[1] if run is not None and run[0] <= offset < run[1] else offset
        return start, end

    @cached_property
    def _runs(self) -> list[Span]:
        """The maximal runs of characters words are made of, in order."""
        return [m.span() for m in _WORD_RUN.finditer(self.text)]

    def segment(self, span: Span) -> list[Token]:
        """Words lying inside ``span`` (bot.review.tokens), with offsets into the text.

        Only the stretches ``span`` touches are segmented, each once, so the words are those a
        segmentation of the whole text would give while a review segments just what its rules compare.
        """
        start, end = self.stretch(span[0])[0], self.stretch(span[1])[1]
        tokens = self._segmented.get((start, end))
        if tokens is None:
            tokens = [(w, start + a, start + b) for w, a, b in tokenizer()(self.text[start:end])]
            self._segmented[(start, end)] = tokens
        return [t for t in tokens if t[1] >= span[0] and t[2] <= span[1]]

    def words(self, span: Span) -> list[str]:
        """The words of ``segment(span)``."""
        return [word for word, _, _ in self.segment(span)]

    def sections(self, role: SectionRole) -> list[Section]:
        return [s for s in self.document.sections if s.role is role]

    def named(self, role: SectionRole) -> str:
        """How a message names the section of ``role``, as the material heads it (its own heading,
        else the kind's): by its usual name (``SECTION_NAMES``) where the heading says what that
        section usually is (整改措施 in 努力方向和整改措施, 上年度 in 上年度民主生活会查摆问题整改落实
        情况), else by that heading, quoted, as a 整改落实情况报告 heads its measures “下一步工作打算”
        and this year's rectification “查摆问题整改落实情况”: the user looks for the part named."""
        mark, usual = SECTION_NAMES[role]
        written = [s.heading for s in self.sections(role)]
        kinds = [s.heading for s in self.kind.sections if s.role is role] if self.kind else []
        heading = next((h.rstrip("。：:；; ") for h in [*written, *kinds] if h), mark)
        return usual if mark in heading else quoted(short(heading, 10))

    def blocks(self, role: SectionRole) -> list[Block]:
        """Each section of ``role`` as one block (built once per review: several rules read them)."""
        return self.memo(f"blocks.{role}", lambda: self._blocks(role))

    def _blocks(self, role: SectionRole) -> list[Block]:
        return [b for s in self.sections(role) if (b := block(s, self.text)) is not None]

    @cached_property
    def aspect_blocks(self) -> list[Block]:
        """The headed aspects (sub-sections) of 存在的主要问题, in order."""
        subsections = [sub for s in self.sections(SectionRole.PROBLEMS) for sub in s.subsections]
        return [b for s in subsections if (b := block(s, self.text, depth=2)) is not None]

    @cached_property
    def problem_aspects(self) -> list[Block]:
        """The aspects of 存在的主要问题, or each such section as one block when it has no aspects."""
        return self.aspect_blocks or self.blocks(SectionRole.PROBLEMS)

    def points(self, role: SectionRole) -> list[Unit]:
        """Points of the sections of ``role``: items or sub-headings, else one per paragraph."""
        return [u for s in self.sections(role) for u in points(s, self.text, whole_body=False)]

    @cached_property
    def voice(self) -> Voice:
        """Who the material speaks for: from the kind, else from the title."""
        if self.kind is not None:
            return self.kind.voice
        title = self.document.title or ""
        if "班子" in title:
            return "team"
        return "first_person" if "个人" in title or "发言提纲" in title else "either"

    @property
    def as_of(self) -> date | None:
        """The date the material is read at: the meeting date, else 1 January after the 年度."""
        if self.meeting_date is not None:
            return self.meeting_date
        return date(self.year + 1, 1, 1) if self.year is not None else None

    def place(self, span: Span | None, step: str | None = None) -> Place:
        """The section or aspect and the item ``span`` starts in, by key and id; without a span, in
        a draft, the section ``step`` names."""
        if span is None:
            return Place(step) if step is not None and self.document.typed else Place()
        level1, level2, item = self.result.locate(span[0])
        holder = level2 or level1
        return Place(holder.key if holder is not None else None, item.id if item is not None else None)

    def locator(self, span: Span | None) -> str | None:
        """``二、存在的主要问题 / （三）在带头践行以人民…方面 / 第2条“工作作风不够扎实…”`` for ``span``.

        Every heading level the span lies under is named (``1.``/``（1）`` ones too), then the
        item within the innermost one. The one wording of a place that every output uses (the chat,
        the terminal, JSON), so a finding is named alike wherever it is shown.
        """
        if span is None:
            return None
        path = _containing(self.document.sections, span[0])
        parts = [
            _short_heading(s) if s.heading is not None else "导语"
            for s in path
            if s.heading is not None or s.role is SectionRole.PREAMBLE
        ]
        siblings = path[-1].numbered_items() if path else []
        found = next(((n, it) for n, it in siblings if it.span and it.span[0] <= span[0] < it.span[1]), None)
        if found is not None:
            parts.append(f"第{found[0]}条{quoted(_first_words(found[1].headline))}")
        elif siblings and any(_inside(span, lead) for lead in path[-1].paragraph_spans):
            parts.append(LEAD_PLACE)
        if not parts and self.document.title_span is not None and _inside(span, self.document.title_span):
            return TITLE
        if not parts and self.result.byline_span is not None and _inside(span, self.result.byline_span):
            return BYLINE
        return " / ".join(parts) if parts else ("导语" if path else "正文之外")

    def snippet(self, span: Span | None) -> str:
        return "" if span is None else _shorten(self.text[span[0] : span[1]])


SECTION_NAMES: Mapping[SectionRole, tuple[str, str]] = {
    SectionRole.MEASURES: ("整改措施", "整改措施"),
    SectionRole.LAST_YEAR: ("上年度", "上年度整改情况"),
    SectionRole.CAUSES: ("原因", "原因部分"),
}
"""For the sections messages name (``ReviewContext.named``): the word of a heading that says the
section is what it usually is, and the name a message then gives it."""


LEAD_PLACE = "开头一段"
"""How a finding names the paragraph before a part's items ("但仍存在一些问题：", a summary), so it
is not taken for the heading, whose own findings name the part alone."""


TITLE = "标题"
"""How a finding names the material's title."""
BYLINE = "标题下的单位、职务、姓名"
"""How a finding names the line under the title (县商务局　局长　张三)."""


def _containing(sections: list[Section], offset: int) -> list[Section]:
    """The sections around ``offset``, outermost first, down to the innermost sub-section."""
    path: list[Section] = []
    while True:
        inner = next((s for s in sections if s.span and s.span[0] <= offset < s.span[1]), None)
        if inner is None:
            return path
        path.append(inner)
        sections = inner.subsections


def _inside(span: Span, outer: Span) -> bool:
    return outer[0] <= span[0] < outer[1]


def _first_words(text: str) -> str:
    return short(text.strip(), _ITEM_WORDS)


def _short_heading(section: Section) -> str:
    """The heading as a locator names it: shortened, without the full stop a heading run into its
    text keeps (（二）党性修养提高方面。一是……)."""
    return marker_label(section) + short_heading(
        (section.heading or "").rstrip(_HEADING_STOPS), _LOCATOR_HEADING
    )


def review(
    result: Parsed,
    *,
    kind: KindSpec | str | None = None,
    year: int | None = None,
    meeting_date: date | None = None,
    aspects: Sequence[str | AspectSpec] | None = None,
    config: ReviewConfig | None = None,
    dismissed: Iterable[str] = frozenset(),
    unlinked_problems: Sequence[str] | None = None,
    guessed_problems: Sequence[str] = (),
    rules: Mapping[str, RuleSpec] | None = None,
    catalog: Catalog | None = None,
    capped: bool = True,
    previous: Sequence[str] = (),
    peers: Mapping[str, Sequence[str]] | None = None,
    unwritten: Collection[str] = (),
) -> list[Finding]:
    """Run every enabled rule; findings sorted undismissed first, then by severity and position.

    Missing facts are inferred where the text is unambiguous: the kind and 年度 from the title, the
    year's aspects from the catalog's themes. ``rules`` and ``catalog`` default to the registered
    rules and the packaged catalog. A text the parser read with copy damage (PDF or web capture) is
    reviewed as repaired, with every span mapped back to the text as given. ``dismissed`` holds
    ``Finding.key``s the user dismissed; those findings are kept and marked, never dropped.
    ``capped=False`` lists every finding of a rule (the JSON output); the chat keeps the cap.
    ``previous`` are the texts of the user's earlier materials (problems.stock.repeat); ``peers``
    the problems, causes and measures of other materials handed in with this one, by role
    (problems.stock.shared); ``unlinked_problems`` and ``guessed_problems`` the problems a draft's
    links leave without a measure or pair with one by order alone (measures.coverage); ``unwritten`` the
    empty steps of a draft still being written (``ReviewContext``).
    """
    config = config or default_config()
    result, capture = _repaired(result)
    context = build_context(
        result, kind=kind, year=year, meeting_date=meeting_date, aspects=aspects, catalog=catalog
    )
    context.unlinked_problems = unlinked_problems
    context.guessed_problems = tuple(guessed_problems)
    context.capture = capture
    context.previous = tuple(previous)
    context.peers = _peers(peers)
    context.unwritten = frozenset(unwritten)
    context.config = config
    gone = frozenset(dismissed)
    findings: list[Finding] = []
    for spec in (rules if rules is not None else registry()).values():
        if config.enabled(spec.id) and (context.genre is None or spec.family in GENRE_FAMILIES):
            found = list(_run(spec, context, config))
            if gone:
                found = [replace(f, dismissed=True) if f.dismissed_by(gone) else f for f in found]
            findings += _capped(found, _cap(spec.id, config) if capped else 0)
    return sorted(findings, key=lambda f: (f.dismissed, f.severity.rank, f.position, f.rule))


def _repaired(result: Parsed) -> tuple[Parsed, Repair | None]:
    """The parse of the repaired text when the parser's text shows copy damage, else ``result``.

    Only texts parsed as given are repaired: a result laid out from the draft model keeps its
    structure.
    """
    from bot.parsing import ParseResult, parse_text
    from bot.parsing.capture import repair

    if not isinstance(result, ParseResult) or not result.from_text:
        return result, None
    fixed = repair(result.text, result.soft_breaks)
    if fixed is None:
        return result, None
    reparsed = dataclasses.replace(parse_text(fixed.text), revisions=result.revisions)
    return (reparsed, fixed) if reparsed.text == fixed.text else (result, None)


def review_text(text: str, **options: Any) -> list[Finding]:
    """Parse ``text`` and review it; keyword options as for ``review``."""
    from bot.parsing import parse_text

    return review(parse_text(text), **options)


@functools.cache
def default_config() -> ReviewConfig:
    """The packaged configuration, loaded once."""
    return load_config()


def _run(spec: RuleSpec, context: ReviewContext, config: ReviewConfig) -> Iterator[Finding]:
    severity = config.severity(spec.id, spec.severity)
    if context.kind_guessed and spec.id in KIND_BOUND and severity is Severity.ERROR:
        severity = Severity.WARNING
    original = _to_original(context)
    for hit in spec.check(context, config.params(spec.id)):
        spot = context.snippet(hit.span) if not hit.raw else _raw_snippet(context, hit.span)
        finding = Finding(
            rule=spec.id,
            severity=severity.softer() if hit.soft else severity,
            message=spec.message.format(**hit.fields),
            suggestion=spec.suggestion.format(**hit.fields),
            span=hit.span if hit.raw else original(hit.span),
            section=hit.section or (context.locator(hit.span) if not hit.raw else None),
            snippet=hit.subject or spot,
            places=tuple(p if hit.raw else cast(Span, original(p)) for p in hit.places),
            place=context.place(hit.span, hit.step) if not hit.raw else Place(),
            fix_in=spec.fix_in,
        )
        if hit.was is not None and not hit.raw:
            there = replace(
                finding,
                place=context.place(hit.was),
                section=context.locator(hit.was),
                snippet=context.snippet(hit.was),
            )
            finding = replace(finding, former=(there.key, there.legacy_key))
        yield finding


def _to_original(context: ReviewContext) -> Callable[[Span | None], Span | None]:
    """Maps a span of the text the rules read to the text as given (identity without repair)."""
    capture = context.capture
    if capture is None:
        return lambda span: span
    return lambda span: None if span is None else capture.original(span)


def _raw_snippet(context: ReviewContext, span: Span | None) -> str:
    """The words at a span of the text as given (capture findings point at damage the rules never see)."""
    if span is None or context.capture is None:
        return context.snippet(span)
    return _shorten(context.capture.source[span[0] : span[1]])


def _shorten(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…"


def _cap(rule_id: str, config: ReviewConfig) -> int:
    """How many findings of the rule are listed: its own ``max_findings`` (0: all, as for the items
    copied between the materials of a batch, each of which is counted and commented on), else the
    review's ``max_findings_per_rule``."""
    params = config.params(rule_id)
    return int(params.number("max_findings")) if "max_findings" in params else config.max_findings_per_rule


def _capped(found: list[Finding], cap: int) -> list[Finding]:
    """At most ``cap`` undismissed findings of one rule; the last one shown names and counts the rest
    (``Finding.folded``), so the counts of a review stay those of what there is to fix."""
    if not cap or len(found) <= cap:
        return found  # most rules find nothing: no list to build
    live = [f for f in found if not f.dismissed]
    if len(live) <= cap:
        return found
    last, rest = live[cap - 1], len(live) - cap
    summary = replace(last, message=f"{last.message}（此后还有{rest}处同类问题）", folded=rest)
    return [*live[: cap - 1], summary, *(f for f in found if f.dismissed)]


def build_context(
    result: Parsed,
    *,
    kind: KindSpec | str | None = None,
    year: int | None = None,
    meeting_date: date | None = None,
    aspects: Sequence[str | AspectSpec] | None = None,
    catalog: Catalog | None = None,
) -> ReviewContext:
    """Resolve the kind, the 年度 and the expected aspects, inferring what was not given.

    A kind inferred from the title is marked as guessed; a title naming another genre (工作总结,
    心得体会, 通报, 情况报告) with no kind given or guessed makes the review a proofreading only.
    """
    from bot.dates import year_of_meeting

    if catalog is None:
        from bot.catalog import load_catalog

        catalog = load_catalog()
    title = result.document.title or ""
    opening = preamble_of(result.document)
    notice = kind is None and _is_notice(title, opening)
    spec = None if notice else _resolve_kind(kind, title, catalog)
    guessed_from = TITLE if kind is None and spec is not None else None
    genre = "通知" if notice else _genre(title) if kind is None and spec is None else None
    if kind is None and spec is None and genre is None:
        key = guess_kind_from_preamble(opening)
        if key is not None and key in catalog.kinds:
            spec, guessed_from = catalog.kind(key), "导语"
    year = year or year_in(title, opening)
    year = year or (year_of_meeting(meeting_date) if meeting_date is not None else None)
    label = ""
    expected: list[ExpectedAspect] = []
    if aspects is not None:
        expected = [_expected(a) for a in aspects]
        label = "所给方面"
    elif year is not None:
        theme = theme_for(spec, title, year, catalog)
        if theme is not None:
            expected = [ExpectedAspect(a.text, a.verified) for a in theme.aspects]
            label = theme.title
    return ReviewContext(
        result,
        kind=spec,
        year=year,
        meeting_date=meeting_date,
        aspects=expected,
        aspects_label=label,
        catalog=catalog,
        kind_guessed_from=guessed_from,
        genre=genre,
    )


def _expected(aspect: str | AspectSpec) -> ExpectedAspect:
    return ExpectedAspect(aspect) if isinstance(aspect, str) else ExpectedAspect(aspect.text, aspect.verified)


def _resolve_kind(kind: KindSpec | str | None, title: str, catalog: Catalog) -> KindSpec | None:
    if kind is not None and not isinstance(kind, str):
        return kind
    key = kind or guess_kind(title)
    if key is None or (kind is None and key not in catalog.kinds):
        return None
    return catalog.kind(key)


def guess_kind(title: str) -> str | None:
    """The kind a title names (班子…民主生活会 → team_dsh), or None."""
    return next((key for words, key in _KIND_CUES if all(w in title for w in words)), None)


def _is_notice(title: str, opening: str) -> bool:
    """The notice calling the meeting (…的通知, 现就…通知如下), which names the meeting and its
    aspects as a material does: sent by mistake, or to take the aspects from."""
    return title.rstrip().endswith("通知") or "通知如下" in opening


def guess_kind_from_preamble(preamble: str) -> str | None:
    """The kind an untitled material's opening names: the meeting it is for, and who speaks (我、本人:
    a member's own material; else a 班子 or 支部 speaking of itself); without a meeting, the 自查自纠
    an inspection notice asked for (现将自查自纠情况汇报如下); or None."""
    meeting = next((family for word, family in _PREAMBLE_MEETINGS if word in preamble), None)
    if meeting is None:
        return "self_inspection" if "自查自纠" in preamble else None
    own = _FIRST_PERSON.search(preamble) is not None
    if meeting == "dsh":
        return "personal_dsh" if own else ("team_dsh" if "班子" in preamble else None)
    return "member_zzsh" if own else ("branch_zzsh" if "支部" in preamble else None)


def _genre(title: str) -> str | None:
    """What a title says the text is when it is not a 对照检查材料 (工作总结, 心得体会…), or None."""
    bare = title.strip()
    return next((name for pattern, name in _GENRES if pattern.search(bare)), None)


def theme_for(kind: KindSpec | None, title: str, year: int, catalog: Catalog) -> ThemeSpec | None:
    """The catalog's theme of the year for the kind's meeting (or the meeting the title names)."""
    families = list(kind.families) if kind is not None else [f for w, f in _MEETING_FAMILIES if w in title]
    if not families:
        return None
    themes = catalog.themes.values()
    return next((t for f in families for t in themes if t.family == f and t.year == year), None)


def preamble_of(document: Document) -> str:
    """The text of the material's opening section (导语), or "" when it has none."""
    sections = document.sections
    return "".join(sections[0].paragraphs) if sections and sections[0].role is SectionRole.PREAMBLE else ""


def year_in(title: str, preamble: str) -> int | None:
    """The 年度 a material names in its title, else in its 导语, as its review reads it."""
    return _year_from_text(title) or _year_from_text(preamble)


def _year_from_text(text: str) -> int | None:
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None
