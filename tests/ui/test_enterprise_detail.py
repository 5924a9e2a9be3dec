"""The enterprise window over a real database, driven through its widgets: a refused credit code and its fix,
a 国高企 certification seen on the reminders page while it nears expiry and not after, a yearly figure found in
the history, unsaved changes, an optimistic-locking conflict, and the record tabs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from services.dto import EnterpriseInput
from services.enterprise_list import list_ids
from services.enterprise_records import list_visits
from services.qualifications import list_qualifications
from services.register import create_enterprise, get_enterprise, update_enterprise
from services.uscc import make_uscc
from ui.main_window import MainWindow
from ui.pages.enterprises.attachments_tab import AttachmentDialog
from ui.pages.enterprises.detail import EnterpriseDialog, show_enterprise
from ui.pages.enterprises.qualifications_tab import QualificationDialog
from ui.pages.enterprises.visits_tab import CloseIssueDialog, VisitDialog
from ui.pages.reminders import RemindersPage
from ui.widgets.questions import Unsaved

GOOD = make_uscc("91330105MA2B7QXK0")
BAD = GOOD[:17] + ("1" if GOOD[17] != "1" else "2")


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type into a widget: Latin through key clicks, Chinese committed like an input method does."""
    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def new_dialog(window: MainWindow, qtbot: QtBot) -> EnterpriseDialog:
    window.show_page("enterprises")
    page = window.page("enterprises")
    page.new_enterprise()  # type: ignore[attr-defined]
    dialog = window.findChild(EnterpriseDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.catalog is not None, timeout=10_000)
    return dialog


def save(dialog: EnterpriseDialog, qtbot: QtBot) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(dialog.ctx.runner.is_idle, timeout=10_000)


def open_saved(qtbot: QtBot, window: MainWindow, enterprise_id: int) -> EnterpriseDialog:
    dialog = show_enterprise(window.ctx, window, enterprise_id)
    qtbot.waitUntil(lambda: dialog.detail is not None and dialog.catalog is not None, timeout=10_000)
    return dialog


def test_create_refused_for_a_bad_code_then_certified_and_reminded(qtbot: QtBot, window: MainWindow) -> None:
    db = window.ctx.opened.db
    dialog = new_dialog(window, qtbot)
    type_text(qtbot, dialog.identity.name, "杭州匠控科技有限公司")
    type_text(qtbot, dialog.identity.uscc, BAD)
    assert "校验位错误" in dialog.identity.uscc_status.text()
    assert "拱墅区（330105）" in dialog.identity.uscc_status.text()  # registering district, positions 3–8
    save(dialog, qtbot)
    assert f"第18位应为“{GOOD[17]}”" in dialog.identity.form.problem("uscc")
    assert dialog.enterprise_id is None and list_ids(db) == []  # refused: nothing saved

    dialog.identity.uscc.clear()
    type_text(qtbot, dialog.identity.uscc, GOOD.lower())
    assert dialog.identity.uscc_status.text().startswith("✓ 校验通过")
    save(dialog, qtbot)
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=10_000)
    assert dialog.detail is not None and dialog.detail.uscc == GOOD and dialog.detail.uscc_region == "拱墅区"
    assert dialog.identity.form.problem("uscc") == "" and dialog.title.text() == "杭州匠控科技有限公司"
    eid = dialog.detail.id

    # A 国高企 certified 3 years less 60 days ago: its certificate ends in about two months.
    today = dt.date.today()
    certified = today.replace(year=today.year - 3) + dt.timedelta(days=60)
    dialog.tabs.setCurrentWidget(dialog.qualifications)
    qtbot.waitUntil(lambda: dialog.qualifications.data is not None, timeout=10_000)
    form = dialog.qualifications.new_qualification()
    assert isinstance(form, QualificationDialog)
    form.type.setCurrentIndex(form.type.findData("national_hte"))
    form.year.setValue(certified.year)
    form.certified_on.setText(certified.isoformat())
    assert "自认定之日起3年" in form.validity.text()
    qtbot.mouseClick(form.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10_000)
    (qual,) = list_qualifications(db, eid)
    assert qual.valid_to is not None and 55 <= (qual.valid_to - today).days <= 62
    qtbot.waitUntil(lambda: dialog.qualifications.table.records.rowCount() == 1, timeout=10_000)

    window.show_page("reminders")
    reminders = window.page("reminders")
    assert isinstance(reminders, RemindersPage)
    qtbot.waitUntil(lambda: reminders.result is not None and not reminders.refresh.loading, timeout=10_000)
    assert [(r.subject_id, r.title, r.band) for r in reminders.result.upcoming] == [(eid, "国高企证书到期", 90)]
    reminders.kind.setCurrentIndex(0)  # 全部类别 (the choice is remembered from earlier use)
    assert reminders.upcoming.records.rowCount() == 1
    assert reminders.upcoming.records.index(0, 4).data() == "杭州匠控科技有限公司"

    reminders.as_of = qual.valid_to + dt.timedelta(days=1)  # the day after it expired
    reminders.reload()
    qtbot.waitUntil(lambda: reminders.result is not None and reminders.result.as_of == reminders.as_of,
                    timeout=10_000)
    assert reminders.result.upcoming == () and reminders.result.overdue == ()
    assert reminders.upcoming.records.rowCount() == 0 and reminders.overdue.records.rowCount() == 0
    dialog.close()


def test_a_yearly_figure_edited_in_the_grid_shows_in_the_history(qtbot: QtBot, window: MainWindow) -> None:
    eid = create_enterprise(window.ctx.opened.db, EnterpriseInput(name="杭州运河数据有限公司")).id
    dialog = open_saved(qtbot, window, eid)
    dialog.tabs.setCurrentWidget(dialog.facts)
    col = dialog.facts.add_year(2024)
    table = dialog.facts.table
    table.setFocus()
    table.setCurrentCell(0, col)
    qtbot.keyClick(table, Qt.Key.Key_F2)  # edit the cell, as a double-click would
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and table.isAncestorOf(editor)
    qtbot.keyClicks(editor, "120.5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.dirty)  # the delegate commits on the next turn of the event loop
    save(dialog, qtbot)
    assert not dialog.dirty() and dialog.status.text() == "已保存"
    dialog.tabs.setCurrentWidget(dialog.history)
    qtbot.waitUntil(lambda: any("年度数据 2024年" in line for line in dialog.history.lines()), timeout=10_000)
    (added,) = [line for line in dialog.history.lines() if line[3] == "年度数据 2024年"]
    assert added[2] == "新增" and "营业收入(万元)：120.5" in added[6]

    # Changing the figure: the history names the year, the field, the old and the new value.
    dialog.tabs.setCurrentWidget(dialog.facts)
    dialog.facts.set_cell(2024, "revenue_wan", "130")
    save(dialog, qtbot)
    dialog.tabs.setCurrentWidget(dialog.history)
    qtbot.waitUntil(lambda: any(line[2] == "修改" for line in dialog.history.lines()), timeout=10_000)
    changed = next(line for line in dialog.history.lines() if line[2] == "修改")
    assert changed[3:7] == ("年度数据 2024年", "营业收入(万元)", "120.50", "130.00")

    # A figure that breaks a rule is refused with the cell named.
    dialog.tabs.setCurrentWidget(dialog.facts)
    dialog.facts.set_cell(2024, "rd_domestic_wan", "10")
    dialog.facts.set_cell(2024, "rd_expense_wan", "5")
    save(dialog, qtbot)
    assert dialog.facts.problems == ["2024年 境内研发费用(万元)：境内研发费用不能大于研发费用"]
    assert dialog.dirty()
    dialog.ask = lambda _parent, _text: Unsaved.DISCARD
    dialog.close()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert not dialog.dirty()


def test_unsaved_changes_are_not_lost_silently(qtbot: QtBot, window: MainWindow) -> None:
    db = window.ctx.opened.db
    first = create_enterprise(db, EnterpriseInput(name="杭州甲科技有限公司")).id
    second = create_enterprise(db, EnterpriseInput(name="杭州乙科技有限公司")).id
    dialog = open_saved(qtbot, window, first)
    asked: list[str] = []
    answers = [Unsaved.CANCEL, Unsaved.CANCEL, Unsaved.SAVE]

    def ask(_parent: QWidget, text: str) -> Unsaved:
        asked.append(text)
        return answers.pop(0)

    dialog.ask = ask
    dialog.identity.contact_person.setText("张三")
    dialog.close()  # cancel: stays open with the edit
    assert dialog.isVisible() and dialog.identity.contact_person.text() == "张三"
    assert not dialog.open_enterprise(second)  # cancel: stays on the first one
    assert dialog.enterprise_id == first
    dialog.open_enterprise(second)  # save, then switch
    qtbot.waitUntil(lambda: dialog.detail is not None and dialog.detail.id == second, timeout=10_000)
    assert get_enterprise(db, first).contact_person == "张三"
    assert asked == ["“杭州甲科技有限公司”有尚未保存的修改。要保存吗？"] * 3
    dialog.close()
    assert not dialog.isVisible()  # nothing unsaved: closes at once


def test_a_conflicting_save_is_explained_and_keeps_the_edits(qtbot: QtBot, window: MainWindow) -> None:
    db = window.ctx.opened.db
    eid = create_enterprise(db, EnterpriseInput(name="杭州冲突科技有限公司")).id
    dialog = open_saved(qtbot, window, eid)
    update_enterprise(db, eid, EnterpriseInput(name="杭州冲突科技有限公司", address="别人改的地址"),
                      expected_version=1)
    dialog.identity.contact_phone.setText("0571-12345678")
    save(dialog, qtbot)
    assert "已被他人修改" in dialog.banner.text() and dialog.reload_button.isVisible()
    assert dialog.identity.contact_phone.text() == "0571-12345678" and dialog.dirty()
    dialog.reload_button.click()
    qtbot.waitUntil(lambda: dialog.identity.address.text() == "别人改的地址", timeout=10_000)
    assert not dialog.dirty() and not dialog.banner.isVisible()
    dialog.close()


def test_visits_and_issues_closed_one_by_one(qtbot: QtBot, window: MainWindow) -> None:
    db = window.ctx.opened.db
    eid = create_enterprise(db, EnterpriseInput(name="杭州走访科技有限公司")).id
    dialog = open_saved(qtbot, window, eid)
    dialog.tabs.setCurrentWidget(dialog.visits)
    dialog.visits.add_button.click()
    form = dialog.visits.findChild(VisitDialog)
    assert form is not None
    type_text(qtbot, form.issues, "用地需求 2099-01-01\n人才公寓")
    assert [(i.description, i.due_on) for i in form.parsed_issues()] == [
        ("用地需求", dt.date(2099, 1, 1)), ("人才公寓", None)]
    form.submit()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: dialog.visits.issues.records.rowCount() == 2, timeout=10_000)
    dialog.visits.issues.selectRow(1)
    dialog.visits.close_button.click()
    closing = dialog.visits.findChild(CloseIssueDialog)
    assert closing is not None
    closing.submit()  # no result written: refused, stays open
    qtbot.waitUntil(lambda: bool(closing.form.problem("resolution")), timeout=10_000)
    type_text(qtbot, closing.resolution, "已协调人才公寓")
    closing.submit()
    qtbot.waitUntil(lambda: not closing.isVisible(), timeout=10_000)
    (visit,) = list_visits(db, eid)
    assert visit.open_issues == 1
    dialog.close()


def test_attachments_added_and_listed(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    eid = create_enterprise(window.ctx.opened.db, EnterpriseInput(name="杭州附件科技有限公司")).id
    dialog = open_saved(qtbot, window, eid)
    dialog.tabs.setCurrentWidget(dialog.attachments)
    source = tmp_path / "高企证书.pdf"
    source.write_bytes(b"%PDF-1.4 test certificate")
    dialog.attachments.add()
    form = dialog.attachments.findChild(AttachmentDialog)
    assert form is not None
    form.submit()
    assert form.form.problem("file") == "请选择要附加的文件"
    form.path.setText(str(source))
    form.submit()
    qtbot.waitUntil(lambda: dialog.attachments.table.records.rowCount() == 1, timeout=10_000)
    assert dialog.attachments.table.records.index(0, 0).data() == "高企证书.pdf"
    target = tmp_path / "copy.pdf"
    info = dialog.attachments.selected() or dialog.attachments.data[0]
    dialog.attachments.copy_to(info, target)
    qtbot.waitUntil(window.ctx.runner.is_idle, timeout=10_000)
    assert target.read_bytes() == source.read_bytes()
    dialog.close()


@pytest.mark.parametrize("tab", ["rd", "pools", "prereviews", "history"])
def test_every_tab_loads_for_a_new_enterprise(qtbot: QtBot, window: MainWindow, tab: str) -> None:
    eid = create_enterprise(window.ctx.opened.db, EnterpriseInput(name="杭州空白科技有限公司")).id
    dialog = open_saved(qtbot, window, eid)
    widget = getattr(dialog, tab)
    dialog.tabs.setCurrentWidget(widget)
    qtbot.waitUntil(lambda: widget.data is not None, timeout=10_000)
    dialog.close()


def test_the_pre_screening_module_can_place_its_panel(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QLabel

    from ui.pages.enterprises import prereview_tab

    made: list[int] = []

    def panel(_ctx: object, enterprise_id: int) -> QWidget:
        made.append(enterprise_id)
        return QLabel("预审评估面板")

    prereview_tab.set_evaluation_panel(panel)
    try:
        eid = create_enterprise(window.ctx.opened.db, EnterpriseInput(name="杭州预审科技有限公司")).id
        dialog = open_saved(qtbot, window, eid)
        assert made == [eid] and isinstance(dialog.prereviews.panel, QLabel)
        assert dialog.prereviews.isAncestorOf(dialog.prereviews.panel)
        dialog.close()
    finally:
        prereview_tab.set_evaluation_panel(None)
