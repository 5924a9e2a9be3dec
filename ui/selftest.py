"""The GUI layer's part of the self-test (``main.py selftest``): Qt's translations, the icon plug-in, the UI font.

These need Qt, so they live here and are handed to :func:`services.selftest.run_selftest` as extra checks. Nothing
is shown: on a machine without a display (CI) Qt runs on its offscreen platform.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QImageReader

from services.selftest import CheckFn, SelftestFailure
from ui.app import APP_ICON, create_application
from ui.fonts import bundled_font_path, register_bundled_font
from ui.i18n import install_translators
from ui.i18n import tr as translate

#: Qt's own catalogue that turns the standard buttons into 确定 / 取消.
QT_CATALOGUE = "qtbase_zh_CN"


def gui_checks() -> list[CheckFn]:
    """The Qt checks, with the application object created (offscreen when there is no display)."""
    if os.name != "nt" and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return [("Qt 平台与中文翻译", _check_translations), ("程序图标", _check_icon), ("界面字体", _check_font)]


def _check_translations() -> str:
    app = create_application()
    loaded = install_translators(app)
    if QT_CATALOGUE not in loaded:
        raise SelftestFailure(f"找不到 Qt 的中文翻译 {QT_CATALOGUE}.qm，标准按钮会显示英文")
    cancel = translate("Cancel", "QPlatformTheme")
    if cancel != "取消":
        raise SelftestFailure(f"Qt 的中文翻译没有生效（“Cancel” → “{cancel}”）")
    return f"平台 {app.platformName()}，已加载 {'、'.join(loaded)}（“Cancel” → “{cancel}”）"


def _check_icon() -> str:
    create_application()
    if b"svg" not in [bytes(f.data()) for f in QImageReader.supportedImageFormats()]:
        raise SelftestFailure("缺少 Qt 的 SVG 图像插件（imageformats/qsvg），程序图标无法显示")
    from services.paths import resources_dir

    icon = QIcon(str(resources_dir() / APP_ICON))
    if icon.pixmap(QSize(32, 32)).isNull():
        raise SelftestFailure(f"程序图标 {APP_ICON} 无法显示")
    return "SVG 图标可显示"


def _check_font() -> str:
    create_application()
    family = register_bundled_font()
    if family is None:
        raise SelftestFailure(f"无法加载随附字体 {bundled_font_path()}")
    return f"随附字体“{family}”可用"
