"""Render the SVG application icon to a multi-size Windows ``.ico`` for the executables and the installer.

Qt draws the SVG (offscreen, no display needed) and Pillow, which the application ships anyway as reportlab's
dependency, writes the ``.ico``.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Sizes Windows picks from: list views, the taskbar, the desktop, large icons.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_ico(svg: Path, ico: Path) -> Path:
    """Write ``ico`` from ``svg`` (every size of :data:`ICO_SIZES`) and return it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read the icon {svg}")
    size = max(ICO_SIZES)
    image = QImage(size, size, QImage.Format.Format_RGBA8888)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    png = ico.with_suffix(".png")
    ico.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(png)):  # the format follows the .png suffix
        raise SystemExit(f"cannot write {png}")
    with Image.open(png) as picture:
        picture.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    del app
    return ico
