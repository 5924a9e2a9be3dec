"""The command line as PRODUCT.md fixes it (the commands other issues fill in say so plainly)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("demo", "import", "report", "prescreen", "backup", "restore", "check"):
        assert command in result.stdout
    assert "图形界面" in result.stdout


def test_db_may_stand_before_or_after_the_command() -> None:
    from main import build_parser

    parser = build_parser()
    assert parser.parse_args(["--db", "a.sqlite", "check"]).db == "a.sqlite"
    assert parser.parse_args(["check", "--db", "b.sqlite"]).db == "b.sqlite"
    assert parser.parse_args([]).db is None


def test_bad_arguments_exit_2_with_usage() -> None:
    result = run("report", "quarterly", "--year", "2026", "--quarter", "5", "--out", "o")
    assert result.returncode == 2
    assert "usage" in result.stderr
