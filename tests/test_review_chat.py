"""Review in chat: feedback after answers, /check with dismissals, and documents sent to the bot."""

from __future__ import annotations

import io
import zipfile

from docx import Document as new_docx

from bot.parsing import parse_text
from bot.review import review
from tests.conftest import Chat

CLEAN_ENOUGH = (
    "张三同志2025年度民主生活会个人对照检查材料\n"
    "按照县委通知要求，会前我认真学习，征求意见9条，谈心谈话6人次。现报告如下：\n"
    "一、存在的主要问题\n"
    "（一）在带头强化政治忠诚、提高政治能力方面\n"
    "一是理论学习不够系统。今年3月起的专题学习，我有2次因出差缺席，没有及时补学。\n"
    "二、产生问题的原因\n"
    "一是理想信念有所松懈。二是党性修养锤炼不够。三是宗旨意识有所淡化。\n"
    "三、努力方向和整改措施\n"
    "一是每周自学不少于4小时，2026年6月底前完成。\n"
)

EVERY_ASPECT = CLEAN_ENOUGH.replace(
    "二、产生问题的原因\n",
    "（二）在带头固本培元、增强党性方面\n一是党性锻炼有所放松。下半年参加支部活动3次，自我批评辣味不足。\n"
    "（三）在带头敬畏人民、敬畏组织、敬畏法纪方面\n一是群众观念淡化。下基层调研只有4次，回应群众诉求迟缓。\n"
    "（四）在带头干事创业、担当作为方面\n一是担当精神不足。老旧小区改造遇到矛盾推给街道，拖了2个月。\n"
    "（五）在带头坚决扛起管党治党责任方面\n一是管党治党失之于宽。分管科室有1名干部违反考勤纪律，只作口头提醒。\n"
    "二、产生问题的原因\n",
)
"""CLEAN_ENOUGH with every aspect of its year, so that none is added as missing when it is imported."""


async def _to_preamble(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("2026年1月15日")
    for _ in range(3):
        await chat.press("跳过")


async def test_feedback_follows_the_answer_it_is_about(chat: Chat) -> None:
    await _to_preamble(chat)
    reply = await chat.say("根据XX县委要求，本人增强四种意识，现报告如下：")
    assert "“XX”是没有替换的占位符" in reply
    assert "“四种意识”应为“四个意识”" in reply
    assert "这里有必须修改的地方" in reply  # /check calls them 必须修改: the note does not play them down
    await chat.press("跳过本部分")
    reply = await chat.say("理论学习不深入。")
    assert "万能问题" in reply and "这一部分还可以再改改" in reply
    reply = await chat.say("调研不够深入。今年5月到开发区调研2次，只听了汇报，没有到企业车间看。")
    assert "还可以再改改" not in reply  # a concrete item with its own example draws no comment


async def test_check_lists_findings_and_a_dismissal_is_kept(chat: Chat) -> None:
    await _to_preamble(chat)
    await chat.say("根据XX县委要求，现将个人对照检查情况报告如下：")
    reply = await chat.say("/check")
    assert "审核意见" in reply and "“XX”是没有替换的占位符" in reply
    label = next(label for label in chat.labels() if label.startswith("忽略：“XX”"))
    reply = await chat.press(label)
    assert "已忽略" in reply
    reply = await chat.say("/check")
    assert "（已忽略）" in reply
    assert not any(label.startswith("忽略：“XX”") for label in chat.labels())


async def test_a_sent_material_is_reviewed_and_can_be_imported(chat: Chat) -> None:
    await chat.say("/start")
    data = CLEAN_ENOUGH.replace("谈心谈话6人次", "谈心谈话XX人次").encode()
    entries = await chat.harness.upload(chat.user_id, "我的材料.txt", data, "text/plain")
    reply = "\n".join(e.text or "" for e in entries)
    assert "已读取《我的材料.txt》" in reply and "占位符" in reply
    reply = await chat.press("导入为新材料，继续修改")
    assert "已导入为新材料" in reply and "全文约" in reply
    # The placeholder is still there: the file is not produced over it without a word.
    reply = await chat.press("生成Word文档")
    assert not chat.api.documents(chat.user_id)
    # the placeholder, and the four aspects of the year the material misses, as its review said
    assert "还有5处必须修改" in reply and "占位符" in reply
    assert chat.labels() == ["先去修改", "仍然生成"]
    reply = await chat.press("先去修改")
    assert "导语" in reply and "谈心谈话XX人次" in reply  # the step the placeholder is in
    await chat.say("/report")
    await chat.press("Word（公文格式）")
    reply = await chat.press("仍然生成")
    document = chat.api.documents(chat.user_id)[-1]
    assert document.filename.endswith(".docx") and "仍有必须修改的地方" in reply
    text = "\n".join(p.text for p in new_docx(io.BytesIO(document.data)).paragraphs)
    assert "理论学习不够系统" in text and "每周自学不少于4小时" in text


async def test_fix_first_opens_the_unit_a_placeholder_left_under_the_title_is_in(chat: Chat) -> None:
    """The line under the title is written at the set-up steps: 先去修改 goes to the one holding it."""
    await chat.say("/start")
    await chat.harness.upload(chat.user_id, "我的材料.txt", EVERY_ASPECT.encode(), "text/plain")
    await chat.press("导入为新材料，继续修改")
    await chat.press("修改某一部分")
    await chat.press("单位")
    await chat.say("XX县商务局")
    reply = await chat.say("/report")
    reply = await chat.press("Word（公文格式）")
    assert "“XX”是没有替换的占位符（标题下的单位、职务、姓名）" in reply
    reply = await chat.press("先去修改")
    assert "基本信息 · 单位" in reply and "XX县商务局" in reply
    reply = await chat.say("县商务局")
    await chat.say("/report")
    await chat.press("Word（公文格式）")
    assert chat.api.documents(chat.user_id)[-1].filename.endswith(".docx")


async def test_an_untitled_self_inspection_report_is_imported_as_one(chat: Chat) -> None:
    """No title, an opening that reports a 自查自纠 for an inspection notice: not a 民主生活会 material."""
    text = (
        "按照县委组织部督查通知要求，我对照问题清单深入开展自查自纠，现将自查自纠情况汇报如下：\n"
        "一、存在问题\n（一）政治建设方面\n一是学习不够深入。今年只参加集中学习2次。\n"
        "二、原因剖析\n（一）理想信念有所松懈。\n三、整改措施\n（一）每周自学不少于3小时。\n"
    )
    await chat.say("/start")
    entries = await chat.harness.upload(chat.user_id, "自查.txt", text.encode(), "text/plain")
    assert "按导语当作“自查自纠报告”审核" in "\n".join(e.text or "" for e in entries)
    reply = await chat.press("导入为新材料，继续修改")
    assert "已导入为新材料" in reply and "民主生活会" not in reply and "自查自纠" in reply


async def test_an_untitled_team_material_is_reviewed_and_imported_as_a_team_s(chat: Chat) -> None:
    """No title to read the kind from: the opening names the meeting and who speaks."""
    await chat.say("/start")
    text = CLEAN_ENOUGH.replace("张三同志2025年度民主生活会个人对照检查材料\n", "").replace(
        "按照县委通知要求，会前我认真学习",
        "按照县委通知要求，为开好2025年度民主生活会，镇党委领导班子会前认真学习",
    )
    reply = await _upload(chat, "材料.txt", text.encode())
    assert "按导语当作“领导班子对照检查材料”审核" in reply
    await chat.press("导入为新材料，继续修改")
    assert "领导班子" in await chat.say("/status")


async def test_a_branch_titled_by_its_committee_is_imported_under_its_branch(chat: Chat) -> None:
    """市水务局机关第二党支部委员会2026年度…: the 支委会 is the 支部班子 the title names, so the
    imported draft is titled by the branch, not left as anybody's 党支部班子 material."""
    text = (
        "市水务局机关第二党支部委员会2026年度组织生活会对照检查材料\n"
        "按照机关党委通知要求，支委会会前组织党员集中学习3次。现将支部班子对照检查情况报告如下：\n"
        "一、存在的主要问题\n（一）政治合格方面\n支部政治学习组织不够经常，今年只组织了6次。\n"
        "二、产生问题的原因\n支委会抓党建的主责意识不强，研究党建的支委会全年只有4次。\n"
        "三、努力方向和整改措施\n2027年起每月至少组织1次集中学习，由组织委员负责。\n"
    )
    await chat.say("/start")
    await _upload(chat, "支部.txt", text.encode())
    reply = await chat.press("导入为新材料，继续修改")
    assert "市水务局机关第二党支部班子2026年度组织生活会对照检查材料" in reply


async def test_an_imported_material_keeps_the_sentence_before_each_list(chat: Chat) -> None:
    """上年度's counts and "主要存在以下问题：" are the lead of their list, not lost on import."""
    await chat.say("/start")
    text = CLEAN_ENOUGH.replace(
        "一、存在的主要问题\n（一）在带头强化政治忠诚、提高政治能力方面\n",
        "一、存在的主要问题\n（一）在带头强化政治忠诚、提高政治能力方面\n对照要求，主要存在以下问题：\n",
    ).replace("三、努力方向和整改措施\n", "三、努力方向和整改措施\n针对上述问题，我将抓好以下几点：\n")
    await _upload(chat, "材料.txt", text.encode())
    await chat.press("导入为新材料，继续修改")
    page = await chat.full_text()
    assert "对照要求，主要存在以下问题：\n理论学习不够系统。" in page  # the aspect's one point
    assert "针对上述问题，我将抓好以下几点：\n每周自学不少于4小时" in page  # its one point


async def test_an_imported_material_keeps_each_extra_part_and_last_years_summary_as_a_lead(
    chat: Chat,
) -> None:
    """A 2025 material has two parts of its own besides the usual ones (八项规定…, 典型案例剖析): each
    stays a part with its own text; 上年度's one summary sentence is its lead, not a numbered point."""
    await chat.say("/start")
    text = (
        CLEAN_ENOUGH.replace(
            "一、存在的主要问题\n",
            "一、上年度民主生活会整改落实情况\n上年度查摆问题4条，均已完成整改。\n二、存在的主要问题\n",
        )
        .replace(
            "二、产生问题的原因\n",
            "三、深入贯彻中央八项规定精神学习教育查摆问题整改情况\n对照查摆问题3个，已整改2个。\n"
            "四、典型案例剖析\n学习某县原副县长违纪违法案，警醒自己守住底线。\n五、产生问题的原因\n",
        )
        .replace("三、努力方向和整改措施", "六、努力方向和整改措施")
    )
    await _upload(chat, "材料.txt", text.encode())
    await chat.press("导入为新材料，继续修改")
    page = await chat.full_text()
    assert "整改落实情况\n上年度查摆问题4条，均已完成整改。\n二、存在的主要问题" in page
    assert "三、深入贯彻中央八项规定精神学习教育查摆问题整改情况\n对照查摆问题3个，已整改2个。" in page
    assert "四、典型案例剖析\n学习某县原副县长违纪违法案，警醒自己守住底线。" in page


async def test_an_imported_material_numbers_points_marked_with_circled_numbers_or_sequence_words(
    chat: Chat,
) -> None:
    """The parser leaves ① and 首先/其次 lines as paragraphs; the draft numbers them once all the same."""
    await chat.say("/start")
    text = CLEAN_ENOUGH.replace(
        "一是理论学习不够系统。",
        "①党性修养有所放松，例如今年有3次组织生活会请假。\n②理论学习不够系统。",
    ).replace(
        "一是理想信念有所松懈。二是党性修养锤炼不够。三是宗旨意识有所淡化。",
        "首先，理想信念有所松懈。\n其次，党性修养锤炼不够。\n最后，宗旨意识有所淡化。",
    )
    await _upload(chat, "材料.txt", text.encode())
    await chat.press("导入为新材料，继续修改")
    page = await chat.full_text()
    assert "一是党性修养有所放松，例如今年有3次组织生活会请假。\n二是理论学习不够系统。" in page
    assert "（一）理想信念有所松懈。\n（二）党性修养锤炼不够。\n（三）宗旨意识有所淡化。" in page
    assert "①" not in page and "其次" not in page


async def test_an_imported_material_keeps_whose_it_is(chat: Chat) -> None:
    """The name (or a team's unit) the title opens with is the draft's, so its title keeps it."""
    await chat.say("/start")
    await _upload(chat, "材料.txt", CLEAN_ENOUGH.encode())
    reply = await chat.press("导入为新材料，继续修改")
    assert "张三同志2025年度民主生活会个人对照检查材料" in reply
    team = CLEAN_ENOUGH.replace("张三同志2025年度民主生活会个人", "东湖区商务局领导班子2025年度民主生活会")
    await _upload(chat, "班子材料.txt", team.encode())
    reply = await chat.press("导入为新材料，继续修改")
    assert "东湖区商务局领导班子2025年度民主生活会对照检查材料" in reply


async def test_a_docx_upload_can_come_back_reformatted(chat: Chat) -> None:
    await chat.say("/start")
    source = new_docx()
    for line in CLEAN_ENOUGH.splitlines():
        source.add_paragraph(line)
    buffer = io.BytesIO()
    source.save(buffer)
    await chat.harness.upload(chat.user_id, "材料.docx", buffer.getvalue(), "application/msword")
    await chat.press("规范排版（生成Word）")
    document = chat.api.documents(chat.user_id)[-1]
    assert document.filename == "材料_规范排版.docx"
    # The words stay; the numbering does not always (一是 under a level-1 heading becomes （一）).
    sent = [e for e in chat.api.transcript if e.direction == "bot" and e.document is not None]
    assert "文字未改动，标题和条目的序号按公文层次统一编排" in (sent[-1].text or "")
    text = [p.text for p in new_docx(io.BytesIO(document.data)).paragraphs if p.text.strip()]
    # A long title is set on two lines broken between words (bot/render/title.py).
    assert text[0] == "张三同志2025年度\n民主生活会个人对照检查材料"
    assert "一、存在的主要问题" in text


async def test_a_reformatted_file_keeps_its_closing_signature_and_date(chat: Chat) -> None:
    """As 文字未改动 promises, the name and date a file closes with are printed, as written."""
    await chat.say("/start")
    await _upload(chat, "材料.txt", (CLEAN_ENOUGH + "张三\n2026年1月\n").encode())
    await chat.press("规范排版（生成Word）")
    document = new_docx(io.BytesIO(chat.api.documents(chat.user_id)[-1].data))
    closing = [(p.text, p.style.name if p.style else "") for p in document.paragraphs if p.text.strip()][-2:]
    assert closing == [("张三", "DZ Signature"), ("2026年1月", "DZ Date")]


async def test_a_one_sentence_cause_or_measure_prints_as_body_text(chat: Chat) -> None:
    """Only a judgement sentence followed by its elaboration runs in in the heading font (楷体); an
    item of one sentence alone, all in it, read as a heading with nothing under it."""
    await chat.say("/start")
    material = CLEAN_ENOUGH.replace(
        "一是理想信念有所松懈。二是党性修养锤炼不够。三是宗旨意识有所淡化。\n",
        "（一）理想信念有所松懈。\n（二）宗旨意识有所淡化。平时下基层调研少，与群众面对面交流不多。\n",
    )
    await _upload(chat, "材料.txt", material.encode())
    await chat.press("规范排版（生成Word）")
    document = new_docx(io.BytesIO(chat.api.documents(chat.user_id)[-1].data))
    runs = {p.text: [(r.text, r.style.name if r.style else "") for r in p.runs] for p in document.paragraphs}
    plain = "Default Paragraph Font"
    assert runs["（一）理想信念有所松懈。"] == [
        ("（一）", "DZ Heading 2 Run-in"),
        ("理想信念有所松懈。", plain),
    ]
    # the section's one point: no （一）, and no heading font without one
    measure = "每周自学不少于4小时，2026年6月底前完成。"
    assert runs[measure] == [(measure, plain)]
    assert runs["（二）宗旨意识有所淡化。平时下基层调研少，与群众面对面交流不多。"] == [
        ("（二）宗旨意识有所淡化。", "DZ Heading 2 Run-in"),
        ("平时下基层调研少，与群众面对面交流不多。", plain),
    ]


async def test_causes_written_as_matters_to_explain_are_said_to_belong_to_the_causes(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2024年度民主生活会（4个方面）")
    await chat.meeting_date("2026年1月15日")
    for _ in range(3):
        await chat.press("跳过")
    await chat.fill_until(lambda c: "需要向组织说明的事项" in c.last_text() and "跳过本部分" in c.labels())
    reply = await chat.say(
        "一是理想信念有所松懈，放松了主观世界改造。\n二是宗旨意识有所淡化，与群众面对面交流少。"
    )
    assert "“需要向组织说明的事项”里有2句应写在“产生问题的原因”部分" in reply
    assert "如“理想信念有所松懈，放松了主观世界改造”" in reply  # quoted without its number
    await chat.press("上一步")  # rewritten: a text section's answer replaces the one before
    reply = await chat.say("经对照检查，本人没有需要向组织说明的事项。个人有关事项已如实报告。")
    assert "应写在" not in reply


async def test_measures_written_as_causes_are_said_to_belong_to_the_measures(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("组织生活会发言提纲")
    await chat.press("通用组织生活会（4个方面）")
    await chat.say("2026年1月15日")
    for _ in range(3):
        await chat.press("跳过")
    await chat.fill_until(lambda c: "产生问题的原因" in c.last_text() and "本部分填写完毕" in c.labels())
    await chat.say("一是理想信念有所松懈，对理论学习的重要性认识不足。")
    await chat.say(
        "二是每周自学不少于4小时，坚持读原著学原文。\n三是2026年6月底前完成专题学习，形成读书笔记。"
    )
    reply = await chat.press("本部分填写完毕")
    assert "“产生问题的原因”里有2句应写在“努力方向和整改措施”部分" in reply
    assert "如“每周自学不少于4小时，坚持读原著学原文”" in reply
    assert "把这几句移到“努力方向和整改措施”部分；这里只写产生问题的" in reply


SPEECH_OUTLINE = (
    "2025年度组织生活会个人发言提纲\n"
    "按照党支部通知要求，我认真学习有关文件，征求意见6条，现将个人对照检查情况报告如下。\n"
    "对照检查，我主要存在以下几个方面的问题：\n"
    "一是理论学习不够深入。全年自学不足30小时，学习笔记只有6篇。\n"
    "二是服务群众不够主动。今年到社区报到服务只有2次，群众反映的停车问题没有跟进到底。\n"
    "究其原因，主要有以下几点：\n"
    "一是理想信念有所松懈。对理论学习的重要性认识不足。\n"
    "二是宗旨意识有所淡化。把群众工作当作分外之事。\n"
    "下一步，我将从以下几个方面努力：一是每周自学不少于4小时，2026年6月底前读完规定书目。"
    "二是每季度到社区报到服务不少于2次，长期坚持。\n"
)


async def test_a_speech_outline_without_headings_is_read_part_by_part(chat: Chat) -> None:
    """Its lead sentences divide it: nothing is missing, and it imports into problems, causes and
    measures rather than as one long 导语."""
    await chat.say("/start")
    reply = await _upload(chat, "发言提纲.txt", SPEECH_OUTLINE.encode())
    assert "缺少" not in reply and "序号" not in reply
    overview = await chat.press("导入为新材料，继续修改")
    assert "导语：42字" in overview  # the first paragraph alone
    assert "存在的主要问题：2条" in overview
    assert "产生问题的原因：2条" in overview and "努力方向和整改措施：2条" in overview

    # Without the lead sentence before the problems, the bot says where they were left and what to add.
    reply = await _upload(
        chat,
        "发言提纲.txt",
        SPEECH_OUTLINE.replace("对照检查，我主要存在以下几个方面的问题：\n", "").encode(),
    )
    assert "导语里的2条编号内容（从“理论学习不够深入。”起）没能归入任何部分" in reply
    assert "对照检查，我主要存在以下问题：" in reply


async def _upload(chat: Chat, name: str, data: bytes) -> str:
    entries = await chat.harness.upload(chat.user_id, name, data, "application/octet-stream")
    return "\n".join(e.text or "" for e in entries)


async def test_bad_uploads_are_explained_and_nothing_is_stored(chat: Chat) -> None:
    await chat.say("/start")
    assert "暂不支持这种文件" in await _upload(chat, "照片.jpg", b"\xff\xd8\xff")
    assert "另存为 .docx" in await _upload(chat, "对照检查材料.PDF", b"%PDF-1.7")
    assert "文件已损坏" in await _upload(chat, "假的.docx", b"this is not a zip file at all")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64  # how Word stores a password-protected file
    assert "设置了打开密码" in await _upload(chat, "加密.docx", ole)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (60 * 1024 * 1024))
    assert "解压后过大" in await _upload(chat, "炸弹.docx", bomb.getvalue())
    assert "文件太大了" in await _upload(chat, "大.txt", b"a" * (3 * 1024 * 1024))
    assert "没有可读的文字" in await _upload(chat, "空.txt", b"   \n")
    assert all("文件未保存" in m.get("text", "") for m in chat.api.bot_messages(chat.user_id)[-6:])


async def _to_first_aspect(chat: Chat, theme: str, meeting: str) -> str:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press(theme)
    await chat.meeting_date(meeting)
    for _ in range(3):
        await chat.press("跳过")
    await chat.say("按照县委通知要求，会前我认真学习，征求意见9条，现将个人对照检查情况报告如下：")
    return await chat.press("跳过本部分")


COPIED = "在执行民主集中制上有时先定调子"


async def test_a_problem_copied_from_last_years_own_material_is_named(chat: Chat) -> None:
    await _to_first_aspect(chat, "2024年度民主生活会（4个方面）", "2025年1月15日")
    await chat.say(f"{COPIED}。比如2024年3月研究项目安排时，我先表态，其他同志不便再提不同意见。")
    await _to_first_aspect(chat, "2025年度民主生活会（5个方面）", "2026年1月15日")
    reply = await chat.say(f"{COPIED}。比如2025年6月讨论预算调整时，我先讲了倾向性意见。")
    assert f"与以前材料中的“{COPIED}”基本相同" in reply
    reply = await chat.say("/check")
    assert f"与以前材料中的“{COPIED}”基本相同" in reply
    # Dismissed from /check it stays dismissed: dismissing reviews with the earlier material too.
    # (Findings before it come first; dismissing them brings its button up.)
    while not any(label.startswith("忽略：这条问题与以前") for label in chat.labels()):
        assert "已忽略" in await chat.press(next(la for la in chat.labels() if la.startswith("忽略：")))
        await chat.say("/check")
    label = next(la for la in chat.labels() if la.startswith("忽略：这条问题"))
    assert label == "忽略：这条问题与以前材料中的“在执…"  # cut, and says so
    assert "已忽略" in await chat.press(label)
    reply = await chat.say("/check")
    assert f"这条问题与以前材料中的“{COPIED}”基本相同（已忽略）" in reply


async def test_another_users_material_is_never_compared(chat: Chat) -> None:
    other = Chat(chat.harness, chat.user_id + 1)
    await _to_first_aspect(other, "2024年度民主生活会（4个方面）", "2025年1月15日")
    await other.say(f"{COPIED}。比如2024年3月研究项目安排时，我先表态，其他同志不便再提不同意见。")
    await _to_first_aspect(chat, "2025年度民主生活会（5个方面）", "2026年1月15日")
    reply = await chat.say(f"{COPIED}。比如2025年6月讨论预算调整时，我先讲了倾向性意见。")
    assert "以前材料" not in reply
    assert "以前材料" not in await chat.say("/check")


async def test_three_excuses_in_the_causes_get_three_different_suggestions(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("组织生活会发言提纲")
    await chat.press("通用组织生活会（4个方面）")
    await chat.say("2026年1月15日")
    for _ in range(3):
        await chat.press("跳过")
    await chat.fill_until(lambda c: "产生问题的原因" in c.last_text() and "本部分填写完毕" in c.labels())
    await chat.say(
        "一是由于工作忙，理想信念有所松懈，理论学习时断时续。\n二是任务重，党性修养有所放松，"
        "对自己要求降低了。\n三是人手少，宗旨意识有所淡化，下基层的次数少了。"
    )
    await chat.say("由于工作忙，学习有所放松，读原著的时间越来越少。")  # the same excuse again points back
    # An excuse's suggestion depends on the causes before it: the section's note says it.
    reply = await chat.press("本部分填写完毕")
    notes = [line.split("。", 1)[1] for line in reply.splitlines() if "是客观理由。" in line]
    assert len(notes) == 3 and len(set(notes)) == 3, reply  # no suggestion repeated word for word
    assert "“工作忙”是客观理由" in reply and "“人手少”是客观理由" in reply
    assert "另有1处" in reply
    assert "与前面的“工作忙”一样是客观理由" in await chat.say("/check")


async def test_every_finding_on_a_check_page_can_be_dismissed_from_its_buttons(chat: Chat) -> None:
    """More findings than one set of 忽略 buttons: 下一页 brings the later ones' buttons, 上一页 back."""
    await _to_first_aspect(chat, "2024年度民主生活会（4个方面）", "2025年1月15日")
    await chat.say(f"{COPIED}。比如2024年3月研究项目安排时，我先表态，其他同志不便再提不同意见。")
    await _to_first_aspect(chat, "2025年度民主生活会（5个方面）", "2026年1月15日")
    for generic in ("理论学习不够深入", "联系群众不够紧密", "创新意识不强", "工作作风不够扎实"):
        await chat.say(f"{generic}。")  # 万能问题, as many as one rule reports
    await chat.say("有的同志请示报告不及时。比如2025年4月项目变更，事后才报告。")  # others' problem
    await chat.say("执行制度不够严格,比如2025年5月的采购未按规定比选。")  # a half-width comma
    await chat.say("学习制度执行不严。。比如2025年7月两次集中学习我都请了假。")  # doubled 。
    await chat.say(f"{COPIED}。比如2025年6月讨论预算调整时，我先讲了倾向性意见。")
    reply = await chat.say("/check")
    assert f"与以前材料中的“{COPIED}”基本相同" in reply  # listed, its button on a later page
    first = [la for la in chat.labels() if la.startswith("忽略：")]
    assert not any(la.startswith("忽略：这条问题与以前") for la in first)
    while not any(la.startswith("忽略：这条问题与以前") for la in chat.labels()):
        await chat.press(next(la for la in chat.labels() if la.startswith("下一页")))
    label = next(la for la in chat.labels() if la.startswith("忽略：这条问题"))
    assert label == "忽略：这条问题与以前材料中的“在执…"  # cut, and says so
    assert "已忽略" in await chat.press(label)
    reply = await chat.say("/check")
    assert f"这条问题与以前材料中的“{COPIED}”基本相同（已忽略）" in reply
    # 上一页 goes back to the first buttons.
    await chat.press(next(la for la in chat.labels() if la.startswith("下一页")))
    await chat.press("上一页")
    assert [la for la in chat.labels() if la.startswith("忽略：")] == first


async def test_a_check_halfway_lists_the_parts_not_written_instead_of_faulting_them(chat: Chat) -> None:
    """Asked in the middle, /check reviews what is written and names the parts still to write once;
    as 必须修改 they drowned the real notes, and 忽略 on one silenced it for the end."""
    await _to_first_aspect(chat, "2025年度民主生活会（5个方面）", "2026年1月15日")
    await chat.say("有的同志请示报告不及时。比如2025年4月项目变更，事后才报告。")
    await chat.press("本方面填写完毕")
    await chat.say("党性修养有所放松。比如2025年3月的组织生活会我请假缺席。")
    reply = await chat.say("/check")
    assert reply.startswith(
        "还没写到：存在的主要问题（三）至（五）、八项规定学习教育整改整治情况、反面典型案例剖析、"
        "产生问题的原因、努力方向和整改措施。这些部分写完后一并审核，下面是已写部分的意见。"
    ), reply
    assert "个人材料中写“有的同志”，是在讲别人的问题" in reply  # what is written is reviewed
    assert "缺少“" not in reply and "下面没有内容" not in reply and "全文约" not in reply
    assert not any(label.startswith("忽略：缺少") for label in chat.labels())


def test_two_missing_sections_are_two_findings_to_dismiss() -> None:
    """Their keys differ, so 忽略 on the one leaves the other."""
    title = "张三同志2025年度民主生活会个人对照检查材料"
    text = f"{title}\n一、存在的主要问题\n（一）理论学习不够系统。比如全年只学了2次。"
    findings = review(parse_text(text), kind="personal_dsh", year=2025)
    missing = [f for f in findings if f.rule == "structure.sections.missing"]
    assert len(missing) == 2 and missing[0].key != missing[1].key


async def test_a_cause_that_repeats_a_problem_word_for_word_is_named(chat: Chat) -> None:
    """防止把问题当原因: a judgement the dictionary reads as one word (党性修养) is still compared."""
    text = CLEAN_ENOUGH.replace(
        "二、产生问题的原因",
        "（二）在带头固本培元、增强党性方面\n党性修养有待加强。今年两次支部组织生活会，我都只谈了工作。\n"
        "二、产生问题的原因",
    ).replace("二是党性修养锤炼不够。", "二是党性修养有待加强。")
    reply = await _upload(chat, "材料.txt", text.encode())
    assert "原因“党性修养有待加强”与问题“党性修养有待加强”说的是同一件事" in reply
    assert "原因“理想信念有所松懈”" not in reply


async def test_a_problem_counted_in_years_has_its_example(chat: Chat) -> None:
    """“连续两年没有突破” is a concrete example: no note asks for one."""
    await _to_preamble(chat)
    await chat.say("根据县委要求，会前我参加集中学习4次，征求意见9条。现将个人对照检查情况报告如下：")
    await chat.press("跳过本部分")
    await chat.say("干事创业的锐气有所减退。县城综合体招商连续两年没有突破，我思想上有畏难情绪。")
    reply = await chat.press("本方面填写完毕")
    assert "好的，这一方面共1条" in reply and "没有具体事例" not in reply


async def test_a_sent_file_is_reviewed_without_command_line_advice(chat: Chat) -> None:
    """The kind taken from the title is named, to be corrected there if wrong; --kind is the command
    line's, not a Telegram user's."""
    reply = await _upload(chat, "材料.txt", CLEAN_ENOUGH.encode())
    assert "按标题当作“个人对照检查材料”审核" in reply and "改正标题中的材料类型" in reply
    assert "没有写明材料类型" not in reply
    assert "--kind" not in reply and "personal_dsh" not in reply


MEMBER_OUTLINE = """第二党支部党员2025年度组织生活会个人发言提纲
按照支部安排，我学习了党章党规，听取了同志们的意见，现对照检查如下：
一、存在的问题
（一）学习贯彻党的创新理论情况
学习不够主动，满足于参加支部集中学习，今年自学笔记只有3篇。
（二）党性修养提高情况
对自己要求不够严格，今年两次主题党日我都以加班为由请假。
（三）发挥先锋模范作用情况
工作标准不高，今年经办的3个项目都没有按期完成。
二、原因分析
理想信念不够坚定，宗旨意识淡薄。
三、整改措施
每周自学不少于3小时，2026年6月底前完成专题学习。
"""


async def test_a_members_study_and_self_discipline_are_no_work_problems(chat: Chat) -> None:
    """学习不够主动 and 对自己要求不够严格 are about thought and party spirit: only the aspect that
    speaks of work alone is asked for its roots."""
    reply = await _upload(chat, "发言提纲.txt", MEMBER_OUTLINE.encode())
    assert "（三）只谈了工作上的问题" in reply
    assert "（一）只谈了工作上的问题" not in reply and "（二）只谈了工作上的问题" not in reply


async def test_awe_of_the_law_and_fear_of_hard_tasks_are_no_work_problems(chat: Chat) -> None:
    """对法纪的敬畏不够 and 畏难情绪 are examined at the level of thought: no note says otherwise."""
    text = CLEAN_ENOUGH.replace(
        "二、产生问题的原因",
        "（三）在带头敬畏人民、敬畏组织、敬畏法纪方面\n"
        "对法纪的敬畏还不够深刻。认为分管领域“不会出大事”，今年只组织1次警示教育。\n"
        "（四）在带头干事创业、担当作为方面\n"
        "面对难题有畏难情绪。全市营商环境评价我局排名第8，我没有拿出攻坚办法。\n"
        "二、产生问题的原因",
    )
    reply = await _upload(chat, "材料.txt", text.encode())
    assert "审核意见" in reply and "只谈了工作上的问题" not in reply


async def test_the_duty_to_govern_the_party_strictly_is_no_work_problem(chat: Chat) -> None:
    """一岗双责 and 主体责任 are the political responsibility the 从严治党 aspect asks about."""
    text = CLEAN_ENOUGH.replace(
        "二、产生问题的原因",
        "（三）在带头履行全面从严治党政治责任方面\n"
        "履行“一岗双责”不到位。对分管的农机站廉政风险排查不细，补贴核查中发现2起违规申报问题。\n"
        "（四）在带头落实管党治党责任方面\n"
        "落实主体责任压力传导不够。今年只听取分管科室党建工作汇报1次。\n"
        "二、产生问题的原因",
    )
    reply = await _upload(chat, "材料.txt", text.encode())
    assert "审核意见" in reply and "只谈了工作上的问题" not in reply


async def test_an_imported_aspect_heading_run_into_its_text_loses_its_full_stop(chat: Chat) -> None:
    """ "（一）……方面。一是……": the aspect is named without the 。 that ended the run-in heading."""
    await chat.say("/start")
    text = CLEAN_ENOUGH.replace(
        "（一）在带头强化政治忠诚、提高政治能力方面\n一是", "（一）在带头强化政治忠诚、提高政治能力方面。一是"
    )
    await _upload(chat, "材料.txt", text.encode())
    overview = await chat.press("导入为新材料，继续修改")
    assert "（一）在带头强化政治忠诚、提高政治能力方面：1条" in overview
    page = await chat.press("查看全文")
    assert "（一）在带头强化政治忠诚、提高政治能力方面\n理论学习不够系统。" in page  # its one point: no 一是


async def test_an_imported_material_keeps_the_date_under_its_title(chat: Chat) -> None:
    """Last year's material, imported to go on from it, is signed with its own meeting's date, not
    with the day it was imported."""
    await chat.say("/start")
    text = CLEAN_ENOUGH.replace("个人对照检查材料\n", "个人对照检查材料\n（2026年1月15日）\n", 1)
    await _upload(chat, "材料.txt", text.encode())
    await chat.press("导入为新材料，继续修改")
    await chat.say("/report")
    await chat.press("Word（公文格式）")
    if "仍然生成" in chat.labels():
        await chat.press("仍然生成")
    lines = [p.text for p in new_docx(io.BytesIO(chat.api.documents(chat.user_id)[-1].data)).paragraphs]
    assert lines[-1] == "2026年1月15日"


async def test_an_emoji_typed_on_a_phone_is_pointed_out_at_once(chat: Chat) -> None:
    await _to_preamble(chat)
    reply = await chat.say("根据县委要求，会前本人认真学习，谈心谈话8人次👍。现将个人对照检查情况报告如下：")
    assert "这段有1个表情符号，如“心谈话8人次👍”" in reply and "请删去" in reply


async def test_the_check_counts_the_findings_a_capped_one_stands_for(chat: Chat) -> None:
    """Five placeholders: four listed, the fourth saying one more follows, and 必须修改5处 above them."""
    text = CLEAN_ENOUGH.replace("按照县委通知要求", "按照XX县委、XX县政府、XX办、XX局、XX所通知要求")
    reply = await _upload(chat, "材料.txt", text.encode())
    assert "必须修改5处" in reply and reply.count("是没有替换的占位符") == 4
    assert "（此后还有1处同类问题）" in reply


async def test_a_sent_material_is_not_told_of_a_links_button_it_has_not(chat: Chat) -> None:
    """调整对应 belongs to a draft's stored links: a file's uncovered aspect is told to add a measure."""
    text = CLEAN_ENOUGH.replace(
        "二、产生问题的原因",
        "（二）在带头敬畏人民、敬畏组织、敬畏法纪方面\n"
        "一是联系群众不够经常。今年到联系村走访只有2次，宗旨意识有所淡化。\n二、产生问题的原因",
    )
    reply = await _upload(chat, "材料.txt", text.encode())
    assert "（二）查摆的问题在整改措施中没有对应的措施" in reply
    assert "建议：针对这个问题补一条措施，写清做什么、什么时候做到" in reply and "调整对应" not in reply


async def test_a_dismissal_holds_when_a_part_written_above_renumbers_the_finding(chat: Chat) -> None:
    """忽略 names the finding by where it is in the draft, not by its number: writing the 上年度 part
    skipped before (一、存在的主要问题 becomes 二、) leaves it dismissed."""
    await _to_preamble(chat)
    await chat.say("根据县委要求，本人认真学习，征求意见建议5条，现将个人对照检查情况报告如下：")
    await chat.press("跳过本部分")
    await chat.say("理论学习不深入。")
    reply = await chat.say("/check")
    assert "一、存在的主要问题 / （一）" in reply
    assert "已忽略" in await chat.press(
        next(la for la in chat.labels() if la.startswith("忽略：“理论学习不深入"))
    )
    await chat.press("返回填写")
    await chat.press("上一步")
    await chat.say("上年度查摆问题3条，已完成2条，持续整改1条。")
    await chat.say("调研不够深入。已建立联系点制度，每季度到基层调研不少于3天。")

    reply = await chat.say("/check")

    assert "“理论学习不深入”是常见的“万能问题”，又没有具体表现（已忽略）" in reply
    assert not any(la.startswith("忽略：“理论学习不深入") for la in chat.labels())


PROBLEMS_IN_FIVE_ASPECTS = (
    "理论学习不够系统，思想认识不深。比如今年自学记录只有14篇，研讨发言仅2次。",
    "党性修养有所放松，宗旨意识淡化。比如今年参加支部组织生活只有3次，谈心谈话只有2人次。",
    "联系服务群众不够，思想上对群众感情不深。比如今年到联系点只去了2次，加装电梯问题拖了两个月。",
    "担当作为不够，思想上怕担责任。比如5月防汛时靠前指挥不够，有1次现场会没有参加。",
    "落实管党治党责任不到位，政治站位不高。比如对分管领域的监督检查只有1次，廉政谈话只有2人次。",
)
ON_STUDY_AND_DISCIPLINE = (
    "一是加强理论武装，2027年起每月集中学习不少于2次，6月底前完成专题研讨。",
    "二是严格执行廉政谈话制度，每季度对分管领域开展一次监督检查。",
)


async def _measures_written(chat: Chat, measures: tuple[str, ...]) -> str:
    """A personal material written through to its measures; the reply after them (the links table)."""
    await _to_preamble(chat)
    await chat.say("根据县委要求，本人认真学习，征求意见建议5条，现将个人对照检查情况报告如下：")
    await chat.press("跳过本部分")
    for problem in PROBLEMS_IN_FIVE_ASPECTS:
        await chat.say(problem)
        await chat.press("本方面填写完毕")
    await chat.say("对照中央八项规定精神，本人自查公务接待3批次，均按标准执行，没有发现违规问题。")
    await chat.say("以某县原副县长违纪案为鉴，对照检查自己在廉洁自律上的差距，今后每季度开展一次警示教育。")
    await chat.say("一是理想信念有所松懈，放松了主观世界改造。二是宗旨意识有所淡化。三是党性修养有所放松。")
    await chat.press("本部分填写完毕")
    await chat.say("".join(measures))
    return await chat.press("本部分填写完毕")


async def test_check_names_the_problems_the_table_pairs_by_order_alone(chat: Chat) -> None:
    """Measures only on study and discipline: the table still pairs every problem (请核对), but marks
    those no measure speaks of, and /check names them as the table shows them, not as unlinked."""
    table = await _measures_written(chat, ON_STUDY_AND_DISCIPLINE)
    assert "请核对" in table and "暂无对应措施" not in table
    assert "问题1 理论学习不够系统，思想认识不深。 → 措施1\n" in table
    assert "问题2 党性修养有所放松，宗旨意识淡化。 → 措施1（仅按顺序推定）" in table
    assert "问题4 担当作为不够，思想上怕担责任。 → 措施2（仅按顺序推定）" in table
    assert "问题5 落实管党治党责任不到位，政治站位不… → 措施2\n" in table
    assert "标“仅按顺序推定”的问题，整改措施中没有谈到同一内容的" in table

    review = await chat.say("/check")
    for headline in ("党性修养有所放松，宗旨意识淡化。", "联系服务群众不够，思想上对群众感情不深。"):
        assert f"问题“{headline}”在整改措施中没有谈到同一内容的措施，对应表中只是按顺序推定" in review
    assert "问题“担当作为不够，思想上怕担责任。”" in review
    assert "问题“理论学习不够系统" not in review and "问题“落实管党治党责任" not in review
    assert "没有对应的措施" not in review  # the table shows a measure for each
    assert "在“调整对应”中核对后确认或改选" in review

    # Confirmed, the pairing is the user's own: /check and the table leave it to him.
    reply = await chat.press("确认对应")
    assert "已确认问题与措施的对应" in reply and "仅按顺序推定" not in reply
    assert "问题2 党性修养有所放松，宗旨意识淡化。 → 措施1\n" in reply
    review = await chat.say("/check")
    assert "按顺序推定" not in review and "没有对应的措施" not in review


async def test_going_on_to_the_deadlines_keeps_the_guesses_named_until_confirmed(chat: Chat) -> None:
    """Answering the first deadline stores the proposal, but does not make its guesses the user's:
    /check and the table still name them, and 确认对应 is still offered, until pressed."""
    await _measures_written(chat, ON_STUDY_AND_DISCIPLINE)
    await chat.say("2027年6月底前")

    review = await chat.say("/check")
    assert "问题“党性修养有所放松，宗旨意识淡化。”在整改措施中没有谈到同一内容的措施" in review
    await chat.say("/deadlines")
    table = await chat.press("查看问题与措施的对应")
    assert "问题2 党性修养有所放松，宗旨意识淡化。 → 措施1（仅按顺序推定）" in table
    assert "请核对" not in table  # stored, no longer the bot's proposal

    reply = await chat.press("确认对应")
    assert "仅按顺序推定" not in reply and "确认对应" not in chat.labels()
    assert "按顺序推定" not in await chat.say("/check")


async def test_measures_on_every_problems_topic_leave_nothing_to_guess(chat: Chat) -> None:
    table = await _measures_written(
        chat,
        (
            *ON_STUDY_AND_DISCIPLINE,
            "三是锤炼党性修养，每季度以普通党员身份参加一次支部主题党日。",
            "四是每月到联系点走访群众不少于1次，3月底前办结加装电梯问题。",
            "五是急难险重任务靠前指挥，汛期重大现场会一律到场。",
        ),
    )
    assert "问题4 担当作为不够，思想上怕担责任。 → 措施5" in table and "仅按顺序推定" not in table
    review = await chat.say("/check")
    assert "按顺序推定" not in review and "没有对应的措施" not in review


async def test_a_findings_go_button_opens_the_item_it_names(chat: Chat) -> None:
    """/check names a point in (二) while the user is elsewhere: 去修改 takes the draft there and opens
    that point's menu; rewritten with its example, the finding is gone."""
    await _to_preamble(chat)
    await chat.say("根据县委要求，本人认真学习，征求意见建议5条，现将个人对照检查情况报告如下：")
    await chat.press("跳过本部分")
    await chat.say("理论学习不够系统，今年自学笔记只有3篇。")
    await chat.press("本方面填写完毕")
    await chat.say("一是党性修养有所放松，今年参加支部组织生活请假2次。\n二是斗争精神不够强。")
    await chat.press("本方面填写完毕")  # now at (三)

    review = await chat.say("/check")
    assert "（二）中的第二条没有具体事例" in review
    rows = chat.api.buttons(chat.api.bot_messages(chat.user_id)[-1])
    row = next(r for r in rows if r[0].label.startswith("忽略：（二）中的第二条"))
    assert [b.label for b in row][1:] == ["去修改"] and row[1].data is not None
    menu = await chat.press(row[1].data)
    assert "二是" in menu and "斗争精神不够强" in menu and "修改" in chat.labels()

    await chat.press("修改")
    await chat.say("斗争精神不够强，今年处理一起企业违规经营投诉时顾虑较多。")
    assert "（二）中的第二条没有具体事例" not in await chat.say("/check")


async def test_a_finding_on_a_whole_part_goes_to_the_step_it_is_written_at(chat: Chat) -> None:
    """A missing part has no item to open: its 去修改 shows the step where it is written, and once
    written there the finding is gone. A finding on the whole text has none; an old button says
    what to do."""
    await chat.say("/start")
    causes = EVERY_ASPECT[EVERY_ASPECT.index("二、产生") : EVERY_ASPECT.index("三、努力")]
    await chat.harness.upload(
        chat.user_id, "我的材料.txt", EVERY_ASPECT.replace(causes, "").encode(), "text/plain"
    )
    await chat.press("导入为新材料，继续修改")

    assert "缺少“产生问题的原因”部分" in await chat.say("/check")
    check = chat.api.bot_messages(chat.user_id)[-1]
    row = next(r for r in chat.api.buttons(check) if r[0].label == "忽略：缺少“产生问题的原因”部分")
    assert [b.label for b in row][1:] == ["去修改"] and row[1].data is not None
    await chat.press(next(label for label in chat.labels() if label.startswith("下一页")))
    whole = next(
        r for r in chat.api.buttons(chat.api.bot_messages(chat.user_id)[-1]) if "全文约" in r[0].label
    )
    assert len(whole) == 1  # about the whole text: no step to go to

    await chat.harness.press(chat.user_id, row[1].data, message_id=check["message_id"])
    assert "产生问题的原因" in chat.last_text() and "本部分填写完毕" in chat.labels()
    await chat.say("理想信念有所松懈，党性修养锤炼不够，宗旨意识有所淡化。")
    assert "缺少“产生问题的原因”部分" not in await chat.say("/check")
    gone = row[1].data.replace(":causes", ":problems.6")  # an aspect of a theme chosen before
    await chat.harness.forge(chat.user_id, gone)
    assert chat.last_text() == "这一部分已不在材料中，请发送 /check 重新审核。"

    await chat.say("/new")  # another material is the one being written now
    await chat.press("个人对照检查材料")
    await chat.harness.press(chat.user_id, row[1].data, message_id=check["message_id"])
    assert chat.last_text() == "这份材料已不是正在填写的材料。请在 /drafts 中切换到它，再发送 /check。"


async def test_a_problem_without_a_measure_goes_to_the_measures_to_fix_it(chat: Chat) -> None:
    """A problem no measure speaks of is named where it stands, but fixed by a measure: its 去修改
    opens the measures step, naming the problem, with 调整对应 to pair it with a measure written
    there, as under the links table; its 忽略 still dismisses it there. 去修改 typed, when every
    finding has one, presses none: the reply says to press the one beside the finding."""
    await _measures_written(chat, ON_STUDY_AND_DISCIPLINE)
    await chat.say("/help")  # away from the measures

    review = await chat.say("/check")
    assert "一、存在的主要问题 / （二）在带头固本培元、增强党性方面 / 第1条“党性修养有所放松，宗" in review
    rows = chat.api.buttons(chat.api.bot_messages(chat.user_id)[-1])
    row = next(r for r in rows if r[0].label.startswith("忽略：问题“党性修养有所放松"))
    assert [b.label for b in row][1:] == ["去修改"] and row[1].data is not None
    assert sum(b.label == "去修改" for r in rows for b in r) > 1
    reply = await chat.say("去修改")
    assert "“去修改”没有记入材料。审核意见中每条意见旁各有一个“去修改”按钮" in reply
    assert "请点要修改的那条意见旁的按钮" in reply
    assert chat.labels() == [] and "第1/" not in reply  # nothing opened; the review's buttons stay the last
    reply = await chat.press(row[1].data)
    assert "第7/7部分 · 努力方向和整改措施" in reply
    assert (
        "要整改问题“党性修养有所放松，宗旨意识淡化”，请在这一部分补写针对它的措施；"
        "已有的措施能整改它的，点“调整对应”把它对应过去。"
    ) in reply
    assert chat.labels()[:2] == ["确认对应", "调整对应"]
    assert "请选择要调整的问题" in await chat.press("调整对应")

    await chat.say("/check")
    await chat.press(row[0].label)
    assert "只是按顺序推定（已忽略）\n   一、存在的主要问题 / （二）" in await chat.say("/check")


async def test_fix_first_opens_the_item_the_first_error_is_in(chat: Chat) -> None:
    """/report's 先去修改 goes where /check's 去修改 goes: to the very item the first 必须修改 is in,
    its menu open, not to the top of its aspect to look for it among the others."""
    await chat.say("/start")
    wrong = EVERY_ASPECT.replace("一是党性锻炼有所放松。", "一是增强四种意识不够自觉。二是党性锻炼有所放松。")
    await chat.harness.upload(chat.user_id, "我的材料.txt", wrong.encode(), "text/plain")
    await chat.press("导入为新材料，继续修改")
    await chat.say("/report")
    reply = await chat.press("Word（公文格式）")
    assert "“四种意识”应为“四个意识”" in reply and chat.labels() == ["先去修改", "仍然生成"]
    reply = await chat.press("先去修改")
    assert reply.split() == ["一是", "增强四种意识不够自觉。"]  # the item named, not its aspect's list
    assert "修改" in chat.labels() and "删除" in chat.labels(), chat.labels()
