"""Signing a report off: managers only, bound to the files' fingerprints, later edits detected."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from models.db import Database
from services.errors import ValidationError
from services.reports.package import generate_quarterly
from services.reports.period import Period
from services.reports.signoff import CHANGED, MISSING, SAME, sign_report, signoffs
from services.users import Actor, PermissionDenied

MANAGER = Actor("zhangke", "张科长", "manager")
CLERK = Actor("wangfang", "王芳", "clerk")


def test_a_manager_signs_the_generated_files_and_later_edits_show(db: Database, tmp_path: Path) -> None:
    period = Period.of(2025, 3)
    result = generate_quarterly(db, period, tmp_path / "out", formats=("xlsx", "pdf"))
    with pytest.raises(PermissionDenied, match="签发报表.*科长"):
        sign_report(db, CLERK, "quarterly", period, result.files)
    assert signoffs(db, "quarterly", period) == []

    signed = sign_report(db, MANAGER, "quarterly", period, result.files, notes="报市局")
    assert signed.signed_by == "张科长" and signed.intact
    assert {f.name for f in signed.files} == {p.name for p in result.files}

    workbook_path = result.file("xlsx")
    assert workbook_path is not None
    workbook = load_workbook(workbook_path)
    workbook.worksheets[0]["A1"] = "改过的标题"
    workbook.save(workbook_path)
    pdf = result.file("pdf")
    assert pdf is not None
    pdf.unlink()
    [listed] = signoffs(db, "quarterly", period, folder=workbook_path.parent)
    states = {f.name: f.state for f in listed.files}
    assert states == {workbook_path.name: CHANGED, pdf.name: MISSING} and not listed.intact
    assert listed.notes == "报市局"
    assert signoffs(db, "quarterly", Period.of(2025, 2)) == []


def test_signing_needs_files_that_exist(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="请先生成报表"):
        sign_report(db, MANAGER, "quarterly", Period.of(2025, 1), [])
    with pytest.raises(ValidationError, match="已不存在.*gone.pdf"):
        sign_report(db, MANAGER, "quarterly", Period.of(2025, 1), [tmp_path / "gone.pdf"])
    kept = tmp_path / "league_2025Q1.pdf"
    kept.write_bytes(b"%PDF-1.4 test")
    signed = sign_report(db, MANAGER, "league", Period.of(2025, 1), [kept])
    assert [f.state for f in signed.files] == [SAME]
