"""Complete conversations through the real PTB stack and the in-process Bot API."""

from __future__ import annotations

import io
import re

from docx import Document as open_docx
from sqlalchemy import func, select

from bot.botapi import InProcessBotApi, TranscriptEntry
from bot.settings import Settings
from storage.db import Database
from storage.models import Answer, AnswerRevision, Draft, Measure
from tests.conftest import Chat, start_bot

PREAMBLE = (
    "按照县委关于开好本年度民主生活会的通知要求，会前我通读了规定书目，"
    "征求意见建议11条，与班子成员谈心谈话7人次。现将对照检查情况报告如下："
)

PROBLEMS = [
    "一是政治理论学习浮于表面。今年个人自学记录只有14篇，多是摘抄，结合分管的招商工作思考不够。\n"
    "二是执行请示报告制度不够严格。5月开发区项目调整时，先办后报，事后才向主要负责同志报告。",
    "党性锻炼有所放松。参加支部组织生活时以领导身份自居，全年在联系支部讲党课仅1次。",
    "1. 对群众诉求回应不及时。信访件“老旧小区加装电梯”一事拖了两个多月才协调。\n"
    "2. 落实财经纪律有松懈。3月一次接待超出标准，虽已自费补齐，但暴露出规矩意识不强。",
    "担当作为不够。对营商环境评价靠后的问题，满足于布置任务，没有亲自盯到底。",
    "履行“一岗双责”不到位。对分管科室干部提醒谈话只有2次，抓廉政风险点排查不细。",
]

CAUSES = "一是理想信念有所松懈。二是宗旨意识淡化。三是党性修养锤炼不够。"

MEASURES = [
    "坚持每周自学不少于4小时，2026年6月底前完成一篇调研报告。",
    "严格执行请示报告制度，重大事项事前报告，每季度对照检查一次。",
    "每月到联系点接访一次，群众诉求15个工作日内答复。",
]


async def _texts(settings: Settings) -> list[str]:
    """Every stored answer's text, in the order written."""
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        texts = list((await session.scalars(select(Answer.text).order_by(Answer.id))).all())
    await db.dispose()
    return texts


async def _setup_personal_2025(chat: Chat) -> None:
    await chat.say("/start")
    await chat.press("开始写材料")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("2026年1月15日")
    await chat.say("张三")
    await chat.say("县商务局")
    await chat.say("局长")


async def test_full_personal_material_from_start_to_docx(chat: Chat, settings: Settings) -> None:
    await _setup_personal_2025(chat)
    assert "第1/7部分 · 导语" in chat.last_text()

    await chat.say(PREAMBLE)
    assert "第2/7部分 · 上年度民主生活会查摆问题整改落实情况" in chat.last_text()
    await chat.press("跳过本部分")

    for index, answer in enumerate(PROBLEMS, start=1):
        text = chat.last_text()
        assert "存在的主要问题" in text
        assert "第3/7部分" in text
        await chat.say(answer)
        await chat.press("本方面填写完毕")
        del index

    # 2025 adds two required matters of its own
    assert "八项规定学习教育整改整治情况" in chat.last_text()
    await chat.say("对照学习教育查摆的3个问题已全部完成整改：公务接待、公车使用、会议精简。")
    assert "反面典型案例剖析" in chat.last_text()
    await chat.say("以本县通报的违规收送礼金案为镜鉴，我对照检查出人情往来把关不严的问题。")

    assert "产生问题的原因" in chat.last_text()
    reply = await chat.say(CAUSES)
    assert "已拆分为3条" in reply
    await chat.press("本部分填写完毕")

    assert "努力方向和整改措施" in chat.last_text()
    for measure in MEASURES:
        await chat.say(measure)
    await chat.press("本部分填写完毕")

    assert "整改时限 · 第1/3条措施" in chat.last_text()
    reply = await chat.say("2026年6月底前")
    assert "整改时限：2026年6月30日（周二）" in reply
    assert "第2/3条措施" in chat.last_text()
    reply = await chat.say("长期坚持")
    assert "回顾频次 · 第2/3条措施" in reply and "请选择回顾频次" in reply
    await chat.press("每季度")
    reply = await chat.say("尽快")
    assert "第3/3条措施" in reply and "例如" in reply
    reply = await chat.say("立行立改")
    assert "立行立改：" in reply and "到期前我会提醒您" in reply
    # Completing the draft runs the whole review once, whose verdict heads the overview: after
    # the answer's own confirmation, which it would otherwise cut off from its question.
    assert "全文审核" in reply and ("/check" in reply or "没有发现" in reply)
    assert reply.index("立行立改：") < reply.index("全文审核") < reply.index("全文概览")

    summary = chat.last_text()
    assert "张三同志2025年度民主生活会个人对照检查材料" in summary
    assert "各必填部分都已完成" in summary

    await chat.press("生成Word文档")
    documents = chat.api.documents(chat.user_id)
    assert documents[-1].filename == "张三_2025年度民主生活会个人对照检查材料.docx"
    paragraphs = [p.text for p in open_docx(io.BytesIO(documents[-1].data)).paragraphs if p.text.strip()]

    assert paragraphs[0] == "张三同志2025年度\n民主生活会个人对照检查材料"  # broken between words
    assert paragraphs[1] == "县商务局　局长　张三"
    assert paragraphs[2] == PREAMBLE
    assert paragraphs[-2:] == ["张三", "2026年1月15日"]  # 署名 and the meeting date close the text
    expected_order = [
        "一、存在的主要问题",
        "（一）在带头强化政治忠诚、提高政治能力方面",
        "一是政治理论学习浮于表面。",
        "二是执行请示报告制度不够严格。",
        "（二）在带头固本培元、增强党性方面",
        "党性锻炼有所放松。",  # the aspect's one point: no lone 一是
        "（三）在带头敬畏人民、敬畏组织、敬畏法纪方面",
        "一是对群众诉求回应不及时。",
        "二是落实财经纪律有松懈。",
        "（五）在带头坚决扛起管党治党责任方面",
        "二、八项规定学习教育整改整治情况",
        "三、反面典型案例剖析",
        "四、产生问题的原因",
        "（一）理想信念有所松懈。",
        "（三）党性修养锤炼不够。",
        "五、努力方向和整改措施",
        "（一）坚持每周自学不少于4小时",
        "（三）每月到联系点接访一次",
    ]
    positions = [next(i for i, p in enumerate(paragraphs) if p.startswith(e)) for e in expected_order]
    assert positions == sorted(positions), list(zip(expected_order, positions, strict=True))

    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Measure)) == 3
        problems = await session.scalar(
            select(func.count()).select_from(Answer).where(Answer.section == "problems")
        )
        assert problems == 7
        draft = await session.scalar(select(Draft))
        assert draft is not None and draft.completed and draft.meta["name"] == "张三"
    await db.dispose()


async def test_resume_after_restart_in_the_middle_of_a_section(settings: Settings) -> None:
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        chat = Chat(harness)
        await _setup_personal_2025(chat)
        await chat.say(PREAMBLE)
        await chat.press("跳过本部分")
        await chat.say("理论学习不够系统。全年参加中心组学习12次，个人研讨发言仅2次。")
    # process "killed" and started again on the same database
    async with start_bot(settings, api) as harness:
        chat = Chat(harness)
        reply = await chat.say("/start")
        assert "进度：第3/7部分 · 存在的主要问题" in reply
        reply = await chat.press("继续填写")
        assert "已记下1条" in reply and "理论学习不够系统" in reply
        # a button from before the restart still works: it belongs to the current step
        reply = await chat.say("调查研究不深入。全年下基层9次，3次只听汇报。")
        assert "已记下二是" in reply
        await chat.press("本方面填写完毕")
        assert "（二）在带头固本培元、增强党性方面" in chat.last_text()


async def test_old_button_after_moving_on_shows_current_step(chat: Chat) -> None:
    await _setup_personal_2025(chat)
    old_prompt = chat.api.last_bot_message(chat.user_id)
    assert old_prompt is not None
    await chat.say(PREAMBLE)
    # the preamble prompt's "上一步" belongs to a step the user has left
    reply = _joined_press(
        await chat.harness.press(chat.user_id, "上一步", message_id=old_prompt["message_id"])
    )
    assert "这个按钮已经过期" in reply
    assert "上年度民主生活会查摆问题整改落实情况" in reply


def _joined_press(entries: list[TranscriptEntry]) -> str:
    return "\n".join(e.text or "" for e in entries)


async def test_going_back_and_editing_earlier_sections(chat: Chat, settings: Settings) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("上一步")
    text = chat.last_text()
    assert "第1/7部分 · 导语" in text and "当前内容" in text
    await chat.say("修改后的导语：会前广泛征求意见，现报告如下：")
    assert "已用新内容替换" in chat.last_text() or "上年度" in chat.last_text()

    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        texts = (await session.scalars(select(Answer.text).where(Answer.section == "preamble"))).all()
        assert texts == ["修改后的导语：会前广泛征求意见，现报告如下："]
        history = (await session.execute(select(AnswerRevision.action, AnswerRevision.text))).all()
        assert [tuple(row) for row in history] == [("edit", PREAMBLE)]
    await db.dispose()


async def test_summary_jump_returns_to_summary(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("组织生活会发言提纲")
    await chat.press("粘贴本地通知中的方面")
    reply = await chat.say("1. 学习贯彻党的创新理论情况\n2. 联系服务群众情况")
    assert "已记下2个方面" in reply
    await chat.press("2025年度")
    await chat.press("暂不确定")
    for _ in range(3):
        await chat.press("跳过")
    await chat.fill_until(lambda c: "全文约" in c.last_text())
    await chat.press("修改某一部分")
    await chat.press("（二）联系服务群众情况")
    assert "（二）联系服务群众情况" in chat.last_text()
    await chat.say("联系群众不经常。全年走访联系户只有3次。")
    await chat.press("本方面填写完毕")
    assert "全文约" in chat.last_text()
    assert "联系服务群众情况：2条" in chat.last_text()


async def test_the_year_is_changed_from_the_overview_or_from_checks_go_button(chat: Chat) -> None:
    """December: 2026's aspects are not collected, the user took 2025's theme and wrote 2026年度 in
    the preamble. /check's 去修改 beside the mismatch opens the theme step with the choice shown;
    the overview reaches it too, where the notice's aspects pasted for 2026 put the title right."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.press("暂不确定")
    for _ in range(3):
        await chat.press("跳过")
    await chat.say("根据县委关于召开2026年度民主生活会的通知要求，现将个人对照检查情况报告如下：")
    await chat.fill_until(lambda c: "全文约" in c.last_text())

    assert "标题写的是“2025年度”，导语写的是“2026年度”" in await chat.say("/check")
    rows = chat.api.buttons(chat.api.bot_messages(chat.user_id)[-1])
    row = next(r for r in rows if r[0].label.startswith("忽略：标题写的是"))
    assert [b.label for b in row][1:] == ["去修改"] and row[1].data is not None
    theme = await chat.press(row[1].data)
    assert "当前：2025年度民主生活会（5个方面）" in theme
    assert "全文约" in await chat.press("保持不变，下一步")

    await chat.press("修改某一部分")
    assert "当前：2025年度民主生活会（5个方面）" in await chat.press("年度和对照的方面")
    await chat.press("粘贴本地通知中的方面")
    await chat.say("\n".join(f"{n}. 在带头做好第{n}项工作方面" for n in range(1, 6)))
    overview = await chat.press("2026年度")
    assert "2026年度民主生活会个人对照检查材料" in overview and "全文约" in overview
    assert "标题写的是" not in await chat.say("/check")
    await chat.press("返回填写")
    await chat.press("修改某一部分")
    assert "当前：按本地通知粘贴的5个方面（2026年度）" in await chat.press("年度和对照的方面")


async def test_the_overview_names_a_notices_long_aspect_by_its_first_words(chat: Chat) -> None:
    """Notices of some years word an aspect in eighty characters: the overview, a list to choose
    from, names it by its first words and the 方面 that ends it (查看全文 gives it whole)."""
    long_aspect = (
        "带头牢记我们党是什么、要干什么这个根本问题，心怀“国之大者”，贯彻新发展理念，"
        "履职尽责、担当作为，不折不扣把党中央决策部署落实到位方面"
    )
    await chat.say("/new")
    await chat.press("组织生活会发言提纲")
    await chat.press("粘贴本地通知中的方面")
    await chat.say(f"1. 学习贯彻党的创新理论情况\n2. {long_aspect}")
    await chat.press("2025年度")
    await chat.press("暂不确定")
    for _ in range(3):
        await chat.press("跳过")
    await chat.fill_until(lambda c: "全文约" in c.last_text())
    assert "\n　✓ （二）带头牢记我们党是什么、要干什么这个根本问题，心怀…方面：1条" in chat.last_text()
    await chat.press("查看全文")
    assert f"\n（二）{long_aspect}\n" in chat.last_text()


async def test_pasted_numbered_block_is_split_and_edits_replace_items(chat: Chat, settings: Settings) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    reply = await chat.say(
        "（1）学习不够深入。只读了规定书目。\n（2）调研不够扎实。调研报告只有1篇。\n（3）批评不够大胆。"
    )
    assert "已拆分为3条，记为一是至三是" in reply
    message_id = chat.last_user_message_id()
    reply = await chat.edit(message_id, "一是学习不够深入。只读了规定书目，没有延伸学习。二是调研不够扎实。")
    assert "一是、二是" in reply

    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        texts = (
            await session.scalars(
                select(Answer.text).where(Answer.section == "problems").order_by(Answer.position)
            )
        ).all()
    await db.dispose()
    assert texts == ["学习不够深入。只读了规定书目，没有延伸学习。", "调研不够扎实。"]


async def test_bad_input_gets_a_clear_message_and_loses_nothing(chat: Chat, settings: Settings) -> None:
    await chat.say("/start")
    await chat.press("开始写材料")
    reply = await chat.say("随便说点什么")
    assert "请点击下面的按钮选择" in reply
    await chat.press("个人对照检查材料")
    await chat.press("2024年度民主生活会（4个方面）")
    reply = await chat.say("明年春天")
    assert "没能识别“明年春天”这个日期" in reply
    reply = await chat.say("2025-01-20")  # a year before "today": asked back, not stored at once
    assert "请确认会议日期" in reply and "已经过去11个月" in reply
    await chat.press("确认：2025年1月20日")
    reply = await chat.say("李四 <b>&")  # escaped when echoed, or the Bot API would reject the HTML
    assert "姓名里带有“<b>”这样的网页排版标记，没有记下。请只发送姓名本身的文字，如：李四 &。" in reply
    await chat.say("李四 <&")
    assert "已记下：李四 <&。" in chat.last_text()
    reply = _joined_press(await chat.harness.sticker(chat.user_id))
    assert "请以文字回复" in reply
    reply = _joined_press(await chat.harness.photo(chat.user_id))
    assert "请以文字回复" in reply
    assert "单位" in chat.last_text()
    await chat.say("县商务局。")  # a full stop typed as after a sentence is not part of the unit
    assert "已记下：县商务局。" in chat.last_text() and "。。" not in chat.last_text()
    reply = await chat.say("/nosuchcommand")
    assert "没有这个命令。发送 /help 查看可用命令" in reply
    reply = await chat.say("/cancle")  # a slip: the command meant is named, nothing is done
    assert "没有这个命令。您是想发送 /cancel 吗？" in reply and "职务" in reply

    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        draft = await session.scalar(select(Draft))
    await db.dispose()
    assert draft is not None and draft.meta == {"name": "李四 <&", "unit": "县商务局"}
    assert str(draft.meeting_date) == "2025-01-20"


async def test_long_answers_are_split_under_telegram_limit(chat: Chat) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    long_items = [
        f"理论学习不够系统，第{n}处表现。" + "具体表现为学习计划执行不到位，" * 90 for n in (1, 2, 3)
    ]
    for item in long_items:
        await chat.say(item[:1400])
    await chat.press("本方面填写完毕")
    await chat.press("上一步")
    listing = await chat.press("修改条目")
    # Each item is listed in full (three of 1,400 characters), spread over several messages.
    assert "请选择要修改的一条" in listing and all(item[:1400] in listing for item in long_items)


async def test_an_item_sent_twice_is_stored_once(chat: Chat, settings: Settings) -> None:
    """A message sent again (a double tap, a block pasted again with one more item) adds nothing
    twice: the user hears which items were there already."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    first = "学习不够深入。只读了规定书目，没有延伸学习。"
    second = "调研不够扎实。全年调研报告只有1篇。"
    await chat.say(f"一是{first}\n二是{second}")
    reply = await chat.say(second)
    assert "这一条与已记下的二是相同，像是重复发送了，没有再记一次。本方面共2条" in reply
    reply = await chat.say(
        f"1. {first}\n2. {second}\n3. 批评不够大胆。今年支部会上没有对同事提出过批评意见。"
    )
    assert "已记下三是。另有2条与已记下的一是、二是相同，没有重复记录。本方面共3条" in reply

    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        texts = (await session.scalars(select(Answer.text).where(Answer.section == "problems"))).all()
    await db.dispose()
    assert len(texts) == 3


async def test_cancel_keeps_everything_and_drafts_lists_and_switches(chat: Chat) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    reply = await chat.say("/cancel")
    assert "已暂停填写" in reply
    # Paused, not gone: what is sent next is stored nowhere, and the bot offers the material
    # instead of telling the user he has none.
    title = "张三同志2025年度民主生活会个人对照检查材料"
    reply = await chat.say("这段话不应被当成答案")
    assert reply.startswith("这条消息没有记下。\n填写已暂停。") and "当前没有" not in reply
    assert f"要接着写《{title}》（进度：第2/7部分 · 上年度民主生活会查摆问题整改落实情况）" in reply
    assert chat.labels() == ["继续填写", "新建材料", "我的材料"]
    reply = await chat.say("撤销最后一条")  # a step's button typed: nothing to undo while paused
    assert reply.startswith("“撤销最后一条”没有记入材料。\n填写已暂停。")
    reply = await chat.say("继续填写")  # the label typed resumes it, as its button does
    assert reply.startswith("接着上次的位置继续：") and "上年度民主生活会查摆问题整改落实情况" in reply
    await chat.say("/cancel")
    await chat.say("这段话也不应被当成答案")
    reply = await chat.press("继续填写")
    assert "接着上次的位置继续：" in reply
    await chat.say("/cancel")
    for command in ("/status", "/check", "/report"):  # what the material is for, paused or not
        reply = await chat.say(command)
        assert reply.startswith(f"填写已暂停。要接着写《{title}》") and chat.labels()[0] == "继续填写"
    await chat.say("/new")
    await chat.press("领导班子对照检查材料")
    reply = await chat.say("/drafts")
    assert "张三同志2025年度民主生活会个人对照检查材料" in reply
    assert "领导班子" in reply or "未命名材料" in reply
    await chat.press("2. 打开")
    assert "已切换到《张三同志2025年度民主生活会个人对照检查材料》" in chat.last_text()
    assert "上年度民主生活会查摆问题整改落实情况" in chat.last_text()


async def test_the_overview_and_check_count_the_same_characters(chat: Chat) -> None:
    await _setup_personal_2025(chat)
    await chat.fill_until(lambda c: "全文约" in c.last_text())
    overview = re.search(r"全文约(\d+)字", chat.last_text())
    reply = await chat.say("/check")
    review = re.search(r"全文约(\d+)字", reply)  # a short material: length.total names its count
    assert overview and review and overview.group(1) == review.group(1)


async def test_a_material_written_through_is_measured_before_its_deadlines_are_set(chat: Chat) -> None:
    """A Word file may be made while the deadlines are still asked: /check then measures the text,
    which the deadlines do not lengthen."""
    await _setup_personal_2025(chat)
    await chat.fill_until(lambda c: "整改时限 · 第1/" in c.last_text())
    assert re.search(r"全文约\d+字，少于这类材料通常的\d+字", await chat.say("/check"))


async def test_status_shows_the_problems_level_above_its_aspects(chat: Chat) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.say("上年度查摆问题5条，已完成整改4条，需长期坚持1条。")  # the list's lead
    assert "○ 一、上年度民主生活会查摆问题整改落实情况：只有开头一段" in await chat.say("/status")
    await chat.press("继续填写")
    await chat.say("理论学习计划落实不到位。已制定季度学习清单，完成率由六成提高到九成。")
    await chat.press("本部分填写完毕")
    await chat.say(PROBLEMS[0])
    await chat.press("本方面填写完毕")
    lines = (await chat.say("/status")).splitlines()
    start = lines.index("二、存在的主要问题")  # numbered as in the file, after 一、上年度…
    assert any(line.startswith("✓ 一、上年度民主生活会查摆问题整改落实情况") for line in lines)
    assert lines[start + 1].startswith("　✓ （一）在带头强化政治忠诚、提高政治能力方面：2条")
    assert lines[start + 2].startswith("　○ （二）在带头固本培元、增强党性方面：未填写")


async def test_a_whole_material_pasted_as_the_preamble_is_not_stored(chat: Chat, settings: Settings) -> None:
    """The first step asks for the preamble; a cadre with a finished material pastes all of it. It
    is not stored as a 导语 of two thousand characters: he is offered to fill the parts from it
    (tests/test_pasted_material.py), and may send the preamble alone instead."""
    await _setup_personal_2025(chat)
    whole = (
        f"{PREAMBLE}\n一、存在的主要问题\n（一）在带头强化政治忠诚、提高政治能力方面\n"
        "理论学习不够系统。今年自学笔记只有9篇。\n二、产生问题的原因\n理想信念有所松懈。\n"
        "三、努力方向和整改措施\n2026年6月底前完成专题学习。"
    )
    reply = await chat.say(whole)
    assert "有材料各部分的标题，我先不作为导语保存" in reply and "按这段内容分到各部分" in chat.labels()
    assert "第1/7部分 · 导语" in chat.last_text()
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        assert (await session.scalars(select(Answer.text))).all() == []
    await db.dispose()
    assert "已保存" in await chat.say(PREAMBLE)


async def test_cancel_closes_the_question_of_an_items_new_wording(chat: Chat, settings: Settings) -> None:
    """/cancel after 修改 leaves the item as it was: the next text is not taken for its new wording."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await chat.say("学习不够深入。只读了规定书目，没有延伸学习。")
    await chat.press("修改条目")
    await chat.press("学习不够深入。只读了规定书目")
    await chat.press("修改")
    reply = await chat.say("/cancel")
    assert "已取消刚才的提问" in reply and "已暂停填写" in reply
    assert "这条消息没有记下" in await chat.say("调研不够扎实。全年调研报告只有1篇。")
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        texts = (await session.scalars(select(Answer.text).where(Answer.section == "problems"))).all()
    await db.dispose()
    assert texts == ["学习不够深入。只读了规定书目，没有延伸学习。"]


async def test_my_drafts_button_on_the_welcome_lists_the_drafts(chat: Chat) -> None:
    """/start offers 我的材料 beside 继续填写 to someone with a draft; pressing it lists his drafts."""
    await _setup_personal_2025(chat)
    await chat.say("/start")
    reply = await chat.press("我的材料")
    assert "出了点问题" not in reply
    assert "张三同志2025年度民主生活会个人对照检查材料" in reply
    assert "1. 打开" in chat.labels()


async def test_a_branch_named_as_its_unit_is_not_named_twice_in_the_title(chat: Chat) -> None:
    """A branch committee writes its unit as the branch (局机关第二党支部): the title (the chat's,
    the Word file's) says 局机关第二党支部班子…, not 局机关第二党支部党支部班子…."""
    await chat.say("/start")
    await chat.press("开始写材料")
    await chat.press("党支部班子对照检查材料")
    await chat.press("通用组织生活会（4个方面）")
    await chat.meeting_date("2026年1月15日")
    reply = await chat.say("局机关第二党支部")
    assert "第1/5部分 · 导语" in reply
    reply = await chat.say("/status")
    assert "局机关第二党支部班子2025年度组织生活会对照检查材料" in reply
    assert "党支部党支部" not in reply


async def test_skipping_a_written_part_asks_whether_to_delete_it(chat: Chat, settings: Settings) -> None:
    """跳过本部分 where the part is already written does not leave it silently in the material: the
    user is told, and either deletes it (it is gone from the file) or keeps it."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.say("一是学习不够系统的问题已整改。二是调研不深的问题持续整改。")
    reply = await chat.press("跳过本部分")
    assert "已写了2条" in reply and "仍会写入材料" in reply
    assert chat.labels()[:2] == ["删去本部分内容", "保持不变，下一步"]
    reply = await chat.press("删去本部分内容")
    assert "已删去这一部分的内容" in reply and "存在的主要问题" in reply
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        texts = list((await session.scalars(select(Answer.text))).all())
    await db.dispose()
    assert not any("调研不深" in t for t in texts)
    await chat.say("/start")
    await chat.press("继续填写")
    await chat.press("上一步")
    reply = await chat.press("跳过本部分")  # nothing written now: skipped at once
    assert "已跳过这一部分" in reply


async def test_an_example_speaks_of_the_year_the_material_is_written_for(chat: Chat) -> None:
    """看示例 while writing a 2026年度 material shows 2026年度 and deadlines in 2027, not a year past."""
    await chat.say("/start")
    await chat.press("开始写材料")
    await chat.press("组织生活会发言提纲")
    await chat.press("通用组织生活会（4个方面）")
    await chat.meeting_date("2027年1月20日")
    await chat.press("跳过")
    await chat.press("跳过")
    await chat.press("跳过")
    reply = await chat.press("看示例")
    assert "2026年度组织生活会" in reply and "2025年度" not in reply


async def test_problems_pasted_under_their_aspects_headings_go_to_those_aspects(chat: Chat) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    reply = await chat.say(
        "（一）在带头强化政治忠诚、提高政治能力方面\n"
        "一是政治理论学习浮于表面。今年自学记录只有14篇。二是请示报告不够及时。\n"
        "（二）在带头固本培元、增强党性方面\n"
        "党性锻炼有所放松。全年讲党课仅1次。"
    )
    assert "按方面标题分开记下：（一）2条、（二）1条" in reply
    assert "本方面共2条" in reply
    await chat.press("本方面填写完毕")
    second = chat.last_text()
    assert "（二）在带头固本培元、增强党性方面" in second
    assert "已记下1条：\n党性锻炼有所放松。全年讲党课仅1次。" in second
    await chat.press("上一步")
    first = chat.last_text()
    assert "一是政治理论学习浮于表面。今年自学记录只有14篇。" in first
    assert "在带头固本培元" not in first.split("已记下")[1]


async def test_an_aspects_own_heading_over_its_points_is_left_out_and_said_so(chat: Chat) -> None:
    """Pasted over the points of the aspect being written, its heading in the writer's own short words
    is no lead of the aspect (the .docx would print it under the aspect's own heading)."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await chat.say("理论学习不够系统，今年自学笔记只有3篇。")
    await chat.press("本方面填写完毕")
    reply = await chat.say("在增强党性方面：\n1.党性锻炼有所放松，今年有2次因事请假。\n2.斗争精神不强。")
    assert "“在增强党性方面：”是这一方面的标题，材料中的标题由我统一编排，没有记为内容。" in reply
    assert "已拆分为2条" in reply and "引言" not in reply
    rewritten = "在增强党性方面：\n1.党性锻炼有所放松，今年有3次因事请假。\n2.斗争精神不强。"
    edited = await chat.edit(chat.last_user_message_id(), rewritten)  # heading kept: said again, no lead
    assert "“在增强党性方面：”是这一方面的标题" in edited and "已按您修改后的消息" in edited
    assert "（开头）" not in await chat.press("修改条目")


async def _slot_texts(settings: Settings, section: str) -> list[tuple[str, str]]:
    """The (role, text) of a section's stored answers in list order."""
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        rows = await session.execute(
            select(Answer.role, Answer.text)
            .where(Answer.section == section)
            .order_by(Answer.aspect, Answer.position)
        )
        found = [(str(role), text) for role, text in rows]
    await db.dispose()
    return found


async def test_a_part_pasted_with_its_own_heading_keeps_the_heading_out(
    chat: Chat, settings: Settings
) -> None:
    """A part copied with its heading (一、上年度问题整改情况): the material titles its parts itself, so
    the heading line is said to be left out, and the summary and points under it are stored as
    they would be without it, also when the message is edited; a heading sent alone stores nothing."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    reply = await chat.say("一、上年度问题整改情况")
    assert "是这一部分的标题" in reply and "不用发送" in reply
    reply = await chat.say(
        "一、上年度问题整改情况\n2024年度民主生活会查摆问题2条，均已完成整改。\n"
        "1.理论学习不系统。制定学习计划，全年自学笔记2万字。\n2.调研不深入。全年调研12次，形成报告2篇。"
    )
    assert "第一行“一、上年度问题整改情况”是这一部分的标题" in reply
    assert "已拆分为2条" in reply
    expected = [
        ("lead", "2024年度民主生活会查摆问题2条，均已完成整改。"),
        ("item", "理论学习不系统。制定学习计划，全年自学笔记2万字。"),
        ("item", "调研不深入。全年调研12次，形成报告2篇。"),
    ]
    assert sorted(await _slot_texts(settings, "last_year")) == sorted(expected)
    await chat.edit(
        chat.last_user_message_id(),
        "一、上年度问题整改情况\n2024年度民主生活会查摆问题2条，均已完成整改。\n"
        "1.理论学习不系统。制定学习计划，全年自学笔记3万字。\n2.调研不深入。全年调研12次，形成报告2篇。",
    )
    assert sorted(await _slot_texts(settings, "last_year")) == sorted(
        [expected[0], ("item", "理论学习不系统。制定学习计划，全年自学笔记3万字。"), expected[2]]
    )


async def test_problems_headed_by_aspects_of_their_own_are_not_stored_in_one(
    chat: Chat, settings: Settings
) -> None:
    """Problems pasted under aspects the draft does not have (（一）理论学习方面) would be stored as
    two items each holding its points, in the aspect at hand: nothing is stored, and the reply
    names the draft's aspects and the one being written."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    reply = await chat.say(
        "二、存在的主要问题\n（一）理论学习方面\n一是学习缺乏计划性。今年自学不足40小时。\n"
        "（二）工作作风方面\n工作不够细致。8月审核支出时漏看1处重复列支。"
    )
    assert "按“（一）理论学习方面”、“（二）工作作风方面”分了方面，和本材料的方面不同，没有记下" in reply
    assert "本材料的方面是：（一）在带头强化政治忠诚、提高政治能力方面、" in reply
    assert "现在填写的是（一）在带头强化政治忠诚、提高政治能力方面" in reply
    assert "是这一部分的标题" not in reply  # nothing was stored, the heading went with the rest
    assert await _slot_texts(settings, "problems") == []
    reply = await chat.say("（二）在带头固本培元、增强党性方面")  # copied a line at a time
    assert "只有方面标题，没有内容" in reply
    assert "现在填写的是（一）在带头强化政治忠诚、提高政治能力方面" in reply
    assert await _slot_texts(settings, "problems") == []


async def test_a_check_that_found_nothing_is_an_answer_though_it_words_the_aspect(
    chat: Chat, settings: Settings
) -> None:
    """A 自查自纠报告 answers a checkpoint that was clean as its guide says, “经自查，未发现……”, in the
    checkpoint's own words: stored as the aspect's point, not refused as its heading sent alone."""
    await chat.say("/new")
    await chat.press("自查自纠报告")
    await chat.say("1. 公务接待是否严格执行标准\n2. 有无在内部食堂违规宴请、借培训会议名义吃喝")
    await chat.press("2026年度")
    await chat.press("暂不确定")
    await chat.fill_until(
        lambda c: "（二）有无在内部食堂" in c.last_text() and "本方面填写完毕" in c.labels()
    )
    clean = "经自查，未发现内部食堂违规宴请和借培训会议名义吃喝问题。"
    reply = await chat.say(clean)
    assert "已记下。" in reply and "只有方面标题" not in reply
    assert ("item", clean) in await _slot_texts(settings, "problems")
    reply = await chat.say("有无在内部食堂违规宴请、借培训会议名义吃喝")  # the heading itself still is one
    assert "只有方面标题，没有内容" in reply
    pasted = "经自查，未发现借培训会议名义吃喝问题。"  # pasted under its heading: the heading left out
    reply = await chat.say(f"（二）有无在内部食堂违规宴请、借培训会议名义吃喝\n{pasted}")
    assert "只有方面标题" not in reply
    assert ("item", pasted) in await _slot_texts(settings, "problems")


async def test_a_heading_of_an_extra_part_sent_to_an_aspect_is_not_stored_there(
    chat: Chat, settings: Settings
) -> None:
    """The year's extra parts (八项规定…, 反面典型案例剖析) are parts of their own: their heading, alone
    or with the part under it, sent while an aspect's problems are asked would be stored as problems
    of that aspect. Nothing is stored, the problems written stay, and the reply names the part the
    heading is of, with a button to it; a problem that merely names 八项规定 is still a problem."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    first = "政治理论学习浮于表面。今年个人自学记录只有14篇，多是摘抄。"
    await chat.say(first)
    reply = await chat.say(
        "四、严格落实中央八项规定精神方面存在的问题\n一是公务接待把关不严，3月一次接待超标准。\n"
        "二是公车使用登记不规范。"
    )
    assert (
        "“四、严格落实中央八项规定精神方面存在的问题”是“八项规定学习教育整改整治情况”这一部分的标题，"
        "这段内容没有记在“（一）在带头强化政治忠诚、提高政治能力方面”下，已记下的不受影响。"
    ) in reply
    assert "发送时不用带标题" in reply and chat.labels()[0] == "修改：八项规定学习教育整改整治情况"
    reply = await chat.say("五、反面典型案例剖析")
    assert "“五、反面典型案例剖析”是“反面典型案例剖析”这一部分的标题" in reply
    assert await _slot_texts(settings, "problems") == [("item", first)]
    named = "落实中央八项规定精神不够严格。3月一次接待超出标准，虽已自费补齐，但规矩意识不强。"
    assert "已记下" in await chat.say(named)
    assert await _slot_texts(settings, "problems") == [("item", first), ("item", named)]
    reply = await chat.press("修改：反面典型案例剖析")
    assert "反面典型案例剖析" in reply and "请直接发送这一部分的内容" in reply


async def test_an_edited_answer_passes_the_guards_a_message_sent_there_passes(
    chat: Chat, settings: Settings
) -> None:
    """Editing the message of an aspect's answer into a block headed by an extra part, or by aspects
    the draft does not have, is refused as the same block sent would be: the aspect keeps what it
    had, the reply says the edit was not taken, and the extra part's button leads to that part."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    first = "政治理论学习浮于表面。今年个人自学记录只有14篇，多是摘抄。"
    await chat.say(first)
    sent = chat.last_user_message_id()
    reply = await chat.edit(
        sent, "四、严格落实中央八项规定精神方面存在的问题\n一是公务接待把关不严，3月一次接待超标准。"
    )
    assert (
        "“四、严格落实中央八项规定精神方面存在的问题”是“八项规定学习教育整改整治情况”这一部分的标题，"
        "这次修改没有记入，“（一）在带头强化政治忠诚、提高政治能力方面”中仍是修改前的文字。"
    ) in reply
    assert chat.labels() == ["修改：八项规定学习教育整改整治情况"]
    assert await _slot_texts(settings, "problems") == [("item", first)]
    reply = await chat.edit(
        sent,
        "（一）理论学习方面\n一是学习缺乏计划性。今年自学不足40小时。\n"
        "（二）工作作风方面\n工作不够细致。8月审核支出时漏看1处重复列支。",
    )
    assert "修改后的消息按“（一）理论学习方面”、“（二）工作作风方面”分了方面，和本材料的方面不同" in reply
    assert "这次修改没有记入" in reply and "本材料的方面是：（一）在带头强化政治忠诚、" in reply
    assert await _slot_texts(settings, "problems") == [("item", first)]
    reply = await chat.edit(sent, "（二）在带头固本培元、增强党性方面")  # the heading alone
    assert "修改后的消息只有方面标题，没有内容，这次修改没有记入" in reply
    assert await _slot_texts(settings, "problems") == [("item", first)]
    rewritten = "政治理论学习浮于表面。今年个人自学记录只有9篇，多是摘抄。"
    assert "已按您修改后的消息更新" in await chat.edit(sent, rewritten)
    assert await _slot_texts(settings, "problems") == [("item", rewritten)]
    reply = await chat.press("修改：八项规定学习教育整改整治情况")  # the refusal's button still leads there
    assert "八项规定学习教育整改整治情况" in reply and "请直接发送这一部分的内容" in reply


async def test_a_heading_of_another_part_sent_to_the_causes_or_measures_is_not_stored_there(
    chat: Chat, settings: Settings
) -> None:
    """A part's heading pasted at the causes or the measures, with the part under it (五、反面典型案例
    剖析 after a cause, 三、整改措施 edited into one), would be stored as a cause or a measure, as
    二、原因分析 edited into a problem would be one: nothing is stored or changed, and the reply names
    the part the heading is of, with a button to it."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await chat.say(PROBLEMS[1])
    reply = await chat.edit(
        chat.last_user_message_id(), f"{PROBLEMS[1]}\n二、原因分析\n一是理想信念有所松懈。"
    )
    assert "“二、原因分析”是“产生问题的原因”这一部分的标题，这次修改没有记入" in reply
    assert "“产生问题的原因”在各方面之后单独成部分" in reply
    assert chat.labels() == ["修改：产生问题的原因"]
    assert await _slot_texts(settings, "problems") == [("item", PROBLEMS[1])]
    await chat.fill_until(lambda c: "产生问题的原因" in c.last_text() and "本部分填写完毕" in c.labels())
    reply = await chat.say("一是理想信念有所松懈。\n五、反面典型案例剖析\n以本县通报的违规收送礼金案为镜鉴。")
    assert (
        "“五、反面典型案例剖析”是“反面典型案例剖析”这一部分的标题，这段内容没有记在“产生问题的原因”下，"
        "已记下的不受影响。“反面典型案例剖析”在“产生问题的原因”之前单独成部分"
    ) in reply
    assert chat.labels()[0] == "修改：反面典型案例剖析"
    assert await _slot_texts(settings, "causes") == []
    cause = "理想信念有所松懈。对理论学习的重要性认识不足，满足于完成规定动作。"
    await chat.say(cause)
    reply = await chat.edit(chat.last_user_message_id(), f"{cause}\n三、整改措施\n1. 每周自学不少于4小时。")
    assert "“三、整改措施”是“努力方向和整改措施”这一部分的标题，这次修改没有记入" in reply
    assert "“努力方向和整改措施”在“产生问题的原因”之后单独成部分" in reply
    assert chat.labels() == ["修改：努力方向和整改措施"]
    assert await _slot_texts(settings, "causes") == [("item", cause)]
    await chat.press("本部分填写完毕")
    reply = await chat.say(
        "1. 每周自学不少于4小时。\n四、严格落实中央八项规定精神方面存在的问题\n公务接待把关不严。"
    )
    assert "是“八项规定学习教育整改整治情况”这一部分的标题，这段内容没有记在“努力方向和整改措施”下" in reply
    assert chat.labels()[0] == "修改：八项规定学习教育整改整治情况"
    assert await _slot_texts(settings, "measures") == []
    # The causes' heading alone, the causes written: no "whole material", the part named, one press away.
    reply = await chat.say("二、产生问题的原因")
    assert "“二、产生问题的原因”是“产生问题的原因”这一部分的标题" in reply and "整篇材料" not in reply
    assert chat.labels()[0] == "修改：产生问题的原因"


async def test_a_preamble_finished_in_a_second_message_is_joined_to_it(
    chat: Chat, settings: Settings
) -> None:
    """On a phone the preamble's closing formula often comes as a message of its own: it ends the
    preamble, not opens the next part as its lead."""
    await _setup_personal_2025(chat)
    await chat.say("会前我学习了规定书目，征求意见建议11条")
    assert "上年度民主生活会查摆问题整改落实情况" in chat.last_text()
    reply = await chat.say("现将个人对照检查情况报告如下：")
    assert "是导语的结尾，已接在导语末尾" in reply
    assert "上年度民主生活会查摆问题整改落实情况" in reply and "开头一段" not in reply

    assert await _texts(settings) == [
        "会前我学习了规定书目，征求意见建议11条。现将个人对照检查情况报告如下："
    ]


async def test_a_fragment_sent_as_the_preamble_is_pointed_out_and_can_be_rewritten(
    chat: Chat, settings: Settings
) -> None:
    """A unit's name sent again where the 导语 is asked is saved, as any answer is, but the note says
    it is no preamble, and 上一步 replaces it with the real one."""
    await _setup_personal_2025(chat)
    reply = await chat.say("县商务局党组")
    assert "导语只有6个字" in reply and "上年度民主生活会查摆问题整改落实情况" in reply
    await chat.press("上一步")
    preamble = "按照县委通知要求，会前我学习了规定书目，现将个人对照检查情况报告如下："
    reply = await chat.say(preamble)
    assert "导语只有" not in reply
    assert await _texts(settings) == [preamble]


async def test_an_aspect_of_one_point_is_printed_without_a_number_and_imported_back_alike(
    chat: Chat, settings: Settings
) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await chat.say(f"对照要求，本人在这方面主要存在以下问题：\n一是{PROBLEMS[1]}")
    await chat.press("本方面填写完毕")
    await chat.say(PROBLEMS[0])
    await chat.press("本方面填写完毕")
    await chat.fill_until(lambda c: "生成Word文档" in c.labels())

    page = await chat.press("查看全文")
    assert "本人在这方面主要存在以下问题：\n党性锻炼有所放松。" in page
    assert "一是党性锻炼" not in page and "\n一是政治理论学习浮于表面。" in page
    await chat.press("生成Word文档")
    if "仍然生成" in chat.labels():
        await chat.press("仍然生成")
    word = chat.api.documents(chat.user_id)[-1]
    paragraphs = [p.text for p in open_docx(io.BytesIO(word.data)).paragraphs]
    aspect = paragraphs.index("（一）在带头强化政治忠诚、提高政治能力方面")
    assert paragraphs[aspect + 1 : aspect + 3] == [
        "对照要求，本人在这方面主要存在以下问题：",
        "党性锻炼有所放松。参加支部组织生活时以领导身份自居，全年在联系支部讲党课仅1次。",
    ]
    assert "一是学习不够深入。今年只参加集中学习2次，自学笔记不到10篇。" not in paragraphs  # fill_until's

    await chat.harness.upload(chat.user_id, word.filename, word.data, "application/octet-stream")
    assert "已导入为新材料" in await chat.press("导入为新材料，继续修改")
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        # The lists; the theme's own matters (八项规定…) come back as one 需要说明的事项 part.
        lists = Answer.section.in_(["problems", "causes", "measures"])
        rows = await session.execute(
            select(
                Answer.draft_id, Answer.section, Answer.aspect, Answer.role, Answer.position, Answer.text
            ).where(lists)
        )
        by_draft: dict[int, set[tuple[object, ...]]] = {}
        for draft_id, *node in rows:
            by_draft.setdefault(draft_id, set()).add(tuple(node))
    await db.dispose()
    written, imported = by_draft.values()
    assert imported == written


async def _listed(chat: Chat) -> list[str]:
    """The step's points as 修改条目 lists them, then back to writing the step."""
    listed = (await chat.press("修改条目")).split("请选择要修改的一条：\n", 1)[1].split("\n")
    await chat.press("返回继续填写")
    return listed


async def test_a_list_of_one_is_marked_in_the_chat_as_the_docx_prints_it(chat: Chat) -> None:
    """The chat's lists mark a lone point as the file prints it, without a 一是 no 二是 follows, and
    two points 一是、二是: 修改条目, the list shown again, the notices and the .docx agree."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    assert "已记下。本方面共1条" in await chat.say(PROBLEMS[1])
    alone = await _listed(chat)
    assert alone == [PROBLEMS[1]] and chat.labels()[0] == "本方面填写完毕"
    await chat.press("本方面填写完毕")
    assert "已拆分为2条，记为一是、二是" in await chat.say(PROBLEMS[0])
    two = await _listed(chat)
    assert [line[:2] for line in two] == ["一是", "二是"]
    await chat.press("本方面填写完毕")
    shown = await chat.press("上一步") + await chat.press("上一步")
    assert f"已记下1条：\n{PROBLEMS[1]}\n" in shown
    await chat.press("本方面填写完毕")
    await chat.press("本方面填写完毕")
    await chat.fill_until(lambda c: "生成Word文档" in c.labels())

    await chat.press("生成Word文档")
    if "仍然生成" in chat.labels():
        await chat.press("仍然生成")
    word = chat.api.documents(chat.user_id)[-1]
    paragraphs = [p.text for p in open_docx(io.BytesIO(word.data)).paragraphs]
    first = paragraphs.index("（一）在带头强化政治忠诚、提高政治能力方面")
    second = paragraphs.index("（二）在带头固本培元、增强党性方面")
    assert paragraphs[first + 1 : second] == alone
    assert paragraphs[second + 1 : second + 3] == two


async def _drafts(settings: Settings) -> list[Draft]:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        drafts = list(await session.scalars(select(Draft)))
    await db.dispose()
    return drafts


async def test_a_new_material_is_created_only_when_its_kind_is_chosen(settings: Settings) -> None:
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        chat = Chat(harness)
        await chat.say("/start")
        await chat.press("开始写材料")
        assert "请选择要写的材料类型" in chat.last_text()
        reply = await chat.say("张三")
        assert "这条消息没有记入材料：新材料还没有选择类型" in reply and "个人对照检查材料" in chat.labels()
        assert await _drafts(settings) == []
        listed = api.last_bot_message(chat.user_id)
        assert listed is not None
    # killed and started again: the list's buttons still work, once
    async with start_bot(settings, api) as harness:
        chat = Chat(harness)
        reply = await chat.press("个人对照检查材料")
        assert "好的，写个人对照检查材料" in reply and "请选择年度和会议主题" in reply
        again = await harness.press(chat.user_id, "个人对照检查材料", message_id=listed["message_id"])
        assert "这个按钮已经过期" in "\n".join(e.text or "" for e in again)
        assert [d.kind for d in await _drafts(settings)] == ["personal_dsh"]


async def test_a_kind_list_left_unanswered_leaves_no_draft(chat: Chat, settings: Settings) -> None:
    await _setup_personal_2025(chat)
    await chat.say("/new")
    listed = chat.api.last_bot_message(chat.user_id)
    assert listed is not None
    reply = await chat.say("/drafts")  # leaves the kind list
    assert "未命名" not in reply and len(await _drafts(settings)) == 1
    late = await chat.harness.press(chat.user_id, "领导班子对照检查材料", message_id=listed["message_id"])
    assert "这个按钮已经过期" in "\n".join(e.text or "" for e in late) and len(await _drafts(settings)) == 1
    await chat.say("/start")
    assert "第1/7部分 · 导语" in await chat.press("继续填写")  # the draft being written is still there


async def test_a_word_said_to_the_bot_is_not_stored_as_the_material(chat: Chat, settings: Settings) -> None:
    """好的, 确定, 收到… typed on a phone answer the bot, not the material: neither the 导语 nor a list
    keeps them, and the bot says so; a sentence that starts with such a word is material."""
    await _setup_personal_2025(chat)
    reply = await chat.say("好的")
    assert (
        reply.startswith("“好的”像是回复我的话，不是材料内容，我先不记录。") and "第1/7部分 · 导语" in reply
    )
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    for word in ("确定", "是的。", "收到！", "确定删除", "OK"):
        reply = await chat.say(word)
        assert "像是回复我的话，不是材料内容，我先不记录" in reply and "已记下" not in reply
    reply = await chat.say("确定的学习计划没有落实。今年计划自学12次，实际只完成5次。")
    assert reply.startswith("已记下。本方面共1条。")

    assert await _texts(settings) == [PREAMBLE, "确定的学习计划没有落实。今年计划自学12次，实际只完成5次。"]


async def test_a_question_put_to_the_bot_is_answered_not_stored(chat: Chat, settings: Settings) -> None:
    """怎么写？ 不知道写什么 帮助 sent by someone unsure of a step point to its guide and example; 示例
    shows the example; a sentence that merely holds such words (不懂装懂) is material."""
    await _setup_personal_2025(chat)
    reply = await chat.say("这里写什么？")
    assert reply.startswith("“这里写什么？”像是在问我，不是材料内容，我先不记录。") and "第1/7部分" in reply
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    for question in ("怎么写？", "不知道写什么😭", "帮助", "有范文吗"):
        reply = await chat.say(question)
        assert "像是在问我" in reply and "点“看示例”可以看一段参考写法" in reply and "已记下" not in reply
    assert "参考写法（第3/7部分" in await chat.say("示例")
    await chat.press("返回继续填写")
    reply = await chat.say("存在不懂装懂现象。今年3月审议供水项目时没有核实数据。")
    assert reply.startswith("已记下。本方面共1条。")

    assert await _texts(settings) == [PREAMBLE, "存在不懂装懂现象。今年3月审议供水项目时没有核实数据。"]


async def test_a_command_typed_with_a_chinese_slash_is_not_stored(chat: Chat) -> None:
    """／check or 、new (a Chinese keyboard's slash) is no command to Telegram: it is named, not kept."""
    await _setup_personal_2025(chat)
    reply = await chat.say("、cancel")  # at the 导语, a text part
    assert reply.startswith("“、cancel”像是命令，不是材料内容，我先不记录。") and "如 /cancel" in reply
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    reply = await chat.say("／check")
    assert "像是命令" in reply and "如 /check" in reply and "已记下" not in reply


async def test_a_word_to_the_bot_at_the_name_is_not_taken_for_the_name(
    chat: Chat, settings: Settings
) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("2026年1月15日")
    for said, answer in (("好的", "像是回复我的话"), ("、cancel", "像是命令"), ("这里写什么", "像是在问我")):
        reply = await chat.say(said)
        assert answer in reply and "已记下" not in reply and "基本信息 · 姓名" in reply
    assert "已记下：张三。" in await chat.say("张三")
    drafts = await _drafts(settings)
    assert drafts[0].meta == {"name": "张三"}


async def test_a_deadline_sent_as_a_measure_is_not_stored(chat: Chat) -> None:
    """Someone who thinks the bot asks for the deadline sends only it: the measures are asked first."""
    await _setup_personal_2025(chat)
    await chat.fill_until(lambda c: "努力方向和整改措施" in c.last_text() and "本部分填写完毕" in c.labels())
    reply = await chat.say("2027年6月底前")
    assert reply.startswith("“2027年6月底前”像是整改时限，不是材料内容") and "已记下" not in reply
    reply = await chat.say("每周自学不少于3小时，2027年6月底前完成笔记20篇。")
    assert reply.startswith("已记下。本部分共1条。")


async def test_back_from_the_overview_passes_the_deadlines_set_and_goes_on_back(chat: Chat) -> None:
    """上一步 from the overview shows the deadlines step with every deadline set: it says where to
    change one, and 上一步 there goes on back to the measures instead of ending the way back."""
    await _setup_personal_2025(chat)
    await chat.fill_until(lambda c: "各必填部分都已完成" in c.last_text())
    reply = await chat.press("上一步")
    assert "各条整改措施的时限都已设定。要调整某条措施的时限，请发送 /deadlines 找到这条措施办理。" in reply
    assert chat.labels() == ["查看全文概览", "上一步"]
    reply = await chat.press("上一步")
    assert "努力方向和整改措施" in reply and "已记下1条" in reply


async def test_a_section_of_one_point_is_printed_without_a_number_and_imported_back_alike(
    chat: Chat, settings: Settings
) -> None:
    """As real materials do (上年度's one paragraph after its counts, a single cause or measure), a
    section of one point prints it without a lone （一）, in the chat and in the .docx, whose
    judgement is then body text and not a run-in heading; an upload of that file reads it back as
    that point, after the same lead."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.say("上年度查摆问题5条，均已完成整改。")
    await chat.say("财经纪律执行不严。已建立长效机制，每季度自查一次公务接待。")
    await chat.press("本部分填写完毕")
    await chat.fill_until(lambda c: "产生问题的原因" in c.last_text())
    await chat.say("理想信念有所松懈。放松了主观世界改造，对自己降低了标准。")
    await chat.press("本部分填写完毕")
    await chat.fill_until(lambda c: "生成Word文档" in c.labels())

    page = await chat.press("查看全文") + await chat.press("下一页")
    assert "上年度查摆问题5条，均已完成整改。\n财经纪律执行不严。已建立长效机制" in page
    assert "\n理想信念有所松懈。" in page and "（一）理想信念" not in page
    await chat.press("生成Word文档")
    if "仍然生成" in chat.labels():
        await chat.press("仍然生成")
    word = chat.api.documents(chat.user_id)[-1]
    paragraphs = open_docx(io.BytesIO(word.data)).paragraphs
    texts = [p.text for p in paragraphs]
    causes = texts.index("五、产生问题的原因")
    assert texts[causes + 1] == "理想信念有所松懈。放松了主观世界改造，对自己降低了标准。"
    assert paragraphs[causes + 1].runs[0].style.name == "DZ Item Lead"  # no 楷体 heading run in
    last_year = texts.index("一、上年度民主生活会查摆问题整改落实情况")
    assert texts[last_year + 1 : last_year + 3] == [
        "上年度查摆问题5条，均已完成整改。",
        "财经纪律执行不严。已建立长效机制，每季度自查一次公务接待。",
    ]
    measures = texts.index("六、努力方向和整改措施")
    assert texts[measures + 1] == "学习不够深入。今年只参加集中学习2次，自学笔记不到10篇。"  # fill_until's
    assert not any(text.startswith("（一）") for text in texts[causes:])

    await chat.harness.upload(chat.user_id, word.filename, word.data, "application/octet-stream")
    assert "已导入为新材料" in await chat.press("导入为新材料，继续修改")
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        lists = Answer.section.in_(["last_year", "causes", "measures"])
        rows = await session.execute(
            select(Answer.draft_id, Answer.section, Answer.role, Answer.position, Answer.text).where(lists)
        )
        by_draft: dict[int, set[tuple[object, ...]]] = {}
        for draft_id, *node in rows:
            by_draft.setdefault(draft_id, set()).add(tuple(node))
    await db.dispose()
    written, imported = by_draft.values()
    assert imported == written and len(written) == 4


async def test_an_optional_part_finished_without_items_is_not_counted_as_none(chat: Chat) -> None:
    """填写完毕 on an optional part left empty skips it, and on one that has only its lead says so:
    never “共0条”."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    reply = await chat.press("本部分填写完毕")
    assert "已跳过这一部分" in reply and "共0条" not in reply
    assert "存在的主要问题" in chat.last_text()
    await chat.press("上一步")
    await chat.say("上年度查摆问题5条，均已完成整改。")
    reply = await chat.press("本部分填写完毕")
    assert "好的，这一部分只写了开头一段，没有分条。" in reply and "共0条" not in reply
    assert "存在的主要问题" in chat.last_text()


async def test_a_long_name_is_signed_on_one_line_without_a_character_left_alone(chat: Chat) -> None:
    """署名 stands four characters from the right margin; a name (or a unit signing for a team) too
    long for that takes the indent it needs rather than leaving its last characters on a line
    alone."""
    name = "中共江南省临江市滨湖区人民政府办公室综合科副科长欧阳建国"
    assert len(name) == 28
    await chat.say("/start")
    await chat.press("开始写材料")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("2026年1月15日")
    await chat.say(name)
    await chat.say("县商务局")
    await chat.say("局长")
    await chat.fill_until(lambda c: "生成Word文档" in c.labels())
    await chat.press("生成Word文档")
    if "仍然生成" in chat.labels():
        await chat.press("仍然生成")
    paragraphs = open_docx(io.BytesIO(chat.api.documents(chat.user_id)[-1].data)).paragraphs
    signature = next(p for p in paragraphs if p.style is not None and p.style.name == "DZ Signature")
    assert signature.text == name and signature.paragraph_format.right_indent == 0


async def test_a_part_holding_only_its_opening_paragraph_is_said_to_have_no_items_yet(chat: Chat) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.say("上年度查摆问题3条，已完成2条，持续整改1条。")  # the part's summary: its lead
    await chat.say("/cancel")
    await chat.say("/start")
    reply = await chat.press("继续填写")
    assert "已记下开头一段，还没有条目：" in reply and "已记下0条" not in reply


async def test_a_lone_point_of_several_lines_is_printed_as_one_paragraph_and_imported_back_as_one(
    chat: Chat, settings: Settings
) -> None:
    """A cause or measure alone in its section, typed as its judgement on one line and its example on
    the next, is one point in the chat: printed bare, its lines would read as a point each, so the
    file runs them on in one paragraph (each line a finished sentence), and the .txt read back, sent
    as a file or pasted, gives one point again."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await chat.fill_until(lambda c: "产生问题的原因" in c.last_text())
    assert "已记下。本部分共1条" in await chat.say("理想信念有所松懈\n总觉得自己是老党员，放松了理论学习。")
    await chat.press("本部分填写完毕")
    assert "已记下。本部分共1条" in await chat.say(
        "加强理论武装。\n每月至少自学2次，2027年6月底前完成笔记20篇。"
    )
    await chat.press("本部分填写完毕")
    await chat.fill_until(lambda c: "生成Word文档" in c.labels())

    await chat.say("/report")
    await chat.press("纯文本")
    exported = chat.api.documents(chat.user_id)[-1]
    text = exported.data.decode()
    assert "原因\n理想信念有所松懈。总觉得自己是老党员，放松了理论学习。\n" in text
    assert "措施\n加强理论武装。每月至少自学2次，2027年6月底前完成笔记20篇。" in text

    await chat.harness.upload(chat.user_id, exported.filename, exported.data, "text/plain")
    assert "已导入为新材料" in await chat.press("导入为新材料，继续修改")
    other = Chat(chat.harness, chat.user_id + 1)
    await other.say("/start")
    await other.say(text)
    assert "已导入为新材料" in await other.press("导入为新材料，继续修改")

    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        lists = Answer.section.in_(["causes", "measures"])
        rows = await session.execute(select(Answer.draft_id, Answer.section).where(lists))
    await db.dispose()
    counts: dict[int, list[str]] = {}
    for draft_id, section in rows:
        counts.setdefault(draft_id, []).append(section)
    assert [sorted(sections) for sections in counts.values()] == [["causes", "measures"]] * 3


async def test_a_material_at_its_deadlines_is_not_said_to_be_finished(chat: Chat) -> None:
    """Every part written, the measures' deadlines still asked: /start says so, not 已完成."""
    await _setup_personal_2025(chat)
    await chat.fill_until(lambda c: "整改时限 · 第1/" in c.last_text())
    reply = await chat.say("/start")
    assert "进度：各部分已写完，正在设定整改时限。" in reply
    await chat.press("继续填写")
    await chat.fill_until(lambda c: "生成Word文档" in c.labels())
    assert "进度：已完成。" in await chat.say("/start")
