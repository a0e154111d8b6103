"""Telegram-facing flows: each module turns updates of one flow into calls of the core flows."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from handlers import (
    admin,
    desk,
    drafting,
    drafts,
    errors,
    followup,
    links,
    media,
    new_draft,
    privacy,
    report,
    review,
    start,
    team,
)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    modules = (
        start,
        new_draft,
        drafts,
        report,
        review,
        followup,
        links,
        team,
        privacy,
        admin,
        desk,
        drafting,
        media,
    )
    for module in modules:
        application.add_handlers(module.handlers())
    application.add_error_handler(errors.on_error)
