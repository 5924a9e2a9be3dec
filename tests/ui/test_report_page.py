"""报表 page: generate in the background, preview the PDF, print through a printer, remember the sign-off."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pypdfium2
from PySide6.QtCore import QUrl
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from services.settings import get_settings
from services.users import Actor, sign_in
from tests.ui.conftest import Recorder
from ui.main_window import MainWindow
from ui.pages.reports import ReportsPage


def report_page(window: MainWindow, qtbot: QtBot, out: Path) -> ReportsPage:
    window.show_page("reports")
    page = window.page("reports")
    assert isinstance(page, ReportsPage)
    qtbot.waitUntil(window.ctx.runner.is_idle, timeout=10_000)
    page.out_dir.setText(str(out))
    page.year.setValue(2025)
    page.quarter.setCurrentIndex(1)
    return page


def generate(page: ReportsPage, qtbot: QtBot) -> None:
    page.generate()
    qtbot.waitUntil(page.ctx.runner.is_idle, timeout=30_000)


def page_sizes(path: Path) -> list[tuple[int, int]]:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [tuple(round(v) for v in document[i].get_size()) for i in range(len(document))]  # type: ignore[misc]
    finally:
        document.close()


def test_generate_preview_and_remember_the_sign_off(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    page = report_page(window, qtbot, tmp_path / "out")
    assert not page.print_button.isEnabled() and not page.folder_button.isEnabled()
    page.fields["report.preparer"].setText("王芳")
    page.fields["report.marks.issuer"].setText("杭州市拱墅区科学技术局")
    page.section_boxes["new_hte_list"].setChecked(False)
    generate(page, qtbot)
    assert page.result is not None
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["quarterly_2025Q2.json", "quarterly_2025Q2.pdf",
                                                                    "quarterly_2025Q2.xlsx"]
    assert "quarterly_2025Q2.pdf" in page.status.text()
    pages = page.preview.pages
    assert pages is not None and len(pages) == page.result.pdf_pages
    assert page.preview.page_label.text() == f"第 1 页 / 共 {len(pages)} 页"
    assert not page.preview.image_label.pixmap().isNull()
    page.preview.next_button.click()
    assert page.preview.index == 1
    assert page.print_button.isEnabled() and page.folder_button.isEnabled()
    stored = get_settings(window.ctx.opened.db)
    assert (stored["report.preparer"], stored["report.marks.issuer"]) == ("王芳", "杭州市拱墅区科学技术局")


def test_print_sends_every_page_in_its_orientation(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    page = report_page(window, qtbot, tmp_path / "out")
    generate(page, qtbot)
    assert page.result is not None and page.result.pdf_pages
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    page.print_to(printer)
    qtbot.waitUntil(page.ctx.runner.is_idle, timeout=30_000)
    assert "已发送" in page.status.text()
    source = page.result.file("pdf")
    assert source is not None
    wanted = ["landscape" if w > h else "portrait" for w, h in page_sizes(source)]
    printed = ["landscape" if w > h else "portrait" for w, h in page_sizes(tmp_path / "printed.pdf")]
    assert printed == wanted and "landscape" in printed


def test_summary_and_output_folder(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    page = report_page(window, qtbot, tmp_path / "out")
    page.kind.setCurrentIndex(page.kind.findData("league"))
    assert not page.format_boxes["json"].isEnabled() and not page.sections_box.isEnabled()
    generate(page, qtbot)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["league_2025Q2.pdf", "league_2025Q2.xlsx"]
    opened: list[QUrl] = []
    page.open_url = lambda url: opened.append(url) or True  # type: ignore[func-returns-value]
    page.folder_button.click()
    assert [Path(u.toLocalFile()) for u in opened] == [tmp_path / "out"]


def test_no_format_is_refused_by_name(window: MainWindow, qtbot: QtBot, tmp_path: Path, recorder) -> None:  # type: ignore[no-untyped-def]
    page = report_page(window, qtbot, tmp_path / "out")
    for box in page.format_boxes.values():
        box.setChecked(False)
    generate(page, qtbot)
    assert page.result is None and not (tmp_path / "out").exists()
    assert any("格式" in text for _title, text, _kind in recorder.messages)


def test_report_date_left_blank_for_the_pen(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    page = report_page(window, qtbot, tmp_path / "out")
    page.fill_date.setChecked(False)
    assert not page.reported_on.isEnabled()
    page.format_boxes["pdf"].setChecked(False)
    generate(page, qtbot)
    assert page.result is not None and page.result.report.meta.reported_on is None
    assert "本次未生成 PDF" in page.preview.image_label.text()


def test_a_clerk_fills_the_sign_off_but_not_the_statutory_marks(window: MainWindow, qtbot: QtBot,
                                                                   tmp_path: Path) -> None:
    sign_in(Actor("xiaowang", "小王", "clerk"))
    try:
        page = report_page(window, qtbot, tmp_path / "out")
        assert page.fields["report.marks.issuer"].isReadOnly()
        assert not page.fields["report.preparer"].isReadOnly()
        page.fields["report.preparer"].setText("小王")
        generate(page, qtbot)
        assert page.result is not None
        assert get_settings(window.ctx.opened.db)["report.preparer"] == "小王"
        # A clerk may press 签发, but the service refuses and the page says why.
        page.signoff.sign()
        qtbot.waitUntil(lambda: any("签发报表" in t for _a, t, _k in window.ctx.sink.messages), timeout=10_000)
        qtbot.waitUntil(window.ctx.runner.is_idle, timeout=10_000)
        assert page.signoff.records == []
    finally:
        sign_in(None)


def test_a_manager_signs_off_and_a_later_edit_shows(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    sign_in(Actor("zhangke", "张科长", "manager"))
    try:
        page = report_page(window, qtbot, tmp_path / "out")
        assert not page.signoff.sign_button.isEnabled()  # nothing generated yet
        page.format_boxes["json"].setChecked(False)
        generate(page, qtbot)
        assert page.signoff.sign_button.isEnabled()
        assert page.signoff.list_label.text() == "本期尚未签发。"
        page.signoff.sign()
        qtbot.waitUntil(lambda: len(page.signoff.records) == 1, timeout=10_000)
        assert page.signoff.list_label.text().startswith("张科长 于 ")
        assert "文件与签发时一致" in page.signoff.list_label.text()
        (tmp_path / "out" / "quarterly_2025Q2.xlsx").write_bytes(b"edited")
        page.quarter.setCurrentIndex(0)  # another period: nothing signed, nothing to sign
        qtbot.waitUntil(lambda: page.signoff.records == [], timeout=10_000)
        assert not page.signoff.sign_button.isEnabled()
        page.quarter.setCurrentIndex(1)
        qtbot.waitUntil(lambda: len(page.signoff.records) == 1, timeout=10_000)
        assert "quarterly_2025Q2.xlsx已改动" in page.signoff.list_label.text()
    finally:
        sign_in(None)


def test_the_city_bureaus_form_is_filled_beside_the_package(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                                                            recorder: Recorder) -> None:
    form = openpyxl.Workbook()
    form.active["A1"] = "拱墅区 {{报告期}}"
    form.active["B2"] = "{{ent.count_end}}"
    form.save(tmp_path / "市局表样.xlsx")
    page = report_page(window, qtbot, tmp_path / "out")
    page.template.setText(str(tmp_path / "市局表样.xlsx"))
    for fmt in ("pdf", "json"):
        page.format_boxes[fmt].setChecked(False)
    generate(page, qtbot)
    assert page.result is not None
    filled = tmp_path / "out" / "市局表样_2025Q2.xlsx"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(["quarterly_2025Q2.xlsx", filled.name])
    assert str(filled) in page.status.text()
    sheet = openpyxl.load_workbook(filled).active
    assert sheet["A1"].value == f"拱墅区 {page.result.report.period.label}"
    assert isinstance(sheet["B2"].value, int)

    # A form naming an indicator the report does not have is refused, naming the cell; nothing more is written.
    form.active["C3"] = "{{没有这个指标}}"
    form.save(tmp_path / "错表样.xlsx")
    page.template.setText(str(tmp_path / "错表样.xlsx"))
    page.out_dir.setText(str(tmp_path / "out2"))
    generate(page, qtbot)
    assert "C3" in page.status.text() and "没有这个指标" in page.status.text()
    assert any("没有这个指标" in text for _, text, _ in recorder.messages)
    assert not any((tmp_path / "out2").glob("*.xlsx"))


def test_the_placeholder_list_is_written_for_the_chosen_period(window: MainWindow, qtbot: QtBot,
                                                               tmp_path: Path) -> None:
    page = report_page(window, qtbot, tmp_path / "out")
    page.placeholders_button.click()
    qtbot.waitUntil(page.ctx.runner.is_idle, timeout=30_000)
    listed = tmp_path / "out" / "占位符清单_2025Q2.xlsx"
    assert str(listed) in page.status.text()
    rows = list(openpyxl.load_workbook(listed)["占位符"].iter_rows(min_row=2, values_only=True))
    assert any(row[0] == "{{ent.count_end}}" for row in rows)
