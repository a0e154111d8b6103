"""The desk's core: reading a batch's particulars, naming items, finding copied wording."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from itertools import combinations

from docx import Document as new_docx
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz

from bench.desk import batch
from bot import desk, uploads
from bot.catalog import title_subject
from bot.deadlines.calendar import is_workday
from bot.desk import Particulars, read_particulars
from bot.document import SectionRole
from bot.flows.handin import due_days
from bot.parsing import parse_text
from bot.review import similar
from bot.submissions import Snapshot, of_document

TODAY = date(2026, 12, 1)


def test_particulars_are_read_from_three_lines_and_mistakes_are_named() -> None:
    assert read_particulars("县财政局党组\n2025年度民主生活会\n2027年1月10日", TODAY) == Particulars(
        "县财政局党组", "2025年度民主生活会", date(2027, 1, 10)
    )
    assert read_particulars("县财政局党组；2025年度民主生活会；2027-1-10", TODAY) == Particulars(
        "县财政局党组", "2025年度民主生活会", date(2027, 1, 10)
    )
    assert read_particulars("县财政局党组 2025年度民主生活会 2027年1月10日", TODAY) == Particulars(
        "县财政局党组", "2025年度民主生活会", date(2027, 1, 10)
    )
    assert "例如：县财政局党组 2026年度民主生活会 2027年1月10日" in str(
        read_particulars("县财政局党组\n2027年1月10日", TODAY)
    )
    assert "没有读出截止日期，请写具体日期，如“2027年1月10日”，或“2027年3月底前”“一季度末”这样的说法" in str(
        read_particulars("县财政局\n民主生活会\n等通知", TODAY)
    )
    assert "2月没有30日" in str(read_particulars("县财政局\n民主生活会\n2027年2月30日", TODAY))
    assert "已经过去" in str(read_particulars("县财政局\n民主生活会\n2026年11月30日", TODAY))


@given(st.text(max_size=300))
def test_reading_particulars_never_fails(text: str) -> None:
    assert isinstance(read_particulars(text, TODAY), Particulars | str)


def test_items_are_named_as_the_material_numbers_them() -> None:
    text = (
        "李四同志对照检查材料\n一、存在的主要问题\n（一）在带头强化政治忠诚方面\n一是理论学习不够系统。比如全年只读了2本。\n"
        "二是调研不深。\n二、产生问题的原因\n（一）理想信念有所松懈。\n"
    )
    labels = desk.item_labels(of_document(parse_text(text).document))
    assert list(labels.values()) == [
        "一（一）一是“理论学习不够系统”",
        "一（一）二是“调研不深”",
        "第二部分“理想信念有所松懈”",  # the section's one point: no （一）, so the part names it
    ]


def test_an_uploaded_files_author_is_read_from_its_byline_or_title() -> None:
    assert desk.identity("王五同志2025年度民主生活会个人对照检查材料", "县财政局　副局长　王五") == (
        "王五",
        "副局长",
    )
    # a byline in brackets: the name without the closing bracket ("王五）" on the desk)
    assert desk.identity(None, "（市交通运输局党组书记、局长 王五）") == ("王五", "")
    assert desk.identity(None, "(县财政局 副局长 王五)") == ("王五", "副局长")
    assert desk.identity("欧阳明远同志2025年度民主生活会个人对照检查材料", None) == ("欧阳明远", "")
    assert desk.identity("2025年度民主生活会个人对照检查材料", None) == ("", "")
    assert desk.identity(None, "2026年1月15日") == ("", "")


def _brute_force(texts: list[str], groups: list[int], cutoff: float) -> list[tuple[int, int]]:
    normal = [similar.normalise(t) for t in texts]
    return [
        (a, b)
        for a, b in combinations(range(len(texts)), 2)
        if groups[a] != groups[b]
        and min(len(normal[a]), len(normal[b])) >= similar.MIN_CHARS
        and fuzz.ratio(normal[a], normal[b]) >= 100 * cutoff
    ]


def test_the_shingle_index_finds_what_comparing_every_pair_finds() -> None:
    snapshots = [Snapshot.from_json(raw) for raw in batch(12, 4000, seed=3)]
    units = [u for u in desk.units_of(snapshots) if u.role is SectionRole.PROBLEMS]
    texts, groups = [u.text for u in units], [u.material for u in units]
    cutoff = desk.shared_cutoff()
    found = [(a, b) for a, b, _ in similar.pairs(texts, groups, cutoff)]
    assert found == _brute_force(texts, groups, cutoff)
    assert {(units[a].material, units[b].material) for a, b in found} == {(3, 4), (8, 9)}  # as planted


def test_copied_problems_are_paired_across_materials_and_stock_wording_is_named() -> None:
    own = "执行请示报告制度不够严格。5月开发区项目调整时，先办后报，事后才向主要负责同志报告。"
    edited = own.replace("5月", "6月").replace("主要负责同志", "主要领导")
    first = of_document(parse_text(f"一、存在的主要问题\n一是{own}\n二是理论学习不够深入。\n").document)
    second = of_document(
        parse_text(f"一、存在的主要问题\n一是{edited}\n二、产生问题的原因\n一是宗旨意识淡化。\n").document
    )
    found = desk.duplicates(desk.units_of([first, second]))
    assert [(p.left.material, p.right.material, p.left.text) for p in found.pairs] == [(0, 1, own)]
    assert found.count_for(0) == found.count_for(1) == 1
    assert [(h.unit.material, h.unit.text) for h in found.stock] == [(0, "理论学习不够深入。")]
    assert similar.matching(
        [edited, "一条自己写的问题，与别人毫无关系，写了很多具体事例。"], [own], 0.85
    ) == {0}


def test_an_item_copied_into_an_outline_whose_lead_closes_its_opening_is_paired() -> None:
    """A 发言提纲 without headings whose 对照检查…以下问题： ends the opening paragraph: its points are
    problems, so one copied from another member's material is found."""
    own = "联系服务群众不够主动。今年到社区报到服务只有2次，居民反映的楼道照明问题拖了一个月才解决。"
    first = of_document(parse_text(f"一、存在的主要问题\n一是{own}\n二是理论学习不够深入。\n").document)
    outline = (
        "2025年度组织生活会个人发言提纲\n"
        "按照支部通知要求，会前我认真学习，征求意见建议6条。对照检查，我主要存在以下问题：\n"
        f"1.{own}\n2.批评和自我批评辣味不足。全年给支部提意见只有1条。\n"
        "究其原因，主要有以下几点：一是理想信念有所松懈。二是宗旨意识有所淡化。\n"
    )
    second = of_document(parse_text(outline).document)
    found = desk.duplicates(desk.units_of([first, second]))
    assert [(p.left.material, p.right.material, p.right.role) for p in found.pairs] == [
        (0, 1, SectionRole.PROBLEMS)
    ]


def test_members_are_reminded_on_working_days_from_the_due_date() -> None:
    saturday = date(2026, 12, 12)
    days = due_days(saturday, date(2026, 12, 1))
    assert days[0] == date(2026, 12, 11)  # the Friday before a due date on a weekend
    assert days[1:] == [date(2026, 12, 14), date(2026, 12, 15), date(2026, 12, 16)]
    national_day = due_days(date(2026, 10, 3), date(2026, 9, 1))
    assert all(is_workday(d) for d in national_day) and national_day[0] < date(2026, 10, 1)
    assert national_day[1] > date(2026, 10, 7)  # nobody is reminded during the holiday
    assert due_days(saturday, date(2026, 12, 15)) == [date(2026, 12, 15), date(2026, 12, 16)]  # from today on


def test_an_approved_file_prints_its_own_closing_signature_and_date() -> None:
    """The 已通过材料 zip: a file handed in prints the 署名 and date it closed with, as written."""
    text = (
        "一、存在的主要问题\n一是学习不够系统。今年集中学习6次，发言2次。\n县商务局党组\n李华\n2026年1月8日\n"
    )
    raw = uploads.snapshot_of(text)
    archive = zipfile.ZipFile(io.BytesIO(desk.approved_zip([("李华.docx", raw)])))
    document = new_docx(io.BytesIO(archive.read("李华.docx")))
    assert [p.text for p in document.paragraphs if p.text.strip()][-2:] == [
        "县商务局党组　李华",
        "2026年1月8日",
    ]


def test_the_subject_a_title_names_before_its_year() -> None:
    """An upload naming no person is listed by whom its title names: a unit's 自查自纠报告, a 班子."""
    assert title_subject("县交通运输局2026年度自查自纠情况报告") == "县交通运输局"
    assert title_subject("青山镇领导班子2024年度民主生活会对照检查材料") == "青山镇领导班子"
    for nobody in ("关于2025年度民主生活会个人对照检查材料", "2025年度民主生活会个人对照检查材料", "", None):
        assert title_subject(nobody) == ""
