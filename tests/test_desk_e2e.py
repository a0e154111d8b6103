"""The reviewer's desk end to end, through the real PTB stack on the in-process Bot API: an admin
makes a reviewer, the reviewer opens a batch, five cadres join (one copies two problems from
another, one never hands in), returns with comments, resubmission, approval, the overdue reminder
and both exports."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from docx import Document as open_docx
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from bot.botapi import InProcessBotApi
from bot.dates import format_date
from bot.settings import Settings
from handlers.common import Services
from handlers.followup import dispatch_once
from storage.db import Database
from storage.models import Reminder, Submission, User
from tests.conftest import Chat, start_bot
from tests.test_drafting_e2e import PREAMBLE, _setup_personal_2025

ADMIN, REVIEWER = 900, 901
ZHANG, WANG, LI, ZHAO, QIAN = 1001, 1002, 1003, 1004, 1005
ZHANG_PROBLEMS = (
    "一是政治理论学习浮于表面。今年个人自学记录只有14篇，多是摘抄，结合分管的招商工作思考不够。\n"
    "二是执行请示报告制度不够严格。5月开发区项目调整时，先办后报，事后才向主要负责同志报告。"
)


CAUSES = {
    "王五": "（一）宗旨意识有所淡化。把群众工作当成软任务，遇到具体诉求习惯于层层转办。",
    "李四": "（一）纪律规矩意识不强。对“小节”问题警惕性不高，认为偶尔为之无伤大雅。",
    "赵六": "（一）党性修养锤炼不够。满足于完成上级布置的任务，主动查找自身差距的自觉性不高。",
}
MEASURES = {
    "王五": "（一）每月到联系村走访不少于2次，群众反映的问题10个工作日内给出答复。",
    "李四": "（一）2026年3月底前对分管单位意识形态阵地开展一次全面排查，建立问题清单。",
    "赵六": "（一）每季度对照党章党规开展一次自我检视，年底前形成书面小结向支部报告。",
}


def _material(name: str, problems: list[str]) -> bytes:
    lines = [
        f"{name}同志2025年度民主生活会个人对照检查材料",
        "按照县委通知要求，会前我认真学习了规定书目，广泛征求意见建议，现将对照检查情况报告如下：",
        "一、存在的主要问题",
        "（一）在带头强化政治忠诚、提高政治能力方面",
        *[f"{'一二三四'[n]}是{p}" for n, p in enumerate(problems)],
        "二、产生问题的原因",
        CAUSES[name],
        "三、努力方向和整改措施",
        MEASURES[name],
    ]
    return "\n".join(lines).encode()


WANG_OWN = "联系服务群众不够深入。今年到联系村走访仅3次，对群众反映的道路维修问题跟进不及时。"
ZHAO_OWN = "履职担当不够有力。对全县预算绩效评价中暴露的项目资金沉淀问题，督促整改只停留在发文层面。"
LI_OWN = [
    "落实意识形态工作责任不够到位。上半年对分管单位阵地管理检查只有1次，发现问题整改督促不紧。",
    "廉洁自律要求有所放松。参加一次同学聚会时对费用来源没有过问，纪律意识不够敏锐。",
]


@pytest.fixture
def desk_settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        data_dir=tmp_path / "data",
        bot_token=None,
        admins=[ADMIN],
        rate_limit_burst=1000,
    )


async def _join(chat: Chat, link: str, name: str) -> str:
    """The cadre opens the share link (his client shows his name)."""
    entries = await chat.harness._exchange(
        lambda: chat.api.send_text(chat.user_id, f"/start {link}", first_name=name)
    )
    return "\n".join(e.text or "" for e in entries)


async def _build_batch(admin: Chat, reviewer: Chat, particulars: str, *choices: str) -> tuple[str, str]:
    """The admin makes 901 a reviewer, who opens a batch with ``particulars`` and presses ``choices``
    (its kind, its theme); the last reply and the batch's link."""
    await admin.say("/grant_reviewer 901")
    await reviewer.say("/batch")
    await reviewer.say(particulars)
    reply = ""
    for choice in choices:
        reply = await reviewer.press(choice)
    link = re.search(r"start=(b_\w+)", reply)
    assert link is not None
    return reply, link.group(1)


async def _open_batch(admin: Chat, reviewer: Chat, unit: str) -> str:
    """A batch of ``unit``'s 2025年度 personal materials; its link."""
    particulars = f"{unit} 2025年度民主生活会 2099年1月9日"
    return (await _build_batch(admin, reviewer, particulars, "个人对照检查材料", "2025年度民主生活会"))[1]


async def _upload(chat: Chat, name: str, data: bytes) -> str:
    entries = await chat.harness.upload(chat.user_id, name, data, "text/plain")
    return "\n".join(e.text or "" for e in entries)


async def _deliver_notes(harness: Any, settings: Settings) -> None:
    """Send the desk's pending notices as the dispatcher would when they are due (they wait for
    working hours)."""
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        due = await session.scalar(
            select(func.max(Reminder.due_at)).where(Reminder.kind == "desk_note", Reminder.state == "pending")
        )
    await db.dispose()
    if due is not None:
        await dispatch_once(harness.application.bot, harness.application.bot_data["services"], now=due)


async def test_a_batch_from_link_to_approved_materials(desk_settings: Settings) -> None:
    api = InProcessBotApi()
    async with start_bot(desk_settings, api) as harness:
        admin, reviewer = Chat(harness, ADMIN), Chat(harness, REVIEWER)
        zhang, wang, li, zhao, qian = (Chat(harness, uid) for uid in (ZHANG, WANG, LI, ZHAO, QIAN))
        services: Services = harness.application.bot_data["services"]

        # Only a reviewer may open a batch; an admin grants the role.
        assert "只有审核人" in await reviewer.say("/batch")
        assert "已授予用户901审核人权限" in await admin.say("/grant_reviewer 901")
        assert "请发送单位、会议和材料截止日期" in await reviewer.say("/batch")
        due = datetime.now(UTC).astimezone(desk_settings.tz).date() + timedelta(days=10)
        reply = await reviewer.say(f"县财政局党组\n2025年度民主生活会\n{format_date(due)}")
        assert "材料按哪一类审核" in reply
        await reviewer.press("个人对照检查材料")
        reply = await reviewer.press("2025年度民主生活会")
        assert "审核批次已建好" in reply and "县财政局党组 2025年度民主生活会" in reply
        found = re.search(r"start=(b_[A-Za-z0-9]+)", reply)
        assert found is not None
        link = found.group(1)

        # 张三 hands in his draft; 王五 copies two of his problems into an uploaded file; 李四 and
        # 赵六 upload their own; 钱七 opens the link and never hands anything in.
        await _setup_personal_2025(zhang)
        await zhang.say(PREAMBLE)
        await zhang.press("跳过本部分")
        await zhang.say(ZHANG_PROBLEMS)
        assert "您已加入审核批次" in await _join(zhang, link, "张三")
        reply = await zhang.press("提交《张三同志2025年度民主生活会个人对照检查材料》")
        assert "已提交到“县财政局党组 2025年度民主生活会”（第1版）" in reply
        assert "产生问题的原因、努力方向和整改措施还没有内容，审核人看到的是一份未写完的材料" in reply

        copied = [p.removeprefix("一是").removeprefix("二是") for p in ZHANG_PROBLEMS.split("\n")]
        for chat, name, problems in (
            (wang, "王五", [*copied, WANG_OWN]),
            (zhao, "赵六", [ZHAO_OWN]),  # before 李四: the desk numbers in the order materials came in
            (li, "李四", LI_OWN),
        ):
            await _join(chat, link, name)
            reply = await _upload(chat, f"{name}.txt", _material(name, problems))
            assert "提交到审核批次：县财政局党组" in chat.labels()
            reply = await chat.press("提交到审核批次：县财政局党组")
            assert "（第1版），等待审核" in reply
        assert "您已加入审核批次" in await _join(qian, link, "钱七")

        # The desk: who stands where, the copying found, 钱七 missing.
        reply = await reviewer.say("/desk")
        assert "已提交4/5人" in reply
        assert "张三（局长） 第1版 待审核" in reply
        assert re.search(r"1\. 张三.*雷同2条", reply) and re.search(r"2\. 王五.*雷同2条", reply)
        assert re.search(r"3\. 赵六.*\n4\. 李四", reply) and not re.search(r"4\. 李四.*雷同", reply)
        assert "未提交（1人）：钱七" in reply
        reply = await reviewer.press("雷同比对")
        assert "【张三 一（一）一是“政治理论学习浮于表面”】" in reply
        assert "【王五 一（一）一是“政治理论学习浮于表面”】" in reply
        assert "执行请示报告制度不够严格" in reply

        # Each author's own review shows the copying as problems.stock, without naming the other.
        reply = await reviewer.press("1. 张三")
        assert "与同一批次另一份材料中的一条几乎相同" in reply and "王五" not in reply
        await reviewer.press("对条目写批注")
        reply = await reviewer.press("1")
        assert "原文：政治理论学习浮于表面" in reply
        await reviewer.say("请写清楚读了哪些原著、结合招商工作有什么具体差距，不要与他人雷同。")
        reply = await reviewer.press("退回修改")
        assert "请用一两句话写明退回原因" in reply and "不写原因，直接退回" in reviewer.labels()
        reply = await reviewer.say("问题与他人雷同，请结合本人实际重写第一条。")
        assert "张三的材料（第1版）已退回修改，附退回原因，附批注1条。作者会收到通知" in reply

        # The author is told (through the reminder queue), sees the comment at the item, revises.
        await _deliver_notes(harness, desk_settings)
        assert (
            "被退回修改。\n退回原因：问题与他人雷同，请结合本人实际重写第一条。\n审核人还写了1条批注"
            in zhang.last_text()
        )
        told = [
            str(m.get("text", "")) for m in api.bot_messages(REVIEWER) if "待审核。" in str(m.get("text", ""))
        ]
        # Each hand-in was announced to the reviewer, but for the one he had already returned.
        assert told == [
            f"“县财政局党组 2025年度民主生活会”：{n}提交了材料（第1版），待审核。"
            for n in ("王五", "赵六", "李四")
        ]
        reply = await zhang.press("查看批注")
        assert "一（一）一是“政治理论学习浮于表面”" in reply
        assert "→ 请写清楚读了哪些原著" in reply
        reply = await zhang.press("按批注修改")
        assert "审核人对这一部分的批注：\n· 一（一）一是“政治理论学习浮于表面”：请写清楚" in reply
        assert "在带头强化政治忠诚、提高政治能力方面" in zhang.last_text()  # the step the comment is on
        await zhang.say("联系服务群众不够经常。全年到分管的3个企业走访仅5次，对企业反映的用地问题协调不力。")
        reply = await zhang.say("/desk")
        assert "第1版 退回修改" in reply
        await zhang.press("提交材料：县财政局党组")
        reply = await zhang.press("提交《张三同志2025年度民主生活会个人对照检查材料》")
        assert "（第2版），等待审核" in reply

        await _deliver_notes(harness, desk_settings)
        assert "张三修改后重新提交了材料（第2版），待审核" in reviewer.last_text()
        reply = await reviewer.say("/desk")
        assert re.search(r"张三（局长） 第2版 待审核.*退回后改动1处", reply)
        reply = await reviewer.press("1. 张三")
        assert "与上次退回的版本相比：新增1处" in reply and "联系服务群众不够经常" in reply
        assert "上次退回时的批注（第1版）：\n· 一（一）一是“政治理论学习浮于表面”：请写清楚" in reply
        assert "不要与他人雷同。（未修改）" in reply
        assert "审核通过" in reviewer.labels()
        reply = await reviewer.press("审核通过")
        assert "张三的材料（第2版）已审核通过" in reply
        await reviewer.press("返回批次")
        await reviewer.press("4. 李四")
        await reviewer.press("审核通过")
        await _deliver_notes(harness, desk_settings)
        assert "已审核通过" in zhang.last_text() and "已审核通过" in li.last_text()

        # The reviewer reminds who has not handed in (催交); 钱七 is told at once, in working hours.
        await reviewer.say("/desk")
        reply = await reviewer.press("提醒未提交的1人")
        assert "提醒1位同志提交材料：钱七" in reply
        db = Database(desk_settings.effective_database_url)
        async with db.transaction() as session:
            rows = (await session.scalars(select(Reminder).where(Reminder.kind == "desk_due"))).all()
            asked = next(r.due_at for r in rows if r.key.split(":")[-1].startswith("asked"))
        await dispatch_once(harness.application.bot, services, now=asked)
        assert re.search(r"将于\d+年\d+月\d+日截止（还有\d+天），您还没有提交", qian.last_text())

        # 钱七 is reminded again when the due date comes and after it; those who handed in are not.
        async with db.transaction() as session:
            rows = (await session.scalars(select(Reminder).where(Reminder.kind == "desk_due"))).all()
            planned = sorted(r.due_at for r in rows if r.user_id == QIAN and "asked" not in r.key)
            first_due, second_due = planned[:2]
            versions = (await session.scalars(select(Submission))).all()
            assert sorted((s.subject_id, s.version, s.status) for s in versions) == [
                (ZHANG, 1, "returned"), (ZHANG, 2, "approved"), (WANG, 1, "submitted"),
                (LI, 1, "approved"), (ZHAO, 1, "submitted"),
            ]  # fmt: skip
        await db.dispose()
        before = {uid: len(api.bot_messages(uid)) for uid in (ZHANG, WANG, LI, ZHAO, QIAN)}
        await dispatch_once(harness.application.bot, services, now=first_due)
        assert (
            "截止" in qian.last_text() and "您还没有提交" in qian.last_text() and "提交材料" in qian.labels()
        )
        await dispatch_once(harness.application.bot, services, now=second_due)
        assert re.search(r"已超过截止日期\d+天.*您还没有提交", qian.last_text())
        assert all(len(api.bot_messages(uid)) == before[uid] for uid in (ZHANG, WANG, LI, ZHAO))

        # Exports: the batch as .xlsx, the approved materials as official .docx files.
        await reviewer.say("/desk")
        await reviewer.press("导出Excel")
        assert api.documents(REVIEWER)[-1].filename == "县财政局党组_2025年度民主生活会_审核情况.xlsx"
        sheet = load_workbook(io.BytesIO(api.documents(REVIEWER)[-1].data)).active
        assert sheet is not None
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
        assert [(r[1], r[3]) for r in rows] == [
            ("张三", "已通过"), ("王五", "待审核"), ("赵六", "待审核"),
            ("李四", "已通过"), ("钱七", "未提交"),
        ]  # fmt: skip
        assert rows[0][2] == "局长" and rows[0][4] == 2 and rows[1][9] >= 2
        await reviewer.press("已通过材料（Word）")
        assert api.documents(REVIEWER)[-1].filename == "县财政局党组_2025年度民主生活会_已通过材料.zip"
        archive = zipfile.ZipFile(io.BytesIO(api.documents(REVIEWER)[-1].data))
        names = sorted(archive.namelist())
        assert len(names) == 2 and any("张三" in n for n in names) and any("李四" in n for n in names)
        text = [
            p.text
            for p in open_docx(io.BytesIO(archive.read(next(n for n in names if "张三" in n)))).paragraphs
        ]
        assert any("联系服务群众不够经常" in p for p in text)


async def test_a_batch_is_due_at_the_end_of_a_period_named_as_deadlines_are(desk_settings: Settings) -> None:
    """明年一季度, 一季度末, 上半年, 年底前: the reviewer names the due date as 整改时限 are named, on
    2026年1月5日; the batch is due on the period's last day, this year's 年底 though it is January."""
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer = Chat(harness, ADMIN), Chat(harness, REVIEWER)
        await admin.say("/grant_reviewer 901")
        await reviewer.say("/batch")
        assert "没有读出截止日期" in await reviewer.say("县财政局党组 2025年度民主生活会 等上级通知")
        await reviewer.say("县财政局党组 2025年度民主生活会 明年一季度")
        await reviewer.press("个人对照检查材料")
        reply = await reviewer.press("2025年度民主生活会")
        assert "截止2027年3月31日" in reply, reply
        moves = (("一季度末", "2026年3月31日"), ("上半年", "2026年6月30日"), ("年底前", "2026年12月31日"))
        for typed, due in moves:
            await reviewer.say("/desk")
            await reviewer.press("更改截止日期")
            assert f"截止日期已改为{due}" in await reviewer.say(typed)


async def test_the_reviewer_moves_the_due_date_and_the_reminders_move_with_it(
    desk_settings: Settings,
) -> None:
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer, cadre = Chat(harness, ADMIN), Chat(harness, REVIEWER), Chat(harness, QIAN)
        link = await _open_batch(admin, reviewer, "县统计局党组")
        await _join(cadre, link, "钱七")
        await reviewer.say("/desk")
        await reviewer.press("提醒未提交的1人")
        await reviewer.say("/desk")
        assert "现在截止2099年1月9日" in await reviewer.press("更改截止日期")
        assert "已经过去" in await reviewer.say("2020年1月1日")
        reply = await reviewer.say("2099年2月10日")
        assert "截止日期已改为2099年2月10日，1位未提交同志的提醒已按新日期安排" in reply
        assert "截止2099年2月10日" in await reviewer.say("/desk")
        db = Database(desk_settings.effective_database_url)
        async with db.transaction() as session:
            keys = sorted((await session.scalars(select(Reminder.key).where(Reminder.user_id == QIAN))).all())
        await db.dispose()
        planned = [k for k in keys if "asked" not in k]
        assert planned and all(k.split(":")[-1].startswith("2099-02") for k in planned)
        assert len(keys) == len(planned) + 1  # the 催交 he asked for is still to be sent


async def test_a_moved_due_date_reminds_each_member_at_his_own_hours(desk_settings: Settings) -> None:
    """钱七 is abroad (Tokyo): the reminders the reviewer's new due date plans for him come at 09:30
    there, as those planned when he joined did, not at the reviewer's 09:30."""
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer, cadre = Chat(harness, ADMIN), Chat(harness, REVIEWER), Chat(harness, QIAN)
        link = await _open_batch(admin, reviewer, "县统计局党组")
        await cadre.say("/start")
        db = Database(desk_settings.effective_database_url)
        async with db.transaction() as session:
            await session.execute(update(User).where(User.id == QIAN).values(timezone="Asia/Tokyo"))
        await _join(cadre, link, "钱七")
        await reviewer.say("/desk")
        await reviewer.press("更改截止日期")
        await reviewer.say("2099年2月10日")
        async with db.transaction() as session:
            due = (await session.scalars(select(Reminder.due_at).where(Reminder.user_id == QIAN))).all()
        await db.dispose()
        assert due and {d.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M") for d in due} == {"09:30"}


async def test_an_item_quoting_a_term_is_named_with_nested_quotes(desk_settings: Settings) -> None:
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer, cadre = Chat(harness, ADMIN), Chat(harness, REVIEWER), Chat(harness, LI)
        link = await _open_batch(admin, reviewer, "县审计局党组")
        await _join(cadre, link, "李四")
        problem = "履行“一岗双责”不到位。对分管科室廉政风险排查只安排部署，全年谈心谈话只有4次。"
        await _upload(cadre, "李四.txt", _material("李四", [problem]))
        await cadre.press("提交到审核批次：县审计局党组")
        await reviewer.say("/desk")
        await reviewer.press("1. 李四")
        # “…“…”…” reads as two quotations; Chinese nests single quotes inside double ones
        reply = await reviewer.press("对条目写批注")
        assert "一（一）“履行‘一岗双责’不到位”" in reply  # the aspect's one point: no 一是
        await reviewer.press("1")
        reply = await reviewer.say("请写明对哪个科室、哪次谈话。")
        assert "已记下批注（一（一）“履行‘一岗双责’不到位”）" in reply
        # a second message meant as another comment is not kept, and the reviewer hears so and how
        reply = await reviewer.say("另外，谈心谈话次数请核实。")
        assert "这条消息没有记下" in reply and "继续批注" in reply


async def test_the_desk_counts_in_the_words_and_numbers_of_the_review(desk_settings: Settings) -> None:
    """The list, the opened material, the author's hand-in note and the .xlsx count a version's review
    alike, in the review's own words; copying is shown apart, as 雷同, wherever it is shown."""
    api = InProcessBotApi()
    async with start_bot(desk_settings, api) as harness:
        admin, reviewer = Chat(harness, ADMIN), Chat(harness, REVIEWER)
        wang, li = Chat(harness, WANG), Chat(harness, LI)
        link = await _open_batch(admin, reviewer, "县财政局党组")
        handed = ""
        for chat, name, problems in ((wang, "王五", [WANG_OWN]), (li, "李四", [WANG_OWN, *LI_OWN])):
            await _join(chat, link, name)
            await _upload(chat, f"{name}.txt", _material(name, problems))
            handed = await chat.press("提交到审核批次：县财政局党组")

        listed = await reviewer.say("/desk")
        assert "错误" not in listed and "警告" not in listed
        found = re.search(r"2\. 李四 第1版 待审核 · (必须修改\d+处[^·\n]*) · 雷同", listed)
        assert found is not None, listed
        counts = found.group(1)
        opened = await reviewer.press("2. 李四")
        assert f"审核意见：{counts}\n" in opened
        assert "雷同（不计入上面的处数）：问题中有1条与同一批次另一份材料中的一条几乎相同" in opened
        assert f"自动审核：{counts}；另有雷同：问题中有1条与同一批次另一份材料中的一条几乎相同" in handed

        await reviewer.press("返回批次")
        await reviewer.press("导出Excel")
        sheet = load_workbook(io.BytesIO(api.documents(REVIEWER)[-1].data)).active
        assert sheet is not None
        header = [c.value for c in sheet[2]]
        assert header[7:9] == ["必须修改", "建议修改"] and "问题查摆（必须修改/建议修改）" in header
        row = [c.value for c in sheet[4]]
        must = re.search(r"必须修改(\d+)处", counts)
        should = re.search(r"建议修改(\d+)处", counts)
        assert row[1] == "李四" and must is not None
        assert (row[7], row[8]) == (int(must.group(1)), int(should.group(1)) if should else 0)


async def test_a_measure_copied_is_counted_and_shown_alike_in_the_list_and_the_review(
    desk_settings: Settings,
) -> None:
    """The list's 雷同N条 and the opened review's 雷同 cover the same items: problems, causes and
    measures, each author's own review included."""
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer = Chat(harness, ADMIN), Chat(harness, REVIEWER)
        wang, zhao = Chat(harness, WANG), Chat(harness, ZHAO)
        link = await _open_batch(admin, reviewer, "县财政局党组")
        handed = ""
        for chat, name, problems in ((wang, "王五", [WANG_OWN]), (zhao, "赵六", [ZHAO_OWN])):
            await _join(chat, link, name)
            text = _material(name, problems).decode().replace(MEASURES[name], MEASURES["王五"])
            await _upload(chat, f"{name}.txt", text.encode())
            handed = await chat.press("提交到审核批次：县财政局党组")
        listed = await reviewer.say("/desk")
        assert re.search(r"1\. 王五.*雷同1条", listed) and re.search(r"2\. 赵六.*雷同1条", listed)
        opened = await reviewer.press("2. 赵六")
        assert "雷同（不计入上面的处数）：措施中有1条与同一批次另一份材料中的一条几乎相同" in opened
        assert "另有雷同：措施中有1条与同一批次另一份材料中的一条几乎相同" in handed


async def test_an_aspect_written_as_one_paragraph_is_compared_too(desk_settings: Settings) -> None:
    """Uploaded materials often give an aspect of one problem as a plain paragraph, without 一是 (as
    the bot prints one itself): that paragraph is the aspect's one point, compared, named and
    commented on as any item."""
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer = Chat(harness, ADMIN), Chat(harness, REVIEWER)
        link = await _open_batch(admin, reviewer, "县水利局党组")
        copied = "担当精神不够强。今年汛前河道清障任务推进中遇到拆违阻力，我两次推给乡镇处理。"
        for uid, name in ((LI, "李四"), (ZHAO, "赵六")):
            cadre = Chat(harness, uid)
            await _join(cadre, link, name)
            text = (
                _material(name, [])
                .decode()
                .replace(
                    "（一）在带头强化政治忠诚、提高政治能力方面",
                    f"（一）在带头强化政治忠诚、提高政治能力方面\n{copied}",
                )
            )
            await _upload(cadre, f"{name}.txt", text.encode())
            await cadre.press("提交到审核批次：县水利局党组")
        reply = await reviewer.say("/desk")
        assert re.search(r"1\. 李四.*雷同1条", reply) and re.search(r"2\. 赵六.*雷同1条", reply)
        reply = await reviewer.press("雷同比对")
        named = "一（一）“担当精神不够强”"
        assert f"【李四 {named}】{copied}" in reply and f"【赵六 {named}】{copied}" in reply
        await reviewer.press("返回批次")
        await reviewer.press("1. 李四")
        reply = await reviewer.press("对条目写批注")
        assert f"1. {named}" in reply and "整段文字" not in reply


async def test_a_batch_left_before_its_theme_is_finished_from_the_desk(desk_settings: Settings) -> None:
    """A reviewer who leaves /batch before picking the kind and theme is asked them at /desk, and
    gets no share link that would turn every cadre away, until the batch is complete."""
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer, cadre = Chat(harness, ADMIN), Chat(harness, REVIEWER), Chat(harness, QIAN)
        await admin.say("/grant_reviewer 901")
        await reviewer.say("/batch")
        assert "材料按哪一类审核" in await reviewer.say("县审计局党组 2025年度民主生活会 2099年1月9日")
        reply = await reviewer.say("/desk")
        assert "还没有设置完成" in reply and "材料按哪一类审核" in reply
        assert "start=b_" not in reply and "分享链接" not in reviewer.labels()
        assert "对照哪一年度的主题" in await reviewer.press("个人对照检查材料")
        reply = await reviewer.say("/desk")
        assert "还没有设置完成" in reply and "对照哪一年度的主题" in reply
        found = re.search(r"start=(b_\w+)", await reviewer.press("2025年度民主生活会"))
        assert found is not None
        assert "您已加入审核批次" in await _join(cadre, found.group(1), "钱七")
        reply = await reviewer.say("/desk")
        assert "钱七" in reply and "分享链接" in reviewer.labels()


async def test_the_particulars_sent_with_the_command_open_the_batch(desk_settings: Settings) -> None:
    """/batch with the unit, meeting and due date in the same message, on its line or under it."""
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer = Chat(harness, ADMIN), Chat(harness, REVIEWER)
        await admin.say("/grant_reviewer 901")
        reply = await reviewer.say("/batch\n县审计局党组\n2025年度民主生活会\n2099年1月9日")
        assert "批次：县审计局党组 2025年度民主生活会，截止2099年1月9日" in reply
        assert "材料按哪一类审核" in reply
        reply = await reviewer.say("/batch 县统计局党组 2025年度民主生活会")  # the due date left out
        assert "请依次写单位、会议和截止日期" in reply
        reply = await reviewer.say("县统计局党组 2025年度民主生活会 2099年1月9日")  # the question stays
        assert "批次：县统计局党组 2025年度民主生活会" in reply
        reply = await reviewer.say("/batch")
        assert "请发送单位、会议和材料截止日期" in reply


async def test_the_due_date_is_read_as_deadlines_are_written(desk_settings: Settings) -> None:
    """“2099年1月9日前”, “截止2099年2月10日前” and a date without its year are due dates too."""
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer = Chat(harness, ADMIN), Chat(harness, REVIEWER)
        await admin.say("/grant_reviewer 901")
        await reviewer.say("/batch")
        reply = await reviewer.say("县审计局党组\n2025年度民主生活会\n2099年1月9日前")
        assert "截止2099年1月9日" in reply and "材料按哪一类审核" in reply
        await reviewer.press("个人对照检查材料")
        await reviewer.press("2025年度民主生活会")
        await reviewer.say("/desk")
        await reviewer.press("更改截止日期")
        assert "截止日期已改为2099年2月10日" in await reviewer.say("截止2099年2月10日前")
        await reviewer.press("更改截止日期")
        assert "截止日期已改为2026年2月1日" in await reviewer.say("2月1日")  # the tests' today: 2026-01-05


async def test_a_batch_of_a_year_whose_aspects_are_not_collected_checks_each_against_its_own(
    desk_settings: Settings,
) -> None:
    """December 2026: the 2026年度 notice is out, the catalog has no 2026 aspects yet. Checked against
    2025's, every material would miss aspects it was never asked to cover: the theme question says
    so and offers checking each against its own first."""
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer, cadre = Chat(harness, ADMIN), Chat(harness, REVIEWER), Chat(harness, LI)
        particulars = "县审计局党组 2026年度民主生活会 2099年1月9日"
        await admin.say("/grant_reviewer 901")
        await reviewer.say("/batch")
        await reviewer.say(particulars)
        asked = await reviewer.press("个人对照检查材料")
        assert "2026年度的主题和方面尚未收录，请选“按各材料列出的方面审核”" in asked
        assert reviewer.labels()[0] == "按各材料列出的方面审核"
        reply = await reviewer.press("按各材料列出的方面审核")
        link = re.search(r"start=(b_\w+)", reply)
        assert link is not None
        assert "审核批次已建好" in reply and "个人对照检查材料、按各材料列出的方面审核" in reply
        await _join(cadre, link.group(1), "李四")
        material = (
            _material("李四", LI_OWN)
            .decode()
            .replace("2025年度", "2026年度")
            .replace("在带头强化政治忠诚、提高政治能力方面", "在深入学习贯彻党的创新理论方面")
        )
        await _upload(cadre, "李四.txt", material.encode())
        await cadre.press("提交到审核批次：县审计局党组")
        await reviewer.say("/desk")
        review = await reviewer.press("1. 李四")
        # against 2025's theme: 必须修改 for the 年度 and for aspects that match none of 2025's
        assert "审核意见" in review and "必须修改" not in review and "对不上" not in review


async def test_a_batch_of_self_inspection_reports_takes_each_unit_s_report(desk_settings: Settings) -> None:
    """A 专项检查 collects the 自查自纠报告 of its units: the aspects are each notice's, so the batch
    asks no theme, and a unit's report handed in is reviewed as one."""
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer, cadre = Chat(harness, ADMIN), Chat(harness, REVIEWER), Chat(harness, LI)
        particulars = "县纪委监委 财经纪律专项自查自纠 2099年1月9日"
        reply, link = await _build_batch(admin, reviewer, particulars, "自查自纠报告")
        assert "审核批次已建好" in reply and "自查自纠报告、按各材料列出的方面审核" in reply
        await _join(cadre, link, "李四")
        report = (
            "县交通运输局2026年度自查自纠情况报告\n"
            "根据县纪委监委通知要求，我局对财经纪律执行情况开展了自查。现将自查自纠情况报告如下：\n"
            "一、存在的问题\n（一）公务接待是否严格执行标准\n有3批次接待未附公函，已于12月10日补齐。\n"
            "二、问题产生的原因\n财务审核把关不严，只看票据是否齐全。\n"
            "三、整改措施\n2027年1月底前修订公务接待管理办法，明确公函审批流程。\n"
        )
        await _upload(cadre, "自查报告.txt", report.encode())
        assert "已提交到“县纪委监委 财经纪律专项自查自纠”（第1版）" in await cadre.press(
            "提交到审核批次：县纪委监委"
        )
        # listed by the unit its title names, not by the member who handed it in
        assert "1. 县交通运输局 第1版 待审核" in await reviewer.say("/desk")
        review = await reviewer.press("1. 县交通运输局")
        assert "审核意见" in review and "必须修改" not in review
        assert "县交通运输局 · 县纪委监委" in review and "未署名" not in review


async def test_every_copied_item_is_counted_when_four_materials_are_the_same(desk_settings: Settings) -> None:
    """Four members hand in one material (four problems, a cause, a measure): each author's review
    counts all six items the desk's list counts, not the first three the review's cap would keep."""
    same = [p.removeprefix("一是").removeprefix("二是") for p in ZHANG_PROBLEMS.split("\n")]
    same += [WANG_OWN, ZHAO_OWN]
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer = Chat(harness, ADMIN), Chat(harness, REVIEWER)
        link = await _open_batch(admin, reviewer, "县财政局党组")
        for user_id in (ZHANG, WANG, LI, ZHAO):
            chat = Chat(harness, user_id)
            await _join(chat, link, "王五")
            await _upload(chat, "王五.txt", _material("王五", same))
            handed = await chat.press("提交到审核批次：县财政局党组")
        assert "另有雷同：问题中有4条、原因中有1条、措施中有1条与同一批次另一份材料中的一条几乎相同" in handed
        listing = await reviewer.say("/desk")
        assert listing.count("雷同6条") == 4, listing
        opened = await reviewer.press("4. 王五")
        assert "雷同（不计入上面的处数）：问题中有4条、原因中有1条、措施中有1条" in opened
        assert "第4条“履职担当不够有力。”" in opened and "此后还有" not in opened


async def test_hand_in_typed_without_its_batch_offers_the_buttons_of_the_file_sent_last(
    desk_settings: Settings,
) -> None:
    """The bot tells cadres to press 提交到审核批次 under a file's review; one who types it instead is
    told what to do first, or given the buttons for the file he sent last, by name."""
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer, cadre = Chat(harness, ADMIN), Chat(harness, REVIEWER), Chat(harness, WANG)
        link = await _open_batch(admin, reviewer, "县财政局党组")
        assert "您还没有加入审核批次。请先打开审核人发给您的批次链接" in await cadre.say("提交到审核批次")
        await _join(cadre, link, "王五")
        reply = await cadre.say("提交到审核批次")
        assert "请先把 .docx 或 .txt 材料文件发给我" in reply and "请发送 /desk" in reply
        await _upload(cadre, "王五的材料.txt", _material("王五", [WANG_OWN]))
        reply = await cadre.say("提交到审核批次：")
        assert "要提交您刚才发来的《王五的材料.txt》，请点下面的按钮" in reply
        assert cadre.labels() == ["提交到审核批次：县财政局党组"]
        assert "（第1版），等待审核" in await cadre.press("提交到审核批次：县财政局党组")


async def test_a_team_material_handed_in_is_listed_by_its_unit(desk_settings: Settings) -> None:
    """The 组织部 reads the townships' 领导班子 materials: each is listed, opened and filed under its
    unit (青山镇), not under the office staffer who handed it in."""
    async with start_bot(desk_settings, InProcessBotApi()) as harness:
        admin, reviewer, office = Chat(harness, ADMIN), Chat(harness, REVIEWER), Chat(harness, ZHANG)
        await admin.say("/grant_reviewer 901")
        await reviewer.say("/batch")
        await reviewer.say("县委组织部 2024年度民主生活会 2099年1月9日")
        await reviewer.press("领导班子对照检查材料")
        link = re.search(r"start=(b_\w+)", await reviewer.press("2024年度民主生活会"))
        assert link is not None
        await office.say("/new")
        await office.press("领导班子对照检查材料")
        await office.press("2024年度民主生活会（4个方面）")
        await office.meeting_date("2025年1月20日")
        await office.say("青山镇")
        await office.say("青山镇领导班子按照县委要求，会前集中学习4次，广泛征求意见。现报告如下：")
        await _join(office, link.group(1), "张三")
        await office.say("/desk")
        await office.press("提交材料：县委组织部")
        reply = await office.press("提交《青山镇领导班子2024年度民主生活会对照检查材料》")
        assert "等待审核" in reply
        reply = await reviewer.say("/desk")
        assert "1. 青山镇 第1版 待审核" in reply and "张三" not in reply
        reply = await reviewer.press("1. 青山镇")
        assert "青山镇 · 县委组织部" in reply
        await reviewer.press("Word原文")
        assert reviewer.api.documents(REVIEWER)[-1].filename.startswith("01_青山镇_")
