"""Next year's material starts with last year's promises, item by item."""

from __future__ import annotations

from tests.conftest import Chat
from tests.test_followup import MEASURES, _draft_with_deadlines


async def test_next_material_prefills_last_years_rectification(chat: Chat) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "长期坚持，每季度"])
    listing = await chat.say("/deadlines")
    assert "长期坚持，每季度回顾" in listing and "2027年3月31日（周三）前" in listing
    await chat.press("1. 办理")
    await chat.press("已完成")
    await chat.say("已制定学习计划，完成读书笔记12篇。")
    await chat.press("跳过")

    await chat.say("/new")
    await chat.press("个人对照检查材料")
    reply = await chat.press("2025年度民主生活会（5个方面）")
    assert "预填了“上年度整改落实情况”" in reply
    await chat.say("2026年1月15日")
    for _ in range(3):
        await chat.press("跳过")
    await chat.say("按照县委要求，现将对照检查情况报告如下：")
    prompt = chat.last_text()
    assert "上年度民主生活会查摆问题整改落实情况" in prompt and "已记下3条" in prompt
    assert "查摆问题2条，已完成1条，持续整改1条" in prompt
    assert "关于“每周自学不少于4小时，形成读书笔记”：已完成" in prompt
    assert MEASURES[1].rstrip("。")[:10] in prompt and "长期坚持" in prompt
