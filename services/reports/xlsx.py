"""Forms as an Excel workbook (xlsxwriter): one sheet per form, laid out and set up for printing like the paper form.

Every sheet: the title; 填报单位, credit code and period top-left; the statutory marks block top-right with 计量单位
under it; the tables with merged group headers, borders and number formats; notes; an optional column chart; the
sign-off lines with a seal box. Panes are frozen under the first table's header, and the print setup is A4, fitted to
the page width, the header rows repeated on every page, "第 X 页 共 Y 页" in the footer. Text is always written as
text (services.exporting.xlsx), so a name like "=1+1" stays a name. The same forms give the same bytes: the
workbook's creation time is the report's date, not the clock's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from services.exporting.xlsx import merge_text, new_workbook, write_text
from services.reports.figures import ReportMeta
from services.reports.forms import SEAL_TEXT, Cell, Form, Num, Table, mark_lines, signoff_parts, unit_lines
from services.reports.period import Period

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
NUMBER_FORMATS = {0: "0", 1: "0.0", 2: "0.00"}
#: Rows a chart takes on the sheet.
CHART_ROWS = 18
PAPER_A4 = 9


class _Styles:
    """The workbook's formats, created once."""

    def __init__(self, book: Workbook) -> None:
        base: dict[str, Any] = {"font_name": BODY_FONT, "font_size": 10, "valign": "vcenter"}

        def fmt(**extra: Any) -> Format:
            return book.add_format({**base, **extra})

        self.title = fmt(font_name=TITLE_FONT, font_size=16, bold=True, align="center")
        self.plain = fmt()
        self.right = fmt(align="right")
        self.caption = fmt(bold=True)
        self.note = fmt(font_size=9, text_wrap=True, valign="top")
        self.header = fmt(bold=True, align="center", text_wrap=True, border=1, bg_color="#F2F2F2")
        self.seal = fmt(align="center", border=1, font_color="#808080")
        self.text = {bold: fmt(border=1, text_wrap=True, bold=bold) for bold in (False, True)}
        self.number = {(places, bold): fmt(border=1, num_format=code, bold=bold)
                       for places, code in NUMBER_FORMATS.items() for bold in (False, True)}


def write_workbook(path: Path, forms: Sequence[Form], meta: ReportMeta, period: Period) -> Path:
    """Write ``forms`` as one workbook at ``path`` and return the path."""
    book = new_workbook(path)
    created = dt.datetime.combine(meta.reported_on or period.end, dt.time())
    book.set_properties({"title": f"{meta.district}{period.label}科技统计报表", "author": meta.unit_name,
                         "company": meta.unit_name, "created": created})
    styles = _Styles(book)
    for form in forms:
        _write_form(book, book.add_worksheet(form.sheet), form, meta, period, styles)
    book.close()
    return path


def _write_form(book: Workbook, ws: Worksheet, form: Form, meta: ReportMeta, period: Period, st: _Styles) -> None:
    n = form.columns
    widths = [max(t.columns[i].width for t in form.tables if i < len(t.columns)) for i in range(n)]
    for index, width in enumerate(widths):
        ws.set_column(index, index, width)
    right = _right_block(widths)
    ws.set_row(0, 30)
    merge_text(ws, 0, 0, 0, n - 1, form.title, st.title)
    for row, text in enumerate(unit_lines(meta, period), start=1):
        merge_text(ws, row, 0, row, right - 1, text, st.plain)
    for row, text in enumerate([*mark_lines(meta, form.key), form.measure], start=1):
        merge_text(ws, row, right, row, n - 1, text, st.plain)
    row = 7
    frozen: tuple[int, int] | None = None
    table_rows: list[int] = []
    for table in form.tables:
        if table.caption:
            merge_text(ws, row, 0, row, len(table.columns) - 1, table.caption, st.caption)
            row += 1
        first_data = _write_header(ws, row, table, st)
        if frozen is None:
            frozen = (first_data, sum(1 for c in table.columns[:2] if c.text))
            ws.repeat_rows(row, first_data - 1)
        table_rows.append(first_data)
        for offset, cells in enumerate(table.rows):
            _write_row(ws, first_data + offset, cells, offset in table.emphasised, st)
        row = first_data + len(table.rows) + 1
    for number, note in enumerate(form.notes, start=1):
        ws.set_row(row, 28)
        merge_text(ws, row, 0, row, n - 1, f"{'说明：' if number == 1 else '　　　'}{number}. {note}", st.note)
        row += 1
    if form.chart is not None:
        row += 1
        ws.set_h_pagebreaks([row])  # the chart prints on a page of its own rather than cut in two
        _insert_chart(book, ws, form, table_rows, row, widths)
        row += CHART_ROWS
    row = _write_signoff(ws, row + 1, meta, n, right, st)
    if frozen is not None:
        ws.freeze_panes(*frozen)
    _page_setup(ws, form, row - 1, n)


def _right_block(widths: list[float]) -> int:
    """First column of the top-right block: the last columns, together at least 30 characters wide."""
    total, col = 0.0, len(widths)
    while col > 1 and total < 30:
        col -= 1
        total += widths[col]
    return col


def _write_header(ws: Worksheet, row: int, table: Table, st: _Styles) -> int:
    """Header cells (a group header merged above its columns); returns the first data row."""
    depth = table.header_depth
    grouped = {i for first, last, _ in table.header_spans() for i in range(first, last + 1)}
    for first, last, text in table.header_spans():
        merge_text(ws, row, first, row, last, text, st.header)
    for index, column in enumerate(table.columns):
        if index in grouped:
            write_text(ws, row + 1, index, column.title, st.header)
        else:
            merge_text(ws, row, index, row + depth - 1, index, column.title, st.header)
    return row + depth


def _write_row(ws: Worksheet, row: int, cells: tuple[Cell, ...], bold: bool, st: _Styles) -> None:
    for col, cell in enumerate(cells):
        if isinstance(cell, Num):
            fmt = st.number[(cell.places, bold)]
            if cell.value is None:
                ws.write_blank(row, col, None, fmt)
            else:
                ws.write_number(row, col, float(cell.value), fmt)
        else:
            write_text(ws, row, col, cell, st.text[bold])


def _insert_chart(book: Workbook, ws: Worksheet, form: Form, table_rows: list[int], row: int,
                  widths: list[float]) -> None:
    spec = form.chart
    assert spec is not None
    first = table_rows[spec.table]
    last = first + spec.rows - 1
    chart = book.add_chart({"type": "column"})
    for column, name in spec.series:
        chart.add_series({"name": name, "categories": [ws.name, first, spec.category_column, last,
                                                        spec.category_column],
                          "values": [ws.name, first, column, last, column], "data_labels": {"value": True}})
    chart.set_title({"name": spec.title, "name_font": {"name": BODY_FONT, "size": 11}})
    chart.set_legend({"position": "bottom", "font": {"name": BODY_FONT}})
    chart.set_x_axis({"num_font": {"name": BODY_FONT}})
    ws.insert_chart(row, 0, chart, {"x_scale": min(2.5, sum(widths) * 7 / 480), "y_scale": 1.2})


def _write_signoff(ws: Worksheet, row: int, meta: ReportMeta, n: int, right: int, st: _Styles) -> int:
    """Sign-off lines on the left, the seal box on the right; returns the row after them."""
    parts = signoff_parts(meta)
    lines = ["　　".join(parts[0:2]), "　　".join(parts[2:4]), parts[4]]
    for offset, text in enumerate(lines):
        ws.set_row(row + offset, 22)
        merge_text(ws, row + offset, 0, row + offset, right - 1, text, st.plain)
    merge_text(ws, row, right, row + len(lines) - 1, n - 1, SEAL_TEXT, st.seal)
    return row + len(lines)


def _page_setup(ws: Worksheet, form: Form, last_row: int, n: int) -> None:
    ws.set_paper(PAPER_A4)
    if form.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.set_footer("&C第 &P 页 共 &N 页")
    ws.print_area(0, 0, last_row, n - 1)
