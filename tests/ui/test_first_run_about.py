"""Help ▸ 关于: the version, the data folder and every licence notice the installed application ships."""

from __future__ import annotations

from typing import Any

from PySide6 import __version__ as pyside_version
from pytestqt.qtbot import QtBot

from services.bundle import NOTICES
from services.paths import data_dir
from services.version import __version__
from tests.ui.test_first_run import when_shown
from ui.dialogs.about import AboutDialog
from ui.main_window import MainWindow


def test_help_about_shows_version_data_folder_and_each_licence_notice(qtbot: QtBot, window: MainWindow) -> None:
    seen: dict[str, Any] = {}

    def inspect(dialog: AboutDialog) -> None:
        seen["tabs"] = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
        seen["summary"] = dialog.tabs.widget(0).text()
        seen["notices"] = {}
        for row in range(dialog.notices.count()):
            dialog.notices.setCurrentRow(row)
            seen["notices"][dialog.notices.item(row).text()] = dialog.text.toPlainText()
        dialog.accept()

    when_shown(AboutDialog, inspect)
    window.about_action.trigger()

    assert seen["tabs"] == ["关于", "许可证"]
    assert __version__ in seen["summary"] and str(data_dir()) in seen["summary"]
    notices = seen["notices"]
    assert list(notices) == [notice.title for notice in NOTICES]
    assert "MIT License" in notices["本软件（MIT 许可）"]
    qt_notice = next(text for title, text in notices.items() if title.startswith("Qt / PySide6"))
    assert f"PySide6-{pyside_version}-src" in qt_notice and "download.qt.io" in qt_notice
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in notices["GNU LGPL 第 3 版全文"]
    assert "Apache License" in next(text for title, text in notices.items() if title.startswith("字体"))
    third_party = notices["第三方组件清单"]
    for name in ("SQLAlchemy", "reportlab", "PySide6_Essentials", "pypdfium2", "psycopg-binary"):
        assert f"\n{name} | " in third_party
    assert all(not text.startswith("（缺少文件") for text in notices.values())
