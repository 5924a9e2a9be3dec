"""Licence notices and the bundle manifest: every shipped dependency listed, the LGPL source offer exact, the self-test
in-process (the frozen one is tests/test_installer.py)."""

from __future__ import annotations

import datetime as dt
import importlib.metadata as metadata
import importlib.util
import shutil
import tomllib
from pathlib import Path
from types import ModuleType

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from reportlab.pdfgen.canvas import Canvas

from services.bundle import NOTICES, REQUIRED_FILES, bundle_root, missing_files, read_notice
from services.selftest import embedded_fonts, run_selftest

ROOT = Path(__file__).resolve().parent.parent
NOTICE_FILE = ROOT / "resources" / "licenses" / "THIRD-PARTY-NOTICES.txt"


def _third_party() -> ModuleType:
    spec = importlib.util.spec_from_file_location("third_party", ROOT / "installer" / "third_party.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _table(text: str) -> dict[str, str]:
    """Name → version of the notice file's table."""
    rows = [line.split(" | ") for line in text.splitlines() if line.count(" | ") == 3]
    return {canonicalize_name(row[0]): row[1] for row in rows[1:]}


def test_the_committed_notice_lists_every_runtime_dependency_at_its_pinned_version() -> None:
    table = _table(NOTICE_FILE.read_text(encoding="utf-8"))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for text in pyproject["project"]["dependencies"]:
        requirement = Requirement(text)
        pinned = next(iter(requirement.specifier)).version
        assert table.get(canonicalize_name(requirement.name)) == pinned, \
            f"{requirement.name} {pinned} missing from {NOTICE_FILE.name}: run python installer/third_party.py"
        for extra in requirement.extras:  # psycopg[binary] ships psycopg-binary
            assert canonicalize_name(f"{requirement.name}-{extra}") in table


def test_the_generated_notice_covers_everything_the_dependencies_pull_in_with_licence_texts() -> None:
    module = _third_party()
    dists = module.closure(module.runtime_requirements())
    text = module.notice_text()
    table = _table(text)
    assert {canonicalize_name(d.metadata["Name"]): d.version for d in dists} == table
    assert {"pillow", "greenlet", "mako", "psycopg-binary", "shiboken6"} <= set(table)
    # Licence texts are carried, not just named: SQLAlchemy's MIT text follows its heading.
    sqlalchemy = text.split("==== SQLAlchemy")[1].split("\n==== ")[0]
    assert "Permission is hereby granted, free of charge" in sqlalchemy
    assert text.count("\n==== ") == len(dists)


def test_the_qt_notice_names_the_shipped_version_and_where_its_source_is() -> None:
    notice = (ROOT / "resources" / "licenses" / "PySide6-NOTICE.txt").read_text(encoding="utf-8")
    version = metadata.version("PySide6-Essentials")
    assert f"PySide6-Essentials {version}" in notice
    assert f"https://download.qt.io/official_releases/QtForPython/pyside6/PySide6-{version}-src/" in notice
    assert f"qt-everywhere-src-{version}.tar.xz" in notice
    assert "LGPL" in notice and "替换" in notice
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (ROOT / "resources" / "licenses" / "LGPL-3.0.txt").read_text()
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_every_required_file_is_in_the_source_tree_and_every_notice_reads() -> None:
    assert bundle_root() == ROOT
    assert missing_files() == []
    for notice in NOTICES:
        assert notice.path in REQUIRED_FILES
        text = read_notice(notice)
        assert len(text) > 500 and not text.startswith("\ufeff")


def test_missing_files_names_what_a_copy_lacks(tmp_path: Path) -> None:
    for name in REQUIRED_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, tmp_path / name)
    assert missing_files(tmp_path) == []
    (tmp_path / "resources/reference/districts.tsv").unlink()
    (tmp_path / "LICENSE").write_text("", encoding="utf-8")
    assert missing_files(tmp_path) == ["resources/reference/districts.tsv", "LICENSE"]


def test_selftest_from_source_passes_and_keeps_its_files_when_asked(tmp_path: Path) -> None:
    result = run_selftest(tmp_path / "out", today=dt.date(2026, 5, 20))
    assert result.ok, result.describe()
    assert [c.name for c in result.checks][:2] == ["资源文件", "本地扩展模块"]
    assert (tmp_path / "out" / "report" / "quarterly_2026Q1.pdf").is_file()
    assert "自检通过" in result.describe()


def test_embedded_fonts_tells_an_embedded_truetype_font_from_a_standard_one(tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    canvas = Canvas(str(plain))
    canvas.drawString(72, 72, "Helvetica only")
    canvas.save()
    assert embedded_fonts(plain.read_bytes()) == []
    result = run_selftest(tmp_path, today=dt.date(2026, 5, 20))
    report = next(c for c in result.checks if c.name.startswith("季度报表"))
    assert report.ok and "DroidSansFallback" in report.detail
