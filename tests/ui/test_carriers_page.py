"""The carrier page and window over a real database, driven through their widgets: create a carrier (a refused save
first), find it by pinyin initials, recognise it and send it to 整改, enter statistics with anomalies and see them
red with their reasons and blanks as 未填, take in a tenant and graduate it, open the tenant's enterprise, and open
the carrier from a reminder of a tenant over its incubation period."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from services.attachments import list_attachments
from services.carrier_stats import list_stats
from services.carriers import CarrierInput, carrier_rows, create_carrier, get_carrier, update_carrier
from services.dto import EnterpriseInput
from services.register import create_enterprise
from services.tenancies import TenancyInput, add_tenancy, list_tenancies
from tests.ui.test_enterprise_detail import type_text
from ui.main_window import MainWindow
from ui.pages.carriers.detail import CarrierDialog, show_carrier
from ui.pages.carriers.list_page import CarriersPage
from ui.pages.carriers.recognitions_tab import RecognitionDialog, StatusDialog
from ui.pages.carriers.stats_tab import StatDialog
from ui.pages.carriers.tabs import CarrierAttachmentDialog
from ui.pages.carriers.tenants_tab import GraduateDialog, TenantDialog
from ui.pages.enterprises.detail import EnterpriseDialog
from ui.pages.reminders import RemindersPage
from ui.widgets.form_dialog import FormDialog
from ui.widgets.questions import Unsaved

TIMEOUT = 10_000


def submit(qtbot: QtBot, form: FormDialog) -> None:
    qtbot.mouseClick(form.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=TIMEOUT)


def carriers_page(window: MainWindow, qtbot: QtBot) -> CarriersPage:
    window.show_page("carriers")
    page = window.page("carriers")
    assert isinstance(page, CarriersPage)
    qtbot.waitUntil(lambda: not page.refresh.loading and page.kind.count() > 1, timeout=TIMEOUT)
    return page


def test_a_clerks_carrier_workflow(qtbot: QtBot, window: MainWindow) -> None:
    db = window.ctx.opened.db
    page = carriers_page(window, qtbot)
    assert page.table.records.rowCount() == 0 and page.status.text().startswith("共 0 个载体")

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(CarrierDialog)
    assert dialog is not None and dialog.carrier_id is None
    qtbot.waitUntil(lambda: dialog.options is not None, timeout=TIMEOUT)
    type_text(qtbot, dialog.basic.area, "12x")
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.basic.form.problem("area_m2") == "面积应为数字（单位：平方米）" and dialog.carrier_id is None
    dialog.basic.area.clear()
    type_text(qtbot, dialog.basic.area, "11200")
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.ctx.runner.is_idle, timeout=TIMEOUT)
    assert dialog.basic.form.problem("name") == "载体名称不能为空"  # refused by the service, nothing saved
    type_text(qtbot, dialog.basic.name, "运河汽车互联网孵化器")
    type_text(qtbot, dialog.basic.operator, "杭州运河汽车互联网有限公司")
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=TIMEOUT)
    assert dialog.detail is not None and dialog.title.text() == "运河汽车互联网孵化器"
    cid = dialog.detail.id
    qtbot.waitUntil(lambda: page.table.records.rowCount() == 1, timeout=TIMEOUT)  # the list refreshed itself

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "yhqc")
    assert page.table.records.rowCount() == 1
    qtbot.keyClicks(page.search, "zz")
    assert page.table.records.rowCount() == 0 and page.status.text().startswith("筛选出 0 个载体")
    page.search.clear()

    # 认定 as 市级, then 整改 with its date and document number.
    dialog.tabs.setCurrentWidget(dialog.recognitions)
    qtbot.waitUntil(lambda: dialog.recognitions.data is not None, timeout=TIMEOUT)
    form = dialog.recognitions.new_recognition()
    assert isinstance(form, RecognitionDialog)
    form.recognized_on.setText("2019-03-01")
    type_text(qtbot, form.doc_no, "杭科高〔2019〕8号")
    submit(qtbot, form)
    qtbot.waitUntil(lambda: dialog.recognitions.table.records.rowCount() == 1, timeout=TIMEOUT)
    dialog.recognitions.table.select_key(dialog.recognitions.data[0].id)
    change = dialog.recognitions.change_status()
    assert isinstance(change, StatusDialog) and change.status.currentText() == "整改"
    change.changed_on.setText("2021-04-01")
    type_text(qtbot, change.notes, "年度评价不合格，限期整改")
    submit(qtbot, change)
    qtbot.waitUntil(lambda: dialog.recognitions.events.records.rowCount() == 2, timeout=TIMEOUT)
    assert dialog.recognitions.table.records.index(0, 2).data() == "整改"
    assert dialog.recognitions.events.records.index(1, 3).data() == "年度评价不合格，限期整改"

    # A year's statistics with two anomalies and a blank.
    dialog.tabs.setCurrentWidget(dialog.stats)
    qtbot.waitUntil(lambda: dialog.stats.data is not None, timeout=TIMEOUT)
    stat_form = dialog.stats.edit(None)
    assert isinstance(stat_form, StatDialog)
    stat_form.year.setValue(2024)
    stat_form.quarter.setCurrentIndex(stat_form.quarter.findData(None))
    for key, text in (("investment_total_wan", "507000"), ("floor_area_m2", "11200"), ("incubating_count", "23"),
                      ("new_count", "24"), ("employees", "100")):
        type_text(qtbot, stat_form.fields[key], text)
    submit(qtbot, stat_form)
    qtbot.waitUntil(lambda: dialog.stats.model.rowCount() == 1, timeout=TIMEOUT)
    model = dialog.stats.model
    assert model.severity(0, "new_count") == "red" and model.severity(0, "investment_total_wan") == "red"
    assert model.severity(0, "incubating_count") is None
    graduated = 1 + list(model.stat(0).figures).index("graduated_count")
    assert model.index(0, graduated).data() == "未填" and list_stats(db, cid)[0].figures["graduated_count"] is None
    new_cell = model.index(0, 1 + list(model.stat(0).figures).index("new_count"))
    assert new_cell.data(Qt.ItemDataRole.ToolTipRole) == "当年新增孵化企业数（24）大于在孵企业数（23）"
    assert "红色 2 项" in dialog.stats.summary.text() and "未填" in dialog.stats.summary.text()

    # A tenant enters, then graduates; a double-click opens it in the enterprise window.
    tenant = create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司", industry_field_code="biomed"))
    dialog.tabs.setCurrentWidget(dialog.tenants)
    qtbot.waitUntil(lambda: dialog.tenants.data is not None, timeout=TIMEOUT)
    entry = dialog.tenants.new_tenant()
    assert isinstance(entry, TenantDialog)
    qtbot.keyClicks(entry.search, "hzjk")
    qtbot.waitUntil(lambda: entry.enterprise.count() == 1 and entry.months.value() == 72, timeout=TIMEOUT)
    assert "生物与新医药" in entry.months_hint.text()
    entry.entered_on.setText("2023-05-01")
    submit(qtbot, entry)
    qtbot.waitUntil(lambda: dialog.tenants.table.records.rowCount() == 1, timeout=TIMEOUT)
    (record,) = dialog.tenants.data
    assert (record.status, record.period_end) == ("在孵", dt.date(2029, 4, 30))
    dialog.tenants.table.select_key(record.id)
    leaving = dialog.tenants._form(GraduateDialog)
    assert isinstance(leaving, GraduateDialog)
    submit_button = leaving.buttons.buttons()[0]
    qtbot.mouseClick(submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: leaving.form.problem("criteria") != "", timeout=TIMEOUT)
    assert leaving.form.problem("criteria") == "毕业须至少满足一项毕业条件"  # refused until a criterion is ticked
    leaving.criteria["融资"].setChecked(True)
    submit(qtbot, leaving)
    qtbot.waitUntil(lambda: dialog.tenants.data[0].status == "毕业", timeout=TIMEOUT)
    assert list_tenancies(db, cid)[0].criteria == ("融资",)
    assert "已毕业 1 家" in dialog.tenants.summary.text()
    dialog.tenants.table.select_key(record.id)
    dialog.tenants.table.activated.emit(dialog.tenants.table.currentIndex())
    enterprise = window.findChild(EnterpriseDialog)
    assert enterprise is not None and enterprise.enterprise_id == tenant.id
    enterprise.close()
    dialog.tabs.setCurrentWidget(dialog.history)
    qtbot.waitUntil(lambda: dialog.history.table.records.rowCount() > 0, timeout=TIMEOUT)
    assert any("载体认定变更" in line for line in dialog.history.lines())
    dialog.close()
    assert [r.status for r in carrier_rows(db)] == ["整改中"]


def test_a_reminder_of_a_tenant_over_its_period_opens_the_carrier(qtbot: QtBot, window: MainWindow,
                                                                  tmp_path: Path) -> None:
    db = window.ctx.opened.db
    page = carriers_page(window, qtbot)
    cid = create_carrier(db, CarrierInput(name="莱克孵化器", kind_code="incubator")).id
    firm = create_enterprise(db, EnterpriseInput(name="杭州乙科技有限公司"))
    add_tenancy(db, cid, TenancyInput(enterprise_id=firm.id, entered_on=dt.date.today().replace(day=1)
                                      - dt.timedelta(days=5 * 366)))
    page.reload()
    qtbot.waitUntil(lambda: page.table.records.rowCount() == 1, timeout=TIMEOUT)
    assert page.table.records.index(0, 8).data() == "1"  # 超孵化期
    window.show_page("reminders")
    reminders = window.page("reminders")
    assert isinstance(reminders, RemindersPage)
    qtbot.waitUntil(lambda: reminders.result is not None and not reminders.refresh.loading, timeout=TIMEOUT)
    reminders.kind.setCurrentIndex(reminders.kind.findData("incubation_period"))
    assert reminders.overdue.records.rowCount() == 1 and reminders.upcoming.records.rowCount() == 0
    assert reminders.overdue.records.index(0, 4).data() == "杭州乙科技有限公司"
    reminders.overdue.selectRow(0)
    reminders.overdue.activated.emit(reminders.overdue.currentIndex())
    dialog = window.findChild(CarrierDialog)
    assert dialog is not None and dialog.carrier_id == cid and dialog.tabs.currentWidget() is dialog.tenants
    qtbot.waitUntil(lambda: dialog.tenants.data is not None, timeout=TIMEOUT)
    assert dialog.tenants.table.records.records[0].tone == "overdue"
    assert "超过孵化期 1 家" in dialog.tenants.summary.text()

    # The recognition document attached to the carrier.
    document = tmp_path / "认定文件.pdf"
    document.write_bytes(b"%PDF-1.4 test")
    dialog.tabs.setCurrentWidget(dialog.attachments)
    qtbot.waitUntil(lambda: dialog.attachments.data is not None, timeout=TIMEOUT)
    dialog.attachments.add()
    form = dialog.findChild(CarrierAttachmentDialog)
    assert form is not None
    form.path.setText(str(document))
    submit(qtbot, form)
    qtbot.waitUntil(lambda: dialog.attachments.table.records.rowCount() == 1, timeout=TIMEOUT)
    assert [a.file_name for a in list_attachments(db, "carrier", cid)] == ["认定文件.pdf"]
    dialog.close()


def test_unsaved_edits_are_asked_about_and_a_colleagues_save_is_explained(qtbot: QtBot, window: MainWindow) -> None:
    db = window.ctx.opened.db
    first = create_carrier(db, CarrierInput(name="莱克孵化器", kind_code="incubator", address="湖州街1号")).id
    second = create_carrier(db, CarrierInput(name="莱克空间", kind_code="maker_space")).id
    dialog = show_carrier(window.ctx, window, first)
    qtbot.waitUntil(lambda: dialog.detail is not None and dialog.options is not None, timeout=TIMEOUT)
    answers = [Unsaved.CANCEL, Unsaved.DISCARD]
    dialog.ask = lambda _parent, _text: answers.pop(0)
    type_text(qtbot, dialog.basic.notes, "备注")
    assert dialog.status.text() == "有未保存的修改"
    assert not dialog.open_carrier(second) and dialog.carrier_id == first  # cancelled: the edit stays
    assert dialog.basic.notes.toPlainText() == "备注"
    assert dialog.open_carrier(second) and dialog.carrier_id == second  # discarded
    qtbot.waitUntil(lambda: dialog.detail is not None and dialog.detail.id == second, timeout=TIMEOUT)

    dialog.open_carrier(first)
    qtbot.waitUntil(lambda: dialog.detail is not None and dialog.detail.id == first, timeout=TIMEOUT)
    opened = get_carrier(db, first)
    update_carrier(db, first, replace(opened.as_input(), address="湖州街2号"), expected=opened.as_input())
    dialog.basic.address.clear()
    type_text(qtbot, dialog.basic.address, "湖州街3号")
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.banner.isVisible(), timeout=TIMEOUT)
    assert "地址：湖州街1号 → 湖州街2号" in dialog.banner.text() and dialog.basic.address.text() == "湖州街3号"
    dialog.reload_discarding()
    qtbot.waitUntil(lambda: dialog.basic.address.text() == "湖州街2号", timeout=TIMEOUT)
    assert not dialog.dirty()
    dialog.close()
