"""What a review produces: findings with a severity, a place and a stable key for dismissals."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.document import SectionRole, Span


class Severity(StrEnum):
    """How sure and how serious: errors get a material sent back, warnings usually do, info is advice."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most severe; sorting by rank puts errors first."""
        return _RANKS[self]

    @property
    def label(self) -> str:
        """The Chinese name users see."""
        return _LABELS[self]

    def softer(self) -> Severity:
        """One step down (error → warning → info), for hits a rule is less sure of."""
        order = list(Severity)
        return order[min(self.rank + 1, len(order) - 1)]


_RANKS = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_LABELS = {Severity.ERROR: "必须修改", Severity.WARNING: "建议修改", Severity.INFO: "供参考"}


@dataclass(frozen=True)
class Hit:
    """What a rule reports; the engine adds the rule id, severity, place and key.

    ``fields`` fill the rule's message and suggestion templates. ``soft`` asks for one severity step
    down (e.g. the year's aspects are unverified). ``section`` overrides the locator derived from
    ``span``: for hits about a whole section, and for raw hits, whose span the locator cannot read.
    ``places`` lists every place when the hit groups several (the first is ``span``, unless that
    is the heading of a whole part the hit is about); ``raw`` says the spans already point into
    the text as given rather than into the text the rules read after capture repair. ``subject``
    names what a hit without a span is about (the heading of a missing section): its snippet, so
    that its key is its own. ``step`` is the key of the section such a hit is about, which places
    it in a draft (``Place``), so the
    chat can take the user to the step where it is written. ``was`` is where the rule anchored the
    same hit before it placed it better (a problem without a measure, once on its aspect's heading):
    dismissals stored under the finding placed there still hold it (``Finding.former``).
    """

    span: Span | None
    fields: dict[str, Any] = field(default_factory=dict)
    section: str | None = None
    soft: bool = False
    places: tuple[Span, ...] = ()
    raw: bool = False
    subject: str = ""
    step: str | None = None
    was: Span | None = None


@dataclass(frozen=True)
class Place:
    """Where a finding is in the document model, whatever the wording of its locator.

    ``section`` is the key of the aspect or section it is in (the draft step it was written in,
    ``problems.3``), or of the section it is about when it has no span (a missing one), and
    ``item`` the id of the item; documents parsed from files have neither.
    """

    section: str | None = None
    item: int | None = None


@dataclass(frozen=True)
class Finding:
    """One problem a reviewer would point out, in Chinese, with where it is and how to fix it.

    ``snippet`` is the offending text (shortened); it feeds ``key`` and the terminal renderer.
    ``places`` holds every place the finding covers when it groups several (``span`` is the first,
    unless it is the heading of a whole part); the chat may show one, ``duizhao check --format
    json`` lists them all. ``folded`` counts the further findings of its rule that the cap on a
    rule's findings left unlisted behind it (its
    message says 此后还有N处): they are still to be fixed, so every count includes them (``count``).
    ``fix_in`` is the role of the part where the fix is written when it is not the finding's place
    (its rule's declaration): the place still names the finding and keys its dismissal. ``former``
    holds the keys it had where its rule anchored it before (``Hit.was``), which dismiss it too.
    """

    rule: str
    severity: Severity
    message: str
    suggestion: str
    span: Span | None
    section: str | None
    dismissed: bool = False
    snippet: str = ""
    place: Place = field(default_factory=Place)
    places: tuple[Span, ...] = ()
    folded: int = 0
    fix_in: SectionRole | None = None
    former: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """How many findings this one stands for: itself and those folded behind it."""
        return 1 + self.folded

    @property
    def all_places(self) -> tuple[Span, ...]:
        """Every place the finding covers: its ``places`` when it groups several (not the heading
        a whole part's finding is anchored on), else its span; none for a document-level one."""
        if self.places:
            return self.places
        return (self.span,) if self.span is not None else ()

    @property
    def key(self) -> str:
        """Stable id for dismissals: rule, place and offending text, so unrelated edits keep it. A
        draft's finding is placed by its step and item id (``place``), which no renumbering changes
        (a part written above it, an item inserted before it); a file's by its locator.

        A hash rather than the text itself, so stored dismissals hold no material text and fit in a
        Telegram callback (32 hex characters).
        """
        if self.place.section is None:
            return self.legacy_key
        return _hashed(self.rule, f"{self.place.section}#{self.place.item or ''}", self.snippet)

    @property
    def legacy_key(self) -> str:
        """The key of a finding placed by its locator (``二、… / 第2条“…”``): a file's, and what a
        draft's dismissals were stored under before, which they still match (``dismissed_by``)."""
        return _hashed(self.rule, self.section or "", self.snippet)

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key a dismissal of this finding may be stored under: its own, the one its locator
        gives, and those of where it was placed before (``former``)."""
        return (self.key, self.legacy_key, *self.former)

    def dismissed_by(self, keys: Collection[str]) -> bool:
        return any(key in keys for key in self.keys)

    @property
    def position(self) -> int:
        """Sort position; document-level findings (no span) come first."""
        return self.span[0] if self.span is not None else -1


def _hashed(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
