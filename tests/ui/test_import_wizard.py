"""The import wizard end to end on a real file and database: detect, map, dry run, decide a look-alike, commit,
then revert from the batch history."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from models import Enterprise
from services.dto import EnterpriseInput
from services.progress import Progress
from services.register import create_enterprise
from services.session import read_session
from tests.importing.files import Merge, code, write_xlsx
from tests.ui.conftest import Recorder
from ui.context import AppContext
from ui.pages.imports import ImportsPage


def names(ctx: AppContext) -> set[str]:
    with read_session(ctx.opened.db) as session:
        return set(session.scalars(select(Enterprise.name)))


def test_wizard_from_file_to_revert(qtbot: QtBot, ctx: AppContext, recorder: Recorder, tmp_path: Path) -> None:
    existing = create_enterprise(ctx.opened.db, EnterpriseInput(name="杭州天音计算机系统工程有限公司"))
    path = write_xlsx(tmp_path / "半山.xlsx", [
        [Merge("半山街道企业名单", cols=5)],
        ["企业名称", "统一社会信用代码", "所属街道", "2024年营业收入（元）", "联系电话"],
        ["杭州天音计算机系统工程有限责任公司", "", "半山", "1,000,000", ""],
        ["杭州半山新材料有限公司", code(1), "", "", "0571-88888888"],
        ["杭州坏代码有限公司", "91330105MA2000001X", "半山", "", ""],
        ["合计", "", "", "", ""]])
    page = ImportsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wizard = page.wizard
    qtbot.waitUntil(lambda: wizard.source_box.count() > 1)
    wizard.path_edit.setText(str(path))
    wizard.load_sheet_names()
    qtbot.waitUntil(lambda: wizard.sheet_box.count() == 1)
    wizard.source_box.setCurrentIndex(wizard.source_box.findData("半山街道"))
    wizard.read_button.click()
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == 1)
    assert "第 2 行" in wizard.layout_label.text() and wizard.first_spin.value() == 3
    wizard.go(2)
    assert wizard.mapping()[3] == "revenue_wan" and wizard.mapping_table.rowCount() == 5
    wizard.save_mapping_box.setChecked(True)
    wizard.dry_run()
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == 3 and wizard.plan is not None)
    plan = wizard.plan
    assert plan is not None
    assert [r.action for r in plan.rows] == ["review", "create", "skipped"]
    assert wizard.preview_table.item(2, 1).foreground().color().name() == "#c00000"
    assert "校验位" in wizard.preview_table.item(2, 3).text()
    assert "企业库：杭州天音计算机系统工程有限公司" in wizard.preview_table.item(0, 3).text()
    same = wizard.preview_table.cellWidget(0, 4).findChild(type(wizard.commit_button), "same_3")
    same.click()
    qtbot.waitUntil(lambda: wizard.plan is not None and wizard.plan.rows[0].action == "update")
    assert "2024年营业收入：（空） → 100" in wizard.preview_table.item(0, 3).text()
    errors = tmp_path / "errors.xlsx"
    wizard.write_errors(errors)
    qtbot.waitUntil(lambda: errors.exists())
    wizard.commit_button.click()
    qtbot.waitUntil(lambda: wizard.result is not None)
    assert wizard.result is not None and wizard.result.batch_no is not None
    assert names(ctx) == {existing.name, "杭州半山新材料有限公司"}
    assert any("导入完成" in text for _, text, _ in recorder.messages)

    page.tabs.setCurrentIndex(1)
    history = page.history
    qtbot.waitUntil(lambda: history.table.rowCount() == 1)
    assert history.table.item(0, 0).text() == wizard.result.batch_no
    history.confirm = lambda parent, text: True
    history.table.selectRow(0)
    history.revert_selected()
    qtbot.waitUntil(lambda: history.table.rowCount() == 1 and history.table.item(0, 11).text() == "已撤销")
    assert names(ctx) == {existing.name}
    assert any("已撤销导入批次" in text for _, text, _ in recorder.messages)


def test_cancelled_commit_rolls_back(qtbot: QtBot, ctx: AppContext, recorder: Recorder, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [["企业名称", "所属街道"], ["杭州甲科技有限公司", "上塘"]])
    page = ImportsPage(ctx)
    qtbot.addWidget(page)
    wizard = page.wizard
    wizard.path_edit.setText(str(path))
    wizard.read_button.click()
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == 1)
    wizard.dry_run()
    qtbot.waitUntil(lambda: wizard.plan is not None)
    original = Progress.update

    def cancel_while_writing(self: Progress, label: str | None = None, *args: object, **kw: object) -> None:
        if label == "正在写入企业…":
            self.cancel()  # what the progress dialog's 取消 button does
        original(self, label, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Progress, "update", cancel_while_writing)
    wizard.commit()
    qtbot.waitUntil(lambda: wizard.commit_op is not None and wizard.commit_op.done)
    assert wizard.result is None and names(ctx) == set()
    assert recorder.messages == []  # a cancel is not an error


def test_wizard_imports_another_kind(qtbot: QtBot, ctx: AppContext, recorder: Recorder, tmp_path: Path) -> None:
    from tests.importing.test_targets_import import _table

    path = write_xlsx(tmp_path / "拱墅国高企目标.xlsx", _table(), sheet="目标")
    page = ImportsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    wizard = page.wizard
    wizard.start("targets")
    assert wizard.kind() == "targets" and wizard.kind_box.currentText() == "目标任务"
    wizard.path_edit.setText(str(path))
    wizard.load_sheet_names()
    qtbot.waitUntil(lambda: wizard.sheet_box.count() == 1)
    wizard.read_button.click()
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == 1)
    wizard.go(2)
    combo = wizard.mapping_table.cellWidget(0, 2)
    assert combo.currentText() == "属地"  # the target table's own fields are offered
    wizard.dry_run()
    qtbot.waitUntil(lambda: wizard.plan is not None and wizard.stack.currentIndex() == 3)
    assert wizard.plan is not None and wizard.plan.kind == "targets" and wizard.plan.counts["create"] == 12
    wizard.commit_button.click()
    qtbot.waitUntil(lambda: wizard.result is not None)
    assert wizard.result is not None and wizard.result.batch_no is not None
    wizard.start("enterprises")  # another kind starts afresh
    assert wizard.plan is None and wizard.stack.currentIndex() == 0
