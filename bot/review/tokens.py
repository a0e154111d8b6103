"""Chinese word segmentation for the rules that compare wording, loaded once per process.

Two backends share one user dictionary (``bot/data/review/userdict.txt``) so fixed Party terms such as
两个维护 or 全面从严治党 stay one word: rjieba (jieba-rs, the default: it loads in about a quarter of the
time and segments several times faster, see ``bench/review.py``) and the reference Python jieba. The
user dictionary is added word by word, so neither backend writes a cache next to the package; Python
jieba keeps its own prefix-dictionary cache in the temp directory.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

from bot.review.config import load_data

Token = tuple[str, int, int]
"""A word and its ``[start, end)`` character offsets."""

Backend = Literal["rjieba", "jieba"]
DEFAULT_BACKEND: Backend = "rjieba"

Tokenize = Callable[[str], list[Token]]


def user_words() -> list[tuple[str, int | None]]:
    """The user dictionary: ``word [frequency]`` per line, ``#`` comments."""
    words = []
    for line in str(load_data("userdict.txt")).splitlines():
        parts = line.split("#", 1)[0].split()
        if parts:
            words.append((parts[0], int(parts[1]) if len(parts) > 1 else None))
    return words


@functools.cache
def tokenizer(backend: Backend = DEFAULT_BACKEND) -> Tokenize:
    """A segmenting function with the user dictionary loaded; built on first use, then shared."""
    if backend == "rjieba":
        import rjieba

        for word, freq in user_words():
            rjieba.add_word(word, freq, None)
        return rjieba.tokenize

    import jieba

    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    segmenter.initialize()
    for word, freq in user_words():
        segmenter.add_word(word, freq)

    def tokenize(text: str) -> list[Token]:
        return list(segmenter.tokenize(text))

    return tokenize


# Words every problem and measure of the genre uses; sharing them says nothing about what they are about.
_COMMON_WORDS = (
    "进一步 加强 问题 方面 工作 自己 自身 不够 存在 没有 坚持 提高 做到 及时 深入 不足 "
    "情况 主要 有时 一些 有的 还有 更加 切实 认真 全面 不断 持续 积极 努力 今后 确保 "
    "开展 推动 落实 每月 每季度 每年 以上 不少 少于 一次 两次 同志 我们 本人 分管 "
    "增强 方式 途径 自觉 提升 领域 今年 全年 有所"
)
_COMMON = frozenset(_COMMON_WORDS.split())


def content_words(text: str) -> set[str]:
    """The words of ``text`` that say what it is about (two characters or more, not the genre's
    common words, no numbers): what a problem and the measure that rectifies it share."""
    tokenize = tokenizer()
    return {w for w, _, _ in tokenize(text) if len(w) >= 2 and w not in _COMMON and not w.isdigit()}


def topics_in(text: str, topics: Mapping[str, Sequence[str]]) -> set[str]:
    """The topics (理论学习, 群众, 纪律…) ``text`` is about: those with one of their words in it.
    A problem and the measure that answers it often share no word ("读原著原文不够系统", "制定个人
    读书计划") but do share a topic."""
    return {topic for topic, words in topics.items() if any(w in text for w in words)}
