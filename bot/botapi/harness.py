"""Drive a real PTB ``Application`` against the in-process Bot API, one user action at a time.

Each action injects an update, waits until PTB has fully processed it (handlers and error
handlers included) and returns what the bot did in response, so tests read like a chat log and
never sleep.
"""

from __future__ import annotations

import datetime as dtm
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from telegram.ext import Application

from bot.botapi.request import InProcessRequest, InProcessUpdateProcessor
from bot.botapi.server import DEFAULT_FIRST_NAME, InProcessBotApi, JSONDict, TranscriptEntry

__all__ = ["AnyApplication", "BotHarness"]

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

# getUpdates returns as soon as an update is queued, so the long-poll length only bounds how long
# an idle poll lasts; stopping the Updater cancels the poll in flight anyway.
_POLL_TIMEOUT = dtm.timedelta(seconds=1)


class BotHarness:
    """Async context manager that runs ``application`` with real getUpdates polling.

    The application must be built with ``api.request()`` as both request objects and with
    ``api.update_processor()`` as ``concurrent_updates``; the harness checks this up front.
    """

    def __init__(self, api: InProcessBotApi, application: AnyApplication, *, timeout: float = 10.0) -> None:
        processor = application.update_processor
        if not (isinstance(processor, InProcessUpdateProcessor) and processor.endpoint is api):
            raise ValueError("build the Application with .concurrent_updates(api.update_processor())")
        request = application.bot.request
        if not (isinstance(request, InProcessRequest) and request.endpoint is api):
            raise ValueError(
                "build the Application with .request(api.request()).get_updates_request(api.request())"
            )
        if application.updater is None:
            raise ValueError("the Application needs an Updater: the harness polls getUpdates")
        self.api = api
        self.application = application
        self.timeout = timeout

    async def __aenter__(self) -> Self:
        """Start the application the way ``run_polling`` does, hooks included."""
        app = self.application
        assert app.updater is not None  # checked in __init__
        await app.initialize()
        try:
            if app.post_init:
                await app.post_init(app)
            await app.updater.start_polling(poll_interval=0.0, timeout=_POLL_TIMEOUT)
            await app.start()
        except BaseException:
            await self.__aexit__(None, None, None)
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop in ``run_polling``'s order, calling post_stop and post_shutdown if set."""
        app = self.application
        try:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
                if app.post_stop:
                    await app.post_stop(app)
        finally:
            await app.shutdown()
            if app.post_shutdown:
                await app.post_shutdown(app)

    async def _exchange(self, inject: Callable[[], JSONDict]) -> list[TranscriptEntry]:
        """Inject one update, wait for PTB to finish it, return the bot's entries meanwhile."""
        start = len(self.api.transcript)
        update = inject()
        await self.api.wait_processed(update["update_id"], self.timeout)
        return [entry for entry in self.api.transcript[start:] if entry.direction == "bot"]

    async def say(
        self, user_id: int, text: str, *, first_name: str = DEFAULT_FIRST_NAME
    ) -> list[TranscriptEntry]:
        """The user sends ``text``, his profile showing ``first_name``."""
        return await self._exchange(lambda: self.api.send_text(user_id, text, first_name=first_name))

    async def press(
        self, user_id: int, label_or_data: str, message_id: int | None = None
    ) -> list[TranscriptEntry]:
        """The user presses a button, by label or callback data."""
        return await self._exchange(
            lambda: self.api.press_button(user_id, label_or_data, message_id=message_id)
        )

    async def forge(self, user_id: int, data: str) -> list[TranscriptEntry]:
        """The user's (modified) client sends callback data no button of theirs carries."""
        return await self._exchange(lambda: self.api.forge_callback(user_id, data))

    async def edit(self, user_id: int, message_id: int, text: str) -> list[TranscriptEntry]:
        """The user edits one of their text messages."""
        return await self._exchange(lambda: self.api.edit_text(user_id, message_id, text))

    async def upload(self, user_id: int, filename: str, data: bytes, mime: str) -> list[TranscriptEntry]:
        """The user sends a file."""
        return await self._exchange(lambda: self.api.upload_document(user_id, filename, data, mime))

    async def sticker(self, user_id: int) -> list[TranscriptEntry]:
        """The user sends a sticker."""
        return await self._exchange(lambda: self.api.send_sticker(user_id))

    async def photo(self, user_id: int) -> list[TranscriptEntry]:
        """The user sends a photo."""
        return await self._exchange(lambda: self.api.send_photo(user_id))

    async def voice(self, user_id: int) -> list[TranscriptEntry]:
        """The user sends a voice message."""
        return await self._exchange(lambda: self.api.send_voice(user_id))
