"""``duizhao chat``: talk to the real bot in a terminal, offline, through the in-process Bot API.

The whole PTB stack runs as in production; only Telegram is replaced. Bot messages are printed
as they happen (so a job that fires while the user is typing still shows up), files the bot
sends are saved to disk, and inline buttons are pressed by number or label.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import json
import mimetypes
import os
import re
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bot.botapi import AnyApplication, BotHarness, Button, FileContent, InProcessBotApi, Kind, TranscriptEntry
from bot.botapi.server import DEFAULT_FIRST_NAME, JSONDict

__all__ = ["run_chat"]

_INTRO = (
    "离线对话：直接输入消息；输入按钮编号或按钮文字即可点击按钮。"
    '多行的一条消息（如粘贴的一段方面或条目），请单独一行输入 """ 开始，再单独一行 """ 结束。'
    "输入 /send 文件路径 把文件（.docx、.txt 等）发给机器人审核或导入，"
    "/edit 把您上一条文字消息改成接下来输入的一条（如在 Telegram 里编辑消息；/edit 2 改倒数第二条），"
    "/as 姓名 换成另一位用户（如班子成员），/link 以当前用户打开机器人最近发出的邀请链接，"
    "/quit 或 Ctrl-D 结束。"
)
_PROMPT = "你："
_QUIT = "/quit"
_BLOCK = '"""'
_NUMBER = re.compile(r"[1-9][0-9]?")
_NO_BUTTONS_YET = "（目前没有可点的按钮，编号没有发出。发送 /start 会显示可点的按钮。）"
"""A line of its own that opens and closes a message of several lines: in Telegram a pasted block is
one message, which the bot reads differently from the same lines sent one by one."""
_AS = "/as"
_LINK = "/link"
_SEND = "/send"
_EDIT = "/edit"
_DEEP_LINK = re.compile(r"https://t\.me/\w+\?start=([A-Za-z0-9_-]{1,64})")
_MAX_USER_ID = 2**52
# Generous: a handler that renders a document may take a while, and a timeout only ends a wait.
_UPDATE_TIMEOUT = 120.0


async def run_chat(
    application_factory: Callable[[InProcessBotApi], AnyApplication],
    *,
    user_id: int,
    output_dir: Path,
    stdin: TextIO,
    stdout: TextIO,
    roster: Path | None = None,
    history: Path | None = None,
) -> None:
    """Run one chat session until /quit, end of input or Ctrl-C.

    Interactive (a terminal on stdin): intro line and a prompt. Otherwise every non-blank line
    is one user message, each fully processed before the next, which makes scripted sessions
    reproducible. ``roster`` keeps the users played with ``/as`` from one session to the next,
    ``history`` what stays in a Telegram chat that the next session needs: each user's latest
    message with buttons, still pressable, and the latest invite link, still open to ``/link``.
    """
    api = InProcessBotApi()
    application = application_factory(api)
    interactive = stdin.isatty()
    view = _ChatView(user_id, output_dir, stdout, echo_input=not interactive, roster=roster)
    for played, name in view.played().items():  # they have started the bot, as in Telegram
        api.open_chat(played, name)
    kept = _History.read(history)
    kept.restore(api)
    api.add_listener(view.show)
    lines = _start_reader(stdin)
    async with BotHarness(api, application, timeout=_UPDATE_TIMEOUT) as harness:
        with (
            _ctrl_c_ends_input(lines, enabled=interactive),
            contextlib.suppress(KeyboardInterrupt),
            kept.keeping(api, view, history),
        ):
            if interactive:
                view.say(_INTRO)
            while (text := await view.read(lines, prompt=interactive)) != _QUIT:
                if text == _AS or text.startswith(_AS + " "):
                    view.switch(text[len(_AS) :].strip())
                    continue
                if text == _LINK:
                    text = _follow_link(api, view, kept.link)
                    if not text:
                        continue
                try:
                    if text == _SEND or text.startswith(_SEND + " "):
                        await _send_file(harness, view, text[len(_SEND) :].strip())
                    elif (back := _edit_back(text)) is not None:
                        await _edit_last(harness, view, await view.read(lines, prompt=interactive), back)
                    else:
                        await _act(harness, view, view.user_id, text)
                except TimeoutError:
                    view.say(f"（机器人在 {_UPDATE_TIMEOUT:g} 秒内没有处理完这条消息）")


@dataclass
class _History:
    """What a Telegram chat keeps from one ``duizhao chat`` session to the next (``history``)."""

    keyboards: list[object] = field(default_factory=list)
    link: str | None = None

    @classmethod
    def read(cls, path: Path | None) -> _History:
        """The kept history; a missing or damaged file, or a damaged entry, only means less of it."""
        try:
            found = json.loads(path.read_text(encoding="utf-8")) if path is not None else {}
        except (OSError, ValueError):
            return cls()
        if not isinstance(found, dict):
            return cls()
        keyboards, link = found.get("keyboards"), found.get("link")
        return cls(
            keyboards if isinstance(keyboards, list) else [],
            link if isinstance(link, str) and _DEEP_LINK.fullmatch(link) else None,
        )

    def restore(self, api: InProcessBotApi) -> None:
        for message in self.keyboards:
            api.restore(message)

    @contextlib.contextmanager
    def keeping(self, api: InProcessBotApi, view: _ChatView, path: Path | None) -> Iterator[None]:
        """On leaving, keep each played user's latest message with buttons and the latest link."""
        try:
            yield
        finally:
            if path is not None:
                keyboards = [m for uid in view.played() if (m := _keyboard(api, uid)) is not None]
                kept = {"keyboards": keyboards, "link": _latest_link(api) or self.link}
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
                except OSError as error:
                    view.say(f"（没能保存最后的按钮和链接：{error.strerror}；下次对话请先发送 /start）")


def _read_roster(path: Path | None) -> dict[int, str]:
    """The users an earlier session played (``{"10002": "李四"}``); nothing if it is missing or damaged."""
    try:
        found = json.loads(path.read_text(encoding="utf-8")) if path is not None else {}
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {
        user_id: name
        for uid, name in found.items()
        if isinstance(name, str) and name and (user_id := _user_id(uid)) is not None
    }


def _user_id(text: str) -> int | None:
    """``text`` as a Telegram user id, or None."""
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= _MAX_USER_ID else None


async def _act(harness: BotHarness, view: _ChatView, user_id: int, text: str) -> None:
    """Press the button the user named on the latest keyboard, or send the line as a message."""
    named = _named_button(harness.api, user_id, text)
    if named is None and _NUMBER.fullmatch(text) and _keyboard(harness.api, user_id) is None:
        view.say(_NO_BUTTONS_YET)
        return
    if named is None:
        await harness.say(user_id, text, first_name=view.profile_name)
        return
    message_id, button = named
    if button.data is None:
        view.say(f"（这个按钮不能在离线对话中点击{'，链接：' + button.url if button.url else ''}）")
    else:  # by its data: another button on the keyboard may carry the same words (去修改)
        await harness.press(user_id, button.data, message_id=message_id)


def _edit_back(text: str) -> int | None:
    """How many text messages back ``/edit`` reaches: 1 alone, N with ``/edit N`` (the first part
    of a text the client cut in two is ``/edit 2``); None for any other text."""
    if text == _EDIT:
        return 1
    back = text.removeprefix(_EDIT + " ").strip() if text.startswith(_EDIT + " ") else ""
    return int(back) if _NUMBER.fullmatch(back) else None


async def _edit_last(harness: BotHarness, view: _ChatView, text: str, back: int = 1) -> None:
    """``/edit`` and the next message: the user played edits his last text message (or the one
    ``back`` messages back) to it, as Telegram's 编辑 does (the bot gets an edited_message)."""
    sent = [
        e.message_id
        for e in harness.api.transcript
        if e.direction == "user" and e.chat_id == view.user_id and e.kind == Kind.TEXT
    ]
    message_id = sent[-back] if len(sent) >= back else None
    if message_id is None or text == _QUIT:
        view.say("（还没有可以编辑的文字消息）" if len(sent) < back else "（没有编辑）")
        return
    await harness.edit(view.user_id, message_id, text)


async def _send_file(harness: BotHarness, view: _ChatView, path: str) -> None:
    """``/send <path>``: the user played sends that file, as a document attached in Telegram."""
    file = Path(path).expanduser()
    if not path or not file.is_file():
        view.say(f"（找不到文件：{path or '请在 /send 后写上文件路径'}）")
        return
    mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    view.say(f"（发送文件：{file.name}）")
    await harness.upload(view.user_id, file.name, file.read_bytes(), mime)


def _follow_link(api: InProcessBotApi, view: _ChatView, kept: str | None) -> str:
    """``/link``: open the latest t.me deep link the bot sent anyone (in this session, else the one
    an earlier session kept), as the user now played would after it was forwarded to him:
    ``/start <payload>``."""
    link = _latest_link(api) or kept
    found = _DEEP_LINK.fullmatch(link) if link else None
    if found is None:
        view.say("（还没有收到过邀请链接）")
        return ""
    view.say(f"（打开链接：{found.group(0)}）")
    return f"/start {found.group(1)}"


def _latest_link(api: InProcessBotApi) -> str | None:
    """The latest t.me deep link the bot sent anyone in this session."""
    for entry in reversed(api.transcript):
        found = _DEEP_LINK.search(entry.text or "") if entry.direction == "bot" else None
        if found:
            return found.group(0)
    return None


def _keyboard(api: InProcessBotApi, user_id: int) -> JSONDict | None:
    """The most recent bot message with buttons in this session, if any."""
    return next((m for m in reversed(api.bot_messages(user_id)) if api.buttons(m)), None)


def _named_button(api: InProcessBotApi, user_id: int, text: str) -> tuple[int, Button] | None:
    """The button ``text`` names on the most recent bot message with buttons, if any: by its number,
    or by its words when no other button there has them. Words several buttons carry (去修改 beside
    each finding) name none: the line is sent as a message, as typing them in Telegram would be."""
    message = _keyboard(api, user_id)
    if message is None:
        return None
    buttons = [button for row in api.buttons(message) for button in row]
    if text.isdecimal() and 1 <= int(text) <= len(buttons):
        return message["message_id"], buttons[int(text) - 1]
    by_label = [button for button in buttons if button.label == text]
    return (message["message_id"], by_label[0]) if len(by_label) == 1 else None


class _ChatView:
    """Everything the terminal shows; keeps the prompt intact when a message arrives under it."""

    def __init__(
        self, user_id: int, output_dir: Path, out: TextIO, *, echo_input: bool, roster: Path | None
    ) -> None:
        self.user_id = user_id
        self._first = user_id
        self._roster = roster
        self._names = {user_id: "我"} | {
            uid: name for uid, name in _read_roster(roster).items() if uid != user_id
        }
        self._output_dir = output_dir
        self._out = out
        self._echo_input = echo_input
        self._prompting = False

    @property
    def profile_name(self) -> str:
        """The Telegram name of the user played: the one given to ``/as`` (the desk lists members who
        have not handed in by it), else the in-process API's default."""
        return self._profile_name(self.user_id)

    def _profile_name(self, user_id: int) -> str:
        name = self._names[user_id]
        return DEFAULT_FIRST_NAME if user_id == self._first or name.isdigit() else name

    def played(self) -> dict[int, str]:
        """Every user of this session and earlier ones, with his Telegram name."""
        return {uid: self._profile_name(uid) for uid in self._names}

    def switch(self, who: str) -> None:
        """``/as <name|id>``: play another user from now on (a new name gets the next free id);
        ``/as`` alone lists who has been played."""
        if not who:
            listing = "、".join(f"{name}（{uid}）" for uid, name in self._names.items())
            self.say(f"（已扮演过的用户：{listing}；当前：{self._names[self.user_id]}）")
            return
        if (user_id := _user_id(who)) is not None:
            self.user_id = user_id
            self._names.setdefault(self.user_id, who)
        else:
            known = next((uid for uid, name in self._names.items() if name == who), None)
            self.user_id = known if known is not None else max(self._names) + 1
            self._names[self.user_id] = who
        self._save_roster()
        self.say(f"（现在以“{self._names[self.user_id]}”（用户编号 {self.user_id}）的身份对话）")

    async def read(self, lines: asyncio.Queue[str | None], *, prompt: bool) -> str:
        """The next message: a non-blank line, or the lines between two ``_BLOCK`` lines; stripped.
        End of input reads as /quit (and ends an open block, which is still sent)."""
        while True:
            if prompt:
                self._write(self._prompt)
                self._prompting = True
            line = await lines.get()
            self._prompting = False
            if line is None:
                return _QUIT
            text = line.strip()
            if text == _BLOCK:
                text = await self._block(lines, prompt=prompt)
            if text:
                if self._echo_input:
                    self.say(self._prompt + text.replace("\n", "\n" + "\u3000" * len(self._prompt)))
                return text

    async def _block(self, lines: asyncio.Queue[str | None], *, prompt: bool) -> str:
        """The lines up to the closing ``_BLOCK`` (or the end of input) as one message."""
        collected: list[str] = []
        while True:
            if prompt:
                self._write("…")
            line = await lines.get()
            if line is None or line.strip() == _BLOCK:
                if line is None:
                    lines.put_nowait(None)  # the caller still sees the end of input
                return "\n".join(collected).strip()
            collected.append(line.rstrip())

    def _save_roster(self) -> None:
        if self._roster is None:
            return
        others = {str(uid): name for uid, name in self._names.items() if uid != self._first}
        try:
            self._roster.parent.mkdir(parents=True, exist_ok=True)
            self._roster.write_text(json.dumps(others, ensure_ascii=False), encoding="utf-8")
        except OSError as error:
            self.say(f"（没能保存已扮演的用户名单：{error.strerror}；下次对话需要重新 /as）")

    @property
    def _prompt(self) -> str:
        """``你：`` for the user the session started as, ``李四：`` for another one being played."""
        return _PROMPT if self.user_id == self._first else f"{self._names[self.user_id]}："

    def say(self, text: str) -> None:
        if self._prompting:
            self._write("\n" + text + "\n" + self._prompt)
        else:
            self._write(text + "\n")

    def show(self, entry: TranscriptEntry) -> None:
        """Transcript listener: render what the bot just did in the chat of the user being played;
        what it sends another user who has been played is shown too, marked with his name."""
        if entry.direction != "bot" or (entry.chat_id != self.user_id and entry.chat_id not in self._names):
            return
        lines = list(self._render(entry))
        if entry.chat_id != self.user_id:
            name = self._names.get(entry.chat_id or 0, str(entry.chat_id))
            lines = [f"（发给{name}）{line}" for line in lines if not line.startswith("  ")]
        for line in lines:
            self.say(line)

    def _render(self, entry: TranscriptEntry) -> Iterator[str]:
        if entry.kind == Kind.TEXT:
            yield f"机器人：{entry.text}"
        elif entry.kind == Kind.EDIT:
            yield f"机器人（已更新）：{entry.text or ''}"
        elif entry.kind == Kind.DOCUMENT and entry.document is not None:
            yield f"机器人发来文件：{entry.document.filename}" + (f"\n{entry.text}" if entry.text else "")
            yield f"已保存文件：{self._save(entry.document)}"
        elif entry.kind == Kind.PHOTO and entry.document is not None:
            yield "机器人发来图片" + (f"：{entry.text}" if entry.text else "")
            yield f"已保存图片：{self._save(entry.document)}"
        elif entry.kind == Kind.ANSWER and entry.text:
            yield f"机器人提示：{entry.text}"
        elif entry.kind == Kind.DELETE:
            yield "（机器人撤回了一条消息）"
        number = 0
        for row in entry.buttons:
            labels = []
            for button in row:
                number += 1
                labels.append(f"[{number}] {button.label}" + (f"（{button.url}）" if button.url else ""))
            yield "  " + "  ".join(labels)

    def _save(self, document: FileContent) -> Path:
        """Save under the file's own name; never overwrite, add -1, -2, ... instead."""
        self._output_dir.mkdir(parents=True, exist_ok=True)
        name = Path(document.filename).name or "file"
        path = self._output_dir / name
        counter = 0
        while path.exists():
            counter += 1
            path = self._output_dir / f"{Path(name).stem}-{counter}{Path(name).suffix}"
        path.write_bytes(document.data)
        return path

    def _write(self, text: str) -> None:
        self._out.write(text)
        self._out.flush()


def _start_reader(stdin: TextIO) -> asyncio.Queue[str | None]:
    """Feed input lines into a queue from a daemon thread; ``None`` marks the end.

    A thread keeps the event loop (and the bot's jobs) running while the user types, and being a
    daemon it cannot hold up exit when the session ends with the user mid-line.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        # RuntimeError: the loop closed because the session ended before the input did.
        with contextlib.suppress(RuntimeError):
            for line in _input_lines(stdin):
                loop.call_soon_threadsafe(queue.put_nowait, line)
            loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="duizhao-chat-input", daemon=True).start()
    return queue


def _input_lines(stdin: TextIO) -> Iterator[str]:
    """Lines of ``stdin``, read from the raw descriptor when there is one.

    A thread blocked in ``sys.stdin.readline`` holds the stream's lock, which makes interpreter
    shutdown abort; ``os.read`` holds none.
    """
    try:
        descriptor = stdin.fileno()
    except (OSError, ValueError):
        yield from iter(stdin.readline, "")
        return
    decoder = codecs.getincrementaldecoder(stdin.encoding or "utf-8")(errors="replace")
    pending = ""
    while chunk := os.read(descriptor, 4096):
        *complete, pending = (pending + decoder.decode(chunk)).split("\n")
        yield from complete
    if pending := pending + decoder.decode(b"", final=True):
        yield pending


@contextlib.contextmanager
def _ctrl_c_ends_input(lines: asyncio.Queue[str | None], *, enabled: bool) -> Iterator[None]:
    """In a terminal, the first Ctrl-C ends the session like Ctrl-D, letting the bot stop cleanly.

    The previous SIGINT handler comes back right then, so a second Ctrl-C forces the way out as
    usual. Where the loop cannot take signals (not the main thread, Windows), KeyboardInterrupt
    and cancellation still unwind through the harness, which stops the bot.
    """
    loop = asyncio.get_running_loop()
    previous = signal.getsignal(signal.SIGINT)

    def restore() -> None:
        if loop.remove_signal_handler(signal.SIGINT):
            signal.signal(signal.SIGINT, previous)

    def interrupt() -> None:
        restore()
        lines.put_nowait(None)

    if enabled:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        restore()
