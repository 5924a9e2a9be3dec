"""Filling the city bureau's own workbook with a quarterly report's figures (openpyxl keeps its form)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font
from report_scenario import QUARTER, YEAR
from test_report_command import run

from models.db import Database
from services.errors import UserFacingError
from services.reports.compute import compute_quarterly
from services.reports.figures import QuarterlyReport
from services.reports.package import write_placeholders, write_template
from services.reports.period import Period
from tests.importing.files import entity_bomb


@pytest.fixture
def report(scenario_db: Database) -> QuarterlyReport:
    return compute_quarterly(scenario_db, Period.of(YEAR, QUARTER))


def city_form(path: Path, cells: dict[str, object], *, sheet: str = "表1 高企培育") -> Path:
    """A workbook laid out as the bureau's form: a merged, bold title and the given cells."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws["A1"] = "杭州市科技型企业培育情况季报"
    ws["A1"].font = Font(bold=True, size=16)
    ws.merge_cells("A1:D1")
    ws.column_dimensions["A"].width = 30
    ws.print_title_rows = "1:1"
    for ref, value in cells.items():
        ws[ref] = value
    book.save(path)
    return path


def test_placeholders_get_the_reports_own_figures_and_the_form_is_kept(report: QuarterlyReport,
                                                                       tmp_path: Path) -> None:
    unit = report.units[0]
    template = city_form(tmp_path / "市局模板.xlsx", {
        "A2": "填报单位：{{填报单位}}　报告期：{{报告期}}",
        "A4": "本年新增国高企", "B4": "{{qual.national_hte.new_ytd}}", "C4": "{{上年同期:qual.national_hte.new_ytd}}",
        "A5": f"其中{unit}", "B5": "{{ qual.national_hte.new_ytd@" + unit + " }}",
        "A6": "期末企业数", "B6": "{{ent.count_end}}",
        "A7": "单位负责人：{{单位负责人}}", "B7": "填表人：{{填表人}}", "C7": "{{联系电话}}",
        "D9": "不含占位符的说明文字保持不变",
    })
    result = write_template(report, template, tmp_path / "out")
    assert result.path == tmp_path / "out" / f"市局模板_{YEAR}Q{QUARTER}.xlsx" and result.cells == 8

    ws = openpyxl.load_workbook(result.path)["表1 高企培育"]
    assert ws["B4"].value == report.current.get("qual.national_hte.new_ytd")
    assert ws["C4"].value == report.previous.get("qual.national_hte.new_ytd")
    assert ws["B5"].value == report.current.get("qual.national_hte.new_ytd", unit)
    assert ws["B6"].value == report.current.get("ent.count_end") and isinstance(ws["B6"].value, int)
    assert ws["B6"].value > 0
    assert ws["A2"].value == f"填报单位：{report.meta.unit_name}　报告期：{report.period.label}"
    assert (ws["A7"].value, ws["B7"].value, ws["C7"].value) == ("单位负责人：张建国", "填表人：王芳", "0571-88886666")
    assert ws["D9"].value == "不含占位符的说明文字保持不变"
    # The bureau's form itself: title, merge, font, widths, print titles.
    assert ws["A1"].value == "杭州市科技型企业培育情况季报" and ws["A1"].font.bold and ws["A1"].font.size == 16
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:D1"]
    assert ws.column_dimensions["A"].width == 30 and ws.print_title_rows == "$1:$1"
    # The template itself is untouched.
    assert openpyxl.load_workbook(template).active["B4"].value == "{{qual.national_hte.new_ytd}}"


def test_amounts_and_rates_are_numbers_and_figures_that_do_not_apply_are_empty(report: QuarterlyReport,
                                                                              tmp_path: Path) -> None:
    amount = next(c for c, v in report.current.district.items() if c.endswith("_wan") and v)
    missing = next((c for c, v in report.current.district.items() if v is None), None)
    cells = {"B2": "{{" + amount + "}}", "B3": "合计 {{" + amount + "}} 万元"}
    if missing is not None:
        cells["B4"] = "{{" + missing + "}}"
    result = write_template(report, city_form(tmp_path / "t.xlsx", cells), tmp_path)
    ws = openpyxl.load_workbook(result.path).active
    expected = report.current.get(amount)
    assert isinstance(ws["B2"].value, float) and str(ws["B2"].value) == str(float(expected))
    shown = f"{expected:f}".rstrip("0").rstrip(".")
    assert ws["B3"].value == f"合计 {shown} 万元"
    if missing is not None:
        assert ws["B4"].value is None


def test_unknown_indicators_and_subdistricts_are_listed_by_cell_and_nothing_is_written(
        report: QuarterlyReport, tmp_path: Path) -> None:
    template = city_form(tmp_path / "错误模板.xlsx", {"B4": "{{qual.national_hte.new_ytd}}",
                                                     "B5": "{{qual.national_hte.neww_ytd}}",
                                                     "C6": "{{ent.count_end@火星街道}}"}, sheet="表2")
    out = tmp_path / "out"
    with pytest.raises(UserFacingError) as caught:
        write_template(report, template, out)
    message = str(caught.value)
    assert "错误模板.xlsx" in message
    assert "工作表“表2”单元格 B5：不认识的指标“qual.national_hte.neww_ytd”" in message
    assert "工作表“表2”单元格 C6：报表中没有属地“火星街道”" in message and "B4" not in message
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("空模板.xlsx", None, "没有任何占位符"),
    ("旧格式.xls", b"\xd0\xcf\x11\xe0 not really", "不是 .xlsx"),
    ("坏文件.xlsx", b"PK\x03\x04 truncated", "已损坏"),
    ("改了扩展名.xlsx", b"%PDF-1.7 a pdf renamed", "不是表格文件"),
])
def test_templates_that_cannot_be_filled_are_refused(report: QuarterlyReport, tmp_path: Path, name: str,
                                                     content: bytes | None, reason: str) -> None:
    path = tmp_path / name
    if content is None:
        city_form(path, {"A3": "没有占位符"})
    else:
        path.write_bytes(content)
    with pytest.raises(UserFacingError, match=reason):
        write_template(report, path, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_command_line_fills_a_template_beside_the_package(scenario_template: Path, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    shutil.copyfile(scenario_template, db)
    template = city_form(tmp_path / "市局季报.xlsx", {"B4": "{{ent.count_end}}"})
    out = tmp_path / "季报"
    done = run("report", "quarterly", "--year", str(YEAR), "--quarter", str(QUARTER), "--db", str(db), "--out",
               str(out), "--format", "json", "--template", str(template))
    assert done.returncode == 0, done.stderr
    filled = out / f"市局季报_{YEAR}Q{QUARTER}.xlsx"
    assert sorted(p.name for p in out.iterdir()) == sorted([f"quarterly_{YEAR}Q{QUARTER}.json", filled.name])
    assert str(filled) in done.stdout
    assert isinstance(openpyxl.load_workbook(filled).active["B4"].value, int)

    bad = city_form(tmp_path / "坏模板.xlsx", {"B4": "{{没有这个指标}}"})
    refused = run("report", "quarterly", "--year", str(YEAR), "--quarter", str(QUARTER), "--db", str(db), "--out",
                  str(tmp_path / "其他"), "--template", str(bad))
    assert refused.returncode == 2 and "不认识的指标“没有这个指标”" in refused.stderr


def test_the_placeholder_list_offers_exactly_what_a_template_can_use(report: QuarterlyReport, tmp_path: Path) -> None:
    listed = write_placeholders(report, tmp_path / "out")
    assert listed.name == f"占位符清单_{YEAR}Q{QUARTER}.xlsx"
    book = openpyxl.load_workbook(listed)
    district = [row for row in book["占位符"].iter_rows(min_row=2, values_only=True)]
    units = [row for row in book["属地"].iter_rows(min_row=2, values_only=True)]
    assert ("{{ent.count_end}}", report.current.get("ent.count_end"), report.previous.get("ent.count_end")) in district
    assert {u for _, u, _ in units} == {u for u in report.units if report.current.by_unit.get(u)}
    assert any("上年同期" in (line or "") for (line,) in book["说明"].iter_rows(values_only=True))
    # Every listed placeholder, put into a form, fills with the value the list shows.
    cells = {f"A{i}": placeholder for i, (placeholder, *_rest) in enumerate(district + units, start=2)}
    filled = openpyxl.load_workbook(write_template(report, city_form(tmp_path / "全部.xlsx", cells), tmp_path).path)
    values = [filled.active[f"A{i}"].value for i in range(2, len(cells) + 2)]
    assert values == [row[1] for row in district] + [row[2] for row in units]


def test_a_template_declaring_xml_entities_is_refused_like_an_import(report: QuarterlyReport, tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="DTD"):
        write_template(report, entity_bomb(tmp_path / "炸弹.xlsx"), tmp_path / "out")
    assert not (tmp_path / "out").exists()
