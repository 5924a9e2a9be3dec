"""The main window: navigation on the left, the pages in a stack, menus, and the database in the status bar."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from services.backup import BackupInfo, backup_database
from services.database import OpenDatabase, open_database
from services.progress import Progress
from services.users import current_actor
from services.version import APP_NAME_CN, __version__
from ui.context import AppContext
from ui.errors import inform, show_error
from ui.i18n import tr
from ui.operations import Changes, Op
from ui.pages import PAGES, PageSpec, build_page

log = logging.getLogger("app.ui")

DEFAULT_SIZE = QSize(1200, 760)


class MainWindow(QMainWindow):
    """The application's main window.

    Pages are built the first time they are shown. Closing the window saves its geometry and last page, then
    (unless turned off) queues an exit backup behind any running work and closes once it is done.

    Attributes:
        ctx: The shared session context.
        navigation: The list of areas.
        stack: The pages, in the order they were first shown.
        db_label: Status-bar label naming the database in use.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("main_window")
        self._pages: dict[str, QWidget] = {}
        self._closing = False
        self._may_close = False

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFrameShape(QListWidget.Shape.NoFrame)
        self.navigation.setSpacing(2)
        for spec in PAGES:
            item = QListWidgetItem(tr(spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(spec.tooltip())
            item.setSizeHint(QSize(0, self.fontMetrics().height() * 2 + 4))
            self.navigation.addItem(item)
        widest = max(self.fontMetrics().horizontalAdvance(tr(spec.title)) for spec in PAGES)
        self.navigation.setFixedWidth(widest + self.fontMetrics().horizontalAdvance("M") * 5)
        self.navigation.setStyleSheet("QListWidget#navigation::item { padding-left: 12px; }")
        self.stack = QStackedWidget()
        self.navigation.currentRowChanged.connect(self._on_navigation)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.db_label = QLabel()
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.db_label.setContentsMargins(8, 0, 8, 0)
        self.statusBar().addWidget(self.db_label, 1)
        self.user_label = QLabel()
        self.user_label.setContentsMargins(8, 0, 8, 0)
        self.statusBar().addPermanentWidget(self.user_label)
        version = QLabel(self.tr("{0} {1} 版").format(APP_NAME_CN, __version__))
        version.setContentsMargins(8, 0, 8, 0)
        self.statusBar().addPermanentWidget(version)
        self._show_database()
        self._restore_settings()

    # -- building -----------------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.open_action = self._action(self.tr("打开数据库(&O)…"), self.open_database_dialog,
                                        QKeySequence.StandardKey.Open)
        self.server_action = self._action(self.tr("连接服务器数据库(&S)…"), self.open_server_dialog)
        self.backup_action = self._action(self.tr("备份(&B)"), self.backup_now)
        self.quit_action = self._action(self.tr("退出(&X)"), self.close, QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addActions([self.open_action, self.server_action, self.backup_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.log_action = self._action(self.tr("日志(&L)"), self.show_log)
        self.about_action = self._action(self.tr("关于(&A)"), self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addActions([self.log_action, self.about_action])

    def _action(self, text: str, slot: object, shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
                ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def _show_database(self) -> None:
        db = self.ctx.opened.db
        name = db.path.name if db.path is not None else db.display_name()
        demo = self.tr("（演示数据）") if self.ctx.demo else ""
        self.setWindowTitle(f"{APP_NAME_CN} — {name}{demo}")
        self.db_label.setText(self.tr("数据库：{0}{1}").format(db.display_name(), demo))
        self.db_label.setToolTip(db.display_name())
        actor = current_actor()
        self.user_label.setText(self.tr("当前用户：{0}（{1}）").format(actor.display_name, actor.role_label))
        self.backup_action.setEnabled(db.path is not None)

    # -- pages --------------------------------------------------------------------------------------------------

    def page_keys(self) -> list[str]:
        return [spec.key for spec in PAGES]

    def current_page_key(self) -> str:
        item = self.navigation.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def page(self, key: str) -> QWidget:
        """The widget of page ``key``, built on first use."""
        if key not in self._pages:
            spec = self._spec(key)
            self._pages[key] = page = build_page(spec, self.ctx)
            self.stack.addWidget(page)
        return self._pages[key]

    def set_badge(self, key: str, count: int) -> None:
        """Show ``count`` after the navigation title of page ``key`` (nothing when zero): 提醒（12）."""
        item = self.navigation.item(self.page_keys().index(key))
        title = tr(self._spec(key).title)
        item.setText(f"{title}（{count}）" if count else title)

    def show_page(self, key: str) -> None:
        """Select page ``key`` in the navigation (which shows it)."""
        self.navigation.setCurrentRow(self.page_keys().index(key))

    def _spec(self, key: str) -> PageSpec:
        return next(spec for spec in PAGES if spec.key == key)

    def _on_navigation(self, row: int) -> None:
        if 0 <= row < len(PAGES):
            self.stack.setCurrentWidget(self.page(PAGES[row].key))

    # -- settings -----------------------------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        settings = self.ctx.settings
        geometry = settings.geometry
        if geometry is None or not self.restoreGeometry(geometry):
            available = self.screen().availableGeometry().size()
            self.resize(DEFAULT_SIZE.boundedTo(available * 0.9))
        state = settings.window_state
        if state is not None:
            self.restoreState(state)
        last = settings.last_page
        self.show_page(last if last in self.page_keys() else PAGES[0].key)

    def save_settings(self) -> None:
        settings = self.ctx.settings
        settings.geometry = self.saveGeometry()
        settings.window_state = self.saveState()
        settings.last_page = self.current_page_key()
        settings.sync()

    # -- menu actions -------------------------------------------------------------------------------------------

    def open_database_dialog(self) -> None:
        current = self.ctx.opened.db.path
        start = str(current.parent) if current is not None else ""
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("打开数据库"), start, self.tr("科创台账数据库 (*.sqlite *.db);;所有文件 (*)"))
        if path:
            self.switch_database(path)

    def open_server_dialog(self) -> None:
        """Work on a shared PostgreSQL server: its address as a URL (remembered for next time)."""
        from PySide6.QtWidgets import QInputDialog

        url, ok = QInputDialog.getText(
            self, self.tr("连接服务器数据库"),
            self.tr("服务器数据库地址，例如：\npostgresql+psycopg://用户名:密码@192.168.1.10:5432/techledger"),
            text=self.ctx.settings.server_url)
        url = url.strip()
        if ok and url:
            if not url.startswith("postgresql"):
                inform(self, self.tr("请填写以 postgresql+psycopg:// 开头的服务器地址。"), sink=self.ctx.sink)
                return
            self.ctx.settings.server_url = url
            self.switch_database(url)

    def switch_database(self, db_arg: str) -> None:
        """Open ``db_arg`` on the worker; on success use it and close the previous database after queued work."""
        if "://" not in db_arg and self.ctx.opened.db.path is not None \
                and Path(db_arg).resolve() == self.ctx.opened.db.path:
            return
        Op(self, lambda _progress: open_database(db_arg)).with_progress(self.tr("正在打开数据库…")) \
            .success(self.use_database).failure(self._show_error).run(self.ctx.runner)

    def use_database(self, opened: OpenDatabase) -> None:
        """Work with ``opened`` from now on: close the previous database (after queued work), refresh every page."""
        previous = self.ctx.opened
        if previous is opened:
            return
        self.ctx.opened = opened
        self.ctx.demo = False
        log.info("database switched from %s to %s", previous.db.display_name(), opened.db.display_name())
        Op(None, lambda _p: previous.close()).run(self.ctx.runner)
        self._show_database()
        self.ctx.runner.operation_did_execute.emit(Changes.everything(), None)
        for note in opened.notes:
            inform(self, note, sink=self.ctx.sink)

    def backup_now(self) -> Op[BackupInfo]:
        """Back up the database now (File ▸ 备份) and say where the copy went."""
        opened = self.ctx.opened
        return Op(self, lambda progress: _backup(opened, "manual", progress)) \
            .with_progress(self.tr("正在备份数据库…")) \
            .success(lambda info: inform(self, self.tr("已备份到：\n{0}\n（{1:.1f} MB）").format(
                info.path, info.size_bytes / 1_048_576), sink=self.ctx.sink)) \
            .failure(self._show_error).run(self.ctx.runner)

    def _show_error(self, exc: BaseException) -> None:
        show_error(self, exc, sink=self.ctx.sink)

    def show_log(self) -> None:
        from ui.dialogs.log_viewer import LogDialog

        LogDialog(self).exec()

    def show_about(self) -> None:
        from ui.dialogs.about import show_about

        show_about(self)

    # -- closing ------------------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Save the settings; then close at once, or after the exit backup (queued behind running work)."""
        if self._may_close:
            event.accept()
            return
        if self._closing:
            event.ignore()
            return
        self.save_settings()
        opened = self.ctx.opened
        if not self.ctx.backup_on_exit or opened.db.path is None:
            event.accept()
            return
        event.ignore()
        self._closing = True
        Op(self, lambda progress: _backup(opened, "exit", progress)) \
            .with_progress(self.tr("正在备份数据库，请稍候…")).failure(self._show_error) \
            .on_done(self._close_now).run(self.ctx.runner)

    def _close_now(self) -> None:
        self._may_close = True
        self.close()


def _backup(opened: OpenDatabase, reason: str, progress: Progress) -> BackupInfo:
    """Worker side of a backup."""
    return backup_database(opened.db, reason=reason, progress=progress)
