"""Forged callback data, as a modified client can send anything up to 64 bytes: decoded or refused,
never an exception, and through the real stack the user sees the current step again."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.callbacks import MAX_BYTES, MAX_USER_ID, ROUTES, SEPARATOR, Arg, Callback, decode
from handlers.errors import SORRY
from tests.conftest import Chat
from tests.test_access import unlimited

__all__ = ["unlimited"]  # the fixture: no rate limit in the way of hundreds of presses

PREFIXES = sorted(f"{flow.value}{SEPARATOR}{action}{SEPARATOR}" for flow, action in ROUTES)
ARG = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["²", "٣", "0", "-1", "2147483648", "9" * 20, " 1", "1 ", "+1", "1_0", "١٢٣", "", "P3M", "P0M"]
)
# Mostly a real route's prefix with arguments of any shape, since that is where decoders slip.
NEAR_MISS = st.builds(
    lambda prefix, args: prefix + SEPARATOR.join(args), st.sampled_from(PREFIXES), st.lists(ARG, max_size=4)
)
FORGED = (NEAR_MISS | st.text(max_size=64)).map(
    lambda data: data.encode()[:MAX_BYTES].decode(errors="ignore")
)
"""Anything a client can send: at most 64 bytes of UTF-8."""
SEEN: list[str] = []


@settings(max_examples=3000, deadline=None)
@given(FORGED)
@example("fu:open:²")
@example("fu:open:" + "9" * 20)
@example("rv:more:AbC123:²")
@example("sec:del:AbC123:problems:²")
def test_any_callback_data_decodes_to_a_declared_route_or_none(data: str) -> None:
    found = decode(data)
    if found is None:
        return
    assert isinstance(found, Callback) and (found.flow, found.action) in ROUTES
    for kind, value in zip(ROUTES[found.flow, found.action], found.args, strict=True):
        # Row ids fit PostgreSQL's integer; Telegram user ids (BIGINT columns) fit 52 bits.
        bound = MAX_USER_ID if kind is Arg.USER else 2**31 - 1
        assert (isinstance(value, str) and value.isascii()) or (
            isinstance(value, int) and 0 <= value <= bound
        )


@settings(max_examples=1, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.lists(FORGED, min_size=300, max_size=300))
def test_forged_data_for_the_test_below(datas: list[str]) -> None:
    """Draws the forged presses (hypothesis does not drive async fixtures directly)."""
    SEEN.extend(datas)


SPECIFIC = [
    "fu:open:²",
    "fu:open:" + "9" * 20,  # overflowed SQLite's integer
    "fu:done:2147483648",
    "rv:more:AbC123:²",
    "sec:del:AbC123:problems:²",  # hit an assert
    "lk:t:AbC123:1:" + "9" * 20,
    "dl:cadence:AbC123:1:P0M",
    "up:import:" + "x" * 40,
    "tm:mem:AbC123:" + "9" * 16,  # beyond a Telegram user id
    "tm:join:" + "x" * 22 + ":1",  # a code no invitation has
]


async def test_forged_presses_through_the_real_stack_re_show_the_step(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    if not SEEN:
        test_forged_data_for_the_test_below()
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("2026年1月15日")
    for _ in range(3):
        await chat.press("跳过")
    await chat.harness.forge(chat.user_id, "zz")
    step = chat.last_text()  # the current step as re-shown
    refused = [data for data in [*SPECIFIC, *SEEN] if decode(data) is None]
    assert len(refused) > 200  # a valid route (home:new:) would act, which is not what is tested here
    with caplog.at_level(logging.WARNING):
        for data in refused:
            reply = await chat.harness.forge(chat.user_id, data)
            assert not any(SORRY in (entry.text or "") for entry in reply), data
            assert chat.last_text() == step, data
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
