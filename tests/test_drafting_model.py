"""How typed and pasted answers become the document model, through the real PTB stack: leads,
items and aspects as the chat stores them agree with what an uploaded file of the same text gives."""

from __future__ import annotations

import io

from docx import Document as open_docx
from sqlalchemy import select

from bot.review.engine import review_text
from bot.settings import Settings
from storage.db import Database
from storage.models import Answer
from tests.conftest import Chat
from tests.test_drafting_e2e import PREAMBLE, _setup_personal_2025


async def _to_problems(chat: Chat) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")


async def _lists(settings: Settings) -> dict[int, set[tuple[object, ...]]]:
    """Each draft's list nodes: (section, aspect, role, position, text)."""
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        rows = await session.execute(
            select(
                Answer.draft_id, Answer.section, Answer.aspect, Answer.role, Answer.position, Answer.text
            ).where(Answer.section.in_(["problems", "causes", "measures"]))
        )
        by_draft: dict[int, set[tuple[object, ...]]] = {}
        for draft_id, *node in rows:
            by_draft.setdefault(draft_id, set()).add(tuple(node))
    await db.dispose()
    return by_draft


async def test_a_lead_line_over_an_unnumbered_point_is_a_lead_and_an_item_as_in_a_file(
    chat: Chat, settings: Settings
) -> None:
    """ "……以下问题：⏎理论学习不够深入……" typed in the chat is the list's lead and its one point,
    as the same lines in an uploaded .docx are read: not one item of two lines."""
    await _to_problems(chat)
    reply = await chat.say(
        "对照检查，我在这方面主要存在以下问题：\n理论学习不够深入，今年自学笔记不到10篇，结合分管工作思考不够。"
    )
    assert "已记下。" in reply and "开头一段已作为本方面的引言" in reply
    await chat.press("本方面填写完毕")
    await chat.fill_until(lambda c: "部分 · 产生问题的原因" in c.last_text())
    reply = await chat.say("究其原因，主要有以下几点：\n理想信念有所松懈，对理论武装的重要性认识不足。")
    assert "已记下。" in reply and "开头一段已作为本部分的引言" in reply
    await chat.press("本部分填写完毕")
    await chat.fill_until(lambda c: "生成Word文档" in c.labels())

    written = (await _lists(settings)).popitem()[1]
    assert ("problems", 1, "lead", -1, "对照检查，我在这方面主要存在以下问题：") in {
        (s, a, str(r), -1 if r == "lead" else p, t) for s, a, r, p, t in written
    }
    await chat.press("生成Word文档")
    if "仍然生成" in chat.labels():
        await chat.press("仍然生成")
    word = chat.api.documents(chat.user_id)[-1]
    paragraphs = [p.text for p in open_docx(io.BytesIO(word.data)).paragraphs]
    lead = paragraphs.index("对照检查，我在这方面主要存在以下问题：")
    assert paragraphs[lead + 1] == "理论学习不够深入，今年自学笔记不到10篇，结合分管工作思考不够。"
    assert "究其原因，主要有以下几点：" in paragraphs
    await chat.harness.upload(chat.user_id, word.filename, word.data, "application/octet-stream")
    assert "已导入为新材料" in await chat.press("导入为新材料，继续修改")
    written, imported = (await _lists(settings)).values()
    assert imported == written


BLOCK = (
    "（一）在带头强化政治忠诚、提高政治能力方面\n"
    "一是政治理论学习浮于表面。今年自学记录只有14篇。二是请示报告不够及时。\n"
    "（二）在带头固本培元、增强党性方面\n"
    "党性锻炼有所放松。全年讲党课仅1次。"
)


async def _problem_rows(settings: Settings) -> list[tuple[int, str, str]]:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        rows = await session.execute(
            select(Answer.id, Answer.aspect, Answer.text)
            .where(Answer.section == "problems", Answer.role == "item")
            .order_by(Answer.aspect, Answer.position)
        )
        found = [(aspect, text, str(answer_id)) for answer_id, aspect, text in rows]
    await db.dispose()
    return found


async def test_an_edited_block_of_several_aspects_keeps_each_point_in_its_aspect(
    chat: Chat, settings: Settings
) -> None:
    await _to_problems(chat)
    reply = await chat.say(BLOCK)
    assert "按方面标题分开记下：（一）2条、（二）1条" in reply
    message_id = chat.last_user_message_id()
    before = await _problem_rows(settings)

    reply = await chat.edit(message_id, BLOCK.replace("全年讲党课仅1次", "全年在联系支部讲党课仅1次"))
    assert "已按您修改后的消息更新“在带头固本培元、增强党性方面”中的这一条" in reply
    after = await _problem_rows(settings)
    assert [(a, t) for a, t, _ in after] == [
        (1, "政治理论学习浮于表面。今年自学记录只有14篇。"),
        (1, "请示报告不够及时。"),
        (2, "党性锻炼有所放松。全年在联系支部讲党课仅1次。"),
    ]
    assert [i for *_, i in after] == [i for *_, i in before]  # the same items, rewritten in place

    # A point added under the first heading goes to the first aspect; the second keeps its own.
    longer = BLOCK.replace("二是请示报告不够及时。", "二是请示报告不够及时。三是调查研究不深。")
    reply = await chat.edit(message_id, longer)
    assert "“在带头强化政治忠诚、提高政治能力方面”中的三是" in reply
    assert [(a, t) for a, t, _ in await _problem_rows(settings)] == [
        (1, "政治理论学习浮于表面。今年自学记录只有14篇。"),
        (1, "请示报告不够及时。"),
        (1, "调查研究不深。"),
        (2, "党性锻炼有所放松。全年讲党课仅1次。"),
    ]


async def test_an_edited_block_rewrites_a_point_moved_since_to_an_aspect_it_does_not_head(
    chat: Chat, settings: Settings
) -> None:
    """A point of the block moved by hand to （三） is rewritten there by the edit, not written again
    under （一） beside the one moved."""
    await _to_problems(chat)
    await chat.say(BLOCK)
    message_id = chat.last_user_message_id()
    await chat.press("修改条目")
    await chat.press("二是请示报告不够及时。")
    await chat.press("移到另一方面")
    assert "已移到（三）" in await chat.press("（三）在带头敬畏人民、敬畏组织、敬畏法")

    reply = await chat.edit(message_id, BLOCK.replace("请示报告不够及时", "请示报告不够及时，先办后报"))
    assert "已按您修改后的消息更新“在带头敬畏人民、敬畏组织、敬畏法纪方面”中的这一条" in reply
    assert [(a, t) for a, t, _ in await _problem_rows(settings)] == [
        (1, "政治理论学习浮于表面。今年自学记录只有14篇。"),
        (2, "党性锻炼有所放松。全年讲党课仅1次。"),
        (3, "请示报告不够及时，先办后报。"),
    ]


async def test_a_cause_among_the_problems_and_a_measure_among_the_causes_are_named_with_the_way_over(
    chat: Chat,
) -> None:
    """At 填写完毕 the note says which part such an item belongs in and how to move it there, and
    does not also ask the cause for an example as if it were a problem."""
    await _to_problems(chat)
    await chat.say("学习不够深入。今年只参加集中学习2次，自学笔记不到10篇。")
    await chat.say("究其原因，主要是理想信念有所松懈，对理论学习的重要性认识不足。")
    reply = await chat.press("本方面填写完毕")
    assert "“存在的主要问题”里有1句应写在“产生问题的原因”部分，如“究其原因" in reply
    assert "要移过去，请点“修改条目”，选中要移的条目，再点“移到另一部分”。" in reply
    assert "没有具体事例" not in reply

    await chat.fill_until(lambda c: "部分 · 产生问题的原因" in c.last_text())
    await chat.say("理想信念有所松懈，对理论武装的重要性认识不足。")
    await chat.say("今后我将坚持每周自学不少于4小时。")
    reply = await chat.press("本部分填写完毕")
    assert "应写在“努力方向和整改措施”部分，如“今后我将坚持每周自学" in reply
    assert "把这一句移到“努力方向和整改措施”部分" in reply and "再点“移到另一部分”" in reply


def test_only_a_cause_opening_with_its_cue_is_out_of_place_among_the_problems() -> None:
    text = (
        "张三同志2025年度民主生活会个人对照检查材料\n按照要求，现将对照检查情况报告如下：\n"
        "一、存在的主要问题\n（一）在带头强化政治忠诚、提高政治能力方面\n"
        "一是理想信念有所松懈。今年只参加集中学习2次，思想认识不深。\n"
        "二是原因在于对理论学习的重要性认识不足。\n"
        "二、产生问题的原因\n（一）党性修养有所放松。\n（二）宗旨意识有所淡化。\n"
        "三、努力方向和整改措施\n（一）每周自学不少于3小时，2026年6月底前完成专题学习。\n"
    )
    found = [f for f in review_text(text, kind="personal_dsh") if f.rule == "structure.sections.misplaced"]
    assert [f.message for f in found] == [
        "“存在的主要问题”里有1句应写在“产生问题的原因”部分，如“原因在于对理论学习的重要性认识不足”"
    ]


async def test_a_point_typed_on_a_phone_prints_with_its_full_stop_and_commas(chat: Chat) -> None:
    """No final 。 and spaces for commas, as typed on a phone: 查看全文 and the .docx print the point
    as a 组织部 colleague would finish it; the item keeps the words as typed."""
    await _to_problems(chat)
    await chat.say("学习不够深入 今年只参加集中学习2次 自学笔记不到10篇")
    await chat.say("落实“第一议题”制度不够经常")
    await chat.press("本方面填写完毕")
    await chat.fill_until(lambda c: "生成Word文档" in c.labels())
    printed = "一是学习不够深入，今年只参加集中学习2次，自学笔记不到10篇。"
    page = await chat.press("查看全文")
    assert printed in page and "二是落实“第一议题”制度不够经常。" in page
    await chat.press("生成Word文档")
    if "仍然生成" in chat.labels():
        await chat.press("仍然生成")
    word = chat.api.documents(chat.user_id)[-1]
    paragraphs = [p.text for p in open_docx(io.BytesIO(word.data)).paragraphs]
    assert printed in paragraphs and "二是落实“第一议题”制度不够经常。" in paragraphs


async def test_a_parts_own_heading_without_its_number_is_left_out_but_a_causes_title_is_not(
    chat: Chat, settings: Settings
) -> None:
    """The part's heading copied without its 三、 (Word's numbering does not copy) is left out of
    the list as with it; a first line that only reads like a heading of the part's kind (思想根源,
    the title of a first cause) is the user's words and stays in the point it opens."""
    await _to_problems(chat)
    await chat.say("理论学习不够深入，今年自学笔记不到10篇，结合分管工作思考不够。")
    await chat.press("本方面填写完毕")
    await chat.fill_until(lambda c: "部分 · 产生问题的原因" in c.last_text())
    reply = await chat.say("产生问题的原因\n一是理想信念有所松懈。二是宗旨意识有所淡化。")
    assert "第一行“产生问题的原因”是这一部分的标题" in reply and "已拆分为2条" in reply
    reply = await chat.say("思想根源\n党性修养有所放松，对自身要求不够严格。")
    assert "标题" not in reply
    causes = sorted((p, t) for s, _, r, p, t in (await _lists(settings)).popitem()[1] if s == "causes")
    assert causes == [
        (0, "理想信念有所松懈。"),
        (1, "宗旨意识有所淡化。"),
        (2, "思想根源\n党性修养有所放松，对自身要求不够严格。"),
    ]
