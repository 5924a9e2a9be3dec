"""A horizontal bar chart drawn with QPainter (QtCharts is not part of PySide6-Essentials).

One bar per category, with the category's name on the left and its figure on the right; an optional target is a
dark tick across the bar's row and an optional stretch target a dashed one. A bar that reaches its target is green.
Sizes follow the font, so the chart reads the same at 100 % and 150 % scaling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

BAR = QColor("#3a78c3")
REACHED = QColor("#2e7d32")
TARGET = QColor("#263238")
STRETCH = QColor("#8a8f98")
GRID = QColor("#e3e7ed")


@dataclass(frozen=True)
class BarItem:
    """One category: its figure and, optionally, its target and stretch target."""

    label: str
    value: int
    target: int | None = None
    stretch: int | None = None

    def describe(self) -> str:
        parts = [f"{self.label}：{self.value:,}"]
        if self.target is not None:
            parts.append(f"目标 {self.target:,}")
            if self.target:
                parts.append(f"完成率 {self.value * 100 / self.target:.1f}%")
        if self.stretch is not None:
            parts.append(f"力争 {self.stretch:,}")
        return "，".join(parts)


class BarChart(QWidget):
    """The chart; :meth:`set_items` gives it its data.

    Attributes:
        items: The categories shown, top to bottom.
        value_label: What the bars count (legend).
    """

    def __init__(self, parent: QWidget | None = None, *, value_label: str = "数量") -> None:
        super().__init__(parent)
        self.items: tuple[BarItem, ...] = ()
        self.value_label = value_label
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_items(self, items: Sequence[BarItem]) -> None:
        self.items = tuple(items)
        self.updateGeometry()
        self.update()

    # -- geometry ---------------------------------------------------------------------------------------------------

    def _row_height(self) -> float:
        return self.fontMetrics().height() * 1.7

    def _legend_height(self) -> float:
        return self.fontMetrics().height() * 2.0

    def _has_targets(self) -> bool:
        return any(i.target is not None or i.stretch is not None for i in self.items)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        rows = max(len(self.items), 1)
        height = rows * self._row_height() + self._legend_height() + 8
        return QSize(self.fontMetrics().horizontalAdvance("M") * 36, int(height))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.fontMetrics().horizontalAdvance("M") * 24, self.sizeHint().height())

    def _plot(self) -> tuple[float, float, float]:
        """(x where bars start, their full width, the value at full width)."""
        metrics = self.fontMetrics()
        label_width = max((metrics.horizontalAdvance(i.label) for i in self.items), default=0) + 12
        figure_width = max((metrics.horizontalAdvance(self._figure(i)) for i in self.items), default=0) + 12
        width = max(self.width() - label_width - figure_width - 4, 10)
        top = max((max(i.value, i.target or 0, i.stretch or 0) for i in self.items), default=0)
        return label_width, width, max(top, 1) * 1.05

    def _figure(self, item: BarItem) -> str:
        return f"{item.value:,}" if item.target is None else f"{item.value:,} / {item.target:,}"

    # -- painting ---------------------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_color = self.palette().color(self.foregroundRole())
        if not self.items:
            painter.setPen(text_color)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "暂无数据")
            return
        x0, width, top = self._plot()
        row = self._row_height()
        for n in range(5):
            x = x0 + width * n / 4
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(x, 0), QPointF(x, row * len(self.items)))
        for n, item in enumerate(self.items):
            y = n * row
            painter.setPen(text_color)
            painter.drawText(QRectF(0, y, x0 - 8, row), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             item.label)
            reached = item.target is not None and item.value >= item.target
            bar = QRectF(x0, y + row * 0.2, width * item.value / top, row * 0.6)
            painter.fillRect(bar, REACHED if reached else BAR)
            self._tick(painter, x0 + width * (item.stretch or 0) / top, y, row, STRETCH, Qt.PenStyle.DashLine,
                       item.stretch)
            self._tick(painter, x0 + width * (item.target or 0) / top, y, row, TARGET, Qt.PenStyle.SolidLine,
                       item.target)
            painter.setPen(text_color)
            painter.drawText(QRectF(x0 + width + 6, y, self.width() - x0 - width - 6, row),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self._figure(item))
        self._legend(painter, x0, row * len(self.items) + 4, text_color)

    @staticmethod
    def _tick(painter: QPainter, x: float, y: float, row: float, color: QColor, style: Qt.PenStyle,
              value: int | None) -> None:
        if value is None:
            return
        painter.setPen(QPen(color, 2, style))
        painter.drawLine(QPointF(x, y + row * 0.08), QPointF(x, y + row * 0.92))

    def _legend(self, painter: QPainter, x: float, y: float, text_color: QColor) -> None:
        metrics = self.fontMetrics()
        height = self._legend_height()
        box = metrics.height() * 0.7
        entries: list[tuple[str, QColor, Qt.PenStyle | None]] = [(self.value_label, BAR, None)]
        if self._has_targets():
            entries += [("已达目标", REACHED, None), ("目标（新增数）", TARGET, Qt.PenStyle.SolidLine),
                        ("力争数", STRETCH, Qt.PenStyle.DashLine)]
        mid = y + height / 2
        for label, color, style in entries:
            if style is None:
                painter.fillRect(QRectF(x, mid - box / 2, box, box), color)
            else:
                painter.setPen(QPen(color, 2, style))
                painter.drawLine(QPointF(x + box / 2, mid - box * 0.7), QPointF(x + box / 2, mid + box * 0.7))
            painter.setPen(text_color)
            painter.drawText(QPointF(x + box + 6, mid + metrics.ascent() / 2 - 1), label)
            x += box + 6 + metrics.horizontalAdvance(label) + metrics.horizontalAdvance("M") * 2

    # -- tooltips ---------------------------------------------------------------------------------------------------

    def item_at(self, y: float) -> BarItem | None:
        n = int(y // self._row_height())
        return self.items[n] if 0 <= n < len(self.items) and y >= 0 else None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            item = self.item_at(event.position().y() if hasattr(event, "position") else event.pos().y())
            if item is not None:
                QToolTip.showText(event.globalPos(), item.describe(), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
