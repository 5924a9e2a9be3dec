"""New account, or changes to an existing one (role, enabled, password)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from services.users import ROLES, UserInfo


class UserDialog(QDialog):
    """Collects what :mod:`services.users` needs; the page runs the change and shows refusals.

    Attributes:
        existing: The account being changed, or None for a new one.
    """

    def __init__(self, existing: UserInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.existing = existing
        self.setWindowTitle(self.tr("新建用户") if existing is None else self.tr("修改用户"))
        self.username = QLineEdit(existing.username if existing else "")
        self.username.setReadOnly(existing is not None)
        self.display_name = QLineEdit(existing.display_name if existing else "")
        self.display_name.setReadOnly(existing is not None)
        self.role = QComboBox()
        for key, label in ROLES.items():
            self.role.addItem(self.tr(label), key)
        self.role.setCurrentIndex(self.role.findData(existing.role if existing else "clerk"))
        self.active = QCheckBox(self.tr("启用"))
        self.active.setChecked(existing.active if existing else True)
        self.active.setEnabled(existing is not None)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("姓名"), self.display_name)
        form.addRow(self.tr("角色"), self.role)
        form.addRow("", self.active)
        hint = self.tr("新密码（不改请留空）") if existing else self.tr("密码")
        form.addRow(hint, self.password)
        form.addRow(self.tr("再输一次"), self.repeat)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if self.password.text() != self.repeat.text():
            self.message.setText(self.tr("两次输入的密码不一致"))
            return
        if self.existing is None and not self.password.text():
            self.message.setText(self.tr("请设置密码"))
            return
        self.accept()
