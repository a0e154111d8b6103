"""``duizhao run --webhook``: Telegram posts every update to this server instead of being polled.

Each update is fully processed (committed and answered) before the HTTP response, and Telegram
forgets an update only once it got a 2xx: an update is never acknowledged before it is stored,
a crash makes Telegram deliver it again (the dedupe row makes that harmless), and Telegram keeps
one chat's updates in order by waiting for that answer. Several instances behind one proxy can
share the webhook: the dedupe row and the user row lock make the database the only coordinator.

Starlette and uvicorn: a small, widely used ASGI pair whose only new dependency is ``click``
(uvicorn); httpx, anyio and h11 come with PTB already. uvicorn shuts down the way a webhook needs:
on SIGTERM it stops accepting, lets in-flight requests (so in-flight updates) finish, and only then
runs the lifespan exit, which stops the Application and closes the database.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import uvicorn
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import SimpleUpdateProcessor

from bot import outage
from bot.app import BotApplication, build_application
from bot.settings import Settings
from handlers.common import services_of

log = logging.getLogger("duizhao.webhook")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# The update types the handlers use; Telegram sends nothing else, so nothing else costs a request.
# A handler for another type (e.g. ChatMemberHandler) needs its type here: a test checks.
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
READY_TIMEOUT = 2.0  # seconds for /readyz's SELECT 1; a load balancer's probe is shorter-lived
# Time in-flight updates get after SIGTERM; keep it below the supervisor's stop timeout
# (compose stop_grace_period and the systemd unit's TimeoutStopSec are 30 s).
GRACEFUL_SHUTDOWN = 25
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def webhook_problems(settings: Settings) -> list[str]:
    """What keeps webhook mode from starting, as messages for the operator."""
    problems = []
    url = urlsplit(settings.webhook_url or "")
    if url.scheme not in ("http", "https") or not url.netloc:
        problems.append(
            "DUIZHAO_WEBHOOK_URL 应为 Telegram 推送更新的完整地址，如 https://bot.example.org/telegram"
        )
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not _SECRET.fullmatch(secret):
        problems.append("DUIZHAO_WEBHOOK_SECRET 应为 1–256 个字母、数字、下划线或连字符")
    return problems


def _webhook_target(settings: Settings) -> tuple[str, str]:
    """The webhook URL and secret; ValueError saying what is wrong with them."""
    problems = webhook_problems(settings)
    if problems or settings.webhook_url is None or settings.webhook_secret is None:
        raise ValueError("; ".join(problems))
    return settings.webhook_url, settings.webhook_secret.get_secret_value()


def create_app(application: BotApplication, settings: Settings) -> Starlette:
    """The ASGI app: the webhook at the path of ``webhook_url``, ``/healthz`` and ``/readyz``."""
    url, secret = _webhook_target(settings)
    expected = secret.encode()

    async def receive_update(request: Request) -> Response:
        # Compared as bytes in constant time: a str comparison would reject non-ASCII headers
        # with an exception and a plain == would leak the secret's prefix through timing.
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), expected):
            log.warning("webhook call without the secret token from %s", request.client)
            return PlainTextResponse("forbidden", status_code=403)
        try:
            payload = await request.json()
            update = Update.de_json(payload, application.bot) if isinstance(payload, dict) else None
        except (ValueError, TypeError, KeyError):
            update = None
        if update is None:
            return PlainTextResponse("not an update", status_code=400)
        with outage.watching() as outages:
            await application.update_processor.process_update(update, application.process_update(update))
        if outages:  # the user was told 系统繁忙; Telegram delivers the update again later
            return PlainTextResponse("database unavailable", status_code=503)
        return Response(status_code=200)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        try:
            engine = services_of(application).db.engine
            async with asyncio.timeout(READY_TIMEOUT), engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as error:  # whatever it is, this instance cannot serve updates now
            log.warning("readiness check failed: %s", type(error).__name__)
            return PlainTextResponse("database unavailable", status_code=503)
        return PlainTextResponse("ok")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with _running(application, url, secret, settings.webhook_max_connections):
            yield

    path = urlsplit(url).path or "/"
    return Starlette(
        routes=[
            Route(path, receive_update, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


@asynccontextmanager
async def _running(
    application: BotApplication, url: str, secret: str, max_connections: int
) -> AsyncIterator[None]:
    """Start as ``run_webhook`` of PTB does (hooks included), registering our webhook, and stop."""
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        # Every instance sets the same webhook, so whichever starts last changes nothing; none
        # deletes it on shutdown, which would cut off the instances still running.
        await application.bot.set_webhook(
            url=url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
            max_connections=max_connections,
            drop_pending_updates=False,
        )
        await application.start()
        try:
            yield
        finally:
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


def webhook_server(application: BotApplication, settings: Settings) -> uvicorn.Server:
    """The uvicorn server for ``application``; ``await server.serve()`` runs until SIGTERM/SIGINT."""
    config = uvicorn.Config(
        create_app(application, settings),
        host=settings.listen_host,
        port=settings.webhook_port,
        lifespan="on",
        log_config=None,  # keep configure_logging's handlers and secret masking
        access_log=False,  # the duizhao.updates line already logs every update
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN,
    )
    return uvicorn.Server(config)


def run_webhook(settings: Settings) -> int:
    """``duizhao run --webhook``: serve until SIGTERM or Ctrl-C; the process exit code."""
    if problems := webhook_problems(settings):
        for problem in problems:
            print(f"配置错误：{problem}", file=sys.stderr)
        return 2
    application = build_application(
        settings,
        rate_limited=True,
        update_processor=SimpleUpdateProcessor(settings.webhook_max_connections),
    )
    server = webhook_server(application, settings)
    # uvicorn raises the signal that stopped it again once it has shut down, for the default
    # handler to kill the process; by then everything is closed, so end normally instead.
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda number, frame: None)
    server.run()  # uvicorn's own runner: uvloop and httptools when installed
    return 0 if server.started else 1
