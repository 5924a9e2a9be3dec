"""The page shown for an area that is not built yet: its title and what it will offer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.i18n import tr
from ui.pages.style import page_title

if TYPE_CHECKING:
    from ui.pages import PageSpec


class PlaceholderPage(QWidget):
    """A real, readable page for an area under construction.

    Attributes:
        spec: The navigation entry it stands for.
    """

    def __init__(self, spec: PageSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(page_title(tr(spec.title)))

        intro = QLabel(self.tr("这部分功能正在开发中，完成后将提供："))
        layout.addWidget(intro)
        bullets = QLabel("\n".join(f"•  {tr(line)}" for line in spec.bullets))
        bullets.setObjectName("placeholder_bullets")
        bullets.setWordWrap(True)
        bullets.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bullets.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(bullets)
        layout.addStretch(1)
