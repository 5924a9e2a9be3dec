"""Exports for the pre-review meeting, read back: the workbook with openpyxl, the PDF with pypdf."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
from pypdf import PdfReader

from models.db import Database
from services.prescreen.export import write_pdf, write_xlsx
from services.prescreen.service import BatchResult, prescreen_batch
from tests.prescreen.builders import library
from tests.prescreen.conftest import Register


def batch(db: Database) -> BatchResult:
    return prescreen_batch(db, "national_hte", 2026, as_of=dt.date(2026, 6, 30), library=library())


def test_workbook_lists_results_criteria_and_near_misses_as_text(db: Database, register: Register,
                                                                   tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "预审.xlsx", batch(db))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["预审结果", "逐项明细", "临界名单"]
    results = book["预审结果"]
    assert results["A1"].value == "国家高新技术企业认定预审名单（2026年度）"
    rows = {row[1].value: row for row in results.iter_rows(min_row=1) if row[1].value}
    near = rows["杭州临界科技有限公司"]
    assert [c.value for c in near[4:8]] == ["不符合（临界）", near[5].value, "是",
                                            "研发费用占比差 0.5 个百分点 ≈ 37万元研发投入"]
    formula = next(row for name, row in rows.items() if str(name).startswith("=HYPERLINK"))
    assert formula[1].data_type == "s"  # text, never a formula
    details = book["逐项明细"]
    rd = next(row for row in details.iter_rows()
              if row[0].value == "杭州临界科技有限公司" and row[1].value == "研发费用占比")
    assert [c.value for c in rd[2:7]] == ["不符合", "4.5%", "≥ 5%（2025年营业收入 3,000万元，≤ 5,000万元）",
                                          "差 0.5 个百分点 ≈ 37万元研发投入", 37]
    near_sheet = [[c.value for c in row] for row in book["临界名单"].iter_rows(min_row=3)]
    assert near_sheet == [["杭州临界科技有限公司", near[3].value, "研发费用占比差 0.5 个百分点 ≈ 37万元研发投入"]]


def fonts_of(reader: PdfReader) -> list[dict[str, Any]]:
    """Every font dictionary used on the pages (descendant fonts of composite fonts included)."""
    found = []
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            found.append(font)
            found += [d.get_object() for d in font.get("/DescendantFonts", [])]
    return found


def test_pdf_text_and_embedded_font(db: Database, register: Register, tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "预审.pdf", batch(db))
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    compact = text.replace("\n", "")
    assert "国家高新技术企业认定预审名单（2026年度）" in compact
    assert "杭州临界科技有限公司" in compact and "不符合（临界）" in compact
    assert "差 0.5 个百分点 ≈ 37万元研发投入" in compact
    assert f"第 1 页 共 {len(reader.pages)} 页" in compact
    described = [f for f in fonts_of(reader) if "/FontDescriptor" in f]
    assert described, "no font descriptors"
    for font in described:
        assert "/FontFile2" in font["/FontDescriptor"], f"{font['/BaseFont']} is not embedded"


def test_exports_of_a_selection_say_so(db: Database, register: Register, tmp_path: Path) -> None:
    result = batch(db)
    near = [e for e in result.evaluations if e.near_miss]
    book = openpyxl.load_workbook(write_xlsx(tmp_path / "临界.xlsx", result, near))
    lines = [row[0].value for row in book["预审结果"].iter_rows(max_row=6)]
    assert "本表列出其中 1 家。" in lines
    text = "".join(p.extract_text() for p in PdfReader(write_pdf(tmp_path / "临界.pdf", result, near)).pages)
    assert "杭州临界科技有限公司" in text.replace("\n", "") and "杭州缺数科技有限公司" not in text.replace("\n", "")
