"""Cost of the official-format .docx against a bare python-docx document with the same paragraphs.

Both build a 10,000-character material in the same run: the bare one adds each outline line as an
unstyled paragraph and saves; the official one adds styles, fonts, grid and page-number footers.
Prints the best of N timings and the ratio (target: official <= 1.5x bare).

    .venv/bin/python bench/report.py [--chars 10000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from io import BytesIO
from itertools import cycle, islice

from docx import Document as new_docx

from bot.catalog import load_catalog
from bot.document import Document, Item, Section, SectionRole
from bot.render import outline
from bot.render.official_docx import render_official_docx

TARGET = 1.5

_PROBLEMS = (
    "理论学习的系统性不够。年初制定的学习计划只完成了七成，读原著原文多停留在摘抄要点，"
    "结合分管的防汛和供水工作思考不深，比如去年汛期前的专题研讨，发言稿主要由办公室起草。",
    "调查研究不够深入。全年到基层调研14次，其中9次集中在城区，去偏远乡镇和困难企业偏少，"
    "听汇报多、进车间进农户少，对农村饮水工程后期管护的难处了解不透。",
    "担当作为的劲头有所减弱。面对河道采砂整治这类矛盾集中的工作，习惯于按部就班、层层转办，"
    "例如一处历史遗留的违建码头，协调了三轮仍未拆除，自己没有靠前去推动。",
    "执行制度不够严格。对分管科室公务接待和车辆使用的日常监督偏松，"
    "今年5月抽查发现两笔接待费用审批手续不全，只提醒了事，没有跟进整改。",
    "联系服务群众有差距。接访下访的次数达到了要求，但对群众反映的供水水压不足问题，"
    "交办后没有逐件回访，个别问题拖了四个多月才解决。",
    "抓班子带队伍不够有力。对年轻干部压担子、教方法不够，谈心谈话流于一般性要求，"
    "全年与分管科室干部个别谈话仅6人次，对思想苗头掌握不及时。",
)
_CAUSES = (
    "理想信念有所松懈。",
    "宗旨意识有所淡化。",
    "党性修养锤炼不够。",
    "纪律规矩意识不够牢固。",
)
_CAUSE_BODY = (
    "自认为长期在业务岗位上工作，思想上过得硬，放松了主观世界的改造，"
    "把学习当任务、当软指标，没有真正做到学思用贯通、知信行统一。"
)
_MEASURES = (
    "坚持读原著学原文。每月至少精读1篇重要讲话，每季度在中心组作1次交流发言，2026年6月底前完成。",
    "扎实改进调查研究。每季度到乡镇和企业蹲点调研不少于2次，形成有分析、有对策的调研报告。",
    "压实监督管理责任。3月底前修订科室接待和用车管理细则，每半年组织一次专项检查。",
    "逐件回访群众诉求。对交办的问题建立台账，办结后10个工作日内回访，年底前全部销号。",
)


def sample_material(min_chars: int = 10_000) -> Document:
    """A personal material of at least ``min_chars`` characters on the 2025 aspects; the problem
    items cycle through a few invented examples until the length is reached."""
    aspects = load_catalog().theme("dsh-2025").aspects
    per_aspect = 1
    while True:
        problems = iter(cycle(_PROBLEMS))
        doc = Document(
            title="王五同志2025年度民主生活会个人对照检查材料",
            byline="市水利局副局长　王五",
            sections=[
                Section(
                    SectionRole.PREAMBLE,
                    None,
                    paragraphs=[
                        "按照本次民主生活会的通知要求，会前本人认真学习规定篇目，广泛征求意见，"
                        "与班子成员逐一谈心谈话，对照检查了思想和工作上的差距。现将个人对照检查情况报告如下："
                    ],
                ),
                Section(
                    SectionRole.LAST_YEAR,
                    "上年度民主生活会查摆问题整改落实情况",
                    paragraphs=["上年度查摆问题5条，已完成整改4条，需长期坚持1条，具体情况如下。"],
                ),
                Section(
                    SectionRole.PROBLEMS,
                    "存在的主要问题",
                    subsections=[
                        Section(
                            SectionRole.PROBLEMS,
                            aspect.heading,
                            items=[Item.from_text(t) for t in islice(problems, per_aspect)],
                        )
                        for aspect in aspects
                    ],
                ),
                Section(
                    SectionRole.CAUSES,
                    "产生问题的原因",
                    items=[Item(cause, _CAUSE_BODY) for cause in _CAUSES],
                ),
                Section(
                    SectionRole.MEASURES,
                    "努力方向和整改措施",
                    items=[Item.from_text(m) for m in _MEASURES],
                ),
            ],
        )
        if sum(len(line.display) for line in outline(doc)) >= min_chars:
            return doc
        per_aspect += 1


def _bare(doc: Document) -> bytes:
    out = new_docx()
    for line in outline(doc):
        out.add_paragraph(line.display)
    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _best(builders: tuple[Callable[[], bytes], ...], repeat: int) -> list[float]:
    """Best time of each builder; runs alternate so background load hits both alike."""
    best = [float("inf")] * len(builders)
    for _ in range(repeat):
        for index, build in enumerate(builders):
            start = time.perf_counter()
            build()
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chars", type=int, default=10_000, help="minimum length of the material")
    parser.add_argument("--repeat", type=int, default=20, help="runs per builder; the best counts")
    args = parser.parse_args()
    doc = sample_material(args.chars)
    chars = sum(len(line.display) for line in outline(doc))
    render_official_docx(doc)  # warm-up: profile loading and imports are not per-document costs
    _bare(doc)
    bare, official = _best((lambda: _bare(doc), lambda: render_official_docx(doc)), args.repeat)
    ratio = official / bare
    print(f"material  {chars} characters, {len(outline(doc))} paragraphs, best of {args.repeat}")
    print(f"bare      {bare * 1000:7.2f} ms")
    print(f"official  {official * 1000:7.2f} ms")
    verdict = "ok" if ratio <= TARGET else "over target"
    print(f"ratio     {ratio:.2f}x (target <= {TARGET:.2f}x): {verdict}")


if __name__ == "__main__":
    main()
