"""Export of an enterprise list view (its ids, in order, and its visible columns) to an xlsx workbook.

Text stays text (:mod:`services.exporting.xlsx`): a name such as ``=HYPERLINK(…)`` is written as a string cell,
never a formula. Dates are dates and amounts numbers, so Excel sorts and sums them. Rows are read a page at a time
and the workbook streams to disk (xlsxwriter's constant-memory mode), so 100,000 rows need little memory; the file
appears under its name only when complete, and a cancel leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from models.db import Database
from services.enterprise_list import COLUMNS, list_rows
from services.errors import UserFacingError
from services.exporting.xlsx import new_workbook, write_text
from services.progress import Progress

PAGE = 1000
_LABELS = {c.key: c.label for c in COLUMNS}


def export_rows(db: Database, path: Path, ids: Sequence[int], keys: Sequence[str], *, as_of: dt.date | None = None,
                progress: Progress | None = None, sheet_name: str = "企业名单") -> int:
    """Write the rows of ``ids`` with the columns ``keys`` to ``path``; returns the number of rows written.

    Raises:
        UserFacingError: the file cannot be written (open in Excel, no permission, disk full).
        services.progress.Cancelled: the user cancelled (no file is left).
    """
    unknown = [k for k in keys if k not in _LABELS]
    if unknown:
        raise ValueError(f"unknown columns {unknown}")
    progress = progress or Progress()
    partial = path.with_name(f".{path.name}.part")
    try:
        written = _write(db, partial, ids, keys, as_of, progress, sheet_name)
        os.replace(partial, path)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UserFacingError(f"无法写入文件“{path}”：{reason}。如文件已在 Excel 中打开，请先关闭。") from exc
    finally:
        partial.unlink(missing_ok=True)
    return written


def _write(db: Database, path: Path, ids: Sequence[int], keys: Sequence[str], as_of: dt.date | None,
           progress: Progress, sheet_name: str) -> int:
    progress.update("正在导出企业名单…", 0, len(ids))
    book = new_workbook(path, constant_memory=True)
    try:
        sheet = book.add_worksheet(sheet_name)
        header = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1})
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        money = book.add_format({"num_format": "#,##0.00"})
        for col, key in enumerate(keys):
            write_text(sheet, 0, col, _LABELS[key], header)
            sheet.set_column(col, col, 40 if key in ("name", "address", "former_names") else 16)
        sheet.freeze_panes(1, 0)
        row_no = 0
        for start in range(0, len(ids), PAGE):
            for row in list_rows(db, ids[start:start + PAGE], as_of=as_of):
                row_no += 1
                for col, key in enumerate(keys):
                    value = row.value(key)
                    if isinstance(value, dt.datetime):
                        sheet.write_datetime(row_no, col, value.astimezone().replace(tzinfo=None), stamp)
                    elif isinstance(value, dt.date):
                        sheet.write_datetime(row_no, col, dt.datetime.combine(value, dt.time()), date)
                    elif isinstance(value, Decimal):
                        sheet.write_number(row_no, col, float(value), money)
                    elif isinstance(value, int) and not isinstance(value, bool):
                        sheet.write_number(row_no, col, value)
                    else:
                        write_text(sheet, row_no, col, None if value is None else str(value))
            progress.update(value=min(start + PAGE, len(ids)))
        sheet.autofilter(0, 0, max(row_no, 1), len(keys) - 1)
    finally:
        book.close()
    return row_no
