"""The enterprise window: identity, yearly figures, certifications, R&D institutions, pools, pre-reviews, visits,
attachments and the change history, one tab each.

One window per main window shows one enterprise at a time (:func:`show_enterprise`). 保存 (Ctrl+S) saves the
identity and the edited years together; the service's validation problems appear next to their fields, and a
change someone else saved meanwhile (optimistic locking) is explained without losing what was typed. Closing the
window (Ctrl+W, Esc) or switching to another enterprise with unsaved changes asks first. The other tabs save
through their own small forms at once.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from services.dto import EnterpriseDetail
from services.errors import ValidationError
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
from ui.operations import Changes
from ui.pages.enterprises.attachments_tab import AttachmentsTab
from ui.pages.enterprises.cultivation_tabs import PoolsTab, RDTab
from ui.pages.enterprises.facts_tab import FactsTab
from ui.pages.enterprises.history_tab import HistoryTab
from ui.pages.enterprises.identity_tab import IdentityTab
from ui.pages.enterprises.prereview_tab import PreReviewTab
from ui.pages.enterprises.qualifications_tab import QualificationsTab
from ui.pages.enterprises.tab_base import Catalog, RecordTab, load_catalog
from ui.pages.enterprises.visits_tab import VisitsTab
from ui.widgets.record_window import RecordWindow, show_single

SAVED = Changes(enterprise=True)
_windows: weakref.WeakKeyDictionary[AppContext, EnterpriseDialog] = weakref.WeakKeyDictionary()


def show_enterprise(ctx: AppContext, parent: QWidget, enterprise_id: int | None) -> EnterpriseDialog:
    """Show enterprise ``enterprise_id`` (None: a new one) in the window of this session, creating it if needed."""
    return show_single(_windows, ctx, parent, EnterpriseDialog, lambda d: d.open_enterprise(enterprise_id))


class EnterpriseDialog(RecordWindow):
    """The enterprise window.

    Attributes:
        enterprise_id: The enterprise shown; None while a new one is being entered.
        detail: Its identity as last loaded.
        identity, facts, qualifications, rd, pools, prereviews, visits, attachments, history: The tabs.
    """

    NOUN = "企业"
    NEW_HINT = "填写基本信息后保存；保存后可登记年度数据、资质、走访等"
    DELETED_NOTE = "（不在在册企业中）"
    DELETE_QUESTION = "删除后不再计入在册企业，历史资料仍保留，可以恢复。"
    CHANGES = SAVED

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "enterprise", parent, width=70, save_tip="保存基本信息和改过的年度数据",
                         delete=soft_delete_enterprise, restore=restore_enterprise, remember_tab=True)
        self.detail: EnterpriseDetail | None = None
        self.catalog: Catalog | None = None
        self.identity = IdentityTab()
        self.facts = FactsTab()
        self.qualifications = QualificationsTab(ctx)
        self.rd = RDTab(ctx)
        self.pools = PoolsTab(ctx)
        self.prereviews = PreReviewTab(ctx)
        self.visits = VisitsTab(ctx)
        self.attachments = AttachmentsTab(ctx)
        self.history = HistoryTab(ctx)
        self.form_tab = self.identity
        self.record_tabs: tuple[RecordTab, ...] = (self.qualifications, self.rd, self.pools, self.prereviews,
                                                   self.visits, self.attachments, self.history)
        self.subject_tabs = self.record_tabs
        self.add_tabs(((self.identity, "基本信息"), (self.facts, "年度数据"), (self.qualifications, "资质认定"),
                       (self.rd, "研发机构"), (self.pools, "培育库"), (self.prereviews, "预审"),
                       (self.visits, "走访"), (self.attachments, "附件"), (self.history, "修改记录")))
        self.identity.edited.connect(self._edited)
        self.facts.edited.connect(self._edited)
        db = ctx.opened.db
        self.run(lambda _p: load_catalog(db), self._catalog_loaded)

    @property
    def enterprise_id(self) -> int | None:
        return self.record_id

    def _catalog_loaded(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.identity.set_options(catalog.options)
        for tab in self.record_tabs:
            tab.catalog = catalog
        if self.detail is not None:
            self.identity.fill(self.detail)

    # -- which enterprise ---------------------------------------------------------------------------------------------

    def dirty(self) -> bool:
        return self.identity.dirty() or self.facts.dirty()

    def open_enterprise(self, enterprise_id: int | None) -> bool:
        """Show another enterprise (None: a new one), asking first about unsaved changes; False if cancelled."""
        return self.open_record(enterprise_id)

    def discard(self) -> None:
        """Drop the unsaved edits: the identity as last loaded, the yearly figures refilled by the next load."""
        self.identity.fill(self.detail)
        self.facts.discard()

    def _clear(self) -> None:
        self.identity.fill(None)
        self.facts.fill([])

    def load(self) -> None:
        """(Re)read the identity and the yearly figures."""
        db, eid = self.ctx.opened.db, self.record_id
        if eid is not None:
            self.run(lambda _p: (get_enterprise(db, eid), list_year_facts(db, eid)), self._loaded)

    def _loaded(self, result: tuple[EnterpriseDetail, list[YearFacts]]) -> None:
        detail, facts = result
        if detail.id != self.record_id:
            return
        self.detail = detail
        self.identity.fill(detail)
        self.facts.fill(facts)
        self._header(detail)

    def _header_parts(self, detail: EnterpriseDetail) -> list[str]:
        return [detail.uscc or "未填信用代码", detail.subdistrict or "未填属地", detail.industry_field or "",
                f"编号 {detail.id}"]

    # -- saving -------------------------------------------------------------------------------------------------------

    def _save_work(self) -> Callable[[Progress], int] | None:
        """Save the identity (if changed, or new) and the edited years."""
        creating = self.record_id is None
        data = self.identity.input() if creating or self.identity.dirty() else None
        try:
            facts = self.facts.collect()
        except ValidationError:
            self.tabs.setCurrentWidget(self.facts)
            self.status.setText("年度数据有误，未保存")
            return None
        db, eid = self.ctx.opened.db, self.record_id
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

        return work

    def _saved(self, result: Any) -> None:
        self.facts.saved()
        self.identity.form.clear_problems()
        super()._saved(result)

    def _saved_id(self, result: int) -> int:
        return result

    def _show_saved(self, result: int) -> None:
        self.load()
        self.history.reload()
