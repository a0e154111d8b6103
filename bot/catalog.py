"""Material kinds and annual themes, loaded from YAML and validated once at start-up.

Years change every winter and localities differ, so kinds (structure, headings, guidance) and themes
(a year's aspects) are data, not code: the packaged files under ``bot/data`` cover known years, and an
admin directory can override a theme, add a new year or replace a kind without a release. Every
problem is reported as ``<file>: <key path>: <message>`` so an admin can fix it without reading code.

An aspect's ``verified`` flag says whether its wording is confirmed by the notice or by independent
sources; consumers should soften checks and tell users to compare with their local notice otherwise.
"""

from __future__ import annotations

import calendar
import functools
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal, Self

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationError,
    model_validator,
)

from bot.document import SectionRole
from bot.yamlsafe import safe_load

# A theme family groups the themes one kind of meeting uses; dsh and zzsh ship, admins may add more.
Family = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
FAMILY_MEETINGS: Mapping[str, str] = MappingProxyType({"dsh": "民主生活会", "zzsh": "组织生活会"})

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Status = Literal["verified", "partly_verified", "unverified", "user_defined"]

_TITLE_FIELDS = frozenset({"name", "unit", "year_label", "meeting"})
_FALLBACK_FIELDS = frozenset({"unit", "year_label", "meeting"})
"""A report a person or a unit may write falls back from the person's title to the unit's."""
_IDENTITY_FIELDS = frozenset({"name", "unit"})
_SUBJECT_TITLE = re.compile(r"^(?!关于)([\u4e00-\u9fff（）()]{2,30}?)(?:[12][0-9]{3}年)")
_BRANCH_COMMITTEE = "支部委员会"
"""How a title may name a branch's 支委会, which is its 班子: the template writes that itself."""
_SIGNATURE_FIELDS = frozenset({"unit", "committee"})
_TOWNSHIP_COMMITTEES = (("街道", "工作委员会"), ("镇", "委员会"), ("乡", "委员会"))
"""The Party committee a 街道's or 乡镇's 领导班子 is: 中共青山镇委员会, 中共城关街道工作委员会."""
_PARTY_BODIES = ("中共", "党委", "党组", "党工委", "委员会", "支部", "总支")
# Canonical level-1 order of DOMAIN.md §2; OTHER may sit anywhere.
_ROLE_ORDER = (
    SectionRole.PREAMBLE,
    SectionRole.LAST_YEAR,
    SectionRole.PROBLEMS,
    SectionRole.EXTRA,
    SectionRole.CAUSES,
    SectionRole.MEASURES,
)
_MONTH_SPAN = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")
_THEME_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_KIND_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
CUSTOM_THEME = "custom"
"""The theme key of aspects a user pasted from his local notice."""
_HEADING_ENDINGS = ("方面", "情况")
_ASKS = re.compile("是否|有无|有没有")
_TRAILING_PUNCTUATION = "。；;，,：:、 \t"


class CatalogError(Exception):
    """A data file is unreadable or invalid; the message names the file and the key path."""


class _FieldError(ValueError):
    """A cross-field check failure that should be reported at ``field`` rather than at the model."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def title_subject(title: str | None) -> str:
    """Who a title names before its year (县交通运输局2026年度自查自纠情况报告: 县交通运输局), or ""."""
    found = _SUBJECT_TITLE.match(title or "")
    return found.group(1) if found else ""


def _fill(template: str, values: Mapping[str, str]) -> str:
    """``template`` with its fields, each literal after a field without the words the field ends with."""
    filled = ""
    for literal, field, _, _ in string.Formatter().parse(template):
        filled += _after(filled, literal) + (values[field] if field is not None else "")
    return filled


def _committee(unit: str) -> str:
    """The Party committee a 乡镇 or 街道 named as a place is led by; any other unit as written."""
    if any(body in unit for body in _PARTY_BODIES):
        return unit
    for place, committee in _TOWNSHIP_COMMITTEES:
        if unit.endswith(place):
            return f"中共{unit}{committee}"
    return unit


@functools.cache
def _after(written: str, literal: str) -> str:
    """``literal`` without the words ``written`` already ends with: a unit typed as 局机关第二党支部
    (or 第二支部) is not followed by 党支部班子 but by 班子, 县商务局领导班子 not by 领导班子 again."""
    for skip in (0, 1) if literal.startswith("党") else (0,):
        rest = literal[skip:]
        for size in range(min(len(written), len(rest)), 1, -1):
            if written.endswith(rest[:size]):
                return rest[size:]
    return literal


def _placeholders(template: str) -> frozenset[str]:
    """Field names a format template uses; raises ValueError on malformed braces. Cached: every
    title of a draft (each prompt, each review) asks this of the kind's template."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name is not None)


class MonthSpan(_Frozen):
    """When a year's meetings are typically held, written ``YYYY-MM..YYYY-MM`` in the data."""

    first: date
    last: date

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, data: Any) -> Any:
        if not isinstance(data, str):
            return data
        match = _MONTH_SPAN.match(data.strip())
        if not match:
            raise ValueError("expected 'YYYY-MM..YYYY-MM', e.g. '2026-01..2026-02'")
        y1, m1, y2, m2 = (int(g) for g in match.groups())
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
            raise ValueError("month must be 01–12")
        return {"first": date(y1, m1, 1), "last": date(y2, m2, calendar.monthrange(y2, m2)[1])}

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.first > self.last:
            raise ValueError("the first month is after the last month")
        return self


class AspectSpec(_Frozen):
    """One required aspect of a year; ``heading`` is how it appears as a （一）… heading."""

    text: NonEmpty
    verified: StrictBool
    heading: NonEmpty


class MatterGuide(_Frozen):
    """写作要点 and 参考写法 of a matter a year's theme adds (e.g. 反面典型案例剖析), in place of the
    kind's generic ones for its extra section; the example per voice (``first_person``, ``team``)."""

    guide: tuple[NonEmpty, ...] = Field(min_length=2, max_length=5)
    example: Mapping[Literal["first_person", "team"], NonEmpty] = Field(min_length=1)

    def example_for(self, voice: str) -> str:
        return self.example.get("team" if voice == "team" else "first_person") or next(
            iter(self.example.values())
        )


class ThemeSpec(_Frozen):
    """A year's (or a user's) theme: the aspects that structure 存在的主要问题."""

    key: NonEmpty
    label: NonEmpty
    year: StrictInt | None
    family: Family | None
    title: NonEmpty
    theme: NonEmpty | None
    status: Status
    aspects: tuple[AspectSpec, ...] = Field(min_length=1)
    extra_required: tuple[NonEmpty, ...] = ()
    extra_guides: Mapping[str, MatterGuide] = Field(default_factory=dict)
    notes: NonEmpty | None = None
    typical_meeting_months: MonthSpan | None = None
    source: NonEmpty


class _AspectEntry(_Frozen):
    text: NonEmpty
    verified: StrictBool


class _ThemeFile(_Frozen):
    """The schema of one theme file; the key comes from the file name, headings from the template."""

    label: NonEmpty
    year: Annotated[StrictInt, Field(ge=2000, le=2100)] | None
    family: Family
    title: NonEmpty
    theme: NonEmpty | None = None
    status: Literal["verified", "partly_verified", "unverified"]
    typical_meeting_months: MonthSpan | None = None
    notes: NonEmpty | None = None
    heading_template: NonEmpty
    aspects: tuple[_AspectEntry, ...] = Field(min_length=1)
    extra_required: tuple[NonEmpty, ...] = ()
    extra_guides: dict[str, MatterGuide] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        unknown = set(self.extra_guides) - set(self.extra_required)
        if unknown:
            raise _FieldError("extra_guides", f"'{min(unknown)}' is not one of extra_required")
        try:
            fields = _placeholders(self.heading_template)
        except ValueError as exc:
            raise _FieldError("heading_template", str(exc)) from exc
        if fields != {"text"}:
            raise _FieldError("heading_template", "must use exactly the placeholder {text}")
        if self.year is not None and str(self.year) not in self.label:
            raise _FieldError("label", f"must mention the year {self.year}")
        flags = {a.verified for a in self.aspects}
        if self.status == "verified" and False in flags:
            raise _FieldError("status", "'verified' but some aspects have verified: false")
        if self.status == "unverified" and True in flags:
            raise _FieldError("status", "'unverified' but some aspects have verified: true")
        return self

    def to_spec(self, key: str, source: str) -> ThemeSpec:
        aspects = tuple(
            AspectSpec(text=a.text, verified=a.verified, heading=self.heading_template.format(text=a.text))
            for a in self.aspects
        )
        return ThemeSpec(
            key=key,
            label=self.label,
            year=self.year,
            family=self.family,
            title=self.title,
            theme=self.theme,
            status=self.status,
            aspects=aspects,
            extra_required=self.extra_required,
            extra_guides=MappingProxyType(dict(self.extra_guides)),
            notes=self.notes,
            typical_meeting_months=self.typical_meeting_months,
            source=source,
        )


class SectionSpec(_Frozen):
    """A level-1 section of a kind and how the drafting flow asks for it."""

    key: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    role: SectionRole
    heading: NonEmpty | None = None
    required: StrictBool
    answer: Literal["text", "items"]
    per_aspect: StrictBool = False
    min_items: Annotated[StrictInt, Field(ge=1)] | None = None
    max_items: Annotated[StrictInt, Field(ge=1)] | None = None
    guide: tuple[NonEmpty, ...] = Field(min_length=2, max_length=5)
    example: NonEmpty | None = None
    """参考写法: a short answer of the quality the genre expects, as a user would send it."""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.role is SectionRole.PREAMBLE) != (self.heading is None):
            raise _FieldError("heading", "must be null for the preamble and set for every other section")
        if self.per_aspect and self.answer != "items":
            raise _FieldError("answer", "must be 'items' when per_aspect is true")
        if self.answer == "text" and (self.min_items is not None or self.max_items is not None):
            raise _FieldError("min_items", "only 'items' sections take min_items/max_items")
        if self.min_items is not None and self.max_items is not None and self.min_items > self.max_items:
            raise _FieldError("max_items", "must not be smaller than min_items")
        return self


class OwnerQuestion(StrEnum):
    """Who a kind's measures are asked to name after their 时限 at the deadlines step
    (``measure_owner`` in kinds.yaml): which question, and what the ledger's 责任人 columns hold."""

    NONE = "none"
    """Not asked: the author answers for his own measures (or the team, as it signs)."""
    LEADER = "leader"
    """A 领导班子's: a 责任领导 (a member of the team, picked or named) and a 责任部门."""
    COMMITTEE = "committee"
    """A 党支部班子's: one 支委 (支部书记、组织委员…, with or without his name) as the 责任人."""

    @property
    def asked(self) -> bool:
        return self is not OwnerQuestion.NONE


class KindSpec(_Frozen):
    """A material kind: who speaks, how it is titled and which sections it has, in order."""

    key: Annotated[str, StringConstraints(pattern=_KIND_KEY.pattern)]
    source: NonEmpty
    name: NonEmpty
    description: NonEmpty
    meeting: NonEmpty | None
    voice: Literal["first_person", "team", "either"]
    title_template: NonEmpty
    title_fallback: NonEmpty
    families: tuple[Family, ...] = ()
    custom_aspects: Literal["allowed", "required"]
    selectable: StrictBool = True
    length_min: Annotated[StrictInt, Field(ge=100)]
    length_max: Annotated[StrictInt, Field(ge=100)]
    measure_owner: OwnerQuestion = OwnerQuestion.NONE
    signature_template: NonEmpty | None = None
    """The 署名 of a material its team signs, from the unit (``{unit}``; ``{committee}`` is the Party
    committee of a 乡镇 or 街道, else the unit as written); None: signed by the author."""
    aspects_example: tuple[NonEmpty, ...] = ("带头强化政治忠诚、提高政治能力", "带头干事创业、担当作为")
    """Two aspects as this kind's notices word them: the example under 粘贴本次要对照的方面."""
    sections: tuple[SectionSpec, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _owner_flag(cls, data: Any) -> Any:
        """An admin's kinds.yaml written before ``measure_owner`` says ``measures_need_owner``:
        true asked a 领导班子's 责任领导 and 责任部门, false nothing."""
        if not isinstance(data, dict) or "measures_need_owner" not in data:
            return data
        if "measure_owner" in data:
            old = "give measure_owner only (measures_need_owner is its old name)"
            raise _FieldError("measures_need_owner", old)
        data = dict(data)
        flag = data.pop("measures_need_owner")
        if not isinstance(flag, bool):
            raise _FieldError("measures_need_owner", "must be true or false")
        data["measure_owner"] = OwnerQuestion.LEADER if flag else OwnerQuestion.NONE
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        templates = (
            ("title_template", _TITLE_FIELDS),
            ("title_fallback", _FALLBACK_FIELDS),
            ("signature_template", _SIGNATURE_FIELDS),
        )
        for field, allowed in templates:
            try:
                unknown = _placeholders(getattr(self, field) or "") - allowed
            except ValueError as exc:
                raise _FieldError(field, str(exc)) from exc
            if unknown:
                names = ", ".join(f"{{{n}}}" for n in sorted(allowed))
                raise _FieldError(field, f"unknown placeholder {{{min(unknown)}}}; allowed: {names}")
        if self.length_min > self.length_max:
            raise _FieldError("length_max", "must not be smaller than length_min")
        if len(set(self.families)) != len(self.families):
            raise _FieldError("families", "lists a family twice")
        if (self.custom_aspects == "required") != (not self.families):
            raise _FieldError("families", "must be empty exactly when custom_aspects is 'required'")
        self._check_sections()
        return self

    def _check_sections(self) -> None:
        seen: set[str] = set()
        per_aspect = 0
        last_rank = -1
        for i, section in enumerate(self.sections):
            if section.key in seen:
                raise _FieldError(f"sections[{i}].key", f"duplicate section key '{section.key}'")
            seen.add(section.key)
            per_aspect += section.per_aspect
            if per_aspect > 1:
                raise _FieldError(f"sections[{i}].per_aspect", "only one section may be asked per aspect")
            if section.role is SectionRole.OTHER:
                continue
            rank = _ROLE_ORDER.index(section.role)
            if rank <= last_rank:
                order = " → ".join(r.value for r in _ROLE_ORDER)
                raise _FieldError(
                    f"sections[{i}].role", f"'{section.role.value}' is repeated or out of order ({order})"
                )
            last_rank = rank

    def section(self, key: str) -> SectionSpec:
        for section in self.sections:
            if section.key == key:
                return section
        known = ", ".join(s.key for s in self.sections)
        raise KeyError(f"kind '{self.key}' has no section '{key}' (has: {known})")

    def sections_for(self, theme: ThemeSpec) -> tuple[SectionSpec, ...]:
        return self.sections_with_extras(theme.extra_required, theme.extra_guides)

    def sections_with_extras(
        self, extra_matters: Sequence[str], guides: Mapping[str, MatterGuide] = MappingProxyType({})
    ) -> tuple[SectionSpec, ...]:
        """The kind's extra slot becomes one required section per matter a theme adds (e.g. 2025:
        反面典型案例剖析), with the matter's own 写作要点 and 参考写法 where the theme has them; kinds
        without an extra slot ignore such matters. Drafts keep the matters they were started with,
        so this takes the list rather than the theme."""
        if not extra_matters:
            return self.sections
        out: list[SectionSpec] = []
        for section in self.sections:
            if section.role is not SectionRole.EXTRA:
                out.append(section)
                continue
            for i, matter in enumerate(extra_matters, 1):
                update: dict[str, Any] = {"key": f"{section.key}_{i}", "heading": matter, "required": True}
                if (guide := guides.get(matter)) is not None:
                    update |= {"guide": guide.guide, "example": guide.example_for(self.voice)}
                out.append(section.model_copy(update=update))
        return tuple(out)

    def title_for(
        self, name: str | None, unit: str | None, year_label: str, *, meeting: str | None = None
    ) -> str:
        """The document title; the fallback is used when the template needs a missing name or unit.

        ``meeting`` overrides the kind's meeting, for kinds such as the rectification report that
        serve both meetings.
        """
        values = {
            "name": (name or "").strip(),
            "unit": (unit or "").strip(),
            "year_label": year_label.strip(),
            "meeting": meeting or self.meeting or "",
        }
        needed = _placeholders(self.title_template) & _IDENTITY_FIELDS
        template = self.title_template if all(values[f] for f in needed) else self.title_fallback
        return _fill(template, values)

    def signature_for(self, unit: str | None) -> str | None:
        """The team's 署名 guessed from its unit (青山镇 → 中共青山镇委员会领导班子, 县商务局 →
        县商务局领导班子), or None when the kind is signed by its author or the unit is not known.
        A unit written as the team itself (…党政班子) is the 署名 as it stands."""
        unit = (unit or "").strip()
        if self.signature_template is None or not unit:
            return None
        if unit.endswith("班子"):
            return unit
        return _fill(self.signature_template, {"unit": unit, "committee": _committee(unit)})

    def identity_in(self, title: str) -> dict[str, str]:
        """The name or unit a title written to this kind's template opens with: 张伟 of
        “张伟同志2026年度…”, 东湖区发展和改革局 of “东湖区发展和改革局领导班子2026年度…”; a unit titled
        otherwise, by what its title names before the year (市水务局机关第二党支部委员会2026年度…:
        the 支部, whose 班子 the template names); else none."""
        parts = list(string.Formatter().parse(self.title_template))
        field = parts[0][1] if len(parts) > 1 and not parts[0][0] else None
        after = parts[1][0] if field is not None else ""
        if field is None or field not in _IDENTITY_FIELDS or not after:
            return {}
        if after in title:
            value = title[: title.index(after)].strip()
        elif field == "unit":
            subject = title_subject(title)
            value = subject.removesuffix("委员会") if subject.endswith(_BRANCH_COMMITTEE) else subject
        else:
            return {}
        return {field: value} if value else {}


@dataclass(frozen=True)
class Catalog:
    """All kinds (menu order) and themes (by family, newest year first); read-only and shared."""

    kinds: Mapping[str, KindSpec]
    themes: Mapping[str, ThemeSpec]

    def kind(self, key: str) -> KindSpec:
        try:
            return self.kinds[key]
        except KeyError:
            raise KeyError(f"unknown material kind '{key}' (known: {', '.join(self.kinds)})") from None

    def theme(self, key: str) -> ThemeSpec:
        try:
            return self.themes[key]
        except KeyError:
            raise KeyError(f"unknown theme '{key}' (known: {', '.join(self.themes)})") from None

    def selectable_kinds(self) -> list[KindSpec]:
        """Kinds a user may start a draft of; the others are generated (e.g. from the ledger)."""
        return [k for k in self.kinds.values() if k.selectable]

    def themes_for(self, kind: KindSpec) -> list[ThemeSpec]:
        """Themes the kind can use, in the kind's family order, newest year first."""
        return [t for family in kind.families for t in self.themes.values() if t.family == family]


def aspect_text(text: str) -> str:
    """An aspect as a heading names it, without the punctuation a heading run into its first
    sentence ends with ("……方面。党性锻炼……") or a pasted list line trails."""
    return text.strip().rstrip(_TRAILING_PUNCTUATION)


def _aspect_heading(text: str) -> str:
    return text if text.endswith(_HEADING_ENDINGS) or _ASKS.search(text) else f"{text}方面"


def custom_theme(aspect_texts: list[str], *, label: str, year: int | None, family: str | None) -> ThemeSpec:
    """A theme from a user's own aspect list (their local notice), e.g. for a year not in the data.

    Blank entries are skipped and trailing punctuation trimmed; ``方面`` is appended to a heading only
    when the text does not already end in 方面/情况 and is no checklist question (公车使用是否规范,
    有无公车私用: "…规范方面" reads wrong). Raises ValueError when no aspect remains.
    """
    texts = [t for t in map(aspect_text, aspect_texts) if t]
    if not texts:
        raise ValueError("custom theme needs at least one aspect")
    aspects = tuple(AspectSpec(text=t, verified=False, heading=_aspect_heading(t)) for t in texts)
    meeting = FAMILY_MEETINGS.get(family or "", "")
    return ThemeSpec(
        key=CUSTOM_THEME,
        label=label,
        year=year,
        family=family,
        title=f"{label.strip()}{meeting}",
        theme=None,
        status="user_defined",
        aspects=aspects,
        source="user",
    )


def load_catalog(extra_dir: Path | None = None) -> Catalog:
    """The packaged catalog, overlaid with an admin directory's files; cached per directory."""
    return _load_cached(extra_dir.resolve() if extra_dir is not None else None)


@functools.cache
def _load_cached(extra_dir: Path | None) -> Catalog:
    data = resources.files("bot").joinpath("data")
    kinds = _parse_kinds(_read(data.joinpath("kinds.yaml"), "kinds.yaml"), "kinds.yaml")
    themes: dict[str, ThemeSpec] = {}
    for entry in sorted(data.joinpath("themes").iterdir(), key=lambda t: t.name):
        if entry.name.endswith(".yaml"):
            source = f"themes/{entry.name}"
            theme = _parse_theme(_read(entry, source), source, entry.name.removesuffix(".yaml"))
            themes[theme.key] = theme
    if extra_dir is not None:
        if not extra_dir.is_dir():
            raise CatalogError(f"{extra_dir}: not a directory")
        for path in sorted(extra_dir.glob("*.yaml")):
            raw = _read(path, str(path))
            if path.name == "kinds.yaml":
                kinds.update(_parse_kinds(raw, str(path)))
            else:
                theme = _parse_theme(raw, str(path), path.stem)
                themes[theme.key] = theme
    _check_families(kinds.values(), themes.values())
    ordered = sorted(themes.values(), key=_theme_order)
    return Catalog(kinds=MappingProxyType(kinds), themes=MappingProxyType({t.key: t for t in ordered}))


def _read(file: Traversable, source: str) -> object:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{source}: cannot read: {exc}") from exc
    try:
        return safe_load(text)
    except yaml.MarkedYAMLError as exc:
        where = f" at line {exc.problem_mark.line + 1}" if exc.problem_mark else ""
        raise CatalogError(f"{source}: invalid YAML{where}: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise CatalogError(f"{source}: invalid YAML: {exc}") from exc


def _parse_theme(raw: object, source: str, key: str) -> ThemeSpec:
    if not _THEME_KEY.match(key) or key == CUSTOM_THEME:
        raise CatalogError(
            f"{source}: file name must be lowercase letters, digits and '-' (e.g. dsh-2026.yaml), "
            f"and not '{CUSTOM_THEME}'"
        )
    if not isinstance(raw, dict):
        raise CatalogError(f"{source}: expected a mapping of theme fields, got {type(raw).__name__}")
    try:
        return _ThemeFile.model_validate(raw).to_spec(key, source)
    except ValidationError as exc:
        raise _invalid(source, "", exc) from None


def _parse_kinds(raw: object, source: str) -> dict[str, KindSpec]:
    if not isinstance(raw, dict):
        raise CatalogError(f"{source}: expected a mapping of kind key → kind, got {type(raw).__name__}")
    kinds: dict[str, KindSpec] = {}
    for key, entry in raw.items():
        if not isinstance(key, str) or not _KIND_KEY.match(key):
            raise CatalogError(f"{source}: {key}: kind key must be lowercase letters, digits and '_'")
        if not isinstance(entry, dict):
            raise CatalogError(f"{source}: {key}: expected a mapping of kind fields")
        for reserved in ("key", "source"):
            if reserved in entry:
                raise CatalogError(f"{source}: {key}.{reserved}: not allowed here (set by the loader)")
        try:
            kinds[key] = KindSpec.model_validate({**entry, "key": key, "source": source})
        except ValidationError as exc:
            raise _invalid(source, key, exc) from None
    return kinds


def _invalid(source: str, prefix: str, exc: ValidationError) -> CatalogError:
    """One line per pydantic error, as ``file: key.path[i].field: message``."""
    lines = []
    for error in exc.errors():
        path = prefix
        for part in error["loc"]:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
        message = error["msg"]
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, ValueError):
            message = str(cause)
            if isinstance(cause, _FieldError):
                path = f"{path}.{cause.field}" if path else cause.field
        lines.append(f"{source}: {path}: {message}" if path else f"{source}: {message}")
    return CatalogError("\n".join(lines))


def _check_families(kinds: Iterable[KindSpec], themes: Iterable[ThemeSpec]) -> None:
    present = {t.family for t in themes}
    for kind in kinds:
        for i, family in enumerate(kind.families):
            if family not in present:
                raise CatalogError(f"{kind.source}: {kind.key}.families[{i}]: no theme of family '{family}'")


def _theme_order(theme: ThemeSpec) -> tuple[int, str, bool, int, str]:
    """Shipped families first (dsh, zzsh), then others by name; newest year first, undated last."""
    family = theme.family or ""
    known = list(FAMILY_MEETINGS)
    rank = known.index(family) if family in known else len(known)
    return (rank, family, theme.year is None, -(theme.year or 0), theme.key)
