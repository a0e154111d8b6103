"""A draft is a document model: items without the user's markers, leads, places that agree, edits.

Every test drives the real PTB stack on the in-process Bot API, as a user would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot import fulltext
from bot.catalog import load_catalog
from bot.draftview import DraftView
from bot.flows import review
from bot.flows.review import review_draft, step_findings
from bot.review import Finding
from bot.settings import Settings
from bot.splitter import split_answer
from storage import repo
from storage.db import Database
from storage.models import Answer, AnswerRevision, AnswerRole, Draft, Measure
from tests.conftest import Chat, _joined
from tests.test_drafting_e2e import PREAMBLE, _setup_personal_2025
from tests.word_files import p, word


async def _to_problems(chat: Chat) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")  # 上年度


async def _export_text(chat: Chat) -> str:
    """The material as the plain-text file /report sends (past any question about open errors)."""
    await chat.say("/report")
    await chat.press("纯文本")
    if "仍然生成" in chat.labels():
        await chat.press("仍然生成")
    return chat.api.documents(chat.user_id)[-1].data.decode()


def _item(marker: str, text: str) -> str:
    """The label of an item's button in the list: its number and first words."""
    return marker + text[:14]


async def _answers(settings: Settings) -> list[Answer]:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        rows = list(
            await session.scalars(select(Answer).order_by(Answer.section, Answer.aspect, Answer.position))
        )
    await db.dispose()
    return rows


async def test_items_sent_one_per_message_keep_no_marker_of_their_own(chat: Chat, settings: Settings) -> None:
    await _to_problems(chat)
    for text in (
        "一是理论学习不深。今年自学记录只有14篇。",
        "二是调查研究不实。全年到基层调研仅3次。",
        "三是党性修养有所放松。参加联系支部活动仅2次。",
    ):
        await chat.say(text)
    reply = await chat.say("四是执行制度不严。5月有一次先办后报。")
    assert "已记下四是" in reply
    assert "缺少" not in reply and "开始" not in reply  # no numbering complaint about "四是"
    await chat.press("本方面填写完毕")

    check = await chat.say("/check")
    assert "缺少“一是”" not in check and "列举从" not in check

    text = await _export_text(chat)
    assert "一是理论学习不深。" in text and "四是执行制度不严。" in text
    assert "三是三是" not in text and "四是四是" not in text and "（三）三是" not in text
    stored = [a.text for a in await _answers(settings) if a.section == "problems"]
    assert stored[:4] == [
        "理论学习不深。今年自学记录只有14篇。",
        "调查研究不实。全年到基层调研仅3次。",
        "党性修养有所放松。参加联系支部活动仅2次。",
        "执行制度不严。5月有一次先办后报。",
    ]


async def test_circled_numbers_sequence_words_and_stray_punctuation_are_markers_too(
    chat: Chat, settings: Settings
) -> None:
    """①, 首先/其次/最后, 7） and a 顿号 typed after （3） number the point; the file numbers it once."""
    await _to_problems(chat)
    for text in (
        "①理论学习不深。今年自学记录只有14篇。",
        "　其次，调查研究不实。全年到基层调研仅3次。",
        "（3）、 党性修养有所放松。参加联系支部活动仅2次。",
        "最后，执行制度不严。5月有一次先办后报。",
    ):
        await chat.say(text)
    reply = await chat.say("首先，联系群众不够。只到联系点2次。\n其次，批评不够大胆。评议时只提建议。")
    assert "已拆分为2条，记为五是、六是" in reply
    assert "已记下七是" in await chat.say("7）廉洁自律有差距。今年有1次收受土特产。")
    await chat.press("本方面填写完毕")

    text = await _export_text(chat)
    heads = ("理论学习不深", "调查研究不实", "党性修养", "执行制度", "联系群众", "批评不够", "廉洁自律")
    for numeral, words in zip("一二三四五六七", heads, strict=True):
        assert f"{numeral}是{words}" in text
    assert "①" not in text and "其次" not in text and "、 " not in text and "7）" not in text
    stored = [a.text for a in await _answers(settings) if a.section == "problems"]
    assert stored[2:4] == ["党性修养有所放松。参加联系支部活动仅2次。", "执行制度不严。5月有一次先办后报。"]


async def test_a_block_numbered_out_of_order_or_in_mixed_devices_is_split_line_by_line(
    chat: Chat, settings: Settings
) -> None:
    await _to_problems(chat)
    reply = await chat.say(
        "三是理论学习不深。今年自学记录只有14篇。\n一是调查研究不实。全年到基层调研仅3次。"
    )
    assert "已拆分为2条，记为一是、二是" in reply
    reply = await chat.say(
        "1.党性修养有所放松。参加联系支部活动仅2次。\n二是执行制度不严。5月有一次先办后报。"
    )
    assert "已拆分为2条，记为三是、四是" in reply
    await chat.press("本方面填写完毕")
    text = await _export_text(chat)
    assert "一是理论学习不深。" in text and "二是调查研究不实。" in text
    assert "三是党性修养有所放松。" in text and "四是执行制度不严。" in text
    stored = [a.text for a in await _answers(settings) if a.section == "problems"]
    assert stored[1:3] == ["调查研究不实。全年到基层调研仅3次。", "党性修养有所放松。参加联系支部活动仅2次。"]


async def test_a_block_whose_first_point_has_no_number_is_still_split(chat: Chat) -> None:
    """Copied from the middle of a list, the first point lacks its 一是: the 二是 after it is a point."""
    await _to_problems(chat)
    reply = await chat.say("理论学习不深。今年自学记录只有14篇。\n二是调查研究不实。全年到基层调研仅3次。")
    assert "已拆分为2条，记为一是、二是" in reply
    await chat.say("三是执行制度不严。5月有一次先办后报。")
    await chat.press("本方面填写完毕")
    text = await _export_text(chat)
    assert text.count("二是") == 1 and "三是执行制度不严。" in text


async def test_a_text_section_numbered_line_by_line_is_one_list(chat: Chat) -> None:
    """八项规定学习教育整改整治情况 is running text; "一是…" and "二是…" on lines of their own are one
    list there, not lists that each lack their "一是"; a real gap is still named."""
    await _to_problems(chat)
    for _ in range(5):  # the five aspects of 2025年度
        await chat.say("理论学习不深。今年自学记录只有14篇，研讨发言仅2次。")
        await chat.press("本方面填写完毕")
    assert "八项规定学习教育整改整治情况" in chat.last_text()
    reply = await chat.say(
        "一是自查公务接待23批次，纠正清单不全2批次。\n二是清理办公用房1处，已腾退。\n三是规范公车使用，已建台账。"
    )
    assert "已保存" in reply and "列举从" not in reply and "缺少" not in reply
    check = await chat.say("/check")
    assert "列举从“二是”" not in check and "列举从“三是”" not in check
    await chat.press("上一步")
    reply = await chat.say("一是自查公务接待23批次，纠正清单不全2批次。\n三是规范公车使用，已建台账。")
    assert "“一是”之后是“三是”，应为“二是”" in reply


async def test_last_years_count_against_its_items_is_named_when_the_section_is_done(chat: Chat) -> None:
    """The opening says four problems, three are reported: said when the section is finished, a
    rule about the whole section, not after each item."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    reply = await chat.say(
        "2024年度民主生活会本人共查摆问题4条，已完成3条，1条需长期坚持。\n"
        "一是学习不够系统。已制定年度学习计划，完成专题研讨4次。\n"
        "二是调研不够深入。全年到基层调研12次，形成报告2篇。"
    )
    assert "逐条说明" not in reply
    reply = await chat.say("三是作风不够扎实。已建立督办台账，需长期坚持。")
    assert "逐条说明" not in reply
    reply = await chat.press("本部分填写完毕")
    assert "上年度整改情况中写明查摆问题4条，逐条说明的只有3条" in reply
    check = await chat.say("/check")
    assert "上年度整改情况中写明查摆问题4条，逐条说明的只有3条" in check


PER_ASPECT = [
    "上年度查摆问题4条，已完成3条，持续整改1条。",
    "（一）理论学习方面",
    "1.学习不够系统的问题，制定年度学习计划，全年读原著5本，已完成。",
    "2.学用结合不紧的问题，开展专题研讨3次，已完成。",
    "（二）工作作风方面",
    "1.调研不够深入的问题，建立调研清单，全年到基层调研12次，已完成。",
    "2.督促落实不够的问题，建立周调度机制，持续整改。",
]


@pytest.mark.parametrize(
    ("left_out", "note"),
    [(None, None), (3, "上年度整改情况中写明查摆问题4条，逐条说明的只有3条")],
)
async def test_last_years_count_takes_every_point_of_a_part_written_per_aspect(
    chat: Chat, left_out: int | None, note: str | None
) -> None:
    """Last year's part pasted per aspect (each aspect's heading over its numbered points) is kept as
    an uploaded file reads it, each heading over its points: its four points answer "共查摆问题4条";
    with one point left out, the note counts the three points, not the aspects."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    part = [line for n, line in enumerate(PER_ASPECT) if n != left_out]
    assert f"本部分共{3 if left_out else 4}条" in await chat.say("\n".join(part))
    reply = await chat.press("本部分填写完毕")
    if note is None:
        assert "逐条说明" not in reply, reply
    else:
        assert note in reply, reply


def test_a_last_year_part_stored_one_item_per_aspect_before_still_reads_and_counts_its_points() -> None:
    """A draft stored before the chat kept last year's aspects as headings holds one item per
    aspect, its points inside: it is still listed, printed and counted as it was."""
    draft = Draft(kind="personal_dsh", theme_label="2025年度", meta={"name": "王某"}, extra_matters=[])
    draft.aspects = []
    lead = Answer(id=1, section="last_year", aspect=0, position=-1, text=PER_ASPECT[0], role=AnswerRole.LEAD)
    stored = split_answer("\n".join(PER_ASPECT)).items  # as the chat split it then: 理论学习方面\n1.…
    draft.answers = [lead] + [
        Answer(id=n, section="last_year", aspect=0, position=n, text=text) for n, text in enumerate(stored, 2)
    ]
    view = DraftView.build(load_catalog(), draft)
    step = view.step("last_year")
    assert view.markers(step) == ["（一）", "（二）"] and len(view.points(step)) == 2
    (section,) = view.to_document().sections
    assert not section.subsections and [i.id for i in section.items] == [2, 3]
    assert not any("逐条说明" in f.message for f in review_draft(view, set())[1])


async def test_a_pasted_summary_sentence_is_the_lead_not_item_one(chat: Chat, settings: Settings) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    reply = await chat.say(
        "2024年度民主生活会本人共查摆问题2条，均已完成整改。\n"
        "一是学习不够系统。已制定年度学习计划，完成专题研讨4次。\n"
        "二是调研不够深入。全年到基层调研12次，形成报告2篇。"
    )
    assert "已拆分为2条，记为（一）、（二）" in reply and "开头一段" in reply
    await chat.press("本部分填写完毕")

    text = await _export_text(chat)
    lines = text.splitlines()
    heading = lines.index("一、上年度民主生活会查摆问题整改落实情况")
    assert lines[heading + 1] == "2024年度民主生活会本人共查摆问题2条，均已完成整改。"
    assert lines[heading + 2].startswith("（一）学习不够系统。")
    assert lines[heading + 3].startswith("（二）调研不够深入。")
    roles = {a.text[:6]: a.role for a in await _answers(settings) if a.section == "last_year"}
    assert roles == {
        "2024年度": AnswerRole.LEAD,
        "学习不够系统": AnswerRole.ITEM,
        "调研不够深入": AnswerRole.ITEM,
    }


def _recording(call: Callable[..., list[Finding]], into: list[Finding]) -> Callable[..., list[Finding]]:
    def recorded(*args: Any, **kwargs: Any) -> list[Finding]:
        found = call(*args, **kwargs)
        into.extend(found)
        return found

    return recorded


async def test_the_note_after_an_item_names_the_place_check_names(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An item's note gives an ITEM finding with the place (and so the key) /check gives it; a STEP
    finding (the aspect's second point has no example) is heard at 填写完毕, not after the item."""
    noted: list[Finding] = []
    checked: list[Finding] = []
    monkeypatch.setattr(review, "step_findings", _recording(review.step_findings, noted))
    monkeypatch.setattr(review, "draft_findings", _recording(review.draft_findings, checked))
    await _to_problems(chat)
    for _ in range(2):  # aspects （一） and （二）, concrete and about thought
        await chat.say("理想信念有所松懈，党性修养不够。今年参加理论学习仅3次，笔记只有5篇。")
        await chat.press("本方面填写完毕")
    await chat.say("联系群众有差距。今年到联系点只去了2次，对群众反映的加装电梯问题拖了两个月。")
    noted.clear()
    note = await chat.say("对分管工作的跟踪问效有所欠缺,抓落实的韧劲不足。")  # （三）二是: a half-width comma
    assert "这段有1处半角标点" in note
    assert "没有具体事例" not in note  # problems.concrete reads the whole aspect
    [comma] = [f for f in noted if f.rule == "text.punctuation.halfwidth"]
    aspect = "（三）在带头敬畏人民、敬畏组织…方面"
    assert comma.section == f"一、存在的主要问题 / {aspect} / 第2条“对分管工作的跟踪问效有…”"

    finish = await chat.press("本方面填写完毕")
    assert "（三）中的第二条没有具体事例" in finish
    check = await chat.say("/check")
    assert "（三）中的第二条没有具体事例" in check
    same = [f for f in checked if f.rule == comma.rule and f.place == comma.place]
    assert [(f.section, f.key, f.message, f.snippet) for f in same] == [
        (comma.section, comma.key, comma.message, comma.snippet)
    ]
    assert comma.section in check
    assert "（一）中的" not in finish and "（一）中的" not in check


async def test_the_note_on_several_items_says_which_item_each_point_is_about(chat: Chat) -> None:
    await _to_problems(chat)
    note = await chat.say(
        "一是理论学习不够系统。今年参加中心组学习12次，研讨发言仅2次。\n"
        "二是调查研究不够深入,全年到基层调研6次，解决实际问题不多。"
    )
    assert "• 二是：这段有1处半角标点" in note
    single = await chat.say("三是联系群众不够紧密,今年只去联系点2次。")
    assert "• 这段有1处半角标点" in single  # one item: no need to say which


async def test_the_note_on_a_finished_step_says_which_item_each_point_is_about(chat: Chat) -> None:
    """填写完毕 repeats the points on the step's items: each says which item, as /check does."""
    await _to_problems(chat)
    await chat.say("理论学习不够系统。今年参加中心组学习12次，研讨发言仅2次。")
    await chat.say("调查研究不够深入,全年到基层调研6次。")
    await chat.say("联系群众不够紧密。今年只去联系点XX次。")
    finish = await chat.press("本方面填写完毕")
    assert "• 二是：这段有1处半角标点" in finish
    assert "• 三是：“XX”是没有替换的占位符" in finish
    check = await chat.say("/check")
    aspect = "（一）在带头强化政治忠诚、提高…方面"
    assert f"{aspect} / 第2条“调查研究不够深入,全年…”" in check
    assert f"{aspect} / 第3条“联系群众不够紧密。”" in check


async def test_a_point_whose_message_names_its_aspect_is_not_named_again_by_its_item(chat: Chat) -> None:
    """“（一）有一段在讲成绩” names its place: the note on 填写完毕 does not put 一是 before it, and
    says it as /check does."""
    await _to_problems(chat)
    await chat.say("始终坚持以人民为中心。圆满完成各项任务，取得了明显成效。")
    await chat.say("理论学习不够深入。比如今年自学记录只有14篇，研讨发言仅2次，思想认识不深。")
    finish = await chat.press("本方面填写完毕")
    praise = "（一）有一段在讲成绩：“一是始终坚持以人民为中心。圆满…”"
    assert f"• {praise}。" in finish
    assert "是：（一）" not in finish
    assert f"1. {praise}\n" in await chat.say("/check")


async def test_a_finding_in_the_unit_is_heard_after_it_and_named_there_by_check(chat: Chat) -> None:
    await chat.say("/start")
    await chat.press("开始写材料")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.meeting_date("2026年1月15日")
    assert "没有替换的占位符" not in await chat.say("张三")
    note = await chat.say("XX县商务局")
    assert "已记下：XX县商务局。\n\n这里有必须修改的地方：\n• “XX”是没有替换的占位符" in note
    for answer in ("局长", PREAMBLE):
        assert "占位符" not in await chat.say(answer)
    check = await chat.say("/check")
    assert "“XX”是没有替换的占位符\n   标题下的单位、职务、姓名" in check
    assert "正文之外" not in check


async def test_every_finding_on_one_answer_is_placed_as_the_whole_review_places_it(
    chat: Chat, settings: Settings
) -> None:
    """For each step of a draft full of defects, the per-answer findings are /check's findings."""
    await _setup_personal_2025(chat)
    await chat.say("按照XX要求，现将本人对照检查情况报告如下：")
    await chat.say("上年度查摆的问题已全部整改到位。")
    await chat.press("本部分填写完毕")
    defects = [
        "有的同志理论学习不够深入,学用结合不够。",
        "工作作风不够扎实。",
        "对自己要求过于严格，工作标准过高，有时休息不够。",
        "担当作为不够。面对急难险重任务时有畏难情绪，比如5月防汛时靠前指挥不够。",
        "管党治党责任落实不到位，对分管领域的监督检查只有1次。",
    ]
    for text in defects:
        await chat.say(text)
        await chat.press("本方面填写完毕")
    await chat.say("本人对八项规定精神学习不够深入。")
    await chat.say("以案为鉴，对照检查。")
    await chat.say("一是工作太忙，客观上学习时间少。二是上级部署任务多。")
    await chat.press("本部分填写完毕")
    await chat.say("一是进一步加强理论学习。二是进一步改进作风。")
    await chat.press("本部分填写完毕")

    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        draft_id = await session.scalar(select(Draft.id))
        assert draft_id is not None
        draft = await repo.draft_by_id_for(session, chat.user_id, draft_id)
        assert draft is not None
        view = DraftView.build(load_catalog(), draft)
        _, whole = review_draft(view, set())
        placed = {(f.rule, f.message, f.section) for f in whole}
        fired = set()
        for step in view.section_steps:
            for finding in step_findings(view, step):
                assert (finding.rule, finding.message, finding.section) in placed, (step.key, finding)
                fired.add(finding.rule)
    await db.dispose()
    # The draft exercises the rules that speak about one answer, in several sections.
    assert len(fired) >= 6, fired


async def test_items_are_edited_inserted_moved_and_deleted_from_their_list(
    chat: Chat, settings: Settings
) -> None:
    await _to_problems(chat)
    await chat.say("理论学习不深。今年自学记录只有14篇。")
    await chat.say("联系群众不够。只到联系点2次。")
    listing = await chat.press("修改条目")
    assert "一是理论学习不深。今年自学记录只有14篇。" in listing
    assert "二是联系群众不够。只到联系点2次。" in listing

    await chat.press(_item("二是", "联系群众不够。只到联系点2次"))
    menu = chat.last_text()
    assert "二是" in menu and "联系群众不够" in menu
    await chat.press("修改")
    reply = await chat.say("二是联系服务群众不够。今年只到联系点2次，接访群众5人次。")
    assert "已修改二是" in reply
    assert "二是联系服务群众不够。今年只到联系点2次，接访群众5人次。" in reply

    await chat.press(_item("一是", "理论学习不深。今年自学记录只有14篇"))
    await chat.press("在此后插入")
    reply = await chat.say("调查研究不实。全年到基层调研仅3次。")
    assert "已插入二是，其后各条顺延" in reply
    assert "三是联系服务群众不够" in reply

    await chat.press(_item("三是", "联系服务群众不够。今年只到联系点2"))
    reply = await chat.press("上移")
    assert "三是已移到二是" in reply

    await chat.press("返回列表")
    await chat.press(_item("三是", "调查研究不实。全年到基层调研仅3次。"))
    await chat.press("移到另一方面")
    reply = await chat.press("（三）在带头敬畏人民、敬畏组织、敬畏法")
    assert "已移到（三）在带头敬畏人民、敬畏组织、敬畏法纪方面。\n" in reply  # its one point: no 一是

    await chat.press(_item("一是", "理论学习不深。今年自学记录只有14篇"))
    reply = await chat.press("删除")
    assert "已删除一是，其余各条已重新编号" in reply
    assert "\n联系服务群众不够" in reply and "一是联系" not in reply  # the one left: no 一是

    answers = [a for a in await _answers(settings) if a.section == "problems"]
    assert [(a.aspect, a.text[:6]) for a in answers] == [(1, "联系服务群众"), (3, "调查研究不实")]
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        actions = sorted(r.action for r in await session.scalars(select(AnswerRevision)))
    await db.dispose()
    assert actions == ["delete", "edit", "move", "move"]


async def test_a_lead_rewritten_with_a_marker_typed_before_it_stays_unnumbered(chat: Chat) -> None:
    await _to_problems(chat)
    await chat.say("对照要求，本人存在以下问题：\n一是理论学习不深。今年自学记录只有14篇。")
    await chat.press("修改条目")
    await chat.press("开头一段：对照要求，本人存在以下问")
    await chat.press("修改")
    listing = await chat.say("（一）对照上述要求，本人主要存在以下问题：")
    assert "（开头）对照上述要求，本人主要存在以下问题：" in listing
    await chat.press("返回继续填写")
    await chat.press("本方面填写完毕")
    lines = (await _export_text(chat)).splitlines()
    assert "对照上述要求，本人主要存在以下问题：" in lines
    assert "理论学习不深。今年自学记录只有14篇。" in lines  # the aspect's one point: no 一是


async def test_undoing_the_last_item_of_a_list_that_has_only_its_lead_says_so(chat: Chat) -> None:
    await _to_problems(chat)
    reply = await chat.say("但仍存在一些问题：")
    assert "本方面还没有条目，请接着发送第一条" in reply and "共0条" not in reply
    reply = await chat.press("撤销最后一条")
    assert "这一部分还没有条目，只有开头一段" in reply and "没有内容" not in reply
    assert "（开头）但仍存在一些问题：" in reply


async def test_a_second_lead_says_which_lead_it_replaced_and_the_first_can_be_restored(
    chat: Chat, settings: Settings
) -> None:
    await _to_problems(chat)
    await chat.say("对照要求，本人在政治忠诚方面主要存在以下问题：\n一是理论学习不深。\n二是调查研究不实。")
    reply = await chat.say("经过认真反思，问题还有：\n三是执行制度不严。5月先办后报。")
    assert "已记下三是。本方面原有的开头一段（“对照要求，本人在政治忠诚方面主要存在以下问题：”）" in reply
    assert "已换成这条消息开头的一段；如要改回，请点“恢复原来的开头一段”" in reply
    leads = [a for a in await _answers(settings) if a.role == AnswerRole.LEAD]
    assert [a.text for a in leads] == ["经过认真反思，问题还有："]

    reply = await chat.press("恢复原来的开头一段")
    assert "已恢复原来的开头一段：“对照要求，本人在政治忠诚方面主要存在以下问题：”" in reply
    assert "恢复原来的开头一段" not in chat.labels()
    text = await _export_text(chat)
    assert "对照要求，本人在政治忠诚方面主要存在以下问题：\n一是理论学习不深。" in text
    assert "经过认真反思" not in text
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        history = list(
            await session.scalars(select(AnswerRevision.text).where(AnswerRevision.answer_id == leads[0].id))
        )
    await db.dispose()
    assert sorted(history) == sorted(
        ["对照要求，本人在政治忠诚方面主要存在以下问题：", "经过认真反思，问题还有："]
    )


async def test_a_lead_sentence_inserted_with_points_is_the_lead_not_a_point(chat: Chat) -> None:
    await _to_problems(chat)
    await chat.say("理论学习不深。今年自学记录只有14篇。")
    await chat.press("修改条目")
    await chat.press(_item("", "理论学习不深。今年自学记录只有14篇"))  # a list of one: no 一是
    await chat.press("在此后插入")
    reply = await chat.say(
        "对照要求，本人还存在以下问题：\n1. 调查研究不实。全年调研仅3次。\n2. 执行制度不严。5月先办后报。"
    )
    assert "已插入二是、三是，其后各条顺延。开头一段已作为本方面的引言（不编号）" in reply
    assert "（开头）对照要求，本人还存在以下问题：\n一是理论学习不深。" in reply
    assert "三是执行制度不严。5月先办后报。" in reply


async def test_a_pending_edit_is_dropped_when_the_user_moves_on(chat: Chat, settings: Settings) -> None:
    await _to_problems(chat)
    await chat.say("理论学习不深。今年自学记录只有14篇。")
    await chat.press("修改条目")
    await chat.press(_item("", "理论学习不深。今年自学记录只有14篇"))
    await chat.press("修改")
    await chat.press("取消")
    reply = await chat.say("联系群众不够。只到联系点2次。")
    assert "已记下二是" in reply  # the text went to the list, not into item 一是
    assert [a.text[:4] for a in await _answers(settings) if a.section == "problems"] == [
        "理论学习",
        "联系群众",
    ]


async def test_the_whole_material_can_be_read_in_the_chat_page_by_page(chat: Chat) -> None:
    await _to_problems(chat)
    long_item = "理论学习不够系统。" + "具体表现为学习计划执行不到位，" * 60 + "。"
    for n in range(1, 5):  # four items, each its own (the same one twice is stored once)
        await chat.say(f"{long_item}比如第{n}季度。")
    await chat.press("本方面填写完毕")
    await chat.say("/status")
    first = await chat.press("查看全文")
    assert "第1/" in first and "张三同志2025年度民主生活会个人对照检查材料" in first
    assert all(len(m) <= 4096 for m in first.split("\n\n\n"))
    pages = int(first.split("第1/")[1].split("页")[0])
    assert pages >= 2
    seen = first
    for _ in range(pages - 1):
        seen += await chat.press("下一页")
    assert seen.count("理论学习不够系统。") == 4
    assert "四是理论学习不够系统。" in seen
    section = await chat.press("修改：（一）在带头强化政治忠诚、提高政治能力方面")
    assert "第3/7部分" in section and "修改条目" in chat.labels()


def test_a_text_longer_than_a_page_starts_on_the_page_before_it() -> None:
    """A 导语 longer than a page starts under the title, not on a page of its own after a page that
    holds the title alone; no page goes over its length, and none loses a character."""
    preamble = "会前本人认真学习规定篇目，广泛征求意见建议，逐一开展谈心谈话。" * 150
    draft = Draft(kind="personal_dsh", theme_label="2025年度", meta={"name": "王某"}, extra_matters=[])
    draft.aspects = []
    draft.answers = [Answer(id=1, section="preamble", aspect=0, position=0, text=preamble)]
    pages = fulltext.pages(DraftView.build(load_catalog(), draft))
    assert pages[0].lines[0] == "<b>王某同志2025年度民主生活会个人对照检查材料</b>"
    assert pages[0].lines[1].startswith("会前本人认真学习") and pages[0].steps == ["preamble"]
    assert all(page.size <= fulltext.PAGE_CHARS + 1 for page in pages[:-1])  # the last has the date too
    assert preamble in "".join(line for page in pages for line in page.lines)


async def test_every_part_of_the_full_text_can_be_opened_from_the_page_it_is_on(chat: Chat) -> None:
    """A short material fits one page by its length, but its ten parts do not fit as buttons."""
    await _setup_personal_2025(chat)
    await chat.fill_until(lambda c: "查看全文" in c.labels())
    seen, jumps = "", []
    text = await chat.press("查看全文")
    while True:
        seen += text
        jumps += [label for label in chat.labels() if label.startswith("修改：")]
        if "下一页" not in chat.labels():
            break
        text = await chat.press("下一页")
    for part in ("（五）在带头坚决扛起管党治党责任方面", "产生问题的原因", "努力方向和整改措施"):
        assert part in seen
        assert any(label.startswith(f"修改：{part[:12]}") for label in jumps), (part, jumps)
    assert len(jumps) == len(set(jumps)) == 10  # 上年度 skipped


async def test_editing_a_sent_message_rewrites_its_items_in_place(chat: Chat, settings: Settings) -> None:
    await _to_problems(chat)
    await chat.say("一是理论学习不深。\n二是调查研究不实。")
    pasted = chat.last_user_message_id()
    await chat.say("三是执行制度不严。")
    ids = {a.text: a.id for a in await _answers(settings) if a.section == "problems"}

    reply = await chat.edit(
        pasted, "一是理论学习不深，自学记录只有14篇。\n二是调查研究不实。\n三是联系群众不够。"
    )
    assert "更新“在带头强化政治忠诚、提高政治能力方面”中的一是，新增三是。" in reply  # 二是 as it was
    after = [(a.text, a.id) for a in await _answers(settings) if a.section == "problems"]
    assert after == [
        ("理论学习不深，自学记录只有14篇。", ids["理论学习不深。"]),  # the same item, rewritten
        ("调查研究不实。", ids["调查研究不实。"]),
        ("联系群众不够。", after[2][1]),
        ("执行制度不严。", ids["执行制度不严。"]),  # a later message's item moves down, unchanged
    ]


async def _revisions(settings: Settings) -> list[tuple[str, str]]:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        rows = await session.execute(
            select(AnswerRevision.action, AnswerRevision.text).order_by(AnswerRevision.id)
        )
    await db.dispose()
    return [(action, text) for action, text in rows]


async def test_a_message_edited_to_open_without_its_lead_drops_the_lead(
    chat: Chat, settings: Settings
) -> None:
    await _to_problems(chat)
    await chat.say("对照要求，本人主要存在以下问题：\n一是理论学习不深。\n二是调查研究不实。")
    pasted = chat.last_user_message_id()
    reply = await chat.edit(pasted, "一是理论学习不深。\n二是调查研究不实。")
    assert (
        "已删去“在带头强化政治忠诚、提高政治能力方面”的开头一段（“对照要求，本人主要存在以下问题：”）"
        in reply
    )
    assert [a.role for a in await _answers(settings) if a.section == "problems"] == [AnswerRole.ITEM] * 2
    assert ("delete", "对照要求，本人主要存在以下问题：") in await _revisions(settings)

    # A later message's lead replaced the first one's: dropping it from that message offers the first.
    await chat.edit(pasted, "对照要求，本人主要存在以下问题：\n一是理论学习不深。\n二是调查研究不实。")
    await chat.say("经过反思，问题还有：\n三是执行制度不严。")
    later = chat.last_user_message_id()
    reply = await chat.edit(later, "三是执行制度不严，5月先办后报。")
    assert (
        "中的三是。已删去“在带头强化政治忠诚、提高政治能力方面”的开头一段（“经过反思，问题还有：”）" in reply
    )
    assert "它替换过的开头一段是“对照要求，本人主要存在以下问题：”" in reply
    assert not [a for a in await _answers(settings) if a.role == AnswerRole.LEAD]
    reply = await chat.press("恢复原来的开头一段")
    assert "已恢复原来的开头一段" in reply
    text = await _export_text(chat)
    assert "对照要求，本人主要存在以下问题：\n一是理论学习不深。" in text
    assert "三是执行制度不严，5月先办后报。" in text and "经过反思" not in text


async def test_an_item_already_in_the_list_is_not_added_by_insert_or_by_an_edit(
    chat: Chat, settings: Settings
) -> None:
    """在此后插入 and an edited message add nothing already in the list, as a message sent again does."""
    await _to_problems(chat)
    await chat.say("一是理论学习不深。\n二是调查研究不实。")
    pasted = chat.last_user_message_id()
    await chat.say("三是执行制度不严。")
    await chat.press("修改条目")
    await chat.press(_item("一是", "理论学习不深。"))
    await chat.press("在此后插入")
    reply = await chat.say("1. 执行制度不严。\n2. 联系群众不够。")
    assert "已插入二是，其后各条顺延。另有1条与已记下的四是相同，没有重复记录。" in reply
    await chat.press(_item("二是", "联系群众不够。"))
    await chat.press("在此后插入")
    reply = await chat.say("调查研究不实。")
    assert "这一条与已记下的三是相同，像是重复发送了，没有再记一次。" in reply
    reply = await chat.edit(pasted, "一是理论学习不深。\n二是调查研究不实。\n三是执行制度不严。")
    assert "没有再记一次" in reply and "已按您修改后的消息更新" not in reply
    texts = [a.text for a in await _answers(settings) if a.section == "problems"]
    assert texts == ["理论学习不深。", "联系群众不够。", "调查研究不实。", "执行制度不严。"]


async def test_an_item_rewritten_to_equal_another_is_said_and_kept_as_it_was(
    chat: Chat, settings: Settings
) -> None:
    """修改 on an item, or an edit of its message, that would make it repeat another item of the list
    is named as a message sent twice is, and the item keeps its text."""
    await _to_problems(chat)
    await chat.say("一是理论学习不深。\n二是调查研究不实。")
    pasted = chat.last_user_message_id()
    await chat.say("执行制度不严。")
    await chat.press("修改条目")
    await chat.press(_item("三是", "执行制度不严。"))
    await chat.press("修改")
    reply = await chat.say("理论学习不深")
    assert "新内容与已记下的一是相同，三是没有修改。" in reply and "请发送三是的新内容" in reply
    reply = await chat.say("执行制度不严，请示报告不及时。")  # the question stays open for another text
    assert "已修改三是" in reply

    reply = await chat.edit(pasted, "一是理论学习不深。\n二是执行制度不严，请示报告不及时。")
    assert "修改后的二是与已记下的三是相同，没有修改，仍是原文。" in reply
    assert "已按您修改后的消息更新" not in reply
    reply = await chat.edit(pasted, "一是理论学习不深，自学记录只有14篇。\n二是理论学习不深。")
    assert "已按您修改后的消息更新“在带头强化政治忠诚、提高政治能力方面”中的一是、二是。" in reply
    assert "修改后的二是与已记下的一是相同" not in reply  # the message's own items change together
    texts = [a.text for a in await _answers(settings) if a.section == "problems"]
    assert texts == ["理论学习不深，自学记录只有14篇。", "理论学习不深。", "执行制度不严，请示报告不及时。"]


async def test_editing_a_message_whose_item_was_moved_rewrites_it_where_it_is(
    chat: Chat, settings: Settings
) -> None:
    """An item moved to another aspect or above its sibling is still the message's: no copy appears."""
    await _to_problems(chat)
    await chat.say("一是理论学习不深。\n二是调查研究不实。")
    pasted = chat.last_user_message_id()
    await chat.say("三是执行制度不严。")
    await chat.press("修改条目")
    await chat.press(_item("一是", "理论学习不深。"))
    await chat.press("移到另一方面")
    await chat.press("（三）在带头敬畏人民、敬畏组织、敬畏法")
    await chat.press(_item("二是", "执行制度不严。"))
    await chat.press("上移")

    reply = await chat.edit(pasted, "一是理论学习不深，自学记录只有14篇。\n二是调查研究不实，调研仅3次。")
    assert "（三）" not in reply  # the aspects are named by their headings
    assert "“在带头强化政治忠诚、提高政治能力方面”中的二是" in reply
    assert "“在带头敬畏人民、敬畏组织、敬畏法纪方面”中的这一条" in reply
    after = [(a.aspect, a.text) for a in await _answers(settings) if a.section == "problems"]
    assert after == [
        (1, "执行制度不严。"),
        (1, "调查研究不实，调研仅3次。"),
        (3, "理论学习不深，自学记录只有14篇。"),
    ]


async def test_an_item_rewritten_or_inserted_gets_the_note_a_new_item_gets(chat: Chat) -> None:
    """Through 修改, 在此后插入 or by editing the message: the new wording is reviewed as when sent."""
    await _to_problems(chat)
    await chat.say("理论学习不深。今年自学记录只有14篇，研讨发言仅2次。")
    sent = chat.last_user_message_id()
    await chat.press("修改条目")
    await chat.press(_item("", "理论学习不深。今年自学记录只有14篇"))
    await chat.press("修改")
    reply = await chat.say("理论学习不深,今年自学记录只有14篇，研讨发言仅2次。")
    assert "已修改这一条" in reply and "这段有1处半角标点" in reply
    await chat.press(_item("", "理论学习不深,今年自学记录只有14篇"))
    await chat.press("在此后插入")
    reply = await chat.say("调查研究不实,全年到基层调研仅3次。")
    assert "已插入二是" in reply and "这段有1处半角标点" in reply
    reply = await chat.edit(sent, "理论学习不深，今年自学记录只有14篇,研讨发言仅2次。")
    assert "已按您修改后的消息更新" in reply and "这段有1处半角标点" in reply
    clean = await chat.edit(sent, "理论学习不深。今年自学记录只有14篇，研讨发言仅2次。")
    assert "半角" not in clean


async def test_a_lead_before_the_measures_is_no_measure(chat: Chat, settings: Settings) -> None:
    await _to_problems(chat)
    await chat.fill_until(lambda c: "努力方向和整改措施" in c.last_text())
    reply = await chat.say("针对以上问题，我将从以下几个方面抓好整改：")
    assert "开头一段" in reply
    await chat.say("坚持每周自学不少于4小时，2026年6月底前完成一篇调研报告。")
    await chat.say("每月到联系点接访一次，群众诉求15个工作日内答复。")
    await chat.press("本部分填写完毕")
    assert "第1/2条措施" in chat.last_text()  # the lead is not asked for a deadline
    measures = [a for a in await _answers(settings) if a.section == "measures"]
    assert [a.role for a in measures] == [AnswerRole.LEAD, AnswerRole.ITEM, AnswerRole.ITEM]


async def test_an_item_becomes_the_lead_and_back(chat: Chat, settings: Settings) -> None:
    await _to_problems(chat)
    await chat.say("对照这一方面，我主要存在三个问题。")  # no counting cue the splitter knows: an item
    await chat.say("理论学习不深。今年自学记录只有14篇。")
    await chat.press("修改条目")
    await chat.press(_item("一是", "对照这一方面，我主要存在三个问题。"))
    reply = await chat.press("改为开头一段")
    assert "已改为开头一段" in reply and "\n理论学习不深" in reply and "一是理论" not in reply
    assert [a.role for a in await _answers(settings) if a.section == "problems"] == [
        AnswerRole.LEAD,
        AnswerRole.ITEM,
    ]
    await chat.press("开头一段：对照这一方面，我主要存在")
    reply = await chat.press("改为条目")
    assert "已改为一是" in reply and "二是理论学习不深" in reply


async def test_an_item_of_emoji_or_a_sentence_pasted_over_is_questioned_not_stored(
    chat: Chat, settings: Settings
) -> None:
    await _to_problems(chat)
    reply = await chat.say("👍👍")
    assert "只有表情或符号" in reply
    reply = await chat.say("学习不够深入。" * 5)
    assert "重复了5次" in reply
    reply = await chat.say("四是学习不够深入。今年只参加集中学习2次。")
    assert "已记下。" in reply
    assert [a.text for a in await _answers(settings) if a.section == "problems"] == [
        "学习不够深入。今年只参加集中学习2次。"
    ]


def _measures(kind: str, *measures: tuple[str, Measure]) -> DraftView:
    """A draft of ``kind`` whose measures section holds just these texts, each with its measure."""
    draft = Draft(kind=kind, theme_label="2025年度", meta={"unit": "青山镇"}, extra_matters=[])
    draft.aspects = []
    draft.answers = [
        Answer(id=100 + n, section="measures", aspect=0, position=n, text=text, measure=measure)
        for n, (text, measure) in enumerate(measures, start=1)
    ]
    return DraftView.build(load_catalog(), draft)


def _team_measures(*owners: tuple[int | None, str | None]) -> DraftView:
    """A team draft whose measures name nobody in their text; each stores ``(leader_id, owner)``."""
    return _measures(
        "team_dsh",
        *(
            (
                f"第{n}项措施，2026年3月底前完成，每季度检查一次。",
                Measure(id=n, deadline_kind="due", leader_id=leader, owner=owner),
            )
            for n, (leader, owner) in enumerate(owners, start=1)
        ),
    )


def _owner_warnings(view: DraftView) -> list[str]:
    _, findings = review_draft(view, set())
    return [f.message for f in findings if f.rule == "measures.verifiable.owner"]


def test_a_team_measure_with_a_stored_leader_or_department_needs_no_owner_in_its_text() -> None:
    assert _owner_warnings(_team_measures((7, None), (None, "党政办"), (7, "党政办"))) == []
    # Nothing stored and nothing written: still a warning, naming just that measure.
    assert _owner_warnings(_team_measures((7, None), (None, None))) == [
        "整改措施中的第二条没有写明责任领导或牵头部门"
    ]


def _verifiable_advice(view: DraftView) -> list[str]:
    _, findings = review_draft(view, set())
    return [f.suggestion for f in findings if f.rule == "measures.verifiable"]


def test_a_time_limit_set_only_at_the_deadline_step_is_given_back_to_be_written_in() -> None:
    """The material is what the meeting reads: a measure whose text gives no 时限 is still named,
    and the advice quotes the one the user set for it, so he need not look it up."""
    set_later = Measure(id=1, deadline_kind="due", deadline_text="2027年3月底前")
    written = Measure(id=3, deadline_kind="ongoing", deadline_text="长期坚持（每季度）")
    view = _measures(
        "personal_dsh",
        ("加强理论学习，切实提高思想认识。", set_later),
        ("严守纪律规矩，做到令行禁止。", Measure(id=2)),
        ("每季度开展1次谈心谈话，听取党员意见。", written),
    )
    [advice] = _verifiable_advice(view)
    assert advice.endswith("；已设定的时限写进正文即可：第一条“2027年3月底前”")
    unset = _measures("personal_dsh", ("加强理论学习，切实提高思想认识。", Measure(id=1)))
    assert [a for a in _verifiable_advice(unset) if "已设定" in a] == []


async def test_an_item_stored_holding_the_next_point_is_split_by_the_button_check_names(
    chat: Chat, settings: Settings
) -> None:
    """A draft stored before the splitter read ``4.2027年3月底前…`` as point 4 keeps it inside the
    item above: /check, which reports the list starting at 4., says which button splits it, and
    拆为2条 makes the item those two points, the first keeping its id, nothing but the 4. dropped."""
    await _to_problems(chat)
    await chat.say("一是理论学习不深。今年自学记录只有14篇。\n二是调查研究不实。全年调研仅3次。")
    held = "联系群众不够经常，从身边事做起。\n4.2027年3月底前走访联系点不少于6次。"
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        problem_2 = select(Answer).where(Answer.section == "problems", Answer.position == 1)
        second = await session.scalar(problem_2)
        assert second is not None
        second.text, second_id = held, second.id
    await db.dispose()

    found = await chat.say("/check")
    assert "的列举从“4.”开始" in found
    assert "建议：这一条里还写着另起的1条：在这一部分点“修改条目”，打开这一条，再点“拆为2条”" in found
    await chat.press("返回填写")
    await chat.press("修改条目")
    menu = await chat.press(_item("二是", "联系群众不够经常，从身边事做起。"))
    assert "拆为2条" in chat.labels() and "4.2027年3月底前" in menu
    reply = await chat.press("拆为2条")
    assert "已拆为2条：二是、三是。" in reply
    assert "\n二是联系群众不够经常，从身边事做起。\n三是2027年3月底前走访联系点不少于6次。" in reply
    problems = [a for a in await _answers(settings) if a.section == "problems"]
    assert [a.text for a in problems[1:]] == held.replace("4.", "").split("\n")
    assert problems[1].id == second_id
    assert "列举从“4.”开始" not in await chat.say("/check")


async def test_a_problem_with_the_particulars_it_lists_is_one_item_that_can_be_split(
    chat: Chat, settings: Settings
) -> None:
    """A problem going on into 一是……二是…… in its own paragraph (how materials write a problem
    and its manifestations) is stored whole as one point, not as three of which the first has no
    example; the reply says how to split it, and 拆为3条 does."""
    await _to_problems(chat)
    text = "服务发展主动性不够。一是对企业诉求跟踪不紧，3月一家企业用地问题拖了两个月；二是调研多、解决少。"
    reply = await chat.say(text)
    assert "已记下。其中几点作为这一条的具体表现一并记下" in reply and "“拆为3条”" in reply
    assert "没有具体事例" not in reply
    assert [a.text for a in await _answers(settings) if a.section == "problems"] == [text]
    await chat.press("修改条目")
    await chat.press(_item("", text))
    reply = await chat.press("拆为3条")
    assert "已拆为3条：一是至三是。" in reply
    problems = [a.text for a in await _answers(settings) if a.section == "problems"]
    assert problems == [
        "服务发展主动性不够。",
        "对企业诉求跟踪不紧，3月一家企业用地问题拖了两个月。",
        "调研多、解决少。",
    ]


async def test_an_uploaded_problem_with_the_particulars_it_lists_is_the_one_item_a_message_makes(
    chat: Chat, settings: Settings
) -> None:
    """The same paragraph in an uploaded file is imported as the one point the chat keeps it as,
    not as the aspect's lead with two points under it; 修改条目 offers to split it likewise."""
    text = "服务发展主动性不够。一是调研不够深入，今年只下基层3次；二是产业园项目推进慢，拖了两个月。"
    lines = [
        "张三同志2025年度民主生活会个人对照检查材料",
        PREAMBLE,
        "一、存在的主要问题",
        "（一）在带头强化政治忠诚、提高政治能力方面",
        text,
        "（二）在带头固本培元、增强党性方面",
        "一是理论学习不够深入，比如今年只参加2次集中学习。",
        "二是党性锻炼有所放松，比如组织生活会发言辣味不足。",
    ]
    await chat.say("/start")
    await chat.harness.upload(chat.user_id, "对照检查.docx", word(*map(p, lines)), "application/octet-stream")
    await chat.press("导入为新材料，继续修改")
    first = [(a.role, a.text) for a in await _answers(settings) if a.section == "problems" and a.aspect == 1]
    assert first == [(AnswerRole.ITEM, text)]
    assert f"提高政治能力方面\n{text}\n（二）" in await chat.press("查看全文")
    await chat.press("修改：（一）在带头强化政治忠诚、提高政治能力方面")
    await chat.press("修改条目")
    await chat.press(_item("", text))
    assert "拆为3条" in chat.labels()


RUNNING_ON = (
    "服务发展主动性不够。一是调研不够深入，今年只下基层3次；二是产业园项目推进慢，拖了两个月。\n"
    "三是解决企业诉求不及时，2件用地问题拖到年底。"
)
RUNNING_CAUSE = (
    "理想信念有所松懈。一是理论学习没有入脑入心；二是主观世界改造放松。\n三是对党的宗旨理解停留在口头上。"
)


async def test_particulars_going_on_in_a_line_below_their_point_are_that_point_in_chat_and_file(
    chat: Chat, settings: Settings
) -> None:
    """A point whose paragraph goes on into 一是……；二是…… with 三是…… on a line below (the list
    of its particulars going on) is the one point it is, kept whole with all three, whether it is
    sent in the chat or comes in an uploaded file: not a point with two particulars and a second
    point 三是 renumbered 二是, nor an unnumbered paragraph and a point."""
    await _to_problems(chat)
    reply = await chat.say(RUNNING_ON)
    assert "已记下。其中几点作为这一条的具体表现一并记下" in reply and "“拆为4条”" in reply
    assert [a.text for a in await _answers(settings) if a.section == "problems"] == [RUNNING_ON]
    await chat.fill_until(lambda c: "产生问题的原因" in c.last_text() and "本部分填写完毕" in c.labels())
    await chat.say(RUNNING_CAUSE)
    written = await _answers(settings)
    chatted = {(a.section, a.role, a.text) for a in written if a.section in ("problems", "causes")}
    assert ("causes", AnswerRole.ITEM, RUNNING_CAUSE) in chatted
    lines = [
        "张三同志2025年度民主生活会个人对照检查材料",
        PREAMBLE,
        "一、存在的主要问题",
        "（一）在带头强化政治忠诚、提高政治能力方面",
        *RUNNING_ON.split("\n"),
        "二、产生问题的原因",
        *RUNNING_CAUSE.split("\n"),
    ]
    await chat.harness.upload(chat.user_id, "对照检查.docx", word(*map(p, lines)), "application/octet-stream")
    await chat.press("导入为新材料，继续修改")
    ours = {a.draft_id for a in written}
    imported = [a for a in await _answers(settings) if a.draft_id not in ours]
    assert [(a.role, a.text) for a in imported if a.section == "problems" and a.aspect == 1] == [
        (AnswerRole.ITEM, RUNNING_ON)
    ]
    assert [(a.role, a.text) for a in imported if a.section == "causes"] == [(AnswerRole.ITEM, RUNNING_CAUSE)]
    assert f"提高政治能力方面\n{RUNNING_ON}\n（二）" in await chat.press("查看全文")


async def test_an_uploaded_aspect_whose_one_point_is_numbered_one_is_named_and_imported_without_it(
    chat: Chat, settings: Settings
) -> None:
    """An aspect of a file whose one point is written 一是, with no 二是: the review names it on
    that point, as a reviewer would (只有“一是”，没有“二是”); imported, the point is the aspect's one
    item, which the material prints without a number, as one sent in the chat."""
    point = "理论学习不够深入。比如今年只参加2次集中学习，自学笔记不到10篇。"
    lines = [
        "张三同志2025年度民主生活会个人对照检查材料",
        PREAMBLE,
        "一、存在的主要问题",
        "（一）在带头强化政治忠诚、提高政治能力方面",
        f"一是{point}",
        "（二）在带头固本培元、增强党性方面",
        "一是党性锻炼有所放松，比如组织生活会发言辣味不足。",
        "二是批评和自我批评不够，比如今年只给班子成员提了1条意见。",
    ]
    await chat.say("/start")
    reply = _joined(
        await chat.harness.upload(
            chat.user_id, "对照检查.docx", word(*map(p, lines)), "application/octet-stream"
        )
    )
    while "下一页" in chat.labels() and "列举只有" not in reply:
        reply += await chat.press("下一页")
    assert "（一）在带头强化政治忠诚、提高…方面 / 第1条“理论学习不够深入。”" in reply
    assert "（一）的列举只有“一是”，没有“二是”" in reply and "（二）的列举只有" not in reply
    await chat.press("导入为新材料，继续修改")
    first = [(a.role, a.text) for a in await _answers(settings) if a.section == "problems" and a.aspect == 1]
    assert first == [(AnswerRole.ITEM, point)]
    assert f"提高政治能力方面\n{point}\n（二）" in await chat.press("查看全文")


async def test_a_cause_written_among_the_problems_is_moved_to_the_causes(
    chat: Chat, settings: Settings
) -> None:
    await _to_problems(chat)
    await chat.say("一是理论学习不深。今年自学记录只有14篇。\n二是理想信念有所松懈，放松了主观世界改造。")
    await chat.press("修改条目")
    await chat.press(_item("二是", "理想信念有所松懈，放松了主观世界改造"))
    reply = await chat.press("移到另一部分")
    assert "把这一条移到哪个部分？" in reply and "产生问题的原因" in chat.labels()
    assert not any(label.startswith("存在的主要问题") for label in chat.labels())  # that is 移到另一方面
    reply = await chat.press("产生问题的原因")
    assert "已移到“产生问题的原因”。" in reply  # its one point there: no （一）
    assert "（开头）" not in reply and "二是理想信念" not in reply  # the aspect's list as it is now
    # and a cause that reads as a measure goes on to the measures, where it is a measure
    await chat.press("返回继续填写")
    await chat.fill_until(lambda c: "产生问题的原因" in c.last_text() and "本部分填写完毕" in c.labels())
    await chat.say("每周自学不少于4小时，2027年6月底前完成专题学习。")
    await chat.press("修改条目")
    await chat.press(_item("（二）", "每周自学不少于4小时，2027年6月底前完成专题"))
    await chat.press("移到另一部分")
    reply = await chat.press("努力方向和整改措施")
    assert "已移到“努力方向和整改措施”。" in reply
    answers = await _answers(settings)
    assert [a.text for a in answers if a.section == "causes"] == ["理想信念有所松懈，放松了主观世界改造。"]
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        measures = list(await session.scalars(select(Measure)))
    await db.dispose()
    moved = next(a for a in answers if a.section == "measures")
    assert [m.answer_id for m in measures] == [moved.id]
