"""Signing in: asked at start-up once the database has accounts (single-user databases open directly)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from services.database import OpenDatabase
from services.errors import UserFacingError
from services.users import Actor, accounts_exist, authenticate, sign_in
from ui.operations import Op, OperationRunner, run_and_wait


class LoginDialog(QDialog):
    """User name and password; 登录 checks them on the database worker and stays open on a wrong password.

    Attributes:
        actor: The signed-in user once accepted.
    """

    def __init__(self, opened: OpenDatabase, runner: OperationRunner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登录 — 科创台账"))
        self._opened = opened
        self._runner = runner
        self.actor: Actor | None = None
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("数据库：{0}").format(opened.db.display_name())))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def try_login(self) -> None:
        db, username, password = self._opened.db, self.username.text(), self.password.text()
        try:
            self.actor = run_and_wait(Op(self, lambda _p: authenticate(db, username, password)), self._runner)
        except UserFacingError as exc:
            self.message.setText(str(exc))
            self.password.clear()
            self.password.setFocus()
            return
        sign_in(self.actor)
        self.accept()


def sign_in_for_gui(opened: OpenDatabase, runner: OperationRunner | None = None) -> bool:
    """Sign in before the main window opens; False when the user cancelled."""
    if not run_and_wait(Op(None, lambda _p: accounts_exist(opened.db)), runner):
        sign_in(None)
        return True
    return LoginDialog(opened, runner).exec() == QDialog.DialogCode.Accepted
