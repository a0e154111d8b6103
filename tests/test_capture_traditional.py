"""Traditional characters in a Simplified text: found by OpenCC, which loads only when it may be needed."""

from __future__ import annotations

import subprocess
import sys

from bot.parsing.capture import repair

SIMPLIFIED = "一、存在的主要问题\n（一）理论学习不够系统。比如2025年有3次集中学习请假。\n"


def test_traditional_characters_are_repaired_and_named() -> None:
    fixed = repair(SIMPLIFIED.replace("问题", "問題").replace("学习", "學習"))
    assert fixed is not None
    assert fixed.text == SIMPLIFIED
    assert [d.kind for d in fixed.damage] == ["traditional"]


def test_a_simplified_text_needs_no_converter() -> None:
    code = (
        "import sys; from bot.parsing.capture import repair; "
        f"assert repair({SIMPLIFIED!r}) is None; print('opencc' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
