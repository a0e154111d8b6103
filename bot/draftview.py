"""A draft with its kind, aspects and answers loaded once per update, and what derives from them."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm.attributes import instance_state

from bot import dates, steps
from bot.catalog import Catalog, KindSpec, MatterGuide, OwnerQuestion, SectionSpec
from bot.dates import Examples
from bot.document import Document, Item, Section, SectionRole
from bot.numbering import MarkerStyle, list_marker
from bot.steps import Step
from storage.models import Answer, AnswerRole, Draft, Measure

BYLINE_SEPARATOR = "　"
HAND_IN_BY = "hand_in_by"
"""The ``drafts.meta`` key of the day the notice pasted at set-up asks the material handed in by."""
Slots = dict[tuple[str, int, AnswerRole], list[Answer]]
"""The answers by ``(section, aspect, role)``, each list in order (``DraftView._slots``)."""


@dataclass
class DraftView:
    """Reads ``draft.answers`` live, so answers a flow adds or removes show at once."""

    draft: Draft
    kind: KindSpec | None
    matter_guides: Mapping[str, MatterGuide] = field(default_factory=dict)
    today: date | None = None  # the user's today in an update: what the prompts' examples count from
    # What derives from the catalog and the draft's matters and aspects, read several times per
    # update: kept with what it was derived from, and derived again when that changed.
    _sections: tuple[tuple[str, ...], tuple[SectionSpec, ...]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _steps: tuple[tuple[SectionSpec, ...], int, tuple[Step, ...]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @classmethod
    def build(cls, catalog: Catalog, draft: Draft, today: date | None = None) -> DraftView:
        theme = catalog.themes.get(draft.theme_key or "")
        return cls(
            draft=draft,
            kind=catalog.kinds.get(draft.kind) if draft.kind else None,
            matter_guides=theme.extra_guides if theme is not None else {},
            today=today,
        )

    @property
    def examples(self) -> Examples:
        """The dates the prompts' examples name, from the user's today (the system's for a view
        built outside an update)."""
        return Examples(self.today or date.today())

    @property
    def answers(self) -> list[Answer]:
        return self.draft.answers

    def _slot(self, section: str, aspect: int, *roles: AnswerRole) -> list[Answer]:
        # An answer not yet flushed has no role yet: it is an item.
        roles = roles or (AnswerRole.ITEM,)
        found = [
            a
            for a in self.draft.answers
            if a.section == section and a.aspect == aspect and (a.role or AnswerRole.ITEM) in roles
        ]
        return sorted(found, key=lambda a: a.position)  # stable: equal positions keep insert order

    def _slots(self) -> Slots:
        """Every answer under its ``(section, aspect, role)``, each list in order: one pass over the
        answers for whatever reads several slots at once (``to_document``)."""
        found: Slots = {}
        for a in self.draft.answers:
            # An answer not yet flushed has no role yet: it is an item.
            found.setdefault((a.section, a.aspect, a.role or AnswerRole.ITEM), []).append(a)
        for answers in found.values():
            answers.sort(key=lambda a: a.position)  # stable: equal positions keep insert order
        return found

    @property
    def aspects(self) -> list[dict[str, str]]:
        return self.draft.aspects or []

    @property
    def sections(self) -> tuple[SectionSpec, ...]:
        if self.kind is None:
            return ()
        matters = tuple(self.draft.extra_matters or ())
        if self._sections is None or self._sections[0] != matters:
            self._sections = matters, self.kind.sections_with_extras(matters, self.matter_guides)
        return self._sections[1]

    def section(self, key: str) -> SectionSpec:
        return next(s for s in self.sections if s.key == key)

    @property
    def steps(self) -> list[Step]:
        if self.kind is None:
            return [Step(steps.KIND)]
        sections, count = self.sections, len(self.aspects)
        if self._steps is None or self._steps[0] is not sections or self._steps[1] != count:
            self._steps = sections, count, tuple(steps.all_steps(self.kind, sections, count))
        return list(self._steps[2])

    @property
    def section_steps(self) -> list[Step]:
        return [s for s in self.steps if s.section is not None]

    @property
    def preamble_step(self) -> Step | None:
        """The step the 导语 is written at (every built-in kind has one)."""
        return self.first_step(SectionRole.PREAMBLE)

    def first_step(self, role: SectionRole) -> Step | None:
        """The first step of the part of ``role`` (of a part written per aspect, its first aspect)."""
        return next((s for s in self.section_steps if s.section and s.section.role is role), None)

    def step(self, key: str | None = None) -> Step:
        """The step at ``key`` (default: the cursor); an unknown key falls back to the first step."""
        key = key or self.draft.cursor
        if key == steps.ASPECTS or (key == steps.SIGNATURE and self.signature_editable):
            return Step(key)
        all_steps = self.steps
        try:
            return all_steps[steps.find(all_steps, key)]
        except KeyError:
            return all_steps[0]

    def neighbour(self, step: Step, offset: int) -> Step | None:
        all_steps = self.steps
        if step.key == steps.ASPECTS and offset < 0 and all(s.key != steps.ASPECTS for s in all_steps):
            return Step(steps.THEME)  # the paste detour returns to the theme list
        if step.key == steps.SIGNATURE and offset < 0:
            return Step(steps.UNIT)  # and the 署名 to the unit
        index = steps.find(all_steps, step.key) + offset
        while 0 <= index < len(all_steps) and not self.asks(all_steps[index]):
            index += 1 if offset > 0 else -1
        return all_steps[index] if 0 <= index < len(all_steps) else None

    def asks(self, step: Step) -> bool:
        """Whether the set-up asks ``step``: no 职务 without a 姓名, as a unit's report has none (the
        byline and title print a post only beside a name)."""
        return step.key != steps.POSITION or bool((self.draft.meta or {}).get("name"))

    def slot(self, step: Step) -> list[Answer]:
        """The step's items in order (or the one answer of a text section), with the headings they
        are grouped under, if any, among them (``AnswerRole.HEADING``); the lead is apart."""
        assert step.section is not None
        return self._slot(step.section.key, step.aspect, AnswerRole.ITEM, AnswerRole.HEADING)

    def markers(self, step: Step) -> list[str]:
        """How each answer of ``slot`` is marked in the material, as the outline marks it: without
        headings ``Step.item_marker``; with them, the headings （一）（二） (after the points before
        the first, if any, which count on from them) and each heading's points 一是、二是."""
        slot = self.slot(step)
        if not any(a.role == AnswerRole.HEADING for a in slot):
            return [step.item_marker(n, len(slot)) for n in range(1, len(slot) + 1)]
        runs: list[list[Answer]] = [[]]
        for answer in slot:
            if answer.role == AnswerRole.HEADING:
                runs.append([answer])
            else:
                runs[-1].append(answer)
        first, *groups = runs
        found = [list_marker(MarkerStyle.LEVEL2, n, None) for n in range(1, len(first) + 1)]
        for number, (_, *points) in enumerate(groups, start=len(first) + 1):
            found.append(list_marker(MarkerStyle.LEVEL2, number, None))
            found += [list_marker(MarkerStyle.RUN_IN, n, len(points)) for n in range(1, len(points) + 1)]
        return found

    def names(self, step: Step) -> list[str]:
        """Each answer of ``slot`` named in a reply: ``Step.item_name``, or where the points are
        grouped under headings, a point within its heading's marker (（二）一是; a heading's lone
        point by the heading's alone)."""
        slot = self.slot(step)
        if not any(a.role == AnswerRole.HEADING for a in slot):
            return [step.item_name(n, len(slot)) for n in range(1, len(slot) + 1)]
        found, within = [], ""
        for answer, marker in zip(slot, self.markers(step), strict=True):
            if answer.role == AnswerRole.HEADING:
                within = marker
            found.append(marker if answer.role == AnswerRole.HEADING or not within else within + marker)
        return found

    def marked(self, step: Step) -> list[str]:
        """Each answer of ``slot`` as a note names it: its marker (none for a list's one point), or
        where the points are grouped, its name (``names``: 一是 alone would not say which)."""
        return self.names(step) if self.grouped(step) else self.markers(step)

    def points(self, step: Step) -> list[Answer]:
        """The step's items without the headings they are grouped under: what its 条 count."""
        return [a for a in self.slot(step) if a.role != AnswerRole.HEADING]

    def grouped(self, step: Step) -> bool:
        """The step's points are grouped under headings of their own (``AnswerRole.HEADING``)."""
        return any(a.role == AnswerRole.HEADING for a in self.slot(step))

    def lead(self, step: Step) -> Answer | None:
        """The paragraph before the step's items, if the user gave one."""
        assert step.section is not None
        return next(iter(self._slot(step.section.key, step.aspect, AnswerRole.LEAD)), None)

    def unwritten(self) -> list[Step]:
        """The steps not done yet while the draft is first written (until its summary is reached):
        its empty sections, and the deadlines step where measures get their 时限 and 责任人. A review
        in the middle does not hold against the material what these steps are still to bring. An
        optional part left empty behind the cursor was skipped, not still to write."""
        if self.draft.completed or self.kind is None:
            return []
        filled = {(key, aspect) for (key, aspect, _), answers in self._slots().items() if answers}
        all_steps = self.steps
        try:
            at = steps.find(all_steps, self.draft.cursor)
        except KeyError:
            at = 0
        return [
            s
            for index, s in enumerate(all_steps)
            if s.key == steps.DEADLINES
            or (
                s.section is not None
                and (s.section.key, s.aspect) not in filled
                and (s.section.required or index >= at)
            )
        ]

    def is_answered(self, step: Step) -> bool:
        return bool(self.slot(step))

    def measures(self) -> list[tuple[Answer, Measure]]:
        """The measures in the order they appear in the material."""
        found = [
            (a, a.measure)
            for step in self.section_steps
            if step.section is not None and step.section.role == SectionRole.MEASURES
            for a in self.slot(step)
        ]
        return [(a, m) for a, m in found if m is not None]

    def measure_needs(self) -> tuple[int, Answer, Measure, str] | None:
        """The first measure still lacking a deadline, a review cadence or (teams) an owner."""
        for number, (answer, measure) in enumerate(self.measures(), start=1):
            if (lacking := self._lacking(measure)) is not None:
                return number, answer, measure, lacking
        return None

    def measures_lacking(self) -> int:
        """How many measures still lack what ``measure_needs`` asks for."""
        return sum(self._lacking(measure) is not None for _, measure in self.measures())

    def _lacking(self, measure: Measure) -> str | None:
        if measure.deadline_kind is None:
            return "deadline"
        if measure.deadline_kind == "ongoing" and not measure.review_cadence:
            return "cadence"
        if self.owner_question.asked and not measure.owner:
            return "owner"
        return None

    def missing_required(self) -> list[Step]:
        return [s for s in self.section_steps if s.section and s.section.required and not self.is_answered(s)]

    def missing_names(self) -> str:
        """The required parts with nothing written yet, as a file or a hand-in names them
        (存在的主要问题 once for its aspects), or "" when none is."""
        headings = (s.section.heading or "导语" for s in self.missing_required() if s.section is not None)
        return "、".join(dict.fromkeys(headings))

    def aspect_heading(self, step: Step) -> str | None:
        if not step.aspect or step.aspect > len(self.aspects):
            return None
        return self.aspects[step.aspect - 1]["heading"]

    @property
    def owner_question(self) -> OwnerQuestion:
        """Whom the kind's measures name at the deadlines step (none while no kind is chosen)."""
        return self.kind.measure_owner if self.kind is not None else OwnerQuestion.NONE

    @property
    def year_label(self) -> str:
        return self.draft.theme_label or ""

    @property
    def held(self) -> bool:
        """The material is for a meeting; a 自查自纠报告 is handed in instead, and its date
        (``meeting_date`` all the same) is the day it is 报送."""
        return self.kind is None or self.kind.meeting is not None

    @property
    def date_label(self) -> str:
        return dates.date_label(self.held)

    @property
    def hand_in_by(self) -> date | None:
        """The day the notice pasted at set-up asks the material handed in by (``HAND_IN_BY``)."""
        value = (self.draft.meta or {}).get(HAND_IN_BY)
        try:
            return date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    @property
    def title(self) -> str:
        if self.kind is None:
            return "未命名材料"
        meta = self.draft.meta or {}
        if meta.get("title"):  # named when the draft was made (a team's 整改落实情况报告)
            return str(meta["title"])
        return self.kind.title_for(meta.get("name"), meta.get("unit"), self.year_label)

    def to_document(self, focus: Step | None = None, items: Collection[int] | None = None) -> Document:
        """Assemble the answers into the shared document model; empty sections are left out.

        With ``focus``, every other section and aspect keeps its heading but not its content (but
        for 上年度 when the focus is a problems step, whose items are compared with it): the review
        of one answer then reads only that step, yet numbers it as the whole material does. With
        ``items`` (answer ids) too, the step keeps just those items, each numbered where it stands
        among all of them (``Item.number``): what the review of one item answer reads. Content
        left out is never built, so the review of one answer does not grow with the draft.
        """
        assert self.kind is not None
        slots = self._slots()
        keep = _Keep(focus, items)
        filled = [spec for spec in self.sections if self._filled(spec, slots)]
        sections = [self._section(spec, slots, keep) for spec in filled]
        return Document(title=self.title, byline=self._byline(), sections=sections, typed=True)

    def _filled(self, spec: SectionSpec, slots: Slots) -> bool:
        """Whether the section has any content, as its full ``_section`` would: a paragraph, an item."""
        aspects = range(1, len(self.aspects) + 1) if spec.per_aspect else range(1)
        for (key, aspect, role), answers in slots.items():
            if key != spec.key or aspect not in aspects or not answers:
                continue
            listed = role is not AnswerRole.LEAD and spec.answer != "text"
            if listed or any(_paragraphs(a.text) for a in answers):
                return True
        return False

    def _section(self, spec: SectionSpec, slots: Slots, keep: _Keep) -> Section:
        section = Section(role=spec.role, heading=spec.heading, key=spec.key)
        if spec.per_aspect:
            for index, aspect in enumerate(self.aspects, start=1):
                heading = aspect["heading"]
                aspect_section = Section(role=spec.role, heading=heading, key=f"{spec.key}.{index}")
                section.subsections.append(_fill_list(aspect_section, slots, spec.key, index, keep))
        elif spec.answer == "text":
            if keep.content(spec.key, spec.role):
                for answer in slots.get((spec.key, 0, AnswerRole.ITEM), []):
                    section.paragraphs.extend(_paragraphs(answer.text))
        else:
            _fill_list(section, slots, spec.key, 0, keep)
        return section

    def _byline(self) -> str | None:
        """``单位　职务　姓名``: an ideographic space between the parts, so unit and position do not
        run together."""
        meta = self.draft.meta or {}
        name = meta.get("name")
        if not name or self.kind is None or self.kind.voice == "team":
            return None
        office = [part for field in ("unit", "position") if (part := (meta.get(field) or "").strip())]
        return BYLINE_SEPARATOR.join([*office, name]) if office else None

    @property
    def signed_by_team(self) -> bool:
        """The kind is signed by its team (中共青山镇委员会领导班子), not by its author."""
        return self.kind is not None and self.kind.signature_template is not None

    @property
    def signature_editable(self) -> bool:
        """The 署名 is one the user may rewrite: his team's, or the one a team's 整改落实情况报告
        took over from its material (a kind signed by its author has none of its own)."""
        return self.signed_by_team or bool((self.draft.meta or {}).get("signature"))

    @property
    def signature(self) -> str | None:
        """署名 under the text: as the office wrote it for its team (or for the team's 整改落实情况
        报告), else as a team's unit gives it (``KindSpec.signature_for``); otherwise the name (or
        the unit when the name was skipped)."""
        meta = self.draft.meta or {}
        name, unit = (meta.get("name") or "").strip(), (meta.get("unit") or "").strip()
        if own := (meta.get("signature") or "").strip():
            return own
        if self.kind is not None and self.signed_by_team:
            return self.kind.signature_for(unit)
        return name or unit or None


@dataclass(frozen=True)
class _Keep:
    """What content of the draft a document holds: all of it without ``focus``; else that step's
    (only ``items`` of it, when given) and, for a problems step, 上年度's."""

    focus: Step | None
    items: Collection[int] | None

    def content(self, key: str, role: SectionRole) -> bool:
        focus = self.focus
        if focus is None or key == focus.key:
            return True
        compared = focus.section is not None and focus.section.role is SectionRole.PROBLEMS
        return compared and role is SectionRole.LAST_YEAR

    def only(self, key: str) -> Collection[int] | None:
        """The item ids the step at ``key`` keeps, or None for all of them."""
        return self.items if self.focus is not None and key == self.focus.key else None


def _fill_list(section: Section, slots: Slots, key: str, aspect: int, keep: _Keep) -> Section:
    assert section.key is not None
    if not keep.content(section.key, section.role):
        return section
    only = keep.only(section.key)
    if only is None:
        for lead in slots.get((key, aspect, AnswerRole.LEAD), []):
            section.paragraphs.extend(_paragraphs(lead.text))
    headings = slots.get((key, aspect, AnswerRole.HEADING), [])
    listed = slots.get((key, aspect, AnswerRole.ITEM), [])
    group, n = section, 0
    for answer in sorted([*listed, *headings], key=lambda a: a.position) if headings else listed:
        if answer.role == AnswerRole.HEADING:  # the points after it are its, as a file's aspect holds them
            group, n = Section(role=section.role, heading=answer.text, key=section.key), 0
            section.subsections.append(group)
            continue
        n += 1
        if only is None or answer.id in only:
            item = Item.from_text(answer.text, id=answer.id, owned=_owned(answer), due=_due(answer))
            item.number = n if only is not None else None
            group.items.append(item)
    return section


def _owned(answer: Answer) -> bool:
    """The measure stores who answers for it: a 责任领导 picked from the team or a 责任部门."""
    measure = _measure(answer)
    return measure is not None and (measure.leader_id is not None or bool((measure.owner or "").strip()))


def _due(answer: Answer) -> str:
    """The 整改时限 the measure stores, in the words it was set with."""
    measure = _measure(answer)
    return (measure.deadline_text or "").strip() if measure is not None else ""


def _measure(answer: Answer) -> Measure | None:
    """The answer's measure as loaded with the draft: an answer added in this update has none
    loaded (nor a stored owner or deadline) yet."""
    state = instance_state(answer)
    if "measure" not in state.dict and "measure" not in state.committed_state:  # unloaded
        return None
    return answer.measure


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
