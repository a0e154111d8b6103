"""The proposal of which measure rectifies which problem, as the 调整对应 table first shows it."""

from __future__ import annotations

from bot import links
from bot.catalog import load_catalog
from bot.draftview import DraftView
from storage.models import Answer, Draft, Measure

ASPECTS = ["深化理论武装", "坚定拥护两个确立", "干事创业担当作为", "联系服务群众", "廉洁自律"]
PROBLEMS = [
    (1, "读原著原文不够系统。全年自学时间不足40小时，读书笔记只有零星几篇。"),
    (1, "学用结合有差距。研讨发言多引用文件，结合分管工作思考少。"),
    (2, "贯彻上级决策部署有时打折扣。对省里部署的营商环境改革，分解任务后跟踪督办不及时。"),
    (3, "抓工作推进力度不够。重点项目有3个未按节点完工，协调解决难题不主动。"),
    (3, "创新思路不多。面对新业态监管，习惯沿用老办法。"),
    (4, "深入基层少。全年到联系村调研仅4次，听取群众意见不充分。"),
    (5, "对身边人要求不够严。对分管科室人员的八小时以外情况过问少。"),
]
# In the user's own order, not the aspects', and mostly in other words than the problems'.
MEASURES = [
    "严守纪律规矩，每半年与分管科室人员开展一次廉政谈话，管好身边工作人员。",
    "制定个人读书计划，每月精读一部经典著作，撰写心得体会。",
    "对照上级部署建立任务台账，每月调度一次，确保政令畅通。",
    "每季度到联系村蹲点调研不少于2天，建立民情台账，办好群众急难愁盼的实事。",
    "对重点项目实行挂图作战，逐项明确完成时限，遇到难题主动协调解决；学习借鉴先进地区的新做法。",
]


def _view(problems: list[tuple[int, str]], measures: list[str]) -> DraftView:
    draft = Draft(kind="personal_dsh", theme_label="2025年度", meta={"name": "王某"}, extra_matters=[])
    draft.aspects = [{"text": text, "heading": f"在{text}方面"} for text in ASPECTS]
    draft.answers = [
        Answer(id=100 + n, section="problems", aspect=aspect, position=n, text=text)
        for n, (aspect, text) in enumerate(problems)
    ] + [
        Answer(id=200 + n, section="measures", aspect=0, position=n, text=text, measure=Measure(id=300 + n))
        for n, text in enumerate(measures)
    ]
    return DraftView.build(load_catalog(), draft)


def test_each_problem_is_proposed_to_the_measure_on_its_topic() -> None:
    view = _view(PROBLEMS, MEASURES)

    proposed = {
        MEASURES[measure_id - 300][:6]: [PROBLEMS[answer_id - 100][1][:6] for answer_id in problem_ids]
        for measure_id, problem_ids in links.current(view).items()
    }

    assert proposed == {
        "严守纪律规矩": ["对身边人要求"],
        "制定个人读书": ["读原著原文不", "学用结合有差"],
        "对照上级部署": ["贯彻上级决策"],
        "每季度到联系": ["深入基层少。"],
        "对重点项目实": ["抓工作推进力", "创新思路不多"],
    }
    assert links.guessed(view) == []  # each shares its topic or words with its measure


def test_a_problem_no_measure_speaks_of_is_paired_by_order_only_until_confirmed() -> None:
    """Without the measure on 群众, the problem on it still goes to a measure (the table shows every
    problem paired), but only by its place: a guess, until the user confirms it as his own."""
    view = _view(PROBLEMS, [m for m in MEASURES if "联系村" not in m])

    assert [p.headline for p in links.guessed(view)] == ["深入基层少。"]
    assert all(links.measures_of_problem(links.current(view), p.answer.id) for p in links.problems(view))
    assert "深入基层少。 → 措施3（仅按顺序推定）" in links.table(view)
    links.confirm(view)
    assert links.guessed(view) == [] and "仅按顺序推定" not in links.table(view)


def test_words_every_material_uses_do_not_pair_a_problem_with_a_measure() -> None:
    """ "还需提升" and "提升担当作为", "今年…领域" and "分管领域": the genre's words, not a topic. A
    problem sharing only such words with a measure is paired by its place and named as a guess, so
    the user writes the measure it lacks."""
    problems = [
        (1, "学习贯彻党的创新理论还不够深入。今年个人自学笔记仅记了1.2万字。"),
        (1, "运用党的创新理论指导工作还不够有力，推动消费提质扩容思路不多。"),
        (1, "政治判断力还需提升，对一些苗头性问题敏感性不强。"),
        (3, "对群众诉求回应不够及时，今年转办的商务领域诉求有6件超期办结。"),
        (4, "抓项目落地劲头不足，招商引资签约项目中有4个未按期开工。"),
        (5, "落实全面从严治党主体责任还有差距，对分管领域廉政风险点排查不够细。"),
    ]
    measures = [
        "强化理论武装。坚持每周自学不少于4小时，撰写学习体会2篇。",
        "提升担当作为。对4个未按期开工项目逐一建立台账，2027年3月底前全部开工。",
        "压实管党治党责任。2027年2月底前完成分管领域廉政风险点排查。",
    ]

    guessed = [p.headline for p in links.guessed(_view(problems, measures))]

    assert guessed == [
        "政治判断力还需提升，对一些苗头性问题敏感性不强。",
        "对群众诉求回应不够及时，今年转办的商务领域诉求有6件超期办结。",
    ]


def test_stored_guesses_stay_guesses_until_the_user_decides() -> None:
    """Going on past the proposal stores it with its guesses marked; changing a problem's links
    makes them the user's, and confirming the table makes all of them his."""
    view = _view(PROBLEMS, [m for m in MEASURES if "联系村" not in m])
    links.accept(view)

    assert links.is_confirmed(view) and [p.headline for p in links.guessed(view)] == ["深入基层少。"]
    problem = links.guessed(view)[0].answer.id
    links.toggle(view, problem, next(iter(links.current(view))))
    assert links.guessed(view) == []

    view = _view(PROBLEMS, [m for m in MEASURES if "联系村" not in m])
    links.accept(view)
    links.confirm(view)
    assert links.guessed(view) == [] and "仅按顺序推定" not in links.table(view)


def test_a_term_of_the_dictionary_still_names_the_topic_words_inside_it() -> None:
    """联系服务群众 is one word to the segmenter; the 群众 inside it is what 走访群众 answers, while
    调研 alone is shared by both measures."""
    problems = [
        (1, "理论学习不够系统，中心组学习全年只安排了6次。"),
        (3, "联系服务群众不够紧密，作风不够扎实。全年下村调研不到10次。"),
    ]
    measures = [
        "坚持每月召开一次理论学习中心组学习，2027年6月底前形成调研报告2篇。",
        "每季度组织班子成员下村调研，确保全年走访群众不少于200户。",
    ]

    proposed = links.current(_view(problems, measures))

    assert proposed == {300: [100], 301: [101]}
