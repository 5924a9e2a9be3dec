"""Write the quarterly package (workbook, PDF, JSON) and the separate summaries into a folder.

Files are named by the period (``quarterly_2026Q3.xlsx``, ``league_2026Q3.pdf`` …) and written to a temporary
name first, then moved into place: a failure or a cancel never leaves half a file, and a file that is open in
another program (Excel locks its files on Windows) is reported by name.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from models.db import Database
from services.errors import UserFacingError, ValidationError
from services.progress import Progress
from services.reports.compute import compute_quarterly
from services.reports.figures import QuarterlyReport
from services.reports.forms import Form
from services.reports.json_form import write_json
from services.reports.pdf import write_pdf
from services.reports.period import Period
from services.reports.sections import SECTIONS, SUMMARIES
from services.reports.template import TemplateResult, fill_template, load_template, write_placeholder_list
from services.reports.xlsx import write_workbook

log = logging.getLogger("app.report")

FORMATS = ("xlsx", "pdf", "json")
T = TypeVar("T")


@dataclass(frozen=True)
class PackageResult:
    """What was written.

    Attributes:
        report: The figures the files show.
        files: The files, in the order xlsx, pdf, json.
        pdf_pages: Pages of the PDF, when one was written.
        missing_glyphs: Characters of the PDF no embedded font has (shown as boxes); normally empty.
    """

    report: QuarterlyReport
    files: tuple[Path, ...]
    pdf_pages: int | None = None
    missing_glyphs: frozenset[str] = frozenset()

    def file(self, suffix: str) -> Path | None:
        return next((p for p in self.files if p.suffix == f".{suffix}"), None)

    def describe(self) -> str:
        """A short Chinese summary for the command line."""
        lines = [f"已生成{self.report.meta.district}{self.report.period.label}报表："]
        lines += [f"  {path}" for path in self.files]
        if self.missing_glyphs:
            missing = "".join(sorted(self.missing_glyphs))
            lines.append(f"注意：PDF 中有 {len(missing)} 个字符无可用字形：{missing}")
        return "\n".join(lines)


def parse_formats(text: str) -> tuple[str, ...]:
    """``"xlsx,pdf"`` → ("xlsx", "pdf"), in the canonical order; unknown or no formats are refused."""
    asked = {part.strip().lower() for part in text.split(",") if part.strip()}
    unknown = sorted(asked - set(FORMATS))
    if unknown or not asked:
        raise ValidationError({"format": f"格式应为 {', '.join(FORMATS)} 中的一个或多个，用逗号分隔"
                                         + (f"（不认识：{', '.join(unknown)}）" if unknown else "")})
    return tuple(f for f in FORMATS if f in asked)


def _folder(out_dir: Path) -> Path:
    if out_dir.exists() and not out_dir.is_dir():
        raise UserFacingError(f"输出位置“{out_dir}”是一个文件，请指定文件夹。")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserFacingError(f"无法创建输出文件夹“{out_dir}”：{exc.strerror or exc}") from exc
    return out_dir


def _write(path: Path, writer: Callable[[Path], T]) -> T:
    """Write through a temporary file in the same folder, then replace ``path``."""
    temporary = path.with_name(f".{path.stem}.tmp{path.suffix}")
    try:
        result = writer(temporary)
        os.replace(temporary, path)
        return result
    except PermissionError as exc:
        raise UserFacingError(f"无法写入“{path}”：文件可能正在 Excel 或 PDF 阅读器中打开，请关闭后重试。") from exc
    finally:
        temporary.unlink(missing_ok=True)


def write_forms(report: QuarterlyReport, forms: Sequence[Form], out_dir: Path, stem: str,
                formats: Sequence[str], progress: Progress | None = None) -> PackageResult:
    """Write ``forms`` (and the JSON of the figures, when asked) as ``<stem>.<format>`` into ``out_dir``."""
    folder = _folder(out_dir)
    files: list[Path] = []
    pages, missing = None, frozenset[str]()
    for step, fmt in enumerate(formats):
        if progress is not None:
            progress.update(f"写入 {fmt.upper()}", step, len(formats))
        path = folder / f"{stem}.{fmt}"
        if fmt == "xlsx":
            _write(path, lambda p: write_workbook(p, forms, report.meta, report.period))
        elif fmt == "pdf":
            info = _write(path, lambda p: write_pdf(p, forms, report.meta, report.period))
            pages, missing = info.pages, info.missing_glyphs
            if missing:
                log.warning("PDF %s: no glyph for %s", path, "".join(sorted(missing)))
        else:
            _write(path, lambda p: write_json(p, report))
        files.append(path)
    log.info("report %s written: %s", stem, ", ".join(str(p) for p in files))
    return PackageResult(report, tuple(files), pages, missing)


def quarterly_forms(report: QuarterlyReport, sections: Sequence[str] | None = None) -> tuple[Form, ...]:
    """The forms of the chosen sections (all by default), in the package's order."""
    chosen = SECTIONS if sections is None else {k: v for k, v in SECTIONS.items() if k in sections}
    if not chosen:
        raise ValidationError({"sections": "请至少选择一个报表部分"})
    return tuple(build(report) for _, build in chosen.values())


def write_quarterly(report: QuarterlyReport, out_dir: Path, *, formats: Sequence[str] = FORMATS,
                    sections: Sequence[str] | None = None, progress: Progress | None = None) -> PackageResult:
    """The quarterly package of ``report``: ``quarterly_<YYYY>Q<Q>.xlsx/.pdf/.json``."""
    return write_forms(report, quarterly_forms(report, sections), out_dir, f"quarterly_{report.period.tag}",
                       formats, progress)


def write_summary(report: QuarterlyReport, kind: str, out_dir: Path, *, formats: Sequence[str] = ("xlsx", "pdf"),
                  progress: Progress | None = None) -> PackageResult:
    """A separate summary (``league``, ``vouchers`` or ``carriers``) as ``<kind>_<YYYY>Q<Q>.*``."""
    if kind not in SUMMARIES:
        raise ValidationError({"kind": f"报表种类应为：{'、'.join(SUMMARIES)}"})
    _, build = SUMMARIES[kind]
    return write_forms(report, build(report), out_dir, f"{kind}_{report.period.tag}", formats, progress)


def generate_quarterly(db: Database, period: Period, out_dir: Path, *, formats: Sequence[str] = FORMATS,
                       sections: Sequence[str] | None = None, reported_on: dt.date | None = None,
                       progress: Progress | None = None) -> PackageResult:
    """Count the figures of ``period`` and write the package."""
    report = compute_quarterly(db, period, reported_on=reported_on, progress=progress)
    return write_quarterly(report, out_dir, formats=formats, sections=sections, progress=progress)


def write_template(report: QuarterlyReport, template: Path, out_dir: Path) -> TemplateResult:
    """The city bureau's ``template`` filled with ``report`` as ``<template name>_<YYYY>Q<Q>.xlsx`` in ``out_dir``
    (see :mod:`services.reports.template`)."""
    book = load_template(template)  # checked and read before the output folder is made
    path = _folder(out_dir) / f"{template.stem}_{report.period.tag}{template.suffix.lower()}"
    if path.resolve() == template.resolve():
        raise UserFacingError("输出文件会覆盖模板本身，请选择另一个输出文件夹。")
    result = _write(path, lambda p: fill_template(report, book, template.name, p))
    log.info("template %s filled: %s (%d cells)", template, path, result.cells)
    return TemplateResult(path, result.cells)


def write_placeholders(report: QuarterlyReport, out_dir: Path) -> Path:
    """The placeholders a city template can use for ``report``'s period, as ``占位符清单_<YYYY>Q<Q>.xlsx``."""
    path = _folder(out_dir) / f"占位符清单_{report.period.tag}.xlsx"
    _write(path, lambda p: write_placeholder_list(report, p))
    return path
