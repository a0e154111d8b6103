"""Who may use the bot (allow-list, admins, invites), the admin commands, and per-user rate limits.

Refused users leave no trace: admission is decided from settings, or from a read of the user's
grant, and only a valid invite creates a row.
"""

from __future__ import annotations

import enum
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import format_date
from bot.flows.context import FlowContext
from bot.replies import Outgoing, Reply
from bot.settings import Settings
from storage import repo

ADMINS_ONLY = "该命令仅限管理员使用。"
INVITE_USAGE = "用法：/invite [可用人数] [有效天数]，例如 /invite 5 7（默认1人、7天）。"
MAX_INVITE_USES = 1000
MAX_INVITE_DAYS = 365
DEFAULT_INVITE_DAYS = 7
MAX_LISTED_IDS = 100


def is_admin(settings: Settings, user_id: int) -> bool:
    return user_id in settings.admins


async def admitted_by_grant(session: AsyncSession, user_id: int, start_arg: str, now: datetime) -> bool:
    """An earlier grant, or a valid invite in ``/start <code>`` redeemed now."""
    if await repo.has_access_grant(session, user_id):
        return True
    return bool(start_arg) and await repo.redeem_invite(session, start_arg, user_id, now)


def invite_code() -> str:
    """22 url-safe characters (128 bits): unguessable and well within a deep link's 64."""
    return secrets.token_urlsafe(16)


def _invite_terms(args: list[str]) -> tuple[int, int] | None:
    if len(args) > 2 or not all(a.isascii() and a.isdigit() and len(a) <= 4 for a in args):
        return None
    uses = int(args[0]) if args else 1
    days = int(args[1]) if len(args) > 1 else DEFAULT_INVITE_DAYS
    if not (1 <= uses <= MAX_INVITE_USES and 1 <= days <= MAX_INVITE_DAYS):
        return None
    return uses, days


async def create_invite(ctx: FlowContext, args: list[str], bot_username: str) -> list[Outgoing]:
    if not is_admin(ctx.settings, ctx.user.id):
        return [Reply(ADMINS_ONLY)]
    terms = _invite_terms(args)
    if terms is None:
        return [Reply(INVITE_USAGE)]
    uses, days = terms
    code = invite_code()
    expires = ctx.now + timedelta(days=days)
    await repo.add_invite(ctx.session, code, ctx.user.id, uses, expires)
    link = f"https://t.me/{bot_username}?start={code}"
    local = expires.astimezone(ctx.settings.tz)
    until = f"{format_date(local.date())} {local:%H:%M}"
    return [Reply(f"邀请链接（可供{uses}人使用，{until}前有效）：\n{link}\n请通过可信渠道发给受邀同志。")]


async def list_users(ctx: FlowContext) -> list[Outgoing]:
    if not is_admin(ctx.settings, ctx.user.id):
        return [Reply(ADMINS_ONLY)]
    ids = await repo.user_ids(ctx.session)
    granted = await repo.count_access_grants(ctx.session)
    shown = "、".join(str(i) for i in ids[:MAX_LISTED_IDS])
    more = f"（另有{len(ids) - MAX_LISTED_IDS}人未列出）" if len(ids) > MAX_LISTED_IDS else ""
    lines = [
        f"用户共{len(ids)}人，其中通过邀请加入{granted}人。",
        f"名单内{len(ctx.settings.allowed_users)}人，管理员{len(ctx.settings.admins)}人。",
        f"用户编号：{shown or '无'}{more}",
    ]
    return [Reply("\n".join(lines))]


async def stats(ctx: FlowContext) -> list[Outgoing]:
    """Counts only: an admin sees how much the bot is used, never what anyone wrote."""
    if not is_admin(ctx.settings, ctx.user.id):
        return [Reply(ADMINS_ONLY)]
    counts = await repo.usage_counts(ctx.session, ctx.now)
    lines = [f"{label}：{value}" for label, value in counts.items()]
    return [Reply("<b>使用统计</b>\n" + "\n".join(lines))]


class Decision(enum.Enum):
    PASS = "pass"
    WARN = "warn"  # the first refused update of a burst: tell the user once
    DROP = "drop"  # further refused updates: stay silent, or the notices become the flood


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


class RateLimiter:
    """A token bucket per user, in process memory.

    Kept in memory rather than in the database so that a flood costs no query and no row: it is
    refused before the transaction starts. With several instances the limit is per instance,
    which still bounds one user's share of the work; other users' buckets are untouched.
    """

    MAX_TRACKED = 10_000

    def __init__(self, burst: int, per_minute: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.burst = float(burst)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[int, _Bucket] = {}

    def check(self, user_id: int) -> Decision:
        now = self.clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            self._prune(now)
            bucket = self._buckets[user_id] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return Decision.PASS
        if bucket.warned:
            return Decision.DROP
        bucket.warned = True
        return Decision.WARN

    def _prune(self, now: float) -> None:
        """Forget buckets that have refilled: they behave exactly like a new one."""
        if len(self._buckets) < self.MAX_TRACKED:
            return
        full = self.burst / self.rate
        for user_id in [u for u, b in self._buckets.items() if now - b.at >= full]:
            del self._buckets[user_id]
