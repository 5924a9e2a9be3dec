"""The ``carrier_stats`` import on real spreadsheets: the city's 2018 incubator table (113 real rows with real
anomalies), quarters, matching by name or operator, unknown carriers, duplicates, modes, re-import and revert."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models import Carrier, CarrierPeriodStat
from models.db import Database
from services.carrier_stats import figures_of, list_stats, totals
from services.carriers import CarrierInput, create_carrier, soft_delete_carrier
from services.importing.commit import run_import
from services.importing.errors import ImportFileError
from services.importing.plan import ImportOptions, Plan
from services.importing.revert import revert_batch
from services.session import read_session, unit_of_work
from services.text import normalize_name
from tests.importing.files import write_csv, write_xlsx

TODAY = dt.date(2026, 3, 15)
TABLE = Path(__file__).resolve().parent.parent / "fixtures" / "hz_incubators_basic_stats_2018.tsv"
HEADER = ["载体名称", "季度", "当前在孵企业总数", "其中：当年新增孵化企业数", "累计总投资（元）"]


def options(**kw: Any) -> ImportOptions:
    return ImportOptions(kind="carrier_stats", today=TODAY, **kw)


def table_rows() -> tuple[list[str], list[list[str]]]:
    with TABLE.open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh, delimiter="\t"))
    return header, rows


def city_table(path: Path) -> Path:
    """The 2018 table as the yearbook prints it: title, unit line, header, 113 rows, a totals row."""
    header, rows = table_rows()
    cells: list[list[Any]] = [["2018年杭州市科技企业孵化器基本情况统计表"], ["单位：万元、平方米、家、人、件"], header]
    for label, *values in rows:
        cells.append([label, *(float(v) if v.strip() else None for v in values)])
    cells.append(["合计", 1, 2, 3, 4, 5, 6, 7, 8])
    return write_xlsx(path, cells, sheet="孵化器")


def register_city_carriers(db: Database) -> dict[str, int]:
    """One incubator per row of the table: the first ten named as the row label, the rest by their operator."""
    _header, rows = table_rows()
    with unit_of_work(db) as session:
        for n, (label, *_values) in enumerate(rows):
            name = label if n < 10 else f"{label.removesuffix('有限公司')}孵化基地"
            session.add(Carrier(name=name, name_norm=normalize_name(name), kind_code="incubator",
                                operator_name=None if n < 10 else label))
    with read_session(db) as session:
        return {c.operator_name or c.name: c.id for c in session.scalars(select(Carrier))}


def notes(plan: Plan) -> dict[str, str]:
    return {r.name: r.note for r in plan.rows if "合理性提示" in r.note}


def test_the_2018_city_table(db: Database, tmp_path: Path) -> None:
    ids = register_city_carriers(db)
    path = city_table(tmp_path / "2018.xlsx")
    dry = run_import(db, path, options(year=2018), dry_run=True)
    assert dry.summary() == {"rows": 113, "created": 113, "updated": 0, "unchanged": 0, "skipped": 0, "review": 0,
                             "errors": [], "batch_id": None}
    flagged = notes(dry.plan)
    names = {cid: name for name, cid in ids.items()}
    by_operator = {names[r.target_id]: r.name for r in dry.plan.rows}  # type: ignore[index]
    assert set(flagged) == {by_operator[o] for o in ("杭州橙创投资管理有限公司", "临安市阿凡提企业管理有限公司",
                                                      "杭州卡莱达投资管理有限公司")}
    assert "当年新增孵化企业数（24）大于在孵企业数（23）" in flagged[by_operator["杭州橙创投资管理有限公司"]]
    assert "累计总投资 507,000 万元，按面积 11,200 ㎡ 折合每平方米 45.27 万元" in \
        flagged[by_operator["临安市阿凡提企业管理有限公司"]]
    assert "从业人数（60）少于在孵企业数（119）" in flagged[by_operator["杭州卡莱达投资管理有限公司"]]

    done = run_import(db, path, options(year=2018))
    assert done.batch_id is not None and done.plan.counts["create"] == 113
    with read_session(db) as session:
        stats = list(session.scalars(select(CarrierPeriodStat)))
    assert {(s.year, s.quarter) for s in stats} == {(2018, None)} and len(stats) == 113
    sums = totals(figures_of(s) for s in stats)
    assert (sums["incubating_count"].total, sums["incubating_count"].blank) == (7153, 0)
    assert (sums["new_count"].total, sums["new_count"].blank) == (2083, 0)
    assert (sums["graduated_count"].total, sums["graduated_count"].reported, sums["graduated_count"].blank) == \
        (608, 78, 35)
    assert sums["graduated_count"].text() == "608（35 家未填）"
    assert (sums["employees"].total, sums["employees"].blank) == (84354, 2)
    assert (sums["ip_count"].total, sums["ip_count"].blank) == (5270, 9)
    assert (sums["revenue_wan"].total, sums["revenue_wan"].blank) == (Decimal("1457390.82"), 12)
    assert sums["floor_area_m2"].total == Decimal("3094629.6940")  # DOMAIN.md rounds it to 3,094,629.69
    assert sum(1 for s in stats if s.graduated_count is None) == 35  # blank stays blank, never 0

    afanti = list_stats(db, ids["临安市阿凡提企业管理有限公司"])[0]
    assert afanti.figures["investment_total_wan"] == Decimal("507000") and afanti.figures["graduated_count"] == 10
    finding = afanti.finding("investment_total_wan")
    assert finding is not None and finding.severity == "red"

    again = run_import(db, path, options(year=2018))
    assert (again.batch_id, again.plan.counts["unchanged"]) == (None, 113)
    assert len(notes(again.plan)) == 3  # the warnings stay visible on an unchanged re-import

    reverted = revert_batch(db, done.batch_id)
    assert reverted.removed == 113
    with read_session(db) as session:
        assert session.scalar(select(CarrierPeriodStat.id)) is None


def carrier(db: Database, name: str, operator: str | None = None, area: str | None = None) -> int:
    return create_carrier(db, CarrierInput(name=name, kind_code="incubator", operator_name=operator,
                                           area_m2=Decimal(area) if area else None)).id


def test_quarters_units_updates_and_out_of_line_amounts(db: Database, tmp_path: Path) -> None:
    a = carrier(db, "运河汽车互联网孵化器", "杭州运河汽车互联网有限公司")
    b = carrier(db, "北部软件园众创空间")
    rows = [["2025年第三季度载体运行数据"], HEADER,
            ["杭州运河汽车互联网有限公司", "2025年第1季度", 40, 5, 12_000_000],
            ["杭州运河汽车互联网有限公司", "Q2", 42, 4, 12_500_000],
            ["北部软件园众创空间", "第三季度", 20, "", "—"]]
    first = run_import(db, write_xlsx(tmp_path / "q.xlsx", rows), options(year=2025))
    assert first.plan.counts["create"] == 3 and first.plan.issues == []
    stored = {(s.carrier_id, s.quarter): s for s in list_stats(db, a) + list_stats(db, b)}
    assert set(stored) == {(a, 1), (a, 2), (b, 3)} and {s.year for s in stored.values()} == {2025}
    assert stored[(a, 1)].figures["investment_total_wan"] == Decimal("1200")  # 元 → 万元
    assert stored[(b, 3)].figures["new_count"] is None and stored[(b, 3)].figures["investment_total_wan"] is None

    # The third quarter in 元 mistaken for 万元: ten thousand times the other quarters; a CSV from a GBK PC.
    path = write_csv(tmp_path / "q3.csv", [[*HEADER[:4], "累计总投资（万元）"],
                                           ["运河汽车互联网孵化器", "2025Q3", 43, 3, 12_600_000],
                                           ["北部软件园众创空间", 3, 21, "", ""]], encoding="gb18030")
    plan = run_import(db, path, options(year=2025), dry_run=True).plan
    assert [r.action for r in plan.rows] == ["create", "update"], plan.issues
    assert "累计总投资 12,600,000万元，是该载体通常水平（1,250）的 10,080 倍" in plan.rows[0].note
    assert [(c.label, c.old, c.new) for c in plan.rows[1].changes] == [("2025年第3季度当前在孵企业总数", 20, 21)]
    assert run_import(db, path, options(year=2025, mode="create"), dry_run=True).plan.counts["skipped"] == 1


def test_unknown_ambiguous_lookalike_duplicate_and_impossible_rows(db: Database, tmp_path: Path) -> None:
    carrier(db, "莱克孵化器", "杭州莱克孵化器有限公司")
    carrier(db, "莱克空间", "杭州莱克孵化器有限公司")
    carrier(db, "杭州天和高科技产业园孵化器", "杭州天和高科技产业园有限公司")
    gone = carrier(db, "旧孵化器")
    soft_delete_carrier(db, gone)
    rows = [HEADER,
            ["杭州莱克孵化器有限公司", "", 10, 1, ""],          # 2: runs two carriers
            ["莱克孵化器", "", 10, 1, ""],                      # 3
            ["莱克孵化器", "", 10, 1, ""],                      # 4: same as row 3
            ["莱克孵化器", "", 11, 1, ""],                      # 5: same period, other figures
            ["杭州某某众创空间", "", 5, 1, ""],                  # 6: unknown
            ["杭州天和高科技产业园孵化器有限公司", "", 9, 1, ""],  # 7: only resembles a carrier
            ["旧孵化器", "", 9, 1, ""],                          # 8: removed
            ["莱克空间", "2027年第1季度", 9, 1, ""],              # 9: not begun
            ["莱克空间", "", -3, 1, ""],                         # 10: negative
            ["莱克空间", "第五季度", 3, 1, ""],                   # 11: no such quarter
            ["", "", 3, 1, ""]]                                  # 12: no name
    plan = run_import(db, write_xlsx(tmp_path / "bad.xlsx", rows), options(year=2025), dry_run=True).plan
    codes = {i.row: (i.code, i.column) for i in plan.issues}
    assert codes == {2: ("carrier_ambiguous", "A"), 5: ("duplicate_conflict", "A"), 6: ("carrier_unknown", "A"),
                     8: ("carrier_removed", "A"), 9: ("period_invalid", "B"), 10: ("value_negative", "C"),
                     11: ("period_invalid", "B"), 12: ("name_missing", "A")}
    assert [r.action for r in plan.rows] == ["skipped", "create", "unchanged", "skipped", "skipped", "review",
                                             "skipped", "skipped", "skipped", "skipped", "skipped"]
    review = plan.rows[5]
    assert review.candidate is not None and review.candidate.name == "杭州天和高科技产业园孵化器"
    assert "“莱克孵化器”、“莱克空间”" in plan.issues[0].message

    decided = run_import(db, plan.path, options(year=2025, decisions={7: review.candidate.id}), dry_run=True).plan
    assert decided.rows[5].action == "create" and decided.rows[5].name == "杭州天和高科技产业园孵化器"
    refused = run_import(db, plan.path, options(year=2025, decisions={7: None}), dry_run=True).plan
    assert refused.rows[5].issues[0].code == "carrier_unknown"


def test_a_sheet_without_a_carrier_column_is_refused(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", [["企业名称", "营业收入"], ["杭州甲科技有限公司", 10]])
    with pytest.raises(ImportFileError, match="载体名称"):
        run_import(db, path, options(year=2025), dry_run=True)


def test_the_command_lines_text_shows_the_plausibility_findings(db: Database, tmp_path: Path) -> None:
    from services.importing.command import describe

    carrier(db, "北部软件园众创空间")
    path = write_xlsx(tmp_path / "q.xlsx", [HEADER, ["北部软件园众创空间", "2025年第1季度", 23, 24, ""]])
    text = describe(run_import(db, path, options(year=2025), dry_run=True), dry_run=True)
    assert "第 2 行（新增）：新增2025年第1季度统计；合理性提示：当年新增孵化企业数（24）大于在孵企业数（23）" in text
