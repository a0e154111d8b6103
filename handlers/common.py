"""The one path every update takes: access check, dedupe, user lock, flow, commit, then replies.

State is committed before anything is sent, so a process killed at any line loses no answer.
A redelivered update (webhook retry, a restart before the offset was confirmed) is not applied
again; the current step is shown instead, which is also the reply a crash may have cut off.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes, filters

from bot import delivery
from bot.callbacks import Callback, decode
from bot.catalog import Catalog
from bot.flows import access, home, team_invites
from bot.flows.context import FlowContext
from bot.flows.desk_common import linked_batch
from bot.observability import observe_update
from bot.replies import Button, FileReply, Outgoing, Pictures, Rendering, Reply, heavy, settle
from bot.settings import Settings
from bot.texts import split_message
from bot.worker import run_limited
from storage import repo
from storage.db import Database

log = logging.getLogger("duizhao.updates")

Flow = Callable[[FlowContext], Awaitable[list[Outgoing]]]
CallbackFlow = Callable[[FlowContext, Callback], Awaitable[list[Outgoing]]]
Context = ContextTypes.DEFAULT_TYPE

NOT_ALLOWED = "抱歉，本机器人仅供本单位授权人员使用。如需开通，请联系管理员。"
BAD_INVITE = "邀请链接无效或已过期，请联系管理员重新获取。"
TOO_FAST = "操作太频繁，请稍候再试。"
# A team invitation or a review batch's link is for users the bot admits already: it opens a draft
# or a batch, not the bot (SECURITY.md). Saying "invalid" would send them back to the sender.
NOT_YET_ADMITTED = (
    "这是{link}。打开它需要先开通本机器人的使用权限：请联系管理员获取开通邀请链接，开通后再打开这个链接。"
)
# Replies of an update already committed are retried this often: the state is safe either way, but
# a lost prompt leaves the user wondering. RetryAfter waits are capped so a handler never stalls long.
SEND_ATTEMPTS = 4
MAX_WAIT_SECONDS = 30.0
T = TypeVar("T")
PRIVATE_ONLY = "对照检查材料涉及个人信息，请在与我的私聊中使用。"


@dataclass
class Services:
    """Process-wide objects the handlers share, kept in ``application.bot_data``."""

    settings: Settings
    db: Database
    catalog: Catalog
    limiter: access.RateLimiter = field(init=False)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    """The one source of "now" for the flows (``FlowContext.now``); tests set a fixed one."""

    def __post_init__(self) -> None:
        self.limiter = access.RateLimiter(self.settings.rate_limit_burst, self.settings.rate_limit_per_minute)


def services_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    found: Services = application.bot_data["services"]
    return found


def services(context: Context) -> Services:
    return services_of(context.application)


def attach(application: Application[Any, Any, Any, Any, Any, Any], found: Services) -> None:
    application.bot_data["services"] = found


async def run(update: Update, context: Context, flow: Flow, name: str) -> None:
    """Apply ``flow`` to the update in one transaction, then send what it returned."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    found = services(context)
    if chat.type != ChatType.PRIVATE:
        await send_outgoing(context.bot, chat.id, [Reply(PRIVATE_ONLY)])
        return
    decision = found.limiter.check(user.id)
    if decision is not access.Decision.PASS:
        log.warning("update=%s user=%s rate limited", update.update_id, user.id)
        if decision is access.Decision.WARN:
            await send_outgoing(context.bot, chat.id, [Reply(TOO_FAST)])
        return
    if not found.settings.is_allowed(user.id):
        start_arg = _start_argument(update)
        async with found.db.transaction() as session:
            admitted = await access.admitted_by_grant(session, user.id, start_arg, found.clock())
        if not admitted:
            log.info("update=%s refused: not allowed", update.update_id)
            await send_outgoing(context.bot, chat.id, [Reply(_refusal(start_arg))])
            return
    started = time.monotonic()
    async with found.db.transaction() as session:
        fresh, db_user, draft = await repo.begin_update(session, update.update_id, user.id)
        ctx = FlowContext(
            session, db_user, found.catalog, found.settings, chat.id, now=found.clock(), loaded=draft
        )
        if fresh and _is_command(update):
            ctx.command()
        outgoing = await flow(ctx) if fresh else await home.current_step(ctx)
    outgoing = await _after_commit(found, user.id, chat.id, outgoing)
    if update.callback_query:
        await _answer_callback(update)
    await send_outgoing(context.bot, chat.id, outgoing, attempts=SEND_ATTEMPTS)
    if ctx.notices:  # queued with the change they report: what is not sent here, the reminder job sends
        send = telegram_sender(context.bot, attempts=SEND_ATTEMPTS)
        await delivery.deliver(found.db, found.settings, found.catalog, send, ctx.notices, found.clock())
    observe_update(name, "ok" if fresh else "duplicate", time.monotonic() - started)
    log.info(
        "update=%s user=%s handler=%s outcome=%s ms=%d",
        update.update_id,
        user.id,
        name,
        "ok" if fresh else "duplicate",
        (time.monotonic() - started) * 1000,
    )


async def _after_commit(
    found: Services, user_id: int, chat_id: int, outgoing: list[Outgoing]
) -> list[Outgoing]:
    """The replies' work left for after the commit (in a thread when heavy, so the event loop goes on
    serving other users meanwhile), then each reply's own short transaction, if it has one."""
    # a thread costs more than a note on one answer takes
    settled = await asyncio.to_thread(settle, outgoing) if heavy(outgoing) else settle(outgoing)
    for reply in settled:
        then = reply.then if isinstance(reply, Reply) else None
        if isinstance(reply, Reply) and then is not None:
            reply.then = None
            async with found.db.transaction() as session:
                db_user = await repo.lock_user(session, user_id)
                await then(FlowContext(session, db_user, found.catalog, found.settings, chat_id), reply)
    return list(settled)


def _refusal(start_arg: str) -> str:
    """What a user the bot does not admit is told, by the link he came with (if any)."""
    if team_invites.invite_code(start_arg) is not None:
        return NOT_YET_ADMITTED.format(link="班子材料的邀请链接")
    if linked_batch(start_arg) is not None:
        return NOT_YET_ADMITTED.format(link="审阅批次的链接")
    return BAD_INVITE if start_arg else NOT_ALLOWED


def _is_command(update: Update) -> bool:
    """A /command the user sent, as Telegram marks it: a text merely starting with "/" is text."""
    return update.message is not None and bool(filters.COMMAND.filter(update.message))


def _start_argument(update: Update) -> str:
    """The code in ``/start <code>`` (a deep link), or ""."""
    message = update.message
    command, _, argument = (message.text or "").partition(" ") if message else ("", "", "")
    return argument.strip() if command.split("@")[0] == "/start" else ""


async def run_callback(update: Update, context: Context, flow: CallbackFlow, name: str) -> None:
    """Decode the button's data and run ``flow`` with it; malformed data re-shows the current step."""
    query = update.callback_query
    parsed = decode(query.data or "") if query else None
    if parsed is None:
        await run(update, context, home.current_step, f"{name}:invalid")
        return

    async def bound(ctx: FlowContext) -> list[Outgoing]:
        ctx.press(parsed)
        return await flow(ctx, parsed)

    await run(update, context, bound, f"{name}:{parsed.action}")


async def _answer_callback(update: Update) -> None:
    assert update.callback_query is not None
    try:
        await update.callback_query.answer()
    except TelegramError:  # too old to answer, or a network hiccup: the replies still go out
        log.debug("callback %s not answered", update.callback_query.id)


def _markup(rows: list[list[Button]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows if row]
    )


async def _with_retries(call: Callable[[], Awaitable[T]], attempts: int) -> T:
    """Repeat a Bot API call after flood control or a transient network error.

    A timeout may hide a message that did arrive, so a retry can show a prompt twice; that is the
    lesser evil next to a prompt never shown. BadRequest (a NetworkError subclass) is not retried.
    """
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except RetryAfter as error:
            if attempt == attempts:
                raise
            wait = error.retry_after
            seconds = wait if isinstance(wait, int | float) else wait.total_seconds()
            await asyncio.sleep(min(float(seconds), MAX_WAIT_SECONDS))
        except NetworkError as error:
            if attempt == attempts or isinstance(error, BadRequest):
                raise
            await asyncio.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


async def send_outgoing(bot: Bot, chat_id: int, outgoing: list[Outgoing], *, attempts: int = 1) -> None:
    """Send the replies in order, each call tried up to ``attempts`` times.

    The reminder dispatcher keeps the default of one attempt: it reschedules failures itself.
    """
    for item in settle(outgoing):
        if isinstance(item, Pictures):
            await _send_pictures(bot, chat_id, item, attempts)
            continue
        if isinstance(item, FileReply):
            content = item.content
            if isinstance(content, Rendering):
                made = await _rendered(content)
                if made is None:
                    await _send_text(bot, chat_id, Reply(content.failed), attempts)
                    continue
                content = made
            send = partial(
                bot.send_document,
                chat_id,
                document=content,
                filename=item.filename,
                caption=item.caption or None,
                parse_mode=ParseMode.HTML,
            )
            await _with_retries(send, attempts)
            continue
        await _send_text(bot, chat_id, item, attempts)


def telegram_sender(bot: Bot, *, attempts: int = 1) -> delivery.Send:
    """Delivery's sender for Telegram: one reply out (each call tried up to ``attempts`` times), the
    API's error turned into an outcome."""

    async def send(user_id: int, reply: Reply) -> delivery.Outcome:
        try:
            await send_outgoing(bot, user_id, [reply], attempts=attempts)
        except RetryAfter as error:
            wait = error.retry_after
            return delivery.RetryAfter(wait if isinstance(wait, timedelta) else timedelta(seconds=wait))
        except Forbidden:
            return delivery.Blocked()
        except BadRequest as error:  # also a NetworkError subclass, but resending will not help
            return delivery.Failed(str(error.message))
        except NetworkError as error:
            return delivery.Transient(type(error).__name__)
        except TelegramError as error:
            return delivery.Failed(str(error.message))
        return delivery.Sent()

    return send


async def _rendered(rendering: Rendering) -> Any:
    """What the job made; None when it failed and the rendering says what to answer instead."""
    limits = {"limits": rendering.limits} if rendering.limits is not None else {}
    if not rendering.failed:
        return await run_limited(rendering.job, *rendering.args, **limits)
    try:
        return await run_limited(rendering.job, *rendering.args, **limits)
    except Exception as error:  # a program outside Python failed or ran out of its limits
        log.warning("rendering %s failed: %s", getattr(rendering.job, "__name__", "job"), error)
        return None


async def _send_pictures(bot: Bot, chat_id: int, item: Pictures, attempts: int) -> None:
    pictures = await _rendered(item.rendering)
    if pictures is None:
        await _send_text(bot, chat_id, Reply(item.rendering.failed), attempts)
        return
    for index, picture in enumerate(pictures):
        caption = item.caption if index == 0 else None
        photo = InputFile(picture, filename=f"{item.stem}_第{index + 1}页.png")
        send = partial(
            bot.send_photo, chat_id, photo=photo, caption=caption or None, parse_mode=ParseMode.HTML
        )
        await _with_retries(send, attempts)


async def _send_text(bot: Bot, chat_id: int, item: Reply, attempts: int) -> None:
    chunks = split_message(item.html)
    for index, chunk in enumerate(chunks):
        markup = _markup(item.buttons) if index == len(chunks) - 1 else None
        send = partial(bot.send_message, chat_id, chunk, parse_mode=ParseMode.HTML, reply_markup=markup)
        await _with_retries(send, attempts)
