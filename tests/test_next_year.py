"""Next year's material starts with last year's promises, item by item."""

from __future__ import annotations

from pathlib import Path

from bot.dates import format_date
from tests.conftest import Chat
from tests.test_followup import _draft_with_deadlines
from tests.test_rectification_chain import event_day

SAMPLES = Path(__file__).parent / "samples"


async def _next_years_material(chat: Chat) -> str:
    """A 民主生活会 material of the 年度 after the earlier ones' (2025年度): the catalog has no theme
    for it yet, so it is written on the local notice's aspects; the reply to choosing its 年度."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("粘贴本地通知中的方面")
    await chat.say("1. 带头树立和践行正确政绩观\n2. 带头增强党性、改进作风")
    return await chat.press("2026年度")


async def test_next_material_prefills_last_years_rectification(chat: Chat) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "长期坚持，每季度"])
    listing = await chat.say("/deadlines")
    assert "长期坚持，每季度回顾" in listing and "2027年3月31日（周三）前" in listing
    await chat.press("1. 办理")
    await chat.press("已完成")
    await chat.say("已制定学习计划，完成读书笔记12篇。")
    await chat.press("跳过")
    await chat.press("销号")

    reply = await _next_years_material(chat)
    assert "已根据上一份材料查摆的4条问题及其整改情况，预填了“上年度整改落实情况”" in reply
    await chat.meeting_date("2027年1月15日")
    for _ in range(3):
        await chat.press("跳过")
    await chat.say("按照县委要求，现将对照检查情况报告如下：")
    prompt = chat.last_text()
    # one item per problem after the counts line; the fourth problem is also linked to the
    # 长期坚持 measure (the aspect order gives it the second measure), so it is still open
    # the counts line sums the list up: it is the section's lead, not its item （一）
    assert "上年度民主生活会查摆问题整改落实情况" in prompt and "已记下4条" in prompt
    assert "（开头）查摆问题4条，已完成3条，持续整改1条" in prompt
    # each of the others has only the measure completed and signed off: 已销号, on the day it was
    closed = f"已完成，于{format_date(event_day())}销号。已制定学习计划，完成读书笔记12篇。"
    assert f"（一）关于“学习不够深入”：{closed}" in prompt
    assert "（三）关于“学习不够深入”：长期坚持，持续推进。" in prompt
    assert prompt.count(closed) == 3


async def test_next_material_on_pasted_aspects_prefills_last_years_rectification(chat: Chat) -> None:
    """A year the catalog does not have yet is written on the local notice's aspects: the material
    still starts with last year's promises once its 年度 is chosen."""
    await _draft_with_deadlines(chat, ["2027年3月31日前", "长期坚持，每季度"])
    reply = await _next_years_material(chat)
    assert "已根据上一份材料查摆的4条问题，预填了“上年度整改落实情况”" in reply
    # nothing was ever reported on the measures of three of them: the bot does not guess
    assert "其中3条问题的整改措施在这里没有记录过进展" in reply


async def test_last_years_measures_never_followed_up_here_are_left_for_the_user_to_fill(chat: Chat) -> None:
    """An imported material's measures were never followed up in the bot: it cannot know how they
    stand, so it says so, leaves a blank in each item (which the review names) and asks for it."""
    material = (SAMPLES / "personal.txt").read_bytes()
    await chat.say("/start")
    await chat.harness.upload(chat.user_id, "去年的材料.txt", material, "text/plain")
    await chat.press("导入为新材料，继续修改")

    reply = await _next_years_material(chat)
    assert "已根据上一份材料查摆的6条问题，预填了“上年度整改落实情况”" in reply
    # one problem is paired with a measure by the aspect order alone: no outcome of it is told either
    unpaired = "其中1条问题没有确认过对应的整改措施"
    assert f"其中5条问题的整改措施在这里没有记录过进展；{unpaired}，我无法知道整改情况" in reply
    assert "请逐条填写采取的措施和完成情况" in reply
    await chat.meeting_date("2027年1月15日")
    for _ in range(3):
        await chat.press("跳过")
    await chat.say("按照县委要求，现将对照检查情况报告如下：")
    prompt = chat.last_text()
    assert "（开头）查摆问题6条，已完成＿＿＿＿条，持续整改＿＿＿＿条。" in prompt
    assert "（一）关于“学习的系统性还有欠缺”：整改情况＿＿＿＿（请填写采取的措施和完成情况）。" in prompt
    assert "正在推进" not in prompt and "按期完成" not in prompt
    # the review names each blank as one to fill before the material goes out
    review = await chat.say("/check")
    assert "“＿＿＿＿”是没有替换的占位符" in review and "一、上年度民主生活会查摆问题…" in review


async def test_a_second_material_of_the_same_year_is_not_filled_with_its_problems(chat: Chat) -> None:
    """Another draft for the same meeting (or a 组织生活会 speech beside it) is no next year: the
    problems of the first are this year's, and its 上年度 section stays empty until the user writes it;
    a later 年度's material still starts from them."""
    await _draft_with_deadlines(chat, ["2027年3月31日前", "长期坚持，每季度"])
    await chat.say("/new")
    await chat.press("组织生活会发言提纲")
    reply = await chat.press("通用组织生活会（4个方面）")
    assert "预填" not in reply
    await chat.say("2026年1月16日")
    for _ in range(3):
        await chat.press("跳过")
    await chat.say("按照支部要求，现将对照检查情况报告如下：")
    assert "已记下" not in chat.last_text() and "上年度" in chat.last_text()
    assert "预填了“上年度整改落实情况”" in await _next_years_material(chat)
