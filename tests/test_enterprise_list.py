"""The enterprise list service: filters, sorting, rows by id, the in-memory search index, export to xlsx."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from models import Subdistrict
from models.db import Database
from services.demo import build_demo
from services.dto import EnterpriseInput
from services.enterprise_export import export_rows
from services.enterprise_list import (
    COLUMNS,
    NO_SUBDISTRICT,
    ListFilter,
    SearchIndex,
    list_ids,
    list_options,
    list_rows,
    search_index_chunk,
)
from services.enterprise_records import PoolInput, add_pool_entry
from services.progress import Cancelled, Progress
from services.qualifications import QualificationInput, add_qualification
from services.register import create_enterprise, search_enterprise_ids, soft_delete_enterprise
from services.session import read_session
from services.uscc import make_uscc

TODAY = dt.date(2026, 6, 30)
D = dt.timedelta(days=1)


def sub_id(db: Database, name: str) -> int:
    with read_session(db) as session:
        found = session.scalar(select(Subdistrict.id).where(Subdistrict.name == name))
    assert found is not None
    return found


@pytest.fixture
def register(db: Database) -> dict[str, int]:
    """Five enterprises with known 属地, fields, certifications and pools."""
    names = {
        "a": EnterpriseInput(name="杭州匠控科技有限公司", uscc=make_uscc("91330105MA2AAAAA1"),
                             subdistrict_id=sub_id(db, "大关街道"), industry_field_code="electronics",
                             registered_on=dt.date(2015, 3, 1), former_names=("杭州老字号电子厂",)),
        "b": EnterpriseInput(name="浙江运河数据有限公司", subdistrict_id=sub_id(db, "上塘街道"),
                             industry_field_code="hitech_services", registered_on=dt.date(2010, 1, 1)),
        "c": EnterpriseInput(name="杭州半山新材料有限公司", subdistrict_id=sub_id(db, "半山街道"),
                             industry_field_code="materials", registered_capital_wan=Decimal("500")),
        "d": EnterpriseInput(name="杭州无属地科技有限公司"),
        "gone": EnterpriseInput(name="杭州已注销科技有限公司", subdistrict_id=sub_id(db, "大关街道")),
    }
    ids = {key: create_enterprise(db, data).id for key, data in names.items()}
    soft_delete_enterprise(db, ids["gone"])

    def cert(key: str, certified: dt.date, code: str = "national_hte") -> None:
        add_qualification(db, ids[key], QualificationInput(type_code=code, year=certified.year,
                                                           certified_on=certified), today=TODAY)

    cert("a", TODAY - 100 * D)  # valid for three years
    cert("b", dt.date(2023, 7, 20))  # valid to 2026-07-19: expiring within 90 days
    cert("c", dt.date(2022, 1, 10))  # expired 2025-01-09
    cert("c", dt.date(2019, 1, 10), "city_hte")  # no end
    add_pool_entry(db, ids["b"], PoolInput("申报库", 2026, TODAY - 30 * D), today=TODAY)
    return ids


def test_default_list_is_in_name_order_without_removed_ones(db: Database, register: dict[str, int]) -> None:
    ids = list_ids(db, as_of=TODAY)
    assert register["gone"] not in ids and len(ids) == 4
    rows = list_rows(db, ids, as_of=TODAY)
    assert [r.id for r in rows] == ids
    assert [r.name for r in rows] == sorted((r.name for r in rows), key=lambda n: n)  # name_norm order
    assert list_ids(db, ListFilter(include_deleted=True), as_of=TODAY).count(register["gone"]) == 1


def test_filters(db: Database, register: dict[str, int]) -> None:
    def ids(**kwargs: object) -> set[int]:
        return set(list_ids(db, ListFilter(**kwargs), as_of=TODAY))  # type: ignore[arg-type]

    r = register
    assert ids(subdistrict_id=sub_id(db, "大关街道")) == {r["a"]}
    assert ids(subdistrict_id=NO_SUBDISTRICT) == {r["d"]}
    assert ids(industry_field_code="materials") == {r["c"]}
    assert ids(qualification="national_hte") == {r["a"], r["b"]}
    assert ids(qualification="national_hte", state="expiring") == {r["b"]}
    assert ids(qualification="national_hte", state="expired") == {r["c"]}
    assert ids(qualification="national_hte", state="any") == {r["a"], r["b"], r["c"]}
    assert ids(qualification="city_hte") == {r["c"]}
    assert ids(pool_kind="申报库") == {r["b"]}
    assert ids(pool_kind="储备库") == set()
    assert ids(qualification="national_hte", subdistrict_id=sub_id(db, "上塘街道")) == {r["b"]}
    assert ids(text="hzjk") == {r["a"]}


def test_sorting_keeps_blanks_last(db: Database, register: dict[str, int]) -> None:
    r = register
    by_date = list_ids(db, sort="registered_on", as_of=TODAY)
    assert by_date[:2] == [r["b"], r["a"]]
    assert list_ids(db, sort="registered_on", descending=True, as_of=TODAY)[:2] == [r["a"], r["b"]]
    by_capital = list_ids(db, sort="registered_capital_wan", descending=True, as_of=TODAY)
    assert by_capital[0] == r["c"]
    by_sub = list_ids(db, sort="subdistrict", as_of=TODAY)
    assert by_sub[0] == r["b"] and by_sub[-1] == r["d"]  # 上塘 first in the catalogue, no 属地 last
    assert list_ids(db, sort="id", as_of=TODAY) == sorted(list_ids(db, as_of=TODAY))
    with pytest.raises(ValueError):
        list_ids(db, sort="qualifications")


def test_rows_carry_what_the_columns_show(db: Database, register: dict[str, int]) -> None:
    (row,) = list_rows(db, [register["a"]], as_of=TODAY)
    assert row.subdistrict == "大关街道" and row.industry_field == "电子信息"
    assert row.qualifications == "国高企" and row.former_names == "杭州老字号电子厂"
    (c,) = list_rows(db, [register["c"]], as_of=TODAY)
    assert c.qualifications == "市高企"  # the expired 国高企 is not listed
    assert {col.key for col in COLUMNS} <= set(vars(row))
    assert list_rows(db, [999_999, register["b"]], as_of=TODAY)[0].id == register["b"]


def test_options_name_the_districts_units(db: Database) -> None:
    options = list_options(db)
    assert [name for _id, name in options.subdistricts][:2] == ["上塘街道", "祥符街道"]
    assert options.qualification_types[0] == ("national_hte", "国高企")
    assert len(options.industry_fields) == 8


def full_index(db: Database, chunk: int = 20_000) -> SearchIndex:
    index = SearchIndex()
    after = 0
    while not index.complete:
        part = search_index_chunk(db, after, chunk)
        index.add(part)
        after = part.last_id
    return index


def test_index_search_matches_name_former_name_code_and_initials(db: Database, register: dict[str, int]) -> None:
    index = full_index(db, chunk=2)  # several chunks
    assert len(index) == 5
    base = list_ids(db, as_of=TODAY)
    r = register
    assert index.filter(base, "hzjk") == [r["a"]]
    assert index.filter(base, "HZJK") == [r["a"]]
    assert index.filter(base, "老字号") == [r["a"]]  # former name
    assert index.filter(base, "lzh") == [r["a"]]  # initials of the former name
    assert index.filter(base, "aaaa") == [r["a"]]  # part of the credit code, any case
    assert index.filter(base, "浙江 数据") == [r["b"]]  # every word
    assert index.filter(base, "（半山）") == []
    assert index.filter(base, "") == base
    assert index.filter(base, "已注销") == []  # not in the list searched
    # Typing on narrows the previous result; deleting a letter searches the whole list again.
    assert index.filter(base, "杭州") == index.filter(base, "杭") and len(index.filter(base, "杭州")) == 3
    assert index.filter(base, "杭州半") == [r["c"]]
    assert len(index.filter(base, "杭州")) == 3


def test_index_and_sql_search_agree_on_a_demo_register(tmp_path: Path) -> None:
    opened_path = tmp_path / "demo.sqlite"
    build_demo(opened_path, enterprises=600, seed=3, as_of=TODAY)
    from services.database import open_database

    with open_database(opened_path) as opened:
        db = opened.db
        index = full_index(db, chunk=250)
        base = list_ids(db, ListFilter(include_deleted=True), as_of=TODAY)
        rows = list_rows(db, base[:5], as_of=TODAY)
        queries = ["hz", "hzkj", "科技", "杭州 科技", "913301", rows[0].name[2:5], (rows[1].uscc or "x")[-5:].lower(),
                   "有限公司", "zj", "1", "(", "集团"]
        for query in queries:
            expected = search_enterprise_ids(db, query, include_deleted=True)
            assert index.filter(base, query) == expected, query


def test_export_writes_text_as_text(db: Database, tmp_path: Path, register: dict[str, int]) -> None:
    create_enterprise(db, EnterpriseInput(name="=SUM(A1:A9)", contact_phone="+86 571 8888"))
    ids = list_ids(db, as_of=TODAY)
    keys = ["name", "uscc", "registered_on", "registered_capital_wan", "contact_phone", "qualifications"]
    target = tmp_path / "企业名单.xlsx"
    written = export_rows(db, target, ids, keys, as_of=TODAY, progress=Progress())
    assert written == len(ids) == 5
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    values = list(sheet.values)
    assert values[0] == ("企业名称", "统一社会信用代码", "注册日期", "注册资本(万元)", "联系电话", "有效资质")
    by_name = {row[0]: row for row in values[1:]}
    evil = by_name["=SUM(A1:A9)"]
    assert evil[4] == "+86 571 8888"
    assert sheet.cell(row=2, column=1).data_type == "s"  # a string, never a formula
    a = by_name["杭州匠控科技有限公司"]
    assert a[1] == make_uscc("91330105MA2AAAAA1") and a[2] == dt.datetime(2015, 3, 1)
    assert by_name["杭州半山新材料有限公司"][3] == 500


def test_export_cancel_leaves_no_file(db: Database, tmp_path: Path, register: dict[str, int]) -> None:
    progress = Progress()
    progress.cancel()
    target = tmp_path / "x.xlsx"
    with pytest.raises(Cancelled):
        export_rows(db, target, list_ids(db, as_of=TODAY), ["name"], as_of=TODAY, progress=progress)
    assert not target.exists() and list(tmp_path.glob("*.xlsx*")) == []
