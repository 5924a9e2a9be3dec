"""PDF pages as images, for the preview and for printing, rendered with PDFium (pypdfium2).

PySide6-Essentials has no QtPdf, and a preview drawn separately from the figures could differ from the file that
is sent; PDFium shows the very PDF that was written, works offline on Windows (the library is inside the wheel) and
renders fast enough to follow page turns. PDFium may not be called from two threads at once, even for different
documents, so every call here holds :data:`PDFIUM_LOCK` (the preview renders on the GUI thread, printing on the
worker).

Documents are read into memory first: the file stays free to be replaced by the next generation (Windows refuses
to replace a file that another handle holds open).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pypdfium2
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QPageLayout, QPainter
from PySide6.QtPrintSupport import QPrinter

from services.errors import UserFacingError
from services.progress import Progress

PDFIUM_LOCK = threading.Lock()
#: Printing renders pages at the printer's resolution, but no finer than this (text stays sharp, memory small).
PRINT_MAX_DPI = 300


class PdfPages:
    """An open PDF: page count, page sizes in points, and pages rendered as images.

    Attributes:
        path: The file it was read from.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        data = path.read_bytes()
        with PDFIUM_LOCK:
            self._doc = pypdfium2.PdfDocument(data)
            self._sizes = [self._doc[i].get_size() for i in range(len(self._doc))]

    def __len__(self) -> int:
        return len(self._sizes)

    def size(self, index: int) -> tuple[float, float]:
        """Width and height of page ``index`` in points."""
        return self._sizes[index]

    def render(self, index: int, scale: float) -> QImage:
        """Page ``index`` at ``scale`` pixels per point, as an opaque image independent of PDFium's buffer."""
        with PDFIUM_LOCK:
            bitmap = self._doc[index].render(scale=scale, prefer_bgrx=True)
            # BGRx bytes are a little-endian 0xffRRGGBB word: Qt's RGB32. copy() detaches from the buffer.
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB32)
            return image.copy()

    def close(self) -> None:
        with PDFIUM_LOCK:
            self._doc.close()


def print_pages(path: Path, printer: QPrinter, progress: Progress | None = None) -> int:
    """Print the PDF at ``path`` on ``printer`` (pages as chosen in the print dialog), each page in its own
    orientation, scaled to the printable area. Safe on a worker thread (QPainter may paint on a QPrinter there).

    Returns:
        The number of pages sent.
    """
    pages = PdfPages(path)
    painter = QPainter()
    sent = 0
    try:
        first, last = printer.fromPage(), printer.toPage()
        chosen = range(first - 1, min(last, len(pages))) if first > 0 else range(len(pages))
        dpi = min(printer.resolution(), PRINT_MAX_DPI)
        for index in chosen:
            if progress is not None:
                progress.update(f"正在打印第 {index + 1} 页", sent, len(chosen))
            width, height = pages.size(index)
            printer.setPageOrientation(QPageLayout.Orientation.Landscape if width > height
                                       else QPageLayout.Orientation.Portrait)
            if sent == 0:
                if not painter.begin(printer):
                    raise UserFacingError("无法开始打印：打印机不可用或输出文件无法写入。")
            elif not printer.newPage():
                raise UserFacingError("打印机拒绝了新的一页，打印已停止。")
            image = pages.render(index, dpi / 72)
            area = printer.pageLayout().paintRectPixels(printer.resolution())
            fitted = image.size().scaled(QSize(area.width(), area.height()), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(0, 0, fitted.width(), fitted.height()), image)
            sent += 1
    except BaseException:
        if painter.isActive():
            printer.abort()  # a cancelled or failed run sends nothing half-done
        raise
    finally:
        if painter.isActive():
            painter.end()
        pages.close()
    return sent

