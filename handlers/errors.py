"""Last line of defence: log without user text, and tell the user their input is safe."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import outage
from bot.observability import observe_failure
from bot.outage import BUSY, is_database_unavailable
from handlers.common import Context

log = logging.getLogger("duizhao.errors")

SORRY = "抱歉，处理这条消息时出了点问题，已保存的内容不受影响。请稍后再试，或发送 /start 回到当前步骤。"


async def on_error(update: object, context: Context) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    unavailable = error is not None and is_database_unavailable(error)
    observe_failure(unavailable)
    if unavailable:
        outage.report()
        log.warning("update=%s database unavailable: %s", update_id, type(error).__name__)
    else:
        log.error("update=%s failed: %s", update_id, type(error).__name__, exc_info=error)
    if isinstance(update, Update) and update.effective_chat and not isinstance(error, TelegramError):
        try:
            await context.bot.send_message(update.effective_chat.id, BUSY if unavailable else SORRY)
        except TelegramError:
            log.warning("could not tell chat about the failure")
