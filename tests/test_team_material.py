"""A 领导班子 material: the unit titles it, 上年度整改 is required, every measure gets an owner."""

from __future__ import annotations

import io

from docx import Document as open_docx

from tests.conftest import Chat
from tests.test_rectification_chain import _ledger, _rows


async def test_team_material_asks_for_owners_and_the_ledger_shows_them(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("领导班子对照检查材料")
    await chat.press("2024年度民主生活会（4个方面）")
    await chat.say("2025年1月20日")
    await chat.press("确认：2025年1月20日")  # a year before the tests' "today"
    reply = await chat.say("县商务局")
    assert "第1/" in reply and "导语" in reply  # a team is titled by its unit alone: no name or post asked
    await chat.say("县商务局领导班子按照县委要求，会前集中学习4次，征求意见23条。现报告如下：")
    assert "跳过本部分" not in chat.labels()  # 上年度整改落实情况 is required for a team
    await chat.say("上年度查摆问题6条，已完成5条，持续整改1条。")
    await chat.fill_until(lambda c: "努力方向" in c.last_text() and "本部分填写完毕" in c.labels())
    await chat.say("每季度召开一次专题会研究营商环境问题。")
    await chat.press("本部分填写完毕")
    await chat.say("2025年12月底前")
    reply = chat.last_text()
    assert "请写明责任人" in reply
    await chat.say("王五（分管副局长）、办公室")
    assert "全文约" in chat.last_text()
    assert "县商务局领导班子2024年度民主生活会对照检查材料" in chat.last_text()

    await chat.say("/ledger")
    rows = _rows(_ledger(chat))
    assert len(rows) == 4  # every aspect's problem, each addressed by the one measure
    for row in rows:
        assert (row["责任领导"], row["责任部门"]) == ("王五（分管副局长）", "办公室")
        for column in ("所属方面", "问题", "问题来源", "整改措施", "整改类型", "原定时限", "现时限"):
            assert row[column], (column, row)
    assert rows[0]["现时限"] is not None and str(rows[0]["现时限"]).startswith("2025-12-31")


def _signature(chat: Chat) -> str:
    """The 署名 closing the last .docx the bot sent."""
    paragraphs = open_docx(io.BytesIO(chat.api.documents(chat.user_id)[-1].data)).paragraphs
    return next(p.text for p in paragraphs if p.style is not None and p.style.name == "DZ Signature")


async def _word(chat: Chat) -> str:
    """/report's Word file (past any question about open errors); the message it came with."""
    await chat.say("/report")
    sent = await chat.press("Word（公文格式）")
    if "仍然生成" in chat.labels():
        sent = await chat.press("仍然生成")
    return sent


async def test_a_team_material_is_signed_by_the_team_which_the_office_may_correct(chat: Chat) -> None:
    """A 班子 material closes with the team's name (中共青山镇委员会领导班子), not the bare place;
    the guess is said where it is made and when the file is sent, and the office writes its own."""
    await chat.say("/new")
    await chat.press("领导班子对照检查材料")
    await chat.press("2024年度民主生活会（4个方面）")
    await chat.meeting_date("2025年1月20日")
    reply = await chat.say("青山镇")
    assert "文末署名：中共青山镇委员会领导班子" in reply and "修改署名" in chat.labels()
    await chat.say("青山镇领导班子按照县委要求，会前集中学习4次，征求意见23条。现报告如下：")

    caption = await _word(chat)
    assert _signature(chat) == "中共青山镇委员会领导班子"
    assert "文末署名按单位生成为“中共青山镇委员会领导班子”" in caption
    await chat.say("/report")
    await chat.press("纯文本")
    if "仍然生成" in chat.labels():
        await chat.press("仍然生成")
    text = chat.api.documents(chat.user_id)[-1].data.decode()
    assert "中共青山镇委员会领导班子" in text.strip().splitlines()[-2:][0]

    await chat.say("/start")
    await chat.press("继续填写")
    await chat.press("上一步")
    await chat.press("上一步")  # back to the unit, which names the 署名 and offers to change it
    assert "文末署名：中共青山镇委员会领导班子" in chat.last_text()
    reply = await chat.press("修改署名")
    assert "中共青山镇委员会领导班子" in reply and "保持不变，下一步" in chat.labels()
    reply = await chat.say("中共青山镇委员会。")
    assert "已记下署名：中共青山镇委员会。" in reply and "导语" in reply  # on where the unit leads
    caption = await _word(chat)
    assert _signature(chat) == "中共青山镇委员会" and "按单位生成" not in caption
    await chat.say("/team")
    await chat.press("跳过，打开班子材料")
    page = await chat.press("查看全文")  # what the file prints, 署名 and date included
    assert page.endswith("现报告如下：\n\n中共青山镇委员会\n2025年1月20日"), page[-80:]

    await chat.say("/start")
    await chat.press("继续填写")
    await chat.press("上一步")
    await chat.press("上一步")
    await chat.press("修改署名")
    assert "文末署名现为：中共青山镇委员会" in chat.last_text()
    reply = await chat.press("改回按单位生成的署名")
    assert "文末署名按单位生成：中共青山镇委员会领导班子" in reply
    await _word(chat)
    assert _signature(chat) == "中共青山镇委员会领导班子"
