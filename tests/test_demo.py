"""The demo database: valid and coherent data, the real target table, determinism, refusal to overwrite, the CLI."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from models import Enterprise, VoucherRule
from models.db import Database
from models.voucher import GRANT_STATUSES
from services.demo import build_demo
from services.demo_base import BulkWriter
from services.demo_register import real_names
from services.errors import UserFacingError
from services.progress import Cancelled, Progress
from services.uscc import check_uscc

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 6, 30)
#: DOMAIN.md §8.1(c), copied by hand: 属地 → ((新增数, 力争数) for 2018, 2019, 2020).
GONGSHU_TABLE = {
    None: ((28, 33), (40, 47), (52, 63)),
    "上塘街道": ((1, 1), (2, 3), (3, 4)),
    "祥符街道": ((3, 5), (3, 5), (5, 7)),
    "半山街道": ((1, 1), (1, 1), (2, 2)),
    "康桥街道": ((1, 1), (2, 2), (2, 2)),
    "米市巷街道": ((1, 1), (3, 3), (4, 5)),
    "湖墅街道": ((1, 2), (2, 2), (2, 3)),
    "小河街道": ((1, 1), (1, 2), (2, 3)),
    "拱宸桥街道": ((1, 2), (1, 2), (2, 3)),
    "和睦街道": ((1, 1), (2, 2), (2, 2)),
    "大关街道": ((2, 2), (2, 2), (2, 2)),
    "园区": ((15, 16), (21, 23), (26, 30)),
}


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One 300-enterprise demo for the read-only checks (built once: the schema is the slow part)."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TECHLEDGER_DATA_DIR", str(folder / "data"))
        build_demo(folder / "demo.sqlite", enterprises=300, seed=7, as_of=AS_OF)
    yield folder / "demo.sqlite"


@pytest.fixture
def con(demo_file: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{demo_file}?mode=ro", uri=True)
    yield connection
    connection.close()


def scalar(con: sqlite3.Connection, sql: str, *params: object) -> Any:
    return con.execute(sql, params).fetchone()[0]


def test_summary_counts_the_rows(tmp_path: Path) -> None:
    summary = build_demo(tmp_path / "s.sqlite", enterprises=120, seed=2, as_of=AS_OF)
    con = sqlite3.connect(tmp_path / "s.sqlite")
    try:
        assert summary.count("enterprise") == 120 == scalar(con, "SELECT count(*) FROM enterprise")
        assert summary.count("voucher_grant") == scalar(con, "SELECT count(*) FROM voucher_grant")
    finally:
        con.close()
    text = summary.describe()
    assert "企业 120 家" in text and "2025-06-30" in text and "拱墅区" in text


def test_credit_codes_are_valid_and_unique(con: sqlite3.Connection) -> None:
    codes = [row[0] for row in con.execute("SELECT uscc FROM enterprise")]
    assert len(codes) == 300
    assert all(check_uscc(code).ok for code in codes)
    assert len(set(codes)) == len(codes)
    assert sum(code.startswith("91330105") for code in codes) > len(codes) / 2


def test_database_is_sound(con: sqlite3.Connection) -> None:
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_register_is_gongshu_with_real_names_first(con: sqlite3.Connection) -> None:
    assert scalar(con, "SELECT name FROM enterprise WHERE id = 1") == real_names(random.Random(0))[0]
    assert scalar(con, "SELECT count(DISTINCT subdistrict_id) FROM enterprise") == 11
    assert scalar(con, "SELECT count(*) FROM enterprise e JOIN district d ON d.id = e.district_id "
                       "WHERE d.name <> '拱墅区'") == 0
    assert scalar(con, "SELECT count(*) FROM enterprise WHERE name_norm = '' OR name_initials = ''") == 0
    settings = dict(con.execute("SELECT key, value FROM app_setting"))
    assert settings["district"] == "拱墅区" and settings["bureau_name"] == "杭州市拱墅区科学技术局"


def test_every_qualification_type_is_used(con: sqlite3.Connection) -> None:
    catalogue = {row[0] for row in con.execute("SELECT code FROM qualification_type")}
    used = {row[0] for row in con.execute("SELECT DISTINCT type_code FROM enterprise_qualification")}
    assert catalogue <= used
    assert scalar(con, "SELECT count(*) FROM qualification_annual_report") > 0
    tiers = {row[0] for row in con.execute("SELECT DISTINCT tier FROM enterprise_qualification WHERE tier IS NOT NULL")}
    assert tiers == {"第一梯队", "第二梯队", "第三梯队"}


def test_share_of_national_hte_is_plausible(con: sqlite3.Connection) -> None:
    valid = scalar(con, "SELECT count(DISTINCT enterprise_id) FROM enterprise_qualification WHERE type_code = "
                        "'national_hte' AND certified_on <= ? AND valid_to >= ? AND revoked_on IS NULL", AS_OF, AS_OF)
    assert 0.03 * 300 <= valid <= 0.12 * 300


def test_some_certificates_run_out_soon(con: sqlite3.Connection) -> None:
    def expiring(days: int) -> int:
        return scalar(con, "SELECT count(*) FROM enterprise_qualification WHERE type_code = 'national_hte' "
                           "AND status = '认定' AND valid_to BETWEEN ? AND ?", AS_OF, AS_OF + dt.timedelta(days=days))

    assert 0 < expiring(30) < expiring(90) < expiring(180)


def late_or_disordered(con: sqlite3.Connection, as_of: dt.date) -> dict[str, object]:
    """Rows per table with a date after as_of or dates out of order."""
    checks = {
        "enterprise_qualification": "coalesce(applied_on, reviewed_on, publicized_on, certified_on) > ? OR "
                                    "reviewed_on < applied_on OR publicized_on < reviewed_on OR certified_on < "
                                    "publicized_on OR certified_on > ?",
        "visit": "visited_on > ? OR visited_on > ?",
        "visit_issue": "closed_on > ? OR closed_on > ?",
        "voucher_grant": "applied_on > ? OR issued_on > ? OR issued_on < applied_on",
        "voucher_redemption": "paid_on > ? OR applied_on > ?",
        "payment": "paid_on > ? OR paid_on > ?",
        "tenancy": "entered_on > ? OR left_on > ?",
        "carrier_recognition_event": "changed_on > ? OR changed_on > ?",
        "carrier_period_stat": "submitted_on > ? OR submitted_on > ?",
        "pool_entry": "entered_on > ? OR left_on > ? OR left_on < entered_on",
        "pre_review": "reviewed_on > ? OR reviewed_on > ?",
        "qualification_annual_report": "submitted_on > ? OR submitted_on > ?",
        "payment_notice": "issued_on > ? OR publicized_on > ? OR publicized_on > issued_on",
        "rd_institution": "approved_on > ? OR approved_on > ?",
        "voucher_use": "used_on > ? OR used_on > ?",
        "enterprise_former_name": "used_until > ? OR used_until > ?",
        "enterprise": "registered_on > ? OR registered_on > ?",
    }
    return {table: n for table, condition in checks.items()
            if (n := scalar(con, f"SELECT count(*) FROM {table} WHERE {condition}", as_of, as_of))}


def test_dates_are_in_order_and_not_after_as_of(con: sqlite3.Connection) -> None:
    assert late_or_disordered(con, AS_OF) == {}


@pytest.mark.parametrize("as_of", [dt.date(2020, 1, 2), dt.date(2024, 2, 29), dt.date(2021, 12, 31)])
def test_any_day_gives_a_sound_database(tmp_path: Path, as_of: dt.date) -> None:
    path = tmp_path / "day.sqlite"
    build_demo(path, enterprises=150, seed=5, as_of=as_of)
    con = sqlite3.connect(path)
    try:
        assert late_or_disordered(con, as_of) == {}
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert scalar(con, "SELECT count(*) FROM target WHERE year BETWEEN 2018 AND 2020 AND issuer = '区'") == 36
    finally:
        con.close()


def test_year_figures_hang_together(con: sqlite3.Connection) -> None:
    assert scalar(con, "SELECT count(*) FROM enterprise_year_fact WHERE rd_domestic_wan > rd_expense_wan OR "
                       "hitech_revenue_wan > revenue_wan OR st_staff_avg > staff_avg OR net_assets_wan > "
                       "total_assets_wan OR year NOT BETWEEN 2022 AND 2024") == 0
    ratio = scalar(con, "SELECT avg(1.0 * rd_expense_wan / revenue_wan) FROM enterprise_year_fact "
                        "WHERE revenue_wan > 0")
    assert 0.02 <= ratio <= 0.08


def test_vouchers_go_through_every_status(con: sqlite3.Connection) -> None:
    statuses = {row[0] for row in con.execute("SELECT DISTINCT status FROM voucher_grant")}
    assert statuses == set(GRANT_STATUSES)
    assert scalar(con, "SELECT count(*) FROM voucher_grant WHERE maker_team_name IS NOT NULL") > 0
    assert scalar(con, "SELECT count(*) FROM voucher_use WHERE contract_no IS NOT NULL") > 0
    assert scalar(con, "SELECT count(*) FROM voucher_redemption WHERE status = '已兑付' AND (batch_no IS NULL OR "
                       "notice_id IS NULL OR paid_on IS NULL)") == 0
    assert scalar(con, "SELECT count(*) FROM voucher_rule WHERE subsidy_ratio NOT BETWEEN 3000 AND 5000 OR "
                       "enterprise_cap_wan <> 20000000 OR maker_team_cap_wan <> 10000000") == 0


def test_payment_shares_add_up(con: sqlite3.Connection) -> None:
    assert scalar(con, "SELECT count(*) FROM payment") > 0
    assert scalar(con, "SELECT count(*) FROM payment WHERE amount_city_wan + amount_district_wan <> "
                       "amount_total_wan") == 0
    halves = con.execute("SELECT amount_city_wan, amount_total_wan FROM payment p JOIN payment_notice n "
                         "ON n.id = p.notice_id WHERE n.programme = '国高企认定奖励'").fetchall()
    assert halves and all(city * 2 == total for city, total in halves)
    programmes = {row[0] for row in con.execute("SELECT DISTINCT programme FROM payment_notice")}
    assert {"国高企认定奖励", "研发投入补助", "众创空间房租补贴", "创新券补助"} <= programmes


def test_carriers_have_history_statistics_and_tenants(con: sqlite3.Connection) -> None:
    assert scalar(con, "SELECT count(*) FROM carrier WHERE name = '运河汽车互联网产业园'") == 1
    assert scalar(con, "SELECT count(DISTINCT year * 10 + quarter) FROM carrier_period_stat") == 8
    assert scalar(con, "SELECT count(*) FROM carrier_recognition r WHERE NOT EXISTS (SELECT 1 FROM "
                       "carrier_recognition_event e WHERE e.recognition_id = r.id)") == 0
    exits = {row[0] for row in con.execute("SELECT DISTINCT exit_kind FROM tenancy")}
    assert exits == {None, "毕业", "退出"}
    assert scalar(con, "SELECT count(*) FROM tenancy WHERE left_on IS NULL AND "
                       "julianday(?) - julianday(entered_on) > incubation_months * 30.44", AS_OF) > 0


def test_targets_of_2018_to_2020_are_the_district_table(con: sqlite3.Connection) -> None:
    rows = con.execute(
        "SELECT s.name, t.year, t.required, t.stretch FROM target t LEFT JOIN subdistrict s ON s.id = t.subdistrict_id "
        "WHERE t.issuer = '区' AND t.indicator = 'qual.national_hte.new' AND t.year BETWEEN 2018 AND 2020"
    ).fetchall()
    found = {(name, year): (required, stretch) for name, year, required, stretch in rows}
    expected = {(name, 2018 + i): pair for name, pairs in GONGSHU_TABLE.items() for i, pair in enumerate(pairs)}
    assert found == expected
    assert len(rows) == len(expected)
    recent = scalar(con, "SELECT count(*) FROM target WHERE year IN (2024, 2025) AND source = '演示数据'")
    assert recent == 2 * 12


def test_no_audit_entries_for_demo_rows(con: sqlite3.Connection) -> None:
    assert scalar(con, "SELECT count(*) FROM audit_log WHERE table_name = 'enterprise'") == 0


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows in key order (the reference data's audit entries without their timestamps)."""
    con = sqlite3.connect(path)
    try:
        tables = [row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for table in tables:
            columns = [row[1] for row in con.execute(f"PRAGMA table_info({table})") if row[1] != "at"]
            out[table] = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid").fetchall()
        return out
    finally:
        con.close()


def test_same_seed_and_day_give_the_same_database(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.sqlite", tmp_path / "b.sqlite", tmp_path / "c.sqlite"
    build_demo(first, enterprises=150, seed=11, as_of=AS_OF)
    build_demo(second, enterprises=150, seed=11, as_of=AS_OF)
    build_demo(other, enterprises=150, seed=12, as_of=AS_OF)
    a, b, c = dump(first), dump(second), dump(other)
    assert a == b
    assert a["enterprise"] != c["enterprise"]
    assert a["district"] == c["district"]


def test_refuses_to_overwrite_a_file_with_content(tmp_path: Path) -> None:
    path = tmp_path / "mine.sqlite"
    path.write_bytes(b"precious")
    with pytest.raises(UserFacingError, match="已存在"):
        build_demo(path, enterprises=20, as_of=AS_OF)
    assert path.read_bytes() == b"precious"
    Path(f"{path}-wal").write_bytes(b"stale")
    summary = build_demo(path, enterprises=20, as_of=AS_OF, replace=True)
    assert summary.count("enterprise") == 20
    assert sqlite3.connect(path).execute("SELECT count(*) FROM enterprise").fetchone() == (20,)


def test_an_empty_file_is_filled(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()
    assert build_demo(path, enterprises=10, as_of=AS_OF).count("enterprise") == 10


def test_cancel_leaves_nothing_behind(tmp_path: Path) -> None:
    progress = Progress()
    progress.cancel()
    path = tmp_path / "cancelled.sqlite"
    with pytest.raises(Cancelled):
        build_demo(path, enterprises=50, as_of=AS_OF, progress=progress)
    assert not path.exists() and not Path(f"{path}-wal").exists()


def test_size_out_of_range_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="企业数量"):
        build_demo(tmp_path / "x.sqlite", enterprises=0)


def test_bulk_writer_stores_what_core_stores(db: Database) -> None:
    created = dt.datetime(2025, 6, 30, 1, tzinfo=dt.UTC)
    enterprise = {"name": "杭州测试科技有限公司", "name_norm": "杭州测试科技有限公司", "name_initials": "hzcskjyxgs",
                  "uscc_check_override": False, "district_id": 4, "registered_on": dt.date(2019, 3, 1),
                  "registered_capital_wan": Decimal("123.456789"), "created_at": created, "updated_at": created,
                  "deleted_at": None, "version": 1}
    rule = {"district_id": 4, "enterprise_cap_wan": 20, "maker_team_cap_wan": Decimal("10.5"), "subsidy_ratio": 0.3,
            "city_cofund_max_ratio": Decimal("0.4"), "source_doc": None}
    with db.session_factory.begin() as session:
        conn = session.connection()
        writer = BulkWriter(conn)
        writer.add(Enterprise, enterprise | {"id": 1, "uscc": "A"})
        writer.add(VoucherRule, rule | {"id": 1, "year": 2024})
        writer.flush()
        conn.execute(insert(Enterprise), [enterprise | {"id": 2, "uscc": "B"}])
        conn.execute(insert(VoucherRule), [rule | {"id": 2, "year": 2025}])
    with db.engine.connect() as con:  # the values as stored, without the columns' result conversions
        for table, differing in (("enterprise", {"id", "uscc"}), ("voucher_rule", {"id", "year"})):
            result = con.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id")
            names = list(result.keys())
            first, second = ({k: v for k, v in zip(names, row, strict=True) if k not in differing} for row in result)
            assert first == second, table


def test_command_line_builds_a_demo(tmp_path: Path) -> None:
    path = tmp_path / "cli.sqlite"
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--db", str(path), "--enterprises", "200",
                             "--seed", "3"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "企业 200 家" in result.stdout
    again = subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--db", str(path)], capture_output=True,
                           text=True, timeout=120, cwd=ROOT)
    assert again.returncode == 2 and "已存在" in again.stderr
