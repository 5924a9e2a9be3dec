"""The audit page lists changes and filters them, loading more rows as the view scrolls."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.audit_query import AuditFilter, query_audit
from services.dto import EnterpriseInput
from services.register import create_enterprise, update_enterprise
from ui.context import AppContext
from ui.pages.audit import AuditPageWidget


def test_audit_page_filters_by_user_and_record(qtbot: QtBot, ctx: AppContext, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    db = ctx.opened.db
    a = create_enterprise(db, EnterpriseInput(name="杭州匠控科技有限公司", address="一号"), user="王芳")
    update_enterprise(db, a.id, EnterpriseInput(name="杭州匠控科技有限公司", address="二号"),
                      expected_version=a.version, user="李强")
    for i in range(250):
        create_enterprise(db, EnterpriseInput(name=f"批量企业{i:03d}"), user="导入员")

    # Setting up the database wrote its reference data too (source "system").
    expected = query_audit(db, AuditFilter()).total
    assert expected >= 252

    page = AuditPageWidget(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.total == expected and page.user.findData("导入员") > 0, timeout=10_000)
    assert len(page.model.rows) == 200
    qtmodeltester.check(page.model)
    while len(page.model.rows) < expected:
        loaded = len(page.model.rows)
        page.model.fetchMore(page.view.rootIndex())
        qtbot.waitUntil(lambda loaded=loaded: len(page.model.rows) > loaded, timeout=10_000)
    assert len({r.id for r in page.model.rows}) == expected

    page.user.setCurrentIndex(page.user.findData("李强"))
    page.reload()
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=10_000)
    row = page.model.rows[0]
    assert (row.field, row.old, row.new) == ("地址", "一号", "二号")
    assert page.model.data(page.model.index(0, 4)) == "杭州匠控科技有限公司"

    page.user.setCurrentIndex(0)
    page.show_record("enterprise", a.id, "杭州匠控科技有限公司")
    qtbot.waitUntil(lambda: page.model.total == 2, timeout=10_000)
    assert page.subject_label.text() == "杭州匠控科技有限公司"
    page.show_all_records()
    qtbot.waitUntil(lambda: page.model.total == expected, timeout=10_000)
    assert f"共 {expected} 条" in page.count_label.text()
