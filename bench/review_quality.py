"""How far a careful reviewer can trust the review: precision and recall on a corpus of our own.

The corpus (tests/review_corpus) holds full materials of every kind written for this purpose, each with
an annotation file listing every defect a 组织部 reviewer would mark (rule, quote, severity) and the
traps that must stay quiet. Only errors and warnings are scored: they are what gets a material sent
back. A finding matches a defect when rule and severity agree and one of its places overlaps the
quote. Each material is also checked as damaged copies (web and PDF capture, one kind of damage each,
bench/corpus_variants.py), which must give the clean findings plus one ``text.capture``, and as .docx
files in the forms Word writes, which must give the same findings as the text.

    .venv/bin/python -m bench.review_quality [--verbose]
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bench.corpus_variants import DAMAGE, DOCX_FORMS, damage, docx_variant
from bot.parsing import ParseResult, parse_bytes, parse_text
from bot.review import review
from bot.review.findings import Finding, Severity

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "review_corpus"
SCORED = (Severity.ERROR, Severity.WARNING)
CAPTURE = "text.capture"
Span = tuple[int, int]


@dataclass(frozen=True)
class Defect:
    rule: str
    severity: Severity
    span: Span | None
    quote: str | None


@dataclass(frozen=True)
class Material:
    """One corpus text, what it is (a kind key or a genre), the options it is reviewed with (a null
    kind lets the tool guess), its defects and its quiet traps."""

    name: str
    covers: str
    text: str
    options: dict[str, Any]
    defects: tuple[Defect, ...]
    traps: tuple[tuple[Span, str, frozenset[str]], ...]


@dataclass
class Tally:
    """Matches per rule; ``misses`` and ``false`` keep what went wrong, for --verbose."""

    hits: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    expected: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    traps: list[str] = field(default_factory=list)

    def precision(self, rule: str | None = None) -> float:
        hits, found = _pick(self.hits, rule), _pick(self.found, rule)
        return hits / found if found else 1.0

    def recall(self, rule: str | None = None) -> float:
        hits, expected = _pick(self.hits, rule), _pick(self.expected, rule)
        return hits / expected if expected else 1.0


def _pick(counter: Counter[str], rule: str | None) -> int:
    return counter[rule] if rule is not None else sum(counter.values())


def load_corpus(root: Path = CORPUS) -> list[Material]:
    """Every ``*.txt`` with its ``*.yaml`` annotation; a quote's place is its n-th occurrence.

    A quiet trap may name the rules it is a trap for; without them any finding on it is wrong.
    """
    materials = []
    for path in sorted(root.glob("*.txt")):
        text = parse_text(path.read_text("utf-8")).text
        notes = yaml.safe_load(path.with_suffix(".yaml").read_text("utf-8"))
        options: dict[str, Any] = {"kind": notes.get("kind")}
        if notes.get("meeting_date"):
            options["meeting_date"] = date.fromisoformat(str(notes["meeting_date"]))
        defects = tuple(
            Defect(
                d["rule"],
                Severity(d["severity"]),
                _place(text, d.get("quote"), d.get("nth", 1)),
                d.get("quote"),
            )
            for d in notes.get("defects") or []
        )
        traps = tuple(
            (_need(_place(text, t["quote"], 1)), t["quote"], frozenset(t.get("rules") or ()))
            for t in notes.get("quiet") or []
        )
        materials.append(Material(path.stem, str(notes["covers"]), text, options, defects, traps))
    return materials


def _place(text: str, quote: str | None, nth: int) -> Span | None:
    if quote is None:
        return None
    start = -1
    for _ in range(nth):
        start = text.find(quote, start + 1)
        if start < 0:
            raise ValueError(f"quote not in the material: {quote}")
    return start, start + len(quote)


def _need(span: Span | None) -> Span:
    assert span is not None
    return span


def places(finding: Finding) -> list[Span]:
    """Every place of a finding: its span and any further places it lists."""
    return list(finding.all_places)


def scored(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity in SCORED and not f.dismissed]


def run(material: Material, result: ParseResult | None = None) -> list[Finding]:
    return review(result or parse_text(material.text), **material.options)


def score(material: Material, findings: Sequence[Finding], tally: Tally) -> None:
    """Match findings to defects one to one, counting per rule."""
    open_defects = [d for d in material.defects if d.severity in SCORED]
    for defect in open_defects:
        tally.expected[defect.rule] += 1
    for finding in scored(findings):
        tally.found[finding.rule] += 1
        match = next((d for d in open_defects if _matches(finding, d)), None)
        where = f"{material.name}: {finding.rule} {finding.severity.value} “{finding.snippet}”"
        if match is None:
            tally.false.append(where)
            for span, quote, rules in material.traps:
                if (not rules or finding.rule in rules) and any(_overlap(span, p) for p in places(finding)):
                    tally.traps.append(f"{where} on trap “{quote}”")
            continue
        open_defects.remove(match)
        tally.hits[finding.rule] += 1
    tally.misses += [f"{material.name}: {d.rule} {d.severity.value} “{d.quote}”" for d in open_defects]


def _matches(finding: Finding, defect: Defect) -> bool:
    if finding.rule != defect.rule or finding.severity is not defect.severity:
        return False
    if defect.span is None:
        return finding.span is None
    return any(_overlap(defect.span, p) for p in places(finding))


def _overlap(a: Span, b: Span) -> bool:
    return (a[0] < b[1] and b[0] < a[1]) or a == b


def signature(findings: Sequence[Finding], text: str) -> Counter[tuple[str, str, str]]:
    """Rule, severity and the words at the finding (spaces and breaks removed), for comparing copies."""
    return Counter(
        (f.rule, f.severity.value, "".join(text[f.span[0] : f.span[1]].split()) if f.span else "")
        for f in scored(findings)
    )


def damaged_copies(material: Material, clean: Sequence[Finding]) -> Iterator[tuple[str, str | None]]:
    """Each damaged copy's name and what is wrong with its findings (None when right)."""
    expected = signature(clean, material.text)
    for kind in DAMAGE:
        text = damage(material.text, kind)
        findings = review(parse_text(text), **material.options)
        captures = [f for f in findings if f.rule == CAPTURE]
        got = signature([f for f in findings if f.rule != CAPTURE], text)
        problem = None
        if len(captures) != 1:
            problem = f"{len(captures)} text.capture findings"
        elif got != expected:
            problem = f"extra {dict(got - expected)}, missing {dict(expected - got)}"
        yield f"{material.name}+{kind}", problem


def docx_copies(material: Material, clean: Sequence[Finding]) -> Iterator[tuple[str, str | None]]:
    """Each .docx form's name and what is wrong with its findings (None when right)."""
    expected = signature(clean, material.text)
    for form in DOCX_FORMS:
        result = parse_bytes("material.docx", docx_variant(material.text, form))
        got = signature(review(result, **material.options), result.text)
        problem = None if got == expected else f"extra {dict(got - expected)}, missing {dict(expected - got)}"
        yield f"{material.name}.docx/{form}", problem


@dataclass
class Report:
    tally: Tally
    copies: int
    copy_problems: list[str]


def evaluate(materials: Sequence[Material] | None = None, variants: bool = True) -> Report:
    tally = Tally()
    problems: list[str] = []
    copies = 0
    for material in materials or load_corpus():
        findings = run(material)
        score(material, findings, tally)
        if variants:
            for name, problem in [*damaged_copies(material, findings), *docx_copies(material, findings)]:
                copies += 1
                if problem is not None:
                    problems.append(f"{name}: {problem}")
    return Report(tally, copies, problems)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--verbose", action="store_true", help="list misses, false findings and copy problems"
    )
    args = parser.parse_args(argv)
    report = evaluate()
    tally = report.tally
    rules = sorted(set(tally.expected) | set(tally.found))
    print(f"{'rule':34} {'defects':>7} {'found':>5} {'right':>5} {'precision':>9} {'recall':>6}")
    for rule in rules:
        print(
            f"{rule:34} {tally.expected[rule]:7} {tally.found[rule]:5} {tally.hits[rule]:5}"
            f" {tally.precision(rule):9.2f} {tally.recall(rule):6.2f}"
        )
    print(
        f"{'overall (errors and warnings)':34} {sum(tally.expected.values()):7} {sum(tally.found.values()):5}"
        f" {sum(tally.hits.values()):5} {tally.precision():9.2f} {tally.recall():6.2f}"
    )
    print(f"quiet traps broken: {len(tally.traps)}")
    print(
        f"damaged and .docx copies: {report.copies - len(report.copy_problems)}/{report.copies} as expected"
    )
    if args.verbose:
        for title, lines in (
            ("missed", tally.misses),
            ("false", tally.false),
            ("traps", tally.traps),
            ("copies", report.copy_problems),
        ):
            for line in lines:
                print(f"{title}: {line}")


if __name__ == "__main__":
    main()
