"""An uploaded material whose 上年度整改 (or another part kept as one list) is written under sub-headings
of its own is imported whole: each sub-part becomes one item, nothing under it is left behind."""

from __future__ import annotations

from sqlalchemy import select

from bot.settings import Settings
from storage.db import Database
from storage.models import Answer
from tests.conftest import Chat

MATERIAL = """2025年度民主生活会个人对照检查材料
根据县委通知要求，会前本人认真学习，征求意见建议9条。现将个人对照检查情况报告如下：
一、上年度民主生活会查摆问题整改落实情况
（一）理论学习方面。
整改问题：理论学习不够系统。
整改落实情况：一是制定年度学习计划，全年自学笔记30篇；二是参加集中学习12次。
（二）联系群众方面。
整改问题：下基层调研不够经常。全年走访群众不足20户。
二、存在的主要问题
（一）在带头强化政治忠诚、提高政治能力方面
一是政治敏锐性不强。今年3月对一起舆情研判不及时。
二、产生问题的原因
（一）理想信念有所松懈，放松了对主观世界的改造。
三、努力方向和整改措施
（一）加强理论武装。2027年6月底前读完规定书目。
"""


async def test_a_last_year_part_under_sub_headings_is_imported_whole(chat: Chat, settings: Settings) -> None:
    await chat.harness.upload(chat.user_id, "材料.txt", MATERIAL.encode(), "text/plain")
    reply = await chat.press("导入为新材料，继续修改")
    assert "已导入为新材料" in reply and "上年度民主生活会查摆问题整改落实情况：2条" in reply
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        rows = await session.execute(
            select(Answer.text).where(Answer.section == "last_year").order_by(Answer.position)
        )
        stored = list(rows.scalars())
    await db.dispose()
    assert stored == [
        "理论学习方面。整改问题：理论学习不够系统。\n"
        "整改落实情况：一是制定年度学习计划，全年自学笔记30篇；二是参加集中学习12次。",
        "联系群众方面。整改问题：下基层调研不够经常。全年走访群众不足20户。",
    ]
