"""Small building blocks that keep the pages' look consistent (title size, card frames, spacing)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

#: Relative font sizes, so that everything scales with the UI font and the screen's scaling.
TITLE_SCALE = 1.6
NUMBER_SCALE = 2.0


def scaled_font(widget: QWidget, scale: float, *, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("page_title")
    label.setFont(scaled_font(label, TITLE_SCALE, bold=True))
    return label


class NumberCard(QFrame):
    """A framed headline number with its caption underneath.

    Attributes:
        value: The label holding the number.
    """

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 16)
        self.value = QLabel("—")
        self.value.setFont(scaled_font(self.value, NUMBER_SCALE, bold=True))
        caption_label = QLabel(caption)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(4)
        layout.addWidget(self.value)
        layout.addWidget(caption_label)

    def set_value(self, value: int) -> None:
        self.value.setText(f"{value:,}")
