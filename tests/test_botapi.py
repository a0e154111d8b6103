"""The in-process Bot API under the real PTB stack: what a user would see, and what Telegram would refuse."""

from __future__ import annotations

import asyncio
import datetime as dtm
import io
import os
import signal
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, EndPointNotFound, NetworkError, RetryAfter
from telegram.ext import (
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.botapi import AnyApplication, BotHarness, Button, FileContent, InProcessBotApi, Kind
from bot.chat import run_chat

USER = 42
MENU = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("是", callback_data="choice:是"),
            InlineKeyboardButton("否", callback_data="choice:否"),
        ],
        [InlineKeyboardButton("说明", url="https://example.org/help")],
    ]
)

TWINS = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("去修改", callback_data="choice:甲")],
        [InlineKeyboardButton("去修改", callback_data="choice:乙")],
    ]
)

Context = ContextTypes.DEFAULT_TYPE


# --------------------------------------------------------------------------------------------
# A small bot exercising every method the server implements


async def start(update: Update, context: Context) -> None:
    assert update.message and update.effective_user
    payload = f"参数：{context.args[0]}" if context.args else ""
    await update.message.reply_html(f"<b>欢迎</b>，{update.effective_user.first_name}！{payload}")


async def menu(update: Update, context: Context) -> None:
    assert update.message
    await update.message.reply_text("请选择：", reply_markup=MENU)


async def twins(update: Update, context: Context) -> None:
    assert update.message
    await update.message.reply_text("两个同名按钮：", reply_markup=TWINS)


async def choose(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query and query.data
    await query.answer("已记录")
    await query.edit_message_text(f"你选择了：{query.data.removeprefix('choice:')}", reply_markup=MENU)


async def send_report(update: Update, context: Context) -> None:
    assert update.effective_chat
    await context.bot.send_chat_action(update.effective_chat.id, "upload_document")
    report = InputFile("第一条\n第二条\n".encode(), filename="报告.txt")
    await context.bot.send_document(
        update.effective_chat.id, report, caption="<b>报告</b>", parse_mode=ParseMode.HTML
    )


async def receive_document(update: Update, context: Context) -> None:
    assert update.message and update.message.document
    document = update.message.document
    data = bytes(await (await context.bot.get_file(document.file_id)).download_as_bytearray())
    await update.message.reply_text(f"收到 {document.file_name}（{len(data)} 字节）")
    await update.message.reply_document(InputFile(data[::-1], filename=f"回执-{document.file_name}"))


async def edited(update: Update, context: Context) -> None:
    assert update.edited_message
    await update.edited_message.reply_text(f"已修改为：{update.edited_message.text}")


async def echo(update: Update, context: Context) -> None:
    assert update.message
    await update.message.reply_text(f"你说：{update.message.text}")


async def sticker(update: Update, context: Context) -> None:
    assert update.message
    await update.message.reply_text("暂不支持贴纸")


async def photo(update: Update, context: Context) -> None:
    assert update.message
    data = await (await update.message.photo[-1].get_file()).download_as_bytearray()
    await update.message.reply_text(f"收到图片（{len(data)} 字节）")


async def voice(update: Update, context: Context) -> None:
    assert update.message and update.message.voice
    await update.message.reply_text(f"收到语音（{update.message.voice.mime_type}）")


async def boom(update: Update, context: Context) -> None:
    raise RuntimeError("handler bug")


async def report_error(update: object, context: Context) -> None:
    if isinstance(update, Update) and update.effective_chat:
        await context.bot.send_message(update.effective_chat.id, f"出错了：{type(context.error).__name__}")


def build(api: InProcessBotApi, *handlers: BaseHandler[Any, Any, Any]) -> AnyApplication:
    """An Application wired to ``api`` exactly as the brief prescribes."""
    application = (
        ApplicationBuilder()
        .token(api.token)
        .request(api.request())
        .get_updates_request(api.request())
        .concurrent_updates(api.update_processor())
        .build()
    )
    application.add_handlers(handlers)
    return application


def demo_app(api: InProcessBotApi) -> AnyApplication:
    application = build(
        api,
        CommandHandler("start", start),
        CommandHandler("menu", menu),
        CommandHandler("twins", twins),
        CommandHandler("file", send_report),
        CommandHandler("boom", boom),
        CallbackQueryHandler(choose, pattern="^choice:"),
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, edited),
        MessageHandler(filters.Document.ALL, receive_document),
        MessageHandler(filters.Sticker.ALL, sticker),
        MessageHandler(filters.PHOTO, photo),
        MessageHandler(filters.VOICE, voice),
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, echo),
    )
    application.add_error_handler(report_error)
    return application


@pytest.fixture
def api() -> InProcessBotApi:
    return InProcessBotApi()


@pytest.fixture
async def harness(api: InProcessBotApi) -> AsyncIterator[BotHarness]:
    async with BotHarness(api, demo_app(api), timeout=5) as running:
        yield running


@pytest.fixture
async def bot(harness: BotHarness) -> Bot:
    """The running bot, with USER's chat open (Telegram refuses chats the user never started)."""
    await harness.say(USER, "你好")
    return harness.application.bot


def texts(entries: list[Any]) -> list[tuple[str, str | None]]:
    return [(entry.kind, entry.text) for entry in entries]


# --------------------------------------------------------------------------------------------
# Conversations through the harness


async def test_start_replies_with_rendered_html_and_deep_link_payload(harness: BotHarness) -> None:
    assert texts(await harness.say(USER, "/start")) == [("text", "欢迎，测试！")]
    assert texts(await harness.say(USER, "/start invite-7")) == [("text", "欢迎，测试！参数：invite-7")]
    assert harness.api.last_bot_message(USER)["entities"] == [{"type": "bold", "offset": 0, "length": 2}]


async def test_only_a_leading_command_gets_a_bot_command_entity(api: InProcessBotApi) -> None:
    assert api.send_text(USER, "/start@duizhao_bot x")["message"]["entities"] == [
        {"type": "bot_command", "offset": 0, "length": 18}
    ]
    assert "entities" not in api.send_text(USER, "请看 /start")["message"]
    assert "entities" not in api.send_text(USER, "/开始")["message"]


async def test_text_reaches_the_message_handler(harness: BotHarness) -> None:
    assert texts(await harness.say(USER, "在吗")) == [("text", "你说：在吗")]


async def test_button_press_answers_and_edits_the_message(harness: BotHarness) -> None:
    [shown] = await harness.say(USER, "/menu")
    assert shown.buttons == (
        (Button("是", "choice:是"), Button("否", "choice:否")),
        (Button("说明", url="https://example.org/help"),),
    )
    replies = await harness.press(USER, "否")
    assert texts(replies) == [("answer", "已记录"), ("edit", "你选择了：否")]
    assert {entry.message_id for entry in replies} == {shown.message_id}
    assert texts(await harness.press(USER, "choice:是")) == [("answer", "已记录"), ("edit", "你选择了：是")]
    current = harness.api.bot_messages(USER)
    assert [m["text"] for m in current] == ["你选择了：是"]
    assert "edit_date" in current[0]


async def test_pressing_a_missing_or_link_button_fails_clearly(harness: BotHarness) -> None:
    await harness.say(USER, "/menu")
    with pytest.raises(LookupError, match=r"no button '取消'.*\['是', '否', '说明'\]"):
        await harness.press(USER, "取消")
    with pytest.raises(ValueError, match=r"opens 'https://example.org/help'"):
        await harness.press(USER, "说明")


async def test_user_edit_arrives_as_edited_message(harness: BotHarness) -> None:
    await harness.say(USER, "初稿")
    [user_message] = [e for e in harness.api.transcript if e.direction == "user"]
    assert user_message.message_id is not None
    assert texts(await harness.edit(USER, user_message.message_id, "定稿")) == [("text", "已修改为：定稿")]


async def test_uploaded_document_downloads_and_comes_back(harness: BotHarness) -> None:
    data = b"%PDF-1.4 material"
    replies = await harness.upload(USER, "材料.pdf", data, "application/pdf")
    assert texts(replies) == [("text", f"收到 材料.pdf（{len(data)} 字节）"), ("document", None)]
    assert replies[1].document == FileContent("回执-材料.pdf", data[::-1])
    assert harness.api.documents(USER) == [FileContent("回执-材料.pdf", data[::-1])]
    sent = harness.api.last_bot_message(USER)
    assert sent is not None
    assert sent["document"]["mime_type"] == "application/pdf"


async def test_bot_document_has_rendered_caption_and_can_be_resent(harness: BotHarness) -> None:
    replies = await harness.say(USER, "/file")
    assert texts(replies) == [("action", "upload_document"), ("document", "报告")]
    message = harness.api.last_bot_message(USER)
    assert message is not None
    assert message["caption_entities"] == [{"type": "bold", "offset": 0, "length": 2}]
    await harness.application.bot.send_document(USER, message["document"]["file_id"])
    assert harness.api.documents(USER) == [FileContent("报告.txt", "第一条\n第二条\n".encode())] * 2


async def test_sticker_photo_and_voice_reach_their_handlers(harness: BotHarness) -> None:
    assert texts(await harness.sticker(USER)) == [("text", "暂不支持贴纸")]
    assert texts(await harness.photo(USER)) == [("text", "收到图片（8 字节）")]
    assert texts(await harness.voice(USER)) == [("text", "收到语音（audio/ogg）")]
    assert [e.kind for e in harness.api.transcript if e.direction == "user"] == ["sticker", "photo", "voice"]


async def test_handler_error_goes_to_error_handler_without_hanging(harness: BotHarness) -> None:
    assert texts(await harness.say(USER, "/boom")) == [("text", "出错了：RuntimeError")]
    assert texts(await harness.say(USER, "还在吗")) == [("text", "你说：还在吗")]


async def test_update_processor_reports_even_when_processing_raises(api: InProcessBotApi) -> None:
    update = Update.de_json(api.send_text(USER, "你好"), None)

    async def crash() -> None:
        raise RuntimeError("outside PTB's handler error handling")

    with pytest.raises(RuntimeError):
        await api.update_processor().process_update(update, crash())
    await api.wait_processed(update.update_id, 0.1)


async def test_slow_handler_times_out_with_a_clear_error(api: InProcessBotApi) -> None:
    async def slow(update: Update, context: Context) -> None:
        await asyncio.sleep(0.5)

    async with BotHarness(api, build(api, MessageHandler(filters.TEXT, slow)), timeout=0.05) as harness:
        with pytest.raises(TimeoutError, match=r"not processed within 0.05s.*handler is still running"):
            await harness.say(USER, "你好")


async def test_harness_refuses_an_application_not_wired_to_the_api(api: InProcessBotApi) -> None:
    plain = ApplicationBuilder().token(api.token).request(api.request()).build()
    with pytest.raises(ValueError, match="update_processor"):
        BotHarness(api, plain)
    foreign = build(InProcessBotApi())
    with pytest.raises(ValueError, match="update_processor"):
        BotHarness(api, foreign)
    networked = ApplicationBuilder().token(api.token).concurrent_updates(api.update_processor()).build()
    with pytest.raises(ValueError, match=r"request\(api.request\(\)\)"):
        BotHarness(api, networked)


async def test_harness_runs_the_lifecycle_hooks_in_order(api: InProcessBotApi) -> None:
    calls: list[str] = []

    def hook(name: str) -> Callable[[AnyApplication], Any]:
        async def record(application: AnyApplication) -> None:
            calls.append(name)

        return record

    application = (
        ApplicationBuilder()
        .token(api.token)
        .request(api.request())
        .get_updates_request(api.request())
        .concurrent_updates(api.update_processor())
        .post_init(hook("init"))
        .post_stop(hook("stop"))
        .post_shutdown(hook("shutdown"))
        .build()
    )
    async with BotHarness(api, application):
        assert calls == ["init"]
    assert calls == ["init", "stop", "shutdown"]


async def test_failed_start_still_shuts_down(api: InProcessBotApi) -> None:
    shut_down: list[bool] = []

    async def post_shutdown(application: AnyApplication) -> None:
        shut_down.append(True)

    application = demo_app(api)
    application.post_shutdown = post_shutdown
    api.fail_next("deleteWebhook", error_code=502, description="Bad Gateway")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        async with BotHarness(api, application):
            pass
    assert shut_down == [True]
    assert not application.running


# --------------------------------------------------------------------------------------------
# Telegram's limits and errors


async def test_text_limit_counts_characters_after_parsing(bot: Bot) -> None:
    await bot.send_message(USER, "字" * 4096)
    await bot.send_message(USER, "<b>" + "字" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(USER, "字" * 4097)
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(USER, " \n ")
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(USER, "<b> </b>", parse_mode=ParseMode.HTML)


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b>粗体", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a & b", 'Character "&" must be escaped as "&amp;" at byte offset 2'),
        ("1 > 0", 'Character ">" must be escaped as "&gt;" at byte offset 2'),
        ("一<br>二", 'Unsupported start tag "br" at byte offset 3'),
        ("&nbsp;", 'Unsupported HTML entity "&nbsp;" at byte offset 0'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("a < b", "Unclosed start tag at byte offset 2"),
    ],
)
async def test_malformed_html_is_refused_like_telegram(bot: Bot, html: str, error: str) -> None:
    with pytest.raises(BadRequest) as raised:
        await bot.send_message(USER, html, parse_mode=ParseMode.HTML)
    # PTB drops "Bad Request: " and capitalizes the rest, lower-casing it.
    assert raised.value.message == f"Can't parse entities: {error}".capitalize()


async def test_valid_html_becomes_text_and_utf16_entities(bot: Bot) -> None:
    html = (
        '<b>😀</b>x<i>y</i> &lt;3 &#20013; <a href="https://e.org/?a=1&amp;b=2">链接</a>'
        '<pre><code class="language-python">p</code></pre><span class="tg-spoiler">s</span>'
    )
    sent = await bot.send_message(USER, html, parse_mode=ParseMode.HTML)
    assert sent.text == "😀xy <3 中 链接ps"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 2),
        ("italic", 3, 1),
        ("text_link", 10, 2),
        ("pre", 12, 1),
        ("spoiler", 13, 1),
    ]
    assert sent.entities[2].url == "https://e.org/?a=1&b=2"
    assert sent.entities[3].language == "python"


async def test_callback_data_is_limited_to_64_bytes(bot: Bot) -> None:
    def keyboard(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("按钮", callback_data=data)]])

    await bot.send_message(USER, "ok", reply_markup=keyboard("a" * 64))
    await bot.send_message(USER, "ok", reply_markup=keyboard("数" * 21))
    with pytest.raises(BadRequest, match=r"^Button_data_invalid$"):
        await bot.send_message(USER, "bad", reply_markup=keyboard("a" * 65))
    with pytest.raises(BadRequest, match=r"^Button_data_invalid$"):
        await bot.send_message(USER, "bad", reply_markup=keyboard("数" * 22))


async def test_identical_edit_is_not_modified_and_omitted_markup_drops_keyboard(bot: Bot) -> None:
    sent = await bot.send_message(USER, "请选择：", reply_markup=MENU)
    with pytest.raises(BadRequest, match=r"^Message is not modified"):
        await bot.edit_message_text("请选择：", USER, sent.message_id, reply_markup=MENU)
    edited = await bot.edit_message_text("请选择：", USER, sent.message_id)
    assert isinstance(edited, Message) and edited.reply_markup is None
    with pytest.raises(BadRequest, match=r"^Message is not modified"):
        await bot.edit_message_reply_markup(USER, sent.message_id)
    restored = await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=MENU)
    assert isinstance(restored, Message) and restored.reply_markup == MENU
    with pytest.raises(BadRequest, match=r"^Message is not modified"):
        await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=MENU)


async def test_wrong_targets_are_refused(bot: Bot, harness: BotHarness) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "陌生人")
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", USER, 999)
    user_message = next(e.message_id for e in harness.api.transcript if e.direction == "user")
    assert user_message is not None
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", USER, user_message)
    with pytest.raises(BadRequest, match="File must be non-empty"):
        await bot.send_document(USER, InputFile(b"", filename="空.txt"))
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("frobnicate")


async def test_delete_message_and_answer_callback_only_once(bot: Bot, harness: BotHarness) -> None:
    sent = await bot.send_message(USER, "临时", reply_markup=MENU)
    update = harness.api.press_button(USER, "是", message_id=sent.message_id)
    await harness.api.wait_processed(update["update_id"], 5)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(update["callback_query"]["id"])
    assert await bot.delete_message(USER, sent.message_id)
    assert sent.message_id not in [m["message_id"] for m in harness.api.bot_messages(USER)]
    assert harness.api.transcript[-1].kind == Kind.DELETE
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(USER, sent.message_id)


async def test_commands_are_stored_per_scope_and_validated(bot: Bot) -> None:
    await bot.set_my_commands([("start", "开始"), ("report", "生成文档")])
    assert [(c.command, c.description) for c in await bot.get_my_commands()] == [
        ("start", "开始"),
        ("report", "生成文档"),
    ]
    assert await bot.get_my_commands(language_code="en") == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start", "开始")])
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()


# --------------------------------------------------------------------------------------------
# Fault injection


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # int retry_after
async def test_fail_next_raises_retry_after_once(bot: Bot, harness: BotHarness) -> None:
    # Method names are case-insensitive, as in Telegram.
    harness.api.fail_next("SENDMESSAGE", error_code=429, description="Too Many Requests", retry_after=3)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(USER, "一")
    assert raised.value.retry_after in (3, dtm.timedelta(seconds=3))
    await bot.send_message(USER, "二")


async def test_fail_next_5xx_is_a_network_error_for_count_calls(bot: Bot, harness: BotHarness) -> None:
    harness.api.fail_next("sendMessage", error_code=502, description="Bad Gateway", count=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway") as raised:
            await bot.send_message(USER, "x")
        assert not isinstance(raised.value, BadRequest)
    await bot.send_message(USER, "x")


async def test_fail_next_inside_a_handler_reaches_the_error_handler(harness: BotHarness) -> None:
    harness.api.fail_next("sendMessage", error_code=403, description="Forbidden: bot was blocked by the user")
    assert texts(await harness.say(USER, "在吗")) == [("text", "出错了：Forbidden")]


# --------------------------------------------------------------------------------------------
# getUpdates against the server directly


async def test_get_updates_long_polls_and_confirms_by_offset(api: InProcessBotApi) -> None:
    async with Bot(api.token, request=api.request(), get_updates_request=api.request()) as bot:
        assert await bot.get_updates(timeout=0) == ()
        poll = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.05)
        assert not poll.done()
        api.send_text(1, "一")
        [first] = await asyncio.wait_for(poll, 1)
        assert first.message and first.message.text == "一"
        api.send_text(2, "二")
        api.send_text(1, "三")
        updates = await bot.get_updates(timeout=0)
        assert [u.update_id for u in updates] == [first.update_id, first.update_id + 1, first.update_id + 2]
        # Message ids count per chat, from the same starting point.
        start = first.message.message_id
        assert [(u.message.chat.id, u.message.message_id) for u in updates if u.message] == [
            (1, start),
            (2, start),
            (1, start + 1),
        ]
        assert len(await bot.get_updates(timeout=0, limit=1)) == 1
        assert [u.update_id for u in await bot.get_updates(offset=first.update_id + 2)] == [
            first.update_id + 2
        ]
        assert await bot.get_updates(offset=first.update_id + 3) == ()
        loop = asyncio.get_running_loop()
        started = loop.time()
        assert await bot.get_updates(timeout=1) == ()
        assert loop.time() - started >= 0.9


def test_ids_keep_growing_across_server_instances() -> None:
    """A new server (the next ``duizhao chat`` run) must not reuse ids the bot's database has seen."""
    earlier = InProcessBotApi().send_text(USER, "一")
    later = InProcessBotApi().send_text(USER, "二")
    assert later["update_id"] > earlier["update_id"]
    assert later["message"]["message_id"] > earlier["message"]["message_id"]


async def test_unknown_file_url_is_not_found(api: InProcessBotApi) -> None:
    status, body = await api.handle(
        "GET", f"https://api.telegram.org/file/bot{api.token}/documents/x.txt", None
    )
    assert (status, body) == (404, b'{"ok": false, "error_code": 404, "description": "Not Found"}')


# --------------------------------------------------------------------------------------------
# The terminal chat


async def test_chat_script_presses_buttons_and_saves_files(tmp_path: Path) -> None:
    script = "/menu\n\n2\n是\n3\n9\n/file\n/file\n/quit\n在吗\n"
    out = io.StringIO()
    output_dir = tmp_path / "out"
    await run_chat(demo_app, user_id=USER, output_dir=output_dir, stdin=io.StringIO(script), stdout=out)
    first, second = output_dir / "报告.txt", output_dir / "报告-1.txt"
    assert out.getvalue() == (
        "你：/menu\n"
        "机器人：请选择：\n"
        "  [1] 是  [2] 否\n"
        "  [3] 说明（https://example.org/help）\n"
        "你：2\n"
        "机器人提示：已记录\n"
        "机器人（已更新）：你选择了：否\n"
        "  [1] 是  [2] 否\n"
        "  [3] 说明（https://example.org/help）\n"
        "你：是\n"
        "机器人提示：已记录\n"
        "机器人（已更新）：你选择了：是\n"
        "  [1] 是  [2] 否\n"
        "  [3] 说明（https://example.org/help）\n"
        "你：3\n"
        "（这个按钮不能在离线对话中点击，链接：https://example.org/help）\n"
        "你：9\n"
        "机器人：你说：9\n"
        "你：/file\n"
        "机器人发来文件：报告.txt\n报告\n"
        f"已保存文件：{first}\n"
        "你：/file\n"
        "机器人发来文件：报告.txt\n报告\n"
        f"已保存文件：{second}\n"
        "你：/quit\n"
    )
    assert first.read_bytes() == second.read_bytes() == "第一条\n第二条\n".encode()


async def test_chat_presses_the_button_numbered_when_two_have_the_same_words(tmp_path: Path) -> None:
    """/check shows 去修改 beside each finding: the second one pressed is the second one's, and the
    words alone press neither but are sent as a message, as typing them in Telegram would be."""
    out = io.StringIO()
    script = io.StringIO("/twins\n去修改\n2\n")
    await run_chat(demo_app, user_id=USER, output_dir=tmp_path, stdin=script, stdout=out)
    assert "你：去修改\n机器人：你说：去修改\n" in out.getvalue()
    assert "你选择了：乙" in out.getvalue() and "你选择了：甲" not in out.getvalue()


async def test_chat_sends_the_lines_between_triple_quotes_as_one_message(tmp_path: Path) -> None:
    """A block pasted in Telegram is one message; line by line it would be several."""
    script = '第一行\n"""\n（一）学习不够\n\n（二）调研不深  \n"""\n"""\n末尾没有收口\n'
    out = io.StringIO()
    await run_chat(demo_app, user_id=USER, output_dir=tmp_path, stdin=io.StringIO(script), stdout=out)
    assert out.getvalue() == (
        "你：第一行\n"
        "机器人：你说：第一行\n"
        "你：（一）学习不够\n\u3000\u3000\n\u3000\u3000（二）调研不深\n"
        "机器人：你说：（一）学习不够\n\n（二）调研不深\n"
        "你：末尾没有收口\n"
        "机器人：你说：末尾没有收口\n"
    )


async def test_chat_explains_a_button_number_when_no_buttons_were_shown_yet(tmp_path: Path) -> None:
    """A new session does not have the last one's keyboards: "2" is not sent as a message."""
    out = io.StringIO()
    script = "2\n/menu\n2\n"
    await run_chat(demo_app, user_id=USER, output_dir=tmp_path, stdin=io.StringIO(script), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "你：2" and "目前没有可点的按钮" in lines[1] and "发送 /start" in lines[1]
    assert "你说：2" not in out.getvalue() and "机器人（已更新）：你选择了：否" in out.getvalue()


async def test_chat_keeps_the_last_buttons_for_the_next_session(tmp_path: Path) -> None:
    """As in Telegram, the buttons shown before the user quit can still be pressed next time, and
    the bot can still edit their message; a damaged file only means no buttons."""
    history = tmp_path / "chat-history.json"

    async def session(script: str) -> str:
        out = io.StringIO()
        await run_chat(
            demo_app,
            user_id=USER,
            output_dir=tmp_path,
            stdin=io.StringIO(script),
            stdout=out,
            history=history,
        )
        return out.getvalue()

    await session("/menu\n")
    assert "机器人（已更新）：你选择了：否" in await session("2\n")
    history.write_text('{"keyboards": [{"message_id": "x"}, 7', encoding="utf-8")
    assert "目前没有可点的按钮" in await session("2\n")
    damaged = '{"keyboards": [{"message_id": 1, "chat": {"id": 1}, "from": {"id": 1}}], "link": 3}'
    history.write_text(damaged, encoding="utf-8")
    assert "目前没有可点的按钮" in await session("2\n")


async def test_chat_sends_a_file_as_the_user_played(tmp_path: Path) -> None:
    """/send: a file from the disk, as a document attached in Telegram, for the bot to read."""
    material = tmp_path / "材料.txt"
    material.write_text("对照检查", encoding="utf-8")
    out = io.StringIO()
    script = f"/send {material}\n/send {tmp_path / 'nowhere.txt'}\n/send\n"
    await run_chat(demo_app, user_id=USER, output_dir=tmp_path, stdin=io.StringIO(script), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1:3] == ["（发送文件：材料.txt）", "机器人：收到 材料.txt（12 字节）"]
    assert (tmp_path / "回执-材料.txt").read_bytes() == material.read_bytes()[::-1]
    assert f"（找不到文件：{tmp_path / 'nowhere.txt'}）" in lines
    assert lines[-1] == "（找不到文件：请在 /send 后写上文件路径）"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


async def test_chat_switches_the_user_it_plays(tmp_path: Path) -> None:
    script = "/as 李四\n/menu\n否\n/as\n/as 我\n/as 777\n你好\n"
    out = io.StringIO()
    await run_chat(demo_app, user_id=USER, output_dir=tmp_path, stdin=io.StringIO(script), stdout=out)
    assert out.getvalue() == (
        "你：/as 李四\n"
        "（现在以“李四”（用户编号 43）的身份对话）\n"
        "李四：/menu\n"
        "机器人：请选择：\n"
        "  [1] 是  [2] 否\n"
        "  [3] 说明（https://example.org/help）\n"
        "李四：否\n"
        "机器人提示：已记录\n"
        "机器人（已更新）：你选择了：否\n"
        "  [1] 是  [2] 否\n"
        "  [3] 说明（https://example.org/help）\n"
        "李四：/as\n"
        "（已扮演过的用户：我（42）、李四（43）；当前：李四）\n"
        "李四：/as 我\n"
        "（现在以“我”（用户编号 42）的身份对话）\n"
        "你：/as 777\n"
        "（现在以“777”（用户编号 777）的身份对话）\n"
        "777：你好\n"
        "机器人：你说：你好\n"
    )


async def test_interactive_chat_prompts_and_ends_at_end_of_input(tmp_path: Path) -> None:
    out = io.StringIO()
    await run_chat(demo_app, user_id=USER, output_dir=tmp_path, stdin=_Tty("你好\n"), stdout=out)
    intro, rest = out.getvalue().split("\n", 1)
    assert "/quit" in intro and "Ctrl-D" in intro
    assert rest == "你：机器人：你说：你好\n你："


class _PipeTty(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


async def test_ctrl_c_ends_an_interactive_chat_cleanly(tmp_path: Path) -> None:
    interrupts: list[int] = []

    def record(signum: int, frame: object) -> None:
        interrupts.append(signum)

    outer = signal.signal(signal.SIGINT, record)
    read_end, write_end = os.pipe()
    stdin = _PipeTty(io.BufferedReader(io.FileIO(read_end, "r")), encoding="utf-8")
    out = io.StringIO()
    session = asyncio.create_task(
        run_chat(demo_app, user_id=USER, output_dir=tmp_path, stdin=stdin, stdout=out)
    )
    try:
        os.write(write_end, "你好\n".encode())
        for _ in range(500):
            if out.getvalue().endswith("你说：你好\n你："):
                break
            await asyncio.sleep(0.01)
        assert out.getvalue().endswith("你说：你好\n你：")
        signal.raise_signal(signal.SIGINT)
        await asyncio.wait_for(session, 5)
        assert interrupts == []  # the chat took the first Ctrl-C ...
        assert signal.getsignal(signal.SIGINT) is record  # ... and handed the next one back
    finally:
        signal.signal(signal.SIGINT, outer)
        os.close(write_end)
        for thread in threading.enumerate():
            if thread.name == "duizhao-chat-input":
                thread.join(5)
        stdin.close()


async def test_chat_edit_changes_the_last_text_message(tmp_path: Path) -> None:
    """``/edit`` and the next line: the last text message is edited, as in Telegram; ``/edit 2`` the
    one before it (as the first part of a text the client cut in two)."""
    script = "/edit\n不能编辑\n学习不够\n/edit\n学习不够深入\n调研不深\n/edit 2\n学习不够系统\n"
    out = io.StringIO()
    await run_chat(demo_app, user_id=USER, output_dir=tmp_path, stdin=io.StringIO(script), stdout=out)
    assert out.getvalue() == (
        "你：/edit\n"
        "你：不能编辑\n"
        "（还没有可以编辑的文字消息）\n"
        "你：学习不够\n"
        "机器人：你说：学习不够\n"
        "你：/edit\n"
        "你：学习不够深入\n"
        "机器人：已修改为：学习不够深入\n"
        "你：调研不深\n"
        "机器人：你说：调研不深\n"
        "你：/edit 2\n"
        "你：学习不够系统\n"
        "机器人：已修改为：学习不够系统\n"
    )
