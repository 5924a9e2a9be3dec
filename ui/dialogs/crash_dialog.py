"""The crash dialog: what happened, a copyable report, where the log is, and whether to go on."""

from __future__ import annotations

import datetime as dt
import platform
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.version import APP_NAME_CN, __version__

#: Lines of the in-memory log attached to the report.
LOG_TAIL_LINES = 60


class CrashDialog(QDialog):
    """Shows an unexpected error with its traceback, the version and the log file.

    ``exec()`` returns :attr:`CONTINUE` or :attr:`QUIT`.
    """

    CONTINUE = 1
    QUIT = 2

    def __init__(self, traceback_text: str, log_path: Path | None, log_tail: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("{0} — 意外错误").format(APP_NAME_CN))
        self.setMinimumSize(640, 440)
        self.report = self._report_text(traceback_text, log_path, log_tail)

        intro = QLabel(self.tr(
            "程序遇到了一个意外错误，刚才的操作可能没有完成；已经保存到数据库的数据不受影响。\n"
            "请点击“复制报告”，把报告连同日志文件发给技术支持。之后可以继续使用，或退出程序后重新打开。"
        ))
        intro.setWordWrap(True)
        log_label = QLabel(self.tr("日志文件：{0}").format(log_path or self.tr("（未写入文件）")))
        log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        log_label.setWordWrap(True)

        self.details = QPlainTextEdit(self.report)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

        buttons = QDialogButtonBox()
        copy = QPushButton(self.tr("复制报告"))
        copy.clicked.connect(self.copy_report)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        quit_button = buttons.addButton(self.tr("退出程序"), QDialogButtonBox.ButtonRole.DestructiveRole)
        quit_button.clicked.connect(lambda: self.done(self.QUIT))
        keep = buttons.addButton(self.tr("继续使用"), QDialogButtonBox.ButtonRole.AcceptRole)
        keep.setDefault(True)
        keep.clicked.connect(lambda: self.done(self.CONTINUE))

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(log_label)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    @staticmethod
    def _report_text(traceback_text: str, log_path: Path | None, log_tail: str) -> str:
        tail = "\n".join(log_tail.splitlines()[-LOG_TAIL_LINES:])
        return (
            f"{APP_NAME_CN} {__version__}\n"
            f"{dt.datetime.now():%Y-%m-%d %H:%M:%S}  Python {platform.python_version()}  {platform.platform()}\n"
            f"log: {log_path or '-'}\n\n{traceback_text}\n--- log tail ---\n{tail}\n"
        )

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
