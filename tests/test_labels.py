"""The bot's button labels: declared once, and a message recognised as one only when it is nothing else."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.labels import Label, typed


def test_only_a_whole_message_that_is_a_label_is_one() -> None:
    assert typed("填写完毕") is Label.FINISH_PART
    assert typed(" “本方面填写完毕。” ") is Label.FINISH_ASPECT
    assert typed("保持不变 下一步") is Label.KEEP
    assert typed("word（公文格式）") is Label.FORMAT_WORD
    assert typed("撤销上一条！") is Label.UNDO_LAST
    assert typed("填写完毕后才发现，学习笔记不到10篇。") is None
    assert typed("跳过了两次集中学习") is None
    assert typed("") is None
    assert typed("处理建议（12）") is Label.PROPOSALS and typed("3 采纳") is Label.ACCEPT_NTH
    assert typed("２. 办理") is Label.HANDLE_NTH
    assert typed("2026年度") is None  # a year is an answer, not a label


def test_no_two_labels_read_alike() -> None:
    assert len({typed(label) for label in Label}) == len(Label)
    assert all(typed(label) is label for label in Label)


def test_every_label_written_out_in_a_button_is_declared() -> None:
    """A button whose words are not in ``Label`` would be stored as material when typed."""
    declared = {label.value for label in Label}
    written: set[str] = set()
    for path in (Path(__file__).parents[1] / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = getattr(node.func, "id", None) if isinstance(node, ast.Call) else None
            if isinstance(node, ast.Call) and called in ("Button", "button") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    written.add(first.value)
    assert written <= declared, written - declared
