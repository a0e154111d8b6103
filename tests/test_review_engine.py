"""The review engine around the rules: configuration, dismissals, renderers, tokens and the CLI."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.parsing import parse_file, parse_text
from bot.review import ConfigError, Finding, Severity, load_config, review, review_text
from bot.review import cli as check_cli
from bot.review.engine import build_context, guess_kind_from_preamble
from bot.review.findings import Place
from bot.review.render import (
    render_answer_feedback,
    render_chat,
    render_json,
    render_terminal,
    summary,
    summary_text,
)
from bot.review.tokens import tokenizer

SAMPLES = Path(__file__).parent / "review_samples"
CLEAN = SAMPLES / "clean_personal_2024.txt"
DEFECTS = SAMPLES / "defects_text.txt"
OPTIONS: dict[str, Any] = {"kind": "personal_dsh", "meeting_date": date(2025, 1, 15)}


def _findings(path: Path = DEFECTS, **config: Any) -> list[Finding]:
    return review(parse_file(path), config=load_config(overrides=config) if config else None, **OPTIONS)


# configuration ---------------------------------------------------------------------------------


def test_a_family_can_be_switched_off() -> None:
    assert any(f.rule.startswith("text.") for f in _findings())
    assert not any(f.rule.startswith("text.") for f in _findings(rules={"text.*": False}))


def test_a_rule_can_be_switched_back_on_inside_a_disabled_family() -> None:
    rules = {f.rule for f in _findings(rules={"text": False, "text.terms": True})}
    assert rules == {"text.terms"}


def test_severity_can_be_changed_for_a_rule_or_a_family() -> None:
    terms = [f for f in _findings(rules={"text.terms": {"severity": "info"}}) if f.rule == "text.terms"]
    assert terms and all(f.severity is Severity.INFO for f in terms)
    text = [f for f in _findings(rules={"text": {"severity": "warning"}}) if f.rule.startswith("text.")]
    assert text and all(f.severity is Severity.WARNING for f in text)


def test_thresholds_come_from_the_config() -> None:
    def lengths(**config: Any) -> list[str]:
        return [f.rule for f in _findings(CLEAN, **config) if f.rule == "length.total"]

    assert lengths() == []
    assert lengths(params={"length": {"limits": {"personal_dsh": [5000, 9000]}}}) == ["length.total"]


def test_pattern_lists_come_from_the_config() -> None:
    config = {"params": {"text.placeholder.mask": {"patterns": ["示例单位"]}}}
    found = review_text("标题\n会前我到示例单位调研。\n", config=load_config(overrides=config))
    assert [f.snippet for f in found if f.rule == "text.placeholder.mask"] == ["示例单位"]


def test_a_user_config_file_is_layered_over_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    path.write_text("rules:\n  structure: false\n", encoding="utf-8")
    config = load_config(path)
    assert not config.enabled("structure.empty") and config.enabled("text.terms")
    assert config.params("problems.concrete").strings("signals")  # defaults still there


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rules": {"text.spelling": False}}, "unknown rule 'text.spelling'"),
        ({"rules": {"text": {"severity": "fatal"}}}, "expected one of error, warning, info"),
        ({"params": {"problemz": {}}}, "unknown rule 'problemz'"),
        ({"verbose": True}, "unknown key 'verbose'"),
        ({"max_findings_per_rule": -1}, "max_findings_per_rule"),
    ],
)
def test_config_mistakes_are_errors(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(overrides=overrides)


def test_repeated_findings_of_one_rule_are_capped_with_a_count() -> None:
    text = "标题\n" + "".join(f"第{i}处XX单位。\n" for i in range(1, 8))
    findings = review_text(text)
    capped = [f for f in findings if f.rule == "text.placeholder.mask"]
    assert len(capped) == 4 and "此后还有3处同类问题" in capped[-1].message
    # The three folded behind the fourth are still to be fixed: every count says seven.
    assert summary_text(capped) == "必须修改7处" and summary(findings)["error"] >= 7
    assert "必须修改（7）" in render_terminal(capped, text)
    note = render_answer_feedback(capped, max_items=2)
    assert "另有5处" in note  # the two not shown stand for two and three
    unlimited = review_text(text, config=load_config(overrides={"max_findings_per_rule": 0}))
    assert len([f for f in unlimited if f.rule == "text.placeholder.mask"]) == 7


# ordering, dismissals and keys -----------------------------------------------------------------


def test_findings_are_sorted_by_severity_then_position() -> None:
    findings = _findings()
    keys = [(f.severity.rank, f.position) for f in findings]
    assert keys == sorted(keys)


def test_dismissed_findings_are_kept_marked_and_last() -> None:
    findings = _findings()
    target = next(f for f in findings if f.rule == "text.terms")
    again = review(parse_file(DEFECTS), dismissed={target.key}, **OPTIONS)
    assert len(again) == len(findings)
    assert again[-1].key == target.key and again[-1].dismissed
    assert not any(f.dismissed for f in again[:-1])


def test_a_key_survives_unrelated_edits_but_not_a_change_of_the_offending_text() -> None:
    text = DEFECTS.read_text("utf-8")
    key = {f.key for f in review_text(text, **OPTIONS) if f.rule == "text.terms"}
    edited = text.replace("现将个人对照检查情况报告如下", "现将本人对照检查情况报告如下")
    assert key == {f.key for f in review_text(edited, **OPTIONS) if f.rule == "text.terms"}
    fixed = edited.replace("习总书记", "习近平总书记")
    assert len({f.key for f in review_text(fixed, **OPTIONS) if f.rule == "text.terms"} & key) == 1
    assert all(len(k) == 32 for k in key)


def test_only_the_stretches_rules_compare_are_segmented_and_words_match_the_whole_text() -> None:
    result = parse_text(CLEAN.read_text("utf-8"))
    context = build_context(result)
    whole = tokenizer()(result.text)
    problem = context.problem_aspects[0].units[0].headline_span
    assert context.words(problem) == [w for w, a, b in whole if a >= problem[0] and b <= problem[1]]
    segmented = sum(b - a for a, b in context._segmented)
    assert 0 < segmented < len(result.text) // 10


def test_year_and_aspects_are_inferred_from_the_title() -> None:
    context = build_context(parse_file(CLEAN))
    assert context.year == 2024 and context.kind is not None and context.kind.key == "personal_dsh"
    assert len(context.aspects) == 4 and context.as_of == date(2025, 1, 1)


# renderers ------------------------------------------------------------------------------------


def test_json_has_exactly_the_documented_shape() -> None:
    findings = _findings()
    dismissed = findings[0].key
    data = render_json(review(parse_file(DEFECTS), dismissed={dismissed}, **OPTIONS))
    assert set(data) == {"findings", "summary"}
    row_keys = {"rule", "severity", "section", "span", "line", "column", "places", "message", "suggestion"}
    for row in data["findings"]:
        assert set(row) - {"dismissed"} == row_keys | {"snippet"}
        assert row["span"] is None or (len(row["span"]) == 2 and row["span"][0] < row["span"][1])
        assert row["places"] == ([] if row["span"] is None else row["places"])
        assert row["span"] is None or row["places"][0]["span"] == row["span"]
    assert [r for r in data["findings"] if r.get("dismissed")] == [data["findings"][-1]]
    live = [f for f in findings if f.key != dismissed]
    assert data["summary"] == {s.value: sum(f.severity is s for f in live) for s in Severity}
    json.dumps(data, ensure_ascii=False)


def test_terminal_output_groups_by_severity_with_line_and_column() -> None:
    text = DEFECTS.read_text("utf-8")
    out = render_terminal(review_text(text, **OPTIONS), parse_text(text).text)
    assert out.index("必须修改") < out.index("建议修改") < out.index("供参考")
    assert "“理性信念”应为“理想信念”  [text.terms]" in out
    assert "建议：改为固定提法“理想信念”" in out
    assert render_terminal([], "") == "未发现问题。"


def test_a_finding_about_a_whole_part_counts_its_points_not_its_heading() -> None:
    text = (
        "张三同志2025年度民主生活会个人对照检查材料\n按照要求，现对照检查如下：\n"
        "一、存在的问题\n（一）理论学习方面。去年自学计划12次只完成7次。\n二、产生问题的原因\n"
        "（一）理想信念有所松懈。\n（二）宗旨意识有所淡化。\n（三）纪律观念有所放松。\n"
    )
    shallow = next(f for f in review_text(text, **OPTIONS) if f.rule == "causes.shallow")
    out = render_terminal([shallow], parse_text(text).text)
    assert "共3处：6:4、7:4、8:4" in out and "5:3     二、产生问题的原因" in out
    assert len(render_json([shallow])["findings"][0]["places"]) == 3


def test_chat_output_escapes_user_text_pages_and_shows_dismissals_last() -> None:
    text = "标题\n会前我学习了<b>XX</b>&的文件。\n"
    findings = review_text(text)
    html_text, rest = render_chat(findings)
    assert rest == [] and "<b>XX</b>" not in html_text and "&lt;b&gt;" in html_text
    many = _findings()
    dismissed = review(parse_file(DEFECTS), dismissed={many[0].key}, **OPTIONS)
    first, rest = render_chat(dismissed, limit_chars=600)
    assert len(first) <= 600 and rest and rest[-1].dismissed
    last_page, none_left = render_chat(rest[-1:])
    assert none_left == [] and "<s>" in last_page and "已忽略" in last_page
    everything, nothing = render_chat(dismissed, limit_chars=100_000)
    assert nothing == [] and everything.index("必须修改") < everything.index("已忽略")


def test_answer_feedback_is_short() -> None:
    findings = [f for f in _findings() if not f.dismissed]
    note = render_answer_feedback(findings, max_items=2)
    assert note.count("• ") == 2 and f"另有{len(findings) - 2}处" in note
    assert render_answer_feedback([]) == ""


# tokens ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_party_terms_stay_whole_with_either_backend(backend: str) -> None:
    text = "坚决做到两个维护，增强四个意识，落实全面从严治党和中央八项规定精神"
    words = [w for w, _, _ in tokenizer(backend)(text)]
    for term in ("两个维护", "四个意识", "全面从严治党", "八项规定精神"):
        assert term in words
    tokens = tokenizer(backend)(text)
    assert all(text[start:end] == word for word, start, end in tokens)


# CLI ------------------------------------------------------------------------------------------


def _check(*argv: str) -> int:
    return check_cli.main(list(argv))


def test_cli_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert _check(str(CLEAN), "--kind", "personal_dsh", "--meeting-date", "2025-01-15") == 0
    assert _check(str(DEFECTS), "--kind", "personal_dsh") == 1
    out = capsys.readouterr().out
    assert "理性信念" in out
    assert _check(str(DEFECTS), "--format", "json") == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["summary"]["error"] > 0
    # a kind guessed from the title: the command line's own way to set it, on stderr
    assert "可加 --kind 指定：personal_dsh（个人对照检查材料）" in captured.err
    lenient = tmp_path / "lenient.yaml"
    lenient.write_text("rules:\n  text: {severity: warning}\n  structure: false\n", encoding="utf-8")
    assert _check(str(DEFECTS), "--config", str(lenient), "--kind", "personal_dsh") == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["missing.txt"], "找不到文件"),
        ([str(SAMPLES / "expected.yaml")], "不支持的文件类型"),
        ([str(CLEAN), "--kind", "nonsense"], "未知的材料类型"),
        ([str(CLEAN), "--year", "25"], "年度应为四位数字"),
        ([str(CLEAN), "--meeting-date", "2025-13-01"], "会议日期"),
        ([str(CLEAN), "--format", "xml"], "不支持的输出格式"),
        ([str(CLEAN), "--config", "missing.yaml"], "审核配置有误"),
    ],
)
def test_cli_usage_errors_exit_2_with_one_chinese_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _check(*argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_register_adds_the_check_command() -> None:
    parser = argparse.ArgumentParser()
    check_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["check", str(CLEAN), "--format", "json"])
    assert args.handler is check_cli.run and args.format == "json"


def test_check_does_not_load_telegram_or_sqlalchemy() -> None:
    code = (
        "import sys; from bot.review.cli import main; main([sys.argv[1]]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('telegram', 'sqlalchemy')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(CLEAN)], capture_output=True, text=True, check=False
    )
    assert done.stdout.strip().endswith("[]")


@pytest.mark.parametrize(
    ("opening", "kind"),
    [
        (
            "根据县委关于召开2025年度民主生活会的统一部署，我在会前认真学习，与班子成员谈心谈话。",
            "personal_dsh",
        ),
        ("按照通知要求，本人围绕民主生活会主题征求意见12条。", "personal_dsh"),
        ("按照县委部署，我镇党委领导班子为开好民主生活会，会前征求意见45条。", "team_dsh"),
        (
            "镇领导班子为开好民主生活会，班子成员与分管单位负责同志、与本人组织关系所在党支部党员代表谈心谈话。",
            "team_dsh",
        ),
        ("按照支部安排，我围绕组织生活会主题学习了党章。", "member_zzsh"),
        ("第一党支部支委会围绕组织生活会主题，会前开展谈心谈话。", "branch_zzsh"),
        ("按照县委督查通知要求，我深入开展自查自纠，现将自查自纠情况汇报如下：", "self_inspection"),
        ("今年以来，我局认真贯彻落实上级部署。", None),
        ("结合我校实际，现就召开2025年度组织生活会有关事项通知如下：", None),
    ],
)
def test_an_untitled_material_s_kind_is_read_from_its_opening(opening: str, kind: str | None) -> None:
    assert guess_kind_from_preamble(opening) == kind


def test_an_untitled_material_is_reviewed_as_its_opening_says_and_told_so() -> None:
    text = "按照2025年度民主生活会的部署，我在会前认真学习。现报告如下：\n一、存在的问题\n一是学习不深。"
    findings = review(parse_text(text))
    guessed = next(f for f in findings if f.rule == "kind.guess")
    assert guessed.message == "标题没有写明材料类型，按导语当作“个人对照检查材料”审核"
    assert "在标题中写明材料类型" in guessed.suggestion
    assert guessed.section == "全文"  # named as every finding without a place is, never left blank


def test_a_reason_declared_objective_is_an_excuse_once_per_sentence() -> None:
    """客观上… is an excuse of its own, but after 任务重 in its sentence it is the same excuse said
    again: one remark, not two."""
    text = (
        "张三同志2025年度民主生活会个人对照检查材料\n一、存在的主要问题\n"
        "一是学习不够系统。今年有2次集中学习请假。\n二、产生问题的原因\n"
        "一是工作任务重，客观上挤占了学习时间，党性修养有所放松。\n"
        "二是监管点位分散，客观上造成监管力量不足，理想信念有所松懈。\n"
        "三、努力方向和整改措施\n一是每周自学不少于4小时。\n"
    )
    excuses = [f.snippet for f in review_text(text) if f.rule == "causes.subjective.excuse"]
    assert excuses == ["任务重", "客观上造成监管力量不足"]


def test_a_point_of_praise_is_told_so_once_not_asked_for_an_example_too() -> None:
    """能够…始终…，但…不严 is praise with a token shortfall: problems.praise asks for the real
    shortfall and its signs; problems.concrete does not ask the same point for an example again."""
    text = (
        "张三同志2025年度民主生活会个人对照检查材料\n一、存在的主要问题\n（一）党性修养方面\n"
        "一是能够严守党的纪律，始终保持清正廉洁，在大是大非面前立场坚定，但小事小节上有时要求不严。\n"
        "二是党性锻炼不够经常。\n"
    )
    found = [(f.rule, f.snippet) for f in review_text(text) if f.rule.startswith("problems.")]
    assert ("problems.concrete", "党性锻炼不够经常") in found
    assert [rule for rule, _ in found].count("problems.praise") == 1
    assert not [s for rule, s in found if rule == "problems.concrete" and s.startswith("能够")]


def test_a_dismissal_stored_under_the_locator_still_holds() -> None:
    """Dismissals stored before a draft's findings were keyed by their place in the draft (step and
    item) match by the locator they were stored under, so none comes back after an upgrade."""
    finding = Finding(
        "problems.stock",
        Severity.WARNING,
        "万能问题",
        "写具体",
        (3, 9),
        "二、存在的主要问题 / 第1条",
        snippet="学习",
    )
    placed = replace(finding, place=Place("problems.1", 7))
    assert placed.key != finding.key and placed.legacy_key == finding.key
    assert placed.dismissed_by({finding.key}) and not replace(placed, snippet="调研").dismissed_by(
        {finding.key}
    )
    moved = replace(placed, section="三、存在的主要问题 / 第2条")  # renumbered: the same place in the draft
    assert moved.key == placed.key
