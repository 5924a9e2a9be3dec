"""Errors of an import: a file that cannot be used at all, and the problems of single rows."""

from __future__ import annotations

from dataclasses import dataclass

from services.errors import UserFacingError


def column_letter(index: int) -> str:
    """Excel's name of a 0-based column index: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def where(file: str, sheet: str | None = None, row: int | None = None, column: int | None = None) -> str:
    """The place of a problem as a clerk finds it in Excel: 文件“a.xlsx”，工作表“企业”，第 5 行，C 列."""
    parts = [f"文件“{file}”"]
    if sheet:
        parts.append(f"工作表“{sheet}”")
    if row is not None:
        parts.append(f"第 {row} 行")
    if column is not None:
        parts.append(f"{column_letter(column)} 列")
    return "，".join(parts)


class ImportFileError(UserFacingError):
    """The file cannot be imported at all (exit status 2): unreadable, hostile, empty, no header, wrong kind.

    Attributes:
        file: The file's name.
        sheet: The sheet, where it matters.
        row: Excel row number (1-based), where it matters.
        column: 0-based column index, where it matters.
    """

    def __init__(self, problem: str, *, file: str, sheet: str | None = None, row: int | None = None,
                 column: int | None = None) -> None:
        self.problem = problem
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        super().__init__(f"{where(file, sheet, row, column)}：{problem}")


@dataclass(frozen=True)
class RowIssue:
    """One problem of one data row, as the JSON summary lists it.

    Attributes:
        row: Excel row number (1-based, in the sheet).
        column: Excel column letter, or None when the problem is the row's as a whole.
        code: Stable error code: uscc_invalid, name_missing, duplicate_conflict, subdistrict_unknown …
        message: Chinese explanation.
    """

    row: int
    column: str | None
    code: str
    message: str

    def as_json(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}
