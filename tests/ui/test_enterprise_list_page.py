"""企业库 list page over a real database: lazy model (Qt's model tester), pinyin search, filters, sort, columns
remembered, copy for Excel, export to xlsx, keyboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from models.db import Database
from services.dto import EnterpriseInput
from services.enterprise_list import COLUMNS, ListRow, list_ids, list_rows
from services.qualifications import QualificationInput, add_qualification
from services.register import create_enterprise
from services.uscc import make_uscc
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.pages.enterprises.detail import EnterpriseDialog
from ui.pages.enterprises.list_page import EnterprisesPage
from ui.pages.enterprises.model import LOADING, PAGE, EnterpriseTableModel

NAMES = {
    "杭州匠控科技有限公司": "大关街道",
    "浙江运河数据有限公司": "上塘街道",
    "杭州半山新材料有限公司": "半山街道",
    "杭州湖墅智造有限公司": "湖墅街道",
}


def subdistricts(db: Database) -> dict[str, int]:
    from services.enterprise_list import list_options

    return {name: sid for sid, name in list_options(db).subdistricts}


@pytest.fixture
def register(db: Database) -> dict[str, int]:
    subs = subdistricts(db)
    ids = {}
    for n, (name, sub) in enumerate(NAMES.items()):
        ids[name] = create_enterprise(db, EnterpriseInput(
            name=name, subdistrict_id=subs[sub], uscc=make_uscc(f"91330105MA2AAAA{n:02d}"),
            contact_phone="0571-88886666")).id
    add_qualification(db, ids["杭州匠控科技有限公司"],
                      QualificationInput("national_hte", 2025, certified_on=dt.date(2025, 10, 1)))
    return ids


def list_page(window: MainWindow, qtbot: QtBot) -> EnterprisesPage:
    window.show_page("enterprises")
    page = window.page("enterprises")
    assert isinstance(page, EnterprisesPage)
    qtbot.waitUntil(lambda: page.search_index.index is not None, timeout=10_000)
    qtbot.waitUntil(window.ctx.runner.is_idle, timeout=10_000)
    return page


def shown_names(page: EnterprisesPage, qtbot: QtBot) -> list[str]:
    model = page.model
    qtbot.waitUntil(lambda: all(model.loaded(r) is not None for r in range(model.rowCount())), timeout=10_000)
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_model_passes_qts_model_tester(qtmodeltester, qtbot: QtBot, db: Database,  # type: ignore[no-untyped-def]
                                      register: dict[str, int]) -> None:
    def fetch(ids: list[int], deliver: Callable[[list[ListRow]], None]) -> None:
        deliver(list_rows(db, ids))

    model = EnterpriseTableModel(fetch)
    model.set_ids(list_ids(db))
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: model.loaded(0) is not None)
    qtmodeltester.check(model)
    model.invalidate()
    model.set_ids(list(reversed(list_ids(db))))
    qtmodeltester.check(model)


def test_rows_are_fetched_a_page_at_a_time(qtbot: QtBot, db: Database, register: dict[str, int]) -> None:
    requests: list[list[int]] = []

    def fetch(ids: list[int], deliver: Callable[[list[ListRow]], None]) -> None:
        requests.append(ids)
        deliver(list_rows(db, ids))

    model = EnterpriseTableModel(fetch)
    known = list_ids(db)
    model.set_ids(known * (PAGE // len(known) + 1))  # more than one page (ids repeat, which the model allows)
    assert model.index(0, 0).data() == LOADING
    assert model.index(1, 0).data() == LOADING
    qtbot.waitUntil(lambda: model.loaded(0) is not None)
    assert len(requests) == 1 and len(requests[0]) == PAGE
    assert model.index(0, 0).data() != LOADING
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) == known[0]


def test_search_by_pinyin_initials_and_filter_by_subdistrict(qtbot: QtBot, window: MainWindow,
                                                             register: dict[str, int]) -> None:
    page = list_page(window, qtbot)
    assert sorted(shown_names(page, qtbot)) == sorted(NAMES)
    assert page.status.text() == "共 4 家企业"
    qtbot.keyClicks(page.filters.search, "hzjk")
    assert shown_names(page, qtbot) == ["杭州匠控科技有限公司"]
    assert page.status.text() == "筛选出 1 家企业"
    page.filters.search.clear()
    subs = subdistricts(window.ctx.opened.db)
    page.filters.select(page.filters.subdistrict, subs["上塘街道"])
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert shown_names(page, qtbot) == ["浙江运河数据有限公司"]
    page.filters.select(page.filters.qualification, "national_hte")  # together with 上塘: nobody
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=10_000)
    page.filters.select(page.filters.subdistrict, None)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert shown_names(page, qtbot) == ["杭州匠控科技有限公司"]
    page.filters.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=10_000)


def test_search_before_the_index_is_loaded_asks_the_database(qtbot: QtBot, window: MainWindow,
                                                             register: dict[str, int]) -> None:
    window.show_page("enterprises")
    page = window.page("enterprises")
    assert isinstance(page, EnterprisesPage)
    page.search_index.index = None
    page.filters.search.setText("hzjk")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert shown_names(page, qtbot) == ["杭州匠控科技有限公司"]


def test_sorting_reloads_in_the_new_order_and_is_remembered(qtbot: QtBot, window: MainWindow, ctx: AppContext,
                                                            register: dict[str, int]) -> None:
    page = list_page(window, qtbot)
    ascending = shown_names(page, qtbot)
    page.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: shown_names(page, qtbot) == list(reversed(ascending)), timeout=10_000)
    uscc = [c.key for c in COLUMNS].index("uscc")
    page.show_column([c.key for c in COLUMNS].index("contact_phone"), True)
    page.show_column(uscc, False)
    page.save_state()
    again = EnterprisesPage(ctx)
    qtbot.addWidget(again)
    header = again.view.horizontalHeader()
    assert header.isSectionHidden(uscc) and "contact_phone" in again.visible_keys()
    assert again.model.descending and again.model.sort_key == "name"


def test_copy_selected_rows_for_excel(qtbot: QtBot, window: MainWindow, register: dict[str, int]) -> None:
    page = list_page(window, qtbot)
    shown_names(page, qtbot)
    page.view.selectAll()
    page.copy_selection()
    mime = QGuiApplication.clipboard().mimeData()
    lines = mime.text().splitlines()
    assert lines[0].split("\t")[:3] == ["企业名称", "统一社会信用代码", "属地"]
    assert len(lines) == 5 and "浙江运河数据有限公司" in mime.text()
    assert "mso-number-format" in mime.html() and make_uscc("91330105MA2AAAA01") in mime.html()


def test_export_of_the_view_runs_in_the_background(qtbot: QtBot, window: MainWindow, tmp_path: Path, recorder,  # type: ignore[no-untyped-def]
                                                   register: dict[str, int]) -> None:
    page = list_page(window, qtbot)
    qtbot.keyClicks(page.filters.search, "hz")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    target = tmp_path / "名单.xlsx"
    page.export_to(target)
    qtbot.waitUntil(lambda: bool(recorder.messages), timeout=10_000)
    assert "已导出 3 家企业" in recorder.messages[-1][1]
    rows = list(openpyxl.load_workbook(target).active.values)  # type: ignore[union-attr]
    assert rows[0][0] == "企业名称" and len(rows) == 4
    assert {r[0] for r in rows[1:]} == {"杭州匠控科技有限公司", "杭州半山新材料有限公司", "杭州湖墅智造有限公司"}


def test_keyboard_new_find_and_enter_to_open(qtbot: QtBot, window: MainWindow, register: dict[str, int]) -> None:
    page = list_page(window, qtbot)
    shown_names(page, qtbot)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.filters.search.hasFocus()
    page.view.setFocus()
    page.view.setCurrentIndex(page.model.index(1, 0))
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    dialog = window.findChild(EnterpriseDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=10_000)
    assert dialog.detail is not None and dialog.detail.id == page.model.id_at(1)
    dialog.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.enterprise_id is None and dialog.title.text() == "新增企业"
    dialog.close()


def test_list_follows_changes_made_elsewhere(qtbot: QtBot, window: MainWindow, register: dict[str, int]) -> None:
    page = list_page(window, qtbot)
    shown_names(page, qtbot)
    create_enterprise(window.ctx.opened.db, EnterpriseInput(name="杭州新登记科技有限公司"))
    from ui.operations import Changes

    window.ctx.runner.operation_did_execute.emit(Changes(enterprise=True), None)
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=10_000)
    qtbot.waitUntil(lambda: page.search_index.index is not None and len(page.search_index.index) == 5,
                    timeout=10_000)
    page.filters.search.setText("xdj")
    assert shown_names(page, qtbot) == ["杭州新登记科技有限公司"]
