"""Webhook mode: the secret check, health and readiness, registration, graceful shutdown, logs.

Instances run in this process on real sockets (uvicorn, as in production) and reply through the
in-process Bot API; a delivery's HTTP response comes once the update is committed and answered,
so tests read the outcome right after ``deliver`` returns. The helpers here are shared with the
concurrency and outage tests and with ``bench/load.py``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from pydantic import SecretStr
from sqlalchemy import func, select
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, SimpleUpdateProcessor

from bot import webhook
from bot.app import BotApplication, build_application
from bot.botapi import InProcessBotApi
from bot.botapi.http import BotApiHttpServer, duizhao_env
from bot.botapi.server import JSONDict, Upload
from bot.observability import JsonFormatter, SecretMask, serve_metrics
from bot.settings import Settings
from handlers.common import services_of
from storage.db import Database
from storage.models import Answer, DraftMember, ProcessedUpdate

USER = 4242
SECRET = "test-secret_0123456789"
WEBHOOK_PATH = "/telegram/updates"
# Deadlines, not delays (see test_run_http.py).
START_UP = 60.0  # a cold start (imports, migrations) on a busy 2-core machine
STEP = 20.0

# From a first message to the problems section, where every text message adds one item.
TO_PROBLEMS = [
    ("say", "/new"),
    ("press", "个人对照检查材料"),
    ("press", "2025年度民主生活会（5个方面）"),
    ("press", "暂不确定"),
    ("press", "跳过"),
    ("press", "跳过"),
    ("press", "跳过"),
    ("say", "按照通知要求，现将对照检查情况报告如下："),
    ("press", "跳过本部分"),
]


def answer_text(user: int, number: int) -> str:
    """A problem item that is stored as sent and names its user and number."""
    return f"理论学习不够系统，学用结合不紧（用户{user}第{number:03d}条）"


class WebhookBotApi(InProcessBotApi):
    """The in-process Bot API plus ``setWebhook``, which it does not serve: recorded and accepted."""

    def __init__(self, token: str = "100000:duizhao-offline") -> None:
        super().__init__(token)
        self.webhooks: list[dict[str, str]] = []

    async def call(
        self, method: str, fields: Mapping[str, str], files: Mapping[str, Upload] | None = None
    ) -> tuple[int, bytes]:
        if method.lower() == "setwebhook":
            self.webhooks.append(dict(fields))
            return 200, b'{"ok": true, "result": true}'
        return await super().call(method, fields, files)


def webhook_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"webhook_url": f"https://bot.example.org{WEBHOOK_PATH}", "webhook_secret": SecretStr(SECRET)}
    )


@dataclass
class Instance:
    """One webhook server in this process, addressed the way the reverse proxy would."""

    application: BotApplication
    client: httpx.AsyncClient

    async def deliver(self, update: JSONDict, secret: str | bytes | None = SECRET) -> httpx.Response:
        """Post ``update`` as Telegram does; returns once the bot has handled it."""
        value = secret.encode() if isinstance(secret, str) else secret
        headers = {webhook.SECRET_HEADER.encode(): value} if value is not None else {}
        return await self.client.post(WEBHOOK_PATH, json=update, headers=headers)


@asynccontextmanager
async def webhook_instance(
    settings: Settings, api: InProcessBotApi, *, concurrency: int = 8
) -> AsyncIterator[Instance]:
    """A webhook server like ``duizhao run --webhook`` on a free local port, replying via ``api``."""
    settings = webhook_settings(settings)
    application = build_application(
        settings, request=api.request(), update_processor=SimpleUpdateProcessor(concurrency)
    )
    server = webhook.webhook_server(application, settings)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        await _started(server, serving)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=STEP) as client:
            yield Instance(application, client)
    finally:
        server.should_exit = True
        await serving
        listener.close()


async def _started(server: uvicorn.Server, serving: asyncio.Task[None]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + START_UP
    while not server.started:
        if serving.done() or loop.time() > deadline:
            raise RuntimeError("the webhook server did not start; see the log above")
        await asyncio.sleep(0.02)


async def say(instance: Instance, api: InProcessBotApi, user: int, text: str) -> None:
    response = await instance.deliver(api.send_text(user, text))
    assert response.status_code == 200, response.text


async def press(instance: Instance, api: InProcessBotApi, user: int, label: str) -> None:
    response = await instance.deliver(api.press_button(user, label))
    assert response.status_code == 200, response.text


async def reach_problems(instances: list[Instance], api: InProcessBotApi, user: int) -> None:
    """Walk ``user`` to the problems section, taking turns over ``instances``."""
    for step, (action, value) in enumerate(TO_PROBLEMS):
        instance = instances[step % len(instances)]
        await (say if action == "say" else press)(instance, api, user, value)


async def problem_rows(database_url: str, user: int) -> list[tuple[int, str]]:
    """The user's problem items as (position, text), in the order the draft keeps them."""
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            rows = await session.execute(
                select(Answer.position, Answer.text)
                .join(DraftMember, DraftMember.draft_id == Answer.draft_id)
                .where(DraftMember.user_id == user, Answer.section == "problems")
                .order_by(Answer.aspect, Answer.position, Answer.id)
            )
            return [(position, text) for position, text in rows]
    finally:
        await db.dispose()


async def stored_problems(database_url: str, user: int) -> list[str]:
    return [text for _, text in await problem_rows(database_url, user)]


async def processed_count(database_url: str) -> int:
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            return int(await session.scalar(select(func.count()).select_from(ProcessedUpdate)) or 0)
    finally:
        await db.dispose()


def bot_texts(api: InProcessBotApi, user: int) -> list[str]:
    return [str(message.get("text", "")) for message in api.bot_messages(user)]


def bot_labels(api: InProcessBotApi, user: int) -> list[str]:
    return [
        button.label for message in api.bot_messages(user) for row in api.buttons(message) for button in row
    ]


# -- the secret ---------------------------------------------------------------------------------


async def test_a_delivery_without_the_right_secret_is_refused_and_not_processed(settings: Settings) -> None:
    api = WebhookBotApi()
    async with webhook_instance(settings, api) as instance:
        update = api.send_text(USER, "/start")
        for secret in (None, "", "wrong-secret", SECRET + "x", "密钥".encode()):
            response = await instance.deliver(update, secret=secret)
            assert response.status_code == 403, secret
        assert api.bot_messages(USER) == []
        assert await processed_count(settings.effective_database_url) == 0

        response = await instance.deliver(update)
        assert response.status_code == 200
        assert "开始写材料" in bot_labels(api, USER)
        assert await processed_count(settings.effective_database_url) == 1


async def test_a_body_that_is_not_an_update_is_rejected(settings: Settings) -> None:
    async with webhook_instance(settings, WebhookBotApi()) as instance:
        headers = {webhook.SECRET_HEADER: SECRET}
        for body in (b"{", b"[1, 2]", b"null"):
            response = await instance.client.post(WEBHOOK_PATH, content=body, headers=headers)
            assert response.status_code == 400, body
        assert (await instance.client.get(WEBHOOK_PATH)).status_code == 405


async def test_start_up_registers_the_webhook_with_its_secret_and_update_types(settings: Settings) -> None:
    api = WebhookBotApi()
    async with webhook_instance(settings, api):
        [registered] = api.webhooks
    assert registered["url"] == f"https://bot.example.org{WEBHOOK_PATH}"
    assert registered["secret_token"] == SECRET
    assert json.loads(registered["allowed_updates"]) == ["message", "edited_message", "callback_query"]
    assert registered["drop_pending_updates"] == "false"
    assert registered["max_connections"] == "40"
    assert {"command": "start", "description": "开始或继续"} in api.my_commands()  # post_init ran


def test_telegram_is_asked_for_every_update_type_a_handler_takes(settings: Settings) -> None:
    takes: dict[type[object], set[str]] = {
        CallbackQueryHandler: {"callback_query"},
        CommandHandler: {"message"},
        MessageHandler: {"message", "edited_message"},
    }
    application = build_application(settings)
    for handler in (handler for group in application.handlers.values() for handler in group):
        kind = type(handler)
        assert kind in takes, f"{kind.__name__}: add its update types to webhook.ALLOWED_UPDATES"
        assert takes[kind] <= set(webhook.ALLOWED_UPDATES)


def test_webhook_mode_needs_a_url_and_a_valid_secret(settings: Settings) -> None:
    assert len(webhook.webhook_problems(settings)) == 2
    assert webhook.webhook_problems(webhook_settings(settings)) == []
    bad = webhook_settings(settings).model_copy(update={"webhook_secret": SecretStr("has space")})
    assert [problem for problem in webhook.webhook_problems(bad) if "SECRET" in problem]


# -- health and readiness -----------------------------------------------------------------------


async def test_healthz_and_readyz(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webhook, "READY_TIMEOUT", 0.5)
    async with webhook_instance(settings, WebhookBotApi()) as instance:
        assert (await instance.client.get("/healthz")).status_code == 200
        assert (await instance.client.get("/readyz")).status_code == 200

        services = services_of(instance.application)
        working = services.db
        refused = socket.socket()
        refused.bind(("127.0.0.1", 0))  # bound but not listening: connections are refused
        silent = await asyncio.start_server(lambda reader, writer: None, "127.0.0.1", 0)  # never answers
        try:
            for port in (refused.getsockname()[1], silent.sockets[0].getsockname()[1]):
                services.db = Database(f"postgresql+asyncpg://duizhao@127.0.0.1:{port}/duizhao")
                try:
                    started = asyncio.get_running_loop().time()
                    assert (await instance.client.get("/readyz")).status_code == 503
                    assert asyncio.get_running_loop().time() - started < 5
                    assert (await instance.client.get("/healthz")).status_code == 200
                finally:
                    await services.db.dispose()
                    services.db = working
        finally:
            refused.close()
            silent.close()
        assert (await instance.client.get("/readyz")).status_code == 200


# -- duizhao run --webhook as deployed ----------------------------------------------------------


class GatedBotApi(WebhookBotApi):
    """Holds every sendMessage until ``release`` is set, so a test can act while one is in flight."""

    def __init__(self) -> None:
        super().__init__("123456:GatedBotSecretToken")
        self.sending = asyncio.Event()
        self.release = asyncio.Event()

    async def call(
        self, method: str, fields: Mapping[str, str], files: Mapping[str, Upload] | None = None
    ) -> tuple[int, bytes]:
        if method.lower() == "sendmessage":
            self.sending.set()
            await self.release.wait()
        return await super().call(method, fields, files)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _poll(
    check: Callable[[], Awaitable[bool]], what: str, process: subprocess.Popen[bytes], log: Path
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + START_UP
    while not await check():
        if process.poll() is not None or loop.time() > deadline:
            raise AssertionError(f"no {what}; duizhao run --webhook said:\n{log.read_text()[-4000:]}")
        await asyncio.sleep(0.05)


async def test_run_webhook_finishes_the_update_in_flight_on_sigterm(
    database_url: str, tmp_path: Path
) -> None:
    api = GatedBotApi()
    port = _free_port()
    log = tmp_path / "run.log"
    async with BotApiHttpServer(api) as bot_api, httpx.AsyncClient(timeout=STEP) as client:
        variables = {
            "DUIZHAO_BOT_TOKEN": api.token,
            "DUIZHAO_API_BASE_URL": bot_api.base_url,
            "DUIZHAO_FILE_BASE_URL": bot_api.file_base_url,
            "DUIZHAO_DATA_DIR": str(tmp_path),
            "DUIZHAO_DATABASE_URL": database_url,
            "DUIZHAO_WEBHOOK_URL": f"https://bot.example.org{WEBHOOK_PATH}",
            "DUIZHAO_WEBHOOK_SECRET": SECRET,
            "DUIZHAO_WEBHOOK_PORT": str(port),
            "DUIZHAO_LOG_FORMAT": "json",
        }
        with log.open("wb") as output:
            process = subprocess.Popen(
                (sys.executable, "-m", "bot", "run", "--webhook"),
                cwd=tmp_path,
                env=duizhao_env(variables),
                stdout=output,
                stderr=output,
            )
        try:
            base = f"http://127.0.0.1:{port}"

            async def healthy() -> bool:
                try:
                    return (await client.get(f"{base}/healthz")).status_code == 200
                except httpx.TransportError:
                    return False

            await _poll(healthy, "/healthz", process, log)
            assert api.webhooks and api.webhooks[0]["secret_token"] == SECRET
            delivery = asyncio.create_task(
                client.post(
                    f"{base}{WEBHOOK_PATH}",
                    json=api.send_text(USER, "/start"),
                    headers={webhook.SECRET_HEADER: SECRET},
                )
            )
            await asyncio.wait_for(api.sending.wait(), STEP)  # the reply is on its way: in flight
            process.send_signal(signal.SIGTERM)
            await asyncio.sleep(0.5)
            assert process.poll() is None, "stopped before the update in flight was answered"
            api.release.set()
            assert (await delivery).status_code == 200
            assert await asyncio.to_thread(process.wait, STEP) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert "开始写材料" in bot_labels(api, USER)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    [handled] = [line for line in lines if line["logger"] == "duizhao.updates"]
    assert handled["user"] == USER and handled["outcome"] == "ok" and isinstance(handled["ms"], int)
    assert "Traceback" not in log.read_text()
    assert api.token.split(":")[1] not in log.read_text()


def test_run_webhook_without_its_settings_says_what_is_missing(tmp_path: Path) -> None:
    result = subprocess.run(
        (sys.executable, "-m", "bot", "run", "--webhook"),
        cwd=tmp_path,
        env=duizhao_env({"DUIZHAO_DATA_DIR": str(tmp_path), "DUIZHAO_BOT_TOKEN": "123:abc"}),
        capture_output=True,
        timeout=START_UP,
        check=False,
    )
    assert result.returncode == 2
    errors = result.stderr.decode()
    assert "DUIZHAO_WEBHOOK_URL" in errors and "DUIZHAO_WEBHOOK_SECRET" in errors


# -- logs ---------------------------------------------------------------------------------------


def _record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("duizhao.updates", logging.INFO, __file__, 1, message, args, exc_info)


def test_secrets_are_masked_in_messages_and_tracebacks() -> None:
    mask = SecretMask(["db-password", SECRET])
    record = _record("POST https://api.telegram.org/bot123456:AAE-x_yz/sendMessage %s", "db-password")
    assert mask.filter(record)
    assert record.getMessage() == "POST https://api.telegram.org/bot123456:***/sendMessage ***"
    try:
        raise ValueError(f"bad response from /bot654321:SECRETtoken/getMe with {SECRET}")
    except ValueError as error:
        failed = _record("request failed", exc=error)
    mask.filter(failed)
    formatted = logging.Formatter().format(failed)
    assert "SECRETtoken" not in formatted and SECRET not in formatted
    assert "builtins.ValueError: (message withheld)" in formatted and "test_webhook.py" in formatted


def test_json_lines_turn_key_value_messages_into_fields() -> None:
    line = JsonFormatter().format(
        _record("update=%s user=%s handler=%s outcome=%s ms=%d", 7, USER, "drafting:text", "ok", 12.7)
    )
    entry = json.loads(line)
    assert entry["logger"] == "duizhao.updates" and entry["level"] == "INFO"
    assert (entry["update"], entry["user"], entry["handler"], entry["outcome"], entry["ms"]) == (
        7,
        USER,
        "drafting:text",
        "ok",
        12,
    )
    plain = json.loads(JsonFormatter().format(_record("pruned %d processed update ids", 3)))
    assert plain["message"] == "pruned 3 processed update ids" and "pruned" not in plain


# -- metrics ------------------------------------------------------------------------------------


async def test_metrics_count_updates_by_handler_and_outcome(settings: Settings) -> None:
    port = _free_port()
    server = serve_metrics(settings.model_copy(update={"metrics_port": port}))
    assert server is not None
    try:
        api = WebhookBotApi()
        async with webhook_instance(settings, api) as instance:
            update = api.send_text(USER, "/start")
            for _ in range(2):  # once applied, once a redelivery
                assert (await instance.deliver(update)).status_code == 200
            async with httpx.AsyncClient() as client:
                metrics = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
    finally:
        server.shutdown()
        server.server_close()
    assert 'duizhao_updates_total{handler="start",outcome="ok"}' in metrics
    assert 'duizhao_updates_total{handler="start",outcome="duplicate"}' in metrics
    assert "duizhao_update_duration_seconds_count" in metrics
    assert "duizhao_reminders_sent_total" in metrics


# -- deploy/ ------------------------------------------------------------------------------------

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def test_env_example_documents_every_setting() -> None:
    documented = set(re.findall(r"^#? ?(DUIZHAO_[A-Z_]+)=", (DEPLOY / ".env.example").read_text(), re.M))
    assert {f"DUIZHAO_{name.upper()}" for name in Settings.model_fields} <= documented
