"""Turn a pasted answer into a lead and items: users number their points in every way there is.

The bot renumbers on output, so the user's markers are removed here. Splitting is deliberately
conservative: it happens only on a device whose every occurrence forms a run of consecutive numbers
starting at 1, or at any number when its first marker opens the text (items sent one per message
keep counting: "四是…" after three items), so prose such as 统一是 or a stray 二是 is never cut; or
when every line opens with a marker (after a summary line, if any), whatever their devices and order.
Whatever the input, concatenating the result gives the input back minus markers and whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from bot.numbering import MarkerStyle, find_markers, match_marker

_MAX_LEAD = 150
# Devices people number points with that the file never writes, so the parser and the review do not
# read them as headings: circled numbers, 1） without its opening bracket, and sequence words at the
# start of a line (首先，…其次，…最后，…).
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CIRCLED_MARK = re.compile(f"[{_CIRCLED}]")
_SEQUENCE_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": 0}  # 最后 follows whatever came before
_SEQUENCE_MARK = re.compile(r"(首先|其次|再次|最后)[，,、：:]")
_CLOSING_MARK = re.compile(r"([0-9０-９]{1,2})[)）]")  # 1） with no opening bracket
# What people type between a marker and the text ("（4）、 ", "①，"): part of the marker, not of the item.
_AFTER_MARKER = re.compile(r"[ \t　]*(?:[、，,．：:]|\.(?![0-9０-９]))?[ \t　]*")
_BREAKS = frozenset("。；;：:！!？?，,、")
_RUN_ON = ("；", ";", "，", ",", "、")
"""What ends a point that runs on into the next one in the same sentence."""
# "共查摆问题5条"、"梳理出三个方面"、"存在以下问题": a sentence that counts or announces what follows.
_SUMMARY = re.compile(
    r"(共|合计|累计|梳理出?|查摆出?)[^。；]{0,20}?([0-9０-９]+|[一二三四五六七八九十两]+)\s*(条|个|项|类|方面)"
    r"|(存在|查找|查摆|梳理|整改)[^。；]{0,12}(以下|如下)"
    r"|[：:]$"
)


@dataclass(frozen=True)
class Split:
    """A message read as the lead paragraph of its list (or none) and the list's items."""

    lead: str | None = None
    items: list[str] = field(default_factory=list)


def reads_as_lead(text: str) -> bool:
    """A short single paragraph that sums up or announces the list (上年度's "共查摆问题5条，均已完成
    整改。", a team aspect's "但仍存在一些问题：") rather than being one of its points."""
    text = text.strip()
    return 0 < len(text) <= _MAX_LEAD and "\n" not in text and _SUMMARY.search(text) is not None


def lead_lines(lines: Sequence[str]) -> int:
    """How many of the opening ``lines`` read as the list's lead (``reads_as_lead``): the summary or
    announcing sentences ("对照检查，我主要存在以下问题：") written above its points. The parser
    (``bot.parsing.body``) and ``split_answer`` both cut a lead off unnumbered text with it."""
    count = 0
    while count < len(lines) and reads_as_lead(lines[count]):
        count += 1
    return count


def split_answer(text: str) -> Split:
    """The lead and items of a message: a first paragraph without a marker that reads as a summary
    is the lead; a message that is only such a paragraph is a lead alone. Lines without a marker
    after lead lines ("存在以下问题：⏎学习不够深入……") are the list's one point, as the parser reads
    the same lines in an uploaded file. A point whose own paragraph goes on into 一是……二是……
    (理论学习不够深入。一是……；二是……) is one point with the particulars it lists, as materials
    write a problem and its manifestations: it is kept whole, markers and all (``held_points``
    offers to split it)."""
    split, pieces = _split(text)
    if _runs_on(text, split, pieces):
        return Split(None, [_body(text)])
    lines = _body(text).split("\n")
    leads = lead_lines(lines)
    rest = "\n".join(lines[leads:])
    if 0 < leads < len(lines) and _runs_on(rest, *_split(rest)):  # after its lead sentence
        return Split("\n".join(lines[:leads]), [rest])
    return split


def running_lines(lines: Iterable[str]) -> int:
    """How many of ``lines``, from the first, make one point going on into the particulars it lists
    (服务发展主动性不够。一是……；二是……), which ``split_answer`` keeps whole: the first line, when
    it runs on so, and each line after it that opens with the next of its particulars (三是……, the
    list going on in a paragraph of its own); 0 when the first line does not run on. The parser
    (``bot.parsing.body``) reads such lines of an uploaded file as that one point too, not as a
    paragraph and points, so a file and a message of the same lines give the same items."""
    taken: list[str] = []
    for line in lines:
        taken.append(line.strip())
        body = _body("\n".join(taken))
        if not _runs_on(body, *_split(body)):
            break
        last = body.rfind("\n") + 1
        if len(taken) > 1 and not any(mark.start == last for mark in _sequence(body) or []):
            break  # the line does not open with the next point of the run
    else:
        return len(taken)
    return len(taken) - 1


def _runs_on(text: str, split: Split, pieces: list[_Piece]) -> bool:
    """Whether the first numbered point starts in the paragraph of the words before it, and those
    words are no lead."""
    if split.lead is not None or len(pieces) < 2 or pieces[0].numbered:
        return False
    head = pieces[0].text
    return "\n" not in head and _body(text).split("\n", 1)[0] != head


def _split(text: str) -> tuple[Split, list[_Piece]]:
    """The lead and every point a marker begins, the words before the first point a point too
    unless they read as the lead; with the pieces they were cut into."""
    pieces = _pieces(text)
    if not pieces:
        return Split(), pieces
    first, rest = pieces[0], pieces[1:]
    if first.numbered:
        return Split(None, [p.text for p in pieces]), pieces
    lines = first.text.split("\n")
    leads = lead_lines(lines)
    if (rest and leads == len(lines)) or len(lines) == leads == 1:
        return Split(first.text, [p.text for p in rest]), pieces
    if not rest and 0 < leads < len(lines):
        return Split("\n".join(lines[:leads]), split_items("\n".join(lines[leads:]))), pieces
    return Split(None, [p.text for p in pieces]), pieces


def held_points(text: str) -> list[str]:
    """The points one stored item holds, when a marker begins more than one and no lead sentence
    opens them (an item stored before the splitter knew ``4.2027年3月底前…`` for point 4, or a point
    kept whole with the particulars it lists); [] when it is one point. Only the markers are
    dropped, as from any answer."""
    split = _split(text)[0]
    return split.items if split.lead is None and len(split.items) > 1 else []


def one_text(text: str) -> str:
    """``text`` as the wording of one item or lead: the markers typed before its points dropped,
    the points kept together, one a line."""
    split = split_answer(text)
    return "\n".join(([split.lead] if split.lead else []) + split.items)


def strip_marker(text: str) -> str:
    """Remove one leading marker of any style, e.g. from a line of a pasted aspect list."""
    text = text.strip()
    mark = _mark_at(text, 0)
    return text[mark.end :].strip() if mark else text


def split_items(text: str) -> list[str]:
    """The points of ``text`` in order, markers stripped; a lead sentence comes back as the first item.

    Lines without a marker continue the item above them and are kept on their own line within it.
    """
    return [piece.text for piece in _pieces(text)]


def numbered_points(text: str) -> list[str]:
    """The points of ``text`` a marker stood before, markers stripped: a lead or title line is left out."""
    return titled_points(text)[1]


def titled_points(text: str) -> tuple[str, list[str]]:
    """The words before the first point of ``text`` (its title or lead; "" when it opens with a
    point) and the points a marker stood before, markers stripped."""
    pieces = _pieces(text)
    title = pieces[0].text if pieces and not pieces[0].numbered else ""
    return title, [piece.text for piece in pieces if piece.numbered]


@dataclass(frozen=True)
class _Piece:
    text: str
    numbered: bool  # whether a marker of the list stood before it


def split_rest(text: str) -> tuple[str, str]:
    """The second part of a text Telegram cut in two (``bot.continuation``): the words that finish
    the point the cut fell in, and the text from the first marker of the points after them. Their
    markers go on counting from the first part (九是 after 八是), so here a run may start at any
    number past one, anywhere; the rest then opens with it, as ``split_answer`` accepts."""
    body = _body(text)
    sequence = _outer_sequence(body, _marks(body), going_on=True)
    if sequence is None:
        return body, ""
    return body[: sequence[0].start].strip(), body[sequence[0].start :]


def _body(text: str) -> str:
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class _Mark:
    """A marker the splitter acts on: its device, number, and where it and what follows it end."""

    device: str
    number: int
    start: int
    end: int


def _mark_at(text: str, pos: int) -> _Mark | None:
    """The marker of any device starting exactly at ``pos``, with the punctuation typed after it."""
    marker = match_marker(text, pos)
    if marker is not None:
        return _Mark(marker.style.value, marker.number, marker.start, _after(text, marker.end))
    return _loose_at(text, pos, 0)


def _loose_at(text: str, pos: int, previous: int) -> _Mark | None:
    """A circled number, 1） or a sequence word at ``pos``; ``previous`` is the number 最后 follows."""
    if found := _CIRCLED_MARK.match(text, pos):
        return _Mark("circled", _CIRCLED.index(found[0]) + 1, pos, _after(text, found.end()))
    if found := _CLOSING_MARK.match(text, pos):
        return _Mark("closing", int(found[1]), pos, _after(text, found.end()))
    if found := _SEQUENCE_MARK.match(text, pos):
        number = _SEQUENCE_WORDS[found[1]] or previous + 1
        return _Mark("sequence", number, pos, _after(text, found.end()))
    return None


def _after(text: str, end: int) -> int:
    found = _AFTER_MARKER.match(text, end)
    return found.end() if found else end


def _marks(body: str) -> list[_Mark]:
    """Every marker in ``body`` where a point can begin, typed devices and loose ones, in order."""
    typed = [
        _Mark(m.style.value, m.number, m.start, _after(body, m.end))
        for m in find_markers(body, tuple(MarkerStyle))
    ]
    return sorted([*typed, *_loose_marks(body)], key=lambda m: m.start)


def _loose_marks(body: str) -> list[_Mark]:
    """Circled numbers and 1） where a point can begin, and sequence words opening a line."""
    marks: list[_Mark] = []
    previous = 0
    for pos, char in enumerate(body):
        opens_line = pos == 0 or body[pos - 1] == "\n"
        may_begin = opens_line or body[pos - 1].isspace() or body[pos - 1] in _BREAKS
        if (char in _CIRCLED or char.isdigit()) and may_begin:
            mark = _loose_at(body, pos, previous)
        elif opens_line and char in "首其再最":
            mark = _loose_at(body, pos, previous if marks and marks[-1].device == "sequence" else 0)
        else:
            continue
        if mark is not None:
            marks.append(mark)
            previous = mark.number
    return marks


def _pieces(text: str) -> list[_Piece]:
    body = _body(text)
    sequence = _sequence(body)
    if sequence is None:
        return [_Piece(body, False)] if body else []
    return _cut(body, sequence)


def _sequence(body: str) -> list[_Mark] | None:
    """The markers ``body`` is cut at into its points; None when it is one piece. Points numbered
    line by line win over a run found across the text, unless that run already counts them: a
    paragraph going on into 一是……；二是…… and a line opening 三是…… below it are one list."""
    marks = _marks(body)
    sequence = _outer_sequence(body, marks)
    by_line = _line_marks(body, marks)
    if by_line is not None and (
        sequence is None or (_counting(by_line) and not set(by_line) <= set(sequence))
    ):
        sequence = by_line
    return sequence


def _cut(body: str, sequence: list[_Mark]) -> list[_Piece]:
    starts = [0, *(m.end for m in sequence)]
    ends = [m.start for m in sequence] + [len(body)]
    pieces = [
        _Piece(_point(body[start:end]) if index else body[start:end].strip(), index > 0)
        for index, (start, end) in enumerate(zip(starts, ends, strict=True))
    ]
    return [piece for piece in pieces if piece.text]


def ended(text: str) -> str:
    """A point read out of a run elsewhere (a parsed file's 一是……；) ended as one cut here is."""
    return _point(text)


def _point(text: str) -> str:
    """A point cut out of a run as a paragraph of its own: the ；or ，that led on to the next
    point in the run ends it as a sentence now (一是……；二是……； prints as paragraphs ending 。)."""
    text = text.strip()
    return text[:-1] + "。" if text.endswith(_RUN_ON) and len(text) > 1 else text


def _outer_sequence(body: str, markers: list[_Mark], *, going_on: bool = False) -> list[_Mark] | None:
    """The device that numbers the top-level points, or ``None`` when nothing should be split.

    A device qualifies when its markers, in order, are exactly 1..k, or n..n+k-1 when the first one
    opens the text (the user goes on counting from an earlier message) or, ``going_on``, when n > 1.
    Nested lists restart their count inside each point and so disqualify themselves. Among qualifying
    devices one starting a line beats one buried in a paragraph (a lead sentence may mention an inner
    list), then the earliest wins, since an outer list begins before anything nested in it.
    """
    by_style: dict[str, list[_Mark]] = {}
    for marker in markers:
        by_style.setdefault(marker.device, []).append(marker)
    candidates = [
        run
        for run in by_style.values()
        if [m.number for m in run] == list(range(run[0].number, run[0].number + len(run)))
        and (run[0].start == 0 or (run[0].number == 1 and len(run) > 1) or (going_on and run[0].number > 1))
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda run: (_starts_line(body, run[0]), -run[0].start))


def _line_marks(body: str, marks: list[_Mark]) -> list[_Mark] | None:
    """The marker opening each line, when every one of two or more lines opens with one (or every
    line after the first): points numbered line by line, whatever devices they mix ("1.…" then
    "二是…") and in whatever order."""
    at: dict[int, _Mark] = {}
    for mark in marks:
        at.setdefault(mark.start, mark)
    starts = [0, *(n + 1 for n, char in enumerate(body) if char == "\n")]
    found = [at.get(start) for start in starts]
    if len(found) > 1 and found[0] is None:  # a first line before them: a lead, or a point unnumbered
        found = found[1:]
    elif len(found) < 2:
        return None
    if None in found:
        return None
    return [mark for mark in found if mark is not None]


def _counting(marks: list[_Mark]) -> bool:
    return all(b.number == a.number + 1 for a, b in pairwise(marks))


def _starts_line(body: str, marker: _Mark) -> bool:
    return marker.start == 0 or body[marker.start - 1] == "\n"
