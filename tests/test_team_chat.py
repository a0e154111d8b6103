"""The scripted team session of docs/team-chat.txt runs in `duizhao chat` as the docs show it."""

from __future__ import annotations

import io
from pathlib import Path

from bot.app import BotApplication, build_offline_application
from bot.botapi import InProcessBotApi
from bot.chat import run_chat
from bot.settings import Settings
from tests.test_access import make_settings

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "team-chat.txt"
settings = __import__("tests.test_access", fromlist=["unlimited"]).unlimited


async def test_the_documented_team_session_runs_to_an_approved_material(
    settings: Settings, tmp_path: Path
) -> None:
    def factory(api: InProcessBotApi) -> BotApplication:
        return build_offline_application(settings, api)

    out = io.StringIO()
    script = io.StringIO(SCRIPT.read_text(encoding="utf-8"))
    await run_chat(factory, user_id=10001, output_dir=tmp_path, stdin=script, stdout=out)
    transcript = out.getvalue()
    for expected in (
        "（现在以“李四”（用户编号 10002）的身份对话）",
        "（发给我）机器人：李四 镇长已加入",
        "已提交2条（（一）带头严守政治纪律和政治规矩，维护党的团结统一），交起草人汇总",
        "收到1条意见，已按关键词归入各方面",
        "已确认，4条意见成为候选问题",
        "未采纳：已在第一条中体现。",
        "责任领导：李四 镇长，到期提醒将发给他本人。",
        "（发给赵六）机器人：《青山镇领导班子2024年度民主生活会对照检查材料》第1版已报送审定",
        "文末署名：中共青山镇委员会领导班子。",
        "请发送对二（一）二是的批注",
        "【批注】请补充具体事例和时间。",
        "已修改二是。",  # the item commented on, reached through 修改某一部分
        "第1版被退回修改：问题要具体，请按批注修改。",
        "与第1版（退回修改）相比\n· 修改二（一）二是：执行政治纪律不够严格。2024年5月项目调整时先办后报。",
        "第2版已审定通过",
        "李四 镇长：未开始",
        "机器人发来文件：青山镇领导班子2024年度民主生活会对照检查材料.docx",
        "整改台账.xlsx",
    ):
        assert expected in transcript, expected
    # Nothing typed after the export lands in the material (a stale button label would).
    assert "已记下" not in transcript.split("你：/report", 1)[1]


async def test_a_user_played_by_name_shows_that_name_on_the_desk(database_url: str, tmp_path: Path) -> None:
    """/as 李四 plays a user whose Telegram profile says 李四: the reviewer's desk lists him so."""
    desk = make_settings(database_url, tmp_path, admins=[10001], rate_limit_burst=100_000)

    def factory(api: InProcessBotApi) -> BotApplication:
        return build_offline_application(desk, api)

    lines = ["/grant_reviewer 10001", "/batch", "县商务局党组 2025年度民主生活会 2099年1月9日"]
    lines += ["个人对照检查材料", "2025年度民主生活会", "/as 李四", "/link", "/as 我", "/desk"]
    out = io.StringIO()
    await run_chat(
        factory, user_id=10001, output_dir=tmp_path, stdin=io.StringIO("\n".join(lines)), stdout=out
    )
    assert "未提交（1人）：李四" in out.getvalue()


async def test_the_latest_invite_link_opens_in_the_next_chat_session(
    database_url: str, tmp_path: Path
) -> None:
    """The reviewer made the batch yesterday; today /link still opens its link, as the forwarded
    message would still be in a Telegram chat."""
    desk = make_settings(database_url, tmp_path, admins=[10001], rate_limit_burst=100_000)

    def factory(api: InProcessBotApi) -> BotApplication:
        return build_offline_application(desk, api)

    async def session(lines: list[str]) -> str:
        out = io.StringIO()
        script, history = io.StringIO("\n".join(lines)), tmp_path / "chat-history.json"
        await run_chat(factory, user_id=10001, output_dir=tmp_path, stdin=script, stdout=out, history=history)
        return out.getvalue()

    await session(["/grant_reviewer 10001", "/batch", "县商务局党组 2025年度民主生活会 2099年1月9日"])
    await session(["个人对照检查材料", "2025年度民主生活会"])
    later = await session(["/as 李四", "/link", "/as 我", "/desk"])
    assert "您已加入审核批次：县商务局党组" in later and "未提交（1人）：李四" in later


async def test_the_users_played_carry_over_to_the_next_chat_session(
    settings: Settings, tmp_path: Path
) -> None:
    """A team written over several `duizhao chat` sessions: /as 李四 is the same user the next day,
    and what the bot sends him before he speaks again reaches him, as it would in Telegram."""

    def factory(api: InProcessBotApi) -> BotApplication:
        return build_offline_application(settings, api)

    async def session(lines: list[str]) -> str:
        out = io.StringIO()
        script = io.StringIO("\n".join(lines))
        roster = tmp_path / "chat-users.json"
        await run_chat(factory, user_id=10001, output_dir=tmp_path, stdin=script, stdout=out, roster=roster)
        return out.getvalue()

    first = SCRIPT.read_text(encoding="utf-8").split("/as 王五", 1)[0].splitlines()
    assert "李四 镇长已加入" in await session(first)
    later = await session(["/team", "成员管理", "班子成员：李四 镇长", "改为审定人", "/as 李四"])
    told = "（发给李四）机器人：您在《青山镇领导班子2024年度民主生活会对照检查材料》中的身份已改为审定人"
    assert told in later
    assert "（现在以“李四”（用户编号 10002）的身份对话）" in later
