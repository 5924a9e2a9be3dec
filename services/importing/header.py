"""Finding the header and the data block of a sheet made by hand.

The header is the row (or pair of rows) among the first 15 whose cells name the most fields of the kind; rows
above it are titles. A two-row header has group cells over sub-labels ("知识产权" over "Ⅰ类 | Ⅱ类", "2025年" over
"营业收入 | 研发费用"): merged ranges are spread over the cells they cover, and where a format keeps no merges (.ods,
.csv) a group label is carried to the right over the sub-labels under it. Below the header, blank rows and footer
rows (合计, 小计, 填表人, 审核人, 制表 …) are not data.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services.importing.errors import ImportFileError
from services.importing.normalize import UNIT_FACTORS
from services.importing.readers import SheetData
from services.importing.spec import HeaderLabel, ImportKind, split_label
from services.text import blank

#: Rows searched for the header.
HEADER_SEARCH_ROWS = 15
#: The first cell of a footer row starts with one of these (after whitespace is removed).
FOOTER_WORDS = ("合计", "小计", "总计", "填表人", "填报人", "审核人", "制表", "负责人", "填表日期", "注:", "说明:")
_SHEET_UNIT = re.compile(r"(?:金额)?单位\s*:\s*(亿元|千元|万元|元)")


@dataclass(frozen=True)
class Column:
    """One column of the header.

    Attributes:
        index: 0-based column index.
        header: The header text as shown to the clerk ("知识产权 / Ⅰ类").
        candidates: Split labels to look up, most specific first.
    """

    index: int
    header: str
    candidates: tuple[HeaderLabel, ...]


@dataclass(frozen=True)
class Layout:
    """Where the header and the data are.

    Attributes:
        header_rows: 0-based indices of the header row(s), one or two.
        data_start: 0-based index of the first row after the header.
        data_end: 0-based index of the last row that may hold data (inclusive).
        columns: The header's columns, non-empty ones only.
        sheet_factor: A unit stated above the header for the whole table ("单位：元"), as a factor to 万元.
    """

    header_rows: tuple[int, ...]
    data_start: int
    data_end: int
    columns: tuple[Column, ...]
    sheet_factor: Decimal | None = None


def cell_text(value: Any) -> str:
    """A cell as text for header and footer checks (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _filled(sheet: SheetData, rows: tuple[int, ...]) -> dict[tuple[int, int], str]:
    """Header cells with the merged ranges that start in these rows spread over every cell they cover."""
    cells = {(r, c): cell_text(sheet.rows[r][c]) for r in rows for c in range(sheet.width)}
    for r0, c0, r1, c1 in sheet.merges:
        if r0 not in rows or c0 >= sheet.width:
            continue  # a range merged down from above belongs to a header that starts higher
        value = cell_text(sheet.rows[r0][c0])
        for r in range(r0, r1 + 1):
            for c in range(c0, min(c1 + 1, sheet.width)):
                if (r, c) in cells:
                    cells[(r, c)] = value
    return cells


def _merged(label_a: HeaderLabel, label_b: HeaderLabel, text: str) -> HeaderLabel:
    return HeaderLabel(text, label_b.factor or label_a.factor, label_b.year or label_a.year)


def header_columns(sheet: SheetData, rows: tuple[int, ...]) -> tuple[Column, ...]:
    """The columns of a one- or two-row header at ``rows``."""
    cells = _filled(sheet, rows)
    if len(rows) == 1:
        return tuple(Column(c, text, (split_label(text),)) for c in range(sheet.width)
                     if (text := cells[(rows[0], c)]))
    top_row, bottom_row = rows
    has_merges = bool(sheet.merges)
    group = ""
    columns = []
    for c in range(sheet.width):
        top, bottom = cells[(top_row, c)], cells[(bottom_row, c)]
        if not has_merges:
            # No merge records: a group label stands over the first of its sub-labels only.
            if top and bottom:
                group = top
            elif top:
                group = ""
            elif bottom and group:
                top = group
        if not top and not bottom:
            continue
        if not bottom or top == bottom:
            columns.append(Column(c, top, (split_label(top),)))
        elif not top:
            columns.append(Column(c, bottom, (split_label(bottom),)))
        else:
            a, b = split_label(top), split_label(bottom)
            columns.append(Column(c, f"{top} / {bottom}", (
                _merged(a, b, a.text + b.text), _merged(a, b, b.text + a.text), _merged(a, b, b.text), a)))
    return tuple(columns)


def resolve(kind: ImportKind, column: Column) -> tuple[str | None, HeaderLabel]:
    """The field a column names (or None) and the label that named it."""
    for label in column.candidates:
        key = kind.field_for(label.text)
        if key is not None:
            return key, label
    return None, column.candidates[0]


def _score(kind: ImportKind, columns: tuple[Column, ...]) -> tuple[int, set[str]]:
    found: set[str] = set()
    words = 0
    for column in columns:
        key, label = resolve(kind, column)
        if key is not None:
            found.add(key)
        elif kind.is_header_word(label.text):
            words += 1
    return len(found) + min(words, 1), found


def _name_cell_blank(sheet: SheetData, kind: ImportKind, columns: tuple[Column, ...], row: int) -> bool:
    """In a second header row the cell under the name column is empty (or repeats it); in data it holds a name."""
    for column in columns:
        if resolve(kind, column)[0] in kind.required:
            return not cell_text(sheet.rows[row][column.index])
    return False


def _sheet_factor(sheet: SheetData, above: int) -> Decimal | None:
    for r in range(above):
        for value in sheet.rows[r]:
            found = _SHEET_UNIT.search(unicodedata.normalize("NFKC", cell_text(value)))
            if found:
                return UNIT_FACTORS[found.group(1)]
    return None


def detect_layout(sheet: SheetData, kind: ImportKind) -> Layout:
    """Find the header among the first 15 rows and the data block under it.

    Raises:
        ImportFileError: no row names the required fields (wrong sheet, or not a list of this kind).
    """
    best: tuple[int, int, tuple[int, ...]] | None = None  # (score, -rows, header rows)
    limit = min(HEADER_SEARCH_ROWS, len(sheet.rows))
    for r in range(limit):
        choices: list[tuple[int, ...]] = [(r,)]
        if r + 1 < len(sheet.rows):
            choices.append((r, r + 1))
        for rows in choices:
            columns = header_columns(sheet, rows)
            score, found = _score(kind, columns)
            if not set(kind.required) <= found or score < 2:
                continue
            if len(rows) == 2 and not _name_cell_blank(sheet, kind, columns, rows[1]):
                continue
            candidate = (score, -len(rows), rows)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    if best is None:
        needed = "、".join(f"“{kind.by_key[k].label}”" for k in kind.required)
        raise ImportFileError(
            f"前 {HEADER_SEARCH_ROWS} 行中找不到表头（需要有{needed}等列）。请确认选择了正确的工作表，"
            f"或这是否是{kind.label}名单。", file=sheet.file_name, sheet=sheet.name)
    return layout_at(sheet, best[2])


def layout_at(sheet: SheetData, header_rows: tuple[int, ...], data_start: int | None = None,
              data_end: int | None = None) -> Layout:
    """The layout with the header at ``header_rows`` (as detected, or as the clerk corrected it)."""
    if not header_rows or max(header_rows) >= len(sheet.rows) or min(header_rows) < 0:
        raise ImportFileError("表头行超出了工作表的范围。", file=sheet.file_name, sheet=sheet.name)
    start = max(header_rows) + 1 if data_start is None else data_start
    end = len(sheet.rows) - 1 if data_end is None else min(data_end, len(sheet.rows) - 1)
    return Layout(tuple(header_rows), start, end, header_columns(sheet, tuple(header_rows)),
                  _sheet_factor(sheet, min(header_rows)))


def is_footer(row: list[Any]) -> bool:
    """A totals or sign-off row: its first non-empty cell starts with 合计, 小计, 填表人, 审核人, 制表 …"""
    for value in row:
        text = cell_text(value)
        if text:
            key = "".join(unicodedata.normalize("NFKC", text).split())
            return key.startswith(FOOTER_WORDS)
    return False


def is_blank_row(row: list[Any], indices: list[int]) -> bool:
    """No value in any of the imported columns (a row with only its 序号 is blank too)."""
    for i in indices:
        value = row[i]
        if value is not None and value != "" and not (isinstance(value, str) and blank(value)):
            return False
    return True
