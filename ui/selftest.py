"""The GUI layer's part of the self-test (``main.py selftest``): Qt's translations, the icon plug-in, the UI font.

These need Qt, so they live here and are handed to :func:`services.selftest.run_selftest` as extra checks. Nothing
is shown: on a machine without a display (CI) Qt runs on its offscreen platform.
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType

from PySide6.QtCore import QEventLoop, QSize
from PySide6.QtGui import QIcon, QImageReader
from PySide6.QtWidgets import QApplication

from services.database import open_database
from services.paths import data_dir, resources_dir
from services.selftest import CheckFn, SelftestFailure
from ui.app import APP_ICON, create_application
from ui.context import AppContext
from ui.fonts import bundled_font_path, register_bundled_font
from ui.i18n import install_translators
from ui.i18n import tr as translate
from ui.operations import OperationRunner
from ui.settings import UiSettings

#: Qt's own catalogue that turns the standard buttons into 确定 / 取消.
QT_CATALOGUE = "qtbase_zh_CN"


def gui_checks() -> list[CheckFn]:
    """The Qt checks, with the application object created (offscreen when there is no display)."""
    if os.name != "nt" and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return [("Qt 平台与中文翻译", _check_translations), ("程序图标", _check_icon), ("界面字体", _check_font),
            ("主窗口与各页面", _check_main_window)]


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


def _check_main_window() -> str:
    """Open the main window on a new database (offscreen), show every page, let their loads finish, close it.

    A message a page would show the user, or an exception in a slot, fails the check.
    """
    app = create_application()
    messages: list[str] = []
    errors: list[str] = []
    previous_hook = sys.excepthook

    def record(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        errors.append(f"{kind.__name__}: {exc}")

    sys.excepthook = record
    runner = OperationRunner.instance()
    opened = open_database(data_dir() / "window.sqlite")
    try:
        from ui.main_window import MainWindow

        ctx = AppContext(opened=opened, runner=runner, settings=UiSettings(), backup_on_exit=False,
                         sink=lambda _parent, _title, text, _kind: messages.append(text))
        window = MainWindow(ctx)
        window.show()
        for key in window.page_keys():
            window.show_page(key)
            _settle(app, runner)
        pages = len(window.page_keys())
        window.close()
        _settle(app, runner)
    finally:
        sys.excepthook = previous_hook
        opened.close()
    if errors or messages:
        raise SelftestFailure("；".join(errors + messages)[:500])
    return f"{pages} 个页面均可打开"


def _settle(app: QApplication, runner: OperationRunner, seconds: float = 30.0) -> None:
    """Process events until the database worker is idle (at most ``seconds``)."""
    deadline = time.monotonic() + seconds
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    while not runner.is_idle() and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
