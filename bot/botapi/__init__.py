"""An in-process Telegram Bot API that the real PTB stack runs on, for ``duizhao chat`` and tests.

Typical wiring::

    api = InProcessBotApi()
    app = (
        ApplicationBuilder()
        .token(api.token)
        .request(api.request())
        .get_updates_request(api.request())
        .concurrent_updates(api.update_processor())
        .build()
    )
    async with BotHarness(api, app) as harness:
        replies = await harness.say(42, "/start")
"""

from bot.botapi.harness import AnyApplication, BotHarness
from bot.botapi.request import InProcessRequest, InProcessUpdateProcessor
from bot.botapi.server import Button, FileContent, InProcessBotApi, Keyboard, Kind, TranscriptEntry

__all__ = [
    "AnyApplication",
    "BotHarness",
    "Button",
    "FileContent",
    "InProcessBotApi",
    "InProcessRequest",
    "InProcessUpdateProcessor",
    "Keyboard",
    "Kind",
    "TranscriptEntry",
]
