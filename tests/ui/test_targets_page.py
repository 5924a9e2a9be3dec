"""目标考核 page over a real database: import the Gongshu table, edit and save the grid, progress and rank."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from models import Subdistrict
from models.db import Database
from services.dto import EnterpriseInput
from services.qualifications import QualificationInput, add_qualification
from services.register import create_enterprise
from services.session import read_session
from services.targets import target_grid
from tests.importing.files import write_xlsx
from tests.importing.test_targets_import import GONGSHU
from ui.main_window import MainWindow
from ui.pages.targets.import_dialog import TargetImportDialog
from ui.pages.targets.page import TargetsPage
from ui.widgets.questions import Unsaved


def idle(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(window.ctx.runner.is_idle, timeout=10_000)


def open_page(window: MainWindow, qtbot: QtBot, year: int) -> TargetsPage:
    window.show_page("targets")
    page = window.page("targets")
    assert isinstance(page, TargetsPage)
    idle(window, qtbot)
    page.as_of = dt.date(2026, 1, 1)
    page.year.setValue(year)
    idle(window, qtbot)
    return page


def certify(db: Database, unit: str, n: int) -> None:
    with read_session(db) as session:
        sub_id = session.scalar(select(Subdistrict.id).where(Subdistrict.name == unit))
    for k in range(n):
        firm = create_enterprise(db, EnterpriseInput(name=f"杭州{unit}{k}号科技有限公司", subdistrict_id=sub_id)).id
        add_qualification(db, firm, QualificationInput("national_hte", 2018, certified_on=dt.date(2018, 11, 30)),
                          today=dt.date(2026, 1, 1))


def test_import_edit_and_progress(qtbot: QtBot, window: MainWindow, db: Database, tmp_path: Path) -> None:
    certify(db, "祥符街道", 4)  # target 3: 133.3 %, stretch 5 not reached
    certify(db, "上塘街道", 1)  # target 1: 100 %, stretch 1 reached
    certify(db, "大关街道", 2)  # target 2: 100 % — shares rank 2 with 上塘
    page = open_page(window, qtbot, 2018)
    assert page.grid_model.rowCount() == 12 and page.grid_model.index(0, 0).data() == "全区"

    rows = [line.split("\t") for line in GONGSHU.splitlines()]
    path = write_xlsx(tmp_path / "目标.xlsx", [rows[0], *([r[0], *map(int, r[1:])] for r in rows[1:])])
    dialogs: list[TargetImportDialog] = []

    def run_import() -> None:
        dialog = TargetImportDialog(window.ctx, page)
        dialogs.append(dialog)
        dialog.choose_file = lambda _parent: path
        dialog.browse()
        idle(window, qtbot)
        assert dialog.commit_button.isEnabled() and "新增 12" in dialog.summary.text()
        qtbot.mouseClick(dialog.commit_button, Qt.MouseButton.LeftButton)
        idle(window, qtbot)

    page.open_import = run_import
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert dialogs[0].outcome is not None and "导入批次 IMP-" in dialogs[0].summary.text()
    idle(window, qtbot)
    assert page.grid_model.index(2, 1).data() == "3"  # 祥符 区下达 2018 新增数
    assert page.warnings.isHidden()

    by_unit = {r.unit: r for r in page.progress_tab.progress.units}  # type: ignore[union-attr]
    assert [(by_unit[u].completion_pct, by_unit[u].rank) for u in ("祥符街道", "上塘街道", "大关街道", "半山街道")] \
        == [(Decimal("133.3"), 1), (Decimal("100.0"), 2), (Decimal("100.0"), 2), (Decimal("0.0"), 4)]
    table = page.progress_tab.table.records
    assert table.index(0, 0).data() == "全区" and table.index(0, 5).data() == "25.0%"
    assert {i.label: (i.value, i.target) for i in page.progress_tab.chart.items}["祥符街道"] == (4, 3)
    assert "全区新增 7 家，目标 28 家（区），完成率 25.0%" in page.progress_tab.summary.text()

    page.grid_model.setData(page.grid_model.index(1, 1), "2")  # 上塘 新增数 1 → 2: 属地 no longer add up
    page.grid_model.setData(page.grid_model.index(1, 2), "x")
    assert "区下达新增数：各属地合计 29，全区 28（相差 +1）" in page.warnings.text()
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "上塘街道区下达力争数：" in page.message.text()
    page.grid_model.setData(page.grid_model.index(1, 2), "2")
    page.ask = lambda *_a: Unsaved.CANCEL
    page.year.setValue(2019)
    assert page.year.value() == 2018 and page.dirty()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    idle(window, qtbot)
    assert not page.dirty() and page.status.text() == "已保存"
    saved = {r.unit: r for r in target_grid(db, 2018).rows}["上塘街道"]
    assert (saved.value("区", "required"), saved.value("区", "stretch"), saved.value("区", "base_value")) == (2, 2, 5)
    page.year.setValue(2019)
    idle(window, qtbot)
    assert page.grid_model.index(0, 1).data() == "40"
