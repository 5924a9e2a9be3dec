"""The errored-rows workbook: the rejected rows as they came, with a column saying why, for the sender to fix.

Every cell is written as text with ``write_string`` (never ``write``), so a cell such as ``=HYPERLINK(...)`` or
``+1`` from a hostile file stays inert text in Excel (PRODUCT.md: text from imported files is never a formula).
Dates and numbers are written as the text the clerk would read, so nothing changes on the way back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter

from services.errors import UserFacingError
from services.importing.plan import Plan

REASON_HEADER = "错误原因"
ROW_HEADER = "原行号"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def export_errors(plan: Plan, dest: Path) -> int:
    """Write the skipped rows of ``plan`` to ``dest`` (.xlsx); returns how many rows were written.

    Raises:
        UserFacingError: the file cannot be written (open in Excel, no permission).
    """
    skipped = [r for r in plan.rows if r.action == "skipped"]
    try:
        workbook = xlsxwriter.Workbook(str(dest), {"strings_to_formulas": False, "strings_to_urls": False,
                                                   "strings_to_numbers": False})
    except OSError as exc:  # pragma: no cover - xlsxwriter opens the file only on close
        raise UserFacingError(f"无法写入“{dest}”：{exc}") from exc
    sheet = workbook.add_worksheet("错误行")
    bold = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    red = workbook.add_format({"font_color": "#C00000", "text_wrap": True})
    header = [ROW_HEADER, REASON_HEADER, *plan.header_cells]
    for col, text in enumerate(header):
        sheet.write_string(0, col, text, bold)
    for out, row in enumerate(skipped, start=1):
        sheet.write_string(out, 0, str(row.row))
        reasons = "；".join(f"{i.column}列：{i.message}" if i.column else i.message for i in row.issues)
        sheet.write_string(out, 1, reasons, red)
        for col, value in enumerate(plan.raw_rows.get(row.row, [])):
            text = _text(value)
            if text:
                sheet.write_string(out, col + 2, text)
    sheet.freeze_panes(1, 2)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, max(2, len(header) - 1), 16)
    try:
        workbook.close()
    except (OSError, xlsxwriter.exceptions.FileCreateError) as exc:
        raise UserFacingError(f"无法写入“{dest}”（文件可能正在 Excel 中打开）：{exc}") from exc
    return len(skipped)
