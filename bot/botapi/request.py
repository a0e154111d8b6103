"""PTB-side adapters that plug the in-process Bot API into a real ``Application``.

Only the HTTP layer is replaced: ``ExtBot`` still builds ``RequestData`` and parses the JSON it
gets back, and the ``Updater`` still long-polls ``getUpdates``, so what runs is the production
stack. The adapters talk to the server through :class:`BotApiEndpoint` so this module does not
import the server (the server imports it to hand out instances).
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol

from telegram import Update
from telegram.ext import BaseUpdateProcessor
from telegram.request import BaseRequest, RequestData

__all__ = ["BotApiEndpoint", "InProcessRequest", "InProcessUpdateProcessor"]


class BotApiEndpoint(Protocol):
    """What the adapters need from the server."""

    async def handle(self, http_method: str, url: str, data: RequestData | None) -> tuple[int, bytes]:
        """Answer one HTTP call with (status, body) exactly as Telegram would."""
        ...

    def update_processed(self, update_id: int) -> None:
        """Note that PTB has finished processing the update, so waiters can go on."""
        ...


class InProcessRequest(BaseRequest):
    """A ``BaseRequest`` that hands every call to the in-process server instead of the network."""

    __slots__ = ("_read_timeout", "endpoint")

    def __init__(self, endpoint: BotApiEndpoint, *, read_timeout: float | None = 5.0) -> None:
        self.endpoint = endpoint
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        """PTB adds the long-poll timeout to this when it computes getUpdates' read timeout."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open: there is no connection pool."""

    async def shutdown(self) -> None:
        """Nothing to close: there is no connection pool."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Timeouts are ignored: the server answers long polls within their own ``timeout``."""
        return await self.endpoint.handle(method, url, request_data)


class InProcessUpdateProcessor(BaseUpdateProcessor):
    """Processes updates one at a time and reports each finished update to the server.

    The report is what lets the harness wait for "the bot has fully reacted" instead of sleeping.
    """

    __slots__ = ("endpoint",)

    def __init__(self, endpoint: BotApiEndpoint) -> None:
        super().__init__(max_concurrent_updates=1)
        self.endpoint = endpoint

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run PTB's processing (handlers and error handlers), then report, even if it raised."""
        try:
            await coroutine
        finally:
            if isinstance(update, Update):
                self.endpoint.update_processed(update.update_id)

    async def initialize(self) -> None:
        """No resources to allocate."""

    async def shutdown(self) -> None:
        """No resources to free."""
