"""Cost of the review engine against plain jieba, a cold ``duizhao check`` and the memory it adds.

Builds a 10,000-character material from tests/review_samples, then prints:
- warm full review (all rules, with the segmentation they need) vs plain ``jieba.lcut`` of the same
  text, and the ratio (target, issue #12: review <= 0.5 x jieba.lcut);
- segmentation alone with each backend (rjieba, jieba; both with the user dictionary) and the cold
  load time of each, which is why rjieba is the default;
- a cold ``duizhao check FILE`` from process start to exit (target: <= 0.8 s);
- the resident memory importing and warming the engine adds to a process (target: <= 60 MB).

    .venv/bin/python bench/review.py [--runs 20]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "review_samples"
SIZE = 10_000

_RSS_PROBE = """
import sys
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
import bot.parsing
result = bot.parsing.parse_text(open(sys.argv[1], encoding="utf-8").read())
before = rss()
from bot.review import review
review(result)
print(rss() - before)
"""


def material() -> str:
    """The clean sample grown to SIZE characters the way long materials grow: more points per aspect.

    Each aspect's points are repeated (numbered on: 一是…六是…) until the text is long enough, so the
    result keeps a real material's structure rather than being several materials glued together.
    """
    from bot.numbering import chinese_numeral

    clean = (SAMPLES / "clean_personal_2024.txt").read_text("utf-8")
    head, rest = clean.split("二、存在的主要问题\n", 1)
    problems, tail = rest.split("\n\n三、", 1)
    aspects = [a.strip().split("\n") for a in problems.split("\n\n")]
    rounds = 1
    while True:
        grown = []
        for heading, *points in aspects:
            bodies = [p[2:] for p in points] * rounds
            grown.append(
                "\n".join([heading, *(f"{chinese_numeral(i)}是{b}" for i, b in enumerate(bodies, 1))])
            )
        text = f"{head}二、存在的主要问题\n" + "\n\n".join(grown) + "\n\n三、" + tail
        if len(text) >= SIZE:
            return text
        rounds += 1


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold(command: list[str], runs: int = 3) -> float:
    def once() -> None:
        subprocess.run(command, cwd=ROOT, capture_output=True, check=False)

    return median_seconds(once, runs)


def check_command(path: Path) -> tuple[list[str], str]:
    """``python -m bot check`` when bot/cli.py registers it, else the review CLI module itself."""
    from bot.cli import build_parser

    try:
        with contextlib.redirect_stderr(io.StringIO()):
            build_parser().parse_args(["check", str(path)])
    except SystemExit:
        return [sys.executable, "-m", "bot.review.cli", str(path)], "python -m bot.review.cli FILE"
    return [sys.executable, "-m", "bot", "check", str(path)], "python -m bot check FILE"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs

    import jieba

    from bot.parsing import parse_text
    from bot.review import review
    from bot.review.tokens import Backend, tokenizer

    text = material()
    result = parse_text(text)
    print(f"material: {len(text)} characters, {len(review(result))} findings")

    jieba.setLogLevel(60)
    jieba.initialize()
    plain = median_seconds(lambda: jieba.lcut(result.text), runs)
    full = median_seconds(lambda: review(result), runs)
    with_parse = median_seconds(lambda: review(parse_text(text)), runs)
    print(f"warm review (all rules, segmentation):  {full * 1000:7.1f} ms")
    print(f"plain jieba.lcut of the same text:      {plain * 1000:7.1f} ms")
    print(f"ratio review / jieba.lcut:              {full / plain:7.2f}  (target <= 0.50)")
    print(f"parse + review, for reference:          {with_parse * 1000:7.1f} ms")

    backends: tuple[Backend, ...] = ("rjieba", "jieba")
    for backend in backends:
        segment = tokenizer(backend)
        seconds = median_seconds(functools.partial(segment, result.text), runs)
        load = cold(
            [sys.executable, "-c", f"from bot.review.tokens import tokenizer; tokenizer('{backend}')"]
        )
        label = f"segmentation with {backend} (user dictionary):"
        print(f"{label:<40}{seconds * 1000:7.1f} ms; cold load {load:.2f} s")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "material.txt"
        path.write_text(text, encoding="utf-8")
        command, shown = check_command(path)
        seconds = cold(command)
        print(f"cold check ({shown}): {seconds:.2f} s  (target <= 0.8 s)")
        probe = subprocess.run(
            [sys.executable, "-c", _RSS_PROBE, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        print(f"resident memory added by the engine: {float(probe.stdout):.1f} MB  (target <= 60 MB)")


if __name__ == "__main__":
    main()
