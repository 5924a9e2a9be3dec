"""First run: no database in the data folder yet — start an empty one for the bureau, or look around in the demo.

For an empty database the dialog asks for the district and the bureau's name (printed on every report) and creates
the first account, an administrator, who is signed in at once. Creating runs on the database worker; a problem is
shown beside its field and nothing typed is lost. The demo choice opens (building it on first use) the demo
database, as ``--demo`` does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from services.database import OpenDatabase
from services.first_run import (
    DEFAULT_DISTRICT,
    FirstRunResult,
    NewDatabase,
    create_first_database,
    default_bureau_name,
    district_choices,
)
from services.paths import data_dir
from services.progress import Progress
from services.users import MIN_PASSWORD, sign_in
from ui.errors import MessageSink
from ui.operations import OperationRunner
from ui.widgets.form_dialog import FormDialogBase

log = logging.getLogger("app.init")

#: The database the first-run dialog created and signed its administrator in to (no second log-in for it).
_signed_in: list[OpenDatabase] = []


class FirstRunDialog(FormDialogBase):
    """The first-run choices; accepted once the empty database exists, or at once for the demo.

    Attributes:
        empty_choice, demo_choice: The two radio buttons.
        form: District, bureau, user name, name, password and its repetition.
        message: Problems that belong to no field.
        result_value: The created database and administrator, after an accepted empty-database choice.
    """

    def __init__(self, runner: OperationRunner | None = None, sink: MessageSink | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, sink, self.tr("欢迎使用科创台账 — 首次设置"), parent)
        self.setObjectName("first_run_dialog")
        self.progress_label = self.tr("正在建立数据库…")
        self.result_value: FirstRunResult | None = None

        intro = QLabel(self.tr("这台电脑上还没有科创台账的数据库。数据将保存在：\n{0}").format(data_dir()))
        intro.setWordWrap(True)
        self.empty_choice = QRadioButton(self.tr("新建空数据库（正式使用本单位的数据）"))
        self.demo_choice = QRadioButton(self.tr("打开演示数据库（拱墅区，约两千家虚构企业，用于熟悉软件；"
                                                "以后仍可新建正式数据库）"))
        self.empty_choice.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.empty_choice)
        group.addButton(self.demo_choice)
        self.empty_choice.toggled.connect(self._choice_changed)

        self.district = QComboBox()
        self.district.addItems(district_choices())
        self.district.setCurrentText(DEFAULT_DISTRICT)
        self.bureau_name = QLineEdit(default_bureau_name(DEFAULT_DISTRICT))
        self._suggested_bureau = self.bureau_name.text()
        self.district.currentTextChanged.connect(self._district_changed)
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.password = QLineEdit()
        self.password_again = QLineEdit()
        for editor in (self.password, self.password_again):
            editor.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.add("district", self.tr("所属区县"), self.district, required=True)
        self.form.add("bureau_name", self.tr("单位名称"), self.bureau_name, required=True,
                      hint=self.tr("打印在报表上"))
        self.form.add("username", self.tr("管理员用户名"), self.username, required=True,
                      hint=self.tr("登录时使用"))
        self.form.add("display_name", self.tr("姓名"), self.display_name, hint=self.tr("记入修改日志"))
        self.form.add("password", self.tr("密码"), self.password, required=True,
                      hint=self.tr("至少 {0} 位").format(MIN_PASSWORD))
        self.form.add("password_again", self.tr("再次输入密码"), self.password_again, required=True)
        self.settings_box = QGroupBox(self.tr("本单位与第一个账户（管理员）"))
        box_layout = QVBoxLayout(self.settings_box)

        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.ok_button.setText(self.tr("开始使用"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))

        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.removeWidget(self.form)
        box_layout.addWidget(self.form)
        layout.setSpacing(10)
        for position, widget in enumerate((intro, self.empty_choice, self.demo_choice, self.settings_box)):
            layout.insertWidget(position, widget)

    @property
    def demo(self) -> bool:
        return self.demo_choice.isChecked()

    def _choice_changed(self) -> None:
        self.settings_box.setEnabled(not self.demo)
        self.ok_button.setText(self.tr("打开演示数据库") if self.demo else self.tr("开始使用"))

    def _district_changed(self, district: str) -> None:
        """Follow the district with the suggested bureau name, unless the user wrote their own."""
        if self.bureau_name.text() == self._suggested_bureau:
            self.bureau_name.setText(default_bureau_name(district))
        self._suggested_bureau = default_bureau_name(district)

    def choice(self) -> NewDatabase:
        return NewDatabase(district=self.district.currentText(), bureau_name=self.bureau_name.text(),
                           username=self.username.text(), display_name=self.display_name.text(),
                           password=self.password.text(), password_again=self.password_again.text())

    def submit(self) -> None:
        """开始使用: the demo at once; an empty database created on the worker, problems shown by field."""
        if self.demo and not self._running:
            self.accept()
            return
        super().submit()

    def work(self) -> Callable[[Progress], FirstRunResult]:
        choice = self.choice()
        return lambda _progress: create_first_database(choice)

    def _succeeded(self, result: FirstRunResult) -> None:
        sign_in(result.actor)
        _signed_in.append(result.opened)
        super()._succeeded(result)


def signed_in_at_first_run(opened: OpenDatabase) -> bool:
    """Whether ``opened`` was just created by the first-run dialog, its administrator already signed in."""
    return any(candidate is opened for candidate in _signed_in)
