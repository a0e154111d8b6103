"""The commands in the bot's menu, and the one a mistyped command most likely meant."""

from __future__ import annotations

import difflib

from telegram import BotCommand

COMMANDS = [
    BotCommand("start", "开始或继续"),
    BotCommand("new", "新建材料"),
    BotCommand("drafts", "我的材料"),
    BotCommand("team", "班子材料协作"),
    BotCommand("status", "进度和概览"),
    BotCommand("report", "生成Word文档"),
    BotCommand("check", "审核当前材料"),
    BotCommand("deadlines", "整改事项和时限"),
    BotCommand("ledger", "导出整改台账"),
    BotCommand("rectify_report", "生成整改落实情况报告"),
    BotCommand("desk", "审核台：提交和审核材料"),
    BotCommand("cancel", "暂停填写"),
    BotCommand("export_my_data", "导出我的全部数据"),
    BotCommand("forget", "删除我的全部数据"),
    BotCommand("help", "使用说明"),
]


def meant(typed: str) -> str | None:
    """The menu's command ``typed`` (a command without its slash, any case) is a slip for, if one is
    close enough: /nwe, /cancle, /chek."""
    names = [command.command for command in COMMANDS]
    found = difflib.get_close_matches(typed.lower(), names, n=1, cutoff=0.6)
    return found[0] if found else None
