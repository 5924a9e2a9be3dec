"""First run: no database in the data folder yet — start an empty one for the bureau, or look around in the demo.

For an empty database the dialog asks for the district and the bureau's name (printed on every report) and creates
the first account, an administrator, who is signed in at once. Creating runs on the database worker; a problem is
shown beside its field and nothing typed is lost. The demo choice opens (building it on first use) the demo
database, as ``--demo`` does.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from services.database import OpenDatabase
from services.errors import UserFacingError, ValidationError
from services.first_run import (
    DEFAULT_DISTRICT,
    FirstRunResult,
    NewDatabase,
    create_first_database,
    default_bureau_name,
    district_choices,
)
from services.paths import data_dir
from services.users import MIN_PASSWORD, sign_in
from ui.errors import MessageSink, show_error
from ui.operations import Op, OperationRunner
from ui.widgets.form_field import ERROR_COLOR, FieldForm

log = logging.getLogger("app.init")

#: The database the first-run dialog created and signed its administrator in to (no second log-in for it).
_signed_in: list[OpenDatabase] = []


class FirstRunDialog(QDialog):
    """The first-run choices; accepted once the empty database exists, or at once for the demo.

    Attributes:
        empty_choice, demo_choice: The two radio buttons.
        form: District, bureau, user name, name, password and its repetition.
        message: Problems that belong to no field.
        result_value: The created database and administrator, after an accepted empty-database choice.
    """

    def __init__(self, runner: OperationRunner | None = None, sink: MessageSink | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("欢迎使用科创台账 — 首次设置"))
        self.setObjectName("first_run_dialog")
        self._runner = runner
        self._sink = sink
        self._running = False
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
        self.form = FieldForm()
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
        box_layout.addWidget(self.form)

        self.message = QLabel()
        self.message.setObjectName("form_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("开始使用"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        for widget in (intro, self.empty_choice, self.demo_choice, self.settings_box, self.message, self.buttons):
            layout.addWidget(widget)

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
        if self._running:
            return
        if self.demo:
            self.accept()
            return
        self.show_problems({})
        choice = self.choice()
        self._running = True
        self.buttons.setEnabled(False)
        Op(self, lambda _progress: create_first_database(choice)) \
            .with_progress(self.tr("正在建立数据库…")) \
            .success(self._created).failure(self._failed).on_done(self._finished).run(self._runner)

    def _finished(self) -> None:
        self._running = False
        self.buttons.setEnabled(True)

    def _created(self, result: FirstRunResult) -> None:
        self.result_value = result
        sign_in(result.actor)
        _signed_in.append(result.opened)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.show_problems(exc.problems)
        elif isinstance(exc, UserFacingError):
            self.message.setText(str(exc))
            self.message.show()
        else:
            show_error(self, exc, sink=self._sink)

    def show_problems(self, problems: dict[str, str]) -> None:
        rest = self.form.set_problems(problems)
        self.message.setText("；".join(rest.values()))
        self.message.setVisible(bool(rest))


def signed_in_at_first_run(opened: OpenDatabase) -> bool:
    """Whether ``opened`` was just created by the first-run dialog, its administrator already signed in."""
    return any(candidate is opened for candidate in _signed_in)
