"""备份与设置: back up now, restore from a backup, check the database, and the bureau's own settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.backup import BackupInfo, backup_database, check_database, list_backups
from services.db_check import CheckReport
from services.paths import backup_dir_for
from services.restore_flow import RestoreOutcome, restore_open_database
from services.settings import district_names, get_settings, save_settings
from services.users import (
    ROLES,
    UserInfo,
    create_user,
    current_actor,
    list_users,
    set_password,
    set_role,
    unlock_user,
)
from ui.context import AppContext
from ui.dialogs.user_dialog import UserDialog
from ui.errors import inform, show_error
from ui.operations import Changes, Op
from ui.pages.style import page_title

Loaded = tuple[list[BackupInfo], list[str], dict[str, str], list[UserInfo]]
REASONS = {
    "manual": "手动备份", "exit": "退出时", "before-migration": "升级前", "before-restore": "恢复前",
    "before-import": "导入前",
}


class SettingsPage(QWidget):
    """The backup and settings page.

    Attributes:
        backups: The backups of the open database, newest first (rows of ``backup_table``).
        check_output: What the last integrity check said.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.backups: list[BackupInfo] = []
        self.users: list[UserInfo] = []

        self.backup_table = QTableWidget(0, 4)
        self.backup_table.setHorizontalHeaderLabels([self.tr("时间"), self.tr("原因"), self.tr("大小"),
                                                     self.tr("结构版本")])
        self.backup_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backup_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backup_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backup_table.verticalHeader().setVisible(False)
        self.backup_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.backup_table.horizontalHeader().setStretchLastSection(True)
        self.backup_table.doubleClicked.connect(lambda _index: self.restore_selected())

        self.backup_button = QPushButton(self.tr("立即备份"))
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(self.tr("从所选备份恢复…"))
        self.restore_button.clicked.connect(self.restore_selected)
        restore_file = QPushButton(self.tr("从其他文件恢复…"))
        restore_file.clicked.connect(self.restore_from_file)
        open_folder = QPushButton(self.tr("打开备份文件夹"))
        open_folder.clicked.connect(self.open_backup_folder)
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, restore_file, open_folder):
            buttons.addWidget(button)
        buttons.addStretch(1)
        backup_box = QGroupBox(self.tr("备份与恢复"))
        backup_layout = QVBoxLayout(backup_box)
        backup_layout.addLayout(buttons)
        backup_layout.addWidget(self.backup_table)

        self.check_button = QPushButton(self.tr("检查数据库完整性"))
        self.check_button.clicked.connect(self.run_check)
        self.check_output = QPlainTextEdit()
        self.check_output.setReadOnly(True)
        self.check_output.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        check_box = QGroupBox(self.tr("完整性检查"))
        check_layout = QVBoxLayout(check_box)
        check_layout.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        check_layout.addWidget(self.check_output)

        self.district = QComboBox()
        self.bureau = QLineEdit()
        save = QPushButton(self.tr("保存设置"))
        save.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow(self.tr("所属区县"), self.district)
        form.addRow(self.tr("单位名称（用于报表）"), self.bureau)
        form.addRow("", save)
        unit_box = QGroupBox(self.tr("单位设置"))
        unit_box.setLayout(form)

        self.user_table = QTableWidget(0, 4)
        self.user_table.setHorizontalHeaderLabels([self.tr("用户名"), self.tr("姓名"), self.tr("角色"),
                                                   self.tr("状态")])
        self.user_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.user_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.user_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.user_table.verticalHeader().setVisible(False)
        self.user_table.horizontalHeader().setStretchLastSection(True)
        self.user_table.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        self.user_table.doubleClicked.connect(lambda _index: self.edit_user())
        add_user = QPushButton(self.tr("新建用户…"))
        add_user.clicked.connect(self.new_user)
        edit_user = QPushButton(self.tr("修改所选用户…"))
        edit_user.clicked.connect(self.edit_user)
        self.unlock_button = QPushButton(self.tr("解锁所选用户"))
        self.unlock_button.setToolTip(self.tr("密码连续输错被锁定的账户，可由管理员立即解锁"))
        self.unlock_button.clicked.connect(self.unlock_selected)
        self.user_note = QLabel(self.tr("尚未建立账户：本机使用者即为管理员。建立第一个管理员账户后，启动时需要登录。"))
        self.user_note.setWordWrap(True)
        user_buttons = QHBoxLayout()
        user_buttons.addWidget(add_user)
        user_buttons.addWidget(edit_user)
        user_buttons.addWidget(self.unlock_button)
        user_buttons.addStretch(1)
        user_box = QGroupBox(self.tr("用户与角色"))
        user_layout = QVBoxLayout(user_box)
        user_layout.addWidget(self.user_note)
        user_layout.addLayout(user_buttons)
        user_layout.addWidget(self.user_table)

        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("备份与设置")))
        layout.addWidget(backup_box, 1)
        layout.addWidget(check_box)
        columns = QHBoxLayout()
        columns.addWidget(unit_box, 1)
        columns.addWidget(user_box, 1)
        layout.addLayout(columns)
        ctx.runner.operation_did_execute.connect(self._on_changes)
        self.reload()

    # -- loading ------------------------------------------------------------------------------------------------

    def reload(self) -> None:
        db = self.ctx.opened.db
        path = db.path

        def load(_p: object) -> Loaded:
            return ((list_backups(path) if path is not None else []), district_names(db), get_settings(db),
                    list_users(db))

        Op(self, load).success(self._show).run(self.ctx.runner)

    def _show(self, loaded: Loaded) -> None:
        self.backups, districts, settings, self.users = loaded
        self.user_note.setVisible(not any(u.active for u in self.users))
        self.user_table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            cells = (user.username, user.display_name, self.tr(ROLES[user.role]), self._state(user))
            for column, text in enumerate(cells):
                self.user_table.setItem(row, column, QTableWidgetItem(text))
        self.backup_table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            cells = (info.created_at.strftime("%Y-%m-%d %H:%M:%S"), self.tr(REASONS.get(info.reason, info.reason)),
                     f"{info.size_bytes / 1_048_576:.1f} MB", info.revision or self.tr("无法读取"))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(info.path))
                self.backup_table.setItem(row, column, item)
        if self.backups:
            self.backup_table.selectRow(0)
        file_db = self.ctx.opened.db.path is not None
        for button in (self.backup_button, self.restore_button):
            button.setEnabled(file_db)
        self.district.clear()
        self.district.addItems(districts)
        self.district.setCurrentText(settings["district"])
        self.bureau.setText(settings["bureau_name"])

    def _on_changes(self, changes: Changes, _initiator: object) -> None:
        if changes.settings or changes == Changes.everything():
            self.reload()

    # -- actions ------------------------------------------------------------------------------------------------

    def backup_now(self) -> None:
        db = self.ctx.opened.db
        Op(self, lambda progress: backup_database(db, reason="manual", progress=progress)) \
            .with_progress(self.tr("正在备份数据库…")) \
            .success(lambda info: (inform(self, self.tr("已备份到：\n{0}").format(info.path), sink=self.ctx.sink),
                                   self.reload())) \
            .failure(self._error).run(self.ctx.runner)

    def restore_selected(self) -> None:
        row = self.backup_table.currentRow()
        if 0 <= row < len(self.backups):
            self.restore(self.backups[row].path)

    def restore_from_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择备份文件"), str(self._backup_folder() or ""),
                                              self.tr("科创台账数据库 (*.sqlite *.db);;所有文件 (*)"))
        if path:
            self.restore(Path(path))

    def restore(self, backup_file: Path) -> None:
        """Ask, then restore ``backup_file`` into the open database (which is backed up first)."""
        question = self.tr("用备份“{0}”替换当前数据库？\n\n当前数据库会先另存一份备份（“恢复前”），"
                           "恢复后可以再恢复回来。").format(backup_file.name)
        if not self._confirm(question):
            return
        opened = self.ctx.opened
        Op(self, lambda progress: restore_open_database(opened, backup_file, progress)) \
            .with_progress(self.tr("正在恢复数据库…")).success(self._restored).failure(self._error) \
            .run(self.ctx.runner)

    def _restored(self, outcome: RestoreOutcome) -> None:
        window = self.window()
        if hasattr(window, "use_database"):
            window.use_database(outcome.opened)
        else:
            self.ctx.opened = outcome.opened
            self.ctx.runner.operation_did_execute.emit(Changes.everything(), self)
        if outcome.error is not None:
            show_error(self, outcome.error, sink=self.ctx.sink)
        elif outcome.result is not None:
            inform(self, outcome.result.describe(), sink=self.ctx.sink)
        self.reload()

    def run_check(self) -> None:
        db = self.ctx.opened.db
        self.check_output.setPlainText(self.tr("正在检查…"))

        def shown(report: CheckReport) -> None:
            self.check_output.setPlainText(report.describe())

        Op(self, lambda _p: check_database(db)).with_progress(self.tr("正在检查数据库…")).success(shown) \
            .failure(self._error).run(self.ctx.runner)

    def save(self) -> None:
        db = self.ctx.opened.db
        values = {"district": self.district.currentText(), "bureau_name": self.bureau.text()}
        Op(self, lambda _p: save_settings(db, values)).changes(Changes(settings=True)) \
            .success(lambda _v: inform(self, self.tr("设置已保存。"), sink=self.ctx.sink)) \
            .failure(self._error).run(self.ctx.runner)

    def new_user(self) -> None:
        dialog = UserDialog(parent=self)
        if self._ask(dialog):
            db, actor = self.ctx.opened.db, current_actor()
            values = (dialog.username.text(), dialog.display_name.text(), dialog.role.currentData(),
                      dialog.password.text())
            Op(self, lambda _p: create_user(db, actor, *values)).changes(Changes(settings=True)) \
                .success(lambda _u: self.reload()).failure(self._error).run(self.ctx.runner)

    def edit_user(self) -> None:
        row = self.user_table.currentRow()
        if not 0 <= row < len(self.users):
            return
        user = self.users[row]
        dialog = UserDialog(user, parent=self)
        if self._ask(dialog):
            db, actor = self.ctx.opened.db, current_actor()
            role, active, password = dialog.role.currentData(), dialog.active.isChecked(), dialog.password.text()

            def change(_p: object) -> None:
                set_role(db, actor, user.username, role, active)
                if password:
                    set_password(db, actor, user.username, password)

            Op(self, change).changes(Changes(settings=True)).success(lambda _r: self.reload()) \
                .failure(self._error).run(self.ctx.runner)

    def _state(self, user: UserInfo) -> str:
        if not user.active:
            return self.tr("停用")
        if user.locked_until is not None:
            return self.tr("已锁定（至 {time}）").format(time=f"{user.locked_until.astimezone():%H:%M}")
        return self.tr("启用")

    def unlock_selected(self) -> None:
        row = self.user_table.currentRow()
        if not 0 <= row < len(self.users):
            return
        db, actor, username = self.ctx.opened.db, current_actor(), self.users[row].username
        Op(self, lambda _p: unlock_user(db, actor, username)).changes(Changes(settings=True)) \
            .success(lambda _r: self.reload()).failure(self._error).run(self.ctx.runner)

    def _ask(self, dialog: UserDialog) -> bool:
        """Run the dialog (tests replace this to fill it in without a modal loop)."""
        return dialog.exec() == UserDialog.DialogCode.Accepted

    def open_backup_folder(self) -> None:
        folder = self._backup_folder()
        if folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _backup_folder(self) -> Path | None:
        path = self.ctx.opened.db.path
        return backup_dir_for(path) if path is not None else None

    def _confirm(self, question: str) -> bool:
        if self.ctx.sink is not None:  # tests and scripted runs: record the question and go ahead
            self.ctx.sink(self, self.tr("确认"), question, None)  # type: ignore[arg-type]
            return True
        answer = QMessageBox.question(self, self.tr("确认"), question)
        return answer == QMessageBox.StandardButton.Yes

    def _error(self, exc: BaseException) -> None:
        show_error(self, exc, sink=self.ctx.sink)
