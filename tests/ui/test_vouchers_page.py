"""创新券 page over a real database, driven through its widgets: one voucher from 申领 to a paid batch (the cap and
the ratio explained before saving, evidence attached, the batch through the pay-out workflow), the list's filters
and search, providers and rules, and the year-end expiry with its preview."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from services.vouchers import get_grant
from tests.helpers.vouchers import YEAR, D, build
from ui.main_window import MainWindow
from ui.pages.vouchers.admin_tabs import ProviderDialog, RuleDialog
from ui.pages.vouchers.batches_tab import BatchDialog, DateDialog
from ui.pages.vouchers.grant_forms import ApplyDialog, IssueDialog, NotesDialog
from ui.pages.vouchers.grant_window import GrantWindow
from ui.pages.vouchers.page import VouchersPage
from ui.pages.vouchers.use_forms import AuditDialog, EvidenceDialog, RedeemDialog, UseDialog
from ui.widgets.form_dialog import FormDialog


def commit_text(widget: QWidget, text: str) -> None:
    """Chinese typed as an input method commits it (key clicks cannot type it)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def idle(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(window.ctx.runner.is_idle, timeout=10_000)


def voucher_page(window: MainWindow, qtbot: QtBot, tab: int = 0) -> VouchersPage:
    window.show_page("vouchers")
    page = window.page("vouchers")
    assert isinstance(page, VouchersPage)
    page.tabs.setCurrentIndex(tab)
    idle(window, qtbot)
    return page


def save(dialog: FormDialog, window: MainWindow, qtbot: QtBot) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.submit()
    idle(window, qtbot)


def opened(window: MainWindow, kind: type[FormDialog]) -> FormDialog:
    shown = [d for d in window.findChildren(kind) if d.isVisible()]
    assert len(shown) == 1
    return shown[0]


def test_a_voucher_from_application_to_a_paid_batch(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    db = window.ctx.opened.db
    world = build(db)
    page = voucher_page(window, qtbot)
    assert page.grants.status_label.text() == "共 0 张创新券"

    apply = page.grants.new_grant()
    assert isinstance(apply, ApplyDialog)
    commit_text(apply.search, "甲科技")
    qtbot.waitUntil(lambda: apply.enterprise.count() == 1, timeout=10_000)
    apply.year.setValue(YEAR)
    apply.applied_on.setText("2025-03-01")
    idle(window, qtbot)
    assert apply.explanation.text() == "该企业2025年已申领 0 万元，上限 20 万元，本次最多 20 万元"
    qtbot.keyClicks(apply.amount, "20.01")
    assert apply.explanation.text().endswith("本次 20.01 万元 超出上限")
    apply.amount.setText("15")
    save(apply, window, qtbot)

    grant_window = window.findChild(GrantWindow)
    assert grant_window is not None
    qtbot.waitUntil(lambda: grant_window.detail is not None, timeout=10_000)
    assert grant_window.title.text() == "GSCXQ202500001　杭州甲科技有限公司"
    assert not grant_window.use_button.isEnabled()
    assert grant_window.use_button.toolTip() == "创新券 GSCXQ202500001 尚未发放，不能登记使用。"

    qtbot.mouseClick(grant_window.issue_button, Qt.MouseButton.LeftButton)
    issue = opened(window, IssueDialog)
    idle(window, qtbot)
    assert issue.explanation.text() == "该企业2025年已申领 0 万元，上限 20 万元，本次最多 20 万元"
    issue.issued_on.setText("2025-03-10")
    save(issue, window, qtbot)
    assert grant_window.detail.status == "发放" and "余额 15 万元" in grant_window.figures.text()

    qtbot.mouseClick(grant_window.use_button, Qt.MouseButton.LeftButton)
    use = opened(window, UseDialog)
    qtbot.waitUntil(lambda: use.provider.count() == 2, timeout=10_000)
    use.provider.setCurrentIndex(use.provider.findData(world.lab_id))
    use.service.setCurrentText("测试分析")
    use.contract_no.setText("2025330105000123")
    use.contract_amount.setText("30")
    use.paid_amount.setText("30")
    use.voucher_amount.setText("9.5")
    assert use.explanation.text().startswith("使用创新券 9.5 万元 超过上限：本次最多 9 万元（余额 15 万元；"
                                             "实际支付 30 万元")
    use.voucher_amount.setText("9")
    use.used_on.setText("2025-04-10")
    save(use, window, qtbot)
    assert "已使用 9 万元　余额 6 万元" in grant_window.figures.text()

    grant_window.uses.selectRow(0)
    qtbot.mouseClick(grant_window.edit_use_button, Qt.MouseButton.LeftButton)
    edit = opened(window, UseDialog)
    qtbot.waitUntil(lambda: edit.limit is not None, timeout=10_000)
    assert (edit.provider.currentData(), edit.voucher_amount.text()) == (world.lab_id, "9")
    assert edit.limit.balance_wan == D(15)  # the use being corrected does not count against itself
    edit.used_on.setText("2025-04-12")
    save(edit, window, qtbot)
    assert grant_window.uses.records.index(0, 0).data() == "2025-04-12"
    qtbot.mouseClick(grant_window.notes_button, Qt.MouseButton.LeftButton)
    notes = opened(window, NotesDialog)
    notes.notes.setPlainText("合同原件已核")
    save(notes, window, qtbot)
    assert "合同原件已核" in grant_window.subtitle.text()

    grant_window.uses.selectRow(0)
    evidence_file = tmp_path / "检测报告.pdf"
    evidence_file.write_bytes(b"%PDF-1.4 report")
    qtbot.mouseClick(grant_window.evidence_button, Qt.MouseButton.LeftButton)
    evidence = opened(window, EvidenceDialog)
    evidence.path.setText(str(evidence_file))
    save(evidence, window, qtbot)
    qtbot.waitUntil(lambda: grant_window.evidence.records.rowCount() == 1, timeout=10_000)

    grant_window.uses.selectRow(0)
    qtbot.mouseClick(grant_window.redeem_button, Qt.MouseButton.LeftButton)
    redeem = opened(window, RedeemDialog)
    redeem.applied_on.setText("2025-05-06")
    save(redeem, window, qtbot)
    grant_window.redemptions.selectRow(0)
    assert grant_window.audit_button.isEnabled()
    qtbot.mouseClick(grant_window.audit_button, Qt.MouseButton.LeftButton)
    audit = opened(window, AuditDialog)
    assert "市级配套 40% = 3.6 万元，区级 5.4 万元" in audit.findChild(QWidget, "explanation").text()  # type: ignore[union-attr]
    audit.audited_on.setText("2025-05-20")
    save(audit, window, qtbot)
    grant_window.close()

    page.tabs.setCurrentIndex(1)
    batches = page.batches
    batches.year.setValue(YEAR)
    idle(window, qtbot)
    qtbot.waitUntil(lambda: batches.waiting.records.rowCount() == 1, timeout=10_000)
    batches.waiting.selectAll()
    dialog = batches.new_batch()
    assert isinstance(dialog, BatchDialog)
    assert dialog.title.text() == "关于下达拱墅区2025年度第一批创新券补助资金的通知"
    dialog.issued_on.setText("2025-06-10")
    save(dialog, window, qtbot)
    qtbot.waitUntil(lambda: batches.notices.records.rowCount() == 1, timeout=10_000)
    batches.notices.selectRow(0)
    assert batches.notices.records.index(0, 4).data() == "草稿"
    for button in (batches.audit_button, batches.publicize_button, batches.approve_button, batches.pay_button):
        batches.notices.selectRow(0)
        assert button.isEnabled()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        step = next((d for d in window.findChildren(DateDialog) if d.isVisible()), None)
        if step is not None:
            save(step, window, qtbot)
        idle(window, qtbot)
    qtbot.waitUntil(lambda: batches.notices.records.index(0, 4).data() == "已兑付", timeout=10_000)
    grant = get_grant(db, 1)
    assert grant.status == "兑现" and grant.redeemed_wan == D(9) and grant.redemptions[0].paid_on == dt.date.today()
    assert batches.note.text() == "第1批：1 笔，1 家，兑现 9 万元（市级 3.6 万元，区级 5.4 万元）"
    qtbot.waitUntil(lambda: page.strip.totals is not None and page.strip.totals.redeemed_wan == D(9), timeout=10_000)
    assert page.strip.cards["redeemed"].value.text() == "9.00"


def test_list_filters_and_search(qtbot: QtBot, window: MainWindow) -> None:
    from tests.helpers.vouchers import issued

    db = window.ctx.opened.db
    world = build(db)
    issued(db, world.firms["甲"], "5")
    issued(db, world.firms["乙"], "3", applied=dt.date(YEAR, 4, 1))
    issued(db, None, "2", team="张三创客团队", space_id=world.space_id, applied=dt.date(YEAR, 5, 1),
           issued_on=dt.date(YEAR, 5, 2))
    page = voucher_page(window, qtbot)
    grants = page.grants
    qtbot.waitUntil(lambda: grants.model.rowCount() == 3, timeout=10_000)
    qtbot.waitUntil(lambda: grants.model.loaded(0) is not None, timeout=10_000)
    assert [grants.model.index(r, 1).data() for r in range(3)] == ["张三创客团队", "杭州乙智能科技有限公司",
                                                                  "杭州甲科技有限公司"]
    with qtbot.waitSignal(grants.loaded, timeout=10_000):
        qtbot.keyClicks(grants.search, "hzj")
    assert grants.model.ids() == [1] and grants.status_label.text() == "筛选出 1 张创新券"
    grants.search.clear()
    idle(window, qtbot)
    with qtbot.waitSignal(grants.loaded, timeout=10_000):
        grants.select_filter(grants.holder, "maker_team")
    assert grants.model.rowCount() == 1
    grants.view.selectRow(0)
    grants.copy_selection()
    assert QApplication.clipboard().text().splitlines()[1].startswith("GSCXQ202500003\t张三创客团队\t创客团队")


def test_providers_rules_and_year_end_expiry(qtbot: QtBot, window: MainWindow) -> None:
    db = window.ctx.opened.db
    world = build(db)
    from services.vouchers import GrantInput, apply_grant

    apply_grant(db, GrantInput(YEAR, D(2), dt.date(YEAR, 11, 1), enterprise_id=world.firms["甲"]))
    page = voucher_page(window, qtbot, tab=3)
    providers = page.providers
    qtbot.waitUntil(lambda: providers.table.records.rowCount() == 2, timeout=10_000)
    add = providers._open(None)
    assert isinstance(add, ProviderDialog)
    commit_text(add.name, "杭州电子科技大学技术转移中心")
    add.kind.setCurrentText("高校技术转移中心")
    save(add, window, qtbot)
    qtbot.waitUntil(lambda: providers.table.records.rowCount() == 3, timeout=10_000)
    qtbot.keyClicks(providers.search, "hzdz")
    qtbot.waitUntil(lambda: providers.table.records.rowCount() == 1, timeout=10_000)
    assert providers.table.records.index(0, 0).data() == "杭州电子科技大学技术转移中心"

    page.tabs.setCurrentIndex(4)
    rules = page.rules
    qtbot.waitUntil(lambda: rules.table.records.rowCount() == 1, timeout=10_000)
    dialog = rules.add()
    assert isinstance(dialog, RuleDialog) and dialog.year.value() == YEAR + 1
    dialog.cofund.setText("45%")
    dialog.submit()
    idle(window, qtbot)
    assert "不超过区县年度兑现总额的40%" in dialog.form.problem("city_cofund_max_ratio")
    dialog.cofund.setText("40")
    dialog.ratio.setText("35%")
    save(dialog, window, qtbot)
    qtbot.waitUntil(lambda: rules.table.records.rowCount() == 2, timeout=10_000)
    assert rules.table.records.index(0, 3).data() == "35%"

    expiry = page.open_expiry()
    expiry.today = dt.date(YEAR + 1, 1, 5)
    expiry.confirm = lambda *_a, **_k: True
    expiry.year.setValue(YEAR)
    qtbot.waitUntil(lambda: expiry.result_shown is not None and expiry.result_shown.year == YEAR, timeout=10_000)
    idle(window, qtbot)
    assert expiry.summary.text() == "2025年末将作废 1 张创新券，未使用余额合计 0 万元。"
    assert expiry.table.records.index(0, 4).data() == "申领 2 万元 未发放"
    assert expiry.expire_button.isEnabled()
    qtbot.mouseClick(expiry.expire_button, Qt.MouseButton.LeftButton)
    idle(window, qtbot)
    assert expiry.summary.text() == "2025年末已作废 1 张创新券，未使用余额合计 0 万元。"
    assert window.ctx.sink.messages[-1][1] == "2025年末已作废 1 张创新券，未使用余额合计 0 万元。"  # type: ignore[union-attr]
    assert get_grant(db, 1).status == "过期"
    expiry.close()
