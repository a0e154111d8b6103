"""ARCHITECTURE.md draws the conversation's states; it must name exactly the declared ones."""

from __future__ import annotations

import re
from pathlib import Path

from bot.pending import Awaiting
from bot.steps import FixedStep

ARCHITECTURE = Path(__file__).resolve().parent.parent / "ARCHITECTURE.md"
GROUPS = {"section steps", "questions (Awaiting)"}  # a placeholder and a composite, not states


def _diagram_states() -> set[str]:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    diagram = re.search(r"```mermaid\n(stateDiagram-v2.*?)```", text, re.DOTALL)
    assert diagram is not None, "ARCHITECTURE.md has no Mermaid state diagram"
    return set(re.findall(r'^\s*state "([^"]+)" as \w+', diagram.group(1), re.MULTILINE))


def test_the_state_diagram_names_every_declared_step_and_question() -> None:
    states = _diagram_states()
    assert states >= GROUPS
    declared = {s.value for s in FixedStep} | {a.value for a in Awaiting}
    assert states - GROUPS == declared
