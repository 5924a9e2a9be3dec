"""The layout of an official statistical form, independent of the file format.

A :class:`Form` is what one workbook sheet and one PDF section show: the title, the statutory marks block (表号,
制定机关, 批准文号, 有效期至) top-right, 填报单位 and the period top-left, 计量单位, one or more tables with merged
group headers, notes, an optional chart, and the sign-off footer with a seal box (RULES.md §1e). The Excel and PDF
writers render forms generically, so both show the same cells.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from services.reports.figures import ReportMeta, Value
from services.reports.period import Period

#: What an unknown mark or name prints as: a line to write on, never an invented number.
BLANK = "__________"
#: Forms whose widest table is wider than this (Excel character units) are set on landscape pages.
PORTRAIT_MAX_WIDTH = 100
MARK_LABELS = (("form_no", "表    号"), ("issuer", "制定机关"), ("approval_no", "批准文号"),
               ("valid_until", "有效期至"))
SIGNOFF_LABELS = (("report.unit_head", "单位负责人"), ("report.stats_head", "统计负责人"),
                  ("report.preparer", "填表人"), ("report.phone", "联系电话"))
SEAL_TEXT = "（单位盖章）"


@dataclass(frozen=True)
class Num:
    """A number in a cell, with its decimal places (0 counts, 2 for 万元, 1 for percentages)."""

    value: int | Decimal | None
    places: int = 0

    def text(self) -> str:
        """As printed: fixed places, no thousands separator (the convention of statistical forms); "" for None."""
        if self.value is None:
            return ""
        return f"{Decimal(self.value):.{self.places}f}"


Cell = str | Num | None


def count(value: Value) -> Num:
    return Num(value, 0)


def wan(value: Value) -> Num:
    return Num(value, 2)


def pct(value: Value) -> Num:
    return Num(value, 1)


@dataclass(frozen=True)
class Column:
    """A table column.

    Attributes:
        title: Header text.
        group: Header spanning this and the adjacent columns with the same group (a merged cell above).
        width: Width in Excel character units (a Chinese character counts two); the PDF scales the widths to fit.
        text: True for text columns (left-aligned, wrapped), False for numbers (right-aligned).
    """

    title: str
    group: str | None = None
    width: float = 10
    text: bool = False


@dataclass(frozen=True)
class Table:
    """One table of a form.

    Attributes:
        columns: The columns, left to right.
        rows: The cells, one tuple per row, as many as columns.
        caption: A heading above the table (None for the form's main table).
        emphasised: Indexes of rows set in bold (合计).
    """

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str | None = None
    emphasised: frozenset[int] = frozenset()

    @property
    def header_depth(self) -> int:
        """1, or 2 when a column has a group header."""
        return 2 if any(c.group for c in self.columns) else 1

    def header_spans(self) -> list[tuple[int, int, str]]:
        """Group headers as (first column, last column, text), in order."""
        spans: list[tuple[int, int, str]] = []
        for index, column in enumerate(self.columns):
            if column.group and spans and spans[-1][2] == column.group and spans[-1][1] == index - 1:
                spans[-1] = (spans[-1][0], index, column.group)
            elif column.group:
                spans.append((index, index, column.group))
        return spans


@dataclass(frozen=True)
class Chart:
    """A bar chart drawn from columns of one of the form's tables.

    Attributes:
        title: Caption.
        table: Index of the table in the form.
        category_column: Column of the category labels.
        series: (column, legend name) of each bar series.
        rows: How many rows from the top are charted (the rest, such as 合计, is not).
    """

    title: str
    table: int
    category_column: int
    series: tuple[tuple[int, str], ...]
    rows: int


@dataclass(frozen=True)
class Form:
    """One form: a sheet of the workbook, a section of the PDF.

    Attributes:
        key: Stable name (also the key of its 表号 in the settings).
        sheet: Worksheet name (at most 31 characters).
        title: Printed title.
        measure: 计量单位 text.
        tables: The tables, top to bottom.
        notes: Lines under the tables (填报说明).
        chart: An optional chart under the tables.
    """

    key: str
    sheet: str
    title: str
    measure: str
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = ()
    chart: Chart | None = None

    @property
    def columns(self) -> int:
        """Columns of the widest table."""
        return max(len(t.columns) for t in self.tables)

    @property
    def landscape(self) -> bool:
        return max(sum(c.width for c in t.columns) for t in self.tables) > PORTRAIT_MAX_WIDTH


def mark_lines(meta: ReportMeta, form_key: str) -> list[str]:
    """The statutory marks block, one line each; unknown marks are blank lines."""
    values = {**meta.marks, "form_no": meta.form_numbers.get(form_key, "")}
    return [f"{label}：{values.get(key) or BLANK}" for key, label in MARK_LABELS]


def unit_lines(meta: ReportMeta, period: Period) -> list[str]:
    """The top-left block: 填报单位 (with its credit code) and the period."""
    return [f"填报单位：{meta.unit_name or BLANK}", f"统一社会信用代码：{meta.unit_uscc or BLANK}",
            f"报告期：{period.label}"]


def reported_on_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "______年____月____日"


def signoff_parts(meta: ReportMeta) -> list[str]:
    """The footer's parts: 单位负责人 … 报出日期, names filled in where known, blank lines otherwise."""
    parts = [f"{label}：{meta.signoff.get(key) or BLANK}" for key, label in SIGNOFF_LABELS]
    return [*parts, f"报出日期：{reported_on_text(meta.reported_on)}"]
