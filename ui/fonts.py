"""The UI font: a CJK font the machine has, else the bundled Droid Sans Fallback (resources/fonts/README.md)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from services.paths import resources_dir

log = logging.getLogger("app.init")

#: Installed CJK families in order of preference: Windows first (what clerks have), then common Linux/macOS ones.
PREFERRED_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "SimSun",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "PingFang SC",
)
BUNDLED_FONT = "DroidSansFallbackFull.ttf"
#: Chinese at 9 pt is hard on the eyes over a working day; 10 pt stays compact at 150 % scaling too.
MIN_POINT_SIZE = 10.0


def bundled_font_path() -> Path:
    return resources_dir() / "fonts" / BUNDLED_FONT


def register_bundled_font() -> str | None:
    """Register the bundled TrueType font with Qt and return its family name (None if it cannot be loaded)."""
    font_id = QFontDatabase.addApplicationFont(str(bundled_font_path()))
    if font_id < 0:
        log.warning("bundled font %s could not be loaded", bundled_font_path())
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    return families[0] if families else None


def choose_family(installed: set[str]) -> str | None:
    """The first preferred CJK family among ``installed``, or None."""
    return next((family for family in PREFERRED_FAMILIES if family in installed), None)


def apply_ui_font(app: QApplication) -> str:
    """Set the application font to a CJK family and a readable size.

    Returns:
        The family in use.
    """
    family = choose_family(set(QFontDatabase.families())) or register_bundled_font()
    font = QFont(app.font())
    if family:
        font.setFamilies([family])
    font.setPointSizeF(max(font.pointSizeF(), MIN_POINT_SIZE))
    app.setFont(font)
    log.info("UI font: %s %.1f pt", family or font.family(), font.pointSizeF())
    return family or font.family()
