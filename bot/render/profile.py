"""Formatting profiles: page geometry, grid, fonts and page numbers of the official-format .docx.

GB/T 9704-2012 is the default, but units print their materials with their own habits (28 pt line
spacing, bold 楷体 headings), so layout is data: a YAML file validated here. A unit's file usually
``extends`` a packaged profile and overrides a few keys; mappings merge key by key.

A name (``"gbt9704"``) loads a packaged profile from ``bot/data/profiles`` via importlib.resources; a
``Path`` loads a unit's own file. Every problem is reported as ``<file>: <key path>: <message>``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import Field, StrictBool, ValidationError, model_validator

from bot.catalog import CatalogError, NonEmpty, _Frozen, _invalid, _read

DEFAULT_PROFILE = "gbt9704"
TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_PT = 20
PAGE_PLACEHOLDER = "{page}"
_EXTENDS = "extends"

Positive = Annotated[float, Field(gt=0)]
Chars = Annotated[float, Field(ge=0, le=10)]
Side = Literal["left", "center", "right"]


class ProfileError(Exception):
    """A profile file is unreadable or invalid; the message names the file and the key path."""


def mm_to_twips(mm: float) -> int:
    """Word stores geometry in whole twips; rounding here keeps the grid arithmetic identical to Word's."""
    return round(mm * TWIPS_PER_MM)


class FontSpec(_Frozen):
    """One paragraph or character style's font; Latin and digits always use the profile's Latin font."""

    east_asian: NonEmpty
    size_pt: Annotated[float, Field(gt=0, le=72)]
    bold: StrictBool = False


class Margins(_Frozen):
    top: Positive
    bottom: Positive
    left: Positive
    right: Positive


class PageSpec(_Frozen):
    width_mm: Positive
    height_mm: Positive
    margins_mm: Margins
    header_mm: Positive
    footer_mm: Positive

    @model_validator(mode="after")
    def _text_area(self) -> Self:
        m = self.margins_mm
        if m.left + m.right >= self.width_mm or m.top + m.bottom >= self.height_mm:
            raise ValueError("margins_mm: the margins leave no room for text")
        return self

    @property
    def text_width_twips(self) -> int:
        m = self.margins_mm
        return mm_to_twips(self.width_mm) - mm_to_twips(m.left) - mm_to_twips(m.right)

    @property
    def text_height_twips(self) -> int:
        m = self.margins_mm
        return mm_to_twips(self.height_mm) - mm_to_twips(m.top) - mm_to_twips(m.bottom)


class GridSpec(_Frozen):
    """Lines per page and characters per line, as in Word's 文档网格 dialog."""

    lines: Annotated[int, Field(ge=1, le=100)]
    chars: Annotated[int, Field(ge=1, le=100)]


class Styles(_Frozen):
    """Fonts by role; ``item_lead`` is the ``一是……。`` sentence that opens a run-in item."""

    title: FontSpec
    byline: FontSpec
    body: FontSpec
    heading1: FontSpec
    heading2: FontSpec
    heading3: FontSpec
    heading4: FontSpec
    item_lead: FontSpec
    date: FontSpec

    def heading(self, level: int) -> FontSpec:
        return (self.heading1, self.heading2, self.heading3, self.heading4)[level - 1]


class PageNumberSpec(_Frozen):
    """``— 1 —`` in the footer; GB/T 9704 puts it right on odd pages and left on even ones, one
    character in from the edge of the text block."""

    font: NonEmpty
    size_pt: Annotated[float, Field(gt=0, le=72)]
    template: NonEmpty
    odd: Side
    even: Side
    edge_indent_chars: Chars = 1

    @model_validator(mode="after")
    def _one_placeholder(self) -> Self:
        if self.template.count(PAGE_PLACEHOLDER) != 1 or self.template.count("{") != 1:
            raise ValueError(f"template: must contain {PAGE_PLACEHOLDER} exactly once and no other braces")
        return self


class Profile(_Frozen):
    """A complete, validated layout; the grid pitches are derived the way Word derives them."""

    name: NonEmpty
    page: PageSpec
    grid: GridSpec
    line_spacing_pt: Annotated[float, Field(gt=0, le=100)]
    first_line_indent_chars: Chars
    latin_font: NonEmpty
    styles: Styles
    page_number: PageNumberSpec
    show_byline: StrictBool
    show_signature: StrictBool = True
    show_date: StrictBool = True
    signature_right_indent_chars: Chars = 4
    date_right_indent_chars: Chars
    source: NonEmpty

    @model_validator(mode="after")
    def _lines_fit(self) -> Self:
        if self.line_spacing_pt * TWIPS_PER_PT * self.grid.lines > self.page.text_height_twips + TWIPS_PER_PT:
            height = self.page.text_height_twips / TWIPS_PER_MM
            raise ValueError(
                f"line_spacing_pt: {self.grid.lines} lines of {self.line_spacing_pt} pt "
                f"do not fit the text height of {height:.1f} mm"
            )
        return self

    @property
    def line_pitch_twips(self) -> int:
        """``w:docGrid/@w:linePitch``: Word floors the text height divided by the lines (579 for GB/T)."""
        return self.page.text_height_twips // self.grid.lines

    @property
    def title_chars_per_line(self) -> int:
        """Title characters that fit across the text block; longer titles are broken into lines."""
        return math.floor(self.page.text_width_twips / (self.styles.title.size_pt * TWIPS_PER_PT))

    @property
    def closing_chars_per_line(self) -> int:
        """Characters of the 署名 and date across the text block: the grid's at the body's size (the
        styles of that size are spaced to it), else as many as fit."""
        size = self.styles.date.size_pt
        if size == self.styles.body.size_pt:
            return self.grid.chars
        return math.floor(self.page.text_width_twips / (size * TWIPS_PER_PT))

    def char_spacing_twips(self, size_pt: float) -> int:
        """Character spacing that fits ``grid.chars`` characters of ``size_pt`` on a line.

        Word would do this with a ``linesAndChars`` document grid, but LibreOffice lays CJK text
        on such a grid at two cells a character (13 a line); tightening the characters instead
        gives 28 a line in Word, WPS and LibreOffice alike.
        """
        pitch_pt = self.page.text_width_twips / self.grid.chars / TWIPS_PER_PT
        return math.floor((pitch_pt - size_pt) * TWIPS_PER_PT)


def load_profile(ref: str | Path | None = None) -> Profile:
    """The packaged profile named ``ref`` (default GB/T 9704), or a unit's own file when ``ref`` is a Path."""
    if isinstance(ref, Path):
        return _validate(_raw_file(ref.resolve(), ()), str(ref))
    return _packaged(ref or DEFAULT_PROFILE)


def packaged_profiles() -> list[str]:
    """Names of the profiles shipped with the package, for help texts and listings."""
    return sorted(e.name.removesuffix(".yaml") for e in _profiles_dir().iterdir() if e.name.endswith(".yaml"))


@functools.cache
def _packaged(name: str) -> Profile:
    return _validate(_raw_packaged(name, ()), _packaged_source(name))


def _validate(raw: Mapping[str, Any], source: str) -> Profile:
    try:
        return Profile.model_validate({**raw, "source": source})
    except ValidationError as exc:
        raise ProfileError(str(_invalid(source, "", exc))) from None


def _profiles_dir() -> Traversable:
    return resources.files("bot").joinpath("data", "profiles")


def _packaged_source(name: str) -> str:
    return f"profiles/{name}.yaml"


def _raw_packaged(name: str, chain: tuple[str, ...]) -> dict[str, Any]:
    source = _packaged_source(name)
    entry = _profiles_dir().joinpath(f"{name}.yaml")
    if not entry.is_file():
        known = "、".join(packaged_profiles())
        where = f"{chain[-1]}: {_EXTENDS}: " if chain else ""
        raise ProfileError(f"{where}no packaged profile '{name}' (known: {known})")
    return _resolve(entry, source, chain, base_dir=None)


def _raw_file(path: Path, chain: tuple[str, ...]) -> dict[str, Any]:
    return _resolve(path, str(path), chain, base_dir=path.parent)


def _resolve(file: Traversable, source: str, chain: tuple[str, ...], base_dir: Path | None) -> dict[str, Any]:
    """The file's mapping merged over whatever it extends; a relative ``extends`` path is taken from
    the file's directory, a bare name is a packaged profile."""
    if source in chain:
        raise ProfileError(f"{source}: {_EXTENDS}: circular ({' → '.join((*chain, source))})")
    try:
        raw = _read(file, source)
    except CatalogError as exc:
        raise ProfileError(str(exc)) from None
    if not isinstance(raw, dict):
        raise ProfileError(f"{source}: expected a mapping of profile settings, got {type(raw).__name__}")
    if "source" in raw:
        raise ProfileError(f"{source}: source: not allowed here (set by the loader)")
    parent = raw.pop(_EXTENDS, None)
    if parent is None:
        return raw
    if not isinstance(parent, str) or not parent.strip():
        raise ProfileError(f"{source}: {_EXTENDS}: expected a profile name or a relative file path")
    chain = (*chain, source)
    if parent.endswith(".yaml"):
        if base_dir is None:
            raise ProfileError(f"{source}: {_EXTENDS}: packaged profiles extend other profiles by name")
        base = _raw_file((base_dir / parent).resolve(), chain)
    else:
        base = _raw_packaged(parent, chain)
    return _merge(base, raw)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge recursively; any other value in ``override`` replaces the base's."""
    merged = dict(base)
    for key, value in override.items():
        below = merged.get(key)
        merged[key] = _merge(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return merged
