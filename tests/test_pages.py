"""PDF and page pictures through LibreOffice: a personal and a team material from the chat to a PDF
whose first page shows the title on whole-word lines and whose last page closes with 署名 and date.

CI installs LibreOffice and poppler-utils (.ci/run → scripts/install-render-tools.sh); elsewhere
these tests are skipped only when the programs are missing.
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from bot.document import Document, Section, SectionRole
from bot.render import pages
from bot.render.official_docx import render_official_docx
from tests.conftest import Chat
from tests.test_drafting_e2e import _setup_personal_2025
from tests.test_official_docx import run_cli, seed_draft

needs_libreoffice = pytest.mark.skipif(
    not pages.available() and not os.environ.get("CI"),
    reason="LibreOffice or pdftoppm not installed (bash scripts/install-render-tools.sh)",
)


def _page_text(pdf: bytes, page: int) -> list[str]:
    """The lines of one page as pdftotext lays them out, without the spaces it puts between Chinese
    and digits (and inside the byline), blank lines dropped."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return ["".join(line.split()) for line in out.splitlines() if line.strip()]


def _ink_lines(png: bytes) -> tuple[int, list[tuple[int, int, int, int]]]:
    """The page's width and its lines of ink as the picture shows them: (top, bottom, left, right)
    in pixels, one per run of rows with any dark pixel."""
    picture = Image.open(io.BytesIO(png)).convert("L")
    width, height = picture.size
    dark = picture.point(lambda value: 255 if value < 128 else 0)
    lines: list[tuple[int, int, int, int]] = []
    for y in range(height):
        box = dark.crop((0, y, width, y + 1)).getbbox()
        if box is None:
            continue
        if lines and lines[-1][1] == y - 1:
            top, _, left, right = lines[-1]
            lines[-1] = (top, y, min(left, box[0]), max(right, box[2]))
        else:
            lines.append((y, y, box[0], box[2]))
    return width, lines


def _mm(pixels: int) -> float:
    return pixels * 25.4 / 110  # the pictures are drawn at 110 dpi


async def _output(chat: Chat, label: str) -> str:
    """Ask /report for ``label``, past the list of open errors a sample material may have."""
    chat.harness.timeout = 120  # LibreOffice on a busy machine takes seconds
    await chat.say("/report")
    reply = await chat.press(label)
    if "仍然生成" in chat.labels():
        reply = await chat.press("仍然生成")
    return reply


async def _complete(chat: Chat) -> None:
    await chat.fill_until(lambda c: "全文约" in c.last_text())


@needs_libreoffice
async def test_a_personal_material_comes_as_pdf_and_page_pictures(chat: Chat) -> None:
    await _setup_personal_2025(chat)
    await _complete(chat)
    await _output(chat, "PDF")
    pdf = chat.api.documents(chat.user_id)[-1]
    assert pdf.filename == "张三_2025年度民主生活会个人对照检查材料.pdf" and pdf.data.startswith(b"%PDF")
    count = pages.page_count(pdf.data)
    assert count >= 2
    first = _page_text(pdf.data, 1)
    # The title broken between words (张三同志2025年度 / 民主生活会个人对照检查材料), then the byline.
    assert first[:3] == ["张三同志2025年度", "民主生活会个人对照检查材料", "县商务局局长张三"]
    last = _page_text(pdf.data, count)  # 署名 and the meeting date close the text, then the page number
    assert last[-3:] == ["张三", "2026年1月15日", f"—{count}—"]

    await _output(chat, "第1页预览图")
    (picture,) = chat.api.photos(chat.user_id)
    assert picture.data.startswith(b"\x89PNG") and picture.filename.endswith("_第1页.png")
    assert int.from_bytes(picture.data[16:20], "big") == 910  # A4 at 110 dpi
    # What the picture shows: GB/T 9704's margins (top 37 mm, left 28 mm, text 156 mm wide) and the
    # two title lines centred between them.
    width, lines = _ink_lines(picture.data)
    title = lines[:2]
    assert 34 <= _mm(title[0][0]) <= 60
    for _, _, left, right in title:
        assert abs(left - (width - right)) <= 12, (left, width - right)
    body = lines[3:-1]  # below the byline, above the page number
    assert min(abs(_mm(left) - 28) for _, _, left, _ in body) <= 1.5
    assert max(_mm(right) for _, _, _, right in body) <= 28 + 156 + 1.5
    await _output(chat, "全部页面图片")
    assert len(chat.api.photos(chat.user_id)) == 1 + count


@needs_libreoffice
async def test_a_team_material_closes_with_the_team(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("领导班子对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.meeting_date("2026年1月20日")
    await chat.say("县商务局")
    await chat.fill_until(lambda c: "全文约" in c.last_text() or "请写明责任人" in c.last_text())
    while "请写明责任人" in chat.last_text():
        await chat.say("王五（分管副局长）、办公室")
        await chat.fill_until(lambda c: "全文约" in c.last_text() or "请写明责任人" in c.last_text())
    await _output(chat, "PDF")
    pdf = chat.api.documents(chat.user_id)[-1].data
    assert _page_text(pdf, 1)[:2] == ["县商务局领导班子2025年度", "民主生活会对照检查材料"]
    assert _page_text(pdf, pages.page_count(pdf))[-3:-1] == ["县商务局领导班子", "2026年1月20日"]


async def test_without_libreoffice_the_word_file_comes_with_a_word_why(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _setup_personal_2025(chat)
    await _complete(chat)
    await chat.say("/report")
    assert "PDF" in chat.labels() or not pages.available()
    monkeypatch.setattr(pages, "available", lambda: False)
    reply = await _output(chat, "PDF")  # the button of the choice shown before
    assert "没有安装 LibreOffice" in reply
    assert chat.api.documents(chat.user_id)[-1].filename.endswith(".docx")
    reply = await chat.say("/report")
    assert "PDF" not in chat.labels() and "暂时不能生成PDF" in reply


def test_a_missing_program_is_said_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert not pages.available()
    with pytest.raises(pages.PagesUnavailable, match="LibreOffice"):
        pages.docx_to_pdf(b"PK")
    with pytest.raises(pages.PagesUnavailable, match="pdftoppm"):
        pages.pdf_to_pictures(b"%PDF")


@needs_libreoffice
def test_cli_exports_a_stored_draft_as_pdf(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    public_id = asyncio.run(seed_draft(database_url))
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DUIZHAO_DATABASE_URL", database_url)
    target = tmp_path / "out.pdf"
    status, _, err = run_cli(
        ["export", public_id, "--format", "pdf", "--out", str(target), "--date", "2026-01-05"]
    )
    assert (status, err) == (0, "")
    pdf = target.read_bytes()
    assert _page_text(pdf, 1)[:2] == ["孙七同志2025年度", "民主生活会个人对照检查材料"]
    assert _page_text(pdf, pages.page_count(pdf))[-3:-1] == ["孙七", "2026年1月5日"]


@needs_libreoffice
def test_a_member_title_with_a_three_character_name_leaves_no_character_alone() -> None:
    document = Document(
        title="王建国同志2026年度组织生活会个人发言提纲",
        byline=None,
        sections=[
            Section(
                SectionRole.PREAMBLE, None, paragraphs=["按照支部通知要求，现将个人检视剖析情况汇报如下："]
            )
        ],
    )
    lines = _page_text(pages.docx_to_pdf(render_official_docx(document)), 1)
    assert lines[:2] == ["王建国同志2026年度", "组织生活会个人发言提纲"]
