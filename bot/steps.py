"""The ordered steps of a draft: set-up questions, then every section (per aspect where needed).

The draft's cursor is a step key: one of the ``FixedStep``s declared here, or a section step
(``<section key>`` or ``<section key>.<aspect number>``) of the draft's kind. Everything else
(progress, what comes next, what going back means) is derived here from the kind and the aspects,
so the cursor is the only state to keep; a stored cursor that names no step of the draft is read
as its first step (``DraftView.step``). ARCHITECTURE.md draws these states; a test keeps it true.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.catalog import KindSpec, SectionSpec
from bot.document import SectionRole
from bot.numbering import MarkerStyle, list_marker


class FixedStep(StrEnum):
    """The steps that are not sections of the material."""

    KIND = "setup.kind"
    THEME = "setup.theme"
    ASPECTS = "setup.aspects"  # pasting the local notice's aspects (a detour from THEME, or required)
    DATE = "setup.date"
    NAME = "setup.name"
    UNIT = "setup.unit"
    POSITION = "setup.position"
    SIGNATURE = "setup.signature"  # a team's own 署名 (a detour from UNIT: the unit gives one)
    DEADLINES = "deadlines"  # a deadline (and owner) for each measure
    SUMMARY = "summary"  # the overview, once every step was passed


KIND, THEME, ASPECTS, DATE = FixedStep.KIND, FixedStep.THEME, FixedStep.ASPECTS, FixedStep.DATE
UNIT, POSITION, SIGNATURE = FixedStep.UNIT, FixedStep.POSITION, FixedStep.SIGNATURE
DEADLINES, SUMMARY = FixedStep.DEADLINES, FixedStep.SUMMARY

META_FIELDS: dict[str, str] = {"name": "姓名", "unit": "单位", "position": "职务", "signature": "署名"}


def meta_fields(kind: KindSpec) -> list[str]:
    """A team material is titled by its unit alone; a person's by name, unit and position."""
    return ["unit"] if kind.voice == "team" else ["name", "unit", "position"]


@dataclass(frozen=True)
class Step:
    key: str
    section: SectionSpec | None = None
    aspect: int = 0  # 1-based index into the draft's aspects; 0 for sections not asked per aspect

    @property
    def is_setup(self) -> bool:
        return self.key.startswith("setup.")

    def item_marker(self, n: int, count: int) -> str:
        """How item n of this step's list of ``count`` is marked in the material (``list_marker``):
        （三） in a section, 三是 in an aspect, nothing for the list's one point."""
        return list_marker(MarkerStyle.RUN_IN if self.aspect else MarkerStyle.LEVEL2, n, count)

    def item_run(self, first: int, last: int, count: int) -> str:
        """Consecutive items first..last named in a reply: 一是、二是 for two, 一是至三是 for more."""
        if first == last:
            return self.item_name(first, count)
        joint = "、" if last == first + 1 else "至"
        return f"{self.item_marker(first, count)}{joint}{self.item_marker(last, count)}"

    def item_name(self, n: int, count: int) -> str:
        """Item n named in a reply: its marker, or 这一条 for a list's one point, which has none."""
        return self.item_marker(n, count) or "这一条"

    @property
    def meta_field(self) -> str | None:
        name = self.key.removeprefix("setup.")
        return name if self.is_setup and name in META_FIELDS else None


def section_steps(sections: Sequence[SectionSpec], aspect_count: int) -> list[Step]:
    steps: list[Step] = []
    for section in sections:
        if section.per_aspect:
            steps.extend(Step(f"{section.key}.{i}", section, i) for i in range(1, aspect_count + 1))
        else:
            steps.append(Step(section.key, section))
    return steps


def theme_step(kind: KindSpec) -> FixedStep:
    """Where the 年度 and the aspects are chosen: pasted where the kind requires its notice's own."""
    return ASPECTS if kind.custom_aspects == "required" else THEME


def all_steps(kind: KindSpec, sections: Sequence[SectionSpec], aspect_count: int) -> list[Step]:
    """Every step in order; ``setup.aspects`` only appears where pasting aspects is mandatory."""
    setup = [Step(KIND), Step(theme_step(kind)), Step(DATE)]
    setup += [Step(FixedStep(f"setup.{name}")) for name in meta_fields(kind)]
    follow_up = [Step(DEADLINES)] if any(s.role == SectionRole.MEASURES for s in sections) else []
    return setup + section_steps(sections, aspect_count) + follow_up + [Step(SUMMARY)]


def find(steps: list[Step], key: str) -> int:
    """Index of a step; a detour counts as the step it leaves from: an optional paste-aspects one
    as the theme step, the 署名 as the unit."""
    if key == ASPECTS and all(s.key != ASPECTS for s in steps):
        key = THEME
    if key == SIGNATURE:
        key = UNIT
    for index, step in enumerate(steps):
        if step.key == key:
            return index
    raise KeyError(key)


def part_of(sections: Sequence[SectionSpec], step: Step) -> tuple[int, int]:
    """``(n, total)`` for the 第n/total部分 progress label."""
    assert step.section is not None
    keys = [s.key for s in sections]
    return keys.index(step.section.key) + 1, len(keys)
