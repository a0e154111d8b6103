"""The material as PDF and as pictures of its pages, through LibreOffice (headless) and pdftoppm.

Both are programs outside Python: ``available`` says whether this machine has them (deploy/Dockerfile
and scripts/install-render-tools.sh install them with CJK fonts). Conversion runs in the worker
(``bot.worker``) after the update's transaction, like any rendering; each run gets a throwaway
LibreOffice profile, so runs never share state or clash with a LibreOffice a person has open.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE_NAMES = ("soffice", "libreoffice")
CONVERT_SECONDS = 90
PICTURE_DPI = 110  # an A4 page 910 × 1286 pixels: sharp on a phone, about 100 KB
MAX_PICTURES = 20


class PagesUnavailable(Exception):
    """LibreOffice or pdftoppm is missing, or a conversion failed; the message says which."""


def soffice() -> str | None:
    return next((found for name in SOFFICE_NAMES if (found := shutil.which(name))), None)


def available() -> bool:
    """Whether PDF and page pictures can be made here (LibreOffice and pdftoppm both installed)."""
    return soffice() is not None and shutil.which("pdftoppm") is not None


def docx_to_pdf(docx: bytes) -> bytes:
    program = soffice()
    if program is None:
        raise PagesUnavailable("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="duizhao-pdf-") as folder:
        work = Path(folder)
        (work / "material.docx").write_bytes(docx)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(work / "material.docx"),
        ]
        _run(command)
        pdf = work / "material.pdf"
        if not pdf.is_file():
            raise PagesUnavailable("LibreOffice wrote no PDF")
        return pdf.read_bytes()


def pdf_to_pictures(pdf: bytes, *, last: int | None = 1, dpi: int = PICTURE_DPI) -> list[bytes]:
    """PNG pictures of the pages, from the first to ``last`` (None: all, at most ``MAX_PICTURES``)."""
    program = shutil.which("pdftoppm")
    if program is None:
        raise PagesUnavailable("pdftoppm (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory(prefix="duizhao-png-") as folder:
        work = Path(folder)
        (work / "material.pdf").write_bytes(pdf)
        count = str(min(last or MAX_PICTURES, MAX_PICTURES))
        pdf_file, prefix = str(work / "material.pdf"), str(work / "page")
        _run([program, "-png", "-r", str(dpi), "-f", "1", "-l", count, pdf_file, prefix])
        found = sorted(work.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if not found:
            raise PagesUnavailable("pdftoppm wrote no picture")
        return [p.read_bytes() for p in found]


def page_count(pdf: bytes) -> int:
    """Pages of a PDF, from its page tree (``/Type /Pages … /Count n``), without a PDF library."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    return max(counts, default=0)


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=True)
    except subprocess.TimeoutExpired as error:
        raise PagesUnavailable(f"{Path(command[0]).name} took over {CONVERT_SECONDS} s") from error
    except subprocess.CalledProcessError as error:
        raise PagesUnavailable(f"{Path(command[0]).name} failed with exit code {error.returncode}") from error
    except OSError as error:
        raise PagesUnavailable(f"{Path(command[0]).name} could not start: {error.strerror}") from error
