"""Every review rule fires on its examples and stays quiet on its counter-examples.

The tables live in ``tests/review_samples/rule_examples.yaml``; meta-tests keep them complete: each
registered rule has both kinds of example, each example names a registered rule, and each rule id of
DOMAIN.md §4 is covered by a registered rule (itself or a finer id below it).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.corpus_variants import docx_variant
from bot.parsing import parse_bytes, parse_text
from bot.review import Finding, load_config, registry, review
from bot.review.config import ReviewConfig

EXAMPLES_FILE = Path(__file__).parent / "review_samples" / "rule_examples.yaml"
EXAMPLES: dict[str, dict[str, list[dict[str, Any]]]] = yaml.safe_load(EXAMPLES_FILE.read_text("utf-8"))
DOMAIN = Path(__file__).resolve().parents[2] / "shared" / "DOMAIN.md"

# The rule ids of DOMAIN.md §4, also checked against the file itself when it is present.
DOMAIN_IDS = (
    "structure.sections", "structure.numbering", "structure.brackets", "structure.style",
    "structure.empty", "structure.aspects", "text.placeholder", "text.punctuation", "text.terms",
    "text.typos", "text.outdated", "text.year", "problems.concrete", "problems.voice",
    "problems.thought", "problems.stock", "problems.praise", "causes.subjective", "causes.restated",
    "measures.coverage", "measures.verifiable", "lastyear.specific", "length",
)  # fmt: skip

# A small material every example edits: each part can be replaced, or dropped with null.
SKELETON: dict[str, str | None] = {
    "title": "2024年度民主生活会个人对照检查材料",
    "preamble": "按照县委《关于认真开好2024年度民主生活会的通知》要求，会前我学习了有关文件，"
    "征求意见建议12条，谈心谈话8人次。现将个人对照检查情况报告如下：",
    "lastyear": None,
    "problems": "（一）理论学习方面\n一是学习不够系统。比如，今年参加集中学习6次，发言准备不足，"
    "对党的创新理论思想认识还不深。",
    "causes": "（一）理想信念有所松懈。对理论武装重视不够，党性修养有所放松。",
    "measures": "（一）每周自学不少于3小时，2025年6月底前完成专题学习。",
}
HEADINGS = {
    "lastyear": "上年度民主生活会查摆问题整改落实情况",
    "problems": "存在的主要问题",
    "causes": "产生问题的原因",
    "measures": "努力方向和整改措施",
}
NUMERALS = "一二三四五"


def compose(example: dict[str, Any]) -> str:
    """The skeleton with the example's parts, numbered in order; or the example's full text."""
    if "full" in example:
        return str(example["full"])
    parts = {**SKELETON, **{k: v for k, v in example.items() if k in SKELETON}}
    lines = [p for p in (parts["title"], parts["preamble"]) if p]
    present = [key for key in HEADINGS if parts[key]]
    for number, key in zip(NUMERALS, present, strict=False):
        lines += [f"{number}、{HEADINGS[key]}", str(parts[key]).strip()]
    return "\n".join(lines) + "\n"


def run_example(example: dict[str, Any]) -> tuple[str, list[Finding]]:
    text = compose(example)
    options = dict(example.get("options", {}))
    if isinstance(options.get("meeting_date"), str):
        options["meeting_date"] = date.fromisoformat(options["meeting_date"])
    config: ReviewConfig = load_config(overrides=example.get("config"))
    if "docx" in example:  # the example as a Word file in one of the forms Word writes
        result = parse_bytes("example.docx", docx_variant(text, example["docx"]))
    else:
        result = parse_text(text)
    return result.text, review(result, config=config, **options)


def _cases(kind: str) -> list[Any]:
    return [
        pytest.param(rule_id, example, id=f"{rule_id}-{kind}{i}")
        for rule_id, table in EXAMPLES.items()
        for i, example in enumerate(table.get(kind, []))
    ]


@pytest.mark.parametrize(("rule_id", "example"), _cases("fire"))
def test_rule_fires(rule_id: str, example: dict[str, Any]) -> None:
    text, findings = run_example(example)
    mine = [f for f in findings if f.rule == rule_id]
    assert mine, f"{rule_id} did not fire; got {[f.rule for f in findings]}"
    if "at" in example:
        covered = [text[f.span[0] : f.span[1]] for f in mine if f.span is not None]
        assert str(example["at"]) in covered
    for finding in mine:
        assert finding.message and finding.suggestion
        assert "{" not in finding.message + finding.suggestion


@pytest.mark.parametrize(("rule_id", "example"), _cases("quiet"))
def test_rule_stays_quiet(rule_id: str, example: dict[str, Any]) -> None:
    _, findings = run_example(example)
    assert [f.message for f in findings if f.rule == rule_id] == []


def test_every_rule_has_examples_both_ways() -> None:
    for rule_id in registry():
        table = EXAMPLES.get(rule_id, {})
        assert table.get("fire") and table.get("quiet"), f"{rule_id} lacks fire or quiet examples"


def test_examples_name_registered_rules() -> None:
    assert sorted(set(EXAMPLES) - set(registry())) == []


def test_every_domain_rule_is_registered() -> None:
    ids = set(DOMAIN_IDS)
    if DOMAIN.exists():
        section = DOMAIN.read_text("utf-8").split("## 4.", 1)[1].split("\n## ", 1)[0]
        ids |= set(re.findall(r"^\| ([a-z]+(?:\.[a-z]+)*) \|", section, flags=re.MULTILINE)) - {"id"}
    registered = set(registry())
    missing = [i for i in ids if not any(r == i or r.startswith(i + ".") for r in registered)]
    assert missing == []


def test_every_rule_is_documented() -> None:
    for spec in registry().values():
        assert spec.doc, f"{spec.id} has no docstring"
        assert spec.family == spec.id.split(".")[0]


REPORT = (
    "张三同志2025年度民主生活会查摆问题整改落实情况报告\n"
    "按照县委要求，现将本人2025年度民主生活会查摆问题整改落实情况报告如下：\n"
    "一、{heading}\n{body}\n"
    "二、整改中存在的不足\n个别问题整改还不够彻底，长效机制还需完善。\n"
    "三、下一步工作打算\n一是每月集中学习不少于2次，2026年6月底前完成专题研讨。\n"
)
BLANKET = "查摆的问题均已完成整改，效果较好。"
TWO_OF_THREE = (
    "共查摆问题3条。\n一是学习不够系统。已制定学习计划，全年自学40小时，已完成整改。\n"
    "二是调研不够深入。全年到基层调研12次，已完成整改。"
)


@pytest.mark.parametrize(
    ("heading", "kind", "named"),
    [
        ("查摆问题整改落实情况", "rectification_report", "“查摆问题整改落实情况”"),  # this year's
        ("上年度民主生活会查摆问题整改落实情况", "personal_dsh", "上年度整改情况"),
        ("2024年度民主生活会查摆问题整改落实情况", "personal_dsh", "“2024年度民主生…”"),
    ],
)
def test_the_rectification_is_named_as_the_material_heads_it(heading: str, kind: str, named: str) -> None:
    """A 整改落实情况报告 reports this year's rectification under 查摆问题整改落实情况: its findings
    name that part, not a 上年度 the report does not have; a material's own heading that does not
    say 上年度 is named as it stands."""

    def messages(body: str) -> dict[str, str]:
        findings = review(parse_text(REPORT.format(heading=heading, body=body)), kind=kind)
        return {f.rule: f.message for f in findings}

    assert messages(BLANKET)["lastyear.specific.blanket"] == f"“均已完成整改”一笔带过了{named}"
    listed = messages(TWO_OF_THREE)["lastyear.specific.items"]
    assert listed == f"{named}中写明查摆问题3条，逐条说明的只有2条"


@pytest.mark.parametrize(
    ("kind", "advice"),
    [
        ("self_inspection", "写明依据哪份通知开展自查，自查的范围、时间和方法。末句引出正文"),
        ("personal_dsh", "交代依据：按哪一级、哪份通知的要求开展对照检查。写清会前准备"),
        (None, "用一两句话交代依据的通知和会前学习、征求意见、谈心谈话的情况"),
    ],
)
def test_a_missing_preamble_is_advised_as_the_kind_writes_one(kind: str | None, advice: str) -> None:
    """A 自查自纠报告 holds no meeting: its missing 导语 is not asked for 谈心谈话."""
    text = "一、存在的问题\n（一）公务接待方面\n经自查，未发现超标准接待问题。查阅审批单216份。"
    findings = review(parse_text(text), kind=kind)
    [missing] = [f for f in findings if f.rule == "structure.sections.preamble"]
    assert missing.suggestion.startswith(advice)
