"""A material imported without one of its year's aspects: the review of the upload names it, and so
do the imported draft (an empty aspect to write, where the year orders it) and its /check."""

from __future__ import annotations

from tests.conftest import Chat

ASPECTS = (
    "在带头强化政治忠诚、提高政治能力方面",
    "在带头固本培元、增强党性方面",
    # the third, 带头敬畏人民、敬畏组织、敬畏法纪, is missing
    "在带头干事创业、担当作为方面",
    "在带头坚决扛起管党治党责任方面",
)
POINTS = (
    "理论学习不够系统。今年3月起的专题学习，我有2次因出差缺席，没有及时补学。",
    "党性锻炼有所放松。2025年下半年参加支部活动3次，在发言中自我批评辣味不足。",
    "担当精神不足。比如老旧小区改造项目，遇到拆迁矛盾时推给街道，拖了2个月。",
    "管党治党责任落实不到位。分管科室2025年有1名干部违反考勤纪律，我只作了口头提醒。",
)
MISSING = "带头敬畏人民、敬畏组织、敬畏法纪"


THIRD = "群众观念淡化。下基层调研只有4次，比如对群众反映的停车难问题回应迟缓。"


def _material(aspects: tuple[str, ...] = ASPECTS, points: tuple[str, ...] = POINTS) -> str:
    problems = "".join(
        f"（{'一二三四五'[n]}）{aspect}\n一是{point}\n"
        for n, (aspect, point) in enumerate(zip(aspects, points, strict=True))
    )
    return (
        "张三同志2025年度民主生活会个人对照检查材料\n"
        "按照县委通知要求，会前我认真学习，征求意见9条，谈心谈话6人次。现报告如下：\n"
        "一、存在的主要问题\n"
        f"{problems}"
        "二、产生问题的原因\n"
        "一是理想信念有所松懈。二是党性修养锤炼不够。三是宗旨意识有所淡化。\n"
        "三、努力方向和整改措施\n"
        "一是每周自学不少于4小时，2026年6月底前完成。\n"
    )


async def test_the_aspect_an_upload_misses_is_named_after_import_too(chat: Chat) -> None:
    await chat.say("/start")
    entries = await chat.harness.upload(chat.user_id, "材料.txt", _material().encode(), "text/plain")
    review = "\n".join(e.text or "" for e in entries)
    assert f"缺少2025年度民主生活会要求的第三个方面：“{MISSING}”" in review
    overview = await chat.press("导入为新材料，继续修改")
    assert f"材料缺少2025年度民主生活会要求的方面，已在存在的主要问题下加上（三）在{MISSING}方面" in overview
    assert f"（三）在{MISSING}方面：未填写（必填）" in overview
    assert f"（四）{ASPECTS[2]}：1条" in overview  # the material's own come in the year's order
    check = await chat.say("/check")
    assert MISSING in check
    full = await chat.press("查看全文")
    assert POINTS[2] in full and POINTS[3] in full


async def test_an_upload_with_every_aspect_is_imported_as_written(chat: Chat) -> None:
    aspects = (*ASPECTS[:2], f"在{MISSING}方面", *ASPECTS[2:])
    material = _material(aspects, (*POINTS[:2], THIRD, *POINTS[2:]))
    await chat.say("/start")
    entries = await chat.harness.upload(chat.user_id, "材料.txt", material.encode(), "text/plain")
    assert "缺少" not in "\n".join(e.text or "" for e in entries)
    overview = await chat.press("导入为新材料，继续修改")
    assert "已加上" not in overview and "未填写（必填）" not in overview.split("产生问题")[0]
