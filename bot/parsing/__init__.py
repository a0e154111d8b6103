"""Reading uploaded materials (.docx, .txt, .md) into the shared Document model for review.

No Telegram types here: handlers pass bytes or paths in and get a ParseResult back.
"""

from bot.parsing.classify import classify_heading
from bot.parsing.parser import (
    ParseResult,
    Unplaced,
    parse_bytes,
    parse_docx,
    parse_file,
    parse_markdown,
    parse_text,
)
from bot.parsing.sources import ParseError

__all__ = [
    "ParseError",
    "ParseResult",
    "Unplaced",
    "classify_heading",
    "parse_bytes",
    "parse_docx",
    "parse_file",
    "parse_markdown",
    "parse_text",
]
