"""Admin commands: /invite, /users, /stats, /grant_reviewer, /revoke_reviewer (the flows refuse
anyone not in DUIZHAO_ADMINS)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.flows import access, desk
from bot.flows.context import FlowContext
from bot.replies import Outgoing
from handlers.common import Context, run


async def on_invite(update: Update, context: Context) -> None:
    args, username = list(context.args or []), context.bot.username

    async def flow(ctx: FlowContext) -> list[Outgoing]:
        return await access.create_invite(ctx, args, username)

    await run(update, context, flow, "invite")


async def on_users(update: Update, context: Context) -> None:
    await run(update, context, access.list_users, "users")


async def on_stats(update: Update, context: Context) -> None:
    await run(update, context, access.stats, "stats")


async def on_grant_reviewer(update: Update, context: Context) -> None:
    args = list(context.args or [])

    async def flow(ctx: FlowContext) -> list[Outgoing]:
        return await desk.set_reviewer(ctx, args, grant=True)

    await run(update, context, flow, "grant_reviewer")


async def on_revoke_reviewer(update: Update, context: Context) -> None:
    args = list(context.args or [])

    async def flow(ctx: FlowContext) -> list[Outgoing]:
        return await desk.set_reviewer(ctx, args, grant=False)

    await run(update, context, flow, "revoke_reviewer")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("grant_reviewer", on_grant_reviewer),
        CommandHandler("revoke_reviewer", on_revoke_reviewer),
        CommandHandler("invite", on_invite),
        CommandHandler("users", on_users),
        CommandHandler("stats", on_stats),
    ]
