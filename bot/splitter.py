"""Turn a pasted answer into items: users number their points in every way there is.

The bot renumbers on output, so the user's markers are removed here. Splitting is deliberately
conservative: it happens only on a device whose every occurrence forms the run 1, 2, 3, … (a single
item only when its marker opens the text), so prose such as 统一是 or a stray 二是 is never cut, and
whatever the input, concatenating the result gives the input back minus markers and whitespace.
"""

from __future__ import annotations

from bot.numbering import MarkerMatch, MarkerStyle, find_markers, match_marker


def strip_marker(text: str) -> str:
    """Remove one leading marker of any style, e.g. from a line of a pasted aspect list."""
    text = text.strip()
    marker = match_marker(text)
    return text[marker.end :].strip() if marker else text


def split_items(text: str) -> list[str]:
    """The points of ``text`` in order, markers stripped; a lead sentence comes back as the first item.

    Lines without a marker continue the item above them and are kept on their own line within it.
    """
    lines = (line.strip() for line in text.splitlines())
    body = "\n".join(line for line in lines if line)
    sequence = _outer_sequence(body, find_markers(body, tuple(MarkerStyle)))
    if sequence is None:
        return [body] if body else []
    starts = [0, *(m.end for m in sequence)]
    ends = [m.start for m in sequence] + [len(body)]
    pieces = (body[start:end].strip() for start, end in zip(starts, ends, strict=True))
    return [piece for piece in pieces if piece]


def _outer_sequence(body: str, markers: list[MarkerMatch]) -> list[MarkerMatch] | None:
    """The device that numbers the top-level points, or ``None`` when nothing should be split.

    A device qualifies when its markers, in order, are exactly 1..k. Nested lists restart their
    count inside each point and so disqualify themselves. Among qualifying devices one starting a
    line beats one buried in a paragraph (a lead sentence may mention an inner list), then the
    earliest wins, since an outer list begins before anything nested in it.
    """
    by_style: dict[MarkerStyle, list[MarkerMatch]] = {}
    for marker in markers:
        by_style.setdefault(marker.style, []).append(marker)
    candidates = [
        run
        for run in by_style.values()
        if [m.number for m in run] == list(range(1, len(run) + 1)) and (len(run) > 1 or run[0].start == 0)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda run: (_starts_line(body, run[0]), -run[0].start))


def _starts_line(body: str, marker: MarkerMatch) -> bool:
    return marker.start == 0 or body[marker.start - 1] == "\n"
