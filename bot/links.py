"""Which measure rectifies which problem (问题清单 ↔ 任务清单, DOMAIN.md §5).

After the measures are written the bot proposes the links itself, so the user only corrects them:
a problem goes to the measure that shares the most with it: the topics both are about (the ones
measures.coverage reads: "读原著原文不够系统" and "制定个人读书计划" share no word but are both about
理论学习), then words (jieba); where neither decides, to the measure at the same place in the aspect
order (materials often answer the aspects in turn). Every problem gets a measure and every measure a
problem; a problem paired by the order alone is only a guess, which the table marks and /check
names (measures.coverage.guessed). Once the user confirms or changes anything the links are stored
and the proposal is no longer consulted.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from enum import StrEnum

from bot.callbacks import FROM_FILE, Callback, Flow, encode
from bot.document import Item, SectionRole
from bot.draftview import DraftView
from bot.labels import Label
from bot.measure_status import MeasureStatus, closes_problem, rectifies_problem
from bot.replies import Button
from bot.review.engine import default_config
from bot.review.rules.problems import nothing_found
from bot.review.tokens import content_words, topics_in
from bot.texts import preview, quoted
from storage.models import Answer, Measure, MeasureProblem

Links = dict[int, list[int]]
"""Measure id → the answer ids of the problems it addresses, in material order."""


@dataclass(frozen=True)
class Problem:
    number: int  # 问题N, counted through the whole material
    aspect: int  # 1-based aspect, 0 in a section not asked per aspect
    answer: Answer

    @property
    def headline(self) -> str:
        """The judgement sentence: what the ledger's 问题 column shows."""
        return Item.from_text(self.answer.text).headline


def problems(view: DraftView) -> list[Problem]:
    """The problem items of the material, in the order it lists them; a point of a self-inspection
    saying an area was checked and found clean (经自查，未发现…问题) is none: nothing to rectify."""
    found = [
        (step.aspect, answer)
        for step in view.section_steps
        if step.section is not None and step.section.role == SectionRole.PROBLEMS
        for answer in view.slot(step)
        if not nothing_found(answer.text)
    ]
    return [Problem(n, aspect, answer) for n, (aspect, answer) in enumerate(found, start=1)]


def propose(found: list[Problem], measures: list[tuple[Answer, Measure]], aspect_count: int) -> Links:
    """Links by shared topics and words first, then aspect order; pure, so the same draft always
    gets the same."""
    return _proposal(found, measures, aspect_count)[0]


def _proposal(
    found: list[Problem], measures: list[tuple[Answer, Measure]], aspect_count: int
) -> tuple[Links, set[int]]:
    """The proposed links, and the problems (answer ids) each of whose measures was chosen by the
    aspect order alone: no topic, no word shared, not written under the problem's aspect."""
    if not found or not measures:
        return {}, set()
    count = len(measures)
    topics = default_config().params("measures.coverage").mapping("topics")

    keywords = {word for words in topics.values() for word in words}

    def about(text: str) -> tuple[set[str], set[str]]:
        """Its topics, and its words: the content words, and the topics' own words wherever they
        stand (the dictionary keeps 联系服务群众 one word, which still names the 群众 of 走访群众)."""
        return topics_in(text, topics), content_words(text) | {w for w in keywords if w in text}

    measure_about = [about(a.text) for a, _ in measures]
    # A measure's opening sentence says what it is for ("在思想上新，持续武装头脑。"); its body may
    # touch every topic on the way.
    measure_aims = [topics_in(Item.from_text(a.text).headline, topics) for a, _ in measures]

    def expected(problem: Problem) -> int:
        """The measure index the aspect order points at."""
        if problem.aspect and aspect_count:
            return (problem.aspect - 1) * count // aspect_count
        return (problem.number - 1) * count // len(found)

    def grounds(problem: Problem, problem_about: tuple[set[str], set[str]], index: int) -> int:
        """What the problem and the measure have in common: 0 when only the order can pair them."""
        (raised, words), (answered, measure_words) = problem_about, measure_about[index]
        same_aspect = 4 if problem.aspect and measures[index][0].aspect == problem.aspect else 0
        shared = 3 * len(raised & answered) + 3 * len(raised & measure_aims[index])
        return shared + 2 * len(words & measure_words) + same_aspect

    def score(problem: Problem, problem_about: tuple[set[str], set[str]], index: int) -> int:
        return grounds(problem, problem_about, index) - abs(index - expected(problem))

    links: Links = {m.id: [] for _, m in measures}
    grounded: set[int] = set()  # problems linked to a measure for what they share
    problem_about = [about(p.answer.text) for p in found]
    for problem, of_problem in zip(found, problem_about, strict=True):
        best = max(range(count), key=lambda i: (score(problem, of_problem, i), -i))
        links[measures[best][1].id].append(problem.answer.id)
        if grounds(problem, of_problem, best):
            grounded.add(problem.answer.id)
    for index, (_, measure) in enumerate(measures):
        if not links[measure.id]:
            nearest = max(range(len(found)), key=lambda p: (score(found[p], problem_about[p], index), -p))
            links[measure.id].append(found[nearest].answer.id)
            if grounds(found[nearest], problem_about[nearest], index):
                grounded.add(found[nearest].answer.id)
    order = {p.answer.id: p.number for p in found}
    linked = {mid: sorted(ids, key=order.__getitem__) for mid, ids in links.items()}
    return linked, {p.answer.id for p in found} - grounded


def is_confirmed(view: DraftView) -> bool:
    return any(measure.links for _, measure in view.measures())


def current(view: DraftView) -> Links:
    """The stored links (to problems still in the material), or the proposal while none are stored."""
    return reading(view)[0]


def reading(view: DraftView) -> tuple[Links, set[int]]:
    """``current`` and the answer ids of the ``guessed`` problems, from one reading of the links
    (the proposal, while it stands, is worked out once for both)."""
    return _current(view, problems(view))


def guessed(view: DraftView) -> list[Problem]:
    """The problems the proposal pairs with measures by the aspect order alone (sharing no topic
    and no word with any of them): the table shows a measure, but none is about the problem. Also
    once stored, when the user only went on to the deadlines past the proposal, until he confirms
    the table or changes the problem's links: then they are his decision."""
    return gaps(view)[1]


def confirmed(view: DraftView) -> Links:
    """``current`` without the pairs of ``guessed`` problems: what text stating the pairing as a
    fact (the 整改落实情况报告) may say, as the user decided it or the proposal found grounds for it."""
    linked, weak = reading(view)
    return {mid: [a for a in ids if a not in weak] for mid, ids in linked.items()}


def _current(view: DraftView, found: list[Problem]) -> tuple[Links, set[int]]:
    """``current`` and the answer ids of ``guessed``."""
    measures = view.measures()
    if not is_confirmed(view):
        return _proposal(found, measures, len(view.aspects))
    order = {p.answer.id: p.number for p in found}
    stored = {
        m.id: sorted((link.answer_id for link in m.links if link.answer_id in order), key=order.__getitem__)
        for _, m in measures
    }
    kept = [link for link in _links(view) if link.answer_id in order]
    by_order = {link.answer_id for link in kept if link.by_order}
    return stored, by_order - {link.answer_id for link in kept if not link.by_order}


def store(view: DraftView, links: Links) -> None:
    """Make the stored links equal ``links``, keeping the rows that stay (no delete and re-insert)."""
    for _, measure in view.measures():
        wanted = links.get(measure.id, [])
        kept = [link for link in measure.links if link.answer_id in wanted]
        have = {link.answer_id for link in kept}
        added = [
            MeasureProblem(measure_id=measure.id, answer_id=a, by_order=False)
            for a in wanted
            if a not in have
        ]
        measure.links = kept + added


def confirm(view: DraftView) -> None:
    """The user's 确认: the table as it stands is his, guesses included."""
    accept(view)
    for link in _links(view):
        link.by_order = False


def accept(view: DraftView) -> None:
    """Going on to the deadlines past the proposal: store it, keeping which pairs are guesses."""
    if is_confirmed(view):
        return
    found = problems(view)
    linked, weak = _current(view, found)
    store(view, linked)
    for link in _links(view):
        link.by_order = link.answer_id in weak


def toggle(view: DraftView, problem_id: int, measure_id: int) -> bool:
    """Link or unlink one pair; False when either is no longer in the material. The problem's links
    are then the user's choice, no longer a guess."""
    links = current(view)
    if measure_id not in links or all(p.answer.id != problem_id for p in problems(view)):
        return False
    chosen = links[measure_id]
    if problem_id in chosen:
        chosen.remove(problem_id)
    else:
        chosen.append(problem_id)
    store(view, links)
    for link in _links(view):
        if link.answer_id == problem_id:
            link.by_order = False
    return True


def _links(view: DraftView) -> Iterator[MeasureProblem]:
    """Every stored link of the draft's measures."""
    return (link for _, measure in view.measures() for link in measure.links)


def measures_of_problem(links: Links, problem_id: int) -> list[int]:
    return [mid for mid, ids in links.items() if problem_id in ids]


def closed(view: DraftView) -> list[Problem]:
    """The problems 已销号: every measure addressing them was signed off (not only completed)."""
    return _closed(view, problems(view), current(view))


def rectified(view: DraftView) -> list[Problem]:
    """The problems whose measures are all done (已完成待销号 or 已销号)."""
    return _closed(view, problems(view), current(view), rectifies_problem)


def _closed(
    view: DraftView,
    found: list[Problem],
    linked: Links,
    rule: Callable[[Collection[str]], bool] = closes_problem,
) -> list[Problem]:
    status = {m.id: m.status for _, m in view.measures()}
    return [
        p for p in found if rule([status[m] for m in measures_of_problem(linked, p.answer.id) if m in status])
    ]


def unlinked(view: DraftView) -> list[Problem]:
    """Problems no measure addresses, as the table shows them (once links are stored: a proposal
    covers every problem)."""
    return gaps(view)[0]


def gaps(view: DraftView) -> tuple[list[Problem], list[Problem]]:
    """``unlinked`` and ``guessed`` from one reading of the links: what measures.coverage names."""
    found = problems(view)
    linked, weak = _current(view, found)
    missing = [p for p in found if not measures_of_problem(linked, p.answer.id)]
    return missing, [p for p in found if p.answer.id in weak]


# -- what the user sees ---------------------------------------------------------------------------


def _quoted_headline(problem: Problem) -> str:
    return quoted(preview(problem.headline.rstrip("。；;"), 16))


def unlinked_note(view: DraftView) -> str:
    """ "请留意：问题4还没有对应的整改措施。", or "" when every problem has its measures (or there are no
    measures yet to pair them with)."""
    missing = unlinked(view) if view.measures() else []
    return f"请留意：{_named(missing)}还没有对应的整改措施。" if missing else ""


def guessed_note(view: DraftView) -> str:
    """ "有1条问题（问题4“干事创业劲头不足”）与整改措施的对应仅按顺序推定，还没有确认。", or "" when
    no pairing is a guess."""
    found = guessed(view)
    if not found:
        return ""
    return f"有{len(found)}条问题（{_named(found)}）与整改措施的对应{BY_ORDER}，还没有确认。"


def settle_request(view: DraftView, effect: str, again: str) -> str:
    """Under an output following the links (the ledger, the 整改落实情况报告): which pairings are
    still guesses, what the output made of them (``effect``) and how to settle them, ending with the
    command that makes it again; "" when no pairing is a guess. Goes with ``buttons``."""
    note = guessed_note(view)
    if not note:
        return ""
    return (
        f"{note.rstrip('。')}，{effect}：请核对后点“{Label.LINKS_CONFIRM}”，或点“{Label.LINKS_EDIT}”改选，"
        f"再发送 {again}。"
    )


def _named(found: list[Problem]) -> str:
    """问题2“…”、问题4“…”: a few by their headlines, more by number only."""
    named = len(found) <= MAX_NAMED
    return "、".join(f"问题{p.number}{_quoted_headline(p) if named else ''}" for p in found)


MAX_NAMED = 3
MAX_PROBLEMS_SHOWN = 30  # one line each stays far below Telegram's 4096 characters


def table(view: DraftView) -> str:
    """``问题N 标题… → 措施1、措施3`` for every problem, or "" when there is nothing to link; a problem
    whose measures are all signed off is marked 已销号, as the ledger and /deadlines mark it."""
    found = problems(view)
    measures = view.measures()
    if not found or not measures:
        return ""
    number_of = {m.id: n for n, (_, m) in enumerate(measures, start=1)}
    linked, weak = _current(view, found)
    done = {p.answer.id for p in _closed(view, found, linked)}
    state = "" if is_confirmed(view) else "（按问题和措施的内容、方面顺序自动对应，请核对）"
    lines = [f"<b>问题与整改措施的对应</b>{state}"]
    for problem in found[:MAX_PROBLEMS_SHOWN]:
        ids = measures_of_problem(linked, problem.answer.id)
        target = "、".join(f"措施{number_of[m]}" for m in ids) or "暂无对应措施"
        mark = f"（{MeasureStatus.CLOSED}）" if problem.answer.id in done else ""
        mark += f"（{BY_ORDER}）" if problem.answer.id in weak else ""
        lines.append(f"问题{problem.number} {preview(problem.headline, 18)} → {target}{mark}")
    if len(found) > MAX_PROBLEMS_SHOWN:
        lines.append(f"（另有{len(found) - MAX_PROBLEMS_SHOWN}条问题，可在“调整对应”中查看）")
    if weak:
        lines.append(
            f"标“{BY_ORDER}”的问题，整改措施中没有谈到同一内容的：请补写措施，或核对后确认、调整对应。"
        )
    return "\n".join(lines)


BY_ORDER = "仅按顺序推定"
"""How the table marks a problem paired with its measures by the aspect order alone (``guessed``)."""


def opener(view: DraftView) -> list[Button]:
    """The way to the table and its editor from the overview and /deadlines, once there is a table."""
    if not problems(view) or not view.measures():
        return []
    return [Button(Label.LINKS_VIEW, encode(Flow.LINKS, "edit", view.draft.public_id))]


class Follows(StrEnum):
    """A file that follows the links, whose note offers the table's buttons: a pairing changed from
    there leaves the file out of date, and the reply offers it again."""

    LEDGER = "ledger"
    REPORT = "report"


def data(action: str, pub: str, *args: int, follows: Follows | None = None) -> str:
    """A links button's data; pressed from a file's note, the route that carries the file's name."""
    if follows is None:
        return encode(Flow.LINKS, action, pub, *args)
    return encode(Flow.LINKS, action + FROM_FILE, pub, *args, follows.value)


def route(callback: Callback) -> tuple[str, Follows | None]:
    """A links button's action, and the file whose note it was pressed from, if any."""
    if not callback.action.endswith(FROM_FILE):
        return callback.action, None
    name = callback.text(len(callback.args) - 1)
    return callback.action.removesuffix(FROM_FILE), next((f for f in Follows if f.value == name), None)


def buttons(view: DraftView, follows: Follows | None = None) -> list[Button]:
    """确认对应 (while there is something to confirm) and 调整对应; ``follows``: under that file."""
    pub = view.draft.public_id
    row = [Button(Label.LINKS_EDIT, data("edit", pub, follows=follows))]
    if not is_confirmed(view) or guessed(view):
        row.insert(0, Button(Label.LINKS_CONFIRM, data("ok", pub, follows=follows)))
    return row
