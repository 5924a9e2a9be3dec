"""The workbook and the PDF hold the figures of the JSON, look like forms, embed their fonts and stay the same.

The workbook is read back with openpyxl; the PDF with poppler's pdftotext, pdffonts and pdftoppm (installed by
.ci/run) and pypdfium2 for page sizes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pypdfium2
import pytest
from report_scenario import FORMULA_NAME, FORMULA_PROGRAMME, QUARTER, YEAR

from models.db import Database
from services.exporting.fonts import pdf_fonts
from services.reports.compute import compute_quarterly
from services.reports.forms import Num
from services.reports.package import PackageResult, quarterly_forms, write_quarterly, write_summary
from services.reports.period import Period

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
HEADLINE = {"期末在册企业数": "ent.count_end", "期末有效国家高新技术企业": "qual.national_hte.valid_end",
            "本年新认定国家高新技术企业": "qual.national_hte.new_ytd", "其中：本季度新认定": "qual.national_hte.new_q",
            "年度目标新增数": "target.national_hte.required", "目标完成率": "completion.national_hte.pct",
            "90天内到期": "qual.national_hte.expiring_90d", "期末在孵企业": "carrier.incubating_end",
            "本年毕业企业": "carrier.graduated_ytd", "创新券发放金额": "voucher.issued_ytd_wan",
            "创新券使用金额": "voucher.used_ytd_wan", "创新券兑现金额": "voucher.redeemed_ytd_wan",
            "兑现创新券企业数": "voucher.enterprises_redeemed_ytd", "政策兑现金额": "payout.total_ytd_wan",
            "其中：市级资金": "payout.city_ytd_wan", "区级资金": "payout.district_ytd_wan"}


@pytest.fixture
def package(scenario_db: Database, tmp_path: Path) -> PackageResult:
    report = compute_quarterly(scenario_db, Period(YEAR, QUARTER), reported_on=dt.date(2025, 7, 10))
    return write_quarterly(report, tmp_path / "out")


def _json(package: PackageResult) -> dict[str, Any]:
    path = package.file("json")
    assert path is not None
    return json.loads(path.read_text(encoding="utf-8"))


def _rows(ws: Any) -> list[tuple[Any, ...]]:
    return list(ws.iter_rows(values_only=True))


def _row_of(rows: list[tuple[Any, ...]], label: str, column: int = 0) -> tuple[Any, ...]:
    found = [r for r in rows if isinstance(r[column], str) and r[column].strip("\u3000") == label]
    assert len(found) == 1, label
    return found[0]


def _same(cell: Any, value: Any) -> bool:
    return (cell is None) if value is None else cell == pytest.approx(value, abs=1e-9)


def test_workbook_cells_hold_the_json_figures(package: PackageResult) -> None:
    data, last = _json(package), _json(package)["same_period_last_year"]
    path = package.file("xlsx")
    assert path is not None
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["1 主要指标", "2 资质认定", "3 国高企进度", "4 培育与预审", "5 载体", "6 创新券",
                               "7 政策兑现", "附表 新认定国高企"]
    rows = _rows(book["1 主要指标"])
    for label, code in HEADLINE.items():
        row = _row_of(rows, label)
        assert _same(row[3], data["indicators"][code]) and _same(row[4], last["indicators"][code]), label
    progress = _rows(book["3 国高企进度"])
    for unit, values in data["by_subdistrict"].items():
        row = _row_of(progress, unit, 1)
        assert _same(row[2], values["target.national_hte.required"])
        assert _same(row[4], values["qual.national_hte.new_ytd"])
        assert _same(row[5], last["by_subdistrict"][unit]["qual.national_hte.new_ytd"])
        assert _same(row[8], values["completion.national_hte.pct"])
        assert _same(row[10], values["qual.national_hte.valid_end"])
    vouchers = _rows(book["6 创新券"])
    for unit, values in data["by_subdistrict"].items():
        row = _row_of(vouchers, unit)
        assert [row[1], row[2], row[3], row[4]] == pytest.approx(
            [values[c] for c in ("voucher.issued_ytd_wan", "voucher.used_ytd_wan", "voucher.redeemed_ytd_wan",
                                 "voucher.enterprises_redeemed_ytd")])
    quals = _rows(book["2 资质认定"])
    row = _row_of(quals, "国家高新技术企业", 1)
    assert (row[2], row[5], row[8], row[10]) == tuple(data["indicators"][f"qual.national_hte.{m}"] for m in
                                                      ("valid_end", "new_ytd", "new_q", "expiring_90d"))


def test_every_form_cell_is_on_its_sheet(scenario_db: Database, package: PackageResult) -> None:
    """Whatever the forms hold, the sheets hold: numbers as numbers, text as text, at the form's place."""
    report = compute_quarterly(scenario_db, Period(YEAR, QUARTER))
    path = package.file("xlsx")
    assert path is not None
    book = openpyxl.load_workbook(path)
    for form in quarterly_forms(report):
        rows = _rows(book[form.sheet])
        row = 7
        for table in form.tables:
            row += (1 if table.caption else 0) + table.header_depth
            for cells in table.rows:
                for col, cell in enumerate(cells):
                    got = rows[row][col]
                    if isinstance(cell, Num):
                        assert _same(got, None if cell.value is None else float(cell.value)), (form.sheet, row, col)
                    else:
                        assert got == (cell or None), (form.sheet, row, col)
                row += 1
            row += 1


def test_workbook_is_laid_out_as_forms(package: PackageResult) -> None:
    path = package.file("xlsx")
    assert path is not None
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        rows = _rows(ws)
        assert rows[1][0].startswith("填报单位：") and rows[3][0] == "报告期：2025年第二季度（1-6月）"
        marks = [r[c] for r in rows[1:6] for c in range(len(r)) if isinstance(r[c], str) and "：" in r[c]
                 and not r[c].startswith(("填报", "统一", "报告"))]
        assert marks == ["表    号：__________", "制定机关：__________", "批准文号：__________",
                         "有效期至：__________", marks[-1]] and marks[-1].startswith("计量单位：")
        texts = [c for r in rows for c in r if isinstance(c, str)]
        assert "单位负责人：张建国\u3000\u3000统计负责人：李统计" in texts and "报出日期：2025年7月10日" in texts
        assert "（单位盖章）" in texts
        # A4, fitted to one page wide (1 is the file format's default, so it is omitted) and any number high.
        assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert ws.print_title_rows and ws.freeze_panes
        assert any(str(r).startswith("A1:") for r in ws.merged_cells.ranges)
    assert book["2 资质认定"].page_setup.orientation == "landscape"
    assert book["1 主要指标"].page_setup.orientation == "portrait"
    assert "C8:E8" in {str(r) for r in book["2 资质认定"].merged_cells.ranges}  # the 期末有效 group header


def test_formula_looking_names_stay_text(package: PackageResult) -> None:
    path = package.file("xlsx")
    assert path is not None
    book = openpyxl.load_workbook(path)
    cells = [c for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value in (FORMULA_NAME,
                                                                                        FORMULA_PROGRAMME)]
    assert {c.value for c in cells} == {FORMULA_NAME, FORMULA_PROGRAMME}
    assert all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)


def _pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-layout", *args, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@needs_poppler
def test_pdf_text_holds_the_json_figures(package: PackageResult) -> None:
    data, last = _json(package), _json(package)["same_period_last_year"]
    pdf = package.file("pdf")
    assert pdf is not None
    lines = _pdftotext(pdf).splitlines()

    def line(label: str) -> str:
        found = [x for x in lines if re.search(rf"(^|\s){re.escape(label)}\s", x)]
        assert found, label
        return found[0]

    for label, code in HEADLINE.items():
        places = 1 if code.startswith("completion") else 2 if code.endswith("_wan") else 0
        shown = [f"{v:.{places}f}" for v in (data["indicators"][code], last["indicators"][code]) if v is not None]
        assert re.search(r"\s+".join(map(re.escape, shown)), line(label)), (label, shown)
    for unit, values in data["by_subdistrict"].items():  # 国高企 progress: target, stretch, new, new last year
        wanted = [values["target.national_hte.required"], values["target.national_hte.stretch"],
                  values["qual.national_hte.new_ytd"], last["by_subdistrict"][unit]["qual.national_hte.new_ytd"]]
        shown = " ".join(str(w) for w in wanted if w is not None)
        assert " ".join(line(unit).split()).startswith(f"{list(data['by_subdistrict']).index(unit) + 1} {unit} "
                                                       f"{shown} "), unit
    text = "\n".join(lines)
    pages = re.findall(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页", text)
    assert [int(n) for n, _ in pages] == list(range(1, len(pages) + 1)) and {int(t) for _, t in pages} == {len(pages)}
    assert "（单位盖章）" in text and FORMULA_NAME in text and FORMULA_PROGRAMME in text
    assert "单位负责人：张建国" in text and "报出日期：2025年7月10日" in text


@needs_poppler
def test_pdf_embeds_every_font_and_has_a_glyph_for_every_character(package: PackageResult, tmp_path: Path) -> None:
    pdf = package.file("pdf")
    assert pdf is not None and package.missing_glyphs == frozenset()
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    fonts = listing[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", f) and "TrueType" in f for f in fonts), listing
    shown = set(_pdftotext(pdf)) - set(" \n\f\t")
    assert not pdf_fonts().missing("".join(shown))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == package.pdf_pages and all(p.stat().st_size > 2000 for p in pages)


def test_pdf_pages_are_a4_and_landscape_where_wide(package: PackageResult) -> None:
    pdf = package.file("pdf")
    assert pdf is not None
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        sizes = [tuple(round(v) for v in document[i].get_size()) for i in range(len(document))]
    finally:
        document.close()
    assert sizes[0] == (595, 842)  # 主要指标: portrait
    assert sizes[1] == (842, 595)  # 资质认定: wide, landscape
    assert set(sizes) <= {(595, 842), (842, 595)}


def test_same_data_gives_the_same_files(scenario_db: Database, tmp_path: Path) -> None:
    report = compute_quarterly(scenario_db, Period(YEAR, QUARTER))
    first = write_quarterly(report, tmp_path / "a")
    second = write_quarterly(compute_quarterly(scenario_db, Period(YEAR, QUARTER)), tmp_path / "b")
    for a, b in zip(first.files, second.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_summaries_are_their_own_files(scenario_db: Database, tmp_path: Path) -> None:
    report = compute_quarterly(scenario_db, Period(YEAR, QUARTER))
    league = write_summary(report, "league", tmp_path)
    assert [p.name for p in league.files] == ["league_2025Q2.xlsx", "league_2025Q2.pdf"]
    path = league.file("xlsx")
    assert path is not None
    rows = _rows(openpyxl.load_workbook(path)["属地排名"])
    ranked = [(r[0], r[1]) for r in rows[9:] if isinstance(r[0], int | float)]
    assert ranked and [rank for rank, _ in ranked] == sorted(rank for rank, _ in ranked)
    assert {unit for _, unit in ranked} == set(report.ranks("national_hte"))
    for kind in ("vouchers", "carriers"):
        files = write_summary(report, kind, tmp_path, formats=("xlsx",)).files
        assert [p.name for p in files] == [f"{kind}_2025Q2.xlsx"]
