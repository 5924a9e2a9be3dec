"""Filling a workbook the city bureau supplies (its own form) with the figures of a quarterly report.

The bureau's form keeps its layout, merged cells, fonts, borders and print setup; only cells holding a placeholder
change. A placeholder is written in double braces:

- ``{{qual.national_hte.new_ytd}}`` — an indicator of PRODUCT.md for the whole district (the period's figure);
- ``{{qual.national_hte.new_ytd@上塘}}`` — the same for one 属地 (its name as the report lists it);
- ``{{上年同期:qual.national_hte.new_ytd}}`` — the same period last year (with or without ``@属地``);
- ``{{填报单位}}``, ``{{报告期}}``, ``{{报出日期}}``, ``{{单位负责人}}``, ``{{统计负责人}}``, ``{{填表人}}``,
  ``{{联系电话}}`` — what the forms print besides the figures.

A cell that is one placeholder and nothing else gets the value itself — a number stays a number (counts as whole
numbers, 万元 and percentages as decimals), a figure that does not apply leaves the cell empty. Placeholders inside
other text ("填报单位：{{填报单位}}") are replaced as text. Every placeholder is checked before anything is written: a
template with an unknown indicator or 属地 is refused with the sheet and cell of each, and nothing is written.
openpyxl keeps what it understands of a workbook; charts and pictures in a template are not carried over, so the
bureau's forms should be plain tables (they are).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from services.errors import UserFacingError
from services.importing.safety import ImportLimits, check_file
from services.prescreen.numbers import trim
from services.reports.figures import QuarterlyReport, Value
from services.reports.forms import SIGNOFF_LABELS

PLACEHOLDER = re.compile(r"\{\{\s*(.+?)\s*\}\}")
LAST_YEAR = "上年同期:"
#: How to write a template, for the clerk (the 说明 sheet of the placeholder list).
USAGE = (
    "在市局表样要填数的单元格中写占位符（两层大括号），生成季度报送包时另存一份填好的表样，原表样不变：",
    "{{指标代码}}：全区本期数，如 {{qual.national_hte.new_ytd}}（本年新认定国高企）；",
    "{{指标代码@属地}}：某属地本期数，如 {{qual.national_hte.new_ytd@上塘街道}}；",
    f"{{{{{LAST_YEAR}指标代码}}}}：上年同期数，如 {{{{{LAST_YEAR}ent.count_end}}}}；",
    "{{填报单位}} {{报告期}} {{报出日期}} {{单位负责人}} {{统计负责人}} {{填表人}} {{联系电话}}：表头表尾文字。",
    "单元格只写一个占位符时填入数字（不适用的指标留空）；与其他文字写在一起时按文字替换，如“填报单位：{{填报单位}}”。",
    "表样中有本期报表没有的指标或属地时不生成文件，并逐一列出所在工作表和单元格。",
)
#: The most problems a refusal lists (a wrong template can have hundreds).
MAX_LISTED = 20


@dataclass(frozen=True)
class TemplateResult:
    """A filled template: where it was written and how many cells were filled."""

    path: Path
    cells: int


def _meta_values(report: QuarterlyReport) -> dict[str, Any]:
    meta = report.meta
    values: dict[str, Any] = {"填报单位": meta.unit_name, "报告期": report.period.label,
                              "报出日期": meta.reported_on.strftime("%Y年%m月%d日") if meta.reported_on else ""}
    values.update({label: meta.signoff.get(key, "") for key, label in SIGNOFF_LABELS})
    return values


def _cell_value(value: Value) -> int | float | None:
    """What a cell holds: Decimals as floats (their shortest repr is the decimal for every amount a report has)."""
    return float(value) if isinstance(value, Decimal) else value


class _Resolver:
    def __init__(self, report: QuarterlyReport) -> None:
        self.report = report
        self.meta = _meta_values(report)
        self.codes = set(report.current.district) | set(report.previous.district)
        for values in (*report.current.by_unit.values(), *report.previous.by_unit.values()):
            self.codes.update(values)

    def value(self, text: str) -> Any:
        """The value a placeholder names; raises KeyError with the reason in Chinese."""
        if text in self.meta:
            return self.meta[text]
        figures = self.report.current
        if text.startswith(LAST_YEAR):
            figures, text = self.report.previous, text[len(LAST_YEAR):].strip()
        code, _, unit = (part.strip() for part in text.partition("@"))
        if code not in self.codes:
            raise KeyError(f"不认识的指标“{code}”")
        if unit and unit not in self.report.units:
            raise KeyError(f"报表中没有属地“{unit}”（有：{'、'.join(self.report.units)}）")
        return _cell_value(figures.get(code, unit or None))


def load_template(template: Path) -> Any:
    """The template's workbook, once the import's file checks passed (zip bomb, DTD, damaged zip, another file
    renamed).

    Raises:
        UserFacingError: not an .xlsx workbook, missing, damaged or hostile.
    """
    if template.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UserFacingError(f"模板“{template.name}”不是 .xlsx 工作簿；请在 Excel 中另存为 .xlsx 后再选择。")
    check_file(template, ImportLimits())
    try:
        return openpyxl.load_workbook(template, keep_vba=template.suffix.lower() == ".xlsm")
    except FileNotFoundError as exc:
        raise UserFacingError(f"找不到模板“{template}”。") from exc
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UserFacingError(f"无法读取模板“{template.name}”：文件已损坏或不是 Excel 工作簿（{exc}）。") from exc


def fill_template(report: QuarterlyReport, book: Any, name: str, out: Path) -> TemplateResult:
    """Write the template ``book`` (:func:`load_template`; ``name``: its file's, for messages) with its
    placeholders filled from ``report`` to ``out``.

    Raises:
        UserFacingError: the template names indicators or 属地 the report does not have, or holds no placeholder
            at all (nothing is written then).
    """
    resolver = _Resolver(report)
    changes: list[tuple[Any, Any]] = []
    problems: list[str] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                text = cell.value
                if not isinstance(text, str) or "{{" not in text:
                    continue
                try:
                    whole = PLACEHOLDER.fullmatch(text.strip())
                    if whole is not None:
                        changes.append((cell, resolver.value(whole.group(1))))
                    else:
                        changes.append((cell, PLACEHOLDER.sub(lambda m: _as_text(resolver.value(m.group(1))), text)))
                except KeyError as exc:
                    problems.append(f"工作表“{sheet.title}”单元格 {cell.coordinate}：{exc.args[0]}")
    if problems:
        listed = problems[:MAX_LISTED]
        if len(problems) > MAX_LISTED:
            listed.append(f"……另有 {len(problems) - MAX_LISTED} 处")
        raise UserFacingError(f"模板“{name}”中有无法填写的占位符，未生成文件：\n" + "\n".join(listed))
    if not changes:
        raise UserFacingError(f"模板“{name}”中没有任何占位符（如 {{{{qual.national_hte.new_ytd}}}}），"
                              "无从填写。")
    for cell, value in changes:
        cell.value = value
    book.save(out)
    return TemplateResult(out, len(changes))


def _as_text(value: Any) -> str:
    """A value inside other text: numbers as people write them (no trailing zeros), nothing for a missing one."""
    if value is None:
        return ""
    if isinstance(value, float):
        return trim(Decimal(repr(value)))
    return str(value)


def write_placeholder_list(report: QuarterlyReport, out: Path) -> Path:
    """A workbook listing every placeholder a template can use for ``report``'s period, with the district's values
    (this period and last year's) — what a clerk copies into the bureau's form. The 属地 sheet shows the
    ``@属地`` form for each 属地 with its own values."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "占位符"
    sheet.append(["占位符", f"本期（{report.period.label}）", "上年同期"])
    meta = _meta_values(report)
    for text, value in meta.items():
        sheet.append([f"{{{{{text}}}}}", value, None])
    codes = sorted(set(report.current.district) | set(report.previous.district))
    for code in codes:
        sheet.append([f"{{{{{code}}}}}", _cell_value(report.current.get(code)), _cell_value(report.previous.get(code))])
    units = book.create_sheet("属地")
    units.append(["占位符", "属地", f"本期（{report.period.label}）"])
    for unit in report.units:
        for code in sorted(report.current.by_unit.get(unit, {})):
            units.append([f"{{{{{code}@{unit}}}}}", unit, _cell_value(report.current.get(code, unit))])
    for ws, widths in ((sheet, (44, 22, 14)), (units, (52, 14, 22))):
        for letter, width in zip("ABC", widths, strict=True):
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "A2"
    note = book.create_sheet("说明")
    for line in USAGE:
        note.append([line])
    note.column_dimensions["A"].width = 100
    book.save(out)
    return out
