"""The duizhao command as an operator uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("DUIZHAO_BOT_TOKEN", "DUIZHAO_DATABASE_URL", "DUIZHAO_THEMES_DIR"):
        monkeypatch.delenv(name, raising=False)


def test_config_prints_effective_settings_with_secrets_masked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DUIZHAO_BOT_TOKEN", "123456:SECRET-TOKEN-VALUE")
    monkeypatch.setenv("DUIZHAO_DATABASE_URL", "postgresql+asyncpg://bot:hunter2@db/duizhao")
    monkeypatch.setenv("DUIZHAO_ADMINS", "7, 8")
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "SECRET-TOKEN-VALUE" not in out and "hunter2" not in out
    assert "DUIZHAO_BOT_TOKEN=1234…" in out
    assert "DUIZHAO_DATABASE_URL=postgresql+asyncpg://bot:***@db/duizhao" in out
    assert "DUIZHAO_ADMINS=[7, 8]" in out
    assert "DUIZHAO_TIMEZONE=Asia/Shanghai" in out


def test_config_reports_a_bad_setting_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUIZHAO_TIMEZONE", "Mars/Olympus")
    with pytest.raises(SystemExit) as raised:
        main(["config"])
    assert "DUIZHAO_TIMEZONE" in str(raised.value)


def test_db_upgrade_creates_the_sqlite_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert (tmp_path / "data" / "duizhao.sqlite3").exists()
    assert "已升级" in capsys.readouterr().out


def test_themes_lists_kinds_and_themes_and_shows_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["themes"]) == 0
    out = capsys.readouterr().out
    assert "personal_dsh" in out and "dsh-2025" in out and "[verified]" in out
    assert main(["themes", "dsh-2024"]) == 0
    out = capsys.readouterr().out
    assert "1. 在带头严守政治纪律和政治规矩，维护党的团结统一方面" in out
    assert main(["themes", "dsh-1999"]) == 2


def test_themes_dir_adds_a_year_and_reports_broken_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "dsh-2026.yaml").write_text(
        "label: 2026年度\nyear: 2026\nfamily: dsh\ntitle: 2026年度民主生活会\ntheme: 树立和践行正确政绩观\n"
        "status: unverified\nheading_template: 在{text}方面\n"
        "aspects:\n  - {text: 带头树立和践行正确政绩观, verified: false}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("DUIZHAO_THEMES_DIR", str(themes))
    assert main(["themes"]) == 0
    assert "dsh-2026" in capsys.readouterr().out

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "dsh-2027.yaml").write_text("label: 2027年度\nyear: 2027\n", encoding="utf-8")
    monkeypatch.setenv("DUIZHAO_THEMES_DIR", str(broken))
    assert main(["themes"]) == 1
    err = capsys.readouterr().err
    assert "dsh-2027.yaml" in err


def test_check_into_a_closed_pipe_exits_quietly() -> None:
    """``duizhao check FILE | head`` must not print a traceback when head stops reading."""
    import subprocess
    import sys

    sample = Path(__file__).parent / "samples" / "personal.txt"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "check", str(sample)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).parents[1],
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line is written
    errors = process.stderr.read().decode()
    process.wait(timeout=60)
    assert errors == ""
    assert process.returncode != 0
