"""``python main.py prescreen``: the readable report, the JSON contract and the exit status, run as a process."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from services.database import open_database
from services.errors import UserFacingError
from services.prescreen.command import run
from tests.prescreen.conftest import Register, build_register

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture
def register_file(db_path: Path) -> tuple[Path, Register]:
    with open_database(db_path) as opened:
        register = build_register(opened.db)
    return db_path, register


def prescreen(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "prescreen", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, encoding="utf-8")


def test_one_enterprise_as_text(register_file: tuple[Path, Register]) -> None:
    db, register = register_file
    result = prescreen(db, "--uscc", register.codes["near"].lower(), "--year", "2026")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("国家高新技术企业认定（2016 版）预审：杭州临界科技有限公司")
    assert "[不符合] 研发费用占比 4.5%（2023–2025年研发费用 333万元 ÷ 营业收入 7,400万元）" in out
    assert "差 0.5 个百分点 ≈ 37万元研发投入" in out
    assert "[待定] 无重大安全、质量事故或严重环境违法行为：待办事员确认" in out
    assert "企业成长性" in out and "结论：不符合（临界）" in out


def test_every_enterprise_as_json(register_file: tuple[Path, Register]) -> None:
    db, register = register_file
    result = prescreen(db, "--all", "--year", "2026", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"rule_set", "year", "as_of", "summary", "results", "warnings"}
    assert report["rule_set"]["code"] == "national_hte" and report["rule_set"]["version"] == "2016"
    assert report["year"] == 2026 and report["warnings"] == []
    summary = report["summary"]
    assert summary["enterprises"] == 5 == len(report["results"])
    assert summary["qualifies"] + summary["does_not_qualify"] + summary["cannot_tell"] == 5
    assert summary["near_miss"] == 1
    by_id = {r["enterprise_id"]: r for r in report["results"]}
    rd = next(c for c in by_id[register.near]["criteria"] if c["key"] == "rd_ratio")
    assert rd["margin"] == {"amount": 0.5, "unit": "个百分点", "short": True, "money_wan": 37,
                            "money_label": "研发投入", "text": "差 0.5 个百分点 ≈ 37万元研发投入"}
    assert rd["figures"][1] == {"label": "研发费用", "year": 2025, "years": [2023, 2024, 2025], "value": 333,
                                "unit": "万元", "text": "2023–2025年研发费用 333万元"}
    assert by_id[register.near]["near_miss"] is True
    gap = next(c for c in by_id[register.gap]["criteria"] if c["key"] == "rd_ratio")
    assert gap["status"] == "unknown" and gap["missing"] == ["2024年营业收入"]
    assert by_id[register.sound]["score"]["items"][-1]["key"] == "revenue_growth"


def in_process(db: Path, capsys: pytest.CaptureFixture[str], **options: object) -> str:
    """The command run in this process (faster than a new one for the cases that need no exit status)."""
    args = {"db": str(db), "all": False, "uscc": None, "rules": "national_hte", "year": 2026, "json": False}
    assert run(argparse.Namespace(**{**args, **options})) == 0
    return capsys.readouterr().out


def test_prov_tsme_json_with_routes(register_file: tuple[Path, Register], capsys: pytest.CaptureFixture[str]) -> None:
    db, register = register_file
    report = json.loads(in_process(db, capsys, all=True, rules="prov_tsme", json=True))
    assert report["rule_set"]["code"] == "prov_tsme" and report["rule_set"]["version"] == "2017"
    hte = next(r for r in report["results"] if r["enterprise_id"] == register.hte)
    assert hte["verdict"] == "cannot_tell"  # the 直通车 waits for the basic declarations
    assert hte["routes"][0]["key"] == "hte_valid" and hte["routes"][0]["status"] == "pass"
    staff = next(c for c in hte["criteria"] if c["key"] == "staff_cap")
    assert staff["status"] == "pass" and staff["figures"][0]["year"] == 2025 and staff["figures"][0]["value"] == 100
    assert hte["score"]["min"] == hte["score"]["max"] == 0


def test_every_enterprise_as_text(register_file: tuple[Path, Register], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = register_file
    out = in_process(db, capsys, all=True)
    assert "共 5 家：符合 0，不符合 2（其中临界 1），待定 3" in out
    assert "杭州临界科技有限公司（91330105MA20000027） 不符合（临界）" in out
    assert out.rstrip().endswith("- 杭州临界科技有限公司：研发费用占比差 0.5 个百分点 ≈ 37万元研发投入")


def test_unknown_credit_code_exits_2(register_file: tuple[Path, Register]) -> None:
    db, _ = register_file
    result = prescreen(db, "--uscc", "91330105MA2ZZZZZZZ")
    assert result.returncode == 2
    assert "台账中没有统一社会信用代码为 91330105MA2ZZZZZZZ 的企业" in result.stderr


def test_year_without_a_rule_version_is_refused(register_file: tuple[Path, Register]) -> None:
    db, _ = register_file
    args = argparse.Namespace(db=str(db), all=True, uscc=None, rules="national_hte", year=2005, json=False)
    with pytest.raises(UserFacingError, match="没有在 2005-06-30 有效的版本"):
        run(args)
