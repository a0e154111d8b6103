"""A text Telegram cut in two: the second message continues the first one's last item or text.

Telegram clients send a text longer than 4096 characters as several messages, one right after
another, cut at a line break or a sentence end where they can and mid-sentence where they cannot.
Read one by one, the opening words of the second part would become an item of their own (or, in a
text section, replace the first part). A message continues the one before it when its message id
follows directly (or nearly, and it was sent within seconds: ``_previous``), the one before filled
most of a message, and it does not open with a list marker: its words up to the first marker that
goes on counting are then the rest of the previous part's last item, as they would have been had
the text arrived as one message.

The answer so joined keeps its own share as a revision (``JOINED``): an edit of the first message
rewrites only that share, and the words of the part after it stay (``later_share``). It also keeps
the id of the part joined to it (``joined_message_id``), so an edit of that part rewrites its words
there (``rewrite_joined``), also when they were all it had.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from bot.draftview import DraftView
from bot.splitter import split_rest
from bot.texts import utf16_len
from storage import repo
from storage.models import Answer, AnswerRole

CUT_PART_MIN = 3000
"""What the stored answers of a message cut by its client add up to at least (UTF-16 units, as
Telegram counts): a part is cut at most a quarter before the 4096 limit, and storing drops only the
markers and blank lines. No one-by-one answer comes near it."""


MAX_GAP = 3
"""How far a continuation's message id may be from its previous part's: the bot's reply to that
part (one message, or two when split) may have been sent in between."""
WINDOW = timedelta(seconds=10)
"""How soon after its previous part was stored a continuation is sent, at most, when the ids do not
follow directly. A client sends the parts at once."""


@dataclass(frozen=True)
class Continuation:
    answer: Answer
    """The last answer the previous part produced, which the new message goes on with."""
    text: str
    """That answer's text with the new message's opening lines joined to it."""
    rest: str
    """The points after that, from the first one's marker, to store as a message of their own."""


def of(
    view: DraftView, text: str, source: tuple[int, int], sent: datetime | None = None
) -> Continuation | None:
    """How ``text``, sent as ``source`` at ``sent`` (Telegram's date of the message), continues the
    previous message; None when it does not."""
    previous = _previous(view, source, sent)
    if sum(utf16_len(a.text) for a in previous) < CUT_PART_MIN:
        return None
    last = max((a for a in previous if a.role == AnswerRole.ITEM), key=lambda a: a.position, default=None)
    if last is None or not _last_of_its_list(view, last):
        return None
    if view.section(last.section).answer == "text":
        head, rest = text.strip(), ""
    else:
        head, rest = split_rest(text)
    if not head:
        return None
    # One paragraph: an item is almost always one, and a cut at a sentence end is still inside it.
    return Continuation(last, last.text.rstrip() + head, rest)


JOINED = "join"
"""The action of the revision that keeps an answer's own share when a later part is joined to it."""


def join(session: AsyncSession, going_on: Continuation, author_id: int, message_id: int) -> None:
    """Join the next part's opening words to the answer it goes on with (``of``); that part,
    ``message_id``, is remembered on the answer, which is all it may have written."""
    repo.change_answer(session, going_on.answer, going_on.text, author_id, action=JOINED)
    going_on.answer.joined_message_id = message_id


async def rewrite_joined(session: AsyncSession, answer: Answer, words: str, author_id: int) -> bool:
    """After an edit of the later part joined to ``answer``: its words there are now ``words``,
    after the answer's own share, which stays. False, changing nothing, when the answer no longer
    opens with its own share (rewritten as a whole since, by hand)."""
    kept = await repo.last_revision(session, answer, JOINED)
    own = kept.text.rstrip() if kept is not None else None
    if own is None or not answer.text.startswith(own):
        return False
    if answer.text != own + words:
        repo.change_answer(session, answer, own + words, author_id)
    return True


async def later_share(session: AsyncSession, answers: Sequence[Answer]) -> tuple[Answer, str] | None:
    """Of the answers one message wrote, the one a later part of its cut text was joined to, with
    that part's words at its end; None when none was, or the answer no longer opens with its own
    share (rewritten as a whole since, by hand)."""
    for answer in answers:
        kept = await repo.last_revision(session, answer, JOINED)
        own = kept.text.rstrip() if kept is not None else None
        if own is not None and answer.text.startswith(own) and len(answer.text) > len(own):
            return answer, answer.text[len(own) :]
    return None


def rejoined(session: AsyncSession, answers: Sequence[Answer], later: str, author_id: int) -> None:
    """After an edit of the first part rewrote its answers (``answers``, ``later`` joined to the
    last point again), the one that now ends with the later part's words keeps its own share, as
    ``join`` had it kept, so the next edit finds them again."""
    carrier = next(
        (a for a in reversed(answers) if a.text.endswith(later) and len(a.text) > len(later)), None
    )
    if carrier is not None:
        repo.keep_history(session, carrier, JOINED, author_id, carrier.text[: -len(later)])


def _previous(view: DraftView, source: tuple[int, int], sent: datetime | None) -> list[Answer]:
    """The answers of the message before ``source`` whose rest it may be: the one with the id just
    before it; or, when the bot's reply to it came first and took that id (``MAX_GAP``), or it was
    a part joined to its own previous one and so left no answers of its own, the latest message
    that wrote in this draft, if it was written no more than ``WINDOW`` before this one was sent:
    the parts of a cut text arrive within a second or two, a message typed afterwards does not."""
    chat_id, message_id = source
    ours = {
        a: a.source_message_id
        for a in view.answers
        if a.source_chat_id == chat_id and a.source_message_id is not None
    }
    before = max((n for n in ours.values() if n < message_id), default=None)
    if before is None:
        return []
    previous = [a for a, n in ours.items() if n == before]
    written = [inspect(a).dict.get("created_at") for a in previous]  # never loaded afresh here
    return previous if follows(before, message_id, sent, written) else []


def follows(before: int, message_id: int, sent: datetime | None, written: Sequence[object]) -> bool:
    """Whether message ``message_id``, sent at ``sent``, may be the rest of message ``before``, whose
    answers (or kept paste) were stored at ``written``: right after it, or a few ids on (``MAX_GAP``)
    when it was sent within ``WINDOW`` of them."""
    if message_id - before == 1:
        return True
    if not 0 < message_id - before <= MAX_GAP or sent is None or not written:
        return False
    return all(isinstance(w, datetime) and sent - w <= WINDOW for w in written)


def _last_of_its_list(view: DraftView, answer: Answer) -> bool:
    """Only the end of a list can go on: an item inserted before others is not where a cut was."""
    return all(
        a.position <= answer.position
        for a in view.answers
        if (a.section, a.aspect, a.role) == (answer.section, answer.aspect, AnswerRole.ITEM)
    )
