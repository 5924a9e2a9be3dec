"""``report quarterly`` on the command line, and the statutory marks configured in the settings."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from report_scenario import QUARTER, YEAR

from models.db import Database
from services.reports.compute import compute_quarterly
from services.reports.package import write_quarterly
from services.reports.period import Period
from services.reports.sections import SECTIONS, SUMMARIES
from services.settings import SPECS, save_settings

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_command_writes_the_formats_asked_for(scenario_template: Path, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    shutil.copyfile(scenario_template, db)
    out = tmp_path / "季报"
    done = run("report", "quarterly", "--year", str(YEAR), "--quarter", str(QUARTER), "--db", str(db), "--out",
               str(out), "--format", "json,xlsx")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["quarterly_2025Q2.json", "quarterly_2025Q2.xlsx"]
    assert str(out / "quarterly_2025Q2.json") in done.stdout
    data = json.loads((out / "quarterly_2025Q2.json").read_text(encoding="utf-8"))
    assert data["indicators"]["ent.count_end"] > 0 and "上塘街道" in data["by_subdistrict"]


def test_command_defaults_to_all_three_formats(tmp_path: Path) -> None:
    done = run("report", "quarterly", "--year", "2026", "--quarter", "1", "--db", str(tmp_path / "new.sqlite"),
               "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".json", ".pdf", ".xlsx"]


@pytest.mark.parametrize(("extra", "message"), [(["--format", "docx"], "格式"), (["--year", "1800"], "年份")])
def test_unusable_input_exits_2_with_a_message(tmp_path: Path, extra: list[str], message: str) -> None:
    args = ["report", "quarterly", "--year", "2026", "--quarter", "1", "--db", str(tmp_path / "x.sqlite"), "--out",
            str(tmp_path / "out")]
    for i in range(0, len(extra), 2):
        if extra[i] in args:
            args[args.index(extra[i]) + 1] = extra[i + 1]
        else:
            args += extra[i:i + 2]
    done = run(*args)
    assert done.returncode == 2 and message in done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_out_may_not_be_a_file(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    done = run("report", "quarterly", "--year", "2026", "--quarter", "1", "--db", str(tmp_path / "x.sqlite"),
               "--out", str(tmp_path / "taken"))
    assert done.returncode == 2 and "文件夹" in done.stderr


def test_every_form_has_a_form_number_setting() -> None:
    keys = {s.key.removeprefix("report.form_no.") for s in SPECS if s.key.startswith("report.form_no.")}
    assert keys == set(SECTIONS) | set(SUMMARIES)


def test_configured_marks_are_printed(scenario_db: Database, tmp_path: Path) -> None:
    save_settings(scenario_db, {"report.form_no.headline": "拱科统01表",
                                "report.marks.issuer": "杭州市拱墅区科学技术局",
                                "report.marks.approval_no": "拱统函〔2025〕3号",
                                "report.marks.valid_until": "2027年12月", "report.unit_uscc": "11330105002493128X"})
    report = compute_quarterly(scenario_db, Period(YEAR, QUARTER))
    path = write_quarterly(report, tmp_path, formats=("xlsx",), sections=["headline", "pools"]).files[0]
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["1 主要指标", "4 培育与预审"]
    texts = {c for r in book["1 主要指标"].iter_rows(values_only=True) for c in r if isinstance(c, str)}
    assert {"表    号：拱科统01表", "制定机关：杭州市拱墅区科学技术局", "批准文号：拱统函〔2025〕3号",
            "有效期至：2027年12月", "统一社会信用代码：11330105002493128X"} <= texts
    other = {c for r in book["4 培育与预审"].iter_rows(values_only=True) for c in r if isinstance(c, str)}
    assert "表    号：__________" in other  # no number configured for that form: a blank line, nothing invented
