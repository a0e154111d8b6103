"""A 上年度 part pasted per aspect of last year's material is stored as an uploaded file reads it:
the aspects' headings, each with its points, so the file numbers, the review reads and 修改条目 moves
each point, not each aspect as one item."""

from __future__ import annotations

import io

from docx import Document as open_docx

from tests.conftest import Chat
from tests.test_review_chat import EVERY_ASPECT, _to_preamble

PREAMBLE = "按照县委通知要求，会前我认真学习，征求意见9条，谈心谈话6人次。现报告如下："
BY_ASPECT = (
    "上年度查摆问题4条，已全部完成整改。\n"
    "（一）理论学习方面。一是学习不够系统，已制定学习计划，每周自学4小时，已整改；"
    "二是学用结合不紧，已结合分管工作撰写调研报告2篇，已整改。\n"
    "（二）工作作风方面。一是调研不够深入，今年到基层调研12次，已整改；二是文风会风不实，已整改。\n"
)


async def _pasted(chat: Chat) -> str:
    await _to_preamble(chat)
    await chat.say(PREAMBLE)
    return await chat.say(BY_ASPECT)


async def test_a_part_pasted_per_aspect_keeps_each_point(chat: Chat) -> None:
    reply = await _pasted(chat)
    assert "这段内容按方面分开记下：（一）理论学习方面2条、（二）工作作风方面2条。" in reply, reply
    assert "本部分共4条" in reply
    reply = await chat.press("修改条目")
    listed = reply[reply.index("（开头）") :]
    assert listed.splitlines()[:4] == [
        "（开头）上年度查摆问题4条，已全部完成整改。",
        "（一）理论学习方面",
        "一是学习不够系统，已制定学习计划，每周自学4小时，已整改。",
        "二是学用结合不紧，已结合分管工作撰写调研报告2篇，已整改。",
    ], listed
    # each point is an item of its own: moved up, it is the aspect's first
    await chat.press("二是学用结合不紧，已结合分管工作")
    reply = await chat.press("上移")
    assert "（一）二是已移到（一）一是" in reply, reply
    reply = await chat.press("返回列表")
    assert "（一）理论学习方面\n一是学用结合不紧" in reply, reply
    # a heading moves among the points, which are its; it is no point to move to another part
    await chat.press("（一）理论学习方面")
    assert chat.labels() == ["修改", "在此后插入", "上移", "下移", "删除", "返回列表"], chat.labels()
    # nor made the lead, moved to another part or split by a button forged from its menu's
    edit = next(b for row in chat.api.buttons(chat.api.bot_messages(chat.user_id)[-1]) for b in row)
    assert edit.label == "修改" and edit.data is not None
    for action in ("lead", "part", "split"):
        forged = await chat.harness.forge(chat.user_id, edit.data.replace(":edit:", f":{action}:"))
        assert "这一条已经不在了" in "\n".join(e.text or "" for e in forged), action
    listed = await chat.press("修改条目")
    assert "（开头）上年度查摆问题4条" in listed and "（一）理论学习方面\n" in listed


async def test_the_review_and_the_file_read_the_points_as_an_upload_s(chat: Chat) -> None:
    """The file numbers the headings （一）（二） and their points 一是、二是, as the uploaded file
    reads; the review counts four problems reported, and names the point said only to be done."""
    await _pasted(chat)
    await chat.press("本部分填写完毕")
    review = await chat.say("/check")
    assert "逐条说明的只有" not in review, review
    assert "上年度整改情况（二）中的第二条只写了完成情况" in review, review
    assert "（二）工作作风方面 / 第2条“文风会风不实，已整改。”" in review
    await chat.say("/report")
    await chat.press("Word（公文格式）")
    await chat.press("仍然生成")
    document = open_docx(io.BytesIO(chat.api.documents(chat.user_id)[-1].data))
    text = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    start = text.index("（一）理论学习方面")
    assert text[start : start + 6] == [
        "（一）理论学习方面",
        "一是学习不够系统，已制定学习计划，每周自学4小时，已整改。",
        "二是学用结合不紧，已结合分管工作撰写调研报告2篇，已整改。",
        "（二）工作作风方面",
        "一是调研不够深入，今年到基层调研12次，已整改。",
        "二是文风会风不实，已整改。",
    ], text


async def test_a_file_imported_keeps_last_year_s_aspects_as_the_chat_does(chat: Chat) -> None:
    """Imported as a draft, a file's 上年度 part written per aspect is the same list a paste makes:
    its headings over their points."""
    material = EVERY_ASPECT.replace(
        "一、存在的主要问题\n", f"一、上年度民主生活会查摆问题整改落实情况\n{BY_ASPECT}二、存在的主要问题\n"
    )
    await chat.say("/start")
    await chat.harness.upload(chat.user_id, "材料.txt", material.encode(), "text/plain")
    await chat.press("导入为新材料，继续修改")
    await chat.press("修改某一部分")
    reply = await chat.press("上年度民主生活会查摆问题整改落实情况")
    assert "已记下4条" in reply, reply
    listed = reply[reply.index("（开头）") :]
    assert listed.splitlines()[1:5] == [
        "（一）理论学习方面",
        "一是学习不够系统，已制定学习计划，每周自学4小时，已整改。",
        "二是学用结合不紧，已结合分管工作撰写调研报告2篇，已整改。",
        "（二）工作作风方面",
    ], listed


async def test_editing_the_pasted_message_rewrites_its_points_in_place(chat: Chat) -> None:
    """The message edited (a point reworded, another added under the first aspect) rewrites what it
    stored: the headings and points as the edited text reads them, the list still grouped."""
    await _pasted(chat)
    pasted = chat.last_user_message_id()
    edited = BY_ASPECT.replace("二是文风会风不实，已整改。", "二是文风会风不实，压减会议30%，已整改。")
    reply = await chat.edit(pasted, edited)
    assert "已按您修改后的消息更新“上年度民主生活会查摆问题整改落实情况”" in reply, reply
    reply = await chat.press("修改条目")
    listed = reply[reply.index("（开头）") :].splitlines()
    assert listed[4:7] == [
        "（二）工作作风方面",
        "一是调研不够深入，今年到基层调研12次，已整改。",
        "二是文风会风不实，压减会议30%，已整改。",
    ], listed
    assert len(listed) == 7


async def test_a_point_sent_after_the_part_is_named_under_its_heading(chat: Chat) -> None:
    """A point sent on its own after the pasted part is the last heading's, and named so."""
    await _pasted(chat)
    reply = await chat.say("督促落实不够的问题，建立周调度机制，持续整改。")
    assert "已记下（二）三是。" in reply and "本部分共5条" in reply, reply
