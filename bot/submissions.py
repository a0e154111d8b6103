"""Submissions: a material handed in for approval, as an immutable snapshot of its document model.

Shared by the reviewer's desk (a cadre hands his material in to a review batch) and a team's 审定
(the office hands the 班子 material to the secretary). What is stored is the ``Document`` as the
author's draft assembled it (``DraftView.to_document``), or as an uploaded file parsed, with what the
review needs besides (kind, 年度, meeting date, the aspects to check against) and the author's
name, unit and post: later edits of the draft change nothing until it is handed in again.

Items keep their ids, so a comment made on version 1 names the same item in version 2 and
``changes`` can say what was rewritten, added or dropped since a return. Items of an uploaded file
have no ids of their own: they are numbered in reading order (``stable_ids`` is then false and
``changes`` matches them by place).

Nothing here touches the database or Telegram; ``storage.submissions`` stores and reads these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from bot.catalog import Catalog
from bot.document import Document, Item, Section, SectionRole
from bot.draftview import DraftView
from bot.layout import lay_out
from bot.review import Finding, ReviewConfig, Severity, review
from bot.submission_status import Source, Status
from bot.texts import esc
from storage.models import Submission

FORMAT = 1
__all__ = ["Change", "ChangeKind", "Snapshot", "Source", "Status", "changes", "of_document", "of_draft"]


@dataclass(frozen=True)
class Snapshot:
    """A material as handed in. ``document`` is rebuilt on every read, so callers may lay it out
    (which sets spans in place) without touching anyone else's copy."""

    document: Document
    kind: str | None = None
    year: int | None = None
    meeting_date: date | None = None
    aspects: tuple[str, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)
    signature: str | None = None
    stable_ids: bool = True
    missing: str = ""
    """The required parts a draft was handed in without (``DraftView.missing_names``)."""
    dated: str | None = None
    """The date a file closes with, as written (a draft's file is dated by its meeting)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "title": self.document.title,
            "byline": self.document.byline,
            "sections": [_section_json(s) for s in self.document.sections],
            "kind": self.kind,
            "year": self.year,
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "aspects": list(self.aspects),
            "meta": dict(self.meta),
            "signature": self.signature,
            "stable_ids": self.stable_ids,
            "missing": self.missing,
            "dated": self.dated,
        }

    @classmethod
    def of(cls, submission: Submission) -> Snapshot:
        """The snapshot a stored submission holds."""
        return cls.from_json(submission.snapshot)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Snapshot:
        meeting = raw.get("meeting_date")
        return cls(
            document=Document(
                title=raw.get("title"),
                byline=raw.get("byline"),
                sections=[_section_of(s) for s in raw.get("sections", [])],
                typed=bool(raw.get("stable_ids", True)),  # a draft's, not a file's
            ),
            kind=raw.get("kind"),
            year=raw.get("year"),
            meeting_date=date.fromisoformat(meeting) if meeting else None,
            aspects=tuple(raw.get("aspects", ())),
            meta=dict(raw.get("meta", {})),
            signature=raw.get("signature"),
            stable_ids=bool(raw.get("stable_ids", True)),
            missing=str(raw.get("missing") or ""),
            dated=raw.get("dated"),
        )

    def unfinished(self, reader: str | None = None, again: str = "") -> str:
        """A draft handed in with required parts still empty, said so it is not by mistake: to the
        one who hands it in (``reader`` will see an unfinished material, ``again`` is how to hand
        it in once more), or, with no ``reader``, to the one who reads it; "" when none is empty."""
        if not self.missing:
            return ""
        said = f"{reader}看到的是一份未写完的材料；写好后可{again}。" if reader else "这是一份未写完的材料。"
        return f"请留意：{esc(self.missing)}还没有内容，{said}"

    @property
    def name(self) -> str:
        """Whose it is, as its title names them: the writer, or the unit of a report a unit wrote
        without a name (a 自查自纠报告 of 县交通运输局)."""
        return self.meta.get("name") or self.meta.get("unit", "")

    @property
    def position(self) -> str:
        return self.meta.get("position", "")

    def items(self) -> Iterator[tuple[Section, Item]]:
        """Every item with the section or aspect holding it, in reading order."""
        for section, _ in _walk(self.document.sections):
            for item in section.items:
                yield section, item

    def reading(self) -> Iterator[tuple[Section, Item | None, str]]:
        """The material in reading order: each section's paragraphs (the preamble, a list's lead, a
        part written as text) with no item, then its items."""
        for section, _ in _walk(self.document.sections):
            for paragraph in section.paragraphs:
                yield section, None, paragraph
            for item in section.items:
                yield section, item, item.text

    def item(self, item_id: int) -> tuple[Section, Item] | None:
        return next(((s, i) for s, i in self.items() if i.id == item_id), None)

    def text_of(self, role: SectionRole) -> list[str]:
        """The items (or paragraphs) of the sections of ``role``, each as one text."""
        found: list[str] = []
        for section, _ in _walk(self.document.sections):
            if section.role is role:
                found.extend(item.text for item in section.items)
                if not section.items and not section.subsections:
                    found.extend(section.paragraphs)
        return found


def of_draft(view: DraftView) -> Snapshot:
    """The draft as it stands, with what reviewing and rendering it later needs."""
    meta = view.draft.meta or {}
    kept = {k: str(meta[k]) for k in ("name", "unit", "position") if meta.get(k)}
    if view.signed_by_team and (team := kept.get("unit") or view.signature):
        kept["name"] = team  # a team's material is the unit's, not the office staffer's who wrote it
    return Snapshot(
        document=view.to_document(),
        kind=view.draft.kind,
        year=view.draft.year,
        meeting_date=view.draft.meeting_date,
        aspects=tuple(a["text"] for a in view.aspects),
        meta=kept,
        signature=view.signature,
        missing=view.missing_names(),
    )


def of_document(
    document: Document,
    *,
    kind: str | None = None,
    year: int | None = None,
    meeting_date: date | None = None,
    aspects: Sequence[str] = (),
    meta: dict[str, str] | None = None,
    closing: tuple[str | None, str | None] = (None, None),
) -> Snapshot:
    """A parsed file: its items numbered in reading order, its sections keyed by role (and aspect
    number), since a file has neither ids nor steps; ``closing`` its 署名 and date as written."""
    counter = iter(range(1, 1_000_000))
    seen: dict[str, int] = {}
    for section, parent in _walk(document.sections):
        if parent is None:
            base = section.role.value
            seen[base] = seen.get(base, 0) + 1
            section.key = base if seen[base] == 1 else f"{base}{seen[base]}"
        for number, sub in enumerate(section.subsections, start=1):
            sub.key = f"{section.key}.{number}"
        for item in section.items:
            item.id = next(counter)
    return Snapshot(
        document=document,
        kind=kind,
        year=year,
        meeting_date=meeting_date,
        aspects=tuple(aspects),
        meta=dict(meta or {}),
        signature=closing[0],
        stable_ids=False,
        dated=closing[1],
    )


# -- what changed -----------------------------------------------------------------------------------


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    EDITED = "edited"


@dataclass(frozen=True)
class Change:
    """One item (or a section's paragraphs, ``item_id`` None) that differs between two versions."""

    kind: ChangeKind
    section: str | None
    item_id: int | None
    old: str
    new: str


def changes(old: Snapshot, new: Snapshot) -> list[Change]:
    """What ``new`` changed against ``old``, in ``new``'s reading order (removals last).

    Items are matched by id when both snapshots come from drafts; otherwise by their place (section
    key and position), which is all a file offers. An item moved to another aspect counts as edited
    only if its text changed; paragraphs (a text section, a list's lead) compare per section.
    """
    by_id = old.stable_ids and new.stable_ids
    before = dict(_keyed(old, by_id))
    found: list[Change] = []
    for key, (section, item_id, text) in _keyed(new, by_id):
        previous = before.pop(key, None)
        if previous is None:
            found.append(Change(ChangeKind.ADDED, section, item_id, "", text))
        elif previous[2] != text:
            found.append(Change(ChangeKind.EDITED, section, item_id, previous[2], text))
    found.extend(Change(ChangeKind.REMOVED, s, i, text, "") for s, i, text in before.values())
    return found


_Key = tuple[str, object]


def _keyed(snapshot: Snapshot, by_id: bool) -> Iterator[tuple[_Key, tuple[str | None, int | None, str]]]:
    for section, _ in _walk(snapshot.document.sections):
        key = section.key or ""
        if section.paragraphs:
            yield ("p", key), (section.key, None, "\n".join(section.paragraphs))
        for position, item in enumerate(section.items):
            ident: _Key = ("i", item.id) if by_id else ("i", (key, position))
            yield ident, (section.key, item.id, item.text)


# -- review -----------------------------------------------------------------------------------------


def review_snapshot(
    snapshot: Snapshot,
    catalog: Catalog,
    *,
    config: ReviewConfig | None = None,
    peers: Mapping[str, Sequence[str]] | None = None,
) -> list[Finding]:
    """The full review of the material as handed in, as /check would give it for the draft;
    ``peers`` are the items of other materials handed in with it, by role (``problems.stock.shared``)."""
    kind = catalog.kinds.get(snapshot.kind) if snapshot.kind else None
    return review(
        lay_out(snapshot.document),
        kind=kind,
        year=snapshot.year,
        meeting_date=snapshot.meeting_date,
        aspects=list(snapshot.aspects) or None,
        config=config,
        catalog=catalog,
        peers=peers,
    )


def summarize(findings: Iterable[Finding]) -> dict[str, Any]:
    """Counts of undismissed findings by severity, and by rule family and severity (no text): what
    a submission row keeps so a list of thirty needs no thirty reviews."""
    counts: dict[str, Any] = {s.value: 0 for s in Severity}
    families: dict[str, dict[str, int]] = {}
    for finding in findings:
        if finding.dismissed:
            continue
        counts[finding.severity.value] += finding.count
        family = families.setdefault(finding.rule.split(".", 1)[0], {})
        family[finding.severity.value] = family.get(finding.severity.value, 0) + finding.count
    counts["families"] = families
    return counts


@dataclass
class Counts:
    """The review counts of versions handed in: those kept with each or, for a version whose counts
    a stopped process never stored, those of ``review`` now (so call ``of`` after the commit). These
    are collected in ``found`` for the reader to store (``storage.submissions.keep_counts``): a
    snapshot never changes, so counts found once stay true."""

    review: Callable[[Submission], Iterable[Finding]]
    found: dict[int, dict[str, Any]] = field(default_factory=dict)

    def of(self, submission: Submission) -> dict[str, Any]:
        if submission.summary:
            return submission.summary
        if submission.id not in self.found:
            self.found[submission.id] = summarize(self.review(submission))
        return self.found[submission.id]


# -- (de)serialising the document model -------------------------------------------------------------


def _walk(
    sections: Sequence[Section], parent: Section | None = None
) -> Iterator[tuple[Section, Section | None]]:
    for section in sections:
        yield section, parent
        yield from _walk(section.subsections, section)


def _section_json(section: Section) -> dict[str, Any]:
    return {
        "role": section.role.value,
        "heading": section.heading,
        "key": section.key,
        "paragraphs": list(section.paragraphs),
        "items": [{"id": item.id, "text": item.text} for item in section.items],
        "subsections": [_section_json(s) for s in section.subsections],
    }


def _section_of(raw: dict[str, Any]) -> Section:
    try:
        role = SectionRole(str(raw.get("role")))
    except ValueError:
        role = SectionRole.OTHER
    return Section(
        role=role,
        heading=raw.get("heading"),
        key=raw.get("key"),
        paragraphs=list(raw.get("paragraphs", [])),
        items=[Item.from_text(i.get("text", ""), id=i.get("id")) for i in raw.get("items", [])],
        subsections=[_section_of(s) for s in raw.get("subsections", [])],
    )
