"""Runtime configuration from ``DUIZHAO_*`` environment variables and ``.env``.

One settings object is built at start-up and handed down; nothing reads the environment later,
so tests can construct ``Settings(...)`` directly.
"""

from __future__ import annotations

from datetime import time
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

if TYPE_CHECKING:
    from bot.deadlines.settings import ReminderSettings

TELEGRAM_API_URL = "https://api.telegram.org/bot"
SECRETS = ("bot_token", "webhook_secret")
TELEGRAM_FILE_URL = "https://api.telegram.org/file/bot"


def _parse_key_list(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _parse_id_list(value: object) -> object:
    """Accept ``1,2 3`` from the environment as well as a real list."""
    if isinstance(value, str):
        return [int(part) for part in value.replace(",", " ").split()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DUIZHAO_", env_file=".env", extra="ignore")

    bot_token: SecretStr | None = Field(default=None, description="Telegram bot token from @BotFather")
    data_dir: Path = Field(default=Path("data"), description="Where the default SQLite file and exports live")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy async URL; default sqlite+aiosqlite in data_dir"
    )
    timezone: str = Field(default="Asia/Shanghai", description="Users' default time zone")
    api_base_url: str = Field(default=TELEGRAM_API_URL, description="Bot API base URL (self-hosted server)")
    file_base_url: str = Field(default=TELEGRAM_FILE_URL, description="Bot API file base URL")
    allowed_users: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Telegram user ids allowed to use the bot; empty = everyone"
    )
    admins: Annotated[list[int], NoDecode] = Field(default_factory=list, description="Admin user ids")
    invite_only: bool = Field(
        default=False, description="Closed bot even with an empty allow-list: newcomers need an invite"
    )
    rate_limit_burst: int = Field(
        default=60, ge=1, description="Updates one user may send in a burst before being slowed down"
    )
    rate_limit_per_minute: float = Field(
        default=120.0, gt=0, description="Sustained updates per minute one user may send"
    )
    themes_dir: Path | None = Field(
        default=None, description="Directory of extra/override theme and kind YAML files"
    )
    holidays_file: Path | None = Field(
        default=None, description="YAML of official 放假安排 for years chinesecalendar does not cover yet"
    )
    log_level: str = Field(default="INFO", description="Python logging level")
    log_format: Literal["text", "json"] = Field(default="text", description="Log line format: text or json")
    metrics_port: int | None = Field(default=None, description="Serve Prometheus metrics on this port")

    webhook_url: str | None = Field(
        default=None, description="Public HTTPS URL Telegram posts updates to (run --webhook)"
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token"
    )
    listen_host: str = Field(default="127.0.0.1", description="Address the webhook server listens on")
    webhook_port: int = Field(default=8080, description="Port the webhook server listens on")
    webhook_max_connections: int = Field(
        default=40, ge=1, le=100, description="Concurrent webhook connections Telegram may open"
    )

    encryption_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        description="Fernet keys (comma separated) encrypting answer text at rest; the first encrypts",
    )

    reminder_hour: str = Field(default="09:30", description="Local time of day reminders go out (HH:MM)")
    reminder_offsets_days: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [7, 0], description="Days before the deadline to remind, e.g. 7,0"
    )
    quiet_hours: str = Field(default="21:00-08:00", description="Local hours when nothing is sent")
    nudge_every_workdays: int = Field(default=3, ge=1, description="Working days between overdue nudges")
    digest_weekday: int = Field(default=1, ge=1, le=7, description="Weekly digest day, 1 = Monday")
    immediate_months: int = Field(default=1, ge=1, description="Period for 立行立改 measures, in months")
    reminder_rate: float = Field(default=25.0, gt=0, description="Global reminder send rate, messages/s")
    reminder_batch: int = Field(default=200, ge=1, description="Reminders claimed per dispatch round")
    reminder_interval_seconds: int = Field(default=30, ge=1, description="Seconds between dispatch rounds")
    reminder_lease_seconds: int = Field(default=300, ge=10, description="Claim lease; resend window")

    _split_keys = field_validator("encryption_keys", mode="before")(_parse_key_list)
    _split_ids = field_validator("allowed_users", "admins", "reminder_offsets_days", mode="before")(
        _parse_id_list
    )

    @model_validator(mode="after")
    def _reminder_settings_consistent(self) -> Settings:
        try:
            self.reminders  # noqa: B018 (built to validate times and quiet hours early)
        except ValueError as error:
            raise ValueError(f"reminder settings: {error}") from None
        return self

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}, expected e.g. Asia/Shanghai") from None
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'duizhao.sqlite3').resolve()}"

    @cached_property
    def reminders(self) -> ReminderSettings:
        """The plain reminder settings the core planner takes."""
        from bot.deadlines.settings import ReminderSettings  # the deadline parser is not for every command

        quiet_start, _, quiet_end = self.quiet_hours.partition("-")
        return ReminderSettings(
            offsets_days=tuple(self.reminder_offsets_days),
            remind_at=time.fromisoformat(self.reminder_hour),
            quiet_start=time.fromisoformat(quiet_start.strip()),
            quiet_end=time.fromisoformat(quiet_end.strip()),
            nudge_every_workdays=self.nudge_every_workdays,
            digest_weekday=self.digest_weekday - 1,
            immediate_months=self.immediate_months,
        )

    def apply_encryption(self) -> None:
        """Switch the process's at-rest encryption to these keys (none: plain text)."""
        from storage import crypto

        crypto.configure([key.get_secret_value() for key in self.encryption_keys])

    def is_allowed(self, user_id: int) -> bool:
        """Allowed by settings alone; when closed, invite grants in the database admit others too."""
        is_open = not self.allowed_users and not self.invite_only
        return is_open or user_id in self.allowed_users or user_id in self.admins

    def describe(self) -> list[tuple[str, str]]:
        """Effective settings for ``duizhao config``, secrets masked."""
        rows: list[tuple[str, str]] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr) or name in SECRETS:
                shown = _mask(value.get_secret_value() if value else "")
            elif name == "encryption_keys":
                shown = f"({len(value)}个密钥)" if value else "(未设置)"
            elif name == "database_url":
                shown = _mask_url(self.effective_database_url)
            else:
                shown = "" if value is None else str(value)
            rows.append((f"DUIZHAO_{name.upper()}", shown))
        return rows


def _mask(secret: str) -> str:
    if not secret:
        return "(未设置)"
    return secret[:4] + "…" + "*" * 6


def _mask_url(url: str) -> str:
    """Hide a password in ``scheme://user:password@host/db``."""
    head, sep, tail = url.partition("://")
    if not sep or "@" not in tail:
        return url
    credentials, _, host = tail.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{head}://{user}:***@{host}"
