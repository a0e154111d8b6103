"""The official-format .docx, checked on the file itself: geometry, grid, styles, fonts, footers, text."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from bench.report import sample_material
from bot.document import Document, Item, Section, SectionRole
from bot.formats.cli import register
from bot.parsing import parse_docx
from bot.render import outline
from bot.render.official_docx import HEADINGS, render_official_docx
from bot.render.profile import ProfileError, load_profile
from tests.test_ledger import run_cli, seed_draft

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def material() -> Document:
    """Four heading levels, items at level 1 (（一）) and deeper (一是), a line break inside an item."""
    deep = Section(
        SectionRole.PROBLEMS,
        "学习方面",
        subsections=[Section(SectionRole.PROBLEMS, "理论学习", paragraphs=["读原著偏少。"])],
    )
    return Document(
        title="赵六同志2025年度民主生活会个人对照检查材料",
        byline="市交通局局长　赵六",
        sections=[
            Section(SectionRole.PREAMBLE, None, paragraphs=["会前深入学习，广泛听取意见。现报告如下："]),
            Section(
                SectionRole.PROBLEMS,
                "存在的主要问题",
                subsections=[
                    Section(
                        SectionRole.PROBLEMS,
                        "在带头强化政治忠诚方面",
                        items=[Item.from_text("学习不够深入。比如全年只写了2篇心得。"), Item("调研偏少。")],
                        subsections=[deep],
                    ),
                    Section(
                        SectionRole.PROBLEMS,
                        "在带头干事创业方面",
                        items=[Item("担当不够。", "例如“放管服”改革推进慢。\n第二行说明。")],
                    ),
                ],
            ),
            Section(
                SectionRole.CAUSES,
                "产生问题的原因",
                items=[Item("理想信念有所松懈。", "放松了主观世界改造。"), Item("宗旨意识有所淡化。")],
            ),
        ],
    )


def write(tmp_path: Path, doc: Document | None = None, **kwargs: object) -> DocxDocument:
    path = tmp_path / "material.docx"
    path.write_bytes(render_official_docx(doc or material(), **kwargs))  # type: ignore[arg-type]
    return open_docx(str(path))


def style_element(out: DocxDocument, name: str) -> BaseOxmlElement:
    element: BaseOxmlElement = out.styles[name].element
    return element


def one(element: BaseOxmlElement, path: str) -> BaseOxmlElement:
    found = element.xpath(path)
    assert len(found) == 1, f"{path}: {len(found)} matches"
    result: BaseOxmlElement = found[0]
    return result


def test_page_is_a4_with_gbt9704_margins_and_a_22_by_28_grid(tmp_path: Path) -> None:
    section = write(tmp_path).sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)  # type: ignore[union-attr]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]  # type: ignore[union-attr]
    grid = one(section._sectPr, "w:docGrid")
    assert grid.get(qn("w:type")) == "lines"
    line_pitch = int(grid.get(qn("w:linePitch")))
    assert line_pitch == 579
    text_width_pt = (11906 - 1587 - 1474) / 20
    text_height = 16838 - 2098 - 1984
    assert text_height // line_pitch == 22
    body = style_element(write(tmp_path), "DZ Body")
    char_spacing = int(one(body, "w:rPr/w:spacing").get(qn("w:val"))) / 20
    assert int(text_width_pt / (16 + char_spacing)) == 28  # 28 characters a line


def test_body_has_exact_line_spacing_and_a_two_character_indent(tmp_path: Path) -> None:
    body = style_element(write(tmp_path), "DZ Body")
    spacing = one(body, "w:pPr/w:spacing")
    assert (spacing.get(qn("w:lineRule")), spacing.get(qn("w:line"))) == ("exact", "579")
    indent = one(body, "w:pPr/w:ind")
    assert (indent.get(qn("w:firstLineChars")), indent.get(qn("w:firstLine"))) == ("200", "640")


@pytest.mark.parametrize(
    ("style", "east_asian", "half_points"),
    [
        ("DZ Title", "方正小标宋简体", "44"),
        ("DZ Body", "仿宋_GB2312", "32"),
        ("DZ Heading 1", "黑体", "32"),
        ("DZ Heading 2", "楷体_GB2312", "32"),
        ("DZ Heading 3", "仿宋_GB2312", "32"),
        ("DZ Heading 4", "仿宋_GB2312", "32"),
        ("DZ Heading 2 Run-in", "楷体_GB2312", "32"),
        ("DZ Page Number", "宋体", "28"),
    ],
)
def test_styles_name_east_asian_and_latin_fonts_and_chinese_language(
    tmp_path: Path, style: str, east_asian: str, half_points: str
) -> None:
    out = write(tmp_path)
    element = style_element(out, style)
    fonts = one(element, "w:rPr/w:rFonts")
    assert fonts.get(qn("w:eastAsia")) == east_asian
    latin = "宋体" if style == "DZ Page Number" else "Times New Roman"
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == latin
    assert not [a for a in fonts.attrib if a.endswith("Theme")]
    assert one(element, "w:rPr/w:lang").get(qn("w:eastAsia")) == "zh-CN"
    assert one(element, "w:rPr/w:sz").get(qn("w:val")) == half_points
    assert out.styles[style].font.bold is False


def test_title_is_centred_and_document_defaults_are_chinese(tmp_path: Path) -> None:
    out = write(tmp_path)
    assert one(style_element(out, "DZ Title"), "w:pPr/w:jc").get(qn("w:val")) == "center"
    defaults = one(out.styles.element, "w:docDefaults/w:rPrDefault/w:rPr")
    assert one(defaults, "w:rFonts").get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert one(defaults, "w:lang").get(qn("w:eastAsia")) == "zh-CN"
    assert one(out.settings.element, "w:themeFontLang").get(qn("w:eastAsia")) == "zh-CN"
    assert out.core_properties.author == "" and out.core_properties.title == material().title


def test_every_run_carries_the_east_asian_font_of_its_style(tmp_path: Path) -> None:
    out = write(tmp_path)
    for paragraph in out.paragraphs:
        style = paragraph.style.element  # type: ignore[union-attr]
        expected = one(style, "w:rPr/w:rFonts").get(qn("w:eastAsia"))
        for run in paragraph.runs:
            char_style = run._r.xpath("w:rPr/w:rStyle/@w:val")
            if char_style:
                expected_run = one(
                    out.styles.element, f"w:style[@w:styleId='{char_style[0]}']/w:rPr/w:rFonts"
                )
                assert run._r.xpath("w:rPr/w:rFonts/@w:eastAsia") == [expected_run.get(qn("w:eastAsia"))]
            else:
                assert run._r.xpath("w:rPr/w:rFonts/@w:eastAsia") == [expected]
            assert run._r.xpath("w:rPr/w:lang/@w:eastAsia") == ["zh-CN"]


def test_every_paragraph_is_present_once_and_in_order_with_normalised_numbering(tmp_path: Path) -> None:
    doc = material()
    out = write(tmp_path, doc, date_line=date(2026, 1, 5))
    texts = [p.text for p in out.paragraphs]
    assert texts[0] == "赵六同志2025年度\n民主生活会个人对照检查材料"  # a line break between words
    shown = [part for line in outline(doc)[1:] for part in line.display.split("\n")]  # a line a paragraph
    assert texts[1:] == [*shown, "2026年1月5日"]
    assert texts[3:] == [
        "一、存在的主要问题",
        "（一）在带头强化政治忠诚方面",
        "一是学习不够深入。比如全年只写了2篇心得。",
        "二是调研偏少。",
        "1.学习方面",
        "（1）理论学习",
        "读原著偏少。",
        "（二）在带头干事创业方面",
        "担当不够。例如“放管服”改革推进慢。",  # an aspect's one point: no 一是
        "第二行说明。",
        "二、产生问题的原因",
        "（一）理想信念有所松懈。放松了主观世界改造。",
        "（二）宗旨意识有所淡化。",
        "2026年1月5日",
    ]
    assert out.paragraphs[-1].style.name == "DZ Date"  # type: ignore[union-attr]


def test_headings_take_the_style_of_their_level(tmp_path: Path) -> None:
    out = write(tmp_path)
    styles = {p.text: p.style.name for p in out.paragraphs}  # type: ignore[union-attr]
    assert styles["一、存在的主要问题"] == "DZ Heading 1"
    assert styles["（一）在带头强化政治忠诚方面"] == "DZ Heading 2"
    assert styles["1.学习方面"] == "DZ Heading 3"
    assert styles["（1）理论学习"] == "DZ Heading 4"
    assert styles["赵六同志2025年度\n民主生活会个人对照检查材料"] == "DZ Title"
    assert styles["市交通局局长　赵六"] == "DZ Byline"
    for level, name in enumerate(HEADINGS):
        assert one(style_element(out, name), "w:pPr/w:outlineLvl").get(qn("w:val")) == str(level)


def test_items_run_in_with_their_judgement_sentence_in_the_lead_style(tmp_path: Path) -> None:
    out = write(tmp_path)
    runs = {p.text: [(r.text, r.style.name) for r in p.runs] for p in out.paragraphs}
    assert runs["（一）理想信念有所松懈。放松了主观世界改造。"] == [
        ("（一）理想信念有所松懈。", "DZ Heading 2 Run-in"),
        ("放松了主观世界改造。", "Default Paragraph Font"),
    ]
    assert runs["二是调研偏少。"] == [("二是", "DZ Item Lead"), ("调研偏少。", "Default Paragraph Font")]


def test_a_line_begun_inside_an_item_is_a_paragraph_not_a_stretched_line_break(tmp_path: Path) -> None:
    """An item typed on two lines printed its first line spread across the page (a w:br in a
    justified paragraph); each line is now a paragraph of its own, the marker on the first."""
    two_lines = "理想信念方面，认识不足，放松了主观世界改造。\n宗旨意识方面，群众观点树得不牢。"
    aspect = Section(SectionRole.PROBLEMS, "在带头增强党性方面", items=[Item.from_text(two_lines)])
    doc = Document("材料", sections=[Section(SectionRole.PROBLEMS, "存在的主要问题", subsections=[aspect])])
    out = write(tmp_path, doc)
    texts = [p.text for p in out.paragraphs]
    first, second = two_lines.split("\n")
    assert texts[-2:] == [first, second]  # the aspect's one point, without 一是
    assert out.paragraphs[-1].style.name == out.paragraphs[-2].style.name
    assert not out.element.body.xpath(".//w:br")


def test_odd_and_even_footers_hold_a_page_field_between_dashes(tmp_path: Path) -> None:
    out = write(tmp_path)
    assert out.settings.element.xpath("w:evenAndOddHeaders")
    section = out.sections[0]
    for footer, side, indent in (
        (section.footer, "right", "w:right"),
        (section.even_page_footer, "left", "w:left"),
    ):
        assert not footer.is_linked_to_previous
        paragraph = one(footer._element, "w:p")
        field = one(paragraph, "w:fldSimple")
        assert field.get(qn("w:instr")).strip() == "PAGE"
        assert "".join(paragraph.xpath(".//w:t/text()")) == "— 1 —"
        assert one(paragraph, "w:pPr/w:jc").get(qn("w:val")) == side
        assert one(paragraph, "w:pPr/w:ind").get(qn(indent)) == "280"  # one 14 pt character in
        assert paragraph.xpath("w:pPr/w:pStyle/@w:val") == ["DZPageNumber"]


def test_byline_can_be_left_out_and_the_title_block_ends_with_a_blank_line(tmp_path: Path) -> None:
    profile = load_profile().model_copy(update={"show_byline": False})
    out = write(tmp_path, profile=profile)
    assert "市交通局局长　赵六" not in [p.text for p in out.paragraphs]
    assert out.paragraphs[0].paragraph_format.space_after.twips == 579
    assert out.paragraphs[1].paragraph_format.space_after is None


def test_unit_profile_overrides_spacing_and_bolds_level_two(tmp_path: Path) -> None:
    out = write(tmp_path, profile=load_profile("unit-28pt"))
    assert one(style_element(out, "DZ Body"), "w:pPr/w:spacing").get(qn("w:line")) == "560"
    bold = {
        name: out.styles[name].font.bold for name in ("DZ Heading 1", "DZ Heading 2", "DZ Heading 2 Run-in")
    }
    assert bold == {"DZ Heading 1": False, "DZ Heading 2": True, "DZ Heading 2 Run-in": True}
    assert round(out.sections[0].top_margin.mm) == 37  # type: ignore[union-attr]


def test_a_unit_file_extends_a_packaged_profile_or_a_sibling_file(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text("extends: gbt9704\nfirst_line_indent_chars: 0\n", encoding="utf-8")
    (tmp_path / "unit.yaml").write_text(
        "extends: base.yaml\nname: 某局\nstyles:\n  heading1: {east_asian: 方正黑体_GBK}\n", encoding="utf-8"
    )
    profile = load_profile(tmp_path / "unit.yaml")
    assert profile.name == "某局" and profile.first_line_indent_chars == 0
    assert profile.styles.heading1.east_asian == "方正黑体_GBK" and profile.styles.heading1.size_pt == 16


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("extends: gbt9704\npage: {margins_mm: {top: -3}}\n", "unit.yaml: page.margins_mm.top: "),
        ("extends: gbt9704\nline_spacing_pt: 40\n", "unit.yaml: line_spacing_pt: 22 lines of 40.0 pt"),
        (
            "extends: gbt9704\npage_number: {template: '第页'}\n",
            "unit.yaml: page_number: template: must contain",
        ),
        ("extends: gbt9704\nstyles: {body: {colour: red}}\n", "unit.yaml: styles.body.colour: "),
        ("extends: gbt9999\n", "unit.yaml: extends: no packaged profile 'gbt9999'"),
        ("extends: unit.yaml\n", "extends: circular"),
        ("name: [unclosed\n", "unit.yaml: invalid YAML at line "),
        ("name: 缺项\n", "unit.yaml: page: Field required"),
    ],
)
def test_profile_errors_name_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "unit.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as raised:
        load_profile(tmp_path / "unit.yaml")
    assert message in str(raised.value)


def test_round_trip_through_the_parser_keeps_the_outline(tmp_path: Path) -> None:
    doc = sample_material(3000)  # the parser's model: aspects hold items, no levels 3–4
    path = tmp_path / "material.docx"
    path.write_bytes(render_official_docx(doc))
    parsed = parse_docx(path.read_bytes())
    assert parsed.unplaced == []
    assert parsed.document.title == doc.title  # printed on two lines, read back as one title
    assert [line.display for line in outline(parsed.document)] == [line.display for line in outline(doc)]


def test_format_lays_out_an_uploaded_text_and_reports_what_it_could_not_place(tmp_path: Path) -> None:
    source = tmp_path / "草稿.txt"
    source.write_text(
        "周八同志2025年度民主生活会个人对照检查材料\n"
        "现将个人对照检查情况报告如下：\n"
        "一、存在的主要问题\n"
        "(一)在带头强化政治忠诚方面\n"
        "一是学习不深。比如只读了1本。\n"
        "二、产生问题的原因\n"
        "1、理想信念有所松懈。\n"
        "2、宗旨意识有所淡化。\n"
        "周八\n"
        "2026年1月5日\n",
        encoding="utf-8",
    )
    status, out, err = run_cli(["format", str(source), "--out", str(tmp_path), "--profile", "unit-28pt"])
    assert status == 0 and str(tmp_path / "草稿.docx") in out
    assert "2 处文字未能归入结构" in err and "2026年1月5日" in err
    document = open_docx(str(tmp_path / "草稿.docx"))
    texts = [p.text for p in document.paragraphs]
    assert texts[3:5] == ["（一）在带头强化政治忠诚方面", "学习不深。比如只读了1本。"]
    assert texts[-2:] == ["（一）理想信念有所松懈。", "（二）宗旨意识有所淡化。"]  # the level's own style
    assert document.styles["DZ Body"].paragraph_format.line_spacing.pt == 28


def test_format_refuses_a_missing_or_unreadable_input(tmp_path: Path) -> None:
    status, _, err = run_cli(["format", str(tmp_path / "nope.docx"), "--out", str(tmp_path / "x.docx")])
    assert status == 2 and err.startswith("找不到文件")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    status, _, err = run_cli(["format", str(tmp_path / "old.doc"), "--out", str(tmp_path / "x.docx")])
    assert status == 1 and "另存为 .docx" in err


def test_cli_exports_a_stored_draft_as_official_docx(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    public_id = asyncio.run(seed_draft(database_url))
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DUIZHAO_DATABASE_URL", database_url)
    target = tmp_path / "out.docx"
    status, _, err = run_cli(["export", public_id, "--out", str(target), "--date", "2026-01-05"])
    assert (status, err) == (0, "")
    texts = [p.text for p in open_docx(str(target)).paragraphs]
    assert texts[0] == "孙七同志2025年度\n民主生活会个人对照检查材料"
    assert "二、努力方向和整改措施" in texts and texts[-2:] == ["孙七", "2026年1月5日"]
    assert "（一）坚持每月精读一篇原著。" in texts


def test_register_adds_export_and_format() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["format", "in.txt", "--out", "out.docx", "--profile", "unit-28pt"])
    assert (args.command, args.input, args.profile) == ("format", "in.txt", "unit-28pt")
    assert parser.parse_args(["export", "abc", "--format", "xlsx", "--out", "x"]).format == "xlsx"


@pytest.mark.parametrize(
    ("signature", "lines", "indent"),
    [
        ("张三", ["张三"], 4),
        (
            "中共江南省临江市滨湖区人民政府办公室综合科副科长欧阳建国",
            ["中共江南省临江市滨湖区人民政府办公室综合科副科长欧阳建国"],
            0,
        ),
        (
            "中共临江市滨湖区委员会2026年度领导班子民主生活会筹备工作领导小组办公室全体同志",
            ["中共临江市滨湖区委员会2026年度领导班子", "民主生活会筹备工作领导小组办公室全体同志"],
            4,
        ),
    ],
)
def test_a_signature_too_long_for_its_indent_takes_less_of_it_or_is_broken_between_words(
    tmp_path: Path, signature: str, lines: list[str], indent: int
) -> None:
    out = write(tmp_path, signature=signature)
    paragraph = next(p for p in out.paragraphs if p.style is not None and p.style.name == "DZ Signature")
    assert paragraph.text.split("\n") == lines
    right = paragraph.paragraph_format.right_indent
    if right is None:  # the style's
        right = out.styles["DZ Signature"].paragraph_format.right_indent
    assert right is not None and right.pt == indent * 16
