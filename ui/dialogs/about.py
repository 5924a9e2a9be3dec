"""Help ▸ 关于: version, where the data is, and every licence notice the application ships (services/bundle.py)."""

from __future__ import annotations

import html

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.bundle import NOTICES, read_notice
from services.paths import data_dir, is_portable
from services.version import APP_NAME, APP_NAME_CN, __version__
from ui.i18n import tr


def about_text() -> str:
    """The 关于 tab's rich text (escaped where it shows paths)."""
    mode = tr("便携模式：数据保存在程序旁的 data 文件夹") if is_portable() else tr("数据保存在本机用户的应用数据文件夹")
    return "".join([
        f"<h3>{APP_NAME_CN}（{APP_NAME}）{__version__}</h3>",
        tr("<p>区科技局科创台账：企业库、资质认定、载体、创新券、政策兑现、目标考核与季度报表。</p>"),
        tr("<p>{0}：<br>{1}</p>").format(mode, html.escape(str(data_dir()))),
        tr("<p>本软件按 MIT 许可证发布。界面基于 Qt {0} 与 PySide6 {1}（GNU LGPL 第 3 版，以可替换的动态库随附，"
           "源代码获取方式见“许可证”页），报表字体 Droid Sans Fallback 按 Apache License 2.0 随附。"
           "全部第三方组件及其许可见“许可证”页。</p>").format(qVersion(), pyside_version),
    ])


class AboutDialog(QDialog):
    """Two tabs: 关于 (version, data folder) and 许可证 (the notices, one at a time, in a read-only text view).

    Attributes:
        tabs: The two tabs.
        notices: The list of notices.
        text: The selected notice's text.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("关于{0}").format(APP_NAME_CN))
        self.setObjectName("about_dialog")
        self.resize(860, 560)
        summary = QLabel(about_text())
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.notices = QListWidget()
        self.notices.addItems([tr(notice.title) for notice in NOTICES])
        self.notices.setFixedWidth(self.fontMetrics().horizontalAdvance("M") * 26)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.notices.currentRowChanged.connect(self.show_notice)
        licences = QWidget()
        row = QHBoxLayout(licences)
        row.addWidget(self.notices)
        row.addWidget(self.text, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(summary, self.tr("关于"))
        self.tabs.addTab(licences, self.tr("许可证"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.notices.setCurrentRow(0)

    def show_notice(self, row: int) -> None:
        """Show notice ``row`` of :data:`services.bundle.NOTICES`."""
        if 0 <= row < len(NOTICES):
            self.text.setPlainText(read_notice(NOTICES[row]))
            self.text.moveCursor(self.text.textCursor().MoveOperation.Start)


def show_about(parent: QWidget | None) -> None:
    AboutDialog(parent).exec()
