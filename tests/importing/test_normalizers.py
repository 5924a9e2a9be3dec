"""Property tests of the normalisers: names, dates, numbers, credit codes (hypothesis)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.importing.carrier_stats import AREA_LIMIT, _area
from services.importing.normalize import (
    COUNT_LIMIT,
    MONEY_LIMIT,
    UNIT_FACTORS,
    CellError,
    parse_count,
    parse_date,
    parse_money,
    parse_number,
    parse_uscc,
    unit_and_year,
)
from services.text import normalize_name
from services.uscc import ALPHABET, check_char

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
NAMES = st.text(st.one_of(HAN, st.sampled_from("（）() AB12")), min_size=1, max_size=20)
FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@given(NAMES, st.lists(st.sampled_from([" ", "\u3000", "\t"]), max_size=3), st.integers(0, 19))
def test_name_key_ignores_any_whitespace_and_bracket_width(name: str, spaces: list[str], at: int) -> None:
    spaced = name[:at] + "".join(spaces) + name[at:]
    full = spaced.replace("(", "（").replace(")", "）")
    assert normalize_name(full) == normalize_name(name)
    assert normalize_name(normalize_name(name)) == normalize_name(name)


@given(st.dates(dt.date(1949, 1, 1), dt.date(2200, 12, 31)))
def test_every_date_form_reads_back(day: dt.date) -> None:
    forms = [f"{day.year}/{day.month}/{day.day}", day.isoformat(), f"{day.year}.{day.month}.{day.day}",
             f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y%m%d"), (day - dt.date(1899, 12, 30)).days,
             float((day - dt.date(1899, 12, 30)).days), day, dt.datetime.combine(day, dt.time(9, 30)),
             f"{day.year}年{day.month}月{day.day}日".translate(FULL_WIDTH)]
    for form in forms:
        assert parse_date(form) == day, form


@pytest.mark.parametrize("text", ["2019-02-30", "2019/13/1", "三月一日", "1.5", "2019年3月"])
def test_bad_dates_are_errors(text: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_date(text)
    assert caught.value.code == "date_invalid"


@given(st.decimals(min_value=Decimal(-10**9), max_value=Decimal(10**9), places=2, allow_nan=False))
def test_numbers_with_separators_and_full_width_digits(value: Decimal) -> None:
    plain = f"{value:,.2f}"
    assert parse_number(plain) == value
    assert parse_number(plain.translate(FULL_WIDTH)) == value
    assert parse_number(f" {value} ") == value


@given(st.decimals(min_value=Decimal(0), max_value=Decimal(10**8), places=2, allow_nan=False),
       st.sampled_from(sorted(UNIT_FACTORS)))
def test_units_convert_to_wan(value: Decimal, unit: str) -> None:
    assert parse_money(str(value), UNIT_FACTORS[unit]) == (value * UNIT_FACTORS[unit]).quantize(Decimal("0.000001"))


@pytest.mark.parametrize("text", ["无", "-", "/", "", "  ", None])
def test_placeholders_mean_empty(text: str | None) -> None:
    assert parse_number(text) is None and parse_date(text) is None and parse_uscc(text) is None


def test_counts_and_header_units() -> None:
    assert parse_count("１２人") == 12 and parse_count(12.0) == 12
    with pytest.raises(CellError):
        parse_count("1.5")
    assert unit_and_year("2025年营业收入（千元）") == ("营业收入", Decimal("0.1"), 2025)
    assert unit_and_year("研发费用 单位：元")[1] == Decimal("0.0001")


@given(st.text(st.sampled_from(ALPHABET), min_size=17, max_size=17))
def test_credit_codes_upper_cased_stripped_and_checked(body: str) -> None:
    good = body + check_char(body)
    assert parse_uscc(f"  {good.lower()} ") == good
    assert parse_uscc(good.translate(str.maketrans("0123456789", "０１２３４５６７８９"))) == good
    wrong = body + next(ch for ch in ALPHABET if ch != good[-1])
    with pytest.raises(CellError) as caught:
        parse_uscc(wrong)
    assert caught.value.code == "uscc_invalid" and "校验位" in caught.value.message
    assert unicodedata.is_normalized("NFKC", good)


@pytest.mark.parametrize(("cell", "factor", "stored"), [
    (1234.5, None, Decimal("1234.5")), (0.1, None, Decimal("0.1")), (123456.0, Decimal("0.0001"), Decimal("12.3456")),
    (1.23456789, None, Decimal("1.234568")), (2.5, Decimal("10000"), Decimal("25000"))])
def test_money_from_a_float_cell_is_exact_to_the_places_kept(cell: float, factor: Decimal | None,
                                                             stored: Decimal) -> None:
    from services.importing.normalize import parse_money

    assert parse_money(cell, factor) == stored
    assert parse_money(str(cell), factor) == stored  # the same as the text of the cell


#: Any number a cell can hold, and far beyond the register's range: floats (NaN, infinities), huge integers, texts.
ANY_NUMBER = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**30, 10**30),
                       st.decimals(allow_nan=False, allow_infinity=False).map(str))
READERS = {
    "money": (lambda cell: parse_money(cell, None), MONEY_LIMIT),
    "money in 亿元": (lambda cell: parse_money(cell, UNIT_FACTORS["亿元"]), MONEY_LIMIT),
    "money in 元": (lambda cell: parse_money(cell, UNIT_FACTORS["元"]), MONEY_LIMIT),
    "count": (parse_count, COUNT_LIMIT),
    "carrier area": (lambda cell: _area(cell, None), AREA_LIMIT),
}


@pytest.mark.parametrize("reader", READERS)
@given(cell=ANY_NUMBER)
def test_any_number_is_a_value_in_range_or_a_cell_error(reader: str, cell: object) -> None:
    """Never another exception: numbers beyond the register's range once escaped as InvalidOperation (amounts,
    areas) or overflowed at commit (counts)."""
    read, limit = READERS[reader]
    try:
        value = read(cell)
    except CellError as exc:
        assert exc.code == "number_invalid"
    else:
        assert value is None or -limit < value < limit
        assert reader != "count" or value is None or isinstance(value, int)


AMOUNT_TEXTS = st.decimals(min_value=Decimal(-10**10), max_value=Decimal(10**10), allow_nan=False,
                           allow_infinity=False).flatmap(
    lambda d: st.sampled_from([f"{d:f}", f"{d:,f}", f"{d:,}", f"{d:.2f}", f"{d:,.3f}"]))


@given(st.one_of(AMOUNT_TEXTS, st.floats(-1e10, 1e10), st.floats(allow_nan=False).map(repr)),
       st.sampled_from([None, *UNIT_FACTORS.values()]))
def test_amounts_read_as_the_general_number_reader_reads_them(cell: object, factor: Decimal | None) -> None:
    """parse_money's shortcuts (plain floats, plain digit texts) give what parse_number gives, to six places."""
    try:
        expected = parse_number(cell, factor or Decimal(1))
    except CellError:
        expected = "error"
    if isinstance(expected, Decimal) and not -MONEY_LIMIT < expected < MONEY_LIMIT:
        expected = "error"
    try:
        got: object = parse_money(cell, factor)
    except CellError:
        got = "error"
    if isinstance(expected, Decimal):
        expected = expected.quantize(Decimal("0.000001"), rounding="ROUND_HALF_UP")
    assert got == expected
