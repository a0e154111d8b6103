"""What a line is, judged by its wording: a heading's role, a title, a byline, an aspect heading.

These guesses are deliberately narrow; a line they reject is still placed, as an ordinary paragraph.
"""

from __future__ import annotations

import re

from bot.document import SectionRole

# First match wins, so the order settles overlaps: "上年度…查摆问题整改落实情况" is LAST_YEAR although
# it mentions 问题 and 整改, "产生问题的原因" is CAUSES, "反面典型案例剖析" is EXTRA, "针对问题的整改措施"
# is MEASURES.
_ROLE_KEYWORDS: tuple[tuple[SectionRole, tuple[str, ...]], ...] = (
    (SectionRole.EXTRA, ("向组织说明", "有关事项", "典型案例", "八项规定")),
    (
        SectionRole.LAST_YEAR,
        (
            "上年度",
            "上一年度",
            "整改落实情况",
            "整改情况",
            "整改工作总体情况",
            "整改工作情况",
            "整改工作开展情况",
            "整改总体情况",
        ),
    ),
    (SectionRole.CAUSES, ("原因", "根源", "剖析")),
    (SectionRole.MEASURES, ("整改", "措施", "努力方向", "打算")),
    (SectionRole.PROBLEMS, ("问题", "查摆", "差距")),
)
_TITLE_WORDS = ("对照检查材料", "检查材料", "剖析材料", "发言提纲", "发言材料", "报告")
AREA_WORDS = ("方面", "情况")
"""Words that end the name of an area of examination, i.e. an aspect heading."""
_ASPECT_ENDINGS = (*AREA_WORDS, "方面存在的问题", "方面的问题")

# Lead sentences that open a part of a material without headings; causes first ("产生上述问题的
# 原因：") and measures next ("针对以上问题，我将从以下方面整改：") since both mention 问题.
_CUE_WORDS: tuple[tuple[SectionRole, tuple[str, ...]], ...] = (
    (SectionRole.CAUSES, ("原因", "根源", "根子")),
    (SectionRole.MEASURES, ("整改", "措施", "努力", "改进", "今后", "下一步")),
    (SectionRole.PROBLEMS, ("问题", "不足", "差距")),
)
_REPORT_FORMULA = re.compile(r"现将|报告|汇报")

SENTENCE_END = re.compile(r"[。！？]")
_CLAUSE_PUNCTUATION = re.compile(r"[。！？；;，,]")
_HEADING_BREAKERS = re.compile(r"[。！？；;，,：:]")
_TRAILING_PUNCTUATION = "。！？；;：:，,、 "
_DATE_LINE = re.compile(r"^[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月(?:\s*[0-9０-９]{1,2}\s*日)?$")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

MAX_TITLE = 60
MAX_BARE_TITLE = 40  # a line without title words is a title only when clearly short
MAX_BYLINE = 40
MAX_BARE_HEADING = 20
MAX_HEADING = 40  # after its marker (二、2025年度民主生活会查摆问题整改落实情况)
MAX_SIGNATURE = 20
MAX_CUE = 40


def classify_heading(heading: str) -> SectionRole:
    """The role of a level-1 heading from its keywords; OTHER when none is present."""
    for role, keywords in _ROLE_KEYWORDS:
        if any(keyword in heading for keyword in keywords):
            return role
    return SectionRole.OTHER


def _bare(line: str) -> str:
    return line.rstrip(_TRAILING_PUNCTUATION)


def looks_like_title(line: str) -> bool:
    """A title: one line with title words (or very short), no sentence or clause punctuation."""
    if len(line) > MAX_TITLE or _CLAUSE_PUNCTUATION.search(line) or line.endswith(("：", ":")):
        return False
    return any(word in line for word in _TITLE_WORDS) or len(line) <= MAX_BARE_TITLE


def has_title_words(line: str) -> bool:
    return any(word in line for word in _TITLE_WORDS)


def looks_like_byline(line: str) -> bool:
    """A name, post or date line under the title: short and without sentence punctuation."""
    return len(line) <= MAX_BYLINE and not _CLAUSE_PUNCTUATION.search(line) and not line.endswith(("：", ":"))


def bare_heading_role(line: str, longest: int = MAX_BARE_HEADING) -> SectionRole | None:
    """The role of a line that is a level-1 heading without its marker, e.g. "存在的主要问题".

    Only short lines (up to ``longest``) free of sentence, clause and colon punctuation (a colon may
    end the line) qualify, so neither a sentence mentioning 整改措施 nor a label such as "整改问题：……"
    does.
    """
    bare = line.rstrip("：: ")
    if not bare or len(bare) > longest or _HEADING_BREAKERS.search(bare) or has_title_words(bare):
        return None
    role = classify_heading(bare)
    return None if role is SectionRole.OTHER else role


def cue_role(lead: str) -> SectionRole | None:
    """The part a lead sentence opens in a material written without headings, e.g. a 发言提纲's
    "对照检查，我主要存在以下几个方面的问题：" or "究其原因，主要有以下几点：".

    ``lead`` is what comes before the list it introduces (the line up to its colon, or up to its
    ``一是``). A long lead, one of several sentences, or the preamble's "现将……报告如下" opens none.
    """
    bare = lead.rstrip(_TRAILING_PUNCTUATION)
    if not bare or len(bare) > MAX_CUE or SENTENCE_END.search(bare) or _REPORT_FORMULA.search(bare):
        return None
    return next((role for role, words in _CUE_WORDS if any(word in bare for word in words)), None)


def looks_like_aspect(heading: str, own_line: bool) -> bool:
    """Whether a numbered line heads a group (an aspect) rather than being one enumerated point.

    Aspects name an area ("…方面", "…情况"); a point states a judgement as a sentence, so a heading
    alone on its line without any sentence end is read as an aspect too. A judgement that happens to
    end in 方面 or 情况 (理论学习不够深入，特别是在……方面。 存在学用脱节的情况。) names no area.
    """
    if _JUDGEMENT.search(heading):
        return False
    return _bare(heading).endswith(_ASPECT_ENDINGS) or (own_line and not SENTENCE_END.search(heading))


_JUDGEMENT = re.compile(
    r"^(?:存在|出现|有时|没有)|不够|不足|不强|不深|不高|不严|不实|不细|不力|不到位|欠缺|缺乏|薄弱|淡化|松懈|弱化"
)
"""Words of a point's judgement (a shortfall), which no aspect's name uses."""


def is_artifact(line: str) -> bool:
    """A line without a single Chinese character: a rule, page number or web residue such as ##end##."""
    return _CJK.search(line) is None


def is_date_line(line: str) -> bool:
    return _DATE_LINE.match(line) is not None


def looks_like_signature(line: str) -> bool:
    """A name or unit line above a closing date."""
    return len(line) <= MAX_SIGNATURE and not _CLAUSE_PUNCTUATION.search(line) and not line.endswith("：")
