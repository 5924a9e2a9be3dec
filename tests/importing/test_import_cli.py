"""``python main.py import``: the JSON object and exit statuses of PRODUCT.md, in a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.importing.files import code, write_xlsx

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "import", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_json_summary_exit_codes_and_idempotence(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "小河.xlsx", [
        ["小河街道企业名单"], ["企业名称", "信用代码", "属地", "2024年营业收入（元）"],
        ["杭州甲科技有限公司", code(1).lower(), "", "1,000,000"],
        ["杭州乙科技有限公司", "91330105MA2000001X", "", ""],
        ["", code(3), "", ""],
        ["合计", "", "", ""]])
    db = tmp_path / "t.sqlite"
    dry = run(str(path), "--db", str(db), "--source", "小河", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    summary = json.loads(dry.stdout)
    assert summary == {"rows": 3, "created": 1, "updated": 0, "unchanged": 0, "skipped": 2, "review": 0,
                       "errors": [
                           {"row": 4, "column": "B", "code": "uscc_invalid",
                            "message": summary["errors"][0]["message"]},
                           {"row": 5, "column": "A", "code": "name_missing", "message": "企业名称为空"}],
                       "batch_id": None}
    done = json.loads(run(str(path), "--db", str(db), "--source", "小河", "--json").stdout)
    assert done["created"] == 1 and isinstance(done["batch_id"], int)
    again = json.loads(run(str(path), "--db", str(db), "--source", "小河", "--json").stdout)
    assert (again["created"], again["unchanged"], again["batch_id"]) == (0, 1, None)
    text = run(str(path), "--db", str(db), "--dry-run")
    assert "预演" in text.stdout and "第 4 行 B 列" in text.stdout


def test_unusable_inputs_exit_2(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", [["姓名", "年龄"], ["张三", 30]])
    db = tmp_path / "t.sqlite"
    no_header = run(str(path), "--db", str(db), "--json")
    assert no_header.returncode == 2 and "找不到表头" in no_header.stderr and not db.exists()
    other_kind = run(str(path), "--db", str(db), "--kind", "vouchers")
    assert other_kind.returncode == 2 and "找不到表头" in other_kind.stderr  # every kind is importable now
    good = write_xlsx(tmp_path / "g.xlsx", [["企业名称", "属地"], ["杭州甲科技有限公司", ""]])
    unknown_source = run(str(good), "--db", str(db), "--source", "火星")
    assert unknown_source.returncode == 2 and "火星" in unknown_source.stderr
