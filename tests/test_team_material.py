"""A 领导班子 material: the unit titles it, 上年度整改 is required, every measure gets an owner."""

from __future__ import annotations

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
