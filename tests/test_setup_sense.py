"""Set-up input as a new user types it: a notice's aspects pasted as one line, impossible dates."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from bot import meta_check
from bot.botapi import InProcessBotApi
from bot.dates import DateProblem, read_date
from bot.deadlines.parse import DeadlineProblem, parse_deadline
from bot.settings import Settings
from tests.conftest import Chat, start_bot
from tests.test_drafting_e2e import _setup_personal_2025
from tests.test_review_chat import _to_preamble


async def test_aspects_pasted_on_one_line_become_one_aspect_each(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("组织生活会发言提纲")
    await chat.press("粘贴本地通知中的方面")
    reply = await chat.say(
        "（一）学习贯彻党的创新理论情况（二）联系服务群众情况（三）发挥先锋模范作用情况（四）遵守纪律规矩情况"
    )
    assert "已记下4个方面" in reply
    assert "（三）发挥先锋模范作用情况" in reply and "（四）遵守纪律规矩情况" in reply
    assert (
        "年度会写进标题（如“2025年度组织生活会”）" in reply
        and "2025年度的组织生活会一般在2026年初召开" in reply
    )
    assert "民主生活会" not in reply  # the year is asked in the words of the member's own meeting


async def test_aspects_pasted_while_the_themes_are_shown_are_taken_as_the_notices(chat: Chat) -> None:
    """A cadre with the local notice at hand pastes its aspects before finding the button for it."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    assert "这一步请点击下面的按钮选择" in await chat.say("我们县的方面不一样")

    reply = await chat.say("1.在强化理论武装方面\n2.在锤炼过硬作风方面\n3.在严守纪律规矩方面")

    assert "已记下3个方面" in reply and "（三）在严守纪律规矩方面" in reply
    assert "这些方面是哪个年度的" in reply


async def test_a_notice_title_before_aspects_on_one_line_is_left_out(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("粘贴本地通知中的方面")
    reply = await chat.say("关于开好2025年度民主生活会的通知（一）带头强化政治忠诚（二）带头增强党性")
    assert "已记下2个方面" in reply and "（一）带头强化政治忠诚方面\n（二）带头增强党性方面" in reply


async def test_a_note_after_the_last_aspect_is_left_out(chat: Chat) -> None:
    """A notice pasted whole: its opening line and the closing 请于…前报送 are no aspect, nor part of one."""
    await chat.say("/new")
    await chat.press("自查自纠报告")
    notice = "根据通知，重点检查以下内容：\n一、公务接待执行标准情况\n二、公务用车使用管理情况\n"
    reply = await chat.say(notice + "三、会议费、培训费使用情况\n请各单位于12月20日前报送自查自纠报告。")
    assert "已记下3个方面" in reply and "（三）会议费、培训费使用情况\n\n" in reply
    assert "请各单位" not in reply
    wrapped = "1. 落实中央八项规定精神，\n纠治“四风”情况\n2. 整治形式主义、\n为基层减负情况"
    reply = await chat.say(wrapped)  # aspects copied from a PDF, each over two lines, are kept whole
    assert "（一）落实中央八项规定精神，纠治“四风”情况\n（二）整治形式主义、为基层减负情况" in reply


async def test_a_notice_pasted_whole_gives_the_points_under_its_checklist_part(chat: Chat) -> None:
    """A notice numbers its own parts (一、自查重点 二、有关要求); the aspects are the points listed
    under the part that names them, not the parts."""
    await chat.say("/new")
    await chat.press("自查自纠报告")
    notice = (
        "关于开展财经纪律专项自查自纠的通知\n各科室：\n一、自查重点\n（一）公务接待是否严格执行标准；\n"
        "（二）公车使用管理是否规范；\n（三）差旅费报销是否合规。\n二、有关要求\n请于12月25日前报送。"
    )
    reply = await chat.say(notice)
    assert "已记下3个方面" in reply
    assert "（一）公务接待是否严格执行标准\n（二）公车使用管理是否规范\n（三）差旅费报销是否合规\n" in reply
    assert "自查重点" not in reply and "请于" not in reply
    reply = await chat.say("一、在理论武装方面\n二、在锤炼作风方面：（一）调研少（二）办法少\n三、在纪律方面")
    assert "已记下3个方面" in reply  # aspects of a list that details one of them stay its aspects


async def test_a_meeting_notice_pasted_whole_gives_the_aspects_its_theme_leads_into(chat: Chat) -> None:
    """A 民主生活会 notice's 一、主要内容 states the theme, then 重点对照检查以下5个方面： and the points."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("粘贴本地通知中的方面")
    notice = (
        "关于召开2026年度民主生活会的通知\n各乡镇党委：\n现就有关事项通知如下。\n一、主要内容\n"
        "这次民主生活会的主题是：锤炼党性、改进作风、担当作为。重点对照检查以下3个方面：\n"
        "（一）在筑牢政治忠诚方面；\n（二）在密切联系群众方面；\n（三）在落实全面从严治党责任方面。\n"
        "同时，要对照检查上年度整改措施落实情况。\n二、会前准备\n（一）认真开展学习。\n（二）广泛征求意见。\n"
        "三、有关要求\n各单位于2027年1月31日前召开民主生活会。"
    )
    reply = await chat.say(notice)
    assert "已记下3个方面" in reply and "（年度通知中写明为2026年度）" in reply
    assert "（一）在筑牢政治忠诚方面\n（二）在密切联系群众方面\n（三）在落实全面从严治党责任方面\n" in reply


async def test_the_hand_in_day_of_a_pasted_notice_is_offered_as_the_date_it_is_handed_in(chat: Chat) -> None:
    """请各单位于1月20日前报送: the 报送日期 asked later offers that day; a meeting's date does not."""
    checks = "根据通知，重点检查以下内容：\n一、公务接待执行标准情况\n二、公务用车使用管理情况\n"
    await chat.say("/new")
    await chat.press("自查自纠报告")
    await chat.say(checks + "请各单位于1月20日前报送自查自纠报告。")
    await chat.press("2025年度")
    assert "按通知：2026年1月20日前" in chat.labels()
    assert "报送日期：2026年1月20日。" in await chat.press("按通知：2026年1月20日前")

    await chat.say("/new")
    await chat.press("自查自纠报告")
    await chat.say(checks + "请各单位认真组织自查。")  # no day named: nothing offered
    await chat.press("2025年度")
    assert "报告计划在哪天报送？" in chat.last_text()
    assert not any(label.startswith("按通知") for label in chat.labels())

    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("粘贴本地通知中的方面")
    await chat.say("1. 带头强化政治忠诚\n2. 带头增强党性\n请于1月20日前将对照检查材料报送县委组织部。")
    await chat.press("2025年度")
    assert "会议计划在哪天召开？" in chat.last_text()
    assert not any(label.startswith("按通知") for label in chat.labels())


async def test_the_year_of_pasted_aspects_is_asked_with_the_notice_year_first(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("粘贴本地通知中的方面")
    reply = await chat.say("关于开好2024年度民主生活会的通知\n1. 带头严守政治纪律\n2. 带头增强党性")
    assert "这些方面是哪个年度的？" in reply and "年度通知中写明为2024年度" in reply
    assert chat.labels()[:3] == ["2024年度", "2023年度", "2025年度"]
    reply = await chat.say("2023年度")  # typed instead of pressed
    assert "按<b>2023年度</b>" not in reply and "好的，按2023年度" in reply
    assert "会议日期（2023年度，共2个方面）" in chat.last_text()
    await chat.say("2024年1月20日")
    await chat.press("确认：2024年1月20日")  # two years before "today" (tests stand on 2026年1月5日)
    await chat.say("张三")
    assert "张三同志2023年度民主生活会" in await chat.say("/status")


async def test_without_a_year_in_the_notice_the_suggestion_counts_from_today(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("自查自纠报告")
    reply = await chat.say("1. 落实中央八项规定精神情况\n2. 执行请示报告制度情况")
    assert "按今天的日期推算为2025年度" in reply  # 2026年1月5日: the meetings about 2025 are held now
    await chat.press("2025年度")
    assert "报送日期（2025年度" in chat.last_text()


async def test_a_self_inspection_report_is_asked_for_in_its_own_words_not_a_meetings(chat: Chat) -> None:
    """A 自查自纠报告 answers a notice's checklist and is handed in; no meeting is held on it."""
    await chat.say("/new")
    pasting = await chat.press("自查自纠报告")
    assert "例如：\n1. 落实中央八项规定及其实施细则精神情况\n2. 整治形式主义、为基层减负情况" in pasting

    reply = await chat.say("1. 落实中央八项规定精神情况\n2. 财务管理和资金使用情况")
    assert "年度会写进标题（如“2025年度自查自纠情况报告”）。请点选" in reply
    assert "生活会" not in reply and "召开" not in reply
    reply = await chat.press("2025年度")
    assert "报告计划在哪天报送？" in reply and "召开" not in reply
    reply = await chat.say("2026年1月20日")
    assert "报送日期：2026年1月20日。" in reply


async def test_a_whole_material_pasted_for_the_aspects_is_told_where_it_goes(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("自查自纠报告")
    reply = await chat.say(
        "按照督查通知要求，现将自查情况报告如下：\n一、存在问题\n（一）政治建设方面\n一是学习不够深入。\n"
        "二、原因剖析\n一是理想信念有所松懈。\n三、整改措施\n一是每周自学不少于3小时。"
    )
    assert "这段像是一整篇材料，不是通知列出的方面，我先不记录" in reply and "填到“导语”时整段粘贴" in reply
    assert "已记下" not in reply and "粘贴本次要对照的方面" in reply


async def test_an_impossible_meeting_date_is_named_like_a_deadline_and_asked_again(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    reply = await chat.say("2026年2月30日")
    assert "2月没有30日，请核对日期。请重新发送会议日期。" in reply
    reply = await chat.say("2025年2月29日")
    assert "2025年不是闰年，2月没有29日" in reply
    reply = await chat.say("2026年2月28日")
    assert "会议日期：2026年2月28日" in reply


@pytest.mark.parametrize("rough", ["1月下旬", "春节前", "还没定", "1月第二周吧"])
async def test_a_meeting_time_named_roughly_points_to_the_no_date_button(chat: Chat, rough: str) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")

    reply = await chat.say(rough)

    assert "会议日期要具体到哪一天" in reply and "请先点“暂不确定”" in reply and "没能识别" not in reply
    assert "暂不确定" in chat.labels()


async def test_a_meeting_day_of_next_month_is_read_from_today(chat: Chat) -> None:
    """下个月20号 names one day (tests stand on 2026年1月5日); 下个月 alone is still no day."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    assert "会议日期要具体到哪一天" in await chat.say("下个月")

    reply = await chat.say("下个月20号")

    assert "会议日期：2026年2月20日。" in reply


async def test_a_meeting_date_without_a_year_is_the_next_one(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    assert "2月没有30日，请核对日期。请重新发送会议日期。" in await chat.say("2月30日")
    assert "会议日期：2026年1月15日" in await chat.say("1月15日")


async def test_a_far_off_meeting_date_is_confirmed_before_it_is_stored(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    reply = await chat.say("2026年9月1日")
    assert "2026年9月1日距今还有7个月" in reply and "请确认会议日期" in reply
    assert chat.labels() == ["确认：2026年9月1日", "暂不确定"]
    reply = await chat.say("2016年1月15日")  # a typo in the year: asked again, nothing stored
    assert "2016年1月15日已经过去" in reply
    assert "会议日期：" not in await chat.say("/status")
    reply = await chat.press("确认：2016年1月15日")
    assert "会议日期：2016年1月15日" in reply and "通常对应2015年度的会议" in reply


async def test_the_date_asked_back_survives_a_label_typed_or_words_not_read(chat: Chat) -> None:
    """Typing 跳过 (or anything but a date) at 请确认会议日期 keeps the question and the date typed."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("2026年9月1日")
    for typed in ("跳过", "对的"):
        reply = await chat.say(typed)
        assert f"“{typed}”" in reply and "请确认会议日期" in reply and "2026年9月1日距今还有7个月" in reply
        assert chat.labels() == ["确认：2026年9月1日", "暂不确定"]
    await chat.say("/start")
    reply = await chat.press("继续填写")
    assert "请确认会议日期" in reply and chat.labels() == ["确认：2026年9月1日", "暂不确定"]
    reply = await chat.press("确认：2026年9月1日")
    assert "会议日期：2026年9月1日" in reply
    reply = await chat.say("跳过")  # the name step's own 跳过: the question about the date is over
    assert "已跳过" in reply


async def test_typing_the_no_date_label_at_the_date_asked_back_skips_it(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("2026年9月1日")
    assert "会议日期暂不填写" in await chat.say("暂不确定")
    assert "会议日期：" not in await chat.say("/status")


async def test_far_off_counts_from_the_bots_clock(settings: Settings) -> None:
    later = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)  # eleven months after the meeting
    async with start_bot(settings, InProcessBotApi(), now=later) as harness:
        chat = Chat(harness)
        await chat.say("/new")
        await chat.press("个人对照检查材料")
        await chat.press("2025年度民主生活会（5个方面）")
        assert "2026年1月15日已经过去10个月" in await chat.say("2026年1月15日")


async def test_a_theme_for_any_year_takes_its_year_from_the_meeting_date(chat: Chat) -> None:
    """The 通用 组织生活会 theme names no 年度: not "通用" in the title, but the meeting date's 年度."""
    await chat.say("/new")
    await chat.press("组织生活会发言提纲")
    prompt = await chat.press("通用组织生活会（4个方面）")
    assert "会议日期（共4个方面）" in prompt and "通用，" not in prompt
    reply = await chat.meeting_date("2026年1月15日")
    assert "材料按2025年度撰写" in reply
    await chat.say("李明")
    status = await chat.say("/status")
    assert "李明同志2025年度组织生活会个人发言提纲" in status and "通用" not in status


@pytest.mark.parametrize(
    ("text", "message"),
    [("2026年2月30日", "2月没有30日，请核对日期。"), ("2026-13-01", "没有13月，请核对月份。")],
)
def test_meeting_dates_and_deadlines_share_one_wording(text: str, message: str) -> None:
    meeting = read_date(text)
    assert meeting == DateProblem(message)
    deadline = parse_deadline(text + "前", meeting=date(2026, 1, 15), today=date(2026, 1, 15))
    assert isinstance(deadline, DeadlineProblem) and deadline.message == message


async def test_emoji_only_and_pasted_over_items_are_questioned_and_not_stored(chat: Chat) -> None:
    await _to_preamble(chat)
    await chat.say("按照县委通知要求，会前我学习了规定篇目，征求意见5条。现报告如下：")
    await chat.press("跳过本部分")
    reply = await chat.say("一是👍👍")
    assert "只有表情或符号，没有文字，我先不记录" in reply and "已记下" not in reply
    reply = await chat.say("学习不够深入。" * 500)
    assert "重复了500次" in reply and "已记下" not in reply
    status = await chat.say("/status")
    assert "（一）在带头强化政治忠诚、提高政治能力方面：未填写" in status


@pytest.mark.parametrize(
    ("field", "value", "looks"),
    [
        ("name", "县发展改革局", "单位名称"),
        ("name", "县商务局党组", "单位名称"),
        ("name", "党组书记", "职务"),
        ("name", "李局长", "职务"),
        ("name", "张三同志在县委组织部", "单位名称"),
        ("name", "张三", None),
        ("name", "确认：2027年1月15日", "日期"),  # the date step's button, typed one step late
        ("name", "欧阳娜娜", None),
        ("name", "阿依古丽·买买提", None),
        ("unit", "局长", "职务"),
        ("unit", "县发展改革局", None),
        ("unit", "青山镇", None),
        ("unit", "市教育局党组", None),
        ("position", "县发展改革局", "单位名称"),
        ("position", "党组书记、局长", None),
        ("position", "县委常委", None),
        ("position", "四级调研员", None),
        ("position", "办公室主任", None),
    ],
)
def test_an_answer_that_looks_like_another_question_s_is_doubted(
    field: str, value: str, looks: str | None
) -> None:
    assert meta_check.doubt(field, value) == looks


async def test_a_unit_sent_as_the_name_is_kept_and_questioned(chat: Chat) -> None:
    """The title would read "县发展改革局同志…": the slip is said at once, with the way back."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.press("暂不确定")
    reply = await chat.say("县发展改革局")
    assert "已记下：县发展改革局。这看起来像单位名称，不像姓名；是单位的话，请点“改作单位名称”。" in reply
    assert "基本信息 · 单位" in reply
    await chat.press("上一步")
    reply = await chat.say("王强")
    assert "已记下：王强。" in reply and "不像" not in reply
    assert "改作单位名称" not in chat.labels()
    assert "王强同志2025年度民主生活会" in await chat.say("/status")


async def test_a_unit_sent_as_the_name_is_made_the_unit_with_one_press(chat: Chat) -> None:
    """A unit writing its own 自查自纠报告 answers the 姓名 with the unit's name: one press files it as
    the 单位, which is not asked again, nor is a 职务 with no name beside it, and the title reads as
    the unit's."""
    await chat.say("/new")
    await chat.press("自查自纠报告")
    await chat.say("1. 公务接待是否严格执行标准\n2. 有无违规使用公款吃喝")
    await chat.press("2026年度")
    assert "以单位名义报告的，请点“跳过”，下一步填单位。" in await chat.press("暂不确定")
    await chat.say("市交通运输局")
    reply = await chat.press("改作单位名称")
    assert "已改作单位：市交通运输局，姓名不填" in reply and "第1/4部分 · 导语" in reply
    assert "基本信息 · 单位" in await chat.press("上一步")  # and back past the 职务 too
    status = await chat.say("/status")
    assert "市交通运输局2026年度自查自纠情况报告" in status and "同志" not in status
    await chat.press("上一步")
    await chat.say("王芳")  # a name given after all brings the 职务 back
    await chat.press("保持不变，下一步")
    assert "基本信息 · 职务" in chat.last_text()


async def test_pasted_aspects_shown_again_can_be_kept(chat: Chat) -> None:
    """Back at the paste step of a 自查自纠报告, the aspects and 年度 already given are shown, and
    kept with one press instead of pasting them again."""
    await chat.say("/new")
    await chat.press("自查自纠报告")
    await chat.say("1. 公务接待是否严格执行标准\n2. 有无违规使用公款吃喝")
    await chat.press("2026年度")
    shown = await chat.press("上一步")
    assert "当前（2026年度）：\n（一）公务接待是否严格执行标准\n（二）有无违规使用公款吃喝" in shown
    assert "报送日期（2026年度，共2个方面）" in await chat.press("保持不变，下一步")


async def test_a_name_that_reads_as_a_post_is_not_offered_as_the_unit(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.press("暂不确定")
    reply = await chat.say("党组书记")
    assert "这看起来像职务，不像姓名；如果填错了，请点“上一步”重填姓名。" in reply
    assert "改作单位名称" not in chat.labels()


async def test_examples_name_dates_still_to_come(settings: Settings) -> None:
    """On 2026年12月6日 no prompt offers 2026年1月15日 or 2026年3月底前 to copy: the dates the examples
    name are counted from the user's today."""
    now = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
    async with start_bot(settings, InProcessBotApi(), now=now) as harness:
        chat = Chat(harness)
        await chat.say("/new")
        await chat.press("组织生活会发言提纲")
        asked = await chat.press("通用组织生活会（4个方面）")
        assert "会议计划在哪天召开？例如：2027年1月15日 或 2027-01-15。" in asked
        assert "例如 2027年1月15日 或 2027-01-15。还没定具体日子的" in await chat.say("下个月中旬")
        await chat.say("12月20日")
        for _ in range(3):
            await chat.press("跳过")
        await chat.fill_until(lambda c: "本部分填写完毕" in c.labels() and "努力方向" in c.last_text())
        await chat.say("每周自学不少于4小时，形成读书笔记。")
        asked = await chat.press("本部分填写完毕")
        assert "请写明这条措施的整改时限，例如：2027年3月底前、6月30日前、一季度末" in asked
        assert "例如：2027年3月底前" in await chat.say("待上级通知")
        said = "\n".join(str(m.get("text", "")) for m in chat.api.bot_messages(chat.user_id))
        assert not re.search(r"2026年[1-9]月", said), said  # nothing before today in any example


async def test_a_name_in_markup_is_named_as_markup_and_the_name_before_it_stays(chat: Chat) -> None:
    """``<b>李四</b>`` copied from a page's source would print its tags in the title; it is not a
    unit name either. The reply names the tags, offers the plain name, and keeps 张三 stored."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.press("暂不确定")
    await chat.say("张三")
    await chat.press("上一步")
    reply = await chat.say("<b>李四</b>")
    assert (
        "姓名里带有“<b>”“</b>”这样的网页排版标记，没有记下。请只发送姓名本身的文字，如：李四。"
        "原来的姓名“张三”保持不变。"
    ) in reply
    assert "单位名称" not in reply and "基本信息 · 姓名" in reply
    assert "张三同志2025年度民主生活会" in await chat.say("/status")
    await chat.say("/start")
    reply = await chat.say("李四")
    assert "已记下：李四。" in reply and "基本信息 · 单位" in reply


async def test_a_unit_in_markup_is_asked_again_without_a_name_to_offer(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.press("暂不确定")
    await chat.press("跳过")
    reply = await chat.say("<br/>")
    assert "单位里带有“<br/>”这样的网页排版标记，没有记下。请只发送单位本身的文字。" in reply
    assert "基本信息 · 单位" in reply


async def test_the_meeting_date_sent_again_as_the_name_is_questioned(chat: Chat) -> None:
    """A cadre who retypes the meeting date after its step passed would have "1月15日同志…" as his
    title: the date is named as one, with the way back."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("1月15日")
    assert "基本信息 · 姓名" in chat.last_text()
    reply = await chat.say("1月15日")
    assert "已记下：1月15日。这看起来像日期，不像姓名；如果填错了，请点“上一步”重填姓名。" in reply


async def test_a_second_material_offers_the_name_unit_and_position_of_the_first(chat: Chat) -> None:
    await _setup_personal_2025(chat)
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.meeting_date("2026年1月20日")
    assert chat.labels()[0] == "沿用：张三"
    reply = await chat.press("沿用：张三")
    assert "已记下：张三" in reply and "沿用：县商务局" in chat.labels()
    await chat.say("市商务局")  # a new unit typed as usual
    assert "沿用：局长" in chat.labels()
    await chat.press("跳过")
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.meeting_date("2026年1月20日")
    await chat.press("跳过")
    assert chat.labels()[0] == "沿用：市商务局"  # the latest material's


async def test_a_name_of_emoji_or_digits_alone_is_not_stored(chat: Chat) -> None:
    """👍 or a button's number sent to 姓名 would print "👍同志……对照检查材料": asked again instead."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.press("暂不确定")
    reply = await chat.say("👍👍")
    assert "“👍👍”里没有文字，没有作为姓名记下" in reply and "基本信息 · 姓名" in reply
    reply = await chat.say("2")
    assert "没有作为姓名记下" in reply
    reply = await chat.say("王强")
    assert "已记下：王强。" in reply and "基本信息 · 单位" in reply
    assert "王强同志2025年度民主生活会" in await chat.say("/status")


async def test_another_theme_with_fewer_aspects_keeps_what_was_written_under_the_last(chat: Chat) -> None:
    """Going back to choose another year's theme: what was written under an aspect the new list
    lacks stays in the material (at the end of its last aspect), and the user is told where."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2023年度主题教育专题民主生活会（6个方面）")
    await chat.meeting_date("2024年1月12日")
    await chat.press("跳过")
    await chat.press("跳过")
    await chat.press("跳过")
    await chat.say("按照市委通知要求，会前我学习了规定篇目，征求意见3条。现将个人对照检查情况报告如下：")
    await chat.press("跳过本部分")
    for number in range(1, 7):
        await chat.say(f"第{number}方面的问题不少。比如今年调研只有{number}次。")
        await chat.press("本方面填写完毕")
    while "请选择年度和会议主题" not in chat.last_text():
        await chat.press("上一步")
    reply = await chat.press("2024年度民主生活会（4个方面）")
    assert (
        "新的方面只有4个，原来（五）（六）下的2条已移到（四）的末尾（二是起），没有删除。"
        "请核对，可在那一方面点“修改条目”，用“移到另一方面”调整。"
    ) in reply
    status = await chat.say("/status")
    assert "（四）在带头履行全面从严治党政治责任方面：3条" in status
    await chat.say("/report")
    await chat.press("Markdown")
    if "仍然生成" in chat.labels():  # the review's 必须修改 (a material without causes) come first
        await chat.press("仍然生成")
    written = chat.api.documents(chat.user_id)[-1].data.decode()
    assert all(f"第{number}方面的问题不少" in written for number in range(1, 7))
    assert written.index("第4方面") < written.index("第5方面") < written.index("第6方面")

    while "请选择年度和会议主题" not in chat.last_text():  # more aspects again: nothing moves
        await chat.press("上一步")
    reply = await chat.press("2023年度主题教育专题民主生活会（6个方面）")
    assert "已写的问题仍按原来的顺序放在各方面下，请核对是否对得上。" in reply and "已移到" not in reply


async def test_going_back_through_the_set_up_keeps_its_answers(chat: Chat) -> None:
    """上一步 shows a set-up answer as 当前: 保持不变 goes on with it; 跳过 and 暂不确定 would empty
    it, and 跳过 says what it removed."""
    await chat.say("/new")
    await chat.press("组织生活会发言提纲")
    await chat.press("通用组织生活会（4个方面）")
    await chat.say("1月12日")
    await chat.say("李华")
    await chat.say("市财政局")
    await chat.say("科员")
    assert "导语" in chat.last_text()
    for _ in range(4):
        await chat.press("上一步")
    assert "当前：2026年1月12日" in chat.last_text()
    assert chat.labels() == ["保持不变，下一步", "暂不确定", "上一步"]
    reply = await chat.press("保持不变，下一步")
    assert "会议日期：2026年1月12日。\n\n基本信息 · 姓名" in reply and "当前：李华" in reply
    assert chat.labels()[:2] == ["保持不变，下一步", "跳过"]
    await chat.say("保持不变，下一步")  # typed, as the button
    reply = await chat.press("跳过")
    assert "已跳过，原来的单位“市财政局”已删去，材料中不写。" in reply and "当前：科员" in reply
    status = await chat.say("/status")
    assert "李华同志2025年度组织生活会个人发言提纲" in status
    await chat.press("查看全文")
    page = chat.last_text()
    assert "科员　李华" in page and "市财政局" not in page


async def test_the_date_kept_after_a_theme_for_any_year_gives_the_material_its_year(chat: Chat) -> None:
    """Back at the kind, a theme for any year replaces the 2025 theme; the meeting date kept as it
    was (the button, or its words typed) gives the material its 年度, as the date sent would."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("1月15日")
    await chat.say("张三")
    while "请选择要写的材料类型" not in chat.last_text():
        await chat.press("上一步")
    await chat.press("组织生活会发言提纲")
    await chat.press("通用组织生活会（4个方面）")
    assert "张三同志组织生活会个人发言提纲" in await chat.say("/status")  # no 年度 yet
    await chat.say("/start")
    await chat.press("继续填写")
    reply = await chat.say("保持不变，下一步")
    assert "会议日期：2026年1月15日。材料按2025年度撰写" in reply
    assert "张三同志2025年度组织生活会个人发言提纲" in await chat.say("/status")


async def test_a_part_another_kind_lacks_is_said_to_be_kept_out_and_comes_back(chat: Chat) -> None:
    """The 2025 theme's own matters, written, then another kind without them: the reply names the
    parts left out of the material; back to the kind and theme that have them, they are there."""
    await chat.say("/new")
    await chat.press("个人对照检查材料")
    await chat.press("2025年度民主生活会（5个方面）")
    await chat.say("1月15日")
    await chat.fill_until(lambda c: "八项规定学习教育整改整治情况" in c.last_text())
    await chat.say("对照学习教育查摆的3个问题已全部完成整改：公务接待、公车使用、会议精简。")
    while "请选择要写的材料类型" not in chat.last_text():
        await chat.press("上一步")
    reply = await chat.press("组织生活会发言提纲")
    assert (
        "现在的材料结构中没有“八项规定学习教育整改整治情况”，这部分已写的内容暂不写入材料；"
        "内容仍保存着，改回原来的选择即可恢复。"
    ) in reply
    assert "八项规定" not in await chat.say("/status")
    await chat.say("/start")
    await chat.press("继续填写")
    await chat.press("上一步")
    reply = await chat.press("个人对照检查材料")
    assert "现在的材料结构中没有" not in reply
    await chat.press("2025年度民主生活会（5个方面）")
    assert "八项规定学习教育整改整治情况：36字" in await chat.say("/status")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("二〇二六年一月十五日", date(2026, 1, 15)),
        ("2026年元月15日", date(2026, 1, 15)),
        ("一月二十日", date(2026, 1, 20)),
        ("2026年1月15日（星期四）上午9:00", date(2026, 1, 15)),
        ("1月15日下午3点半", date(2026, 1, 15)),
        ("二〇二六年二月三十日", DateProblem("2月没有30日，请核对日期。")),
        ("三月底前", None),
        ("2026年1月", None),
    ],
)
def test_a_date_as_a_notice_prints_it_is_read(typed: str, meant: date | DateProblem | None) -> None:
    """Chinese numerals, 元月, and the weekday or hour a notice adds after the date."""
    assert read_date(typed, date(2026, 1, 5)) == meant


async def test_the_meeting_date_copied_from_the_notice_is_taken(chat: Chat) -> None:
    await chat.say("/new")
    await chat.press("组织生活会发言提纲")
    await chat.press("通用组织生活会（4个方面）")
    reply = await chat.say("二〇二六年一月十五日（星期四）上午9:00")
    assert reply.startswith("会议日期：2026年1月15日。材料按2025年度撰写")


async def test_in_december_the_year_whose_aspects_are_not_collected_is_named(settings: Settings) -> None:
    """December 2026: the meetings to come review 2026, whose aspects the catalog lacks; the newest
    theme (2025's) is not to be taken for them. 组织生活会 has a theme for any year: no word there."""
    december = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)
    async with start_bot(settings, InProcessBotApi(), now=december) as harness:
        chat = Chat(harness)
        await chat.say("/new")
        reply = await chat.press("个人对照检查材料")
        assert "2026年度的会议主题和方面还没有收录。写2026年度的材料，请点“粘贴本地通知中的方面”" in reply
        assert reply.count("还没有收录") == 1 and "粘贴本地通知中的方面" in chat.labels()
        await chat.say("/new")
        outline = await chat.press("组织生活会发言提纲")  # its 通用 theme serves any year
        assert "还没有收录" not in outline and "通用组织生活会（4个方面）" in chat.labels()
    async with start_bot(settings, InProcessBotApi()) as harness:  # January 2026: 2025's are there
        chat = Chat(harness, 10002)
        await chat.say("/new")
        assert "还没有收录" not in await chat.press("个人对照检查材料")
