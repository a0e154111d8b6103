"""Builds the python-telegram-bot Application: the one place Telegram meets the core's services."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, BaseUpdateProcessor, ContextTypes
from telegram.request import BaseRequest

import handlers
from bot import worker
from bot.catalog import load_catalog
from bot.commands import COMMANDS
from bot.deadlines import calendar
from bot.deadlines.holidays import load_holidays
from bot.observability import protect_logs, secrets_of
from bot.settings import Settings
from handlers import followup
from handlers.common import Services, attach, services_of
from storage import repo
from storage.db import Database

if TYPE_CHECKING:
    from bot.botapi import InProcessBotApi

log = logging.getLogger("duizhao")

BotApplication = Application[Any, Any, Any, Any, Any, Any]

OFFLINE_TOKEN = "100000:duizhao-offline"

# Telegram keeps an undelivered update for 24 hours; dedupe records older than this can go.
DEDUPE_WINDOW = timedelta(days=3)
PRUNE_EVERY = timedelta(hours=6)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    update_processor: BaseUpdateProcessor | None = None,
    token: str | None = None,
    rate_limited: bool = False,
) -> BotApplication:
    """The bot for ``run`` (real Bot API) or, given the in-process requests, for chat and tests."""
    settings.apply_encryption()
    protect_logs([*secrets_of(settings), token or ""])
    secret = settings.bot_token.get_secret_value() if settings.bot_token else None
    builder = (
        ApplicationBuilder()
        .token(token or secret or OFFLINE_TOKEN)
        .base_url(settings.api_base_url)
        .base_file_url(settings.file_base_url)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    if update_processor is not None:
        builder = builder.concurrent_updates(update_processor)
    if rate_limited:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    application = builder.build()
    _install_holidays(settings)
    attach(
        application,
        Services(settings, Database(settings.effective_database_url), load_catalog(settings.themes_dir)),
    )
    handlers.register(application)
    return application


def build_offline_application(settings: Settings, api: InProcessBotApi) -> BotApplication:
    """The bot on the in-process Bot API, as ``duizhao chat`` and the tests run it."""
    return build_application(
        settings,
        request=api.request(),
        get_updates_request=api.request(),
        update_processor=api.update_processor(),
    )


def _install_holidays(settings: Settings) -> None:
    """The operator's holidays file (a mistake in it stops the start, like a bad theme), then a
    warning when next year's schedule is known to neither it nor the library."""
    if settings.holidays_file is not None:
        calendar.use_schedule(load_holidays(settings.holidays_file))
    warning = calendar.coverage_warning(datetime.now(settings.tz).date())
    if warning:
        log.warning("%s", warning)


async def _post_init(application: BotApplication) -> None:
    await services_of(application).db.upgrade()
    await worker.start()
    if application.job_queue is not None:
        interval = services_of(application).settings.reminder_interval_seconds
        application.job_queue.run_repeating(_prune_processed_updates, interval=PRUNE_EVERY, first=60)
        application.job_queue.run_repeating(followup.dispatch_job, interval=interval, first=interval)
    try:
        await application.bot.set_my_commands(COMMANDS)
    except TelegramError as error:
        log.warning("setMyCommands failed, continuing without a command menu: %s", error)


async def _prune_processed_updates(context: ContextTypes.DEFAULT_TYPE) -> None:
    db = services_of(context.application).db
    async with db.transaction() as session:
        removed = await repo.forget_processed_updates(session, datetime.now(UTC) - DEDUPE_WINDOW)
    log.info("pruned %d processed update ids", removed)


async def _post_shutdown(application: BotApplication) -> None:
    await services_of(application).db.dispose()
