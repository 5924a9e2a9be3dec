"""Help ▸ 关于: version, data folder, and the licences of what the application ships."""

from __future__ import annotations

import html

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from services.paths import data_dir
from services.version import APP_NAME, APP_NAME_CN, __version__
from ui.i18n import tr


def about_text() -> str:
    """The About box's rich text (escaped where it shows paths)."""
    lines = [
        f"<h3>{APP_NAME_CN}（{APP_NAME}）{__version__}</h3>",
        tr("<p>区科技局科创台账：企业库、资质认定、载体、创新券、政策兑现、目标考核与季度报表。</p>"),
        tr("<p>数据文件夹：{0}</p>").format(html.escape(str(data_dir()))),
        tr("<p><b>第三方软件与许可</b></p><ul>"
           "<li>Qt {0} 与 PySide6 {1}（Qt for Python）：GNU LGPL v3 许可。本软件以动态链接方式使用 Qt 库，"
           "您可以用自行构建的兼容版本替换安装目录中的 Qt/PySide6 库文件；Qt 源代码可从 Qt 项目获取。</li>"
           "<li>SQLAlchemy、Alembic、openpyxl、XlsxWriter、platformdirs、defusedxml：MIT 或 BSD 许可。</li>"
           "<li>reportlab：BSD 许可；python-calamine、rapidfuzz、pypinyin：MIT 许可。</li>"
           "<li>界面与报表字体 Droid Sans Fallback：Apache License 2.0（随附于 resources/fonts）。</li>"
           "</ul>").format(qVersion(), pyside_version),
    ]
    return "".join(lines)


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(parent, tr("关于{0}").format(APP_NAME_CN), about_text())
