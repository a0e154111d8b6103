"""A block pasted with several aspects under their own headings is divided among those aspects."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.aspect_blocks import AspectPart, by_aspect

ASPECTS = [
    "带头强化政治忠诚、提高政治能力",
    "带头固本培元、增强党性",
    "带头敬畏人民、敬畏组织、敬畏法纪",
    "带头干事创业、担当作为",
]


def test_each_heading_starts_the_part_of_its_aspect() -> None:
    block = (
        "二、存在的主要问题\n"
        "（一）在带头强化政治忠诚、提高政治能力方面\n"
        "一是理论学习不够系统。二是请示报告不够及时。\n"
        "(三)敬畏人民、敬畏组织方面。对群众诉求回应不及时。\n"
        "4.带头干事创业、担当作为方面：\n"
        "担当作为不够。"
    )
    assert by_aspect(block, ASPECTS) == [
        AspectPart(1, "一是理论学习不够系统。二是请示报告不够及时。"),
        AspectPart(3, "对群众诉求回应不及时。"),
        AspectPart(4, "担当作为不够。"),
    ]


def test_an_aspect_named_short_on_a_line_of_its_own_heads_its_points() -> None:
    """在增强党性方面： over the points of 在带头固本培元、增强党性方面, as members shorten it."""
    parts = by_aspect("在增强党性方面：\n1.理论学习不够深入。\n2.党性锻炼有所放松。", ASPECTS)
    assert parts == [AspectPart(2, "1.理论学习不够深入。\n2.党性锻炼有所放松。")]
    assert parts[0].heading == "在增强党性方面："
    assert by_aspect("增强党性方面还有差距。\n党性锻炼有所放松。", ASPECTS) is None  # a point, not a heading


def test_text_before_the_first_heading_belongs_where_the_user_writes() -> None:
    block = "理论学习不够系统。\n（二）在带头固本培元、增强党性方面\n党性锻炼有所放松。"
    assert by_aspect(block, ASPECTS) == [
        AspectPart(None, "理论学习不够系统。"),
        AspectPart(2, "党性锻炼有所放松。"),
    ]


def test_points_and_a_whole_material_are_not_divided() -> None:
    assert by_aspect("一是担当作为不够。\n二是政治能力不强。", ASPECTS) is None
    assert by_aspect("担当作为不够\n敬畏法纪", ASPECTS) is None  # short points, no heading
    whole = "（一）在带头强化政治忠诚、提高政治能力方面\n一是学习不够。\n三、产生问题的原因\n一是理想松懈。"
    assert by_aspect(whole, ASPECTS) is None
    assert by_aspect("", ASPECTS) is None
    assert by_aspect("（一）在带头强化政治忠诚、提高政治能力方面", []) is None


LINES = st.sampled_from(
    [
        *(f"（{n}）在{a}方面" for n, a in zip("一二三四", ASPECTS, strict=True)),
        "二、存在的主要问题",
        "三、产生问题的原因",
        "一是学习不够。二是调研少。",
        "（一）在",
        "1.。",
        "：",
        "方面",
        "",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(LINES, st.text(max_size=30)), max_size=8))
def test_any_block_is_divided_or_left_alone_and_loses_no_point(lines: list[str]) -> None:
    block = "\n".join(lines)
    parts = by_aspect(block, ASPECTS)
    if parts is not None:
        assert all(part.text.strip() and part.text in block for part in parts if "\n" not in part.text)
