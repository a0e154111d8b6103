"""Speeding up configured regular expressions by the characters a match can start with.

A rule's word list is compiled into one alternation whose branches often begin with a lookbehind
(``(?<=[\\u4e00-\\u9fff])[Xx]…``). Python's ``re`` then tries every branch at every position of a
10,000-character material. When the characters a match can begin with are known, a lookahead on
them (``(?=[Xx×*…])``) lets all but a few positions fail at once; matches are exactly the same.
The set is read from the parsed pattern; anything this module does not understand gives no set.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from typing import Any

_parser: Any = importlib.import_module("re._parser")  # the parser ``re`` itself uses (3.11+)

Chars = set[tuple[int, int]]
"""Code point ranges ``(first, last)``, both inclusive."""

_ZERO_WIDTH = frozenset({"ASSERT", "ASSERT_NOT", "AT"})
_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})
_MAX_CHARS = 200
"""A lookahead on more characters than this would filter out few positions."""


def compile_with_first_chars(source: str) -> re.Pattern[str]:
    """``source`` compiled behind a lookahead on its possible first characters, or as it is when
    they are unknown; raises ``re.error`` as ``re.compile`` does."""
    try:
        parsed = _parser.parse(source)
        chars = None if parsed.state.flags & re.IGNORECASE else _first(parsed.data)
    except Exception:  # an invalid pattern (re.compile says why) or a parser we do not control
        chars = None
    if not chars or sum(b - a + 1 for a, b in chars) > _MAX_CHARS:
        return re.compile(source)
    return re.compile(f"(?=[{_char_class(chars)}])(?:{source})")


def _first(items: Iterable[tuple[Any, Any]]) -> Chars | None:
    """First characters of a sequence of parsed items; None when unknown or when it may match empty."""
    for op, value in items:
        name = str(op)
        if name in _ZERO_WIDTH:
            continue
        return _first_of(name, value)
    return None


def _first_of(name: str, value: Any) -> Chars | None:
    if name == "LITERAL":
        return {(value, value)}
    if name == "IN":
        return _in(value)
    if name == "BRANCH":
        found: Chars = set()
        for branch in value[1]:
            chars = _first(branch.data)
            if chars is None:
                return None
            found |= chars
        return found
    if name == "SUBPATTERN":
        return None if value[1] & re.IGNORECASE else _first(value[3].data)
    if name == "ATOMIC_GROUP":
        return _first(value.data)
    if name in _REPEATS and value[0] >= 1:
        return _first(value[2].data)
    return None


def _in(items: list[tuple[Any, Any]]) -> Chars | None:
    found: Chars = set()
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            found.add((value, value))
        elif name == "RANGE":
            found.add((value[0], value[1]))
        else:  # NEGATE, CATEGORY (\d, \w…): too many characters to list
            return None
    return found


def _char_class(chars: Chars) -> str:
    def one(code: int) -> str:
        return re.escape(chr(code))

    return "".join(one(a) if a == b else f"{one(a)}-{one(b)}" for a, b in sorted(chars))
