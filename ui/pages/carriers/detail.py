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

from PySide6.QtWidgets import QWidget

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
from services.progress import Progress
from ui.context import AppContext
from ui.pages.carriers.basic_tab import BasicTab
from ui.pages.carriers.recognitions_tab import RecognitionsTab
from ui.pages.carriers.stats_tab import StatsTab
from ui.pages.carriers.tabs import CHANGES, CarrierAttachmentsTab, CarrierHistoryTab, CarrierTab
from ui.pages.carriers.tenants_tab import TenantsTab
from ui.widgets.record_window import RecordWindow, show_single

_windows: weakref.WeakKeyDictionary[AppContext, CarrierDialog] = weakref.WeakKeyDictionary()
#: Tabs by name, for :func:`show_carrier`.
TAB_NAMES = ("basic", "recognitions", "stats", "tenants", "attachments", "history")


def show_carrier(ctx: AppContext, parent: QWidget, carrier_id: int | None, *, tab: str | None = None
                 ) -> CarrierDialog:
    """Show carrier ``carrier_id`` (None: a new one) in this session's carrier window, on ``tab`` if given."""

    def open_carrier(dialog: CarrierDialog) -> None:
        if dialog.open_carrier(carrier_id) and tab is not None and carrier_id is not None:
            dialog.tabs.setCurrentIndex(TAB_NAMES.index(tab))

    return show_single(_windows, ctx, parent, CarrierDialog, open_carrier)


class CarrierDialog(RecordWindow):
    """The carrier window.

    Attributes:
        carrier_id: The carrier shown; None while a new one is being entered.
        detail: Its basic data as last loaded.
        options: The catalogue (kinds, 属地), once loaded.
        basic, recognitions, stats, tenants, attachments, history: The tabs.
    """

    NOUN = "载体"
    NEW_HINT = "填写基本信息后保存；保存后可登记认定、统计数据和在孵企业"
    DELETE_QUESTION = "删除后不再列入载体名单，认定、统计和在孵记录仍保留，可以恢复。"
    CHANGES = CHANGES

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "carrier", parent, width=80, save_tip="保存基本信息", delete=soft_delete_carrier,
                         restore=restore_carrier)
        self.detail: CarrierDetail | None = None
        self.options: CarrierOptions | None = None
        self.basic = BasicTab()
        self.recognitions = RecognitionsTab(ctx)
        self.stats = StatsTab(ctx)
        self.tenants = TenantsTab(ctx)
        self.attachments = CarrierAttachmentsTab(ctx)
        self.history = CarrierHistoryTab(ctx)
        self.form_tab = self.basic
        self.record_tabs: tuple[CarrierTab, ...] = (self.recognitions, self.stats, self.tenants)
        self.subject_tabs = (*self.record_tabs, self.attachments, self.history)
        self.add_tabs(((self.basic, "基本信息"), (self.recognitions, "认定与级别"), (self.stats, "统计数据"),
                       (self.tenants, "在孵企业"), (self.attachments, "附件"), (self.history, "修改记录")))
        self.basic.edited.connect(self._edited)
        db = ctx.opened.db
        self.run(lambda _p: carrier_options(db), self._options_loaded)

    @property
    def carrier_id(self) -> int | None:
        return self.record_id

    def _options_loaded(self, options: CarrierOptions) -> None:
        self.options = options
        self.basic.set_options(options)
        for tab in self.record_tabs:
            tab.options = options
        if self.detail is not None:
            self.basic.fill(self.detail)

    # -- which carrier ------------------------------------------------------------------------------------------------

    def open_carrier(self, carrier_id: int | None) -> bool:
        """Show another carrier (None: a new one), asking first about unsaved changes; False if cancelled."""
        return self.open_record(carrier_id)

    def load(self) -> None:
        db, cid = self.ctx.opened.db, self.record_id
        if cid is not None:
            self.run(lambda _p: get_carrier(db, cid), self._loaded)

    def _loaded(self, detail: CarrierDetail) -> None:
        if detail.id != self.record_id:
            return
        self.detail = detail
        self.basic.fill(detail)
        self.recognitions.kind_code = detail.kind_code
        self._header(detail)

    def _header_parts(self, detail: CarrierDetail) -> list[str]:
        return [detail.kind, detail.operator_name or "未填运营机构", detail.subdistrict or detail.district or "",
                f"编号 {detail.id}"]

    # -- saving, deleting ----------------------------------------------------------------------------------------------

    def _save_work(self) -> Callable[[Progress], CarrierDetail]:
        """Save the basic data (if changed, or new)."""
        data = self.basic.input()
        db, cid = self.ctx.opened.db, self.record_id
        expected = self.detail.as_input() if self.detail else None

        def work(_p: Progress) -> CarrierDetail:
            if cid is None:
                return create_carrier(db, data)
            return update_carrier(db, cid, data, expected=expected)

        return work

    def _saved_id(self, result: CarrierDetail) -> int:
        return result.id

    def _show_saved(self, result: CarrierDetail) -> None:
        self._loaded(result)
        self.history.reload()

    def _deleted(self, detail: CarrierDetail) -> None:
        self._loaded(detail)
