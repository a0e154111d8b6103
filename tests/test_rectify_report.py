"""What follow-up writes from a material's problems (the ledger, the 整改落实情况报告, next year's
上年度整改落实情况) says them as documents do."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
from docx import Document as open_docx

from bot.botapi import InProcessBotApi
from bot.dates import format_date
from bot.deadlines.settings import DEFAULT_SETTINGS
from bot.flows import rectify_report
from bot.flows.rectify_report import _title
from bot.measure_status import MeasureStatus
from bot.render.ledger import LedgerRow
from bot.settings import Settings
from tests.conftest import TEST_TODAY, Chat, start_bot
from tests.test_drafting_e2e import PREAMBLE, _setup_personal_2025
from tests.test_followup import _draft_with_deadlines
from tests.test_next_year import _next_years_material
from tests.test_rectification_chain import (
    _latest_draft_text,
    _open,
    _press_starting,
    _problems_and_measures,
    event_day,
)

PROBLEM = "履行“一岗双责”不到位。对分管科室廉政风险排查只安排部署，全年谈心谈话只有4次。"
HEARD = "抓落实不够有力。谈心谈话中有同志指出，我对分管工作部署多、督促少。"


async def test_a_quoted_term_in_a_problem_nests_as_single_quotes(chat: Chat, settings: Settings) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await chat.say(PROBLEM)
    await chat.say(HEARD)
    await chat.fill_until(lambda c: "努力方向" in c.last_text() and "本部分填写完毕" in c.labels())
    await chat.say("每季度对分管科室开展一次廉政风险排查，形成排查清单。")
    await chat.press("本部分填写完毕")
    await chat.press("确认对应")  # the one measure is the user's for both problems, not a guess
    await chat.fill_until(lambda c: "各条整改措施的时限都已设定" in c.last_text())

    # 问题来源: a 谈心谈话 the cadre held too rarely is his own finding; one where he was told is not
    await chat.say("/ledger")
    sheet = openpyxl.load_workbook(io.BytesIO(chat.api.documents(chat.user_id)[-1].data))["整改台账"]
    header = [c.value for c in sheet[2]]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    sources = {str(r[header.index("问题")])[:4]: r[header.index("问题来源")] for r in rows}
    assert sources["履行“一"] == "自己查摆" and sources["抓落实不"] == "谈心谈话", sources

    await chat.say("/rectify_report")
    report = await _latest_draft_text(settings)
    # “…“…”…” reads as two quotations; Chinese nests single quotes inside double ones. Both
    # problems have the one measure: they are reported together, the measure said once.
    assert "“履行“" not in report
    first = next(line for line in report.splitlines() if "履行" in line)
    assert first.startswith("关于“履行‘一岗双责’不到位”“抓落实不够有力”")  # its one point: no 一是
    assert first.count("每季度对分管科室开展一次廉政风险排查") == 1
    await chat.say("/report")
    await chat.press("Word（公文格式）")
    docx = open_docx(io.BytesIO(chat.api.documents(chat.user_id)[-1].data))
    signed = [p.text.strip() for p in docx.paragraphs if p.text.strip()][-1]
    assert signed == format_date(TEST_TODAY)  # the day it is written, not the meeting's 2026年1月15日

    assert "预填了“上年度整改落实情况”" in await _next_years_material(chat)
    await chat.meeting_date("2027年1月15日")
    for _ in range(3):
        await chat.press("跳过")
    await chat.say(PREAMBLE)
    assert "关于“履行‘一岗双责’不到位”：" in chat.last_text()


async def test_the_plans_name_the_deadline_of_the_measure_still_open(chat: Chat, settings: Settings) -> None:
    # the 品德合格 problem is rectified by both measures: the first is done, the second postponed
    await _draft_with_deadlines(chat, ["2026年3月31日前", "2026年6月底前"])
    await chat.on_first_measure("已完成")
    await chat.say("完成读书笔记12篇。")
    await chat.press("跳过")
    await chat.on_first_measure("申请延期")
    await chat.say("2026年9月30日前")
    await chat.say("联系点调整。")

    await chat.say("/rectify_report")
    report = await _latest_draft_text(settings)
    plans = report[report.index("三、下一步工作打算") :]
    assert "的整改，2026年9月30日前完成，完成后及时销号" in plans
    assert "2026年3月31日前" not in plans  # the done measure's deadline, long past
    # no measure is 长期坚持: no plan for such items, and none of a checking rhythm nobody set
    assert "长期坚持" not in plans and "每季度" not in plans
    # the problems rectified by the first measure alone are done: they are looked back at
    assert "2026年2月5日前对已完成整改的问题逐项开展一次“回头看”" in plans, plans


async def test_a_pairing_never_confirmed_is_not_reported_as_a_fact(chat: Chat, settings: Settings) -> None:
    """A problem the proposal pairs with a measure by the aspect order alone, stored so when the
    user went on to the deadlines: the report cites no measure under it, counts it apart, and the
    reply says which pairing awaits confirmation, with the table's buttons; once confirmed, the next
    report cites the measure."""
    await _deadlines_past_the_proposal(chat)
    reply = await chat.say("/rectify_report")
    guesses = "其中有2条问题（问题2“党性锻炼有所放松”、问题4“干事创业劲头不足”）"
    assert f"{guesses}与整改措施的对应仅按顺序推定，还没有确认" in reply
    assert "再发送 /rectify_report 重新生成" in reply and chat.labels()[:2] == ["确认对应", "调整对应"]
    report = await _latest_draft_text(settings)
    assert "关于“干事创业劲头不足”的问题，尚未明确整改措施。\n" in report, report
    assert "共查摆问题5条，制定整改措施3项；截至目前，已完成0条，尚未启动3条，尚未明确整改措施2条。" in report
    assert "“干事创业劲头不足”尚未明确整改措施。" in report
    plans = report[report.index("三、下一步工作打算") :]
    unset = (
        "（一）2026年2月5日前制定“党性锻炼有所放松”“干事创业劲头不足”的整改措施并明确时限，"
        "纳入整改台账推进，完成后及时销号。"
    )
    # every open problem has its plan; nothing is done, so there is no “回头看” to take their room
    assert unset in plans and "（四）尽快启动“管党治党责任落实不到位”的整改" in plans, plans
    assert "其余" not in plans and "回头看" not in plans

    assert "已确认问题与措施的对应" in await chat.press("确认对应")
    assert "仅按顺序推定" not in await chat.say("/rectify_report")
    report = await _latest_draft_text(settings)
    assert "关于“干事创业劲头不足”的问题，整改尚未启动。整改措施：每月到联系点走访群众一次" in report
    assert "尚未明确整改措施" not in report


async def _deadlines_past_the_proposal(chat: Chat) -> None:
    """The chain's five problems and three measures, the user going on to the deadlines without
    confirming the links: problems 2 and 4 keep measures 1 and 2 by the aspect order alone."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await _problems_and_measures(chat)
    assert "问题4 干事创业劲头不足。 → 措施2（仅按顺序推定）" in chat.last_text()
    assert "问题2 党性锻炼有所放松。 → 措施1（仅按顺序推定）" in chat.last_text()
    for deadline in ("2027年3月31日前", "2027年6月30日前", "2027年6月30日前"):
        await chat.say(deadline)


def _ledger_sheets(chat: Chat) -> tuple[list[list[object]], list[list[object]]]:
    """The values of the last ledger sent: its 整改台账 rows (header first), its 完成情况汇总 rows."""
    book = openpyxl.load_workbook(io.BytesIO(chat.api.documents(chat.user_id)[-1].data))
    ledger, summary = (
        [list(row) for row in book[name].iter_rows(min_row=2, values_only=True)]
        for name in ("整改台账", "完成情况汇总")
    )
    return ledger, summary


async def test_the_ledger_marks_a_pairing_never_confirmed(chat: Chat, settings: Settings) -> None:
    """The ledger keeps the measure the proposal gave a problem by the aspect order alone, marked in
    its cell and explained under the table, and counts each measure once still; the reply names
    those pairings with the table's buttons. Once confirmed, the pairing is the user's: no mark."""
    await _deadlines_past_the_proposal(chat)
    reply = await chat.say("/ledger")
    guesses = (
        "台账中有2条问题（问题2“党性锻炼有所放松”、问题4“干事创业劲头不足”）与整改措施的对应仅按顺序推定"
    )
    assert f"{guesses}，还没有确认，已在其整改措施后标“（对应待确认）”" in reply
    assert "再发送 /ledger 重新导出" in reply and chat.labels() == ["确认对应", "调整对应"]
    ledger, summary = _ledger_sheets(chat)
    measures = {str(row[2])[:4]: row[4] for row in ledger[1:6]}
    assert measures["党性锻炼"] == "每周精读原著不少于4小时，系统学习理论并撰写心得。（对应待确认）"
    assert measures["理论学习"] == "每周精读原著不少于4小时，系统学习理论并撰写心得。"
    assert str(measures["干事创业"]).endswith("确保件件有回音。（对应待确认）")
    assert ledger[6:] == [
        [None] * 15,
        ["注：标“（对应待确认）”的整改措施，与该行问题的对应仅按顺序推定，尚未确认。", *[None] * 14],
    ]
    # the summary counts each measure where the ledger rows put it, the aspects counted by a guess
    # marked as those rows are: 增强党性's only measure, not 担当作为's, whose problem it is by the
    # aspect order alone; the 合计 counts three measures, however marked
    aspects = [row[0] for row in summary[1:6]]
    assert aspects == [
        "带头强化政治忠诚、提高政治能力",
        "带头固本培元、增强党性（对应待确认）",
        "带头敬畏人民、敬畏组织、敬畏法纪",
        "带头干事创业、担当作为（对应待确认）",
        "带头坚决扛起管党治党责任",
    ]
    assert [row[-1] for row in summary[1:6]] == [1] * 5 and summary[6][0] == "合计" and summary[6][-1] == 3
    assert summary[-1][0] == (
        "注：标“（对应待确认）”的方面，计入的整改措施有的与该方面问题的对应仅按顺序推定，尚未确认，"
        "见整改台账中同样标注的行。"
    )

    await chat.press("确认对应")
    assert "仅按顺序推定" not in await chat.say("/ledger")
    ledger, summary = _ledger_sheets(chat)
    assert len(ledger) == 6 and not any("对应待确认" in str(row[4]) for row in ledger)
    assert not any("对应待确认" in str(cell) for row in summary for cell in row)


async def test_confirming_from_the_ledger_s_note_offers_the_ledger_again(chat: Chat) -> None:
    """The ledger just sent marks the pairings awaiting confirmation: confirming them from its note
    leaves the user holding a file out of date, so the reply says so and offers it anew, which
    has no mark left."""
    await _deadlines_past_the_proposal(chat)
    await chat.say("/ledger")
    reply = await chat.press("确认对应")
    assert "刚才导出的整改台账还是按原来的对应，点“重新导出整改台账”即可得到更新后的台账。" in reply
    assert "全文概览" in reply and chat.labels()[0] == "重新导出整改台账"  # the material is open
    files = len(chat.api.documents(chat.user_id))
    await chat.press("重新导出整改台账")
    assert len(chat.api.documents(chat.user_id)) == files + 1
    ledger, _ = _ledger_sheets(chat)
    assert len(ledger) == 6 and not any("对应待确认" in str(row[4]) for row in ledger)


async def test_the_ledger_offered_again_is_that_of_the_material_it_was_about(chat: Chat) -> None:
    """With the 整改落实情况报告 open, /ledger gives the material's ledger: confirmed from its note,
    the one offered again is that material's, not the report's (which has no measures)."""
    await _deadlines_past_the_proposal(chat)
    await chat.say("/rectify_report")
    await chat.say("/ledger")
    reply = await chat.press("确认对应")
    assert "全文概览" not in reply and chat.labels() == ["重新导出整改台账", "调整对应"]
    reply = await chat.press("重新导出整改台账")
    assert "《张三同志2025年度民主生活会个人对照检查材料》整改台账，共3条措施。" in reply
    ledger, _ = _ledger_sheets(chat)
    assert len(ledger) == 6 and not any("对应待确认" in str(row[4]) for row in ledger)


async def test_pairings_changed_from_the_report_s_note_offer_the_report_again(
    chat: Chat, settings: Settings
) -> None:
    """调整对应 from the note under the report just drafted, through the editor to 完成: the reply
    offers the report again, which then cites the measure the user chose."""
    await _deadlines_past_the_proposal(chat)
    await chat.say("/rectify_report")
    await chat.press("调整对应")
    await _press_starting(chat, "问题4：")
    await _press_starting(chat, "✓ 措施2")
    await _press_starting(chat, "措施3")
    reply = await chat.press("完成")
    assert "刚才生成的整改落实情况报告还是按原来的对应，点“重新生成整改落实情况报告”即可" in reply
    assert chat.labels()[0] == "重新生成整改落实情况报告"
    reply = await chat.press("重新生成整改落实情况报告")
    assert "已根据《张三同志2025年度民主生活会个人对照检查材料》的整改台账最新情况重新生成了" in reply
    report = await _latest_draft_text(settings)
    assert "关于“干事创业劲头不足”的问题，整改尚未启动。整改措施：每季度对分管科室" in report, report


async def test_next_year_does_not_report_a_guessed_measure_as_done_for_the_problem(chat: Chat) -> None:
    """The measure done was the first problem's as the user wrote it, the second's only by the
    aspect order: next year's 上年度 section says it was done for the first and leaves the second
    for the user to fill, saying why."""
    await _deadlines_past_the_proposal(chat)
    await _open(chat, await chat.say("/deadlines"), "每周精读原著")
    await chat.press("已完成")
    await chat.say("已制定学习计划，完成读书笔记12篇。")
    await chat.press("跳过")

    reply = await _next_years_material(chat)
    assert "其中2条问题没有确认过对应的整改措施，我无法知道整改情况" in reply
    await chat.meeting_date("2027年1月15日")
    for _ in range(3):
        await chat.press("跳过")
    await chat.say(PREAMBLE)
    prompt = chat.last_text()
    assert "（一）关于“理论学习不够系统”：已完成。已制定学习计划，完成读书笔记12篇。" in prompt
    assert "（二）关于“党性锻炼有所放松”：整改情况＿＿＿＿（请填写采取的措施和完成情况）。" in prompt
    assert "（四）关于“干事创业劲头不足”：整改情况＿＿＿＿" in prompt
    assert "（开头）查摆问题5条，已完成＿＿＿＿条" in prompt


async def test_a_measure_paired_with_no_problem_is_told_after_the_aspects(
    chat: Chat, settings: Settings
) -> None:
    """The user unpairs the first measure from both its problems: the report tells it alone, at the
    end of the last aspect, not under （一）, where it would read as answering that aspect's problem."""
    await _deadlines_past_the_proposal(chat)
    await chat.say("/rectify_report")
    await chat.press("调整对应")
    for problem in ("问题1：", "问题2："):
        await _press_starting(chat, problem)
        await _press_starting(chat, "✓ 措施1")
        await chat.press("返回问题列表")
    await chat.press("完成")
    await chat.say("/rectify_report")
    report = await _latest_draft_text(settings)
    first = report[report.index("（一）") : report.index("（二）")]
    assert "关于“理论学习不够系统”的问题，尚未明确整改措施。" in first and "每周精读原著" not in first, first
    last = report[report.index("（五）") : report.index("二、整改中存在的不足")].splitlines()
    assert last[1].startswith("一是关于“管党治党责任落实不到位”的问题"), last
    assert last[2].startswith("二是整改措施：每周精读原著不少于4小时"), last


async def _report_with_the_second_measure_under_way(chat: Chat, settings: Settings) -> str:
    """The 整改落实情况报告 of a material whose second measure has a progress report and nothing else:
    the 品德合格 problem is rectified by both measures, the others by the first only."""
    await _draft_with_deadlines(chat, ["2027年3月31日前", "2027年6月底前"])
    await chat.say("/deadlines")
    await chat.press("2. 办理")
    await chat.press("报告进展")
    await chat.say("已拟定走访计划。")
    await chat.say("/rectify_report")
    return await _latest_draft_text(settings)


async def test_each_measure_reads_as_it_stands(chat: Chat, settings: Settings) -> None:
    """A problem nothing has been done about says it has not started (not "正在持续整改…目前未启动");
    one with a measure under way says which of its measures is under way and which is not."""
    report = await _report_with_the_second_measure_under_way(chat, settings)
    first = "整改措施：每周自学不少于4小时，形成读书笔记。"
    idle = f"关于“学习不够深入”的问题，整改尚未启动。{first}计划2027年3月31日前完成。"
    assert report.count(idle) == 3, report
    under_way = (
        f"关于“学习不够深入”的问题，正在持续整改。{first}尚未启动，计划2027年3月31日前完成。"
        f"整改措施：每月到联系点接访一次。{format_date(event_day())}，已拟定走访计划。"
        "正在推进，计划2027年6月30日前完成。"
    )
    assert under_way in report, report
    assert "目前未启动" not in report and "目前推进中" not in report


async def test_the_counts_and_the_shortfalls_tell_problems_not_started_from_those_under_way(
    chat: Chat, settings: Settings
) -> None:
    """Problems nothing has been done about are counted and named as not started: 持续整改 of a
    problem whose measures never began says what is not true."""
    report = await _report_with_the_second_measure_under_way(chat, settings)
    assert "截至目前，已完成0条，持续整改1条，尚未启动3条。" in report, report
    shortfalls = report[report.index("二、整改中存在的不足") : report.index("三、下一步工作打算")]
    assert shortfalls.count("“学习不够深入”的整改尚未启动") == 3, shortfalls
    # the problem under way is said to be unfinished after each of its two measures
    assert shortfalls.count("“学习不够深入”的整改尚未完成") == 2, shortfalls
    plans = report[report.index("三、下一步工作打算") :]
    # the four problems in four lines: with nothing done there is no “回头看” to take the room
    assert plans.count("“学习不够深入”的整改，") == 4 and "其余" not in plans, plans


async def test_the_plans_the_report_writes_pass_its_own_review(chat: Chat, settings: Settings) -> None:
    """What the ledger gives no date (the measures still to write for the problems paired by the
    aspect order alone, a deadline still to set) the report promises by the end of the 立行立改
    period from the day it is drafted, a working day: a plan without a date is what the review
    queries, and the bot's own draft passes its review. Nothing is done yet: there is no “回头看”."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await _problems_and_measures(chat)
    await chat.press("稍后再设")
    for deadline in ("2027年6月30日前", "2027年6月30日前"):
        await chat.say(deadline)
    await chat.say("/rectify_report")
    report = await _latest_draft_text(settings)
    plans = report[report.index("三、下一步工作打算") :]
    assert "（一）2026年2月5日前制定“党性锻炼有所放松”“干事创业劲头不足”的整改措施并明确时限" in plans
    assert "（二）尽快启动“理论学习不够系统”的整改，2026年2月5日前明确完成时限，完成后及时销号。" in plans
    assert "回头看" not in plans, plans
    assert "（五）2026年12月31日前对照整改台账全面复核一次" in plans and "好做法" not in plans
    assert "尽快制定" not in plans and "适时" not in plans and "尽快明确" not in plans
    assert await chat.say("/check") == "没有发现需要修改的地方。"


async def test_a_report_drafted_in_december_dates_its_look_back_and_its_full_check_apart(
    settings: Settings,
) -> None:
    """A material written in January, one measure done, its report drafted on 2026年12月7日: 年底前
    would leave three weeks for the full check of the ledger, so the “回头看” is promised by the end
    of the 立行立改 period and the full check by the end of the period after it — two working days,
    not one date twice — and the plans pass the report's own review."""
    api = InProcessBotApi()
    async with start_bot(settings, api) as harness:
        chat = Chat(harness)
        await _draft_with_deadlines(chat, ["2027年3月31日前", "2027年6月底前"])
        await chat.on_first_measure("已完成")
        await chat.say("完成读书笔记12篇。")
        await chat.press("跳过")
    december = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)
    async with start_bot(settings, api, now=december) as harness:
        chat = Chat(harness)
        await chat.say("/rectify_report")
        report = await _latest_draft_text(settings)
        plans = report[report.index("三、下一步工作打算") :]
        assert "2027年1月7日前对已完成" in plans and "逐项开展一次“回头看”" in plans, plans
        last = plans.strip().splitlines()[-1]
        assert last.endswith("2027年2月5日前对照整改台账全面复核一次，确保件件有着落。"), plans
        assert "年底前" not in plans and "2026年12月31日" not in plans
        assert await chat.say("/check") == "没有发现需要修改的地方。"


def _rows(done: set[int], problems: int = 6) -> list[LedgerRow]:
    """One measure per problem, of one aspect each; the measures of ``done`` (problem numbers) done,
    the second measure of problem 1 open."""
    rows = [
        LedgerRow(
            number,
            aspect=f"方面{number}",
            problem=f"问题{number}",
            measure=f"措施{number}",
            deadline=date(2027, 6, 30),
            status=MeasureStatus.DONE if number in done else MeasureStatus.NOT_STARTED,
        )
        for number in range(1, problems + 1)
    ]
    second = LedgerRow(1, aspect="方面1", problem="问题1", measure="措施1之二", deadline=date(2027, 6, 30))
    return [rows[0], second, *rows[1:]]


@pytest.mark.parametrize(
    ("done", "looked_back", "rest"),
    [
        (set(), None, "（四）抓紧推进其余3条问题的整改"),
        # problem 1's other measure is still open: no problem is done, one measure is
        ({1}, "对已完成的整改措施逐项开展一次“回头看”", "（三）抓紧推进其余4条问题的整改"),
        ({2}, "对已完成整改的问题逐项开展一次“回头看”", "（三）抓紧推进其余3条问题的整改"),
    ],
)
def test_the_plans_look_back_only_at_what_was_done(
    done: set[int], looked_back: str | None, rest: str
) -> None:
    """The “回头看” is of the problems done, else of the measures done, and not written while
    nothing is done, leaving its room to the open problems; those beyond the section's room are
    summed up in one line."""
    plans = rectify_report.plans(_rows(done), date(2026, 3, 2), DEFAULT_SETTINGS)
    numbered = [f"（{'一二三四五'[n]}）{plan}" for n, plan in enumerate(plans)]
    assert len(plans) == rectify_report.MAX_PLANS and any(p.startswith(rest) for p in numbered), plans
    back = [plan for plan in plans if "回头看" in plan]
    assert back == ([f"2026年4月2日前{looked_back}，检查整改成效，防止问题反弹。"] if looked_back else [])
    kept = "把整改中形成的好做法固化为制度，" if looked_back else ""  # nothing done: no good practice yet
    assert plans[-1] == f"{kept}2026年12月31日前对照整改台账全面复核一次，确保件件有着落。"


async def test_the_review_of_a_report_names_its_plans_as_the_report_heads_them(
    chat: Chat, settings: Settings
) -> None:
    """The report's measures are its 下一步工作打算: /check names a plan there, not among 整改措施,
    which the report has no part called."""
    await _report_with_the_second_measure_under_way(chat, settings)
    await chat.press("修改某一部分")
    await chat.press("下一步工作打算")
    await chat.say("进一步加强理论学习。")
    review = await chat.say("/check")
    assert "“下一步工作打算”中的第六条没有时限、频次或量化要求" in review, review
    assert "整改措施中" not in review


async def test_a_point_of_the_report_is_named_within_its_aspect(chat: Chat, settings: Settings) -> None:
    """The report's 查摆问题整改落实情况 is written per aspect: a point there saying only that it is
    done is named as the second of （三）, as the place under the message and the chat name it, not
    by its count across the part."""
    await _deadlines_past_the_proposal(chat)
    await chat.say("/rectify_report")
    await chat.press("修改某一部分")
    await _press_starting(chat, "（三）")
    assert "已记下二是" in await chat.say("关于“办文质量不高”的问题，已完成。")
    said = "“查摆问题整改落实情况”（三）中的第二条只写了完成情况，没有写怎样整改的"
    assert said in await chat.press("本方面填写完毕")
    review = await chat.say("/check")
    place = "一、查摆问题整改落实情况 / （三）在带头敬畏人民、敬畏组织…方面 / 第2条"
    assert f"1. {said}\n   {place}" in review, review


async def test_a_problem_written_in_one_sentence_is_named_by_its_judgement(
    chat: Chat, settings: Settings
) -> None:
    """A report names a problem by its judgement, as documents do: the outings after the comma are
    what shows it, not its name."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await chat.say("执行请销假制度不够严格，今年有两次临时外出只在微信上说了一声，没有填请假单。")
    await chat.fill_until(lambda c: "努力方向" in c.last_text() and "本部分填写完毕" in c.labels())
    await chat.say("严格执行请销假制度，2027年3月底前完成个人考勤自查。")
    await chat.press("本部分填写完毕")
    await chat.fill_until(lambda c: "各条整改措施的时限都已设定" in c.last_text())

    await chat.say("/rectify_report")
    report = await _latest_draft_text(settings)
    first = next(line for line in report.splitlines() if "请销假" in line)
    assert first.startswith("一是关于“执行请销假制度不够严格”的问题，")
    assert "微信" not in report


async def test_a_measure_s_labelled_owner_and_deadline_read_as_one_sentence(
    chat: Chat, settings: Settings
) -> None:
    """A measure closing with its labelled 责任人 and 时限 (as a table imported writes them): the
    report says the deadline once, in its own words, and the owner within the sentence."""
    await _setup_personal_2025(chat)
    await chat.fill_until(lambda c: "努力方向" in c.last_text() and "本部分填写完毕" in c.labels())
    await chat.say("每月开展一次谈心谈话。责任人：支部书记，时限：2027年6月底前")
    await chat.press("本部分填写完毕")
    await chat.press("按原文：2027年6月底前")

    # the problems the chat filled in share nothing with it: the measure is told alone, named by
    # its words wherever the report names it
    await chat.say("/rectify_report")
    report = await _latest_draft_text(settings)
    assert "二是整改措施：每月开展一次谈心谈话，由支部书记负责。尚未启动，计划2027年6月30日前完成。" in report
    assert "“每月开展一次谈心谈话”的整改尚未启动" in report
    assert "责任人：" not in report and "时限：" not in report

    await chat.say("/deadlines")
    await chat.press("查看问题与措施的对应")
    await chat.press("完成")  # the user's pairing: each problem's measure is this one
    await chat.say("/rectify_report")
    report = await _latest_draft_text(settings)
    said = "整改措施：每月开展一次谈心谈话，由支部书记负责。计划2027年6月30日前完成。"
    assert said in report, report
    assert "责任人：" not in report and "时限：" not in report


async def test_a_lasting_measure_without_a_cadence_is_reviewed_regularly(
    chat: Chat, settings: Settings
) -> None:
    """长期坚持 with its review cadence left for later: the report says 定期回顾, not 定期回顾一次."""
    await _setup_personal_2025(chat)
    await chat.fill_until(lambda c: "努力方向" in c.last_text() and "本部分填写完毕" in c.labels())
    await chat.say("每月参加1次社区志愿服务。")
    await chat.press("本部分填写完毕")
    await chat.say("长期坚持")
    await chat.press("稍后再设")

    await chat.say("/rectify_report")
    report = await _latest_draft_text(settings)
    assert "此项长期坚持，定期回顾。" in report and "回顾一次" not in report


@pytest.mark.parametrize(
    ("problem", "named"),
    [
        (
            "执行请销假制度不够严格，今年有两次临时外出只在微信上说了一声，没有填请假单。",
            "执行请销假制度不够严格",
        ),
        (
            "政府采购总体规范，但存在个别项目未按规定公开采购意向的问题，涉及1项。",
            "个别项目未按规定公开采购意向",
        ),
        ("总体执行标准，但也发现3批次接待未附公函。", "3批次接待未附公函"),
        ("学习不够深入。", "学习不够深入"),
    ],
)
def test_a_problem_is_named_by_its_judgement_after_a_turn_too(problem: str, named: str) -> None:
    """总体规范，但存在…的问题: the report names what the turn says, not the clause it grants."""
    assert _title(problem) == named


async def test_a_report_generated_again_is_the_same_draft_and_an_edited_one_is_asked_about(
    chat: Chat, settings: Settings
) -> None:
    """/rectify_report again, after a measure is done, rewrites the report drafted before rather than
    adding a copy to /drafts; once the user has changed the report, it asks before replacing it."""
    await _draft_with_deadlines(chat, ["2026年3月31日前", "2026年6月底前"])
    await chat.say("/rectify_report")
    await chat.on_first_measure("已完成")
    await chat.say("完成读书笔记12篇。")
    await chat.press("跳过")
    reply = await chat.say("/rectify_report")
    assert "整改台账最新情况重新生成了《" in reply, reply
    listed = await chat.say("/drafts")
    assert listed.count("整改落实情况报告") == 1, listed
    assert "已完成3条" in await _latest_draft_text(settings)  # the first measure answers three

    await chat.press("2. 打开")  # the material, then the report again: its overview
    await chat.press("1. 打开")
    await chat.press("修改某一部分")
    assert "下一步工作打算" in await chat.press(chat.labels()[-2])
    await chat.say("2026年10月底前建立个人学习档案，每月更新一次。")
    reply = await chat.say("/rectify_report")
    assert "您已经改过" in reply and "您的修改不再保留" in reply
    assert chat.labels() == ["重新生成，替换原报告", "打开原报告"]
    assert "已切换到《" in await chat.press("打开原报告")
    assert "建立个人学习档案" in await _latest_draft_text(settings)  # kept while he chose to keep it
    await chat.say("/rectify_report")
    reply = await chat.press("重新生成，替换原报告")
    assert "整改台账最新情况重新生成了《" in reply
    assert "建立个人学习档案" not in await _latest_draft_text(settings)
    listed = await chat.say("/drafts")
    assert listed.count("整改落实情况报告") == 1, listed
