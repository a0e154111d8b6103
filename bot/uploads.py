"""What the bot does with an uploaded file, each step run in a limited worker process.

An upload is read once: parsed and reviewed in the worker, and its normalised text kept (encrypted
like answers, deleted after ``KEEP`` or by /forget) so the buttons under the review can import or
reformat it without downloading and unpacking the file again. Re-parsing the kept text is cheap,
but it too runs in the worker, as does rendering the reformatted .docx.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from bot import submissions
from bot.document import Document
from bot.parsing import ParseError, parse_bytes, parse_text
from bot.review import Finding, review
from bot.texts import char_count
from bot.worker import Limit, LimitExceeded, Limits, run_limited

T = TypeVar("T")

KEEP = timedelta(hours=24)
PASTED = "粘贴的材料"
"""The name a material pasted into the chat goes by, where a file sent has its file name."""
LIMITS = Limits()
TOO_SLOW = (
    f"这个文件处理所需时间超过{LIMITS.seconds:g}秒（内容过多或结构异常），未予处理。"
    "请删去图片和无关内容，另存为 .docx 或 .txt 后再发送"
)
TOO_BIG = (
    f"这个文件处理所需内存超过{LIMITS.memory_bytes // 2**20} MB（内容过多或结构异常），未予处理。"
    "请删去图片和无关内容，另存为 .docx 或 .txt 后再发送"
)
BUSY = f"服务器正忙，这个文件在{LIMITS.wall_seconds:g}秒内没能处理完，未予处理。请过几分钟再发送一次"
REFUSALS = {Limit.CPU: TOO_SLOW, Limit.MEMORY: TOO_BIG, Limit.WALL: BUSY}


@dataclass(frozen=True)
class Refusal:
    """Why an upload was not processed, in Chinese, without final punctuation."""

    message: str


@dataclass(frozen=True)
class Reading:
    """An upload parsed and reviewed: its normalised text and the findings about it."""

    text: str
    findings: list[Finding]

    @property
    def characters(self) -> int:
        return char_count(self.text)


def read(filename: str, data: bytes) -> Reading:
    result = parse_bytes(filename, data)
    return Reading(result.text, review(result))


def read_pasted(text: str) -> Reading:
    """A material pasted into the chat, read and reviewed as a .txt file with that text is."""
    return read(f"{PASTED}.txt", text.encode())


def document_of(text: str) -> Document:
    return parse_text(text).document


def snapshot_of(text: str) -> dict[str, Any]:
    """The file as a submission's snapshot (``bot.submissions``), to hand in to a review batch."""
    result = parse_text(text)
    return submissions.of_document(result.document, closing=result.closing).to_json()


def reformatted(text: str) -> bytes:
    """The file in the official format, its closing 署名 and date as it wrote them."""
    from bot.render.official_docx import render_official_docx  # in the worker, which preloads it

    result = parse_text(text)
    signature, dated = result.closing
    return render_official_docx(result.document, signature=signature, date_line=dated)


async def isolated(job: Callable[..., T], *args: Any) -> T | Refusal:
    """``job(*args)`` in the worker, or the Chinese sentence saying why the file was refused."""
    try:
        return await run_limited(job, *args, limits=LIMITS)
    except ParseError as error:
        return Refusal(str(error))
    except LimitExceeded as error:
        return Refusal(REFUSALS[error.limit])
