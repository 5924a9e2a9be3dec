"""Reading a sheet into memory: .xlsx/.xlsm/.xls/.ods through python-calamine, .csv through the csv module.

A sheet comes back as a rectangle of cells from A1, so ``rows[i][j]`` is Excel's row ``i + 1``, column ``j``; cells
keep the type the file gives them (text, float, int, bool, date, datetime), and empty cells are ``""``. Merged
ranges come from calamine for .xlsx and .xls; .ods and .csv have none (the header detection copes without).
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine as calamine

from services.importing.errors import ImportFileError
from services.importing.safety import ImportLimits, check_file

#: A merged range: (first row, first column, last row, last column), 0-based and inclusive.
Merge = tuple[int, int, int, int]


@dataclass(frozen=True)
class SheetData:
    """The cells of one sheet.

    Attributes:
        file_name: The file's name (for messages).
        name: The sheet's name; a CSV file's single sheet is named after the file.
        rows: The cells from A1, every row as wide as the widest.
        merges: Merged ranges, where the format records them.
    """

    file_name: str
    name: str
    rows: list[list[Any]]
    merges: tuple[Merge, ...] = ()

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0


def _calamine_error(exc: Exception, name: str) -> ImportFileError:
    if isinstance(exc, calamine.PasswordError):
        return ImportFileError("工作簿设有密码（已加密），请在 Excel 中取消密码后另存再导入。", file=name)
    if isinstance(exc, calamine.ZipError):
        return ImportFileError("文件已损坏或不完整（压缩包无法读取），请让报送单位重新发送。", file=name)
    if isinstance(exc, calamine.XmlError):
        return ImportFileError(f"文件内部格式错误，无法读取（{exc}）。", file=name)
    return ImportFileError(f"无法读取该表格文件（{exc}）。", file=name)


def _open(path: Path) -> calamine.CalamineWorkbook:
    try:
        return calamine.CalamineWorkbook.from_path(str(path))
    except calamine.CalamineError as exc:
        raise _calamine_error(exc, path.name) from exc


def sheet_names(path: Path, limits: ImportLimits | None = None) -> list[str]:
    """The worksheets of a file, in workbook order (chart sheets and hidden sheets left out)."""
    kind = check_file(path, limits or ImportLimits())
    if kind == "csv":
        return [path.stem]
    workbook = _open(path)
    try:
        return [m.name for m in workbook.sheets_metadata
                if m.typ == calamine.SheetTypeEnum.WorkSheet and m.visible == calamine.SheetVisibleEnum.Visible]
    finally:
        workbook.close()


def read_sheet(path: Path, sheet: str | None = None, limits: ImportLimits | None = None) -> SheetData:
    """The cells of ``sheet`` (default: the first visible worksheet that has any cell).

    Raises:
        ImportFileError: unreadable or hostile file, unknown sheet, empty sheet, more rows or columns than allowed.
    """
    limits = limits or ImportLimits()
    kind = check_file(path, limits)
    data = _read_csv(path, limits) if kind == "csv" else _read_workbook(path, sheet, limits)
    if not any(str(cell).strip() for row in data.rows for cell in row):
        raise ImportFileError("工作表是空的，没有任何数据。", file=data.file_name, sheet=data.name)
    return data


def _check_size(name: str, sheet: str, rows: int, columns: int, limits: ImportLimits) -> None:
    if rows > limits.max_rows:
        raise ImportFileError(
            f"有 {rows:,} 行，超过一次导入的上限 {limits.max_rows:,} 行；请拆分后分批导入。", file=name, sheet=sheet)
    if columns > limits.max_columns:
        raise ImportFileError(f"有 {columns:,} 列，超过上限 {limits.max_columns:,} 列。", file=name, sheet=sheet)


def _read_workbook(path: Path, sheet: str | None, limits: ImportLimits) -> SheetData:
    name = path.name
    workbook = _open(path)
    try:
        visible = [m.name for m in workbook.sheets_metadata
                   if m.typ == calamine.SheetTypeEnum.WorkSheet and m.visible == calamine.SheetVisibleEnum.Visible]
        if sheet is not None and sheet not in visible:
            listed = "、".join(f"“{n}”" for n in visible) or "（无）"
            raise ImportFileError(f"没有名为“{sheet}”的工作表；工作表有：{listed}。", file=name)
        candidates = [sheet] if sheet is not None else visible
        if not candidates:
            raise ImportFileError("工作簿中没有工作表。", file=name)
        for candidate in candidates:
            try:
                data = workbook.get_sheet_by_name(candidate)
            except calamine.CalamineError as exc:
                raise _calamine_error(exc, name) from exc
            if data.end is None and candidate != candidates[-1]:
                continue  # an empty sheet before the one with the data
            rows = data.end[0] + 1 if data.end is not None else 0
            columns = data.end[1] + 1 if data.end is not None else 0
            _check_size(name, candidate, rows, columns, limits)
            cells = data.to_python(skip_empty_area=False) if rows else []
            merges = tuple((r0, c0, r1, c1) for (r0, c0), (r1, c1) in (data.merged_cell_ranges or ()))
            return SheetData(name, candidate, cells, merges)
        raise AssertionError("unreachable: the last candidate always returns")
    finally:
        workbook.close()


def decode_text(raw: bytes, name: str) -> str:
    """CSV text: by its BOM, else strict UTF-8, else GB18030 (which covers GBK and GB2312).

    Raises:
        ImportFileError: binary content, or text in neither encoding.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ImportFileError(f"文件标明为 {encoding.upper()} 编码，但内容无法按此解码。", file=name) from exc
    if b"\x00" in raw:
        raise ImportFileError("文件不是文本表格（含有二进制内容），可能是其他类型的文件改了扩展名。", file=name)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("无法识别文件的文字编码（既不是 UTF-8 也不是 GBK/GB18030）。", file=name)


def _read_csv(path: Path, limits: ImportLimits) -> SheetData:
    name = path.name
    text = decode_text(path.read_bytes(), name)
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Any]] = []
    width = 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            rows.append(row)
            width = max(width, len(row))
            if len(rows) > limits.max_rows:
                _check_size(name, path.stem, len(rows), width, limits)
    except csv.Error as exc:
        raise ImportFileError(f"CSV 格式错误（{exc}）。", file=name, row=len(rows) + 1) from exc
    _check_size(name, path.stem, len(rows), width, limits)
    for row in rows:
        row.extend([""] * (width - len(row)))
    return SheetData(name, path.stem, rows)
