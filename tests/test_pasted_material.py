"""A finished material pasted into one step: offered to fill the draft's empty parts, not refused."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from bot.botapi.server import client_parts
from bot.settings import Settings
from storage.db import Database
from storage.models import Answer, AnswerRole
from tests.conftest import Chat
from tests.test_drafting_e2e import PREAMBLE, _drafts, _setup_personal_2025

FILL = "按这段内容分到各部分"
PADDING = "对照上级要求，这方面还有不小差距，需要在今后工作中认真加以改进。" * 28
"""Makes a material long enough for a client to send it as two messages."""
ASPECTS_2025 = [  # the 2025 theme's, as a material heads them
    "在带头强化政治忠诚、提高政治能力方面",
    "在带头固本培元、增强党性方面",
    "在带头敬畏人民、敬畏组织、敬畏法纪方面",
    "在带头干事创业、担当作为方面",
    "在带头坚决扛起管党治党责任方面",
]


def _material(aspects: list[str], extra: str = "", parts: str = "") -> str:
    """A whole material as a cadre pastes it from Word: every part under its own heading; ``parts``
    are the theme's own parts, numbered 三、 and 四、, before the causes."""
    problems = "\n".join(
        f"（{'一二三四五'[n]}）{aspect}\n一是第{n + 1}方面的第一个问题。全年只开展了{n + 2}次专题调研。"
        f"二是第{n + 1}方面的第二个问题。对分管领域的{n + 3}项改革跟踪问效不够。{extra}"
        for n, aspect in enumerate(aspects)
    )
    return (
        f"{PREAMBLE}\n一、上年度民主生活会整改落实情况\n上年度查摆问题5条，均已整改到位。\n"
        f"二、存在的主要问题\n{problems}\n{parts}"
        f"{'五' if parts else '三'}、产生问题的原因\n（一）理想信念有所松懈。\n（二）宗旨意识有所淡化。\n"
        f"{'六' if parts else '四'}、努力方向和整改措施\n（一）每月读原著原文1篇，年底前形成学习笔记12篇。\n"
        "（二）每季度到基层蹲点调研不少于3天。"
    )


async def _stored(settings: Settings) -> list[tuple[str, int, AnswerRole, str]]:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        rows = await session.execute(
            select(Answer.section, Answer.aspect, Answer.role, Answer.text).order_by(
                Answer.section, Answer.aspect, Answer.position
            )
        )
        stored = [(section, aspect, role, text) for section, aspect, role, text in rows]
    await db.dispose()
    return stored


async def test_a_whole_material_pasted_as_the_preamble_fills_every_part(
    chat: Chat, settings: Settings
) -> None:
    await _setup_personal_2025(chat)

    reply = await chat.say(_material(ASPECTS_2025))

    assert "有材料各部分的标题，我先不作为导语保存" in reply and FILL in chat.labels()
    assert await _stored(settings) == []
    reply = await chat.press(FILL)
    assert "已按粘贴的材料分到各部分" in reply and "全文概览" in reply and "方面与所选的不同" not in reply
    stored = await _stored(settings)
    assert ("preamble", 0, AnswerRole.ITEM, PREAMBLE) in stored
    assert ("last_year", 0, AnswerRole.LEAD, "上年度查摆问题5条，均已整改到位。") in stored
    problems = [(aspect, text) for section, aspect, _, text in stored if section == "problems"]
    assert len(problems) == 10 and problems[4] == (3, "第3方面的第一个问题。全年只开展了4次专题调研。")
    causes = [text for section, _, _, text in stored if section == "causes"]
    measures = [text for section, _, _, text in stored if section == "measures"]
    assert causes == ["理想信念有所松懈。", "宗旨意识有所淡化。"]
    assert measures == ["每月读原著原文1篇，年底前形成学习笔记12篇。", "每季度到基层蹲点调研不少于3天。"]

    reply = await chat.press(FILL)  # the same button again, e.g. a double tap
    assert "本材料的这些部分都已写过" in reply and len(await _stored(settings)) == len(stored)


async def test_a_pasted_material_with_other_aspects_is_written_under_its_own(
    chat: Chat, settings: Settings
) -> None:
    await _setup_personal_2025(chat)
    await chat.say(_material(["在理论学习方面", "在工作作风方面", "在廉洁自律方面"]))

    reply = await chat.press(FILL)

    assert "材料里的方面与所选的不同，已按材料里的3个方面填写" in reply
    assert "（三）在廉洁自律方面：2条" in reply and "（四）" not in reply


async def test_a_pasted_material_under_headings_of_its_own_keeps_them(chat: Chat, settings: Settings) -> None:
    """As many aspects as the theme has, but not the theme's: the material is printed under the
    headings its author wrote, not its points under headings they were not written for."""
    await _setup_personal_2025(chat)
    own = ["在理论学习方面", "在党性修养方面", "在群众观念方面", "在担当作为方面", "在廉洁自律方面"]
    await chat.say(_material(own))

    reply = await chat.press(FILL)

    assert "材料里的方面与所选的不同，已按材料里的5个方面填写" in reply
    assert "（二）在党性修养方面：2条" in reply and "固本培元" not in reply


EXTRA_PARTS = (
    "三、典型案例剖析\n学习某县原副县长违纪违法案，警醒自己守住底线。\n"
    "四、深入贯彻中央八项规定精神学习教育查摆问题整改情况\n对照查摆问题3个，已整改2个。\n"
)


async def test_a_pasted_materials_own_parts_go_to_the_parts_their_headings_name(
    chat: Chat, settings: Settings
) -> None:
    """The 2025 theme's 八项规定… and 反面典型案例剖析, headed in the material's own words and order."""
    await _setup_personal_2025(chat)
    await chat.say(_material(ASPECTS_2025, parts=EXTRA_PARTS))

    await chat.press(FILL)

    page = "".join([await chat.press("查看全文"), await chat.press("下一页")])
    assert "八项规定学习教育整改整治情况\n对照查摆问题3个，已整改2个。" in page
    assert "反面典型案例剖析\n学习某县原副县长违纪违法案，警醒自己守住底线。" in page


async def test_a_pasted_part_the_material_has_no_place_for_is_named(chat: Chat, settings: Settings) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("粘贴本地通知中的方面")
    await chat.say(
        "1.在带头强化政治忠诚方面\n2.在带头增强党性方面\n3.在带头担当作为方面\n4.在带头从严治党方面\n5.在带头廉洁自律方面"
    )
    await chat.press("2026年度")
    await chat.press("暂不确定")
    for _ in range(3):
        await chat.press("跳过")
    await chat.say(
        _material(
            [
                "在带头强化政治忠诚方面",
                "在带头增强党性方面",
                "在带头担当作为方面",
                "在带头从严治党方面",
                "在带头廉洁自律方面",
            ],
            parts=EXTRA_PARTS,
        )
    )

    reply = await chat.press(FILL)

    assert "本材料没有“典型案例剖析”、“深入贯彻中央八项规定精神学习教育查摆问题整改情况”这一部分" in reply


async def test_a_long_material_cut_by_telegram_fills_the_draft_with_both_parts(
    chat: Chat, settings: Settings
) -> None:
    """A material of five thousand characters arrives as two messages; the offer covers both."""
    whole = _material(ASPECTS_2025, PADDING)
    assert len(client_parts(whole)) == 2
    await _setup_personal_2025(chat)

    reply = await chat.say(whole)

    assert "这条消息接着上一条，已合在一起" in reply and FILL in chat.labels()
    offers = [m for m in chat.api.bot_messages(chat.user_id) if FILL in str(chat.api.buttons(m))]
    assert len(offers) == 2  # one under each part; the first, pressed early, fills with both too
    await chat.harness.press(chat.user_id, FILL, message_id=offers[0]["message_id"])
    stored = await _stored(settings)
    assert len([text for section, *_, text in stored if section == "problems"]) == 10
    measures = [text for section, *_, text in stored if section == "measures"]
    assert measures[-1] == "每季度到基层蹲点调研不少于3天。"


async def test_a_cut_material_answered_part_by_part_is_still_read_as_one(
    chat: Chat, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bot's reply to the first part can take the message id after it: the second part, sent
    within seconds, still joins it; a message sent a minute after another paste does not."""
    first, second = client_parts(_material(ASPECTS_2025, PADDING))
    await _setup_personal_2025(chat)

    await chat.say(first)  # answered before the second part arrives
    reply = await chat.say(second)

    assert "这条消息接着上一条，已合在一起" in reply
    await chat.press(FILL)
    assert len([text for section, *_, text in await _stored(settings) if section == "problems"]) == 10

    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.press("暂不确定")
    for _ in range(3):
        await chat.press("跳过")
    await chat.say(first)
    later = time.time() + 60
    monkeypatch.setattr("bot.botapi.server.time.time", lambda: later)
    assert "已合在一起" not in await chat.say(second)


async def test_the_rest_of_a_material_pasted_after_the_preamble_fills_the_parts_not_written(
    chat: Chat, settings: Settings
) -> None:
    """A cadre types the preamble, then pastes the rest of his material into the next step: the
    parts go where their headings say, and the preamble he wrote stays."""
    await _setup_personal_2025(chat)
    await chat.say("按照要求，会前认真学习、广泛征求意见，现将对照检查情况报告如下：")
    rest = _material(ASPECTS_2025).split("\n", 1)[1]  # 一、上年度… to the end, without a preamble

    reply = await chat.say(rest)

    assert "有材料各部分的标题，我先不作为本部分的内容保存" in reply and FILL in chat.labels()
    reply = await chat.press(FILL)
    assert "已按粘贴的材料分到各部分" in reply and "已经写过" not in reply
    stored = await _stored(settings)
    assert [text for section, *_, text in stored if section == "preamble"] == [
        "按照要求，会前认真学习、广泛征求意见，现将对照检查情况报告如下："
    ]
    assert len([text for section, *_, text in stored if section == "problems"]) == 10


async def test_a_pasted_material_leaves_the_parts_written_as_they_are(chat: Chat, settings: Settings) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await chat.say("理论学习不够系统。今年自学笔记只有9篇。")
    await chat.press("上一步")
    await chat.press("上一步")

    reply = await chat.say(_material(ASPECTS_2025))
    assert FILL in chat.labels()
    reply = await chat.press(FILL)

    assert "“导语”、“（一）在带头强化政治忠诚、提高政治能力方面”已经写过，保持原样" in reply
    stored = await _stored(settings)
    first_aspect = [text for section, aspect, _, text in stored if (section, aspect) == ("problems", 1)]
    assert first_aspect == ["理论学习不够系统。今年自学笔记只有9篇。"]
    assert [text for section, *_, text in stored if section == "preamble"] == [PREAMBLE]
    assert len([text for section, *_, text in stored if section == "problems"]) == 9

    reply = await chat.press(FILL)  # every part it has is written now
    assert "本材料的这些部分都已写过" in reply and len(await _stored(settings)) == len(stored)
    await chat.press("修改某一部分")
    await chat.press("导语")
    reply = await chat.say(_material(ASPECTS_2025))
    assert "本材料的这些部分都已写过，我先不保存" in reply and "导入为新材料" in reply
    assert FILL not in chat.labels() and len(await _stored(settings)) == len(stored)


async def test_a_material_pasted_with_no_draft_open_is_offered_as_a_file_sent_is(
    chat: Chat, settings: Settings
) -> None:
    """A cadre (or a reviewer) with a finished material pastes it before writing anything here: it
    is reviewed and imported like a file, even when it arrives in two messages."""
    await chat.say("/start")

    reply = await chat.say(_material(ASPECTS_2025, PADDING))

    assert "这条消息接着上一条，已合在一起" in reply and "像是一篇材料，我先记下" in reply
    assert chat.labels() == ["审核这篇材料", "导入为新材料，继续修改", "规范排版（生成Word）"]
    assert await _stored(settings) == []
    reply = await chat.press("审核这篇材料")
    assert "已读取《粘贴的材料》" in reply and "审核意见" in reply
    await chat.press("导入为新材料，继续修改")
    stored = await _stored(settings)
    assert len([text for section, *_, text in stored if section == "problems"]) == 10
    measures = [text for section, *_, text in stored if section == "measures"]
    assert measures[-1] == "每季度到基层蹲点调研不少于3天。"


async def test_other_text_with_no_draft_open_is_still_said_to_be_unsaved(chat: Chat) -> None:
    await chat.say("/start")
    reply = await chat.say("理论学习不够系统。全年参加中心组学习12次，个人研讨发言仅2次。")
    assert "这条消息没有记下" in reply and "审核这篇材料" not in chat.labels()


async def test_a_preamble_sent_at_the_post_is_offered_as_the_preamble_and_not_stored_as_the_post(
    chat: Chat, settings: Settings
) -> None:
    """A cadre pastes the 导语 he wrote ahead where the bot asks his 职务: it is not his post, nor
    refused and lost; one press keeps it as the 导语, and the 职务 is asked again."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("2026年1月15日")
    await chat.say("张三")
    await chat.say("县商务局")
    duties = "县委常委、县政府党组成员、副县长；分管发展改革、统计、工业和信息化、科技工作；联系开发区"
    reply = await chat.say(duties)  # a post with its duties: too long, but no prose
    assert "内容有点长" in reply and "作为导语保存" not in chat.labels()

    reply = await chat.say(PREAMBLE)

    assert "像是材料正文，没有作为职务记下" in reply and "基本信息 · 职务" in reply
    assert chat.labels()[0] == "作为导语保存"
    reply = await chat.press("作为导语保存")
    assert f"已存为导语（{len(PREAMBLE)}字）" in reply and "基本信息 · 职务" in reply
    assert "作为导语保存" not in chat.labels()
    reply = await chat.say("局长")
    assert "已记下：局长。" in reply and "第1/7部分 · 导语" in reply and f"当前内容：{PREAMBLE}" in reply
    assert await _stored(settings) == [("preamble", 0, AnswerRole.ITEM, PREAMBLE)]
    drafts = await _drafts(settings)
    assert drafts[0].meta == {"name": "张三", "unit": "县商务局", "position": "局长"}


async def test_a_preamble_sent_while_the_date_is_asked_back_is_offered_as_the_preamble(
    chat: Chat, settings: Settings
) -> None:
    """The 导语 pasted where the bot asks back a far-off meeting date is no date to complain about
    (没能识别“按照……”这个日期): it is offered as the 导语, the date stays asked with its button."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    reply = await chat.say("2025年1月15日")
    assert "请确认会议日期" in reply
    reply = await chat.say(PREAMBLE)
    assert "像是材料正文，没有作为会议日期记下" in reply and "没能识别" not in reply
    assert "请确认会议日期" in reply and "确认：2025年1月15日" in chat.labels()
    reply = await chat.press("作为导语保存")
    assert f"已存为导语（{len(PREAMBLE)}字）" in reply
    await chat.press("确认：2025年1月15日")
    assert (await _drafts(settings))[0].meeting_date.isoformat() == "2025-01-15"
    assert await _stored(settings) == [("preamble", 0, AnswerRole.ITEM, PREAMBLE)]


async def test_a_whole_material_sent_at_the_unit_fills_the_draft_or_is_reviewed(
    chat: Chat, settings: Settings
) -> None:
    """Pasted at a set-up question, a finished material is offered as when pasted into a part: to
    fill this draft by its headings, or to review it; the unit stays unset."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("2026年1月15日")
    await chat.say("张三")

    reply = await chat.say(_material(ASPECTS_2025))

    assert "像是整篇材料，没有作为单位记下" in reply and "基本信息 · 单位" in reply
    assert chat.labels()[:2] == [FILL, "审核这篇材料"]
    assert "审核意见" in await chat.press("审核这篇材料")
    await chat.say("/start")
    await chat.press("继续填写")
    assert "基本信息 · 单位" in chat.last_text()
    offers = [m for m in chat.api.bot_messages(chat.user_id) if FILL in str(chat.api.buttons(m))]
    await chat.harness.press(chat.user_id, FILL, message_id=offers[-1]["message_id"])
    stored = await _stored(settings)
    assert len([text for section, *_, text in stored if section == "problems"]) == 10
    assert (await _drafts(settings))[0].meta == {"name": "张三"}
