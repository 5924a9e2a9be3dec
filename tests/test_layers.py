"""The layering of the design card: Qt only in ui/ (and main.py), SQLAlchemy never in ui/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["models", "services", "bench"])
def test_no_qt_outside_ui(package: str) -> None:
    offenders = [str(p.relative_to(ROOT)) for p in python_files(package)
                 if imported_modules(p) & {"PySide6", "PyQt5", "PyQt6", "shiboken6"}]
    assert offenders == [], f"Qt imported outside ui/: {offenders}"


def test_no_sqlalchemy_in_ui() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in python_files("ui")
                 if imported_modules(p) & {"sqlalchemy", "alembic", "models"}]
    assert offenders == [], f"database layer imported in ui/: {offenders}"


def test_models_do_not_import_services_or_ui() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in python_files("models")
                 if imported_modules(p) & {"services", "ui"}]
    assert offenders == []


def test_the_check_itself_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom PySide6.QtWidgets import QWidget\nfrom sqlalchemy import select\n")
    assert {"PySide6", "sqlalchemy", "os"} <= imported_modules(sample)
