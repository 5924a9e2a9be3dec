"""xlsxwriter workbooks in which text stays text.

Spreadsheets receive names and notes that users typed or imported. A company name such as ``=HYPERLINK(…)`` or
``+86 …`` must never become a formula, a number or a link (PRODUCT.md, "Reliability promises"). Workbooks made by
:func:`new_workbook` have xlsxwriter's string conversions switched off, and :func:`write_text` always writes a
string cell (``write_string``), which Excel shows as the text it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

#: xlsxwriter's ``write()`` turns "=…" into formulas, "123" into numbers and "http…" into links by default.
SAFE_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
#: The characters with which a spreadsheet application starts a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@")


def new_workbook(path: Path, **options: Any) -> xlsxwriter.Workbook:
    """A workbook at ``path`` with the text-safe options (plus ``options``)."""
    return xlsxwriter.Workbook(str(path), {**SAFE_OPTIONS, **options})


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would take ``text`` typed into a cell as a formula."""
    return text.lstrip().startswith(FORMULA_PREFIXES)


def write_text(sheet: Worksheet, row: int, col: int, text: str | None, fmt: Format | None = None) -> None:
    """Write ``text`` as a string cell (a blank cell for None or "")."""
    if text:
        sheet.write_string(row, col, text, fmt)
    else:
        sheet.write_blank(row, col, None, fmt)


def merge_text(sheet: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int, text: str | None,
               fmt: Format | None = None) -> None:
    """Merge a range and write ``text`` into it as a string (a single cell is simply written)."""
    if (first_row, first_col) == (last_row, last_col):
        write_text(sheet, first_row, first_col, text, fmt)
        return
    sheet.merge_range(first_row, first_col, last_row, last_col, "", fmt)
    write_text(sheet, first_row, first_col, text, fmt)
