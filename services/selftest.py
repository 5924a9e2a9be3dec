"""The installed application's self-test (``main.py selftest``): does this build have everything it needs?

Run by the installer build on the frozen application (``techledger-cli selftest``) and by CI, so a spec that forgets
a resource, a native library or a migration fails the build instead of a clerk's first day. Each check is
independent where it can be and names what is wrong in Chinese; the database work happens in a temporary data
folder, never in the user's.

Checks, in order: the required files (:mod:`services.bundle`); the native modules (reportlab's accelerator,
calamine, rapidfuzz, pypinyin's dictionaries, PDFium, psycopg's binary driver); a fresh database migrated to the
newest structure and equal to the models; an older database upgraded after a backup; a small demo district; the
quarterly report written as xlsx and pdf, the PDF with the CJK font embedded and its Chinese text readable; and,
frozen, that nothing was written beside the executable. The GUI layer adds its checks (Qt translations, icon
plug-in, font) through ``extra``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from services.bundle import missing_files
from services.paths import ENV_DATA_DIR, app_dir, is_portable

#: Enterprises in the self-test's demo district: enough for every report section to have rows, built in about a second.
DEMO_ENTERPRISES = 40
#: Characters the report PDF must contain as text (the district's name in its title).
PDF_MUST_READ = "拱墅区"

#: A check: its Chinese name and a function returning a one-line result (raising on failure).
CheckFn = tuple[str, Callable[[], str]]


@dataclass(frozen=True)
class Check:
    """One check's outcome.

    Attributes:
        name: What was checked (Chinese).
        ok: Whether it passed.
        detail: What was found, or what is wrong.
    """

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class SelftestResult:
    """Every check's outcome and the time the self-test took."""

    checks: tuple[Check, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def describe(self) -> str:
        """One line per check, then the verdict (printed by the command)."""
        lines = [f"[{'通过' if c.ok else '失败'}] {c.name}：{c.detail}" for c in self.checks]
        failed = [c.name for c in self.checks if not c.ok]
        lines.append(f"自检通过（{self.seconds:.1f} 秒）。" if not failed
                     else f"自检失败（{len(failed)} 项）：{'、'.join(failed)}。")
        return "\n".join(lines)


class SelftestFailure(Exception):
    """A check found a problem; the message says which, in Chinese."""


def run_selftest(out_dir: Path | None = None, *, extra: Sequence[CheckFn] = (),
                 today: dt.date | None = None) -> SelftestResult:
    """Run every check and return their outcomes (never raises for a failed check).

    Args:
        out_dir: Where the report files and the databases are written (kept for inspection); a temporary folder
            that is removed afterwards when omitted.
        extra: More checks to run after the resource check (the GUI layer's).
        today: The day the demo data and the report period are counted from (default: today).
    """
    started = time.perf_counter()
    today = today or dt.date.today()
    before = _beside_executable()
    with _work_folder(out_dir) as work:
        checks = [_run("资源文件", _check_files), *(_run(name, fn) for name, fn in extra),
                  _run("本地扩展模块", _check_native_modules),
                  _run("新建数据库与迁移", lambda: _check_fresh_database(work)),
                  _run("旧版数据库升级", lambda: _check_upgrade(work))]
        demo = _run("演示数据", lambda: _check_demo(work, today))
        checks.append(demo)
        if demo.ok:
            checks.append(_run("季度报表（xlsx、pdf）", lambda: _check_report(work, today)))
        if before is not None:
            checks.append(_run("安装目录未被写入", lambda: _check_nothing_written(before)))
    return SelftestResult(tuple(checks), time.perf_counter() - started)


def _run(name: str, fn: Callable[[], str]) -> Check:
    try:
        return Check(name, True, fn())
    except Exception as exc:  # noqa: BLE001 - every failure of a check is its result, named in the report
        detail = str(exc) if isinstance(exc, SelftestFailure) else f"{type(exc).__name__}: {exc}"
        return Check(name, False, detail)


@contextmanager
def _work_folder(out_dir: Path | None) -> Iterator[Path]:
    """A folder for the self-test's files, made the data folder (logs aside) while the checks run."""
    with tempfile.TemporaryDirectory(prefix="techledger-selftest-") as temp:
        work = Path(out_dir) if out_dir is not None else Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        previous = os.environ.get(ENV_DATA_DIR)
        os.environ[ENV_DATA_DIR] = str(work / "data")
        try:
            yield work
        finally:
            if previous is None:
                os.environ.pop(ENV_DATA_DIR, None)
            else:
                os.environ[ENV_DATA_DIR] = previous


def _check_files() -> str:
    from services.bundle import REQUIRED_FILES, bundle_root

    missing = missing_files()
    if missing:
        raise SelftestFailure(f"缺少 {len(missing)} 个文件（在 {bundle_root()} 下）：{'，'.join(missing)}")
    return f"{len(REQUIRED_FILES)} 个文件齐全"


def _check_native_modules() -> str:
    for name in ("_rl_accel", "python_calamine", "rapidfuzz.fuzz", "pypdfium2", "xlsxwriter"):
        importlib.import_module(name)
    from psycopg import pq
    from sqlalchemy.dialects import registry

    registry.load("postgresql.psycopg")

    if pq.__impl__ not in ("binary", "c"):
        raise SelftestFailure(f"PostgreSQL 驱动缺少 psycopg-binary（当前实现：{pq.__impl__}），无法连接服务器数据库")
    from services.text import pinyin_initials

    if pinyin_initials("科创台账") != "kctz":
        raise SelftestFailure(f"拼音首字母不正确：“科创台账” → {pinyin_initials('科创台账')!r}")
    return f"均可加载（PostgreSQL 驱动：psycopg {pq.__impl__} / libpq {pq.version()}）"


def _check_fresh_database(work: Path) -> str:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from models import Base
    from models.migrate import head_revision
    from services.database import open_database

    path = work / "fresh.sqlite"
    with open_database(path) as opened:
        if not opened.created:
            raise SelftestFailure(f"{path} 不是新建的数据库")
        with opened.db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    if diff:
        raise SelftestFailure(f"迁移脚本与程序的数据结构不一致（缺少迁移文件？）：{diff[:3]}")
    return f"已建到结构版本 {head_revision()}，与程序一致"


def _check_upgrade(work: Path) -> str:
    from models.db import Database
    from models.migrate import all_revisions, head_revision, upgrade
    from services.database import open_database

    first = all_revisions()[0]
    if first == head_revision():
        return "只有一个结构版本，无需升级"
    path = work / "old.sqlite"
    old = Database.connect(path)
    try:
        upgrade(old.engine, first)
    finally:
        old.dispose()
    with open_database(path) as opened:
        if opened.migrated_from != first or opened.backup_file is None or not opened.backup_file.exists():
            raise SelftestFailure("旧版数据库升级时没有先备份")
    return f"版本 {first} → {head_revision()}，升级前已备份"


def _check_demo(work: Path, today: dt.date) -> str:
    from services.demo import build_demo

    summary = build_demo(work / "demo.sqlite", enterprises=DEMO_ENTERPRISES, as_of=today, replace=True)
    return (f"企业 {summary.count('enterprise')} 家、资质记录 {summary.count('enterprise_qualification')} 条、"
            f"载体 {summary.count('carrier')} 个，用时 {summary.seconds:.1f} 秒")


def _check_report(work: Path, today: dt.date) -> str:
    from services.database import open_database
    from services.db_check import check_database
    from services.reports.package import generate_quarterly
    from services.reports.period import Period

    period = Period.last_finished(today)
    with open_database(work / "demo.sqlite") as opened:
        report = check_database(opened.db)
        if not report.ok:
            raise SelftestFailure(report.describe())
        result = generate_quarterly(opened.db, period, work / "report", formats=("xlsx", "pdf"))
    pdf, xlsx = result.file("pdf"), result.file("xlsx")
    if pdf is None or xlsx is None or xlsx.stat().st_size == 0:
        raise SelftestFailure("报表文件没有全部生成")
    fonts = embedded_fonts(pdf.read_bytes())
    cjk = _cjk_font_name()
    if cjk not in fonts:
        raise SelftestFailure(f"PDF 没有嵌入中文字体 {cjk}（嵌入的字体：{'、'.join(fonts) or '无'}）")
    text = pdf_text(pdf)
    if PDF_MUST_READ not in text:
        raise SelftestFailure(f"PDF 中读不出“{PDF_MUST_READ}”，中文可能显示为方框")
    if result.missing_glyphs:
        raise SelftestFailure(f"PDF 中有字符无字形：{''.join(sorted(result.missing_glyphs))}")
    return f"{period.label}，PDF {result.pdf_pages} 页，嵌入字体 {'、'.join(fonts)}"


def _cjk_font_name() -> str:
    """PostScript name of the CJK font the report PDF sets its body text in (bundled, or SimSun on Windows)."""
    from reportlab.pdfbase import pdfmetrics

    from services.exporting.fonts import pdf_fonts

    name = pdfmetrics.getFont(pdf_fonts().body).face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


_DESCRIPTOR = re.compile(rb"<<((?:(?!>>).)*?/Type\s*/FontDescriptor(?:(?!>>).)*)>>", re.DOTALL)
_FONT_NAME = re.compile(rb"/FontName\s*/(?:[A-Z]{6}\+)?([^\s/<>\[\]()]+)")


def embedded_fonts(pdf: bytes) -> list[str]:
    """Names of the TrueType fonts whose outlines a (reportlab-written, uncompressed-objects) PDF embeds."""
    names = set()
    for match in _DESCRIPTOR.finditer(pdf):
        body = match.group(1)
        name = _FONT_NAME.search(body)
        if name and b"/FontFile2" in body:
            names.add(name.group(1).decode("latin-1"))
    return sorted(names)


def pdf_text(path: Path) -> str:
    """The text of every page, read back with PDFium (the library the print preview uses)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(pages)
    finally:
        document.close()


def _beside_executable() -> set[str] | None:
    """The files beside a frozen, installed (not portable) executable; None otherwise."""
    if not getattr(sys, "frozen", False) or is_portable():
        return None
    return _listing(app_dir())


def _listing(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*")}


def _check_nothing_written(before: set[str]) -> str:
    added = sorted(_listing(app_dir()) - before)
    if added:
        raise SelftestFailure(f"程序在安装目录 {app_dir()} 中写入了文件：{'，'.join(added[:5])}")
    return f"{app_dir()} 中没有新文件"
