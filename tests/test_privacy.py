"""/export_my_data hands over everything; /forget leaves no row mentioning the user."""

from __future__ import annotations

import io
import json
import zipfile

from bot.settings import Settings
from tests.conftest import Chat
from tests.test_access import rows_mentioning, unlimited
from tests.test_followup import MEASURES, _draft_with_deadlines

settings = unlimited
UPLOAD = "一、存在的主要问题\n1. 学习不够深入。\n".encode()


async def _everything(chat: Chat) -> None:
    await _draft_with_deadlines(chat, ["2027年3月31日前", "立行立改"])
    await chat.on_first_measure("报告进展")
    await chat.say("已完成前两个月的学习计划。")
    await chat.harness.upload(chat.user_id, "旧材料.txt", UPLOAD, "text/plain")
    await chat.say("/check")


async def test_export_holds_every_draft_and_row(chat: Chat) -> None:
    await _everything(chat)
    await chat.say("/export_my_data")
    document = chat.api.documents(chat.user_id)[-1]
    assert document.filename.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(document.data)) as archive:
        data = json.loads(archive.read("data.json"))
        drafts = [n for n in archive.namelist() if n.startswith("drafts/") and n.endswith(".md")]
        markdown = archive.read(drafts[0]).decode()
    assert data["user"]["id"] == chat.user_id
    assert [a["text"] for a in data["drafts"][0]["answers"] if a["measure"]] == MEASURES
    assert any(e["kind"] == "progress" for e in data["measure_events"])
    assert data["uploads"][0]["filename"] == "旧材料.txt" and data["reminders"]
    assert len(drafts) == 1 and MEASURES[0] in markdown


async def test_forget_deletes_everything_after_confirmation(chat: Chat, settings: Settings) -> None:
    await _everything(chat)
    reply = await chat.say("/forget")
    assert "全部数据" in reply and chat.labels() == ["确认全部删除", "保留"]
    assert "没有任何改动" in await chat.press("保留")
    assert await rows_mentioning(settings, chat.user_id)

    await chat.say("/forget")
    reply = await chat.press("确认全部删除")
    assert "材料1份" in reply and "整改措施2项" in reply and "上传文件记录1个" in reply
    assert await rows_mentioning(settings, chat.user_id) == []
