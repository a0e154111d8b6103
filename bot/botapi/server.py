"""An in-process Telegram Bot API: the far side of ``duizhao chat`` and of the end-to-end tests.

State is kept as dicts shaped exactly like the Bot API's JSON, so PTB's ``de_json`` reads them
unchanged. Limits and error descriptions follow Telegram, so a bot that would be rejected by
Telegram is rejected here too, in a test rather than in production. Only private chats exist.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import random
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath
from typing import IO, Any, Literal, NamedTuple, TypeGuard
from urllib.parse import unquote, urlsplit

from telegram.request import RequestData

from bot.botapi.request import InProcessRequest, InProcessUpdateProcessor
from bot.texts import MESSAGE_LIMIT, fitting, utf16_len

__all__ = [
    "DEFAULT_FIRST_NAME",
    "ApiError",
    "Button",
    "FileContent",
    "InProcessBotApi",
    "Keyboard",
    "Kind",
    "TranscriptEntry",
    "Upload",
]

JSONDict = dict[str, Any]
# A multipart file: file name, content and MIME type, the shape of PTB's ``multipart_data`` values.
Upload = tuple[str, bytes | IO[bytes], str]

MAX_TEXT_LENGTH = MESSAGE_LIMIT
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # sendPhoto takes at most 10 MB
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
MAX_UPDATES_PER_CALL = 100

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
_BOT_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_FILE_URL = re.compile(r"/file/bot[^/]+/(?P<path>.+)$")
_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)


class Kind(StrEnum):
    """What a transcript entry records; compares equal to its plain string value."""

    TEXT = "text"
    EDIT = "edit"
    CALLBACK = "callback"
    ANSWER = "answer"
    DOCUMENT = "document"
    STICKER = "sticker"
    PHOTO = "photo"
    VOICE = "voice"
    DELETE = "delete"
    ACTION = "action"


@dataclass(frozen=True)
class Button:
    """One inline button as the user sees it."""

    label: str
    data: str | None = None
    url: str | None = None


Keyboard = tuple[tuple[Button, ...], ...]


class FileContent(NamedTuple):
    """A file as the user would save it."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class TranscriptEntry:
    """One thing that happened in a chat, in the order it happened.

    ``text`` is what the user sees: the plain text (HTML already rendered) or the caption; for a
    callback it is the pressed label, for an answer the toast, for an action the action name.
    """

    direction: Literal["user", "bot"]
    kind: Kind
    chat_id: int
    message_id: int | None = None
    text: str | None = None
    buttons: Keyboard = ()
    document: FileContent | None = None


class ApiError(Exception):
    """A Bot API error response; raised anywhere while serving a call."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def response(self) -> tuple[int, bytes]:
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return self.code, _dumps(body)


def _bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def _dumps(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def _utf16_length(text: str) -> int:
    """Telegram measures entity offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class _Signal:
    """Wakes everyone currently waiting; a lock-free stand-in for ``asyncio.Condition``."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        """Return on the next notify or after ``timeout`` seconds, whichever comes first."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout)


# --------------------------------------------------------------------------------------------
# HTML parse mode


_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_SPECIAL = re.compile(r"[&<>]")
_HTML_ENTITY = re.compile(r"&(?:#(?P<dec>[0-9]{1,7})|#[xX](?P<hex>[0-9a-fA-F]{1,6})|(?P<name>[a-zA-Z]+));")
_TAG_NAME = re.compile(r"[a-zA-Z0-9-]*")
_TAG_REST = re.compile(r"""(?P<attrs>(?:\s+[^\s=>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*>""")
_TAG_ATTR = re.compile(
    r"""(?P<key>[^\s=>]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+)))?"""
)
_END_TAG = re.compile(r"</(?P<name>[a-zA-Z0-9-]*)\s*>")


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    offset: int
    language: str | None = None


class _HtmlParser:
    """Telegram's HTML parse mode: the plain text and its entities, or Telegram's parse error.

    Stricter than Telegram in one way on purpose: a bare ``&`` or ``>`` is rejected, because a
    bot that forgets to escape them will sooner or later produce something Telegram rejects.
    """

    def __init__(self, source: str) -> None:
        self._source = source
        self._parts: list[str] = []
        self._offset = 0
        self._stack: list[_OpenTag] = []
        self._entities: list[JSONDict] = []

    def parse(self) -> tuple[str, list[JSONDict]]:
        source, index = self._source, 0
        while index < len(source):
            special = _HTML_SPECIAL.search(source, index)
            stop = special.start() if special else len(source)
            self._emit(source[index:stop])
            if special is None:
                break
            if special.group() == ">":
                raise self._error('Character ">" must be escaped as "&gt;"', stop)
            if special.group() == "&":
                index = self._entity(stop)
            elif source.startswith("</", stop):
                index = self._end_tag(stop)
            else:
                index = self._start_tag(stop)
        if self._stack:
            unclosed = self._stack[-1].name
            raise _bad_request(
                f"can't parse entities: Can't find end tag corresponding to start tag \"{unclosed}\""
            )
        return "".join(self._parts), sorted(self._entities, key=lambda entity: entity["offset"])

    def _emit(self, text: str) -> None:
        self._parts.append(text)
        self._offset += _utf16_length(text)

    def _error(self, detail: str, index: int, suffix: str = "") -> ApiError:
        byte_offset = len(self._source[:index].encode())
        return _bad_request(f"can't parse entities: {detail} at byte offset {byte_offset}{suffix}")

    def _entity(self, index: int) -> int:
        match = _HTML_ENTITY.match(self._source, index)
        if match is None:
            raise self._error('Character "&" must be escaped as "&amp;"', index)
        if match["name"] is not None:
            if match["name"] not in _NAMED_ENTITIES:
                raise self._error(f'Unsupported HTML entity "{match.group()}"', index)
            self._emit(_NAMED_ENTITIES[match["name"]])
        else:
            code_point = int(match["dec"]) if match["dec"] is not None else int(match["hex"], 16)
            if not (0 < code_point <= 0x10FFFF) or 0xD800 <= code_point <= 0xDFFF:
                raise self._error(f'Unsupported HTML entity "{match.group()}"', index)
            self._emit(chr(code_point))
        return match.end()

    def _start_tag(self, index: int) -> int:
        name_match = _TAG_NAME.match(self._source, index + 1)
        assert name_match is not None  # the pattern matches the empty string
        rest = _TAG_REST.match(self._source, name_match.end())
        if rest is None:
            raise self._error("Unclosed start tag", index)
        name = name_match.group().lower()
        if name not in _HTML_ENTITY_TYPES:
            raise self._error(f'Unsupported start tag "{name}"', index)
        attrs = {
            attr["key"].lower(): html.unescape(attr["dq"] or attr["sq"] or attr["bare"] or "")
            for attr in _TAG_ATTR.finditer(rest["attrs"])
        }
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise self._error('Tag "span" must have class "tg-spoiler"', index)
        self._stack.append(_OpenTag(name, attrs, self._offset))
        return rest.end()

    def _end_tag(self, index: int) -> int:
        match = _END_TAG.match(self._source, index)
        if match is None:
            raise self._error("Unclosed end tag", index)
        name = match["name"].lower()
        if not self._stack:
            raise self._error("Unexpected end tag", index)
        if self._stack[-1].name != name:
            expected = self._stack[-1].name
            raise self._error("Unmatched end tag", index, f', expected "</{expected}>", found "</{name}>"')
        self._close(self._stack.pop())
        return match.end()

    def _close(self, tag: _OpenTag) -> None:
        if tag.name == "code" and self._stack and self._stack[-1].name == "pre":
            # <pre><code class="language-x"> is one pre entity with a language, as in Telegram.
            self._stack[-1].language = tag.attrs.get("class", "").removeprefix("language-") or None
            return
        entity: JSONDict = {
            "type": _HTML_ENTITY_TYPES[tag.name],
            "offset": tag.offset,
            "length": self._offset - tag.offset,
        }
        if tag.name == "a":
            if not tag.attrs.get("href"):
                return
            entity["url"] = tag.attrs["href"]
        elif tag.name == "pre" and tag.language:
            entity["language"] = tag.language
        elif tag.name == "blockquote" and "expandable" in tag.attrs:
            entity["type"] = "expandable_blockquote"
        if entity["length"]:
            self._entities.append(entity)


def _strip(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Telegram drops leading and trailing whitespace and clips the entities to what is left."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = _utf16_length(text[: len(text) - len(text.lstrip())])
    end = _utf16_length(stripped)
    clipped = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        stop = min(entity["offset"] + entity["length"] - lead, end)
        if stop > start:
            clipped.append({**entity, "offset": start, "length": stop - start})
    return stripped, clipped


# --------------------------------------------------------------------------------------------
# Request parameters


class _Params:
    """The call's form fields as Telegram receives them: strings, JSON for anything structured."""

    def __init__(self, fields: Mapping[str, str], files: Mapping[str, Upload]) -> None:
        self._fields = fields
        self._files = files

    def text(self, name: str) -> str | None:
        return self._fields.get(name)

    def integer(self, name: str) -> int | None:
        raw = self._fields.get(name)
        if raw is None:
            return None
        try:
            return int(raw)
        except ValueError:
            raise _bad_request(f"invalid {name} specified") from None

    def number(self, name: str) -> float | None:
        raw = self._fields.get(name)
        if raw is None:
            return None
        try:
            return float(raw)
        except ValueError:
            raise _bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        return self._fields.get(name) == "true"

    def json(self, name: str) -> Any:
        raw = self._fields.get(name)
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise _bad_request(f"can't parse {name} JSON object") from None

    def upload(self, name: str) -> tuple[FileContent, str] | None:
        """The multipart file sent for ``name`` and its content type, read like an HTTP body."""
        part = self._files.get(name)
        if part is None:
            return None
        filename, content, mime_type = part
        return FileContent(filename, content if isinstance(content, bytes) else content.read()), mime_type

    def formatted(self, text_name: str, entities_name: str) -> tuple[str, list[JSONDict]]:
        """Text and entities after Telegram's parsing: HTML rendered, whitespace stripped.

        Markdown parse modes are not rendered: the text is stored as sent.
        """
        raw = self.text(text_name) or ""
        if (self.text("parse_mode") or "").lower() == "html":
            return _strip(*_HtmlParser(raw).parse())
        return _strip(raw, self.json(entities_name) or [])

    def commands_key(self) -> tuple[str, str]:
        """The command menu the call addresses."""
        return _commands_key(self.json("scope"), self.text("language_code"))

    def inline_markup(self) -> JSONDict | None:
        """The inline keyboard to store on the message; other keyboards never appear on it."""
        markup = self.json("reply_markup")
        if not isinstance(markup, dict) or not any(markup.get("inline_keyboard") or ()):
            return None
        for row in markup["inline_keyboard"]:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                    raise _bad_request("BUTTON_DATA_INVALID")
                if not _BUTTON_ACTIONS & button.keys():
                    raise _bad_request(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )
        return markup


def _message_text(params: _Params) -> tuple[str, list[JSONDict]]:
    text, entities = params.formatted("text", "entities")
    if not text:
        raise _bad_request("message text is empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise _bad_request("message is too long")
    return text, entities


def client_parts(text: str) -> list[str]:
    """``text`` as Telegram clients send a text longer than a message may be: several messages,
    each cut at the last line break in the second half of what fits, else after the last sentence
    end there, else where the limit falls."""
    parts: list[str] = []
    while utf16_len(text) > MAX_TEXT_LENGTH:
        fits = fitting(text, MAX_TEXT_LENGTH)
        half = fits // 2
        cut = text.rfind("\n", half, fits)
        if cut < 0:
            cut = max(text.rfind(end, half, fits) for end in "。！？!?") + 1 or fits
        parts.append(text[:cut].strip())
        text = text[cut:].strip()
    return [*parts, text]


def _caption(params: _Params) -> JSONDict:
    caption, entities = params.formatted("caption", "caption_entities")
    if len(caption) > MAX_CAPTION_LENGTH:
        raise _bad_request("message caption is too long")
    return _content("caption", caption, entities)


def _content(key: str, text: str, entities: list[JSONDict]) -> JSONDict:
    """Message fields for a text or caption, omitting what Telegram omits."""
    content: JSONDict = {key: text} if text else {}
    if entities:
        content[f"{key}_entities" if key == "caption" else "entities"] = entities
    return content


def _visible_text(message: JSONDict) -> str | None:
    text = message.get("text", message.get("caption"))
    return text if isinstance(text, str) else None


def _commands_key(scope: object, language_code: str | None) -> tuple[str, str]:
    """Where a command menu is stored: one per scope and language, as in Telegram."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code or ""


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk; (0, 0) for anything else."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        return 0, 0
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


DEFAULT_FIRST_NAME = "测试"
"""The name a user's Telegram profile shows, unless the test or the chat names him."""


def _user_json(user_id: int, first_name: str) -> JSONDict:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "zh-hans"}


def _find_button(message: JSONDict, label_or_data: str) -> Button | None:
    """A label match wins over a callback-data match, like a person reading the screen."""
    buttons = [button for row in InProcessBotApi.buttons(message) for button in row]
    by_label = (b for b in buttons if b.label == label_or_data)
    by_data = (b for b in buttons if b.data == label_or_data)
    return next(by_label, None) or next(by_data, None)


def _is_keyboard_message(message: object, bot_id: int) -> TypeGuard[JSONDict]:
    """``message`` has the shape of a message this API stored for the bot, with inline buttons."""
    if not isinstance(message, dict):
        return False
    chat, sender, markup = message.get("chat"), message.get("from"), message.get("reply_markup")
    if not (
        isinstance(message.get("message_id"), int)
        and isinstance(chat, dict)
        and isinstance(chat.get("id"), int)
        and isinstance(sender, dict)
        and sender.get("id") == bot_id
        and sender.get("is_bot") is True
        and isinstance(markup, dict)
        and isinstance(rows := markup.get("inline_keyboard"), list)
        and rows
    ):
        return False
    return all(
        isinstance(row, list)
        and all(
            isinstance(b, dict)
            and isinstance(b.get("text"), str)
            and isinstance(b.get("callback_data", b.get("url")), str)
            for b in row
        )
        for row in rows
    )


def _user_text(text: str) -> JSONDict:
    """A user's text message as Telegram delivers it: a leading command gets its entity."""
    content: JSONDict = {"text": text}
    if command := _COMMAND.match(text):
        length = _utf16_length(command.group())
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return content


# --------------------------------------------------------------------------------------------
# Server


@dataclass(frozen=True)
class _StoredFile:
    file_id: str
    unique_id: str
    path: str
    content: FileContent
    mime_type: str

    def json(self) -> JSONDict:
        size = len(self.content.data)
        return {"file_id": self.file_id, "file_unique_id": self.unique_id, "file_size": size}


@dataclass
class _Chat:
    """A private chat; stored message dicts are replaced on change, never mutated in place."""

    user: JSONDict
    last_message_id: int
    messages: dict[int, JSONDict] = field(default_factory=dict)

    def json(self) -> JSONDict:
        chat = {"id": self.user["id"], "type": "private", "first_name": self.user["first_name"]}
        if "username" in self.user:
            chat["username"] = self.user["username"]
        return chat


_Method = Callable[[_Params], Awaitable[Any]]


@dataclass
class _FaultInjector:
    rate: float
    rng: random.Random
    methods: frozenset[str]
    retry_after: int
    log: list[tuple[str, str]] = field(default_factory=list)

    def pick(self, method: str) -> ApiError | None:
        if method not in self.methods or self.rng.random() >= self.rate:
            return None
        fault = self.rng.choice(
            [
                ApiError(429, "Too Many Requests: retry later", retry_after=self.retry_after),
                ApiError(502, "Bad Gateway"),
                ApiError(504, "Gateway Timeout"),
            ]
        )
        self.log.append((method, str(fault.code)))
        return fault


class InProcessBotApi:
    """The Bot API server state plus the user's side of the conversation.

    Bot side: :meth:`handle` answers PTB's HTTP calls. User side: ``send_text`` and friends queue
    updates for ``getUpdates``. Readers (:attr:`transcript`, :meth:`bot_messages`, ...) let tests
    and the terminal chat see what the user would see.

    Calls are accepted whatever token they carry (the chat may run with a real one configured);
    ``token`` is a ready-made one for builders and gives the bot its id.
    """

    def __init__(
        self,
        token: str = "100000:duizhao-offline",
        *,
        bot_username: str = "duizhao_bot",
        bot_first_name: str = "对照助手",
    ) -> None:
        self.token = token
        self.bot_user: JSONDict = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.transcript: list[TranscriptEntry] = []
        self._listeners: list[Callable[[TranscriptEntry], None]] = []
        self._chats: dict[int, _Chat] = {}
        self._files: dict[str, _StoredFile] = {}
        self._callback_queries: dict[str, tuple[int, int]] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._failures: dict[str, list[ApiError]] = {}
        self._faults: _FaultInjector | None = None
        self._pending: list[JSONDict] = []
        # Ids continue from the clock, as Telegram's only ever grow: the bot's database outlives
        # this object (``duizhao chat`` makes a new one per run) and dedupes on update_id.
        self._first_id = time.time_ns() // 1000
        self._last_update_id = self._first_id - 1
        self._last_query_id = 0
        self._processed: set[int] = set()
        self._updates_queued = _Signal()
        self._update_done = _Signal()
        self._methods: dict[str, _Method] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "deletewebhook": self._delete_webhook,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "senddocument": self._send_document,
            "sendphoto": self._send_photo,
            "sendchataction": self._send_chat_action,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "deletemessage": self._delete_message,
            "getfile": self._get_file,
            "close": self._acknowledge,
            "logout": self._acknowledge,
        }

    # -- wiring into PTB ----------------------------------------------------------------------

    def request(self, *, read_timeout: float | None = 5.0) -> InProcessRequest:
        """A fresh request object; PTB wants separate ones for getUpdates and everything else."""
        return InProcessRequest(self, read_timeout=read_timeout)

    def update_processor(self) -> InProcessUpdateProcessor:
        """The update processor that reports finished updates, for ``concurrent_updates()``."""
        return InProcessUpdateProcessor(self)

    def add_listener(self, listener: Callable[[TranscriptEntry], None]) -> None:
        """Call ``listener`` with every new transcript entry as it happens."""
        self._listeners.append(listener)

    # -- faults ---------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        count: int = 1,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail with this Bot API error.

        Use ``error_code=429`` with ``retry_after`` for flood control (PTB raises ``RetryAfter``),
        5xx for ``NetworkError``, 400 for ``BadRequest``, 403 for ``Forbidden``.
        """
        error = ApiError(error_code, description, retry_after=retry_after)
        self._failures.setdefault(method.lower(), []).extend([error] * count)

    def inject_faults(
        self, rate: float, *, seed: int, methods: Iterable[str], retry_after: int = 1
    ) -> list[tuple[str, str]]:
        """From now on fail a seeded random ``rate`` of the calls of ``methods``, one fault in three
        each: flood control, a 502 before the call is served, or a 504 after it was served (the
        response lost, as in a timeout). Returns the live log of (method, fault) as they happen."""
        self._faults = _FaultInjector(
            rate, random.Random(seed), frozenset(m.lower() for m in methods), retry_after
        )
        return self._faults.log

    # -- HTTP -----------------------------------------------------------------------------------

    async def handle(self, http_method: str, url: str, data: RequestData | None) -> tuple[int, bytes]:
        """Serve one call: the method is the URL's last segment; host and token are ignored."""
        path = unquote(urlsplit(url).path)
        if http_method.upper() == "GET":
            return self._download(path)
        fields, files = (data.json_parameters, data.multipart_data) if data else ({}, {})
        return await self.call(path.rsplit("/", 1)[-1], fields, files)

    async def call(
        self, method: str, fields: Mapping[str, str], files: Mapping[str, Upload] | None = None
    ) -> tuple[int, bytes]:
        """Serve one method from an already decoded request, as the HTTP front has it.

        ``fields`` are form values as Telegram receives them (JSON text for structured ones).
        """
        method = method.lower()
        try:
            if failures := self._failures.get(method):
                raise failures.pop(0)
            fault = self._faults.pick(method) if self._faults else None
            if fault is not None and fault.code != 504:
                raise fault
            handler = self._methods.get(method)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(_Params(fields, files or {}))
            if fault is not None:
                raise fault
        except ApiError as error:
            return error.response()
        return 200, _dumps({"ok": True, "result": result})

    def _download(self, path: str) -> tuple[int, bytes]:
        match = _FILE_URL.search(path)
        if match is not None:
            for stored in self._files.values():
                if stored.path == match["path"]:
                    return 200, stored.content.data
        return ApiError(404, "Not Found").response()

    # -- updates --------------------------------------------------------------------------------

    async def _get_updates(self, params: _Params) -> list[JSONDict]:
        """Long poll with Telegram's offset confirmation; ``allowed_updates`` is not applied."""
        offset = params.integer("offset") or 0
        limit = min(max(params.integer("limit") or MAX_UPDATES_PER_CALL, 1), MAX_UPDATES_PER_CALL)
        timeout = params.number("timeout") or 0.0
        if offset > 0:
            self._pending = [update for update in self._pending if update["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._pending and (remaining := deadline - loop.time()) > 0:
            await self._updates_queued.wait(remaining)
        return self._pending[:limit]

    async def _delete_webhook(self, params: _Params) -> bool:
        if params.flag("drop_pending_updates"):
            self._pending.clear()
        return True

    def _queue(self, kind: str, payload: JSONDict) -> JSONDict:
        self._last_update_id += 1
        update = {"update_id": self._last_update_id, kind: payload}
        self._pending.append(update)
        self._updates_queued.notify()
        return update

    def update_processed(self, update_id: int) -> None:
        """Called by the update processor when PTB is done with an update."""
        self._processed.add(update_id)
        self._update_done.notify()

    async def wait_processed(self, update_id: int, timeout: float) -> None:
        """Wait until PTB has fully processed the update; ``TimeoutError`` after ``timeout`` s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while update_id not in self._processed:
            remaining = deadline - loop.time()
            if remaining <= 0:
                fetched = all(update["update_id"] != update_id for update in self._pending)
                state = "fetched by getUpdates, so a handler is still running" if fetched else "never fetched"
                raise TimeoutError(
                    f"update {update_id} was not processed within {timeout:g}s ({state}; "
                    "is the Application built with api.update_processor() and polling?)"
                )
            await self._update_done.wait(remaining)

    # -- transcript -----------------------------------------------------------------------------

    def _record(self, entry: TranscriptEntry) -> None:
        self.transcript.append(entry)
        for listener in self._listeners:
            listener(entry)

    def _record_message(
        self,
        direction: Literal["user", "bot"],
        kind: Kind,
        message: JSONDict,
        document: FileContent | None = None,
    ) -> None:
        self._record(
            TranscriptEntry(
                direction=direction,
                kind=kind,
                chat_id=message["chat"]["id"],
                message_id=message["message_id"],
                text=_visible_text(message),
                buttons=self.buttons(message),
                document=document,
            )
        )

    # -- readers --------------------------------------------------------------------------------

    def bot_messages(self, chat_id: int) -> list[JSONDict]:
        """The bot's messages in the chat as they are now: edits applied, deletions gone."""
        chat = self._chats.get(chat_id)
        return [m for m in chat.messages.values() if m["from"]["is_bot"]] if chat else []

    def last_bot_message(self, chat_id: int) -> JSONDict | None:
        messages = self.bot_messages(chat_id)
        return messages[-1] if messages else None

    def documents(self, chat_id: int) -> list[FileContent]:
        """Every file the bot sent to the chat, in order."""
        return self._sent(chat_id, Kind.DOCUMENT)

    def photos(self, chat_id: int) -> list[FileContent]:
        """Every picture the bot sent to the chat, in order."""
        return self._sent(chat_id, Kind.PHOTO)

    def _sent(self, chat_id: int, kind: Kind) -> list[FileContent]:
        return [
            entry.document
            for entry in self.transcript
            if entry.direction == "bot"
            and entry.chat_id == chat_id
            and entry.kind == kind
            and entry.document is not None
        ]

    def my_commands(self, scope: JSONDict | None = None, language_code: str | None = None) -> list[JSONDict]:
        """The command menu the bot set for ``scope`` (default: the default scope) and language."""
        return self._commands.get(_commands_key(scope, language_code), [])

    @staticmethod
    def buttons(message: JSONDict) -> Keyboard:
        """The message's inline keyboard, row by row."""
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        return tuple(
            tuple(Button(b["text"], b.get("callback_data"), b.get("url")) for b in row) for row in rows
        )

    # -- the user's side ----------------------------------------------------------------------

    def send_text(
        self, user_id: int, text: str, *, first_name: str = DEFAULT_FIRST_NAME, username: str | None = None
    ) -> JSONDict:
        """The user sends a text message in their private chat with the bot; one over Telegram's
        limit arrives as several, as the clients send it (``client_parts``). Returns the last update."""
        if not text.strip():
            raise ValueError("Telegram clients cannot send an empty message")
        user = _user_json(user_id, first_name)
        if username is not None:
            user["username"] = username
        chat = self._user_chat(user_id)
        chat.user = user
        for part in client_parts(text):
            message = self._new_message(chat, user, _user_text(part))
            self._record_message("user", Kind.TEXT, message)
            update = self._queue("message", message)
        return update

    def press_button(self, user_id: int, label_or_data: str, *, message_id: int | None = None) -> JSONDict:
        """The user presses an inline button, found by label (preferred) or by callback data.

        Searches the given message, or else the bot's messages from the newest back.
        """
        chat = self._user_chat(user_id)
        if message_id is not None:
            if message_id not in chat.messages:
                raise LookupError(f"chat {user_id} has no message {message_id}")
            candidates: Iterable[JSONDict] = [chat.messages[message_id]]
        else:
            candidates = reversed(self.bot_messages(user_id))
        found = next(
            ((message, button) for message in candidates if (button := _find_button(message, label_or_data))),
            None,
        )
        if found is None:
            shown = [b.label for m in self.bot_messages(user_id) for row in self.buttons(m) for b in row]
            raise LookupError(f"no button {label_or_data!r} in chat {user_id}; buttons shown: {shown}")
        message, button = found
        if button.data is None:
            raise ValueError(f"button {button.label!r} opens {button.url!r}; it sends no callback")
        return self._callback(user_id, message, button.label, button.data)

    def forge_callback(self, user_id: int, data: str) -> JSONDict:
        """The user's client sends callback data of its own making, as a modified client could,
        attached to the newest bot message in the chat."""
        message = self.last_bot_message(user_id)
        if message is None:
            raise LookupError(f"chat {user_id} has no bot message to attach a callback to")
        return self._callback(user_id, message, data, data)

    def _callback(self, user_id: int, message: JSONDict, label: str, data: str) -> JSONDict:
        chat = self._user_chat(user_id)
        self._last_query_id += 1
        query_id = str(self._last_query_id)
        self._callback_queries[query_id] = (user_id, message["message_id"])
        self._record(TranscriptEntry("user", Kind.CALLBACK, user_id, message["message_id"], label))
        query = {
            "id": query_id,
            "from": chat.user,
            "message": message,
            "chat_instance": str(user_id),
            "data": data,
        }
        return self._queue("callback_query", query)

    def edit_text(self, user_id: int, message_id: int, new_text: str) -> JSONDict:
        """The user edits one of their own text messages."""
        chat = self._user_chat(user_id)
        message = chat.messages.get(message_id)
        if message is None or message["from"]["id"] != user_id or "text" not in message:
            raise LookupError(f"user {user_id} has no text message {message_id} to edit")
        edited = {k: v for k, v in message.items() if k != "entities"}
        edited.update(_user_text(new_text), edit_date=int(time.time()))
        chat.messages[message_id] = edited
        self._record_message("user", Kind.EDIT, edited)
        return self._queue("edited_message", edited)

    def upload_document(self, user_id: int, filename: str, data: bytes, mime_type: str) -> JSONDict:
        """The user sends a file."""
        stored = self._store_file("documents", FileContent(filename, data), mime_type)
        message = self._new_message(self._user_chat(user_id), None, {"document": self._document_json(stored)})
        self._record_message("user", Kind.DOCUMENT, message, stored.content)
        return self._queue("message", message)

    def send_sticker(self, user_id: int) -> JSONDict:
        """The user sends a sticker (which most bots should politely decline)."""
        stored = self._store_file("stickers", FileContent("sticker.webp", b"RIFF\0\0\0\0WEBP"), "image/webp")
        sticker = stored.json() | {
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self._user_media(user_id, Kind.STICKER, sticker)

    def send_photo(self, user_id: int) -> JSONDict:
        """The user sends a photo."""
        stored = self._store_file("photos", FileContent("photo.jpg", b"\xff\xd8\xff\xe0JFIF"), "image/jpeg")
        return self._user_media(user_id, Kind.PHOTO, [stored.json() | {"width": 800, "height": 600}])

    def send_voice(self, user_id: int) -> JSONDict:
        """The user sends a voice message."""
        stored = self._store_file("voice", FileContent("voice.oga", b"OggS\0\x02"), "audio/ogg")
        return self._user_media(
            user_id, Kind.VOICE, stored.json() | {"duration": 1, "mime_type": stored.mime_type}
        )

    def _user_media(self, user_id: int, kind: Kind, media: object) -> JSONDict:
        message = self._new_message(self._user_chat(user_id), None, {kind.value: media})
        self._record_message("user", kind, message)
        return self._queue("message", message)

    def open_chat(self, user_id: int, first_name: str = DEFAULT_FIRST_NAME) -> None:
        """A user who started the bot before (say, in an earlier ``duizhao chat`` session): as in
        Telegram, the bot may write to him before he writes again."""
        self._user_chat(user_id).user = _user_json(user_id, first_name)

    def restore(self, message: object) -> bool:
        """A bot message with buttons kept from an earlier session (``duizhao chat`` keeps each
        user's latest one): as in Telegram, its buttons can still be pressed and the bot can edit
        it. False, and nothing restored, for anything that is not such a message (a damaged file)."""
        if not _is_keyboard_message(message, self.bot_user["id"]):
            return False
        self._user_chat(message["chat"]["id"]).messages[message["message_id"]] = message
        return True

    def _user_chat(self, user_id: int) -> _Chat:
        """The user's chat, opened with default names if the user has not written yet."""
        return self._chats.setdefault(
            user_id, _Chat(_user_json(user_id, DEFAULT_FIRST_NAME), self._first_id - 1)
        )

    def _new_message(self, chat: _Chat, sender: JSONDict | None, content: JSONDict) -> JSONDict:
        """Store a new message; ``sender`` None means the chat's user."""
        chat.last_message_id += 1
        message = {
            "message_id": chat.last_message_id,
            "from": sender or chat.user,
            "chat": chat.json(),
            "date": int(time.time()),
            **content,
        }
        chat.messages[chat.last_message_id] = message
        return message

    # -- files ----------------------------------------------------------------------------------

    def _store_file(self, folder: str, content: FileContent, mime_type: str) -> _StoredFile:
        number = len(self._files) + 1
        suffix = PurePosixPath(content.filename).suffix
        stored = _StoredFile(
            file_id=f"BQACAgUAAx{number:08d}",
            unique_id=f"AgAD{number:06d}",
            path=f"{folder}/file_{number}{suffix}",
            content=content,
            mime_type=mime_type,
        )
        self._files[stored.file_id] = stored
        return stored

    @staticmethod
    def _document_json(stored: _StoredFile) -> JSONDict:
        return stored.json() | {"file_name": stored.content.filename, "mime_type": stored.mime_type}

    async def _get_file(self, params: _Params) -> JSONDict:
        stored = self._files.get(params.text("file_id") or "")
        if stored is None:
            raise _bad_request("invalid file_id")
        if len(stored.content.data) > MAX_DOWNLOAD_BYTES:
            raise _bad_request("file is too big")
        return stored.json() | {"file_path": stored.path}

    # -- bot methods ----------------------------------------------------------------------------

    async def _get_me(self, params: _Params) -> JSONDict:
        return self.bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _acknowledge(self, params: _Params) -> bool:
        return True

    def _target_chat(self, params: _Params) -> _Chat:
        """The chat the call addresses; a bot cannot write to a user who never wrote to it."""
        try:
            chat = self._chats.get(int(params.text("chat_id") or ""))
        except ValueError:
            chat = None
        if chat is None:
            raise _bad_request("chat not found")
        return chat

    def _reply_to(self, chat: _Chat, params: _Params) -> JSONDict:
        reply = params.json("reply_parameters")
        if not isinstance(reply, dict):
            return {}
        original = chat.messages.get(reply.get("message_id", 0))
        if original is not None:
            return {"reply_to_message": {k: v for k, v in original.items() if k != "reply_to_message"}}
        if reply.get("allow_sending_without_reply"):
            return {}
        raise _bad_request("message to be replied not found")

    def _send(
        self, chat: _Chat, params: _Params, kind: Kind, content: JSONDict, document: FileContent | None = None
    ) -> JSONDict:
        if markup := params.inline_markup():
            content["reply_markup"] = markup
        message = self._new_message(chat, self.bot_user, self._reply_to(chat, params) | content)
        self._record_message("bot", kind, message, document)
        return message

    async def _send_message(self, params: _Params) -> JSONDict:
        chat = self._target_chat(params)
        return self._send(chat, params, Kind.TEXT, _content("text", *_message_text(params)))

    async def _send_document(self, params: _Params) -> JSONDict:
        chat = self._target_chat(params)
        upload = params.upload("document")
        if upload is not None:
            content, mime_type = upload
            if not content.data:
                raise _bad_request("file must be non-empty")
            if len(content.data) > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            stored = self._store_file("documents", content, mime_type)
        else:
            known = self._files.get(params.text("document") or "")
            if known is None:
                raise _bad_request("wrong file identifier/HTTP URL specified")
            stored = known
        message = {"document": self._document_json(stored)} | _caption(params)
        return self._send(chat, params, Kind.DOCUMENT, message, stored.content)

    async def _send_photo(self, params: _Params) -> JSONDict:
        """A picture the bot uploads (a page preview); shown as one size, the size it was sent in."""
        chat = self._target_chat(params)
        upload = params.upload("photo")
        if upload is None:
            raise _bad_request("there is no photo in the request")
        content, mime_type = upload
        if not content.data:
            raise _bad_request("file must be non-empty")
        if len(content.data) > MAX_PHOTO_BYTES:
            raise _bad_request("PHOTO_INVALID_DIMENSIONS")
        stored = self._store_file("photos", content, mime_type)
        width, height = _png_size(content.data)
        message = {"photo": [stored.json() | {"width": width, "height": height}]} | _caption(params)
        return self._send(chat, params, Kind.PHOTO, message, stored.content)

    def _editable(self, params: _Params) -> tuple[_Chat, JSONDict]:
        if params.text("inline_message_id") is not None:
            raise _bad_request("inline messages are not supported by the in-process Bot API")
        chat = self._target_chat(params)
        message = chat.messages.get(params.integer("message_id") or 0)
        if message is None:
            raise _bad_request("message to edit not found")
        if not message["from"]["is_bot"]:
            raise _bad_request("message can't be edited")
        return chat, message

    def _apply_edit(
        self, chat: _Chat, message: JSONDict, params: _Params, content: JSONDict, replaced: tuple[str, ...]
    ) -> JSONDict:
        """Swap the ``replaced`` fields for ``content``.

        As in Telegram, an edit without reply_markup removes the keyboard.
        """
        edited = {k: v for k, v in message.items() if k not in replaced and k != "reply_markup"} | content
        if markup := params.inline_markup():
            edited["reply_markup"] = markup
        if edited == message:
            raise _bad_request(
                "message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message"
            )
        edited["edit_date"] = int(time.time())
        chat.messages[message["message_id"]] = edited
        self._record_message("bot", Kind.EDIT, edited)
        return edited

    async def _edit_message_text(self, params: _Params) -> JSONDict:
        chat, message = self._editable(params)
        if "text" not in message:
            raise _bad_request("there is no text in the message to edit")
        content = _content("text", *_message_text(params))
        return self._apply_edit(chat, message, params, content, replaced=("text", "entities"))

    async def _edit_message_reply_markup(self, params: _Params) -> JSONDict:
        chat, message = self._editable(params)
        return self._apply_edit(chat, message, params, {}, replaced=())

    async def _answer_callback_query(self, params: _Params) -> bool:
        origin = self._callback_queries.pop(params.text("callback_query_id") or "", None)
        if origin is None:
            raise _bad_request("query is too old and response timeout expired or query ID is invalid")
        chat_id, message_id = origin
        self._record(TranscriptEntry("bot", Kind.ANSWER, chat_id, message_id, params.text("text")))
        return True

    async def _send_chat_action(self, params: _Params) -> bool:
        chat = self._target_chat(params)
        action = params.text("action")
        if not action:
            raise _bad_request("wrong parameter action in request")
        self._record(TranscriptEntry("bot", Kind.ACTION, chat.user["id"], text=action))
        return True

    async def _delete_message(self, params: _Params) -> bool:
        chat = self._target_chat(params)
        message_id = params.integer("message_id") or 0
        if chat.messages.pop(message_id, None) is None:
            raise _bad_request("message to delete not found")
        self._record(TranscriptEntry("bot", Kind.DELETE, chat.user["id"], message_id))
        return True

    async def _set_my_commands(self, params: _Params) -> bool:
        commands = params.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad_request("commands must be a list of at most 100 BotCommand")
        for command in commands:
            if not _BOT_COMMAND.fullmatch(str(command.get("command", ""))):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[params.commands_key()] = commands
        return True

    async def _get_my_commands(self, params: _Params) -> list[JSONDict]:
        return self._commands.get(params.commands_key(), [])

    async def _delete_my_commands(self, params: _Params) -> bool:
        self._commands.pop(params.commands_key(), None)
        return True
