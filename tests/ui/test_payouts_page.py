"""政策兑现 page over a real database: a notice from draft to paid, live shares, filters, unsaved changes, export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from models import Carrier
from models.db import Database
from services.dto import EnterpriseInput
from services.payouts import PAID, NoticeInput, PayeeRow, PaymentInput
from services.payouts_edit import create_notice
from services.register import create_enterprise
from services.session import unit_of_work
from services.users import Actor, sign_in
from tests.ui.test_enterprise_detail import type_text
from ui.main_window import MainWindow
from ui.pages.payouts.editor import NoticeEditor
from ui.pages.payouts.page import PayoutsPage
from ui.pages.payouts.payee_dialog import PayeeDialog
from ui.pages.payouts.payments_model import CITY, DISTRICT, TOTAL
from ui.widgets.questions import Unsaved

MANAGER = Actor("zhangke", "张科长", "manager")
CLERK = Actor("xiaowang", "小王", "clerk")


@pytest.fixture(autouse=True)
def signed_out() -> Iterator[None]:
    yield
    sign_in(None)


@pytest.fixture
def firms(db: Database) -> list[int]:
    ids = [create_enterprise(db, EnterpriseInput(name=name)).id
           for name in ("杭州匠控科技有限公司", "杭州云栖数据有限公司")]
    with unit_of_work(db) as session:
        session.add(Carrier(name="运河创客空间", name_norm="运河创客空间", kind_code="maker_space"))
    return ids


def open_page(window: MainWindow, qtbot: QtBot) -> PayoutsPage:
    window.show_page("payouts")
    page = window.page("payouts")
    assert isinstance(page, PayoutsPage)
    idle(window, qtbot)
    return page


def idle(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(window.ctx.runner.is_idle, timeout=10_000)


def cell(editor: NoticeEditor, row: int, col: int) -> str:
    return editor.payments.index(row, col).data()


def test_payees_are_found_by_pinyin_initials(qtbot: QtBot, window: MainWindow, firms: list[int]) -> None:
    dialog = PayeeDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.search, "yhck")
    qtbot.waitUntil(lambda: dialog.searched == "yhck", timeout=10_000)
    assert [r.name for r in dialog.found] == ["运河创客空间"]
    dialog.search.clear()
    type_text(qtbot, dialog.search, "杭州")
    qtbot.waitUntil(lambda: dialog.searched == "杭州", timeout=10_000)
    dialog.results.selectAll()
    dialog.amount.setText("40")
    assert sorted(p.name for p in dialog.chosen()) == ["杭州云栖数据有限公司", "杭州匠控科技有限公司"]
    assert dialog.amount_wan() == Decimal(40)


def test_a_notice_from_draft_to_paid(qtbot: QtBot, window: MainWindow, db: Database, firms: list[int],
                                     tmp_path: Path) -> None:
    page = open_page(window, qtbot)
    editor = page.editor
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, editor.form.programme.lineEdit(), "国高企认定奖励")
    editor.form.cohort.setValue(2018)
    assert editor.form.title_edit.text() == "关于兑现拱墅区2018年度国高企认定奖励资金的通知"
    type_text(qtbot, editor.form.doc_no, "拱科发〔2019〕12号")
    editor.form.issued.clear()
    qtbot.keyClicks(editor.form.issued, "2019-04-20")
    payees = [PayeeRow("企业", firms[0], "杭州匠控科技有限公司", None, None),
              PayeeRow("企业", firms[1], "杭州云栖数据有限公司", None, None)]
    editor.choose_payees = lambda: (payees, Decimal(40))
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert [cell(editor, 0, c) for c in (TOTAL, CITY, DISTRICT)] == ["40.00", "20.00", "20.00"]
    editor.payments.setData(editor.payments.index(1, TOTAL), "0.000003")  # 3 分: 2 分 city, 1 分 district
    assert [cell(editor, 1, c) for c in (TOTAL, CITY, DISTRICT)] == ["0.000003", "0.000002", "0.000001"]
    editor.payments.setData(editor.payments.index(0, CITY), "15")
    assert cell(editor, 0, DISTRICT) == "25.00"
    assert "2 笔，兑现金额 40.000003 万元（市级资金 15.000002 万元，区级资金 25.000001 万元" in editor.totals.text()
    assert editor.dirty() and editor.status.text() == "有未保存的修改"

    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    idle(window, qtbot)
    assert editor.detail is not None and editor.status.text() == "已保存" and not editor.dirty()
    assert [(p.amount_city_wan, p.amount_district_wan) for p in editor.detail.payments] == [
        (Decimal(15), Decimal(25)), (Decimal("0.000002"), Decimal("0.000001"))]
    assert page.notices.view.records.rowCount() == 1 and page.notices.view.current_key() == editor.detail.id

    qtbot.mouseClick(editor.audit_button, Qt.MouseButton.LeftButton)
    idle(window, qtbot)
    editor.ask_date = lambda *_a: dt.date(2019, 4, 25)
    qtbot.mouseClick(editor.publicize_button, Qt.MouseButton.LeftButton)
    idle(window, qtbot)
    assert editor.status_label.text() == "已公示" and not editor.save_button.isEnabled()
    sign_in(CLERK)
    editor.show_detail(editor.detail)
    assert editor.approve_button.isHidden() and "等待科长/局领导批准" in editor.banner.text()
    sign_in(MANAGER)
    editor.show_detail(editor.detail)
    assert not editor.approve_button.isHidden()
    qtbot.mouseClick(editor.approve_button, Qt.MouseButton.LeftButton)
    idle(window, qtbot)
    assert editor.detail.approved_by == "张科长" and "由张科长批准，不能再修改" in editor.banner.text()
    editor.ask_date = lambda *_a: dt.date.today()
    qtbot.mouseClick(editor.pay_button, Qt.MouseButton.LeftButton)
    idle(window, qtbot)
    assert editor.status_label.text() == PAID and cell(editor, 0, 8) == dt.date.today().isoformat()

    target = tmp_path / "名单.xlsx"
    editor.choose_path = lambda _parent, suggested: target if suggested == "拱科发〔2019〕12号兑现名单.xlsx" else None
    qtbot.mouseClick(editor.export_button, Qt.MouseButton.LeftButton)
    idle(window, qtbot)
    assert openpyxl.load_workbook(target).active["B5"].value == "杭州匠控科技有限公司"
    assert "已导出兑现名单" in window.ctx.sink.messages[-1][1]  # type: ignore[union-attr]

    page.notices.status.setCurrentIndex(page.notices.status.findData("草稿"))
    page.notices.status.activated.emit(page.notices.status.currentIndex())
    idle(window, qtbot)
    assert page.notices.view.records.rowCount() == 0
    page.tabs.setCurrentIndex(1)
    idle(window, qtbot)
    assert [(r.label, r.total_wan, r.paid_wan) for r in page.summary.rows] == [
        ("国高企认定奖励", Decimal("40.000003"), Decimal("40.000003"))]


def _notice(db: Database, firm: int, batch: int) -> int:
    data = NoticeInput(f"关于兑现2018年度第{batch}批研发投入补助资金的通知", "研发投入补助", 2018, dt.date(2019, 9, 5),
                       batch_no=batch)
    return create_notice(db, data, [PaymentInput(Decimal(50), enterprise_id=firm)]).id


def test_unsaved_changes_and_duplicate_warnings(qtbot: QtBot, window: MainWindow, db: Database,
                                               firms: list[int]) -> None:
    first, second = _notice(db, firms[0], 1), _notice(db, firms[0], 2)
    page = open_page(window, qtbot)
    editor = page.editor
    page.notices.view.select_key(first)
    idle(window, qtbot)
    assert editor.notice_id == first and "已在《关于兑现2018年度第2批" in editor.warnings.text()
    type_text(qtbot, editor.form.notes, "待核")
    editor.ask = lambda *_a: Unsaved.CANCEL
    page.notices.view.select_key(second)
    idle(window, qtbot)
    assert editor.notice_id == first and page.notices.view.current_key() == first and editor.form.notes.text() == "待核"
    editor.ask = lambda *_a: Unsaved.SAVE
    page.notices.view.select_key(second)
    idle(window, qtbot)
    assert editor.notice_id == second and editor.detail is not None and editor.detail.id == second
    page.notices.view.select_key(first)
    idle(window, qtbot)
    assert editor.form.notes.text() == "待核"  # saved before moving on
    type_text(qtbot, page.notices.search, "云栖")
    qtbot.waitUntil(lambda: page.notices.view.records.rowCount() == 0, timeout=10_000)
    type_text(qtbot, editor.form.notes, "，再核")
    window.show_page("dashboard")
    editor.ask = lambda *_a: Unsaved.CANCEL
    window.close()
    assert window.isVisible() and editor.dirty()
    editor.ask = lambda *_a: Unsaved.DISCARD
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
