"""Splitting pasted answers into items; every case also checks that no text is lost or duplicated."""

from __future__ import annotations

import re

import pytest

from bot.splitter import held_points, split_answer, split_items, strip_marker

CASES: list[tuple[str, str, list[str]]] = [
    (
        "single unnumbered paragraph",
        "理论学习不够系统，满足于读文件、记笔记。",
        ["理论学习不够系统，满足于读文件、记笔记。"],
    ),
    (
        "run-in per line",
        "一是学习浮于表面。\n二是调研不够深入。\n三是创新不足。",
        ["学习浮于表面。", "调研不够深入。", "创新不足。"],
    ),
    (
        "inline run-in",
        "对照要求，差距明显。一是学习浮于表面。二是调研不深，三是创新不足",
        ["对照要求，差距明显。", "学习浮于表面。", "调研不深。", "创新不足"],
    ),
    (
        "run on with semicolons",
        "主要有：一是学习浮于表面；二是调研不深；三是创新不足；",
        ["主要有：", "学习浮于表面。", "调研不深。", "创新不足。"],
    ),
    ("arabic dot", "1.学习浮于表面\n2. 调研不够深入", ["学习浮于表面", "调研不够深入"]),
    ("arabic 顿号", "1、学习浮于表面\n2、调研不够深入", ["学习浮于表面", "调研不够深入"]),
    ("full-width bracket", "（1）学习浮于表面\n（2）调研不够深入", ["学习浮于表面", "调研不够深入"]),
    ("half-width bracket", "(1)学习浮于表面\n(2)调研不够深入", ["学习浮于表面", "调研不够深入"]),
    ("chinese bracket", "（一）学习方面\n（二）作风方面", ["学习方面", "作风方面"]),
    ("ordinal", "第一，学习浮于表面。\n第二，调研不够深入。", ["学习浮于表面。", "调研不够深入。"]),
    (
        "lead sentence then list",
        "对照检查，主要有两点：\n一是学习浮于表面。\n二是调研不深。",
        ["对照检查，主要有两点：", "学习浮于表面。", "调研不深。"],
    ),
    (
        "continuation lines",
        "一是学习浮于表面。\n比如读原文少。\n二是调研不深。\n例如下基层少。",
        ["学习浮于表面。\n比如读原文少。", "调研不深。\n例如下基层少。"],
    ),
    ("统一是 is prose", "思想统一是前提，行动统一是关键。", ["思想统一是前提，行动统一是关键。"]),
    ("唯一是 is prose", "群众满意唯一是标准。二是", ["群众满意唯一是标准。二是"]),
    ("lone 二是 is prose", "工作中有两面，二是其中一面。", ["工作中有两面，二是其中一面。"]),
    ("counting on from an earlier message", "二是学习不够。三是作风不实。", ["学习不够。", "作风不实。"]),
    ("one item sent alone keeps its own marker off", "四是作风不实。", ["作风不实。"]),
    (
        "a run not at the start is prose",
        "工作有两面：二是一面，三是另一面。",
        ["工作有两面：二是一面，三是另一面。"],
    ),
    ("single leading marker", "一是学习浮于表面，比如读原文少。", ["学习浮于表面，比如读原文少。"]),
    ("lone marker after lead", "存在问题：一是学习浮于表面。", ["存在问题：一是学习浮于表面。"]),
    (
        "nested （1） inside 一是",
        "一是学习不够：（1）原文读得少；（2）笔记记得少。\n二是作风不实：\n（1）调研少\n（2）会议多",
        ["学习不够：（1）原文读得少；（2）笔记记得少。", "作风不实：\n（1）调研少\n（2）会议多"],
    ),
    (
        "nested 一是 inside 1.",
        "1.学习不够。一是读得少，二是想得少。\n2.作风不实。一是调研少。",
        ["学习不够。一是读得少，二是想得少。", "作风不实。一是调研少。"],
    ),
    (
        "lead mentions inner list",
        "主要是：一是读得少，二是想得少。\n1.学习不够\n2.作风不实",
        ["主要是：一是读得少，二是想得少。", "学习不够", "作风不实"],
    ),
    (
        "crlf, blanks, full-width spaces",
        "\r\n　　一是学习浮于表面。  \r\n\r\n\u3000二是调研不深。\u3000\r\n\r\n",
        ["学习浮于表面。", "调研不深。"],
    ),
    ("decimals are not markers", "1.投入1.5万元\n2.覆盖2.3万人", ["投入1.5万元", "覆盖2.3万人"]),
    (
        "numbers past ten",
        "".join(f"{n}是第{n}点。" for n in "一二三四五六七八九十") + "十一是末点。",
        [f"第{n}点。" for n in "一二三四五六七八九十"] + ["末点。"],
    ),
    ("empty", "  \n\u3000\n", []),
    ("circled numbers", "①学习浮于表面\n②调研不够深入", ["学习浮于表面", "调研不够深入"]),
    ("a circled number sent alone", "③创新不足。", ["创新不足。"]),
    ("a closing bracket only", "1）学习浮于表面\n2)调研不够深入", ["学习浮于表面", "调研不够深入"]),
    ("a closing bracket in a sentence is prose", "投入（共12）万元。", ["投入（共12）万元。"]),
    (
        "sequence words opening lines",
        "首先，学习浮于表面。\n其次，调研不深。\n最后，创新不足。",
        ["学习浮于表面。", "调研不深。", "创新不足。"],
    ),
    ("a sequence word sent alone", "其次，调研不深。", ["调研不深。"]),
    ("首先 in a sentence is prose", "首先要把学习抓实。", ["首先要把学习抓实。"]),
    ("punctuation typed after a marker", "（4）、 调研不深。", ["调研不深。"]),
    (
        "devices mixed line by line",
        "1.学习浮于表面。\n二是调研不深。\n（3）创新不足。",
        ["学习浮于表面。", "调研不深。", "创新不足。"],
    ),
    ("lines out of order", "二是调研不深。\n一是学习浮于表面。", ["调研不深。", "学习浮于表面。"]),
    ("a gap between lines", "一是学习浮于表面。\n三是创新不足。", ["学习浮于表面。", "创新不足。"]),
    (
        "a summary, then lines out of order",
        "共查摆问题2条：\n二是调研不深。\n一是学习浮于表面。",
        ["共查摆问题2条：", "调研不深。", "学习浮于表面。"],
    ),
    (
        "an unnumbered first point, then the second",
        "学习浮于表面。\n二是调研不深。",
        ["学习浮于表面。", "调研不深。"],
    ),
    (
        "an unnumbered line before 一是",
        "学习浮于表面。\n一是原文读得少。",
        ["学习浮于表面。", "原文读得少。"],
    ),
    ("a comma after 一是", "一是，学习浮于表面。\n二是：调研不深。", ["学习浮于表面。", "调研不深。"]),
    (
        "a point opening with a year",
        "1.每月读一本书。\n2.严守纪律。\n3.2027年3月底前完成档案数字化。",
        ["每月读一本书。", "严守纪律。", "2027年3月底前完成档案数字化。"],
    ),
    ("a decimal is no marker", "增长2.5个百分点，达到3.2027。", ["增长2.5个百分点，达到3.2027。"]),
]


@pytest.mark.parametrize(
    ("text", "expected"), [(text, expected) for _, text, expected in CASES], ids=[c[0] for c in CASES]
)
def test_split_items(text: str, expected: list[str]) -> None:
    assert split_items(text) == expected


@pytest.mark.parametrize("text", [text for _, text, _ in CASES], ids=[c[0] for c in CASES])
def test_nothing_lost_or_duplicated(text: str) -> None:
    """Reading input and output side by side, whatever the output skips is one marker or whitespace;
    a point's closing 。 may stand for the ；or ，that ran it on into the next one."""
    source = re.sub(r"\s", "", text)
    position = 0
    for piece in split_items(text):
        chars = re.sub(r"\s", "", piece)
        for index, char in enumerate(chars):
            ending = index == len(chars) - 1 and char == "。"
            found = min(
                (at for c in ("。；;，,、" if ending else char) if (at := source.find(c, position)) >= 0),
                default=-1,
            )
            assert found >= 0, f"{char!r} not in source after {position}"
            assert strip_marker(source[position:found]) == "", f"dropped {source[position:found]!r}"
            position = found + 1
    assert strip_marker(source[position:]) == "", f"dropped tail {source[position:]!r}"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("（一）带头强化政治忠诚方面", "带头强化政治忠诚方面"),
        ("(二) 带头增强党性", "带头增强党性"),
        ("3、带头担当作为", "带头担当作为"),
        ("十二是内容", "内容"),
        ("第一，内容", "内容"),
        ("　一、存在的主要问题　", "存在的主要问题"),
        ("统一是目标", "统一是目标"),
        ("2.5倍", "2.5倍"),
        ("①内容", "内容"),
        ("最后，内容", "内容"),
        ("（3）、内容", "内容"),
    ],
)
def test_strip_marker(line: str, expected: str) -> None:
    assert strip_marker(line) == expected


@pytest.mark.parametrize(
    ("text", "lead", "items"),
    [
        (
            "2024年度民主生活会本人共查摆问题5条，均已完成整改。\n一是学习不够。\n二是作风不实。",
            "2024年度民主生活会本人共查摆问题5条，均已完成整改。",
            ["学习不够。", "作风不实。"],
        ),
        ("但仍存在一些问题：", "但仍存在一些问题：", []),
        (
            "班子共梳理出三个方面的问题。一是学习不够。二是作风不实。",
            "班子共梳理出三个方面的问题。",
            ["学习不够。", "作风不实。"],
        ),
        # A point going on into the particulars it lists is one point, kept as written; not a lead.
        ("学习不够深入。一是次数少。二是不深。", None, ["学习不够深入。一是次数少。二是不深。"]),
        ("对照检查，一是学习不够。二是作风不实。", None, ["对照检查，一是学习不够。二是作风不实。"]),
        # Its list going on in a line below (三是…) is still its particulars, after a lead too.
        (
            "学习不够深入。一是次数少；二是不深。\n三是不实。",
            None,
            ["学习不够深入。一是次数少；二是不深。\n三是不实。"],
        ),
        (
            "对照要求，存在以下问题：\n学习不够深入。一是次数少；二是不深。\n三是不实。",
            "对照要求，存在以下问题：",
            ["学习不够深入。一是次数少；二是不深。\n三是不实。"],
        ),
        # Its particulars on lines of their own are points of the list.
        ("学习不够深入。\n一是次数少。\n二是不深。", None, ["学习不够深入。", "次数少。", "不深。"]),
        # A numbered first point is never a lead, however it reads.
        ("一是存在以下问题：学习少。二是作风不实。", None, ["存在以下问题：学习少。", "作风不实。"]),
        # A point may open with a figure: "2、1批次…" is point 2, while 1、2、3号 inside a sentence is none.
        (
            "总体执行标准，但发现以下问题：1、3批次未附公函；2、1批次超标，已退回。全年查1、2、3号线路。",
            "总体执行标准，但发现以下问题：",
            ["3批次未附公函。", "1批次超标，已退回。全年查1、2、3号线路。"],
        ),
    ],
)
def test_split_answer_finds_the_lead(text: str, lead: str | None, items: list[str]) -> None:
    split = split_answer(text)
    assert (split.lead, split.items) == (lead, items)


def test_a_point_kept_whole_with_its_particulars_can_still_be_split() -> None:
    """What 拆为N条 offers for a point stored whole with the particulars it lists."""
    assert held_points("学习不够深入。一是次数少。二是不深。") == ["学习不够深入。", "次数少。", "不深。"]
    assert held_points("学习不够深入。一是次数少；二是不深。\n三是不实。") == [
        "学习不够深入。",
        "次数少。",
        "不深。",
        "不实。",
    ]
    assert held_points("学习不够深入，今年自学笔记只有10篇。") == []
    assert held_points("存在以下问题：一是次数少。二是不深。") == []  # a lead and its list
