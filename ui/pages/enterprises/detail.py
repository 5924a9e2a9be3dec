"""The enterprise window: identity, yearly figures, certifications, R&D institutions, pools, pre-reviews, visits,
attachments and the change history, one tab each.

One window per main window shows one enterprise at a time (:func:`show_enterprise`). 保存 (Ctrl+S) saves the
identity and the edited years together; the service's validation problems appear next to their fields, and a
change someone else saved meanwhile (optimistic locking) is explained without losing what was typed. Closing the
window (Ctrl+W, Esc) or switching to another enterprise with unsaved changes asks first. The other tabs save
through their own small forms at once.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from services.dto import EnterpriseDetail
from services.errors import ConflictError, ValidationError
from services.progress import Progress
from services.qualifications import YearFacts, list_year_facts, set_year_facts
from services.register import (
    create_enterprise,
    get_enterprise,
    restore_enterprise,
    soft_delete_enterprise,
    update_enterprise,
)
from ui.context import AppContext
from ui.errors import show_error
from ui.operations import Changes, Op
from ui.pages.enterprises.attachments_tab import AttachmentsTab
from ui.pages.enterprises.cultivation_tabs import PoolsTab, RDTab
from ui.pages.enterprises.facts_tab import FactsTab
from ui.pages.enterprises.history_tab import HistoryTab
from ui.pages.enterprises.identity_tab import IdentityTab
from ui.pages.enterprises.prereview_tab import PreReviewTab
from ui.pages.enterprises.qualifications_tab import QualificationsTab
from ui.pages.enterprises.tab_base import Catalog, RecordTab, load_catalog
from ui.pages.enterprises.visits_tab import VisitsTab
from ui.pages.style import TITLE_SCALE, scaled_font
from ui.widgets.form_field import ERROR_COLOR, HINT_COLOR
from ui.widgets.questions import Unsaved, ask_unsaved, confirm
from ui.widgets.state import WidgetState

log = logging.getLogger("app.ui")

SAVED = Changes(enterprise=True)
_windows: weakref.WeakKeyDictionary[AppContext, EnterpriseDialog] = weakref.WeakKeyDictionary()


def show_enterprise(ctx: AppContext, parent: QWidget, enterprise_id: int | None) -> EnterpriseDialog:
    """Show enterprise ``enterprise_id`` (None: a new one) in the window of this session, creating it if needed."""
    dialog = _windows.get(ctx)
    if dialog is None or not isValid(dialog):
        dialog = EnterpriseDialog(ctx, parent.window())
        _windows[ctx] = dialog
    was_visible = dialog.isVisible()
    dialog.open_enterprise(enterprise_id)
    dialog.show()
    if was_visible:  # bring it in front of the main window again
        dialog.raise_()
        dialog.activateWindow()
    return dialog


class EnterpriseDialog(QDialog):
    """The enterprise window.

    Attributes:
        enterprise_id: The enterprise shown; None while a new one is being entered.
        detail: Its identity as last loaded.
        identity, facts, qualifications, rd, pools, prereviews, visits, attachments, history: The tabs.
        ask: Asks what to do with unsaved changes (a message box; replaceable).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("enterprise_dialog")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.state = WidgetState(ctx.settings, "enterprise_dialog")
        self.enterprise_id: int | None = None
        self.detail: EnterpriseDetail | None = None
        self.catalog: Catalog | None = None
        self.ask: Callable[[QWidget, str], Unsaved] = ask_unsaved
        self._after_save: Callable[[], None] | None = None
        self._saving = False

        self.title = QLabel()
        self.title.setObjectName("enterprise_title")
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

        self.identity = IdentityTab()
        self.facts = FactsTab()
        self.qualifications = QualificationsTab(ctx)
        self.rd = RDTab(ctx)
        self.pools = PoolsTab(ctx)
        self.prereviews = PreReviewTab(ctx)
        self.visits = VisitsTab(ctx)
        self.attachments = AttachmentsTab(ctx)
        self.history = HistoryTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("enterprise_tabs")
        for widget, label in ((self.identity, "基本信息"), (self.facts, "年度数据"), (self.qualifications, "资质认定"),
                              (self.rd, "研发机构"), (self.pools, "培育库"), (self.prereviews, "预审"),
                              (self.visits, "走访"), (self.attachments, "附件"), (self.history, "修改记录")):
            self.tabs.addTab(widget, label)
        self.record_tabs: tuple[RecordTab, ...] = (self.qualifications, self.rd, self.pools, self.prereviews,
                                                   self.visits, self.attachments, self.history)

        self.status = QLabel()
        self.status.setObjectName("dialog_status")
        self.delete_button = QPushButton("删除企业…")
        self.save_button = QPushButton("保存")
        self.save_button.setToolTip("保存基本信息和改过的年度数据（Ctrl+S）")
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

        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        self.delete_button.clicked.connect(self.delete_or_restore)
        self.identity.edited.connect(self._edited)
        self.facts.edited.connect(self._edited)
        for keys, slot in ((QKeySequence.StandardKey.Save, self.save), (QKeySequence("Ctrl+W"), self.close)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
        self._restore_state()
        db = ctx.opened.db
        Op(self, lambda _p: load_catalog(db)).success(self._catalog_loaded).failure(self._error).run(ctx.runner)

    # -- state --------------------------------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.state.bytes("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            char = self.fontMetrics().horizontalAdvance("字")
            self.resize(char * 70, char * 48)
        self.tabs.setCurrentIndex(self.state.integer("tab", 0))

    def save_state(self) -> None:
        self.state.set_bytes("geometry", self.saveGeometry())
        self.state.set_integer("tab", self.tabs.currentIndex())

    def _catalog_loaded(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.identity.set_options(catalog.options)
        for tab in self.record_tabs:
            tab.catalog = catalog
        if self.detail is not None:
            self.identity.fill(self.detail)

    def _error(self, exc: BaseException) -> None:
        show_error(self, exc, sink=self.ctx.sink)

    # -- which enterprise ---------------------------------------------------------------------------------------------

    def dirty(self) -> bool:
        return self.identity.dirty() or self.facts.dirty()

    def open_enterprise(self, enterprise_id: int | None) -> bool:
        """Show another enterprise (None: a new one), asking first about unsaved changes; False if cancelled."""
        if enterprise_id is not None and enterprise_id == self.enterprise_id:
            return True
        return self._unless_unsaved(lambda: self._switch(enterprise_id))

    def _unless_unsaved(self, then: Callable[[], None]) -> bool:
        """Run ``then`` now, or after saving or discarding unsaved changes as the user chooses."""
        if not self.dirty():
            then()
            return True
        name = self.identity.name.text().strip() or "新企业"
        answer = self.ask(self, f"“{name}”有尚未保存的修改。要保存吗？")
        if answer is Unsaved.CANCEL:
            return False
        if answer is Unsaved.SAVE:
            self.save(after=then)
            return True
        then()
        return True

    def _switch(self, enterprise_id: int | None) -> None:
        self.enterprise_id = enterprise_id
        self.detail = None
        self._show_banner("")
        self.status.clear()
        for tab in self.record_tabs:
            tab.set_enterprise(enterprise_id)
        for index in range(2, self.tabs.count()):
            self.tabs.setTabEnabled(index, enterprise_id is not None)
        if enterprise_id is None:
            self.identity.fill(None)
            self.facts.fill([])
            self._header(None)
            self.tabs.setCurrentWidget(self.identity)
            self.identity.name.setFocus()
            return
        self.load()

    def load(self) -> None:
        """(Re)read the identity and the yearly figures."""
        db, eid = self.ctx.opened.db, self.enterprise_id
        if eid is None:
            return
        Op(self, lambda _p: (get_enterprise(db, eid), list_year_facts(db, eid))) \
            .success(self._loaded).failure(self._error).run(self.ctx.runner)

    def _loaded(self, result: tuple[EnterpriseDetail, list[YearFacts]]) -> None:
        detail, facts = result
        if detail.id != self.enterprise_id:
            return
        self.detail = detail
        self.identity.fill(detail)
        self.facts.fill(facts)
        self._header(detail)

    def _header(self, detail: EnterpriseDetail | None) -> None:
        if detail is None:
            self.title.setText("新增企业")
            self.subtitle.setText("填写基本信息后保存；保存后可登记年度数据、资质、走访等")
            self.setWindowTitle("新增企业")
            self.delete_button.hide()
            return
        self.title.setText(detail.name)
        parts = [detail.uscc or "未填信用代码", detail.subdistrict or "未填属地", detail.industry_field or "",
                 f"编号 {detail.id}"]
        self.subtitle.setText("　·　".join(p for p in parts if p))
        self.setWindowTitle(f"{detail.name} — 企业信息")
        self.delete_button.show()
        self.delete_button.setText("恢复企业" if detail.deleted_at else "删除企业…")
        if detail.deleted_at:
            removed = f"{detail.deleted_at.astimezone():%Y-%m-%d}"
            self._show_banner(f"该企业已于 {removed} 删除（不在在册企业中），可以恢复。")

    def _edited(self) -> None:
        self.status.setText("有未保存的修改" if self.dirty() else "")

    def _show_banner(self, text: str, *, conflict: bool = False) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.reload_button.setVisible(conflict)

    # -- saving -------------------------------------------------------------------------------------------------------

    def save(self, after: Callable[[], None] | None = None) -> None:
        """Save the identity (if changed, or new) and the edited years; then run ``after``."""
        if self._saving:
            return
        creating = self.enterprise_id is None
        if not creating and not self.dirty():
            self.status.setText("没有需要保存的修改")
            if after is not None:
                after()
            return
        try:
            data = self.identity.input() if creating or self.identity.dirty() else None
        except ValidationError as exc:
            self._invalid(exc)
            return
        try:
            facts = self.facts.collect()
        except ValidationError:
            self.tabs.setCurrentWidget(self.facts)
            self.status.setText("年度数据有误，未保存")
            return
        self._after_save = after
        self._saving = True
        self.save_button.setEnabled(False)
        db, eid = self.ctx.opened.db, self.enterprise_id
        version = self.detail.version if self.detail else 0

        def work(_progress: Progress) -> int:
            target = eid
            if data is not None:
                saved = create_enterprise(db, data) if eid is None else \
                    update_enterprise(db, eid, data, expected_version=version)
                target = saved.id
            assert target is not None
            for year in facts:
                set_year_facts(db, target, year)
            return target

        Op(self, work).changes(SAVED).success(self._saved).failure(self._save_failed) \
            .on_done(self._save_done).run(self.ctx.runner)

    def _save_done(self) -> None:
        self._saving = False
        self.save_button.setEnabled(True)

    def _saved(self, enterprise_id: int) -> None:
        created = self.enterprise_id is None
        self.facts.saved()
        self.identity.form.clear_problems()
        self._show_banner("")
        self.status.setText("已新增" if created else "已保存")
        after, self._after_save = self._after_save, None
        if created:
            self._switch(enterprise_id)
            self.status.setText("已新增")
        else:
            self.load()
            for tab in (self.history,):
                tab.reload()
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
        rest = self.identity.show_problems(exc.problems)
        self.tabs.setCurrentWidget(self.identity)
        self._show_banner("；".join(rest.values()))
        self.status.setText(f"未保存：有 {len(exc.problems)} 处需要修改")

    def reload_discarding(self) -> None:
        """After a conflict: show the version saved by the other person, dropping the edits here."""
        self._show_banner("")
        if self.detail is not None:
            self.identity.fill(self.detail)
        self.load()

    # -- delete, close ------------------------------------------------------------------------------------------------

    def delete_or_restore(self) -> None:
        detail = self.detail
        if detail is None:
            return
        db = self.ctx.opened.db
        if detail.deleted_at is None:
            if not confirm(self, f"删除“{detail.name}”？删除后不再计入在册企业，历史资料仍保留，可以恢复。",
                           action="删除"):
                return
            work: Callable[[Progress], Any] = lambda _p: soft_delete_enterprise(db, detail.id)  # noqa: E731
        else:
            work = lambda _p: restore_enterprise(db, detail.id)  # noqa: E731
        Op(self, work).changes(SAVED).success(lambda _d: self.load()).failure(self._error).run(self.ctx.runner)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.dirty():
            event.ignore()  # closed again once saved or discarded, as the user chooses
            self._unless_unsaved(self._discard_and_close)
            return
        self.save_state()
        event.accept()

    def _discard_and_close(self) -> None:
        self.identity.fill(self.detail)
        self.facts.discard()
        # Not from inside closeEvent: Qt ignores a close() while the window is already closing.
        QTimer.singleShot(0, self, self.close)

    def reject(self) -> None:
        """Esc closes like the window's close button (asking about unsaved changes)."""
        self.close()
