"""/team and the buttons of a team draft: board, invitations, members, proposals, opinions."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callbacks import Callback, Flow, pattern
from bot.flows import approval, opinions, proposals, team, team_invites, team_members, team_status
from bot.flows.context import FlowContext
from bot.pending import Awaiting
from bot.replies import Outgoing
from handlers.common import Context, run, run_callback


async def on_team(update: Update, context: Context) -> None:
    await run(update, context, team.board_command, "team")


async def _team_button(ctx: FlowContext, callback: Callback, bot_username: str) -> list[Outgoing]:
    action = callback.action
    if action == "join":
        return await team_invites.join(ctx, callback.text(0), callback.number(1))
    pub = callback.text(0)
    if action == "inv":
        return await team_invites.invite(ctx, pub, callback.text(1), bot_username)
    by_number = {"page": team.page, "asp": proposals.choose_aspect, "tog": team.toggle_aspect}
    if action in by_number:
        return await by_number[action](ctx, pub, callback.number(1))
    if action == "role":
        return await team_members.change_role(ctx, pub, callback.number(1), callback.text(2))
    by_member = {
        "mem": team_members.member_menu,
        "rm": team_members.remove,
        "own": team_members.ask_transfer,
        "ownok": team_members.transfer,
    }
    if action in by_member:
        return await by_member[action](ctx, pub, callback.number(1))
    by_draft = {
        "members": team_members.member_list,
        "revoke": team_invites.revoke,
        "home": team.leave_context,
        "status": team_status.board,
        "aspects": team.aspects_menu,
        "leave": team_members.ask_leave,
        "leaveok": team_members.leave,
    }
    return await by_draft.get(action, team.board)(ctx, pub)


async def _proposal_button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    action, pub = callback.action, callback.text(0)
    if action == "op":
        return await opinions.ask_opinions(ctx, pub, callback.text(1))
    if action == "with":
        return await proposals.ask_merged(ctx, pub, callback.number(1), callback.number(2))
    if action == "to":
        return await opinions.sort_to(ctx, pub, callback.number(1), callback.number(2))
    if action in ("edit", "no"):
        question = Awaiting.PROPOSAL_EDIT if action == "edit" else Awaiting.DECLINE_NOTE
        return await proposals.ask(ctx, pub, callback.number(1), question)
    by_id = {"ok": proposals.accept, "merge": proposals.choose_merge, "sort": opinions.choose_sort}
    if action in by_id:
        return await by_id[action](ctx, pub, callback.number(1))
    by_draft = {"sorted": opinions.confirm_sorting, "mine": proposals.mine}
    return await by_draft.get(action, proposals.digest)(ctx, pub)


async def _approval_button(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
    action, pub = callback.action, callback.text(0)
    if action == "read":
        return await approval.read(ctx, pub, callback.number(1))
    if action == "c":
        return await approval.ask_comment(ctx, pub, callback.number(1))
    if action == "xc":
        return await approval.cancel(ctx, pub, callback.number(1))
    actions = {
        "submit": approval.submit,
        "notes": approval.notes,
        "hist": approval.history,
        "ok": approval.approve,
        "ret": approval.ask_return,
        "x": approval.cancel,
    }
    return await actions[action](ctx, pub)


async def on_approval_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _approval_button, "approval")


async def on_team_button(update: Update, context: Context) -> None:
    username = context.bot.username

    async def flow(ctx: FlowContext, callback: Callback) -> list[Outgoing]:
        return await _team_button(ctx, callback, username)

    await run_callback(update, context, flow, "team")


async def on_proposal_button(update: Update, context: Context) -> None:
    await run_callback(update, context, _proposal_button, "proposal")


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler("team", on_team),
        CallbackQueryHandler(on_team_button, pattern=pattern(Flow.TEAM)),
        CallbackQueryHandler(on_proposal_button, pattern=pattern(Flow.PROPOSAL)),
        CallbackQueryHandler(on_approval_button, pattern=pattern(Flow.APPROVAL)),
    ]
