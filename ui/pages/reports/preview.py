"""The print preview: the generated PDF, one page at a time, fitted to the width of the pane."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ui.pages.reports.pdf_pages import PdfPages

#: Room left around the page inside the scroll area, in pixels.
PAGE_MARGIN = 24


class PdfPreview(QWidget):
    """Shows a PDF page by page.

    Attributes:
        pages: The open document, or None.
        index: The page shown (0-based).
        image_label: Holds the rendered page.
        page_label: "第 X 页 / 共 Y 页".
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages: PdfPages | None = None
        self.index = 0
        self.image_label = QLabel(self.tr("生成报表后在此预览 PDF。"))
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setObjectName("preview_page")
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.image_label)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.previous_button = QPushButton(self.tr("上一页"))
        self.previous_button.clicked.connect(lambda: self.show_page(self.index - 1))
        self.next_button = QPushButton(self.tr("下一页"))
        self.next_button.clicked.connect(lambda: self.show_page(self.index + 1))
        self.page_label = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.previous_button)
        bar.addWidget(self.page_label)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area, 1)
        # Re-render once resizing pauses, not for every pixel the user drags.
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(120)
        self._resized.timeout.connect(self._render)
        self._update_controls()

    def load(self, path: Path | None) -> None:
        """Show the first page of the PDF at ``path`` (None clears the preview)."""
        self.clear()
        if path is None:
            return
        self.pages = PdfPages(path)
        self.show_page(0)

    def clear(self, message: str | None = None) -> None:
        if self.pages is not None:
            self.pages.close()
            self.pages = None
        self.index = 0
        self.image_label.setPixmap(QPixmap())
        self.image_label.setText(message or self.tr("生成报表后在此预览 PDF。"))
        self._update_controls()

    def show_page(self, index: int) -> None:
        if self.pages is None or not 0 <= index < len(self.pages):
            return
        self.index = index
        self._render()
        self._update_controls()

    def _render(self) -> None:
        if self.pages is None:
            return
        width, _height = self.pages.size(self.index)
        available = max(200, self.scroll_area.viewport().width() - PAGE_MARGIN)
        ratio = self.devicePixelRatioF()
        image = self.pages.render(self.index, available / width * ratio)
        image.setDevicePixelRatio(ratio)
        self.image_label.setText("")
        self.image_label.setPixmap(QPixmap.fromImage(image))

    def _update_controls(self) -> None:
        count = len(self.pages) if self.pages is not None else 0
        self.page_label.setText(self.tr("第 {0} 页 / 共 {1} 页").format(self.index + 1, count) if count else "")
        self.previous_button.setEnabled(count > 0 and self.index > 0)
        self.next_button.setEnabled(count > 0 and self.index < count - 1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.pages is not None:
            self._resized.start()
