"""Each rule's declared scope holds: an ITEM rule finds in an item, reviewed alone, what it finds
there in the whole material, and the rules of a step find in the step what /check finds there.

The note after an item answer lays out only the new items, numbered where they stand, and runs
only the ITEM rules (``bot.review.engine.Scope``); /check runs everything on the whole draft. For
every item of every step of drafts full of defects, both must give the same findings — rule,
severity, message, suggestion, locator, snippet and key — or the note and /check would name a
finding differently and a dismissal in one would not hold in the other. A rule that cannot keep to
this belongs to STEP. Likewise the note on a finished step (or a text part's answer) runs the ITEM
and STEP rules on that step, and must find there what /check finds. Every rule a note can show must
fire somewhere in the corpus, so the tests cannot pass by finding nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import count

import pytest

from bot.catalog import load_catalog
from bot.draftview import DraftView
from bot.flows.review import _item_names, review_draft, step_findings
from bot.review import Finding, Scope, scoped
from bot.review.engine import names_its_place
from storage.models import Answer, AnswerRole, Draft

# The user's own earlier material (problems.stock.repeat's 以前材料中).
PREVIOUS = ("深入基层调研不够经常。比如，去年只去过5个村。", "批评和自我批评辣味不足。")

Slot = tuple[str, int]
"""Where answers are stored: (section, aspect)."""


@dataclass
class Material:
    """A draft as stored: answers per step, a step's lead (if any) first."""

    kind: str
    theme: str
    meeting: date
    steps: dict[Slot, list[str]]
    leads: dict[Slot, str] = field(default_factory=dict)
    name: str = "张三"
    completed: bool = False
    """Written through: no step is still to write, so the rules about what is absent speak."""
    aspects: tuple[str, ...] = ()
    """Aspects pasted from a notice (a 自查自纠报告's checkpoints) instead of the theme's."""


PERSONAL = Material(
    kind="personal_dsh",
    theme="dsh-2025",
    meeting=date(2026, 1, 20),
    leads={("last_year", 0): "2024年度民主生活会本人查摆问题3条，已完成2条，需长期坚持1条。"},
    steps={
        ("preamble", 0): [
            "按照县委《关于认真开好2025年度民主生活会的通知》要求，会前我学习了有关文件，"
            "征求意见建议12条，谈心谈话8人次。现将个人对照检查情况报告如下："
        ],
        ("last_year", 0): [
            "对基层情况掌握不够全面及时。全年调研20次，走访村社15个。",
            "学习不够系统。已制定年度学习计划，完成专题研讨4次。",
            "落实“第一议题”制度有时流于形式，",
        ],
        ("problems", 1): [
            "理论学习不够深入。学习上满足于读过看过，思想认识不深。",
            "对基层情况掌握不够全面及时。比如，今年有3个村没有去过，思想上不重视。",
            "深入基层调研还不够经常。比如，今年有3个村没有去过。",
            "有的同志学习不够系统,学用结合不够。",
            "对自己要求过于严格，工作中常常加班加点，顾不上家庭。",
            "在XX村调研时对群众反映的问题回应不及时。比如6月有2件信访拖了一个月。",
            "对照“四种意识”查找差距不深，理性信念有所动摇。比如，今年参加集中学习6次。",
            "对“四个意识”、“四个自信”的理解不深。。比如，研讨发言只有2次。",
            "学过就束之高搁，落实落实不到位。比如，学习笔记只有5篇。",
            "贯彻党的十九大精神不够到位。比如，专题学习只有1次，统筹新冠肺炎疫情防控和发展不够。",
            "重温“两个确立的决定性意义不够。比如，今年只写了1篇心得。",
            "在工作中的重大问题上，",
            "政治判断力、政治领悟力、政治执行力还需提高，面对复杂局面时有时缺乏定力，"
            "对意识形态领域的苗头性倾向性问题敏锐性不强##paidbegin##。比如，今年3月对网上一条不实信息"
            "处置不及时，造成一定影响。",
        ],
        ("problems", 2): [
            "始终坚持以人民为中心。圆满完成各项任务，取得了明显成效。",
            "工作作风不够扎实。",
            "在廉洁自律方面要求不严，有时不好意思对",
            "个别同志的问题没有指出。比如，3月有1次会上发现问题没有当面提醒。",
            "对分管领域的监督检查只有1次，对×××问题跟进不够。",
            "批评与自我批评辣味不足。比如，3月支部会上只提了作风、纪律等等方面的一般性意见。",
        ],
        ("problems", 3): [
            "积极参加各项活动。",  # praise running on into the next item: problems.praise is STEP
            "始终注重联系群众。联系群众不够紧密。今年到联系点只去了2次，对加装电梯问题拖了两个月。",
        ],
        ("problems", 4): ["担当作为不够。面对急难险重任务时有畏难情绪😓，比如5月防汛时靠前指挥不够。"],
        ("problems", 5): [
            "统筹发展和安全的能力不足，对安全生产检查只有2次。",
            "服务企业意识不强。一是对企业诉求跟踪不紧，3月有1件拖了两个月；二是调研多、解决少。",
            "局机关安全生产责任落实不到位，2025年发生一般事故1起。",
        ],
        ("extra", 0): ["本人严格执行请示报告制度，没有需要说明的个人有关事项。"],
        ("causes", 0): [
            "工作太忙，客观上学习时间少。",
            "理想信念有所松懈，党性修养放松,对理论武装重视不够。",
            "宗旨意识淡化--对群众感情不深。",
            "上级部署任务多，",
            "平时工作比较忙，读原著少。",  # an excuse met again: causes.subjective.excuse is STEP
        ],
        ("measures", 0): [
            "每周自学不少于3小时,2026年6月底前完成专题学习。",
            "2026年6月底前完成“十四五”规划目标任务。",
            "进一步加强理论学习。",
            "确保落实落实到位，每月检查一次。",
            "每季度到联系点走访一次，2026年底前解决加装电梯问题。",
            "严格执行中央八项规定精神，每半年对照检查一次。",
            "每月开展一次谈心谈话。",
            "2026年3月底前完成XX专项整治。",
            "进一步改进作风。",
            "每月听取一次分管领域工作汇报。",
            "2026年6月底前深入开展党纪学习教育，每月检查一次。",
            "对“四个意识”、“四个自信”每季度开展一次专题研讨。",
        ],
    },
)

TEAM = Material(
    kind="team_dsh",
    theme="dsh-2024",
    meeting=date(2025, 1, 15),
    name="",
    steps={
        ("preamble", 0): ["按照市委通知要求，班子会前开展了集中学习，征求意见建议30条。现将情况报告如下："],
        ("problems", 1): [
            "班子成员学习不够系统。比如，中心组学习今年只开展8次。\n有的班子成员研讨发言准备不足,照本宣科。",
            "对某某项目的监督不到位。比如，招标环节发现问题后整改拖了3个月。",
            "落实“三重一大”制度不够严格。比如，有1项采购先办后报。",
        ],
        ("problems", 2): [
            "班子对自己要求过于严格，常常加班加点。",
            "调查研究不够深入。比如，全年到基层调研只有12次，形成报告2篇。",
            "我对分管领域的廉政风险排查不细。比如，今年只排查1次。",  # a member's own words copied in
        ],
        ("problems", 3): ["理论学习不够深入。"],
        ("problems", 4): ["学习贯彻党的十九大精神有差距。比如，专题研讨只有1次。"],
        ("causes", 0): ["理想信念有所松懈。", "宗旨意识有所淡化，对群众的感情不深。"],
        ("measures", 0): [
            "每月开展一次中心组学习，2025年6月底前完成专题研讨。",
            "2025年3月底前完成某某项目整改。",
            "进一步加强作风建设。",
        ],
    },
)

MEMBER = Material(
    kind="member_zzsh",
    theme="zzsh-default",
    meeting=date(2025, 12, 20),
    steps={
        ("problems", 1): [
            "政治理论学习不够主动。比如，今年学习强国积分只有3000分。",
            "有的党员干部学习不够,我也存在这种情况。",
            "对十九届六中全会",  # text.outdated does not read on into the next item
            "精神实质把握不准。比如，心得体会只写了1篇。",
        ],
        ("problems", 2): ["执行纪律不够严格。比如，今年有2次支部活动迟到。"],
        ("problems", 3): ["带头作用发挥不够。比如，志愿服务只参加了1次。"],
        ("problems", 4): ["理论学习不够深入。学习上满足于读过看过。"],
        ("causes", 0): ["党性修养放松。"],
        ("measures", 0): ["每月参加一次志愿服务。", "确保学习学习到位。"],
    },
)

# Written through, with what the rules of a step find: a fragment of a 导语, 上年度 reported in bulk
# and short of its count, a cause among the problems, an empty aspect, numbers typed in a text part,
# causes with no subjective root, one of them a list of nothing but its 一是.
STEPS = Material(
    kind="personal_dsh",
    theme="dsh-2025",
    meeting=date(2026, 1, 20),
    completed=True,
    leads={("last_year", 0): "2024年度民主生活会本人共查摆问题4条，均已完成整改。"},
    steps={
        ("preamble", 0): ["县商务局"],
        ("last_year", 0): ["学习不够系统的问题，已完成。", "调研不够深入的问题，已完成整改。"],
        ("problems", 1): [
            "理论学习不够深入。比如，今年参加集中学习只有6次，思想认识不深。",
            "究其原因，是理想信念有所松懈，放松了主观世界改造。",
            "执行请示报告制度不够严格。比如，3月有1次外出没有按时报告。",
        ],
        ("problems", 3): ["联系群众不够紧密。比如，今年到联系点只去了2次，思想上不够重视。"],
        ("problems", 4): ["担当作为不够，思想上怕担责任。比如5月防汛时靠前指挥不够。"],
        ("problems", 5): ["管党治党责任落实不到位，政治站位不高。比如对分管领域的监督检查只有1次。"],
        ("extra", 0): ["二是本人没有需要说明的个人事项。\n二是家属没有经商办企业。\n四是没有违规兼职。"],
        ("causes", 0): [
            "工作方法不够科学，统筹协调不够。",
            "对新知识新技能学得不多。",
            "具体表现为：一是对新形势新任务研究不深。",
        ],
        ("measures", 0): ["2026年6月底前完成专题学习，每月集中学习不少于2次。"],
    },
)

# A team's, written through: measures without their 责任领导, 上年度 without its counts.
TEAM_DONE = Material(
    kind="team_dsh",
    theme="dsh-2024",
    meeting=date(2025, 1, 15),
    name="",
    completed=True,
    steps={
        ("preamble", 0): ["按照市委通知要求，班子会前开展了集中学习，征求意见建议30条。现将情况报告如下："],
        ("last_year", 0): [
            "落实“三重一大”制度不够严格的问题，已修订议事规则，建立决策台账。",
            "其余问题已全部整改到位。",
        ],
        ("problems", 1): ["班子学习不够系统，理想信念教育抓得不实。比如，中心组学习今年只开展8次。"],
        ("problems", 2): ["党性锻炼不够经常。比如，专题组织生活会只开了1次。"],
        ("problems", 3): ["廉洁自律要求不够严。比如，公务接待有2批次超过标准。"],
        ("problems", 4): ["管党治党责任传导不够。比如，对下属单位的约谈只有2次，政治站位不高。"],
        ("causes", 0): ["理想信念有所松懈，宗旨意识有所淡化，党性修养有所放松。"],
        ("measures", 0): ["每月开展一次中心组学习，2025年6月底前完成专题研讨。"],
    },
)

# A unit's 自查自纠报告: checkpoints of its notice, one found clean with nothing said of how.
SELF = Material(
    kind="self_inspection",
    theme="zzsh-default",
    meeting=date(2026, 12, 20),
    name="",
    aspects=("公务接待是否严格执行标准", "有无违规使用公款吃喝"),
    steps={
        ("problems", 1): ["经自查，未发现超标准、超范围接待问题。"],
        ("problems", 2): [
            "经自查，未发现违规使用公款吃喝问题。查阅2025年以来报销凭证430张。",
            "下属单位2025年5月承担检查组工作餐1次，费用860元，已退还。",
        ],
    },
)

CORPUS = {
    "personal": PERSONAL,
    "team": TEAM,
    "member": MEMBER,
    "steps": STEPS,
    "team_done": TEAM_DONE,
    "self": SELF,
}


def _draft(material: Material) -> DraftView:
    catalog = load_catalog()
    theme = catalog.themes[material.theme]
    draft = Draft(
        kind=material.kind,
        theme_key=None if material.aspects else theme.key,
        theme_label=f"{theme.year or material.meeting.year}年度",
        year=theme.year or material.meeting.year,
        meeting_date=material.meeting,
        aspects=[{"text": a, "heading": a} for a in material.aspects]
        or [{"text": a.text, "heading": a.heading} for a in theme.aspects],
        meta={"name": material.name, "unit": "县委办公室", "position": "主任"} if material.name else {},
        extra_matters=[],
        completed=material.completed,
    )
    ids = count(1)
    answers = []
    for (section, aspect), lead in material.leads.items():
        answers.append(
            Answer(id=next(ids), section=section, aspect=aspect, position=0, text=lead, role=AnswerRole.LEAD)
        )
    for (section, aspect), texts in material.steps.items():
        answers += [
            Answer(id=next(ids), section=section, aspect=aspect, position=n, text=text, role=AnswerRole.ITEM)
            for n, text in enumerate(texts)
        ]
    draft.answers = answers
    return DraftView.build(catalog, draft)


def _compared(findings: Sequence[Finding]) -> list[tuple[object, ...]]:
    return sorted(
        (f.rule, f.severity, f.message, f.suggestion, f.section, f.snippet, f.key, f.place) for f in findings
    )


def _item_answers(view: DraftView) -> Iterator[tuple[str, list[Collection[int]]]]:
    """Every items step with the answers to review alone: each item, and all of them (a paste)."""
    for step in view.section_steps:
        assert step.section is not None
        ids = [a.id for a in view.slot(step)]
        if step.section.answer == "items" and ids:
            yield step.key, [{i} for i in ids] + [set(ids)]


@pytest.mark.parametrize("name", CORPUS)
def test_an_item_reviewed_alone_gets_what_the_whole_review_finds_in_it(name: str) -> None:
    view = _draft(CORPUS[name])
    item_rules = scoped(Scope.ITEM)
    _, whole = review_draft(view, set(), previous=PREVIOUS, capped=False)
    whole = [f for f in whole if f.rule in item_rules]
    for key, answers in _item_answers(view):
        step = view.step(key)
        for ids in answers:
            _, alone = review_draft(view, set(), focus=step, previous=PREVIOUS, items=ids, capped=False)
            assert {f.rule for f in alone} <= set(item_rules)
            expected = [f for f in whole if f.place.item in ids]
            assert _compared([f for f in alone if f.place.item in ids]) == _compared(expected), (key, ids)


def test_the_item_review_numbers_items_where_they_stand() -> None:
    view = _draft(PERSONAL)
    step = view.step("problems.1")
    last = view.slot(step)[-1]
    result, _ = review_draft(view, set(), focus=step, items={last.id})
    assert "十三是政治判断力" in result.text
    assert "一是理论学习不够深入" not in result.text  # the step's other items are not read


NOT_ON_A_DRAFT = {
    "problems.stock.shared": "compares with the other materials of a desk batch, never given in the chat",
    "structure.brackets": "a draft's lists are numbered by the outline; (1) typed in a text part is "
    "half-width punctuation (text.punctuation.halfwidth)",
    "structure.style.mixed": "a text part's typed numbers are read one style to a level",
}
"""Rules of a step that no answer of a draft can make speak, and why: the only ones a step's note
need not be shown to say."""
_ITEM_NUMBER = re.compile(r" / 第(\d+)条“")


@pytest.mark.parametrize("name", CORPUS)
def test_a_step_reviewed_alone_gets_what_check_finds_in_it(name: str) -> None:
    """The note on 填写完毕 and after a text part's answer (``step_findings``: the rules of one item
    and of one step, on that step) finds there what /check finds, named alike; and where it puts an
    item's marker before a finding (二是：…), that is the item the locator names (第2条)."""
    view = _draft(CORPUS[name])
    rules = scoped(Scope.ITEM, Scope.STEP)
    unwritten = [s.key for s in view.unwritten()]  # as /check passes them (draft_findings)
    _, whole = review_draft(view, set(), previous=PREVIOUS, capped=False, unwritten=unwritten)
    for step in view.section_steps:
        note = step_findings(view, step, previous=PREVIOUS)
        expected = [f for f in whole if f.rule in rules and f.place.section == step.key]
        assert _compared(note) == _compared(expected), step.key
        names = _item_names(view, step, None)
        for finding in note:
            said = names.get(finding.place.item or 0) if not names_its_place(finding.rule) else None
            number = _ITEM_NUMBER.search(finding.section or "")
            if said is not None and number is not None:
                marker = step.item_marker(int(number.group(1)), len(view.slot(step)))
                assert said == marker, (step.key, finding)


def test_every_rule_that_can_speak_after_one_answer_fires_in_the_corpus() -> None:
    """Each ITEM rule in a note on items, each STEP rule in a note on a step, so the two tests above
    hold every rule a note can show to /check's places."""
    fired: set[str] = set()
    for material in CORPUS.values():
        view = _draft(material)
        for key, answers in _item_answers(view):
            for ids in answers:
                _, alone = review_draft(view, set(), focus=view.step(key), previous=PREVIOUS, items=ids)
                fired |= {f.rule for f in alone if f.place.item in ids}
        for step in view.section_steps:
            fired |= {f.rule for f in step_findings(view, step, previous=PREVIOUS)}
    speaking = set(scoped(Scope.ITEM, Scope.STEP)) - set(NOT_ON_A_DRAFT)
    assert sorted(speaking - fired) == []
    assert not fired & set(NOT_ON_A_DRAFT)
