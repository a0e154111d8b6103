"""``duizhao run`` as deployed: a separate process on PTB's HTTP client, talking to a Bot API server.

The server is the in-process Bot API behind its HTTP front, so the test plays the user directly
while the real command long-polls it, exactly as it would a self-hosted Bot API server.
"""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import httpx
import pytest
from telegram import Bot, InputFile
from telegram.error import BadRequest

from bot.botapi import FileContent, InProcessBotApi
from bot.botapi.http import RUN_COMMAND, BotApiHttpServer, BotProcess, duizhao_env
from bot.botapi.server import JSONDict

USER = 4242
# Deadlines, not delays: generous because a loaded 2-core machine may take long to import and
# migrate, while a healthy run passes in a second or two.
START_UP = 30.0
STEP = 20.0
SHUTDOWN = 10.0


# Bytes a careless multipart or text codec would mangle.
BINARY = bytes(range(256)) + b"\r\n--boundary\r\n\r\n" + "终稿".encode()


def showing(api: InProcessBotApi, label: str) -> JSONDict | None:
    """The user's newest bot message with a button labelled ``label``, if any."""
    return next(
        (
            message
            for message in reversed(api.bot_messages(USER))
            if any(button.label == label for row in api.buttons(message) for button in row)
        ),
        None,
    )


async def test_run_serves_a_user_and_stops_on_ctrl_c(database_url: str, tmp_path: Path) -> None:
    api = InProcessBotApi("123:test")
    async with (
        BotApiHttpServer(api) as server,
        BotProcess(server, tmp_path / "data", database_url=database_url) as bot,
    ):
        commands = await bot.wait_for("command menu (setMyCommands)", api.my_commands, START_UP)
        assert {"command": "start", "description": "开始或继续"} in commands

        api.send_text(USER, "/start")
        await bot.wait_for("greeting", lambda: showing(api, "开始写材料"), START_UP)
        api.press_button(USER, "开始写材料")
        await bot.wait_for("material kinds", lambda: showing(api, "个人对照检查材料"), STEP)
        api.press_button(USER, "个人对照检查材料")
        await bot.wait_for("themes", lambda: showing(api, "2025年度民主生活会（5个方面）"), STEP)

        assert await bot.interrupt(SHUTDOWN) == 0
        assert "Traceback" not in bot.log()


def test_run_without_token_says_so_in_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        RUN_COMMAND,
        cwd=tmp_path,
        env=duizhao_env({"DUIZHAO_DATA_DIR": str(tmp_path)}),
        capture_output=True,
        timeout=START_UP,
        check=False,
    )
    assert result.returncode == 2
    [line] = result.stderr.decode().splitlines()
    assert "DUIZHAO_BOT_TOKEN" in line


async def test_http_front_serves_ptb_long_polls_uploads_and_downloads() -> None:
    api = InProcessBotApi("123:test")
    async with (
        BotApiHttpServer(api) as server,
        Bot(api.token, base_url=server.base_url, base_file_url=server.file_base_url) as bot,
    ):
        poll = asyncio.create_task(bot.get_updates(timeout=int(STEP)))
        sent = api.upload_document(USER, "材料.bin", BINARY, "application/octet-stream")
        [update] = await asyncio.wait_for(poll, STEP)
        assert update.update_id == sent["update_id"]
        assert update.message is not None and update.message.document is not None
        received = await (await bot.get_file(update.message.document.file_id)).download_as_bytearray()
        assert bytes(received) == BINARY

        await bot.send_document(
            USER, InputFile(BINARY, filename="回执 v1.bin"), caption="<b>已收到</b>", parse_mode="HTML"
        )
        assert api.documents(USER) == [FileContent("回执 v1.bin", BINARY)]
        assert api.transcript[-1].text == "已收到"
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(999, "陌生人")


async def test_http_front_takes_json_bodies_and_query_strings() -> None:
    api = InProcessBotApi("123:test")
    api.send_text(USER, "你好")
    async with BotApiHttpServer(api) as server, httpx.AsyncClient() as client:
        methods = f"{server.base_url}{api.token}"
        keyboard = {"inline_keyboard": [[{"text": "是", "callback_data": "yes"}]]}
        response = await client.post(
            f"{methods}/sendMessage",
            json={"chat_id": USER, "text": "<b>好</b>", "parse_mode": "HTML", "reply_markup": keyboard},
        )
        assert response.json()["result"]["reply_markup"] == keyboard
        assert api.last_bot_message(USER) == response.json()["result"]

        response = await client.get(f"{methods}/getMyCommands?language_code=en")
        assert response.json() == {"ok": True, "result": []}

        response = await client.post(
            f"{methods}/sendMessage", content=b"{", headers={"content-type": "application/json"}
        )
        assert (response.status_code, response.json()["ok"]) == (400, False)

        response = await client.get(f"{server.file_base_url}{api.token}/documents/missing.txt")
        assert (response.status_code, response.json()["description"]) == (404, "Not Found")
