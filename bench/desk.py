"""Time to build the reviewer's desk duplicate view, and how it grows with the batch size.

A batch of N materials of about 4,000 characters each (problems, causes and measures written from a
shared vocabulary, as a unit's materials are, with every fifth material copying two problems from
the one before) is stored as submission snapshots. The duplicate view reads the snapshots, collects
their problems, causes and measures and finds the near-identical pairs and the stock wording
(``bot.desk.duplicates``). The baseline, measured in the same run, is the floor of any such view:
reading the same snapshots and normalising every item's text once.

Prints, per batch size, the best of R timings, the ratio to the baseline, and the growth against
the smallest batch; the target is <= 1 s for 50 materials.

    .venv/bin/python -m bench.desk [--sizes 10,20,50,100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from functools import partial

from bot import desk
from bot.parsing import parse_text
from bot.review import similar
from bot.submissions import Snapshot, of_document

TARGET_SECONDS = 1.0
TARGET_SIZE = 50

_AREAS = (
    "招商引资", "财政预算", "项目审批", "安全生产", "乡村振兴", "信访维稳", "国资监管", "生态环保",
    "城市更新", "防汛抗旱", "教育医疗", "营商环境", "债务化解", "粮食安全", "基层治理", "统计监测",
    "审计整改", "人才引进",
)  # fmt: skip
_FAULTS = (
    "理论学习不够系统", "调查研究不够深入", "执行请示报告制度不严", "担当作为劲头不足", "联系服务群众有差距",
    "落实主体责任不够有力", "过紧日子思想树得不牢", "抓班子带队伍办法不多", "斗争精神有所弱化",
    "创新思路不够开阔", "统筹谋划能力不强", "廉洁自律要求有所放松",
)  # fmt: skip
_WORDS = (
    "年初", "年中", "上半年", "全年", "多次", "专题会", "调度会", "现场", "台账", "督办单", "方案", "通报",
    "科室", "乡镇", "企业", "村组", "群众", "干部", "项目", "资金", "指标", "进度", "隐患", "问题", "意见",
    "反映", "交办", "推进", "协调", "落实", "检查", "整改", "回访", "跟踪", "研判", "部署", "汇报", "签批",
    "拖延", "滞后", "搁置", "遗漏", "走过场", "打折扣", "不到位", "不及时", "不彻底", "不深入", "不扎实",
)  # fmt: skip


_ROOTS = ("理想信念", "宗旨意识", "党性修养", "纪律规矩意识", "政绩观")
_DOES = ("每月", "每季度", "每半年")


def _clause(rng: random.Random) -> str:
    words = rng.sample(_WORDS, rng.randint(5, 9))
    words.insert(rng.randint(0, len(words)), f"{rng.randint(2, 48)}{rng.choice('次项个条件天')}")
    return "".join(words)


def _problem(rng: random.Random) -> str:
    clauses = "，".join(_clause(rng) for _ in range(rng.randint(2, 4)))
    return f"{rng.choice(_FAULTS)}。比如在{rng.choice(_AREAS)}工作中，{clauses}。"


def _material(rng: random.Random, name: str, copied: list[str], chars: int) -> str:
    lines = [
        f"{name}同志2025年度民主生活会个人对照检查材料",
        "现将个人对照检查情况报告如下：",
        "一、存在的主要问题",
    ]
    problems = [*copied]
    body = 0
    while body < chars * 0.7:
        problems.append(_problem(rng))
        body += len(problems[-1])
    for number, chunk in enumerate(range(0, len(problems), 4), start=1):
        lines.append(f"（{'一二三四五六七八九十'[min(number, 10) - 1]}）在第{number}个方面")
        lines += [f"{i}.{p}" for i, p in enumerate(problems[chunk : chunk + 4], start=1)]
    lines.append("二、产生问题的原因")
    for i, root in enumerate(rng.sample(_ROOTS, 4), start=1):
        lines.append(f"{i}.{root}有所弱化。{_clause(rng)}，{_clause(rng)}。")
    lines.append("三、努力方向和整改措施")
    for i in range(1, 6):
        lines.append(f"{i}.{rng.choice(_DOES)}{_clause(rng)}，{rng.randint(1, 12)}月底前{_clause(rng)}。")
    return "\n".join(lines)


def batch(size: int, chars: int, seed: int = 7) -> list[dict[str, object]]:
    """The batch's snapshots as stored (JSON), every fifth material copying two problems."""
    rng = random.Random(seed)
    stored: list[dict[str, object]] = []
    previous: list[str] = []
    for index in range(size):
        copied = previous[:2] if index % 5 == 4 else []
        text = _material(rng, f"干部{index + 1}", copied, chars)
        snapshot = of_document(parse_text(text).document)
        previous = [item.text for section, item in snapshot.items() if section.role.value == "problems"]
        stored.append(snapshot.to_json())
    return stored


def duplicate_view(stored: list[dict[str, object]]) -> desk.Duplicates:
    snapshots = [Snapshot.from_json(dict(raw)) for raw in stored]
    return desk.duplicates(desk.units_of(snapshots))


def floor(stored: list[dict[str, object]]) -> int:
    snapshots = [Snapshot.from_json(dict(raw)) for raw in stored]
    return sum(len(similar.normalise(u.text)) for u in desk.units_of(snapshots))


def best(run: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,20,50,100")
    parser.add_argument("--chars", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    desk.stock_lines()  # loaded once per process, as in the bot
    print(f"duplicate view of a batch of materials of ~{args.chars} characters (best of {args.repeat})")
    print(
        f"{'materials':>9} {'items':>6} {'pairs':>5} {'view s':>8} {'floor s':>8} {'x floor':>8}"
        f" {'x smallest':>10}"
    )
    first: float | None = None
    verdict = ""
    for size in sizes:
        stored = batch(size, args.chars)
        items = len(desk.units_of([Snapshot.from_json(dict(r)) for r in stored]))
        view = best(partial(duplicate_view, stored), args.repeat)
        base = best(partial(floor, stored), args.repeat)
        pairs = len(duplicate_view(stored).pairs)
        first = first or view
        print(
            f"{size:>9} {items:>6} {pairs:>5} {view:>8.3f} {base:>8.3f} {view / base:>8.1f}"
            f" {view / first:>10.1f}"
        )
        if size == TARGET_SIZE:
            ok = "met" if view <= TARGET_SECONDS else "MISSED"
            verdict = f"target: {TARGET_SIZE} materials in <= {TARGET_SECONDS:g} s — {ok} ({view:.3f} s)"
    if verdict:
        print(verdict)


if __name__ == "__main__":
    main()
