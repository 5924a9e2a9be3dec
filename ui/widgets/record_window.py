"""The frame of a record window (the enterprise window, the carrier window): one record at a time, its tabs, and
saving its main form.

:func:`show_single` keeps one window per session and brings it up. :class:`RecordWindow` holds the title, the
subtitle, a banner (with 重新载入 after a colleague's save), the tabs and the row 删除… / status / 保存 / 关闭,
with Ctrl+S and Ctrl+W; Esc closes like the close button. It remembers its size (and, if asked, its last tab),
switches records, saves the main form through the service the subclass names (validation problems next to their
fields, a conflict explained without losing what was typed), deletes or restores the record, and asks before
unsaved edits could be lost. A subclass adds its tabs, names its form tab and the tabs that follow the record, and
implements the hooks (:meth:`RecordWindow.load`, :meth:`RecordWindow._save_work`, :meth:`RecordWindow._header_parts`
…).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTabWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from services.errors import ConflictError, ValidationError
from services.progress import Progress
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.pages.style import TITLE_SCALE, scaled_font
from ui.widgets.form_field import ERROR_COLOR, HINT_COLOR, FieldForm
from ui.widgets.questions import Unsaved, ask_unsaved, confirm
from ui.widgets.state import WidgetState
from ui.widgets.unsaved import unless_unsaved

W = TypeVar("W", bound=QDialog)


def show_single(windows: weakref.WeakKeyDictionary[AppContext, W], ctx: AppContext, parent: QWidget,
                make: Callable[[AppContext, QWidget], W], open_record: Callable[[W], object]) -> W:
    """Show this session's window (made by ``make`` the first time, or again once closed for good).

    ``open_record`` points it at what to show before it is shown; a window already visible comes in front of the
    main window again.
    """
    window = windows.get(ctx)
    if window is None or not isValid(window):
        window = make(ctx, parent.window())
        windows[ctx] = window
    was_visible = window.isVisible()
    open_record(window)
    window.show()
    if was_visible:  # bring it in front of the main window again
        window.raise_()
        window.activateWindow()
    return window


class FollowsRecord(Protocol):
    """A tab that shows what belongs to the window's record (its subject is called ``enterprise_id``)."""

    def set_enterprise(self, enterprise_id: int | None) -> None: ...


class RecordForm(Protocol):
    """The window's main form tab: the record's own fields."""

    name: QLineEdit
    form: FieldForm

    def fill(self, detail: Any) -> None: ...

    def dirty(self) -> bool: ...


class RecordDetail(Protocol):
    """What the window needs of a loaded record."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...

    @property
    def deleted_at(self) -> Any: ...


class RecordWindow(QDialog):
    """The frame of a record window; see the module docstring.

    Attributes:
        record_id: The record shown; None while a new one is being entered.
        detail: The record as last loaded (or saved).
        form_tab: The main form tab (set by the subclass).
        subject_tabs: The tabs that follow the record, enabled only once it is saved (set by the subclass).

    ``delete`` and ``restore`` (``fn(db, record_id)``) are the services that take the record out of the register and
    put it back.
        ask: Asks what to do with unsaved changes (a message box; replaceable).
        title, subtitle, banner, reload_button, tabs, status, delete_button, save_button, close_button: The frame.
    """

    #: What the window shows, as in 新增企业, 删除企业…, 企业信息.
    NOUN = ""
    #: Under the title of a new record.
    NEW_HINT = ""
    #: After “该企业已于 … 删除”.
    DELETED_NOTE = ""
    #: The question before deleting, after “删除“名称”？”.
    DELETE_QUESTION = ""
    #: What a save, delete or restore changed.
    CHANGES = Changes()

    def __init__(self, ctx: AppContext, name: str, parent: QWidget | None = None, *, width: int,
                 save_tip: str, delete: Callable[[Any, int], Any], restore: Callable[[Any, int], Any],
                 remember_tab: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"{name}_dialog")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.state = WidgetState(ctx.settings, f"{name}_dialog")
        self.record_id: int | None = None
        self.detail: Any = None
        self.form_tab: RecordForm
        self.subject_tabs: tuple[FollowsRecord, ...] = ()
        self.ask: Callable[[QWidget, str], Unsaved] = ask_unsaved
        self._after_save: Callable[[], None] | None = None
        self._saving = False
        self._width = width
        self._remember_tab = remember_tab
        self._delete = delete
        self._restore = restore

        self.title = QLabel()
        self.title.setObjectName(f"{name}_title")
        self.title.setFont(scaled_font(self.title, TITLE_SCALE * 0.85, bold=True))
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.subtitle.setStyleSheet(f"color: {HINT_COLOR};")
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(f"color: {ERROR_COLOR}; background: #fdecea; padding: 6px 10px;")
        self.banner.hide()
        self.reload_button = QPushButton("重新载入（放弃我的修改）")
        self.reload_button.hide()
        self.reload_button.clicked.connect(self.reload_discarding)
        self.tabs = QTabWidget()
        self.tabs.setObjectName(f"{name}_tabs")

        self.status = QLabel()
        self.status.setObjectName("dialog_status")
        self.delete_button = QPushButton(f"删除{self.NOUN}…")
        self.save_button = QPushButton("保存")
        self.save_button.setToolTip(f"{save_tip}（Ctrl+S）")
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.close_button = QPushButton("关闭")
        self.close_button.setToolTip("关闭（Ctrl+W）")
        self.close_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.reload_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(banner_row)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

        self.save_button.clicked.connect(lambda: self.save())
        self.close_button.clicked.connect(self.close)
        self.delete_button.clicked.connect(self.delete_or_restore)
        for keys, slot in ((QKeySequence.StandardKey.Save, self.save), (QKeySequence("Ctrl+W"), self.close)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)

    def add_tabs(self, tabs: tuple[tuple[QWidget, str], ...]) -> None:
        """Add the tabs, then restore the remembered size (and tab); call once, at the end of the subclass's init."""
        for widget, label in tabs:
            self.tabs.addTab(widget, label)
        geometry = self.state.bytes("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            char = self.fontMetrics().horizontalAdvance("字")
            self.resize(char * self._width, char * 48)
        if self._remember_tab:
            self.tabs.setCurrentIndex(self.state.integer("tab", 0))

    def save_state(self) -> None:
        self.state.set_bytes("geometry", self.saveGeometry())
        if self._remember_tab:
            self.state.set_integer("tab", self.tabs.currentIndex())

    def run(self, fn: Callable[[Progress], Any], success: Callable[[Any], None], *,
            changes: Changes | None = None) -> None:
        """Run ``fn`` on the database worker; its result to ``success``, an error shown."""
        op = Op(self, fn).success(success).failure(self._error)
        if changes is not None:
            op.changes(changes)
        op.run(self.ctx.runner)

    def _error(self, exc: BaseException) -> None:
        show_error(self, exc, sink=self.ctx.sink)

    # -- which record -------------------------------------------------------------------------------------------------

    def dirty(self) -> bool:
        return self.form_tab.dirty()

    def open_record(self, record_id: int | None) -> bool:
        """Show another record (None: a new one), asking first about unsaved changes; False if cancelled."""
        if record_id is not None and record_id == self.record_id:
            return True
        return self._unless_unsaved(lambda: self._switch(record_id))

    def _unless_unsaved(self, then: Callable[[], None]) -> bool:
        name = self.form_tab.name.text().strip() or f"新{self.NOUN}"
        return unless_unsaved(self, f"“{name}”有尚未保存的修改。要保存吗？", then)

    def discard(self) -> None:
        """Drop the unsaved edits: the form as last loaded."""
        self.form_tab.fill(self.detail)

    def _clear(self) -> None:
        """Empty the form for a new record."""
        self.form_tab.fill(None)

    def _switch(self, record_id: int | None) -> None:
        self.record_id = record_id
        self.detail = None
        self._show_banner("")
        self.status.clear()
        for tab in self.subject_tabs:
            tab.set_enterprise(record_id)
            self.tabs.setTabEnabled(self.tabs.indexOf(tab), record_id is not None)  # type: ignore[arg-type]
        if record_id is None:
            self._clear()
            self._header(None)
            self.tabs.setCurrentWidget(self.form_tab)  # type: ignore[arg-type]
            self.form_tab.name.setFocus()
            return
        self.load()

    def load(self) -> None:
        """(Re)read the record shown."""
        raise NotImplementedError

    def _header_parts(self, detail: Any) -> list[str]:
        """The subtitle's parts for ``detail`` (empty ones are left out)."""
        raise NotImplementedError

    def _header(self, detail: RecordDetail | None) -> None:
        noun = self.NOUN
        if detail is None:
            self.title.setText(f"新增{noun}")
            self.subtitle.setText(self.NEW_HINT)
            self.setWindowTitle(f"新增{noun}")
            self.delete_button.hide()
            return
        self.title.setText(detail.name)
        self.subtitle.setText("　·　".join(p for p in self._header_parts(detail) if p))
        self.setWindowTitle(f"{detail.name} — {noun}信息")
        self.delete_button.show()
        self.delete_button.setText(f"恢复{noun}" if detail.deleted_at else f"删除{noun}…")
        if detail.deleted_at:
            removed = f"{detail.deleted_at.astimezone():%Y-%m-%d}"
            self._show_banner(f"该{noun}已于 {removed} 删除{self.DELETED_NOTE}，可以恢复。")

    def _edited(self) -> None:
        self.status.setText("有未保存的修改" if self.dirty() else "")

    def _show_banner(self, text: str, *, conflict: bool = False) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.reload_button.setVisible(conflict)

    # -- saving -------------------------------------------------------------------------------------------------------

    def _save_work(self) -> Callable[[Progress], Any] | None:
        """What saving runs on the database worker, from the form (raising ValidationError); None: not saved (said
        why already)."""
        raise NotImplementedError

    def _saved_id(self, result: Any) -> int:
        """The id of the record a save created, from what the save returned."""
        raise NotImplementedError

    def _show_saved(self, result: Any) -> None:
        """Show the record again after a save that changed it."""
        raise NotImplementedError

    def save(self, after: Callable[[], None] | None = None) -> None:
        """Save the record (if changed, or new); then run ``after``."""
        if self._saving:
            return
        if self.record_id is not None and not self.dirty():
            self.status.setText("没有需要保存的修改")
            if after is not None:
                after()
            return
        try:
            work = self._save_work()
        except ValidationError as exc:
            self._invalid(exc)
            return
        if work is None:
            return
        self._after_save = after
        self._saving = True
        self.save_button.setEnabled(False)
        Op(self, work).changes(self.CHANGES).success(self._saved).failure(self._save_failed) \
            .on_done(self._save_done).run(self.ctx.runner)

    def _save_done(self) -> None:
        self._saving = False
        self.save_button.setEnabled(True)

    def _saved(self, result: Any) -> None:
        created = self.record_id is None
        self._show_banner("")
        after, self._after_save = self._after_save, None
        if created:
            self._switch(self._saved_id(result))
        else:
            self._show_saved(result)
        self.status.setText("已新增" if created else "已保存")
        if after is not None:
            after()

    def _save_failed(self, exc: BaseException) -> None:
        self._after_save = None
        if isinstance(exc, ValidationError):
            self._invalid(exc)
        elif isinstance(exc, ConflictError):
            self._show_banner(str(exc), conflict=True)
            self.status.setText("未保存")
        else:
            self._error(exc)

    def _invalid(self, exc: ValidationError) -> None:
        rest = self.form_tab.form.set_problems(exc.problems)
        self.tabs.setCurrentWidget(self.form_tab)  # type: ignore[arg-type]
        self._show_banner("；".join(rest.values()))
        self.status.setText(f"未保存：有 {len(exc.problems)} 处需要修改")

    def reload_discarding(self) -> None:
        """After a conflict: show what the colleague saved, dropping the edits here."""
        self._show_banner("")
        if self.detail is not None:
            self.form_tab.fill(self.detail)
        self.load()

    # -- delete, close ------------------------------------------------------------------------------------------------

    def _deleted(self, detail: Any) -> None:
        """Show the record again after it was deleted or restored."""
        self.load()

    def delete_or_restore(self) -> None:
        detail = self.detail
        if detail is None:
            return
        restore = detail.deleted_at is not None
        if not restore and not confirm(self, f"删除“{detail.name}”？{self.DELETE_QUESTION}", action="删除"):
            return
        db, step = self.ctx.opened.db, self._restore if restore else self._delete
        self.run(lambda _p: step(db, detail.id), self._deleted, changes=self.CHANGES)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.dirty():
            event.ignore()  # closed again once saved or discarded, as the user chooses
            self._unless_unsaved(self._close_later)
            return
        self.save_state()
        event.accept()

    def _close_later(self) -> None:
        # Not from inside closeEvent: Qt ignores a close() while the window is already closing.
        QTimer.singleShot(0, self, self.close)

    def reject(self) -> None:
        """Esc closes like the window's close button (asking about unsaved changes)."""
        self.close()

