"""Production logging and metrics.

Logs are one line per event, plain ``key=value`` text or JSON (``DUIZHAO_LOG_FORMAT=json``) for a
log collector; ``key=%s`` pairs in a message (``update=… user=… handler=… outcome=… ms=…``) become
JSON fields of their own. Every record is scrubbed as it is made (``protect_logs``): PTB and httpx
put the bot token in request URLs, an exception text may quote the database URL or user input, and
PTB's DEBUG records carry whole updates. PTB's loggers are also held at INFO and httpx and a few
chatty libraries at WARNING, for volume.

Prometheus metrics are always counted and served only when ``DUIZHAO_METRICS_PORT`` is set.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from wsgiref.simple_server import WSGIServer

from prometheus_client import Counter, Histogram, start_http_server
from sqlalchemy.engine import make_url

from bot.settings import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
MASK = "***"

# ``bot<id>:<secret>`` as it appears in Bot API URLs, whatever token it is.
_TOKEN_IN_URL = re.compile(r"(bot\d+:)[A-Za-z0-9_-]+")
# ``key=%s`` (or %d, %.1f, …) placeholders; a message made only of these becomes JSON fields.
_FIELD = re.compile(r"(\w+)=%[-#0 +]*\d*(?:\.\d+)?([sdifr])")
_PLACEHOLDER = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")
# Loggers held at or above a level: PTB's DEBUG logs message texts, httpx's INFO logs the token in
# request URLs, and APScheduler's and Alembic's plugin INFO lines are noise on every job run/start.
_QUIET_LOGGERS = {
    "telegram": logging.INFO,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "apscheduler": logging.WARNING,
    "alembic.runtime.plugins": logging.WARNING,
}

UPDATES = Counter("duizhao_updates", "Updates handled, by handler and outcome", ["handler", "outcome"])
UPDATE_SECONDS = Histogram(
    "duizhao_update_duration_seconds",
    "Time from an update's transaction start to its replies sent",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
UPDATE_FAILURES = Counter(
    "duizhao_update_failures", "Updates that raised, by reason (database_unavailable or error)", ["reason"]
)
REMINDERS_SENT = Counter("duizhao_reminders_sent", "Reminder messages delivered")
REMINDERS_FAILED = Counter("duizhao_reminders_failed", "Reminder messages that could not be delivered")


def observe_update(handler: str, outcome: str, seconds: float) -> None:
    """Count one handled update and its latency (call next to the ``duizhao.updates`` log line)."""
    UPDATES.labels(handler=handler, outcome=outcome).inc()
    UPDATE_SECONDS.observe(seconds)


def observe_failure(database_unavailable: bool) -> None:
    """Count an update that raised, telling database outages apart from bugs."""
    UPDATE_FAILURES.labels(reason="database_unavailable" if database_unavailable else "error").inc()


def serve_metrics(settings: Settings) -> WSGIServer | None:
    """Serve ``/metrics`` on ``listen_host:metrics_port`` from a daemon thread, if a port is set."""
    if settings.metrics_port is None:
        return None
    server, _thread = start_http_server(settings.metrics_port, addr=settings.listen_host)
    return server


def configure_logging(settings: Settings) -> None:
    """Route every log record through one stderr handler; secrets and user content are scrubbed
    before any handler sees a record (see ``protect_logs``)."""
    protect_logs(secrets_of(settings))
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=settings.log_level.upper(), handlers=[handler], force=True)
    level = logging.getLogger().getEffectiveLevel()
    for name, floor in _QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(max(level, floor))


def secrets_of(settings: Settings) -> list[str]:
    found = [secret.get_secret_value() for secret in (settings.bot_token, settings.webhook_secret) if secret]
    password = make_url(settings.effective_database_url).password
    return [*found, *([str(password)] if password else [])]


def protect_logs(secrets: Iterable[str]) -> None:
    """From now on, scrub every log record in this process as it is created, whichever logger
    made it and whichever handler receives it.

    This is done in the record factory: a filter on a handler misses handlers added later (a log
    shipper, pytest's capture), and a filter on a logger misses records propagated from its child
    loggers, which is where PTB and httpx log. Scrubbing masks the given secrets and bot tokens,
    withholds the arguments of third-party DEBUG records (PTB's carry whole updates, i.e. answer
    text and callback data) and the messages of exceptions (``int('²')`` quotes its input).
    """
    _SCRUBBER.add(secrets)
    if logging.getLogRecordFactory() is not _scrubbed_record:
        logging.setLogRecordFactory(_scrubbed_record)


def _scrubbed_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _BASE_FACTORY(*args, **kwargs)
    _SCRUBBER.filter(record)
    return record


class SecretMask(logging.Filter):
    """Scrubs a record: see ``protect_logs``. Our own ``duizhao.*`` records keep their arguments,
    which by design are ids, names, outcomes and timings only."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: list[str] = []
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        self._secrets.extend(s for s in secrets if s and s not in self._secrets)

    def mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return _TOKEN_IN_URL.sub(rf"\g<1>{MASK}", text)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.INFO and record.args and not record.name.startswith(OWN_LOGGERS):
            record.msg, record.args = f"{record.msg} [arguments withheld]", None
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call; keep only its template
            message, record.args = str(record.msg), None
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = scrubbed_traceback(record.exc_info[1])
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


def scrubbed_traceback(error: BaseException) -> str:
    """The traceback with frames and exception types but no exception messages, which may quote
    user input; chained causes are kept the way Python prints them."""
    chain: list[tuple[BaseException, str]] = []
    current: BaseException | None = error
    link = ""
    while current is not None and all(current is not seen for seen, _ in chain):
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    lines: list[str] = []
    for exc, link in reversed(chain):
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(exc.__traceback__))
        lines.append(f"{type(exc).__module__}.{type(exc).__qualname__}: (message withheld)\n")
        if link:
            lines.append(link)
    return "".join(lines).rstrip("\n")


OWN_LOGGERS = ("duizhao",)
_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"
_SCRUBBER = SecretMask()
_BASE_FACTORY = logging.getLogRecordFactory()


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, ``key=%s`` fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """``update=%s user=%s`` with args (1, 2) -> {"update": 1, "user": 2}; {} for other messages."""
    if not isinstance(record.msg, str) or not isinstance(record.args, tuple):
        return {}
    pairs = _FIELD.findall(record.msg)
    if not pairs or len(pairs) != len(record.args) or len(_PLACEHOLDER.findall(record.msg)) != len(pairs):
        return {}
    return {
        key: int(value) if conversion == "d" and isinstance(value, int | float) else value
        for (key, conversion), value in zip(pairs, record.args, strict=True)
    }
