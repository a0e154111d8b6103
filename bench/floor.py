"""The floor the bot benches measure against: the bot with one store-and-echo handler.

The floor is built by ``build_application`` like the real bot (same settings, database engine,
hooks, update processor and error handler) and then keeps only a handler that stores the message
text in one row and echoes it, escaped. A bench's ratio against it is the cost of the bot's own
work: flows, review, state and its queries, on top of what any bot on this stack pays anyway.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable

from sqlalchemy import Integer, Text, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from bot.app import BotApplication
from handlers.common import services_of
from storage.db import Database

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


class FloorBase(DeclarativeBase):
    """Kept apart from the bot's models: the echo table is the benches' own."""


class EchoRow(FloorBase):
    __tablename__ = "bench_echo"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[str] = mapped_column(Text)


def floor_application(application: BotApplication) -> BotApplication:
    """``application`` (from ``build_application``) with store-and-echo as its only handler."""
    db = services_of(application).db

    async def store_and_echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_message.text is not None
        body = update.effective_message.text
        async with db.transaction() as session:
            session.add(EchoRow(body=body))
        await context.bot.send_message(update.effective_message.chat_id, html.escape(body), parse_mode="HTML")

    return with_only(application, store_and_echo)


def with_only(application: BotApplication, on_text: Callback) -> BotApplication:
    """``application`` with ``on_text`` as its only handler, for text messages."""
    for group, handlers in list(application.handlers.items()):
        for handler in list(handlers):
            application.remove_handler(handler, group)
    application.add_handler(MessageHandler(filters.TEXT, on_text))
    return application


async def create_echo_table(db: Database) -> None:
    async with db.engine.begin() as connection:
        await connection.run_sync(FloorBase.metadata.create_all)


async def echoed(db: Database) -> list[str]:
    """Every stored message text, in the order stored."""
    async with db.transaction() as session:
        return list((await session.scalars(select(EchoRow.body).order_by(EchoRow.id))).all())
