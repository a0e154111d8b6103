"""From problems to the ledger through the real PTB stack: links proposed and changed with buttons,
deadlines, a postponement and a completion, then the .xlsx opened and read cell by cell."""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime
from itertools import takewhile
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from bot.catalog import load_catalog
from bot.dates import format_date
from bot.draftview import DraftView
from bot.flows.review import review_draft
from bot.render.text import render_text
from bot.review.findings import Finding, Severity
from bot.settings import Settings
from storage import repo
from storage.db import Database
from storage.models import Dismissal, Draft
from tests.conftest import TEST_TODAY, Chat
from tests.test_access import make_settings
from tests.test_drafting_e2e import PREAMBLE, _setup_personal_2025

PROBLEMS = [
    "理论学习不够系统。今年读原著不到3本，学习笔记流于摘抄。",
    "党性锻炼有所放松。参加支部组织生活只讲工作，批评与自我批评辣味不足。",
    "联系群众不够紧密。下基层调研只有4次，群众反映的问题办结慢。",
    "干事创业劲头不足。推进营商环境改革求稳怕乱，两项任务延期。",
    "管党治党责任落实不到位。对分管科室廉政风险点排查不细。",
]
MEASURES = [
    "每周精读原著不少于4小时，系统学习理论并撰写心得。",
    "每月到联系点走访群众一次，建立群众诉求台账，确保件件有回音。",
    "每季度对分管科室开展一次廉政风险点排查，形成排查清单。",
]


@pytest.fixture(name="settings")
def roomy_settings(database_url: str, tmp_path: Path) -> Settings:
    """A whole material and its follow-up in one go is more than a person's burst allowance."""
    return make_settings(database_url, tmp_path, rate_limit_burst=1000)


async def _problems_and_measures(chat: Chat) -> None:
    for problem in PROBLEMS:
        await chat.say(problem)
        await chat.press("本方面填写完毕")
    await chat.fill_until(lambda c: "努力方向" in c.last_text() and "本部分填写完毕" in c.labels())
    for measure in MEASURES:
        await chat.say(measure)
    await chat.press("本部分填写完毕")


async def _press_starting(chat: Chat, prefix: str) -> str:
    label = next(label for label in chat.labels() if label.startswith(prefix))
    return await chat.press(label)


async def _open(chat: Chat, listing: str, words: str) -> None:
    """Press 办理 for the /deadlines line whose measure contains ``words``."""
    lines = listing.splitlines()
    index = next(i for i, line in enumerate(lines) if words in line)
    number = lines[index - 1].split(".", 1)[0]
    await chat.press(f"{number}. 办理")


def event_day() -> date:
    """The day a measure's event (progress, 销号) is dated: the database's clock, in the users' time
    zone, not the frozen TEST_TODAY the bot's own questions count from."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _ledger(chat: Chat) -> Worksheet:
    book = openpyxl.load_workbook(io.BytesIO(chat.api.documents(chat.user_id)[-1].data))
    sheet = book["整改台账"]
    assert isinstance(sheet, Worksheet)
    return sheet


def _rows(sheet: Worksheet) -> list[dict[str, object]]:
    header = [str(c.value) for c in sheet[2]]
    # the table ends at the first blank row: notes follow it
    table = takewhile(lambda row: any(c.value is not None for c in row), sheet.iter_rows(min_row=3))
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in table]


async def test_a_personal_material_from_problems_to_the_ledger(chat: Chat, settings: Settings) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await _problems_and_measures(chat)

    proposal = chat.last_text()
    assert "问题与整改措施的对应" in proposal and "请核对" in proposal
    assert "问题1 理论学习不够系统。 → 措施1" in proposal
    assert "问题3 联系群众不够紧密。 → 措施2" in proposal
    assert "问题5 管党治党责任落实不到位。 → 措施3" in proposal
    assert "问题4 干事创业劲头不足。 → 措施2" in proposal
    # 干事创业 is not about the masses: move problem 4 from measure 2 to measure 3
    await chat.press("调整对应")
    await _press_starting(chat, "问题4：")
    assert "✓ 措施2" in "".join(chat.labels())
    await _press_starting(chat, "✓ 措施2")
    reply = await _press_starting(chat, "措施3")
    assert "✓ 措施3" in "".join(chat.labels()) and "✓ 措施2" not in "".join(chat.labels())
    reply = await chat.press("完成")
    assert "问题与措施的对应已保存" in reply and "问题4 干事创业劲头不足。 → 措施3" in reply
    assert "整改时限 · 第1/3条措施" in reply

    # a problem left without a measure is named, by the table and by the review
    await chat.press("调整对应")
    await _press_starting(chat, "问题2：")
    await _press_starting(chat, "✓ 措施1")
    reply = await chat.press("完成")
    assert "问题2 党性锻炼有所放松。 → 暂无对应措施" in reply
    assert "请留意：问题2“党性锻炼有所放松”还没有对应的整改措施" in reply
    review = await chat.say("/check")
    assert "问题“党性锻炼有所放松。”在整改措施中没有对应的措施" in review
    assert "或在“调整对应”中把它对应到已有的措施" in review  # the button this draft has
    await chat.press("调整对应")
    await _press_starting(chat, "问题2：")
    await _press_starting(chat, "措施1")
    assert "问题2 党性锻炼有所放松。 → 措施1" in await chat.press("完成")

    await chat.say("2026年6月30日前")
    await chat.say("长期坚持")
    await chat.press("每季度")
    await chat.say("立行立改")

    listing = await chat.say("/deadlines")
    await _open(chat, listing, "每周精读原著")
    await chat.press("申请延期")
    await chat.say("2027年3月31日前")
    assert "延期原因已记入整改台账" in await chat.say("等待市里统一部署。")

    listing = await chat.say("/deadlines")
    await _open(chat, listing, "廉政风险点排查")
    await chat.press("已完成")
    await chat.say("已完成首轮排查，形成风险清单12项。")
    reply = await chat.say("风险点排查清单")
    assert "佐证材料已记入整改台账" in reply and "销号" in chat.labels()
    again = await chat.press("已完成")  # the same button once more: nothing changes
    assert "已于" in again and "无需重复操作" in again
    await chat.say("/deadlines")
    reply = await chat.press(next(label for label in chat.labels() if label.endswith("销号")))
    assert "已销号，销号时间已记入整改台账" in reply
    assert "问题“干事创业劲头不足”“管党治党责任落实不到位”的整改措施均已销号" in reply

    listing = await chat.say("/deadlines")
    await _open(chat, listing, "走访群众")
    await chat.press("申请延期")  # a 长期坚持 item: the cadence changes, not a deadline
    assert "回顾频次" in chat.last_text()
    reply = await chat.say("每半年")
    assert "回顾频次改为每半年" in reply
    assert "请简要说明调整回顾频次的原因" in reply and "延期原因" not in reply
    assert "调整回顾频次的原因已记入整改台账" in await chat.say("联系点调整为两个。")

    await chat.say("/ledger")
    rows = _rows(_ledger(chat))
    assert [(r["序号"], str(r["问题"])[:6], str(r["整改措施"])[:6]) for r in rows] == [
        (1, "理论学习不够", "每周精读原著"),
        (2, "党性锻炼有所", "每周精读原著"),
        (3, "联系群众不够", "每月到联系点"),
        (4, "干事创业劲头", "每季度对分管"),
        (5, "管党治党责任", "每季度对分管"),
    ]
    for row in rows:
        for column in (
            "所属方面",
            "问题",
            "问题来源",
            "整改措施",
            "责任人",
            "整改类型",
            "原定时限",
            "现时限",
        ):
            assert row[column], (column, row)
        assert row["责任人"] == "张三"
    studied, masses, fixed = rows[0], rows[2], rows[3]
    assert studied["所属方面"] == "带头强化政治忠诚、提高政治能力"
    assert studied["整改类型"] == "限期整改"
    # postponed: the original deadline is a date cell like the new one, not the reminder's words
    assert (studied["原定时限"], studied["现时限"]) == (datetime(2026, 6, 30), datetime(2027, 3, 31))
    sheet = _ledger(chat)
    header = [str(c.value) for c in sheet[2]]
    deadlines = [sheet.cell(3 + r, header.index(h) + 1) for r in range(5) for h in ("原定时限", "现时限")]
    assert {c.number_format for c in deadlines if c.is_date} == {'yyyy"年"m"月"d"日"'}
    assert {(c.font.name, c.alignment.horizontal, c.alignment.vertical) for c in deadlines} == {
        ("仿宋_GB2312", "center", "top")
    }
    assert masses["现时限"] == "长期坚持，每半年"  # no date: words, in the same cell style
    assert masses["原定时限"] == "长期坚持，每季度"  # the cadence before it changed, worded alike
    assert "2026年6月30日（周二）前 → 2027年3月31日（周三）前" in str(studied["延期记录"])
    assert "原因：等待市里统一部署。" in str(studied["延期记录"])
    today = format_date(datetime.now(ZoneInfo("Asia/Shanghai")).date())
    assert str(studied["延期记录"]).startswith(f"{today}：") and str(fixed["整改进展"]).startswith(
        f"{today}："
    )
    assert masses["整改类型"] == "长期坚持"
    assert "每季度回顾 → 长期坚持，每半年回顾" in str(masses["延期记录"])
    # its problem's one measure is done: the problem is 已销号, on the day it was completed
    assert fixed["整改类型"] == "立行立改" and fixed["完成情况"] == "已销号"
    assert isinstance(fixed["销号时间"], datetime) and fixed["销号时间"].date() == event_day()
    assert "：已完成首轮排查，形成风险清单12项。" in str(fixed["整改进展"])
    assert fixed["佐证材料"] == "风险点排查清单"
    assert masses["整改目标"] == "确保件件有回音"

    # the 整改落实情况报告, generated from this ledger as a new draft
    reply = await chat.say("/rectify_report")
    assert "已根据《张三同志2025年度民主生活会个人对照检查材料》的整改台账生成整改落实情况报告初稿" in reply
    assert "问题5条，已完成2条" in reply  # problems 4 and 5: their one measure is done
    assert "张三同志2025年度民主生活会查摆问题整改落实情况报告" in reply
    report = await _latest_draft_text(settings)
    assert "共查摆问题5条，制定整改措施3项" in report
    assert "关于“管党治党责任落实不到位”的问题" in report and "风险点排查清单" in report
    assert f"关于“管党治党责任落实不到位”的问题，已完成整改，于{format_date(event_day())}销号。" in report
    assert "待销号" not in report  # each problem whose measures are done is closed
    assert "此项长期坚持，每半年回顾一次。" in report
    assert (
        "：已完成首轮排查，形成风险清单12项。" not in report
        and "已完成首轮排查，形成风险清单12项。" in report
    )
    # the ledger's "A（周二）前 → B（周三）前" is told in words: no brackets nested in brackets
    assert "申请延期，时限由2026年6月30日前调整为2027年3月31日前，原因是等待市里统一部署。" in report
    assert "将回顾频次由每季度调整为每半年，原因是联系点调整为两个。" in report
    assert "→" not in report and "（周" not in report
    assert "“理论学习不够系统”的整改尚未启动，原因是等待市里统一部署" in report, report
    findings = await _review_latest(settings)
    assert not [f for f in findings if f.severity is Severity.ERROR], findings
    await chat.say("/report")
    await chat.press("Word（公文格式）")
    assert chat.api.documents(chat.user_id)[-1].filename.endswith("查摆问题整改落实情况报告.docx")


async def test_a_problem_is_closed_only_when_its_measures_are_signed_off(
    chat: Chat, settings: Settings
) -> None:
    """What is done stays visible in /deadlines, 已完成待销号: the problem is not 已销号 anywhere
    (/deadlines, the links table, the ledger, the report, next year's 上年度 section) until its
    measure is signed off with 销号; then it is, everywhere, with its 销号时间."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await _problems_and_measures(chat)
    await chat.say("2027年6月30日前")
    await chat.say("长期坚持")
    await chat.press("每季度")
    await chat.say("2027年3月31日前")  # measure 3 is the only one problem 5 has (problem 4 has 2)

    listing = await chat.say("/deadlines")
    await _open(chat, listing, "廉政风险点排查")
    await chat.press("已完成")
    await chat.say("已完成首轮排查，形成风险清单12项。")
    reply = await chat.press("跳过")
    assert "经核实整改到位后，点“销号”" in reply and chat.labels() == ["销号"]

    listing = await chat.say("/deadlines")
    assert "未完成的整改事项" in listing and "每周精读原著" in listing
    done = listing[listing.index("已完成（1项）") :]
    assert f"3. {format_date(TEST_TODAY)}完成，待销号：每季度对分管科室开展一次廉政风险点排查" in done
    assert "整改措施均已完成、待销号的问题（1条）：“管党治党责任落实不到位”" in done
    assert "已销号的问题" not in done
    assert chat.labels() == ["1. 办理", "2. 办理", "3. 销号", "查看问题与措施的对应"]
    assert "（已销号）" not in await chat.press("查看问题与措施的对应")

    await chat.say("/ledger")
    rows = _rows(_ledger(chat))
    statuses = [
        ("理论学习不够", "未启动"),
        ("党性锻炼有所", "未启动"),
        ("联系群众不够", "持续推进"),
        ("干事创业劲头", "持续推进"),
        ("管党治党责任", "已完成待销号"),
    ]
    assert [(str(r["问题"] or "")[:6], r["完成情况"]) for r in rows] == statuses
    assert not any(r["销号时间"] for r in rows)
    await chat.say("/rectify_report")
    report = await _latest_draft_text(settings)
    assert "关于“管党治党责任落实不到位”的问题，已完成整改。整改措施：每季度" in report
    assert "已完成，待销号。" in report and "已完成整改，于" not in report

    await chat.say("/deadlines")
    reply = await chat.press("3. 销号")
    assert "已销号，销号时间已记入整改台账" in reply
    assert "问题“管党治党责任落实不到位”的整改措施均已销号，问题已销号" in reply
    listing = await chat.say("/deadlines")
    done = listing[listing.index("已完成（1项）") :]
    assert f"· {format_date(TEST_TODAY)}完成，已销号：每季度对分管科室开展一次廉政风险点排查" in done
    assert "已销号的问题（1条）：“管党治党责任落实不到位”" in done and "待销号的问题" not in done
    assert chat.labels() == ["1. 办理", "2. 办理", "查看问题与措施的对应"]  # nothing left to do about it

    # /rectify_report opened the report, which has no measures: /ledger gives the material's
    reply = await chat.say("/ledger")
    assert "查摆问题整改落实情况报告》没有整改措施，以下是最近一份有整改措施的材料的台账" in reply
    assert "《张三同志2025年度民主生活会个人对照检查材料》整改台账，共3条措施" in reply
    rows = _rows(_ledger(chat))
    assert [(str(r["问题"] or "")[:6], r["完成情况"]) for r in rows] == [
        *statuses[:4],
        ("管党治党责任", "已销号"),
    ]
    closed = rows[4]["销号时间"]
    assert isinstance(closed, datetime) and closed.date() == event_day()
    assert not any(r["销号时间"] for r in rows[:4])
    await chat.say("/rectify_report")
    report = await _latest_draft_text(settings)
    assert f"关于“管党治党责任落实不到位”的问题，已完成整改，于{format_date(event_day())}销号。" in report


async def _latest(settings: Settings) -> tuple[Database, Draft]:
    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        draft = await repo.latest_draft(session, 4242)
    assert draft is not None
    return db, draft


async def _latest_draft_text(settings: Settings) -> str:
    db, draft = await _latest(settings)
    await db.dispose()
    return render_text(DraftView.build(load_catalog(), draft).to_document())


async def _review_latest(settings: Settings) -> list[Finding]:
    db, draft = await _latest(settings)
    await db.dispose()
    return review_draft(DraftView.build(load_catalog(), draft), set())[1]


async def test_the_links_table_marks_a_problem_closed_as_the_ledger_does(chat: Chat) -> None:
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await _problems_and_measures(chat)
    await chat.press("确认对应")
    await chat.say("2026年6月30日前")
    await chat.say("长期坚持")
    await chat.press("每季度")
    await chat.say("立行立改")
    listing = await chat.say("/deadlines")
    await _open(chat, listing, "廉政风险点排查")
    await chat.press("已完成")
    await chat.say("已完成首轮排查，形成风险清单12项。")
    await chat.press("跳过")
    await chat.say("/start")
    await chat.press("继续填写")
    await chat.say("设定整改时限")
    table = await chat.press("调整对应")
    assert "（已销号）" not in table  # completed, not signed off yet
    listing = await chat.say("/deadlines")
    await chat.press(next(label for label in chat.labels() if label.endswith("销号")))
    await chat.say("/start")
    await chat.press("继续填写")
    await chat.say("设定整改时限")
    table = await chat.press("调整对应")
    assert "问题5 管党治党责任落实不到位。 → 措施3（已销号）" in table
    assert "问题1 理论学习不够系统。 → 措施1\n" in table  # its measure is open


async def test_deadlines_offers_the_links_of_every_material_listed(chat: Chat) -> None:
    """Two materials with measures: /deadlines lists both, so it offers both tables, each named; the
    one of the material not being written is read and changed where it is, without opening it."""
    from tests.test_followup import _draft_with_deadlines  # it imports this module

    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await _problems_and_measures(chat)
    await chat.press("确认对应")
    for deadline in ("2026年6月30日前", "2026年9月30日前", "立行立改"):
        await chat.say(deadline)
        if "每季度" in chat.labels():
            await chat.press("每季度")
    await _draft_with_deadlines(chat, ["2027年3月31日前", "2027年6月底前"])  # now the one being written

    await chat.say("/deadlines")
    openers = [label for label in chat.labels() if label.startswith("查看问题与措施的对应")]
    assert len(openers) == 2, chat.labels()
    first = next(label for label in openers if "民主生活会" in label)
    table = await chat.press(first)
    assert "问题4 干事创业劲头不足。 → 措施2" in table
    await _press_starting(chat, "问题4：")
    await _press_starting(chat, "✓ 措施2")
    await _press_starting(chat, "措施3")
    reply = await chat.press("完成")
    assert "问题与措施的对应已保存" in reply and "问题4 干事创业劲头不足。 → 措施3" in reply
    assert "全文概览" not in reply and "组织生活会" not in reply  # the other material stays open
    assert chat.labels() == ["调整对应"]
    reply = await chat.say("/start")
    assert "组织生活会" in reply  # still writing the second one


async def _material_with_deadlines(chat: Chat) -> str:
    """A personal material written through its deadlines, links confirmed; the overview it ends on."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await _problems_and_measures(chat)
    await chat.press("确认对应")
    await chat.say("2026年6月30日前")
    await chat.say("长期坚持")
    await chat.press("每季度")
    return await chat.say("立行立改")


async def test_links_are_reached_from_the_overview_and_deadlines_once_deadlines_are_set(chat: Chat) -> None:
    overview = await _material_with_deadlines(chat)
    assert "全文概览" in overview and "查看问题与措施的对应" in chat.labels()

    # a wrong link noticed afterwards: problem 4 belongs to measure 3, not measure 2
    table = await chat.press("查看问题与措施的对应")
    assert "问题4 干事创业劲头不足。 → 措施2" in table
    await _press_starting(chat, "问题4：")
    await _press_starting(chat, "✓ 措施2")
    await _press_starting(chat, "措施3")
    reply = await chat.press("完成")
    assert "问题与措施的对应已保存" in reply and "问题4 干事创业劲头不足。 → 措施3" in reply
    assert "全文概览" in reply and "生成Word文档" in chat.labels()  # back where the user was

    await chat.say("/deadlines")
    assert "查看问题与措施的对应" in chat.labels()
    table = await chat.press("查看问题与措施的对应")
    assert "问题4 干事创业劲头不足。 → 措施3" in table and "完成" in chat.labels()


async def test_a_problem_without_a_measure_is_named_at_its_item_and_an_earlier_dismissal_holds(
    chat: Chat, settings: Settings
) -> None:
    """/check names a problem no measure answers at its item, not at its aspect, and a dismissal
    stored while the finding was placed on the aspect's heading (its key then) still holds it."""
    await _setup_personal_2025(chat)
    await chat.say(PREAMBLE)
    await chat.press("跳过本部分")
    await _problems_and_measures(chat)
    await chat.press("调整对应")
    await _press_starting(chat, "问题2：")
    await _press_starting(chat, "✓ 措施1")
    await chat.press("完成")
    review = await chat.say("/check")
    assert (
        "问题“党性锻炼有所放松。”在整改措施中没有对应的措施\n"
        "   一、存在的主要问题 / （二）在带头固本培元、增强党性方面 / 第1条“党性锻炼有所放松。”\n"
    ) in review

    db = Database(settings.effective_database_url)
    async with db.transaction() as session:
        draft = await session.scalar(select(Draft))
        assert draft is not None
        # the key 忽略 stored before: the rule, the aspect's step and the words of its heading
        before = hashlib.sha256("measures.coverage\x1fproblems.2#\x1f在带头固本培元、增强党性方面".encode())
        session.add(Dismissal(draft_id=draft.id, key=before.hexdigest()[:32], rule="measures.coverage"))
    await db.dispose()
    review = await chat.say("/check")
    assert "问题“党性锻炼有所放松。”在整改措施中没有对应的措施（已忽略）" in review
    assert not any(label.startswith("忽略：问题“党性锻炼") for label in chat.labels())


async def test_a_problem_added_after_the_pairing_is_named_on_the_overview(chat: Chat) -> None:
    overview = await _material_with_deadlines(chat)
    assert "请留意" not in overview

    await chat.press("修改某一部分")
    await _press_starting(chat, "（一）")
    await chat.say("调查研究不够深入。今年到联系点调研仅2次。")
    overview = await chat.press("本方面填写完毕")
    assert "全文概览" in overview
    assert "“调查研究不够深入”还没有对应的整改措施" in overview and "查看问题与措施的对应" in overview


async def test_an_area_checked_and_found_clean_is_no_problem_to_rectify(
    chat: Chat, settings: Settings
) -> None:
    """A self-inspection reports 经自查，未发现…问题 for a clean area, then what was checked: no
    measure is paired with it and the ledger has no row for it."""
    await chat.say("/new")
    await chat.press("自查自纠报告")
    await chat.say("1. 公务接待是否严格执行标准\n2. 公车使用管理是否规范")
    await chat.press("2025年度")
    await chat.press("暂不确定")
    await chat.press("跳过")  # a unit's report: no name, so the title is the unit's
    await chat.say("县交通运输局")
    await chat.press("跳过")
    await chat.say("根据县纪委通知要求，我局对财经纪律执行情况开展了自查。现将自查自纠情况报告如下：")
    await chat.say("接待手续不全。有3批次接待未附公函，已于12月10日补齐。")
    await chat.press("本方面填写完毕")
    await chat.say("经自查，未发现公车私用问题。我们核对了5辆公务用车的派车单和加油记录。")
    await chat.press("本方面填写完毕")
    await chat.fill_until(lambda c: "整改措施" in c.last_text() and "本部分填写完毕" in c.labels())
    await chat.say("2027年1月底前修订公务接待管理办法，明确公函审批流程。")
    proposal = await chat.press("本部分填写完毕")

    assert "问题1 接待手续不全。 → 措施1" in proposal
    assert "问题2" not in proposal and "未发现公车私用" not in proposal
    await chat.press("确认对应")
    await chat.say("/ledger")
    rows = _rows(_ledger(chat))
    assert [str(r["问题"]) for r in rows] == ["接待手续不全。"]
    assert "县交通运输局2025年度自查自纠情况报告" in await chat.say("/status")
    # the report on the rectification has nothing to say of the clean area, nor asks it written
    report = await chat.say("/rectify_report")
    assert "（一）公务接待是否严格执行标准：1条" in report
    assert "县交通运输局2025年度查摆问题整改落实情况报告" in report  # the unit's, as its source
    text = await _latest_draft_text(settings)
    assert "我单位逐项制定整改措施" in text and "本人" not in text
    assert "公车使用管理" not in report and "未填写" not in report
