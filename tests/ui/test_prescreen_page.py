"""The 预审 page: a pool pre-screened in the background, filtered, explained, exported and saved."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from services.enterprise_records import list_pre_reviews
from tests.prescreen.conftest import Register, build_register
from tests.ui.conftest import Recorder
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.pages.prescreen.enterprise_panel import PrescreenPanel
from ui.pages.prescreen.page import PrescreenPage


@pytest.fixture
def register(ctx: AppContext) -> Register:
    return build_register(ctx.opened.db)


def run_page(qtbot: QtBot, ctx: AppContext) -> PrescreenPage:
    page = PrescreenPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.scope.count() > 1, timeout=10_000)
    page.year.setValue(2026)
    page.scope.setCurrentIndex(page.scope.findData("申报库|2026"))
    page.run()
    qtbot.waitUntil(lambda: page.batch is not None, timeout=10_000)
    return page


def test_pool_batch_with_filter_and_detail(qtbot: QtBot, ctx: AppContext, register: Register,
                                           qtmodeltester: object) -> None:
    page = run_page(qtbot, ctx)
    assert page.scope.currentText() == "2026年申报库（2 家）"
    assert [page.rules.itemData(i) for i in range(page.rules.count())] == ["national_hte", "prov_tsme", "city_hte"]
    model = page.model
    assert model.rowCount() == 2
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert "共 2 家，符合 0，不符合 1（其中临界 1），待定 1" in page.summary.text()
    page.filter.setCurrentText("临界")
    assert model.rowCount() == 1 and model.evaluations[0].enterprise_id == register.near
    assert [model.index(0, c).data() for c in (3, 5)] == ["不符合（临界）", "是"]
    page.results.selectRow(0)
    assert page.detail.evaluation is not None and page.detail.evaluation.enterprise_id == register.near
    assert page.detail.criteria.rowCount() == 9
    assert page.what_if_button.isEnabled() and page.save_button.isEnabled()


def test_exports_of_the_shown_rows(qtbot: QtBot, ctx: AppContext, register: Register, recorder: Recorder,
                                   tmp_path: Path) -> None:
    page = run_page(qtbot, ctx)
    page.filter.setCurrentText("临界")
    page.export(tmp_path / "临界.xlsx", "xlsx")
    page.export(tmp_path / "临界.pdf", "pdf")
    qtbot.waitUntil(lambda: len(recorder.messages) == 2, timeout=10_000)
    assert recorder.messages[0][1].startswith("已导出 1 家企业的预审结果：")
    book = openpyxl.load_workbook(tmp_path / "临界.xlsx")
    assert [c.value for c in next(book["临界名单"].iter_rows(min_row=3))][0] == "杭州临界科技有限公司"
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "临界.pdf").pages).replace("\n", "")
    assert "杭州临界科技有限公司" in text and "杭州甲乙丙科技有限公司" not in text


def test_selected_rows_saved_as_pre_reviews(qtbot: QtBot, ctx: AppContext, register: Register,
                                            recorder: Recorder) -> None:
    page = run_page(qtbot, ctx)
    page.results.selectAll()
    dialog = page.open_save_dialog()
    assert dialog is not None and dialog.windowTitle() == "保存为预审记录（2 家）"
    dialog.reviewer.setText("李科长")
    dialog.submit()
    qtbot.waitUntil(lambda: bool(recorder.messages), timeout=10_000)
    assert recorder.messages[-1][1] == "已保存 2 条预审记录。"
    [near] = list_pre_reviews(ctx.opened.db, register.near)
    assert (near.verdict, near.reviewer) == ("不符合", "李科长")
    assert near.advice.startswith("未达标：研发费用占比差 0.5 个百分点 ≈ 37万元研发投入。差距较小")
    assert "数据已有变动" in page.summary.text()


def test_what_if_window_opens_the_enterprise_panel(qtbot: QtBot, ctx: AppContext, register: Register) -> None:
    page = run_page(qtbot, ctx)
    page.filter.setCurrentText("临界")
    page.results.selectRow(0)
    window = page.open_what_if()
    assert window is not None
    panel = window.findChild(PrescreenPanel)
    qtbot.waitUntil(lambda: panel.evaluation is not None, timeout=10_000)
    assert panel.evaluation.enterprise_id == register.near and panel.what_if_box.isVisible()
    window.close()


def test_page_is_registered_in_the_main_window(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page("prescreen")
    assert isinstance(window.page("prescreen"), PrescreenPage)
