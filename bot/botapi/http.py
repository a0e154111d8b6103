"""The in-process Bot API over real HTTP, for testing ``duizhao run`` exactly as deployed.

``duizhao run`` supports a self-hosted Bot API server (``DUIZHAO_API_BASE_URL``), so pointing an
unmodified process at :class:`BotApiHttpServer` exercises the whole production path: PTB's
``HTTPXRequest``, ``run_polling`` and its signal handling, start-up and shutdown. The server runs
on the caller's event loop, so the test injects updates and reads the transcript directly while
the bot long-polls. :class:`BotProcess` starts and stops such a process.

Only what PTB (through httpx) sends is understood: HTTP/1.1 with keep-alive and ``Content-Length``
bodies that are form-urlencoded, JSON or multipart/form-data.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

from bot.botapi.server import ApiError, InProcessBotApi, Upload

__all__ = ["RUN_COMMAND", "BotApiHttpServer", "BotProcess", "duizhao_env"]

RUN_COMMAND = (sys.executable, "-m", "bot", "run")

log = logging.getLogger(__name__)

_JSON = "application/json"
_METHOD_PATH = re.compile(r"/bot[^/]+/(?P<method>[A-Za-z]+)")
_HEADER_PARAM = re.compile(
    r';\s*(?P<key>[^\s=;]+)\s*=\s*(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<token>[^\s;]*))'
)
_POLL_INTERVAL = 0.05
_LOG_TAIL_CHARS = 4000

T = TypeVar("T")


# --------------------------------------------------------------------------------------------
# HTTP


@dataclass(frozen=True)
class _Request:
    """One HTTP request; the HTTP method does not matter, as Telegram takes GET and POST alike."""

    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def keep_alive(self) -> bool:
        return self.headers.get("connection", "").lower() != "close"


async def _read_request(reader: asyncio.StreamReader) -> _Request | None:
    """The next request on the connection, or None when the client has hung up."""
    line = await reader.readline()
    if not line:
        return None
    try:
        _method, target, _version = line.decode("latin-1").split()
    except ValueError:
        raise ApiError(400, "Bad Request: malformed request line") from None
    headers: dict[str, str] = {}
    while (header := await reader.readline()).strip():
        name, _, value = header.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if "transfer-encoding" in headers:
        raise ApiError(411, "Length Required")
    try:
        length = int(headers.get("content-length", "0"))
    except ValueError:
        raise ApiError(400, "Bad Request: invalid Content-Length") from None
    return _Request(target, headers, await reader.readexactly(length))


def _header_value(value: str) -> tuple[str, dict[str, str]]:
    """``multipart/form-data; boundary="x"`` -> ("multipart/form-data", {"boundary": "x"})."""
    main, _, params = value.partition(";")
    return main.strip().lower(), {
        match["key"].lower(): (
            re.sub(r"\\(.)", r"\1", match["quoted"]) if match["quoted"] is not None else match["token"]
        )
        for match in _HEADER_PARAM.finditer(";" + params)
    }


def _multipart(body: bytes, boundary: str) -> tuple[dict[str, str], dict[str, Upload]]:
    """Form fields and files of a multipart/form-data body (RFC 7578)."""
    fields: dict[str, str] = {}
    files: dict[str, Upload] = {}
    # Every delimiter but the first follows a CRLF; prepending one makes them all alike.
    for part in (b"\r\n" + body).split(b"\r\n--" + boundary.encode())[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.partition(b"\r\n\r\n")
        headers = dict(
            (name.strip().lower(), value.strip())
            for name, _, value in (line.partition(":") for line in head.decode().splitlines() if line)
        )
        _, disposition = _header_value(headers["content-disposition"])
        if "filename" in disposition:
            mime_type = headers.get("content-type", "application/octet-stream")
            files[disposition["name"]] = (disposition["filename"], content, mime_type)
        else:
            fields[disposition["name"]] = content.decode()
    return fields, files


def _decode_body(request: _Request) -> tuple[dict[str, str], dict[str, Upload]]:
    """Form fields as Telegram reads them (JSON text for structured values) and uploaded files."""
    if not request.body:
        return {}, {}
    mime_type, params = _header_value(request.headers.get("content-type", ""))
    try:
        if mime_type == "multipart/form-data":
            return _multipart(request.body, params["boundary"])
        if mime_type == _JSON:
            decoded = json.loads(request.body)
            if not isinstance(decoded, dict):
                raise ValueError("the JSON body is not an object")
            fields = {
                name: value if isinstance(value, str) else json.dumps(value)
                for name, value in decoded.items()
                if value is not None
            }
            return fields, {}
        return dict(parse_qsl(request.body.decode(), keep_blank_values=True, strict_parsing=True)), {}
    except (KeyError, ValueError):
        raise ApiError(400, "Bad Request: can't parse the request body") from None


def _response(status: int, body: bytes, content_type: str, *, keep_alive: bool) -> bytes:
    head = (
        f"HTTP/1.1 {status} {http.client.responses.get(status, '')}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    )
    return head.encode() + body


class BotApiHttpServer:
    """Serves ``api`` on ``http://host:port`` like a self-hosted Bot API server.

    ``POST`` (or ``GET``) ``/bot<token>/<method>`` calls a method; ``GET /file/bot<token>/<path>``
    downloads a file. Port 0 picks a free port; read the URLs after entering the context.
    """

    def __init__(self, api: InProcessBotApi, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.api = api
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[object]] = set()

    @property
    def base_url(self) -> str:
        """For ``DUIZHAO_API_BASE_URL``: PTB appends the token and the method."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        """For ``DUIZHAO_FILE_BASE_URL``: PTB appends the token and the file path."""
        return f"http://{self.host}:{self.port}/file/bot"

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop listening and drop open connections, long polls included."""
        assert self._server is not None
        self._server.close()
        connections = list(self._connections)
        for connection in connections:
            connection.cancel()
        await asyncio.gather(*connections, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Answer the connection's requests in order until the client hangs up."""
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            keep_alive = True
            while keep_alive:
                try:
                    request = await _read_request(reader)
                    if request is None:
                        return
                    status, body, content_type = await self._answer(request)
                    keep_alive = request.keep_alive
                except (ConnectionError, asyncio.IncompleteReadError):
                    return
                except Exception as error:  # answer, then hang up: the request may be half read
                    if not isinstance(error, ApiError):
                        log.exception("the Bot API HTTP front failed to serve a request")
                        error = ApiError(500, "Internal Server Error")
                    (status, body), content_type, keep_alive = error.response(), _JSON, False
                writer.write(_response(status, body, content_type, keep_alive=keep_alive))
                await writer.drain()
        except ConnectionError:
            pass  # e.g. PTB dropped a long poll on shutdown before its answer came
        except asyncio.CancelledError:
            pass  # closing the server; Python 3.11 would log a cancelled connection as an error
        finally:
            self._connections.discard(task)
            writer.close()

    async def _answer(self, request: _Request) -> tuple[int, bytes, str]:
        url = urlsplit(request.target)
        method = _METHOD_PATH.fullmatch(unquote(url.path))
        if method is None:  # a download, or else Telegram's 404
            status, body = await self.api.handle("GET", request.target, None)
            return status, body, "application/octet-stream" if status == 200 else _JSON
        fields, files = _decode_body(request)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        status, body = await self.api.call(method["method"], query | fields, files)
        return status, body, _JSON


# --------------------------------------------------------------------------------------------
# The bot process


def duizhao_env(variables: Mapping[str, str]) -> dict[str, str]:
    """This process's environment plus ``variables``, minus other ``DUIZHAO_*`` settings.

    A developer's own settings (a real token, allowed users) must not leak into a test's bot.
    """
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("DUIZHAO_")}
    return inherited | dict(variables)


class BotProcess:
    """``python -m bot run`` as a child process using ``server`` as its Bot API server.

    It runs in ``data_dir`` (so no stray ``.env`` is read), keeps its default SQLite database
    there unless ``database_url`` is given, and logs to ``data_dir/run.log`` rather than to a
    pipe nobody drains. Leaving the context kills it if it is still running.
    """

    def __init__(self, server: BotApiHttpServer, data_dir: Path, *, database_url: str | None = None) -> None:
        self.server = server
        self.data_dir = data_dir
        self.database_url = database_url
        self.log_path = data_dir / "run.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def process(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            raise RuntimeError("enter the BotProcess context first")
        return self._process

    async def __aenter__(self) -> Self:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        variables = {
            "DUIZHAO_BOT_TOKEN": self.server.api.token,
            "DUIZHAO_API_BASE_URL": self.server.base_url,
            "DUIZHAO_FILE_BASE_URL": self.server.file_base_url,
            "DUIZHAO_DATA_DIR": str(self.data_dir),
        }
        if self.database_url is not None:
            variables["DUIZHAO_DATABASE_URL"] = self.database_url
        with self.log_path.open("wb") as output:
            self._process = subprocess.Popen(
                RUN_COMMAND, cwd=self.data_dir, env=duizhao_env(variables), stdout=output, stderr=output
            )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        """The end of the process's output, for failure messages."""
        return self.log_path.read_text(errors="replace")[-_LOG_TAIL_CHARS:]

    async def wait_for(self, what: str, found: Callable[[], T], timeout: float) -> T:
        """Poll ``found`` until it returns something truthy, and return that.

        Fails at once, quoting the bot's log, if the process exits first.
        """

        def check() -> T | None:
            if value := found():
                return value
            if self.process.poll() is not None:
                code = self.process.returncode
                raise RuntimeError(f"duizhao run exited with {code} while waiting for {what}:\n{self.log()}")
            return None

        return await self._poll(check, timeout, what)

    async def interrupt(self, timeout: float) -> int:
        """Press Ctrl-C and return the exit code once the process has ended."""
        self.process.send_signal(signal.SIGINT)
        return await self._poll(self.process.poll, timeout, "exit after SIGINT")

    async def _poll(self, check: Callable[[], T | None], timeout: float, what: str) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (value := check()) is None:
            if loop.time() > deadline:
                raise TimeoutError(f"no {what} within {timeout:g}s; duizhao run's log:\n{self.log()}")
            await asyncio.sleep(_POLL_INTERVAL)
        return value
