"""Every parser of user text returns a result or a problem to show, never an exception.

The numeral strategies draw from the characters cadres write numbers with, so the malformed
numerals that once crashed the deadline step (``零十一个月内``) are found in every run.
"""

from __future__ import annotations

from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.dates import MAX_YEAR, MIN_YEAR, parse_date
from bot.deadlines import Cadence, Deadline, DeadlineProblem, parse_cadence, parse_deadline
from bot.flows.access import MAX_INVITE_USES, _invite_terms
from bot.numbering import numeral_value
from bot.splitter import split_items, strip_marker

NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿壹贰叁拾佰点负"
UNITS = (
    *("个月内", "个月", "年底前", "年内", "月底", "月", "日前"),
    *("号", "周内", "周", "天", "个工作日内", "季度末"),
)
WORDS = (
    *("", "每", "按", "双", "第", "前", "底", "末"),
    *("内", "后", "至", "年", "月", "立行立改", "长期坚持", "，"),
)
MEETINGS = st.dates(date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31))
NUMERAL = st.text(alphabet=NUMERAL_CHARS + "0123456789", min_size=1, max_size=3)
PHRASE = st.lists(
    st.tuples(st.sampled_from(WORDS), NUMERAL, st.sampled_from(UNITS)), min_size=1, max_size=3
).map(lambda parts: "".join("".join(part) for part in parts))
MANY = settings(max_examples=3000, deadline=None)
SOME = settings(max_examples=1000, deadline=None)


@MANY
@given(PHRASE, MEETINGS, st.integers(0, 400))
@example("零十一个月内", date(2026, 1, 15), 0)
@example("0000年底前", date(2026, 1, 15), 0)
@example("9999年12月31日前", date(2099, 12, 31), 0)
@example("999个月内", date(2099, 12, 31), 0)
def test_numeral_phrases_give_a_deadline_or_a_problem(text: str, meeting: date, days_later: int) -> None:
    today = date.fromordinal(min(meeting.toordinal() + days_later, date(MAX_YEAR, 12, 31).toordinal()))
    parsed = parse_deadline(text, meeting=meeting, today=today)
    assert isinstance(parsed, Deadline | DeadlineProblem)
    if isinstance(parsed, DeadlineProblem):
        assert parsed.message


@MANY
@given(PHRASE)
@example("每零十一周")
def test_numeral_phrases_give_a_cadence_or_none(text: str) -> None:
    assert isinstance(parse_cadence(text), Cadence | None)


@MANY
@given(st.text(alphabet=NUMERAL_CHARS, max_size=4))
@example("零十零")
def test_numerals_are_read_or_refused(text: str) -> None:
    value = numeral_value(text)
    assert value is None or isinstance(value, int)


def test_a_malformed_numeral_asks_the_cadre_to_rephrase() -> None:
    parsed = parse_deadline("零十一个月内", meeting=date(2026, 1, 15), today=date(2026, 1, 15))
    assert isinstance(parsed, DeadlineProblem) and "零十一个月内" in parsed.message


def test_a_year_out_of_range_is_queried_not_computed() -> None:
    parsed = parse_deadline("0000年底前", meeting=date(2026, 1, 15), today=date(2026, 1, 15))
    assert isinstance(parsed, DeadlineProblem) and "年份0000" in parsed.message


DATE_LIKE = st.from_regex(r"\s*\d{4}[年\-/.．]\d{1,2}[月\-/.．]\d{1,3}日?\s*", fullmatch=True)
MARKED_LINES = st.from_regex(r"[一二三四五六七八九十（）()、.．是第，\n0-9 ]{0,60}", fullmatch=True)


@SOME
@given(st.text(max_size=40) | DATE_LIKE)
@example("9999年12月31日")
@example("2026年2月30日")
def test_meeting_dates_are_read_or_refused(text: str) -> None:
    found = parse_date(text)
    assert found is None or MIN_YEAR <= found.year <= MAX_YEAR


@SOME
@given(st.text(max_size=300) | MARKED_LINES)
def test_pasted_aspects_split_without_error(text: str) -> None:
    aspects = [strip_marker(line) for line in split_items(text)]
    assert all(isinstance(aspect, str) for aspect in aspects)


@given(st.lists(st.text(max_size=6), max_size=3))
@example(["²"])
@example(["1" * 5000])
def test_invite_terms_are_read_or_refused(args: list[str]) -> None:
    terms = _invite_terms(args)
    assert terms is None or (1 <= terms[0] <= MAX_INVITE_USES)
