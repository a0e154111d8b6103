"""The packaged catalog matches DOMAIN.md, admin overrides work, and broken data is reported precisely."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.catalog import Catalog, CatalogError, OwnerQuestion, custom_theme, load_catalog
from bot.document import SectionRole

CORE_ROLES = [SectionRole.PREAMBLE, SectionRole.PROBLEMS, SectionRole.CAUSES, SectionRole.MEASURES]

VALID_THEME = """\
label: 2026年度
year: 2026
family: dsh
title: 2026年度民主生活会
theme: 树立和践行正确政绩观
status: unverified
typical_meeting_months: "2027-01..2027-02"
heading_template: "在{text}方面"
aspects:
  - text: 带头树立和践行正确政绩观
    verified: false
  - text: 带头担当作为
    verified: false
"""


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def packaged_kinds_text() -> str:
    return (Path(__file__).parents[1] / "bot" / "data" / "kinds.yaml").read_text(encoding="utf-8")


def load_error(directory: Path) -> str:
    with pytest.raises(CatalogError) as info:
        load_catalog(directory)
    return str(info.value)


# --- packaged data ---------------------------------------------------------------------------------


def test_packaged_kinds_and_themes(catalog: Catalog) -> None:
    assert list(catalog.kinds) == [
        "personal_dsh",
        "team_dsh",
        "member_zzsh",
        "branch_zzsh",
        "self_inspection",
        "rectification_report",
    ]
    assert {"dsh-2020", "dsh-2021", "dsh-2022", "dsh-2023", "dsh-2024", "dsh-2025", "zzsh-2023"} <= set(
        catalog.themes
    )
    assert [k.key for k in catalog.selectable_kinds()] == list(catalog.kinds)[:5]


@pytest.mark.parametrize("key", ["personal_dsh", "team_dsh", "member_zzsh", "branch_zzsh", "self_inspection"])
def test_selectable_kinds_have_core_sections_in_domain_order(catalog: Catalog, key: str) -> None:
    kind = catalog.kind(key)
    roles = [s.role for s in kind.sections if s.role in CORE_ROLES]
    assert roles == CORE_ROLES
    assert kind.sections[0].role is SectionRole.PREAMBLE and kind.sections[0].heading is None
    for role in CORE_ROLES:
        assert next(s for s in kind.sections if s.role is role).required
    problems = kind.section("problems")
    assert problems.per_aspect and problems.answer == "items"
    assert [s.key for s in kind.sections if s.per_aspect] == ["problems"]


def test_section_bounds_follow_domain(catalog: Catalog) -> None:
    for key in ("personal_dsh", "team_dsh"):
        kind = catalog.kind(key)
        assert (kind.section("causes").min_items, kind.section("causes").max_items) == (3, 4)
        assert (kind.section("measures").min_items, kind.section("measures").max_items) == (3, 5)
        assert kind.section("measures").heading == "努力方向和整改措施"
        assert 2 <= len(kind.section("problems").guide) <= 5


def test_team_and_personal_differ_where_domain_says(catalog: Catalog) -> None:
    team, personal = catalog.kind("team_dsh"), catalog.kind("personal_dsh")
    assert team.section("last_year").required and team.section("last_year").role is SectionRole.LAST_YEAR
    assert not personal.section("last_year").required
    assert team.voice == "team" and personal.voice == "first_person"
    assert team.measure_owner is OwnerQuestion.LEADER and personal.measure_owner is OwnerQuestion.NONE
    assert "班子" in "".join(team.section("problems").guide)
    zzsh = catalog.kind("member_zzsh")
    assert (zzsh.length_min, zzsh.length_max) == (1500, 3000)


def test_custom_aspects_policy_and_generated_report(catalog: Catalog) -> None:
    inspection = catalog.kind("self_inspection")
    assert inspection.custom_aspects == "required" and catalog.themes_for(inspection) == []
    report = catalog.kind("rectification_report")
    assert not report.selectable
    assert report.section("progress").role is SectionRole.LAST_YEAR


def test_dsh_2025_aspects_headings_and_extras(catalog: Catalog) -> None:
    theme = catalog.theme("dsh-2025")
    assert theme.label == "2025年度" and theme.year == 2025 and theme.family == "dsh"
    assert [a.text for a in theme.aspects] == [
        "带头强化政治忠诚、提高政治能力",
        "带头固本培元、增强党性",
        "带头敬畏人民、敬畏组织、敬畏法纪",
        "带头干事创业、担当作为",
        "带头坚决扛起管党治党责任",
    ]
    assert theme.aspects[1].heading == "在带头固本培元、增强党性方面"
    assert all(a.heading == f"在{a.text}方面" for a in theme.aspects)
    assert theme.extra_required == ("八项规定学习教育整改整治情况", "反面典型案例剖析")
    span = theme.typical_meeting_months
    assert span is not None and (span.first, span.last) == (date(2026, 1, 1), date(2026, 2, 28))
    assert theme.source == "themes/dsh-2025.yaml"


def test_dsh_2024_has_four_verified_aspects(catalog: Catalog) -> None:
    theme = catalog.theme("dsh-2024")
    assert len(theme.aspects) == 4 and all(a.verified for a in theme.aspects)
    assert theme.aspects[0].text == "带头严守政治纪律和政治规矩，维护党的团结统一"


def test_statuses_match_domain(catalog: Catalog) -> None:
    statuses = {key: catalog.theme(key).status for key in catalog.themes if key.startswith("dsh-")}
    assert statuses == {
        "dsh-2020": "partly_verified",
        "dsh-2021": "verified",
        "dsh-2022": "partly_verified",
        "dsh-2023": "partly_verified",
        "dsh-2024": "verified",
        "dsh-2025": "partly_verified",
    }
    assert [a.verified for a in catalog.theme("dsh-2022").aspects] == [True] + [False] * 5
    assert len(catalog.theme("dsh-2021").aspects) == 5
    assert not any(a.verified for a in catalog.theme("dsh-2020").aspects)
    assert catalog.theme("dsh-2023").aspects[0].heading == "理论学习方面"
    assert catalog.theme("zzsh-2023").aspects[0].heading == "学习贯彻党的创新理论情况"


def test_themes_newest_first_per_kind(catalog: Catalog) -> None:
    dsh = catalog.themes_for(catalog.kind("personal_dsh"))
    years = [t.year for t in dsh]
    assert years == sorted(years, key=lambda y: -(y or 0)) and years[0] == 2025
    assert {t.family for t in dsh} == {"dsh"}
    zzsh = catalog.themes_for(catalog.kind("member_zzsh"))
    assert zzsh[0].key == "zzsh-2023" and zzsh[-1].year is None
    both = catalog.themes_for(catalog.kind("rectification_report"))
    assert [t.key for t in both] == [t.key for t in dsh + zzsh]


def test_sections_for_expands_extra_matters(catalog: Catalog) -> None:
    kind = catalog.kind("personal_dsh")
    sections = kind.sections_for(catalog.theme("dsh-2025"))
    extras = [s for s in sections if s.role is SectionRole.EXTRA]
    assert [(s.key, s.heading, s.required) for s in extras] == [
        ("extra_1", "八项规定学习教育整改整治情况", True),
        ("extra_2", "反面典型案例剖析", True),
    ]
    assert [s.key for s in sections][-2:] == ["causes", "measures"]
    assert kind.sections_for(catalog.theme("dsh-2024")) == kind.sections


def test_lookups_fail_clearly(catalog: Catalog) -> None:
    with pytest.raises(KeyError, match="dsh-1999"):
        catalog.theme("dsh-1999")
    with pytest.raises(KeyError, match="nope"):
        catalog.kind("nope")
    with pytest.raises(KeyError, match="no section 'extra'"):
        catalog.kind("member_zzsh").section("extra")


def test_catalog_is_cached_and_read_only(catalog: Catalog) -> None:
    assert load_catalog() is load_catalog()
    with pytest.raises(TypeError):
        catalog.kinds["x"] = catalog.kind("personal_dsh")  # type: ignore[index]


def test_core_does_not_import_telegram() -> None:
    code = "import sys, bot.catalog; bot.catalog.load_catalog(); assert 'telegram' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


# --- titles and custom themes ----------------------------------------------------------------------


def test_title_for_with_and_without_name(catalog: Catalog) -> None:
    personal = catalog.kind("personal_dsh")
    assert personal.title_for("张三", None, "2025年度") == "张三同志2025年度民主生活会个人对照检查材料"
    assert personal.title_for("  ", "某局", "2025年度") == "2025年度民主生活会个人对照检查材料"
    team = catalog.kind("team_dsh")
    assert team.title_for(None, "市财政局", "2025年度") == "市财政局领导班子2025年度民主生活会对照检查材料"
    assert team.title_for("张三", None, "2025年度") == "领导班子2025年度民主生活会对照检查材料"
    named = "县商务局领导班子"
    assert team.title_for(None, named, "2025年度") == f"{named}2025年度民主生活会对照检查材料"
    branch = catalog.kind("branch_zzsh")
    for unit in ("局机关第二党支部", "局机关第二支部"):
        assert branch.title_for(None, unit, "2026年度") == f"{unit}班子2026年度组织生活会对照检查材料"
    assert branch.title_for(None, "档案馆", "2026年度") == "档案馆党支部班子2026年度组织生活会对照检查材料"
    assert personal.title_for("张三同志", None, "2025年度") == "张三同志2025年度民主生活会个人对照检查材料"
    report = catalog.kind("rectification_report")
    assert (
        report.title_for("李四", None, "2025年度", meeting="组织生活会")
        == "李四同志2025年度组织生活会查摆问题整改落实情况报告"
    )


@pytest.mark.parametrize(
    ("kind", "unit", "signed"),
    [
        ("team_dsh", "青山镇", "中共青山镇委员会领导班子"),
        ("team_dsh", "城关街道", "中共城关街道工作委员会领导班子"),
        ("team_dsh", "县商务局", "县商务局领导班子"),
        ("team_dsh", "市教育局党组", "市教育局党组领导班子"),
        ("team_dsh", "青山镇党委", "青山镇党委领导班子"),
        ("team_dsh", "县商务局领导班子", "县商务局领导班子"),
        ("team_dsh", "青山镇党政班子", "青山镇党政班子"),
        ("branch_zzsh", "局机关第二党支部", "局机关第二党支部"),
        ("branch_zzsh", "档案馆", "档案馆党支部"),
        ("team_dsh", " ", None),
        ("personal_dsh", "县商务局", None),
    ],
)
def test_a_team_signs_as_its_unit_names_it(
    catalog: Catalog, kind: str, unit: str, signed: str | None
) -> None:
    """A 班子 material's 署名 is the team (the Party committee of a 乡镇 or 街道), not the bare
    place; a person's material is signed by its author (None here)."""
    assert catalog.kind(kind).signature_for(unit) == signed


def test_custom_theme_builds_headings() -> None:
    theme = custom_theme(
        ["带头树立和践行正确政绩观。", "", "  理论学习方面 ", "联系服务群众情况；"],
        label="2026年度",
        year=2026,
        family="dsh",
    )
    assert (theme.key, theme.status, theme.title) == ("custom", "user_defined", "2026年度民主生活会")
    assert [a.heading for a in theme.aspects] == [
        "带头树立和践行正确政绩观方面",
        "理论学习方面",
        "联系服务群众情况",
    ]
    assert not any(a.verified for a in theme.aspects)
    inspection = custom_theme(["意识形态工作责任制落实"], label="政治建设督查", year=None, family=None)
    assert inspection.title == "政治建设督查" and inspection.family is None


def test_custom_theme_rejects_empty_input() -> None:
    with pytest.raises(ValueError, match="at least one aspect"):
        custom_theme(["", " 。"], label="2026年度", year=2026, family="dsh")
    with pytest.raises(ValidationError):
        custom_theme(["理论学习"], label=" ", year=2026, family="dsh")


# --- admin overrides -------------------------------------------------------------------------------


def test_override_dir_adds_a_year_and_overrides_one(tmp_path: Path) -> None:
    write(tmp_path, "dsh-2026.yaml", VALID_THEME)
    override = (
        (Path(__file__).parents[1] / "bot/data/themes/dsh-2025.yaml")
        .read_text(encoding="utf-8")
        .replace("status: partly_verified", "status: verified")
        .replace("verified: false", "verified: true")
    )
    write(tmp_path, "dsh-2025.yaml", override)
    write(tmp_path, "README.txt", "not yaml: [")
    catalog = load_catalog(tmp_path)
    themes = catalog.themes_for(catalog.kind("personal_dsh"))
    assert [t.key for t in themes][:2] == ["dsh-2026", "dsh-2025"]
    new = catalog.theme("dsh-2026")
    assert new.aspects[0].heading == "在带头树立和践行正确政绩观方面"
    assert new.source == str(tmp_path.resolve() / "dsh-2026.yaml")
    assert catalog.theme("dsh-2025").status == "verified"
    assert load_catalog().theme("dsh-2025").status == "partly_verified"


def test_override_kind_replaces_it_whole(tmp_path: Path) -> None:
    write(tmp_path, "kinds.yaml", packaged_kinds_text().replace("length_max: 8000", "length_max: 9000", 1))
    overridden, packaged = load_catalog(tmp_path).kind("personal_dsh"), load_catalog().kind("personal_dsh")
    assert overridden.length_max == 9000
    assert overridden.source == str(tmp_path.resolve() / "kinds.yaml")
    assert overridden.model_copy(update={"length_max": 8000, "source": "kinds.yaml"}) == packaged


def test_each_kind_asks_its_own_owner_and_an_old_kinds_file_still_loads(tmp_path: Path) -> None:
    """A 领导班子 names 责任领导 and 责任部门, a 党支部班子 one 支委, a member's speech nobody; an
    admin's kinds.yaml written with the old flag ``measures_need_owner`` means the same as before."""
    catalog = load_catalog()
    owners = {key: catalog.kind(key).measure_owner for key in ("team_dsh", "branch_zzsh", "member_zzsh")}
    assert owners == {
        "team_dsh": OwnerQuestion.LEADER,
        "branch_zzsh": OwnerQuestion.COMMITTEE,
        "member_zzsh": OwnerQuestion.NONE,
    }
    old = packaged_kinds_text().replace("measure_owner: leader", "measures_need_owner: true")
    write(tmp_path, "kinds.yaml", old.replace("measure_owner: none", "measures_need_owner: false"))
    written = load_catalog(tmp_path)
    assert written.kind("team_dsh").measure_owner is OwnerQuestion.LEADER
    assert written.kind("personal_dsh").measure_owner is OwnerQuestion.NONE


def test_override_adds_kind_with_new_family(tmp_path: Path) -> None:
    personal = packaged_kinds_text().split("\nteam_dsh:")[0]
    new_kind = personal.replace("personal_dsh:", "xunshi_personal:", 1).replace("[dsh]", "[xunshi]", 1)
    write(tmp_path, "kinds.yaml", new_kind)
    write(tmp_path, "xunshi-2026.yaml", VALID_THEME.replace("family: dsh", "family: xunshi"))
    catalog = load_catalog(tmp_path)
    assert list(catalog.kinds) == [*load_catalog().kinds, "xunshi_personal"]
    assert catalog.kind("personal_dsh") == load_catalog().kind("personal_dsh")
    assert [t.key for t in catalog.themes_for(catalog.kind("xunshi_personal"))] == ["xunshi-2026"]
    assert list(catalog.themes)[-1] == "xunshi-2026"


def test_missing_override_dir(tmp_path: Path) -> None:
    assert "not a directory" in load_error(tmp_path / "missing")


# --- broken data -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("label: 2026年度\naspects: [\n", "dsh-2026.yaml: invalid YAML at line"),
        ("- just\n- a list\n", "dsh-2026.yaml: expected a mapping"),
        (VALID_THEME.split("aspects:")[0], "dsh-2026.yaml: aspects: Field required"),
        (VALID_THEME + "colour: red\n", "dsh-2026.yaml: colour: Extra inputs are not permitted"),
        (VALID_THEME.replace("year: 2026", "year: 二〇二六"), "dsh-2026.yaml: year: "),
        (VALID_THEME.replace("year: 2026", 'year: "2026"'), "dsh-2026.yaml: year: "),
        (VALID_THEME.replace("text: 带头担当作为", 'text: "  "'), "dsh-2026.yaml: aspects[1].text: "),
        (VALID_THEME.replace("verified: false", "verified: 否", 1), "dsh-2026.yaml: aspects[0].verified"),
        (VALID_THEME.replace("family: dsh", "family: 民主"), "dsh-2026.yaml: family: "),
        (VALID_THEME.replace("status: unverified", "status: user_defined"), "dsh-2026.yaml: status: "),
        (VALID_THEME.replace("status: unverified", "status: verified"), "dsh-2026.yaml: status: 'verified'"),
        (VALID_THEME.replace("label: 2026年度", "label: 2025年度"), "dsh-2026.yaml: label: must mention"),
        (VALID_THEME.replace('"在{text}方面"', "在{aspect}方面"), "dsh-2026.yaml: heading_template: "),
        (VALID_THEME.replace("2027-01..2027-02", "2027年1月"), "dsh-2026.yaml: typical_meeting_months: "),
        (VALID_THEME.replace("2027-01..2027-02", "2027-03..2027-02"), "typical_meeting_months: the first"),
    ],
)
def test_broken_theme_files_name_file_and_key(tmp_path: Path, content: str, expected: str) -> None:
    write(tmp_path, "dsh-2026.yaml", content)
    assert expected in load_error(tmp_path)


@pytest.mark.parametrize("name", ["custom.yaml", "DSH 2026.yaml"])
def test_bad_theme_file_names(tmp_path: Path, name: str) -> None:
    write(tmp_path, name, VALID_THEME)
    assert f"{name}: file name must be" in load_error(tmp_path)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "      heading: null\n      required: true\n      answer: text",
            "      heading: null\n      required: true\n      answer: paragraph",
            "kinds.yaml: personal_dsh.sections[0].answer: Input should be 'text' or 'items'",
        ),
        (
            "      per_aspect: true\n      min_items: 1\n      max_items: 4",
            "      per_aspect: true\n      min_items: 5\n      max_items: 4",
            "kinds.yaml: personal_dsh.sections[2].max_items: must not be smaller",
        ),
        (
            "    - key: extra\n",
            "    - key: problems\n",
            "kinds.yaml: personal_dsh.sections[3].key: duplicate",
        ),
        ("      role: causes\n", "      role: problems\n", "personal_dsh.sections[4].role: 'problems' is"),
        ("      role: causes\n", "      role: cause\n", "kinds.yaml: personal_dsh.sections[4].role: Input"),
        ("      role: extra\n", "      role: extra\n      per_aspect: true\n", "sections[3].answer: must be"),
        ("  voice: first_person\n", "  voice: 我\n", "kinds.yaml: personal_dsh.voice: "),
        ("  length_min: 4000\n", '  length_min: "4000"\n', "kinds.yaml: personal_dsh.length_min: "),
        (
            "  meeting: 民主生活会\n",
            "  meeting: 民主生活会\n  colour: red\n",
            "personal_dsh.colour: Extra inputs",
        ),
        ("  families: [dsh]\n", "  families: [xunshi]\n", "kinds.yaml: personal_dsh.families[0]: no theme"),
        ("  measure_owner: none\n", "  measure_owner: secretary\n", "personal_dsh.measure_owner: Input"),
        (
            "  measure_owner: none\n",
            "  measure_owner: none\n  measures_need_owner: false\n",
            "personal_dsh.measures_need_owner: give measure_owner only",
        ),
        ("  families: [dsh]\n", "  families: []\n", "kinds.yaml: personal_dsh.families: must be empty"),
        (
            "{name}同志{year_label}",
            "{who}同志{year_label}",
            "personal_dsh.title_template: unknown placeholder",
        ),
        ('"{year_label}{meeting}个人', '"{name}{meeting}个人', "personal_dsh.title_fallback: unknown"),
        (
            "  name: 个人对照检查材料\n",
            "  key: x\n  name: 个人对照检查材料\n",
            "personal_dsh.key: not allowed",
        ),
        (
            "        - 末句引出正文，如“现将个人检视剖析情况汇报如下：”。\n",
            "",
            "member_zzsh.sections[0].guide: ",
        ),
    ],
)
def test_broken_kinds_name_file_and_key(tmp_path: Path, old: str, new: str, expected: str) -> None:
    text = packaged_kinds_text()
    assert old in text
    path = write(tmp_path, "kinds.yaml", text.replace(old, new, 1))
    message = load_error(tmp_path)
    assert expected in message
    assert message.startswith(str(path))
