"""The carrier window: basic data, recognitions with their status history, statistics, tenants, attachments and
the change history, one tab each.

One window per main window shows one carrier at a time (:func:`show_carrier`). 保存 (Ctrl+S) saves the basic data;
the service's validation problems appear next to their fields, and a change a colleague saved meanwhile is explained
without losing what was typed. Closing (Ctrl+W, Esc) or switching to another carrier with unsaved changes asks
first. The other tabs save through their own small forms at once.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from services.carriers import (
    CarrierDetail,
    CarrierOptions,
    carrier_options,
    create_carrier,
    get_carrier,
    restore_carrier,
    soft_delete_carrier,
    update_carrier,
)
from services.errors import ConflictError, ValidationError
from services.progress import Progress
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Op
from ui.pages.carriers.basic_tab import BasicTab
from ui.pages.carriers.recognitions_tab import RecognitionsTab
from ui.pages.carriers.stats_tab import StatsTab
from ui.pages.carriers.tabs import CHANGES, CarrierAttachmentsTab, CarrierHistoryTab, CarrierTab
from ui.pages.carriers.tenants_tab import TenantsTab
from ui.pages.style import TITLE_SCALE, scaled_font
from ui.widgets.form_field import ERROR_COLOR, HINT_COLOR
from ui.widgets.questions import Unsaved, ask_unsaved, confirm
from ui.widgets.state import WidgetState
from ui.widgets.unsaved import unless_unsaved

_windows: weakref.WeakKeyDictionary[AppContext, CarrierDialog] = weakref.WeakKeyDictionary()
#: Tabs by name, for :func:`show_carrier`.
TAB_NAMES = ("basic", "recognitions", "stats", "tenants", "attachments", "history")


def show_carrier(ctx: AppContext, parent: QWidget, carrier_id: int | None, *, tab: str | None = None
                 ) -> CarrierDialog:
    """Show carrier ``carrier_id`` (None: a new one) in this session's carrier window, on ``tab`` if given."""
    dialog = _windows.get(ctx)
    if dialog is None or not isValid(dialog):
        dialog = CarrierDialog(ctx, parent.window())
        _windows[ctx] = dialog
    was_visible = dialog.isVisible()
    if dialog.open_carrier(carrier_id) and tab is not None and carrier_id is not None:
        dialog.tabs.setCurrentIndex(TAB_NAMES.index(tab))
    dialog.show()
    if was_visible:
        dialog.raise_()
        dialog.activateWindow()
    return dialog


class CarrierDialog(QDialog):
    """The carrier window.

    Attributes:
        carrier_id: The carrier shown; None while a new one is being entered.
        detail: Its basic data as last loaded.
        options: The catalogue (kinds, 属地), once loaded.
        basic, recognitions, stats, tenants, attachments, history: The tabs.
        ask: Asks what to do with unsaved changes (a message box; replaceable).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("carrier_dialog")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.state = WidgetState(ctx.settings, "carrier_dialog")
        self.carrier_id: int | None = None
        self.detail: CarrierDetail | None = None
        self.options: CarrierOptions | None = None
        self.ask: Callable[[QWidget, str], Unsaved] = ask_unsaved
        self._after_save: Callable[[], None] | None = None
        self._saving = False

        self.title = QLabel()
        self.title.setObjectName("carrier_title")
        self.title.setFont(scaled_font(self.title, TITLE_SCALE * 0.85, bold=True))
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.subtitle.setStyleSheet(f"color: {HINT_COLOR};")
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(f"color: {ERROR_COLOR}; background: #fdecea; padding: 6px 10px;")
        self.banner.hide()
        self.reload_button = QPushButton("重新载入（放弃我的修改）")
        self.reload_button.hide()
        self.reload_button.clicked.connect(self.reload_discarding)

        self.basic = BasicTab()
        self.recognitions = RecognitionsTab(ctx)
        self.stats = StatsTab(ctx)
        self.tenants = TenantsTab(ctx)
        self.attachments = CarrierAttachmentsTab(ctx)
        self.history = CarrierHistoryTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("carrier_tabs")
        for widget, label in ((self.basic, "基本信息"), (self.recognitions, "认定与级别"), (self.stats, "统计数据"),
                              (self.tenants, "在孵企业"), (self.attachments, "附件"), (self.history, "修改记录")):
            self.tabs.addTab(widget, label)
        self.record_tabs: tuple[CarrierTab, ...] = (self.recognitions, self.stats, self.tenants)
        self.all_tabs = (*self.record_tabs, self.attachments, self.history)

        self.status = QLabel()
        self.status.setObjectName("dialog_status")
        self.delete_button = QPushButton("删除载体…")
        self.save_button = QPushButton("保存")
        self.save_button.setToolTip("保存基本信息（Ctrl+S）")
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
        self.basic.edited.connect(self._edited)
        for keys, slot in ((QKeySequence.StandardKey.Save, self.save), (QKeySequence("Ctrl+W"), self.close)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
        geometry = self.state.bytes("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            char = self.fontMetrics().horizontalAdvance("字")
            self.resize(char * 80, char * 48)
        db = ctx.opened.db
        Op(self, lambda _p: carrier_options(db)).success(self._options_loaded).failure(self._error).run(ctx.runner)

    def _options_loaded(self, options: CarrierOptions) -> None:
        self.options = options
        self.basic.set_options(options)
        for tab in self.record_tabs:
            tab.options = options
        if self.detail is not None:
            self.basic.fill(self.detail)

    def _error(self, exc: BaseException) -> None:
        show_error(self, exc, sink=self.ctx.sink)

    # -- which carrier ------------------------------------------------------------------------------------------------

    def dirty(self) -> bool:
        return self.basic.dirty()

    def open_carrier(self, carrier_id: int | None) -> bool:
        """Show another carrier (None: a new one), asking first about unsaved changes; False if cancelled."""
        if carrier_id is not None and carrier_id == self.carrier_id:
            return True
        return self._unless_unsaved(lambda: self._switch(carrier_id))

    def _unless_unsaved(self, then: Callable[[], None]) -> bool:
        name = self.basic.name.text().strip() or "新载体"
        return unless_unsaved(self, f"“{name}”有尚未保存的修改。要保存吗？", then)

    def discard(self) -> None:
        """Drop the unsaved edits: the basic data as last loaded."""
        self.basic.fill(self.detail)

    def _switch(self, carrier_id: int | None) -> None:
        self.carrier_id = carrier_id
        self.detail = None
        self._show_banner("")
        self.status.clear()
        for tab in self.all_tabs:
            tab.set_enterprise(carrier_id)
        for index in range(1, self.tabs.count()):
            self.tabs.setTabEnabled(index, carrier_id is not None)
        if carrier_id is None:
            self.basic.fill(None)
            self._header(None)
            self.tabs.setCurrentWidget(self.basic)
            self.basic.name.setFocus()
            return
        self.load()

    def load(self) -> None:
        db, cid = self.ctx.opened.db, self.carrier_id
        if cid is not None:
            Op(self, lambda _p: get_carrier(db, cid)).success(self._loaded).failure(self._error).run(self.ctx.runner)

    def _loaded(self, detail: CarrierDetail) -> None:
        if detail.id != self.carrier_id:
            return
        self.detail = detail
        self.basic.fill(detail)
        self.recognitions.kind_code = detail.kind_code
        self._header(detail)

    def _header(self, detail: CarrierDetail | None) -> None:
        if detail is None:
            self.title.setText("新增载体")
            self.subtitle.setText("填写基本信息后保存；保存后可登记认定、统计数据和在孵企业")
            self.setWindowTitle("新增载体")
            self.delete_button.hide()
            return
        self.title.setText(detail.name)
        parts = [detail.kind, detail.operator_name or "未填运营机构", detail.subdistrict or detail.district or "",
                 f"编号 {detail.id}"]
        self.subtitle.setText("　·　".join(p for p in parts if p))
        self.setWindowTitle(f"{detail.name} — 载体信息")
        self.delete_button.show()
        self.delete_button.setText("恢复载体" if detail.deleted_at else "删除载体…")
        if detail.deleted_at:
            self._show_banner(f"该载体已于 {detail.deleted_at.astimezone():%Y-%m-%d} 删除，可以恢复。")

    def _edited(self) -> None:
        self.status.setText("有未保存的修改" if self.dirty() else "")

    def _show_banner(self, text: str, *, conflict: bool = False) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.reload_button.setVisible(conflict)

    # -- saving -------------------------------------------------------------------------------------------------------

    def save(self, after: Callable[[], None] | None = None) -> None:
        """Save the basic data (if changed, or new); then run ``after``."""
        if self._saving:
            return
        creating = self.carrier_id is None
        if not creating and not self.dirty():
            self.status.setText("没有需要保存的修改")
            if after is not None:
                after()
            return
        try:
            data = self.basic.input()
        except ValidationError as exc:
            self._invalid(exc)
            return
        self._after_save = after
        self._saving = True
        self.save_button.setEnabled(False)
        db, cid = self.ctx.opened.db, self.carrier_id
        expected = self.detail.as_input() if self.detail else None

        def work(_p: Progress) -> CarrierDetail:
            if cid is None:
                return create_carrier(db, data)
            return update_carrier(db, cid, data, expected=expected)

        Op(self, work).changes(CHANGES).success(self._saved).failure(self._save_failed) \
            .on_done(self._save_done).run(self.ctx.runner)

    def _save_done(self) -> None:
        self._saving = False
        self.save_button.setEnabled(True)

    def _saved(self, detail: CarrierDetail) -> None:
        created = self.carrier_id is None
        self._show_banner("")
        after, self._after_save = self._after_save, None
        if created:
            self._switch(detail.id)
        else:
            self._loaded(detail)
            self.history.reload()
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
        rest = self.basic.form.set_problems(exc.problems)
        self.tabs.setCurrentWidget(self.basic)
        self._show_banner("；".join(rest.values()))
        self.status.setText(f"未保存：有 {len(exc.problems)} 处需要修改")

    def reload_discarding(self) -> None:
        """After a conflict: show what the colleague saved, dropping the edits here."""
        self._show_banner("")
        self.basic.fill(self.detail)
        self.load()

    # -- delete, close ------------------------------------------------------------------------------------------------

    def delete_or_restore(self) -> None:
        detail = self.detail
        if detail is None:
            return
        db = self.ctx.opened.db
        if detail.deleted_at is None:
            if not confirm(self, f"删除“{detail.name}”？删除后不再列入载体名单，认定、统计和在孵记录仍保留，可以恢复。",
                           action="删除"):
                return
            work: Callable[[Progress], Any] = lambda _p: soft_delete_carrier(db, detail.id)  # noqa: E731
        else:
            work = lambda _p: restore_carrier(db, detail.id)  # noqa: E731
        Op(self, work).changes(CHANGES).success(self._loaded).failure(self._error).run(self.ctx.runner)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.dirty():
            event.ignore()
            self._unless_unsaved(self._close_later)
            return
        self.state.set_bytes("geometry", self.saveGeometry())
        event.accept()

    def _close_later(self) -> None:
        QTimer.singleShot(0, self, self.close)

    def reject(self) -> None:
        """Esc closes like the window's close button (asking about unsaved changes)."""
        self.close()
