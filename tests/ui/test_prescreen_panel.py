"""The pre-screening panel of one enterprise: evaluation, what-if without saving, saving a pre-review, and its
place in the enterprise window's 预审 tab."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

import ui.pages.prescreen
from services.enterprise_records import list_pre_reviews
from services.prescreen.results import Status, Verdict
from services.qualifications import list_year_facts
from tests.prescreen.builders import HTE_ALL_GOOD
from tests.prescreen.conftest import Register, build_register
from tests.ui.conftest import Recorder
from ui.context import AppContext
from ui.pages.prescreen.enterprise_panel import PrescreenPanel


@pytest.fixture
def register(ctx: AppContext) -> Register:
    return build_register(ctx.opened.db)


def shown_panel(qtbot: QtBot, ctx: AppContext, enterprise_id: int) -> PrescreenPanel:
    panel = PrescreenPanel(ctx, enterprise_id, year=2026)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.evaluated, timeout=10_000):
        panel.show()
    return panel


def test_panel_explains_every_criterion(qtbot: QtBot, ctx: AppContext, register: Register) -> None:
    panel = shown_panel(qtbot, ctx, register.near)
    ev = panel.evaluation
    assert ev is not None and ev.verdict is Verdict.DOES_NOT_QUALIFY and ev.near_miss
    assert [panel.rules.itemData(i) for i in range(panel.rules.count())] == ["national_hte", "prov_tsme", "city_hte"]
    assert panel.rules.currentData() == "national_hte"
    assert panel.view.criteria.rowCount() == len(ev.criteria) == 9
    assert panel.view.criterion_row("rd_ratio")[1:5] == [
        "不符合", "4.5%", "≥ 5%（2025年营业收入 3,000万元，≤ 5,000万元）", "差 0.5 个百分点 ≈ 37万元研发投入"]
    assert "不符合（临界）" in panel.view.verdict.text()
    assert panel.view.score.rowCount() == 12
    with qtbot.waitSignal(panel.evaluated, timeout=10_000):
        panel.rules.setCurrentIndex(panel.rules.findData("prov_tsme"))
        panel.rules.activated.emit(panel.rules.currentIndex())
    assert panel.evaluation.rule_code == "prov_tsme"
    assert list(panel.editor.editors) == ["resident_sound_accounts", "industry_allowed", "clean_record",
                                                "national_award", "led_standard"]


def test_what_if_moves_the_verdict_and_changes_nothing(qtbot: QtBot, ctx: AppContext, register: Register,
                                                        recorder: Recorder) -> None:
    panel = shown_panel(qtbot, ctx, register.near)
    panel.what_if_button.setChecked(True)
    assert panel.what_if_box.isVisible()
    for key, value in HTE_ALL_GOOD.items():
        panel.editor.set_answer(key, value)
    panel.editor.set_figure(2025, "rd_expense_wan", "150")
    with qtbot.waitSignal(panel.evaluated, timeout=10_000):
        panel.apply_what_if()
    ev = panel.evaluation
    assert ev.verdict is Verdict.QUALIFIES
    assert ev.overrides == ("2025年研发费用：113万元 → 150万元",)
    assert "假设（未保存）：2025年研发费用：113万元 → 150万元" in panel.view.notes.text()
    assert not panel.save_button.isEnabled()
    assert {f.year: f.rd_expense_wan for f in list_year_facts(ctx.opened.db, register.near)}[2025] == Decimal(113)

    panel.editor.set_figure(2025, "staff_avg", "一百")
    panel.apply_what_if()
    assert recorder.messages[-1][1] == "2025年职工人数应为数字"

    panel.editor.reset()
    with qtbot.waitSignal(panel.evaluated, timeout=10_000):
        panel.apply_what_if()
    assert panel.evaluation.verdict is Verdict.DOES_NOT_QUALIFY and panel.evaluation.overrides == ()
    assert panel.evaluation.criterion("no_incident").status is Status.PASS
    assert panel.save_button.isEnabled()


def test_saving_records_a_pre_review_with_its_answers(qtbot: QtBot, ctx: AppContext, register: Register) -> None:
    panel = shown_panel(qtbot, ctx, register.sound)
    panel.editor.set_answer("no_major_incident", True)
    with qtbot.waitSignal(panel.evaluated, timeout=10_000):
        panel.apply_what_if()
    dialog = panel.open_save_dialog()
    assert dialog is not None
    dialog.reviewer.setText("")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.form.problem("reviewer") == "请填写预审人", timeout=10_000)
    assert dialog.isVisible() and list_pre_reviews(ctx.opened.db, register.sound) == []
    dialog.reviewer.setText("王科员")
    with qtbot.waitSignal(panel.saved, timeout=10_000):
        dialog.submit()
    [review] = list_pre_reviews(ctx.opened.db, register.sound)
    assert (review.reviewer, review.verdict, review.rule_set) == ("王科员", "待定", "national_hte")
    # Saving changed the enterprise's records: the panel evaluates again, now from the saved answers.
    qtbot.waitUntil(lambda: panel.evaluation is not None and panel.evaluation.inputs_from is not None,
                    timeout=10_000)
    assert panel.evaluation.criterion("no_incident").status is Status.PASS


def test_the_enterprise_window_s_tab_shows_the_panel(qtbot: QtBot, ctx: AppContext, register: Register,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.pages.enterprises import prereview_tab

    monkeypatch.setattr(prereview_tab, "_panel_factory", None)
    importlib.reload(ui.pages.prescreen)  # what importing ui.pages at start-up does
    tab = prereview_tab.PreReviewTab(ctx)
    qtbot.addWidget(tab)
    tab.set_enterprise(register.near)
    assert isinstance(tab.panel, PrescreenPanel) and tab.panel.enterprise_id == register.near
    with qtbot.waitSignal(tab.panel.evaluated, timeout=10_000):
        tab.show()
    qtbot.waitUntil(ctx.runner.is_idle, timeout=10_000)
