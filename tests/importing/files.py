"""Real spreadsheets written by the tests, in every format the import reads.

- .xlsx with xlsxwriter (merged ranges as Excel writes them) and .xlsm with openpyxl;
- .xls with xlwt 1.3.0 (a real BIFF8 workbook; test-only dependency pinned in pyproject's [test] extra);
- .ods with odfpy 1.4.1 (a real OpenDocument spreadsheet; .ods keeps no merge records that calamine reports, so
  the header detection's carry-right rule is what reads its two-row headers);
- .csv in any encoding through Python's csv module.
A cell given as ``Merge(text, rows, cols)`` is merged over that many rows and columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.uscc import make_uscc


@dataclass(frozen=True)
class Merge:
    text: str
    rows: int = 1
    cols: int = 1


def code(n: int) -> str:
    """A valid credit code (拱墅区) numbered ``n``."""
    return make_uscc(f"91330105MA2{n:06d}")


def write_xlsx(path: Path, rows: list[list[Any]], sheet: str = "企业") -> Path:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    ws = workbook.add_worksheet(sheet)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, Merge):
                if value.rows > 1 or value.cols > 1:
                    ws.merge_range(r, c, r + value.rows - 1, c + value.cols - 1, value.text)
                else:
                    ws.write_string(r, c, value.text)
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            elif value is not None:
                ws.write(r, c, value)
    workbook.close()
    return path


def write_xlsm(path: Path, rows: list[list[Any]], sheet: str = "企业") -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append([v.text if isinstance(v, Merge) else v for v in row])
    workbook.save(path)
    return path


def write_xls(path: Path, rows: list[list[Any]], sheet: str = "企业") -> Path:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    ws = workbook.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, Merge):
                if value.rows > 1 or value.cols > 1:
                    ws.write_merge(r, r + value.rows - 1, c, c + value.cols - 1, value.text)
                else:
                    ws.write(r, c, value.text)
            elif isinstance(value, dt.date):
                ws.write(r, c, value, date_style)
            elif value is not None:
                ws.write(r, c, value)
    workbook.save(str(path))
    return path


def write_ods(path: Path, rows: list[list[Any]], sheet: str = "企业") -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        tr = TableRow()
        for c, value in enumerate(row):
            if (r, c) in covered:
                tr.addElement(CoveredTableCell())
                continue
            if value is None or value == "":
                tr.addElement(TableCell())
                continue
            if isinstance(value, Merge):
                cell = TableCell(valuetype="string", numbercolumnsspanned=value.cols, numberrowsspanned=value.rows)
                covered |= {(r + i, c + j) for i in range(value.rows) for j in range(value.cols)} - {(r, c)}
                text = value.text
            elif isinstance(value, bool | str):
                cell, text = TableCell(valuetype="string"), str(value)
            else:
                cell, text = TableCell(valuetype="float", value=value), str(value)
            cell.addElement(P(text=text))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        for row in rows:
            writer.writerow(["" if v is None else (v.text if isinstance(v, Merge) else v) for v in row])
    return path


WRITERS = {".xlsx": write_xlsx, ".xlsm": write_xlsm, ".xls": write_xls, ".ods": write_ods, ".csv": write_csv}


def entity_bomb(path: Path) -> Path:
    """An xlsx whose shared strings declare the 'billion laughs' entities."""
    good = write_xlsx(path.with_name("good.xlsx"), [["企业名称", "统一社会信用代码"], ["杭州甲科技有限公司", ""]])
    dtd = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                     for i in range(1, 10)) + ']>')
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/sharedStrings.xml":
                data = dtd.encode() + data.split(b"?>", 1)[1].replace(b"<t>", b"<t>&lol9;", 1)
            dst.writestr(item, data)
    return path
