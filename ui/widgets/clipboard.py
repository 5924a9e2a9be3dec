"""Copying a table to the clipboard so that it pastes into Excel as cells (and into a text editor as text).

Excel takes the HTML flavour when there is one: each value lands in its own cell, and cells marked as text
(``mso-number-format:"\\@"``) keep their leading zeros and long digit strings — a credit code or a phone number does
not turn into 9.13E+17. Plain text is tab-separated for everything else.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QStringListModel
from PySide6.QtGui import QGuiApplication

Cell = str | int | float | None


def _tsv_cell(value: Cell) -> str:
    text = "" if value is None else str(value)
    return text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ")


def _html_cell(value: Cell, tag: str) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"<{tag}>{value}</{tag}>"
    text = html.escape("" if value is None else str(value))
    return f"<{tag} style='mso-number-format:\"\\@\"'>{text}</{tag}>"


def _native_mime() -> QMimeData:
    """An empty QMimeData made by Qt itself.

    One constructed from Python is a PySide subclass whose destructor calls back into Python; the clipboard keeps
    it and deletes it when the application object is destroyed, after Python has shut down, and the process
    crashes on exit (PySide6 6.11, seen offscreen and with a plain script). A model's ``mimeData()`` builds a plain
    QMimeData in C++, which the clipboard can delete safely.
    """
    model = QStringListModel([""])
    mime = model.mimeData([model.index(0)])
    for fmt in mime.formats():
        mime.removeFormat(fmt)
    return mime


def table_mime(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> QMimeData:
    """The table as clipboard data: HTML (for Excel) and tab-separated text."""
    lines = ["\t".join(_tsv_cell(h) for h in headers)]
    lines += ["\t".join(_tsv_cell(v) for v in row) for row in rows]
    body = ["<tr>" + "".join(_html_cell(h, "th") for h in headers) + "</tr>"]
    body += ["<tr>" + "".join(_html_cell(v, "td") for v in row) + "</tr>" for row in rows]
    mime = _native_mime()
    mime.setText("\r\n".join(lines) + "\r\n")
    mime.setHtml("<html><head><meta charset='utf-8'></head><body><table border='1'>"
                 + "".join(body) + "</table></body></html>")
    return mime


def copy_table(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    """Put the table on the system clipboard."""
    QGuiApplication.clipboard().setMimeData(table_mime(headers, rows))
